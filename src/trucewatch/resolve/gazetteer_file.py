"""The user's gazetteer file as data, read and written in the layout of ``data/entities.yaml``.

The file is rewritten in a stable form (records in file order, fields in the order of
``entities.yaml``, lists of names on one line); its leading comment block is kept, other comments
are not. A write is checked by loading the result before it replaces the old file, and replaces it
atomically, so a failed or interrupted command leaves the old file as it was.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from trucewatch.errors import GazetteerError
from trucewatch.models import Entity
from trucewatch.resolve.names import SUPPORTED_VERSION, Gazetteer

FIELD_ORDER = ("id", "name", "type", "aliases", "country", "province", "lat", "lon", "relations")
HEADER = (
    "# trucewatch user gazetteer: entities and spellings added on top of the shipped gazetteer, in the\n"
    "# format of trucewatch's data/entities.yaml. Written by `trucewatch entities add|alias|merge`;\n"
    "# hand edits to the records are kept, comments other than this leading block are not.\n"
)



class CurationError(GazetteerError):
    """An edit of the user's gazetteer was refused: it names an unknown entity or type, or it would
    make the gazetteer contradict itself (one spelling for two entities). Nothing was written."""



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
class UserFile:
    """The user's gazetteer file as data: its leading comments, its records, its other sections."""

    path: Path
    header: str
    records: list[dict[str, Any]]
    sections: dict[str, Any]
    gazetteer: Gazetteer  # shipped entities plus this file as it was read

    @classmethod
    def read(cls, path: Path) -> UserFile:
        if not path.exists():
            if not path.parent.is_dir():
                raise CurationError(f"{path}: directory {path.parent} does not exist")
            return cls(path, HEADER, [], {}, Gazetteer.load())
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
        return cls(path, header + "\n" if "#" in header else HEADER, list(data.get("entities") or []), sections,
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
        records = [{k: r[k] for k in FIELD_ORDER if k in r} for r in self.records]
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
