"""The two databases a ledger can live in, behind one small connection interface.

A target is a SQLite file (or ``":memory:"``), the default, or a PostgreSQL URL
(``postgresql://user:password@host:port/dbname``). The table modules write ONE SQL text where the two
agree, with ``?`` placeholders; what differs is kept in three places only:

* :class:`Dialect` (here): the few SQL fragments that are spelled differently (case-insensitive LIKE,
  index hints, NULL ordering, week starts, the full-text match);
* the schema steps (``schema_*.py`` for SQLite, ``schema_pg_*.py`` for PostgreSQL), each migration
  under the same name in both;
* the connection classes: :class:`SqliteConnection` here, ``PostgresConnection`` in
  :mod:`trucewatch.store.postgres` (placeholders, rows, locks), imported only for a URL.

Locks. SQLite has one writer at a time: every write transaction is ``BEGIN IMMEDIATE``, taken up front
(and waited for up to ``BUSY_SECONDS``); readers never wait (WAL). PostgreSQL lets writers run side by
side; a transaction says how much of the ledger it needs: ``exclusive`` (a merge, a truce rebuild: it
reads the whole ledger and must see it still) or shared (saving a document), plus an optional ``key``
(a document id) that two writers may not hold at once. See ``PostgresConnection.begin``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from trucewatch.store.sql import fold, fts_query

URL_SCHEMES = ("postgresql://", "postgres://")
# How long a SQLite writer waits for another's transaction before giving up. Writes are short (one
# document, or one document's merge); a minute covers a merge of a report with thousands of copies.
BUSY_SECONDS = 60


def is_url(target: str) -> bool:
    """Whether a database target names a PostgreSQL server rather than a SQLite file."""
    return target.startswith(URL_SCHEMES)


def describe(target: str) -> str:
    """A target as error messages show it: a URL's password is never printed."""
    if not is_url(target):
        return target
    parts = urlsplit(target)
    if parts.password is None:
        return target
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


class Row(Protocol):
    """A result row: by position and by column name (``sqlite3.Row`` and the PostgreSQL rows)."""

    def __getitem__(self, key: int | str) -> Any: ...

    def __len__(self) -> int: ...


@dataclass(frozen=True)
class Dialect:
    """The SQL fragments the two databases spell differently."""

    name: str
    like: str  # a LIKE that ignores ASCII case (SQLite's LIKE does; PostgreSQL's is ILIKE)
    not_indexed: str  # a table read by scanning it, not through an index (SQLite's NOT INDEXED)
    unindexed: str  # prefix that keeps a column's index out of a plan (SQLite's unary +)
    desc_nulls_last: str  # DESC with NULLs last (SQLite's default; PostgreSQL puts them first)
    week: str  # the Monday of the week of ``m.date`` as YYYY-MM-DD

    def newest_first(self, column: str) -> str:
        """ORDER BY terms: ``column`` descending, NULLs last (spelled so that PostgreSQL walks an
        index made ``DESC NULLS LAST``; SQLite's explicit test is what its plans were tuned on)."""
        return f"{column} IS NULL, {column} DESC" if self.name == "sqlite" else f"{column} DESC NULLS LAST"

    def text_match(self, text: str) -> tuple[str, list[Any]] | None:
        """A subquery of the ids of the events whose evidence or report title hold every word of
        ``text`` (a trailing ``*``: by prefix), and its parameters; None when there are no words."""
        if self.name == "sqlite":
            query = fts_query(text)
            return None if query is None else ("SELECT rowid FROM events_fts WHERE events_fts MATCH ?", [query])
        words = [(w.rstrip("*"), w.endswith("*")) for w in text.split() if w.rstrip("*")]
        if not words:
            return None
        # A word with no letter or digit is no token (FTS5 drops it too); with none left nothing matches.
        kept = [(w, prefix) for w, prefix in words if any(c.isalnum() for c in w)]
        if not kept:
            return "SELECT id FROM events_fts WHERE false", []
        query = " && ".join("fts_phrase(?, ?)" for _ in kept)
        return f"SELECT id FROM events_fts WHERE doc @@ ({query})", [v for pair in kept for v in pair]


SQLITE = Dialect("sqlite", like="LIKE", not_indexed="NOT INDEXED", unindexed="+", desc_nulls_last="DESC",
                 week="date(m.date, '-6 days', 'weekday 1')")
POSTGRES = Dialect("postgresql", like="ILIKE", not_indexed="", unindexed="", desc_nulls_last="DESC NULLS LAST",
                   week="to_char(date_trunc('week', substr(m.date, 1, 10)::date), 'YYYY-MM-DD')")


class SqliteConnection:
    """A SQLite file in WAL mode (readers never wait for writers), autocommit between transactions."""

    dialect = SQLITE
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def __init__(self, path: str, *, memory: bool) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
        try:
            self._conn.row_factory = sqlite3.Row
            self._conn.create_function("fold", 1, fold, deterministic=True)
            self._conn.execute("PRAGMA foreign_keys = ON")
            # The first statement that reads the file: a non-SQLite file fails here. The mode is set
            # only when it is not WAL already, so that opening a ledger to read it writes nothing.
            if not memory and self._conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self._conn.execute("PRAGMA journal_mode = WAL")
        except BaseException:
            self._conn.close()
            raise

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self._conn.execute(sql, params)

    def executemany(self, sql: str, rows: Any) -> None:
        self._conn.executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        return self._conn.in_transaction

    def change_mark(self) -> int:
        """A value that changes whenever another connection commits a write to the database
        (SQLite's ``data_version``)."""
        mark: int = self._conn.execute("PRAGMA data_version").fetchone()[0]
        return mark

    def begin(self, *, exclusive: bool = True, key: str | None = None) -> None:
        """Start a write transaction holding SQLite's one write lock (enough for any ``key``)."""
        self._conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self._conn.execute("COMMIT")

    def rollback(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def close(self) -> None:
        self._conn.close()


def connect(target: str) -> SqliteConnection | Any:
    """Open a connection to ``target``: a PostgreSQL URL or a SQLite path (``":memory:"`` included)."""
    if is_url(target):
        from trucewatch.store.postgres import PostgresConnection  # psycopg only when a server is used

        return PostgresConnection(target)
    return SqliteConnection(target, memory=target == ":memory:")
