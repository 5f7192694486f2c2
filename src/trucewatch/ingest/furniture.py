"""Find the page furniture in a report: captions, link lists, bylines, share prompts, date stamps.

Furniture is found, never deleted: ``find_furniture`` returns ``Removal`` spans over the original
text (whole lines), so that every offset later stages compute still points into the text as read,
and the record shows what was set aside and why.

The line patterns are data (``data/furniture.yaml``), compiled once; most are anchored at the line
start and fail at its first characters, so a paragraph costs little. A few checks need more than a
pattern and live here: date stamps, language menus, run-together category links and byline names
repeated on their own line.
Every rule errs on the side of keeping a line: a caption left in costs little, a news sentence
removed loses an event.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from trucewatch.ingest.pubdate import is_date_stamp
from trucewatch.models import Removal

_MAX_LINE = 500  # furniture is short; longer lines are paragraphs
_TAIL_LINES = 5  # author bios and credits sit in the last few lines
_BULLET = re.compile(r"^[-–—•*·]\s+")
# A capitalised word of three letters or more glued to the next one: "AmericasIranIraqMiddle East".
_GLUED = re.compile(r"[A-Z][a-z]{2,}(?=[A-Z])")
_MIN_GLUED = 3  # two can be names (McConnell, DeSantis); three in a short line are a link strip
_MAX_MENU = 150  # a menu of every language a site offers fits in this
_MENU_SEPARATORS = re.compile(r"[/|•·,\s]+")
_NAME_PARTICLES = frozenset({"al", "el", "bin", "ibn", "de", "van", "von", "da", "di", "le", "la", "du"})
# Jansen, DeCamp, al-Sudani, Al-Khadimi, J.: a capital then lower case (ALL-CAPS lines are table rows).
_NAME_TOKEN = re.compile(r"^(?:[A-Z][a-z'’]+(?:[A-Z][a-z'’]+)?(?:-[A-Za-z'’]+)*|[A-Z]\.|(?:al|el)-[A-Z][a-z'’]+)$")
_SENTENCE_END = tuple(".!?:;\"”’')]")
_WRAP_WIDTH = 100  # wire copy is broken at 60-80 characters


@dataclass(frozen=True)
class _Scope:
    """The patterns of one scope. Those anchored at the line start are one alternation tried with
    ``match`` (fails at the first character); the others are searched one by one, because a regex
    engine cannot skip ahead through an alternation the way it does for a single pattern."""

    start: re.Pattern[str]
    reasons: dict[str, str]  # named group of ``start`` -> reason
    inner: tuple[tuple[str, re.Pattern[str]], ...]

    def classify(self, line: str) -> str | None:
        m = self.start.match(line)
        if m and m.lastgroup:
            return self.reasons[m.lastgroup]
        return next((reason for reason, pattern in self.inner if pattern.search(line)), None)


@dataclass(frozen=True)
class _Rules:
    anywhere: _Scope
    tail: _Scope
    languages: frozenset[str]


def _scope(rules: list[tuple[str, str]]) -> _Scope:
    reasons: dict[str, str] = {}
    start: list[str] = []
    inner: list[tuple[str, re.Pattern[str]]] = []
    for reason, pattern in rules:
        compiled = re.compile(pattern, re.IGNORECASE)
        if compiled.groups:
            raise ValueError(f"furniture.yaml: use (?:...) instead of a capturing group in {pattern!r}")
        if pattern.startswith("^"):
            name = f"r{len(reasons)}"
            reasons[name] = reason
            start.append(f"(?P<{name}>{pattern})")
        else:
            inner.append((reason, compiled))
    return _Scope(re.compile("|".join(start) or "(?!)", re.IGNORECASE), reasons, tuple(inner))


@lru_cache(maxsize=1)
def _load_rules() -> _Rules:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("trucewatch.data").joinpath("furniture.yaml").read_text(encoding="utf-8"))
    scoped: dict[str, list[tuple[str, str]]] = {"anywhere": [], "tail": []}
    for rule in raw["rules"]:
        scoped[rule.get("scope", "anywhere")].extend((rule["reason"], p) for p in rule["patterns"])
    return _Rules(
        anywhere=_scope(scoped["anywhere"]),
        tail=_scope(scoped["tail"]),
        languages=frozenset(str(lang).casefold() for lang in raw["languages"]),
    )


def _is_language_menu(line: str, languages: frozenset[str]) -> bool:
    """"Portuguese / Spanish / English", "English | العربية | Français"."""
    if len(line) > _MAX_MENU:
        return False
    items = [item for item in _MENU_SEPARATORS.split(line) if item]
    return len(items) >= 2 and all(item.casefold() in languages for item in items)


def _is_glued_links(line: str) -> bool:
    """Category links that lost their separators: "Asia & AmericasIranIraqMiddle EastNewsUS"."""
    return (len(line.split()) <= 12 and line[-1] not in ".!?\"”'’"
            and len(_GLUED.findall(line)) >= _MIN_GLUED)


def _is_lone_name(line: str) -> bool:
    """A line that is only a person's name ("Michael Jansen", "Abu Fadak al-Mohammadawi")."""
    if line.endswith(".") or "  " in line:  # aligned columns are a table, not a name
        return False
    tokens = line.split()
    return (2 <= len(tokens) <= 4 and tokens[0] not in _NAME_PARTICLES
            and all(t in _NAME_PARTICLES or _NAME_TOKEN.match(t) for t in tokens))


def _classify(line: str, in_tail: bool, rules: _Rules) -> str | None:
    """The furniture reason of one stripped line, or None for a line to keep."""
    reason = (in_tail and rules.tail.classify(line)) or rules.anywhere.classify(line)
    if reason:
        return reason
    if is_date_stamp(line):
        return "timestamp"
    if _is_language_menu(line, rules.languages):
        return "language-menu"
    if _is_glued_links(line):
        return "tags"
    return None


def _continuations(lines: list[tuple[int, int, str]]) -> set[int]:
    """Indices of lines that continue the sentence above them in hard-wrapped text.

    Wire copy and e-mail are broken at a fixed width, so "... foreign bankers told" / "Reuters."
    is one sentence over two lines and its second half must not be taken for a credit line. Text is
    taken as wrapped when no line is wider than a wire column and most lines run to near that width
    without ending a sentence.
    """
    if len(lines) < 4:
        return set()
    width = max(end - start for start, end, _ in lines)
    if width > _WRAP_WIDTH:
        return set()
    full = sum(1 for start, end, line in lines
               if end - start >= 0.6 * width and not line.endswith(_SENTENCE_END))
    if full * 2 < len(lines):
        return set()
    return {i for i in range(1, len(lines))
            if lines[i - 1][1] + 1 == lines[i][0] and not lines[i - 1][2].endswith(_SENTENCE_END)}


def find_furniture(text: str) -> list[Removal]:
    """The furniture lines of ``text`` as ``Removal`` spans (line without its newline), in order."""
    rules = _load_rules()
    lines: list[tuple[int, int, str]] = []  # start, end, line as matched
    pos = 0
    for raw in text.split("\n"):
        line = _BULLET.sub("", raw.strip())
        if line:
            lines.append((pos, pos + len(raw), line))
        pos += len(raw) + 1
    continued = _continuations(lines)
    tail_from = max(len(lines) - _TAIL_LINES, 0)
    reasons: list[str | None] = []
    for i, (_, _, line) in enumerate(lines):
        # A line that starts in lower case continues a sentence broken above it, unless it is one
        # word ("comments", "twitter.com/name", an e-mail address).
        keep = (line[0].islower() and " " in line) or len(line) > _MAX_LINE or i in continued
        reasons.append(None if keep else _classify(line, i >= tail_from, rules))

    # A byline name on a line of its own at the end is told from a crosshead by repetition
    # ("Michael Jansen" twice above his bio) or by the bio below it that starts with the same name.
    counts = Counter(line for _, _, line in lines[tail_from:])
    for i in range(tail_from, len(lines)):
        line = lines[i][2]
        if reasons[i] is None and i not in continued and _is_lone_name(line):
            next_is_bio = (i + 1 < len(lines) and reasons[i + 1] == "author-bio"
                           and lines[i + 1][2].startswith(line))
            if counts[line] > 1 or next_is_bio:
                reasons[i] = "byline"
    return [Removal(start, end, reason, text[start:end])
            for (start, end, _), reason in zip(lines, reasons, strict=True) if reason]
