"""Read-only queries the web API, the dashboard and the HTML report need, beyond ``Store``'s own.

Why a module of its own: the web layer must not speak SQL (the store package is the only code that
does), and these queries serve views rather than the pipeline: pages of merged events with their
total, counts per day/week/month for the timeline, points for the map, pages of documents, and the
stretches of text each mention of an event was read from. They take an open ``Store`` and only read.

The event filters (:mod:`~trucewatch.store.filters`) mean what the ``events`` command's mean (type,
actor, since, until, text, contested), plus place, country and news/background, which a dashboard
needs. Their SQL and these queries are written for speed on large ledgers (a web page must answer in
well under a second over 100,000 events):

* a page of events walks the date index newest first and stops after ``limit`` matches, so the type
  is compared row by row (``+m.type``) rather than through the type index, which would sort every
  event of that type first;
* a date bound adds a condition on the year that the date index can use, beside the exact overlap test;
* part-of-name filters use SQLite's ``LIKE`` (case-insensitive in C) when the words are ASCII, and
  Python case folding only for other scripts;
* the counts of a view (by type, period, casualties, first and last date) come from one scan.

Rows come back as small frozen dataclasses, never the database's rows, so callers cannot reach the
connection through them. On PostgreSQL the same SQL runs with the dialect's spellings
(:class:`~trucewatch.store.connection.Dialect`: ILIKE, no index hints, NULLs last, week starts).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from trucewatch.models import Removal
from trucewatch.store.connection import Row
from trucewatch.store.db import Store
from trucewatch.store.filters import EventFilters

Unit = Literal["day", "week", "month"]
UNITS: tuple[str, ...] = ("day", "week", "month")


def _week(day: str) -> str | None:
    """The Monday of the week of ``day`` (at least ``YYYY-MM-DD``), None when it is not a date."""
    try:
        date = dt.date.fromisoformat(day[:10])
    except ValueError:
        return None
    return (date - dt.timedelta(days=date.weekday())).isoformat()


# The period of an event's date for each unit, None for a date too coarse for it ("2021-03" has a
# month but no week). A week is named by its Monday.
_FOLD: dict[str, Callable[[str], str | None]] = {
    "day": lambda day: day if len(day) >= 10 else None,
    "week": lambda day: _week(day) if len(day) >= 10 else None,
    "month": lambda day: day[:7] if len(day) >= 7 else None,
}


@dataclass(frozen=True)
class EventRow:
    """One merged event as a list shows it (no mentions, claims or provenance)."""

    id: int
    type: str
    mode: str | None
    actor: str | None
    target: str | None
    location: str | None
    country: str | None
    date: str | None
    killed: int | None
    injured: int | None
    background: bool
    evidence: str
    lat: float | None
    lon: float | None
    reports: int
    sources: int
    contested: bool


@dataclass(frozen=True)
class PeriodCount:
    """Events of one type in one period (a day ``YYYY-MM-DD``, a week by its Monday, a month ``YYYY-MM``)."""

    period: str
    type: str
    events: int
    killed: int
    injured: int


@dataclass(frozen=True)
class Totals:
    """Headline figures of the events a filter keeps."""

    events: int
    by_type: dict[str, int]
    killed: int
    injured: int
    contested: int
    background: int
    first: str | None
    last: str | None
    documents: int


@dataclass(frozen=True)
class MapPoint:
    """The events of one type at one spot (coordinates rounded to 0.01°), or in one country when
    ``lat``/``lon`` are None (events placed no closer than their country)."""

    lat: float | None
    lon: float | None
    location: str | None
    country: str | None
    type: str
    events: int
    killed: int
    injured: int


@dataclass(frozen=True)
class DocumentRow:
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    events: int


@dataclass(frozen=True)
class MentionSpan:
    """A stretch of a report's text that tells an event: one of the sentences of one mention."""

    event_id: int
    sentence: int
    start: int
    end: int


@dataclass(frozen=True)
class ReportText:
    """A report behind an event, whole, with the sentences its mentions of the event were read from."""

    doc_id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    text: str
    removed: list[Removal]
    spans: list[MentionSpan]


def _conn(store: Store) -> Any:
    """The store's connection: this module is part of the store package, the one place SQL lives."""
    return store._conn


_ROW_COLUMNS = ("m.id, m.type, m.mode, m.actor, m.target, m.location, m.country, m.date, m.killed, m.injured, "
                "m.background, m.evidence, m.lat, m.lon, m.reports, m.sources, m.contested")
# Newest first, undated last, as ``Store.merged_events``.
_ORDER = "m.date {desc}, m.sources DESC, m.id"


def _row(r: Row) -> EventRow:
    return EventRow(r["id"], r["type"], r["mode"], r["actor"], r["target"], r["location"], r["country"], r["date"],
                    r["killed"], r["injured"], bool(r["background"]), r["evidence"], r["lat"], r["lon"],
                    r["reports"], r["sources"], bool(r["contested"]))


def event_page(store: Store, filters: EventFilters, *, limit: int, offset: int = 0,
               count: bool = True) -> tuple[list[EventRow], int | None]:
    """One page of the merged events ``filters`` keeps, newest first, and how many it keeps in all
    (None when ``count`` is False: the count costs a scan of the ledger).

    Two ways to read a page: walk the date index newest first until the page is full (fast when
    matches are common), or scan the table and sort the matches (fast when they are rare or the page
    is deep). The count, made first, tells which; without it the index is walked."""
    conn, dialect = _conn(store), store.dialect
    total = None
    if count:
        where, params = filters.where(by_date=True, dialect=dialect)
        total = conn.execute(f"SELECT count(*) FROM merged_events m WHERE {where}", params).fetchone()[0]
        if offset >= total:
            return [], total
    walk = total is None or (offset + limit) * 8 < total
    where, params = filters.where(by_date=walk, dialect=dialect)
    rows = conn.execute(
        f"SELECT {_ROW_COLUMNS} FROM merged_events m {'' if walk else dialect.not_indexed} WHERE {where} "
        f"ORDER BY {_ORDER.format(desc=dialect.desc_nulls_last)} LIMIT ? OFFSET ?", (*params, limit, offset)).fetchall()
    return [_row(r) for r in rows], total


def summary(store: Store, filters: EventFilters, unit: Unit = "week") -> tuple[Totals, list[PeriodCount], int]:
    """The figures of the events ``filters`` keeps, in one scan: headline totals, the events of each
    type per period (oldest first), and how many kept events have a date too coarse for ``unit`` (or
    none), which no period counts."""
    if unit not in _FOLD:
        raise ValueError(f"unit={unit!r}: expected one of {', '.join(UNITS)}")
    where, params = filters.where(by_date=True, dialect=store.dialect)
    conn = _conn(store)
    # Counted per day and type, in the order of the view index (merged_events_view) that covers
    # every column read here, then folded into periods below: grouping on a computed period would
    # sort the whole ledger again.
    days = conn.execute(
        f"""SELECT m.date AS day, m.type, count(*) AS n,
                   coalesce(sum(m.killed), 0) AS k, coalesce(sum(m.injured), 0) AS i, sum(m.contested) AS c,
                   sum(m.background) AS b
            FROM merged_events m WHERE {where} GROUP BY m.date, m.type""", params).fetchall()
    fold = _FOLD[unit]
    periods_of: dict[str, str | None] = {}  # each date's period, folded once
    counts: dict[tuple[str, str], list[int]] = {}
    by_type: dict[str, int] = {}
    killed = injured = contested = background = coarse = 0
    first: str | None = None
    last: str | None = None
    for day, type_, n, k, i, c, b in days:
        by_type[type_] = by_type.get(type_, 0) + n
        killed += k
        injured += i
        contested += c or 0
        background += b or 0
        period = None
        if day:
            if first is None or day < first:
                first = day
            if last is None or day > last:
                last = day
            period = periods_of.get(day, "")
            if period == "":
                period = periods_of[day] = fold(day)
        if period is None:
            coarse += n
            continue
        found = counts.get((period, type_))
        if found is None:
            counts[period, type_] = [n, k, i]
        else:
            found[0] += n
            found[1] += k
            found[2] += i
    totals = Totals(
        events=sum(by_type.values()), by_type=dict(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0]))),
        killed=killed, injured=injured, contested=contested, background=background, first=first, last=last,
        documents=conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    periods = [PeriodCount(period, type_, n, k, i) for (period, type_), (n, k, i) in sorted(counts.items())]
    return totals, periods, coarse


def map_points(store: Store, filters: EventFilters) -> list[MapPoint]:
    """The kept events grouped by spot (coordinates to 0.01°) and type, then those placed only by
    country, grouped by country and type, most events first: what a map draws without sending every
    event. One scan, grouped on the stored coordinates; spots are rounded and joined here."""
    where, params = filters.where(by_date=True, dialect=store.dialect)
    rows = _conn(store).execute(
        f"""SELECT m.lat, m.lon, min(m.location) AS place, min(m.country) AS country,
                   CASE WHEN m.lat IS NULL OR m.lon IS NULL THEN m.country END AS alone,
                   m.type, count(*) AS n, coalesce(sum(m.killed), 0) AS k, coalesce(sum(m.injured), 0) AS i
            FROM merged_events m WHERE {where} AND ((m.lat IS NOT NULL AND m.lon IS NOT NULL) OR m.country IS NOT NULL)
            GROUP BY m.lat, m.lon, alone, m.type""", params).fetchall()
    groups: dict[tuple[Any, ...], list[Any]] = {}
    for r in rows:
        if r["alone"] is None:
            key: tuple[Any, ...] = (round(r["lat"], 2), round(r["lon"], 2), None, r["type"])
            first = [r["place"], r["country"]]
        else:
            key, first = (None, None, r["alone"], r["type"]), [None, r["alone"]]
        found = groups.get(key)
        if found is None:
            groups[key] = [*first, r["n"], r["k"], r["i"]]
        else:
            found[0] = min(filter(None, (found[0], r["place"])), default=None)
            found[2:] = [found[2] + r["n"], found[3] + r["k"], found[4] + r["i"]]
    points = [MapPoint(lat, lon, place, country, type_, n, k, i)
              for (lat, lon, _, type_), (place, country, n, k, i) in groups.items()]
    points.sort(key=lambda p: (p.lat is None, -p.events, p.lat or 0, p.lon or 0, p.country or "", p.type))
    return points


def document_page(store: Store, *, limit: int, offset: int = 0) -> tuple[list[DocumentRow], int]:
    """One page of the stored reports, newest publication first (undated last), with their number
    of events, and the number of reports in all."""
    conn = _conn(store)
    rows = conn.execute(
        f"""SELECT d.id, d.title, d.outlet, d.published, d.url,
                  (SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS n
           FROM documents d ORDER BY d.published {store.dialect.desc_nulls_last}, d.id LIMIT ? OFFSET ?""",
        (limit, offset)).fetchall()
    total = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    return [DocumentRow(r["id"], r["title"], r["outlet"], r["published"], r["url"], r["n"]) for r in rows], total


def report_texts(store: Store, merged_id: int) -> list[ReportText]:
    """Every report that tells merged event ``merged_id``, oldest first, with the sentences each of
    its mentions was read from (the mention's own sentence and the others it names)."""
    conn = _conn(store)
    mentions = conn.execute(
        """SELECT e.id, e.doc_id, e.sentence, e.mentions FROM merged_mentions mm JOIN events e ON e.id = mm.event_id
           WHERE mm.merged_id = ? ORDER BY e.doc_id, e.id""", (merged_id,)).fetchall()
    wanted: dict[str, list[tuple[int, int]]] = {}
    for m in mentions:
        sentences = {m["sentence"], *json.loads(m["mentions"] or "[]")}
        wanted.setdefault(m["doc_id"], []).extend((m["id"], s) for s in sorted(sentences) if s >= 0)
    out: list[ReportText] = []
    for doc_id, pairs in wanted.items():
        d = conn.execute("SELECT id, title, outlet, published, url, text, removed FROM documents WHERE id = ?",
                         (doc_id,)).fetchone()
        if d is None:
            continue
        bounds = {r["idx"]: (r["start"], r["end"]) for r in conn.execute(
            'SELECT idx, "start", "end" FROM sentences WHERE doc_id = ?', (doc_id,))}
        spans = [MentionSpan(event_id, s, *bounds[s]) for event_id, s in pairs if s in bounds]
        out.append(ReportText(d["id"], d["title"], d["outlet"], d["published"], d["url"], d["text"],
                              [Removal(**r) for r in json.loads(d["removed"])], spans))
    out.sort(key=lambda r: (r.published is None, r.published or "", r.doc_id))
    return out
