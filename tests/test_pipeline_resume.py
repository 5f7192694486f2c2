"""Ctrl-C and resume: ``trucewatch ingest`` sent SIGINT mid-run stops with one line and exit status
130, keeps what it stored, and the same command run again finishes the job: the ledger (documents,
sentences, events, mentions, merged events and their links, rejections; row by row, ids included,
timestamps left out) is the one an uninterrupted run stores, nothing duplicated, and the reports
stored before the interrupt are counted unchanged (not extracted again).
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ledger_rows import ledger_rows

from trucewatch.ingest.readers import read_paths
from trucewatch.models import Document

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
TABLES = ("documents", "sentences", "events", "entity_mentions", "entities", "merged_events", "merged_mentions",
          "doc_copies", "claims", "attributions", "contradictions", "rejections", "merge_queue")


def ledger(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the ledger's tables, timestamps left out, in a stable order."""
    return ledger_rows(db, TABLES)


def stored(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:  # not created yet
        return 0


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples and 40 rewritten copies of them (new ids, dates and outlet) in a JSON Lines file."""
    folder = tmp_path_factory.mktemp("corpus")
    docs = [d for d in read_paths([EXAMPLES]) if isinstance(d, Document)]
    lines = [json.dumps({"id": f"copy-{n}", "published": f"2021-{n % 12 + 1:02d}-{n % 27 + 1:02d}",
                         "outlet": f"Wire {n % 3}", "text": docs[n % len(docs)].text.replace("Sunday", "Monday")})
             for n in range(40)]
    (folder / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "broken.json").write_text('{"text": ', encoding="utf-8")
    for path in EXAMPLES.iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


@pytest.fixture(scope="module")
def uninterrupted(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ledger of one run of the same command, not interrupted."""
    db = tmp_path_factory.mktemp("whole") / "ledger.db"
    run = cli(corpus, db)
    _, err = run.communicate(timeout=600)
    assert run.returncode == 1 and "broken.json" in err, err
    return db


def cli(corpus: Path, db: Path, *options: str) -> subprocess.Popen[str]:
    """``trucewatch ingest`` in a process of its own, with SIGINT handled as a terminal's Ctrl-C
    (a test runner may have started us with SIGINT ignored, which children inherit)."""
    return subprocess.Popen(
        [sys.executable, "-m", "trucewatch.cli", "ingest", str(corpus), "--db", str(db), *options],
        cwd=db.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "COLUMNS": "200"}, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def interrupt_after(process: subprocess.Popen[str], db: Path, documents: int) -> tuple[int, str]:
    """Send SIGINT once ``documents`` are stored; the exit status and standard error."""
    deadline = time.monotonic() + 300
    while stored(db) < documents:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the ingest stored nothing in 300 s"
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    return process.returncode, err


@pytest.mark.parametrize("options", [(), ("--workers", "2")], ids=["one process", "two dask workers"])
def test_pipeline_resume_after_sigint_gives_the_uninterrupted_ledger(
        corpus: Path, uninterrupted: Path, tmp_path: Path, options: tuple[str, ...]) -> None:
    if options:
        pytest.importorskip("distributed", reason="dask.distributed is not installed (the 'scale' extra)")
    db = tmp_path / "ledger.db"
    total = len(ledger(uninterrupted)["documents"])
    code, err = interrupt_after(cli(corpus, db, *options), db, 3)
    assert code == 130, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines[-1].startswith("interrupted: ") and "run the same command again" in lines[-1], err
    assert "Traceback" not in err
    kept = stored(db)
    assert 3 <= kept < total  # stopped mid-run, and what was stored stays stored
    code, err = interrupt_after(cli(corpus, db, *options), db, kept + 2)  # a second interrupt, further on
    assert code == 130, err
    again = stored(db)
    finished = cli(corpus, db, *options)
    out, err = finished.communicate(timeout=600)
    assert finished.returncode == 1, err  # broken.json is a failed input, as in the uninterrupted run
    assert "broken.json" in err
    rows = [line.replace("│", " ").split() for line in out.splitlines() if "│" in line]
    read, new, updated, unchanged, failed = map(int, rows[0])  # the summary's only row
    assert (new, updated, unchanged, failed) == (total - again, 0, again, 1)
    want, got = ledger(uninterrupted), ledger(db)
    for table in TABLES:
        assert got[table] == want[table], table
    assert len({row[0] for row in got["documents"]}) == total
