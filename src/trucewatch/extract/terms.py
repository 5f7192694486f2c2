"""A truce's conditions and brokers, read from the parse of its sentence.

Conditions are the clauses English marks as conditions or terms: "if"/"unless"/"once"/"as long as",
"provided (that)", "on (the) condition that", "in return for", "in exchange for", "pending", "subject to",
"conditional on", "under which", "allowing" + the phrase they open. Each is kept in the report's own words
(the phrase's words, up to its end in the parse), so that a card can be read away from its report.

Brokers are the names a broker's words govern: the agent of "brokered/mediated/negotiated/facilitated by",
the name compounded with "-brokered", "under the auspices of", "with the mediation of", and the owner of
"mediation" ("Qatar's mediation"). The role model finds them too; these are the ones the grammar states.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from trucewatch.nlp.sentences import AnalysedSentence, Trigger

# Words that open a condition or a term of a truce, longest first.
_MARKERS = tuple(sorted((tuple(m.split()) for m in (
    "on condition that", "on the condition that", "provided that", "providing that", "provided", "in return for",
    "in exchange for", "as long as", "so long as", "unless", "only if", "if", "pending", "conditional on",
    "conditioned on", "contingent on", "subject to", "once", "under which", "allowing", "allowed for",
    "stipulates that", "requires", "requiring", "calls for", "calling for")), key=len, reverse=True))
_BROKER_VERBS = frozenset("brokered mediated negotiated facilitated sponsored arranged guaranteed".split())
_BROKER_NOUNS = frozenset("mediation auspices brokering sponsorship facilitation".split())
MAX_CONDITION = 30  # words: a longer clause is not one condition


def _phrase_end(doc: Doc, first: int) -> int:
    """The last token of the phrase that starts at ``first``: the right edge of the largest phrase whose
    head stands at or after ``first`` (a clause, or a noun phrase with its modifiers)."""
    t = doc[first]
    while t.head.i != t.i and t.head.i >= first:
        t = t.head
    return max(t.right_edge.i, first)


def conditions_of(s: AnalysedSentence, anchor: Trigger) -> list[str]:
    """The conditions and terms a truce sentence states, in its own words, in order: what follows a
    condition marker ("on condition that ...", "provided ...", "in return for ...", "unless ...",
    "under which ...", "allowing ..."), up to the end of the phrase it opens."""
    doc = s.doc
    if doc is None:
        return []
    low = s.lower
    out: list[str] = []
    i = 0
    while i < len(low):
        marker = next((m for m in _MARKERS if tuple(low[i:i + len(m)]) == m), None)
        if marker is None:
            i += 1
            continue
        first = i + len(marker)
        if first >= len(low):
            break
        last = _phrase_end(doc, first)
        if last + 1 < len(doc) and doc[last + 1].tag_.startswith("VB") and \
                not any(t.tag_.startswith("VB") for t in doc[first:last + 1]):
            last = max(last, doc[last + 1].right_edge.i)  # "provided the government presents a timetable"
        last = min(last, first + MAX_CONDITION - 1)
        words = doc[first:last + 1].text.strip(" ,;:.\"'“”")
        if len(words.split()) >= 2 and words not in out:
            out.append(words)
        i = last + 1
    return out


def mediators_of(s: AnalysedSentence, anchor: Trigger) -> list[str]:
    """Names the grammar makes brokers of the sentence's truce."""
    doc = s.doc
    if doc is None:
        return []
    heads: list[Token] = []
    for t in doc:
        low = t.lower_
        if low in _BROKER_VERBS:
            for c in t.children:
                if c.dep_ == "agent":
                    heads += [g for g in c.children if g.dep_ == "pobj"]
                elif c.dep_ in ("npadvmod", "compound", "nsubj") and c.i < t.i:
                    heads.append(c)
        elif low in _BROKER_NOUNS:
            heads += [c for c in t.children if c.dep_ == "poss"]
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    heads += [g for g in c.children if g.dep_ == "pobj"]
    names: list[str] = []
    for h in heads:
        for u in [h, *[c for c in h.subtree if c.dep_ == "conj"]]:
            m = s.mention_at(u.i)
            if m is not None and m.entity.type not in ("city", "province", "region", "district") \
                    and m.entity.name not in names:
                names.append(m.entity.name)
    return names
