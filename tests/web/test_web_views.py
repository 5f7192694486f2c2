"""The pieces under the pages: view data (timeline weeks, marked text, links, truce windows) and the
store queries behind the filters, on hand-made inputs and on the session's ledger."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from trucewatch.ledger import Truce
from trucewatch.models import Removal
from trucewatch.store import Store, queries
from trucewatch.store.filters import EventFilters
from trucewatch.store.queries import MentionSpan, PeriodCount
from trucewatch.web import views


def test_web_views_timeline_has_every_week_and_each_type_once() -> None:
    periods = [PeriodCount("2021-03-01", "attack", 2, 1, 0), PeriodCount("2021-03-22", "attack", 1, 0, 0),
               PeriodCount("2021-03-22", "strike", 4, 0, 0)]
    line = views.timeline(periods, last=dt.date(2021, 4, 7))
    assert line["periods"] == ["2021-03-01", "2021-03-08", "2021-03-15", "2021-03-22", "2021-03-29", "2021-04-05"]
    by_type = {s["type"]: s["counts"] for s in line["series"]}
    assert by_type == {"attack": [2, 0, 0, 1, 0, 0], "strike": [0, 0, 0, 4, 0, 0]}
    assert views.timeline([]) == {"periods": [], "series": []}


def test_web_views_highlight_marks_sentences_and_keeps_every_character() -> None:
    text = "Photo: AFP\nRockets hit the base. Nobody was hurt. A drone struck later."
    first, last = text.index("Rockets"), text.index("A drone")
    spans = [MentionSpan(7, 2, first, first + 21), MentionSpan(8, 4, last, len(text)),
             MentionSpan(9, 2, first, first + 21)]
    segments = views.highlight(text, spans, [Removal(0, 10, "caption", "Photo: AFP")])
    assert "".join(s.text for s in segments) == text
    assert [(s.text, s.event_id) for s in segments if s.event_id is not None] == [
        ("Rockets hit the base.", 7), ("A drone struck later.", 8)]
    assert [s.text for s in segments if s.furniture] == ["Photo: AFP"]


@pytest.mark.parametrize(("url", "safe"), [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"), ("http://x.example/", "http://x.example/"),
    ("javascript:alert(1)", None), (" JavaScript:alert(1)", None), ("data:text/html,<b>x</b>", None),
    ("//evil.example/x", None), ("/relative", None), ("", None), (None, None)])
def test_web_views_only_web_addresses_become_links(url: str | None, safe: str | None) -> None:
    assert views.safe_url(url) == safe


def _truce(**values: object) -> Truce:
    base: dict[str, object] = dict(
        id="t", parties=["Kataib Hezbollah"], counterpart=["United States"], mediators=[], countries=["Iraq"],
        places=[], conditions=[], announced="2021-03-20", agreed=None, effective=None, expires=None, ended=None,
        ended_how=None, end_evidence=[], history=[], violations=[], violator_terms=[], mentions=[], sources=[],
        as_of="2021-12-31")
    base.update(values)
    return Truce(**base)  # type: ignore[arg-type]


def test_web_views_truce_windows_and_matching() -> None:
    open_ = _truce(id="open")
    ended = _truce(id="ended", announced="2020-10", ended="2021-02-16", ended_how="broken", countries=["Syria"])
    assert views.truce_window(open_) == (dt.date(2021, 3, 20), dt.date(2021, 12, 31), True)
    assert views.truce_window(ended) == (dt.date(2020, 10, 1), dt.date(2021, 2, 16), False)
    assert [b["id"] for b in views.truce_bands([open_, ended])] == ["open", "ended"]
    assert [c["id"] for c in views.calm([open_, ended])] == ["open"]

    def ids(**f: object) -> list[str]:
        return [t.id for t in views.truces_matching([open_, ended], EventFilters(**f))]  # type: ignore[arg-type]

    assert ids(since="2021-03") == ["open"]
    assert ids(until="2020-12") == ["ended"]
    assert ids(country="syria") == ["ended"]
    assert ids(actor="kataib") == ["open", "ended"]
    assert ids(actor="Houthis") == []


@pytest.mark.parametrize(("filters", "expected"), [
    (EventFilters(country="Ira"), 0),           # a country is matched whole, not in part
    (EventFilters(place="%"), 0),               # LIKE wildcards are literal
    (EventFilters(actor="_"), 0),
    (EventFilters(since="2024", until="2024"), None),
])
def test_web_views_queries_filters_mean_what_they_say(ledger_db: Path, filters: EventFilters,
                                                      expected: int | None) -> None:
    with Store(ledger_db) as store:
        rows, total = queries.event_page(store, filters, limit=500)
        assert total == len(rows)
        if expected is not None:
            assert total == expected
        else:
            assert total and all(r.date is None or r.date.startswith("2024") for r in rows)


def test_web_views_queries_both_page_plans_agree(ledger_db: Path) -> None:
    """The page read by walking the date index and the one read by sorting the matches are the same."""
    with Store(ledger_db) as store:
        everything, total = queries.event_page(store, EventFilters(), limit=500)
        assert total is not None and total > 60
        walked = [r.id for k in range(0, total, 5) for r in queries.event_page(
            store, EventFilters(), limit=5, offset=k, count=False)[0]]
        sorted_ = [r.id for k in range(0, total, 5) for r in queries.event_page(
            store, EventFilters(), limit=5, offset=k)[0]]
    assert walked == sorted_ == [r.id for r in everything]


def test_web_views_queries_summary_adds_up(ledger_db: Path) -> None:
    with Store(ledger_db) as store:
        for unit in ("day", "week", "month"):
            totals, periods, coarse = queries.summary(store, EventFilters(), unit)  # type: ignore[arg-type]
            assert sum(p.events for p in periods) + coarse == totals.events
        with pytest.raises(ValueError, match="unit"):
            queries.summary(store, EventFilters(), "year")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="2021-02-30"):
            queries.event_page(store, EventFilters(since="2021-02-30"), limit=1)


@pytest.mark.parametrize("words", ["rock\x00ets", '"', "*", "AND OR NOT", "-", "Ø"])
def test_web_views_queries_any_words_are_searchable(ledger_db: Path, words: str) -> None:
    """Words are words, never FTS syntax: a NUL, quotes and operators give an answer, not an error."""
    with Store(ledger_db) as store:
        rows, total = queries.event_page(store, EventFilters(text=words), limit=5)
    assert total is not None and total >= len(rows)
