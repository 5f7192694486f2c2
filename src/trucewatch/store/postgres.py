"""A ledger on a PostgreSQL server, through psycopg 3, behind the interface of ``SqliteConnection``.

What this module makes the same as SQLite, so that the table modules need one SQL text:

* placeholders: ``?`` outside string literals becomes psycopg's ``%s`` (and a literal ``%`` is
  doubled), in one place, :func:`translate`;
* parameters are bound on the client (``ClientCursor``): a parameter is typed as a literal in its
  place would be, as in SQLite (``? IS NULL`` needs no cast);
* rows are read by position and by column name, like ``sqlite3.Row``;
* a ``numeric`` (what ``sum`` of a BIGINT column gives) comes back as an ``int`` when it is whole;
* PostgreSQL text cannot hold a NUL character: one in a parameter is stored as U+FFFD (the
  replacement character), so that a report or a rejection reason quoting a NUL is still stored.

Writers take advisory locks (:meth:`PostgresConnection.begin`) held until their transaction ends;
readers take none, and MVCC means they never wait.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import psycopg
from psycopg.adapt import Loader
from psycopg.pq import TransactionStatus

from trucewatch.errors import StoreError
from trucewatch.store.connection import POSTGRES, describe

# Advisory lock keys (an arbitrary constant, "TRUC" in ASCII, and a class for document ids).
LEDGER_LOCK = 0x54525543
DOCUMENT_LOCK = 0x54524344


@lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """``sql`` with ``?`` placeholders as psycopg's ``%s``: a ``?`` inside a quoted literal or
    identifier is text, and every ``%`` is doubled (psycopg reads ``%`` anywhere in the query)."""
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if ch == "%":
            out.append("%%")
        elif quote is not None:
            out.append(ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        else:
            out.append("%s" if ch == "?" else ch)
    return "".join(out)


def _clean(params: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(p.replace("\x00", "\ufffd") if isinstance(p, str) and "\x00" in p else p for p in params)


class Row(tuple[Any, ...]):
    """A row read by position or by column name (the first column of that name, as ``sqlite3.Row``)."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


def _row_factory(cursor: Any) -> Any:
    index: dict[str, int] = {}
    for i, column in enumerate(cursor.description or ()):
        index.setdefault(column.name, i)
    return type("Row", (Row,), {"__slots__": (), "_index": index})


class _WholeNumeric(Loader):
    """``numeric`` as ``int`` when it has no fraction (a sum of integers), else ``float``."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        try:
            return int(text)
        except ValueError:
            return float(text)


class PostgresConnection:
    """One connection to a PostgreSQL database, in autocommit mode between explicit transactions."""

    dialect = POSTGRES
    errors: tuple[type[Exception], ...] = (psycopg.Error,)

    def __init__(self, url: str) -> None:
        try:
            self._conn = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.ClientCursor,
                                         row_factory=_row_factory)
        except psycopg.Error as e:
            raise StoreError(f"{describe(url)}: cannot connect: {' '.join(str(e).split())}") from e
        self._conn.adapters.register_loader("numeric", _WholeNumeric)
        self._where = describe(url)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        try:
            return self._conn.execute(translate(sql), _clean(params))
        except psycopg.OperationalError as e:
            self._check_connection(e)
            raise

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = [_clean(row) for row in rows]
        if batch:
            try:
                with self._conn.cursor() as cur:
                    cur.executemany(translate(sql), batch)
            except psycopg.OperationalError as e:
                self._check_connection(e)
                raise

    def _check_connection(self, e: psycopg.OperationalError) -> None:
        """Raise a dropped connection (server restarted, network gone) as a one-line ``StoreError``;
        any other failure (a deadlock, a timeout) goes on as it is."""
        if self._conn.broken:
            raise StoreError(f"{self._where}: lost the connection to the server: {' '.join(str(e).split())}") from e

    def change_mark(self) -> int | None:
        """The count of changes that make the truce records stale (the ``truce_changes`` sequence,
        moved by the triggers), read while no writer is under way: inside a transaction holding the
        ledger to itself, or else by trying for that lock without waiting. None when writers are
        under way (what they will have changed cannot be told yet)."""
        if self.in_transaction:
            return int(self._conn.execute("SELECT last_value FROM truce_changes").fetchone()[0])
        self._conn.execute("BEGIN")
        try:
            if not self._conn.execute("SELECT pg_try_advisory_xact_lock(%s)", (LEDGER_LOCK,)).fetchone()[0]:
                return None
            return int(self._conn.execute("SELECT last_value FROM truce_changes").fetchone()[0])
        finally:
            self._conn.execute("COMMIT")

    @property
    def in_transaction(self) -> bool:
        return self._conn.info.transaction_status != TransactionStatus.IDLE

    def begin(self, *, exclusive: bool = True, key: str | None = None) -> None:
        """Start a transaction holding the ledger's advisory lock, ``exclusive`` or shared, and with
        a ``key`` that lock on it too: no other writer holds that key until this one ends.

        Shared writers (documents being saved) run side by side; an exclusive one (a merge, a truce
        rebuild, a migration) waits for them to finish and makes new ones wait, so what it reads is
        not changed under it, as under SQLite's one write lock. Locks are always taken in this
        order (ledger, then key), so two writers never wait for each other in a circle.
        """
        self._conn.execute("BEGIN")
        function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        self._conn.execute(f"SELECT {function}(%s)", (LEDGER_LOCK,))
        if key is not None:
            self._conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (DOCUMENT_LOCK, _clean([key])[0]))

    def commit(self) -> None:
        self._conn.execute("COMMIT")

    def rollback(self) -> None:
        if self.in_transaction:
            try:
                self._conn.execute("ROLLBACK")
            except psycopg.OperationalError:  # the connection broke: the server ended the transaction,
                pass  # and the error that broke it is the one the caller is raising

    def close(self) -> None:
        self._conn.close()
