"""The prose of a report, paragraph by paragraph, with offsets into the text as it was read.

The headline and the lines that are not prose (standfirsts, subheads, captions: they end without a full
stop) are skipped; page furniture set aside at ingest is skipped; hard-wrapped lines (wire copy breaks
lines mid-sentence) are joined back, keeping every offset pointing into ``Document.text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from trucewatch.models import Document

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


def paragraphs(document: Document) -> Iterator[tuple[int, str]]:
    """(offset, text) of each paragraph of prose, wrapped lines joined back."""
    pending: tuple[int, str] | None = None
    for offset, line in _lines(document):
        if pending is not None:
            p_off, p_text = pending
            gap = document.text[p_off + len(p_text):offset]
            wrapped = line[:1].islower() or len(p_text.rsplit("\n", 1)[-1]) >= 50
            if not p_text.endswith(_TERMINAL) and wrapped and not gap.strip() and gap.count("\n") == 1:
                pending = (p_off, document.text[p_off:offset + len(line)].replace("\n", " "))
                continue
            if _prose(p_text):
                yield pending
        pending = (offset, line)
    if pending is not None and _prose(pending[1]):
        yield pending
