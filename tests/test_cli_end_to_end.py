"""The Quick start, end to end through the CLI: ingest ``examples/``, list events, export them.

The examples folder is ingested once per module (extraction is the slow part) into a database in a
temporary folder; every other test reads that database. What the CLI prints is checked against the
database itself (read with ``sqlite3``, not through ``Store``), so a command that drops, duplicates
or misorders rows is caught rather than compared with itself.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from trucewatch.cli import app
from trucewatch.models import EVENT_TYPES, Event

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
REPORT_SUFFIXES = {".txt", ".html", ".htm", ".json", ".jsonl"}
# Wide enough that Rich never folds a cell of the events table onto a second line.
WIDE = {"COLUMNS": "400"}
GOLD_KEYS = {"type", "mode", "actor", "target", "location", "country", "date", "killed", "injured",
             "conditions", "mediators", "background", "evidence"}
ROW = tuple[str, ...]


def run(*args: str, env: dict[str, str | None] | None = None) -> Result:
    """Invoke the CLI in-process (spaCy is loaded once per test session, not per command)."""
    return CliRunner().invoke(app, list(args), env={**WIDE, **(env or {})})


def table(output: str, title: str) -> tuple[ROW, list[ROW]]:
    """The header and rows of the Rich table printed under ``title`` (box-drawing lines parsed)."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    header: ROW = ()
    rows: list[ROW] = []
    for line in lines[start + 1:]:
        if line.startswith("┃"):
            header = tuple(cell.strip() for cell in line.strip("┃").split("┃"))
        elif line.startswith("│"):
            rows.append(tuple(cell.strip() for cell in line.strip("│").split("│")))
        elif line.startswith("└"):
            break
    return header, rows


def expected_reports() -> int:
    """Reports in examples/: one per report file, one per line of a JSONL file."""
    n = 0
    for path in EXAMPLES.rglob("*"):
        if path.suffix == ".jsonl":
            n += sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
        elif path.suffix in REPORT_SUFFIXES:
            n += 1
    return n


def db_events(db: Path) -> list[sqlite3.Row]:
    """Every stored event with its document's title, read straight from SQLite."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute("SELECT e.*, d.title AS doc_title FROM events e "
                            "JOIN documents d ON d.id = e.doc_id ORDER BY e.id").fetchall()


def one_line_error(result: Result, *needles: str) -> str:
    """Assert the command failed with exactly one non-empty stderr line holding every needle."""
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """examples/ ingested once into a fresh database: (database path, the ingest result)."""
    db = tmp_path_factory.mktemp("cli") / "ledger.db"
    return db, run("ingest", str(EXAMPLES), "--db", str(db))


@pytest.fixture
def db(ingested: tuple[Path, Result]) -> Path:
    return ingested[0]


# ---- ingest -------------------------------------------------------------------------------------

def test_cli_ingest_examples_prints_summary_and_events_by_type(ingested: tuple[Path, Result]) -> None:
    db, result = ingested
    assert result.exit_code == 0, result.output
    # examples/README.md is not a report: a folder skips it without counting a failure.
    assert "README.md" not in result.stderr
    header, rows = table(result.stdout, "Ingest summary")
    assert header == ("read", "new", "updated", "unchanged", "failed")
    n = expected_reports()
    assert rows == [(str(n), str(n), "0", "0", "0")]

    header, rows = table(result.stdout, "Events extracted")
    assert header == ("type", "events")
    printed = {t: int(count) for t, count in rows}
    stored = Counter(row["type"] for row in db_events(db))
    assert printed == dict(stored)
    # The examples were written to cover every event type: the Quick start must show all seven.
    assert set(printed) == set(EVENT_TYPES)
    assert [t for t, _ in rows] == [t for t in EVENT_TYPES if t in printed]  # the schema's order


def test_cli_ingest_again_reports_everything_unchanged(db: Path) -> None:
    before = [tuple(row) for row in db_events(db)]
    result = run("ingest", str(EXAMPLES), "--db", str(db))
    assert result.exit_code == 0, result.output
    n = str(expected_reports())
    assert table(result.stdout, "Ingest summary")[1] == [(n, "0", "0", n, "0")]
    assert [tuple(row) for row in db_events(db)] == before


# ---- events -------------------------------------------------------------------------------------

EVENT_COLUMNS = ("date", "type", "mode", "actor", "target", "place", "killed", "injured", "doc")


def listed(*options: str, db: Path) -> list[dict[str, str]]:
    result = run("events", "--per-report", "--db", str(db), "--limit", "10000", *options)
    assert result.exit_code == 0, result.output
    title = next(line.strip() for line in result.stdout.splitlines() if line.strip().endswith(" events"))
    header, rows = table(result.stdout, title)
    assert header == EVENT_COLUMNS
    assert title == f"{len(rows)} events"
    return [dict(zip(header, row, strict=True)) for row in rows]


def key(row: dict[str, str]) -> tuple[str, str, str]:
    return row["date"], row["type"], row["doc"]


def stored_key(row: sqlite3.Row) -> tuple[str, str, str]:
    return row["date"] or "?", row["type"], row["doc_id"][:12]


def test_cli_events_lists_every_event_newest_first(db: Path) -> None:
    rows = listed(db=db)
    assert Counter(map(key, rows)) == Counter(map(stored_key, db_events(db)))
    dates = [r["date"] for r in rows]
    dated = [d for d in dates if d != "?"]
    assert dated == sorted(dated, reverse=True)
    assert dates == dated + ["?"] * (len(dates) - len(dated))  # undated events come last


def test_cli_events_limit(db: Path) -> None:
    result = run("events", "--per-report", "--db", str(db), "--limit", "3")
    assert result.exit_code == 0
    assert len(table(result.stdout, "3 events")[1]) == 3


@pytest.mark.parametrize("event_type", ["strike", "ceasefire", "troop_change"])
def test_cli_events_filter_by_type(db: Path, event_type: str) -> None:
    rows = listed("--type", event_type, db=db)
    expected = [r for r in db_events(db) if r["type"] == event_type]
    assert rows and {r["type"] for r in rows} == {event_type}
    assert Counter(map(key, rows)) == Counter(map(stored_key, expected))


@pytest.mark.parametrize("actor", ["Kataib Hezbollah", "houthis"])
def test_cli_events_filter_by_actor_or_target(db: Path, actor: str) -> None:
    rows = listed("--actor", actor, db=db)
    expected = [r for r in db_events(db)
                if actor.casefold() in f"{r['actor'] or ''}\n{r['target'] or ''}".casefold()]
    assert rows and len(rows) < len(db_events(db))
    assert all(actor.casefold() in (r["actor"] + r["target"]).casefold() for r in rows)
    assert Counter(map(key, rows)) == Counter(map(stored_key, expected))


def test_cli_events_filter_by_date_range(db: Path) -> None:
    rows = listed("--since", "2021-01-01", "--until", "2021-12-31", db=db)
    expected = [r for r in db_events(db) if (r["date"] or "").startswith("2021")]
    assert rows and all(r["date"].startswith("2021") for r in rows)
    assert Counter(map(key, rows)) == Counter(map(stored_key, expected))


def test_cli_events_full_text_search(db: Path) -> None:
    rows = listed("--text", "truce", db=db)
    word = re.compile(r"\btruce\b", re.IGNORECASE)
    expected = [r for r in db_events(db) if word.search(f"{r['evidence']}\n{r['doc_title'] or ''}")]
    assert rows and len(rows) < len(db_events(db))
    assert Counter(map(key, rows)) == Counter(map(stored_key, expected))


@pytest.mark.parametrize(
    ("options", "needles"),
    [
        (("--type", "bombing"), ("unknown event type 'bombing'", "attack", "troop_change")),
        (("--since", "last week"), ("since='last week'", "YYYY")),
    ],
)
def test_cli_events_bad_filter_is_a_one_line_error(db: Path, options: tuple[str, ...],
                                                   needles: tuple[str, ...]) -> None:
    # Rich wraps at the console width unless told not to: an 80-column terminal must still get one line.
    result = run("events", "--db", str(db), *options, env={"COLUMNS": "80"})
    one_line_error(result, "error:", *needles)


# ---- export -------------------------------------------------------------------------------------

def export(db: Path, fmt: str, out: Path) -> Result:
    result = run("export", "--format", fmt, "-o", str(out), "--db", str(db))
    assert result.exit_code == 0, result.output
    return result


def test_cli_export_gold_jsonl_has_exactly_the_gold_schema(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "gold.jsonl"
    export(db, "gold-jsonl", out)
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    with sqlite3.connect(db) as conn:
        doc_ids = {row[0] for row in conn.execute("SELECT id FROM documents")}
    assert len(records) == len(doc_ids) == expected_reports()  # one line per document
    assert {r["id"] for r in records} == doc_ids
    assert {"ll-2021-03-22", "tw-2021-06-28", "mm-2021-07-27"} <= doc_ids  # JSONL ids are kept
    events = [e for r in records for e in r["events"]]
    assert all(set(r) == {"id", "events"} for r in records)
    assert all(set(e) == GOLD_KEYS for e in events)
    assert set(Event.GOLD_FIELDS) == GOLD_KEYS
    assert len(events) == len(db_events(db))
    for e in events:
        assert e["type"] in EVENT_TYPES
        assert isinstance(e["background"], bool)
        assert e["evidence"] and isinstance(e["evidence"], str)
        assert all(e[k] is None or isinstance(e[k], int) for k in ("killed", "injured"))
        assert all(e[k] is None or isinstance(e[k], list) for k in ("conditions", "mediators"))


def test_cli_export_mentions_jsonl_one_event_per_line_with_provenance(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.jsonl"
    export(db, "mentions-jsonl", out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert Counter((r["doc_id"], r["type"], r["evidence"]) for r in rows) == \
        Counter((r["doc_id"], r["type"], r["evidence"]) for r in db_events(db))
    assert all(GOLD_KEYS <= set(r) and {"outlet", "url", "published", "title"} <= set(r) for r in rows)


def test_cli_export_mentions_csv_one_row_per_report_event(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "mentions.csv"
    result = export(db, "mentions-csv", out)
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        assert reader.fieldnames and {"event_id", "mention_id", "doc_id", "type", "date", "evidence"} <= set(
            reader.fieldnames)
    assert Counter((r["doc_id"], r["type"], r["evidence"].removeprefix("'")) for r in rows) == \
        Counter((r["doc_id"], r["type"], r["evidence"]) for r in db_events(db))
    with sqlite3.connect(db) as conn:
        merged_of = dict(conn.execute("SELECT event_id, merged_id FROM merged_mentions"))
    assert {int(r["mention_id"]): int(r["event_id"]) for r in rows} == merged_of  # each row names its event
    assert f"wrote {len(rows)} records to {out}" in result.stderr


def test_cli_export_csv_one_row_per_merged_event_with_its_id(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "events.csv"
    export(db, "csv", out)
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with sqlite3.connect(db) as conn:
        stored = {row[0]: row[1:] for row in conn.execute(
            "SELECT id, type, date, reports, sources FROM merged_events WHERE reports > 0")}
        documents = {m: {d for (d,) in conn.execute("SELECT doc_id FROM merged_mentions WHERE merged_id = ?", (m,))}
                     for m in stored}
    assert sorted(int(r["id"]) for r in rows) == sorted(stored)
    for r in rows:
        type_, date, reports, sources = stored[int(r["id"])]
        assert (r["type"], r["date"] or None, int(r["reports"]), int(r["sources"])) == (type_, date, reports, sources)
        assert set(r["documents"].split("; ")) == documents[int(r["id"])]
        assert "doc_id" not in r  # no 64-character hash column: the documents are listed by id


def test_cli_export_to_stdout(db: Path) -> None:
    result = run("export", "--format", "gold-jsonl", "--db", str(db))
    assert result.exit_code == 0
    assert len([json.loads(line) for line in result.stdout.splitlines()]) == expected_reports()


def test_cli_export_unknown_format_is_a_one_line_error(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "ledger.xml"
    result = run("export", "--format", "xml", "-o", str(out), "--db", str(db), env={"COLUMNS": "80"})
    one_line_error(result, "unknown format 'xml'", "gold-jsonl", "jsonl", "mentions-jsonl", "csv")
    assert not out.exists()


# ---- where the database is ----------------------------------------------------------------------

REPORT = ("Rockets hit Ain al-Asad\n\nThree rockets hit Ain al-Asad Air Base on Sunday, killing two US "
          "soldiers, officials said.\n")


def test_cli_database_from_trucewatch_db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a wrong default would land here, not in the repository
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    env_db = tmp_path / "from-env.db"
    env: dict[str, str | None] = {"TRUCEWATCH_DB": str(env_db)}
    result = run("ingest", "report.txt", "--published", "2021-03-22", env=env)
    assert result.exit_code == 0, result.output
    assert env_db.exists() and not (tmp_path / "trucewatch.db").exists()
    listed = table(run("events", "--per-report", env=env).stdout, "1 events")[1]
    rows = [dict(zip(EVENT_COLUMNS, r, strict=True)) for r in listed]
    assert [(r["date"], r["type"], r["killed"]) for r in rows] == [("2021-03-21", "attack", "2")]
    # --db wins over the environment
    other = tmp_path / "other.db"
    assert run("ingest", "report.txt", "--db", str(other), env=env).exit_code == 0
    assert other.exists()


def test_cli_database_defaults_to_trucewatch_db_in_working_dir(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "report.txt").write_text(REPORT, encoding="utf-8")
    result = run("ingest", "report.txt", env={"TRUCEWATCH_DB": None})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "trucewatch.db").exists()


def test_cli_database_in_missing_folder_is_a_one_line_error(tmp_path: Path) -> None:
    result = run("events", "--db", str(tmp_path / "no" / "such" / "ledger.db"), env={"COLUMNS": "80"})
    one_line_error(result, "error:", "does not exist")


def test_cli_events_per_report_and_contested_together_is_a_one_line_error(db: Path) -> None:
    result = run("events", "--per-report", "--contested", "--db", str(db), env={"COLUMNS": "80"})
    one_line_error(result, "error:", "--contested", "--per-report")


@pytest.mark.parametrize(("command", "words"), [
    (("events",), ("sources", "reports", "contested")),
    (("events", "--per-report"), ("injured", "doc")),
    (("truces",), ("counterpart", "violations")),
])
def test_cli_tables_piped_without_columns_are_not_squeezed(db: Path, command: tuple[str, ...],
                                                           words: tuple[str, ...]) -> None:
    """Output piped to a file or a CI log (no terminal, no COLUMNS) must keep whole column names."""
    result = run(*command, "--db", str(db), env={"COLUMNS": None})
    assert result.exit_code == 0, result.output
    header = next(line for line in result.stdout.splitlines() if line.startswith("┃"))
    assert all(f" {w} " in header for w in words), header


# ---- the field's formats on what the extractor read ---------------------------------------------------

def test_cli_acled_round_trip_on_the_examples(db: Path, tmp_path: Path) -> None:
    """Export as ACLED, import, compare: every event ACLED can hold comes back, and nothing else."""
    extract = tmp_path / "examples-acled.csv"
    export(db, "acled-csv", extract)
    with extract.open(encoding="utf-8", newline="") as fh:
        exported = [row["event_id_cnty"] for row in csv.DictReader(fh)]
    other = tmp_path / "copy.db"
    other.write_bytes(db.read_bytes())  # the module's ledger stays without a reference set
    assert run("import", str(extract), "--db", str(other)).exit_code == 0
    result = run("compare", "--db", str(other), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    with sqlite3.connect(db) as conn:
        without_month = conn.execute("SELECT count(*) FROM merged_events WHERE reports > 0 AND "
                                     "(date IS NULL OR length(date) < 7)").fetchone()[0]
    assert exported and data["counts"] == {"matched": len(exported), "ledger_only": 0, "acled_only": 0,
                                           "ledger_not_compared": without_month, "acled_not_compared": 0}


def test_cli_ingest_stores_the_truce_records(db: Path) -> None:
    shown = json.loads(run("truces", "--db", str(db), "--json").stdout)
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT id, status FROM truces ORDER BY rowid").fetchall()
        stale = conn.execute("SELECT stale FROM truce_state").fetchone()[0]
    assert shown and stored == [(t["id"], t["status"]) for t in shown]
    assert stale == 0
