"""Entities as the ledger met them: which entity each name in a report resolved to, and the spellings
seen for each, for curation (``trucewatch entities list``) and for the formats that need an actor's
kind (ACLED's actor types, PLOVER's sectors) or a place's province."""

from __future__ import annotations

import json
from collections.abc import Iterable

from trucewatch.models import Entity
from trucewatch.store.base import StoreBase


class EntityStore(StoreBase):
    """The ``entities`` and ``entity_mentions`` tables, read."""

    def entity_mention_counts(self) -> list[tuple[str, int, list[str]]]:
        """(entity_id, number of mentions, distinct surface forms sorted), most mentioned first.

        Shows which names resolve to each entity, to spot bad gazetteer matches.
        """
        totals: dict[str, int] = {}
        surfaces: dict[str, list[str]] = {}
        rows = self._conn.execute(
            "SELECT entity_id, surface, count(*) AS n FROM entity_mentions "
            "GROUP BY entity_id, surface ORDER BY entity_id, surface"
        )
        for row in rows:
            totals[row["entity_id"]] = totals.get(row["entity_id"], 0) + row["n"]
            surfaces.setdefault(row["entity_id"], []).append(row["surface"])
        return sorted(
            ((entity_id, n, surfaces[entity_id]) for entity_id, n in totals.items()),
            key=lambda item: (-item[1], item[0]),
        )

    def entity_summaries(
        self, *, provisional: bool = False, type: str | None = None
    ) -> list[tuple[Entity, list[tuple[str, int]]]]:
        """Every entity the stored reports mention, with each spelling met and its number of
        mentions (most frequent first); most mentioned entity first, then by name.

        ``provisional`` keeps only entities awaiting curation, ``type`` only one entity type. What
        curation lists (``trucewatch entities list``): an entity whose record is not stored still
        shows, under its id and type "unknown", so no mention is hidden from the curator.
        """
        rows = self._conn.execute(
            """SELECT m.entity_id, m.surface, count(*) AS n, coalesce(e.name, m.entity_id) AS name,
                      coalesce(e.type, 'unknown') AS type, e.country, e.province, e.lat, e.lon,
                      coalesce(e.aliases, '[]') AS aliases, coalesce(e.relations, '[]') AS relations,
                      coalesce(e.provisional, 0) AS provisional
               FROM entity_mentions m LEFT JOIN entities e ON e.id = m.entity_id
               WHERE (? = 0 OR e.provisional = 1) AND (? IS NULL OR coalesce(e.type, 'unknown') = ?)
               GROUP BY m.entity_id, m.surface, e.id""",
            (int(provisional), type, type),
        )
        found: dict[str, tuple[Entity, list[tuple[str, int]]]] = {}
        for row in rows:
            if row["entity_id"] not in found:
                entity = Entity(
                    id=row["entity_id"], name=row["name"], type=row["type"], country=row["country"],
                    province=row["province"], lat=row["lat"], lon=row["lon"], aliases=json.loads(row["aliases"]),
                    relations=json.loads(row["relations"]), provisional=bool(row["provisional"]),
                )
                found[row["entity_id"]] = (entity, [])
            found[row["entity_id"]][1].append((row["surface"], row["n"]))
        for _, spellings in found.values():
            spellings.sort(key=lambda s: (-s[1], s[0]))
        return sorted(found.values(), key=lambda item: (-sum(n for _, n in item[1]), item[0].name, item[0].id))


    def entities_named(self, names: Iterable[str]) -> dict[str, Entity]:
        """The stored entities whose canonical name is one of ``names`` (a curated entity before a
        provisional one of the same name), by name."""
        wanted = sorted(set(names))
        found: dict[str, Entity] = {}
        for lo in range(0, len(wanted), 500):  # SQLite caps the number of parameters
            chunk = wanted[lo:lo + 500]
            rows = self._conn.execute(
                f"SELECT * FROM entities WHERE name IN ({', '.join('?' for _ in chunk)}) ORDER BY provisional DESC, id",
                chunk)
            for row in rows:
                found[row["name"]] = Entity(
                    id=row["id"], name=row["name"], type=row["type"], country=row["country"],
                    province=row["province"], lat=row["lat"], lon=row["lon"], aliases=json.loads(row["aliases"]),
                    relations=json.loads(row["relations"]), provisional=bool(row["provisional"]))
        return found
