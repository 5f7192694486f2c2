"""Writers for the stored ledger: merged events with their sources (jsonl), the gold schema (what
score.py reads), each report's events (mentions-jsonl, csv), and the truce records (truces-json)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import IO

from trucewatch import config
from trucewatch.ledger import build_truces
from trucewatch.models import Event
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store

FORMATS = ("jsonl", "gold-jsonl", "mentions-jsonl", "csv", "truces-json")
_CSV_FIELDS = (
    "doc_id", "type", "mode", "actor", "target", "location", "country", "date", "killed", "injured",
    "conditions", "mediators", "background", "evidence", "lat", "lon", "date_source", "outlet", "url",
    "published",
)


def gold_lines(store: Store) -> Iterator[dict[str, object]]:
    """One record per document, ``{"id", "events": [...]}`` with exactly the gold schema's fields."""
    for doc in store.documents():
        yield {"id": doc.id, "events": [e.to_gold() for e in doc.events]}


def event_lines(store: Store) -> Iterator[dict[str, object]]:
    """One record per event with its provenance and the source report's metadata."""
    for doc in store.documents():
        for e in doc.events:
            row = e.to_dict()
            row.update(outlet=doc.outlet, url=doc.url, published=doc.published, title=doc.title)
            yield row


def write(store: Store, fmt: str, out: IO[str]) -> int:
    """Write the ledger in ``fmt`` to ``out``; returns the number of records written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if fmt == "truces-json":
        return write_truces(store, out)
    if fmt == "jsonl":
        return _write_lines(merged_lines(store), out)
    n = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=_CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        for row in event_lines(store):
            for key in ("conditions", "mediators"):
                value = row.get(key)
                row[key] = "; ".join(value) if isinstance(value, list) else value
            writer.writerow(row)
            n += 1
        return n
    rows = gold_lines(store) if fmt == "gold-jsonl" else event_lines(store)
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def merged_lines(store: Store) -> Iterator[dict[str, object]]:
    """One record per real-world event merged across reports: merged values with provenance, the
    number of reports and independent sources, every mention with its report, claims, contradictions."""
    for summary in store.merged_events():
        merged = store.merged_event(summary.id)
        if merged is not None:
            yield merged.to_dict()


def _write_lines(rows: Iterator[dict[str, object]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def write_truces(store: Store, out: IO[str]) -> int:
    """The truce records built from the ledger, as one JSON array (see ``trucewatch.ledger``), with
    the names of the gazetteer setting (``$TRUCEWATCH_GAZETTEER``) as at ingest."""
    extra = config.get("gazetteer")
    truces = build_truces(store, Gazetteer.load(extra=[str(extra)] if extra else []))
    json.dump([t.to_dict() for t in truces], out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(truces)


def describe(e: Event) -> str:
    """A one-line reading of an event for humans."""
    who = e.actor or "unknown actor"
    parts = [e.type, e.mode if e.mode and e.mode != "unknown" else "", f"by {who}"]
    if e.target:
        parts.append(f"on {e.target}")
    if e.location:
        parts.append(f"at {e.location}")
    return " ".join(p for p in parts if p)
