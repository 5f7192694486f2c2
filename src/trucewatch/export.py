"""Writers for the stored ledger, in the ledger's own formats and the field's (see the README's
*Formats* section for every column and mapping):

==================  ===========================================================================
``jsonl``           one line per real-world event: merged values, where each came from, mentions,
                    sources, claims, contradictions (the default)
``csv``             one row per real-world event, with its id, sources and reports
``mentions-csv``    one row per event as each report tells it, with the report's metadata and the
                    id of the real-world event it is a mention of
``mentions-jsonl``  the same as JSON lines
``gold-jsonl``      the annotation schema, one line per report (what ``score.py`` reads)
``truces-json``     the truce records, one JSON array
``acled-csv``       ACLED's columns and codebook values (:mod:`trucewatch.formats.acled`)
``plover-json``     PLOVER event records, one per line (:mod:`trucewatch.formats.plover`)
``geojson``         a FeatureCollection of the events with coordinates (:mod:`trucewatch.formats.geojson`)
==================  ===========================================================================

Every format takes the filters of ``trucewatch events`` (:class:`Filters`). A format that cannot
hold some events (ACLED and PLOVER need a date, GeoJSON coordinates) leaves them out and says how
many (:class:`Written`). Writing to a file goes through a temporary file renamed into place, so an
interrupted export never leaves half a file where a whole one was.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from trucewatch import config
from trucewatch.formats import acled, geojson, plover
from trucewatch.formats.cells import write_csv
from trucewatch.formats.lookup import Lookup, split_names
from trucewatch.ledger import Truce, build_truces
from trucewatch.ledger.stored import stored_truces
from trucewatch.merge.records import MergedEvent
from trucewatch.models import EVENT_TYPES
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store
from trucewatch.store.sql import check_date

FORMATS = ("jsonl", "csv", "mentions-csv", "mentions-jsonl", "gold-jsonl", "truces-json", "acled-csv",
           "plover-json", "geojson")
_MERGED_FORMATS = ("jsonl", "csv", "acled-csv", "plover-json", "geojson")
CSV_FIELDS = (
    "id", "date", "type", "mode", "actor", "target", "location", "country", "lat", "lon", "killed", "injured",
    "conditions", "mediators", "background", "date_source", "reports", "sources", "contested", "outlets",
    "documents", "evidence",
)
MENTION_CSV_FIELDS = (
    "event_id", "mention_id", "doc_id", "type", "mode", "actor", "target", "location", "country", "date", "killed",
    "injured", "conditions", "mediators", "background", "evidence", "lat", "lon", "date_source", "outlet", "url",
    "published",
)


@dataclass(frozen=True)
class Filters:
    """The filters of ``trucewatch events``: type, actor or target (a part of it, any case), dates that
    overlap ``since``..``until``, words of the evidence (full text), contested events only, a limit."""

    type: str | None = None
    actor: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    contested: bool = False
    limit: int | None = None

    def __post_init__(self) -> None:
        if self.type is not None and self.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {self.type!r}; choose one of {', '.join(EVENT_TYPES)}")
        for name in ("since", "until"):
            value = getattr(self, name)
            if value is not None:
                check_date(name, value)
        if self.limit is not None and self.limit < 1:
            raise ValueError(f"limit must be a positive number, not {self.limit}")

    def given(self) -> list[str]:
        """The names of the filters set, as options (``--type``...)."""
        return [f"--{name}" for name in ("type", "actor", "since", "until", "text", "contested", "limit")
                if getattr(self, name) not in (None, False)]

    def events(self) -> dict[str, Any]:
        """Keyword arguments of ``Store.events`` / ``Store.mentions`` (per-report events)."""
        return {"type": self.type, "actor": self.actor, "since": self.since, "until": self.until, "text": self.text,
                "limit": self.limit}

    def merged(self) -> dict[str, Any]:
        """Keyword arguments of ``Store.merged_events``."""
        return {**self.events(), "contested": self.contested}


@dataclass(frozen=True)
class Written:
    """What an export wrote: records, and events left out because the format cannot hold them."""

    records: int
    left_out: int = 0
    why: str = ""


def export(store: Store, fmt: str, out: IO[str], filters: Filters | None = None, as_of: str | None = None) -> Written:
    """Write the ledger in ``fmt`` to ``out``, keeping what ``filters`` keep; ``as_of`` dates the
    truce records (``truces-json``). Raises ``ValueError`` for an unknown format or a filter the
    format cannot apply."""
    filters = filters or Filters()
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    if as_of is not None and fmt != "truces-json":
        raise ValueError("--as-of dates truce records: use it with --format truces-json")
    if fmt == "truces-json":
        return Written(write_truces(store, out, filters, as_of))
    if fmt in _MERGED_FORMATS:
        return _merged(store, fmt, out, filters)
    if filters.contested:
        raise ValueError(f"--contested keeps merged events; {fmt} writes each report's events")
    if fmt == "gold-jsonl":
        return Written(_write_lines(gold_lines(store, filters), out))
    rows = mention_lines(store, filters)
    if fmt == "mentions-jsonl":
        return Written(_write_lines(rows, out))
    return Written(write_csv(out, MENTION_CSV_FIELDS, (_flat(r) for r in rows)))


def write(store: Store, fmt: str, out: IO[str], filters: Filters | None = None) -> int:
    """Write the ledger in ``fmt`` to ``out``; returns the number of records written."""
    return export(store, fmt, out, filters).records


def export_file(store: Store, fmt: str, path: Path, filters: Filters | None = None, as_of: str | None = None,
                ) -> Written:
    """Export to ``path`` atomically: written to a temporary file beside it, renamed into place only
    when complete, so that readers see the old file or the new one and a failed export leaves no
    partial file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            written = export(store, fmt, fh, filters, as_of)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return written


# ---- per-report events ---------------------------------------------------------------------------


def gold_lines(store: Store, filters: Filters | None = None) -> Iterator[dict[str, object]]:
    """One record per document, ``{"id", "events": [...]}`` with exactly the gold schema's fields.
    With filters, only the events they keep, and only the documents that have one."""
    keep: set[tuple[str, int, int, str]] | None = None
    if filters is not None and filters.given():
        keep = {(m.event.doc_id, m.event.sentence, m.event.start, m.event.type)
                for m in store.mentions(**filters.events())}
    for doc in store.documents():
        events = doc.events if keep is None else [e for e in doc.events
                                                  if (doc.id, e.sentence, e.start, e.type) in keep]
        if keep is None or events:
            yield {"id": doc.id, "events": [e.to_gold() for e in events]}


def mention_lines(store: Store, filters: Filters | None = None) -> Iterator[dict[str, object]]:
    """One record per event as its report tells it, with provenance, the report's metadata, its
    row id (``mention_id``) and the id of the merged event it is a mention of (``event_id``)."""
    for m in store.mentions(**(filters or Filters()).events()):
        row = m.event.to_dict()
        row.update(event_id=m.merged_id, mention_id=m.event_id, outlet=m.outlet, url=m.url, published=m.published,
                   title=m.title)
        yield row


# Kept for callers of the former name.
event_lines = mention_lines


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    """Lists as "; "-joined text, for a CSV cell."""
    return {k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in row.items()}


def _write_lines(rows: Iterator[dict[str, object]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


# ---- merged events ---------------------------------------------------------------------------------


def merged_lines(store: Store, filters: Filters | None = None) -> Iterator[dict[str, object]]:
    """One record per real-world event merged across reports: merged values with provenance, the
    number of reports and independent sources, every mention with its report, claims, contradictions."""
    for merged in _full(store, store.merged_events(**(filters or Filters()).merged())):
        yield merged.to_dict()


def _full(store: Store, summaries: list[MergedEvent]) -> Iterator[MergedEvent]:
    """The merged events with their mentions and claims loaded, one at a time."""
    for summary in summaries:
        merged = store.merged_event(summary.id)
        if merged is not None:
            yield merged


def lookup_for(store: Store, events: list[MergedEvent]) -> Lookup:
    """The entities the events name (actors, targets, places), from the ledger."""
    names = {n for m in events for v in (m.event.actor, m.event.target, m.event.location) for n in split_names(v)}
    return Lookup(store.entities_named(names))


def csv_row(merged: MergedEvent) -> dict[str, Any]:
    """A merged event as a row of the ``csv`` format."""
    e = merged.event
    row: dict[str, Any] = {"id": merged.id, **{k: getattr(e, k) for k in CSV_FIELDS if hasattr(e, k)}}
    row.update(reports=merged.reports, sources=merged.sources,
               contested="; ".join(c.attribute for c in merged.contradictions),
               outlets="; ".join(dict.fromkeys(m.outlet for m in merged.mentions if m.outlet)),
               documents="; ".join(dict.fromkeys(m.event.doc_id for m in merged.mentions)))
    return _flat(row)


def _merged(store: Store, fmt: str, out: IO[str], filters: Filters) -> Written:
    summaries = store.merged_events(**filters.merged())
    if fmt == "geojson":
        written, left_out = geojson.write(summaries, out)
        return Written(written, left_out, "no coordinates")
    if fmt == "jsonl":
        return Written(_write_lines((m.to_dict() for m in _full(store, summaries)), out))
    if fmt == "csv":
        return Written(write_csv(out, CSV_FIELDS, (csv_row(m) for m in _full(store, summaries))))
    lookup = lookup_for(store, summaries)
    if fmt == "acled-csv":
        rows = _mapped(_full(store, summaries), lambda m: acled.to_row(m, lookup))
        written = write_csv(out, acled.COLUMNS, rows)
        return Written(written, rows.left_out, "no date to the month (ACLED codes a day, week or month)")
    records = _mapped(_full(store, summaries), lambda m: plover.to_record(m, lookup))
    written = _write_lines(iter(records), out)
    return Written(written, records.left_out, "no date (PLOVER requires one)")


class _mapped:
    """The mapped values of a stream of merged events, counting those the mapping leaves out (None)."""

    def __init__(self, events: Iterator[MergedEvent], mapping: Callable[[MergedEvent], dict[str, Any] | None]) -> None:
        self.events = events
        self.mapping = mapping
        self.left_out = 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for merged in self.events:
            value = self.mapping(merged)
            if value is None:
                self.left_out += 1
            else:
                yield value


# ---- truces ------------------------------------------------------------------------------------------


def truces(store: Store, filters: Filters | None = None, as_of: str | None = None) -> list[Truce]:
    """The truce records of the ledger as known on ``as_of``: those the last ingest stored when they
    are current and no date is asked for, else built with the names of the gazetteer setting
    (``$TRUCEWATCH_GAZETTEER``) as at ingest; ``filters`` keep those whose
    parties, counterpart or mediators name ``actor`` and whose window overlaps ``since``..``until``."""
    filters = filters or Filters()
    unusable = [f for f in filters.given() if f not in ("--actor", "--since", "--until", "--limit")]
    if unusable:
        raise ValueError(f"{', '.join(unusable)} cannot select truce records; use --actor, --since or --until")
    extra = config.get("gazetteer")
    found = stored_truces(store) if as_of is None else None
    if found is None:
        found = build_truces(store, Gazetteer.load(extra=[str(extra)] if extra else []), as_of)
    kept = [t for t in found if _truce_kept(t, filters)]
    return kept[:filters.limit] if filters.limit else kept


def _truce_kept(t: Truce, filters: Filters) -> bool:
    if filters.actor is not None:
        wanted = filters.actor.casefold()
        if not any(wanted in name.casefold() for name in (*t.parties, *t.counterpart, *t.mediators)):
            return False
    start = t.start or t.announced
    end = t.ended or t.as_of
    if filters.since is not None and end is not None and end[:len(filters.since)] < filters.since[:len(end)]:
        return False
    if filters.until is not None and start is not None and start[:len(filters.until)] > filters.until[:len(start)]:
        return False
    return True


def write_truces(store: Store, out: IO[str], filters: Filters | None = None, as_of: str | None = None) -> int:
    """The truce records as one JSON array (see :func:`truces`)."""
    records = truces(store, filters, as_of)
    json.dump([t.to_dict() for t in records], out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(records)
