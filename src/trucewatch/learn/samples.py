"""Training samples from annotated reports: what each trained decision should have said.

The gold annotation names an event's type, its evidence sentence and the canonical names of its actor,
target, place and mediators, but not which words say them. Samples are made by aligning the two: the
evidence locates the sentence; the sentence's trigger words and candidate names are read exactly as the
extractor reads them (same analyser, same parse, same feature functions), and a candidate whose name
agrees with a gold name, under the schema's comparison of names, is labelled with that role.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from trucewatch.extract import features as F
from trucewatch.extract.arguments import ANCHOR_FAMILIES, anchor_for, candidates
from trucewatch.extract.reading import Reading, read
from trucewatch.learn.corpus import GoldDoc, Names
from trucewatch.nlp.analyse import Analyser
from trucewatch.nlp.sentences import AnalysedSentence, EntityMention, Trigger

ROLE_FIELDS = (("actor", "actor"), ("target", "target"), ("location", "location"), ("mediators", "mediator"))
_CUE_WORDS = frozenset("village town city neighbourhood neighborhood district province countryside area base "
                       "airbase camp region suburb suburbs governorate the of".split())


@dataclass
class AlignedDoc:
    """A read report, its gold events, and the sentence each gold event's evidence lies in."""

    reading: Reading
    gold: list[dict[str, Any]]
    sentence_of: list[int | None] = field(default_factory=list)
    batch: str = ""  # the annotated batch (folder) the report comes from


def align(gd: GoldDoc, analyser: Analyser) -> AlignedDoc:
    """Read a gold report and locate the sentence of each of its events."""
    reading = read(gd.doc, analyser)
    analyser.parse([s for s in reading.sentences if s.triggers])
    out = AlignedDoc(reading, gd.events)
    for e in gd.events:
        out.sentence_of.append(locate(reading.sentences, gd.doc.text, e.get("evidence") or ""))
    return out


def locate(sentences: list[AnalysedSentence], text: str, evidence: str) -> int | None:
    """The sentence that overlaps most of the evidence span."""
    at = text.find(evidence) if evidence else -1
    if at < 0:
        return None
    lo, hi = at, at + len(evidence)
    best, best_overlap = None, 0
    for s in sentences:
        overlap = min(hi, s.end) - max(lo, s.start)
        if overlap > best_overlap:
            best, best_overlap = s.idx, overlap
    return best


def mention_keys(m: EntityMention, names: Names, field_name: str) -> set[str]:
    """The keys under which a candidate may agree with a gold name."""
    keys = {names.key(m.entity.name, field_name), names.key(m.surface, field_name)}
    words = [w for w in m.surface.split() if w.lower() not in _CUE_WORDS]
    if words:
        keys.add(names.key(" ".join(words), field_name))
    return {k for k in keys if k}


def role_label(m: EntityMention, gold: dict[str, Any], names: Names) -> str:
    """The role a candidate plays in a gold event, by name agreement ("none" if it agrees with none)."""
    for field_name, role in ROLE_FIELDS:
        gold_keys = names.keys(gold.get(field_name), field_name)
        if gold_keys and mention_keys(m, names, field_name) & gold_keys:
            return role
    return "none"


def trigger_label(t: Trigger, types: list[str]) -> str:
    """The gold type a trigger word states: the first of the sentence's gold types whose anchor families
    hold the word's family (the likeliest family first), else "none". Attacks and strikes are one label,
    "force": which of the two is decided for the event as a whole (the ``force_type`` model)."""
    for rank in range(3):
        for event_type in types:
            families = ANCHOR_FAMILIES[event_type]
            if rank < len(families) and families[rank] == t.family:
                return "force" if event_type in ("attack", "strike") else event_type
    return "none"


def rementions(doc: AlignedDoc, names: Names) -> dict[int, set[str]]:
    """Sentences other than an event's evidence that likely mention it again, so neither a positive nor a
    negative example of reporting an event of its type: for a use of force, those that name its place (or,
    when it has none, its actor: "the strikes on Douma"); for the other types, which a report seldom tells
    twice over (one truce, one threat), every other sentence of the report ("the truce", "the ceasefire")."""
    out: dict[int, set[str]] = {}
    for e, k in zip(doc.gold, doc.sentence_of, strict=True):
        places = names.keys(e.get("location"), "location")
        actors = names.keys(e.get("actor"), "actor")
        for s in doc.reading.sentences:
            if s.idx == k:
                continue
            if e["type"] not in ("attack", "strike"):
                out.setdefault(s.idx, set()).add(e["type"])
                continue
            keys_l = set().union(*(mention_keys(m, names, "location") for m in s.entities)) if s.entities else set()
            keys_a = set().union(*(mention_keys(m, names, "actor") for m in s.entities)) if s.entities else set()
            if (places and places & keys_l) or (not places and actors and actors & keys_a):
                out.setdefault(s.idx, set()).add(e["type"])
    return out


def trigger_samples(doc: AlignedDoc, names: Names | None = None) -> Iterator[tuple[list[str], str]]:
    """(features, gold type or "none") of each trigger word of the report. With ``names``, a trigger of a
    likely second mention of a gold event (see :func:`rementions`) is left out rather than called "none"."""
    types: dict[int, list[str]] = {}
    for e, k in zip(doc.gold, doc.sentence_of, strict=True):
        if k is not None:
            types.setdefault(k, []).append(e["type"])
    again = rementions(doc, names) if names is not None else {}
    for s in doc.reading.sentences:
        if not s.triggers:
            continue
        context = F.sentence_features(doc.reading.sentences, s)
        for t in s.triggers:
            label = trigger_label(t, types.get(s.idx, []))
            if label == "none" and trigger_label(t, sorted(again.get(s.idx, ()))) != "none":
                continue  # a likely second mention: no example either way
            yield F.trigger_features(s, t) + context, label


def role_samples(doc: AlignedDoc, names: Names) -> Iterator[tuple[list[str], str]]:
    """(features, role) of each candidate name of each gold event."""
    sentences = doc.reading.sentences
    for e, k in zip(doc.gold, doc.sentence_of, strict=True):
        if k is None:
            continue
        s = sentences[k]
        anchor = anchor_for(s, e["type"])
        if anchor is None:
            continue
        for c in candidates(sentences, s, anchor):
            yield F.role_features(s, anchor, e["type"], c, doc.reading.country), role_label(c.mention, e, names)
