"""Within one report, which mentions tell the same occurrence, and how their details combine.

Two mentions are one event when their type, date, parties, place and mode are compatible; the
merged event keeps the first mention's evidence and takes the most specific date and place. A
back-reference ("the attack", "the truce") joins the latest event of its kind told before it.
"""

from __future__ import annotations

import datetime as dt

from trucewatch.extract.drafts import Draft, family
from trucewatch.extract.roles import PLACE_RANK, is_state, related
from trucewatch.models import Entity, Event


def dates_ok(ea: Event, eb: Event) -> bool:
    """Dates that can be one event's: equal or one a prefix of the other; a reporting date is weak.
    A truce is announced over days ("on Saturday ... a statement", "said on Sunday"): three days' slack."""
    if not ea.date or not eb.date or "reporting" in (ea.date_source, eb.date_source):
        return True
    # A narrative date is a guess at the day: it binds only its month.
    da = ea.date[:7] if ea.date_source == "narrative" else ea.date
    db = eb.date[:7] if eb.date_source == "narrative" else eb.date
    if da.startswith(db) or db.startswith(da):
        return True
    if ea.type in ("ceasefire", "ceasefire_end") and len(ea.date) == len(eb.date) == 10:
        return abs((dt.date.fromisoformat(ea.date) - dt.date.fromisoformat(eb.date)).days) <= 3
    return False


def compatibility(a: Draft, b: Draft) -> int:
    """-1 when two drafts cannot be one event, else how much they share."""
    ea, eb = a.event, b.event
    # Attack or strike is decided from the actor: without one on either side the type is a guess.
    same_kind = ea.type == eb.type
    if not same_kind or not dates_ok(ea, eb):
        return -1
    score = 0
    if ea.date and eb.date:
        score += 1
    if ea.type in ("ceasefire", "ceasefire_end"):
        if a.local != b.local:
            return -1  # a town's own truce is not the national one
        # The sides of a truce are unordered: one shared party is enough.
        pa, pb = a.actors + a.targets, b.actors + b.targets
        if pa and pb and not any(related(x, y) for x in pa for y in pb):
            return -1
        return score + 1
    for xa, xb in ((a.actors, b.actors), (a.targets, b.targets)):
        if xa and xb:
            if not any(related(x, y) for x in xa for y in xb):
                return -1
            score += 2
    if a.location and b.location:
        if not places_compatible(a.location, b.location):
            return -1
        score += 2
    if not modes_ok(ea, eb):
        return -1
    for fa, fb in ((ea.killed, eb.killed), (ea.injured, eb.injured)):
        if fa is not None and fb is not None and fa != fb and ea.sentence != eb.sentence:
            score -= 1
    return score


def modes_ok(ea: Event, eb: Event) -> bool:
    """Rockets and drones are two attacks; an air raid and an airstrike are one."""
    if not ea.mode or not eb.mode or "unknown" in (ea.mode, eb.mode) or ea.mode == eb.mode:
        return True
    return {ea.mode, eb.mode} == {"airstrike", "raid"}


def generic_party(e: Entity) -> bool:
    return e.name.lower().endswith(("militias", "groups", "factions"))


def places_compatible(a: Entity, b: Entity) -> bool:
    """Same place, one inside the other's name ("Erbil" and "Erbil International Airport"), or one
    a whole province or region (a coarse description of where the other is)."""
    if a.id == b.id or min(PLACE_RANK.get(a.type, 0), PLACE_RANK.get(b.type, 0)) <= 1:
        return True
    na, nb = a.name.lower(), b.name.lower()
    if na in nb or nb in na:
        return True
    return bool(a.province and a.province == b.province and a.country == b.country
                and PLACE_RANK.get(a.type, 0) != PLACE_RANK.get(b.type, 0))


def absorb(into: Draft, d: Draft, soft: bool = False) -> None:
    """Merge a mention into an event: fill what it lacks, sharpen date and place. A ``soft`` merge (a
    back-reference) adds no actor or target, which in such sentences are often the commentators."""
    a, b = into.event, d.event
    if d.event.sentence < a.sentence and not d.weak and not soft:
        a.evidence, a.sentence, a.start, a.end, a.trigger = b.evidence, b.sentence, b.start, b.end, b.trigger
    a.mentions = sorted(set(a.mentions + [a.sentence, b.sentence]))
    # A statement (truce, threat, demand) is dated when it was made: the lede's "said on Sunday" stands.
    weak_a = a.date_source in ("inferred", None) or (
        a.date_source == "reporting" and family(a.type) in ("force", "troop_change"))
    if b.date and (not a.date or (len(b.date) > len(a.date) and b.date.startswith(a.date))
                   or (weak_a and b.date_source in ("stated", "sentence") and len(b.date) >= len(a.date))):
        a.date, a.date_source = b.date, b.date_source
    if not into.actors and (not soft or d.agent):
        into.actors = d.actors
        if d.actors and family(a.type) == "force":
            a.type = b.type
    elif d.actors and all(generic_party(x) for x in into.actors) \
            and not any(generic_party(x) or is_state(x) for x in d.actors) and (
                a.type not in ("ceasefire", "ceasefire_end") or _AGREEING & set(b.evidence.lower().split())):
        # "Iran-backed militias agreed ..." then "the Coordination Committee reached the agreement":
        # the named body replaces the description.
        into.actors = d.actors
    if not into.targets and not soft:
        into.targets = d.targets
        if a.type in ("ceasefire", "ceasefire_end"):
            # "Israel signed off on the ceasefire" + "a ceasefire deal between Israel and Hamas": the
            # other side is whichever of the mention's sides the event does not have yet.
            into.targets = [x for x in d.targets + d.actors if not any(related(x, o) for o in into.actors)]
    elif d.targets and into.targets and all(generic_party(x) for x in into.targets) and not any(
            generic_party(x) for x in d.targets):
        # "strikes against Iran-backed militias" + "facilities used by KH and KSS": the named groups.
        into.targets = d.targets
    if d.location and (into.location is None or PLACE_RANK.get(d.location.type, 0) > PLACE_RANK.get(
            into.location.type, 0)):
        into.location = d.location
    if a.mode in (None, "unknown") and b.mode not in (None, "unknown"):
        a.mode = b.mode
    if a.killed is None:
        a.killed = b.killed
    if a.injured is None:
        a.injured = b.injured
    if b.country:
        parts = [p for p in (a.country or "").split("; ") if p]
        for p in b.country.split("; "):
            if p not in parts:
                parts.append(p)
        a.country = "; ".join(parts)
    for f in ("conditions", "mediators"):
        va, vb = getattr(a, f), getattr(b, f)
        if vb:
            merged = list(va or [])
            merged += [x for x in vb if x not in merged]
            setattr(a, f, merged)


_AGREEING = frozenset("agreed reached announced declared offered presented suspended halted brokered signed "
                      "accepted concluded".split())
