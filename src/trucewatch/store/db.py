"""The event ledger in SQLite: documents, their sentences and events, entities and rejections.

Design choices, and why:

* The connection runs in autocommit mode and every write is an explicit ``BEGIN IMMEDIATE`` ...
  ``COMMIT``: one transaction per document, so a crash or a bad record never leaves half a document
  behind, and the write lock is taken up front instead of failing halfway on a busy database.
* Re-running over the same reports is safe: a document whose text and metadata have not changed is
  left alone (``"unchanged"``), and a changed one has its sentences, events and mentions replaced,
  never duplicated.
* Lists are stored as JSON text and booleans as 0/1, and converted back on the way out, so an
  ``Event`` read back compares equal to the one saved.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from trucewatch.errors import StoreError
from trucewatch.models import Document, Entity, Event, Rejection, Removal, Sentence
from trucewatch.store.migrations import migrate, schema_version

Status = Literal["new", "updated", "unchanged"]

_MEMORY = ":memory:"
# Metadata that, when it changes, makes a re-read document "updated" even if its text is the same
# (a corrected publication date must reach the ledger).
_METADATA = ("title", "url", "outlet", "published", "author")
_EVENT_FIELDS = tuple(f.name for f in fields(Event))
_EVENT_JSON = frozenset({"conditions", "mediators", "mentions"})
_EVENT_BOOL = frozenset({"background", "hedged"})
_EVENT_COLUMNS = ", ".join(f'"{name}"' for name in _EVENT_FIELDS)
_EVENT_INSERT = f"INSERT INTO events ({_EVENT_COLUMNS}) VALUES ({', '.join('?' for _ in _EVENT_FIELDS)})"
_ISO_PREFIX = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _fold(value: str | None) -> str | None:
    """Case-folding for SQL: SQLite's ``lower()`` only knows ASCII, and actor names often do not."""
    return value.casefold() if value is not None else None


def _fts_query(text: str) -> str | None:
    """Turn a user's words into an FTS5 query in which every word must appear.

    Each word is quoted so that punctuation in names ("U.S.", "al-Shabaab") cannot be read as FTS
    syntax and raise; a trailing ``*`` is kept as a prefix search. None when there are no words.
    """
    terms = []
    for word in text.split():
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if word:
            terms.append('"' + word.replace('"', '""') + '"' + ("*" if prefix else ""))
    return " ".join(terms) or None


def _check_date(name: str, value: str) -> None:
    if not _ISO_PREFIX.fullmatch(value):
        raise ValueError(f"{name}={value!r}: expected an ISO date or prefix (YYYY, YYYY-MM or YYYY-MM-DD)")


class Store:
    """A trucewatch database. Open with a file path (WAL mode) or ``":memory:"`` (tests).

    Opening applies any pending migrations; a database written by a newer trucewatch, a missing
    directory, or a file that is not SQLite raises ``StoreError`` naming the path.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        if self.path != _MEMORY:
            parent = Path(self.path).resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{self.path}: directory {parent} does not exist")
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open database: {e}") from e
        try:
            self._conn.row_factory = sqlite3.Row
            self._conn.create_function("fold", 1, _fold, deterministic=True)
            self._conn.execute("PRAGMA foreign_keys = ON")
            # The first statement that reads the file: a non-SQLite file fails here.
            if self.path != _MEMORY:
                self._conn.execute("PRAGMA journal_mode = WAL")
            migrate(self._conn, self.path)
        except StoreError:
            self._conn.close()
            raise
        except sqlite3.DatabaseError as e:
            self._conn.close()
            raise StoreError(f"{self.path}: not a usable SQLite database: {e}") from e

    @property
    def schema_version(self) -> int:
        """The number of migrations applied (``PRAGMA user_version``)."""
        return schema_version(self._conn)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # ---- writing -------------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        """One write transaction: committed if the block finishes, rolled back on any exception.

        The write lock is taken at BEGIN (IMMEDIATE) so a busy database waits up front instead of
        failing halfway; SQLite errors come out as ``StoreError`` saying what could not be done.
        """
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            yield
            self._conn.execute("COMMIT")
        except BaseException as e:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            if isinstance(e, sqlite3.Error):
                raise StoreError(f"{self.path}: cannot {what}: {e}") from e
            raise

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
        leaves the stored version exactly as it was; SQLite errors are raised as ``StoreError``.
        Stored events take ``doc.id`` as their ``doc_id``.
        """
        with self._transaction(f"save document {doc.id}"):
            result = self.status(doc)
            if result != "unchanged":
                self._write(doc, entity_mentions, entities)
        return result

    def _write(
        self, doc: Document, entity_mentions: Sequence[tuple[str, str, int, int]], entities: Sequence[Entity]
    ) -> None:
        now = _now()
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
                now,
                now,
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
                for ent in entities
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
        with self._transaction(f"record rejection of {r}"):
            self._conn.execute(
                """INSERT INTO rejections (input, line, stage, reason, created_at)
                   VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                (r.input, r.line, r.stage, r.reason, _now()),
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
        where: list[str] = []
        params: list[Any] = []
        if type is not None:
            where.append("e.type = ?")
            params.append(type)
        if actor is not None:
            where.append("(instr(fold(e.actor), fold(?)) > 0 OR instr(fold(e.target), fold(?)) > 0)")
            params += [actor, actor]
        for name, bound, op in (("since", since, ">="), ("until", until, "<=")):
            if bound is not None:
                _check_date(name, bound)
                where.append(
                    f"substr(e.date, 1, min(length(e.date), length(?))) {op} "
                    "substr(?, 1, min(length(e.date), length(?)))"
                )
                params += [bound, bound, bound]
        if text is not None and (query := _fts_query(text)) is not None:
            where.append("e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
            params.append(query)
        if doc_id is not None:
            where.append("e.doc_id = ?")
            params.append(doc_id)
        sql = f"""SELECT e.* FROM events e JOIN documents d ON d.id = e.doc_id
                  {"WHERE " + " AND ".join(where) if where else ""}
                  ORDER BY e.date IS NULL, e.date DESC, d.published IS NULL, d.published DESC, e.id"""
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [self._event(row) for row in self._conn.execute(sql, params)]

    @staticmethod
    def _event(row: sqlite3.Row) -> Event:
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

        Streams one document at a time so that exporting a large ledger does not load it whole.
        """
        for row in self._conn.execute("SELECT * FROM documents ORDER BY id"):
            yield self._document(row)

    def document(self, doc_id: str) -> Document | None:
        """One document with sentences, removals, warnings and events, or None if not stored."""
        row = self._conn.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return None if row is None else self._document(row)

    def _document(self, row: sqlite3.Row) -> Document:
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
