"""Who says it: the source a report gives for a sentence ("a spokesman for Kataib Hezbollah said",
"the Pentagon confirmed", "two Iraqi security sources told Reuters", "according to Middle East Eye").

The functions here read a sentence's text and the names found in it (``NamedSpan``: character
offsets into the sentence, canonical name, entity type). They are pure, so the extractor can call
them on an ``AnalysedSentence`` (see ``spans_of``) and the merge stage on stored sentences alike.

Cues, tried in order (the first that fits wins):

1. "according to X" (X may be "a statement from X", "a report from X");
2. "X told Y" (Y the outlet told: "sources told Middle East Eye");
3. a closing reporting clause: "..., the military said.", "..., militia officials said on Sunday.";
4. an opening reporting clause: "US officials said on Sunday that ...", "X said its fighters ...";
5. an outlet reporting: "Middle East Eye (MEE) reports", "Middle East Eye website reported that".

A wire agency named in a dateline ("BAGHDAD, Iraq (AP) —") is the outlet the report came through
when no other is named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from trucewatch.merge.records import Attribution
from trucewatch.models import PLACE_TYPES
from trucewatch.nlp.pipeline import AnalysedSentence


@dataclass(frozen=True)
class NamedSpan:
    """A name found in a sentence: offsets into the sentence's text, canonical name, entity type."""

    start: int
    end: int
    name: str
    type: str = ""

    @property
    def is_place(self) -> bool:
        return self.type in PLACE_TYPES


def spans_of(sentence: AnalysedSentence) -> list[NamedSpan]:
    """The entity mentions of an analysed sentence as ``NamedSpan`` (sentence-relative offsets)."""
    return [NamedSpan(m.char_start - sentence.start, m.char_end - sentence.start, m.entity.name, m.entity.type)
            for m in sentence.entities]


_SAY = r"(?:said|says|say|confirmed|confirms|reported|reports|announced|announces|stated|states|added|noted|" \
       r"tweeted|posted|wrote|claimed|claims|warned|told\s+reporters|told\s+journalists)"
_WHEN = r"(?:\s+(?:on|late|early|last)\s+\w+(?:\s+(?:night|morning|evening))?|\s+(?:on\s+)?(?:Monday|Tuesday|" \
        r"Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today|earlier|later)|\s+in\s+a\s+statement)?"
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z'’.\-]+(?:[ /][A-Z][A-Z'’.\-]+)*)(?:,[ \w.'’\-]{1,30})?"
    r"(?: \((?P<wire>[A-Za-z. ]+)\))?\s+[—–-]+\s+")
_ACCORDING = re.compile(r"\baccording to\s+(?P<who>[^,;:]+?)(?=\s*(?:[,;:.]|$|\s+(?:and|which|who|as|in)\s))",
                        re.IGNORECASE)
_TOLD = re.compile(r"(?P<who>(?:^|(?<=[,;:] ))[^,;:\"“”]{3,90}?)\s+(?:told|tells)\s+"
                   r"(?P<via>(?:the\s+)?[A-Z][\w.&'’-]*(?:\s+[A-Z][\w.&'’-]*){0,4})")
_CLOSING = re.compile(r"[,;]\s+(?P<who>[^,;:\"“”]{2,90}?)\s+" + _SAY + _WHEN + r"\s*[.!]?[\"”’]?\s*$")
_OPENING = re.compile(r"^(?:[^,]{0,60},\s+)?(?P<who>[^,;:\"“”]{2,90}?)\s+" + _SAY + _WHEN + r"(?:\s+that|\s*,|\s+(?=\w))")
_OUTLET = re.compile(r"(?P<via>[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){0,4})(?:\s+\([A-Z]{2,6}\))?(?:\s+website)?"
                     r"\s+(?:reports|reported)\b")
_WRAPPERS = re.compile(r"^(?:a|an|the)\s+(?:joint\s+)?(?:statement|report|communiqu[eé]|post)\s+(?:from|by|issued\s+by|"
                       r"of|on)\s+", re.IGNORECASE)
# Heads of a phrase that names a source; a reporting clause whose subject has none of them (and
# no known name) is not an attribution ("the attack was, he said, ...").
_SOURCE_WORDS = frozenset(
    "official officials source sources spokesman spokesmen spokeswoman spokesperson military army ministry "
    "ministers minister statement pentagon police commander commanders government group groups militia "
    "militias coalition embassy agency witnesses witness residents analysts officer officers leader leaders "
    "president secretary command forces media report reports department office council he she they".split())
_NOT_SPEAKERS = frozenset({"it", "this", "that", "which", "what"})


def attribute(text: str, spans: Sequence[NamedSpan] = ()) -> Attribution | None:
    """The source this sentence gives for what it says, or None when it gives none."""
    body_at = 0
    wire: str | None = None
    dateline = _DATELINE.match(text)
    if dateline:
        body_at, wire = dateline.end(), dateline.group("wire")
    body = text[body_at:]
    found = _according(body, body_at, spans) or _told(body, body_at, spans) or _clause(
        _CLOSING, body, body_at, spans) or _clause(_OPENING, body, body_at, spans) or _outlet(body)
    if found is None:
        return Attribution(speaker=None, via=wire.strip(), cue=dateline.group(0).strip()) if wire and dateline else None
    if wire and found.via is None:
        return Attribution(found.speaker, found.entity, wire.strip(), found.cue)
    return found


def _according(body: str, offset: int, spans: Sequence[NamedSpan]) -> Attribution | None:
    match = _ACCORDING.search(body)
    if match is None:
        return None
    who = _WRAPPERS.sub("", match.group("who").strip())
    start = match.start("who") + (len(match.group("who").strip()) - len(who))
    return Attribution(who, _entity(spans, offset + start, offset + match.end("who")), None, match.group(0))


def _told(body: str, offset: int, spans: Sequence[NamedSpan]) -> Attribution | None:
    match = _TOLD.search(body)
    if match is None or not _is_source(match.group("who"), spans, offset + match.start("who"), offset + match.end("who")):
        return None
    who = match.group("who").strip()
    return Attribution(who, _entity(spans, offset + match.start("who"), offset + match.end("who")),
                       _strip_article(match.group("via")), match.group(0))


def _clause(pattern: re.Pattern[str], body: str, offset: int, spans: Sequence[NamedSpan]) -> Attribution | None:
    match = pattern.search(body)
    if match is None:
        return None
    who = match.group("who").strip()
    lo, hi = offset + match.start("who"), offset + match.end("who")
    if not _is_source(who, spans, lo, hi):
        return None
    return Attribution(who, _entity(spans, lo, hi), None, match.group(0).strip(" ,;"))


def _outlet(body: str) -> Attribution | None:
    match = _OUTLET.search(body)
    if match is None:
        return None
    via = _strip_article(match.group("via"))
    return Attribution(via, None, via, match.group(0))


def _is_source(who: str, spans: Sequence[NamedSpan], lo: int, hi: int) -> bool:
    """A phrase that can name a source: short, headed by a source word or holding a known name."""
    words = re.findall(r"[\w'’-]+", who.casefold())
    if not words or len(words) > 12 or words[0] in _NOT_SPEAKERS:
        return False
    if any(lo <= s.start and s.end <= hi and not s.is_place for s in spans):
        return True
    return any(w.rstrip("s'’") in _SOURCE_WORDS or w in _SOURCE_WORDS for w in words)


def _entity(spans: Sequence[NamedSpan], lo: int, hi: int) -> str | None:
    """The known actor named inside [lo, hi) of the sentence; the last one ("a spokesman for X")."""
    inside = [s for s in spans if lo <= s.start and s.end <= hi and not s.is_place]
    return inside[-1].name if inside else None


def _strip_article(name: str) -> str:
    return re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
