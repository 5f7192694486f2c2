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

from trucewatch.extract.lexicon import Lexicon, find_phrases, load_lexicon
from trucewatch.extract.roles import titles_person
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


# Heads of a clause's subject when it names no known entity: "and the new government sends ...".
_SUBJECT_NOUNS = frozenset("government factions militias groups group forces troops parliament army side sides "
                           "parties party committee coalition minister president administration cabinet "
                           "authorities leadership movement".split())
_SUBJECT_OPENERS = frozenset("the its their his her both each".split())
_NOT_AFTER_SUBJECT = frozenset({"of", ",", "and", "or", "'s", "’s", ".", "in", "on", "at", "from", "to", "with"})


def _party_end(s: AnalysedSentence, i: int) -> int | None:
    """Where a phrase naming a party that starts at token ``i`` ends: a named entity, or "the" and at
    most two words before an actor noun ("the new government"). None when none starts there."""
    lower = s.lower
    j = i + 1 if i < len(lower) and lower[i] in _SUBJECT_OPENERS else i
    named = next((m for m in s.entities if m.start in (i, j)), None)
    if named is not None:
        return named.end
    end = next((k + 1 for k in range(j, min(len(lower), j + 3)) if lower[k] in _SUBJECT_NOUNS), None)
    return None if j == i else end


def _subject_end(s: AnalysedSentence, i: int) -> int | None:
    """Where a clause subject starting at token ``i`` ends: a party, or parties joined by "and" ("the
    army and the Houthis"), followed by its verb (not by "of" or a comma). None when no subject
    starts there."""
    end = _party_end(s, i)
    while end is not None and end + 1 < len(s.lower) and s.lower[end] == "and" and _party_end(s, end + 1):
        end = _party_end(s, end + 1)
    # "..., Hamas and Israel said on Monday" reports: a subject of a verb of saying opens no condition.
    if end is None or end >= len(s.lower) or s.lower[end] in _NOT_AFTER_SUBJECT \
            or s.lower[end] in load_lexicon().reporting_verbs or not s.lower[end][:1].isalpha():
        return None
    return end


def _joins_parties(s: AnalysedSentence, lo: int, i: int) -> bool:
    """The "and" at ``i`` joins two parties of one subject ("the army and the Houthis withdraw"): a
    party phrase ends right before it, opening the clause or after a comma or another "and"."""
    return any(_party_end(s, k) == i and (k == lo or s.lower[k - 1] in ("and", ",", "both"))
               for k in range(max(lo, i - 5), i))


def coordinated(s: AnalysedSentence, lo: int, hi: int) -> list[tuple[int, int]]:
    """Split tokens lo..hi at each "and" that joins two clauses with subjects of their own ("US forces
    stop drone flights ... and the new government sends parliament a bill"), not two objects
    ("attacks on US forces and diplomatic missions")."""
    cuts = [lo]
    for i in range(lo + 3, hi - 2):
        if s.lower[i] == "and" and _subject_end(s, i + 1) is not None and not _joins_parties(s, lo, i):
            cuts.append(i)
    cuts.append(hi)
    return [(a + (1 if s.lower[a] == "and" and a != lo else 0), b) for a, b in zip(cuts, cuts[1:], strict=False)]


def _deal_purpose(s: AnalysedSentence) -> int | None:
    """"a deal reached in Moscow ... for the exchange of prisoners": the "for" that says what the deal
    is for, within the deal's own phrase (no comma or obligation between)."""
    lower = s.lower
    deal = next((i for i, t in enumerate(lower) if t in _DEAL_WORDS), None)
    if deal is None:
        return None
    for i in range(deal + 1, min(len(lower) - 1, deal + 12)):
        if lower[i] in (",", ";", "must", "shall", "will"):
            return None
        if lower[i] == "for" and lower[i + 1] == "the":
            return i
    return None


_ONE = re.compile(r"\b((?:same|identical) (?:terms|conditions) as the (?:previous|last|existing|current|earlier|"
                  r"first|old)) one\b", re.IGNORECASE)
_THE_COUNTRY = re.compile(r"\bthe country\b(?!'s)", re.IGNORECASE)


def spelled_out(condition: str, country: str | None) -> str:
    """A condition read on a truce card, away from its report: "leave the country" names the country
    (when the event is in one), "the same terms as the previous one" says the previous truce (terms are
    a truce's; "different from the previous one" may be anything), and a
    clause cut at "and" loses the conjunction."""
    text = re.sub(r"^(?:and|but|or)\s+", "", condition, flags=re.IGNORECASE)
    text = _ONE.sub(r"\1 truce", text)
    if country and "; " not in country and country not in text:
        text = _THE_COUNTRY.sub(country, text)
    return text


def _condition_marks(lower: list[str], lex: Lexicon, start: int) -> list[tuple[int, int]]:
    """Condition markers from token ``start`` on; "once" with a past perfect after it ("clinched the
    truce once Trump had turned to the Emir") says when, not on what condition."""
    return [(a, b) for a, b in find_phrases(lower, lex.condition_markers, lo=start)
            if not (lower[a] == "once" and "had" in lower[b:b + 5])]


def conditions_in(s: AnalysedSentence, lex: Lexicon, start: int = 0) -> list[str]:
    """Condition clauses introduced by a marker at or after token ``start``; a clause that joins two
    conditions with their own subjects gives two."""
    out: list[str] = []
    marks = [(a, b, False) for a, b in _condition_marks(s.lower, lex, start)]
    marks += [(a, b, True) for a, b in find_phrases(s.lower, lex.inclusive_markers, lo=start)]
    purpose = _deal_purpose(s)
    if purpose is not None and purpose >= start:
        marks.append((purpose, purpose + 1, False))
    marks.sort()
    for k, (a, b, inclusive) in enumerate(marks):
        # "as long as" and "if" inside a threat ("if the US insists on staying") are not truce terms:
        # the caller decides which sentences are truce sentences.
        end = marks[k + 1][0] if k + 1 < len(marks) else len(s.tokens)
        for lo, hi in coordinated(s, a if inclusive else b, end):
            text = _clean(s.span_text(lo, hi))
            if len(text.split()) >= 3:
                out.append(text)
    return out


def _agrees_to_truce(lower: list[str], a: int, b: int) -> bool:
    """"Iran had agreed to a 'complete and total' ceasefire": the truce itself, not one of its terms."""
    return lower[a] in ("agreed", "committed", "commit") and any(w in _TRUCE_WORDS for w in lower[b:b + 8])


def terms_in(s: AnalysedSentence, lex: Lexicon, markers: bool) -> list[str]:
    """The terms a sentence after a truce's own states, clause by clause ("Under the deal, the
    government must present a timetable ..., and the factions will hold their fire as long as that
    process moves forward"): a clause with a condition marker gives the clause it introduces (when
    ``markers``: the sentence speaks of the deal), one with an obligation gives the whole clause."""
    out: list[str] = []
    lead = re.match(r"^(?:according to [^,]+|under (?:the|this|that|its) (?:deal|agreement|accord|terms|truce|"
                    r"ceasefire|plan)),\s*", s.text, flags=re.IGNORECASE)
    first = s.token_at(s.start + lead.end()) if lead else 0
    for lo, hi in coordinated(s, first, len(s.tokens)):
        marked = [(a, b) for a, b in _condition_marks(s.lower, lex, lo) if b <= hi]
        if markers and marked:
            found = [_clean(s.span_text(lo2, hi2)) for lo2, hi2 in coordinated(s, marked[0][1], hi)]
            out += [t for t in found if len(t.split()) >= 3]
        elif any(lo <= a and b <= hi and not _agrees_to_truce(s.lower, a, b)
                 for a, b in find_phrases(s.lower, lex.obligation)):
            text = _clean(s.span_text(lo, hi))
            if len(text.split()) >= 4:
                out.append(text)
    return out


def is_deal_sentence(s: AnalysedSentence) -> bool:
    return any(t in _DEAL_WORDS for t in s.lower)


_PLANS = frozenset("plan proposal proposals initiative framework roadmap blueprint".split())
_TRUCE_WORDS = frozenset("ceasefire cease-fire truce armistice peace".split())


def proposers_in(s: AnalysedSentence) -> list[EntityMention]:
    """Who a truce plan belongs to: "Trump's ceasefire and hostage-return plan", "Egypt's truce
    proposal" (the possessor, a person, state or organisation)."""
    lower = s.lower
    out: list[EntityMention] = []
    for m in s.entities:
        if lower[m.end:m.end + 1] not in (["'s"], ["’s"]) or m.entity.is_place:
            continue
        after = lower[m.end + 1:m.end + 8]
        plan = next((k for k, w in enumerate(after) if w in _PLANS), None)
        if plan is not None and any(w in _TRUCE_WORDS for w in after[:plan]):
            out.append(m)
    return out


# Nouns that make an unnamed description a broker: "an international organisation operating in Iraq".
_BROKER_NOUNS = frozenset("organisation organization agency body country countries states government "
                          "governments figures figure mediators mediator diplomats officials clerics leaders "
                          "envoy envoys elders notables sheikhs chiefs office committee".split())
_LIST_BREAKS = frozenset({",", "and", "as", "well", "also", "plus", "."})


def _described_brokers(s: AnalysedSentence, entities: list[EntityMention], b: int) -> list[Entity]:
    """Brokers the text describes without naming them, in the list after "mediated by": "Iranian and
    Lebanese parties, as well as an international organisation operating in Iraq" gives "international
    organisation operating in Iraq" (a description kept as said; named ones are entities already)."""
    lower = s.lower
    out: list[Entity] = []
    i = b
    end = min(len(lower), b + 30)
    while i < end:
        while i < end and lower[i] in _LIST_BREAKS:
            i += 1
        j = i
        while j < end and lower[j] not in (",", ".", ";") and not (lower[j] == "and" and j > i):
            j += 1
        if any(w in load_lexicon().reporting_verbs for w in lower[i:j]):
            break  # "..., the state news agency reported": the list is over
        item = [k for k in range(i, j) if lower[k] not in ("a", "an", "the")]
        named = any(m.start < j and i < m.end and m.start <= item[0] for m in entities) if item else True
        if item and not named and len(item) <= 8 and (lower[item[-1]] in _BROKER_NOUNS or (
                lower[item[0]] in _BROKER_NOUNS | _BROKER_MODIFIERS | {"international"}
                and any(lower[k] in _BROKER_NOUNS for k in item))):
            text = s.span_text(item[0], item[-1] + 1)
            out.append(Entity(id=f"described-{'-'.join(lower[k] for k in item)}", name=text, type="description"))
        if j >= end or lower[j] in (".", ";"):
            break
        i = j
    return out


_BROKER_MODIFIERS = frozenset("regional foreign western arab gulf local tribal religious neutral third unnamed "
                              "several two three other".split())


def mediators_in(s: AnalysedSentence, lex: Lexicon, entities: list[EntityMention],
                 resolve: dict[str, Entity]) -> list[Entity]:
    """Entities the sentence names as brokers of the deal."""
    out: list[Entity] = []
    lower = s.lower
    for _, b in find_phrases(lower, lex.mediator_markers):
        described = _described_brokers(s, entities, b)
        for m in entities:
            # States broker truces too ("brokered by the United States and France"); cities do not; an
            # organisation that titles its leader ("Badr Organization leader Hadi al-Amiri") is his.
            if m.start >= b and m.start - b <= 12 and (not m.entity.is_place or m.entity.type == "country") \
                    and not titles_person(m, s):
                out.append(m.entity)
        out += described
    for a, b in find_phrases(lower, lex.mediator_after):
        if lower[b:b + 1] == ["by"]:
            continue  # "brokered by X": X follows, handled above
        # "Qatar mediated", "Lavrov, who acted as a mediator": the nearest name before the phrase.
        # States broker truces ("Oman mediated"); cities do not.
        able = [m for m in entities if not m.entity.is_place or m.entity.type == "country"]
        before = [m for m in able if m.end <= a and a - m.end <= 4]
        if before:
            named = [before[-1]]
            # "Saudi Arabia and Oman brokered": every name of the coordinated subject.
            earlier = [m for m in able if m.end <= named[0].start]
            while earlier and lower[earlier[-1].end:named[0].start] in (["and"], [","], [",", "and"]):
                named.insert(0, earlier.pop())
            out += [m.entity for m in named]
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
