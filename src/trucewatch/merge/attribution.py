"""Who says it: the source a report gives for a sentence ("a spokesman for Kataib Hezbollah said",
"the Pentagon confirmed", "two Iraqi security sources told Reuters", "according to Middle East Eye").

The functions here read a sentence's text and the names found in it (``NamedSpan``: character
offsets into the sentence, canonical name, entity type). They are pure, so the extractor can call
them on an ``AnalysedSentence`` (see ``spans_of``) and the merge stage on stored sentences alike.

Cues, tried in order:

1. "according to X" (X may be "a statement from X", "a report from X");
2. a verb of saying ("said", "confirmed", "told", "reported", ...) with its subject: the words
   back to the previous comma ("..., the military said."), or a name with its apposition
   ("Hans Grundberg, the UN's special envoy to Yemen, said"). The subject must be able to name a
   source: a known actor, a capitalised name, or a phrase headed by a word such as officials,
   sources, spokesman, military, ministry, statement (pronouns are not resolved and are skipped).
   "X told Y" gives Y as the outlet the source spoke to ("sources told Middle East Eye").

A wire agency named in a dateline ("BAGHDAD, Iraq (AP) —") is the outlet the report came through
when no other is named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from trucewatch.merge.records import Attribution
from trucewatch.models import PLACE_TYPES
from trucewatch.nlp.paragraphs import DATELINE
from trucewatch.nlp.sentences import AnalysedSentence


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


# "according to X": X ends at a comma, a sentence's end (not the dot of "U.S."), or a relative clause.
_ACCORDING = re.compile(r"\baccording to\s+(?P<who>[^,;:]+?)"
                        r"(?=\s*(?:[,;:]|\.\s+(?=(?-i:[A-Z]))|\.?[\"”’]?\s*$|\s+(?:which|who|as)\s))", re.IGNORECASE)
_VERB = re.compile(r"\b(?:said|says|say|confirmed|confirms|reported|reports|announced|announces|stated|states|"
                   r"added|noted|tweeted|warned|told|tells)\b")
_TOLD = re.compile(r"\s*(?:the\s+)?(?P<via>[A-Z][\w&'’-]*(?:\.[A-Z])*(?:\s+[A-Z][\w&'’-]*){0,4})")
_WRAPPERS = re.compile(r"^(?:a|an|the)\s+(?:joint\s+)?(?:statement|report|communiqu[eé]|post)\s+(?:from|by|issued\s+by|"
                       r"of|on)\s+", re.IGNORECASE)
# Words between a subject and its verb that are not part of the subject ("Putin today announced").
_BEFORE_VERB = re.compile(r"(?:\s+(?:today|yesterday|also|later|earlier|again|separately|previously|reportedly|"
                          r"afterwards|had|has|have|was|were|then|last\s+\w+|on\s+\w+))+$", re.IGNORECASE)
_ABBREVIATION = re.compile(r"\s*\([A-Z]{2,6}\)")
# Heads of a phrase that names a source; a subject with none of them, no known name and no
# capitalised name is not a source ("the attack was, he said, ...").
_SOURCE_WORDS = frozenset(
    "official officials source sources spokesman spokesmen spokeswoman spokesperson military army ministry "
    "minister statement statements pentagon police commander commanders government group groups militia "
    "militias coalition embassy agency witness witnesses resident residents officer officers leader leaders "
    "president secretary command forces media report department office council envoy mediator diplomat "
    "diplomats lawmaker lawmakers adviser advisor chief head authorities".split())
_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "it", "this", "that", "which", "who", "what", "you"})
_RELATIVES = frozenset({"that", "which", "who", "whom", "whose", "where", "when"})
_CONJUNCTIONS = frozenset({"and", "but", "or", "while", "as", "when", "after", "before", "because", "if"})


def attribute(text: str, spans: Sequence[NamedSpan] = ()) -> Attribution | None:
    """The source this sentence gives for what it says, or None when it gives none."""
    body_at = 0
    wire: str | None = None
    dateline = DATELINE.match(text)
    if dateline:
        body_at, wire = dateline.end(), dateline.group("wire")
    found = _according(text, body_at, spans) or _saying(text, body_at, spans)
    if found is None:
        return Attribution(speaker=None, via=wire.strip(), cue=dateline.group(0).strip()) if wire and dateline else None
    if wire and found.via is None:
        return Attribution(found.speaker, found.entity, wire.strip(), found.cue)
    return found


def _according(text: str, body_at: int, spans: Sequence[NamedSpan]) -> Attribution | None:
    match = _ACCORDING.search(text, body_at)
    if match is None:
        return None
    raw = match.group("who").strip()
    who = _WRAPPERS.sub("", raw)
    lo = match.start("who") + len(raw) - len(who)
    return Attribution(_ABBREVIATION.sub("", who), _entity(spans, lo, match.end("who")), None, match.group(0))


def _saying(text: str, body_at: int, spans: Sequence[NamedSpan]) -> Attribution | None:
    """The first verb of saying whose subject can name a source."""
    for verb in _VERB.finditer(text, body_at):
        subject = _subject(text, body_at, verb.start())
        if subject is None:
            continue
        lo, head_end, hi = subject
        who = text[lo:head_end].strip()
        if not _is_source(who, text[lo:hi], spans, lo, hi):
            continue
        via = None
        cue_end = verb.end()
        if verb.group(0) in ("told", "tells"):
            told = _TOLD.match(text, verb.end())
            if told is not None and told.group("via").casefold() not in ("reporters", "journalists"):
                via, cue_end = told.group("via").rstrip("."), told.end()
        return Attribution(_ABBREVIATION.sub("", who), _entity(spans, lo, hi), via, text[lo:cue_end].strip())
    return None


def _subject(text: str, body_at: int, verb_at: int) -> tuple[int, int, int] | None:
    """(start, end of the name, end) of the words before a verb that are its subject: back to the
    previous comma, semicolon or colon, or a name and its apposition ("Hans Grundberg, the UN's
    envoy to Sudan, told reporters": the name ends before the apposition)."""
    before = text[body_at:verb_at]
    trimmed = _BEFORE_VERB.sub("", before.rstrip())
    if trimmed.endswith(","):  # "X, an apposition, said": X with its apposition
        inner = trimmed[:-1]
        cut = max(inner.rfind(","), inner.rfind(";"), inner.rfind(":"))
        if cut < 0:
            return None
        head = inner[:cut]
        start = max(head.rfind(","), head.rfind(";"), head.rfind(":")) + 1
        lo, head_end, hi = body_at + start, body_at + cut, body_at + len(inner)
    else:
        start = max(trimmed.rfind(","), trimmed.rfind(";"), trimmed.rfind(":")) + 1
        lo, hi = body_at + start, body_at + len(trimmed)
        head_end = hi
    while lo < head_end and text[lo] in " \"“”'‘’(":
        lo += 1
    return (lo, head_end, hi) if head_end > lo else None


def _is_source(who: str, phrase: str, spans: Sequence[NamedSpan], lo: int, hi: int) -> bool:
    """A subject that can name a source: short, not a pronoun or a clause, and holding a known
    actor, a capitalised name or a source word (``phrase`` is ``who`` with its apposition)."""
    words = re.findall(r"[\w'’-]+", who)
    if not words or len(words) > 12:
        return False
    folded = [w.casefold() for w in words]
    if folded[0] in _PRONOUNS or _CONJUNCTIONS.intersection((folded[0], folded[-1])) \
            or _RELATIVES.intersection(folded[1:]):
        return False
    if any(lo <= s.start and s.end <= hi and not s.is_place for s in spans):
        return True
    if all(w[0].isupper() for w in words if w.casefold() not in ("of", "al", "el", "the", "for")):
        return True
    return any(w in _SOURCE_WORDS or w.rstrip("s") in _SOURCE_WORDS for w in re.findall(r"[\w'’-]+", phrase.casefold()))


def _entity(spans: Sequence[NamedSpan], lo: int, hi: int) -> str | None:
    """The known actor named inside [lo, hi) of the sentence; the last one ("a spokesman for X")."""
    inside = [s for s in spans if lo <= s.start and s.end <= hi and not s.is_place]
    return inside[-1].name if inside else None
