"""Provisional entities: what an unknown capitalised name probably is, from the words around it.

A name the gazetteer lacks ("a group naming itself Liwa al-Fajr", "the Gwer camp") is kept as a
provisional entity for curation (``trucewatch entities list --new``), typed by the cue words in it or
next to it: "brigade", "movement", "battalions" make an armed group; "base", "airport", "camp" a
military base; "province" a province; "city", "town", "village" a city.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from trucewatch.models import Entity
from trucewatch.resolve.spelling_keys import slug

# First words of Arabic group names ("Saraya al-Fajr al-Jadid", "Liwa Abu al-Fadl al-Abbas"): "companies",
# "brigades", "banner", "movement", "league", "army", "front", "partisans", "forces", "regiments".
ARABIC_GROUP_HEADS = frozenset("saraya sarayat kataib katibat liwa alwiya harakat haraka asaib jaish jaysh jabhat "
                               "ansar quwat firqat tashkil ashab".split())
# Words around an unknown name that say what it is, most specific first.
_TYPE_CUES: tuple[tuple[str, frozenset[str]], ...] = (
    ("military base", frozenset({"base", "bases", "airbase", "airport", "airfield", "camp", "garrison", "outpost"})),
    ("province", frozenset({"province", "governorate", "provinces"})),
    ("city", frozenset({"city", "town", "village", "subdistrict", "camp"})),
    ("facility", frozenset({"embassy", "consulate", "compound", "oilfield", "plant", "refinery", "port", "bridge",
                            "hospital", "school", "market", "mosque", "church", "hotel", "prison", "checkpoint",
                            "square", "street", "road", "roundabout", "station", "university", "stadium"})),
    ("district", frozenset({"district", "neighbourhood", "neighborhood", "quarter", "suburb"})),
    ("region", frozenset({"region", "oblast", "state", "county", "governorate", "prefecture"})),
    ("armed group", frozenset({"brigade", "brigades", "battalion", "battalions", "movement", "group", "militia",
                               "faction", "front", "army", "companies", "resistance", "fighters"})
     | ARABIC_GROUP_HEADS),
)
_PROVISIONAL_WINDOW = 3  # words either side of the name that are read for a cue


def describes_groups(e: Entity) -> bool:
    """A description standing for unnamed groups ("Iran-backed militias"), not one group's name."""
    return e.name.lower().endswith(("militias", "groups", "factions"))


def provisional_entity(surface: str, context: str) -> Entity:
    """An entity for an unknown capitalised name met in the sentence ``context``, marked provisional."""
    name = re.sub(r"^(?:the)\s+", "", surface.strip(" \t\n.,;:'\"()"), flags=re.IGNORECASE)
    own_words = [w.casefold() for w in re.findall(r"[^\W\d_]+", name)]
    entity_type = _cue_type(own_words) or _cue_type(_neighbours(name, context)) or "unknown"
    return Entity(id=f"provisional-{slug(name)}", name=name, type=entity_type, provisional=True)


def _cue_type(words: Sequence[str]) -> str | None:
    for entity_type, cues in _TYPE_CUES:
        if any(w in cues for w in words):
            return entity_type
    return None


def _neighbours(name: str, context: str) -> list[str]:
    """The words just before and after the name in its sentence, nearest first."""
    at = context.find(name)
    if at < 0:
        return []
    before = re.findall(r"[^\W\d_]+", context[:at].casefold())[-_PROVISIONAL_WINDOW:]
    after = re.findall(r"[^\W\d_]+", context[at + len(name):].casefold())[:_PROVISIONAL_WINDOW]
    nearest: list[str] = []
    for i in range(_PROVISIONAL_WINDOW):
        if i < len(after):
            nearest.append(after[i])
        if i < len(before):
            nearest.append(before[-1 - i])
    return nearest
