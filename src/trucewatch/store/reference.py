"""Reference data sets: another dataset's records kept beside the ledger (``trucewatch import``) so
that ``trucewatch compare`` can say what each has that the other lacks. They are never events of the
ledger: no listing, export, merge or truce reads them.

A set has a name (the file's stem unless given) and is replaced whole when imported again, in one
transaction; rows keep ACLED's own column names (table ``acled_events``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields

from trucewatch.formats.acled import AcledRow
from trucewatch.store.base import StoreBase
from trucewatch.store.sql import now

_COLUMNS = tuple(f.name for f in fields(AcledRow) if f.name not in ("line", "extra"))


@dataclass(frozen=True)
class ReferenceSet:
    """An imported set: its name, format, the file it came from, that file's SHA-256, its rows."""

    name: str
    format: str
    source_path: str
    content_hash: str
    rows: int
    imported_at: str


class ReferenceStore(StoreBase):
    """The reference tables (see the module docstring)."""

    def replace_acled_set(self, name: str, source_path: str, content_hash: str, rows: Sequence[AcledRow]) -> None:
        """Store an ACLED extract as the reference set ``name``, replacing a set of that name."""
        columns = ", ".join(("set_name", "line", *_COLUMNS, "extra"))
        marks = ", ".join("?" for _ in range(len(_COLUMNS) + 3))
        with self._transaction(f"import reference set {name}"):
            self._conn.execute("DELETE FROM reference_sets WHERE name = ?", (name,))  # cascades to its rows
            self._conn.execute(
                "INSERT INTO reference_sets (name, format, source_path, content_hash, rows, imported_at) "
                "VALUES (?, 'acled-csv', ?, ?, ?, ?)", (name, source_path, content_hash, len(rows), now()))
            self._conn.executemany(
                f"INSERT INTO acled_events ({columns}) VALUES ({marks})",
                [(name, r.line, *(getattr(r, c) for c in _COLUMNS), json.dumps(r.extra, ensure_ascii=False))
                 for r in rows])

    def reference_sets(self) -> list[ReferenceSet]:
        """Every imported set, by name."""
        return [ReferenceSet(*row) for row in self._conn.execute(
            "SELECT name, format, source_path, content_hash, rows, imported_at FROM reference_sets ORDER BY name")]

    def acled_rows(self, name: str) -> list[AcledRow]:
        """The rows of an ACLED reference set, in file order."""
        rows = self._conn.execute(
            f"SELECT line, {', '.join(_COLUMNS)}, extra FROM acled_events WHERE set_name = ? ORDER BY line", (name,))
        return [AcledRow(line=row["line"], extra=json.loads(row["extra"]), **{c: row[c] for c in _COLUMNS})
                for row in rows]
