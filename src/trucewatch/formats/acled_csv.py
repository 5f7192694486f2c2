"""Reading an ACLED extract (CSV, as ACLED's export tool and API write it) into reference rows.

Column names are matched without regard to case (older extracts write ``EVENT_DATE``); dates may
be ISO (``2020-01-15``, the API) or written out (``15 January 2020``, older exports). Every row is
checked against ACLED's codebook before anything is stored, and an extract with a bad row is refused
whole, every bad row named by its line: a reference set that silently lost rows would make
``trucewatch compare`` report events as missing that were only misread.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass, fields
from pathlib import Path

from trucewatch.errors import InputError
from trucewatch.formats.acled import SUB_EVENT_TYPES, AcledRow
from trucewatch.formats.cells import unneutralise

REQUIRED = ("event_date", "event_type")
_DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d/%m/%Y", "%d-%m-%Y")
_KNOWN = {f.name for f in fields(AcledRow)} - {"line", "extra"}
_FLOATS = {"latitude": 90.0, "longitude": 180.0}
_INTS = ("year", "time_precision", "geo_precision", "fatalities")
_EVENT_TYPES = {t.casefold(): t for t in SUB_EVENT_TYPES}


class ExtractError(InputError):
    """An extract that cannot be imported: ``problems`` lists every bad row (or the missing columns)."""

    def __init__(self, source: str, problems: list[InputError]) -> None:
        self.problems = problems
        first = problems[0]
        more = f" ({len(problems)} problems in all; nothing was imported)" if len(problems) > 1 else \
            " (nothing was imported)"
        super().__init__(source, first.problem + more, first.line)


@dataclass(frozen=True)
class Extract:
    """An ACLED extract as read: its rows and the SHA-256 of the file (to tell a re-import)."""

    path: Path
    rows: list[AcledRow]
    content_hash: str


def read_extract(path: Path) -> Extract:
    """Read and check every row of an ACLED CSV extract; raises ``InputError`` naming the file (and
    the line) when it cannot be read or is not an ACLED extract, ``ExtractError`` for bad rows."""
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(source, f"cannot read file: {e.strerror or e}") from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(source, f"not UTF-8 text (byte {e.start}); save the extract as UTF-8 CSV") from e
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [(name or "").strip().casefold() for name in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        found = ", ".join(h for h in header[:8] if h) or "no header"
        raise InputError(source, f"not an ACLED extract: no {', '.join(missing)} column (found {found})")
    reader.fieldnames = header
    rows: list[AcledRow] = []
    problems: list[InputError] = []
    for record in reader:
        line = reader.line_num
        try:
            rows.append(_row(record, line, source))
        except InputError as e:
            problems.append(e)
    if problems:
        raise ExtractError(source, problems)
    if not rows:
        raise InputError(source, "the extract has a header but no rows")
    return Extract(path, rows, hashlib.sha256(data).hexdigest())


def _row(record: dict[str | None, str | list[str] | None], line: int, source: str) -> AcledRow:
    if None in record:
        raise InputError(source, "more cells than the header has columns", line)
    cells = {str(k): unneutralise((v if isinstance(v, str) else "").strip()) for k, v in record.items()}
    values: dict[str, object] = {k: v or None for k, v in cells.items() if k in _KNOWN}
    values["event_date"] = _date(cells.get("event_date", ""), source, line)
    values["event_type"], values["sub_event_type"] = _types(cells, source, line)
    for name, limit in _FLOATS.items():
        values[name] = _number(cells.get(name, ""), name, source, line, float, limit)
    for name in _INTS:
        values[name] = _number(cells.get(name, ""), name, source, line, int, None)
    for name in ("time_precision", "geo_precision"):
        if values[name] is not None and values[name] not in (1, 2, 3):
            raise InputError(source, f"{name} {values[name]} is not ACLED's 1, 2 or 3", line)
    if values["fatalities"] is not None and int(str(values["fatalities"])) < 0:
        raise InputError(source, f"fatalities {values['fatalities']} is negative", line)
    extra = {k: v for k, v in cells.items() if k not in _KNOWN and k and v}
    return AcledRow(line=line, extra=extra, **values)  # type: ignore[arg-type]


def _date(value: str, source: str, line: int) -> str:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    raise InputError(source, f"event_date {value!r} is not a date (expected YYYY-MM-DD or '15 January 2020')", line)


def _types(cells: dict[str, str], source: str, line: int) -> tuple[str, str | None]:
    given = cells.get("event_type", "")
    event_type = _EVENT_TYPES.get(given.casefold())
    if event_type is None:
        raise InputError(source, f"event_type {given!r} is not one of ACLED's ({', '.join(SUB_EVENT_TYPES)})", line)
    sub = cells.get("sub_event_type", "")
    if not sub:
        return event_type, None
    known = {s.casefold(): s for s in SUB_EVENT_TYPES[event_type]}
    known["excessive force against protestors"] = "Excessive force against protesters"  # older spelling
    if sub.casefold() not in known:
        raise InputError(source, f"sub_event_type {sub!r} is not one of ACLED's for {event_type!r}", line)
    return event_type, known[sub.casefold()]


def _number(value: str, name: str, source: str, line: int, kind: type[int] | type[float],
            limit: float | None) -> int | float | None:
    if not value:
        return None
    try:
        number = kind(float(value)) if kind is int and value.endswith(".0") else kind(value)
    except ValueError:
        raise InputError(source, f"{name} {value!r} is not a number", line) from None
    if limit is not None and abs(number) > limit:
        raise InputError(source, f"{name} {value} is out of range (±{limit:g})", line)
    return number
