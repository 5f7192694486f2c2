"""Store: round trips, safe re-runs, atomic saves, migrations and the events() query filters, on both
stores (every test taking ``store`` or ``ledger_target`` runs on SQLite and on PostgreSQL)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from trucewatch.errors import StoreError
from trucewatch.models import Document, Entity, Event, Rejection, Removal, Sentence
from trucewatch.store import Store
from trucewatch.store.connection import connect
from trucewatch.store.migrations import MIGRATIONS, PG_MIGRATIONS, Migration, migrate, schema_version

TEXT = "Menu | Home\nRockets hit Erbil airport on Monday, killing two, officials said. Share this."


def make_doc(doc_id: str = "d1", text: str = TEXT, **meta: str) -> Document:
    return Document(
        id=doc_id,
        text=text,
        title=meta.get("title", "Rockets hit Erbil"),
        url="https://example.org/a",
        outlet="Example News",
        published=meta.get("published", "2021-02-16"),
        published_source="metadata",
        author=None,
        source_path="reports/a.html",
        removed=[Removal(start=0, end=11, reason="navigation", text="Menu | Home")],
        sentences=[Sentence(idx=0, start=12, end=66, text=text[12:66])],
        events=[
            Event(
                type="attack",
                mode="rocket",
                actor="Saraya Awliya al-Dam",
                target="Erbil airport",
                location="Erbil",
                country="Iraq",
                date="2021-02-15",
                killed=2,
                injured=None,
                conditions=None,
                mediators=[],
                background=False,
                evidence="Rockets hit Erbil airport",
                doc_id=doc_id,
                sentence=0,
                start=12,
                end=37,
                trigger="hit",
                date_source="sentence",
                deadline=None,
                attribution="officials",
                hedged=True,
                lat=36.24,
                lon=43.96,
                mentions=[0],
            )
        ],
        warnings=["dateline missing"],
    )


@pytest.fixture
def store(ledger_target: str) -> Iterator[Store]:
    with Store(ledger_target) as s:
        yield s


def rows(store: Store, table: str) -> int:
    count: int = store._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    return count


def test_store_db_round_trip(store: Store) -> None:
    doc = make_doc()
    mentions = [("erbil", "Erbil", 25, 30), ("erbil", "Arbil", 40, 45), ("iraq", "Iraq", 50, 54)]
    entity = Entity(
        id="erbil",
        name="Erbil",
        type="city",
        aliases=["Arbil"],
        country="Iraq",
        lat=36.19,
        lon=44.01,
        relations=[{"in": "iraq"}],
    )
    assert store.status(doc) == "new"
    assert store.save_document(doc, mentions, [entity]) == "new"
    assert store.document("d1") == doc
    assert list(store.documents()) == [doc]
    assert store.document("missing") is None
    assert store.counts() == {"documents": 1, "events": 1, "entities": 1, "rejections": 0}
    assert store.events_by_type() == {"attack": 1}
    assert store.entity_mention_counts() == [("erbil", 2, ["Arbil", "Erbil"]), ("iraq", 1, ["Iraq"])]


def test_store_db_events_take_the_document_id(store: Store) -> None:
    doc = make_doc()
    doc.events[0].doc_id = ""
    store.save_document(doc)
    assert store.events()[0].doc_id == "d1"


def test_store_db_save_twice_is_unchanged(store: Store) -> None:
    doc = make_doc()
    store.save_document(doc, [("erbil", "Erbil", 25, 30)])
    assert store.status(doc) == "unchanged"
    assert store.save_document(make_doc(), [("erbil", "Erbil", 25, 30)]) == "unchanged"
    assert store.counts()["events"] == 1
    assert rows(store, "sentences") == 1
    assert rows(store, "entity_mentions") == 1


@pytest.mark.parametrize(
    "changed",
    [
        make_doc(text=TEXT.replace("two", "three")),
        make_doc(published="2021-02-17"),
        make_doc(title="Rocket attack on Erbil"),
    ],
    ids=["text", "published", "title"],
)
def test_store_db_changed_document_is_updated_and_events_replaced(store: Store, changed: Document) -> None:
    store.save_document(make_doc(), [("erbil", "Erbil", 25, 30)])
    changed.events = [replace(changed.events[0], killed=3), replace(changed.events[0], type="strike")]
    assert store.save_document(changed, [("iraq", "Iraq", 50, 54)]) == "updated"
    assert store.document("d1") == changed
    assert store.counts()["documents"] == 1
    assert store.events_by_type() == {"attack": 1, "strike": 1}
    assert store.entity_mention_counts() == [("iraq", 1, ["Iraq"])]
    # the full-text index follows: nothing left pointing at deleted events
    assert rows(store, "events_fts") == 2


def test_store_db_failed_save_leaves_previous_version(store: Store) -> None:
    old = make_doc()
    store.save_document(old, [("erbil", "Erbil", 25, 30)], [Entity(id="erbil", name="Erbil", type="city")])
    bad = make_doc(text=TEXT + " More.")
    bad.events.append(replace(bad.events[0], killed=-1))  # second event violates a CHECK
    with pytest.raises(StoreError, match="cannot save document d1"):
        store.save_document(bad, [("iraq", "Iraq", 0, 4)], [Entity(id="iraq", name="Iraq", type="country")])
    assert store.document("d1") == old
    assert store.counts() == {"documents": 1, "events": 1, "entities": 1, "rejections": 0}
    assert store.entity_mention_counts() == [("erbil", 1, ["Erbil"])]
    assert not store._conn.in_transaction


def test_store_db_non_sql_error_also_rolls_back(store: Store) -> None:
    doc = make_doc()
    doc.warnings = [object()]  # type: ignore[list-item]  # not JSON-serialisable
    with pytest.raises(TypeError):
        store.save_document(doc)
    assert store.counts()["documents"] == 0
    assert store.save_document(make_doc()) == "new"


def test_store_db_provisional_entity_does_not_overwrite_curated(store: Store) -> None:
    curated = Entity(id="erbil", name="Erbil", type="city", lat=36.19, lon=44.01)
    store.save_document(make_doc("d1"), entities=[curated])
    store.save_document(
        make_doc("d2"), entities=[Entity(id="erbil", name="Arbil", type="city", provisional=True)]
    )
    name = store._conn.execute("SELECT name, provisional FROM entities").fetchone()
    assert tuple(name) == ("Erbil", 0)


def test_store_db_rejections_are_recorded_once(store: Store) -> None:
    r = Rejection(stage="ingest", reason="empty text", input="feed.jsonl", line=3)
    store.record_rejection(r)
    store.record_rejection(r)
    store.record_rejection(Rejection(stage="ingest", reason="not html", input="a.bin"))
    store.record_rejection(Rejection(stage="ingest", reason="not html", input="a.bin"))
    assert store.counts()["rejections"] == 2


def test_store_db_migrations_recorded_and_idempotent(ledger_target: str) -> None:
    path = ledger_target
    with Store(path) as s:
        assert s.schema_version == len(MIGRATIONS)
        s.save_document(make_doc())
    with Store(path) as s:
        assert s.schema_version == len(MIGRATIONS)
        names = [r[0] for r in s._conn.execute("SELECT name FROM migrations ORDER BY name")]
        assert names == [m.name for m in MIGRATIONS]
        assert s.counts()["documents"] == 1


def test_store_db_failed_migration_is_rolled_back() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    broken = Migration(name="0002_broken", statements=("CREATE TABLE extra (x)", "NOT SQL"))
    with pytest.raises(StoreError, match="0002_broken"):
        migrate(conn, "test.db", (*MIGRATIONS, broken))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM migrations").fetchone()[0] == len(MIGRATIONS)


def test_store_db_failed_migration_is_rolled_back_on_postgresql(pg_url: str) -> None:
    conn = connect(pg_url)
    broken = Migration(name="0006_broken", statements=("CREATE TABLE extra (x integer)", "NOT SQL"))
    with pytest.raises(StoreError, match="0006_broken"):
        migrate(conn, "test", (*PG_MIGRATIONS, broken))
    assert schema_version(conn) == len(PG_MIGRATIONS)
    assert conn.execute("SELECT to_regclass('extra')").fetchone()[0] is None
    conn.close()


def test_store_db_same_schema_on_both_stores(tmp_path: Path, pg_url: str) -> None:
    """Every migration has a PostgreSQL spelling under the same name, giving the same tables and
    columns (PostgreSQL adds an explicit rowid where SQLite queries read it)."""
    assert [m.name for m in PG_MIGRATIONS] == [m.name for m in MIGRATIONS]
    with Store(tmp_path / "ledger.db") as lite, Store(pg_url) as pg:
        tables = [r[0] for r in lite._conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'events_fts%' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]  # SQLite's own: sequences, ANALYZE's figures
        for table in tables:
            lite_columns = [r["name"] for r in lite._conn.execute(f"PRAGMA table_info({table})")]
            pg_columns = [r[0] for r in pg._conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND column_name != 'rowid' "
                "ORDER BY ordinal_position", (table,))]
            assert pg_columns == lite_columns, table
        pg_tables = {r[0] for r in pg._conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
        assert pg_tables == {*tables, "events_fts"}


def test_store_db_newer_version_is_refused_on_postgresql(pg_url: str) -> None:
    with Store(pg_url) as s:
        s._conn.execute("INSERT INTO migrations (name, applied_at) VALUES ('9999_future', 'now')")
    with pytest.raises(StoreError, match=rf"version {len(PG_MIGRATIONS) + 1} is newer"):
        Store(pg_url)


def test_store_db_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match=r"ledger\.db.*version 99 is newer"):
        Store(path)


def test_store_db_file_uses_wal(tmp_path: Path) -> None:
    with Store(tmp_path / "ledger.db") as s:
        assert s._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_store_db_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not the tables you are looking for\n" * 100)
    with pytest.raises(StoreError, match=r"notes\.db"):
        Store(path)


def test_store_db_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="nowhere"):
        Store(tmp_path / "nowhere" / "ledger.db")


@pytest.fixture
def ledger(store: Store) -> Store:
    """Four documents whose events exercise every filter."""
    specs = [
        (
            "a",
            "2021-01-10",
            Event(
                type="attack",
                actor="Kata'ib Hezbollah",
                target="US convoy",
                date="2021-03",
                evidence="A roadside bomb struck a convoy",
            ),
        ),
        (
            "b",
            "2021-03-20",
            Event(
                type="strike",
                actor="US forces",
                target="Kata'ib Hezbollah",
                date="2021-03-18",
                evidence="Airstrikes hit militia depots",
            ),
        ),
        (
            "c",
            "2021-04-02",
            Event(
                type="ceasefire",
                actor="Ansar Allah",
                date="2021-04-01",
                evidence="A truce took effect at midnight",
            ),
        ),
        (
            "d",
            "2021-05-01",
            Event(type="attack", actor="unknown gunmen", date=None, evidence="Gunmen fired on a checkpoint"),
        ),
    ]
    for doc_id, published, event in specs:
        store.save_document(
            Document(
                id=doc_id, text=event.evidence, title=f"Report {doc_id}", published=published, events=[event]
            )
        )
    return store


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["2021-04-01", "2021-03-18", "2021-03", None]),
        ({"type": "attack"}, ["2021-03", None]),
        ({"actor": "KATA'IB"}, ["2021-03-18", "2021-03"]),  # actor or target, any case
        ({"since": "2021-03-15"}, ["2021-04-01", "2021-03-18", "2021-03"]),  # month overlaps the day
        ({"since": "2021-03-19"}, ["2021-04-01", "2021-03"]),
        ({"until": "2021-03"}, ["2021-03-18", "2021-03"]),
        ({"since": "2021-03-01", "until": "2021-03-31"}, ["2021-03-18", "2021-03"]),
        ({"until": "2021-02"}, []),
        ({"text": "convoy"}, ["2021-03"]),
        ({"text": "airstrike*"}, ["2021-03-18"]),
        ({"text": "Report c"}, ["2021-04-01"]),  # the document title is searched too
        ({"text": 'U.S. "quoted" (forces)'}, []),  # punctuation is not FTS syntax
        ({"doc_id": "b"}, ["2021-03-18"]),
        ({"limit": 2}, ["2021-04-01", "2021-03-18"]),
        ({"type": "attack", "text": "gunmen"}, [None]),
    ],
)
def test_store_db_events_filters(
    ledger: Store, query: dict[str, str | int], expected: list[str | None]
) -> None:
    assert [e.date for e in ledger.events(**query)] == expected  # type: ignore[arg-type]


def test_store_db_events_ties_ordered_by_publication(store: Store) -> None:
    for doc_id, published in (("old", "2021-01-01"), ("new", "2021-02-01")):
        store.save_document(
            Document(
                id=doc_id,
                text=doc_id,
                published=published,
                events=[Event(type="attack", date="2021-01", evidence=doc_id)],
            )
        )
    assert [e.doc_id for e in store.events()] == ["new", "old"]


def test_store_db_events_rejects_malformed_date(ledger: Store) -> None:
    with pytest.raises(ValueError, match="since='March'"):
        ledger.events(since="March")


def test_store_db_fts_follows_title_change(ledger: Store) -> None:
    doc = ledger.document("a")
    assert doc is not None
    doc.title = "Convoy ambushed near Basra"
    assert ledger.save_document(doc) == "updated"
    assert [e.doc_id for e in ledger.events(text="Basra")] == ["a"]
    assert "a" not in [e.doc_id for e in ledger.events(text="Report")]


def test_store_db_readers_do_not_create_a_ledger_on_postgresql(pg_url: str) -> None:
    with pytest.raises(StoreError, match="no such database"):
        Store(pg_url, create=False)
    Store(pg_url).close()  # a writer creates it
    Store(pg_url, create=False).close()


def test_store_db_url_password_is_never_shown(pg_url: str) -> None:
    wrong = pg_url.replace("postgres@", "postgres:secret@").rsplit("/", 1)[0] + "/no_such_db"
    with pytest.raises(StoreError, match=r"postgres:\*\*\*@127\.0\.0\.1") as info:
        Store(wrong)
    assert "secret" not in str(info.value)


def test_store_db_readers_do_not_create_a_database(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    with pytest.raises(StoreError, match=r"missing\.db: no such database"):
        Store(path, create=False)
    assert not path.exists()
    Store(path).close()  # a writer creates it
    Store(path, create=False).close()


@pytest.mark.parametrize("bound", ["2017-13", "2021-02-30", "2021-00", "21", "2021-1", "2021-03-01T10:00"])
def test_store_db_events_rejects_impossible_dates(ledger: Store, bound: str) -> None:
    with pytest.raises(ValueError, match=f"since='{bound}'"):
        ledger.events(since=bound)


def test_store_db_mentions_carry_their_row_and_report(ledger: Store) -> None:
    mentions = ledger.mentions(type="attack")
    assert [(m.event.doc_id, m.published, m.title) for m in mentions] == [
        ("a", "2021-01-10", "Report a"), ("d", "2021-05-01", "Report d")]
    assert all(m.merged_id is None for m in mentions)  # not merged in this ledger
    ids = [m.event_id for m in mentions]
    assert len(set(ids)) == 2 and all(isinstance(i, int) for i in ids)


def test_store_db_merged_event_beyond_sqlite_integers_is_none(store: Store) -> None:
    assert store.merged_event(2**63) is None and store.merged_event(0) is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cafe", ["x"]),  # accents are not told apart
        ("CAFÉ", ["x"]),
        ("al-shabaab", ["x"]),  # a phrase of its words
        ("shabaab al", ["x"]),  # every word, in any order
        ("shabaab mogadishu", []),
        ("baido*", ["x"]),
        ("Mogadishu", ["y"]),
        ("-- mogadishu", ["y"]),  # a word with no letters is no word
        ("--", []),
        ("mog", []),  # whole words unless a prefix is asked for
        ("Ηράκλειο", ["y"]),  # any script, any case
    ],
)
def test_store_db_text_search_reads_words_alike_on_both_stores(store: Store, query: str,
                                                              expected: list[str]) -> None:
    for doc_id, text in (("x", "Fighters of al-Shabaab shelled Baidoa's café."),
                         ("y", "Talks in Mogadishu and ΗΡΆΚΛΕΙΟ resumed.")):
        store.save_document(Document(id=doc_id, text=text, title=None, events=[
            Event(type="attack", evidence=text, date="2021-01-01")]))
    assert sorted(e.doc_id for e in store.events(text=query)) == expected


def test_store_db_actor_filter_folds_case_beyond_ascii(store: Store) -> None:
    store.save_document(Document(id="z", text="t", events=[
        Event(type="attack", actor="Jabhat al-Nuṣra", target="ÉCOLE", date="2021")]))
    assert [e.doc_id for e in store.events(actor="école")] == ["z"]
    assert [e.doc_id for e in store.events(actor="NUṢRA")] == ["z"]


def test_store_db_lost_server_connection_is_one_store_error(pg_url: str) -> None:
    with Store(pg_url) as store, Store(pg_url) as admin:
        pid = store._conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        admin._conn.execute("SELECT pg_terminate_backend(?)", (pid,))
        with pytest.raises(StoreError, match="lost the connection to the server") as info:
            store.save_document(make_doc())
    assert "postgres@127.0.0.1" in str(info.value)
