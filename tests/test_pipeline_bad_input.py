"""Bad input, through ``pipeline.ingest`` and through the CLI (issue 2, "Bad input").

Every bad input must give one error that names the file (and the line, for JSONL) and the problem;
the rest of the batch goes on; the CLI exits 1 when any input failed; and nothing already stored is
changed by a failed input. Invalid UTF-8 is not a failure: the text is decoded with replacement
characters and a warning says so, because one bad byte should not cost a whole report.

Folders hold other files too (examples/ has a README.md): a folder's files of unsupported kinds are
passed over silently and are not failures, but a file named explicitly is read and fails if it is of
an unsupported kind, since the user asked for it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pytest
from typer.testing import CliRunner, Result

from trucewatch.cli import app
from trucewatch.extract.extractor import Extractor
from trucewatch.models import Document, Event, IngestStats
from trucewatch.nlp.sentences import AnalysedSentence
from trucewatch.pipeline import ingest
from trucewatch.store import Store

# A dated report: a report without a publication date gets a warning of its own (relative dates unresolved).
GOOD = ("Rockets hit Ain al-Asad\nPublished 14 March 2021\n\nThree rockets hit Ain al-Asad Air Base on Sunday, "
        "killing two US soldiers, officials said.\n")
NEWS_LINE = "Two drones targeted Erbil International Airport on Tuesday, injuring four people. "
FIFTY_MB = 50 * 1024 * 1024


def _record(id: str, text: str) -> str:
    return json.dumps({"id": id, "published": "2021-03-22", "title": text.split(".")[0], "text": text})


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _blank(path: Path) -> None:
    path.write_text(" \n\n\t\n", encoding="utf-8")


def _binary(path: Path) -> None:
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)


def _huge(path: Path) -> None:
    line = NEWS_LINE.encode()
    with path.open("wb") as fh:
        fh.write(line * (FIFTY_MB // len(line) + 1))


def _no_article(path: Path) -> None:
    path.write_text("<!doctype html><html><head><title>Home</title></head><body><nav><ul>"
                    "<li><a href='/'>Home</a></li><li><a href='/world'>World</a></li></ul></nav>"
                    "<footer>© 2024 Example News</footer></body></html>", encoding="utf-8")


def _broken_line(path: Path) -> None:
    path.write_text("\n".join([_record("ok-1", NEWS_LINE), '{"id": "broken", "text": "Rockets hit',
                               _record("ok-3", GOOD)]) + "\n", encoding="utf-8")


def _markdown(path: Path) -> None:
    path.write_text("# Notes\n\nNot a report.\n", encoding="utf-8")


@dataclass(frozen=True)
class Bad:
    """One bad input: its file name, how to write it, the problem the error must state, its line."""

    name: str
    write: Callable[[Path], None]
    problem: str
    line: int | None = None
    stored: int = 0  # documents of the file that are still good (the other JSONL lines)

    def __str__(self) -> str:
        return self.name


BAD = [
    Bad("empty.txt", _empty, "empty file"),
    Bad("blank.txt", _blank, "empty file"),
    Bad("binary.txt", _binary, "binary file"),
    Bad("huge.txt", _huge, "file too large"),
    Bad("no_article.html", _no_article, "no article text found"),
    Bad("broken_line.jsonl", _broken_line, "invalid JSON", line=2, stored=2),
    Bad("notes.md", _markdown, "unsupported file type '.md'"),
    Bad("missing.txt", lambda path: None, "does not exist"),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    """One extractor for the module: building the spaCy pipeline is the slow part."""
    return Extractor()


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table a document writes, read straight from SQLite."""
    with sqlite3.connect(db) as conn:
        return {table: [tuple(r) for r in conn.execute(f"SELECT * FROM {table} ORDER BY rowid")]
                for table in ("documents", "sentences", "events", "entity_mentions", "entities")}


def run_ingest(paths: list[Path], db: Path, extractor: Extractor, **options: object) -> IngestStats:
    with Store(db) as store:
        return ingest(paths, store, extractor=extractor, **options)  # type: ignore[arg-type]


# ---- through the library ------------------------------------------------------------------------

@pytest.mark.parametrize("bad", BAD, ids=str)
def test_pipeline_bad_input_is_rejected_and_the_batch_goes_on(bad: Bad, tmp_path: Path,
                                                             extractor: Extractor) -> None:
    path = tmp_path / bad.name
    bad.write(path)
    good = tmp_path / "good.txt"
    good.write_text(GOOD, encoding="utf-8")
    stats = run_ingest([path, good], tmp_path / "ledger.db", extractor)

    assert stats.failed == 1
    [rejection] = stats.rejections
    assert (rejection.stage, rejection.input, rejection.line) == ("ingest", str(path), bad.line)
    assert bad.problem in rejection.reason
    message = str(rejection)
    assert "\n" not in message
    assert message.startswith(f"{path}:{bad.line}: " if bad.line else f"{path}: ")
    # the input after the bad one was read and stored
    assert (stats.read, stats.new) == (1 + bad.stored, 1 + bad.stored)
    assert stats.events_by_type.get("attack", 0) >= 1
    with sqlite3.connect(tmp_path / "ledger.db") as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1 + bad.stored
        recorded = conn.execute("SELECT input, line, stage, reason FROM rejections").fetchall()
    assert recorded == [(str(path), bad.line, "ingest", rejection.reason)]


def test_pipeline_invalid_utf8_is_decoded_with_replacement_and_said(tmp_path: Path,
                                                                     extractor: Extractor) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(GOOD.replace("officials", "offici\xe9ls").encode("latin-1") + b"\xff\xfe tail\n")
    stats = run_ingest([path], tmp_path / "ledger.db", extractor)
    assert (stats.read, stats.new, stats.failed) == (1, 1, 0)
    assert stats.warnings == [f"{path}: invalid UTF-8 decoded with replacement"]
    with Store(tmp_path / "ledger.db") as store:
        [doc] = list(store.documents())
    assert "offici\ufffdls" in doc.text and "\ufffd\ufffd tail" in doc.text
    assert doc.warnings == ["invalid UTF-8 decoded with replacement"]


def test_pipeline_max_bytes_setting_limits_file_size(tmp_path: Path, extractor: Extractor,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "report.txt"
    path.write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("TRUCEWATCH_MAX_BYTES", str(len(GOOD) - 1))
    stats = run_ingest([path], tmp_path / "ledger.db", extractor)
    assert stats.failed == 1 and "file too large" in stats.rejections[0].reason
    assert run_ingest([path], tmp_path / "ledger.db", extractor, max_bytes=len(GOOD)).new == 1


def test_pipeline_folder_skips_files_that_are_not_reports(tmp_path: Path, extractor: Extractor) -> None:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "README.md").write_text("# About these reports\n", encoding="utf-8")
    _binary(folder / "photo.png")
    (folder / ".hidden.txt").write_text(GOOD.replace("Three", "Four"), encoding="utf-8")
    (folder / "sub" / "report.txt").write_text(GOOD, encoding="utf-8")
    stats = run_ingest([folder], tmp_path / "ledger.db", extractor)
    assert (stats.read, stats.new, stats.failed, stats.rejections) == (1, 1, 0, [])


def test_pipeline_failed_inputs_change_nothing_stored(tmp_path: Path, extractor: Extractor) -> None:
    """Bad files with the names and ids of stored reports leave those reports exactly as they were."""
    db = tmp_path / "ledger.db"
    report, records = tmp_path / "report.txt", tmp_path / "records.jsonl"
    report.write_text(GOOD, encoding="utf-8")
    records.write_text(_record("r1", NEWS_LINE) + "\n" + _record("r2", GOOD) + "\n", encoding="utf-8")
    assert run_ingest([report, records], db, extractor).new == 3
    before = snapshot(db)

    _binary(report)  # the same file, now unreadable
    records.write_text(  # r1 now broken, r2 with a text that is not a string
        '{"id": "r1", "text": "Rockets\n' + json.dumps({"id": "r2", "text": 42}) + "\n", encoding="utf-8")
    stats = run_ingest([report, records], db, extractor)
    assert (stats.failed, stats.read) == (3, 0)
    assert sorted((r.input, r.line) for r in stats.rejections) == \
        [(str(records), 1), (str(records), 2), (str(report), None)]
    assert snapshot(db) == before


class _FailOn:
    """An extractor that raises on documents whose text contains ``word``; the others pass through."""

    def __init__(self, inner: Extractor, word: str) -> None:
        self.inner, self.word = inner, word

    def extract(self, doc: Document) -> tuple[list[Event], list[AnalysedSentence]]:
        if self.word in doc.text:
            raise RuntimeError("extractor crashed")
        return self.inner.extract(doc)


def test_pipeline_extraction_failure_keeps_the_stored_version(tmp_path: Path, extractor: Extractor) -> None:
    db = tmp_path / "ledger.db"
    records = tmp_path / "records.jsonl"
    records.write_text(_record("r1", GOOD) + "\n", encoding="utf-8")
    run_ingest([records], db, extractor)
    before = snapshot(db)
    records.write_text(_record("r1", GOOD + "The crashing sentence.") + "\n", encoding="utf-8")
    stats = run_ingest([records], db, cast(Extractor, _FailOn(extractor, "crashing")))
    assert (stats.failed, stats.updated) == (1, 0)
    assert stats.rejections[0].stage == "extract"
    assert "RuntimeError: extractor crashed" in stats.rejections[0].reason
    assert snapshot(db) == before


# ---- through the CLI ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def cli_batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], Result]:
    """One CLI ingest over every bad input plus an invalid-UTF-8 file and a good one."""
    folder = tmp_path_factory.mktemp("batch")
    bad_paths = []
    for bad in BAD:
        bad.write(folder / bad.name)
        bad_paths.append(folder / bad.name)
    latin = folder / "latin.txt"
    latin.write_bytes(GOOD.encode() + b"caf\xe9\n")
    good = folder / "good.txt"
    good.write_text(GOOD.replace("Three", "Five"), encoding="utf-8")
    db = folder / "ledger.db"
    result = CliRunner().invoke(app, ["ingest", *map(str, bad_paths), str(latin), str(good), "--db", str(db)],
                                env={"COLUMNS": "80"})  # narrow: long paths must not wrap
    return db, bad_paths, result


def test_cli_bad_inputs_exit_1_with_one_line_per_failure(cli_batch: tuple[Path, list[Path], Result]) -> None:
    _, bad_paths, result = cli_batch
    assert result.exit_code == 1, result.output
    stderr = [line for line in result.stderr.splitlines() if line.strip()]
    failures = [line for line in stderr if line.startswith("failed")]
    assert len(failures) == len(BAD)  # one per failure (warnings besides: latin.txt, a dateline off its date)
    for bad, path in zip(BAD, bad_paths, strict=True):
        [line] = [s for s in stderr if f"{path}:" in s]
        where = f"{path}:{bad.line}:" if bad.line else f"{path}:"
        assert line.startswith(f"failed {where}") and bad.problem in line, line


def test_cli_invalid_utf8_is_a_warning_not_a_failure(cli_batch: tuple[Path, list[Path], Result]) -> None:
    _, bad_paths, result = cli_batch
    latin = bad_paths[0].parent / "latin.txt"
    [line] = [s for s in result.stderr.splitlines() if str(latin) in s]
    assert line == f"warning {latin}: invalid UTF-8 decoded with replacement"


def test_cli_rest_of_batch_is_stored_and_counted(cli_batch: tuple[Path, list[Path], Result]) -> None:
    db, _, result = cli_batch
    stored = sum(b.stored for b in BAD) + 2  # good JSONL lines, latin.txt, good.txt
    summary = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert [c.strip() for c in summary[0].strip("│").split("│")] == \
        [str(stored), str(stored), "0", "0", str(len(BAD))]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == stored


def test_cli_explicit_folder_with_only_other_files_succeeds(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "README.md").write_text("# nothing to see\n", encoding="utf-8")
    (tmp_path / "docs" / "report.txt").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "docs"), "--db", str(tmp_path / "l.db")])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_cli_bad_setting_value_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text(GOOD, encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(tmp_path / "report.txt"), "--db", str(tmp_path / "l.db")],
                                env={"TRUCEWATCH_MAX_BYTES": "lots", "COLUMNS": "80"})
    assert result.exit_code not in (0, None) and not isinstance(result.exception, ValueError)
    assert [line for line in result.stderr.splitlines() if line.strip()] == \
        ["error: $TRUCEWATCH_MAX_BYTES='lots': expected a whole number"]
