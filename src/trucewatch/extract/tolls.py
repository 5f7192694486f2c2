"""Killed and injured counts: which number of a sentence is the event's toll.

Rules read numbers ("12", "1,200", "twenty-five", "a dozen", "a contractor" = 1) and say when nobody was
hurt ("no casualties", "no one was injured" = 0); a trained model decides which number is killed, which
injured and which neither (a date, a count of rockets, a running total), from the words around it and its
place in the parse ("killing 12 civilians": a number on the object of "killing"). Numbers inside a
dateline or a date are never candidates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trucewatch.extract import syntax
from trucewatch.nlp.sentences import AnalysedSentence, Trigger

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
MAX_TOLL = 10_000_000  # larger "tolls" are not people (view counts, money): never a toll
_SINGULAR = frozenset({"a", "an", "one"})
_PERSONS = frozenset("""contractor soldier trooper member servicemember serviceman officer policeman civilian fighter
militant commander guard child boy girl woman man person marine sailor airman worker employee journalist
resident pilot driver nurse doctor medic volunteer student teacher farmer shepherd""".split())
_UNIT_AFTER = frozenset("mm km kilometres kilometers miles metres meters percent % years year days day hours hour "
                        "minutes months month weeks week dollars usd euros tons tonnes kg am pm".split())
_NONE = re.compile(
    r"\b(?:no|without(?: causing)?(?: any)?|zero|neither)\s+(?:\w+\s+){0,2}?(?:casualt(?:y|ies)|injur(?:y|ies)"
    r"|deaths?|fatalit(?:y|ies))"
    r"|\b(?:nobody|no one|no-one|none)\s+(?:was|were|had been|has been)\s+(?:hurt|injured|killed|wounded)",
    re.IGNORECASE)


MAX_DIGITS = 8  # MAX_TOLL has eight digits: a longer digit string is never a toll
_SEPARATORS = str.maketrans("", "", ",\u066c")  # thousands separators: ASCII and Arabic


def digit_value(word: str) -> int | None:
    """The value of a count written in digits ("12", "1,200", Arabic-Indic "١٢"), else None.

    ``str.isdecimal`` admits exactly the characters ``int`` reads, in every script; ``isdigit`` would
    also admit "①" and "²" (list markers, footnote marks), on which ``int`` raises. The length is
    checked before conversion, so no digit string, however long, costs more than a glance.
    """
    digits = word.translate(_SEPARATORS)
    if not digits or len(digits) > MAX_DIGITS or not digits.isdecimal():
        return None
    return int(digits)


@dataclass(frozen=True)
class Number:
    """A number of a sentence: its tokens (sentence-relative) and value."""

    start: int
    end: int
    value: int


def _word_value(w: str) -> int | None:
    if w in _UNITS:
        return _UNITS[w]
    if "-" in w:
        head, _, tail = w.partition("-")
        if head in _UNITS and tail in _UNITS and _UNITS[head] >= 20 and _UNITS[tail] < 10:
            return _UNITS[head] + _UNITS[tail]
    return None


def numbers(s: AnalysedSentence, blocked: set[int]) -> list[Number]:
    """Numbers of the sentence that could be a toll; ``blocked`` tokens (dates, dateline) are skipped."""
    out: list[Number] = []
    low = s.lower
    i, n = 0, len(low)
    while i < n:
        w = low[i]
        if i in blocked:
            i += 1
            continue
        value: int | None = None
        width = 1
        if (count := digit_value(w)) is not None:
            value = None if 1900 <= count <= 2100 and "," not in w else count  # a year is no count
        elif w == "a" and i + 1 < n and low[i + 1] == "dozen":
            value, width = 12, 2
        elif w in _SINGULAR and any(low[k] in _PERSONS for k in range(i + 1, min(i + 3, n))):
            value = 1  # "a contractor", "a US contractor": one person (not "a rocket struck soldiers")
        else:
            value = _word_value(w)
            if value is not None and value >= 20 and i + 2 < n and low[i + 1] == "-":
                tail = _word_value(low[i + 2])
                if tail is not None and tail < 10:
                    value, width = value + tail, 3
            elif value is not None and value >= 20 and value % 10 == 0 and i + 1 < n:
                tail = _word_value(low[i + 1])
                if tail is not None and tail < 10:
                    value, width = value + tail, 2  # "twenty five"
        if value is not None and i + width < n and low[i + width] in ("hundred", "thousand"):
            value *= 100 if low[i + width] == "hundred" else 1000
            width += 1
        nxt = low[i + width] if i + width < n else ""
        if value is not None and nxt not in _UNIT_AFTER and 0 <= value <= MAX_TOLL:
            out.append(Number(i, i + width, value))
        i += width
    return out


def nobody_hurt(text: str) -> bool:
    """The sentence says there were no casualties."""
    return _NONE.search(text) is not None


def number_features(s: AnalysedSentence, anchor: Trigger, num: Number) -> list[str]:
    """What a number's context says about whether it counts the dead, the wounded, or neither."""
    low = s.lower
    before = low[max(0, num.start - 3):num.start]
    after = low[num.end:num.end + 3]
    out = [f"b1={before[-1] if before else '#'}", f"a1={after[0] if after else '#'}",
           f"a2={' '.join(after[:2])}", f"b2={' '.join(before[-2:])}"]
    out += [f"bw={w}" for w in before] + [f"aw={w}" for w in after]
    v = num.value
    out.append("v=1" if v == 1 else "v=2-9" if v < 10 else "v=10-99" if v < 100 else "v=100+")
    if s.doc is not None:
        t = s.doc[num.start]
        h = t.head
        out += [f"dep={t.dep_}", f"head={h.lower_}", f"headdep={h.dep_}", f"head2={h.head.lower_}",
                f"head={h.lower_}|head2={h.head.lower_}"]
        verb = syntax.clause_verb(t)
        out += [f"verb={verb.lower_}", f"verb={verb.lower_}|dep={h.dep_ if t.dep_ == 'nummod' else t.dep_}"]
        out.append(f"p={syntax.path(s.doc[anchor.head], t)}")
    return out
