"""Curation: what the ledger has seen, and the user's gazetteer file that teaches it new names.

Reports on a conflict the shipped gazetteer does not know name groups and places it has never seen;
the extractor keeps such names as provisional entities instead of dropping them. Curation closes
the loop: :func:`listed_entities` lists the entities the stored reports mention (provisional ones with
``new=True``, less those curation has since resolved: :func:`resolved_by_curation`) with the
spellings met, for the CLI and the web alike, and :func:`add_entity`, :func:`add_aliases`, :func:`remove_aliases` and
:func:`merge_entity` write the user's gazetteer file, which the next ingest loads on top of the
shipped one (:func:`load_gazetteer`).

The user's file is the one given explicitly, else the ``gazetteer`` setting, else
``trucewatch-gazetteer.yaml`` in the working directory (:func:`user_gazetteer_path`). It has the
format of ``data/entities.yaml``. Every write is checked before it is made, because the gazetteer's
promise is never to merge two different entities:

* a spelling that already names another entity (as written, case-folded, or on its transliteration
  key, the gazetteer's own test of "the same name") is refused, naming that entity; so is one that
  names a country or a city of the world gazetteer other than the entity itself ("Aleppo" given to
  Damascus would move every Aleppo event to Damascus at the next ``reextract``);
* an unknown entity, an unknown type or country, or coordinates that are out of range or given to
  something that is not a place are refused;
* the file that results must load (:meth:`Gazetteer.load`) before it replaces the old one, and it
  replaces it atomically, so a failed or interrupted command leaves the old file as it was.

The file is read and written by :mod:`~trucewatch.resolve.gazetteer_file` (a stable layout, its
leading comment block kept), and every spelling is checked by :mod:`~trucewatch.resolve.spellings`.
A user who deliberately wants a spelling of a shipped entity to name their own record (the
gazetteer lets a user record win a shared spelling) edits the file by hand.

Curation changes how reports are read from the next ingest on; reports already stored keep the
entities they were read with.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trucewatch import config
from trucewatch.models import PLACE_TYPES, Entity
from trucewatch.resolve.gazetteer_file import CurationError, UserFile
from trucewatch.resolve.names import ENTITY_TYPES, Gazetteer, fold_ascii, is_case_sensitive
from trucewatch.resolve.spellings import refuse_conflicts
from trucewatch.store import Store

__all__ = ["DEFAULT_USER_GAZETTEER", "UNTYPED", "CurationError", "Edit", "Listing", "SeenEntity", "add_aliases",
           "add_entity", "check_listing", "listed_entities", "load_gazetteer", "merge_entity", "remove_aliases",
           "resolved_by_curation", "seen_entities", "user_gazetteer_path"]

DEFAULT_USER_GAZETTEER = "trucewatch-gazetteer.yaml"
# Provisional entities the extractor could not type from the words around them.
UNTYPED = "unknown"


@dataclass(frozen=True)
class SeenEntity:
    """An entity the stored reports mention: how often, and each spelling with its own count
    (most frequent first), so that a curator sees at once which names resolved to it."""

    entity: Entity
    mentions: int
    spellings: list[tuple[str, int]]


@dataclass(frozen=True)
class Edit:
    """What a write did: the file, the entity as the gazetteer now has it, and the spellings added
    (empty when every one was already there: re-running a command changes nothing) or removed."""

    path: Path
    entity: Entity
    added: list[str]
    removed: list[str] = field(default_factory=list)


# --- which file -------------------------------------------------------------------------------


def user_gazetteer_path(explicit: str | Path | None = None) -> Path:
    """The user's gazetteer file: ``explicit``, else the ``gazetteer`` setting
    (``$TRUCEWATCH_GAZETTEER``), else ``trucewatch-gazetteer.yaml`` in the working directory."""
    if explicit:
        return Path(explicit)
    configured = config.get("gazetteer")
    return Path(str(configured)) if configured else Path(DEFAULT_USER_GAZETTEER)


def load_gazetteer(explicit: str | Path | None = None) -> Gazetteer:
    """The gazetteer an ingest reads with: shipped entities plus the user's file.

    A file named explicitly or by the setting must exist (a mistyped path is an error, not a
    silently smaller gazetteer); the default file is used when it exists, so that what
    ``trucewatch entities add|alias|merge`` wrote is used by the next ingest without any option.
    """
    path = user_gazetteer_path(explicit)
    named = bool(explicit) or bool(config.get("gazetteer"))
    return Gazetteer.load(extra=[path] if named or path.is_file() else [])


# --- listing ----------------------------------------------------------------------------------


def seen_entities(
    store: Store, *, new: bool = False, type: str | None = None, limit: int | None = None,
    exclude: Collection[str] = (),
) -> list[SeenEntity]:
    """Entities mentioned in the stored reports, most mentioned first: only provisional ones with
    ``new`` (names awaiting curation), only those of one entity type with ``type``, none of the ids
    in ``exclude`` (what :func:`resolved_by_curation` found)."""
    check_listing(type, limit)
    rows = store.entity_summaries(provisional=new, type=type)
    seen = [SeenEntity(entity, sum(n for _, n in spellings), spellings) for entity, spellings in rows
            if entity.id not in exclude]
    return seen[:limit] if limit is not None else seen


@dataclass(frozen=True)
class Listing:
    """What an entity listing shows: the entities, and (with ``new``) the provisional ones it left
    out because the user's gazetteer file now names them (provisional id -> that entity)."""

    entities: list[SeenEntity]
    resolved: dict[str, Entity]


def listed_entities(
    store: Store, *, new: bool = False, type: str | None = None, limit: int | None = None,
    gazetteer: str | Path | None = None,
) -> Listing:
    """What ``trucewatch entities list`` and the web's entities page and API show: the entities of
    :func:`seen_entities`; with ``new``, the provisional ones that still await curation, leaving out
    those the user's gazetteer file (``gazetteer``, found as :func:`user_gazetteer_path` finds it)
    now names (:func:`resolved_by_curation`)."""
    check_listing(type, limit)
    resolved = resolved_by_curation(store, user_gazetteer_path(gazetteer)) if new else {}
    return Listing(seen_entities(store, new=new, type=type, limit=limit, exclude=resolved), resolved)


def check_listing(type: str | None, limit: int | None) -> None:
    """Refuse an unknown entity type or a limit below one (before any database is opened)."""
    if type is not None and type not in ENTITY_TYPES and type != UNTYPED:
        raise CurationError(f"unknown entity type {type!r}; choose one of {', '.join(_type_choices())}")
    if limit is not None and limit < 1:
        raise CurationError(f"limit must be a positive number, not {limit}")


def resolved_by_curation(store: Store, path: str | Path) -> dict[str, Entity]:
    """The provisional entities of the ledger that the user's gazetteer file now names: provisional
    id -> the entity of the file one of its spellings resolves to (exactly, by case or by
    transliteration key; never by a fuzzy guess). Their reports keep the provisional entity until
    ``reextract`` reads them again, but they await no more curation."""
    user = UserFile.read(Path(path))
    curated = {str(r["id"]) for r in user.records}
    if not curated:
        return {}
    resolved: dict[str, Entity] = {}
    for row in seen_entities(store, new=True):
        for spelling in dict.fromkeys([row.entity.name, *(s for s, _ in row.spellings)]):
            found = user.gazetteer.lookup(spelling, fuzzy=False)
            if found is not None and not found.provisional and found.id in curated:
                resolved[row.entity.id] = found
                break
    return resolved


# --- writing ----------------------------------------------------------------------------------


def add_entity(
    path: str | Path,
    name: str,
    type: str,
    *,
    aliases: Sequence[str] = (),
    country: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    entity_id: str | None = None,
) -> Edit:
    """Add a new entity to the user's gazetteer file (created if absent).

    The id defaults to the name as a slug ("Blue Nile Vanguard Brigade" -> blue-nile-vanguard-brigade);
    ``country`` may be a name, adjective or ISO code and is stored as the ledger's country name.
    Refused: an id that exists, an unknown type or country, a name or alias that already names
    another entity, coordinates that are incomplete, out of range or given to a non-place.
    """
    name = name.strip()
    if not name:
        raise CurationError("an entity needs a name")
    if type not in ENTITY_TYPES:
        raise CurationError(f"unknown entity type {type!r}; choose one of {', '.join(sorted(ENTITY_TYPES))}")
    user = UserFile.read(Path(path))
    gazetteer = user.gazetteer
    new_id = entity_id.strip() if entity_id else _slug(name)
    if not new_id:
        raise CurationError(f"cannot make an id from {name!r}: give one with --id")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", new_id):
        raise CurationError(f"entity id {new_id!r}: use lower-case letters, digits and hyphens")
    if new_id in gazetteer.entities or gazetteer.world.by_id(new_id) is not None:
        raise CurationError(f"entity id {new_id!r} already exists; add spellings with `trucewatch entities alias`")
    record: dict[str, Any] = {"id": new_id, "name": name, "type": type}
    spellings = _unique([name, *aliases])
    if country is not None:
        record["country"] = _country(gazetteer, country)
    record.update(_coordinates(type, lat, lon))
    new = Entity(id=new_id, name=name, type=type, country=record.get("country"), lat=record.get("lat"),
                 lon=record.get("lon"))
    refuse_conflicts(gazetteer, spellings, allowed={new_id}, target=new)
    if len(spellings) > 1:
        record["aliases"] = spellings[1:]
    user.records.append(record)
    return Edit(user.path, user.write().get(new_id), spellings)


def add_aliases(path: str | Path, entity: str, aliases: Sequence[str]) -> Edit:
    """Add spellings to an entity (by id, canonical name or an alias it already has; a world
    country or city by its id or name). Spellings it already has are passed over; one that names
    another entity is refused."""
    spellings = _unique(aliases)
    if not spellings:
        raise CurationError("give at least one alias")
    user = UserFile.read(Path(path))
    gazetteer = user.gazetteer
    target = _find(gazetteer, entity)
    refuse_conflicts(gazetteer, spellings, allowed={target.id}, target=target)
    added = user.add_aliases(target, spellings)
    return Edit(user.path, user.write().get(target.id), added)


def remove_aliases(path: str | Path, entity: str, aliases: Sequence[str]) -> Edit:
    """Take spellings the user's file gave an entity away again (undoing ``alias`` or ``merge``).

    Refused, with nothing written: a spelling the entity does not have, its canonical name, and a
    shipped spelling (a user file adds to the shipped gazetteer and cannot remove from it)."""
    spellings = _unique(aliases)
    if not spellings:
        raise CurationError("give at least one alias to remove")
    path = Path(path)
    if not path.is_file():
        raise CurationError(f"{path}: no user gazetteer file, so no spelling of yours to remove")
    user = UserFile.read(path)
    target = _find(user.gazetteer, entity)
    record = next((r for r in user.records if r.get("id") == target.id), None)
    own = [str(a) for a in (record or {}).get("aliases") or []]
    shipped = Gazetteer.load().entities.get(target.id)
    for spelling in spellings:
        if spelling == target.name:
            raise CurationError(f"{spelling!r} is the name of {target.name} ({target.id}), not an alias")
        if spelling in own:
            continue
        if shipped is not None and spelling in (shipped.name, *shipped.aliases):
            raise CurationError(f"{spelling!r} is a shipped spelling of {target.name} ({target.id}); a user "
                                f"gazetteer adds spellings and cannot remove shipped ones")
        raise CurationError(f"{spelling!r} is not a spelling of {target.name} ({target.id}) in {path}")
    assert record is not None  # every spelling was found in it
    record["aliases"] = [a for a in own if a not in spellings]
    if not record["aliases"]:
        del record["aliases"]
    if set(record) == {"id"}:  # an update record left with nothing to update
        user.records.remove(record)
    return Edit(user.path, user.write().get(target.id), [], spellings)


def merge_entity(path: str | Path, source: str, into: str, store: Store | None = None) -> Edit:
    """Merge ``source`` into ``into``: the source's name and aliases become aliases of ``into``.

    The source is a provisional entity of the ledger (looked up in ``store`` by id or name) or an
    entity of the user's file, whose record is then removed, its relations moved to ``into`` and
    relations that pointed at it pointed at ``into``. Shipped and world entities cannot be removed
    by a user file, so they cannot be merged away; add their spellings with :func:`add_aliases`.
    """
    user = UserFile.read(Path(path))
    gazetteer = user.gazetteer
    target = _find(gazetteer, into)
    try:
        merged = _find(gazetteer, source)
    except CurationError:
        merged = _provisional(store, source)
    if merged.id == target.id:
        raise CurationError(f"cannot merge {merged.name} ({merged.id}) into itself")
    if not merged.provisional and merged.id not in user.defined_ids():
        raise CurationError(
            f"{merged.name} ({merged.id}) is not defined in {user.path} and cannot be removed; "
            f"add its spellings to {target.name} with `trucewatch entities alias`")
    spellings = _unique([merged.name, *merged.aliases])
    refuse_conflicts(gazetteer, spellings, allowed={target.id, merged.id}, target=target)
    relations = [r for r in merged.relations if r["target"] != target.id]
    user.remove(merged.id, into=target.id)
    added = user.add_aliases(target, spellings, relations)
    return Edit(user.path, user.write().get(target.id), added)


# --- internals --------------------------------------------------------------------------------


def _type_choices() -> list[str]:
    return sorted(ENTITY_TYPES) + [UNTYPED]


def _slug(name: str) -> str:
    return "-".join(w for w in re.split(r"[^0-9a-z]+", fold_ascii(re.sub(r"['’ʿʾ]", "", name))) if w)


def _unique(spellings: Iterable[str]) -> list[str]:
    """Spellings stripped, empty ones dropped, each once, in the order given."""
    seen: dict[str, None] = {}
    for s in spellings:
        s = s.strip()
        if s:
            seen.setdefault(s, None)
    return list(seen)


def _country(gazetteer: Gazetteer, value: str) -> str:
    name = gazetteer.world.country_name(value.strip())
    if gazetteer.world.country(name) is None:
        raise CurationError(f"unknown country {value!r}: give a country name, adjective or ISO code")
    return name


def _coordinates(type: str, lat: float | None, lon: float | None) -> dict[str, float]:
    if lat is None and lon is None:
        return {}
    if lat is None or lon is None:
        raise CurationError("give both --lat and --lon, or neither")
    if type not in PLACE_TYPES:
        raise CurationError(f"coordinates are for places ({', '.join(sorted(PLACE_TYPES))}), not a {type}")
    for axis, value, limit in (("lat", lat, 90), ("lon", lon, 180)):
        if abs(value) > limit:
            raise CurationError(f"{axis} {value} is out of range (±{limit})")
    return {"lat": float(lat), "lon": float(lon)}


def _find(gazetteer: Gazetteer, ref: str) -> Entity:
    """The entity a command names: an id, a canonical name (any case), an alias as written (any
    case unless it is an abbreviation), or a world country or city by id or name. Never the
    looser key or fuzzy matches of a lookup: a write must not guess."""
    ref = ref.strip()
    if ref in gazetteer.entities:
        return gazetteer.entities[ref]
    world = gazetteer.world.by_id(ref)
    if world is not None:
        return world
    folded = ref.casefold()
    for matches in (
        [e for e in gazetteer.entities.values() if e.name.casefold() == folded],
        [e for e in gazetteer.entities.values()
         if any(a == ref if is_case_sensitive(a) else a.casefold() == folded for a in e.aliases)],
    ):
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise CurationError(f"{ref!r} names several entities ({', '.join(e.id for e in matches)}): give an id")
    for place in (gazetteer.world.country(ref), gazetteer.world.city(ref)):
        if place is not None and place.name.casefold() == folded:
            return place
    raise CurationError(f"unknown entity {ref!r}: give an id or name listed by `trucewatch entities list`")


def _provisional(store: Store | None, ref: str) -> Entity:
    """A provisional entity of the ledger by id or name: what ``--new`` lists."""
    folded = ref.strip().casefold()
    candidates = [s.entity for s in seen_entities(store, new=True)] if store is not None else []
    for entity in candidates:
        if entity.id == ref.strip() or entity.name.casefold() == folded:
            return entity
    raise CurationError(
        f"unknown entity {ref!r}: neither in the gazetteer nor a provisional entity of the ledger")
