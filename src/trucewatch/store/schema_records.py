"""Schema steps 4-7: what is built from the ledger or kept beside it: the truce records, stored for
SQL and datasette users, reference data sets imported for comparison, the count of writes and the
web's covering index. Applied in order by
:mod:`trucewatch.store.migrations`; a released step is never edited."""

from __future__ import annotations

from trucewatch.store.schema_ledger import Migration

# Truce records (trucewatch.ledger) stored for SQL and datasette users. They are built from the whole
# ledger, so they are rebuilt as a whole after an ingest changes it: triggers mark them stale when
# events, their merging or a publication date change, and ``refresh_truces`` rebuilds stale ones.
# Lists of names are "; "-joined text (what a spreadsheet user reads); ``record`` keeps the whole
# record as JSON, evidence lists as JSON arrays of {doc_id, sentence, type, date, text}.
TRUCES = Migration(
    name="0004_truces",
    statements=(
        """CREATE TABLE truces (
            id TEXT PRIMARY KEY,
            status TEXT NOT NULL,
            scope TEXT NOT NULL,
            parties TEXT NOT NULL,
            counterpart TEXT NOT NULL,
            mediators TEXT NOT NULL,
            countries TEXT NOT NULL,
            places TEXT NOT NULL,
            announced TEXT,
            agreed TEXT,
            effective TEXT,
            start TEXT,
            expires TEXT,
            ended TEXT,
            ended_how TEXT,
            violations INTEGER NOT NULL,
            disowned INTEGER NOT NULL,
            conditions INTEGER NOT NULL,
            conditions_met INTEGER NOT NULL,
            days_of_calm INTEGER,
            as_of TEXT NOT NULL,
            record TEXT NOT NULL
        )""",
        """CREATE TABLE truce_conditions (
            truce_id TEXT NOT NULL REFERENCES truces(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            text TEXT NOT NULL,
            binds TEXT,
            deadline TEXT,
            duration TEXT,
            status TEXT NOT NULL,
            met_on TEXT,
            met_by_doc TEXT,
            met_by_sentence INTEGER,
            PRIMARY KEY (truce_id, idx)
        )""",
        """CREATE TABLE truce_history (
            truce_id TEXT NOT NULL REFERENCES truces(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            date TEXT,
            status TEXT NOT NULL,
            note TEXT NOT NULL,
            evidence TEXT NOT NULL,
            PRIMARY KEY (truce_id, idx)
        )""",
        """CREATE TABLE truce_violations (
            truce_id TEXT NOT NULL REFERENCES truces(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            date TEXT,
            type TEXT NOT NULL,
            mode TEXT,
            actor TEXT,
            target TEXT,
            location TEXT,
            country TEXT,
            killed INTEGER,
            injured INTEGER,
            by_side TEXT NOT NULL,
            disavowed INTEGER NOT NULL CHECK (disavowed IN (0, 1)),
            evidence TEXT NOT NULL,
            PRIMARY KEY (truce_id, idx)
        )""",
        """CREATE TABLE truce_sources (
            truce_id TEXT NOT NULL REFERENCES truces(id) ON DELETE CASCADE,
            doc_id TEXT NOT NULL,
            outlet TEXT,
            url TEXT,
            published TEXT,
            title TEXT,
            PRIMARY KEY (truce_id, doc_id)
        )""",
        # One row: whether the stored records still describe the ledger, and when they were built.
        """CREATE TABLE truce_state (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            stale INTEGER NOT NULL CHECK (stale IN (0, 1)),
            built_at TEXT
        )""",
        "INSERT INTO truce_state (id, stale, built_at) VALUES (1, 1, NULL)",
        """CREATE TRIGGER truces_stale_event_insert AFTER INSERT ON events BEGIN
            UPDATE truce_state SET stale = 1 WHERE stale = 0;
        END""",
        """CREATE TRIGGER truces_stale_event_delete AFTER DELETE ON events BEGIN
            UPDATE truce_state SET stale = 1 WHERE stale = 0;
        END""",
        """CREATE TRIGGER truces_stale_published AFTER UPDATE OF published ON documents BEGIN
            UPDATE truce_state SET stale = 1 WHERE stale = 0;
        END""",
        """CREATE TRIGGER truces_stale_merge_insert AFTER INSERT ON merged_mentions BEGIN
            UPDATE truce_state SET stale = 1 WHERE stale = 0;
        END""",
        """CREATE TRIGGER truces_stale_merge_update AFTER UPDATE OF merged_id ON merged_mentions BEGIN
            UPDATE truce_state SET stale = 1 WHERE stale = 0;
        END""",
    ),
)

# Reference data sets: another dataset's records kept beside the ledger for comparison
# (``trucewatch import``, ``trucewatch compare``), never mixed with extracted events. A set is
# named and replaced whole on re-import. ``acled_events`` holds ACLED's own columns (ACLED
# codebook names) as imported; the row's other columns are kept in ``extra`` (JSON).
REFERENCE = Migration(
    name="0005_reference_sets",
    statements=(
        """CREATE TABLE reference_sets (
            name TEXT PRIMARY KEY,
            format TEXT NOT NULL,
            source_path TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            rows INTEGER NOT NULL,
            imported_at TEXT NOT NULL
        )""",
        """CREATE TABLE acled_events (
            set_name TEXT NOT NULL REFERENCES reference_sets(name) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            event_id_cnty TEXT,
            event_date TEXT NOT NULL,
            year INTEGER,
            time_precision INTEGER CHECK (time_precision IS NULL OR time_precision IN (1, 2, 3)),
            event_type TEXT NOT NULL,
            sub_event_type TEXT,
            actor1 TEXT,
            assoc_actor_1 TEXT,
            inter1 TEXT,
            actor2 TEXT,
            assoc_actor_2 TEXT,
            inter2 TEXT,
            interaction TEXT,
            country TEXT,
            admin1 TEXT,
            admin2 TEXT,
            admin3 TEXT,
            location TEXT,
            latitude REAL,
            longitude REAL,
            geo_precision INTEGER CHECK (geo_precision IS NULL OR geo_precision IN (1, 2, 3)),
            source TEXT,
            notes TEXT,
            fatalities INTEGER CHECK (fatalities IS NULL OR fatalities >= 0),
            extra TEXT NOT NULL DEFAULT '{}',
            PRIMARY KEY (set_name, line)
        )""",
        "CREATE INDEX acled_events_date ON acled_events(set_name, event_date)",
    ),
)

# A count of the committed writes to the ledger, one row: every write transaction of the store adds
# one before it commits (:meth:`~trucewatch.store.base.StoreBase._transaction`), so a reader that
# keeps results (the web server) sees in one cheap query whether the ledger changed, on either store
# (a file's modification time says nothing of a server, and SQLite's ``data_version`` is per connection).
LEDGER_CHANGES = Migration(
    name="0006_ledger_changes",
    statements=(
        """CREATE TABLE ledger_changes (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            writes INTEGER NOT NULL
        )""",
        "INSERT INTO ledger_changes (id, writes) VALUES (1, 0)",
    ),
)

# Every column the web's views read of a merged event, in date order: the overview's counts and the
# map are read from the index alone, in order, without touching the table (about 10-35% faster per
# query on 100,000 events). ANALYZE gives the planner the figures to prefer it.
MERGED_EVENTS_VIEW = Migration(
    name="0007_merged_events_view",
    statements=(
        """CREATE INDEX merged_events_view ON merged_events(date, type, reports, contested, background, killed,
            injured, lat, lon, country, location, actor, target)""",
        "ANALYZE",
    ),
)
