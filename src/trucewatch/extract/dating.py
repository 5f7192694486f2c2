"""When each event happened: the time expression of its own clause, the report's narrative day,
the start of a stated period, the date of what it answers; honest granularity throughout.

A news event with no time of its own is dated by the day its lede or dateline gives (when that day
is within three days of publication), else by the month of publication; an event told as earlier
context without a time stays undated rather than getting a made-up one.
"""

from __future__ import annotations

import datetime as dt
import re

from trucewatch.extract.coref import places_compatible
from trucewatch.extract.drafts import Draft, family
from trucewatch.extract.mentions import SentenceMentions
from trucewatch.models import Event
from trucewatch.nlp.pipeline import AnalysedSentence, EntityMention
from trucewatch.resolve.dates import TimeExpr, find_time_expressions, shift

_PAST_CONTEXT = frozenset("had previous previously earlier ago since former back afterwards".split())


REPORTING = frozenset("said says told announced stated reported confirmed claimed added declared warned "
                       "tweeted posted".split())


_RESPONSE_CUES = frozenset("responded response retaliation retaliate retaliated avenge avenged revenge reprisal".split())


def date_responses(drafts: list[Draft], sentences: list[AnalysedSentence]) -> None:
    """"The US responded to the Erbil attack by bombing ...": an undated response to a dated event
    of the same sentence took place in that event's month at the earliest; that month is its date."""
    by_sentence: dict[int, list[Draft]] = {}
    for d in drafts:
        by_sentence.setdefault(d.event.sentence, []).append(d)
    for idx, group in by_sentence.items():
        if not set(sentences[idx].lower) & _RESPONSE_CUES:
            continue
        dated = [d for d in group if d.event.date and d.event.date_source in ("stated", "sentence")]
        for ref in (d for d in group if d.anaphoric and family(d.event.type) == "force"):
            # "responded to the Erbil attack": the attack told before, with its date.
            told = [x for x in drafts if x.event.sentence < idx and x.event.type == "attack" and x.event.date
                    and x.event.date_source in ("stated", "sentence") and (
                        ref.location is None or x.location is None or places_compatible(ref.location, x.location))]
            if told:
                dated.append(max(told, key=lambda x: x.event.sentence))
        for d in group:
            if family(d.event.type) == "force" and d.event.date_source in (None, "inferred", "narrative") \
                    and dated and dated[0] is not d and not d.anaphoric:
                d.event.date, d.event.date_source = dated[0].event.date[:7], "inferred"


def period_start(t: TimeExpr, ref: dt.date | None) -> str | None:
    """The month a period "in the last/past N months" began, counted back from the reference."""
    if ref is None or t.kind != "duration" or not t.duration or not t.duration.startswith("P") \
            or not t.duration.endswith("M") or not any(w in t.text.lower().split() for w in ("last", "past")):
        return None
    try:
        months = int(t.duration[1:-1])
    except ValueError:
        return None
    total = ref.year * 12 + ref.month - 1 - months
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def confirms(after: list[str]) -> bool:
    """"the US military confirmed", "the Pentagon said": a statement, not a refusal to comment."""
    return bool(set(after) & {"said", "says", "confirmed", "confirms", "announced", "stated"}) and "not" not in after


def narrative_day(timexes: list[TimeExpr], ref: dt.date | None) -> str | None:
    """The day a lede or dateline puts the story on ("said on Sunday", "GAZA CITY, Oct 10"), if it is
    within three days before publication: the time of the report's undated news sentences."""
    if ref is None:
        return None
    for t in timexes:
        if t.value and t.granularity == "day" and t.kind == "point":
            day = dt.date.fromisoformat(t.value)
            if 0 <= (ref - day).days <= 3:
                return t.value
    return None


def past_context(sentence: str) -> bool:
    """Markers of an event told as earlier context: "had", "previous", "last October", "since"."""
    words = set(sentence.lower().replace(",", " ").split())
    return bool(words & _PAST_CONTEXT)


def reference_date(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def sentence_dates(s: AnalysedSentence, sm: SentenceMentions, timexes: list[TimeExpr],
                    ref: dt.date | None = None,
                    narrative: str | None = None) -> dict[int, tuple[str | None, str | None]]:
    """Give each mention of a sentence its date and where the date came from.

    A mention takes the time expression of its own clause ("stated"); else one from a clause that
    reports no event, which goes to the nearest mention only ("sentence"); else the date of the
    reporting verb ("said on Sunday": "reporting", a weak date that never blocks a merge). "Two days
    after X" dates X from the event before it.
    """
    segs = sm.segments
    body = [t for t in timexes if t.start >= s.body]

    def tok(t: TimeExpr) -> int:
        return s.token_at(s.start + t.start)

    def reporting(t: TimeExpr) -> bool:
        """"said on Sunday", "In a February 25 statement": the time of a statement, not of the event."""
        i = tok(t)
        j = s.token_at(s.start + t.end)
        return any(w in REPORTING for w in s.lower[max(0, i - 3):i]) or s.lower[j:j + 1] in (
            ["statement"], ["briefing"], ["interview"], ["announcement"], ["remarks"], ["post"], ["tweet"])

    points = [t for t in body if t.value and t.kind in ("point", "range", "deadline")]
    # "since October 17" is a period: it dates a truce or a count, never one use of force.
    ranges = {id(t) for t in points if t.kind == "range" and t.text.lower().startswith("since")}
    stated = [t for t in points if not reporting(t)]
    said = [t for t in points if reporting(t)]
    busy = {m.segment for m in sm.mentions}
    out: dict[int, tuple[str | None, str | None]] = {}
    for m in sm.mentions:
        own = [t for t in stated if segs[m.segment].lo <= tok(t) < segs[m.segment].hi
               and not (m.kind == "force" and id(t) in ranges)]
        if m.kind == "ceasefire" and own and all(_effective(s, tok(t)) for t in own) and said:
            # A truce is dated when announced ("announced today"); "starting tomorrow" is when it
            # takes effect, kept for the ledger but not the truce's date.
            out[id(m)] = (_value(said[0]), "reporting")
            continue
        if m.kind == "ceasefire" and len(own) > 1:
            own = [t for t in own if not _effective(s, tok(t))] or own
        if own:
            out[id(m)] = (_value(min(own, key=lambda t: abs(tok(t) - m.head))), "stated")
    for m in sm.mentions:
        # "since early February, when the groups halted attacks": the when-clause takes that time.
        seg = segs[m.segment]
        if id(m) not in out and s.lower[seg.lo] == "when" and m.segment > 0:
            prev = [t for t in stated if segs[m.segment - 1].lo <= tok(t) < seg.lo]
            if prev:
                out[id(m)] = (_value(prev[-1]), "stated")
    for t in stated:
        k = next((i for i, g in enumerate(segs) if g.lo <= tok(t) < g.hi), None)
        if k is None or k in busy or s.lower[segs[k].lo] in OTHER_TIME_CLAUSE:
            continue
        nearest = min(sm.mentions, key=lambda m: abs(tok(t) - m.head))
        # "took office in May, ... after the American killing of Soleimani": an "after" clause tells an
        # earlier event, which the main clause's time does not date.
        if id(nearest) not in out and s.lower[segs[nearest.segment].lo] not in ("after", "since", "following"):
            out[id(nearest)] = (_value(t), "sentence")
    for m in sm.mentions:
        # "stepped up in 2020 after the US assassinated ...": the earlier event is of that year at most.
        seg = segs[m.segment]
        if id(m) not in out and s.lower[seg.lo] in ("after", "following") and m.segment > 0:
            prev = [t for t in stated if segs[m.segment - 1].lo <= tok(t) < seg.lo]
            value = _value(prev[-1]) if prev else None
            if value:
                out[id(m)] = (value[:4], "inferred")
    for m in sm.mentions:
        if id(m) not in out and said:
            out[id(m)] = (_value(said[0]), "reporting")
    # "refrained from attacking in the last six months": a calm dated from the start of the period.
    for t in body:
        start = period_start(t, ref)
        if start:
            for m in sm.mentions:
                if m.kind == "ceasefire" and out.get(id(m), (None, None))[1] in (None, "reporting"):
                    out[id(m)] = (start, "inferred")
    # "two days after drones attacked ...": the event after the expression is N days before the other.
    for t in body:
        if t.kind != "anaphoric" or t.offset_days is None or not t.text.lower().endswith(("after", "before")):
            continue
        i = tok(t) + len(t.text.split())
        later = [m for m in sm.mentions if m.head >= i - 1]
        earlier = [m for m in sm.mentions if m.head < tok(t) and out.get(id(m), (None,))[0]]
        if later and not earlier and narrative and t.offset_days == 0 and id(later[0]) not in out:
            out[id(later[0])] = (narrative, "inferred")  # "hours after": the day of the report's news
        if later and not earlier and narrative and any(m.head < tok(t) for m in sm.mentions) and t.offset_days:
            # "The attack comes only a week after a U.S. airstrike": the attack is the report's news.
            sign = -1 if t.text.lower().endswith("after") else 1
            shifted = shift(narrative, sign * abs(t.offset_days))
            if shifted and id(later[0]) not in out:
                out[id(later[0])] = (shifted[:7], "inferred")
        if later and earlier:
            anchor = out[id(earlier[-1])][0]
            sign = -1 if t.text.lower().endswith("after") else 1
            shifted = shift(anchor, sign * abs(t.offset_days)) if anchor else None
            if shifted:
                out[id(later[0])] = (shifted, "inferred")
    return out


# Clauses whose time belongs to their own (unreported) event: "since fighting began in 2015".
OTHER_TIME_CLAUSE = frozenset("since after before following until amid despite which who that".split())


_EFFECTIVE = frozenset("starting start starts from effective until till begin begins beginning effect".split())


def _effective(s: AnalysedSentence, i: int) -> bool:
    return any(w in _EFFECTIVE for w in s.lower[max(0, i - 2):i])


def _value(t: TimeExpr) -> str | None:
    if t.kind == "deadline" and t.end_value:
        return t.end_value
    return t.value


def is_background(e: Event, published: str | None) -> bool:
    """Past context rather than the report's news: dated well before publication."""
    if not published or not e.date:
        return False
    if len(e.date) == 10:
        try:
            return (dt.date.fromisoformat(published) - dt.date.fromisoformat(e.date)).days > 3
        except ValueError:
            return False
    return e.date < published[: len(e.date)]

def speaks_of_itself(s: AnalysedSentence, m: EntityMention) -> bool:
    after = s.lower[m.end:m.end + 6]
    return any(w in REPORTING for w in after[:3]) and any(w in ("it", "they", "its", "their") for w in after)


def truce_deadline(event: Event, reference: dt.date | None) -> str | None:
    """The deadline a truce's terms set: "within 12 months" counted from the truce's date (at the
    truce date's own granularity, never finer), or a date stated with "by"/"until"."""
    start = event.date
    for condition in event.conditions or []:
        for t in find_time_expressions(condition, reference):
            if t.kind == "deadline" and t.end_value:
                # A truce's deadline cannot precede the truce: "by September 15" told in March is next September.
                if start and t.end_value[:len(start)] < start[:len(t.end_value)]:
                    return f"{int(t.end_value[:4]) + 1:04d}" + t.end_value[4:]
                return t.end_value
            if t.kind in ("deadline", "duration") and t.duration and start and "within" in t.text.lower():
                return _add_duration(start, t.duration)
    return None


def _add_duration(start: str, duration: str) -> str | None:
    """start ('YYYY', 'YYYY-MM' or 'YYYY-MM-DD') plus an ISO duration of months, years or days."""
    m = re.fullmatch(r"P(\d+)([YMD])", duration)
    if not m:
        return None
    n, unit = int(m.group(1)), m.group(2)
    year = int(start[:4])
    month = int(start[5:7]) if len(start) >= 7 else None
    if unit == "Y":
        return f"{year + n:04d}" + start[4:]
    if unit == "M" and month is not None:
        total = year * 12 + month - 1 + n
        return f"{total // 12:04d}-{total % 12 + 1:02d}" + (start[7:] if len(start) == 10 else "")
    if unit == "D" and len(start) == 10:
        return (dt.date.fromisoformat(start) + dt.timedelta(days=n)).isoformat()
    return None

