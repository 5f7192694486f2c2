"""Conditions of a truce: when two wordings are one condition, its deadline, and what an act says.

Outlets word one term differently ("the government presents a timetable for the withdrawal of US
troops", "Kadhimi can set a timetable for a US withdrawal"); the ledger keeps it once. A deadline is
counted from the day the truce was agreed ("within 12 months"), at that day's precision. An act
(a troop_change or demand) meets a condition when its sentences carry the condition's concepts
(see :data:`trucewatch.ledger.lexicon.CONCEPTS`).
"""

from __future__ import annotations

import re

from trucewatch.ledger import lexicon as words
from trucewatch.ledger.periods import Period, after
from trucewatch.ledger.reports import sentences_of
from trucewatch.models import Document, Event
from trucewatch.resolve.dates import find_time_expressions

_STOP = frozenset("a an the of to for and or in on at by with that this its their his her be is are was were "
                  "will would must should has have had as from all any it they which who into than then "
                  "under deal".split())
_TOKEN = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _content(text: str) -> set[str]:
    return {_stem(w) for w in _TOKEN.findall(words.normalise(text).lower()) if w not in _STOP}


def same_condition(a: str, b: str) -> bool:
    """Two wordings of one condition: they share at least two content words and half of the shorter
    one's, or they speak of the same two or more things ("sets a timetable for a US withdrawal",
    "presents a timetable for the withdrawal of American troops")."""
    ca, cb = _content(a), _content(b)
    shared = ca & cb
    if len(shared) >= 2 and len(shared) >= 0.5 * min(len(ca), len(cb)):
        return True
    concepts = words.concepts(a)
    return len(concepts) >= 2 and concepts == words.concepts(b)


def deadline_of(text: str, base: Period | None) -> tuple[str | None, str | None]:
    """(deadline, duration) of a condition: "within 12 months" counted from the day it was agreed,
    or the day it names ("by the end of April", "until noon on Monday")."""
    for t in find_time_expressions(text, base.first if base else None):
        if t.kind != "deadline":
            continue
        if t.duration:
            end = after(base, t.duration) if base is not None else None
            return (end.value if end else None), t.duration
        if t.end_value:
            return t.end_value, None
    return None, None


def act_date(event: Event, doc: Document) -> Period | None:
    """When an act was done: a plan dated in the future ("will leave by the end of 2023") was made
    when it was reported."""
    p = Period.parse(event.date)
    published = Period.parse(doc.published)
    if p is not None and published is not None and p.first > published.last:
        return published
    return p or published


def act_concepts(event: Event, doc: Document) -> set[str]:
    """The concepts an act's sentences carry; a date after publication in them makes a timetable."""
    found: set[str] = set()
    published = Period.parse(doc.published)
    for text in sentences_of(doc, event):
        found |= words.concepts(text)
        for t in find_time_expressions(text, published.first if published else None):
            p = Period.parse(t.end_value or t.value)
            if published is not None and p is not None and p.first > published.last:
                found.add(words.DATED_CONCEPT)
    return found
