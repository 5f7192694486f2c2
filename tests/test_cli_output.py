"""The command line's behaviour around the ledger: ``--version``, ``--json`` on every listing and
card, a quiet exit on a closed pipe, a missing database or a malformed date or id as one-line errors,
``--as-of`` without hindsight, and the ingest progress bar (counted first, with an ETA)."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ledger_builder import REPORTS, build, document
from rich.console import Console
from typer.testing import CliRunner, Result

from trucewatch.cli import app
from trucewatch.commands import common
from trucewatch.ingest.count import count_reports
from trucewatch.models import Entity
from trucewatch.store import Store

TRUCEWATCH = Path(sys.executable).parent / "trucewatch"


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def one_line_error(result: Result, *needles: str) -> None:
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("cli") / "ledger.db")


def stored(ledger: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(ledger) as conn:
        return conn.execute(sql).fetchall()


def test_cli_version() -> None:
    from importlib.metadata import version

    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"trucewatch {version('trucewatch')}"


# ---- --json ------------------------------------------------------------------------------------------


def test_cli_events_json(ledger: Path) -> None:
    data = json.loads(run("events", "--db", str(ledger), "--json").stdout)
    rows = stored(ledger, "SELECT id, type, date, actor, reports, sources FROM merged_events WHERE reports > 0")
    assert sorted((e["id"], e["type"], e["date"], e["actor"], e["reports"], e["sources"]) for e in data) == sorted(rows)
    assert [e["date"] for e in data if e["date"]] == sorted((e["date"] for e in data if e["date"]), reverse=True)
    per_report = json.loads(run("events", "--db", str(ledger), "--per-report", "--json").stdout)
    assert sorted(e["doc_id"] for e in per_report) == sorted(r.id for r in REPORTS)
    assert {e["event_id"] for e in per_report} == {e["id"] for e in data}  # each names its merged event


def test_cli_event_json(ledger: Path) -> None:
    (merged_id,) = stored(ledger, "SELECT merged_id FROM merged_mentions WHERE doc_id = 'r-erbil-1'")[0]
    data = json.loads(run("event", str(merged_id), "--db", str(ledger), "--json").stdout)
    assert (data["id"], data["type"], data["reports"], data["killed"]) == (merged_id, "attack", 2, 1)
    assert sorted(m["doc_id"] for m in data["mentions"]) == ["r-erbil-1", "r-erbil-2"]
    assert data["contradictions"] and data["contradictions"][0]["attribute"] == "injured"


def test_cli_truces_and_truce_json(ledger: Path) -> None:
    truces = json.loads(run("truces", "--db", str(ledger), "--json").stdout)
    assert [(t["id"], t["status"], t["parties"]) for t in truces] == [
        ("2021-04-kh-us", "ended (declared over)", ["Kataib Hezbollah"])]
    truce = json.loads(run("truce", "2021-04", "--db", str(ledger), "--json").stdout)
    assert truce["id"] == "2021-04-kh-us" and truce["ended_how"] == "declared over"
    assert [h["status"] for h in truce["history"]] == ["agreed", "ended"]


def test_cli_entities_list_json(ledger: Path, tmp_path: Path) -> None:
    db = tmp_path / "entities.db"
    with Store(db) as store:
        store.save_document(document(REPORTS[0]),
                            [("kataib-hezbollah", "Kataib Hezbollah", 16, 32), ("erbil", "Erbil", 37, 42)],
                            [Entity("kataib-hezbollah", "Kataib Hezbollah", "armed group", country="Iraq"),
                             Entity("erbil", "Erbil", "city", country="Iraq")])
    data = json.loads(run("entities", "list", "--db", str(db), "--json").stdout)
    assert [(e["id"], e["type"], e["mentions"], e["spellings"]) for e in data] == [
        ("erbil", "city", 1, [{"spelling": "Erbil", "mentions": 1}]),
        ("kataib-hezbollah", "armed group", 1, [{"spelling": "Kataib Hezbollah", "mentions": 1}])]


# ---- the truce as it was known ---------------------------------------------------------------------


def test_cli_truce_as_of_shows_no_hindsight(ledger: Path) -> None:
    """Built as of 1 June 2021 the truce is agreed and open: its end was reported in October."""
    then = json.loads(run("truce", "2021-04-kh-us", "--as-of", "2021-06-01", "--db", str(ledger), "--json").stdout)
    assert (then["ended"], then["ended_how"], then["status"], then["as_of"]) == (None, None, "agreed", "2021-06-01")
    assert [h["status"] for h in then["history"]] == ["agreed"]
    assert all(s["published"] <= "2021-06-01" for s in then["sources"])
    card = run("truce", "2021-04-kh-us", "--as-of", "2021-06-01", "--db", str(ledger)).stdout
    assert "declared over" not in card and "2021-10" not in card
    before = run("truce", "2021-04-kh-us", "--as-of", "2021-03-01", "--db", str(ledger))
    one_line_error(before, "no single truce with id '2021-04-kh-us' as of 2021-03-01")


# ---- errors --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [
    ("events",), ("events", "--per-report"), ("event", "1"), ("truces",), ("truce", "x"), ("export",),
    ("export", "--format", "acled-csv"), ("entities", "list"), ("compare",), ("reextract",),
])
def test_cli_reading_a_missing_database_is_an_error(tmp_path: Path, command: tuple[str, ...]) -> None:
    missing = tmp_path / "nope.db"
    result = run(*command, "--db", str(missing))
    one_line_error(result, str(missing), "no such database")
    assert not missing.exists()  # never silently created


@pytest.mark.parametrize(("command", "needle"), [
    (("events", "--since", "2017-13"), "--since='2017-13': there is no month 13"),
    (("events", "--until", "2021-02-30"), "--until='2021-02-30': there is no day 30"),
    (("events", "--since", "last week"), "--since='last week'"),
    (("export", "--until", "2021-00"), "--until='2021-00'"),
    (("truces", "--as-of", "2020-13-01"), "--as-of='2020-13-01'"),
    (("truce", "x", "--as-of", "2020-11-31"), "--as-of='2020-11-31'"),
    (("compare", "--since", "20210"), "--since='20210'"),
])
def test_cli_invalid_dates_are_errors(ledger: Path, command: tuple[str, ...], needle: str) -> None:
    one_line_error(run(*command, "--db", str(ledger)), needle, "YYYY")


@pytest.mark.parametrize("event_id", ["99999999999999999999", "9223372036854775808", "0"])
def test_cli_event_id_out_of_range_is_an_error(ledger: Path, event_id: str) -> None:
    one_line_error(run("event", event_id, "--db", str(ledger)), f"event id {event_id} is out of range")


def test_cli_event_id_unknown_is_an_error(ledger: Path) -> None:
    one_line_error(run("event", "9223372036854775807", "--db", str(ledger)), "no merged event with id")


# ---- a closed pipe ------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [
    ("export",), ("export", "--format", "csv"), ("events",), ("events", "--json"), ("truces",),
])
def test_cli_closed_pipe_is_quiet(ledger: Path, command: tuple[str, ...]) -> None:
    """`trucewatch export | head` and the like: the reader goes away before the first write; no
    "Broken pipe" message, no traceback, and the status of a writer stopped by SIGPIPE (or 0)."""
    process = subprocess.Popen([str(TRUCEWATCH), *command, "--db", str(ledger)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before trucewatch has even started
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) in (0, 141)
    assert stderr == ""


def test_cli_pipe_to_head_gets_the_first_lines(ledger: Path) -> None:
    shell = subprocess.run(f"set -o pipefail; '{TRUCEWATCH}' export --db '{ledger}' | head -n 1; "
                           "echo status ${PIPESTATUS[0]}", shell=True, executable="/bin/bash",
                           capture_output=True, text=True, timeout=120)
    lines = shell.stdout.splitlines()
    assert json.loads(lines[0])["id"]
    assert lines[-1] in ("status 0", "status 141")
    assert "Broken pipe" not in shell.stderr and "Traceback" not in shell.stderr


# ---- the progress bar ---------------------------------------------------------------------------------


def test_cli_ingest_counts_reports_first(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("One report.", encoding="utf-8")
    (folder / "sub" / "b.html").write_text("<p>Another.</p>", encoding="utf-8")
    (folder / "many.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n{"broken\n', encoding="utf-8")
    (folder / "list.json").write_text('[{"text": "x"}, {"text": "y"}]', encoding="utf-8")
    (folder / "feed.rss").write_text("<rss><channel><item><description>x</description></item>"
                                     "<item><description>y</description></item></channel></rss>", encoding="utf-8")
    (folder / "README.md").write_text("not a report", encoding="utf-8")
    (folder / ".hidden.txt").write_text("not read", encoding="utf-8")
    assert count_reports([folder], max_bytes=10_000) == 1 + 1 + 3 + 2 + 2
    assert count_reports([folder / "README.md", tmp_path / "missing.txt"], max_bytes=10_000) == 2  # two rejections
    assert count_reports([folder / "many.jsonl"], max_bytes=10) == 1  # too large: one rejection


def test_cli_ingest_progress_bar_has_a_total_from_the_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for n in range(3):
        (folder / f"r{n}.txt").write_text(
            f"Rockets hit Erbil\n\nThree rockets hit Erbil airport on Sunday, killing {n + 1} contractors, "
            "officials said.\n", encoding="utf-8")
    screen = io.StringIO()
    monkeypatch.setattr(common, "err", Console(file=screen, force_terminal=True, width=160))
    started = time.monotonic()
    result = run("ingest", str(folder), "--db", str(tmp_path / "ledger.db"), "--published", "2021-03-22")
    assert result.exit_code == 0, result.output
    frames = screen.getvalue()
    assert time.monotonic() - started > 0
    assert "counting reports" in frames
    loading = frames.index("loading the extractor")
    assert "0/3" in frames[loading:loading + 400]  # the total is known while the extractor loads
    assert "3/3" in frames and "eta" in frames
