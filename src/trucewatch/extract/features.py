"""Features of the trained decisions, read from a sentence's words, names and parse.

Each function returns a list of binary feature strings (``"dep=nsubj"``, ``"p=<nsubj"``, ...) that a
:class:`~trucewatch.learn.linear.LinearModel` weighs. Training (``trucewatch.learn``) and extraction call the
same functions, so a sentence is read the same way by both.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from trucewatch.extract import syntax
from trucewatch.nlp.sentences import AnalysedSentence, EntityMention, Trigger

if TYPE_CHECKING:
    from trucewatch.extract.arguments import Candidate

REPORTING = frozenset("said says say told tells reported reports announced announces claimed claims stated added "
                      "confirmed confirms accused accuses blamed alleged noted according quoted cited".split())
_TIME_WORDS = frozenset("yesterday today tonight overnight earlier later last previous ago since recent recently "
                        "monday tuesday wednesday thursday friday saturday sunday weekend week month year".split())

_STATE_TYPES = frozenset({"state", "state force"})
_GROUP_TYPES = frozenset({"armed group", "umbrella group"})
_SITE_TYPES = frozenset({"military base", "facility"})
_AREA_TYPES = frozenset({"city", "district", "region", "province"})
_NER_KINDS = {"PERSON": "person", "GPE": "ner_place", "LOC": "ner_place", "FAC": "ner_site", "ORG": "ner_org",
              "NORP": "ner_people"}


def kind(m: EntityMention) -> str:
    """A coarse kind of a mention: who or what it can be in an event."""
    if m.generic:
        return {"civilians": "civilians", "state_forces": "forces", "insurgents": "insurgents",
                "coalition": "coalition"}.get(m.generic, "generic")
    t = m.entity.type
    if t in _STATE_TYPES:
        return "state"
    if t in _GROUP_TYPES:
        return "group"
    if t in _SITE_TYPES:
        return "site"
    if t in _AREA_TYPES:
        return "area"
    if t == "country":
        return "country"
    if m.ner and m.entity.type == "unknown":
        # What the NER takes an unknown name for.
        return _NER_KINDS.get(m.ner, "name")
    if t == "person":
        return "person"
    if t == "international organisation":
        return "org"
    if t == "political party":
        return "party"
    return "name"


def speaks(t: Token) -> bool:
    """The word stands in the phrase of who says something: the subject of "said", "told", "claimed"
    ("Iraqi security officials said", "a spokesman for the group said"), or "according to X"."""
    u = t
    for _ in range(4):
        if u.dep_ in ("nsubj", "nsubjpass") and u.head.lower_ in REPORTING:
            return True
        if u.dep_ == "pobj" and u.head.lower_ == "to" and u.head.head.lower_ == "according":
            return True
        if u.head.i == u.i or u.dep_ not in ("amod", "compound", "poss", "pobj", "prep", "nmod", "appos", "conj"):
            return False
        u = u.head
    return False


def _bucket(n: int) -> str:
    return str(n) if n < 3 else "3-5" if n < 6 else "6-10" if n < 11 else "11+"


def mention_head(s: AnalysedSentence, m: EntityMention) -> Token:
    assert s.doc is not None
    return syntax.span_head(s.doc, m.start, m.end)


def trigger_features(s: AnalysedSentence, t: Trigger) -> list[str]:
    """What a trigger word and its clause say about whether, and which, event it reports."""
    low = s.lower
    w = " ".join(low[t.start:t.end])
    fam = t.family
    out = [f"w={w}", f"fam={fam}"]
    for k in (-2, -1, 1, 2):
        i = (t.start + k) if k < 0 else (t.end - 1 + k)
        out.append(f"w{k:+d}={low[i] if 0 <= i < len(low) else '#'}")
    if s.doc is not None:
        h = s.doc[t.head]
        gov = h.head
        out += [f"tag={h.tag_}", f"dep={h.dep_}", f"gov={gov.lower_}", f"govdep={gov.dep_}",
                f"w={w}|dep={h.dep_}", f"w={w}|tag={h.tag_}"]
        for c in h.children:
            out.append(f"c:{c.dep_}")
            if c.dep_ in ("neg", "aux", "auxpass", "mark", "det", "prep", "amod", "compound", "advmod", "prt",
                          "poss", "nummod", "npadvmod", "acomp", "xcomp"):
                out.append(f"c:{c.dep_}={c.lower_}")
            m = s.mention_at(c.i)
            if m is not None:
                out.append(f"c:{c.dep_}={kind(m)}")
                if c.dep_ == "prep":
                    pass
            if c.dep_ in ("prep", "agent"):
                for g in c.children:
                    gm = s.mention_at(g.i)
                    if gm is not None:
                        out.append(f"c:{c.lower_}>{kind(gm)}")
        if syntax.passive(h):
            out.append("passive")
        if syntax.negated(h):
            out.append("negated")
        md = syntax.modal(h)
        if md:
            out.append(f"modal={md}")
        for a in syntax.ancestors(h)[:3]:
            out.append(f"anc={a.lower_}")
            if a.lower_ in REPORTING:
                out.append("under_reporting")
            for c in a.children:
                if c.dep_ in ("neg", "mark") or (c.dep_ == "aux" and c.lower_ in ("would", "could", "will", "may")):
                    out.append(f"anc:{c.dep_}={c.lower_}")
    out += [f"{fam}|{f}" for f in out if not f.startswith("fam=")]
    return out


def sentence_features(sentences: list[AnalysedSentence], s: AnalysedSentence) -> list[str]:
    """Features of the whole sentence: its place in the report, what kinds of names it holds, and what the
    sentences before it already told (a report tells each event first, then comes back to it: "the
    strikes on Douma" after "Jets struck Douma")."""
    n_sentences = len(sentences)
    out = [f"pos={_bucket(s.idx)}", f"len={_bucket(len(s.tokens) // 8)}"]
    if s.idx == n_sentences - 1:
        out.append("pos=last")
    kinds = {kind(m) for m in s.entities}
    out += [f"has:{k}" for k in kinds]
    fams = {t.family for t in s.triggers}
    out += [f"hasfam:{f}" for f in fams]
    if any(w.isdigit() for w in s.lower):
        out.append("has:digit")
    if any(w in _TIME_WORDS for w in s.lower):
        out.append("has:timeword")
    if s.text.count('"') + s.text.count("“") >= 2:
        out.append("quote")
    places = {"place:" + m.entity.id for m in s.entities if m.entity.is_place}
    parties = {"party:" + m.entity.id for m in s.entities if not m.entity.is_place}
    if places:
        out.append("places:seen" if places <= s.told else "places:new" if not places & s.told
                   else "places:some_new")
    if parties:
        out.append("parties:seen" if parties <= s.told else "parties:new")
    out += [f"{f}:again" if "family:" + f in s.told else f"{f}:first" for f in fams]
    words = {"word:" + w for w in s.lower if len(w) > 3 and w.isalpha()}
    if words and len(words & s.told) >= 0.8 * len(words):
        out.append("repeats")
    return out


def role_features(s: AnalysedSentence, anchor: Trigger, event_type: str, c: Candidate,
                  country: str | None) -> list[str]:
    """What a name's place says about its role in the event the anchor reports: its path in the parse to
    the anchor when it stands in the event's sentence, else how far back it stands and what it did there."""
    m = c.mention
    k = kind(m)
    if event_type in ("attack", "strike"):
        event_type = "force"  # who did it is read before whether it was an attack or a strike
    out = [f"k={k}", f"src={m.source}", f"T={event_type}|k={k}", f"fam={anchor.family}|k={k}",
           f"ctx={c.ctx}", f"k={k}|ctx={c.ctx}", f"T={event_type}|k={k}|ctx={c.ctx}", f"freq={_bucket(c.frequency)}",
           f"k={k}|freq={_bucket(c.frequency)}"]
    if m.entity.country and country:
        out.append("home" if m.entity.country == country else "abroad")
    if c.ctx:
        out += [f"here_has={x}" for x in {kind(o) for o in s.entities}]
        if c.home.doc is not None:
            h = mention_head(c.home, m)
            out += [f"cdep={h.dep_}", f"k={k}|cdep={h.dep_}", f"chead={h.head.lower_}",
                    f"ctx={c.ctx}|cdep={h.dep_}"]
        return out
    before = m.end <= anchor.start
    out.append(f"k={k}|{'before' if before else 'after'}")
    gap = (anchor.start - m.end) if before else (m.start - anchor.end)
    out.append(f"gap={_bucket(max(0, gap))}")
    prev = s.lower[m.start - 1] if m.start > 0 else "#"
    out += [f"prev={prev}", f"k={k}|prev={prev}"]
    nxt = s.lower[m.end] if m.end < len(s.lower) else "#"
    out.append(f"next={nxt}")
    if s.doc is not None:
        a = s.doc[anchor.head]
        h = mention_head(s, m)
        p = syntax.path(a, h)
        steps = [x for x in p.replace(">", "|>").replace("<", "|<").split("|") if x]
        rel = syntax.relation(a, h)
        out += [f"p={p}", f"k={k}|p={p}", f"T={event_type}|p={p}", f"rel={rel}", f"k={k}|rel={rel}",
                f"T={event_type}|rel={rel}", f"T={event_type}|k={k}|rel={rel}", f"fam={anchor.family}|rel={rel}"]
        if syntax.passive(a):
            out.append(f"passive|rel={rel}")
        if steps:
            out += [f"p1={steps[0]}", f"pl={steps[-1]}", f"k={k}|pl={steps[-1]}", f"k={k}|p1={steps[0]}"]
        if syntax.passive(a):
            out += ["passive", f"passive|p={p}"]
        out += [f"hdep={h.dep_}", f"k={k}|hdep={h.dep_}", f"hw={h.lower_}", f"hgov={h.head.lower_}",
                f"k={k}|hgov={h.head.lower_}"]
        if speaks(h):
            out += ["speaker", f"k={k}|speaker"]
        if h.dep_ == "poss":
            out.append(f"poss|{h.head.lower_}")
        if h.dep_ == "conj":
            out.append("conj")
        out.append(f"aw={s.lower[anchor.head]}|p1={steps[0] if steps else '='}")
    return out


def selection_features(sentences: list[AnalysedSentence], s: AnalysedSentence) -> list[str]:
    """Features read without a parse, for choosing the sentences worth parsing."""
    out = set(sentence_features(sentences, s))
    low = s.lower
    for t in s.triggers:
        w = " ".join(low[t.start:t.end])
        out.update((f"w={w}", f"fam={t.family}"))
        for k in (-2, -1, 1, 2):
            i = (t.start + k) if k < 0 else (t.end - 1 + k)
            if 0 <= i < len(low):
                out.add(f"{t.family}|w{k:+d}={low[i]}")
    return sorted(out)


def force_features(s: AnalysedSentence, anchor: Trigger, actors: list[EntityMention],
                   targets: list[EntityMention]) -> list[str]:
    """Whether a use of force is a state's strike or a non-state group's attack (the schema's distinction):
    what kind of party its actor and target are, who stands where around the trigger word, which weapon
    it names, the words around it."""
    low = s.lower
    out = [f"a={' '.join(low[anchor.start:anchor.end])}", f"fam={anchor.family}"]
    out += [f"actor={kind(m)}" for m in actors] or ["actor=none"]
    out += [f"target={kind(m)}" for m in targets] or ["target=none"]
    out += [f"near={w}" for w in low[max(0, anchor.start - 3):anchor.end + 3] if w.isalpha()]
    a = s.doc[anchor.head] if s.doc is not None else None
    for m in s.entities:
        if anchor.start <= m.start < anchor.end:
            continue
        k = kind(m)
        out.append(f"has={k}")
        if a is not None and s.doc is not None:
            h = mention_head(s, m)
            rel = "speaker" if speaks(h) else syntax.relation(a, h)
            out += [f"{k}|{rel}", f"{k}|{rel.split(':')[0]}"]
    out += [f"wpn={w.family}" for w in s.weapons]
    return out


def mode_features(s: AnalysedSentence, anchor: Trigger) -> list[str]:
    """The weapon words of a use of force's sentence (``data/weapons.yaml``) with how close each stands to
    the trigger word, and the words around the trigger."""
    low = s.lower
    out = [f"a={' '.join(low[anchor.start:anchor.end])}"]
    out += [f"near={w}" for w in low[max(0, anchor.start - 4):anchor.end + 4] if w.isalpha()]
    for wpn in s.weapons:
        mode = wpn.family
        word = " ".join(low[wpn.start:wpn.end])
        out += [f"wpn={mode}", f"ww={word}"]
        if wpn.start <= anchor.head < wpn.end:
            out += [f"wpn_self={mode}", f"self={word}"]
            continue
        if s.doc is not None:
            p = syntax.path(s.doc[anchor.head], s.doc[wpn.head])
            steps = p.count("<") + p.count(">")
            out.append(f"wpn_{'close' if steps <= 2 else 'far'}={mode}")
        else:
            out.append(f"wpn_{'close' if abs(wpn.start - anchor.start) <= 5 else 'far'}={mode}")
    return out


def background_features(s: AnalysedSentence, anchor: Trigger, event_type: str, date: str | None,
                        reference: object) -> list[str]:
    """Whether an event is told as past context: tense, clause words, how old its date is."""
    from trucewatch.extract.timing import _age

    out = [f"T={event_type}", f"pos={min(s.idx, 8)}"]
    if date is None:
        out.append("nodate")
    elif reference is not None:
        out.append(f"age={_age(date, reference)}")  # type: ignore[arg-type]
    out += [f"w={w}" for w in s.lower if w in _PAST_WORDS]
    if s.doc is not None:
        h = s.doc[anchor.head]
        out += [f"tag={h.tag_}", f"dep={h.dep_}", f"gov={h.head.lower_}"]
        out += [f"aux={c.lower_}" for c in h.children if c.dep_ in ("aux", "auxpass", "mark")]
        for a in syntax.ancestors(h)[:3]:
            out.append(f"anc={a.lower_}")
            out += [f"anc:mark={c.lower_}" for c in a.children if c.dep_ == "mark"]
    return out


_PAST_WORDS = frozenset("had has have earlier previously last ago since former past after following before "
                        "history anniversary then once years months weeks recent recently".split())
