"""A truce being assembled, and which reports are one truce (step 2 and 3 of
:mod:`trucewatch.ledger.truces`): a draft gathers the declarations, ends and rejections of one truce;
the clustering takes news reports and ends in date order, then background mentions, and puts each in
the open truce of its sides or in a new draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from trucewatch.ledger import lexicon as words
from trucewatch.ledger.conditions import same_condition
from trucewatch.ledger.periods import Period
from trucewatch.ledger.records import (
    STAGES,
)
from trucewatch.ledger.reports import Report, read_report
from trucewatch.ledger.sides import Actors
from trucewatch.models import Entity

_DECLARATIONS = frozenset({*STAGES, "extended"})
# Days within which a second declaration between the same sides is the same truce being negotiated.
_NEGOTIATION_DAYS = 30
T = TypeVar("T")

# Days without a report after which an open truce is no longer known to be in force.
_STALE_DAYS = 180

# ---- a truce being assembled ---------------------------------------------------------------------


@dataclass
class Draft:
    """The reports of one truce being assembled. Reports are only ever added (``items``, ``ends`` and
    ``rejections`` grow), so what is read from them is kept until one more arrives: clustering asks each
    open truce who its sides are for every new report, and a large ledger has thousands of both."""

    items: list[Report] = field(default_factory=list)
    ends: list[Report] = field(default_factory=list)
    rejections: list[Report] = field(default_factory=list)
    _read: dict[str, tuple[tuple[int, int], Any]] = field(default_factory=dict, repr=False, compare=False)

    def _kept(self, name: str, read: Callable[[], T]) -> T:
        """``read()``, computed again only when a report was added since it was last asked."""
        version = (len(self.items), len(self.ends))
        found = self._read.get(name)
        if found is None or found[0] != version:
            found = self._read[name] = (version, read())
        return found[1]  # type: ignore[no-any-return]

    def declarations(self) -> list[Report]:
        """The reports that make or change the truce (news first); else every report of it, and for a
        truce known only from its end, the end."""
        return self._kept("declarations", self._declarations)

    def _declarations(self) -> list[Report]:
        made = [i for i in self.items if i.stage in _DECLARATIONS and not i.reference]
        news = [i for i in made if not i.event.background]
        return news or made or [i for i in self.items if not i.reference] or self.items or self.ends

    def parties(self) -> list[Entity]:
        """Who commits. A description of unnamed groups ("Iran-backed militias") gives way to the
        named group another report of the same truce gives (Kataib Hezbollah)."""
        return self._kept("parties", self._parties)

    def _parties(self) -> list[Entity]:
        found = _union(i.parties for i in self.declarations())
        named = [e for e in found if not _description(e)]
        return named or found

    def counterpart(self) -> list[Entity]:
        return self._kept("counterpart", self._counterpart)

    def _counterpart(self) -> list[Entity]:
        parties = {p.id for p in self.parties()}
        return [c for c in _union(i.counterpart for i in self.declarations()) if c.id not in parties]

    def countries(self) -> list[str]:
        return self._kept("countries", self._countries)

    def _countries(self) -> list[str]:
        out: list[str] = []
        for i in self.declarations():
            out += [c for c in i.countries if c not in out]
        return out

    def bound(self, actors: Actors) -> list[Entity]:
        """The parties its conditions bind ("the Iraqi government presents a timetable"); one ``Actors``
        is used for a whole build."""
        countries = self.countries()
        return self._kept("bound", lambda: _union([b] for i in self.items for c in i.event.conditions or []
                                                  if (b := actors.bound_by(c, countries))))

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
        return self._kept("end", self._end)

    def _end(self) -> Period | None:
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


def _compatible(draft: Draft, item: Report, actors: Actors, lenient: bool = False) -> bool:
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


def _new_conditions(draft: Draft, item: Report) -> bool:
    """The report states conditions and none of them is one of the open truce's."""
    mine = item.event.conditions or []
    theirs = draft.conditions()
    return bool(mine and theirs) and not any(same_condition(a, b) for a in mine for b in theirs)



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


def _stale(draft: Draft, item: Report) -> bool:
    """No report has spoken of the truce for half a year before this one: it is not known to be in
    force, and a report of a truce now is of a new one."""
    heard = [i.at for i in draft.items + draft.ends if i.at]
    return item.at is not None and bool(heard) and (item.at - max(heard)).days > _STALE_DAYS


def _during(draft: Draft, period: Period) -> bool:
    """Whether the truce may have been in force at some time in ``period``: begun by then, not ended
    before, and spoken of within half a year before it (a truce no one reports is not known to hold)."""
    start, end = draft.first(), draft.end()
    if (start is not None and start.first > period.last) or (end is not None and period.first > end.first):
        return False
    heard = [i.at for i in draft.items + draft.ends if i.at and i.at <= period.last]
    return not heard or (period.first - max(heard)).days <= _STALE_DAYS


def _successors(actors: Actors, drafts: list[Draft]) -> dict[int, Draft]:
    """For each truce with no declared end, the next truce between the same sides, if any."""
    out: dict[int, Draft] = {}
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


class Clustering:
    """Which reports are one truce: the drafts of :class:`trucewatch.ledger.truces._Builder`."""

    actors: Actors
    drafts: list[Draft]

    def cluster(self) -> list[Draft]:
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

    def _latest(self, drafts: list[Draft]) -> Draft:
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
        self.drafts.append(Draft(items=[item]))

    def _opens_new(self, draft: Draft, item: Report) -> bool:
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
            self.drafts.append(Draft(ends=[item]))
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
        self.drafts.append(Draft(items=[item]))
