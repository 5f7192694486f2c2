"""Curation: what the ledger has seen, and the user's gazetteer file that teaches it new names.

Reports on a conflict the shipped gazetteer does not know name groups and places it has never seen;
the extractor keeps such names as provisional entities instead of dropping them. Curation closes
the loop: :func:`seen_entities` lists the entities the stored reports mention (provisional ones with
``new=True``) with the spellings met, and :func:`add_entity`, :func:`add_aliases` and
:func:`merge_entity` write the user's gazetteer file, which the next ingest loads on top of the
shipped one (:func:`load_gazetteer`).

The user's file is the one given explicitly, else the ``gazetteer`` setting, else
``trucewatch-gazetteer.yaml`` in the working directory (:func:`user_gazetteer_path`). It has the
format of ``data/entities.yaml``. Every write is checked before it is made, because the gazetteer's
promise is never to merge two different entities:

* a spelling that already names another entity (as written, case-folded, or on its transliteration
  key, the gazetteer's own test of "the same name") is refused, naming that entity;
* an unknown entity, an unknown type or country, or coordinates that are out of range or given to
  something that is not a place are refused;
* the file that results must load (:meth:`Gazetteer.load`) before it replaces the old one, and it
  replaces it atomically, so a failed or interrupted command leaves the old file as it was.

The file is rewritten in a stable form (records in file order, fields in the order of
``entities.yaml``, lists of names on one line); its leading comment block is kept, other comments
are not. A user who deliberately wants a spelling of a shipped entity to name their own record (the
gazetteer lets a user record win a shared spelling) edits the file by hand.

Curation changes how reports are read from the next ingest on; reports already stored keep the
entities they were read with.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from trucewatch import config
from trucewatch.errors import GazetteerError
from trucewatch.models import PLACE_TYPES, Entity
from trucewatch.resolve.names import (
    ENTITY_TYPES,
    SUPPORTED_VERSION,
    Gazetteer,
    fold_ascii,
    is_case_sensitive,
    same_spelling_family,
    translit_key,
)
from trucewatch.store import Store

DEFAULT_USER_GAZETTEER = "trucewatch-gazetteer.yaml"
# Provisional entities the extractor could not type from the words around them.
UNTYPED = "unknown"
_FIELD_ORDER = ("id", "name", "type", "aliases", "country", "province", "lat", "lon", "relations")
_HEADER = (
    "# trucewatch user gazetteer: entities and spellings added on top of the shipped gazetteer, in the\n"
    "# format of trucewatch's data/entities.yaml. Written by `trucewatch entities add|alias|merge`;\n"
    "# hand edits to the records are kept, comments other than this leading block are not.\n"
)


class CurationError(GazetteerError):
    """An edit of the user's gazetteer was refused: it names an unknown entity or type, or it would
    make the gazetteer contradict itself (one spelling for two entities). Nothing was written."""


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
    (empty when every one was already there: re-running a command changes nothing)."""

    path: Path
    entity: Entity
    added: list[str]


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
    store: Store, *, new: bool = False, type: str | None = None, limit: int | None = None
) -> list[SeenEntity]:
    """Entities mentioned in the stored reports, most mentioned first: only provisional ones with
    ``new`` (names awaiting curation), only those of one entity type with ``type``."""
    if type is not None and type not in ENTITY_TYPES and type != UNTYPED:
        raise CurationError(f"unknown entity type {type!r}; choose one of {', '.join(_type_choices())}")
    if limit is not None and limit < 1:
        raise CurationError(f"limit must be a positive number, not {limit}")
    rows = store.entity_summaries(provisional=new, type=type)
    seen = [SeenEntity(entity, sum(n for _, n in spellings), spellings) for entity, spellings in rows]
    return seen[:limit] if limit is not None else seen


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
    user = _UserFile.read(Path(path))
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
    _refuse_conflicts(gazetteer, spellings, allowed={new_id})
    if len(spellings) > 1:
        record["aliases"] = spellings[1:]
    if country is not None:
        record["country"] = _country(gazetteer, country)
    record.update(_coordinates(type, lat, lon))
    user.records.append(record)
    return Edit(user.path, user.write().get(new_id), spellings)


def add_aliases(path: str | Path, entity: str, aliases: Sequence[str]) -> Edit:
    """Add spellings to an entity (by id, canonical name or an alias it already has; a world
    country or city by its id or name). Spellings it already has are passed over; one that names
    another entity is refused."""
    spellings = _unique(aliases)
    if not spellings:
        raise CurationError("give at least one alias")
    user = _UserFile.read(Path(path))
    gazetteer = user.gazetteer
    target = _find(gazetteer, entity)
    _refuse_conflicts(gazetteer, spellings, allowed={target.id})
    added = user.add_aliases(target, spellings)
    return Edit(user.path, user.write().get(target.id), added)


def merge_entity(path: str | Path, source: str, into: str, store: Store | None = None) -> Edit:
    """Merge ``source`` into ``into``: the source's name and aliases become aliases of ``into``.

    The source is a provisional entity of the ledger (looked up in ``store`` by id or name) or an
    entity of the user's file, whose record is then removed, its relations moved to ``into`` and
    relations that pointed at it pointed at ``into``. Shipped and world entities cannot be removed
    by a user file, so they cannot be merged away; add their spellings with :func:`add_aliases`.
    """
    user = _UserFile.read(Path(path))
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
    _refuse_conflicts(gazetteer, spellings, allowed={target.id, merged.id})
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


def _refuse_conflicts(gazetteer: Gazetteer, spellings: Sequence[str], allowed: set[str]) -> None:
    """Refuse a spelling that the gazetteer would already take for an entity not in ``allowed``:
    the same text (as written for abbreviations, case-folded otherwise) or the same transliteration
    key with a compatible spelling, i.e. what a lookup would match before any fuzzy step."""
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


class _Dumper(yaml.SafeDumper):
    """Writes the layout of ``entities.yaml``: records as blocks, lists of names and relations on
    one line each, so that the file stays readable and diffs stay small."""


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    flow = all(not isinstance(x, dict | list) for x in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    flow = "id" not in data and all(not isinstance(v, dict | list) for v in data.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(dict, _represent_dict)


@dataclass
class _UserFile:
    """The user's gazetteer file as data: its leading comments, its records, its other sections."""

    path: Path
    header: str
    records: list[dict[str, Any]]
    sections: dict[str, Any]
    gazetteer: Gazetteer  # shipped entities plus this file as it was read

    @classmethod
    def read(cls, path: Path) -> _UserFile:
        if not path.exists():
            if not path.parent.is_dir():
                raise CurationError(f"{path}: directory {path.parent} does not exist")
            return cls(path, _HEADER, [], {}, Gazetteer.load())
        try:  # a malformed file is refused here, before anything is changed
            gazetteer = Gazetteer.load(extra=[path])
        except GazetteerError as e:
            if str(path) in str(e):
                raise
            raise GazetteerError(f"{path}: {e}") from e  # some load errors name the entity, not the file
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        leading = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")),
                       len(lines))
        header = "".join(lines[:leading]).strip("\n")
        data = yaml.safe_load(text)
        sections = {k: v for k, v in data.items() if k not in ("version", "entities")}
        return cls(path, header + "\n" if "#" in header else _HEADER, list(data.get("entities") or []), sections,
                   gazetteer)

    def defined_ids(self) -> set[str]:
        """Ids this file creates, as opposed to shipped ones it only updates."""
        return {str(r["id"]) for r in self.records} - set(Gazetteer.load().entities)

    def remove(self, entity_id: str, *, into: str) -> None:
        """Drop the records of ``entity_id`` and point relations that targeted it at ``into``."""
        self.records = [r for r in self.records if r.get("id") != entity_id]
        for record in self.records:
            relations = [dict(r, target=into) if r.get("target") == entity_id else r
                         for r in record.get("relations") or []]
            relations = [r for r in relations if r["target"] != record["id"]]  # into is not related to itself
            if relations:
                record["relations"] = _unique_dicts(relations)
            else:
                record.pop("relations", None)

    def add_aliases(
        self, target: Entity, spellings: Sequence[str], relations: Sequence[dict[str, Any]] = ()
    ) -> list[str]:
        """Give ``target`` the spellings (and relations) it lacks, in its record of this file,
        else in a new record: an update of a shipped entity, or a copy of a world place (the
        gazetteer only takes aliases on its own records). Returns the spellings added."""
        known = {target.name, *target.aliases}
        added = [s for s in spellings if s not in known]
        new_relations = [r for r in relations if r not in target.relations]
        if not added and not new_relations:
            return []
        record = next((r for r in self.records if r.get("id") == target.id), None)
        if record is None:
            record = {"id": target.id}
            if target.id not in self.gazetteer.entities:
                record.update({k: v for k, v in (("name", target.name), ("type", target.type),
                                                 ("aliases", list(target.aliases)), ("country", target.country),
                                                 ("province", target.province), ("lat", target.lat),
                                                 ("lon", target.lon)) if v not in (None, "", [])})
            self.records.append(record)
        if added:
            record["aliases"] = [*(record.get("aliases") or []), *added]
        if new_relations:
            record["relations"] = _unique_dicts([*(record.get("relations") or []), *new_relations])
        return added

    def write(self) -> Gazetteer:
        """Write the file atomically after checking that it loads; returns the gazetteer it makes."""
        records = [{k: r[k] for k in _FIELD_ORDER if k in r} for r in self.records]
        document = {"version": SUPPORTED_VERSION, "entities": records, **self.sections}
        body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        body = body.replace("\n- id: ", "\n\n- id: ")  # a blank line between records, as in entities.yaml
        # A sibling file replaced in one step: readers see the old file or the new, never half of one.
        # Opened like any new file (the umask decides its mode), then given the old file's mode.
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with tmp.open("x", encoding="utf-8") as fh:
                fh.write(self.header + body)
            if self.path.exists():
                shutil.copymode(self.path, tmp)
            try:
                gazetteer = Gazetteer.load(extra=[tmp])
            except GazetteerError as e:
                raise CurationError(str(e).replace(str(tmp), str(self.path))) from e
            os.replace(tmp, self.path)
        except OSError as e:
            raise GazetteerError(f"{self.path}: cannot write gazetteer file: {e.strerror}") from e
        finally:
            tmp.unlink(missing_ok=True)
        return gazetteer


def _unique_dicts(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out
