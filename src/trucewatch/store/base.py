"""Opening and closing a ledger database, and its write transactions: what every table's module
(documents, entities, merged events, truces, reference data) builds on.

* The connection runs in autocommit mode and every write is an explicit ``BEGIN IMMEDIATE`` ...
  ``COMMIT``: one transaction per unit of work, so a crash or a bad record never leaves half of it
  behind, and the write lock is taken up front instead of failing halfway on a busy database.
* A database that does not exist is created only when the caller says so (``create=True``, what
  ``ingest`` does): a command that reads the ledger and is given a mistyped path must say so, not
  answer from a new empty database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from trucewatch.errors import StoreError
from trucewatch.store.migrations import migrate, schema_version
from trucewatch.store.sql import fold

MEMORY = ":memory:"


class StoreBase:
    """A connection to one ledger database, migrated to the current schema on opening."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = str(path)
        if self.path != MEMORY:
            parent = Path(self.path).resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{self.path}: directory {parent} does not exist")
            if not create and not Path(self.path).is_file():
                raise StoreError(f"{self.path}: no such database (a ledger is made by `trucewatch ingest`)")
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open database: {e}") from e
        try:
            self._conn.row_factory = sqlite3.Row
            self._conn.create_function("fold", 1, fold, deterministic=True)
            self._conn.execute("PRAGMA foreign_keys = ON")
            # The first statement that reads the file: a non-SQLite file fails here.
            if self.path != MEMORY:
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

    @contextmanager
    def transaction(self, what: str) -> Iterator[None]:
        """One write transaction for a unit of work made of several calls (a document's merge)."""
        with self._transaction(what):
            yield
