"""Raw SQL on a test's ledger, whichever store holds it (a SQLite file or a PostgreSQL URL), for tests
that check what is stored, table by table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from trucewatch.store import Store


def sql(target: str | Path, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The rows of ``query`` (``?`` placeholders on both stores), as plain tuples."""
    with Store(target, create=False) as store:
        return [tuple(row) for row in store._conn.execute(query, params)]


def snapshot(target: str | Path, tables: tuple[str, ...]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``tables`` with its physical row id first (SQLite's rowid, PostgreSQL's ctid,
    which changes whenever the row is written), so that rewriting identical rows is caught too."""
    with Store(target, create=False) as store:
        rowid = "rowid" if store.dialect.name == "sqlite" else "ctid"
        return {t: [tuple(r) for r in store._conn.execute(f"SELECT {rowid}, * FROM {t} ORDER BY {rowid}")]
                for t in tables}
