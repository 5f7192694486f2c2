"""The grammar of time expressions: every rule in one place, read top to bottom (the regex pieces built from
the lexicon, the readers that turn a match into a frame, then the rule table), built once."""

from __future__ import annotations

import re
from functools import lru_cache

from trucewatch.resolve.timex_frames import (
    PERIOD_UNITS,
    Anaphor,
    CalendarDate,
    ClockTime,
    DayOffset,
    DayWindow,
    Duration,
    Frame,
    PeriodOffset,
    Range,
    Season,
    Weekday,
)
from trucewatch.resolve.timex_lexicon import (
    DASH,
    FLAGS,
    MODIFIER,
    QUANTIFIER,
    Gate,
    Grammar,
    Rule,
    alternation,
    duration_iso,
    load_lexicon,
    next_word,
    number_value,
    part_of,
    previous_word,
    which_of,
)


def build_grammar() -> Grammar:
    """Every rule in one place, read top to bottom: the regex pieces built from the lexicon, the
    readers that turn a match into a frame (closures over the lexicon), then the rule table."""
    lex = load_lexicon()
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
    count = alternation(lex.count_nouns)
    parts = alternation(lex.day_parts)
    units = alternation(list(lex.units))

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
        if m.group("y") is None and re.match(rf"\s+(?:{count})\b", text[m.end():], FLAGS) and \
                previous_word(text, m.start()) not in {"the", "a", "an", "its", "their", "his", "her"}:
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
            before = previous_word(text, m.start())
            allowed = strong_context if m.group("m").capitalize() in lex.ambiguous_months else month_context
            if before not in allowed:
                return None
        return CalendarDate(month=months_of(m, "m"), which=which_of(m.group("which")), end_of=modifier_end(m))

    def read_year(m: re.Match[str], text: str) -> Frame | None:
        start = m.start("y")
        if not m.group("mod"):
            if re.search(r"[A-Za-z]-$", text[max(0, start - 2):start]):  # "COVID-2019", "F-2000"
                return None
            if previous_word(text, start) in lex.number_labels:
                return None
        if re.match(rf"\s*(?:%|percent\b|per\s+cent\b|hrs\b|hours\b|h\b|GMT\b|UTC\b|local\b|(?:{count})\b)",
                    text[m.end():], FLAGS):
            return None
        return CalendarDate(year=int(m.group("y")), end_of=modifier_end(m))

    def read_weekday(m: re.Match[str], text: str) -> Frame | None:
        if previous_word(text, m.start("w")) in lex.weekday_not_after:
            return None
        if next_word(text, m.end("w")) in lex.weekday_not_before:
            return None
        return Weekday(lex.weekdays[m.group("w").lower().rstrip(".")], which_of(m.group("which")))

    day_words = {"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0, "last night": -1,
                 "this morning": 0, "this afternoon": 0, "this evening": 0,
                 "the day before yesterday": -2, "the day after tomorrow": 2}

    def read_day_word(m: re.Match[str], text: str) -> Frame | None:
        return DayOffset(day_words[" ".join(m.group("w").lower().split())])

    def read_period(m: re.Match[str], text: str) -> Frame | None:
        which = " ".join(m.group("which").lower().split())
        unit_name = PERIOD_UNITS[m.group("unit").lower()]
        pre = " ".join((m.group("pre") or "").lower().split())
        if which in ("last", "this", "next"):
            offset = {"last": -1, "this": 0, "next": 1}[which]
            return PeriodOffset(unit_name, offset, part_of(pre) if offset == 0 else None, "end" in pre)
        if which in ("the past", "past", "this past", "the last"):
            if next_word(text, m.end()) == "of":
                return None  # "the last week of March": a part of March, not the week before now
            if unit_name == "weekend" or which == "this past":
                return PeriodOffset(unit_name, -1)
            return Duration(duration_iso(1, unit_name, lex), relative=True)
        if which in ("the coming", "the next"):
            if unit_name == "weekend":
                return PeriodOffset("weekend", 1)
            return Duration(duration_iso(1, unit_name, lex), deadline=True, relative=True)
        # "the previous/following week": counted from a time named elsewhere
        step = 1 if which == "the following" else -1
        return Anaphor(7 * step if unit_name == "week" else None)

    def read_period_of(m: re.Match[str], text: str) -> Frame | None:
        pre = (m.group("pre") or m.group("edge")).lower()
        return PeriodOffset(PERIOD_UNITS[m.group("unit").lower()], 0, part_of(pre), pre == "end")

    def read_weekend(m: re.Match[str], text: str) -> Frame | None:
        return PeriodOffset("weekend", None)

    def read_ago(m: re.Match[str], text: str) -> Frame | None:
        u = m.group("unit").lower()
        n = number_value(m.group("n"), lex) if m.group("n") else None
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
            return Season(first, last, which=which_of(m.group("which")))
        # Alone, a season word needs a preposition ("in spring", "during the winter"): "the spring
        # offensive" and "the fall of Mosul" are no time. "fall" always needs "last"/"this"/a year.
        if name == "fall" or previous_word(text, m.start()) not in season_context:
            return None
        return Season(first, last)

    def read_time(m: re.Match[str], text: str) -> Frame | None:
        return ClockTime()

    def read_later(m: re.Match[str], text: str) -> Frame | None:
        u = m.group("unit").lower()
        n = number_value(m.group("n"), lex) if m.group("n") else None
        sign = -1 if m.group("dir").lower() in ("earlier", "before", "prior") else 1
        if u in ("minute", "hour"):  # within a day of each other: taken as the same day
            return Anaphor(0 if n is None or n * (60 if u == "hour" else 1) < 24 * 60 else None)
        days = lex.units[u][2]
        return Anaphor(sign * n * days if n is not None and days else None)

    def read_that_day(m: re.Match[str], text: str) -> Frame | None:
        rel = (m.group("rel") or m.group("rel2") or "").lower()
        u = m.group("u").lower()
        if not rel and m.group("that").lower() != "that":
            return None  # "the day" alone: "the day when talks finally resumed"
        if u in ("month", "year"):
            return Anaphor(None)
        step = 7 if u == "week" else 1
        if rel in ("", "same"):
            return Anaphor(None if u == "week" else 0)
        return Anaphor(step if rel in ("next", "following", "after", "later") else -step)

    def read_within_hours(m: re.Match[str], text: str) -> Frame | None:
        return Anaphor(0)

    def read_for(m: re.Match[str], text: str) -> Frame | None:
        n = number_value(m.group("n"), lex)
        if not n:
            return None
        said = " ".join(m.group(0).lower().split())
        pre = " ".join(m.group("pre").lower().split())
        relative = bool(re.search(r"\b(?:last|past|next|coming)\b", said)) and pre not in ("last", "lasts")
        deadline = pre == "within" or bool(re.search(r"\b(?:next|coming)\b", said))
        return Duration(duration_iso(n, m.group("unit").lower(), lex), deadline, relative)

    def read_adjectival(m: re.Match[str], text: str) -> Frame | None:
        n = number_value(m.group("n"), lex) if m.groupdict().get("n") else 1
        return Duration(duration_iso(n, m.group("unit").lower(), lex)) if n else None

    months = frozenset(lex.months)
    unit_words = frozenset(lex.units) | {u + "s" for u in lex.units}
    day_words_set = frozenset(w for phrase in day_words for w in phrase.split()) - {"the", "day", "before",
                                                                                   "after"}
    parts_set = frozenset(lex.day_parts)
    clock_words = frozenset({"midnight", "noon", "midday", "dawn", "dusk", "daybreak", "nightfall"})

    def anchored(words: frozenset[str], digit: bool = False) -> Gate:
        return Gate(words, digit, anchor=re.compile(rf"\b(?:{alternation(sorted(words))})\b", FLAGS))

    gates = {
        "digits": Gate(digit=True),
        "month_digit": anchored(months, digit=True),
        "month": anchored(months),
        "weekday": Gate(frozenset(lex.weekdays)),
        "day_word": Gate(day_words_set | parts_set),
        "period": Gate(frozenset({"week", "weekend", "month", "year"})),
        "weekend": Gate(frozenset({"weekend"})),
        "ago": Gate(frozenset({"ago"})),
        "season": Gate(frozenset(lex.seasons)),
        "time": Gate(clock_words, or_digit=True),
        "unit": anchored(unit_words),
        "that_day": Gate(parts_set | {"day", "week", "month", "year"}),
    }
    rules = (
        Rule("iso", gates["digits"], re.compile(
            rf"\b{year('y')}(?P<sep>[-/.])(?P<m>0?[1-9]|1[0-2])(?P=sep)(?P<d>0?[1-9]|[12]\d|3[01])(?!\d)"),
            read_iso),
        Rule("numeric", gates["digits"], re.compile(
            rf"(?<![\w.,/-])(?P<a>\d{{1,2}})(?P<sep>[-/.])(?P<b>\d{{1,2}})(?P=sep){year('y')}"),
            read_numeric),
        Rule("day_month", gates["month_digit"], re.compile(
            rf"(?<![\w.,:/$-])(?:the\s+)?{day('d')}(?:\s+of)?\s+{month('m')}(?:,?\s+{year('y')})?", FLAGS),
            read_day_month),
        Rule("month_day", gates["month_digit"], re.compile(
            rf"\b{month('m')}\s+(?:the\s+)?{day('d')}(?!\s*[:%])(?:,?\s+{year('y')})?", FLAGS),
            read_month_day),
        Rule("day_range", gates["month_digit"], re.compile(
            rf"(?<![\w.,:/$-]){day('d1')}\s*(?:{DASH}|to)\s*{day('d2')}\s+(?:of\s+)?{month('m')}"
            rf"(?:,?\s+{year('y')})?", FLAGS), read_day_range),
        Rule("month_day_range", gates["month_digit"], re.compile(
            rf"\b{month('m')}\s+{day('d1')}\s*{DASH}\s*{day('d2')}(?:,?\s+{year('y')})?", FLAGS),
            read_day_range),
        Rule("month_year", gates["month_digit"], re.compile(
            rf"\b(?:{MODIFIER}[\s-]+)?{month('m')},?\s+(?:of\s+)?{year('y')}", FLAGS), read_month_year),
        Rule("month", gates["month"], re.compile(
            rf"\b(?:(?P<which>last|this|next|this\s+past|this\s+coming)\s+|{MODIFIER}[\s-]+)?{full_month('m')}",
            FLAGS), read_month),
        Rule("year", gates["digits"], re.compile(
            rf"(?<![\w.,:/$#£€])(?:{MODIFIER}[\s-]+)?{year('y')}\b", FLAGS),
              read_year),
        Rule("weekday", gates["weekday"], re.compile(
            rf"\b(?:(?P<which>last|this|next|this\s+coming|coming|this\s+past|past)\s+)?"
            rf"(?:(?:early|late|later|earlier|overnight)\s+(?:on\s+)?)?{weekday}"
            rf"(?:\s+(?:{parts}))?(?:['’]s\b)?", FLAGS), read_weekday),
        Rule("day_word", gates["day_word"], re.compile(
            rf"\b(?:(?:early|late|earlier|later)\s+)?(?P<w>the\s+day\s+before\s+yesterday|"
            rf"the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow|tonight|last\s+night|"
            rf"this\s+(?:morning|afternoon|evening))(?:\s+(?:{parts}))?(?:['’]s\b)?", FLAGS), read_day_word),
        Rule("period", gates["period"], re.compile(
            r"\b(?:(?P<pre>earlier|later|early|late|mid|so\s+far|(?:at\s+)?the\s+(?:end|start|beginning|middle|"
            r"rest)\s+of)[\s-]+)?(?P<which>last|this|next|the\s+past|this\s+past|past|the\s+last|the\s+coming|"
            r"the\s+next|the\s+previous|the\s+following)\s+(?P<unit>week|weekend|month|year)\b(?:['’]s\b)?",
            FLAGS), read_period),
        Rule("period_of", gates["period"], re.compile(
            r"\b(?:(?P<pre>earlier|later)\s+in|(?:at\s+)?the\s+(?P<edge>end|start|beginning|middle|turn|rest)"
            r"\s+of)\s+the\s+(?P<unit>week|month|year)\b", FLAGS), read_period_of),
        Rule("weekend", gates["weekend"], re.compile(r"\b(?:over\s+)?the\s+weekend\b", FLAGS),
              read_weekend),
        Rule("ago", gates["ago"], re.compile(
            rf"\b(?:{QUANTIFIER}\s+)?(?:{num('n')}\s+|(?:a\s+few|a\s+couple\s+of|several|few)\s+)?"
            rf"{unit('unit')}\s+ago\b", FLAGS), read_ago),
        Rule("season", gates["season"], re.compile(
            rf"\b(?:(?P<which>last|this|next|this\s+past|this\s+coming)\s+|(?:early|late|mid)[\s-]+|"
            rf"the\s+)?(?P<s>{alternation(list(lex.seasons))})\b(?:\s+(?:of\s+)?{year('y')})?",
            FLAGS), read_season),
        Rule("time", gates["time"], re.compile(rf"\b{clock}{zones}{paren}", FLAGS), read_time),
        Rule("later", gates["unit"], re.compile(
            rf"\b(?:{QUANTIFIER}\s+|less\s+than\s+)?(?:{num('n')}\s+)?{unit('unit')}(?:\s+or\s+so)?\s+"
            rf"(?P<dir>later|after|earlier|before|prior(?:\s+to)?)\b", FLAGS), read_later),
        Rule("that_day", gates["that_day"], re.compile(
            r"\b(?:(?:later|earlier)\s+)?(?P<that>that|the)\s+(?:(?P<rel>next|following|previous|preceding|"
            r"prior|same)\s+)?(?P<u>day|morning|afternoon|evening|night|week|month|year)"
            r"(?:\s+(?P<rel2>before|after|earlier|later))?\b", FLAGS), read_that_day),
        Rule("within_hours", gates["unit"], re.compile(
            rf"\bwithin\s+(?:{num('n')}\s+)?(?:hours?|minutes?)\s+of\b", FLAGS), read_within_hours),
        Rule("for", gates["unit"], re.compile(
            rf"\b(?P<pre>for|within|over|during|lasting|lasted|lasts|last|another|a\s+further|an\s+additional|"
            rf"extended\s+by|by|in\s+the\s+(?:last|past|next|coming|first)|the\s+(?:last|past|next|coming|first))"
            rf"\s+(?:(?:{QUANTIFIER}|another|a\s+further|the\s+next|the\s+past|the\s+last)\s+)?{num('n')}\s+"
            rf"(?:(?:more|additional|further|extra|full|consecutive|straight)\s+)?{unit('unit')}", FLAGS),
            read_for),
        Rule("adjectival", gates["unit"], re.compile(
            rf"\b{num('n')}[-‑](?P<unit>{units})(?:[-‑]long)?\b(?![-‑]old\b)", FLAGS), read_adjectival),
        Rule("long", gates["unit"], re.compile(rf"(?<![\w-])(?P<unit>{units})[-‑]long\b", FLAGS),
              read_adjectival),
        Rule("of_period", gates["unit"], re.compile(
            rf"\b{num('n')}\s+(?:(?:more|additional|further|full|long|consecutive|straight)\s+)?{unit('unit')}"
            rf"(?=\s+of\s)", FLAGS), read_adjectival),
    )
    trigger_words = frozenset().union(*(g.words for g in gates.values()))
    future_cue = re.compile(rf"\b(?:{alternation(lex.future_cues)})\s+(?:[\w'’-]+\s+){{0,3}}$", FLAGS)
    return Grammar(trigger_words, rules, future_cue)


@lru_cache(maxsize=1)
def compiled_grammar() -> Grammar:
    return build_grammar()


