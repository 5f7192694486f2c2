"""Read report files into ``Document`` records: plain text, HTML pages, JSON/JSONL records, feeds.

One bad input must never stop a batch: every file (and every JSONL line or feed item) that cannot
be used becomes a ``Rejection`` naming the input and the problem, and reading goes on. Readers
raise ``InputError`` inside; ``read_paths`` turns it into the Rejection.

Every Document leaves here with its publication date resolved (record or page metadata, then the
URL and date lines of the text, then the caller's default) and its page furniture marked in
``removed``; the text itself is never altered after decoding, so offsets stay true.
"""

from __future__ import annotations

import codecs
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, NamedTuple

import trafilatura
from trafilatura.settings import Document as ExtractedPage
from trafilatura.settings import set_date_params

from trucewatch.errors import InputError
from trucewatch.ingest.furniture import find_furniture
from trucewatch.ingest.pubdate import discover_published, parse_date
from trucewatch.models import Document, Rejection, content_hash

STAGE = "ingest"
INVALID_UTF8 = "invalid UTF-8 decoded with replacement"

# htmldate's "extensive search" guesses a date from any year on the page (a "© 2019" footer gives
# 2019-01-01); only dates the page states in its markup count as metadata here.
_DATE_PARAMS = set_date_params(extensive=False)
# The most a control character share of a text may be before it is taken for binary data.
_MAX_CONTROL_SHARE = 0.05
_MIN_SENTENCE_WORDS = 8  # the shortest line that reads as a sentence of a report, not a menu
_SNIFF = 8192  # bytes looked at to tell text from binary and to find an HTML charset
_HTML_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_MARKUP_DATES = (
    re.compile(r"""<meta[^>]+(?:property|name|itemprop)=["'](?:article:published_time|datePublished"""
               r"""|pubdate|publishdate|date|dc\.date)["'][^>]*content=["']([^"']+)["']""", re.IGNORECASE),
    re.compile(r"""<meta[^>]+content=["']([^"']+)["'][^>]*(?:property|name|itemprop)=["']"""
               r"""(?:article:published_time|datePublished|pubdate|publishdate)["']""", re.IGNORECASE),
    re.compile(r'"datePublished"\s*:\s*"([^"]+)"'),
    re.compile(r"""<time[^>]+datetime=["']([^"']+)["']""", re.IGNORECASE),
)
_XML_DECLARATIONS = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                         "blockquote", "tr", "table", "section", "article", "figure", "figcaption"})


class _Read(NamedTuple):
    """A document as a reader found it, with the date its metadata gave (raw), if any."""

    document: Document
    metadata_date: str | None


@dataclass(frozen=True)
class _Defaults:
    """The caller's fallbacks for files that do not say themselves."""

    published: str | None
    outlet: str | None


# ---- bytes to text -------------------------------------------------------------------------------

def _read_bytes(path: Path, max_bytes: int) -> bytes:
    source = str(path)
    try:
        if not path.is_file():
            raise InputError(source, "not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(source, f"file too large: {size:,} bytes (limit {max_bytes:,})")
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as e:
        raise InputError(source, f"cannot read file: {e.strerror or e}") from e
    if len(data) > max_bytes:
        raise InputError(source, f"file too large: over {max_bytes:,} bytes")
    if not data.strip():
        raise InputError(source, "empty file")
    return data


def _check_text(data: bytes, source: str, line: int | None = None) -> None:
    """Refuse binary data: NUL bytes or a high share of control characters."""
    if b"\x00" in data:
        raise InputError(source, "binary file (contains NUL bytes)", line)
    sample = data[:_SNIFF]
    controls = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f")
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise InputError(source, "binary file (control characters)", line)


def _decode(data: bytes, source: str, fallback: str | None = None,
            line: int | None = None) -> tuple[str, list[str]]:
    """Text and warnings. UTF-8 first; then ``fallback`` (a declared charset); else UTF-8 with
    replacement characters and a warning, so that one bad byte does not cost the whole report."""
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        _check_text(data, source, line)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, warnings = _decode_fallback(data, fallback)
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def _decode_fallback(data: bytes, charset: str | None) -> tuple[str, list[str]]:
    if charset:
        try:
            return data.decode(charset), []
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("utf-8", errors="replace"), [INVALID_UTF8]


def _html_charset(data: bytes) -> str | None:
    m = _HTML_CHARSET.search(data[:_SNIFF])
    if not m:
        return None
    name = m[1].decode("ascii", "replace").lower()
    # WHATWG: pages labelled latin-1 are decoded as windows-1252 by every browser.
    return "cp1252" if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii") else name


# ---- readers: bytes -> documents (or rejections of parts) ----------------------------------------

def _read_txt(data: bytes, source: str) -> Iterator[_Read | Rejection]:
    """A plain-text report; its first non-empty line is the title."""
    text, warnings = _decode(data, source)
    title = next((line.strip() for line in text.split("\n") if line.strip()), None)
    yield _Read(Document(id=content_hash(text), text=text, title=title, source_path=source,
                         warnings=warnings), None)


def _markup_date(html: str) -> str | None:
    """A publication date stated in the page markup, for when trafilatura's htmldate gives none
    (it refuses dates before 1995, for instance, and archives hold older reports)."""
    for pattern in _MARKUP_DATES:
        for m in pattern.finditer(html):
            iso = parse_date(m[1])
            if iso:
                return iso
    return None


def _with_title(body: str, title: str | None) -> str:
    """The body with the title as first line, unless the body already opens with it (or with a
    longer form of it, as when a JSON-LD headline is shorter than the page's <h1>)."""
    if not title:
        return body
    first = " ".join(body.split("\n", 1)[0].split()).casefold()
    short = " ".join(title.split()).casefold()
    return body if first.startswith(short) or short.startswith(first) else f"{title}\n{body}"


def _has_sentence(text: str) -> bool:
    """True when some line reads as a sentence; a menu or a list of links has none. Chinese and
    Japanese put no spaces between words, so there a line ending in a full stop counts."""
    return any(len(line.split()) >= _MIN_SENTENCE_WORDS or line.rstrip().endswith(("。", "！", "？"))
               for line in text.split("\n"))


def _read_html(data: bytes, source: str) -> Iterator[_Read | Rejection]:
    """A web page: the article text and metadata as trafilatura extracts them (no network)."""
    html, warnings = _decode(data, source, fallback=_html_charset(data))
    try:
        page = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                           date_extraction_params=_DATE_PARAMS)
    # trafilatura and lxml raise many kinds of errors on malformed pages; any of them means this one
    # page cannot be used, which must not stop the batch.
    except Exception as e:
        raise InputError(source, f"HTML page could not be parsed: {e}") from e
    body = (page.text or "").strip() if isinstance(page, ExtractedPage) else ""
    if not isinstance(page, ExtractedPage) or not _has_sentence(body):
        raise InputError(source, "no article text found in HTML page")
    title = (page.title or "").strip() or None
    text = _with_title(body, title)
    doc = Document(id=content_hash(text), text=text, title=title, url=page.url or None,
                   outlet=page.sitename or None, author=page.author or None, source_path=source,
                   warnings=warnings)
    yield _Read(doc, page.date or _markup_date(html))


def _field(record: dict[str, Any], name: str, source: str, line: int | None) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value or None
    if name == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InputError(source, f"field '{name}' must be a string, not {type(value).__name__}", line)


def _record(record: Any, source: str, source_path: str, warnings: list[str],
            line: int | None = None, label: str = "record") -> _Read:
    """One JSON object ({id, url, outlet, published, title, text}; only text is required)."""
    if not isinstance(record, dict):
        raise InputError(source, f"{label} is not a JSON object", line)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        problem = "has no text" if text is None or isinstance(text, str) else "has a 'text' that is not a string"
        raise InputError(source, f"{label} {problem}", line)
    fields = {name: _field(record, name, source, line)
              for name in ("id", "url", "outlet", "published", "title", "author")}
    doc = Document(id=fields["id"] or content_hash(text), text=text, title=fields["title"],
                   url=fields["url"], outlet=fields["outlet"], author=fields["author"],
                   source_path=source_path, warnings=list(warnings))
    return _Read(doc, fields["published"])


def _read_json(data: bytes, source: str) -> Iterator[_Read | Rejection]:
    """One JSON object, or a list of them (each becomes ``<path>#<n>``)."""
    text, warnings = _decode(data, source)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(source, f"invalid JSON: {e.msg} (line {e.lineno}, column {e.colno})") from e
    if isinstance(value, dict):
        yield _record(value, source, source, warnings)
        return
    if not isinstance(value, list) or not value:
        raise InputError(source, "JSON must be an object or a non-empty list of objects")
    for n, item in enumerate(value, 1):
        try:
            yield _record(item, source, f"{source}#{n}", warnings, label=f"item {n}")
        except InputError as e:
            yield _rejection(e)


def _read_jsonl(data: bytes, source: str) -> Iterator[_Read | Rejection]:
    """One JSON object per line; a broken line is rejected alone (``line`` set), the rest go on."""
    _check_text(data, source)
    found = False
    for n, raw in enumerate(data.split(b"\n"), 1):
        if not raw.strip():
            continue
        found = True
        try:
            text, warnings = _decode(raw, source, line=n)
            try:
                value = json.loads(text)
            except json.JSONDecodeError as e:
                raise InputError(source, f"invalid JSON: {e.msg} (column {e.colno})", n) from e
            yield _record(value, source, f"{source}#L{n}", warnings, line=n)
        except InputError as e:
            yield _rejection(e)
    if not found:
        raise InputError(source, "empty file")


class _FragmentText(HTMLParser):
    """The text of an HTML fragment (a feed item's description), one line per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _fragment_text(markup: str) -> str:
    parser = _FragmentText()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(item: ET.Element, *names: str) -> str | None:
    """The text of the first child named one of ``names`` (any namespace), in ``names`` order."""
    children: dict[str, str] = {}
    for child in item:
        children.setdefault(_local(child.tag), (child.text or "").strip())
    return next((children[name] for name in names if children.get(name)), None)


def _item_link(item: ET.Element) -> str | None:
    for child in item:
        if _local(child.tag) == "link":
            href = child.get("href")  # Atom
            if href and child.get("rel", "alternate") == "alternate":
                return href.strip()
            if child.text and child.text.strip():  # RSS
                return child.text.strip()
    return None


def _read_feed(data: bytes, source: str) -> Iterator[_Read | Rejection]:
    """An RSS 2.0, RSS 1.0 (RDF) or Atom feed: each item with text becomes a Document."""
    text, warnings = _decode(data, source)
    # A DOCTYPE can declare entities that expand exponentially ("billion laughs") or pull in
    # external files; no news feed needs one, so such a file is refused unread.
    if _XML_DECLARATIONS.search(text):
        raise InputError(source, "XML with a DOCTYPE or entity declaration refused (unsafe to expand)")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as e:
        raise InputError(source, f"invalid XML: {e}") from e
    kind = _local(root.tag)
    if kind == "rss":
        channel = next((c for c in root if _local(c.tag) == "channel"), root)
        items = [c for c in channel if _local(c.tag) == "item"]
    elif kind in ("feed", "RDF"):
        channel = root if kind == "feed" else next((c for c in root if _local(c.tag) == "channel"), root)
        items = [c for c in root if _local(c.tag) in ("entry", "item")]
    else:
        raise InputError(source, f"XML file is not an RSS or Atom feed (root element <{kind}>)")
    if not items:
        raise InputError(source, "feed has no items")
    outlet = _child_text(channel, "title")
    for n, item in enumerate(items, 1):
        title = _child_text(item, "title")
        body = _fragment_text(_child_text(item, "encoded", "content", "description", "summary") or "")
        if not body:
            yield Rejection(STAGE, f"feed item {n} has no description or content", source)
            continue
        item_text = _with_title(body, title)
        doc = Document(id=content_hash(item_text), text=item_text, title=title, url=_item_link(item),
                       outlet=outlet, source_path=f"{source}#{n}", warnings=list(warnings))
        yield _Read(doc, _child_text(item, "pubDate", "published", "date", "updated"))


_READERS: dict[str, Callable[[bytes, str], Iterator[_Read | Rejection]]] = {
    ".txt": _read_txt,
    ".html": _read_html,
    ".htm": _read_html,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
    ".xml": _read_feed,
    ".rss": _read_feed,
    ".atom": _read_feed,
}


# ---- the public entry point ----------------------------------------------------------------------

def _rejection(e: InputError) -> Rejection:
    return Rejection(STAGE, e.problem, e.source, e.line)


def _complete(found: _Read, defaults: _Defaults) -> Document:
    """Publication date (metadata > URL > date lines > caller's default), outlet default, furniture."""
    doc = found.document
    doc.published, doc.published_source = discover_published(doc.text, doc.url, found.metadata_date)
    if found.metadata_date and doc.published_source != "metadata":
        doc.warnings.append(f"published value {found.metadata_date!r} is not a date; ignored")
    if doc.published is None and defaults.published:
        doc.published, doc.published_source = defaults.published, "option"
    doc.outlet = doc.outlet or defaults.outlet
    doc.removed = find_furniture(doc.text)
    return doc


def _read_file(path: Path, defaults: _Defaults, max_bytes: int) -> Iterator[Document | Rejection]:
    source = str(path)
    try:
        if not path.exists():
            raise InputError(source, "file does not exist")
        reader = _READERS.get(path.suffix.lower())
        if reader is None:
            kinds = ", ".join(sorted(_READERS))
            raise InputError(source, f"unsupported file type '{path.suffix or path.name}' (expected {kinds})")
        data = _read_bytes(path, max_bytes)
        for found in reader(data, source):
            yield found if isinstance(found, Rejection) else _complete(found, defaults)
    except InputError as e:
        yield _rejection(e)
    except OSError as e:  # e.g. no permission to look at the path at all
        yield Rejection(STAGE, f"cannot read file: {e.strerror or e}", source)


def _files(path: Path) -> list[Path]:
    """The files a path names: itself, or a folder's report files at any depth, sorted. In a folder,
    hidden files and files of other kinds (a README.md, images) are not reports and are passed over;
    a file named explicitly is always read, and rejected if it is of an unsupported kind."""
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.rglob("*")
                  if p.is_file() and p.suffix.lower() in _READERS
                  and not any(part.startswith(".") for part in p.relative_to(path).parts))


def _read_all(paths: Iterable[str | Path], defaults: _Defaults,
              max_bytes: int) -> Iterator[Document | Rejection]:
    for given in paths:
        try:
            files = _files(Path(given))
        except OSError as e:
            yield Rejection(STAGE, f"cannot list folder: {e.strerror or e}", str(given))
            continue
        for path in files:
            yield from _read_file(path, defaults, max_bytes)


def read_paths(paths: Iterable[str | Path], *, published: str | None = None, outlet: str | None = None,
               max_bytes: int = 20_000_000) -> Iterator[Document | Rejection]:
    """Yield one Document per report found (folders recursively, sorted for determinism), or a
    Rejection for each input (or JSONL line) that cannot be used; never raises for bad input,
    never stops the batch.

    ``published`` (YYYY-MM-DD) and ``outlet`` are defaults for reports that do not state their own.
    Raises ``InputError`` at once, before reading anything, when ``published`` is not a date.
    """
    default_date = None
    if published is not None:
        default_date = parse_date(published)
        if default_date is None or default_date != published.strip()[:10]:
            raise InputError("--published", f"{published!r} is not a past date in the form YYYY-MM-DD")
    return _read_all(paths, _Defaults(default_date, outlet), max_bytes)
