"""The truce records stored in the database, so that SQL and datasette users see what ``trucewatch
truces`` shows: one row per truce in ``truces``, its conditions, dated history, violations and
sources in ``truce_conditions``, ``truce_history``, ``truce_violations`` and ``truce_sources``.

Records are built from the whole ledger (:func:`trucewatch.ledger.stored.refresh_truces`), so they
are replaced as a whole, in one transaction: a reader sees the old set or the new one. Triggers mark
them stale whenever events, their merging or a publication date change (``truce_state``); the
records come in as the plain data of ``Truce.to_dict()`` so that this package need not import the
ledger, which reads through it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from trucewatch.store.base import StoreBase
from trucewatch.store.sql import now


def _names(values: list[str]) -> str:
    return "; ".join(values)


def _refs(refs: list[dict[str, Any]]) -> str:
    return json.dumps([{k: r[k] for k in ("doc_id", "sentence", "type", "date", "text")} for r in refs],
                      ensure_ascii=False)


class TruceStore(StoreBase):
    """The truce tables (see the module docstring)."""

    # What the database had seen when ``truces_stale`` was last asked (see ``replace_truces``);
    # _UNASKED until then.
    _UNASKED = object()
    _truces_asked: Any = _UNASKED

    def truces_stale(self) -> bool:
        """Whether the stored truce records may no longer describe the ledger (never built, or
        events, merging or publication dates changed since)."""
        self._truces_asked = self._conn.change_mark()
        row = self._conn.execute("SELECT stale FROM truce_state WHERE id = 1").fetchone()
        return row is None or bool(row[0])

    def replace_truces(self, records: Sequence[dict[str, Any]]) -> None:
        """Replace every stored truce with ``records`` (``Truce.to_dict()`` data) and mark them fresh.

        Records are built from the ledger as it was when ``truces_stale`` said they were stale
        (what ``refresh_truces`` does): when another process has written to the database since,
        they may miss its reports, so they are stored but left marked stale, for the next rebuild
        (on PostgreSQL, also when writers were under way when it was asked).
        """
        asked, self._truces_asked = self._truces_asked, self._UNASKED
        with self._transaction("store the truce records"):  # exclusive: one rebuild at a time
            fresh = asked is self._UNASKED or (asked is not None and asked == self._conn.change_mark())
            self._conn.execute("DELETE FROM truces")  # cascades to conditions, history, violations, sources
            for t in records:
                self._insert(t)
            self._conn.execute("UPDATE truce_state SET stale = ?, built_at = ? WHERE id = 1", (int(not fresh), now()))

    def stored_truces(self) -> list[dict[str, Any]]:
        """The stored records (``Truce.to_dict()`` data), oldest first as they were built."""
        return [json.loads(row[0]) for row in self._conn.execute("SELECT record FROM truces ORDER BY rowid")]

    def _insert(self, t: dict[str, Any]) -> None:
        violations = t["violations"]
        conditions = t["conditions"]
        self._conn.execute(
            """INSERT INTO truces (id, status, scope, parties, counterpart, mediators, countries, places,
                   announced, agreed, effective, start, expires, ended, ended_how, violations, disowned,
                   conditions, conditions_met, days_of_calm, as_of, record)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (t["id"], t["status"], t["scope"], _names(t["parties"]), _names(t["counterpart"]),
             _names(t["mediators"]), _names(t["countries"]), _names(t["places"]), t["announced"], t["agreed"],
             t["effective"], t["start"], t["expires"], t["ended"], t["ended_how"], len(violations),
             sum(1 for v in violations if v["disavowed"]), len(conditions),
             sum(1 for c in conditions if c["status"] == "met"), t["days_of_calm"], t["as_of"],
             json.dumps(t, ensure_ascii=False)))
        self._conn.executemany(
            "INSERT INTO truce_conditions (truce_id, idx, text, binds, deadline, duration, status, met_on, "
            "met_by_doc, met_by_sentence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(t["id"], i, c["text"], c["binds"], c["deadline"], c["duration"], c["status"], c["met_on"],
              (c["met_by"] or {}).get("doc_id"), (c["met_by"] or {}).get("sentence"))
             for i, c in enumerate(conditions)])
        self._conn.executemany(
            "INSERT INTO truce_history (truce_id, idx, date, status, note, evidence) VALUES (?, ?, ?, ?, ?, ?)",
            [(t["id"], i, h["date"], h["status"], h["note"], _refs(h["evidence"]))
             for i, h in enumerate(t["history"])])
        self._conn.executemany(
            "INSERT INTO truce_violations (truce_id, idx, date, type, mode, actor, target, location, country, "
            "killed, injured, by_side, disavowed, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(t["id"], i, v["date"], v["type"], v["mode"], v["actor"], v["target"], v["location"], v["country"],
              v["killed"], v["injured"], v["by"], int(v["disavowed"]), _refs(v["evidence"]))
             for i, v in enumerate(violations)])
        self._conn.executemany(
            "INSERT INTO truce_sources (truce_id, doc_id, outlet, url, published, title) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            [(t["id"], s["doc_id"], s["outlet"], s["url"], s["published"], s["title"]) for s in t["sources"]])
