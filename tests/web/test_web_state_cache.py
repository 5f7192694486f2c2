"""What the server keeps between requests so that a large ledger answers quickly: the total of a view
(its next pages are read without counting the ledger again) and the overview's figures, counted
before the server answers its first request."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from trucewatch.models import Document, Event, Sentence
from trucewatch.store import Store, queries
from trucewatch.store.filters import EventFilters
from trucewatch.web import create_app
from trucewatch.web.state import Ledger


@pytest.fixture
def copy(ledger_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "ledger.db"
    shutil.copy(ledger_db, db)
    return db


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each call of the query layer's event_page counted the matches."""
    calls: list[bool] = []
    real = queries.event_page

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs.get("count", True))
        return real(*args, **kwargs)

    monkeypatch.setattr(queries, "event_page", spy)
    return calls


def test_web_state_next_pages_are_not_counted_again(copy: Path, counted: list[bool]) -> None:
    led = Ledger(copy)
    with Store(copy) as store:
        expected = [queries.event_page(store, EventFilters(), limit=2, offset=k) for k in (0, 2, 4)]
    counted.clear()
    pages = [led.event_page(EventFilters(), limit=2, offset=k) for k in (0, 2, 4)]
    assert pages == expected and pages[0][1] > 48, "the same rows and totals as the query layer's"
    assert counted == [True, False, False], "the view is counted once"
    total = pages[0][1]
    assert led.event_page(EventFilters(), limit=2, offset=total) == ([], total)
    assert counted == [True, False, False], "a page past the end needs no query"
    strikes = led.event_page(EventFilters(type="strike"), limit=50)
    assert counted[-1] is True and strikes[1] < total, "another filter is another view"
    led.close()


def test_web_state_total_follows_a_write(copy: Path, counted: list[bool]) -> None:
    led = Ledger(copy)
    before = led.event_page(EventFilters(), limit=1)[1]
    with Store(copy) as store:  # one more report, made a merged event of its own as the merger would
        text = "Rockets struck the airport on Monday."
        store.save_document(Document(id="cache-1", text=text, published="2024-06-03",
                                     sentences=[Sentence(0, 0, len(text), text)],
                                     events=[Event(type="attack", date="2024-06-03", evidence=text, sentence=0,
                                                   start=0, end=len(text), trigger="struck")]))
        (event_id, event), = store.event_rows("cache-1")
        merged = store.create_merged(event.type)
        store.add_mention(event_id, merged, "cache-1", lead=True, score=None, evidence_key=None)
        store.update_merged(merged, event, {}, profile="{}", names=[], reports=1, sources=1, changed_sources={},
                            contradictions=[], date_range=("2024-06-03", "2024-06-03"))
    counted.clear()
    assert led.event_page(EventFilters(), limit=1)[1] == before + 1
    assert counted == [True], "a changed database is counted again"
    led.close()


def test_web_state_overview_figures_counted_before_the_first_request(copy: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    app = create_app(copy)
    with TestClient(app) as client:  # start-up (lifespan) done: the server would answer now
        monkeypatch.setattr(queries, "summary", lambda *_, **__: pytest.fail("the overview counted on request"))
        page = client.get("/")
        assert page.status_code == 200 and 'data-state="pending"' not in page.text
        totals = client.get("/api/events", params={"limit": 1}).json()["total"]
        assert f">{totals:,}<" in page.text or f">{totals}<" in page.text
