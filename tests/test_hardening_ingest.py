"""Inputs that used to end a whole batch with a traceback (issue 12, "Hardening" and the reliability run).

Each must give one named failure (the file, the line for JSON Lines, and the problem) while the good
inputs after it are stored: JSON nested thousands of levels deep, an id of 5,000 digits, lone
surrogates (JSON's ``"\\ud800"``) in an id or a text, structurally wrong records and feeds, a file
name that is not UTF-8, and errors no reader foresaw.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from trucewatch.extract.extractor import Extractor
from trucewatch.ingest import readers
from trucewatch.ingest.records import MAX_DEPTH, nesting_depth
from trucewatch.models import Document, IngestStats
from trucewatch.pipeline import ingest
from trucewatch.store import Store

GOOD = ("Rockets hit Ain al-Asad\nPublished 14 March 2021\n\nThree rockets hit Ain al-Asad Air Base on Sunday, "
        "killing two US soldiers, officials said.\n")
TEXT = "Two drones targeted Erbil International Airport on Tuesday, injuring four people."
DEEP = 5_000


def _rec(**fields: object) -> str:
    return json.dumps({"published": "2021-03-22", "text": TEXT, **fields})


def _nested(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


@dataclass(frozen=True)
class Case:
    """A bad input: file name, content, the problem its one error must state, its line, good records in it."""

    name: str
    content: str
    problem: str
    line: int | None = None
    stored: int = 0

    def __str__(self) -> str:
        return self.name


CASES = [
    Case("deep_array.json", "[" * DEEP + "]" * DEEP, f"JSON nested {DEEP:,} levels deep (at most {MAX_DEPTH})"),
    Case("deep_field.json", _rec(id="d1", meta=json.loads(_nested(150))), "JSON nested 151 levels deep"),
    Case("deep_line.jsonl", "\n".join([_rec(id="l1"), '{"id": "l2", "meta": ' + _nested(DEEP) + "}",
                                        _rec(id="l3", text=GOOD)]), "nested", line=2, stored=2),
    Case("long_number_id.json", '{"id": ' + "9" * DEEP + ', "text": "' + TEXT + '"}',
         f"JSON holds a number of {DEEP:,} digits"),
    Case("long_number.jsonl", _rec(id="n1") + '\n{"id": -' + "1" * DEEP + ', "text": "x"}\n', "number of 5,000",
         line=2, stored=1),
    Case("long_text_id.json", _rec(id="7" * DEEP), f"id is {DEEP:,} characters long (at most 1,000)"),
    Case("surrogate_id.json", '{"id": "r\\ud800", "text": "' + TEXT + '"}', "id 'r\\ud800' holds a lone surrogate"),
    Case("surrogate_id.jsonl", '{"id": "\\udfff", "text": "x"}\n' + _rec(id="s2"), "lone surrogate", line=1,
         stored=1),
    Case("list_of_lists.json", json.dumps([[{"text": TEXT}]]), "item 1 is not a JSON object"),
    Case("null_text.json", '{"id": "n", "text": null}', "record has no text"),
    Case("number_text.json", '{"id": "n", "text": 12}', "record has a 'text' that is not a string"),
    Case("object_text.jsonl", '{"text": {"body": "Rockets"}}', "not a string", line=1),
    Case("number_published.json", _rec(published=20210322), "field 'published' must be a string, not int"),
    Case("list_id.json", _rec(id=["a"]), "field 'id' must be a string, not list"),
    Case("bool_id.json", _rec(id=True), "field 'id' must be a string, not bool"),
    Case("scalar.json", "12", "JSON must be an object or a non-empty list of objects"),
    Case("feed_nested.xml", "<rss><channel><item><description><p>Rockets hit.</p></description></item>"
         "</channel></rss>", "feed item 1 has no description or content"),
    Case("feed_not_feed.xml", "<html><body>" * 300 + "</body></html>" * 300, "not an RSS or Atom feed"),
    Case("feed_no_items.atom", '<feed xmlns="http://www.w3.org/2005/Atom"><entry2/></feed>', "feed has no items"),
]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def run(paths: list[Path], db: Path, extractor: Extractor) -> IngestStats:
    with Store(db) as store:
        return ingest(paths, store, extractor=extractor)


def stored_ids(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY id")]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_hardening_bad_input_is_one_named_failure_and_the_batch_goes_on(case: Case, tmp_path: Path,
                                                                         extractor: Extractor) -> None:
    bad = tmp_path / case.name
    bad.write_text(case.content, encoding="utf-8")
    good = tmp_path / "zz_good.txt"
    good.write_text(GOOD, encoding="utf-8")
    stats = run([bad, good], tmp_path / "ledger.db", extractor)

    [rejection] = stats.rejections
    assert (rejection.stage, rejection.input, rejection.line) == ("ingest", str(bad), case.line)
    assert case.problem in rejection.reason
    assert str(rejection).startswith(f"{bad}:{case.line}: " if case.line else f"{bad}: ")
    assert "\n" not in str(rejection) and len(str(rejection)) < 300
    assert (stats.failed, stats.new) == (1, 1 + case.stored)
    assert len(stored_ids(tmp_path / "ledger.db")) == 1 + case.stored


def test_hardening_nesting_depth_skips_brackets_inside_strings() -> None:
    assert nesting_depth('{"text": "[[[[{{{{", "a": [1, {"b": "]]]"}]}') == 3
    assert nesting_depth('{"t": "a \\" [[[ \\\\", "u": []}') == 2
    assert nesting_depth("[" * DEEP) == DEEP  # unbalanced: counted, left for the parser to refuse


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_hardening_lone_surrogate_in_text_is_replaced_and_said(suffix: str, tmp_path: Path,
                                                               extractor: Extractor) -> None:
    """An id-less record whose text holds a lone surrogate is stored, the surrogate replaced by U+FFFD
    at the same offset (the content hash needs encodable text), with a warning naming the field."""
    path = tmp_path / f"report{suffix}"
    path.write_text('{"title": "Drone \\udc00 strike", "text": "Rockets \\ud800 hit. ' + TEXT + '"}\n',
                    encoding="utf-8")
    stats = run([path], tmp_path / "ledger.db", extractor)
    assert (stats.new, stats.failed) == (1, 0)
    with Store(tmp_path / "ledger.db") as store:
        [doc] = list(store.documents())
    assert doc.text == f"Rockets \ufffd hit. {TEXT}" and doc.title == "Drone \ufffd strike"
    assert doc.id == doc.content_hash
    assert "lone surrogate code points replaced with U+FFFD in text, title" in doc.warnings


@pytest.mark.skipif(sys.platform == "win32", reason="file names are bytes only on POSIX")
def test_hardening_file_name_that_is_not_utf8_is_read_and_named(tmp_path: Path, extractor: Extractor) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    bad_name = os.fsdecode(b"caf\xe9.json")  # the OS gives the byte back as a lone surrogate
    (folder / bad_name).write_text('{"id": 5', encoding="utf-8")
    (folder / os.fsdecode(b"r\xff.txt")).write_text(GOOD, encoding="utf-8")
    stats = run([folder], tmp_path / "ledger.db", extractor)
    assert (stats.new, stats.failed) == (1, 1)
    assert stats.rejections[0].input == f"{folder}/caf\\xe9.json"
    with Store(tmp_path / "ledger.db") as store:
        [doc] = list(store.documents())
    assert doc.source_path == f"{folder}/r\\xff.txt"


def test_hardening_unforeseen_reader_error_is_named_and_the_batch_goes_on(
        tmp_path: Path, extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    """A parser library's own error (not an ``InputError``) fails that file alone."""
    real = readers._READERS[".txt"]

    def flaky(data: bytes, source: str) -> Iterator[readers.Read | readers.Rejection]:
        if b"Boom" in data:
            raise MemoryError("parser gave up")
        return real(data, source)

    monkeypatch.setitem(readers._READERS, ".txt", flaky)
    bad, good = tmp_path / "a.txt", tmp_path / "b.txt"
    bad.write_text("Boom\n\n" + GOOD, encoding="utf-8")
    good.write_text(GOOD, encoding="utf-8")
    stats = run([bad, good], tmp_path / "ledger.db", extractor)
    assert [(r.input, r.reason) for r in stats.rejections] == [(str(bad), "unreadable: MemoryError: parser gave up")]
    assert stats.new == 1


def test_hardening_failure_completing_one_record_spares_the_others(
        tmp_path: Path, extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    real = readers.find_furniture

    def flaky(text: str) -> list[object]:
        if "Boom" in text:
            raise ValueError("furniture rule failed")
        return real(text)  # type: ignore[return-value]

    monkeypatch.setattr(readers, "find_furniture", flaky)
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join([_rec(id="a"), _rec(id="b", text="Boom. " + TEXT), _rec(id="c", text=GOOD)]),
                    encoding="utf-8")
    stats = run([path], tmp_path / "ledger.db", extractor)
    assert [(r.input, r.reason) for r in stats.rejections] == \
        [(f"{path}#L2", "cannot complete record: ValueError: furniture rule failed")]
    assert stored_ids(tmp_path / "ledger.db") == ["a", "c"]


def test_hardening_store_failure_on_one_document_spares_the_others(
        tmp_path: Path, extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even the status check before extraction is inside the per-document error policy."""
    real = Store.status

    def flaky(self: Store, doc: Document) -> str:
        if doc.id == "b":
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, doc)

    monkeypatch.setattr(Store, "status", flaky)
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join([_rec(id="a"), _rec(id="b"), _rec(id="c", text=GOOD)]), encoding="utf-8")
    stats = run([path], tmp_path / "ledger.db", extractor)
    assert [(r.stage, r.input, r.reason) for r in stats.rejections] == \
        [("store", f"{path}#L2", "OperationalError: disk I/O error")]
    assert stored_ids(tmp_path / "ledger.db") == ["a", "c"]
