"""The figures of a view (``queries.summary``), counted per day in SQL and folded into weeks and
months in Python, are what grouping on the period in SQL gives, on both stores: dates of every
precision, weeks across a year's end, undated events, casualties."""

from __future__ import annotations

from typing import Any

import pytest

from trucewatch.models import Document, Event, Sentence
from trucewatch.store import Store, queries
from trucewatch.store.filters import EventFilters
from trucewatch.store.queries import UNITS, PeriodCount

# (date, type, killed, injured); None: no date.
EVENTS: list[tuple[str | None, str, int | None, int | None]] = [
    ("2023-12-31", "attack", 2, None), ("2024-01-01", "attack", 1, 3), ("2024-01-01", "strike", None, None),
    ("2024-01-07", "strike", 4, 1), ("2024-01-08", "attack", None, 2), ("2024-02-29", "attack", 1, 1),
    ("2024-02", "strike", 5, None), ("2024", "attack", 1, None), (None, "attack", None, None),
    ("2024-03-03", "strike", None, None), ("2024-03-04", "strike", 7, 0),
]
# The query summary() used before it counted per day: one group per period and type.
_PERIOD_SQL = {"day": ("m.date", 10), "week": (None, 10), "month": ("substr(m.date, 1, 7)", 7)}


def _fill(store: Store) -> None:
    for n, (date, type_, killed, injured) in enumerate(EVENTS):
        doc_id = f"summary-{n}"
        text = f"Report {n}: rockets struck the airport."
        store.save_document(Document(id=doc_id, text=text, published="2024-06-03",
                                     sentences=[Sentence(0, 0, len(text), text)],
                                     events=[Event(type=type_, date=date, evidence=text, sentence=0, start=0,
                                                   end=len(text), trigger="struck", killed=killed,
                                                   injured=injured)]))
        with store.transaction("merge the test report"):
            (event_id, event), = store.event_rows(doc_id)
            merged = store.create_merged(event.type)
            store.add_mention(event_id, merged, doc_id, lead=True, score=None, evidence_key=None)
            store.update_merged(merged, event, {}, profile="{}", names=[], reports=1, sources=1,
                                changed_sources={}, contradictions=[], date_range=(date, date))


def _by_period_in_sql(store: Store, filters: EventFilters, unit: str) -> tuple[list[PeriodCount], int, Any]:
    expr, length = _PERIOD_SQL[unit]
    expr = expr or store.dialect.week
    where, params = filters.where(by_date=True, dialect=store.dialect)
    rows = store._conn.execute(
        f"""SELECT CASE WHEN length(m.date) >= {length} THEN {expr} END AS period, m.type, count(*) AS n,
                   coalesce(sum(m.killed), 0) AS k, coalesce(sum(m.injured), 0) AS i, min(m.date) AS lo,
                   max(m.date) AS hi
            FROM merged_events m WHERE {where} GROUP BY period, m.type ORDER BY period, m.type""", params).fetchall()
    periods = [PeriodCount(r["period"], r["type"], r["n"], r["k"], r["i"]) for r in rows if r["period"]]
    lows = [r["lo"] for r in rows if r["lo"]]
    highs = [r["hi"] for r in rows if r["hi"]]
    return periods, sum(r["n"] for r in rows if not r["period"]), (min(lows), max(highs))


@pytest.mark.parametrize("unit", UNITS)
@pytest.mark.parametrize("filters", [EventFilters(), EventFilters(type="strike"), EventFilters(since="2024-01")])
def test_store_queries_summary_folds_days_as_sql_groups_periods(ledger_target: str, unit: str,
                                                               filters: EventFilters) -> None:
    with Store(ledger_target) as store:
        _fill(store)
        totals, periods, coarse = queries.summary(store, filters, unit)  # type: ignore[arg-type]
        expected, expected_coarse, (first, last) = _by_period_in_sql(store, filters, unit)
    assert periods == expected
    assert coarse == expected_coarse
    assert (totals.first, totals.last) == (first, last)
    assert totals.events == sum(p.events for p in periods) + coarse


def test_store_queries_summary_weeks_start_on_monday(tmp_path: Any) -> None:
    with Store(tmp_path / "ledger.db") as store:
        _fill(store)
        _, periods, coarse = queries.summary(store, EventFilters(), "week")
    weeks = {(p.period, p.type): p.events for p in periods}
    assert weeks[("2023-12-25", "attack")] == 1, "Sunday 31 December 2023 is in the week of Monday 25th"
    assert weeks[("2024-01-01", "strike")] == 2, "1 and 7 January 2024: Monday to Sunday"
    assert weeks[("2024-02-26", "attack")] == 1 and ("2024-03-04", "strike") in weeks
    assert coarse == 3, "2024-02, 2024 and no date have no week"
