"""The documents of the ledger: reports with their sentences, their events as each report tells
them, entity mentions and rejected inputs.

* Re-running over the same reports is safe: a document whose text and metadata have not changed is
  left alone (``"unchanged"``), and a changed one has its sentences, events and mentions replaced,
  never duplicated.
* Lists are stored as JSON text and booleans as 0/1, and converted back on the way out, so an
  ``Event`` read back compares equal to the one saved.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

from trucewatch.errors import StoreError
from trucewatch.models import Document, Entity, Event, Rejection, Removal, Sentence
from trucewatch.store.base import StoreBase
from trucewatch.store.connection import Row
from trucewatch.store.sql import event_filters, now

Status = Literal["new", "updated", "unchanged"]

# Metadata that, when it changes, makes a re-read document "updated" even if its text is the same
# (a corrected publication date must reach the ledger).
_METADATA = ("title", "url", "outlet", "published", "author")
_EVENT_FIELDS = tuple(f.name for f in fields(Event))
_EVENT_JSON = frozenset({"conditions", "mediators", "mentions"})
_EVENT_BOOL = frozenset({"background", "hedged"})
_EVENT_COLUMNS = ", ".join(f'"{name}"' for name in _EVENT_FIELDS)
_EVENT_INSERT = f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES ({', '.join('?' for _ in _EVENT_FIELDS)})"


class _Replaces(Exception):
    """A save begun beside other writers finds a stored version to replace (see ``save_document``)."""


@dataclass(frozen=True)
class StoredMention:
    """A report's event as stored: its row id, the merged event it is a mention of (None until merged),
    and its report's metadata."""

    event_id: int
    merged_id: int | None
    event: Event
    outlet: str | None
    url: str | None
    published: str | None
    title: str | None


class DocumentStore(StoreBase):
    """Documents and their per-report events (see the module docstring)."""

    def status(self, doc: Document) -> Status:
        """Whether saving ``doc`` would add it, replace a stored version, or do nothing.

        Decided by id, then content hash and the metadata in ``_METADATA``.
        """
        row = self._conn.execute(
            f"SELECT content_hash, {', '.join(_METADATA)} FROM documents WHERE id = ?", (doc.id,)
        ).fetchone()
        if row is None:
            return "new"
        stored = tuple(row)
        current = (doc.content_hash, *(getattr(doc, name) for name in _METADATA))
        return "unchanged" if stored == current else "updated"

    def save_document(
        self,
        doc: Document,
        entity_mentions: Sequence[tuple[str, str, int, int]] = (),
        entities: Sequence[Entity] = (),
    ) -> Status:
        """Save one document with its sentences, events and entity mentions, in one transaction.

        If the document is new or updated, it is upserted and its sentences, events and
        ``entity_mentions`` ((entity_id, surface, start, end) tuples) replace the stored ones, and
        ``entities`` are upserted (a provisional entity never overwrites a curated one). If it is
        unchanged nothing is written. Any exception rolls the whole save back, so a failed save
        leaves the stored version exactly as it was; database errors are raised as ``StoreError``.
        Stored events take ``doc.id`` as their ``doc_id``.

        A new document is saved beside other writers (PostgreSQL); replacing a stored version
        deletes events, whose triggers mark merged events of other reports, so it has the ledger to
        itself: two replacements never lock the same merged events in opposite orders.
        """
        what = f"save document {doc.id}"
        alone = self.status(doc) == "updated"
        try:
            with self._transaction(what, exclusive=alone, key=doc.id):
                result = self.status(doc)
                if result == "updated" and not alone:
                    raise _Replaces  # another writer stored it meanwhile: save again, alone
                if result != "unchanged":
                    self._write(doc, entity_mentions, entities)
        except _Replaces:
            with self._transaction(what, key=doc.id):
                result = self.status(doc)
                if result != "unchanged":
                    self._write(doc, entity_mentions, entities)
        return result

    def replace_extraction(
        self,
        doc: Document,
        entity_mentions: Sequence[tuple[str, str, int, int]] = (),
        entities: Sequence[Entity] = (),
    ) -> None:
        """Replace a stored document's sentences, events and entity mentions with a new reading of the
        same text (after a gazetteer change), in one transaction; the new events are merged again."""
        with self._transaction(f"re-extract document {doc.id}", key=doc.id):  # replaces events: alone
            if self.status(doc) != "unchanged":
                raise StoreError(f"document {doc.id}: its text or metadata differ from the stored version; "
                                 "ingest it instead")
            self._write(doc, entity_mentions, entities)

    def _write(
        self, doc: Document, entity_mentions: Sequence[tuple[str, str, int, int]], entities: Sequence[Entity]
    ) -> None:
        stamp = now()
        self._conn.execute(
            """INSERT INTO documents (id, content_hash, url, outlet, published, published_source, title,
                   author, text, source_path, removed, warnings, ingested_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET
                   content_hash = excluded.content_hash, url = excluded.url, outlet = excluded.outlet,
                   published = excluded.published, published_source = excluded.published_source,
                   title = excluded.title, author = excluded.author, text = excluded.text,
                   source_path = excluded.source_path, removed = excluded.removed,
                   warnings = excluded.warnings, updated_at = excluded.updated_at""",
            (
                doc.id,
                doc.content_hash,
                doc.url,
                doc.outlet,
                doc.published,
                doc.published_source,
                doc.title,
                doc.author,
                doc.text,
                doc.source_path,
                json.dumps([asdict(r) for r in doc.removed]),
                json.dumps(doc.warnings),
                stamp,
                stamp,
            ),
        )
        for table in ("sentences", "events", "entity_mentions"):
            self._conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc.id,))
        self._conn.executemany(
            'INSERT INTO sentences (doc_id, idx, "start", "end", text) VALUES (?, ?, ?, ?, ?)',
            [(doc.id, s.idx, s.start, s.end, s.text) for s in doc.sentences],
        )
        self._conn.executemany(_EVENT_INSERT, [self._event_row(doc.id, e) for e in doc.events])
        self._conn.executemany(
            'INSERT INTO entity_mentions (doc_id, entity_id, surface, "start", "end") VALUES (?, ?, ?, ?, ?)',
            [(doc.id, *mention) for mention in entity_mentions],
        )
        self._conn.executemany(
            """INSERT INTO entities (id, name, type, country, province, lat, lon, aliases, relations,
                   provisional)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET
                   name = excluded.name, type = excluded.type, country = excluded.country,
                   province = excluded.province, lat = excluded.lat, lon = excluded.lon,
                   aliases = excluded.aliases, relations = excluded.relations,
                   provisional = excluded.provisional
               WHERE excluded.provisional = 0 OR entities.provisional = 1""",
            [
                (
                    ent.id,
                    ent.name,
                    ent.type,
                    ent.country,
                    ent.province,
                    ent.lat,
                    ent.lon,
                    json.dumps(ent.aliases),
                    json.dumps(ent.relations),
                    int(ent.provisional),
                )
                # In id order: two writers upserting the same entities lock them in the same order.
                for ent in sorted(entities, key=lambda ent: ent.id)
            ],
        )

    @staticmethod
    def _event_row(doc_id: str, event: Event) -> tuple[Any, ...]:
        values: list[Any] = []
        for name in _EVENT_FIELDS:
            value = getattr(event, name)
            if name == "doc_id":
                value = doc_id
            elif name in _EVENT_JSON:
                value = None if value is None else json.dumps(value)
            elif name in _EVENT_BOOL:
                value = int(value)
            values.append(value)
        return tuple(values)

    def record_rejection(self, r: Rejection) -> None:
        """Store a rejected input. Recording the same rejection again (a re-run) changes nothing."""
        with self._transaction(f"record rejection of {r}", exclusive=False):
            self._conn.execute(
                """INSERT INTO rejections (input, line, stage, reason, created_at)
                   VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                (r.input, r.line, r.stage, r.reason, now()),
            )

    # ---- reading -------------------------------------------------------------------------------

    def events(
        self,
        *,
        type: str | None = None,  # named like the Event field and CLI option
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        text: str | None = None,
        doc_id: str | None = None,
        limit: int | None = None,
    ) -> list[Event]:
        """Events matching every given filter, newest first.

        Order: by event date descending, undated events last, then by the document's publication
        date descending, then in the order they were saved.

        * ``actor`` matches a case-insensitive substring of the actor or the target.
        * ``since``/``until`` are ISO dates or prefixes (``2021``, ``2021-03``, ``2021-03-15``) and
          keep the events whose date *overlaps* the range: dates are compared on their common
          prefix, so an event dated ``2021-03`` is within ``since="2021-03-15"`` (it may have
          happened that day) and an event dated ``2021-03-20`` is within ``until="2021-03"``.
          Undated events are left out whenever either bound is given.
        * ``text`` is a full-text search (FTS5) over the evidence and the document title; every
          word must appear, a trailing ``*`` searches by prefix, and punctuation is not syntax.
        """
        return [self._event(row) for row in self._event_query(type, actor, since, until, text, doc_id, limit)]

    def mentions(
        self,
        *,
        type: str | None = None,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        text: str | None = None,
        limit: int | None = None,
    ) -> list[StoredMention]:
        """The events of :meth:`events` (same filters and order), each with its row id, the merged
        event it is a mention of, and its report's metadata: what the per-report exports write."""
        return [StoredMention(row["id"], row["merged_id"], self._event(row), row["doc_outlet"], row["doc_url"],
                              row["doc_published"], row["doc_title"])
                for row in self._event_query(type, actor, since, until, text, None, limit)]

    def _event_query(self, type: str | None, actor: str | None, since: str | None, until: str | None,
                     text: str | None, doc_id: str | None, limit: int | None) -> list[Row]:
        where, params = event_filters("e", type, actor, since, until, postgres=self.dialect.name == "postgresql")
        if text is not None and (match := self.dialect.text_match(text)) is not None:
            where.append(f"e.id IN ({match[0]})")
            params += match[1]
        if doc_id is not None:
            where.append("e.doc_id = ?")
            params.append(doc_id)
        sql = f"""SELECT e.*, mm.merged_id, d.outlet AS doc_outlet, d.url AS doc_url, d.published AS doc_published,
                         d.title AS doc_title
                  FROM events e JOIN documents d ON d.id = e.doc_id
                  LEFT JOIN merged_mentions mm ON mm.event_id = e.id
                  {"WHERE " + " AND ".join(where) if where else ""}
                  ORDER BY {self.dialect.newest_first("e.date")}, {self.dialect.newest_first("d.published")}, e.id"""
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return self._conn.execute(sql, params).fetchall()

    @staticmethod
    def _event(row: Row) -> Event:
        values: dict[str, Any] = {}
        for name in _EVENT_FIELDS:
            value = row[name]
            if name in _EVENT_JSON:
                value = None if value is None else json.loads(value)
            elif name in _EVENT_BOOL:
                value = bool(value)
            values[name] = value
        return Event(**values)

    def documents(self) -> Iterator[Document]:
        """Every document, ordered by id, with sentences, removals, warnings and events filled.

        Streams a page of documents at a time (by id, from the last one read) so that exporting a
        large ledger does not load it whole, on either database.
        """
        last: str | None = None
        while True:
            after, params = ("", ()) if last is None else ("WHERE id > ?", (last,))
            rows = self._conn.execute(f"SELECT * FROM documents {after} ORDER BY id LIMIT 100", params).fetchall()
            for row in rows:
                yield self._document(row)
            if len(rows) < 100:
                return
            last = rows[-1]["id"]

    def document(self, doc_id: str) -> Document | None:
        """One document with sentences, removals, warnings and events, or None if not stored."""
        row = self._conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else self._document(row)

    def _document(self, row: Row) -> Document:
        sentences = [
            Sentence(idx=s["idx"], start=s["start"], end=s["end"], text=s["text"])
            for s in self._conn.execute("SELECT * FROM sentences WHERE doc_id = ? ORDER BY idx", (row["id"],))
        ]
        events = [
            self._event(e)
            for e in self._conn.execute("SELECT * FROM events WHERE doc_id = ? ORDER BY id", (row["id"],))
        ]
        return Document(
            id=row["id"],
            text=row["text"],
            title=row["title"],
            url=row["url"],
            outlet=row["outlet"],
            published=row["published"],
            published_source=row["published_source"],
            author=row["author"],
            source_path=row["source_path"],
            removed=[Removal(**r) for r in json.loads(row["removed"])],
            sentences=sentences,
            events=events,
            warnings=json.loads(row["warnings"]),
        )

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables, for the CLI's status summary."""
        return {
            table: self._conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("documents", "events", "entities", "rejections")
        }


    def events_by_type(self) -> dict[str, int]:
        """Number of events of each type, most frequent first."""
        rows = self._conn.execute(
            "SELECT type, count(*) AS n FROM events GROUP BY type ORDER BY n DESC, type"
        )
        return {row["type"]: row["n"] for row in rows}

    def event_rows(self, doc_id: str) -> list[tuple[int, Event]]:
        """A document's events with their row ids, in the order they were saved."""
        rows = self._conn.execute("SELECT * FROM events WHERE doc_id = ? ORDER BY id", (doc_id,))
        return [(row["id"], self._event(row)) for row in rows]

    def entity_spans(self, doc_id: str) -> list[tuple[str, str, int, int, str | None, str | None]]:
        """(entity_id, surface, start, end, canonical name, type) of a document's entity mentions;
        name and type are None for an entity that is not stored."""
        rows = self._conn.execute(
            'SELECT m.entity_id, m.surface, m."start", m."end", e.name, e.type FROM entity_mentions m '
            'LEFT JOIN entities e ON e.id = m.entity_id WHERE m.doc_id = ? ORDER BY m."start"', (doc_id,))
        return [tuple(row) for row in rows]  # type: ignore[misc]

    def document_text(self, doc_id: str) -> tuple[str, list[Removal]] | None:
        """A document's text and its furniture, without loading sentences and events."""
        row = self._conn.execute("SELECT text, removed FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else (row["text"], [Removal(**r) for r in json.loads(row["removed"])])

