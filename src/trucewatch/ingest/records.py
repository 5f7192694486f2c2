"""JSON and JSON Lines files: records ``{id, url, outlet, published, title, author, text}`` to Documents.

Only ``text`` is required. Anything else a record holds is the sender's business, but the parser must
survive it: Python's JSON parser recurses once per nesting level (a file nested a few thousand levels
deep raises ``RecursionError``) and refuses integers of over 4,300 digits with a bare ``ValueError``.
So nesting is measured before parsing (a linear scan, strings skipped) and refused past
``MAX_DEPTH``; long integers are refused by the parser's own hook; each becomes an ``InputError``
naming the file (and line) and the problem, and the batch goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from trucewatch.errors import InputError
from trucewatch.ingest.decode import check_text, decode
from trucewatch.ingest.documents import Read, make_document
from trucewatch.models import Rejection

STAGE = "ingest"
# A report record is flat; metadata exported from other systems nests a few levels. Far deeper is
# not a record, and the parser would need a stack frame per level.
MAX_DEPTH = 100
MAX_INT_DIGITS = 100  # no id or count in a record needs more; Python refuses over 4,300 anyway
_FIELDS = ("id", "url", "outlet", "published", "title", "author")
# A JSON string (escapes included, unrolled so that it matches in linear time) or a bracket.
_STRING_OR_BRACKET = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def rejection(e: InputError) -> Rejection:
    return Rejection(STAGE, e.problem, e.source, e.line)


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON text (brackets inside strings do not count).
    Only a bound for refusing input: an unbalanced text is left for the parser to reject."""
    depth = deepest = 0
    for m in _STRING_OR_BRACKET.finditer(text):
        c = m[0]
        if c in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif c in "]}":
            depth -= 1
    return deepest


def _int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _LongNumber(len(digits.lstrip("-")))
    return int(digits)


class _LongNumber(Exception):
    """Raised from inside the parser for an integer of too many digits; carries how many."""

    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def load_json(text: str, source: str, line: int | None = None) -> Any:
    """Parse a JSON text; nesting past ``MAX_DEPTH``, integers of over ``MAX_INT_DIGITS`` digits and
    syntax errors are ``InputError``s naming the input."""
    depth = nesting_depth(text)
    if depth > MAX_DEPTH:
        raise InputError(source, f"JSON nested {depth:,} levels deep (at most {MAX_DEPTH})", line)
    try:
        return json.loads(text, parse_int=_int)
    except _LongNumber as e:
        raise InputError(source, f"JSON holds a number of {e.digits:,} digits (at most {MAX_INT_DIGITS})",
                         line) from None
    except json.JSONDecodeError as e:
        where = f"column {e.colno}" if line is not None else f"line {e.lineno}, column {e.colno}"
        raise InputError(source, f"invalid JSON: {e.msg} ({where})", line) from e
    except RecursionError as e:  # the depth check should make this unreachable; kept as a net
        raise InputError(source, "JSON nested too deeply to parse", line) from e


def _field(record: dict[str, Any], name: str, source: str, line: int | None) -> str | None:
    value = record.get(name)
    if value is None or isinstance(value, str):
        return value or None
    if name == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InputError(source, f"field '{name}' must be a string, not {type(value).__name__}", line)


def _record(record: Any, source: str, source_path: str, warnings: list[str],
            line: int | None = None, label: str = "record") -> Read:
    """One JSON object ({id, url, outlet, published, title, text}; only text is required)."""
    if not isinstance(record, dict):
        raise InputError(source, f"{label} is not a JSON object", line)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        problem = "has no text" if text is None or isinstance(text, str) else "has a 'text' that is not a string"
        raise InputError(source, f"{label} {problem}", line)
    fields = {name: _field(record, name, source, line) for name in _FIELDS}
    doc = make_document(text, source, source_path=source_path, id=fields["id"], title=fields["title"],
                        url=fields["url"], outlet=fields["outlet"], author=fields["author"],
                        warnings=warnings, line=line)
    return Read(doc, fields["published"])


def read_json(data: bytes, source: str) -> Iterator[Read | Rejection]:
    """One JSON object, or a list of them (each becomes ``<path>#<n>``)."""
    text, warnings = decode(data, source)
    value = load_json(text, source)
    if isinstance(value, dict):
        yield _record(value, source, source, warnings)
        return
    if not isinstance(value, list) or not value:
        raise InputError(source, "JSON must be an object or a non-empty list of objects")
    for n, item in enumerate(value, 1):
        try:
            yield _record(item, source, f"{source}#{n}", warnings, label=f"item {n}")
        except InputError as e:
            yield rejection(e)


def read_jsonl(data: bytes, source: str, start: int = 0, end: int | None = None) -> Iterator[Read | Rejection]:
    """One JSON object per line; a broken line is rejected alone (``line`` set), the rest go on.

    With ``start``/``end``, only the records whose first byte lies in ``[start, end)`` (a part of
    the file a worker reads), still numbered by their line in the whole file; a failure of the
    whole file (binary, empty) is then raised by the part at ``start`` 0 alone. Lines are taken one
    at a time, never split into a list of the whole file.
    """
    try:
        check_text(data, source)
    except InputError:
        if start == 0:
            raise
        return
    stop = len(data) if end is None else min(end, len(data))
    pos = start
    if start > 0 and data[start - 1:start] != b"\n":  # the record that starts before this part is not ours
        nl = data.find(b"\n", start)
        pos = len(data) if nl < 0 else nl + 1
    n = data.count(b"\n", 0, pos) + 1
    found = False
    while pos < stop:
        nl = data.find(b"\n", pos)
        nl = len(data) if nl < 0 else nl
        raw = data[pos:nl]
        if raw.strip():
            found = True
            try:
                text, warnings = decode(raw, source, line=n)
                yield _record(load_json(text, source, n), source, f"{source}#L{n}", warnings, line=n)
            except InputError as e:
                yield rejection(e)
        pos, n = nl + 1, n + 1
    if not found and start == 0 and not data[stop:].strip():
        raise InputError(source, "empty file")
