"""Dates as coreference reads them: an ISO date or prefix as the span of days it covers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

Granularity = Literal["day", "month", "year"]


@dataclass(frozen=True)
class DateSpan:
    """An ISO date or prefix as the range of days it covers."""

    value: str
    lo: dt.date
    hi: dt.date
    granularity: Granularity


@lru_cache(maxsize=65536)
def date_span(value: str | None) -> DateSpan | None:
    """'2021' -> 1 Jan..31 Dec 2021; '2021-02' -> February; '2021-02-15' -> that day; else None."""
    if not value:
        return None
    try:
        if len(value) == 4:
            year = int(value)
            return DateSpan(value, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
        if len(value) == 7:
            lo = dt.date(int(value[:4]), int(value[5:7]), 1)
            hi = (lo.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            return DateSpan(value, lo, hi, "month")
        day = dt.date.fromisoformat(value[:10])
        return DateSpan(value[:10], day, day, "day")
    except ValueError:
        return None


def published_day(value: str | None) -> dt.date | None:
    span = date_span(value[:10] if value else None)
    return span.hi if span else None
