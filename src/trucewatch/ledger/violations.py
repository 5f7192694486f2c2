"""Violations of a truce (step 4 of :mod:`trucewatch.ledger.truces`): the uses of force inside its
window and scope, whose they were (a party, the counterpart, nobody named, an outside group), and the
statements that disown them."""

from __future__ import annotations

import datetime as dt
import re

from trucewatch.ledger import lexicon as words
from trucewatch.ledger.drafts import Draft
from trucewatch.ledger.incidents import Incident
from trucewatch.ledger.periods import Period
from trucewatch.ledger.records import (
    Disavowal,
    Ref,
    Violation,
)
from trucewatch.ledger.sides import Actors
from trucewatch.models import Document, Entity, Sentence
from trucewatch.resolve.dates import find_time_expressions

# A truce both sides are in: "a ceasefire between X and Y took effect", "X's truce with Y".
_BETWEEN = re.compile(r"\b(?:between|with)\b", re.IGNORECASE)


class ViolationFinding:
    """The violations of a draft, for :class:`trucewatch.ledger.truces._Builder`."""

    actors: Actors
    as_of: dt.date
    incidents: list[Incident]
    disowning: list[tuple[Document, Sentence, list[str]]]

    def _window(self, draft: Draft, end: Period | None) -> list[tuple[Incident, str]]:
        """Uses of force surely after the day the truce was agreed and surely before its end, in its
        countries, by or against one of its sides, each with whose violation it is."""
        start = draft.start()
        if start is None:
            return []
        countries = set(draft.countries())
        parties, counterpart = draft.parties(), draft.counterpart()
        # A truce one side declared and the other never agreed binds its declarer only: force against
        # the declarer, by the other side or anyone else, breaks no promise ("KH is pausing its
        # operations against US troops" does not make the next US strike a violation). Agreed, or in
        # effect "between" the two sides or "with" the other, it binds both.
        unilateral = not any(i.stage == "agreed" or (i.stage == "in effect" and _BETWEEN.search(i.event.evidence))
                             for i in draft.items)
        out = []
        for inc in self.incidents:
            p = inc.period
            if p is None or p.first <= start.last:
                continue
            if end is not None and p.last >= end.first:
                continue
            if countries and not countries & set(inc.countries):
                continue
            by = self._by(inc, parties, counterpart)
            if unilateral and by not in (None, "party") and not (
                    counterpart and self.actors.any_same_side(inc.targets, counterpart)):
                continue
            if by is not None:
                out.append((inc, by))
        return out

    def _by(self, inc: Incident, parties: list[Entity], counterpart: list[Entity]) -> str | None:
        """Whose violation an incident is: force by one side unless aimed at someone outside the
        truce, or force by no one named (or by a group no one knows) against either side. None when it
        is not a violation of this truce."""
        same = self.actors.any_same_side
        targets = inc.targets
        known = [a for a in inc.actors if not a.provisional]
        if known:
            if parties and same(known, parties):
                return "party" if not targets or not counterpart or same(targets, counterpart) else None
            if counterpart and same(known, counterpart):
                return "counterpart" if not targets or not parties or same(targets, parties) else None
            return None
        if not targets or not ((counterpart and same(targets, counterpart)) or (parties and same(targets, parties))):
            return None
        return "outside group" if inc.actors else "unattributed"

    def _disavowals(self, inc: Incident, draft: Draft) -> list[Disavowal]:
        """Statements that disown this incident: by which party (named in the sentence), and when."""
        out: dict[str, Disavowal] = {}  # one statement per report, however many sentences it takes
        parties = draft.parties()
        for doc, s, found in self.disowning:
            if not _names_incident(doc, s.idx, s.text, inc):
                continue
            by = next((e for e in self.actors.named_in(s.text) if self.actors.any_same_side([e], parties)), None)
            date = _statement_date(s.text, doc, inc.period)
            same = out.get(doc.id)
            if same is None:
                out[doc.id] = Disavowal(by.name if by else None, date, found,
                                        Ref(doc.id, s.idx, "disavowal", None, s.text))
                continue
            same.by = same.by or (by.name if by else None)
            same.words += [w for w in found if w not in same.words]
            if date and (same.date is None or date < same.date):
                same.date = date
        return list(out.values())

    def _violator_terms(self, draft: Draft) -> list[Ref]:
        """Disavowal words in a report of the truce that disown no reported attack: the deal's own
        terms for violators ("attacks which break it would be a personal act")."""
        docs = {i.doc.id for i in draft.declarations()}
        return [Ref(doc.id, s.idx, "disavowal", None, s.text) for doc, s, _ in self.disowning
                if doc.id in docs and words.has(words.DISOWNING, s.text)
                and not any(_names_incident(doc, s.idx, s.text, inc) for inc in self.incidents)]

    def _violations(self, draft: Draft, end: Period | None) -> list[Violation]:
        return [Violation(inc.date, inc.type, inc.mode, "; ".join(a.name for a in inc.actors) or None,
                          "; ".join(t.name for t in inc.targets) or None, inc.location,
                          "; ".join(inc.countries) or None, inc.killed, inc.injured, by, inc.refs(),
                          self._disavowals(inc, draft))
                for inc, by in self._window(draft, end)]


def _names_incident(doc: Document, idx: int, text: str, inc: Incident) -> bool:
    """Whether sentence ``idx`` of ``doc`` speaks of the incident: one of its reports sits in the
    sentence; or the report tells of it and the sentence names it by its kind and place ("the Erbil
    attack") or refers back to "the attack" reported just before."""
    lowered = words.normalise(text).lower()
    mine = [e for d, e in inc.reports if d.id == doc.id and words.has(_NOUNS[e.type], lowered)]
    if not mine:
        return False
    if any(e.sentence == idx or idx in e.mentions for e in mine):
        return True
    if inc.location and inc.location.split()[0].lower() in lowered:
        return True
    return bool(_BACK_REFERENCE.search(lowered)) and any(idx - 2 <= e.sentence < idx for e in mine)


# The words that name a use of force of each type ("the Erbil attack" is not the US strike on Syria).
_NOUNS = {"attack": ("attack", "attacks", "rocket", "rockets", "drone", "drones", "bombing", "incident"),
          "strike": ("strike", "strikes", "airstrike", "airstrikes", "raid", "raids", "bombing", "incident")}

_BACK_REFERENCE = re.compile(r"\bthe (?:attack|strike|bombing|rocket attack|drone attack|incident)\b")


def _statement_date(text: str, doc: Document, incident: Period | None) -> str | None:
    """When a statement about an incident was made: the latest day its sentence names between the
    incident and publication ("said on Tuesday that Monday's attack ..."), else the publication date."""
    published = Period.parse(doc.published)
    days = [p for t in find_time_expressions(text, published.first if published else None)
            if (p := Period.parse(t.value)) is not None and p.precise
            and (incident is None or p.first >= incident.last) and (published is None or p.first <= published.last)]
    if days:
        return max(days).value
    return published.value if published else None
