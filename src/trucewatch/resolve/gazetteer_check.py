"""Gazetteer files read and checked: YAML in, entities, country notes and stop words out.

The shipped files (``data/entities.yaml``, ``data/world_actors.yaml``) and a user's file have one format
(see the head of ``data/entities.yaml``). A user writes their file by hand or with ``trucewatch entities``,
so everything in it is checked before it is used, and a problem is one ``GazetteerError`` that names the
file, the record and what is wrong, never a traceback from deep inside a lookup. The checks matter beyond
tidiness: ``aliases: Iraq`` (a string, not a list) would be read as the aliases I, r, a, q, and "a" then
names that entity in every sentence; a scalar where a list is expected would raise a TypeError at load.

YAML anchors and aliases (``&a`` ... ``*a``) are refused in user files before anything is built: the YAML
parser shares an aliased node, but any code that walks the data expands it, so a 1 KB file of nested
aliases ("billion laughs") becomes gigabytes. A gazetteer never needs them; the shipped files use none.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from trucewatch.errors import GazetteerError
from trucewatch.models import PLACE_TYPES, Entity

SUPPORTED_VERSION = 1
# The shipped gazetteer: the founding conflict's actors and places, then the world's armed actors.
SHIPPED_FILES = ("entities.yaml", "world_actors.yaml")
RELATION_TYPES = frozenset(
    {"member_of", "splinter_of", "backed_by", "leader_of", "spokesman_of", "part_of", "front_for"}
)
ENTITY_TYPES = frozenset(
    {"state", "state force", "armed group", "umbrella group", "political party", "person",
     "international organisation", "population", *PLACE_TYPES}
)
_RECORD_FIELDS = frozenset({"id", "name", "type", "aliases", "country", "province", "lat", "lon", "relations"})
_DOCUMENT_FIELDS = frozenset({"version", "entities", "countries", "world_stop"})
_NOTE_NAMES = frozenset({"name", "state", "insurgents", "coalition"})  # a country's notes: one name or entity id
_NOTE_LISTS = frozenset({"aliases", "demonyms"})
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class GazetteerData:
    """What the files give together: entities by id (a user's new records first), the notes of each
    country by ISO code, and the spellings never to be taken for a world city."""

    entities: dict[str, Entity]
    country_notes: dict[str, dict[str, Any]]
    world_stop: set[str]


def read_files(extra: tuple[Path, ...]) -> GazetteerData:
    """The shipped files, then each of ``extra`` (a user's files), merged in that order: a record whose
    id is known updates it (given fields replace, aliases and relations add)."""
    data = resources.files("trucewatch").joinpath("data")
    documents = [(f"{name} (shipped)", data.joinpath(name).read_text(encoding="utf-8"), False)
                 for name in SHIPPED_FILES]
    for path in extra:
        try:
            documents.append((str(path), path.read_text(encoding="utf-8"), True))
        except OSError as e:
            raise GazetteerError(f"{path}: cannot read gazetteer file: {e.strerror}") from e
        except UnicodeDecodeError as e:
            raise GazetteerError(f"{path}: not UTF-8 text (byte {e.start})") from e
    entities: dict[str, Entity] = {}
    notes: dict[str, dict[str, Any]] = {}
    stop: set[str] = set()
    shipped_count = 0
    for n, (source, text, user) in enumerate(documents):
        if n == len(SHIPPED_FILES):
            shipped_count = len(entities)
        document = parse(source, text, user=user)
        for number, record in enumerate(document.get("entities") or [], 1):
            merge_record(source, entities, entity_of(source, number, record))
        for code, note in _country_notes(source, document.get("countries")).items():
            notes.setdefault(code, {}).update(note)
        stop.update(_names(source, "world_stop", document.get("world_stop"), "world_stop: name"))
        if n >= len(SHIPPED_FILES) - 1:  # the shipped files refer to each other; each user file is checked alone
            check_relations(source, entities)
    # The user's new records go first, so that a spelling they share with a shipped record (a file
    # for another war giving "parliament" to its own legislature) resolves to the user's record.
    items = list(entities.items())
    ordered = dict(items[shipped_count:] + items[:shipped_count]) if len(documents) > len(SHIPPED_FILES) else entities
    return GazetteerData(ordered, notes, stop)


def parse(source: str, text: str, *, user: bool = True) -> dict[str, Any]:
    """One file's document, its sections of the right kinds; a user's file must hold no YAML anchor or alias."""
    try:
        if user:
            _refuse_aliases(source, text)
        data = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as e:
        raise GazetteerError(f"{source}: not valid YAML: {' '.join(str(e).split())}") from e
    if not isinstance(data, dict):
        raise GazetteerError(f"{source}: expected a mapping with 'version' and 'entities'")
    if data.get("version") != SUPPORTED_VERSION:
        raise GazetteerError(f"{source}: version {data.get('version')!r} is not supported "
                             f"(expected {SUPPORTED_VERSION})")
    unknown = set(map(str, data)) - _DOCUMENT_FIELDS
    if unknown:
        raise GazetteerError(f"{source}: unknown sections {sorted(unknown)} (expected {sorted(_DOCUMENT_FIELDS)})")
    if data.get("entities") is not None and not isinstance(data["entities"], list):
        raise GazetteerError(f"{source}: 'entities' must be a list of records, not {type(data['entities']).__name__}")
    return data


def _refuse_aliases(source: str, text: str) -> None:
    """Walk the YAML events (nothing is built) and refuse the first anchor or alias."""
    for event in yaml.parse(text, Loader=_LOADER):
        mark = None
        if isinstance(event, yaml.AliasEvent):
            mark = f"*{event.anchor}"
        elif getattr(event, "anchor", None):
            mark = f"&{event.anchor}"
        if mark:
            raise GazetteerError(f"{source}: line {event.start_mark.line + 1}: YAML anchors and aliases are not "
                                 f"allowed in a gazetteer file ({mark[:40]}): write each value out")


def entity_of(source: str, number: int, record: Any) -> Entity:
    """The ``number``-th record of a file as an Entity, every field checked."""
    where = f"{source}: entity {number}"
    if not isinstance(record, dict):
        raise GazetteerError(f"{where}: expected a mapping, not {type(record).__name__}")
    entity_id = record.get("id")
    if isinstance(entity_id, int) and not isinstance(entity_id, bool):
        entity_id = str(entity_id)  # YAML reads `id: 1920` as a number
    if entity_id is not None and not isinstance(entity_id, str):
        raise GazetteerError(f"{where}: 'id' must be a string, not {type(entity_id).__name__}")
    if not entity_id or not entity_id.strip():
        raise GazetteerError(f"{where}: no id")
    where = f"{where} ({entity_id})"
    unknown = set(map(str, record)) - _RECORD_FIELDS
    if unknown:
        raise GazetteerError(f"{where}: unknown fields {sorted(unknown)}")
    values: dict[str, Any] = {f.name: record[f.name] for f in fields(Entity) if f.name in record}
    values["id"] = entity_id
    for name in ("name", "type", "country", "province"):
        if values.get(name) is not None and not isinstance(values[name], str):
            raise GazetteerError(f"{where}: '{name}' must be a string, not {type(values[name]).__name__}")
    values["name"] = values.get("name") or ""  # an update of a known id may give only what it changes
    values["type"] = values.get("type") or ""
    if values["type"] and values["type"] not in ENTITY_TYPES:
        raise GazetteerError(f"{where}: unknown type {values['type']!r}")
    for axis, limit in (("lat", 90), ("lon", 180)):
        value = values.get(axis)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > limit):
            raise GazetteerError(f"{where}: {axis} must be a number within ±{limit}")
    values["aliases"] = _names(where, "aliases", record.get("aliases"), "alias")
    values["relations"] = _relations(where, record.get("relations"))
    return Entity(**values)


def _names(where: str, field: str, value: Any, item: str) -> list[str]:
    """A list of names: strings (numbers are taken as written, as YAML reads `1920` as a number)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise GazetteerError(f"{where}: '{field}' must be a list of names, not {type(value).__name__}"
                             f"{' (write [' + value + '])' if isinstance(value, str) else ''}")
    out = []
    for n, name in enumerate(value, 1):
        if isinstance(name, int | float) and not isinstance(name, bool):
            name = str(name)
        if not isinstance(name, str):
            raise GazetteerError(f"{where}: {item} {n} must be a name (a string), not {type(name).__name__}")
        if not name.strip():
            raise GazetteerError(f"{where}: {item} {n} is empty")
        out.append(name)
    return out


def _relations(where: str, value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise GazetteerError(f"{where}: 'relations' must be a list of relations, not {type(value).__name__}")
    relations = []
    for relation in value:
        if not isinstance(relation, dict) or relation.get("type") not in RELATION_TYPES \
                or not isinstance(relation.get("target"), str) or not relation["target"]:
            raise GazetteerError(f"{where}: bad relation {str(relation)[:200]}")
        relation = dict(relation)
        for end in ("from", "to"):
            if end in relation:
                relation[end] = str(relation[end])
        relations.append(relation)
    return relations


def _country_notes(source: str, value: Any) -> dict[str, dict[str, Any]]:
    """The ``countries`` section: ISO code -> {name, aliases, demonyms, state, insurgents, coalition}."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise GazetteerError(f"{source}: 'countries' must be a mapping of two-letter country codes, "
                             f"not {type(value).__name__}")
    notes: dict[str, dict[str, Any]] = {}
    for code, note in value.items():
        if not isinstance(code, str) or len(code) != 2 or not code.isalpha():
            hint = " (write 'NO' in quotes)" if code is False else ""  # YAML reads a bare NO (Norway) as false
            raise GazetteerError(f"{source}: countries: {code!r} is not a two-letter country code{hint}")
        where = f"{source}: countries: {code}"
        if not isinstance(note, dict):
            raise GazetteerError(f"{where}: expected a mapping, not {type(note).__name__}")
        unknown = set(map(str, note)) - _NOTE_NAMES - _NOTE_LISTS
        if unknown:
            raise GazetteerError(f"{where}: unknown fields {sorted(unknown)} "
                                 f"(expected {sorted(_NOTE_NAMES | _NOTE_LISTS)})")
        checked: dict[str, Any] = {}
        for key, item in note.items():
            if key in _NOTE_LISTS:
                checked[key] = _names(where, key, item, key[:-1])
            elif not isinstance(item, str):
                raise GazetteerError(f"{where}: '{key}' must be a string, not {type(item).__name__}")
            else:
                checked[key] = item
        notes[code.upper()] = checked
    return notes


def merge_record(source: str, entities: dict[str, Entity], new: Entity) -> None:
    """A known id is updated (given fields replace, aliases and relations add); a new id is added."""
    old = entities.get(new.id)
    if old is None:
        if not new.name or not new.type:
            raise GazetteerError(f"{source}: entity {new.id}: a new entity needs a name and a type")
        entities[new.id] = new
        return
    for f in ("name", "type", "country", "province", "lat", "lon"):
        value = getattr(new, f)
        if value is not None and value != "":
            setattr(old, f, value)
    old.aliases.extend(a for a in new.aliases if a not in old.aliases)
    old.relations.extend(r for r in new.relations if r not in old.relations)


def check_relations(source: str, entities: dict[str, Entity]) -> None:
    """Every relation's target is a known entity (``source``: the file just read, named in the error)."""
    for entity in entities.values():
        for relation in entity.relations:
            if relation["target"] not in entities:
                raise GazetteerError(f"{source}: entity {entity.id}: relation to unknown id {relation['target']!r}")
