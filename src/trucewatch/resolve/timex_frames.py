"""The frames of time expressions: plain records of what the words of one expression state ("3 March": a
day and a month, no year; "last October": the October before the current month; "two days later": +2 days
from a time named elsewhere), made by :mod:`trucewatch.resolve.timex` and turned into dates by
:mod:`trucewatch.resolve.dates`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Which = Literal["last", "this", "next"]
Direction = Literal["past", "future", "nearest"]
PeriodUnit = Literal["week", "weekend", "month", "year"]
PERIOD_UNITS: dict[str, PeriodUnit] = {"week": "week", "weekend": "weekend", "month": "month",
                                        "year": "year"}
WHICH: dict[str, Which] = {"last": "last", "past": "last", "this past": "last", "this": "this",
                            "next": "next", "coming": "next", "this coming": "next"}


# ---------------------------------------------------------------------------------------------------
# Frames: what the words of one expression state.


@dataclass(frozen=True)
class CalendarDate:
    """Year, month and day as written; the parts left out come from the reference date."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    swapped: bool = False  # a numeric date whose day and month could be read the other way round
    weekday: int | None = None  # a weekday written beside the date (0 = Monday): picks year or reading
    which: Which | None = None  # "last October", "next March"
    end_of: bool = False  # "the end of March": as a deadline it falls on the last day
    year_offset: int | None = None  # "October last year": -1; the year is the reference's plus this


@dataclass(frozen=True)
class Weekday:
    weekday: int  # 0 = Monday
    which: Which | None = None


@dataclass(frozen=True)
class DayOffset:
    """A day counted from the reference date: today 0, yesterday -1, "two days ago" -2."""

    days: int


@dataclass(frozen=True)
class DayWindow:
    """Some day between two offsets from the reference ("a week ago": -10..-4, "days ago": -7..-1)."""

    first: int
    last: int


@dataclass(frozen=True)
class PeriodOffset:
    """A calendar week, weekend, month or year counted from the reference ("last month": month, -1).

    ``offset`` None is "the weekend": the direction of the sentence decides which one.
    ``part`` narrows a week to the days before ("earlier this week") or after the reference.
    """

    unit: PeriodUnit
    offset: int | None
    part: Literal["early", "late"] | None = None
    end_of: bool = False


@dataclass(frozen=True)
class Season:
    first_month: int
    last_month: int
    year: int | None = None
    which: Which | None = None


@dataclass(frozen=True)
class ClockTime:
    """A time of day with no date next to it ("at 7:20am"): never a date by itself."""


@dataclass(frozen=True)
class Duration:
    """A length of time, ISO-8601 ("P12M"); ``deadline`` for a limit ("within 12 months")."""

    iso: str
    deadline: bool = False
    relative: bool = False  # counted back or forward from now ("over the past four weeks")


@dataclass(frozen=True)
class Anaphor:
    """A time given relative to another time named elsewhere ("two days later", "the same day").

    ``offset_days`` is how far the clause the phrase belongs to lies after (+) or before (-) the time
    the phrase points to; None when the words give no whole number of days ("months later").
    """

    offset_days: int | None


Point = CalendarDate | Weekday | DayOffset | DayWindow | PeriodOffset | Season | ClockTime


@dataclass(frozen=True)
class Range:
    first: Point
    last: Point | None  # None: open ("since October 17")


@dataclass(frozen=True)
class Deadline:
    point: Point


Frame = Point | Range | Deadline | Duration | Anaphor


@dataclass(frozen=True)
class Tagged:
    """One expression found in a text: character span, frame, and which way it looks in time."""

    start: int
    end: int
    frame: Frame
    direction: Direction = "past"


