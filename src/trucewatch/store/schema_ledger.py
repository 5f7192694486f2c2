"""Schema steps 1-3: the ledger itself (documents, sentences, events, entities, rejections, full-text
index) and the events merged across reports. Applied in order by :mod:`trucewatch.store.migrations`;
a released step is never edited."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    """One schema step. Statements are kept apart (not one script) because ``executescript``
    commits on its own and would break the one-transaction rule."""

    name: str
    statements: tuple[str, ...]

INITIAL = Migration(
    name="0001_initial",
    statements=(
        """CREATE TABLE migrations (
            name TEXT PRIMARY KEY,
            applied_at TEXT NOT NULL
        )""",
        """CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            url TEXT,
            outlet TEXT,
            published TEXT,
            published_source TEXT,
            title TEXT,
            author TEXT,
            text TEXT NOT NULL,
            source_path TEXT,
            removed TEXT NOT NULL DEFAULT '[]',
            warnings TEXT NOT NULL DEFAULT '[]',
            ingested_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE sentences (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            "start" INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (doc_id, idx)
        )""",
        # AUTOINCREMENT so that an event id is never handed to a different event after a document
        # is updated: ledger records and exports may keep pointing at old ids.
        # The CHECKs make bad counts fail loudly at save time instead of corrupting sums later.
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            mode TEXT,
            actor TEXT,
            target TEXT,
            location TEXT,
            country TEXT,
            date TEXT,
            killed INTEGER CHECK (killed IS NULL OR (typeof(killed) = 'integer' AND killed >= 0)),
            injured INTEGER CHECK (injured IS NULL OR (typeof(injured) = 'integer' AND injured >= 0)),
            conditions TEXT,
            mediators TEXT,
            background INTEGER NOT NULL CHECK (background IN (0, 1)),
            evidence TEXT NOT NULL,
            sentence INTEGER NOT NULL,
            "start" INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            "trigger" TEXT NOT NULL,
            date_source TEXT,
            deadline TEXT,
            attribution TEXT,
            hedged INTEGER NOT NULL CHECK (hedged IN (0, 1)),
            lat REAL,
            lon REAL,
            mentions TEXT NOT NULL DEFAULT '[]'
        )""",
        "CREATE INDEX events_doc ON events(doc_id)",
        "CREATE INDEX events_type_date ON events(type, date)",
        "CREATE INDEX events_date ON events(date)",
        """CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            type TEXT NOT NULL,
            country TEXT,
            province TEXT,
            lat REAL,
            lon REAL,
            aliases TEXT NOT NULL DEFAULT '[]',
            relations TEXT NOT NULL DEFAULT '[]',
            provisional INTEGER NOT NULL DEFAULT 0 CHECK (provisional IN (0, 1))
        )""",
        # entity_id has no foreign key on purpose: mentions of gazetteer entities are recorded even
        # when the gazetteer entry itself is not copied into the database.
        """CREATE TABLE entity_mentions (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            entity_id TEXT NOT NULL,
            surface TEXT NOT NULL,
            "start" INTEGER NOT NULL,
            "end" INTEGER NOT NULL
        )""",
        "CREATE INDEX entity_mentions_doc ON entity_mentions(doc_id)",
        "CREATE INDEX entity_mentions_entity ON entity_mentions(entity_id)",
        # The same rejection seen on a re-run is the same fact, not a new one: the unique index
        # (line NULL folded to -1, since NULLs never collide) keeps re-runs from inflating counts.
        """CREATE TABLE rejections (
            id INTEGER PRIMARY KEY,
            input TEXT NOT NULL,
            line INTEGER,
            stage TEXT NOT NULL,
            reason TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE UNIQUE INDEX rejections_unique ON rejections(input, coalesce(line, -1), stage, reason)",
        # Full-text index over event evidence plus the title of the event's document; rowid is the
        # event id. Triggers keep it in step with events (cascaded deletes fire them too) and with
        # title edits, so no writer can forget to update it.
        """CREATE VIRTUAL TABLE events_fts USING fts5(
            evidence, title, tokenize = 'unicode61 remove_diacritics 2'
        )""",
        """CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
            INSERT INTO events_fts(rowid, evidence, title)
            VALUES (new.id, new.evidence, (SELECT title FROM documents WHERE id = new.doc_id));
        END""",
        """CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
            DELETE FROM events_fts WHERE rowid = old.id;
        END""",
        """CREATE TRIGGER events_fts_update AFTER UPDATE OF evidence, doc_id ON events BEGIN
            UPDATE events_fts
            SET evidence = new.evidence, title = (SELECT title FROM documents WHERE id = new.doc_id)
            WHERE rowid = new.id;
        END""",
        """CREATE TRIGGER documents_fts_title AFTER UPDATE OF title ON documents BEGIN
            UPDATE events_fts SET title = new.title
            WHERE rowid IN (SELECT id FROM events WHERE doc_id = new.id);
        END""",
    ),
)

# Events merged across reports (trucewatch.merge): copies of one text, one row per real-world event
# with the per-report events behind it, contradictions, claims and attributions.
MERGED_EVENTS = Migration(
    name="0002_merged_events",
    statements=(
        # MinHash signature of each document's text (128 uint32 values) and its LSH band keys: a
        # new report finds its possible copies by one indexed lookup of its keys.
        """CREATE TABLE doc_signatures (
            doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
            content_hash TEXT NOT NULL,
            minhash BLOB NOT NULL
        )""",
        """CREATE TABLE doc_bands (
            "key" INTEGER NOT NULL,
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE
        )""",
        'CREATE INDEX doc_bands_key ON doc_bands("key")',
        "CREATE INDEX doc_bands_doc ON doc_bands(doc_id)",
        # Confirmed copies, stored in both directions so that either end finds the other.
        """CREATE TABLE doc_copies (
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            other_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            jaccard REAL NOT NULL,
            PRIMARY KEY (doc_id, other_id)
        )""",
        "CREATE INDEX doc_copies_other ON doc_copies(other_id)",
        # One row per real-world event, with merged values. date_lo/date_hi are the days the merged
        # date covers (for the candidate search); profile is what coreference compares (JSON);
        # provenance maps each attribute to the mention that gave it and the rule (JSON). dirty
        # marks an event that lost a mention and must be re-checked.
        """CREATE TABLE merged_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            type TEXT NOT NULL,
            mode TEXT,
            actor TEXT,
            target TEXT,
            location TEXT,
            country TEXT,
            date TEXT,
            date_source TEXT,
            killed INTEGER,
            injured INTEGER,
            conditions TEXT,
            mediators TEXT,
            background INTEGER NOT NULL DEFAULT 0 CHECK (background IN (0, 1)),
            evidence TEXT NOT NULL DEFAULT '',
            lat REAL,
            lon REAL,
            date_lo TEXT,
            date_hi TEXT,
            reports INTEGER NOT NULL DEFAULT 0,
            sources INTEGER NOT NULL DEFAULT 0,
            contested INTEGER NOT NULL DEFAULT 0 CHECK (contested IN (0, 1)),
            profile TEXT NOT NULL DEFAULT '{}',
            provenance TEXT NOT NULL DEFAULT '{}',
            dirty INTEGER NOT NULL DEFAULT 0 CHECK (dirty IN (0, 1)),
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX merged_events_type_date ON merged_events(type, date_lo)",
        "CREATE INDEX merged_events_date ON merged_events(date)",
        "CREATE INDEX merged_events_dirty ON merged_events(dirty) WHERE dirty = 1",
        # Names of each merged event, for the candidates of a mention that gives no date.
        """CREATE TABLE merged_names (
            merged_id INTEGER NOT NULL REFERENCES merged_events(id) ON DELETE CASCADE,
            name TEXT NOT NULL
        )""",
        "CREATE INDEX merged_names_name ON merged_names(name)",
        "CREATE INDEX merged_names_merged ON merged_names(merged_id)",
        # A report's event as a mention of a merged event. event_id has no foreign key on purpose:
        # the trigger below removes the mention and marks its merged event dirty when the event
        # is deleted (a report re-ingested), which a cascade could not do. lead marks the report's
        # first news event (the story it tells); source is its independent source (the earliest
        # report of its copies).
        """CREATE TABLE merged_mentions (
            event_id INTEGER PRIMARY KEY,
            merged_id INTEGER NOT NULL REFERENCES merged_events(id) ON DELETE CASCADE,
            doc_id TEXT NOT NULL,
            lead INTEGER NOT NULL DEFAULT 0 CHECK (lead IN (0, 1)),
            score REAL,
            source TEXT
        )""",
        "CREATE INDEX merged_mentions_merged ON merged_mentions(merged_id)",
        "CREATE INDEX merged_mentions_doc ON merged_mentions(doc_id)",
        """CREATE TABLE contradictions (
            id INTEGER PRIMARY KEY,
            merged_id INTEGER NOT NULL REFERENCES merged_events(id) ON DELETE CASCADE,
            attribute TEXT NOT NULL,
            "values" TEXT NOT NULL
        )""",
        "CREATE INDEX contradictions_merged ON contradictions(merged_id)",
        """CREATE TABLE claims (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            sentence INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('claim', 'denial', 'no_claim', 'accusation')),
            party TEXT,
            said_by TEXT,
            cue TEXT NOT NULL,
            text TEXT NOT NULL
        )""",
        "CREATE INDEX claims_event ON claims(event_id)",
        "CREATE INDEX claims_doc ON claims(doc_id)",
        # Who each mention is attributed to, when the extractor left Event.attribution empty.
        """CREATE TABLE attributions (
            event_id INTEGER PRIMARY KEY REFERENCES events(id) ON DELETE CASCADE,
            speaker TEXT,
            entity TEXT,
            via TEXT,
            cue TEXT NOT NULL
        )""",
        # Documents whose merge is pending. Triggers fill it, so any writer of documents and
        # events (not only the pipeline) leaves work the merger will find; the merger empties it.
        # (NOT EXISTS, not INSERT OR IGNORE: an outer statement's conflict clause, such as the
        # documents upsert, would override the trigger's.)
        "CREATE TABLE merge_queue (doc_id TEXT PRIMARY KEY)",
        """CREATE TRIGGER merge_queue_document_insert AFTER INSERT ON documents BEGIN
            INSERT INTO merge_queue(doc_id) SELECT new.id
            WHERE NOT EXISTS (SELECT 1 FROM merge_queue WHERE doc_id = new.id);
        END""",
        """CREATE TRIGGER merge_queue_document_update AFTER UPDATE OF content_hash, published, outlet, removed
            ON documents BEGIN
            INSERT INTO merge_queue(doc_id) SELECT new.id
            WHERE NOT EXISTS (SELECT 1 FROM merge_queue WHERE doc_id = new.id);
        END""",
        """CREATE TRIGGER merge_queue_document_delete AFTER DELETE ON documents BEGIN
            INSERT INTO merge_queue(doc_id) SELECT old.id
            WHERE NOT EXISTS (SELECT 1 FROM merge_queue WHERE doc_id = old.id);
        END""",
        """CREATE TRIGGER merge_queue_event_insert AFTER INSERT ON events BEGIN
            INSERT INTO merge_queue(doc_id) SELECT new.doc_id
            WHERE NOT EXISTS (SELECT 1 FROM merge_queue WHERE doc_id = new.doc_id);
        END""",
        """CREATE TRIGGER merged_mentions_event_delete AFTER DELETE ON events BEGIN
            UPDATE merged_events SET dirty = 1
            WHERE id = (SELECT merged_id FROM merged_mentions WHERE event_id = old.id);
            DELETE FROM merged_mentions WHERE event_id = old.id;
        END""",
        # Ledgers written before this migration are merged on the next run.
        "INSERT INTO merge_queue(doc_id) SELECT id FROM documents",
    ),
)

# The sentence of each mention as a short hash, so that a syndicated copy's event finds the merged
# event that holds the same sentence by an index lookup, whatever the size of that event.
MENTION_SENTENCES = Migration(
    name="0003_mention_sentences",
    statements=(
        "ALTER TABLE merged_mentions ADD COLUMN evidence_key TEXT",
        "CREATE INDEX merged_mentions_evidence ON merged_mentions(evidence_key) WHERE evidence_key IS NOT NULL",
    ),
)
