"""The database schema, as an ordered list of migrations.

A database's schema version is the number of migrations applied to it (SQLite's ``PRAGMA
user_version``; on PostgreSQL the number of rows of the ``migrations`` table, which records the name and
time of each one in both). A migration runs inside one
transaction together with its record and the version bump, so a database is never left half
migrated: either the whole step is there or none of it is. Never edit a released migration;
append a new one, so that existing ledgers can be brought forward. The steps themselves are in
:mod:`~trucewatch.store.schema_ledger` (the ledger) and :mod:`~trucewatch.store.schema_records`
(truce records and reference data), and their PostgreSQL spellings, under the same names, in
``schema_pg_ledger`` and ``schema_pg_records``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from trucewatch.errors import StoreError
from trucewatch.store import schema_pg_ledger as pg
from trucewatch.store import schema_pg_records as pg_records
from trucewatch.store.connection import SqliteConnection
from trucewatch.store.schema_ledger import INITIAL, MENTION_SENTENCES, MERGED_EVENTS, Migration
from trucewatch.store.schema_records import LEDGER_CHANGES, MERGED_EVENTS_VIEW, REFERENCE, TRUCES

__all__ = ["MIGRATIONS", "PG_MIGRATIONS", "Migration", "migrate", "schema_version"]

MIGRATIONS: tuple[Migration, ...] = (INITIAL, MERGED_EVENTS, MENTION_SENTENCES, TRUCES, REFERENCE, LEDGER_CHANGES,
                                     MERGED_EVENTS_VIEW)
# The same steps, under the same names, for PostgreSQL.
PG_MIGRATIONS: tuple[Migration, ...] = (pg.INITIAL, pg.MERGED_EVENTS, pg.MENTION_SENTENCES, pg_records.TRUCES,
                                        pg_records.REFERENCE, pg_records.LEDGER_CHANGES, pg_records.MERGED_EVENTS_VIEW)


def schema_version(conn: sqlite3.Connection | Any) -> int:
    """The number of migrations applied to the database behind ``conn`` (a ``sqlite3.Connection``
    or one of :mod:`trucewatch.store.connection`'s)."""
    if getattr(conn, "dialect", None) is None or conn.dialect.name == "sqlite":
        version: int = conn.execute("PRAGMA user_version").fetchone()[0]
        return version
    # Read from the catalog table itself, not by name lookup (to_regclass): a lookup made before
    # another process created the table is remembered by the session until it next locks a table,
    # and an advisory lock is not one; reading pg_class locks it, so later lookups see the table.
    if not conn.execute(
            "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relname = 'migrations' AND n.nspname = current_schema()").fetchone()[0]:
        return 0
    return int(conn.execute("SELECT count(*) FROM migrations").fetchone()[0])


def migrate(conn: sqlite3.Connection | Any, where: str, migrations: Sequence[Migration] | None = None) -> int:
    """Bring the database up to ``len(migrations)`` (by default every step of its dialect), one
    transaction per migration; return the version.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so that the transactions here are
    the only ones. A database already up to date is only read (a reader takes no write lock); else
    the version is read again under the write lock, so two processes opening a new database at once
    cannot apply the same migration twice. ``where`` names the database in errors.
    """
    if isinstance(conn, sqlite3.Connection):
        conn = _Plain(conn)
    sqlite = conn.dialect.name == "sqlite"
    if migrations is None:
        migrations = MIGRATIONS if sqlite else PG_MIGRATIONS
    locked = False
    while True:
        version = schema_version(conn)
        if version < len(migrations) and not locked:
            conn.begin(exclusive=True)
            locked = True
            continue
        if version >= len(migrations):
            if locked:
                conn.commit()
            if version > len(migrations):
                raise StoreError(
                    f"{where}: database schema version {version} is newer than this trucewatch "
                    f"knows (up to {len(migrations)}); upgrade trucewatch to open it"
                )
            return version
        step = migrations[version]
        try:
            for statement in step.statements:
                conn.execute(statement)
            conn.execute(
                "INSERT INTO migrations(name, applied_at) VALUES (?, ?)",
                (step.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
            if sqlite:
                # PRAGMA takes no parameters; the value is an int computed here, not user input.
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.commit()
            locked = False
        except conn.errors as e:
            conn.rollback()
            raise StoreError(f"{where}: migration {step.name} failed: {' '.join(str(e).split())}") from e


class _Plain(SqliteConnection):
    """A bare ``sqlite3.Connection`` (tests migrate one) seen as a ``SqliteConnection``."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
