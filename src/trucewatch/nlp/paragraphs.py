"""The prose of a report, paragraph by paragraph, with offsets into the text as it was read.

The headline and the lines that are not prose (standfirsts, subheads, captions: they end without a full
stop) are skipped; page furniture set aside at ingest is skipped; hard-wrapped lines (wire copy breaks
lines mid-sentence) are joined back, keeping every offset pointing into ``Document.text``.

A paragraph longer than ``MAX_PARAGRAPH`` (a text of one line, a transcript) is given in pieces cut after
a sentence (else a word): spaCy refuses a text over its ``max_length`` of a million characters, and what
is done per paragraph should not grow with the whole text. :func:`text_pieces` cuts any text that way,
preferring paragraph breaks; the pipeline uses it to read a long report in bounded pieces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from trucewatch.models import Document

MAX_PARAGRAPH = 10_000  # longer than any paragraph of the annotated corpora (6,045 characters)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_SENTENCE_END = re.compile(r"[.!?。！？][\"”’')\]]*\s+")
_SPACE = re.compile(r"\s+")
_TERMINAL = (".", "!", "?", '"', "”", "’", "'", ".)", ".]")
# A dateline opens a wire report: "BAGHDAD, Iraq (AP) —", "ERBIL, Kurdistan Region -", "GAZA CITY, Oct 10 –",
# or an outlet's own tag, "Shafaq News/ "; ``wire`` is the agency named in it. It names where the report
# was filed, not where the events happened.
DATELINE = re.compile(
    r"^(?:(?:[A-Z][A-Z'’.\-]+(?:[ /][A-Z][A-Z'’.\-]+)*)(?:,[ \w.'’\-]{1,30})?"
    r"(?: \((?P<wire>[A-Za-z. ]+)\))?\s+[—–-]+\s+|[A-Z][\w ]{1,30}/\s+)")


def _prose(paragraph: str) -> bool:
    """A headline, standfirst or caption ends without a full stop; a long unpunctuated paragraph is
    still prose (some archives strip the final stop)."""
    return paragraph.endswith(_TERMINAL) or len(paragraph.split()) >= 40


def _lines(document: Document) -> Iterator[tuple[int, str]]:
    """(offset, text) of each non-empty line that is not furniture, without the headline."""
    first = True
    for start, end in document.kept_spans():
        chunk = document.text[start:end]
        pos = 0
        for line in chunk.split("\n"):
            line_start = start + pos
            pos += len(line) + 1
            stripped = line.strip()
            if not stripped:
                continue
            if first:
                first = False
                if document.title and stripped == document.title.strip():
                    continue
            lead = len(line) - len(line.lstrip())
            yield line_start + lead, stripped


def _joined(document: Document) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph of prose, wrapped lines joined back. Spans, not strings, are carried
    while joining: a paragraph of many wrapped lines is sliced once, not once per line."""
    text = document.text
    pending: tuple[int, int] | None = None
    for offset, line in _lines(document):
        if pending is not None:
            p_start, p_end = pending
            gap = text[p_end:offset]
            wrapped = line[:1].islower() or p_end - p_start >= 50
            ends = text[max(p_start, p_end - 2):p_end].endswith(_TERMINAL)
            if not ends and wrapped and not gap.strip() and gap.count("\n") == 1:
                pending = (p_start, offset + len(line))
                continue
            if _prose_span(text, p_start, p_end):
                yield pending
        pending = (offset, offset + len(line))
    if pending is not None and _prose_span(text, *pending):
        yield pending


def _prose_span(text: str, start: int, end: int) -> bool:
    """:func:`_prose` of ``text[start:end]``, counting words only when the ending does not decide."""
    return text[max(start, end - 2):end].endswith(_TERMINAL) or _prose(text[start:end])


def paragraphs(document: Document) -> Iterator[tuple[int, str]]:
    """(offset, text) of each paragraph of prose, wrapped lines joined back (the line breaks become spaces,
    so that offsets stay true); a paragraph over ``MAX_PARAGRAPH`` comes in pieces."""
    for start, end in _joined(document):
        if end - start <= MAX_PARAGRAPH:
            yield start, document.text[start:end].replace("\n", " ")
            continue
        for a, b in text_pieces(document.text, MAX_PARAGRAPH, start, end):
            yield a, document.text[a:b].replace("\n", " ")


def text_pieces(text: str, limit: int, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) of consecutive pieces of ``text[start:end]``, none longer than ``limit``, that together
    hold all of it but the whitespace between them. Each is cut at the last paragraph break before the
    limit, else after the last sentence, else at the last space, else (one endless word) at the limit.
    Only the last half of each window is searched, so the cost is linear in the text."""
    end = len(text) if end is None else end
    pos = _skip_space(text, start, end)
    while end - pos > limit:
        cut = _cut(text, pos, pos + limit)
        piece_end = cut
        while piece_end > pos and text[piece_end - 1].isspace():
            piece_end -= 1
        yield pos, piece_end
        pos = _skip_space(text, cut, end)
    while end > pos and text[end - 1].isspace():
        end -= 1
    if end > pos:
        yield pos, end


def _skip_space(text: str, pos: int, end: int) -> int:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos


def _cut(text: str, lo: int, hi: int) -> int:
    """Where to end a piece that starts at ``lo`` and may end at ``hi`` at the latest."""
    floor = lo + (hi - lo) // 2
    for pattern in (_PARAGRAPH_BREAK, _SENTENCE_END, _SPACE):
        last = None
        for match in pattern.finditer(text, floor, hi):
            last = match
        if last is not None:
            return last.end()
    return hi

