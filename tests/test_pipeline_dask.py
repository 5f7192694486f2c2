"""Ingest on a dask.distributed cluster: a local cluster of 2 workers stores the ledger a run in one
process stores (documents, sentences, events, entity mentions, merged events and their links,
rejections; row by row, ids included, timestamps left out), with JSON Lines files cut into byte
ranges that the workers read apart, a bad record in a middle range and a file that fails.

The batches are made small here (a few hundred bytes) so that the 20-odd reports spread over many
tasks and both workers, and a JSON Lines file is cut mid-record.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ledger_rows import ledger_rows

from trucewatch.extract.extractor import Extractor
from trucewatch.ingest.readers import Part, file_parts, read_part, read_paths
from trucewatch.models import Document, Rejection
from trucewatch.pipeline import ingest
from trucewatch.store import Store

distributed = pytest.importorskip("distributed", reason="dask.distributed is not installed (the 'scale' extra)")

from trucewatch import distributed as cluster  # noqa: E402  (after the skip: it needs dask to run)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TABLES = ("documents", "sentences", "events", "entity_mentions", "entities", "merged_events", "merged_mentions",
          "doc_copies", "claims", "attributions", "contradictions", "rejections", "truces")


def ledger(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the ledger's tables, timestamps left out, in a stable order."""
    return ledger_rows(db, TABLES)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples, plus a JSON Lines file of rewritten copies (new ids and dates) with a broken
    record in its middle, and a file of an unsupported kind."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(EXAMPLES, folder / "examples")
    records = []
    for n, doc in enumerate(d for d in read_paths([EXAMPLES]) if isinstance(d, Document)):
        records.append(json.dumps({"id": f"copy-{n}", "published": f"2021-0{n % 9 + 1}-1{n % 10}",
                                   "outlet": "Copy Wire", "text": doc.text.replace("Sunday", "Monday")}))
        if n == 5:
            records.append('{"id": "broken", "text": ')
    (folder / "wire.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    (folder / "notes.doc").write_text("not a report", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def single(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("single") / "ledger.db"
    with Store(db) as store:
        stats = ingest([corpus, corpus / "notes.doc"], store, extractor=Extractor())
    assert stats.new > 20 and stats.failed == 2  # the broken record and the unsupported file
    return db


def test_pipeline_dask_two_workers_store_the_single_process_ledger(
        corpus: Path, single: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cluster, "BATCH_BYTES", 3_000)
    monkeypatch.setattr(cluster, "BATCH_FILES", 3)
    parts = [p for p in file_parts([corpus], cluster.BATCH_BYTES) if isinstance(p, Part)]
    assert any(p.start > 0 for p in parts)  # the JSON Lines file is read in ranges
    db = tmp_path / "dask.db"
    with cluster.cluster_client(workers=2) as client, Store(db) as store:
        assert len(client.nthreads()) == 2
        with distributed.get_task_stream(client) as tasks:
            stats = ingest([corpus, corpus / "notes.doc"], store, client=client)
    assert stats.failed == 2 and stats.new > 20
    assert len(tasks.data) > 5 and len({t["worker"] for t in tasks.data}) == 2  # both workers read batches
    want, got = ledger(single), ledger(db)
    for table in TABLES:
        assert got[table] == want[table], table
    assert want["merged_events"] and want["rejections"]


def test_pipeline_dask_rerun_skips_stored_reports_unextracted(corpus: Path, single: Path, tmp_path: Path) -> None:
    db = tmp_path / "again.db"
    shutil.copy(single, db)
    with cluster.cluster_client(workers=2) as client, Store(db) as store:
        stats = ingest([corpus], store, client=client)
    assert stats.new == 0 and stats.updated == 0 and stats.unchanged == stats.read > 20
    assert ledger(db)["merged_events"] == ledger(single)["merged_events"]


def test_pipeline_dask_parts_read_what_the_whole_file_reads(corpus: Path) -> None:
    whole = [_key(x) for x in read_paths([corpus / "wire.jsonl"])]
    for size in (1, 500, 2_999, 10**9):
        parts = [p for p in file_parts([corpus / "wire.jsonl"], size) if isinstance(p, Part)]
        assert [_key(x) for p in parts for x in read_part(p)] == whole, size


def _key(item: Document | Rejection) -> tuple[object, ...]:
    if isinstance(item, Rejection):
        return ("rejected", item.input, item.line, item.reason)
    return (item.id, item.source_path, item.text, item.published)


def test_pipeline_dask_without_dask_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_dask(name: str, *args: object, **kwargs: object) -> object:
        if name == "distributed" or name.startswith("distributed."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(cluster.ClusterError, match=r"pip install 'trucewatch\[scale\]'"):
        with cluster.cluster_client(workers=2):
            pass


def test_pipeline_dask_joins_a_running_cluster_by_its_scheduler_address(corpus: Path, single: Path,
                                                                        tmp_path: Path) -> None:
    """``--scheduler ADDRESS``: a cluster started elsewhere (here in threads of this process) reads
    and extracts, and the ledger is still the single-process one."""
    db = tmp_path / "joined.db"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as running, \
            cluster.cluster_client(scheduler=running.scheduler_address) as client, Store(db) as store:
        stats = ingest([corpus, corpus / "notes.doc"], store, client=client)
    assert stats.failed == 2
    want, got = ledger(single), ledger(db)
    for table in TABLES:
        assert got[table] == want[table], table
