"""Whether a spelling may be given to an entity of the user's gazetteer: the check that keeps
curation from merging two different entities.

A spelling is refused when a lookup would already take it for another entity: the same text (as
written for abbreviations, case-folded otherwise), the same transliteration key with a compatible
spelling, or a country or city of the world gazetteer (GeoNames) that is not the entity itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from trucewatch.models import Entity
from trucewatch.resolve.gazetteer_file import CurationError
from trucewatch.resolve.names import Gazetteer, is_case_sensitive, plain_key, same_spelling_family, translit_key


def refuse_conflicts(gazetteer: Gazetteer, spellings: Sequence[str], allowed: set[str],
                      target: Entity | None = None) -> None:
    """Refuse a spelling that the gazetteer would already take for an entity not in ``allowed``:
    the same text (as written for abbreviations, case-folded otherwise) or the same transliteration
    key with a compatible spelling, i.e. what a lookup would match before any fuzzy step; or a
    country or city of the world gazetteer that is not ``target`` itself (see :func:`_world_match`)."""
    wanted = [(s, is_case_sensitive(s), s.casefold(), translit_key(s)) for s in spellings]
    for surface, entity, case_sensitive in gazetteer.surface_forms():
        if entity.id in allowed:
            continue
        folded, key = surface.casefold(), translit_key(surface)
        for spelling, abbreviation, spelling_folded, spelling_key in wanted:
            if case_sensitive or abbreviation:
                same = spelling == surface
            else:
                same = spelling_folded == folded or (
                    spelling_key == key and same_spelling_family(spelling, surface))
            if same:
                raise CurationError(f"{spelling!r} already names {entity.name} ({entity.id})")
    for spelling in spellings:
        place = _world_match(gazetteer, spelling, target)
        if place is not None and place.id not in allowed and not _same_place(gazetteer, place, target):
            kind = "the country" if place.type == "country" else f"the {place.type}"
            where = f" of {place.country}" if place.country and place.type != "country" else ""
            raise CurationError(f"{spelling!r} already names {kind} {place.name}{where} ({place.id}) in the world "
                                "gazetteer")


def _world_match(gazetteer: Gazetteer, spelling: str, target: Entity | None) -> Entity | None:
    """The world country or city a spelling would be read as: a country by name, alias or adjective;
    a city big enough to be meant from anywhere; or any place of that name in the target's country."""
    world = gazetteer.world
    found = world.country(spelling) or world.city(spelling)
    if found is None and target is not None and target.country:
        found = world.city(spelling, target.country, strict=True)
    return found


def _same_place(gazetteer: Gazetteer, place: Entity, target: Entity | None) -> bool:
    """Whether a world country or city is the target itself under another record: a state and its
    country; a gazetteer city and the GeoNames town of the same name, or within 25 km, in its country."""
    if target is None:
        return False
    if place.type == "country":
        if target.type not in ("state", "country"):
            return False
        own = gazetteer.world.country(target.country or target.name)
        return own is not None and own.id == place.id
    if not target.is_place or (target.country and place.country and target.country != place.country):
        return False
    if plain_key(target.name) == plain_key(place.name):
        return True
    if None not in (target.lat, target.lon, place.lat, place.lon):
        return _km(target.lat, target.lon, place.lat, place.lon) <= 25.0  # type: ignore[arg-type]
    return False


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))
