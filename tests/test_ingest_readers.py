"""Reading report files: every format, the date and outlet fallbacks, and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from trucewatch.errors import InputError
from trucewatch.ingest import read_paths
from trucewatch.models import Document, Rejection, content_hash

RESOURCES = Path(__file__).parent / "resources" / "ingest"
NEWS = "Three rockets struck the base late on Sunday, the military said, causing no casualties.\n"


def read(*paths: str | Path, **options: str | int | None) -> tuple[list[Document], list[Rejection]]:
    results = list(read_paths(paths, **options))  # type: ignore[arg-type]
    docs = [r for r in results if isinstance(r, Document)]
    rejections = [r for r in results if isinstance(r, Rejection)]
    assert len(docs) + len(rejections) == len(results)
    return docs, rejections


def read_one(path: str | Path, **options: str | int | None) -> Document:
    docs, rejections = read(path, **options)
    assert not rejections and len(docs) == 1
    return docs[0]


def reject_one(path: str | Path, **options: str | int | None) -> Rejection:
    docs, rejections = read(path, **options)
    assert not docs and len(rejections) == 1
    assert rejections[0].stage == "ingest" and rejections[0].input == str(path)
    return rejections[0]


# ---- plain text ------------------------------------------------------------------------------------

def test_readers_txt() -> None:
    path = RESOURCES / "report.txt"
    doc = read_one(path)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.title == "Militias announce conditional truce"
    assert doc.id == content_hash(doc.text)
    assert doc.source_path == str(path)
    # "BAGHDAD, Dec 21 —" has no year: no date rather than a guessed one
    assert (doc.published, doc.published_source) == (None, None)
    assert [(r.reason, r.text) for r in doc.removed] == [("related-link", "Read more: Who are the armed factions?")]


def test_readers_defaults_apply_only_when_the_file_has_none() -> None:
    txt = read_one(RESOURCES / "report.txt", published="2020-12-21", outlet="Example Mail")
    assert (txt.published, txt.published_source, txt.outlet) == ("2020-12-21", "option", "Example Mail")
    own = read_one(RESOURCES / "record.json", published="2020-01-01", outlet="Other")
    assert (own.published, own.published_source, own.outlet) == ("2021-03-12", "metadata", "Example Post")


@pytest.mark.parametrize("value", ["2021-13-01", "12 March 2021", "yesterday", "2999-01-01"])
def test_readers_bad_published_option_raises_before_reading(value: str) -> None:
    with pytest.raises(InputError, match="--published"):
        read_paths([RESOURCES / "report.txt"], published=value)


# ---- JSON and JSONL --------------------------------------------------------------------------------

def test_readers_json_object() -> None:
    doc = read_one(RESOURCES / "record.json")
    assert (doc.id, doc.title, doc.outlet, doc.url) == (
        "r1", "Factions offer truce", "Example Post", "https://news.example.org/2021/03/12/truce-offer")
    assert (doc.published, doc.published_source) == ("2021-03-12", "metadata")
    assert doc.text.startswith("Factions offer truce\n\nArmed factions")


def test_readers_json_list_rejects_bad_items_and_keeps_the_rest() -> None:
    path = RESOURCES / "records.json"
    docs, rejections = read(path)
    assert [(d.id, d.source_path) for d in docs] == [
        ("a1", f"{path}#1"),
        (content_hash(docs[1].text), f"{path}#3"),
    ]
    assert (docs[0].published, docs[0].published_source) == ("2024-02-07", "metadata")
    assert docs[1].outlet == "Example Wire"
    assert [r.reason for r in rejections] == ["item 2 has no text", "item 4 is not a JSON object",
                                              "item 5 has no text"]


def test_readers_jsonl_broken_line_is_rejected_alone() -> None:
    path = RESOURCES / "reports.jsonl"
    docs, rejections = read(path)
    assert [(d.id, d.source_path) for d in docs] == [("j1", f"{path}#L1"), ("j3", f"{path}#L4"),
                                                     ("j4", f"{path}#L5")]
    assert len(rejections) == 1
    assert (rejections[0].input, rejections[0].line) == (str(path), 2)
    assert rejections[0].reason.startswith("invalid JSON")
    # no 'published': the date in the URL; an unreadable one: a warning, and no date
    assert (docs[0].published, docs[0].published_source) == ("2021-03-12", "url")
    assert (docs[2].published, docs[2].warnings) == (None, ["published value 'last week' is not a date; ignored"])


@pytest.mark.parametrize(("content", "reason"), [
    ('{"id": "x"}', "record has no text"),
    ('{"id": "x", "text": ""}', "record has no text"),
    ('{"id": "x", "text": 42}', "record has a 'text' that is not a string"),
    ('{"text": "A drone hit a base.", "url": ["a"]}', "field 'url' must be a string, not list"),
    ('"just a string"', "JSON must be an object or a non-empty list of objects"),
    ("[]", "JSON must be an object or a non-empty list of objects"),
    ('{"text": "unterminated', "invalid JSON: Unterminated string starting at (line 1, column 10)"),
])
def test_readers_unusable_json(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    assert reject_one(path).reason == reason


def test_readers_json_numeric_id(tmp_path: Path) -> None:
    path = tmp_path / "n.json"
    path.write_text('{"id": 7, "text": "A drone hit a base."}', encoding="utf-8")
    assert read_one(path).id == "7"


# ---- HTML ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("page", "published", "source"), [
    ("page_meta.html", "2021-03-12", "metadata"),  # article:published_time (+03:00 kept as printed)
    ("page_jsonld.html", "2020-10-12", "metadata"),  # JSON-LD datePublished
    ("page_time.html", "2021-06-28", "metadata"),  # <time datetime>
    ("page_old_meta.html", "1987-03-04", "metadata"),  # htmldate refuses pre-1995 dates; ours reads it
    ("page_url.html", "2021-12-29", "url"),  # canonical URL /2021/dec/29/
    ("page_dateline.html", "2023-10-19", "dateline"),  # "Published 19 October, 2023" above the text
    ("page_posted.html", "2021-03-03", "text"),  # "Posted on March 3, 2021 by Staff Writer ..."
    ("page_nodate.html", None, None),  # only a "© 2019" footer: no date, not 2019-01-01
])
def test_readers_html_publication_date(page: str, published: str | None, source: str | None) -> None:
    doc = read_one(RESOURCES / page)
    assert (doc.published, doc.published_source) == (published, source)


def test_readers_html_text_and_metadata() -> None:
    doc = read_one(RESOURCES / "page_meta.html")
    assert doc.title == "Rockets hit base north of the capital"
    assert doc.text.startswith("Rockets hit base north of the capital\nThree rockets struck a military base")
    assert "Home" not in doc.text and "©" not in doc.text
    assert (doc.outlet, doc.author) == ("Example Herald", "Jane Example")
    assert doc.id == content_hash(doc.text)


def test_readers_html_url_and_outlet_option() -> None:
    doc = read_one(RESOURCES / "page_url.html", outlet="Fallback")
    assert doc.url == "https://news.example.com/2021/dec/29/rockets-hit-base"
    assert doc.outlet == "Example Herald"  # the page's own name wins over the default


def test_readers_html_furniture_is_marked_not_removed() -> None:
    doc = read_one(RESOURCES / "page_furniture.html")
    caption = "US soldiers at the base on 29 March 2020 [Jane Example/Example Agency]"
    assert caption in doc.text
    assert [(r.reason, r.text) for r in doc.removed] == [("caption", caption)]
    assert all(doc.text[r.start:r.end] == r.text for r in doc.removed)


def test_readers_html_declared_legacy_charset() -> None:
    doc = read_one(RESOURCES / "page_cp1252.html")
    assert doc.title == "Café talks end in truce"
    assert "at a café in the capital" in doc.text
    assert doc.warnings == []


def test_readers_html_without_article_text_is_rejected() -> None:
    assert reject_one(RESOURCES / "page_empty.html").reason == "no article text found in HTML page"


# ---- feeds -----------------------------------------------------------------------------------------

def test_readers_rss_feed() -> None:
    path = RESOURCES / "feed.rss"
    docs, rejections = read(path)
    assert [d.source_path for d in docs] == [f"{path}#1", f"{path}#2"]
    first, second = docs
    assert first.text == ("Rockets hit air base\nTen rockets struck an air base in the west of the country on "
                          "Wednesday morning, the coalition said.\nThere were no immediate reports of casualties.")
    assert (first.url, first.outlet) == ("https://wire.example.com/world/rockets-hit-air-base", "Example Wire")
    assert (first.published, first.published_source) == ("2021-03-03", "metadata")
    # the full content wins over the short description; scripts are dropped
    assert second.text == ("Truce extended by two months\nThe parties agreed to extend the truce by two months "
                           "on the same terms, the envoy said.")
    assert [(r.input, r.reason) for r in rejections] == [
        (str(path), "feed item 3 has no description or content")]


@pytest.mark.parametrize(("feed", "title", "published", "outlet"), [
    ("feed.atom", "Drone attack on base near airport", "2023-12-26", "Example Monitor"),
    ("feed_rdf.rss", "Ceasefire declared", "2020-10-10", "Example Archive"),
])
def test_readers_atom_and_rdf_feeds(feed: str, title: str, published: str, outlet: str) -> None:
    doc = read_one(RESOURCES / feed)
    assert (doc.title, doc.published, doc.outlet) == (title, published, outlet)
    assert doc.text.startswith(f"{title}\n")


@pytest.mark.parametrize(("name", "reason"), [
    ("doctype.xml", "XML with a DOCTYPE or entity declaration refused (unsafe to expand)"),
    ("not_a_feed.xml", "XML file is not an RSS or Atom feed (root element <catalog>)"),
])
def test_readers_unusable_xml(name: str, reason: str) -> None:
    assert reject_one(RESOURCES / name).reason == reason


# ---- bad input -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"  \n\t\n", "empty file"),
    ("nul.txt", b"Rockets hit\x00\x01\x02 the base", "binary file (contains NUL bytes)"),
    ("control.txt", bytes(range(1, 32)) * 20, "binary file (control characters)"),
    ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes)"),
    ("bad.xml", b"<rss><channel><item>", "invalid XML: no element found: line 1, column 20"),
    ("notes.pdf", b"%PDF-1.4",
     "unsupported file type '.pdf' (expected .atom, .htm, .html, .json, .jsonl, .rss, .txt, .xml)"),
])
def test_readers_bad_files_are_rejected(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert reject_one(path).reason == reason


def test_readers_invalid_utf8_is_decoded_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(b"Talks in Caf\xe9 Riche\n" + NEWS.encode())
    doc = read_one(path)
    assert doc.title == "Talks in Caf\ufffd Riche"
    assert doc.warnings == ["invalid UTF-8 decoded with replacement"]


def test_readers_invalid_utf8_in_one_jsonl_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b'{"id": "a", "text": "Caf\xe9 talks"}\n{"id": "b", "text": "Clean line"}\n')
    docs, rejections = read(path)
    assert not rejections
    assert [d.warnings for d in docs] == [["invalid UTF-8 decoded with replacement"], []]


def test_readers_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Truce holds\n".encode("utf-16"))
    assert read_one(path).text == "Truce holds\n"


def test_readers_crlf_line_ends_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "dos.txt"
    path.write_bytes(b"Truce holds\r\n\r\nThe truce held overnight.\r\n")
    assert read_one(path).text == "Truce holds\n\nThe truce held overnight.\n"


def test_readers_oversized_file_is_rejected_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(50_000_000)  # sparse: 50 MB on paper, nothing written

    def must_not_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("an oversized file was opened")

    monkeypatch.setattr(Path, "open", must_not_open)
    assert reject_one(path).reason == "file too large: 50,000,000 bytes (limit 20,000,000)"
    assert reject_one(path, max_bytes=49_999_999).reason.startswith("file too large")


def test_readers_missing_path(tmp_path: Path) -> None:
    assert reject_one(tmp_path / "nowhere.txt").reason == "file does not exist"
    assert reject_one(tmp_path / "nowhere").reason == "file does not exist"


def test_readers_folders_are_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("Second\n" + NEWS, encoding="utf-8")
    (tmp_path / "a.txt").write_text("First\n" + NEWS, encoding="utf-8")
    (tmp_path / "c.txt").write_text("", encoding="utf-8")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("Hidden\n" + NEWS, encoding="utf-8")
    docs, rejections = read(tmp_path)
    assert [d.title for d in docs] == ["First", "Second"]
    assert [(Path(r.input).name, r.reason) for r in rejections] == [("c.txt", "empty file")]


def test_readers_one_bad_input_never_stops_the_batch(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    report = RESOURCES / "report.txt"
    docs, rejections = read(tmp_path / "missing.txt", bad, report, RESOURCES / "page_empty.html",
                            RESOURCES / "record.json")
    assert [d.id for d in docs] == [content_hash(report.read_text(encoding="utf-8")), "r1"]
    assert len(rejections) == 3


def test_readers_removed_spans_point_into_the_text() -> None:
    docs, _ = read(RESOURCES)
    assert docs
    for doc in docs:
        assert all(doc.text[r.start:r.end] == r.text for r in doc.removed)
