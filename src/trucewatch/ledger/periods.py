"""ISO dates as stretches of days, so that "2022-01" and "2022-01-23" can be compared honestly.

An event dated ``2022-01`` happened on some day of January 2022; whether it falls inside a truce that
began on 2022-01-23 cannot be told, and the ledger must say so rather than guess. Every date the
ledger reads is therefore turned into the ``Period`` of days it may denote, and the questions the
ledger asks ("surely after?", "surely before?", "could be the same?") are asked of periods.
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from dataclasses import dataclass

_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:\d+M)?(?:\d+S)?)?")


@dataclass(frozen=True, order=True)
class Period:
    """The days ``first``..``last`` (inclusive) that an ISO date written as ``value`` may denote."""

    first: dt.date
    last: dt.date
    value: str

    @classmethod
    def parse(cls, value: str | None) -> Period | None:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a longer string is cut to its date); None otherwise."""
        if not value:
            return None
        m = _ISO.match(value)
        if m is None:
            return None
        year, month, day = int(m.group(1)), m.group(2), m.group(3)
        try:
            if day is not None and month is not None:
                d = dt.date(year, int(month), int(day))
                return cls(d, d, d.isoformat())
            if month is not None:
                mo = int(month)
                return cls(dt.date(year, mo, 1), dt.date(year, mo, monthrange(year, mo)[1]), f"{year:04d}-{mo:02d}")
            return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year:04d}")
        except ValueError:
            return None

    @classmethod
    def day(cls, d: dt.date) -> Period:
        return cls(d, d, d.isoformat())

    @property
    def precise(self) -> bool:
        """True for a single day."""
        return self.first == self.last

    def contains(self, d: dt.date) -> bool:
        return self.first <= d <= self.last

    def overlaps(self, other: Period) -> bool:
        """Whether the two may denote the same day."""
        return self.first <= other.last and other.first <= self.last

    def near(self, other: Period, days: int) -> bool:
        """Overlapping, or both single days at most ``days`` apart."""
        if self.overlaps(other):
            return True
        return self.precise and other.precise and abs((self.first - other.first).days) <= days


def add_months(d: dt.date, months: int) -> dt.date:
    """``d`` moved by whole months, the day clamped to the month's length (31 Jan + 1 month = 28/29 Feb)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(d.day, monthrange(year, month)[1]))


def after(start: Period, duration: str) -> Period | None:
    """The period an ISO-8601 duration after ``start`` ends in, as precise as ``start`` is.

    "P12M" after 2022-01-23 is 2023-01-23; after 2021-03 it is 2022-03 (the month is all the text
    gives). Hours count in whole days ("PT30H" after 2025-04-19 is 2025-04-20). None when the
    duration cannot be read.
    """
    m = _DURATION.fullmatch(duration)
    if m is None or not any(m.groups()):
        return None
    years, months, weeks, days, hours = (int(g) if g else 0 for g in m.groups())
    days += weeks * 7 + hours // 24

    def move(d: dt.date) -> dt.date:
        return add_months(d, years * 12 + months) + dt.timedelta(days=days)

    if start.precise:
        return Period.day(move(start.first))
    first, last = move(start.first), move(start.last)
    if len(start.value) == 7 and not days:
        return Period.parse(f"{first.year:04d}-{first.month:02d}")
    if len(start.value) == 4 and not (days or months):
        return Period.parse(f"{first.year:04d}")
    return Period(first, last, f"{first.isoformat()}/{last.isoformat()}")
