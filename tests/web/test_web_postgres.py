"""The web app over either store: a ledger on PostgreSQL is served like a SQLite file (same pages, same
API answers), and what the server keeps between requests follows writes made by other connections on
both stores (the store's count of writes, never a file's modification time)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from trucewatch.errors import StoreError
from trucewatch.models import Document, Event, Sentence
from trucewatch.pipeline import ingest
from trucewatch.store import Store
from trucewatch.store.filters import EventFilters
from trucewatch.web import create_app
from trucewatch.web.state import Ledger

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "tests" / "resources" / "web"
Server = Any  # conftest.Server: a running server with its ``url``


def get(server: Server, path: str, **params: Any) -> httpx.Response:
    response = httpx.get(server.url + path, params=params, timeout=60)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return response


@pytest.fixture(scope="module")
def pg_ledger(pg_cluster: Any) -> str:
    """The web tests' ledger (examples + the hostile report) ingested into a PostgreSQL database."""
    url: str = pg_cluster.create_database("web_ledger", ledger=True)
    with Store(url) as store:
        stats = ingest([ROOT / "examples", RESOURCES / "hostile.jsonl"], store)
    assert stats.failed == 0, stats.rejections
    return url


@pytest.fixture
def pg_server(pg_ledger: str, serve: Callable[[Any], Server]) -> Server:
    """``trucewatch serve --db postgresql://...`` on that ledger, once its truce records are read."""
    running = serve(create_app(pg_ledger))
    running.app.state.ledger.truces(timeout=None)
    return running


def test_web_postgres_serves_pages_and_api(pg_server: Server, server: Server) -> None:
    """Every page loads, and the API answers as it does over the same reports in a SQLite file."""
    for path in ["/", "/events", "/truces", "/map", "/entities", "/documents"]:
        page = get(pg_server, path)
        assert page.headers["content-type"].startswith("text/html") and "<html" in page.text.lower(), path
    for path, params in [("/api/stats", {"unit": "week"}), ("/api/stats", {"unit": "month", "type": "attack"}),
                         ("/api/stats", {"unit": "day"}), ("/api/map", {}), ("/api/truces", {})]:
        assert get(pg_server, path, **params).json() == get(server, path, **params).json(), (path, params)
    pg_events = get(pg_server, "/api/events", limit=500).json()
    lite_events = get(server, "/api/events", limit=500).json()
    assert pg_events["total"] == lite_events["total"] > 10

    def strip(items: list[dict[str, Any]]) -> list[dict[str, Any]]:  # ids are each database's own
        return sorted(({k: v for k, v in e.items() if k != "id"} for e in items), key=repr)

    assert strip(pg_events["items"]) == strip(lite_events["items"])
    strikes = get(pg_server, "/api/events", type="strike", since="2021").json()
    assert strikes["total"] == get(server, "/api/events", type="strike", since="2021").json()["total"] > 0
    assert all(e["type"] == "strike" for e in strikes["items"])

    first = pg_events["items"][0]
    detail = get(pg_server, f"/api/events/{first['id']}").json()
    assert detail["id"] == first["id"] and detail["mentions"], "an event comes with its mentions"
    assert get(pg_server, f"/events/{first['id']}").headers["content-type"].startswith("text/html")
    truces = get(pg_server, "/api/truces").json()
    assert truces, "the examples hold truces"
    assert get(pg_server, f"/api/truces/{truces[0]['id']}").json()["id"] == truces[0]["id"]
    get(pg_server, f"/truces/{truces[0]['id']}")


def test_web_postgres_missing_ledger_is_refused(pg_url: str) -> None:
    """A server database with no ledger in it is named, not served empty (nor made a ledger)."""
    with pytest.raises(StoreError, match="no such database"):
        Ledger(pg_url)


def _add_event(store: Store, doc_id: str) -> None:
    """One more report, made a merged event of its own as the merger would."""
    text = "Rockets struck the airport on Monday."
    store.save_document(Document(id=doc_id, text=text, published="2024-06-03",
                                 sentences=[Sentence(0, 0, len(text), text)],
                                 events=[Event(type="attack", date="2024-06-03", evidence=text, sentence=0,
                                               start=0, end=len(text), trigger="struck")]))
    with store.transaction("merge the test report"):
        (event_id, event), = store.event_rows(doc_id)
        merged = store.create_merged(event.type)
        store.add_mention(event_id, merged, doc_id, lead=True, score=None, evidence_key=None)
        store.update_merged(merged, event, {}, profile="{}", names=[], reports=1, sources=1, changed_sources={},
                            contradictions=[], date_range=("2024-06-03", "2024-06-03"))


def test_web_postgres_kept_results_follow_writes(ledger_target: str,
                                                 serve: Callable[[Any], Server]) -> None:
    """On both stores: the server's kept counts, figures and map change when another connection
    writes (the count of writes moves on each commit), and not otherwise."""
    with Store(ledger_target) as store:
        _add_event(store, "web-1")
    led = Ledger(ledger_target)
    before = led.fingerprint()
    assert led.fingerprint() == before, "reading does not move it"
    assert led.event_page(EventFilters(), limit=1)[1] == 1
    assert led.summary(EventFilters(), "week")[0].events == 1
    running = serve(create_app(ledger_target, warm=False))
    assert get(running, "/api/events").json()["total"] == 1
    with Store(ledger_target) as store:  # another connection, as another process would
        _add_event(store, "web-2")
    assert led.fingerprint() != before
    assert led.event_page(EventFilters(), limit=1)[1] == 2
    assert led.summary(EventFilters(), "week")[0].events == 2
    assert get(running, "/api/events").json()["total"] == 2
    assert get(running, "/api/stats").json()["totals"]["events"] == 2
    led.close()
