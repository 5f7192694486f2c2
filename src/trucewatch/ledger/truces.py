"""Truce records from the events of the ledger: which reports are one truce, and what became of it.

The core is a pure function over documents and their events (:func:`truces_from_documents`), so it
can be tested on hand-built events; :func:`build_truces` runs it over a store.

How reports become records:

1. Every ``ceasefire`` and ``ceasefire_end`` event is read (:mod:`trucewatch.ledger.reports`) for
   its sides (who commits, who is protected; :mod:`trucewatch.ledger.sides`) and for what its
   sentences say of the truce's stage ("ready to halt" offered, "agreed" agreed, "suspended" in
   effect, "has largely held" holding, "extended" extended; :mod:`trucewatch.ledger.lexicon`).
2. News reports and ends are taken in date order. A report joins the truce that is open at its date
   between the same sides, unless no report has spoken of that truce for half a year, or it
   declares a truce and says it is a new one, or states conditions that share nothing with the
   open truce's more than a month after it was last declared, or comes after the open one was
   violated without the violation being disowned: then it opens a new record. An end closes the
   open truce of its sides; an end declared by a front or a group that is not a party is recorded
   as a rejection.
3. Background mentions ("the truce agreed last October") join the truce of their sides that began
   in the period they name, else the one open then, else open a record of their own.
4. Each record gets its parties, counterpart, mediators, scope, conditions (with the party each
   binds and its deadline; :mod:`trucewatch.ledger.conditions`), dates, violations (uses of force in
   window and scope, one per use of force as cross-report merging grouped them (and
   :mod:`trucewatch.ledger.incidents` joins what it left apart), with
   disavowals; a truce no report says the other side agreed binds its declarer only, so the other
   side's strikes are not its violations), conditions met by a later act (a troop_change or demand),
   threats a party makes while it stands, and a dated status history.
5. A truce with no declared end ends when its stated term runs out (lapsed), or when a later truce
   between the same sides begins: broken if it had violations nobody disowned, else replaced.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from trucewatch.ledger import lexicon as words
from trucewatch.ledger.conditions import act_concepts, act_date, deadline_of, same_condition
from trucewatch.ledger.incidents import Incident, incidents, ref
from trucewatch.ledger.periods import Period, after
from trucewatch.ledger.records import (
    STAGES,
    Condition,
    Disavowal,
    Ref,
    Source,
    StatusChange,
    Truce,
    Violation,
)
from trucewatch.ledger.reports import Report, read_report
from trucewatch.ledger.sides import Actors, split_names
from trucewatch.models import Document, Entity
from trucewatch.resolve.dates import TimeExpr, find_time_expressions
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store

_DECLARATIONS = frozenset({*STAGES, "extended"})


# ---- a truce being assembled ---------------------------------------------------------------------


@dataclass
class _Draft:
    items: list[Report] = field(default_factory=list)
    ends: list[Report] = field(default_factory=list)
    rejections: list[Report] = field(default_factory=list)

    def declarations(self) -> list[Report]:
        """The reports that make or change the truce (news first); else every report of it, and for a
        truce known only from its end, the end."""
        made = [i for i in self.items if i.stage in _DECLARATIONS and not i.reference]
        news = [i for i in made if not i.event.background]
        return news or made or [i for i in self.items if not i.reference] or self.items or self.ends

    def parties(self) -> list[Entity]:
        """Who commits. A description of unnamed groups ("Iran-backed militias") gives way to the
        named group another report of the same truce gives (Kataib Hezbollah)."""
        found = _union(i.parties for i in self.declarations())
        named = [e for e in found if not _description(e)]
        return named or found

    def counterpart(self) -> list[Entity]:
        parties = {p.id for p in self.parties()}
        return [c for c in _union(i.counterpart for i in self.declarations()) if c.id not in parties]

    def countries(self) -> list[str]:
        out: list[str] = []
        for i in self.declarations():
            out += [c for c in i.countries if c not in out]
        return out

    def bound(self, actors: Actors) -> list[Entity]:
        """The parties its conditions bind ("the Iraqi government presents a timetable")."""
        countries = self.countries()
        return _union([b] for i in self.items for c in i.event.conditions or []
                      if (b := actors.bound_by(c, countries)))

    def start_periods(self) -> list[Period]:
        """The dates it was offered, agreed or took effect (background mentions included); else the
        dates of any report of it."""
        made = [i.period for i in self.items if i.stage in STAGES and not i.reference and i.period]
        return made or [i.period for i in self.items if i.period and not i.reference]

    def first(self) -> Period | None:
        """When it was first offered or agreed: its place among the truces between the same sides."""
        return _first(self.start_periods())

    def begun(self) -> Period | None:
        """The day it was first offered or agreed as far as the reports tell: a declaration dated only
        to its month counts from the day it was reported."""
        days = [i.at for i in self.items if i.stage in STAGES and not i.reference and i.at]
        first = self.first()
        return Period.day(min(days)) if days else first

    def start(self) -> Period | None:
        """When it was agreed or took effect (news first): the window of violations opens after it.
        None for a truce that was only ever offered."""
        agreed = [i.period for i in self.items
                  if i.stage in ("agreed", "in effect") and not i.reference and i.period]
        news = [i.period for i in self.items if i.stage in ("agreed", "in effect") and not i.reference
                and i.period and not i.event.background]
        references = [i.period for i in self.items if i.reference and i.period]
        return _first(news or agreed, references)

    def end(self) -> Period | None:
        ends = [i.period for i in self.ends if i.period]
        return min(ends, key=lambda p: p.first) if ends else None

    def open_at(self, when: dt.date | None) -> bool:
        end = self.end()
        return end is None or when is None or when <= end.first

    def conditions(self) -> list[str]:
        return [c for i in self.items for c in i.event.conditions or []]


def _description(e: Entity) -> bool:
    return e.name.lower().endswith(("militias", "groups", "factions"))


def _union(groups: Iterable[Iterable[Entity]]) -> list[Entity]:
    out: list[Entity] = []
    for group in groups:
        for e in group:
            if all(e.id != o.id for o in out):
                out.append(e)
    return out


def _compatible(draft: _Draft, item: Report, actors: Actors, lenient: bool = False) -> bool:
    """Whether a report can be about this truce: it names someone on one of its sides (or the party
    a condition binds), and no one from outside it, except on a side the truce does not know yet
    (unknown names aside: they are unplaced, not foreign). ``lenient`` (an extension, which must be
    of a truce already made) lets outsiders pass. A report naming no one fits a truce of its country."""
    named = [e for e in item.everyone if not e.provisional]
    parties, counterpart = draft.parties(), draft.counterpart()
    involved = parties + counterpart + draft.bound(actors)
    if not named:
        return bool(set(item.countries) & set(draft.countries()))
    if not actors.any_same_side(named, involved):
        return False
    if lenient:
        return True
    for e in named:
        if actors.any_same_side([e], involved):
            continue
        if not (counterpart if actors.is_state_side(e) else parties):
            continue  # it fills the side the truce's reports have left unnamed
        return False
    return True


def _new_conditions(draft: _Draft, item: Report) -> bool:
    """The report states conditions and none of them is one of the open truce's."""
    mine = item.event.conditions or []
    theirs = draft.conditions()
    return bool(mine and theirs) and not any(same_condition(a, b) for a in mine for b in theirs)


# ---- the builder ---------------------------------------------------------------------------------

# Days within which a second declaration between the same sides is the same truce being negotiated.
_NEGOTIATION_DAYS = 30
# A truce both sides are in: "a ceasefire between X and Y took effect", "X's truce with Y".
_BETWEEN = re.compile(r"\b(?:between|with)\b", re.IGNORECASE)
# Days without a report after which an open truce is no longer known to be in force.
_STALE_DAYS = 180
# How much a report's wording of a condition counts: an agreement's wording replaces an offer's.
_AUTHORITY = {"offered": 0, "agreed": 2, "in effect": 2, "extended": 2}


class _Builder:
    """Runs the steps of the module docstring over one set of documents."""

    def __init__(self, documents: Sequence[Document], gazetteer: Gazetteer, as_of: dt.date,
                 merged: Mapping[tuple[str, int, int], int] | None = None) -> None:
        self.documents = documents
        self.actors = Actors(gazetteer)
        self.as_of = as_of
        self.incidents = incidents(documents, self.actors, merged)
        self.drafts: list[_Draft] = []
        # Sentences with words that disown an attack, found once.
        self.disowning = [(doc, s, found) for doc in documents for s in doc.sentences
                          if (found := words.find(words.DISAVOWAL, s.text))]

    # -- which reports are one truce

    def cluster(self) -> list[_Draft]:
        items: list[Report] = []
        for doc in self.documents:
            ends: dict[int, list[str | None]] = {}
            for e in doc.events:
                if e.type == "ceasefire_end":
                    ends.setdefault(e.sentence, []).append(e.date)
            items += [read_report(doc, e, self.actors, ends.get(e.sentence, []))
                      for e in doc.events if e.type in ("ceasefire", "ceasefire_end")]

        def order(i: Report) -> tuple[dt.date, bool, str, str, int]:
            return (i.at or dt.date.max, i.event.type == "ceasefire_end", i.doc.published or "", i.doc.id,
                    i.event.sentence)

        for item in sorted((i for i in items if not i.event.background or i.event.type == "ceasefire_end"), key=order):
            if item.event.type == "ceasefire_end":
                self._end(item)
            else:
                self._news(item)
        for item in sorted((i for i in items if i.event.background and i.event.type == "ceasefire"), key=order):
            self._background(item)
        return self.drafts

    def _latest(self, drafts: list[_Draft]) -> _Draft:
        return max(drafts, key=lambda d: max((i.at or dt.date.min) for i in d.items + d.ends))

    def _news(self, item: Report) -> None:
        lenient = item.stage == "extended"
        candidates = [d for d in self.drafts if d.open_at(item.at) and _compatible(d, item, self.actors, lenient)]
        if candidates:
            draft = self._latest(candidates)
            if item.reference or (not _stale(draft, item) and (
                    item.stage not in STAGES or not self._opens_new(draft, item))):
                draft.items.append(item)
                return
        self.drafts.append(_Draft(items=[item]))

    def _opens_new(self, draft: _Draft, item: Report) -> bool:
        """A declaration that is a new truce rather than the open one said again: it says so; or its
        conditions are others, and it comes more than a month after the open truce was last declared
        (within a month an offer is being turned into an agreement, and outlets word terms
        differently); or the open truce was violated since without anyone disowning it."""
        if words.has_any(words.NEW, item.sentences):
            return True
        if item.at is None:
            return False
        last = max((i.at for i in draft.declarations() if i.at), default=None)
        if _new_conditions(draft, item) and (last is None or (item.at - last).days > _NEGOTIATION_DAYS):
            return True
        return any(not self._disavowals(inc, draft) for inc, _ in self._window(draft, Period.day(item.at)))

    def _end(self, item: Report) -> None:
        """Close the open truce of the end's sides; a group outside the truce only rejects it."""
        p = item.period
        candidates = [d for d in self.drafts if _compatible(d, item, self.actors) and (p is None or (
            d.open_at(p.first) and ((first := d.first()) is None or first.first <= p.last)))]
        if not candidates:
            self.drafts.append(_Draft(ends=[item]))
            return
        draft = self._latest(candidates)
        declarer = [e for e in self.actors.entities(item.event.actor) if not self.actors.is_mediator_kind(e)]
        sides = draft.parties() + draft.counterpart()
        # A front group or an unknown one saying the truce is over does not end the parties' truce.
        speakers = [e for e in declarer if not e.provisional and not self.actors.is_front(e)]
        by_side = not declarer or not sides or self.actors.any_same_side(speakers, sides)
        (draft.ends if by_side else draft.rejections).append(item)

    def _background(self, item: Report) -> None:
        """A mention of an earlier truce joins the one of its sides that began in the period it names,
        else the one open then, else it opens a record of its own."""
        p = item.period
        fits = [d for d in self.drafts if _compatible(d, item, self.actors)]
        if p is None:
            if fits:
                self._latest(fits).items.append(item)
                return
        else:
            began = [d for d in fits if any(q.near(p, 7) for q in d.start_periods())]
            during = [d for d in fits if _during(d, p)]
            for group in (began, during):
                if group:
                    best = min(group, key=lambda d: min((abs((q.first - p.first).days) for q in d.start_periods()),
                                                        default=0))
                    best.items.append(item)
                    return
        self.drafts.append(_Draft(items=[item]))

    # -- violations

    def _window(self, draft: _Draft, end: Period | None) -> list[tuple[Incident, str]]:
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

    def _disavowals(self, inc: Incident, draft: _Draft) -> list[Disavowal]:
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

    def _violator_terms(self, draft: _Draft) -> list[Ref]:
        """Disavowal words in a report of the truce that disown no reported attack: the deal's own
        terms for violators ("attacks which break it would be a personal act")."""
        docs = {i.doc.id for i in draft.declarations()}
        return [Ref(doc.id, s.idx, "disavowal", None, s.text) for doc, s, _ in self.disowning
                if doc.id in docs and words.has(words.DISOWNING, s.text)
                and not any(_names_incident(doc, s.idx, s.text, inc) for inc in self.incidents)]

    def _violations(self, draft: _Draft, end: Period | None) -> list[Violation]:
        return [Violation(inc.date, inc.type, inc.mode, "; ".join(a.name for a in inc.actors) or None,
                          "; ".join(t.name for t in inc.targets) or None, inc.location,
                          "; ".join(inc.countries) or None, inc.killed, inc.injured, by, inc.refs(),
                          self._disavowals(inc, draft))
                for inc, by in self._window(draft, end)]

    # -- the record

    def record(self, draft: _Draft, successor: _Draft | None) -> Truce:
        """The finished record of one truce."""
        decl = draft.declarations()
        parties, counterpart = draft.parties(), draft.counterpart()
        countries = draft.countries()
        history: list[StatusChange] = []
        self._stages(draft, history)
        made = [(i, i.period) for i in decl if i.period and i.stage in STAGES]
        references = [i.period for i in draft.items if i.reference and i.period]
        announced = _first([p for _, p in made] or [i.period for i in decl if i.period], references)
        agreed = _first([p for i, p in made if i.stage in ("agreed", "in effect")])
        effective = self._effective([i for i, _ in made], announced) or _first(
            [p for i, p in made if i.stage == "in effect"]) or agreed
        if effective and agreed and effective.value != agreed.value:
            history.append(StatusChange(effective.value, "in effect", "took effect",
                                        [i.ref for i, _ in made if i.stage in ("agreed", "in effect")][:1]))
        terms = self._terms_end(draft, effective or announced)
        term = max(terms.items(), key=lambda kv: kv[1].first) if terms else None
        expires = term[1] if term else None
        for h in history:
            runs_to = [terms[r] for r in h.evidence if h.status == "extended" and r in terms]
            if runs_to:
                h.note = f"extended to {runs_to[0].value}"

        ended, how, end_refs = self._ending(draft, term, successor)
        end = Period.parse(ended)
        violations = self._violations(draft, end)
        if how == "broken":
            broke = _broke(violations, history)
            if broke is not None:
                ended = broke.value
                violations = [v for v in violations if (Period.parse(v.date) or broke).first <= broke.first]
        for n, v in enumerate(violations, 1):
            history.append(StatusChange(v.date, "violated", f"violation {n}: {_describe(v)}", v.evidence[:1]))
            for d in v.disavowals:
                history.append(StatusChange(d.date, "disavowed", f"{d.by or 'unnamed'}: {', '.join(d.words)}",
                                            [d.evidence]))
        conditions = self._conditions(draft, countries, effective or announced, Period.parse(ended))
        for c in conditions:
            if c.met_by is not None:
                history.append(StatusChange(c.met_on, "condition met", c.text, [c.met_by]))
        for r in draft.rejections:
            history.append(StatusChange(r.event.date, "rejected", f"declared over by {r.event.actor}, not a party",
                                        [r.ref]))
        history += self._threats(draft, end)
        if ended:
            history.append(StatusChange(ended, "ended", how or "", end_refs))
        history.sort(key=_chronology)

        reports = draft.items + draft.ends + draft.rejections
        docs = [i.doc for i in reports] + [d for v in violations for d in self._documents(v.evidence)]
        docs += [d for c in conditions if c.met_by for d in self._documents([c.met_by])]
        return Truce(
            id="", parties=[p.name for p in parties], counterpart=[c.name for c in counterpart],
            mediators=self._mediators(draft, parties + counterpart), countries=countries,
            places=list(dict.fromkeys(i.event.location for i in decl if i.event.location)), conditions=conditions,
            announced=_value(announced), agreed=_value(agreed), effective=_value(effective), expires=_value(expires),
            ended=ended, ended_how=how, end_evidence=end_refs, history=history, violations=violations,
            violator_terms=self._violator_terms(draft), mentions=[i.ref for i in reports], sources=_sources(docs),
            as_of=self.as_of.isoformat())

    def _threats(self, draft: _Draft, end: Period | None) -> list[StatusChange]:
        """Threats a party makes against the counterpart while the truce stands ("warned it would
        resume attacks if the withdrawal stalls"): not a violation, a step on the way to one, dated
        in its history with its report. One per party and day."""
        start = draft.start()
        if start is None:
            return []
        parties, counterpart = draft.parties(), draft.counterpart()
        countries = set(draft.countries())
        out: dict[tuple[str, str], StatusChange] = {}
        for doc in self.documents:
            for e in doc.events:
                p = Period.parse(e.date)
                if e.type != "threat" or e.background or p is None or p.first <= start.last:
                    continue
                if end is not None and p.last >= end.first:
                    continue
                who = self.actors.entities(e.actor)
                if not who or not self.actors.any_same_side(who, parties):
                    continue
                aimed = self.actors.entities(e.target)
                if aimed and not self.actors.any_same_side(aimed, counterpart):
                    continue
                if countries and e.country and not countries & set(split_names(e.country)):
                    continue
                key = (e.actor or "", e.date or "")
                if key in out:
                    out[key].evidence.append(ref(e))
                else:
                    out[key] = StatusChange(e.date, "threatened", f"threat by {e.actor}", [ref(e)])
        return list(out.values())

    def _documents(self, refs: list[Ref]) -> list[Document]:
        ids = {r.doc_id for r in refs}
        return [d for d in self.documents if d.id in ids]

    def _stages(self, draft: _Draft, history: list[StatusChange]) -> None:
        """Offered / agreed / in effect / extended / holding steps, one per status and date. A stage is
        never stepped back to; a background mention adds a stage only when no report of its time gives
        one; a report that the truce holds counts only as news, and only while it is in force."""
        reached = -1
        end = draft.end()
        for item in sorted(draft.items, key=lambda i: (i.event.background, i.at or dt.date.max)):
            if item.reference or item.stage == "mention":
                continue
            date = item.event.date
            if item.stage == "holding":
                if item.event.background or (end is not None and item.at is not None and item.at > end.first):
                    continue
                date = item.at.isoformat() if item.at else date
            if item.stage in STAGES:
                rank = STAGES.index(item.stage)
                if rank < reached or (item.event.background and (rank <= reached or any(
                        item.period and item.period.overlaps(p) for h in history if (p := Period.parse(h.date))))):
                    continue
                reached = max(reached, rank)
            same = next((h for h in history if h.status == item.stage and h.date == date), None)
            if same is not None:
                same.evidence.append(item.ref)
            else:
                history.append(StatusChange(date, item.stage, _note(item), [item.ref]))
        if not history and draft.items:
            # Known only from reports that name it without saying how it stands.
            first = min(draft.items, key=lambda i: i.at or dt.date.max)
            history.append(StatusChange(first.event.date, "reported", "mentioned; no stage stated", [first.ref]))

    def _mediators(self, draft: _Draft, sides: list[Entity]) -> list[str]:
        """Every mediator named, then the state or body a named envoy speaks for; never a side or a
        member of one."""
        side_ids = {s.id for s in sides}
        out: list[str] = []
        for item in draft.items:
            for name in item.event.mediators or []:
                e = self.actors.entity(name)
                for m in (e, self.actors.body(e)):
                    if m.name not in out and not side_ids & set(self.actors.memberships(m)):
                        out.append(m.name)
        return out

    @staticmethod
    def _effective(made: list[Report], announced: Period | None) -> Period | None:
        """A day the reports say the truce takes effect ("starting tomorrow", "took effect on Friday"),
        within a week before and a month after it was announced (another day is another event's)."""
        for item in made:
            reference = Period.parse(item.doc.published)
            for text in item.sentences:
                for t in find_time_expressions(text, reference.first if reference else None):
                    p = Period.parse(t.value)
                    if p is None or t.kind != "point" or not words.has(words.EFFECTIVE, _before(text, t)):
                        continue
                    if announced is None or (announced.first - dt.timedelta(days=7) <= p.first
                                             and p.last <= announced.last + dt.timedelta(days=31)):
                        return p
        return None

    @staticmethod
    def _terms_end(draft: _Draft, start: Period | None) -> dict[Ref, Period]:
        """When each declaration says the truce's term runs out: the end of a range it is given
        ("until 2 October 2022"), else a duration in the sentences of its terms ("a two-month truce",
        "suspend attacks for six months") counted from when it took effect, or from the extension.
        Durations in other sentences, or of other things, are not its term ("would last 12 hours,
        after which the war would be considered ended", "five days of negotiations")."""
        out: dict[Ref, Period] = {}
        for item in draft.declarations():
            reference = Period.parse(item.doc.published)
            base = (item.period if item.stage == "extended" else start) or item.period
            for text in dict.fromkeys(item.terms + item.sentences):
                for t in find_time_expressions(text, reference.first if reference else None):
                    found: Period | None = None
                    if t.kind == "range" and t.end_value:
                        found = Period.parse(t.end_value)
                    elif t.kind == "duration" and t.duration and base is not None and text in item.terms \
                            and _is_term(text, t):
                        found = after(base, t.duration)
                    if found is not None and (item.ref not in out or found.first > out[item.ref].first):
                        out[item.ref] = found
        return out

    def _ending(self, draft: _Draft, term: tuple[Ref, Period] | None, successor: _Draft | None
                ) -> tuple[str | None, str | None, list[Ref]]:
        """(date, how, evidence) of the end: declared (or said to have expired), else its term (the
        report that set it, and when it runs out) ran out before the ledger's date, else a later truce
        between the same sides began."""
        if draft.ends:
            first = min(draft.ends, key=lambda i: i.at or dt.date.max)
            how = "lapsed" if words.has_any(words.EXPIRY, first.sentences) else "declared over"
            return first.event.date, how, [i.ref for i in draft.ends]
        nxt = successor.begun() if successor is not None else None
        if term is not None and term[1].last < self.as_of and (nxt is None or term[1].last < nxt.first):
            return term[1].value, "lapsed", [term[0]]
        if successor is None or nxt is None:
            return None, None, []
        evidence = [i.ref for i in successor.declarations()][:1]
        broken = any(not self._disavowals(inc, draft) for inc, _ in self._window(draft, nxt))
        return nxt.value, "broken" if broken else "replaced", evidence

    def _conditions(self, draft: _Draft, countries: list[str], start: Period | None,
                    end: Period | None) -> list[Condition]:
        """The truce's conditions, each once (an agreement's wording wins over an offer's), with the
        party each binds, its deadline, and the act that met it. Conditions from background mentions
        count only when no declaration states any."""
        decl = [i for i in draft.declarations() if i.event.conditions]
        sources = decl or [i for i in draft.items if i.event.conditions]
        out: list[tuple[Condition, int]] = []
        for item in sorted(sources, key=lambda i: i.at or dt.date.min):
            authority = _AUTHORITY.get(item.stage, 1)
            for text in item.event.conditions or []:
                deadline, duration = deadline_of(text, item.period)
                k = next((k for k, (c, _) in enumerate(out) if same_condition(c.text, text)), None)
                if k is None:
                    bound = self.actors.bound_by(text, countries)
                    out.append((Condition(text, bound.name if bound else None, deadline, duration, [item.ref]),
                                authority))
                    continue
                cond, had = out[k]
                cond.stated.append(item.ref)
                if cond.deadline is None and deadline is not None:
                    cond.deadline, cond.duration = deadline, duration
                if authority > had:
                    bound = self.actors.bound_by(text, countries)
                    cond.text = text
                    cond.deadline, cond.duration = (deadline, duration) if deadline else (cond.deadline, cond.duration)
                    cond.binds = bound.name if bound else cond.binds
                    out[k] = (cond, authority)
        conditions = [c for c, _ in out]
        for c in conditions:
            self._meet(c, draft, start, end)
        return conditions

    def _meet(self, cond: Condition, draft: _Draft, start: Period | None, end: Period | None) -> None:
        """Find the act that met a condition: a demand (for a condition that something be demanded) or
        a troop_change (for one that something be done), in the truce's countries, after it began and
        by its deadline (and end), by the party the condition binds (a withdrawal may also be announced
        by the side that withdraws), whose sentences carry every concept of the condition."""
        countries = draft.countries()
        need = words.concepts(cond.text)
        deadline = Period.parse(cond.deadline)
        if start is not None and need & words.ACT_CONCEPTS:
            limit = min([p.last for p in (deadline, end) if p] + [self.as_of])
            binds = self.actors.entity(cond.binds) if cond.binds else None
            stated = {(r.doc_id, r.sentence) for r in cond.stated}
            counterpart = draft.counterpart()
            for doc in self.documents:
                for e in doc.events:
                    # A demand meets a condition that something be demanded; presenting a timetable
                    # or withdrawing is done, not demanded.
                    if e.type != ("demand" if "demand" in need else "troop_change") or (doc.id, e.sentence) in stated:
                        continue
                    when = act_date(e, doc)
                    if when is None or when.first <= start.last or when.last > limit:
                        continue
                    if countries and not set(countries) & set(split_names(e.country)):
                        continue
                    who = self.actors.entities(e.actor)
                    if who and binds is not None and not self.actors.any_same_side(who, [binds]) and not (
                            e.type == "troop_change" and self.actors.any_same_side(who, counterpart)):
                        continue
                    if need <= act_concepts(e, doc):
                        cond.status, cond.met_by, cond.met_on = "met", ref(e), when.value
                        return
        if deadline is not None and deadline.last < self.as_of:
            cond.status = "unmet"


# ---- small helpers -------------------------------------------------------------------------------


def _value(p: Period | None) -> str | None:
    return p.value if p else None


def _refined(periods: list[Period]) -> list[Period]:
    """Periods less those that merely contain a more precise one ("2024" when "2024-02" is told)."""
    return [p for p in periods if not any(q is not p and p.first <= q.first and q.last <= p.last
                                          and (q.first, q.last) != (p.first, p.last) for q in periods)]


def _first(periods: list[Period], refine_with: list[Period] | None = None) -> Period | None:
    """The earliest period, a coarse one giving way to a precise one it contains (among ``periods``
    or, for the chosen one, among ``refine_with``: later mentions that date it more precisely); of two
    starting the same day, the more precise."""
    periods = _refined(periods)
    if not periods:
        return None
    best = min(periods, key=lambda p: (p.first, p.last))
    inner = [q for q in refine_with or [] if best.first <= q.first and q.last <= best.last
             and (q.first, q.last) != (best.first, best.last)]
    return min(inner, key=lambda p: (p.first, p.last)) if inner else best


def _stale(draft: _Draft, item: Report) -> bool:
    """No report has spoken of the truce for half a year before this one: it is not known to be in
    force, and a report of a truce now is of a new one."""
    heard = [i.at for i in draft.items + draft.ends if i.at]
    return item.at is not None and bool(heard) and (item.at - max(heard)).days > _STALE_DAYS


def _during(draft: _Draft, period: Period) -> bool:
    """Whether the truce may have been in force at some time in ``period``: begun by then, not ended
    before, and spoken of within half a year before it (a truce no one reports is not known to hold)."""
    start, end = draft.first(), draft.end()
    if (start is not None and start.first > period.last) or (end is not None and period.first > end.first):
        return False
    heard = [i.at for i in draft.items + draft.ends if i.at and i.at <= period.last]
    return not heard or (period.first - max(heard)).days <= _STALE_DAYS


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


def _broke(violations: list[Violation], history: list[StatusChange]) -> Period | None:
    """The day a truce broke: the first violation nobody disowned since it was last said to hold."""
    said = [p for h in history if h.status in (*STAGES, "holding", "extended") if (p := Period.parse(h.date))]
    since = max((p.first for p in said), default=dt.date.min)
    for v in violations:
        p = Period.parse(v.date)
        if p is not None and p.first >= since and not v.disavowed:
            return p
    return None


def _is_term(text: str, t: TimeExpr) -> bool:
    """A duration that is the truce's term: "for six months", or said of the truce ("a two-month
    truce", "a 30-hour unilateral ceasefire"), not of something else ("five days of negotiations")."""
    if t.text.lower().startswith("for ") or _before(text, t).lower().endswith("for"):
        return True
    return words.has(words.TRUCE_NOUNS, " ".join(text[t.end:].split()[:2]))


def _before(text: str, t: TimeExpr) -> str:
    """The three words before a time expression ("... truce, starting" before "tomorrow")."""
    return " ".join(text[: t.start].split()[-3:])


def _note(item: Report) -> str:
    who = "; ".join(p.name for p in item.parties) or "?"
    return {"offered": f"offered by {who}", "agreed": f"agreed by {who}", "in effect": f"in effect ({who})",
            "extended": "extended", "holding": "reported holding"}.get(item.stage, item.stage)


def _describe(v: Violation) -> str:
    mode = f" ({v.mode})" if v.mode and v.mode != "unknown" else ""
    where = f" at {v.location}" if v.location else ""
    return f"{v.type}{mode} by {v.actor or 'unclaimed'}{where}"


_ORDER = {"reported": 0, "offered": 0, "agreed": 1, "in effect": 2, "extended": 3, "holding": 4, "violated": 5,
          "disavowed": 6, "condition met": 7, "rejected": 8, "ended": 9}


def _chronology(h: StatusChange) -> tuple[dt.date, int]:
    p = Period.parse(h.date)
    return (p.first if p else dt.date.max, _ORDER.get(h.status, 5))


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


def _sources(docs: Iterable[Document]) -> list[Source]:
    seen: dict[str, Source] = {}
    for d in docs:
        seen.setdefault(d.id, Source(d.id, d.outlet, d.url, d.published, d.title))
    return sorted(seen.values(), key=lambda s: (s.published or "", s.doc_id))


def _initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s\-]+", name.lower()) if p and p not in ("of", "the", "al", "and")]
    if len(parts) == 1:
        return re.sub(r"[^0-9a-z]+", "", parts[0])
    return "".join(p[0] for p in parts)


def _identify(truces: list[Truce]) -> None:
    """Ids from the first date and the two sides ("2022-01-15-kh-us"); a repeat gets "-2"."""
    seen: dict[str, int] = {}
    for t in truces:
        first = t.announced or next((h.date for h in t.history if h.date), None) or "undated"
        sides = [_initials(names[0]) for names in (t.parties, t.counterpart) if names]
        base = "-".join([first, *sides])
        seen[base] = seen.get(base, 0) + 1
        t.id = base if seen[base] == 1 else f"{base}-{seen[base]}"


def _successors(actors: Actors, drafts: list[_Draft]) -> dict[int, _Draft]:
    """For each truce with no declared end, the next truce between the same sides, if any."""
    out: dict[int, _Draft] = {}
    dated = sorted(((first, d) for d in drafts if (first := d.first()) is not None), key=lambda x: x[0].first)
    for k, (first, d) in enumerate(dated):
        if d.ends:
            continue
        for nxt, later in dated[k + 1:]:
            if nxt.first <= first.last:
                continue
            if actors.any_same_side(d.parties(), later.parties()) and (
                    not d.counterpart() or not later.counterpart()
                    or actors.any_same_side(d.counterpart(), later.counterpart())):
                out[id(d)] = later
                break
    return out


# ---- public API ----------------------------------------------------------------------------------


def truces_from_documents(documents: Iterable[Document], gazetteer: Gazetteer | None = None,
                          as_of: str | dt.date | None = None,
                          merged: Mapping[tuple[str, int, int], int] | None = None) -> list[Truce]:
    """The truce records of these documents (each with its ``events`` and ``sentences``), oldest first.

    ``as_of`` is the date the records are true on (default: the latest publication date): a term
    that ran out before it has lapsed, a deadline passed before it is unmet. A date given is also a
    limit on what is known: only the reports published on or before it are read (a report with no
    publication date cannot be shown to have been known, and is not), so a record as of a past day
    has no end, violation or condition learnt from a later report. ``merged`` groups the reports of
    one use of force as cross-report merging did (see :func:`~trucewatch.ledger.incidents.incidents`).
    """
    docs = list(documents)
    if isinstance(as_of, dt.date):
        day = as_of
    elif as_of:
        given = Period.parse(as_of)
        if given is None:
            raise ValueError(f"as_of={as_of!r}: expected an ISO date (YYYY-MM-DD)")
        day = given.last
    else:
        day = max((p.last for d in docs if (p := Period.parse(d.published))), default=dt.date.today())
    if as_of:
        docs = [d for d in docs if (p := Period.parse(d.published)) is not None and p.last <= day]
    builder = _Builder(docs, gazetteer or Gazetteer.load(), day, merged)
    drafts = builder.cluster()
    successors = _successors(builder.actors, drafts)
    truces = [builder.record(d, successors.get(id(d))) for d in drafts]
    truces.sort(key=lambda t: (Period.parse(t.announced or t.ended) or Period.day(dt.date.max)).first)
    _identify(truces)
    return truces


def build_truces(store: Store, gazetteer: Gazetteer | None = None, as_of: str | dt.date | None = None) -> list[Truce]:
    """The truce records of every document in ``store`` (see :func:`truces_from_documents`), its
    violations counted once per use of force as merged across reports."""
    return truces_from_documents(store.documents(), gazetteer, as_of, store.merged_uses_of_force())


def find_truce(truces: Sequence[Truce], key: str) -> Truce | None:
    """The truce with this id, or the only one whose id starts with ``key``."""
    exact = [t for t in truces if t.id == key]
    if exact:
        return exact[0]
    prefixed = [t for t in truces if t.id.startswith(key)]
    return prefixed[0] if len(prefixed) == 1 else None
