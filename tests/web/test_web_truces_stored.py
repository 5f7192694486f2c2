"""The truce records the server shows are those the ingest stored in the database (read back, not
rebuilt from every report on each start, which takes minutes on a large ledger); only stale records
or another date (``as_of``) are built."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest

from trucewatch import export
from trucewatch.ledger import build_truces
from trucewatch.ledger.stored import stored_truces, truce_from_dict, truce_records
from trucewatch.store import Store
from trucewatch.web import create_app
from trucewatch.web.report import render_report


@pytest.fixture
def marked(ledger_db: Path, tmp_path: Path) -> Path:
    """A copy of the web ledger whose stored truce records carry ids no build would give them
    ("stored-" + id): what the server shows tells whether it read them or built its own."""
    db = tmp_path / "ledger.db"
    shutil.copy(ledger_db, db)
    with Store(db) as store:
        built = build_truces(store)
        store.replace_truces([{**t.to_dict(), "id": f"stored-{t.id}"} for t in built])
    return db


def test_web_truces_stored_records_read_back_whole(ledger_db: Path) -> None:
    with Store(ledger_db) as store:
        built = build_truces(store)
        stored = stored_truces(store)
    assert built and any(t.violations for t in built) and any(t.conditions for t in built)
    assert stored == built, "the records the ingest stored are the records a build makes"
    for truce in built:
        again = truce_from_dict(truce.to_dict())
        assert again == truce and again.to_dict() == truce.to_dict()
        assert all(dataclasses.is_dataclass(v) for v in again.violations + again.history)


def test_web_truces_served_from_the_database(marked: Path, serve: Any) -> None:
    app = create_app(marked, warm=False)
    server = serve(app)
    listed = httpx.get(server.url + "/api/truces", timeout=60).json()
    assert listed and all(t["id"].startswith("stored-") for t in listed)
    one = httpx.get(f"{server.url}/api/truces/{listed[0]['id']}", timeout=60)
    assert one.status_code == 200 and one.json()["id"] == listed[0]["id"]
    windows = httpx.get(server.url + "/api/truces/windows", timeout=60).json()
    assert windows["bands"] and all(b["id"].startswith("stored-") for b in windows["bands"])
    page = httpx.get(server.url + "/truces", timeout=60).text
    assert listed[0]["id"] in page
    overview = httpx.get(server.url + "/", timeout=60).text
    assert 'data-state="pending"' not in overview, "stored records: the overview has them at once"
    assert app.state.ledger._builds == {}, "no build was started"


def test_web_truces_stale_or_dated_records_are_built(marked: Path, serve: Any) -> None:
    server = serve(create_app(marked, warm=False))
    dated = httpx.get(server.url + "/api/truces", params={"as_of": "2024-12-31"}, timeout=120).json()
    assert dated and not any(t["id"].startswith("stored-") for t in dated), "another date: built"
    with sqlite3.connect(marked) as conn:  # as the store's triggers do when an event changes
        conn.execute("UPDATE truce_state SET stale = 1")
    rebuilt = httpx.get(server.url + "/api/truces", timeout=120).json()
    assert rebuilt and not any(t["id"].startswith("stored-") for t in rebuilt), "stale records are not served"


def test_web_truces_report_and_export_read_the_stored_records(marked: Path) -> None:
    with Store(marked) as store:
        assert all(t.id.startswith("stored-") for t in truce_records(store))
        assert all(t.id.startswith("stored-") for t in export.truces(store))
        assert not any(t.id.startswith("stored-") for t in export.truces(store, as_of="2024-12-31"))
        assert "stored-" in render_report(store)
