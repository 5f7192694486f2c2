"""Helpers shared by the store's tables: time stamps, case folding, full-text queries and the date
filters every event listing takes. Kept apart so that each table's module (documents, merged events,
truces, reference data) builds its SQL the same way."""

from __future__ import annotations

import datetime as dt
import re
from datetime import UTC, datetime
from typing import Any

ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
# SQLite integers are signed 64-bit: a larger id can name no row (and would overflow the driver).
MAX_ROW_ID = 2**63 - 1


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def fold(value: str | None) -> str | None:
    """Case-folding for SQL: SQLite's ``lower()`` only knows ASCII, and actor names often do not."""
    return value.casefold() if value is not None else None


def fts_query(text: str) -> str | None:
    """Turn a user's words into an FTS5 query in which every word must appear.

    Each word is quoted so that punctuation in names ("U.S.", "al-Shabaab") cannot be read as FTS
    syntax and raise; a trailing ``*`` is kept as a prefix search. None when there are no words.
    """
    terms = []
    for word in text.split():
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if word:
            terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms) or None


def check_date(name: str, value: str) -> None:
    """Refuse a date bound that is not a real ISO date or prefix (``2017-13`` has no 13th month,
    ``2021-02-30`` no 30th day): a bound that matches nothing would silently empty a listing."""
    expected = "expected an ISO date or prefix (YYYY, YYYY-MM or YYYY-MM-DD)"
    match = ISO_DATE.fullmatch(value)
    if match is None:
        raise ValueError(f"{name}={value!r}: {expected}")
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"{name}={value!r}: there is no month {month}; {expected}")
    if day is not None:
        try:
            dt.date(year or 1, month or 1, day)
        except ValueError:
            raise ValueError(f"{name}={value!r}: there is no day {day} in that month; {expected}") from None


def event_filters(alias: str, type: str | None, actor: str | None, since: str | None,
                  until: str | None, *, postgres: bool = False) -> tuple[list[str], list[Any]]:
    """WHERE clauses and parameters shared by the per-report and the merged event listings, over
    the table ``alias`` (both have type, actor, target and date columns). A date bound keeps the
    events whose date overlaps it: dates are compared on their common prefix.

    ``postgres``: clauses PostgreSQL's planner reads better, with the same matches: an ASCII part of
    a name by ILIKE rather than case folding every name (but for the rare letters whose lower case
    is ASCII, such as the Kelvin sign), and the years of the date bounds as a range of the date
    index (an overlapping date starts with a year between them)."""
    where: list[str] = []
    params: list[Any] = []
    if type is not None:
        where.append(f"{alias}.type = ?")
        params.append(type)
    if actor is not None and postgres and actor.isascii():
        pattern = "%" + actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append(f"({alias}.actor ILIKE ? ESCAPE '\\' OR {alias}.target ILIKE ? ESCAPE '\\')")
        params += [pattern, pattern]
    elif actor is not None:
        where.append(f"(instr(fold({alias}.actor), fold(?)) > 0 OR instr(fold({alias}.target), fold(?)) > 0)")
        params += [actor, actor]
    for name, bound, op in (("since", since, ">="), ("until", until, "<=")):
        if bound is not None:
            check_date(name, bound)
            where.append(f"substr({alias}.date, 1, min(length({alias}.date), length(?))) {op} "
                         f"substr(?, 1, min(length({alias}.date), length(?)))")
            params += [bound, bound, bound]
            if postgres:
                where.append(f"{alias}.date {op} ?")
                params.append(bound[:4] if op == ">=" else bound[:4] + "~")
    return where, params
