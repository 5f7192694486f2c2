"""Time expressions -> ISO dates, resolved against the publication date.

`find_time_expressions` is what the extractor calls: the tagger (`trucewatch.resolve.timex`) finds
the spans and says what their words state; this module turns that into values on the calendar.

Rules, chosen so that a value is never more precise than the text:

* Granularity is honest. "January 2020" is ``2020-01``, "early 2020" is ``2020``; a time of day is
  never a date by itself ("at 7:20am" alone has value None; next to a date it joins it:
  "at 6:45am local time on 9 May" is one expression, 3 March).
* Weeks have no ISO granularity here. "last week" (the Monday-Sunday week before), "the past
  weekend", "a week ago" (three days either side of seven days back) resolve to the days they may
  cover, written at the coarsest level those days share: the month when they fall in one month,
  else the year, else None.
* Seasons ("last summer") give the year when the season falls within one; winter spans two: None.
* A weekday without "next" is the most recent such day on or before the reference (a Sunday
  report's "on Sunday" is that day). "last Sunday" is the most recent strictly before it, "next
  Sunday" the first strictly after, "this Sunday" the one in the reference's Monday-Sunday week.
* A month without a year is the most recent such month not after the reference month ("in
  December" in a January report is last year's); "last October" is the most recent strictly before
  the reference month; "next March" the first strictly after.
* A day and month without a year ("3 March") is the most recent such day not more than three days
  after the reference (reports are often updated a few days after the date they carry).
* Looking ahead: when the words before say so ("the truce will start on Saturday", "starting
  Friday") a weekday, month or day-month takes the next one on or after the reference instead.
  A deadline on a weekday ("until midnight on Sunday") looks ahead too; on a date or month ("by
  September 15", "held until October") it takes whichever is nearest.
* Numeric dates "01-04-2022": a part above 12 settles the order; else a weekday written beside
  it, else a reading equal to the reference (datelines carry the publication date); else only
  the year is certain and the value is ``YYYY``.
* Anaphoric expressions ("two days later", "the previous day") keep value None and give
  ``offset_days``, read as written: "later"/"after" +N, "earlier"/"before" -N, hours 0. In "X two
  days after Y" X is Y + 2; the caller anchors them with `shift`.

Without a reference date every value that needs one is None; dates written in full still resolve.
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from dataclasses import dataclass, replace
from typing import Literal

from trucewatch.resolve.timex import tag
from trucewatch.resolve.timex_frames import (
    Anaphor,
    CalendarDate,
    ClockTime,
    DayOffset,
    DayWindow,
    Deadline,
    Direction,
    Duration,
    PeriodOffset,
    Point,
    Range,
    Season,
    Tagged,
    Weekday,
)

Granularity = Literal["day", "month", "year"]
Kind = Literal["point", "duration", "deadline", "range", "anaphoric"]

__all__ = ["TimeExpr", "find_time_expressions", "shift"]


@dataclass(frozen=True)
class TimeExpr:
    """One time expression of a sentence, resolved as far as the words and the reference allow.

    ``start``/``end`` are character offsets into the text given. ``value`` is ISO ``YYYY-MM-DD``,
    ``YYYY-MM`` or ``YYYY`` (``granularity`` says which), None when it needs a reference date that
    was not given, or for durations, anaphoric expressions and times of day alone. ``relative`` is
    True when the value was worked out from the reference (or, for anaphoric ones, has to be from
    another time) rather than stated in full. ``duration`` is ISO-8601 ("P12M", "PT30H") for
    durations and "within" deadlines. ``end_value`` closes ranges (None for "since ...") and
    deadlines. ``offset_days`` is set for anaphoric expressions: the clause lies that many days
    after (+) or before (-) the time the phrase points to ("two days later" +2, "the previous day"
    -1, "hours after" 0); None when the words give no whole number of days ("months later").
    """

    start: int
    end: int
    text: str
    value: str | None
    granularity: Granularity | None
    kind: Kind
    relative: bool
    duration: str | None = None
    end_value: str | None = None
    offset_days: int | None = None


@dataclass(frozen=True)
class _Period:
    """A resolved stretch of days and its honest ISO name."""

    value: str
    granularity: Granularity
    first: dt.date
    last: dt.date


def _day(d: dt.date) -> _Period:
    return _Period(d.isoformat(), "day", d, d)


def _month(year: int, month: int) -> _Period:
    return _Period(f"{year:04d}-{month:02d}", "month", dt.date(year, month, 1),
                   dt.date(year, month, monthrange(year, month)[1]))


def _year(year: int) -> _Period:
    return _Period(f"{year:04d}", "year", dt.date(year, 1, 1), dt.date(year, 12, 31))


def _between(first: dt.date, last: dt.date) -> _Period | None:
    """The coarsest ISO name the days ``first``..``last`` share; None when they share no year."""
    if first == last:
        return _day(first)
    if (first.year, first.month) == (last.year, last.month):
        return _Period(f"{first.year:04d}-{first.month:02d}", "month", first, last)
    if first.year == last.year:
        return _Period(f"{first.year:04d}", "year", first, last)
    return None


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _choose(candidates: list[dt.date], pivot: dt.date, direction: Direction,
            slack: int = 0) -> dt.date | None:
    """The candidate the direction asks for: last on/before pivot (+slack days), first on/after, nearest."""
    if direction == "past":
        before = [c for c in candidates if c <= pivot + dt.timedelta(days=slack)]
        return max(before) if before else None
    if direction == "future":
        after = [c for c in candidates if c >= pivot]
        return min(after) if after else None
    return min(candidates, key=lambda c: (abs((c - pivot).days), c < pivot)) if candidates else None


def _calendar(f: CalendarDate, pivot: dt.date | None, reference: dt.date | None,
              direction: Direction) -> _Period | None:
    if f.year is not None and f.month is not None and f.day is not None:
        if f.swapped:
            return _numeric(f, reference)
        return _day(dt.date(f.year, f.month, f.day))
    if f.year is not None and f.month is not None:
        return _month(f.year, f.month)
    if f.year is not None:
        return _year(f.year)
    if f.year_offset is not None:
        if reference is None:
            return None
        return _calendar(replace(f, year=reference.year + f.year_offset, year_offset=None), pivot, reference,
                         direction)
    if pivot is None or f.month is None:
        return None
    if f.day is not None:
        dates = []
        for y in (pivot.year - 1, pivot.year, pivot.year + 1):
            if f.day <= monthrange(y, f.month)[1]:
                dates.append(dt.date(y, f.month, f.day))
        if f.weekday is not None and (same := [d for d in dates if d.weekday() == f.weekday]):
            return _day(min(same, key=lambda d: abs((d - pivot).days)))
        chosen = _choose(dates, pivot, direction, slack=3)
        return _day(chosen) if chosen else None
    if f.which == "this":
        return _month(pivot.year, f.month)
    if f.which == "last":
        return _month(pivot.year if f.month < pivot.month else pivot.year - 1, f.month)
    if f.which == "next":
        return _month(pivot.year if f.month > pivot.month else pivot.year + 1, f.month)
    months = [dt.date(y, f.month, 1) for y in (pivot.year - 1, pivot.year, pivot.year + 1)]
    chosen = _choose(months, pivot.replace(day=1), direction)
    return _month(chosen.year, chosen.month) if chosen else None


def _numeric(f: CalendarDate, reference: dt.date | None) -> _Period | None:
    """A numeric date both of whose readings are valid ("01-04-2022"): see the module docstring."""
    assert f.year is not None and f.month is not None and f.day is not None
    readings = [dt.date(f.year, f.month, f.day), dt.date(f.year, f.day, f.month)]
    if f.weekday is not None and len(fit := [d for d in readings if d.weekday() == f.weekday]) == 1:
        return _day(fit[0])
    if reference in readings:
        return _day(reference)
    return _year(f.year)


def _weekday(f: Weekday, pivot: dt.date, direction: Direction) -> _Period:
    back = (pivot.weekday() - f.weekday) % 7
    ahead = (f.weekday - pivot.weekday()) % 7
    if f.which == "last":
        return _day(pivot - dt.timedelta(days=back or 7))
    if f.which == "next":
        return _day(pivot + dt.timedelta(days=ahead or 7))
    if f.which == "this":
        return _day(pivot + dt.timedelta(days=f.weekday - pivot.weekday()))
    if direction == "future" or (direction == "nearest" and ahead < back):
        return _day(pivot + dt.timedelta(days=ahead))
    return _day(pivot - dt.timedelta(days=back))


def _period(f: PeriodOffset, reference: dt.date, direction: Direction) -> _Period | None:
    if f.unit == "year":
        return _year(reference.year + (f.offset or 0))
    if f.unit == "month":
        return _month(*_add_months(reference.year, reference.month, f.offset or 0))
    monday = reference - dt.timedelta(days=reference.weekday())
    if f.unit == "week":
        first = monday + dt.timedelta(weeks=f.offset or 0)
        last = first + dt.timedelta(days=6)
        if f.part == "early":
            last = reference
        elif f.part == "late":
            first = reference
        return _between(first, last)
    offset = f.offset if f.offset is not None else 1 if direction == "future" else -1
    if offset == 0:
        saturday = monday + dt.timedelta(days=5)
    elif offset < 0:  # the most recent weekend that began before the reference
        saturday = reference - dt.timedelta(days=(reference.weekday() - 5) % 7 or 7)
    else:
        saturday = reference + dt.timedelta(days=(5 - reference.weekday()) % 7 or 7)
    return _between(saturday, saturday + dt.timedelta(days=1))


def _season(f: Season, pivot: dt.date, direction: Direction) -> _Period | None:
    def occurrence(year: int) -> tuple[dt.date, dt.date]:
        end_year = year if f.last_month >= f.first_month else year + 1
        return (dt.date(year, f.first_month, 1),
                dt.date(end_year, f.last_month, monthrange(end_year, f.last_month)[1]))

    seasons = [occurrence(y) for y in (pivot.year - 2, pivot.year - 1, pivot.year, pivot.year + 1)]
    month_start = pivot.replace(day=1)
    if f.which == "last":
        chosen = max(s for s in seasons if s[1] < month_start)
    elif f.which == "next":
        chosen = min(s for s in seasons if s[0] > pivot)
    elif f.which == "this":
        chosen = next((s for s in seasons if s[0] <= pivot <= s[1]), occurrence(pivot.year))
    elif direction == "future":
        chosen = min(s for s in seasons if s[1] >= pivot)
    else:
        chosen = max(s for s in seasons if s[0] <= pivot)
    return _between(*chosen)


def _resolve(f: Point, reference: dt.date | None, direction: Direction,
             pivot: dt.date | None = None) -> _Period | None:
    """Where ``f`` falls. ``pivot`` (default: the reference) anchors the parts the words leave out;
    offsets from now ("yesterday", "last month") always count from the reference."""
    pivot = pivot or reference
    match f:
        case CalendarDate():
            return _calendar(f, pivot, reference, direction)
        case ClockTime():
            return None
        case Season(year=int(year)):
            return _year(year)
    if pivot is None or reference is None:
        return None
    match f:
        case Weekday():
            return _weekday(f, pivot, direction)
        case DayOffset(days=days):
            return _day(reference + dt.timedelta(days=days))
        case DayWindow(first=first, last=last):
            return _between(reference + dt.timedelta(days=first), reference + dt.timedelta(days=last))
        case PeriodOffset():
            return _period(f, reference, direction)
        case Season():
            return _season(f, pivot, direction)
    raise TypeError(f"not a point frame: {f!r}")


def _needs_reference(f: Point) -> bool:
    match f:
        case CalendarDate(year=year):
            return year is None
        case Season(year=year):
            return year is None
        case ClockTime():
            return False
    return True


def _resolve_range(r: Range, reference: dt.date | None, direction: Direction
                   ) -> tuple[_Period | None, _Period | None, bool]:
    """Both ends of a range: the end written in full lends its year to the other one
    ("2 August to 2 October 2022"); otherwise the first end is resolved as usual and the second is
    the first one on or after it ("from Monday until Wednesday")."""
    first, last = r.first, r.last
    if last is None:
        return _resolve(first, reference, direction), None, _needs_reference(first)
    if isinstance(first, CalendarDate) and _needs_reference(first) and not _needs_reference(last):
        end = _resolve(last, reference, direction)
        start = _resolve(first, reference, "past", pivot=end.last if end else None)
        return start, end, False
    start = _resolve(first, reference, direction)
    end = _resolve(last, reference, "future", pivot=start.first if start else None)
    return start, end, _needs_reference(first) or _needs_reference(last)


def _end_day(f: Point, period: _Period | None) -> str | None:
    """Where a deadline falls: the last day of "the end of March", else the period itself."""
    if period is None:
        return None
    return period.last.isoformat() if getattr(f, "end_of", False) else period.value


def _express(text: str, t: Tagged, reference: dt.date | None) -> TimeExpr:
    said = text[t.start:t.end]
    frame = t.frame
    if isinstance(frame, Duration):
        return TimeExpr(t.start, t.end, said, None, None, "deadline" if frame.deadline else "duration",
                        frame.relative, duration=frame.iso)
    if isinstance(frame, Anaphor):
        return TimeExpr(t.start, t.end, said, None, None, "anaphoric", True, offset_days=frame.offset_days)
    if isinstance(frame, Range):
        start, end, relative = _resolve_range(frame, reference, t.direction)
        return TimeExpr(t.start, t.end, said, start.value if start else None,
                        start.granularity if start else None, "range", relative,
                        end_value=end.value if end else None)
    if isinstance(frame, Deadline):
        period = _resolve(frame.point, reference, t.direction)
        return TimeExpr(t.start, t.end, said, period.value if period else None,
                        period.granularity if period else None, "deadline", _needs_reference(frame.point),
                        end_value=_end_day(frame.point, period))
    period = _resolve(frame, reference, t.direction)
    return TimeExpr(t.start, t.end, said, period.value if period else None,
                    period.granularity if period else None, "point", _needs_reference(frame))


def find_time_expressions(text: str, reference: dt.date | None) -> list[TimeExpr]:
    """All time expressions in ``text`` (a sentence), in order, non-overlapping, longest first.

    ``reference`` is the publication date; relative expressions ("on Sunday", "last month") resolve
    against it, and are None without it.
    """
    if isinstance(reference, dt.datetime):  # a timestamp would not compare with the dates below
        reference = reference.date()
    out = []
    for t in tag(text):
        try:
            out.append(_express(text, t, reference))
        except OverflowError:
            continue  # "292,000 week ago" in a price table: no calendar date that far back
    return out


_ISO = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def shift(value: str, days: int) -> str | None:
    """Anchor an anaphoric offset: a day-level value moves by ``days``; a month or year stays as it is
    (two days after "2020-01" is still, honestly, "2020-01" or later: no day is made up).
    None when ``value`` is not an ISO date."""
    m = _ISO.fullmatch(value)
    if not m:
        return None
    if m.group(3) is None:
        return value
    try:
        day = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    return (day + dt.timedelta(days=days)).isoformat()
