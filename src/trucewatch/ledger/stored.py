"""The truce records kept in the database (tables ``truces``, ``truce_conditions``, ``truce_history``,
``truce_violations``, ``truce_sources``), so that SQL and datasette users see what ``trucewatch
truces`` shows without running trucewatch.

The records are built from the whole ledger, so they are rebuilt whole, and only when the ledger
changed since they were last built (the store marks them stale when events, their merging or a
publication date change): an ingest that changed nothing costs nothing more. They are true as of the
latest report, like ``trucewatch truces`` without ``--as-of``. Readers that need them as of the
latest report (the web server, ``trucewatch truces``) read them back (:func:`truce_records`) instead
of rebuilding them, which takes minutes on a ledger of 100,000 events.
"""

from __future__ import annotations

from typing import Any

from trucewatch.ledger.records import Condition, Disavowal, Ref, Source, StatusChange, Truce, Violation
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


def stored_truces(store: Store) -> list[Truce] | None:
    """The truce records stored by the last ingest, as ``Truce`` objects, if they still describe the
    ledger; None when they are stale (events, merging or publication dates changed since they were
    built) or were never built. Reading them costs a query, not a rebuild of the whole ledger."""
    if store.truces_stale():
        return None
    return [truce_from_dict(record) for record in store.stored_truces()]


def truce_records(store: Store, gazetteer: Gazetteer | None = None, as_of: str | None = None) -> list[Truce]:
    """The truce records true on ``as_of``: the stored ones when they are current and no date is
    asked for (they are true as of the latest report), else built from the ledger."""
    if as_of is None:
        stored = stored_truces(store)
        if stored is not None:
            return stored
    return build_truces(store, gazetteer, as_of)


def truce_from_dict(data: dict[str, Any]) -> Truce:
    """A record back from its ``Truce.to_dict()`` data (the derived status, scope, start, days of
    calm and ``disavowed`` are recomputed by the record, not read)."""

    def ref(r: dict[str, Any]) -> Ref:
        return Ref(r["doc_id"], r["sentence"], r["type"], r["date"], r["text"])

    def refs(rs: list[dict[str, Any]]) -> list[Ref]:
        return [ref(r) for r in rs]

    return Truce(
        id=data["id"], parties=list(data["parties"]), counterpart=list(data["counterpart"]),
        mediators=list(data["mediators"]), countries=list(data["countries"]), places=list(data["places"]),
        conditions=[Condition(c["text"], c["binds"], c["deadline"], c["duration"], refs(c["stated"]), c["status"],
                              ref(c["met_by"]) if c["met_by"] else None, c["met_on"]) for c in data["conditions"]],
        announced=data["announced"], agreed=data["agreed"], effective=data["effective"], expires=data["expires"],
        ended=data["ended"], ended_how=data["ended_how"], end_evidence=refs(data["end_evidence"]),
        history=[StatusChange(h["date"], h["status"], h["note"], refs(h["evidence"])) for h in data["history"]],
        violations=[Violation(v["date"], v["type"], v["mode"], v["actor"], v["target"], v["location"], v["country"],
                              v["killed"], v["injured"], v["by"], refs(v["evidence"]),
                              [Disavowal(d["by"], d["date"], list(d["words"]), ref(d["evidence"]))
                               for d in v["disavowals"]]) for v in data["violations"]],
        violator_terms=refs(data["violator_terms"]), mentions=refs(data["mentions"]),
        sources=[Source(s["doc_id"], s["outlet"], s["url"], s["published"], s["title"]) for s in data["sources"]],
        as_of=data["as_of"])
