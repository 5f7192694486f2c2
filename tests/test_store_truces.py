"""Truce records stored in the database for SQL and datasette users: tables that hold what
``trucewatch truces`` shows, rebuilt after an ingest that changed the ledger, and left alone by one
that did not."""

from __future__ import annotations

import json

import pytest
from ledger_builder import REPORTS, build, document
from store_sql import sql
from typer.testing import CliRunner

from trucewatch.cli import app
from trucewatch.ledger import build_truces, refresh_truces
from trucewatch.models import Document
from trucewatch.store import Store


@pytest.fixture
def ledger(ledger_target: str) -> str:
    """The builder's ledger, on each store."""
    build(ledger_target)  # type: ignore[arg-type]
    return ledger_target


def test_store_truces_tables_hold_the_records(ledger: str) -> None:
    shown = json.loads(CliRunner().invoke(app, ["truces", "--db", str(ledger), "--json"]).stdout)
    assert sql(ledger, "SELECT id, status, parties, counterpart, start, ended, ended_how, violations, as_of "
                       "FROM truces") == [
        (t["id"], t["status"], "; ".join(t["parties"]), "; ".join(t["counterpart"]), t["start"], t["ended"],
         t["ended_how"], len(t["violations"]), t["as_of"]) for t in shown]
    assert sql(ledger, "SELECT truce_id, idx, date, status FROM truce_history ORDER BY idx") == [
        ("2021-04-kh-us", 0, "2021-04", "agreed"), ("2021-04-kh-us", 1, "2021-10-03", "ended")]
    assert sorted(r[0] for r in sql(ledger, "SELECT doc_id FROM truce_sources")) == ["r-end", "r-truce"]
    (record,) = sql(ledger, "SELECT record FROM truces")[0]
    assert json.loads(str(record)) == shown[0]  # the whole record, for a JSON-aware reader
    evidence = json.loads(str(sql(ledger, "SELECT evidence FROM truce_history WHERE idx = 1")[0][0]))
    assert evidence[0]["doc_id"] == "r-end" and "was over" in evidence[0]["text"]


def test_store_truces_stale_after_a_change_and_rebuilt(ledger: str) -> None:
    with Store(ledger) as store:
        assert not store.truces_stale()
        assert refresh_truces(store) is None  # nothing changed: nothing rebuilt
        later = document(REPORTS[3])
        later.id, later.published = "r-truce-again", "2021-11-02"
        later.events[0].date, later.events[0].doc_id = "2021-11-01", later.id
        later.text = later.sentences[0].text = "On Monday Kataib Hezbollah declared a new truce with US forces in Iraq."
        later.events[0].evidence = later.text
        store.save_document(later)
        assert store.truces_stale()  # a new event: the stored records may be out of date
        assert refresh_truces(store) == len(build_truces(store))
        assert not store.truces_stale()
    assert len(sql(ledger, "SELECT id FROM truces")) == 2  # the new truce is stored


def test_store_truces_replace_is_whole(ledger: str) -> None:
    with Store(ledger) as store:
        store.replace_truces([])
        assert store.stored_truces() == []
    for table in ("truces", "truce_conditions", "truce_history", "truce_violations", "truce_sources"):
        assert sql(ledger, f"SELECT count(*) FROM {table}") == [(0,)], table


def _later(doc_id: str, published: str) -> Document:
    later = document(REPORTS[3])
    later.id, later.published = doc_id, published
    later.events[0].doc_id = later.id
    return later


def test_store_truces_rebuild_racing_a_writer_stays_stale(ledger: str) -> None:
    """Records built while another process stored a report may miss it: they are stored, but left
    stale for the next rebuild."""
    with Store(ledger) as builder, Store(ledger) as writer:
        writer.save_document(_later("r-later", "2021-11-02"))
        assert builder.truces_stale()
        records = [t.to_dict() for t in build_truces(builder)]
        writer.save_document(_later("r-later-still", "2021-11-03"))  # after the records were read
        builder.replace_truces(records)
        assert builder.truces_stale()
        assert refresh_truces(builder) == len(build_truces(builder))  # rebuilt alone: fresh
        assert not builder.truces_stale()


def test_store_truces_rebuild_asked_while_a_writer_is_under_way_stays_stale(pg_url: str) -> None:
    """On PostgreSQL, a writer under way when the records are found stale may change the ledger after
    they are read: they are left stale."""
    build(pg_url)  # type: ignore[arg-type]
    with Store(pg_url) as builder, Store(pg_url) as writer:
        with writer._transaction("save a report", exclusive=False, key="r-later"):
            assert not builder.truces_stale()  # the records are fresh, but a writer is under way
        builder.replace_truces([t.to_dict() for t in build_truces(builder)])
        assert builder.truces_stale()
        assert refresh_truces(builder) is not None and not builder.truces_stale()
