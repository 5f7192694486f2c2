"""The lexicon of time words (``data/time.yaml``) and the pieces the grammar of time expressions is made of:
gates that say when a rule is worth trying, the rules themselves, and the regex fragments and word readers the
rules share (:mod:`trucewatch.resolve.timex_grammar` builds the rules from them)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import yaml

from trucewatch.resolve.timex_frames import WHICH, Frame, Which

# ---------------------------------------------------------------------------------------------------
# Lexicon and grammar, built once.


@dataclass(frozen=True)
class Lexicon:
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


def load_lexicon() -> Lexicon:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("trucewatch.data").joinpath("time.yaml").read_text(encoding="utf-8"))
    months = {name.lower(): int(n) for n, names in raw["months"].items() for name in names}
    weekdays = {name.lower(): int(n) for n, names in raw["weekdays"].items() for name in names}
    return Lexicon(
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


def alternation(words: tuple[str, ...] | list[str]) -> str:
    """Regex alternation of phrases, longest first (so "Sept" wins over "Sep"); spaces match any run."""
    return "|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True))


Reader = Callable[[re.Match[str], str], Frame | None]


@dataclass(frozen=True)
class Gate:
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
class Rule:
    name: str
    gate: Gate
    pattern: re.Pattern[str]
    read: Reader


@dataclass(frozen=True)
class Grammar:
    trigger_words: frozenset[str]  # a sentence without one of these (and without a digit) has no expression
    rules: tuple[Rule, ...]
    future_cue: re.Pattern[str]


FLAGS = re.IGNORECASE
WORD = re.compile(r"[a-z]+")
DIGIT = re.compile(r"\d")
DASH = r"(?:-|–|—)"
MODIFIER = (r"(?P<mod>early|mid|late|(?:earlier|later)\s+in|"
             r"(?:at\s+)?the\s+(?:end|start|beginning|middle|turn|first\s+half|second\s+half)\s+of)")
QUANTIFIER = (r"(?:about|around|nearly|almost|some|up\s+to|more\s+than|less\s+than|at\s+least|roughly|"
               r"approximately|just|only|over|barely|a\s+full|fully)")
RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|until|till|through|thru|and)\s*", FLAGS)
FROM = re.compile(r"\b(?:from|between)\s+$", FLAGS)
SINCE = re.compile(r"\b(?:ever\s+)?since\s+$", FLAGS)
UNTIL = re.compile(r"\b(?:until|till|til|up\s+until|up\s+to|through|no\s+later\s+than|not\s+later\s+than|"
                    r"by|before)\s+$", FLAGS)
NEUTRAL = re.compile(r"\b(?:back\s+in|on|in|at|during|as\s+of)\s+$", FLAGS)
CLAUSE_START = re.compile(r"[,;:.!?\"“”()—–]")

# Gaps between two pieces of one expression, by what the pieces are.
GAP_TIME_THEN_DATE = re.compile(r"\s*,?\s*(?:on\s+|of\s+)?", FLAGS)
GAP_DATE_THEN_TIME = re.compile(r"\s*,?\s*(?:at\s+)?(?:around\s+|about\s+)?", FLAGS)
GAP_DATE_THEN_PAREN = re.compile(r"\s*\(\s*")
GAP_WEEKDAY_THEN_DATE = re.compile(r"\s*,?\s*(?:the\s+)?", FLAGS)
GAP_APPOSITION = re.compile(r"\s*,\s*")
GAP_DATE_THEN_YEAR = re.compile(r"\s+(?:of\s+)?", FLAGS)


def number_value(word: str, lex: Lexicon) -> int | None:
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


def previous_word(text: str, start: int) -> str:
    found = re.search(r"([\w'’.-]+)\W*$", text[max(0, start - 40):start])
    return found.group(1).lower().rstrip(".") if found else ""


def next_word(text: str, end: int) -> str:
    found = re.match(r"\W*?([\w'’-]+)", text[end:end + 40])
    return found.group(1).lower() if found else ""


def which_of(words: str | None) -> Which | None:
    """"last"/"this past" -> last, "next"/"this coming" -> next, "this" -> this; None when absent."""
    return WHICH[" ".join(words.lower().split())] if words else None


def part_of(words: str) -> Literal["early", "late"] | None:
    """"earlier this week" covers the days before the reference, "later this week" those after."""
    return "early" if words.startswith("earl") else "late" if words.startswith("late") else None


def duration_iso(n: int, unit: str, lex: Lexicon) -> str:
    designator, multiple, _ = lex.units[unit]
    amount = n * multiple
    return f"PT{amount}{designator[1:]}" if designator.startswith("T") else f"P{amount}{designator}"


