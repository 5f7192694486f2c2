"""Uses of force as occurrences: the reports of one attack grouped, so it is one violation, not three.

An attack is reported the day after (news), again the next day (background, "Monday's rocket
attack"), and again months later ("last month's rocket attack in Erbil"). A truce must count it
once and link every report. Reports are grouped when their dates may be the same day, their places
are the same or one inside the other (or, for rockets on one day, within range of each other: one
report names the launch site, another the base hit), and nothing they state disagrees (mode,
perpetrator, type when both name a perpetrator). A report with neither a day-precise date nor a place never founds a
grouping of its own with another one: too little to tell two attacks apart.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from trucewatch.ledger.periods import Period
from trucewatch.ledger.records import Ref
from trucewatch.ledger.sides import Actors, split_names
from trucewatch.models import Document, Entity, Event

FORCE = ("attack", "strike")
_SAME_MODE = ({"airstrike", "raid"},)
# Weapons fired from one place at another; places named for one attack lie within their range
# (launch sites and gazetteer coordinates are both approximate, hence the margin).
_INDIRECT_FIRE = frozenset({"rocket", "mortar", "unknown"})
_ROCKET_RANGE_KM = 100.0


def ref(event: Event) -> Ref:
    return Ref(event.doc_id, event.sentence, event.type, event.date, event.evidence)


@dataclass
class Incident:
    """One use of force and every report of it; fields come from the first report that gives them."""

    reports: list[tuple[Document, Event]] = field(default_factory=list)
    period: Period | None = None
    type: str = "attack"
    mode: str | None = None
    actors: list[Entity] = field(default_factory=list)
    targets: list[Entity] = field(default_factory=list)
    location: str | None = None
    coordinates: tuple[float, float] | None = None
    countries: list[str] = field(default_factory=list)
    killed: int | None = None
    injured: int | None = None

    @property
    def date(self) -> str | None:
        return self.period.value if self.period else None

    def refs(self) -> list[Ref]:
        return [ref(e) for _, e in self.reports]

    def add(self, doc: Document, event: Event, actors: Actors) -> None:
        """Take a report in: the first gives the fields, later ones fill what is missing and sharpen
        the date (a day inside the month known so far)."""
        first = not self.reports
        self.reports.append((doc, event))
        period = Period.parse(event.date)
        if period is not None and (self.period is None or (
                len(period.value) > len(self.period.value) and self.period.contains(period.first))):
            self.period = period
        if first or (not self.actors and event.actor):
            self.type = event.type
        if self.mode in (None, "unknown") and event.mode:
            self.mode = event.mode
        own = actors.entities(event.actor)
        for e in own:
            if all(e.id != a.id for a in self.actors):
                self.actors.append(e)
        for e in actors.entities(event.target):
            # A report that makes the perpetrator its own target has misread the sentence.
            if all(e.id != t.id for t in self.targets) and all(e.id != a.id for a in own):
                self.targets.append(e)
        self.location = self.location or event.location
        if self.coordinates is None and event.lat is not None and event.lon is not None:
            self.coordinates = (event.lat, event.lon)
        for c in split_names(event.country):
            if c not in self.countries:
                self.countries.append(c)
        if self.killed is None:
            self.killed = event.killed
        if self.injured is None:
            self.injured = event.injured

    def accepts(self, event: Event, actors: Actors) -> bool:
        """Whether a report can be of this occurrence: nothing disagrees, and date and place (or a
        day-precise date and a matching mode or perpetrator) agree."""
        period = Period.parse(event.date)
        if period is None or self.period is None:
            return False
        if not (self.period.contains(period.first) and self.period.contains(period.last)) and not (
                period.contains(self.period.first) and period.contains(self.period.last)):
            return False
        if not _modes_agree(self.mode, event.mode):
            return False
        own = actors.entities(event.actor)
        if own and self.actors and not actors.any_same_side(own, self.actors):
            return False
        if own and self.actors and event.type != self.type:
            return False
        same_day = self.period.precise and period.precise
        if self.location and event.location:
            if _places_agree(self.location, event.location):
                return True
            # Rockets are reported where they were fired from or where they fell ("from Zummar at the
            # Rumaylan base"): the same day, unclaimed or by one side, within rocket range, one attack.
            return same_day and _in_range(self, event)
        known_mode = bool(event.mode and event.mode != "unknown" and event.mode == self.mode)
        return same_day and (known_mode or bool(own and self.actors))


def _in_range(inc: Incident, event: Event) -> bool:
    if inc.coordinates is None or event.lat is None or event.lon is None:
        return False
    if {inc.mode or "unknown", event.mode or "unknown"} - _INDIRECT_FIRE:
        return False
    return _km(inc.coordinates, (event.lat, event.lon)) <= _ROCKET_RANGE_KM


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def _modes_agree(a: str | None, b: str | None) -> bool:
    if not a or not b or "unknown" in (a, b) or a == b:
        return True
    return {a, b} in _SAME_MODE


def _places_agree(a: str, b: str) -> bool:
    """Same place or one named inside the other ("Erbil" and "Erbil International Airport")."""
    la, lb = a.lower(), b.lower()
    return la in lb or lb in la


def incidents(documents: Iterable[Document], actors: Actors,
              merged: Mapping[tuple[str, int, int], int] | None = None) -> list[Incident]:
    """Every use of force of the documents, grouped into occurrences, oldest first.

    ``merged`` gives the merged event of a report's event by (document, sentence, start), when
    cross-report merging has run (a ledger in a store): reports of one merged event are always one
    occurrence, and the rules here only join what merging left apart. Day-precise news reports
    are placed first so that they found the groupings and vaguer background mentions join them.
    """
    reports = [(d, e) for d in documents for e in d.events if e.type in FORCE]

    def order(item: tuple[Document, Event]) -> tuple[int, bool, str, str, int]:
        doc, e = item
        p = Period.parse(e.date)
        return (-len(p.value) if p else 0, e.background, doc.published or "9999", doc.id, e.sentence)

    out: list[Incident] = []
    dated = _ByDate()
    by_merged: dict[int, int] = {}
    for doc, event in sorted(reports, key=order):
        key = merged.get((doc.id, event.sentence, event.start)) if merged else None
        home = by_merged.get(key) if key is not None else None
        if home is None:
            home = next((k for k in dated.nesting(Period.parse(event.date)) if out[k].accepts(event, actors)), None)
        if home is None:
            home = len(out)
            out.append(Incident())
        out[home].add(doc, event, actors)
        dated.put(home, out[home].period)
        if key is not None:
            by_merged.setdefault(key, home)
    return sorted(out, key=lambda i: (i.period.first if i.period else dt.date.max, i.date or ""))


class _ByDate:
    """Occurrences (by their number, in the order they were founded) under the ISO prefixes of their dates.

    An occurrence accepts a report only when one of their dates lies inside the other, and for ISO dates
    that means one is a prefix of the other ("2021-03" and "2021-03-16"): so a report is checked only
    against those, the first founded first, and grouping a large ledger costs what each day holds, not
    every earlier attack for every attack.
    """

    def __init__(self) -> None:
        self._exact: dict[str, set[int]] = defaultdict(set)  # date -> occurrences of exactly that date
        self._under: dict[str, set[int]] = defaultdict(set)  # prefix -> occurrences whose date starts so
        self._dates: dict[int, str] = {}

    def put(self, k: int, period: Period | None) -> None:
        """File occurrence ``k`` under its (possibly sharpened) date."""
        value = period.value if period is not None else None
        old = self._dates.get(k)
        if value == old:
            return
        if old is not None:
            self._exact[old].discard(k)
            for prefix in _prefixes(old):
                self._under[prefix].discard(k)
        if value is not None:
            self._dates[k] = value
            self._exact[value].add(k)
            for prefix in _prefixes(value):
                self._under[prefix].add(k)

    def nesting(self, period: Period | None) -> list[int]:
        """The occurrences whose date holds ``period`` or lies inside it, first founded first."""
        if period is None:
            return []
        found = set(self._under.get(period.value, ()))
        for prefix in _prefixes(period.value):
            found |= self._exact.get(prefix, set())
        return sorted(found)


def _prefixes(value: str) -> list[str]:
    """The year, month and day an ISO date names: "2021-03-16" -> "2021", "2021-03", "2021-03-16"."""
    return [value[:n] for n in (4, 7, 10) if len(value) >= n]
