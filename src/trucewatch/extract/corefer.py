"""One event per real-world occurrence in a report: a lede, its follow-up sentences and a later
back-reference ("the strikes", "the truce") are mentions of one event.

A mention joins an earlier event of the same type when their dates agree (equal, one within the other,
one unknown, or one only guessed from the report's time) and their places agree: a shared place; or no
place on one side, no disagreeing actor or target, and either a shared actor or a mention that refers back
(a definite noun: "the attack"). What the later mention adds (a toll, a place, a party) fills what the
event lacked; its evidence stays the first sentence's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trucewatch.extract.extractor import Draft

_DEFINITE = frozenset("the this that these those its their such".split())


def dates_agree(a: str | None, b: str | None) -> bool:
    return not a or not b or a.startswith(b) or b.startswith(a)


def _ids(xs: list) -> set[str]:
    return {x.id for x in xs}


def refers_back(d: Draft) -> bool:
    """The mention's trigger is a definite noun: "the attack", "this truce", "their strikes"."""
    s, a = d.sentence, d.anchor
    if s.doc is not None:
        h = s.doc[a.head]
        return h.tag_.startswith("NN") and any(c.dep_ in ("det", "poss") and c.lower_ in _DEFINITE
                                               for c in h.children)
    return a.start > 0 and s.lower[a.start - 1] in _DEFINITE


def same_event(e: Draft, d: Draft) -> bool:
    """Whether mention ``d`` (later) reports the event ``e`` already found."""
    if e.event.type != d.event.type:
        return False
    # Dates disagree only when the later mention states its own: a date guessed for a sentence that states
    # none (the report's day or month) says nothing against the date of the event it refers back to.
    if d.event.date_source == "stated" and not dates_agree(e.event.date, d.event.date):
        return False
    la, lb = _ids(e.locations), _ids(d.locations)
    if la and lb:
        return bool(la & lb) and (not e.actors or not d.actors or bool(_ids(e.actors) & _ids(d.actors)))
    if e.actors and d.actors and not _ids(e.actors) & _ids(d.actors):
        return False
    if e.targets and d.targets and not _ids(e.targets) & _ids(d.targets):
        return False
    # No place on one side: the same parties, or a mention that refers back ("the strikes").
    return bool(_ids(e.actors) & _ids(d.actors)) or refers_back(d)


def absorb(into: Draft, d: Draft) -> None:
    """What a later mention adds to the event: the values the event lacks."""
    a, b = into.event, d.event
    for name in ("actor", "target", "location", "country", "killed", "injured", "date", "lat", "lon"):
        if getattr(a, name) is None and getattr(b, name) is not None:
            setattr(a, name, getattr(b, name))
    if a.mode in (None, "unknown") and b.mode not in (None, "unknown"):
        a.mode = b.mode
    if b.conditions:
        a.conditions = list(dict.fromkeys((a.conditions or []) + b.conditions))
    if b.mediators:
        a.mediators = list(dict.fromkeys((a.mediators or []) + b.mediators))
    into.actors = into.actors or d.actors
    into.targets = into.targets or d.targets
    into.locations = into.locations or d.locations
    a.mentions = sorted(set(a.mentions) | {b.sentence, *b.mentions})


def merge_mentions(drafts: list[Draft]) -> list[Draft]:
    """The report's events: each mention joins the latest earlier event it reports, or starts one."""
    events: list[Draft] = []
    for d in sorted(drafts, key=lambda x: (x.event.sentence, x.event.start)):
        target = next((e for e in reversed(events) if same_event(e, d)), None)
        if target is None:
            events.append(d)
        else:
            absorb(target, d)
    return events
