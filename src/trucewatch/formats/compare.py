"""What an ACLED extract and the ledger each have that the other lacks.

An ACLED row and a merged event of the ledger are taken for one event when all of these hold:

* their types are compatible (:func:`trucewatch.formats.acled.ledger_types`: an air strike in ACLED
  is an attack or a strike of the ledger, an agreement a ceasefire, ...);
* their dates overlap, within ``days`` days: an ACLED row stands for its day, the week around it
  (time precision 2) or its month (3); a ledger event for its day or month;
* their countries agree when both give one, and their places agree when both give one: the same
  name (location or admin1, spelling folded) or coordinates within 50 km (150 km when ACLED knows
  only the region).

Each row and each event is matched at most once, best pairs first (a place named alike before
one that is only near, then the closer date, then the closer death toll), so two reports of two
attacks on one day are not both counted against one ACLED row.

Only what both could hold is compared. Ledger events dated by a year or not at all, and those outside
the extract's dates or countries, are counted apart; so are ACLED rows of kinds the ledger does not
record (protests, riots, arrests, looting).
"""

from __future__ import annotations

import bisect
import calendar
import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from trucewatch.formats.acled import AcledRow, date_window, ledger_types
from trucewatch.formats.lookup import Lookup, split_names
from trucewatch.merge.records import MergedEvent
from trucewatch.resolve.names import plain_key

NEAR_KM = 50.0
NEAR_REGION_KM = 150.0
_LONGEST_LEDGER_SPAN = 31  # days: a month, the coarsest ledger date compared

NO_DATE = "dated by a year or not at all"
OUTSIDE_DATES = "outside the extract's dates"
OUTSIDE_COUNTRIES = "outside the extract's countries"
OTHER_KINDS = "kinds the ledger does not record"


@dataclass(frozen=True)
class _Ledger:
    merged: MergedEvent
    lo: dt.date
    hi: dt.date
    countries: frozenset[str]
    places: frozenset[str]


@dataclass(frozen=True)
class _Reference:
    row: AcledRow
    types: frozenset[str]
    lo: dt.date
    hi: dt.date
    country: str | None
    places: frozenset[str]


@dataclass
class Comparison:
    """The outcome: pairs matched, what only one side has, and what could not be compared (by reason)."""

    set_name: str
    days: int
    span: tuple[str, str] | None
    countries: list[str]
    matched: list[tuple[MergedEvent, AcledRow]] = field(default_factory=list)
    ledger_only: list[MergedEvent] = field(default_factory=list)
    acled_only: list[AcledRow] = field(default_factory=list)
    ledger_not_compared: Counter[str] = field(default_factory=Counter)
    acled_not_compared: Counter[str] = field(default_factory=Counter)

    def counts(self) -> dict[str, int]:
        return {"matched": len(self.matched), "ledger_only": len(self.ledger_only),
                "acled_only": len(self.acled_only), "ledger_not_compared": sum(self.ledger_not_compared.values()),
                "acled_not_compared": sum(self.acled_not_compared.values())}

    def to_dict(self) -> dict[str, Any]:
        return {
            "set": self.set_name, "days": self.days, "span": list(self.span) if self.span else None,
            "countries": self.countries, "counts": self.counts(),
            "matched": [{"event_id": m.id, "event_id_cnty": r.event_id_cnty, "line": r.line} for m, r in self.matched],
            "ledger_only": [ledger_summary(m) for m in self.ledger_only],
            "acled_only": [acled_summary(r) for r in self.acled_only],
            "ledger_not_compared": dict(self.ledger_not_compared),
            "acled_not_compared": dict(self.acled_not_compared),
        }


def ledger_summary(m: MergedEvent) -> dict[str, Any]:
    e = m.event
    return {"event_id": m.id, "date": e.date, "type": e.type, "mode": e.mode, "actor": e.actor, "target": e.target,
            "location": e.location, "country": e.country, "killed": e.killed, "sources": m.sources}


def acled_summary(r: AcledRow) -> dict[str, Any]:
    return {"line": r.line, "event_id_cnty": r.event_id_cnty, "event_date": r.event_date,
            "time_precision": r.time_precision, "event_type": r.event_type, "sub_event_type": r.sub_event_type,
            "actor1": r.actor1, "actor2": r.actor2, "country": r.country, "admin1": r.admin1,
            "location": r.location, "fatalities": r.fatalities}


def compare(events: Iterable[MergedEvent], rows: list[AcledRow], lookup: Lookup, *, set_name: str,
            days: int = 1, since: str | None = None, until: str | None = None) -> Comparison:
    """Compare the merged events (mentions not needed) with the rows of an ACLED reference set.

    ``since``/``until`` (ISO dates or prefixes) narrow both sides; by default the ledger is compared
    over the extract's own span of dates (widened by ``days``) and its countries.
    """
    if days < 0:
        raise ValueError(f"days={days}: the date tolerance cannot be negative")
    bounds = _bounds(since, until)
    references, refused = _references(rows, lookup, bounds)
    span = bounds or ((min(r.lo for r in references), max(r.hi for r in references)) if references else None)
    slack = dt.timedelta(days=days)
    reach = None if span is None else (max(span[0], dt.date.min + slack) - slack,
                                       min(span[1], dt.date.max - slack) + slack)
    countries = sorted({r.country for r in references if r.country})
    ledger, skipped = _ledger(events, lookup, reach, set(countries))
    result = Comparison(set_name, days, (span[0].isoformat(), span[1].isoformat()) if span else None, countries,
                        ledger_not_compared=skipped, acled_not_compared=refused)
    pairs = _pairs(ledger, references, days)
    used_ledger: set[int] = set()
    used_rows: set[int] = set()
    for _, i, j in sorted(pairs):
        if i in used_ledger or j in used_rows:
            continue
        used_ledger.add(i)
        used_rows.add(j)
        result.matched.append((ledger[i].merged, references[j].row))
    result.matched.sort(key=lambda p: p[1].line)
    result.ledger_only = [item.merged for i, item in enumerate(ledger) if i not in used_ledger]
    result.acled_only = [ref.row for j, ref in enumerate(references) if j not in used_rows]
    return result


def _days(value: str) -> tuple[dt.date, dt.date]:
    """The first and last day an ISO date or prefix (checked before) stands for."""
    year = int(value[:4])
    if len(value) == 4:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = int(value[5:7])
    if len(value) == 7:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date.fromisoformat(value[:10])
    return day, day


def _bounds(since: str | None, until: str | None) -> tuple[dt.date, dt.date] | None:
    if since is None and until is None:
        return None
    lo = _days(since)[0] if since else dt.date.min
    hi = _days(until)[1] if until else dt.date.max
    return lo, hi


def _key(name: str) -> str:
    return plain_key(name) or name.casefold()


def _references(rows: list[AcledRow], lookup: Lookup, bounds: tuple[dt.date, dt.date] | None,
                ) -> tuple[list[_Reference], Counter[str]]:
    out: list[_Reference] = []
    refused: Counter[str] = Counter()
    for row in rows:
        types = ledger_types(row.event_type, row.sub_event_type)
        if not types:
            refused[OTHER_KINDS] += 1
            continue
        lo, hi = date_window(row.event_date, row.time_precision)
        if bounds is not None and (hi < bounds[0] or lo > bounds[1]):
            refused[OUTSIDE_DATES] += 1
            continue
        places = frozenset(_key(p) for p in (row.location, row.admin1) if p)
        out.append(_Reference(row, types, lo, hi, lookup.country_name(row.country), places))
    return out, refused


def _ledger(events: Iterable[MergedEvent], lookup: Lookup, span: tuple[dt.date, dt.date] | None,
            countries: set[str]) -> tuple[list[_Ledger], Counter[str]]:
    out: list[_Ledger] = []
    skipped: Counter[str] = Counter()
    for merged in events:
        e = merged.event
        if e.date is None or len(e.date) < 7:
            skipped[NO_DATE] += 1
            continue
        lo, hi = _days(e.date)
        if span is not None and (hi < span[0] or lo > span[1]):
            skipped[OUTSIDE_DATES] += 1
            continue
        names = {lookup.country_name(c) or c for c in split_names(e.country)}
        if countries and names and not names & countries:
            skipped[OUTSIDE_COUNTRIES] += 1
            continue
        out.append(_Ledger(merged, lo, hi, frozenset(names), frozenset(_key(p) for p in split_names(e.location))))
    out.sort(key=lambda item: item.lo)
    return out, skipped


def _pairs(ledger: list[_Ledger], references: list[_Reference], days: int) -> list[tuple[tuple[int, ...], int, int]]:
    """Every compatible (score, ledger index, reference index); a lower score is a better match."""
    starts = [item.lo for item in ledger]
    pairs: list[tuple[tuple[int, ...], int, int]] = []
    slack = dt.timedelta(days=days)
    for j, ref in enumerate(references):
        lo, hi = ref.lo - slack, ref.hi + slack
        first = bisect.bisect_left(starts, lo - dt.timedelta(days=_LONGEST_LEDGER_SPAN))
        last = bisect.bisect_right(starts, hi)
        for i in range(first, last):
            item = ledger[i]
            if item.hi < lo or item.merged.event.type not in ref.types:
                continue
            score = _score(item, ref)
            if score is not None:
                gap = max((item.lo - ref.hi).days, (ref.lo - item.hi).days, 0)
                toll = abs((item.merged.event.killed or 0) - (ref.row.fatalities or 0))
                pairs.append(((*score, gap, toll, item.merged.id), i, j))
    return pairs


def _score(item: _Ledger, ref: _Reference) -> tuple[int, int] | None:
    """(place rank, country rank), lower is better; None when country or place disagree."""
    if item.countries and ref.country:
        if ref.country not in item.countries:
            return None
        country = 0
    else:
        country = 1
    if item.places & ref.places:
        return 0, country
    e, row = item.merged.event, ref.row
    if e.lat is not None and e.lon is not None and row.latitude is not None and row.longitude is not None:
        limit = NEAR_REGION_KM if row.geo_precision == 3 else NEAR_KM
        return (1, country) if _km(e.lat, e.lon, row.latitude, row.longitude) <= limit else None
    if item.places and ref.places:
        return None
    return 2, country


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))
