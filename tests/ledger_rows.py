"""Every row of a SQLite ledger's tables, to compare two ledgers whole (a run on a cluster against one in
a single process, an interrupted and resumed run against an uninterrupted one).

Not a test module (no ``test_`` prefix): imported by the tests that need it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path


def ledger_rows(db: Path, tables: Sequence[str]) -> dict[str, list[tuple[object, ...]]]:
    """Every row of ``tables``, timestamps left out, in a stable order."""
    rows: dict[str, list[tuple[object, ...]]] = {}
    with sqlite3.connect(db) as conn:
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if not r[1].endswith("_at")]
            listed = ", ".join(f'"{c}"' for c in columns)
            rows[table] = conn.execute(f"SELECT {listed} FROM {table} ORDER BY {listed}").fetchall()
    return rows
