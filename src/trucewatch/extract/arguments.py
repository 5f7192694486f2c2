"""Who did it, to whom, where, and who brokered it: the names of an event chosen from its sentence.

Every name of the sentence (a gazetteer entity, a country's adjective, an unknown capitalised name, a
generic noun such as "civilians" or "the army") is a candidate; the trained role model gives each its
probability of being the event's actor, target, place or mediator from its kind and its path in the parse
to the event's trigger word ("<nsubj" from "bombed" to "jets"; ">prep:in>pobj" to a town; ">agent:by>pobj"
in the passive). A role takes every candidate above the threshold (several actors, several places), else
the most likely one if it is likely enough.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trucewatch.extract.features import role_features
from trucewatch.learn.linear import LinearModel
from trucewatch.models import Entity
from trucewatch.nlp.sentences import AnalysedSentence, EntityMention, Trigger

# Trigger families that can anchor an event of each type, the likeliest first.
ANCHOR_FAMILIES: dict[str, tuple[str, ...]] = {
    "attack": ("force", "casualty"),
    "strike": ("force", "casualty"),
    "ceasefire": ("truce", "force"),  # "a truce"; "agreed not to attack"
    "ceasefire_end": ("truce_end", "truce", "force"),
    "threat": ("threat", "force"),
    "demand": ("demand", "troops"),
    "troop_change": ("troops", "force"),
}
ROLES = ("actor", "target", "location", "mediator")
TAKE = 0.5  # a candidate this likely takes the role
# The best candidate takes an empty role when at least this likely. Chosen by cross-validation over the training
# reports: an event's actor is nearly always named somewhere near it, so even an unsure best guess is more often
# right than an empty actor (strict F1 0.148 -> 0.157, actor 0.77 -> 0.80, event F1 0.646 -> 0.637).
BEST = {"actor": 0.15, "target": 0.2, "location": 0.2, "mediator": 0.3}


@dataclass
class Arguments:
    """The names chosen for one event, with the mentions they came from."""

    actors: list[EntityMention] = field(default_factory=list)
    targets: list[EntityMention] = field(default_factory=list)
    locations: list[EntityMention] = field(default_factory=list)
    mediators: list[EntityMention] = field(default_factory=list)

    def of(self, role: str) -> list[EntityMention]:
        return {"actor": self.actors, "target": self.targets, "location": self.locations,
                "mediator": self.mediators}[role]


def anchor_for(s: AnalysedSentence, event_type: str) -> Trigger | None:
    """The trigger word that most likely states an event of this type: of the type's likeliest family, the
    highest in the parse (a main verb before a word in its clause)."""
    for family in ANCHOR_FAMILIES[event_type]:
        found = [t for t in s.triggers if t.family == family]
        if found:
            if s.doc is None:
                return found[0]
            return min(found, key=lambda t: (len(list(s.doc[t.head].ancestors)), t.start))
    return s.triggers[0] if s.triggers else None


@dataclass(frozen=True)
class Candidate:
    """A name that may fill a role of an event: where it stands (``ctx`` sentences before the event's, 0 for
    the event's own, FIRST for the report's first) and how often the report names it."""

    mention: EntityMention
    home: AnalysedSentence
    ctx: int = 0
    frequency: int = 1


FIRST = 9
CONTEXT = 3  # sentences before an event's own whose names may fill its roles


def candidates(sentences: list[AnalysedSentence], s: AnalysedSentence, anchor: Trigger) -> list[Candidate]:
    """The names of the event's sentence (not the trigger word itself), then those of the sentences just
    before it and of the report's first sentence that the event's sentence does not name."""
    counts: dict[str, int] = {}
    for x in sentences:
        for m in x.entities:
            counts[m.entity.id] = counts.get(m.entity.id, 0) + 1
    out = [Candidate(m, s, 0, counts.get(m.entity.id, 1)) for m in s.entities
           if not (anchor.start <= m.start < anchor.end)]
    seen = {m.entity.id for m in s.entities}
    earlier = [(k, sentences[s.idx - k]) for k in range(1, CONTEXT + 1) if s.idx - k >= 0]
    if s.idx > CONTEXT:
        earlier.append((FIRST, sentences[0]))
    for k, x in earlier:
        for m in x.entities:
            if m.entity.id not in seen:
                seen.add(m.entity.id)
                out.append(Candidate(m, x, k, counts.get(m.entity.id, 1)))
    return out


def choose(model: LinearModel, sentences: list[AnalysedSentence], s: AnalysedSentence, anchor: Trigger,
           event_type: str, country: str | None) -> Arguments:
    """The event's actor(s), target(s), place(s) and mediator(s) among the candidate names."""
    cands = candidates(sentences, s, anchor)
    probs = [_allowed(model.proba(role_features(s, anchor, event_type, c, country)), c.mention) for c in cands]
    out = Arguments()
    taken: set[int] = set()
    for role in ROLES:
        if role == "mediator" and event_type != "ceasefire":
            continue
        scored = sorted(((p.get(role, 0.0), k) for k, p in enumerate(probs) if k not in taken), reverse=True)
        chosen = [k for p, k in scored if p >= TAKE]
        if not chosen and scored and scored[0][0] >= BEST[role]:
            chosen = [scored[0][1]]
        # A name takes its likeliest role only.
        chosen = [k for k in chosen if max(probs[k], key=probs[k].get) == role or len(chosen) == 1]
        for k in chosen:
            entity = cands[k].mention.entity.id
            # One party is never on both sides: a name (or another spelling of it) takes one role.
            taken.update(j for j, c in enumerate(cands) if c.mention.entity.id == entity)
            out.of(role).append(cands[k].mention)
    return out


def _allowed(probs: dict[str, float], m: EntityMention) -> dict[str, float]:
    """The role probabilities of a candidate given the roles it can play (a place only the location)."""
    kept = {role: p for role, p in probs.items() if role == "none" or fits(m, role)}
    total = sum(kept.values()) or 1.0
    return {role: p / total for role, p in kept.items()}


def fits(m: EntityMention, role: str) -> bool:
    """A place is only ever where an event happened, and a party never is: an unknown name may be either."""
    if m.entity.type in ("unknown", ""):
        return True
    return m.entity.is_place == (role == "location")


def unique(mentions: list[EntityMention]) -> list[Entity]:
    """The entities of mentions, each once, in order."""
    seen: dict[str, Entity] = {}
    for m in mentions:
        seen.setdefault(m.entity.id, m.entity)
    return list(seen.values())
