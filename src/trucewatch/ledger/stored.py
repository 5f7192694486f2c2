"""The truce records kept in the database (tables ``truces``, ``truce_conditions``, ``truce_history``,
``truce_violations``, ``truce_sources``), so that SQL and datasette users see what ``trucewatch
truces`` shows without running trucewatch.

The records are built from the whole ledger, so they are rebuilt whole, and only when the ledger
changed since they were last built (the store marks them stale when events, their merging or a
publication date change): an ingest that changed nothing costs nothing more. They are true as of the
latest report, like ``trucewatch truces`` without ``--as-of``.
"""

from __future__ import annotations

from trucewatch.ledger.truces import build_truces
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store


def refresh_truces(store: Store, gazetteer: Gazetteer | None = None, *, force: bool = False) -> int | None:
    """Rebuild the stored truce records if the ledger changed since they were built (or ``force``);
    returns how many were stored, or None when they were already up to date."""
    if not force and not store.truces_stale():
        return None
    records = build_truces(store, gazetteer)
    store.replace_truces([t.to_dict() for t in records])
    return len(records)
