"""Read report files into ``Document`` records: plain text, HTML pages, JSON/JSONL records, feeds.

One bad input must never stop a batch: every file (and every JSONL line or feed item) that cannot
be used becomes a ``Rejection`` naming the input and the problem, and reading goes on. Readers
raise ``InputError`` inside; ``read_paths`` turns it into the Rejection. An error no reader foresaw
(a parser library's own) is a Rejection too, naming the file and the error, never a traceback that
ends the batch.

This module owns finding the files and the two formats that need a third-party extractor or none
(HTML, plain text); ``decode`` turns bytes into text, ``records`` reads JSON and JSON Lines,
``feeds`` RSS and Atom, and ``documents`` builds every Document (ids and texts checked there).

Every Document leaves here with its publication date resolved (record or page metadata, then the
URL and date lines of the text, then the caller's default) and its page furniture marked in
``removed``; the text itself is never altered after decoding, so offsets stay true.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import trafilatura
from trafilatura.settings import Document as ExtractedPage
from trafilatura.settings import set_date_params

from trucewatch.errors import InputError
from trucewatch.ingest.decode import decode, html_charset, read_bytes, source_name
from trucewatch.ingest.documents import Read, make_document, with_title
from trucewatch.ingest.feeds import read_feed
from trucewatch.ingest.furniture import find_furniture
from trucewatch.ingest.pubdate import discover_published, parse_date
from trucewatch.ingest.records import read_json, read_jsonl, rejection
from trucewatch.models import Document, Rejection

STAGE = "ingest"

# htmldate's "extensive search" guesses a date from any year on the page (a "© 2019" footer gives
# 2019-01-01); only dates the page states in its markup count as metadata here.
_DATE_PARAMS = set_date_params(extensive=False)
_MIN_SENTENCE_WORDS = 8  # the shortest line that reads as a sentence of a report, not a menu
_MARKUP_DATES = (
    re.compile(r"""<meta[^>]+(?:property|name|itemprop)=["'](?:article:published_time|datePublished"""
               r"""|pubdate|publishdate|date|dc\.date)["'][^>]*content=["']([^"']+)["']""", re.IGNORECASE),
    re.compile(r"""<meta[^>]+content=["']([^"']+)["'][^>]*(?:property|name|itemprop)=["']"""
               r"""(?:article:published_time|datePublished|pubdate|publishdate)["']""", re.IGNORECASE),
    re.compile(r'"datePublished"\s*:\s*"([^"]+)"'),
    re.compile(r"""<time[^>]+datetime=["']([^"']+)["']""", re.IGNORECASE),
)


@dataclass(frozen=True)
class _Defaults:
    """The caller's fallbacks for files that do not say themselves."""

    published: str | None
    outlet: str | None


# ---- readers: bytes -> documents (or rejections of parts) ----------------------------------------

def _read_txt(data: bytes, source: str) -> Iterator[Read | Rejection]:
    """A plain-text report; its first non-empty line is the title."""
    text, warnings = decode(data, source)
    title = next((line.strip() for line in text.split("\n") if line.strip()), None)
    yield Read(make_document(text, source, title=title, warnings=warnings), None)


def _markup_date(html: str) -> str | None:
    """A publication date stated in the page markup, for when trafilatura's htmldate gives none
    (it refuses dates before 1995, for instance, and archives hold older reports)."""
    for pattern in _MARKUP_DATES:
        for m in pattern.finditer(html):
            iso = parse_date(m[1])
            if iso:
                return iso
    return None


def _has_sentence(text: str) -> bool:
    """True when some line reads as a sentence; a menu or a list of links has none. Chinese and
    Japanese put no spaces between words, so there a line ending in a full stop counts."""
    return any(len(line.split()) >= _MIN_SENTENCE_WORDS or line.rstrip().endswith(("。", "！", "？"))
               for line in text.split("\n"))


def _read_html(data: bytes, source: str) -> Iterator[Read | Rejection]:
    """A web page: the article text and metadata as trafilatura extracts them (no network)."""
    html, warnings = decode(data, source, fallback=html_charset(data))
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
    doc = make_document(with_title(body, title), source, title=title, url=page.url or None,
                        outlet=page.sitename or None, author=page.author or None, warnings=warnings)
    yield Read(doc, page.date or _markup_date(html))


_READERS: dict[str, Callable[[bytes, str], Iterator[Read | Rejection]]] = {
    ".txt": _read_txt,
    ".html": _read_html,
    ".htm": _read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".xml": read_feed,
    ".rss": read_feed,
    ".atom": read_feed,
}


# ---- the public entry point ----------------------------------------------------------------------

def _complete(found: Read, defaults: _Defaults) -> Document:
    """Publication date (metadata > URL > date lines > caller's default), outlet default, furniture."""
    doc = found.document
    doc.published, doc.published_source = discover_published(doc.text, doc.url, found.metadata_date)
    if found.metadata_date and doc.published_source != "metadata":
        shown = found.metadata_date if len(found.metadata_date) <= 80 else found.metadata_date[:80] + "..."
        doc.warnings.append(f"published value {shown!r} is not a date; ignored")
    if doc.published is None and defaults.published:
        doc.published, doc.published_source = defaults.published, "option"
    doc.outlet = doc.outlet or defaults.outlet
    doc.removed = find_furniture(doc.text)
    return doc


def _read_file(path: Path, defaults: _Defaults, max_bytes: int,
               span: tuple[int, int | None] | None = None) -> Iterator[Document | Rejection]:
    """The reports of one file, or (``span``) of the JSON Lines records starting in a byte range."""
    source = source_name(path)
    first = span is None or span[0] == 0  # the part that reports a failure of the whole file
    try:
        if not path.exists():
            raise InputError(source, "file does not exist")
        reader = _READERS.get(path.suffix.lower())
        if reader is None:
            kinds = ", ".join(sorted(_READERS))
            raise InputError(source, f"unsupported file type '{path.suffix or path.name}' (expected {kinds})")
        data = read_bytes(path, max_bytes)
        found_in = reader(data, source) if span is None else read_jsonl(data, source, *span)
        for found in found_in:
            yield found if isinstance(found, Rejection) else _completed(found, defaults, source)
    except InputError as e:
        if first or e.line is not None:
            yield rejection(e)
    except OSError as e:  # e.g. no permission to look at the path at all
        if first:
            yield Rejection(STAGE, f"cannot read file: {e.strerror or e}", source)
    # A parser library's own error on input no reader foresaw: this file's remaining records are
    # lost (the reader stopped), the ones already read stand, and the batch goes on.
    except Exception as e:
        if first:
            yield Rejection(STAGE, f"unreadable: {_error(e)}", source)


def _completed(found: Read, defaults: _Defaults, source: str) -> Document | Rejection:
    """The document completed, or a Rejection naming it when completing it fails unforeseen."""
    try:
        return _complete(found, defaults)
    except Exception as e:  # one record's failure must not cost the file's other records
        return Rejection(STAGE, f"cannot complete record: {_error(e)}", found.document.source_path or source)


def _error(e: Exception) -> str:
    """An unforeseen error as one bounded line: its kind and the start of its message."""
    message = " ".join(str(e).split())
    return f"{type(e).__name__}: {message[:200]}" if message else type(e).__name__


def iter_files(path: Path) -> Iterator[Path]:
    """The files a path names: itself, or a folder's report files at any depth, in sorted order
    (each folder's entries sorted by name, folders entered where they sort: the order of sorting
    all the paths, without ever holding the list of them). In a folder, hidden files and folders
    and files of other kinds (a README.md, images) are not reports and are passed over; a file
    named explicitly is always read, and rejected if it is of an unsupported kind. Raises
    ``OSError`` when the folder itself cannot be listed; a sub-folder that cannot be is passed over."""
    if not path.is_dir():
        yield path
        return
    yield from _walk(path, top=True)


def _walk(folder: Path, top: bool = False) -> Iterator[Path]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)  # one folder's names at a time
    except PermissionError:
        if top:
            raise
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = folder / entry.name
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        elif os.path.splitext(entry.name)[1].lower() in _READERS and path.is_file():
            yield path


def _read_all(paths: Iterable[str | Path], defaults: _Defaults,
              max_bytes: int) -> Iterator[Document | Rejection]:
    for part in file_parts(paths, sys.maxsize):  # whole files: one reader reads them all
        if isinstance(part, Rejection):
            yield part
        else:
            yield from _read_file(part.path, defaults, max_bytes)


@dataclass(frozen=True)
class Part:
    """A stretch of one input file, what one worker reads: the whole file (``end`` None), or the
    JSON Lines records whose first byte lies in ``[start, end)``."""

    path: Path
    start: int = 0
    end: int | None = None


def file_parts(paths: Iterable[str | Path], chunk_bytes: int) -> Iterator[Part | Rejection]:
    """The input files under ``paths`` in reading order, a JSON Lines file over ``chunk_bytes`` cut
    into byte ranges of about that size (from its size alone: nothing is read here), or a Rejection
    for a folder that cannot be listed. Reading the parts in order yields what ``read_paths`` does."""
    for given in paths:
        try:
            for path in iter_files(Path(given)):
                size = _jsonl_size(path)
                if size <= chunk_bytes:
                    yield Part(path)
                    continue
                for start in range(0, size, chunk_bytes):
                    yield Part(path, start, start + chunk_bytes if start + chunk_bytes < size else None)
        except OSError as e:
            yield Rejection(STAGE, f"cannot list folder: {e.strerror or e}", source_name(given))


def _jsonl_size(path: Path) -> int:
    """The size of a JSON Lines file that may be cut into parts; 0 for any other file."""
    if path.suffix.lower() != ".jsonl":
        return 0
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read whole, and rejected there with the reason


def read_part(part: Part, *, published: str | None = None, outlet: str | None = None,
              max_bytes: int = 20_000_000) -> Iterator[Document | Rejection]:
    """What ``read_paths`` yields for one part of a file: the reports of a whole file, or of the
    JSON Lines records starting in the part's byte range (named by their line in the whole file);
    a failure of the whole file is reported by its first part only. ``published`` must already be
    checked (``read_paths`` does it)."""
    if part.start == 0 and part.end is None:
        return _read_file(part.path, _Defaults(published, outlet), max_bytes)
    return _read_file(part.path, _Defaults(published, outlet), max_bytes, (part.start, part.end))


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
