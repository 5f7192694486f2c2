"""Conditions and mediators of a truce, read from the clauses that state them.

A condition is the clause a marker introduces ("on condition that the government presents a
timetable", "provided the Americans remain calm", "in return for a clear plan", "as long as the
American military pulled out") or an obligation the deal places on a party in a following sentence
("the PM must send a letter to the UN Security Council", "every foreign fighter has to leave within
three months"). Mediators are the entities after "brokered/mediated by", or before "mediated",
"acted as a mediator".
"""

from __future__ import annotations

import re

from trucewatch.extract.lexicon import Lexicon, find_phrases
from trucewatch.models import Entity
from trucewatch.nlp.pipeline import AnalysedSentence, EntityMention

# A reporting tail that is not part of the condition: ", one of the groups said on Sunday."
_TAIL = re.compile(
    r"\s*(?:,|—|–)\s*(?:[^,]{0,80}?\b(?:said|says|told|reported|reports|added|according to|sources said)\b[^,]*"
    r"|according to[^,]*)\s*[.\"”]*\s*$",
    re.IGNORECASE,
)
_LEAD = re.compile(r"^(?:that|the condition being that|being that)\s+", re.IGNORECASE)
_DEAL_WORDS = frozenset("deal agreement truce ceasefire cease-fire armistice terms accord pact stipulates "
                        "extension renewal".split())


def _clean(text: str) -> str:
    text = _TAIL.sub("", text.strip())
    text = _LEAD.sub("", text)
    return text.strip(" ,.;:\"“”'‘’")


def conditions_in(s: AnalysedSentence, lex: Lexicon, start: int = 0) -> list[str]:
    """Condition clauses introduced by a marker at or after token ``start``."""
    out: list[str] = []
    marks = [(a, b, False) for a, b in find_phrases(s.lower, lex.condition_markers, lo=start)]
    marks += [(a, b, True) for a, b in find_phrases(s.lower, lex.inclusive_markers, lo=start)]
    # "a deal reached in Moscow ... for the exchange of prisoners": what the deal is for.
    deal = next((i for i, t in enumerate(s.lower) if t in _DEAL_WORDS), None)
    if deal is not None:
        marks += [(i, i + 1, False) for i in range(deal + 1, min(len(s.lower) - 1, deal + 12))
                  if s.lower[i] == "for" and s.lower[i + 1] == "the"][:1]
    marks.sort()
    for k, (a, b, inclusive) in enumerate(marks):
        # "as long as" and "if" inside a threat ("if the US insists on staying") are not truce terms:
        # the caller decides which sentences are truce sentences.
        end = marks[k + 1][0] if k + 1 < len(marks) else len(s.tokens)
        text = _clean(s.span_text(a if inclusive else b, end))
        if len(text.split()) >= 3:
            out.append(text)
    return out


def obligations_in(s: AnalysedSentence, lex: Lexicon) -> list[str]:
    """A following sentence's obligation on a party: the whole clause from its subject on."""
    hits = find_phrases(s.lower, lex.obligation)
    if not hits:
        return []
    text = _clean(s.text)
    # Drop an attribution lead-in: "According to the sources, the deal stipulates that ...".
    text = re.sub(r"^(?:according to [^,]+,\s*)", "", text, flags=re.IGNORECASE)
    return [text] if len(text.split()) >= 4 else []


def is_deal_sentence(s: AnalysedSentence) -> bool:
    return any(t in _DEAL_WORDS for t in s.lower)


def mediators_in(s: AnalysedSentence, lex: Lexicon, entities: list[EntityMention],
                 resolve: dict[str, Entity]) -> list[Entity]:
    """Entities the sentence names as brokers of the deal."""
    out: list[Entity] = []
    lower = s.lower
    for _, b in find_phrases(lower, lex.mediator_markers):
        for m in entities:
            # States broker truces too ("brokered by the United States and France"); cities do not.
            if m.start >= b and m.start - b <= 12 and (not m.entity.is_place or m.entity.type == "country"):
                out.append(m.entity)
    for a, b in find_phrases(lower, lex.mediator_after):
        if lower[b:b + 1] == ["by"]:
            continue  # "brokered by X": X follows, handled above
        # "Qatar mediated", "Lavrov, who acted as a mediator": the nearest name before the phrase.
        before = [m for m in entities if m.end <= a and a - m.end <= 4 and not m.entity.is_place]
        if before:
            out.append(before[-1].entity)
    for i, t in enumerate(lower):
        # "Moscow-brokered", "US-mediated", "a Qatari-brokered deal"
        if t in ("brokered", "mediated") and i >= 2 and lower[i - 1] == "-":
            for m in entities:
                if m.end == i - 1:
                    out.append(m.entity)
        # "the UN envoy announced", "UN special envoy Hans Grundberg": the envoy's organisation mediates.
        if t in ("envoy", "mediator", "mediators"):
            for m in entities:
                if 0 <= i - m.end <= 3 and m.entity.type == "international organisation":
                    out.append(m.entity)
    seen: set[str] = set()
    result = []
    for e in out:
        if e.id not in seen:
            seen.add(e.id)
            result.append(e)
    return result
