"""Writers on one ledger at once, each with its own connection, on each store: reports of one story
saved, corrected and merged by four writers together finish with no error (no "database is locked",
no deadlock), every report stored in its last version once, and every event in one merged event.

Corrected reports delete events that other reports' merged events hold: the triggers then mark those
merged events, and two writers doing so in opposite orders would wait for each other forever, were a
replacement not given the ledger to itself.
"""

from __future__ import annotations

import multiprocessing
import random
import threading
from pathlib import Path

import pytest
from store_sql import sql

from trucewatch.merge.sync import Merger
from trucewatch.models import Document, Event, Sentence
from trucewatch.store import Store
from trucewatch.store.migrations import MIGRATIONS

PLACES = ("Erbil", "Baghdad", "Basra", "Mosul")


def report(n: int, version: int) -> Document:
    """Report ``n`` (version ``version``): attacks on the same places on the same days as the other
    reports, listed in an order of its own, so that its events join merged events others hold."""
    places = list(PLACES)
    random.Random(n * 7 + version).shuffle(places)
    sentences, events, text = [], [], ""
    for i, place in enumerate(places):
        line = f"Rockets hit a base near {place} on Monday, version {version} of report {n}. "
        sentences.append(Sentence(i, len(text), len(text) + len(line) - 1, line.strip()))
        events.append(Event(type="attack", mode="rocket", actor="Kataib Hezbollah", target="US forces",
                            location=place, country="Iraq", date=f"2021-03-0{PLACES.index(place) + 1}",
                            evidence=line.strip(), sentence=i, start=len(text), end=len(text) + 12, trigger="hit"))
        text += line
    return Document(id=f"r{n}", text=text, title=f"Report {n}", published="2021-03-10", outlet=f"outlet {n % 3}",
                    sentences=sentences, events=events)


def _writer(target: str, work: list[tuple[int, int]], errors: list[str]) -> None:
    try:
        with Store(target) as store:
            merger = Merger(store)
            for n, version in work:
                store.save_document(report(n, version))
                errors += [str(r) for r in merger.sync()]
    except Exception as exc:  # every failure is reported by the assertion
        errors.append(f"{type(exc).__name__}: {exc}")


def test_concurrent_writers_save_correct_and_merge_without_failing(ledger_target: str) -> None:
    reports = range(16)
    with Store(ledger_target) as store:
        for n in reports:
            store.save_document(report(n, 0))
        assert Merger(store).sync() == []
    # Four writers: each corrects every report (versions 1 and 2) in an order of its own.
    work = [[(n, v) for v in (1, 2) for n in random.Random(w).sample(list(reports), len(reports))] for w in range(4)]
    errors: list[str] = []
    threads = [threading.Thread(target=_writer, args=(ledger_target, w, errors)) for w in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert errors == []
    stored = sql(ledger_target, "SELECT id, text FROM documents ORDER BY id")
    assert sorted(stored) == sorted((f"r{n}", report(n, 2).text) for n in reports)
    [(events,)] = sql(ledger_target, "SELECT count(*) FROM events")
    assert events == len(reports) * len(PLACES)
    assert sql(ledger_target, "SELECT count(*) FROM merged_mentions") == [(events,)]
    assert sql(ledger_target, "SELECT count(*) FROM merge_queue") == [(0,)]
    # one merged event per place and day: the same attack told by every report
    merged = sql(ledger_target, "SELECT location, reports FROM merged_events WHERE reports > 0 ORDER BY location")
    assert merged == [(place, len(reports)) for place in sorted(PLACES)]


def test_concurrent_writers_a_replacement_has_the_ledger_alone(ledger_target: str) -> None:
    """A new report is saved beside other writers; a corrected one (and a re-extracted one) alone."""
    taken: list[tuple[bool, str | None]] = []
    with Store(ledger_target) as store:
        begin = store._conn.begin

        def spy(*, exclusive: bool = True, key: str | None = None) -> None:
            taken.append((exclusive, key))
            begin(exclusive=exclusive, key=key)

        store._conn.begin = spy
        store.save_document(report(1, 0))
        store.save_document(report(1, 1))
        store.save_document(report(1, 1))  # unchanged
        store.replace_extraction(report(1, 1))
    assert taken == [(False, "r1"), (True, "r1"), (False, "r1"), (True, "r1")]


def test_concurrent_writers_postgresql_locks(pg_url: str) -> None:
    """What a writer holds on PostgreSQL: the ledger's lock, shared or to itself, and its document's."""
    from trucewatch.store.postgres import DOCUMENT_LOCK, LEDGER_LOCK

    with Store(pg_url) as a, Store(pg_url) as b:

        def free(query: str, *args: object) -> bool:
            """Whether ``b`` could take the lock ``query`` tries for, now."""
            b._conn.execute("BEGIN")
            got = b._conn.execute(query, args).fetchone()[0]
            b._conn.rollback()
            return bool(got)

        shared, alone = "SELECT pg_try_advisory_xact_lock_shared(?)", "SELECT pg_try_advisory_xact_lock(?)"
        document = "SELECT pg_try_advisory_xact_lock(?, hashtext(?))"
        with a._transaction("save", exclusive=False, key="r1"):
            assert free(shared, LEDGER_LOCK)  # other saves go on
            assert not free(alone, LEDGER_LOCK)  # a merge waits
            assert not free(document, DOCUMENT_LOCK, "r1") and free(document, DOCUMENT_LOCK, "r2")
        with a._transaction("merge"):
            assert not free(shared, LEDGER_LOCK)  # saves wait for a merge
        assert free(alone, LEDGER_LOCK) and free(document, DOCUMENT_LOCK, "r1")  # released at the end


def _open(target: str) -> int | str:
    try:
        with Store(target) as store:
            return store.schema_version
    except Exception as exc:  # reported by the assertion
        return f"{type(exc).__name__}: {exc}"


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_concurrent_writers_create_a_new_ledger_at_once(kind: str, tmp_path: Path,
                                                        request: pytest.FixtureRequest) -> None:
    """Six processes opening one new ledger at once: one applies the migrations, the others wait and
    find them applied (on PostgreSQL, after waiting they must look for the tables afresh)."""
    for attempt in range(2):
        target = str(tmp_path / f"new{attempt}.db") if kind == "sqlite" else request.getfixturevalue("pg_cluster") \
            .create_database(f"new_at_once_{attempt}_{random.randrange(10**9)}")
        with multiprocessing.get_context("fork").Pool(6) as pool:
            assert pool.map(_open, [target] * 6) == [len(MIGRATIONS)] * 6
