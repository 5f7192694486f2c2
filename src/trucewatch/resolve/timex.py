"""Find the time expressions of a sentence and record what their words say, before any calendar.

The tagger is a set of regular expressions built once from the lexicon in ``data/time.yaml``. Each
rule turns a match into a *frame*, a plain record of what the words state ("3 March": a day and a
month, no year; "last October": the October before the current month; "two days later": +2 days
from a time named elsewhere). Overlapping matches are settled longest first, then `tag` joins the
pieces the way news writes them ("20:12, Thursday, 19 October, 2023"; "from 2 August until
2 October 2022"; "until midnight on Sunday") and reads the word in front ("since", "by", "until").

Nothing here knows the publication date: turning frames into ISO values is the job of
`trucewatch.resolve.dates`. Keeping the two apart lets the word rules change without touching the
calendar arithmetic, and the other way round.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

import yaml

Which = Literal["last", "this", "next"]
Direction = Literal["past", "future", "nearest"]
PeriodUnit = Literal["week", "weekend", "month", "year"]
_PERIOD_UNITS: dict[str, PeriodUnit] = {"week": "week", "weekend": "weekend", "month": "month",
                                        "year": "year"}
_WHICH: dict[str, Which] = {"last": "last", "past": "last", "this past": "last", "this": "this",
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
    relative: bool = False  # counted back or forward from now ("in the last six months")


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


# ---------------------------------------------------------------------------------------------------
# Lexicon and grammar, built once.


@dataclass(frozen=True)
class _Lexicon:
    months: dict[str, int]  # spelling (lower case) -> 1..12
    full_months: tuple[str, ...]  # full names, capitalised
    ambiguous_months: frozenset[str]
    weekdays: dict[str, int]  # spelling (lower case) -> 0..6
    full_weekdays: tuple[str, ...]
    weekday_abbreviations: tuple[str, ...]
    weekday_not_after: frozenset[str]
    weekday_not_before: frozenset[str]
    numbers: dict[str, int]
    units: dict[str, tuple[str, int, int | None]]
    seasons: dict[str, tuple[int, int]]
    day_parts: tuple[str, ...]
    time_zones: tuple[str, ...]
    count_nouns: tuple[str, ...]
    number_labels: frozenset[str]
    future_cues: tuple[str, ...]


def _load_lexicon() -> _Lexicon:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("trucewatch.data").joinpath("time.yaml").read_text(encoding="utf-8"))
    months = {name.lower(): int(n) for n, names in raw["months"].items() for name in names}
    weekdays = {name.lower(): int(n) for n, names in raw["weekdays"].items() for name in names}
    return _Lexicon(
        months=months,
        full_months=tuple(names[0] for names in raw["months"].values()),
        ambiguous_months=frozenset(raw["ambiguous_months"]),
        weekdays=weekdays,
        full_weekdays=tuple(names[0] for names in raw["weekdays"].values()),
        weekday_abbreviations=tuple(n for names in raw["weekdays"].values() for n in names[1:]),
        weekday_not_after=frozenset(w.lower() for w in raw["weekday_not_after"]),
        weekday_not_before=frozenset(w.lower() for w in raw["weekday_not_before"]),
        numbers={k: int(v) for k, v in raw["numbers"].items()},
        units={k: (v[0], int(v[1]), v[2]) for k, v in raw["units"].items()},
        seasons={k: (int(v[0]), int(v[1])) for k, v in raw["seasons"].items()},
        day_parts=tuple(raw["day_parts"]),
        time_zones=tuple(raw["time_zones"]),
        count_nouns=tuple(raw["count_nouns"]),
        number_labels=frozenset(raw["number_labels"]),
        future_cues=tuple(raw["future_cues"]),
    )


def _alternation(words: tuple[str, ...] | list[str]) -> str:
    """Regex alternation of phrases, longest first (so "Sept" wins over "Sep"); spaces match any run."""
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


Reader = Callable[[re.Match[str], str], Frame | None]


@dataclass(frozen=True)
class _Gate:
    """When a rule is worth trying on a sentence: one of ``words`` (lower-case tokens) is in it, and a
    digit if ``digit``; with ``or_digit`` a digit alone is enough. Most sentences open few gates,
    which keeps tagging cheap (the pipeline has to read hundreds of reports a second)."""

    words: frozenset[str] = frozenset()
    digit: bool = False
    or_digit: bool = False
    # When set, the rule is tried only in a window around each hit of ``anchor`` (one of ``words``)
    # rather than at every position of the sentence: patterns that open with optional quantifiers
    # and number words are slow to fail everywhere else.
    anchor: re.Pattern[str] | None = None

    def opens(self, words: set[str], has_digit: bool) -> bool:
        if self.or_digit and has_digit:
            return True
        if self.words and self.words.isdisjoint(words):
            return False
        return has_digit or not self.digit


@dataclass(frozen=True)
class _Rule:
    name: str
    gate: _Gate
    pattern: re.Pattern[str]
    read: Reader


@dataclass(frozen=True)
class _Grammar:
    trigger_words: frozenset[str]  # a sentence without one of these (and without a digit) has no expression
    rules: tuple[_Rule, ...]
    future_cue: re.Pattern[str]


_FLAGS = re.IGNORECASE
_WORD = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"\d")
_DASH = r"(?:-|–|—)"
_MODIFIER = (r"(?P<mod>early|mid|late|(?:earlier|later)\s+in|"
             r"(?:at\s+)?the\s+(?:end|start|beginning|middle|turn|first\s+half|second\s+half)\s+of)")
_QUANTIFIER = (r"(?:about|around|nearly|almost|some|up\s+to|more\s+than|less\s+than|at\s+least|roughly|"
               r"approximately|just|only|over|barely|a\s+full|fully)")
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|until|till|through|thru|and)\s*", _FLAGS)
_FROM = re.compile(r"\b(?:from|between)\s+$", _FLAGS)
_SINCE = re.compile(r"\b(?:ever\s+)?since\s+$", _FLAGS)
_UNTIL = re.compile(r"\b(?:until|till|til|up\s+until|up\s+to|through|no\s+later\s+than|not\s+later\s+than|"
                    r"by|before)\s+$", _FLAGS)
_NEUTRAL = re.compile(r"\b(?:back\s+in|on|in|at|during|as\s+of)\s+$", _FLAGS)
_CLAUSE_START = re.compile(r"[,;:.!?\"“”()—–]")

# Gaps between two pieces of one expression, by what the pieces are.
_GAP_TIME_THEN_DATE = re.compile(r"\s*,?\s*(?:on\s+|of\s+)?", _FLAGS)
_GAP_DATE_THEN_TIME = re.compile(r"\s*,?\s*(?:at\s+)?(?:around\s+|about\s+)?", _FLAGS)
_GAP_DATE_THEN_PAREN = re.compile(r"\s*\(\s*")
_GAP_WEEKDAY_THEN_DATE = re.compile(r"\s*,?\s*(?:the\s+)?", _FLAGS)
_GAP_APPOSITION = re.compile(r"\s*,\s*")
_GAP_DATE_THEN_YEAR = re.compile(r"\s+(?:of\s+)?", _FLAGS)


def _number(word: str, lex: _Lexicon) -> int | None:
    """"twenty-four" -> 24, "1,000" -> 1000; None for words that are no number."""
    word = word.lower()
    if word[0].isdigit():
        return int(word.replace(",", ""))
    total = 0
    for part in re.split(r"[-\s]+", word):
        if part not in lex.numbers:
            return None
        total += lex.numbers[part]
    return total


def _previous_word(text: str, start: int) -> str:
    found = re.search(r"([\w'’.-]+)\W*$", text[max(0, start - 40):start])
    return found.group(1).lower().rstrip(".") if found else ""


def _next_word(text: str, end: int) -> str:
    found = re.match(r"\W*?([\w'’-]+)", text[end:end + 40])
    return found.group(1).lower() if found else ""


def _which(words: str | None) -> Which | None:
    """"last"/"this past" -> last, "next"/"this coming" -> next, "this" -> this; None when absent."""
    return _WHICH[" ".join(words.lower().split())] if words else None


def _part(words: str) -> Literal["early", "late"] | None:
    """"earlier this week" covers the days before the reference, "later this week" those after."""
    return "early" if words.startswith("earl") else "late" if words.startswith("late") else None


def _duration_iso(n: int, unit: str, lex: _Lexicon) -> str:
    designator, multiple, _ = lex.units[unit]
    amount = n * multiple
    return f"PT{amount}{designator[1:]}" if designator.startswith("T") else f"P{amount}{designator}"


def _build_grammar() -> _Grammar:
    """Every rule in one place, read top to bottom: the regex pieces built from the lexicon, the
    readers that turn a match into a frame (closures over the lexicon), then the rule table."""
    lex = _load_lexicon()
    month_names = sorted({s.capitalize() for s in lex.months} | {m.upper() for m in lex.full_months},
                         key=len, reverse=True)
    full_month_names = sorted(set(lex.full_months) | {m.upper() for m in lex.full_months}, key=len,
                              reverse=True)
    weekday_names = sorted(set(lex.full_weekdays) | {w.upper() for w in lex.full_weekdays}, key=len,
                           reverse=True)
    abbreviations = sorted(lex.weekday_abbreviations, key=len, reverse=True)
    number_words = sorted(lex.numbers, key=len, reverse=True)
    tens = [w for w, v in lex.numbers.items() if 20 <= v <= 90]
    ones = [w for w, v in lex.numbers.items() if 1 <= v <= 9 and w not in ("a", "an")]
    count = _alternation(lex.count_nouns)
    parts = _alternation(lex.day_parts)
    units = _alternation(list(lex.units))

    def month(group: str) -> str:
        return rf"(?P<{group}>(?-i:{'|'.join(month_names)}))\b(?:\.(?=\s*\d))?"

    def full_month(group: str) -> str:
        return rf"(?P<{group}>(?-i:{'|'.join(full_month_names)}))\b"

    def day(group: str) -> str:
        return rf"(?P<{group}>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b(?![.,:]\d)"

    def year(group: str) -> str:
        return rf"(?P<{group}>(?:1[89]|20)\d\d)(?![\d]|[.,]\d)"

    def num(group: str) -> str:
        compound = rf"(?:{'|'.join(tens)})(?:[-\s](?:{'|'.join(ones)}))?"
        return rf"(?P<{group}>\d{{1,3}}(?:,\d{{3}})*|{compound}|{'|'.join(number_words)})"

    def unit(group: str) -> str:
        return rf"(?P<{group}>{units})s?\b"

    weekday = (rf"(?P<w>(?-i:{'|'.join(weekday_names)})\b|(?-i:{'|'.join(abbreviations)})\b\.?"
               rf"(?=,?\s+(?:\d|(?-i:{'|'.join(month_names)}))))")
    ampm = r"[ap](?:\.\s?m\.|\s?m\b)"  # "9pm", "9 p.m."; a sentence's full stop after "9pm" is not taken
    place_time = r"(?-i:[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})\s+time\b"  # "Yemen time", "New York time"
    zones = rf"(?:\s+(?:local\s+time|(?-i:{'|'.join(lex.time_zones)})\b|{place_time}))?"
    clock = (rf"(?:(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*{ampm})?|(?:1[0-2]|0?[1-9])(?:[:.][0-5]\d)?\s*{ampm}|"
             rf"(?:[01]\d|2[0-3])[0-5]\d\s*(?:hrs|hours|h\b|GMT\b|UTC\b)|(?<=\bat\s)(?:[01]\d|2[0-3])[0-5]\d\b|"
             rf"midnight|noon|midday|dawn|dusk|daybreak|nightfall)")
    paren = r"(?:\s*\((?=[^()]*\d)[^()]{1,40}\))?"

    def months_of(m: re.Match[str], group: str) -> int:
        return lex.months[m.group(group).lower().rstrip(".")]

    def modifier_end(m: re.Match[str]) -> bool:
        mod = m.groupdict().get("mod")
        return mod is not None and "end" in mod.lower()

    def valid_day(y: int | None, mo: int, d: int) -> bool:
        days = (31, 29 if y is None or (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28,
                31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
        return 1 <= d <= days[mo - 1]

    def calendar(y: str | None, mo: int, d: str | None) -> CalendarDate | None:
        yy = int(y) if y else None
        dd = int(d) if d else None
        if dd is not None and not valid_day(yy, mo, dd):
            return None
        return CalendarDate(year=yy, month=mo, day=dd)

    # -- readers: match -> frame ------------------------------------------------------------------

    def read_iso(m: re.Match[str], text: str) -> Frame | None:
        return calendar(m.group("y"), int(m.group("m")), m.group("d"))

    def read_numeric(m: re.Match[str], text: str) -> Frame | None:
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        if a > 12 and b <= 12:  # only day-month reads
            return calendar(m.group("y"), b, m.group("a"))
        if b > 12 and a <= 12:  # only month-day reads
            return calendar(m.group("y"), a, m.group("b"))
        if a > 12 or a == 0 or b == 0:
            return None
        return CalendarDate(year=y, month=b, day=a, swapped=a != b)  # day-month first; see dates.py

    def read_day_month(m: re.Match[str], text: str) -> Frame | None:
        return calendar(m.group("y"), months_of(m, "m"), m.group("d"))

    def read_month_day(m: re.Match[str], text: str) -> Frame | None:
        """As `read_day_month`, but "in March 30 people died" is a count: a count noun after the number
        and no article before the month ("the February 3 strikes" is a date)."""
        if m.group("y") is None and re.match(rf"\s+(?:{count})\b", text[m.end():], _FLAGS) and \
                _previous_word(text, m.start()) not in {"the", "a", "an", "its", "their", "his", "her"}:
            return None
        return read_day_month(m, text)

    def read_day_range(m: re.Match[str], text: str) -> Frame | None:
        mo = months_of(m, "m")
        first, last = calendar(m.group("y"), mo, m.group("d1")), calendar(m.group("y"), mo, m.group("d2"))
        if first is None or last is None or (first.day or 0) >= (last.day or 0):
            return None
        return Range(first, last)

    def read_month_year(m: re.Match[str], text: str) -> Frame | None:
        return CalendarDate(year=int(m.group("y")), month=months_of(m, "m"), end_of=modifier_end(m))

    month_context = {"in", "since", "by", "until", "till", "through", "during", "from", "between",
                     "before", "after", "throughout", "last", "this", "next", "of", "to", "and", "or",
                     "the", "a", "an", "back", "early", "late", "mid", "around", "as"}
    strong_context = month_context - {"of", "to", "and", "or", "the", "a", "an", "around", "as"}

    def read_month(m: re.Match[str], text: str) -> Frame | None:
        if not m.group("which") and not m.group("mod"):
            before = _previous_word(text, m.start())
            allowed = strong_context if m.group("m").capitalize() in lex.ambiguous_months else month_context
            if before not in allowed:
                return None
        return CalendarDate(month=months_of(m, "m"), which=_which(m.group("which")), end_of=modifier_end(m))

    def read_year(m: re.Match[str], text: str) -> Frame | None:
        start = m.start("y")
        if not m.group("mod"):
            if re.search(r"[A-Za-z]-$", text[max(0, start - 2):start]):  # "COVID-2019", "F-2000"
                return None
            if _previous_word(text, start) in lex.number_labels:
                return None
        if re.match(rf"\s*(?:%|percent\b|per\s+cent\b|hrs\b|hours\b|h\b|GMT\b|UTC\b|local\b|(?:{count})\b)",
                    text[m.end():], _FLAGS):
            return None
        return CalendarDate(year=int(m.group("y")), end_of=modifier_end(m))

    def read_weekday(m: re.Match[str], text: str) -> Frame | None:
        if _previous_word(text, m.start("w")) in lex.weekday_not_after:
            return None
        if _next_word(text, m.end("w")) in lex.weekday_not_before:
            return None
        return Weekday(lex.weekdays[m.group("w").lower().rstrip(".")], _which(m.group("which")))

    day_words = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "last night": -1,
                 "this morning": 0, "this afternoon": 0, "this evening": 0,
                 "the day before yesterday": -2, "the day after tomorrow": 2}

    def read_day_word(m: re.Match[str], text: str) -> Frame | None:
        return DayOffset(day_words[" ".join(m.group("w").lower().split())])

    def read_period(m: re.Match[str], text: str) -> Frame | None:
        which = " ".join(m.group("which").lower().split())
        unit_name = _PERIOD_UNITS[m.group("unit").lower()]
        pre = " ".join((m.group("pre") or "").lower().split())
        if which in ("last", "this", "next"):
            offset = {"last": -1, "this": 0, "next": 1}[which]
            return PeriodOffset(unit_name, offset, _part(pre) if offset == 0 else None, "end" in pre)
        if which in ("the past", "past", "this past", "the last"):
            if _next_word(text, m.end()) == "of":
                return None  # "the last week of March": a part of March, not the week before now
            if unit_name == "weekend" or which == "this past":
                return PeriodOffset(unit_name, -1)
            return Duration(_duration_iso(1, unit_name, lex), relative=True)
        if which in ("the coming", "the next"):
            if unit_name == "weekend":
                return PeriodOffset("weekend", 1)
            return Duration(_duration_iso(1, unit_name, lex), deadline=True, relative=True)
        # "the previous/following week": counted from a time named elsewhere
        step = 1 if which == "the following" else -1
        return Anaphor(7 * step if unit_name == "week" else None)

    def read_period_of(m: re.Match[str], text: str) -> Frame | None:
        pre = (m.group("pre") or m.group("edge")).lower()
        return PeriodOffset(_PERIOD_UNITS[m.group("unit").lower()], 0, _part(pre), pre == "end")

    def read_weekend(m: re.Match[str], text: str) -> Frame | None:
        return PeriodOffset("weekend", None)

    def read_ago(m: re.Match[str], text: str) -> Frame | None:
        u = m.group("unit").lower()
        n = _number(m.group("n"), lex) if m.group("n") else None
        if u in ("minute", "hour"):
            return DayOffset(0) if n is None or n * (60 if u == "hour" else 1) < 24 * 60 else None
        if u == "day":
            return DayWindow(-7, -1) if n is None else DayOffset(-n)
        if n is None or n > 1000:
            return None  # "292,000 week ago" is a figure, not a time
        days = lex.units[u][2]
        if days:  # weeks and fortnights are loose: some day around the count
            return DayWindow(-days * n - 3, -days * n + 3)
        if u == "month":
            return PeriodOffset("month", -n)
        if u == "year":
            return PeriodOffset("year", -n)
        return None

    season_context = {"in", "during", "since", "by", "until", "over", "through", "throughout"}

    def read_season(m: re.Match[str], text: str) -> Frame | None:
        name = m.group("s").lower()
        first, last = lex.seasons[name]
        if m.group("y"):
            return Season(first, last, year=int(m.group("y")))
        if m.group("which"):
            return Season(first, last, which=_which(m.group("which")))
        # Alone, a season word needs a preposition ("in spring", "during the winter"): "the spring
        # offensive" and "the fall of Mosul" are no time. "fall" always needs "last"/"this"/a year.
        if name == "fall" or _previous_word(text, m.start()) not in season_context:
            return None
        return Season(first, last)

    def read_time(m: re.Match[str], text: str) -> Frame | None:
        return ClockTime()

    def read_later(m: re.Match[str], text: str) -> Frame | None:
        u = m.group("unit").lower()
        n = _number(m.group("n"), lex) if m.group("n") else None
        sign = -1 if m.group("dir").lower() in ("earlier", "before", "prior") else 1
        if u in ("minute", "hour"):  # within a day of each other: taken as the same day
            return Anaphor(0 if n is None or n * (60 if u == "hour" else 1) < 24 * 60 else None)
        days = lex.units[u][2]
        return Anaphor(sign * n * days if n is not None and days else None)

    def read_that_day(m: re.Match[str], text: str) -> Frame | None:
        rel = (m.group("rel") or m.group("rel2") or "").lower()
        u = m.group("u").lower()
        if not rel and m.group("that").lower() != "that":
            return None  # "the day" alone: "the day when it no longer had to be there"
        if u in ("month", "year"):
            return Anaphor(None)
        step = 7 if u == "week" else 1
        if rel in ("", "same"):
            return Anaphor(None if u == "week" else 0)
        return Anaphor(step if rel in ("next", "following", "after", "later") else -step)

    def read_within_hours(m: re.Match[str], text: str) -> Frame | None:
        return Anaphor(0)

    def read_for(m: re.Match[str], text: str) -> Frame | None:
        n = _number(m.group("n"), lex)
        if not n:
            return None
        said = " ".join(m.group(0).lower().split())
        pre = " ".join(m.group("pre").lower().split())
        relative = bool(re.search(r"\b(?:last|past|next|coming)\b", said)) and pre not in ("last", "lasts")
        deadline = pre == "within" or bool(re.search(r"\b(?:next|coming)\b", said))
        return Duration(_duration_iso(n, m.group("unit").lower(), lex), deadline, relative)

    def read_adjectival(m: re.Match[str], text: str) -> Frame | None:
        n = _number(m.group("n"), lex) if m.groupdict().get("n") else 1
        return Duration(_duration_iso(n, m.group("unit").lower(), lex)) if n else None

    months = frozenset(lex.months)
    unit_words = frozenset(lex.units) | {u + "s" for u in lex.units}
    day_words_set = frozenset(w for phrase in day_words for w in phrase.split()) - {"the", "day", "before",
                                                                                   "after"}
    parts_set = frozenset(lex.day_parts)
    clock_words = frozenset({"midnight", "noon", "midday", "dawn", "dusk", "daybreak", "nightfall"})

    def anchored(words: frozenset[str], digit: bool = False) -> _Gate:
        return _Gate(words, digit, anchor=re.compile(rf"\b(?:{_alternation(sorted(words))})\b", _FLAGS))

    gates = {
        "digits": _Gate(digit=True),
        "month_digit": anchored(months, digit=True),
        "month": anchored(months),
        "weekday": _Gate(frozenset(lex.weekdays)),
        "day_word": _Gate(day_words_set | parts_set),
        "period": _Gate(frozenset({"week", "weekend", "month", "year"})),
        "weekend": _Gate(frozenset({"weekend"})),
        "ago": _Gate(frozenset({"ago"})),
        "season": _Gate(frozenset(lex.seasons)),
        "time": _Gate(clock_words, or_digit=True),
        "unit": anchored(unit_words),
        "that_day": _Gate(parts_set | {"day", "week", "month", "year"}),
    }
    rules = (
        _Rule("iso", gates["digits"], re.compile(
            rf"\b{year('y')}(?P<sep>[-/.])(?P<m>0?[1-9]|1[0-2])(?P=sep)(?P<d>0?[1-9]|[12]\d|3[01])(?!\d)"),
            read_iso),
        _Rule("numeric", gates["digits"], re.compile(
            rf"(?<![\w.,/-])(?P<a>\d{{1,2}})(?P<sep>[-/.])(?P<b>\d{{1,2}})(?P=sep){year('y')}"),
            read_numeric),
        _Rule("day_month", gates["month_digit"], re.compile(
            rf"(?<![\w.,:/$-])(?:the\s+)?{day('d')}(?:\s+of)?\s+{month('m')}(?:,?\s+{year('y')})?", _FLAGS),
            read_day_month),
        _Rule("month_day", gates["month_digit"], re.compile(
            rf"\b{month('m')}\s+(?:the\s+)?{day('d')}(?!\s*[:%])(?:,?\s+{year('y')})?", _FLAGS),
            read_month_day),
        _Rule("day_range", gates["month_digit"], re.compile(
            rf"(?<![\w.,:/$-]){day('d1')}\s*(?:{_DASH}|to)\s*{day('d2')}\s+(?:of\s+)?{month('m')}"
            rf"(?:,?\s+{year('y')})?", _FLAGS), read_day_range),
        _Rule("month_day_range", gates["month_digit"], re.compile(
            rf"\b{month('m')}\s+{day('d1')}\s*{_DASH}\s*{day('d2')}(?:,?\s+{year('y')})?", _FLAGS),
            read_day_range),
        _Rule("month_year", gates["month_digit"], re.compile(
            rf"\b(?:{_MODIFIER}[\s-]+)?{month('m')},?\s+(?:of\s+)?{year('y')}", _FLAGS), read_month_year),
        _Rule("month", gates["month"], re.compile(
            rf"\b(?:(?P<which>last|this|next|this\s+past|this\s+coming)\s+|{_MODIFIER}[\s-]+)?{full_month('m')}",
            _FLAGS), read_month),
        _Rule("year", gates["digits"], re.compile(
            rf"(?<![\w.,:/$#£€])(?:{_MODIFIER}[\s-]+)?{year('y')}\b", _FLAGS),
              read_year),
        _Rule("weekday", gates["weekday"], re.compile(
            rf"\b(?:(?P<which>last|this|next|this\s+coming|coming|this\s+past|past)\s+)?"
            rf"(?:(?:early|late|later|earlier|overnight)\s+(?:on\s+)?)?{weekday}"
            rf"(?:\s+(?:{parts}))?(?:['’]s\b)?", _FLAGS), read_weekday),
        _Rule("day_word", gates["day_word"], re.compile(
            rf"\b(?:(?:early|late|earlier|later)\s+)?(?P<w>the\s+day\s+before\s+yesterday|"
            rf"the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow|tonight|last\s+night|"
            rf"this\s+(?:morning|afternoon|evening))(?:\s+(?:{parts}))?(?:['’]s\b)?", _FLAGS), read_day_word),
        _Rule("period", gates["period"], re.compile(
            r"\b(?:(?P<pre>earlier|later|early|late|mid|so\s+far|(?:at\s+)?the\s+(?:end|start|beginning|middle|"
            r"rest)\s+of)[\s-]+)?(?P<which>last|this|next|the\s+past|this\s+past|past|the\s+last|the\s+coming|"
            r"the\s+next|the\s+previous|the\s+following)\s+(?P<unit>week|weekend|month|year)\b(?:['’]s\b)?",
            _FLAGS), read_period),
        _Rule("period_of", gates["period"], re.compile(
            r"\b(?:(?P<pre>earlier|later)\s+in|(?:at\s+)?the\s+(?P<edge>end|start|beginning|middle|turn|rest)"
            r"\s+of)\s+the\s+(?P<unit>week|month|year)\b", _FLAGS), read_period_of),
        _Rule("weekend", gates["weekend"], re.compile(r"\b(?:over\s+)?the\s+weekend\b", _FLAGS),
              read_weekend),
        _Rule("ago", gates["ago"], re.compile(
            rf"\b(?:{_QUANTIFIER}\s+)?(?:{num('n')}\s+|(?:a\s+few|a\s+couple\s+of|several|few)\s+)?"
            rf"{unit('unit')}\s+ago\b", _FLAGS), read_ago),
        _Rule("season", gates["season"], re.compile(
            rf"\b(?:(?P<which>last|this|next|this\s+past|this\s+coming)\s+|(?:early|late|mid)[\s-]+|"
            rf"the\s+)?(?P<s>{_alternation(list(lex.seasons))})\b(?:\s+(?:of\s+)?{year('y')})?",
            _FLAGS), read_season),
        _Rule("time", gates["time"], re.compile(rf"\b{clock}{zones}{paren}", _FLAGS), read_time),
        _Rule("later", gates["unit"], re.compile(
            rf"\b(?:{_QUANTIFIER}\s+|less\s+than\s+)?(?:{num('n')}\s+)?{unit('unit')}(?:\s+or\s+so)?\s+"
            rf"(?P<dir>later|after|earlier|before|prior(?:\s+to)?)\b", _FLAGS), read_later),
        _Rule("that_day", gates["that_day"], re.compile(
            r"\b(?:(?:later|earlier)\s+)?(?P<that>that|the)\s+(?:(?P<rel>next|following|previous|preceding|"
            r"prior|same)\s+)?(?P<u>day|morning|afternoon|evening|night|week|month|year)"
            r"(?:\s+(?P<rel2>before|after|earlier|later))?\b", _FLAGS), read_that_day),
        _Rule("within_hours", gates["unit"], re.compile(
            rf"\bwithin\s+(?:{num('n')}\s+)?(?:hours?|minutes?)\s+of\b", _FLAGS), read_within_hours),
        _Rule("for", gates["unit"], re.compile(
            rf"\b(?P<pre>for|within|over|during|lasting|lasted|lasts|last|another|a\s+further|an\s+additional|"
            rf"extended\s+by|by|in\s+the\s+(?:last|past|next|coming|first)|the\s+(?:last|past|next|coming|first))"
            rf"\s+(?:(?:{_QUANTIFIER}|another|a\s+further|the\s+next|the\s+past|the\s+last)\s+)?{num('n')}\s+"
            rf"(?:(?:more|additional|further|extra|full|consecutive|straight)\s+)?{unit('unit')}", _FLAGS),
            read_for),
        _Rule("adjectival", gates["unit"], re.compile(
            rf"\b{num('n')}[-‑](?P<unit>{units})(?:[-‑]long)?\b(?![-‑]old\b)", _FLAGS), read_adjectival),
        _Rule("long", gates["unit"], re.compile(rf"(?<![\w-])(?P<unit>{units})[-‑]long\b", _FLAGS),
              read_adjectival),
        _Rule("of_period", gates["unit"], re.compile(
            rf"\b{num('n')}\s+(?:(?:more|additional|further|full|long|consecutive|straight)\s+)?{unit('unit')}"
            rf"(?=\s+of\s)", _FLAGS), read_adjectival),
    )
    trigger_words = frozenset().union(*(g.words for g in gates.values()))
    future_cue = re.compile(rf"\b(?:{_alternation(lex.future_cues)})\s+(?:[\w'’-]+\s+){{0,3}}$", _FLAGS)
    return _Grammar(trigger_words, rules, future_cue)


@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    return _build_grammar()


# ---------------------------------------------------------------------------------------------------
# Tagging and composition.


def _longest_first(found: list[Tagged]) -> list[Tagged]:
    """Keep the longest of overlapping matches (earlier start on ties), returned in text order."""
    kept: list[Tagged] = []
    taken: list[tuple[int, int]] = []
    for t in sorted(found, key=lambda t: (t.start - t.end, t.start)):
        if all(t.end <= s or t.start >= e for s, e in taken):
            kept.append(t)
            taken.append((t.start, t.end))
    return sorted(kept, key=lambda t: t.start)


_DATED = (CalendarDate, Weekday, DayOffset)  # pieces that can carry a clock time
_RANGE_ENDS = (CalendarDate, Weekday, DayOffset, Season)


def _join(text: str, a: Tagged, b: Tagged) -> Tagged | None:
    """One expression from two neighbours ("20:12, Thursday"; "tomorrow, Saturday"), else None."""
    gap = text[a.end:b.start]
    fa, fb = a.frame, b.frame
    if isinstance(fa, ClockTime) and isinstance(fb, (*_DATED, Anaphor)) \
            and _GAP_TIME_THEN_DATE.fullmatch(gap):
        return Tagged(a.start, b.end, fb)
    if isinstance(fa, _DATED) and isinstance(fb, ClockTime):
        if _GAP_DATE_THEN_TIME.fullmatch(gap):
            return Tagged(a.start, b.end, fa)
        if _GAP_DATE_THEN_PAREN.fullmatch(gap) and re.match(r"\s*\)", text[b.end:]):
            return Tagged(a.start, text.index(")", b.end) + 1, fa)
    if isinstance(fa, CalendarDate) and fa.month is not None and fa.year is None and fa.which is None \
            and isinstance(fb, PeriodOffset) and fb.unit == "year" and fb.offset is not None \
            and fb.part is None and not fb.end_of and _GAP_DATE_THEN_YEAR.fullmatch(gap):
        return Tagged(a.start, b.end, replace(fa, year_offset=fb.offset))  # "May last year", "7 June this year"
    if isinstance(fa, Weekday) and isinstance(fb, CalendarDate) and fb.day is not None \
            and _GAP_WEEKDAY_THEN_DATE.fullmatch(gap):
        return Tagged(a.start, b.end, replace(fb, weekday=fa.weekday))
    if isinstance(fa, DayOffset | Anaphor) and _GAP_APPOSITION.fullmatch(gap):
        if isinstance(fa, DayOffset) and isinstance(fb, Weekday):  # "tomorrow, Saturday"
            return Tagged(a.start, b.end, fa)
        if isinstance(fb, CalendarDate) and fb.day is not None:  # "today, 2 June"; "that morning, June 28"
            return Tagged(a.start, b.end, fb, "nearest")
    return None


def _range(text: str, a: Tagged, b: Tagged) -> Tagged | None:
    """"from 2 August until 2 October", "between June and August", "2025–2026", else None."""
    first, last = a.frame, b.frame
    if not (isinstance(first, _RANGE_ENDS) and isinstance(last, _RANGE_ENDS)):
        return None
    gap = _RANGE_GAP.fullmatch(text[a.end:b.start])
    if not gap:
        return None
    word = gap.group(0).strip().lower()
    opener = _FROM.search(text[max(0, a.start - 10):a.start])
    both_dates = isinstance(first, CalendarDate) and isinstance(last, CalendarDate)
    if word == "and":  # only "between X and Y": "in 2019 and 2020" is two points
        ok = opener is not None and opener.group(0).lower().startswith("between")
    elif word in ("-", "–", "—"):
        ok = both_dates
    else:  # to, until, through: "from Monday to Wednesday", "2 August to 2 October"
        ok = opener is not None or both_dates
    if not ok:
        return None
    start = a.start - len(opener.group(0)) if opener else a.start
    return Tagged(start, b.end, Range(first, last))


def _looks_ahead(text: str, start: int, grammar: _Grammar) -> bool:
    """True when a future cue ("will", "set to", "starting") stands a few words before ``start``
    in the same clause."""
    window = text[max(0, start - 80):start]
    cut = max((m.end() for m in _CLAUSE_START.finditer(window)), default=0)
    return bool(grammar.future_cue.search(window[cut:]))


def _placed_by_direction(frame: Point) -> bool:
    """Whether the sentence's direction decides where ``frame`` falls: a weekday, a month or a day
    and month with no year, a season with no year, "the weekend"."""
    match frame:
        case CalendarDate(year=None, which=None) | Weekday(which=None) | Season(year=None, which=None):
            return True
        case PeriodOffset(offset=None):
            return True
    return False


def _read_prefix(text: str, t: Tagged, grammar: _Grammar) -> Tagged:
    """Read the words in front of an expression: "since" (an open range), "until"/"by" (a deadline),
    "from"/"between" before a range, or a plain "on"/"in" to include in the span. Decide here too
    whether the sentence looks ahead."""
    frame = t.frame
    left = text[max(0, t.start - 30):t.start]
    if isinstance(frame, Range):
        opener = _FROM.search(left) or _NEUTRAL.search(left)
        start = t.start - len(opener.group(0)) if opener else t.start
        ahead = _placed_by_direction(frame.first) and _looks_ahead(text, start, grammar)
        return Tagged(start, t.end, frame, "future" if ahead else t.direction)
    if not isinstance(frame, Point):  # durations and anaphoric expressions carry their own words
        return t
    possessive = text[t.start:t.end].endswith(("'s", "’s"))  # "Friday's barrage" is past
    direction = t.direction
    if _placed_by_direction(frame) and not possessive and _looks_ahead(text, t.start, grammar):
        direction = "future"
    if (m := _SINCE.search(left)) and not isinstance(frame, ClockTime):
        return Tagged(t.start - len(m.group(0)), t.end, Range(frame, None), "past")
    if (m := _UNTIL.search(left)) and not possessive:  # "hit by Monday's strike" is no deadline
        word = m.group(0).split()[0].lower()
        if word != "before" or getattr(frame, "end_of", False):  # only "before the end of ..."
            # A deadline looks ahead to a weekday ("gives Hamas until Monday"); a date or month may lie
            # either side ("held until October"), so it takes the nearest.
            ahead = direction == "future" or isinstance(frame, Weekday)
            return Tagged(t.start - len(m.group(0)), t.end, Deadline(frame), "future" if ahead else "nearest")
    if m := _NEUTRAL.search(left):
        return Tagged(t.start - len(m.group(0)), t.end, frame, direction)
    return Tagged(t.start, t.end, frame, direction)


_WINDOW_BEFORE = 60  # characters an expression may reach before its anchor word ("about twenty-one more ...")
_WINDOW_AFTER = 30  # ... and after it ("days or so earlier", "March 3rd, 2021")


def _windows(gate: _Gate, text: str) -> list[tuple[int, int]]:
    """The stretches of ``text`` near the gate's anchor words, overlapping ones merged."""
    assert gate.anchor is not None
    spans: list[tuple[int, int]] = []
    for hit in gate.anchor.finditer(text):
        low = text.rfind(" ", 0, max(0, hit.start() - _WINDOW_BEFORE)) + 1  # start at a word
        high = text.find(" ", hit.end() + _WINDOW_AFTER)  # end at a word: the end of a window
        high = len(text) if high < 0 else high  # counts as the end of the text for the patterns
        if spans and low <= spans[-1][1]:
            spans[-1] = (spans[-1][0], high)
        else:
            spans.append((low, high))
    return spans


def _matches(rule: _Rule, text: str, windows: dict[int, list[tuple[int, int]]]) -> Iterator[re.Match[str]]:
    """The rule's matches: over the whole text, or only near its anchor words (see `_Gate`).
    ``windows`` caches each gate's windows for this text, keyed by the gate's id."""
    gate = rule.gate
    if gate.anchor is None:
        yield from rule.pattern.finditer(text)
        return
    if id(gate) not in windows:
        windows[id(gate)] = _windows(gate, text)
    for low, high in windows[id(gate)]:
        yield from rule.pattern.finditer(text, low, high)


def tag(text: str) -> list[Tagged]:
    """Every time expression of ``text`` with its frame, in order, not overlapping."""
    grammar = _grammar()
    has_digit = _DIGIT.search(text) is not None
    words = set(_WORD.findall(text.lower()))
    if not has_digit and grammar.trigger_words.isdisjoint(words):
        return []
    windows: dict[int, list[tuple[int, int]]] = {}
    found = [Tagged(m.start(), m.end(), frame)
             for rule in grammar.rules if rule.gate.opens(words, has_digit)
             for m in _matches(rule, text, windows)
             if (frame := rule.read(m, text)) is not None]
    pieces = _longest_first(found)
    joined: list[Tagged] = []
    for piece in pieces:
        if joined and (both := _join(text, joined[-1], piece)):
            joined[-1] = both
        else:
            joined.append(piece)
    ranged: list[Tagged] = []
    for piece in joined:
        if ranged and (both := _range(text, ranged[-1], piece)):
            ranged[-1] = both
        else:
            ranged.append(piece)
    return [_read_prefix(text, t, grammar) for t in ranged]
