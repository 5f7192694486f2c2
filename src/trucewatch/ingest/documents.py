"""Where every reader builds its ``Document``: the checks that must hold before a report goes further.

A reader hands over the fields it found; :func:`make_document` makes sure they can be hashed, stored
and printed before the document leaves ingest. Python strings may hold lone surrogates (JSON's
``"\\ud800"`` escape, the UTF-7 codec) that no UTF codec can encode: hashing or storing such a text
would fail far from its cause, in the store, and end the batch. So here a text field has each lone
surrogate replaced by U+FFFD (one character for one: offsets stay true) and gets a warning, while an
id, which must name the report exactly, is refused with a named error. Ids are bounded in length
too: an id is a key shown in every listing, not a place for a payload.
"""

from __future__ import annotations

from typing import NamedTuple

from trucewatch.errors import InputError
from trucewatch.ingest.decode import LONE_SURROGATE, has_surrogates, replace_surrogates
from trucewatch.models import Document, content_hash

MAX_ID_CHARS = 1_000


class Read(NamedTuple):
    """A document as a reader found it, with the date its metadata gave (raw), if any."""

    document: Document
    metadata_date: str | None


def make_document(text: str, source: str, *, source_path: str | None = None, id: str | None = None,
                  title: str | None = None, url: str | None = None, outlet: str | None = None,
                  author: str | None = None, warnings: list[str] | None = None,
                  line: int | None = None) -> Document:
    """A Document of ``text`` whose id is ``id`` or else the text's content hash.

    ``source`` (and ``line``) name the input in an error; ``source_path`` is what the document
    records as its origin (``source`` itself unless a record of a file has its own, ``file#3``).
    Raises ``InputError`` for an id that is too long or not valid Unicode.
    """
    notes = list(warnings or [])
    if id is not None:
        if len(id) > MAX_ID_CHARS:
            raise InputError(source, f"id is {len(id):,} characters long (at most {MAX_ID_CHARS:,})", line)
        if has_surrogates(id):
            raise InputError(source, f"id {ascii(id)[:80]} holds a lone surrogate (not valid Unicode)", line)
    fields = {"text": text, "title": title, "url": url, "outlet": outlet, "author": author}
    damaged = [name for name, value in fields.items() if value is not None and has_surrogates(value)]
    for name in damaged:
        fields[name] = replace_surrogates(fields[name] or "")
    if damaged:
        notes.append(f"{LONE_SURROGATE} in {', '.join(damaged)}")
    clean = fields["text"] or ""
    return Document(id=id or content_hash(clean), text=clean, title=fields["title"], url=fields["url"],
                    outlet=fields["outlet"], author=fields["author"], source_path=source_path or source,
                    warnings=notes)


def with_title(body: str, title: str | None) -> str:
    """The body with the title as first line, unless the body already opens with it (or with a
    longer form of it, as when a JSON-LD headline is shorter than the page's <h1>)."""
    if not title:
        return body
    first = " ".join(body.split("\n", 1)[0].split()).casefold()
    short = " ".join(title.split()).casefold()
    return body if first.startswith(short) or short.startswith(first) else f"{title}\n{body}"
