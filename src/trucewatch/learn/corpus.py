"""Annotated corpora (``docs.jsonl`` + ``gold.jsonl``, the schema of ``corpus/GOLD_SCHEMA.md``) and the
comparison of names the way the annotation schema compares them.

Names are compared as the schema's scorer does: accents, case and punctuation folded away, the words
"al", "the", "of", "base", "air" ... dropped, then a table of accepted spellings (``aliases.json``)
mapping each variant to its canonical name; several names in one field form a set.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trucewatch.models import Document

NAME_STOPWORDS = frozenset({"al", "el", "the", "of", "a", "an", "and", "in", "on", "to", "for", "base", "air"})


@dataclass
class GoldDoc:
    """A report and the events an annotator found in it."""

    doc: Document
    events: list[dict[str, Any]]


def read_corpus(folder: Path) -> list[GoldDoc]:
    """The reports of a corpus folder with their gold events, in file order."""
    docs = [json.loads(line) for line in (folder / "docs.jsonl").read_text(encoding="utf-8").splitlines() if line]
    gold = {}
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold[str(row["id"])] = row.get("events") or []
    out = []
    for d in docs:
        doc = Document(id=str(d["id"]), text=d["text"], title=d.get("title"), url=d.get("url"),
                       outlet=d.get("outlet"), published=d.get("published"))
        out.append(GoldDoc(doc, gold.get(doc.id, [])))
    return out


def _fold(value: str) -> str:
    text = unicodedata.normalize("NFKD", value)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(t for t in text.split() if t not in NAME_STOPWORDS)


class Names:
    """Canonical keys of names, per kind ("actors" or "places"), from a table of accepted spellings."""

    def __init__(self, aliases: dict[str, Any] | None = None) -> None:
        self.tables: dict[str, dict[str, str]] = {"actors": {}, "places": {}}
        data = dict(aliases or {})
        equivalent = data.pop("equivalent", [])
        for kind, table in data.items():
            for canonical, variants in table.items():
                target = _fold(canonical)
                for v in [canonical, *variants]:
                    self.tables.setdefault(kind, {})[_fold(v)] = target
        for first, second in equivalent:
            a, b = _fold(first), _fold(second)
            for table in self.tables.values():
                for k, v in table.items():
                    if v == a:
                        table[k] = b

    @classmethod
    def read(cls, path: Path | None) -> Names:
        if path is None or not path.exists():
            return cls()
        return cls(json.loads(path.read_text(encoding="utf-8")))

    def key(self, name: str | None, field: str) -> str | None:
        """The canonical key of one name in a field (actor, target, location, country, mediators)."""
        if not name:
            return None
        k = _fold(str(name))
        if not k:
            return None
        table = self.tables["places" if field in ("location", "country") else "actors"]
        return table.get(k, k)

    def keys(self, value: str | Iterable[str] | None, field: str) -> frozenset[str]:
        """The set of keys of a field's value ("A; B" or a list)."""
        if value is None or value == "" or value == []:
            return frozenset()
        parts = value.split(";") if isinstance(value, str) else list(value)
        return frozenset(k for k in (self.key(p, field) for p in parts) if k)


def agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Two name sets agree when both are empty or they share at least half of their union."""
    if not a and not b:
        return True
    return len(a & b) * 2 >= len(a | b)
