"""When was a report published? Read from its metadata, its URL or the date lines at its top.

A wrong publication date is worse than none: every relative expression in the report ("on Sunday",
"last month") is resolved against it. So only evidence that states the publication date is used,
strongest first:

``metadata``  a date field of the record or of the page (given by the caller);
``url``       a date in the URL path (``/2020/10/12/``, ``/2021/dec/29/``, ``/20210312-``, ``/28062021-``);
``dateline``  a line near the top that is only a date stamp ("28 April, 2023", "Published June 28, 2021",
              "20:12, Thursday, 19 October, 2023") or a press dateline ("WASHINGTON, Dec. 21, 2020 —";
              "BAGHDAD, Dec 21 —" has no year, so it is used only when the URL or another date at the
              top gives one);
``text``      a line that opens with a publication cue ("Posted on March 3, 2021 by ...").

Dates inside sentences are never used: near the top of a page they are often photo captions of older
events ("... on July 13, 2010. (AP/File)"). When nothing is found the date stays unknown; it is never
today's date.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?"

# Each pattern names its parts (y, m or mon, d); see _to_iso. Order does not matter: matches are
# sorted by position.
_DATE_PATTERNS = (
    re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH},?\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})\b", re.IGNORECASE),
    re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"),
    # 01-04-2022 and 01.04.2022 are day first (as on South24 or German sites); with slashes the
    # order is guessed only when one side is over 12, since 05/10/2018 could be either.
    re.compile(r"\b(?P<a>\d{1,2})(?P<sep>[-./])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4})\b"),
)
# "Dec 21" / "21 December" with no year: only for press datelines.
_MONTH_DAY = re.compile(rf"^(?:(?P<d2>\d{{1,2}})\s+)?{_MONTH}(?(d2)|\s+(?P<d>\d{{1,2}}))\b", re.IGNORECASE)

# BAGHDAD, / GAZA CITY, Oct 10 – / ERBIL, Kurdistan Region — / BAKU/YEREVAN (Reuters) -
_DATELINE_PLACE = re.compile(
    r"^[A-Z][A-Z .'’/-]{1,40}(?:,\s*[A-Z][A-Za-z .'’-]{1,30})?(?:\s*\([^()]{1,30}\))?\s*,\s*")
_DATELINE_END = re.compile(r"\s*(?:\([^()]{1,30}\)\s*)?[—–-]")

_TIME = r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?(?:\s*\(?(?:[A-Z]{2,4}|UTC[+-]\d{1,2})\)?)?"
_STAMP_WORDS = (r"(?:first\s+|last\s+)?(?:published|posted|updated|modified|date|dated|time|on|at|am|pm"
                r"|a\.m\.|p\.m\.|gmt|utc)")
# What may surround the dates of a stamp line: times, weekdays, cue words, separators.
_STAMP_FILLER = re.compile(rf"(?:{_TIME}|\b{_WEEKDAY}|\b{_STAMP_WORDS}\b|[\s|,:;/•·()\[\]—–-]+)", re.IGNORECASE)
_UPDATED_BEFORE = re.compile(r"(?:updated|modified)\W*(?:on|at)?\W*$", re.IGNORECASE)
_PUBLICATION_CUE = re.compile(
    r"^\W*(?:this (?:article|story|report) was )?(?:first )?(?:published|posted|dated)\b(?:\s+(?:on|at))?\s*:?\s*",
    re.IGNORECASE)

_URL_PATTERNS = (
    re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>\d{1,2})/(?P<d>\d{1,2})(?:/|$|[-_.])"),
    re.compile(rf"/(?P<y>(?:19|20)\d\d)/{_MONTH}/(?P<d>\d{{1,2}})(?:/|$)", re.IGNORECASE),
    re.compile(r"(?P<y>(?:19|20)\d\d)-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"),
    # /20210312-..., /28062021-amp: eight digits read as yyyymmdd or ddmmyyyy, whichever is a date.
    re.compile(r"[/_-](?P<digits>\d{8})(?=[-_./]|$)"),
)
_URL_YEAR_MONTH = re.compile(r"/(?P<y>(?:19|20)\d\d)/(?P<m>\d{1,2})(?:/|$)")

_NON_EMPTY_LINE = re.compile(r"[^\S\n]*\S[^\n]*")
_YEAR = re.compile(r"\d{4}")  # every full date has one: a cheap test before the date patterns
_TOP_LINES = 10  # date stamps and datelines sit above the first paragraphs
_EARLIEST_YEAR = 1900


def _to_iso(year: int, month: int, day: int) -> str | None:
    """The ISO date, or None for impossible and future dates (which no report was published on)."""
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    if value.year < _EARLIEST_YEAR or value > date.today():
        return None
    return value.isoformat()


def _match_to_iso(m: re.Match[str]) -> str | None:
    parts = m.groupdict()
    if parts.get("digits"):
        digits = parts["digits"]
        return (_to_iso(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
                or _to_iso(int(digits[4:]), int(digits[2:4]), int(digits[:2])))
    if parts.get("a"):
        first, second = int(parts["a"]), int(parts["b"])
        if parts["sep"] == "/" and first <= 12 and second <= 12 and first != second:
            return None
        day, month = (second, first) if parts["sep"] == "/" and second > 12 else (first, second)
        return _to_iso(int(parts["y"]), month, day)
    month = _MONTHS[parts["mon"][:3].lower()] if parts.get("mon") else int(parts["m"])
    return _to_iso(int(parts["y"]), month, int(parts["d"]))


def _dates(line: str) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) of every full date in ``line``, in order, overlaps dropped."""
    found: list[tuple[int, int, str]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(line):
            iso = _match_to_iso(m)
            if iso:
                found.append((m.start(), m.end(), iso))
    found.sort()
    kept: list[tuple[int, int, str]] = []
    for item in found:
        if not kept or item[0] >= kept[-1][1]:
            kept.append(item)
    return kept


def parse_date(value: str) -> str | None:
    """A metadata date as ``YYYY-MM-DD``: ISO timestamps, RFC 822 (RSS) and written-out dates.

    The date is the one written (a timestamp's local date), not converted to UTC, so that
    ``2021-03-12T01:00:00+03:00`` stays the 12th, the day the outlet printed.
    """
    value = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return _to_iso(int(m[1]), int(m[2]), int(m[3]))
    if re.match(r"(?:\w{3},\s*)?\d{1,2}\s+\w{3}\s+\d{4}\s+\d", value):
        try:
            return _to_iso(*parsedate_to_datetime(value).timetuple()[:3])
        except (TypeError, ValueError):
            return None
    found = _dates(value)
    return found[0][2] if found else None


def is_date_stamp(line: str) -> bool:
    """True when ``line`` is nothing but a publication stamp: dates, times, weekdays, cue words.

    One short leftover word is allowed for the place some outlets append ("..., 10:34 PM, Aden").
    """
    if len(line) > 120 or not _YEAR.search(line):
        return False
    dates = _dates(line)
    if not dates:
        return False
    rest = line
    for start, end, _ in reversed(dates):
        rest = rest[:start] + " " + rest[end:]
    leftover = _STAMP_FILLER.sub(" ", rest).split()
    if not leftover:
        return True
    place = leftover[0]
    return (len(leftover) == 1 and place[:1].isupper() and len(place) <= 20
            and line.rstrip(" .").endswith(place))


def _stamp_date(line: str) -> str:
    """The publication date of a stamp line: the first date not introduced by 'Updated'."""
    dates = _dates(line)
    for start, _, iso in dates:
        if not _UPDATED_BEFORE.search(line[:start]):
            return iso
    return dates[0][2]


def url_date(url: str) -> str | None:
    """The full date in a URL path, if there is one."""
    for pattern in _URL_PATTERNS:
        for m in pattern.finditer(url):
            iso = _match_to_iso(m)
            if iso:
                return iso
    return None


def _year_hints(url: str | None, lines: list[str]) -> list[tuple[int, int]]:
    """(year, month) pairs that can complete a yearless dateline of the same month."""
    hints: list[tuple[int, int]] = []
    if url:
        m = _URL_YEAR_MONTH.search(url)
        if m:
            hints.append((int(m["y"]), int(m["m"])))
    for line in lines:
        for _, _, iso in _dates(line):
            hints.append((int(iso[:4]), int(iso[5:7])))
    return hints


def _dateline_date(line: str, hints: list[tuple[int, int]]) -> str | None:
    """The date of a press dateline ("WASHINGTON, Dec. 21, 2020 —", "BAGHDAD, Dec 21 —")."""
    place = _DATELINE_PLACE.match(line)
    if not place:
        return None
    rest = line[place.end():]
    for start, end, iso in _dates(rest[:40]):
        if start == 0 and _DATELINE_END.match(rest, end):
            return iso
    m = _MONTH_DAY.match(rest)
    if not m or not _DATELINE_END.match(rest, m.end()):
        return None
    month = _MONTHS[m["mon"][:3].lower()]
    day = int(m["d"] or m["d2"])
    for year, hint_month in hints:
        if hint_month == month:
            return _to_iso(year, month, day)
    return None


def discover_published(text: str, url: str | None,
                       metadata_date: str | None = None) -> tuple[str | None, str | None]:
    """(ISO date or None, source) where source is 'metadata', 'url', 'dateline', 'text' or None.

    Sources are tried strongest first (see the module docstring); the first that gives a date wins.
    """
    if metadata_date:
        iso = parse_date(metadata_date)
        if iso:
            return iso, "metadata"
    if url:
        iso = url_date(url)
        if iso:
            return iso, "url"
    top: list[str] = []
    for m in _NON_EMPTY_LINE.finditer(text):  # stops early: a report may be megabytes long
        top.append(m[0].strip())
        if len(top) == _TOP_LINES:
            break
    hints: list[tuple[int, int]] | None = None
    for line in top:
        if is_date_stamp(line):
            return _stamp_date(line), "dateline"
        if _DATELINE_PLACE.match(line):
            if hints is None:
                hints = _year_hints(url, top)
            iso = _dateline_date(line, hints)
            if iso:
                return iso, "dateline"
    for line in top:
        cue = _PUBLICATION_CUE.match(line)
        if cue:
            dates = _dates(line[cue.end():])
            if dates and dates[0][0] <= 12:
                return dates[0][2], "text"
    return None, None
