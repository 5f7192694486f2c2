"""Reading a dependency parse: heads of spans, paths between words, voice, negation and modality.

These are the parse facts the trained models use as features, kept in one place so that training and
extraction read sentences the same way. Token indices are those of the sentence's parsed ``Doc``.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

# Words a path keeps ("prep:on", "agent:by") because the preposition says the role.
MAX_PATH = 4
_MODALS = frozenset("would could might may will shall should must 'll can".split())
_NEGATIONS = frozenset("not n't never no without".split())


def span_head(doc: Doc, start: int, end: int) -> Token:
    """The word of a span whose head lies outside it (the last such word, for a flat name)."""
    best = doc[end - 1]
    for t in doc[start:end]:
        if not (start <= t.head.i < end) or t.head.i == t.i:
            best = t
    return best


def _edge(t: Token) -> str:
    """A dependency label, with the preposition or marker word kept where it carries the meaning."""
    if t.dep_ in ("prep", "agent", "mark", "advmod", "acl", "relcl") or t.dep_ == "dative":
        return f"{t.dep_}:{t.lower_}"
    return t.dep_


def ancestors(t: Token) -> list[Token]:
    """The heads above a word, nearest first (the root last)."""
    out = []
    while t.head.i != t.i and len(out) < 20:
        t = t.head
        out.append(t)
    return out


def path(a: Token, b: Token) -> str:
    """The dependency path from ``a`` to ``b``: labels up from ``a`` ("<nsubj") to their lowest common
    head, then down to ``b`` (">prep:in>pobj"). Longer paths than MAX_PATH keep their two ends."""
    if a.i == b.i:
        return "="
    up_a = [a, *ancestors(a)]
    up_b = [b, *ancestors(b)]
    ids_b = {t.i: k for k, t in enumerate(up_b)}
    k_a = next((k for k, t in enumerate(up_a) if t.i in ids_b), len(up_a) - 1)
    k_b = ids_b.get(up_a[k_a].i, len(up_b) - 1)
    ups = ["<" + _edge(t) for t in up_a[:k_a]]
    downs = [">" + _edge(t) for t in reversed(up_b[:k_b])]
    steps = ups + downs
    if len(steps) > MAX_PATH:
        steps = steps[:2] + ["~"] + steps[-2:]
    return "".join(steps)


def passive(t: Token) -> bool:
    """The verb is in the passive voice ("were killed", "was hit by")."""
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in t.children) or (
        t.tag_ == "VBN" and any(c.dep_ == "agent" for c in t.children))


def negated(t: Token) -> bool:
    """The word is negated in its own clause ("did not attack", "no casualties", "without firing")."""
    if any(c.dep_ == "neg" or c.lower_ in _NEGATIONS for c in t.children):
        return True
    if t.dep_ in ("pcomp", "pobj") and t.head.lower_ == "without":  # "without firing a shot"
        return True
    head = t.head
    return t.dep_ in ("dobj", "pobj", "xcomp") and any(c.dep_ == "neg" for c in head.children)


def modal(t: Token) -> str | None:
    """The modal verb of the word's clause ("would strike", "could face attacks"), if any."""
    for u in (t, t.head):
        for c in u.children:
            if c.dep_ == "aux" and c.lower_ in _MODALS:
                return c.lower_
        if u.dep_ not in ("xcomp", "dobj", "pobj", "nsubj", "nsubjpass"):
            break
    return None


def clause_verb(t: Token) -> Token:
    """The verb whose clause holds the word (the word itself if it is one)."""
    u = t
    for _ in range(8):
        if u.pos_ in ("VERB", "AUX") or u.tag_.startswith("VB") or u.head.i == u.i:
            return u
        u = u.head
    return u


def relation(anchor: Token, head: Token) -> str:
    """The grammatical relation of a word to an event's trigger word, named as a reader would: the
    subject of the trigger (or of the verb whose object the trigger noun is: "X launched an attack"),
    its object, the agent of a passive ("by X"), the passive subject, the object of a preposition on the
    trigger or its verb ("prep:on"), a modifier of a trigger noun ("Israeli airstrike", "Russia's
    attack"), inside one of those phrases, or elsewhere."""
    verbs = [anchor]
    if anchor.dep_ in ("dobj", "nsubjpass", "pobj", "attr") and anchor.head.i != anchor.i:
        verbs.append(anchor.head)
    for k, v in enumerate(verbs):
        own = "" if k == 0 else "v:"
        if head.head.i == v.i:
            return own + _edge(head)
        if head.dep_ == "pobj" and head.head.head.i == v.i:
            return f"{own}{head.head.dep_}:{head.head.lower_}"
        if head.dep_ == "conj":
            first = head
            while first.dep_ == "conj" and first.head.i != first.i:
                first = first.head
            if first.i != head.i:
                return "conj>" + relation(anchor, first)
    chain = [head, *ancestors(head)]
    for n, a in enumerate(chain[1:], 1):
        if any(a.i == v.i for v in verbs):
            child = chain[n - 1]  # the phrase of the trigger (or its verb) the word stands in
            return ("in:" if a.i == anchor.i else "in:v:") + _edge(child)
        if n > 6:
            break
    if any(a.i == head.i for a in ancestors(anchor)):
        return "above"
    return "elsewhere"
