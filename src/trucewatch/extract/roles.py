"""Who did what to whom, where: the actor, target and place of one event mention.

Rules over the entity mentions of the sentence, by position relative to the trigger and the clause
segments (no parser is available):

- agent phrases: "by X", "claimed by X", "X claimed", "blamed on X", "X was blamed", "blamed X for";
- modifiers: "US airstrikes", "Washington's strikes", "Saudi coalition jets";
- subject of an active verb trigger; passive voice ("the base was targeted by two drones") swaps roles;
- objects: "on/against/at/targeting X", or the entity right after a force verb;
- places: the most specific place of the clause (a base over a city over a province); countries go to
  ``country``, never ``location``.
"""

from __future__ import annotations

from dataclasses import dataclass

from trucewatch.extract.clauses import Segment
from trucewatch.models import Entity
from trucewatch.nlp.pipeline import AnalysedSentence, EntityMention

STATE_TYPES = frozenset({"state", "state force", "country"})


def is_state(e: Entity) -> bool:
    """States and their forces, including a coalition of state militaries ("US-led coalition")."""
    return e.type in STATE_TYPES or (e.type == "umbrella group" and "-led coalition" in e.name.lower())


def _generic(e: Entity) -> bool:
    """A description standing for unnamed groups ("Iran-backed Iraqi militias")."""
    return e.name.lower().endswith(("militias", "groups", "factions", "parties"))


def _sponsors(e: Entity) -> set[str]:
    return {r["target"] for r in e.relations if r.get("type") == "backed_by" and r.get("target")}


def related(a: Entity, b: Entity) -> bool:
    """Same entity, or one is part of, led by, or a member of the other (US-led coalition and US), or
    one is the generic description of groups the other belongs to (Iran-backed militias and KH)."""
    if a.id == b.id:
        return True
    if (_generic(a) or _generic(b)) and _sponsors(a) & _sponsors(b):
        return True
    return _within(a, b) or _within(b, a)


def _within(a: Entity, b: Entity) -> bool:
    """a is part of b, a member of b, or a coalition b leads (a sponsor alone does not make one actor)."""
    for r in a.relations:
        if r.get("target") != b.id:
            continue
        if r.get("type") in ("part_of", "member_of") or (r.get("type") == "backed_by" and "-led" in a.name):
            return True
    return False
GROUP_TYPES = frozenset({"armed group", "umbrella group", "political party"})
PLACE_RANK = {"military base": 4, "facility": 4, "district": 3, "city": 2, "region": 1, "province": 1}
_LOCATIVE = frozenset("in near at outside inside on into across around from toward towards within of".split())
_OBJECT_PREPS = frozenset({"on", "against", "at", "targeting", "toward", "towards", "into", "upon"})
_BLAME = frozenset({"blamed", "blames", "blame", "accused", "accuses", "held", "holds", "pinned"})
_CLAIM = frozenset({"claimed", "claims", "claim", "claiming"})
# "facilities used by KH", "a group backed by Iran": "by" that does not introduce the agent.
_NOT_AGENT = frozenset("used operated run owned controlled held backed supported funded led manned occupied "
                       "housed hosted armed trained sponsored linked affiliated inspired".split())
_REPORTING = frozenset("said says say told tells reported reports announced confirmed stated added according "
                       "statement tweeted posted wrote".split())
_OWN_FORCES = frozenset({"its", "their", "his"})


@dataclass
class Roles:
    actor: list[Entity]
    target: list[Entity]
    location: Entity | None
    countries: list[str]
    agent: bool = False  # the actor comes from an agent phrase ("by X", "claimed by X", "blamed on X")


def is_place(m: EntityMention, s: AnalysedSentence) -> bool:
    """Places are places; a state is a place only after a locative preposition ("in Iran")."""
    e = m.entity
    if e.is_place:
        return True
    if e.type == "state" and e.country == e.name:
        return (m.start > 0 and s.lower[m.start - 1] in _LOCATIVE) or _in_place_list(m, s)
    return False


# Nouns after which an entity names an owner, not an agent: "a U.S. military base", "Iraqi bases".
FACILITY_NOUNS = frozenset("base bases airbase installation installations facility facilities embassy compound "
                           "compounds convoy convoys positions position sites site outpost post posts consulate "
                           "headquarters camp vehicle vehicles targets target interests "
                           "stores depots depot warehouses warehouse".split())
_VERB_TRIGGERS = frozenset("launched launch launching fired fire firing hit struck targeted attacked bombed "
                           "shelled carried conducted".split())
_LIGHT_VERBS = frozenset("carried conducted launched launching ordered order mounted staged began begun "
                         "started starting executed undertook unleashed".split())
_DIED = frozenset("died killed wounded injured hurt dead".split())
_CASUALTY_VERBS = frozenset("killing killed wounding wounded injuring injured".split())
_GOVERNING_VERBS = frozenset("killed kill kills killing hit hits struck targeted assassinated wounded injured "
                             "bombed attacked".split())
_FORCE_NOUNS = frozenset("attack attacks strike strikes airstrike airstrikes raid raids bombing blast barrage "
                         "assault".split())


_OCCUPANT_CUES = frozenset("housing hosting houses hosts house host stationing".split())


def owner(m: EntityMention, s: AnalysedSentence) -> bool:
    """The entity owns or occupies a place ("a U.S. military base", "a base housing US troops",
    "IRGC-linked stores"): it is what was hit, never who hit."""
    nxt = s.lower[m.end:m.end + 3]
    if nxt[:1] and nxt[0] in FACILITY_NOUNS:
        return True
    if len(nxt) == 3 and nxt[0] == "-" and nxt[1] in ("linked", "affiliated", "run", "controlled", "owned",
                                                       "used", "operated"):
        return True
    return m.start > 0 and (s.lower[m.start - 1] in _OCCUPANT_CUES or s.lower[max(0, m.start - 2):m.start] == [
        "home", "to"])


def speaks(m: EntityMention, s: AnalysedSentence) -> bool:
    """The entity is the source of the sentence ("the Pentagon said", "according to the Iraqi military"),
    not a party to the event it reports."""
    after = s.lower[m.end:m.end + 3]
    before = s.lower[max(0, m.start - 6):m.start]
    return bool(set(after) & _REPORTING) or "according" in before or bool(
        set(after[:1]) & {"officials", "official", "spokesman", "spokesperson", "statement", "sources"})


_TITLE_NOUNS = frozenset("leader commander chief spokesman spokesperson spokeswoman head founder official "
                         "officials secretary-general deputy member members fighter fighters president minister "
                         "envoy".split())


def titles_person(m: EntityMention, s: AnalysedSentence) -> bool:
    """The organisation only titles a person named after it ("PMF leader Abu Mahdi al-Muhandis",
    "Badr Organization leader Hadi al-Amiri"): the man is meant, not the organisation."""
    return m.end + 1 < len(s.lower) and s.lower[m.end] in _TITLE_NOUNS and s.tokens[m.end + 1][:1].isupper()


_PLACE_PREPS = frozenset("in near at into across with from inside between throughout around outside toward "
                         "towards within".split())


def _in_place_list(m: EntityMention, s: AnalysedSentence) -> bool:
    """"in Iraq and Syria", "borders with Iraq and Jordan": a state named after a locative preposition."""
    before = s.lower[max(0, m.start - 4):m.start]
    if not before:
        return False
    if before[-1] in _PLACE_PREPS:
        return True
    return before[-1] in ("and", ",", "or") and any(w in _PLACE_PREPS for w in before[:-1])


def is_place_phrase(m: EntityMention, s: AnalysedSentence) -> bool:
    """The mention stands after a locative preposition or in a list of places ("in Iraq and Syria")."""
    return (m.start > 0 and s.lower[m.start - 1] in _LOCATIVE) or _in_place_list(m, s)


def is_actor(m: EntityMention, s: AnalysedSentence) -> bool:
    e = m.entity
    if e.is_place:
        return False
    if e.type == "state" and e.country == e.name and _in_place_list(m, s):
        return False
    if titles_person(m, s):
        return False
    if e.type == "state" and e.country == e.name and m.start > 0 and s.lower[m.start - 1] in (
            "in", "inside", "into", "across", "to", "from", "near"):
        return False
    return True


def actor_entity(e: Entity, resolve: dict[str, Entity]) -> Entity:
    """A person stands for the organisation they lead or speak for ("Biden ordered strikes" -> US)."""
    if e.type != "person":
        return e
    for rel in e.relations:
        if rel.get("type") in ("leader_of", "spokesman_of", "member_of") and rel.get("target") in resolve:
            return resolve[rel["target"]]
    return e


def official(e: Entity, resolve: dict[str, Entity]) -> bool:
    """A person who holds office in a state (a president, a minister, a general): a speaker or a
    commander in reports, almost never what a strike hits."""
    return e.type == "person" and any(
        r.get("target") in resolve and resolve[r["target"]].type == "state" for r in e.relations
        if r.get("type") in ("leader_of", "member_of", "spokesman_of"))


def target_entity(e: Entity, resolve: dict[str, Entity]) -> Entity:
    """A person hit stands for the group they serve in ("a KH commander" -> Kataib Hezbollah); a
    leader of a state or force is a target in their own right (Qassem Soleimani)."""
    if e.type != "person" or any(r.get("type") == "leader_of" for r in e.relations):
        return e
    for rel in e.relations:
        if rel.get("type") == "member_of" and rel.get("target") in resolve:
            group = resolve[rel["target"]]
            if not is_state(group):
                return group
    return e


def _in(seg: Segment, m: EntityMention) -> bool:
    return seg.lo <= m.start < seg.hi


def _after_word(s: AnalysedSentence, m: EntityMention, words: frozenset[str], gap: int = 2) -> bool:
    lo = max(0, m.start - gap)
    return any(t in words for t in s.lower[lo:m.start])


def assign(s: AnalysedSentence, seg: Segment, head: int, lo: int, hi: int, passive: bool,
           entities: list[EntityMention], resolve: dict[str, Entity],
           relative: Segment | None = None, verb_lo: int | None = None) -> Roles:
    """Roles of a use-of-force mention whose trigger spans tokens lo..hi (head inside). ``relative``
    is a relative clause after the trigger's noun ("that Washington blamed on X"), read for blame."""
    lower = s.lower
    ents = [m for m in entities if _in(seg, m)]
    if relative is not None:
        for m in entities:
            if _in(relative, m) and not is_place(m, s) and (
                    ("blamed" in lower[max(0, m.start - 4):m.start] and "on" in lower[max(0, m.start - 2):m.start])
                    or lower[m.end:m.end + 2] in (
                        ["was", "blamed"], ["were", "blamed"], ["claimed", "responsibility"])
                    or "claimed" in lower[max(relative.lo, m.start - 6):m.start]):
                ents.append(m)
    actors = [m for m in ents if is_actor(m, s)]
    actor: list[EntityMention] = []
    target: list[EntityMention] = []
    agent = False
    verb_trigger = lower[lo] in _VERB_TRIGGERS and not (lo > 0 and lower[lo - 1] in ("a", "an", "the"))

    # 1. Agent phrases: "by X" after the trigger, claims and blame anywhere in the clause.
    for m in actors:
        k = m.start - 1
        while k > hi and lower[k] not in ("by",) and m.start - k <= 5:
            k -= 1
        between = lower[k + 1:m.start]
        if m.start >= hi and lower[k] == "by" and lower[k - 1] not in _NOT_AGENT and not _after_word(
                s, m, frozenset({"backed", "supported", "led", "funded", "-"}), gap=1) and not any(
                w.endswith("ing") and w not in ("calling", "using", "naming") for w in between):  # "by bombing PMF targets"
            actor, agent = [m], True
            break
    if not actor:
        for m in actors:
            pre = lower[max(0, m.start - 3):m.start]
            post = lower[m.end:m.end + 3]
            if any(w in _BLAME for w in pre) and m.start < lo or ("on" in pre and any(w in _BLAME for w in pre)):
                actor, agent = [m], True
                break
            if any(w in _CLAIM for w in post) or post[:2] in (["was", "blamed"], ["were", "blamed"]):
                actor, agent = [m], True
                break
    # 2. A modifier right before the trigger: "US airstrikes", "Washington's strikes", "American killing".
    if not actor:
        for m in actors:
            if m.end <= lo and lo - m.end <= 3 and not _after_word(s, m, _OBJECT_PREPS | {"of"}, gap=1) \
                    and not owner(m, s):
                between = lower[m.end:lo]
                if (between[:1] in (["'s"], ["’s"])) or all(
                        w in ("'s", "’s", "-", "led", "drone", "air", "military", "jets", "forces", "f-15",
                              "f-16", "precision", "retaliatory", "defensive", "new") or w.isdigit()
                        for w in between):
                    actor = [m]
                    break
    # 2b. The subject of a light verb whose object is the trigger noun: "Saudi coalition jets carried
    # out an airstrike", "Biden ordered airstrikes", "US forces had conducted precision strikes".
    if not actor:
        light = [k for k in range(seg.lo, lo) if lower[k] in _LIGHT_VERBS and lo - k <= 6]
        if light:
            subject = [m for m in actors if m.end <= light[-1] and _not_speaker(lower, m.end, light[-1])]
            if subject:
                actor = [subject[-1]]
    # 3. Subject of an active verb trigger / object of a passive one.
    left = [m for m in actors if m.end <= lo and not _after_word(s, m, _OBJECT_PREPS | _LOCATIVE, gap=1)
            and _not_speaker(lower, m.end, lo) and not owner(m, s)]
    if not left and lower[seg.lo] in ("which", "who") and seg.lo >= 2:
        # "Washington, which is slowly reducing its troops": the antecedent is the subject.
        left = [m for m in entities if m.end in (seg.lo, seg.lo - 1) and is_actor(m, s)][-1:]
    right = [m for m in actors if m.start >= hi]
    if passive:
        if left and not target:
            target = [left[-1]]
    elif not actor and left and (verb_trigger or lower[head] not in (
            "attack", "attacks", "strike", "strikes", "airstrike", "airstrikes", "raid", "raids", "barrage", "blast")):
        actor = [left[-1]]
    # A participle before the noun ("the two targeted in the US raid"): what precedes it was hit.
    if verb_lo is not None and not target:
        before = [m for m in actors if m.end <= verb_lo and m not in actor]
        if before:
            target = [before[-1]]
            k = actors.index(before[-1])
            while k > 0 and lower[actors[k - 1].end:actors[k].start] in (["and"], [",", "and"], [","]):
                target.insert(0, actors[k - 1])
                k -= 1
    # "X killed Y in a drone strike": the clause's subject acts on its object, the noun names how.
    if not actor and not target and (lower[lo - 1:lo] == ["in"] or lower[max(0, lo - 2):lo] in (
            ["in", "a"], ["in", "an"])):
        governed = [m for m in actors if m.end <= lo]
        verbs = [k for k in range(seg.lo, lo) if lower[k] in _GOVERNING_VERBS]
        if governed and verbs and governed[0].end <= verbs[0]:
            if lower[verbs[0] - 1] in ("was", "were", "been", "being", "is", "are"):
                target = [governed[0]]  # "X was killed ... in a drone strike": X is the victim
            else:
                actor = [governed[0]]
                # "killed Tehran's military mastermind Qassem Soleimani": the possessor is not hit.
                target = [m for m in governed if m.start > verbs[0] and lower[m.end:m.end + 1] not in (
                    ["'s"], ["’s"])][:2]
    # 4. Objects: "on/against/targeting X", facilities "used by X", victims ("injuring 5 U.S. personnel"),
    # or the first actor-entity after a verb.
    if not target:
        victims = ents + ([m for m in entities if _in(relative, m)] if relative is not None else [])
        for m in victims:
            before = lower[max(seg.lo, m.start - 5):m.start]
            after = lower[m.end:m.end + 3]
            hit = any(w in _CASUALTY_VERBS for w in before) or (
                any(w in _DIED for w in after) and (_in(seg, m) or (relative is not None and _in(relative, m))))
            if is_actor(m, s) and m not in actor and hit and not any(w in _BLAME for w in before):
                target = [m]
                break
    if not target:
        for m in right:
            if lower[max(0, m.start - 3):m.start][-2:] in (["used", "by"], ["operated", "by"], ["belonging", "to"],
                                                           ["linked", "to"], ["run", "by"], ["owned", "by"]):
                target = [m]
                break
    if not target:
        for m in right:
            if m in actor:
                continue
            gap = lower[hi:m.start]
            noun_trigger = lower[head] in _FORCE_NOUNS or lower[head].endswith("strikes")
            prep = [i for i, w in enumerate(gap) if w in _OBJECT_PREPS]
            if len(gap) <= 9 and ((prep and len(gap) - prep[-1] <= 3) or (
                    len(gap) <= 3 and not noun_trigger and "," not in gap)):
                target = [m]
                # Coordinated objects: "KH and KSS", "the IRGC and affiliated militias".
                k = right.index(m)
                for m2 in right[k + 1:]:
                    if lower[target[-1].end:m2.start] in (["and"], [",", "and"], [","], ["or"]):
                        target.append(m2)
                break
    # A target on the left of a noun trigger: "the Erbil attack" is a place; "Iran's strikes" an actor.
    # "the Erbil attack" places another event: a place right before a force noun is not this one's.
    places = [m for m in ents if is_place(m, s) and not (
        m.end < len(lower) and lower[m.end] in _FORCE_NOUNS and not lo <= m.end < hi) and not _reference_point(lower, m)]
    location = _best_place(places)
    countries: list[str] = []
    for m in places:
        c = m.entity.name if (m.entity.type in ("country",) or (m.entity.type == "state"
                                                                 and m.entity.country == m.entity.name)) else None
        if c and c not in countries:
            countries.append(c)
    if location is not None and location.entity.country and location.entity.country not in countries:
        countries.insert(0, location.entity.country)
    target = [m for m in target if not official(m.entity, resolve)]
    return Roles(
        actor=[actor_entity(m.entity, resolve) for m in actor],
        target=[target_entity(m.entity, resolve) for m in target],
        location=location.entity if location else None,
        countries=countries,
        agent=agent,
    )


_DIRECTIONS = frozenset("north south east west northeast northwest southeast southwest northern southern "
                        "eastern western outside".split())


def _reference_point(lower: list[str], m: EntityMention) -> bool:
    """"south of Baghdad", "30 miles west of the city": a landmark to measure from, not the place."""
    return m.start >= 2 and lower[m.start - 1] == "of" and lower[m.start - 2] in _DIRECTIONS


def _not_speaker(lower: list[str], end: int, lo: int) -> bool:
    """An entity is the subject of the trigger, not the speaker reporting it: no verb of saying stands
    between them, unless the speaker's own fighters act ("X said its fighters launched drones")."""
    between = lower[end:lo]
    if not any(w in _REPORTING for w in between):
        return True
    # "X said its fighters launched", "X said it had sent a drone": the speaker acts.
    k = max(i for i, w in enumerate(between) if w in _REPORTING)
    return any(w in _OWN_FORCES or w in ("it", "they") for w in between[k + 1:k + 3])


def _best_place(places: list[EntityMention]) -> EntityMention | None:
    best: EntityMention | None = None
    best_rank = 0
    for m in places:
        rank = PLACE_RANK.get(m.entity.type, 0)
        if rank > best_rank:
            best, best_rank = m, rank
    return best


def speaker(s: AnalysedSentence, entities: list[EntityMention], resolve: dict[str, Entity]) -> Entity | None:
    """Who a statement is from: "a spokesman for Kataib Hezbollah said", "KH spokesman X told Reuters"."""
    lower = s.lower
    for m in entities:
        pre = lower[max(0, m.start - 3):m.start]
        post = lower[m.end:m.end + 2]
        if any(w in ("spokesman", "spokesperson", "spokeswoman", "leader", "commander", "official", "officials",
                     "secretary-general", "chief", "head") for w in pre + post) and not m.entity.is_place:
            return actor_entity(m.entity, resolve)
    return None
