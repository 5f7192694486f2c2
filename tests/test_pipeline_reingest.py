"""Re-running ingest is safe: the same input changes nothing, a changed report replaces its old
version and its events (never duplicates them), and a failure in the middle of a batch neither
undoes the documents stored before it nor leaves half a document behind.

Database state is compared table by table, row by row (ids and timestamps included, with each
row's physical id: SQLite's rowid, PostgreSQL's ctid), straight from the database, so that a re-run
that deletes and re-inserts identical rows is caught too. Every test runs on both stores.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import pytest
from store_sql import snapshot as table_snapshot
from store_sql import sql

from trucewatch.extract.extractor import Extractor
from trucewatch.models import Document, Event, IngestStats
from trucewatch.nlp.sentences import AnalysedSentence
from trucewatch.pipeline import ingest, reextract
from trucewatch.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TABLES = ("documents", "sentences", "events", "entity_mentions", "entities", "events_fts")
ATTACK = ("Rockets hit Ain al-Asad. Three rockets hit Ain al-Asad Air Base on Sunday, killing two US "
          "soldiers, officials said.")
CEASEFIRE = ("Kataib Hezbollah agrees truce. Kataib Hezbollah said on Monday it would halt attacks on US forces "
             "in Iraq, a spokesman said.")
DRONES = "Drones target Erbil. Two drones targeted Erbil International Airport on Tuesday, injuring four people."


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """One extractor for the module: building the spaCy pipeline is the slow part."""
    return Extractor()


def snapshot(db: str) -> dict[str, list[tuple[object, ...]]]:
    return table_snapshot(db, TABLES)


def doc_events(db: str, doc_id: str) -> list[tuple[object, ...]]:
    """(event id, type, date, evidence) of one document's stored events."""
    return sql(db, "SELECT id, type, date, evidence FROM events WHERE doc_id = ? ORDER BY id", (doc_id,))


def run(paths: list[Path], db: str, extractor: Extractor | object, **options: str) -> IngestStats:
    with Store(db) as store:
        return ingest(paths, store, extractor=cast(Extractor, extractor), **options)  # type: ignore[arg-type]


def write_records(path: Path, records: list[tuple[str, str]], published: str = "2021-03-23") -> None:
    path.write_text("".join(json.dumps({"id": id, "published": published, "text": text}) + "\n"
                            for id, text in records), encoding="utf-8")


def counts(stats: IngestStats) -> tuple[int, int, int, int, int]:
    return stats.read, stats.new, stats.updated, stats.unchanged, stats.failed


def test_pipeline_reingest_examples_changes_nothing(tmp_path: Path, ledger_target: str, extractor: Extractor) -> None:
    db = ledger_target
    first = run([EXAMPLES], db, extractor)
    n = first.read
    assert n >= 12 and counts(first) == (n, n, 0, 0, 0)
    assert sum(first.events_by_type.values()) == len(snapshot(db)["events"]) > 0
    before = snapshot(db)

    second = run([EXAMPLES], db, extractor)
    assert counts(second) == (n, 0, 0, n, 0)
    assert second.events_by_type == {}  # nothing was extracted again
    assert snapshot(db) == before


def test_pipeline_changed_document_replaces_its_events(tmp_path: Path, ledger_target: str,
                                                       extractor: Extractor) -> None:
    db, path = ledger_target, tmp_path / "wire.jsonl"
    write_records(path, [("r1", ATTACK), ("r2", DRONES)])
    assert counts(run([path], db, extractor)) == (2, 2, 0, 0, 0)
    old_r1, r2 = doc_events(db, "r1"), doc_events(db, "r2")
    assert [e[1] for e in old_r1] == ["attack"] and r2

    write_records(path, [("r1", CEASEFIRE), ("r2", DRONES)])  # r1 corrected under the same id
    stats = run([path], db, extractor)
    assert counts(stats) == (2, 0, 1, 1, 0)
    assert stats.events_by_type.get("ceasefire") == 1 and "attack" not in stats.events_by_type
    new_r1 = doc_events(db, "r1")
    assert ("ceasefire", "2021-03-22") in [(e[1], e[2]) for e in new_r1]
    assert not {e[0] for e in new_r1} & {e[0] for e in old_r1}  # old events gone, none duplicated
    assert doc_events(db, "r2") == r2  # the unchanged neighbour kept its rows and ids
    assert sql(db, "SELECT id FROM documents ORDER BY id") == [("r1",), ("r2",)]
    [(text,)] = sql(db, "SELECT text FROM documents WHERE id = 'r1'")
    sentences = [s for (s,) in sql(db, "SELECT text FROM sentences WHERE doc_id = 'r1'")]
    with Store(db) as store:
        match, params = store.dialect.text_match("rockets") or ("", [])
        [hits] = sql(db, f"SELECT count(*) FROM ({match}) AS hits", tuple(params))
    assert text == CEASEFIRE and "it would halt attacks on US forces" in " ".join(sentences)
    assert hits == (0,)  # the full-text index forgot the old evidence too

    before = snapshot(db)
    assert counts(run([path], db, extractor)) == (2, 0, 0, 2, 0)
    assert snapshot(db) == before


def test_pipeline_changed_publication_date_updates_event_dates(tmp_path: Path, ledger_target: str,
                                                               extractor: Extractor) -> None:
    """Same text, corrected metadata: "on Sunday" must be resolved against the new date."""
    db, path = ledger_target, tmp_path / "wire.jsonl"
    write_records(path, [("r1", ATTACK)], published="2021-03-23")
    run([path], db, extractor)
    assert [e[2] for e in doc_events(db, "r1")] == ["2021-03-21"]
    write_records(path, [("r1", ATTACK)], published="2021-03-30")
    assert counts(run([path], db, extractor)) == (1, 0, 1, 0, 0)
    assert [e[2] for e in doc_events(db, "r1")] == ["2021-03-28"]


def test_pipeline_same_text_in_two_files_is_one_document(tmp_path: Path, ledger_target: str,
                                                         extractor: Extractor) -> None:
    """Without a given id the content hash is the id: a copy of a report is not a second report."""
    for name in ("a.txt", "copy.txt"):
        (tmp_path / name).write_text(ATTACK, encoding="utf-8")
    stats = run([tmp_path / "a.txt", tmp_path / "copy.txt"], ledger_target, extractor)
    assert counts(stats) == (2, 1, 0, 1, 0)
    assert len(snapshot(ledger_target)["documents"]) == 1


def test_pipeline_unreadable_file_mid_batch_keeps_earlier_documents(tmp_path: Path, ledger_target: str,
                                                                    extractor: Extractor) -> None:
    db = ledger_target
    (tmp_path / "1.txt").write_text(ATTACK, encoding="utf-8")
    (tmp_path / "2.txt").write_bytes(b"\x00\x01binary\x00")
    (tmp_path / "3.txt").write_text(DRONES, encoding="utf-8")
    stats = run([tmp_path], db, extractor)
    assert counts(stats) == (2, 2, 0, 0, 1)
    assert [r.input for r in stats.rejections] == [str(tmp_path / "2.txt")]
    assert sorted(p for (p,) in sql(db, "SELECT source_path FROM documents")) == \
        [str(tmp_path / "1.txt"), str(tmp_path / "3.txt")]


class _Sabotage:
    """Wraps the real extractor; for the document whose text contains ``word`` it either raises or
    (``unstorable``) adds an event the database cannot bind, so the failure happens inside the save,
    after the document row was written in the same transaction."""

    def __init__(self, inner: Extractor, word: str, unstorable: bool) -> None:
        self.inner, self.word, self.unstorable = inner, word, unstorable

    def extract(self, doc: Document) -> tuple[list[Event], list[AnalysedSentence]]:
        events, sentences = self.inner.extract(doc)
        if self.word in doc.text:
            if not self.unstorable:
                raise RuntimeError("extractor crashed")
            doc.events.append(Event(type="attack", killed=cast(int, object())))
        return events, sentences


@pytest.mark.parametrize("unstorable", [False, True], ids=["extract-fails", "save-fails"])
def test_pipeline_failure_mid_batch_leaves_no_half_document(tmp_path: Path, ledger_target: str, extractor: Extractor,
                                                           unstorable: bool) -> None:
    db, path = ledger_target, tmp_path / "wire.jsonl"
    write_records(path, [("r1", ATTACK), ("r2", DRONES), ("r3", CEASEFIRE)])
    stats = run([path], db, _Sabotage(extractor, "drones", unstorable))
    assert counts(stats) == (3, 2, 0, 0, 1)
    [rejection] = stats.rejections
    assert rejection.stage == ("store" if unstorable else "extract") and rejection.input == f"{path}#L2"
    state = snapshot(db)
    assert sorted(str(row[1]) for row in state["documents"]) == ["r1", "r3"]
    assert {row[1] for row in state["sentences"]} == {"r1", "r3"}
    assert doc_events(db, "r2") == [] and doc_events(db, "r1") and doc_events(db, "r3")

    # fixed extractor, same batch: r2 is added, r1 and r3 are left exactly as they were
    r1, r3 = doc_events(db, "r1"), doc_events(db, "r3")
    assert counts(run([path], db, extractor)) == (3, 1, 0, 2, 0)
    assert (doc_events(db, "r1"), doc_events(db, "r3")) == (r1, r3)
    assert doc_events(db, "r2")


class _FailsOn:
    """An extractor that breaks on one document and reads the others like ``inner``."""

    def __init__(self, inner: Extractor, doc_id: str) -> None:
        self.inner, self.doc_id = inner, doc_id

    def extract(self, doc: Document) -> tuple[list[Event], list[AnalysedSentence]]:
        if doc.id == self.doc_id:
            raise RuntimeError("gazetteer file half-written")
        return self.inner.extract(doc)


def test_pipeline_reextract_changes_nothing_when_the_reading_is_the_same(tmp_path: Path, ledger_target: str,
                                                                         extractor: Extractor) -> None:
    db = ledger_target
    run([EXAMPLES], db, extractor)
    before = snapshot(db)
    with Store(db) as store:
        stats = reextract(store, extractor=extractor)
    assert (stats.read, stats.updated, stats.unchanged, stats.failed) == (stats.read, 0, stats.read, 0)
    assert snapshot(db) == before


def test_pipeline_reextract_failure_keeps_the_stored_events(tmp_path: Path, ledger_target: str,
                                                            extractor: Extractor) -> None:
    db, path = ledger_target, tmp_path / "wire.jsonl"
    write_records(path, [("r1", ATTACK), ("r2", DRONES)])
    run([path], db, extractor)
    kept = doc_events(db, "r1")
    with Store(db) as store:
        stats = reextract(store, extractor=cast(Extractor, _FailsOn(extractor, "r1")))
    assert (stats.read, stats.updated, stats.unchanged, stats.failed) == (2, 0, 1, 1)
    assert "wire.jsonl#L1" in str(stats.rejections[0]) and "half-written" in str(stats.rejections[0])
    assert doc_events(db, "r1") == kept
