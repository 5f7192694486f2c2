"""Schema steps 4-7 on PostgreSQL: the truce records, the reference data sets, the count of writes
and the web's covering index of
:mod:`trucewatch.store.schema_records`, under the same migration names (see
:mod:`trucewatch.store.schema_pg_ledger` for how SQLite's terms are spelled here). A released step is
never edited."""

from __future__ import annotations

from trucewatch.store.schema_ledger import Migration
from trucewatch.store.schema_pg_ledger import tables

TRUCES = Migration(
    name="0004_truces",
    statements=(
        *tables(
            """CREATE TABLE truces (
                rowid BIGSERIAL NOT NULL,
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
                violations BIGINT NOT NULL,
                disowned BIGINT NOT NULL,
                conditions BIGINT NOT NULL,
                conditions_met BIGINT NOT NULL,
                days_of_calm BIGINT,
                as_of TEXT NOT NULL,
                record TEXT NOT NULL
            )""",
            """CREATE TABLE truce_conditions (
                truce_id TEXT NOT NULL REFERENCES truces(id) ON DELETE CASCADE,
                idx BIGINT NOT NULL,
                text TEXT NOT NULL,
                binds TEXT,
                deadline TEXT,
                duration TEXT,
                status TEXT NOT NULL,
                met_on TEXT,
                met_by_doc TEXT,
                met_by_sentence BIGINT,
                PRIMARY KEY (truce_id, idx)
            )""",
            """CREATE TABLE truce_history (
                truce_id TEXT NOT NULL REFERENCES truces(id) ON DELETE CASCADE,
                idx BIGINT NOT NULL,
                date TEXT,
                status TEXT NOT NULL,
                note TEXT NOT NULL,
                evidence TEXT NOT NULL,
                PRIMARY KEY (truce_id, idx)
            )""",
            """CREATE TABLE truce_violations (
                truce_id TEXT NOT NULL REFERENCES truces(id) ON DELETE CASCADE,
                idx BIGINT NOT NULL,
                date TEXT,
                type TEXT NOT NULL,
                mode TEXT,
                actor TEXT,
                target TEXT,
                location TEXT,
                country TEXT,
                killed BIGINT,
                injured BIGINT,
                by_side TEXT NOT NULL,
                disavowed BIGINT NOT NULL CHECK (disavowed IN (0, 1)),
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
            """CREATE TABLE truce_state (
                id BIGINT PRIMARY KEY CHECK (id = 1),
                stale BIGINT NOT NULL CHECK (stale IN (0, 1)),
                built_at TEXT
            )""",
        ),
        "INSERT INTO truce_state (id, stale, built_at) VALUES (1, 1, NULL)",
        # Counts the changes that make the records stale, outside transactions (a sequence): a
        # rebuild compares it before and after, to tell a writer that changed the ledger meanwhile.
        "CREATE SEQUENCE truce_changes",
        """CREATE FUNCTION truces_stale() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM nextval('truce_changes');
            UPDATE truce_state SET stale = 1 WHERE stale = 0;
            RETURN NULL;
        END $$""",
        "CREATE TRIGGER truces_stale_event_insert AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION truces_stale()",
        "CREATE TRIGGER truces_stale_event_delete AFTER DELETE ON events FOR EACH ROW EXECUTE FUNCTION truces_stale()",
        """CREATE TRIGGER truces_stale_published AFTER UPDATE OF published ON documents
            FOR EACH ROW EXECUTE FUNCTION truces_stale()""",
        """CREATE TRIGGER truces_stale_merge_insert AFTER INSERT ON merged_mentions
            FOR EACH ROW EXECUTE FUNCTION truces_stale()""",
        """CREATE TRIGGER truces_stale_merge_update AFTER UPDATE OF merged_id ON merged_mentions
            FOR EACH ROW EXECUTE FUNCTION truces_stale()""",
    ),
)

REFERENCE = Migration(
    name="0005_reference_sets",
    statements=(
        *tables(
            """CREATE TABLE reference_sets (
                name TEXT PRIMARY KEY,
                format TEXT NOT NULL,
                source_path TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                rows BIGINT NOT NULL,
                imported_at TEXT NOT NULL
            )""",
            """CREATE TABLE acled_events (
                set_name TEXT NOT NULL REFERENCES reference_sets(name) ON DELETE CASCADE,
                line BIGINT NOT NULL,
                event_id_cnty TEXT,
                event_date TEXT NOT NULL,
                year BIGINT,
                time_precision BIGINT CHECK (time_precision IS NULL OR time_precision IN (1, 2, 3)),
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
                latitude DOUBLE PRECISION,
                longitude DOUBLE PRECISION,
                geo_precision BIGINT CHECK (geo_precision IS NULL OR geo_precision IN (1, 2, 3)),
                source TEXT,
                notes TEXT,
                fatalities BIGINT CHECK (fatalities IS NULL OR fatalities >= 0),
                extra TEXT NOT NULL DEFAULT '{}',
                PRIMARY KEY (set_name, line)
            )""",
        ),
        "CREATE INDEX acled_events_date ON acled_events(set_name, event_date)",
    ),
)

LEDGER_CHANGES = Migration(
    name="0006_ledger_changes",
    statements=(
        *tables(
            """CREATE TABLE ledger_changes (
                id BIGINT PRIMARY KEY CHECK (id = 1),
                writes BIGINT NOT NULL
            )""",
        ),
        "INSERT INTO ledger_changes (id, writes) VALUES (1, 0)",
    ),
)

MERGED_EVENTS_VIEW = Migration(
    name="0007_merged_events_view",
    statements=(
        """CREATE INDEX merged_events_view ON merged_events(date, type, reports, contested, background, killed,
            injured, lat, lon, country, location, actor, target)""",
        "ANALYZE",
    ),
)
