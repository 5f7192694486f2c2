"""The database schema, as an ordered list of migrations.

A database's schema version (``PRAGMA user_version``) is the number of migrations applied to it,
and the ``migrations`` table records the name and time of each one. A migration runs inside one
transaction together with its record and the version bump, so a database is never left half
migrated: either the whole step is there or none of it is. Never edit a released migration;
append a new one, so that existing ledgers can be brought forward. The steps themselves are in
:mod:`~trucewatch.store.schema_ledger` (the ledger) and :mod:`~trucewatch.store.schema_records`
(truce records and reference data).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from trucewatch.errors import StoreError
from trucewatch.store.schema_ledger import INITIAL, MENTION_SENTENCES, MERGED_EVENTS, Migration
from trucewatch.store.schema_records import REFERENCE, TRUCES

__all__ = ["MIGRATIONS", "Migration", "migrate", "schema_version"]

MIGRATIONS: tuple[Migration, ...] = (INITIAL, MERGED_EVENTS, MENTION_SENTENCES, TRUCES, REFERENCE)


def schema_version(conn: sqlite3.Connection) -> int:
    """The number of migrations applied to the database behind ``conn``."""
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(conn: sqlite3.Connection, where: str, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the database up to ``len(migrations)``, one transaction per migration; return the version.

    ``conn`` must be in autocommit mode (``isolation_level=None``) so that the transactions here are
    the only ones. The version is read again under the write lock, so two processes opening a new
    database at once cannot apply the same migration twice. ``where`` names the database in errors.
    """
    while True:
        conn.execute("BEGIN IMMEDIATE")
        version = schema_version(conn)
        if version >= len(migrations):
            conn.execute("COMMIT")
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
            # PRAGMA takes no parameters; the value is an int computed here, not user input.
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except sqlite3.Error as e:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise StoreError(f"{where}: migration {step.name} failed: {e}") from e
