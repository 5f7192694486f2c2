"""Opening and closing a ledger database, and its write transactions: what every table's module
(documents, entities, merged events, truces, reference data) builds on.

* The database is a SQLite file (the default) or a PostgreSQL server, named by a URL
  (``postgresql://...``): :mod:`trucewatch.store.connection` hides the difference.
* The connection runs in autocommit mode and every write is an explicit transaction (SQLite's
  ``BEGIN IMMEDIATE``) ... ``COMMIT``: one transaction per unit of work, so a crash or a bad record
  never leaves half of it behind, and the write lock is taken up front instead of failing halfway on
  a busy database. A writer says whether it needs the ledger to itself (``exclusive``) and which
  document it writes (``key``), which PostgreSQL's writers need to run side by side safely.
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
from typing import Any, Self

from trucewatch.errors import StoreError
from trucewatch.store.connection import Dialect, connect, describe, is_url
from trucewatch.store.migrations import migrate, schema_version

MEMORY = ":memory:"
_NO_LEDGER = "no such database (a ledger is made by `trucewatch ingest`)"


class StoreBase:
    """A connection to one ledger database, migrated to the current schema on opening."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        target = str(path)
        self.path = describe(target)  # what messages name: a URL without its password
        server = is_url(target)
        if not server and target != MEMORY:
            parent = Path(target).resolve().parent
            if not parent.is_dir():
                raise StoreError(f"{target}: directory {parent} does not exist")
            if not create and not Path(target).is_file():
                raise StoreError(f"{target}: {_NO_LEDGER}")
        try:
            self._conn: Any = connect(target)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open database: {e}") from e
        try:
            if server and not create and schema_version(self._conn) == 0:
                raise StoreError(f"{self.path}: {_NO_LEDGER}")
            migrate(self._conn, self.path)
        except StoreError:
            self._conn.close()
            raise
        except sqlite3.DatabaseError as e:
            self._conn.close()
            raise StoreError(f"{self.path}: not a usable SQLite database: {e}") from e
        except self._conn.errors as e:
            self._conn.close()
            raise StoreError(f"{self.path}: not a usable ledger database: {' '.join(str(e).split())}") from e

    @property
    def dialect(self) -> Dialect:
        """The SQL spellings of this store's database (SQLite or PostgreSQL)."""
        dialect: Dialect = self._conn.dialect
        return dialect

    @property
    def schema_version(self) -> int:
        """The number of migrations applied (``PRAGMA user_version``)."""
        return schema_version(self._conn)

    def writes(self) -> int:
        """How many write transactions the ledger has committed: a value that changes whenever it
        changes, the same for every connection and process, read in one cheap query (a reader that
        keeps results, such as the web server, compares it to know they are still current)."""
        return int(self._conn.execute("SELECT writes FROM ledger_changes WHERE id = 1").fetchone()[0])

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @contextmanager
    def _transaction(self, what: str, *, exclusive: bool = True, key: str | None = None) -> Iterator[None]:
        """One write transaction: committed if the block finishes, rolled back on any exception.

        The write lock is taken at BEGIN so a busy database waits up front instead of failing
        halfway: SQLite's one write lock, or on PostgreSQL the ledger's lock, to itself when
        ``exclusive``, shared otherwise, and the lock of ``key`` (a document id) when given (see
        :mod:`trucewatch.store.connection`). Database errors come out as ``StoreError`` saying what
        could not be done. Each one counts itself in ``ledger_changes`` as it commits (see
        :meth:`writes`); on PostgreSQL, writers side by side take turns only for that last update.
        """
        try:
            self._conn.begin(exclusive=exclusive, key=key)
            yield
            self._conn.execute("UPDATE ledger_changes SET writes = writes + 1 WHERE id = 1")
            self._conn.commit()
        except BaseException as e:
            self._conn.rollback()
            if isinstance(e, self._conn.errors):
                raise StoreError(f"{self.path}: cannot {what}: {' '.join(str(e).split())}") from e
            raise

    @contextmanager
    def transaction(self, what: str) -> Iterator[None]:
        """One write transaction for a unit of work made of several calls that reads the ledger
        and must not see it change meanwhile (a document's merge): it has the ledger to itself."""
        with self._transaction(what):
            yield
