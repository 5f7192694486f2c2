"""The same reports stored in SQLite and in PostgreSQL give the same answers: every listing, export and
view the commands and the web pages read, byte for byte.

The example reports are ingested once into each store (one extractor); then each command runs with
``--db`` on the SQLite file and on the PostgreSQL URL, and each view of ``store.queries`` (pages,
timelines by day, week and month, map points, documents, report texts) is read from both.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pg_cluster import Cluster
from typer.testing import CliRunner

from trucewatch.cli import app
from trucewatch.extract.extractor import Extractor
from trucewatch.pipeline import ingest
from trucewatch.store import Store
from trucewatch.store import queries as q

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(scope="module")
def stores(pg_cluster: Cluster, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """(SQLite file, PostgreSQL URL), each holding the example reports, ingested the same way."""
    lite = str(tmp_path_factory.mktemp("parity") / "ledger.db")
    pg = pg_cluster.create_database("parity")
    extractor = Extractor()
    for target in (lite, pg):
        with Store(target) as store:
            stats = ingest([EXAMPLES], store, extractor=extractor)
            assert stats.failed == 0 and stats.new >= 12
    return lite, pg


def _run(args: list[str], target: str) -> str:
    result = CliRunner().invoke(app, [*args, "--db", target])
    assert result.exit_code == 0, result.output
    return result.stdout


COMMANDS = [
    ["events", "--json"],
    ["events", "--per-report", "--json"],
    ["events", "--actor", "KATAIB", "--json"],
    ["events", "--since", "2021", "--until", "2023-10", "--json"],
    ["events", "--text", "rocket*", "--json"],
    ["events", "--per-report", "--text", "drone", "--json"],
    ["truces", "--json"],
    ["entities", "list", "--json"],
    *(["export", "--format", f] for f in ("jsonl", "csv", "mentions-csv", "mentions-jsonl", "gold-jsonl",
                                          "truces-json", "acled-csv", "plover-json", "geojson")),
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_store_postgres_commands_answer_as_on_sqlite(stores: tuple[str, str], args: list[str]) -> None:
    lite, pg = stores
    shown = _run(args, lite)
    assert len(shown) > 20  # something is listed
    assert _run(args, pg) == shown


def test_store_postgres_each_event_shows_as_on_sqlite(stores: tuple[str, str]) -> None:
    lite, pg = stores
    with Store(lite) as store:
        ids = [m.id for m in store.merged_events()]
    assert len(ids) >= 10
    for merged_id in ids:
        assert _run(["event", str(merged_id), "--json"], pg) == _run(["event", str(merged_id), "--json"], lite)


VIEWS = [
    q.EventFilters(),
    q.EventFilters(type="attack"),
    q.EventFilters(actor="hezbollah"),
    q.EventFilters(place="asad"),
    q.EventFilters(country="IRAQ"),
    q.EventFilters(since="2020-01", until="2020-12"),
    q.EventFilters(text="drone*"),
    q.EventFilters(background=False, contested=False),
]


@pytest.mark.parametrize("filters", VIEWS, ids=repr)
def test_store_postgres_web_views_read_as_on_sqlite(stores: tuple[str, str], filters: q.EventFilters) -> None:
    lite, pg = stores
    with Store(lite) as a, Store(pg) as b:
        assert q.event_page(a, filters, limit=1)[1]  # the view keeps some events
        for limit, offset in ((5, 0), (5, 5), (1000, 0)):
            assert q.event_page(b, filters, limit=limit, offset=offset) == \
                q.event_page(a, filters, limit=limit, offset=offset)
            assert q.event_page(b, filters, limit=limit, offset=offset, count=False) == \
                q.event_page(a, filters, limit=limit, offset=offset, count=False)
        for unit in q.UNITS:
            assert q.summary(b, filters, unit) == q.summary(a, filters, unit)  # type: ignore[arg-type]
        assert q.map_points(b, filters) == q.map_points(a, filters)


def test_store_postgres_documents_and_report_texts_as_on_sqlite(stores: tuple[str, str]) -> None:
    lite, pg = stores
    with Store(lite) as a, Store(pg) as b:
        assert q.document_page(b, limit=100) == q.document_page(a, limit=100)
        assert q.document_page(b, limit=3, offset=2) == q.document_page(a, limit=3, offset=2)
        assert [d.id for d in b.documents()] == [d.id for d in a.documents()]
        assert list(b.documents()) == list(a.documents())
        for merged in a.merged_events():
            assert q.report_texts(b, merged.id) == q.report_texts(a, merged.id)
        assert b.entity_summaries() == a.entity_summaries()
        assert b.entity_mention_counts() == a.entity_mention_counts()
        assert b.events_by_type() == a.events_by_type() and b.counts() == a.counts()
        assert b.merged_counts() == a.merged_counts()
