"""What kind of party an entity is: a state (or a coalition of state militaries), and how two entities are
related (one part of, member of, or a coalition led by the other). Used wherever the schema's distinction
matters: an attack is by a non-state armed group, a strike by a state's military."""

from __future__ import annotations

from trucewatch.models import Entity

STATE_TYPES = frozenset({"state", "state force", "country"})
# How specific a place is: a base over a district over a city over a province.
PLACE_RANK = {"military base": 4, "facility": 4, "district": 3, "city": 2, "region": 1, "province": 1}


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
