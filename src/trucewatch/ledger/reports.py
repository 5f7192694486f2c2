"""Reading one ceasefire report: who its sides are, what stage it speaks of, when it was said.

A ``ceasefire`` or ``ceasefire_end`` event becomes a :class:`Report`: the entities behind its names
sorted into the side that commits and the side that is protected, the stage its sentences speak of
("ready to halt" offered, "agreed" agreed, "suspended" in effect, "has largely held" holding,
"extended" extended), and the day it was said, by which reports are taken in order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trucewatch.ledger import lexicon as words
from trucewatch.ledger.incidents import ref
from trucewatch.ledger.periods import Period
from trucewatch.ledger.records import Ref
from trucewatch.ledger.sides import Actors, split_names
from trucewatch.models import Document, Entity, Event


@dataclass
class Report:
    """A ceasefire or ceasefire_end event with what the ledger reads from it."""

    doc: Document
    event: Event
    period: Period | None
    at: dt.date | None
    parties: list[Entity]
    counterpart: list[Entity]
    everyone: list[Entity]
    stage: str
    sentences: list[str]
    terms: list[str]
    reference: bool = False  # a truce named in the sentence that declares it over

    @property
    def ref(self) -> Ref:
        return ref(self.event)

    @property
    def countries(self) -> list[str]:
        return split_names(self.event.country)


def sentences_of(doc: Document, event: Event) -> list[str]:
    """The event's own sentence first, then the other sentences that report it."""
    texts = {s.idx: s.text for s in doc.sentences}
    out = [event.evidence]
    for i in event.mentions:
        if i != event.sentence and i in texts and texts[i] not in out:
            out.append(texts[i])
    return out


def _terms(doc: Document, event: Event) -> list[str]:
    """The sentences that state a truce's terms: its own, and those its conditions were read from
    ("The factions said they would suspend attacks for six months provided that ...")."""
    out = [event.evidence]
    for s in doc.sentences:
        if s.text not in out and any(c in s.text for c in event.conditions or []):
            out.append(s.text)
    return out


def stage_of(event: Event, sentences: list[str]) -> str:
    """What a ceasefire report says of the truce: extended, holding, offered, in effect, agreed, or
    a mere mention. An extension or a report that it holds speaks for the whole sentence; otherwise
    the cue nearest the ceasefire's trigger decides ("announced a 30-hour ceasefire ... unless Moscow
    and Kyiv proved they were ready to end the war" is announced, not offered). The event's own
    sentence comes first; a bare "agreed" there gives way to an offer the report's other sentences
    speak of ("agreed to halt operations if ...", "ready to resume an unofficial truce")."""
    if event.type == "ceasefire_end":
        return "end"
    # That a truce held is news only in the news; told as background ("was brokered in October and
    # largely held"), the sentence says how it was made.
    holding = not event.background
    own = _sentence_stage(sentences[0], max(0, sentences[0].find(event.trigger)) if event.trigger else 0, holding)
    rest = [st for st in (_sentence_stage(t, 0, holding) for t in sentences[1:]) if st]
    if own == "agreed" and not words.has(words.AGREED, sentences[0]) and "offered" in rest:
        return "offered"
    return own or (rest[0] if rest else "mention")


def _sentence_stage(text: str, trigger: int, holding: bool) -> str | None:
    if words.has(words.EXTENSION, text):
        return "extended"
    if holding and words.has(words.HOLDING, text):
        return "holding"
    cues = [(abs(at - trigger), stage) for stage, phrases in (
        ("offered", words.OFFER), ("in effect", words.IN_EFFECT), ("agreed", words.AGREED + words.AGREED_WEAK))
        for at in words.positions(phrases, text)]
    return min(cues)[1] if cues else None


def _when(event: Event, doc: Document, period: Period | None, stage: str) -> dt.date | None:
    """When a report's statement was made, for ordering: its day; else, for a news report dated only
    to the month of publication, the day of publication; else the first day it may denote (the last,
    for an end)."""
    published = Period.parse(doc.published)
    if period is None:
        return published.first if published else None
    if published is not None and period.first > published.last and stage in ("holding", "mention"):
        # A report that a truce holds cannot be dated after itself: the date read was another's
        # ("due by January next year"); a truce announced to start tomorrow can.
        return published.first
    if period.precise:
        return period.first
    if not event.background and published is not None and period.contains(published.first):
        return published.first
    if event.type == "ceasefire_end":
        # "It ended in March": after the declarations of March, so the end finds the truce it ends.
        return min(period.last, published.last) if published else period.last
    return period.first


def _sides(everyone: list[Entity], actors_first: list[Entity], bound: list[Entity],
           actors: Actors) -> tuple[list[Entity], list[Entity]]:
    """Who commits and who is protected. Non-state groups halting attacks on a state's forces are
    the parties and the state the counterpart, whichever way round the report put them; between
    states (or between groups) the report's actor commits. A government a condition binds ("if the
    government presents a timetable") is not the counterpart when another state is."""
    groups = [e for e in everyone if not actors.is_state_side(e)]
    states = [e for e in everyone if actors.is_state_side(e)]
    if groups and states:
        parties, counterpart = groups, states
    else:
        parties = [e for e in everyone if any(e.id == a.id for a in actors_first)] or everyone[:1]
        counterpart = [e for e in everyone if all(e.id != p.id for p in parties)]
    free = [e for e in counterpart if all(e.id != b.id for b in bound)]
    return parties, free or counterpart


def read_report(doc: Document, event: Event, actors: Actors, end_dates: list[str | None]) -> Report:
    """Read one ceasefire or ceasefire_end event: its sides, its stage, when it was said.
    ``end_dates`` are the dates of the ends declared in the event's sentence: a ceasefire read from
    the sentence that declares a truce over, dated like the end, is that truce named, not a report of
    its making ("its truce with US forces was over")."""
    mediators = set(event.mediators or [])
    everyone: list[Entity] = []
    for e in actors.entities(event.actor) + actors.entities(event.target):
        if actors.is_mediator_kind(e) or e.type == "person" or e.name in mediators:
            continue
        if all(e.id != o.id for o in everyone):
            everyone.append(e)
    bound = [b for c in event.conditions or [] if (b := actors.bound_by(c, split_names(event.country)))]
    parties, counterpart = _sides(everyone, actors.entities(event.actor), bound, actors)
    sentences = sentences_of(doc, event)
    period = Period.parse(event.date)
    stage = stage_of(event, sentences)
    ended = [Period.parse(d) for d in end_dates]
    reference = event.type == "ceasefire" and any(period is None or q is None or period.overlaps(q) for q in ended)
    return Report(doc, event, period, _when(event, doc, period, stage), parties, counterpart, everyone, stage,
                 sentences, _terms(doc, event), reference)
