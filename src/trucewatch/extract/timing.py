"""When an event happened: which time expression of its sentence dates it, or, when none does, whether
it took place on the report's day, in its month, on the day of the event told before, on the day the
report first gave an event (its lead), or at no time the text says.

Time expressions are found and resolved by rule (:mod:`trucewatch.resolve.dates`: "on Tuesday", "last
month", "15 November", against the report's reference date); trained models choose among them. Dates
in a dateline are metadata and never date an event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from trucewatch.extract import syntax
from trucewatch.nlp.sentences import AnalysedSentence, Trigger
from trucewatch.resolve.dates import TimeExpr, find_time_expressions

FALLBACKS = ("none", "day", "month", "previous", "lead")  # what dates an event whose sentence gives no time
_PAST = frozenset("had has have was were been earlier previously last ago since former past".split())


@dataclass(frozen=True)
class Timex:
    """A time expression of a sentence with the tokens it covers (sentence-relative)."""

    expr: TimeExpr
    start: int
    end: int


def timexes(s: AnalysedSentence, reference: dt.date | None) -> list[Timex]:
    """The sentence's time expressions after its dateline, with their token spans."""
    out = []
    for t in find_time_expressions(s.text, reference):
        if t.start < s.body:
            continue
        first = next((k for k, c in enumerate(s.starts) if c - s.start + len(s.tokens[k]) > t.start), None)
        if first is None:
            continue
        last = max((k for k, c in enumerate(s.starts) if c - s.start < t.end), default=first)
        out.append(Timex(t, first, last + 1))
    return out


def blocked_tokens(s: AnalysedSentence, found: list[Timex]) -> set[int]:
    """Tokens of dates and of the dateline: never a toll."""
    out = {k for k, c in enumerate(s.starts) if c - s.start < s.body}
    for t in found:
        out.update(range(t.start, t.end))
    return out


def value_of(t: TimeExpr) -> str | None:
    """The date a time expression gives an event: its value, or the start of a range."""
    return t.value


def timex_features(s: AnalysedSentence, anchor: Trigger, t: Timex, reference: dt.date | None) -> list[str]:
    """What a time expression's wording and place in the sentence say about whether it dates the event."""
    e = t.expr
    words = s.lower[t.start:t.end]
    before = s.lower[t.start - 1] if t.start > 0 else "#"
    out = [f"kind={e.kind}", f"gran={e.granularity}", f"rel={e.relative}", f"first={words[0]}",
           f"before={before}", f"last={words[-1]}"]
    out.append("after_anchor" if t.start >= anchor.end else "before_anchor")
    gap = abs(t.start - anchor.start)
    out.append(f"gap={'0-2' if gap < 3 else '3-6' if gap < 7 else '7-12' if gap < 13 else '13+'}")
    if e.value and reference is not None:
        out.append(f"age={_age(e.value, reference)}")
    if s.doc is not None:
        head = syntax.span_head(s.doc, t.start, t.end)
        p = syntax.path(s.doc[anchor.head], head)
        out += [f"p={p}", f"hdep={head.dep_}", f"hgov={head.head.lower_}"]
        steps = [x for x in p.replace(">", "|>").replace("<", "|<").split("|") if x]
        if steps:
            out += [f"p1={steps[0]}", f"pl={steps[-1]}"]
    return out


def fallback_features(s: AnalysedSentence, anchor: Trigger, event_type: str, n_sentences: int,
                      has_dateline: bool, others: bool, dates: Dates) -> list[str]:
    """What says when an event the sentence does not date happened: the sentence, and how the dates it
    could take from the report relate (a report whose lead event happened the day before it was published
    tells its later undated details of that day, not of the publication's)."""
    out = [f"T={event_type}", f"pos={min(s.idx, 6)}", f"dateline={has_dateline}", f"other_timex={others}"]
    ref = dates.reference.isoformat() if dates.reference is not None else None
    out.append("lead=none" if dates.lead is None else "lead=ref" if dates.lead == ref else
               f"lead_age={_age(dates.lead, dates.reference) if dates.reference else 'noref'}")
    prev = dates.previous
    out.append("prev=none" if prev is None else "prev=ref" if prev == ref else "prev=lead" if prev == dates.lead
               else f"prev_len={len(prev)}")
    if s.idx == n_sentences - 1:
        out.append("last")
    out += [f"past={w}" for w in s.lower if w in _PAST]
    if s.doc is not None:
        h = s.doc[anchor.head]
        out += [f"tag={h.tag_}", f"dep={h.dep_}"]
        out += [f"aux={c.lower_}" for c in h.children if c.dep_ in ("aux", "auxpass")]
        out += [f"anc={a.lower_}" for a in syntax.ancestors(h)[:2]]
    w = s.lower[max(0, anchor.start - 3):anchor.start]
    out += [f"w-={x}" for x in w]
    return out


def _age(value: str, reference: dt.date) -> str:
    """How long before (or after) the reference date a date lies."""
    try:
        parts = [int(p) for p in value.split("-")]
        day = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return "bad"
    days = (reference - day).days
    if days < 0:
        return "future"
    return "0" if days == 0 else "1" if days == 1 else "2-7" if days <= 7 else "8-31" if days <= 31 else \
        "32-365" if days <= 365 else "old"


@dataclass(frozen=True)
class Dates:
    """The dates a report offers an undated event: its reference day, the date of the event told just
    before, and the first day it stated for an event (its lead)."""

    reference: dt.date | None
    previous: str | None = None
    lead: str | None = None

    def after(self, date: str | None, stated: bool) -> Dates:
        """The dates offered to the next event once an event dated ``date`` is told."""
        lead = self.lead or (date if stated and date and len(date) == 10 else None)
        return Dates(self.reference, date or self.previous, lead)


def fallback_value(kind: str, dates: Dates) -> str | None:
    """The date a fallback decision gives."""
    if kind == "day" and dates.reference is not None:
        return dates.reference.isoformat()
    if kind == "month" and dates.reference is not None:
        return dates.reference.isoformat()[:7]
    if kind == "previous":
        return dates.previous
    if kind == "lead":
        return dates.lead
    return None
