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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, Literal, Self

from trucewatch.errors import StoreError
from trucewatch.merge.records import Attribution, Claim, Contradiction, MentionRecord, MergedEvent, Provenance
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


def _event_filters(alias: str, type: str | None, actor: str | None, since: str | None,
                   until: str | None) -> tuple[list[str], list[Any]]:
    """WHERE clauses and parameters shared by the per-report and the merged event listings, over
    the table ``alias`` (both have type, actor, target and date columns). A date bound keeps the
    events whose date overlaps it: dates are compared on their common prefix."""
    where: list[str] = []
    params: list[Any] = []
    if type is not None:
        where.append(f"{alias}.type = ?")
        params.append(type)
    if actor is not None:
        where.append(f"(instr(fold({alias}.actor), fold(?)) > 0 OR instr(fold({alias}.target), fold(?)) > 0)")
        params += [actor, actor]
    for name, bound, op in (("since", since, ">="), ("until", until, "<=")):
        if bound is not None:
            _check_date(name, bound)
            where.append(f"substr({alias}.date, 1, min(length({alias}.date), length(?))) {op} "
                         f"substr(?, 1, min(length({alias}.date), length(?)))")
            params += [bound, bound, bound]
    return where, params


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

    def replace_extraction(
        self,
        doc: Document,
        entity_mentions: Sequence[tuple[str, str, int, int]] = (),
        entities: Sequence[Entity] = (),
    ) -> None:
        """Replace a stored document's sentences, events and entity mentions with a new reading of the
        same text (after a gazetteer change), in one transaction; the new events are merged again."""
        with self._transaction(f"re-extract document {doc.id}"):
            if self.status(doc) != "unchanged":
                raise StoreError(f"document {doc.id}: its text or metadata differ from the stored version; "
                                 "ingest it instead")
            self._write(doc, entity_mentions, entities)

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
        where, params = _event_filters("e", type, actor, since, until)
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
               GROUP BY m.entity_id, m.surface""",
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

    # ---- events merged across reports (trucewatch.merge) ------------------------------------------
    # The merger reads and writes through these methods inside ``transaction``; none of them opens
    # a transaction of its own, so one document's merge commits or rolls back as a whole.

    @contextmanager
    def transaction(self, what: str) -> Iterator[None]:
        """One write transaction for a unit of work made of several calls (a document's merge)."""
        with self._transaction(what):
            yield

    def merge_queue(self) -> list[str]:
        """Documents whose merge is pending (filled by triggers when documents or events change)."""
        return [row[0] for row in self._conn.execute("SELECT doc_id FROM merge_queue ORDER BY rowid")]

    def dequeue(self, doc_id: str) -> None:
        self._conn.execute("DELETE FROM merge_queue WHERE doc_id = ?", (doc_id,))

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

    def replace_signature(self, doc_id: str, content_hash: str, minhash: bytes, keys: Sequence[int]) -> None:
        """Store a document's MinHash signature and LSH band keys, replacing any older ones."""
        self._conn.execute(
            "INSERT INTO doc_signatures (doc_id, content_hash, minhash) VALUES (?, ?, ?) ON CONFLICT(doc_id) "
            "DO UPDATE SET content_hash = excluded.content_hash, minhash = excluded.minhash",
            (doc_id, content_hash, minhash))
        self._conn.execute("DELETE FROM doc_bands WHERE doc_id = ?", (doc_id,))
        self._conn.executemany('INSERT INTO doc_bands ("key", doc_id) VALUES (?, ?)', [(k, doc_id) for k in keys])

    def band_candidates(self, keys: Sequence[int], doc_id: str) -> list[str]:
        """Other documents that share at least one LSH band key: the candidates to be copies."""
        if not keys:
            return []
        marks = ", ".join("?" for _ in keys)
        rows = self._conn.execute(
            f'SELECT DISTINCT doc_id FROM doc_bands WHERE "key" IN ({marks}) AND doc_id != ? ORDER BY doc_id',
            (*keys, doc_id))
        return [row[0] for row in rows]

    def replace_copies(self, doc_id: str, copies: Sequence[tuple[str, float]]) -> list[str]:
        """Set the documents ``doc_id`` is a copy of ((other id, Jaccard)); returns the old ones."""
        old = [row[0] for row in self._conn.execute("SELECT other_id FROM doc_copies WHERE doc_id = ?", (doc_id,))]
        self._conn.execute("DELETE FROM doc_copies WHERE doc_id = ? OR other_id = ?", (doc_id, doc_id))
        self._conn.executemany(
            "INSERT INTO doc_copies (doc_id, other_id, jaccard) VALUES (?, ?, ?)",
            [row for other, jac in copies for row in ((doc_id, other, jac), (other, doc_id, jac))])
        return old

    def copies_of(self, doc_id: str) -> list[tuple[str, float]]:
        """(other document, Jaccard similarity) for every stored copy of a document."""
        rows = self._conn.execute(
            "SELECT other_id, jaccard FROM doc_copies WHERE doc_id = ? ORDER BY other_id", (doc_id,))
        return [(row[0], row[1]) for row in rows]

    def copy_pairs(self, doc_ids: Sequence[str]) -> list[tuple[str, str]]:
        """The copy pairs among ``doc_ids`` (each pair once)."""
        if len(doc_ids) < 2:
            return []
        wanted = set(doc_ids)
        marks = ", ".join("?" for _ in wanted)
        rows = self._conn.execute(f"SELECT doc_id, other_id FROM doc_copies WHERE doc_id IN ({marks})", tuple(wanted))
        return [(a, b) for a, b in rows if a < b and b in wanted]

    def detach_document(self, doc_id: str) -> set[int]:
        """Take a document's mentions out of their merged events; returns those events' ids."""
        ids = {row[0] for row in self._conn.execute(
            "SELECT DISTINCT merged_id FROM merged_mentions WHERE doc_id = ?", (doc_id,))}
        self._conn.execute("DELETE FROM merged_mentions WHERE doc_id = ?", (doc_id,))
        self._conn.execute("DELETE FROM claims WHERE doc_id = ?", (doc_id,))
        return ids

    def detach_mentions(self, event_ids: Sequence[int]) -> None:
        self._conn.executemany("DELETE FROM merged_mentions WHERE event_id = ?", [(i,) for i in event_ids])

    def dirty_merged(self) -> list[int]:
        """Merged events that lost a mention since they were last checked."""
        return [row[0] for row in self._conn.execute("SELECT id FROM merged_events WHERE dirty = 1 ORDER BY id")]

    def merged_uses_of_force(self) -> dict[tuple[str, int, int], int]:
        """The merged event of every stored attack and strike, by (document, sentence, start)."""
        return {(row[0], row[1], row[2]): row[3] for row in self._conn.execute(
            'SELECT e.doc_id, e.sentence, e."start", m.merged_id FROM events e '
            "JOIN merged_mentions m ON m.event_id = e.id WHERE e.type IN ('attack', 'strike')")}

    def merged_ids_of_documents(self, doc_ids: Sequence[str]) -> set[int]:
        """The merged events that the given documents report."""
        if not doc_ids:
            return set()
        marks = ", ".join("?" for _ in doc_ids)
        return {row[0] for row in self._conn.execute(
            f"SELECT DISTINCT merged_id FROM merged_mentions WHERE doc_id IN ({marks})", tuple(doc_ids))}

    def merge_candidates(self, type: str, lo: str | None, hi: str | None,
                         names: Sequence[str] = ()) -> list[tuple[int, str]]:
        """(id, profile JSON) of the merged events of ``type`` a mention might belong to.

        With a date range (ISO days ``lo``..``hi``): the events whose date range overlaps it, and
        the undated ones. Without (an undated mention): the events that share one of ``names``.
        A merged date covers a year at most ("2021"), so an overlapping event starts at most a year
        before ``lo``: that bound keeps the index scan to the window, however long the ledger.
        """
        if lo is not None and hi is not None:
            floor = (datetime.fromisoformat(lo) - timedelta(days=366)).date().isoformat()
            rows = self._conn.execute(
                "SELECT id, profile FROM merged_events WHERE type = ? AND date_lo BETWEEN ? AND ? AND date_hi >= ? "
                "UNION ALL SELECT id, profile FROM merged_events WHERE type = ? AND date_lo IS NULL ORDER BY id",
                (type, floor, hi, lo, type))
        elif names:
            marks = ", ".join("?" for _ in names)
            rows = self._conn.execute(
                f"SELECT id, profile FROM merged_events WHERE type = ? AND id IN "
                f"(SELECT merged_id FROM merged_names WHERE name IN ({marks})) ORDER BY id", (type, *names))
        else:
            return []
        return [(row[0], row[1]) for row in rows]

    def create_merged(self, type: str) -> int:
        """A new, empty merged event; ``update_merged`` fills it once its mentions are added."""
        now = _now()
        cur = self._conn.execute(
            "INSERT INTO merged_events (type, created_at, updated_at) VALUES (?, ?, ?)", (type, now, now))
        return int(cur.lastrowid or 0)

    def add_mention(self, event_id: int, merged_id: int, doc_id: str, lead: bool, score: float | None,
                    evidence_key: str | None) -> None:
        """Make an event a mention of a merged event (``evidence_key``: a hash of its sentence)."""
        self._conn.execute(
            "INSERT INTO merged_mentions (event_id, merged_id, doc_id, lead, score, evidence_key) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(event_id) DO UPDATE SET merged_id = excluded.merged_id, "
            "doc_id = excluded.doc_id, lead = excluded.lead, score = excluded.score, "
            "evidence_key = excluded.evidence_key",
            (event_id, merged_id, doc_id, int(lead), score, evidence_key))

    def merged_ids_with_sentence(self, evidence_key: str) -> set[int]:
        """The merged events that hold a mention of this sentence (by its hash)."""
        return {row[0] for row in self._conn.execute(
            "SELECT DISTINCT merged_id FROM merged_mentions WHERE evidence_key = ?", (evidence_key,))}

    def delete_merged(self, merged_id: int) -> None:
        self._conn.execute("DELETE FROM merged_events WHERE id = ?", (merged_id,))

    def update_merged(self, merged_id: int, values: Event, provenance: dict[str, Provenance], *, profile: str,
                      names: Sequence[str], reports: int, sources: int, changed_sources: dict[int, str],
                      contradictions: Sequence[Contradiction], date_range: tuple[str, str] | None) -> None:
        """Write a merged event's values, provenance, profile, counts (reports, independent sources)
        and contradictions, and the new independent source of the mentions whose source changed
        (``changed_sources``: event id -> source document id)."""
        self._conn.execute(
            """UPDATE merged_events SET mode = ?, actor = ?, target = ?, location = ?, country = ?, date = ?,
                   date_source = ?, killed = ?, injured = ?, conditions = ?, mediators = ?, background = ?,
                   evidence = ?, lat = ?, lon = ?, date_lo = ?, date_hi = ?, reports = ?, sources = ?,
                   contested = ?, profile = ?, provenance = ?, dirty = 0, updated_at = ?
               WHERE id = ?""",
            (values.mode, values.actor, values.target, values.location, values.country, values.date,
             values.date_source, values.killed, values.injured,
             None if values.conditions is None else json.dumps(values.conditions),
             None if values.mediators is None else json.dumps(values.mediators), int(values.background),
             values.evidence, values.lat, values.lon, *(date_range or (None, None)), reports, sources,
             int(bool(contradictions)), profile,
             json.dumps({k: {"event_id": p.event_id, "rule": p.rule} for k, p in provenance.items()}), _now(),
             merged_id))
        self._conn.executemany("UPDATE merged_mentions SET source = ? WHERE event_id = ?",
                               [(source, event_id) for event_id, source in changed_sources.items()])
        self._conn.execute("DELETE FROM merged_names WHERE merged_id = ?", (merged_id,))
        self._conn.executemany("INSERT INTO merged_names (merged_id, name) VALUES (?, ?)",
                               [(merged_id, n) for n in dict.fromkeys(names)])
        self._conn.execute("DELETE FROM contradictions WHERE merged_id = ?", (merged_id,))
        self._conn.executemany(
            'INSERT INTO contradictions (merged_id, attribute, "values") VALUES (?, ?, ?)',
            [(merged_id, c.attribute, json.dumps([v.to_dict() for v in c.values], ensure_ascii=False))
             for c in contradictions])

    def save_attributions(self, rows: Sequence[tuple[int, Attribution]]) -> None:
        """Who each mention (event id) is attributed to, replacing earlier answers."""
        self._conn.executemany(
            "INSERT INTO attributions (event_id, speaker, entity, via, cue) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(event_id) DO UPDATE SET speaker = excluded.speaker, entity = excluded.entity, "
            "via = excluded.via, cue = excluded.cue",
            [(event_id, a.speaker, a.entity, a.via, a.cue) for event_id, a in rows])

    def replace_claims(self, doc_id: str, claims: Sequence[Claim]) -> None:
        """A document's claims and denials (each attached to one of its events), replacing old ones."""
        self._conn.execute("DELETE FROM claims WHERE doc_id = ?", (doc_id,))
        self._conn.executemany(
            "INSERT INTO claims (doc_id, event_id, sentence, kind, party, said_by, cue, text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, c.event_id, c.sentence, c.kind, c.party, c.said_by, c.cue, c.text) for c in claims])

    # The columns a mention needs (not e.*: a hot event has hundreds of mentions, read on every change).
    _MENTION_SELECT = """SELECT e.id, e.doc_id, e.type, e.mode, e.actor, e.target, e.location, e.country, e.date,
               e.killed, e.injured, e.conditions, e.mediators, e.background, e.evidence, e.sentence, e."trigger",
               e.date_source, e.attribution, e.lat, e.lon, mm.lead, mm.score, mm.source,
               d.published AS doc_published, d.outlet AS doc_outlet, d.url AS doc_url, d.title AS doc_title,
               a.speaker AS a_speaker, a.entity AS a_entity, a.via AS a_via, a.cue AS a_cue
           FROM merged_mentions mm JOIN events e ON e.id = mm.event_id JOIN documents d ON d.id = e.doc_id
           LEFT JOIN attributions a ON a.event_id = e.id"""

    def merged_mentions(self, merged_id: int) -> list[MentionRecord]:
        """The mentions of one merged event, oldest report first, each with the independent source
        the merger last gave it (its own report until then)."""
        rows = self._conn.execute(
            f"{self._MENTION_SELECT} WHERE mm.merged_id = ? ORDER BY d.published IS NULL, d.published, e.id",
            (merged_id,))
        return [self._mention(row) for row in rows]

    def mention_records(self, event_ids: Sequence[int]) -> list[MentionRecord]:
        """The mentions with these event ids (in no particular order)."""
        out: list[MentionRecord] = []
        for lo in range(0, len(event_ids), 500):  # SQLite caps the number of parameters
            chunk = event_ids[lo:lo + 500]
            marks = ", ".join("?" for _ in chunk)
            out += [self._mention(row) for row in self._conn.execute(
                f"{self._MENTION_SELECT} WHERE mm.event_id IN ({marks})", tuple(chunk))]
        return out

    def mention_links(self, merged_id: int) -> list[tuple[int, bool, float | None, str | None]]:
        """(event id, lead, score, source) of each mention of a merged event: what changes about a
        mention once stored (its event row never does), cheap to read on every change."""
        return [(row[0], bool(row[1]), row[2], row[3]) for row in self._conn.execute(
            "SELECT event_id, lead, score, source FROM merged_mentions WHERE merged_id = ?", (merged_id,))]

    @staticmethod
    def _mention(row: sqlite3.Row) -> MentionRecord:
        event = Event(
            type=row["type"], mode=row["mode"], actor=row["actor"], target=row["target"], location=row["location"],
            country=row["country"], date=row["date"], killed=row["killed"], injured=row["injured"],
            conditions=None if row["conditions"] is None else json.loads(row["conditions"]),
            mediators=None if row["mediators"] is None else json.loads(row["mediators"]),
            background=bool(row["background"]), evidence=row["evidence"], doc_id=row["doc_id"],
            sentence=row["sentence"], trigger=row["trigger"], date_source=row["date_source"],
            attribution=row["attribution"], lat=row["lat"], lon=row["lon"])
        attribution: Attribution | None = None
        if event.attribution:
            attribution = Attribution(speaker=event.attribution, cue="")
        elif row["a_cue"] is not None:
            attribution = Attribution(row["a_speaker"], row["a_entity"], row["a_via"], row["a_cue"])
        return MentionRecord(
            event_id=row["id"], event=event, published=row["doc_published"], outlet=row["doc_outlet"],
            url=row["doc_url"], title=row["doc_title"], lead=bool(row["lead"]), score=row["score"],
            attribution=attribution, source=row["source"] or event.doc_id)

    def merged_events(
        self,
        *,
        type: str | None = None,  # named like the Event field and CLI option
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        text: str | None = None,
        contested: bool = False,
        limit: int | None = None,
    ) -> list[MergedEvent]:
        """Merged events matching every filter, newest first (the filters of ``events``, applied
        to merged values; ``text`` searches the evidence of any of their mentions; ``contested``
        keeps those whose reports contradict each other). Mentions and claims are not loaded."""
        where, params = _event_filters("m", type, actor, since, until)
        if text is not None and (query := _fts_query(text)) is not None:
            where.append("m.id IN (SELECT merged_id FROM merged_mentions WHERE event_id IN "
                         "(SELECT rowid FROM events_fts WHERE events_fts MATCH ?))")
            params.append(query)
        if contested:
            where.append("m.contested = 1")
        sql = f"""SELECT m.* FROM merged_events m WHERE m.reports > 0
                  {"AND " + " AND ".join(where) if where else ""}
                  ORDER BY m.date IS NULL, m.date DESC, m.sources DESC, m.id"""
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [self._merged(row) for row in self._conn.execute(sql, params).fetchall()]

    def merged_event(self, merged_id: int) -> MergedEvent | None:
        """One merged event with its mentions, claims and contradictions; None when there is none."""
        row = self._conn.execute("SELECT * FROM merged_events WHERE id = ?", (merged_id,)).fetchone()
        if row is None:
            return None
        merged = self._merged(row)
        merged.mentions = self.merged_mentions(merged_id)
        merged.claims = [
            Claim(kind=c["kind"], party=c["party"], said_by=c["said_by"], cue=c["cue"], text=c["text"],
                  doc_id=c["doc_id"], event_id=c["event_id"], sentence=c["sentence"])
            for c in self._conn.execute(
                "SELECT c.* FROM claims c JOIN merged_mentions mm ON mm.event_id = c.event_id "
                "WHERE mm.merged_id = ? ORDER BY c.doc_id, c.sentence, c.id", (merged_id,))
        ]
        return merged

    def _merged(self, row: sqlite3.Row) -> MergedEvent:
        values = Event(
            type=row["type"], mode=row["mode"], actor=row["actor"], target=row["target"],
            location=row["location"], country=row["country"], date=row["date"], killed=row["killed"],
            injured=row["injured"],
            conditions=None if row["conditions"] is None else json.loads(row["conditions"]),
            mediators=None if row["mediators"] is None else json.loads(row["mediators"]),
            background=bool(row["background"]), evidence=row["evidence"], date_source=row["date_source"],
            lat=row["lat"], lon=row["lon"])
        provenance = {k: Provenance(v["event_id"], v["rule"]) for k, v in json.loads(row["provenance"]).items()}
        contradictions = [
            Contradiction.from_dict({"attribute": c["attribute"], "values": json.loads(c["values"])})
            for c in self._conn.execute(
                "SELECT attribute, \"values\" FROM contradictions WHERE merged_id = ? ORDER BY id", (row["id"],))
        ]
        return MergedEvent(id=row["id"], event=values, reports=row["reports"], sources=row["sources"],
                           provenance=provenance, contradictions=contradictions)

    def merged_counts(self) -> dict[str, int]:
        """Merged events, contested ones, and mentions: for summaries and checks."""
        row = self._conn.execute(
            "SELECT count(*), coalesce(sum(contested), 0) FROM merged_events WHERE reports > 0").fetchone()
        mentions = self._conn.execute("SELECT count(*) FROM merged_mentions").fetchone()[0]
        return {"merged_events": row[0], "contested": row[1], "mentions": mentions}
