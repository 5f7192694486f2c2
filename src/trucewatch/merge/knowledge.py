"""What the gazetteer knows, as coreference asks it: how two actors or two places relate.

Places: the same, one within the other (a base in its city or province, via the gazetteer's
province, country and coordinates), near (a town and a base close by) or different. Actors: the
same entity, related (member, part, sponsor, front or splinter) or other.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal, TypeVar

from trucewatch.models import Entity
from trucewatch.resolve.kinds import PLACE_RANK, related
from trucewatch.resolve.names import Gazetteer, plain_words

PlaceRelation = Literal["same", "within", "near", "different", "unknown"]
ActorRelation = Literal["same", "related", "other"]

# A place within this distance of a city is in it (Baghdad airport, the Green Zone, a neighbourhood).
CITY_KM = 30.0
# A town and a base this close are plausibly where a rocket was fired from and where it fell.
NEAR_KM = 75.0

R = TypeVar("R")


def _symmetric(memo: dict[tuple[str, str], R], a: str, b: str, relation: Callable[[str, str], R]) -> R:
    """A relation between two names, worked out once per pair whichever way round it is asked."""
    key = (a, b) if a <= b else (b, a)
    if key not in memo:
        memo[key] = relation(*key)
    return memo[key]

class Knowledge:
    """Names -> entities, and how two actors or two places relate, with answers cached (the same
    few hundred names come back in every report)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._entities: dict[tuple[str, str], Entity | None] = {}
        self._actors: dict[tuple[str, str], ActorRelation] = {}
        self._places: dict[tuple[str, str], PlaceRelation] = {}

    def entity(self, name: str, kind: Literal["actor", "place"]) -> Entity | None:
        key = (name, kind)
        if key not in self._entities:
            found = self.gazetteer.by_name(name)
            if found is None or found.is_place != (kind == "place"):
                found = self.gazetteer.lookup(name, kind=kind)
            self._entities[key] = found
        return self._entities[key]

    def actor_relation(self, a: str, b: str) -> ActorRelation:
        """same (one entity), related (member, part, sponsor, front or splinter), or other."""
        return _symmetric(self._actors, a, b, self._actor_relation)

    def _actor_relation(self, a: str, b: str) -> ActorRelation:
        if a.casefold() == b.casefold():
            return "same"
        ea, eb = self.entity(a, "actor"), self.entity(b, "actor")
        if ea is None or eb is None:
            return "other"
        if ea.id == eb.id:
            return "same"
        if related(ea, eb) or _linked(ea, eb) or _linked(eb, ea):
            return "related"
        return "other"

    def place_relation(self, a: str, b: str) -> PlaceRelation:
        """same; within (one contains the other); near (a town and a base close by); different;
        unknown when a name is not in the gazetteer and the names do not contain each other."""
        return _symmetric(self._places, a, b, self._place_relation)

    def _place_relation(self, a: str, b: str) -> PlaceRelation:
        if a.casefold() == b.casefold():
            return "same"
        ea, eb = self.entity(a, "place"), self.entity(b, "place")
        if ea is None or eb is None:
            return "within" if _name_inside(a, b) or _name_inside(b, a) else "unknown"
        if ea.id == eb.id:
            return "same"
        if place_rank(ea) > place_rank(eb):
            ea, eb = eb, ea
        if _contains(ea, eb) or (place_rank(ea) == place_rank(eb) and _contains(eb, ea)):
            return "within"
        km = distance_km(ea, eb)
        if place_rank(ea) != place_rank(eb) and km is not None and km <= NEAR_KM:
            return "near"
        return "different"

    def place_rank(self, name: str) -> int:
        entity = self.entity(name, "place")
        return place_rank(entity) if entity is not None else 0

    def contains(self, outer: str, inner: str) -> bool:
        """Whether the place ``outer`` contains the place ``inner`` (Baghdad contains Mashtal)."""
        ea, eb = self.entity(outer, "place"), self.entity(inner, "place")
        if ea is None or eb is None:
            return _name_inside(outer, inner)
        return ea.id != eb.id and place_rank(ea) <= place_rank(eb) and _contains(ea, eb)


def place_rank(e: Entity) -> int:
    """0 country, 1 province or region, 2 city, 3 district, 4 base or facility."""
    return PLACE_RANK.get(e.type, 0)


def _linked(a: Entity, b: Entity) -> bool:
    """A front or splinter of the other (Saraya Awliya al-Dam, a front for the larger factions)."""
    return any(r.get("target") == b.id for r in a.relations if r.get("type") in ("front_for", "splinter_of"))


def _name_inside(short: str, long: str) -> bool:
    """'Erbil' inside 'Erbil International Airport': every word of one name in the other."""
    ws, wl = plain_words(short), plain_words(long)
    return bool(ws) and len(ws) < len(wl) and all(w in wl for w in ws)


def _contains(coarse: Entity, fine: Entity) -> bool:
    """Whether the coarser place (by rank) contains the finer one: a country or a province what lies
    in it; a city the bases, facilities and districts of its province within ``CITY_KM`` (and a
    neighbourhood filed as a city); a base or facility nothing but places named after it."""
    if coarse.type in ("country", "state"):
        return (fine.country or "") == (coarse.country or coarse.name)
    if fine.country and coarse.country and fine.country != coarse.country:
        return False
    if place_rank(coarse) == 1:  # a province or region
        return _same_name(fine.province, coarse.name) or _name_inside(coarse.name, fine.name)
    if _name_inside(coarse.name, fine.name):
        return True
    if place_rank(coarse) != 2 or not fine.province or fine.province != coarse.province:
        return False
    km = distance_km(coarse, fine)
    if km is not None:
        return km <= CITY_KM
    # No coordinates: a place of the province is in its capital city only when the city is the
    # province's namesake (Mashtal in Baghdad) or when the finer place is a base or a district.
    return _same_name(coarse.province, coarse.name) or place_rank(fine) > place_rank(coarse)


def _same_name(a: str | None, b: str | None) -> bool:
    return bool(a and b) and plain_words(a or "") == plain_words(b or "")


def distance_km(a: Entity, b: Entity) -> float | None:
    """Great-circle distance, or None when either place has no coordinates."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    la, lb = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lb - la, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(la) * math.cos(lb) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))
