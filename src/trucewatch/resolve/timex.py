"""Find the time expressions of a sentence and record what their words say, before any calendar.

The tagger is a set of regular expressions built once from the lexicon in ``data/time.yaml``
(:mod:`~trucewatch.resolve.timex_lexicon` loads it, :mod:`~trucewatch.resolve.timex_grammar` holds the
rules). Each rule turns a match into a *frame* (:mod:`~trucewatch.resolve.timex_frames`), a plain record
of what the words state. Overlapping matches are settled longest first, then `tag` joins the pieces the
way news writes them ("18:05, Friday, 3 May, 2024"; "from 2 August until 2 October 2022"; "until
midnight on Sunday") and reads the word in front ("since", "by", "until").

Nothing here knows the publication date: turning frames into ISO values is the job of
`trucewatch.resolve.dates`. Keeping the two apart lets the word rules change without touching the
calendar arithmetic, and the other way round.
"""


from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from trucewatch.resolve.timex_frames import (
    Anaphor,
    CalendarDate,
    ClockTime,
    DayOffset,
    Deadline,
    PeriodOffset,
    Point,
    Range,
    Season,
    Tagged,
    Weekday,
)
from trucewatch.resolve.timex_grammar import (
    compiled_grammar,
)
from trucewatch.resolve.timex_lexicon import (
    CLAUSE_START,
    DIGIT,
    FROM,
    GAP_APPOSITION,
    GAP_DATE_THEN_PAREN,
    GAP_DATE_THEN_TIME,
    GAP_DATE_THEN_YEAR,
    GAP_TIME_THEN_DATE,
    GAP_WEEKDAY_THEN_DATE,
    NEUTRAL,
    RANGE_GAP,
    SINCE,
    UNTIL,
    WORD,
    Gate,
    Grammar,
    Rule,
)

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
            and GAP_TIME_THEN_DATE.fullmatch(gap):
        return Tagged(a.start, b.end, fb)
    if isinstance(fa, _DATED) and isinstance(fb, ClockTime):
        if GAP_DATE_THEN_TIME.fullmatch(gap):
            return Tagged(a.start, b.end, fa)
        if GAP_DATE_THEN_PAREN.fullmatch(gap) and re.match(r"\s*\)", text[b.end:]):
            return Tagged(a.start, text.index(")", b.end) + 1, fa)
    if isinstance(fa, CalendarDate) and fa.month is not None and fa.year is None and fa.which is None \
            and isinstance(fb, PeriodOffset) and fb.unit == "year" and fb.offset is not None \
            and fb.part is None and not fb.end_of and GAP_DATE_THEN_YEAR.fullmatch(gap):
        return Tagged(a.start, b.end, replace(fa, year_offset=fb.offset))  # "May last year", "7 June this year"
    if isinstance(fa, Weekday) and isinstance(fb, CalendarDate) and fb.day is not None \
            and GAP_WEEKDAY_THEN_DATE.fullmatch(gap):
        return Tagged(a.start, b.end, replace(fb, weekday=fa.weekday))
    if isinstance(fa, DayOffset | Anaphor) and GAP_APPOSITION.fullmatch(gap):
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
    gap = RANGE_GAP.fullmatch(text[a.end:b.start])
    if not gap:
        return None
    word = gap.group(0).strip().lower()
    opener = FROM.search(text[max(0, a.start - 10):a.start])
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


def _looks_ahead(text: str, start: int, grammar: Grammar) -> bool:
    """True when a future cue ("will", "set to", "starting") stands a few words before ``start``
    in the same clause."""
    window = text[max(0, start - 80):start]
    cut = max((m.end() for m in CLAUSE_START.finditer(window)), default=0)
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


def _read_prefix(text: str, t: Tagged, grammar: Grammar) -> Tagged:
    """Read the words in front of an expression: "since" (an open range), "until"/"by" (a deadline),
    "from"/"between" before a range, or a plain "on"/"in" to include in the span. Decide here too
    whether the sentence looks ahead."""
    frame = t.frame
    left = text[max(0, t.start - 30):t.start]
    if isinstance(frame, Range):
        opener = FROM.search(left) or NEUTRAL.search(left)
        start = t.start - len(opener.group(0)) if opener else t.start
        ahead = _placed_by_direction(frame.first) and _looks_ahead(text, start, grammar)
        return Tagged(start, t.end, frame, "future" if ahead else t.direction)
    if not isinstance(frame, Point):  # durations and anaphoric expressions carry their own words
        return t
    possessive = text[t.start:t.end].endswith(("'s", "’s"))  # "Friday's barrage" is past
    direction = t.direction
    if _placed_by_direction(frame) and not possessive and _looks_ahead(text, t.start, grammar):
        direction = "future"
    if (m := SINCE.search(left)) and not isinstance(frame, ClockTime):
        return Tagged(t.start - len(m.group(0)), t.end, Range(frame, None), "past")
    if (m := UNTIL.search(left)) and not possessive:  # "hit by Monday's strike" is no deadline
        word = m.group(0).split()[0].lower()
        if word != "before" or getattr(frame, "end_of", False):  # only "before the end of ..."
            # A deadline looks ahead to a weekday ("gives Hamas until Monday"); a date or month may lie
            # either side ("held until October"), so it takes the nearest.
            ahead = direction == "future" or isinstance(frame, Weekday)
            return Tagged(t.start - len(m.group(0)), t.end, Deadline(frame), "future" if ahead else "nearest")
    if m := NEUTRAL.search(left):
        return Tagged(t.start - len(m.group(0)), t.end, frame, direction)
    return Tagged(t.start, t.end, frame, direction)


_WINDOW_BEFORE = 60  # characters an expression may reach before its anchor word ("about twenty-one more ...")
_WINDOW_AFTER = 30  # ... and after it ("days or so earlier", "March 3rd, 2021")


def _windows(gate: Gate, text: str) -> list[tuple[int, int]]:
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


def _matches(rule: Rule, text: str, windows: dict[int, list[tuple[int, int]]]) -> Iterator[re.Match[str]]:
    """The rule's matches: over the whole text, or only near its anchor words (see `Gate`).
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
    grammar = compiled_grammar()
    has_digit = DIGIT.search(text) is not None
    words = set(WORD.findall(text.lower()))
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

