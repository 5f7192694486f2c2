"""``events``, ``event``, ``truces`` and ``truce``: what the ledger holds, as tables and cards on a
terminal or as JSON (``--json``) for scripts. Text from reports is made safe for the terminal
(:mod:`trucewatch.terminal`); JSON escapes it by itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.table import Table

from trucewatch.commands import common
from trucewatch.commands.common import DbOption, JsonOption, console, emit_json, fail, wide
from trucewatch.errors import TrucewatchError
from trucewatch.models import EVENT_TYPES
from trucewatch.store.sql import MAX_ROW_ID
from trucewatch.terminal import safe

if TYPE_CHECKING:
    from trucewatch.ledger import Truce
    from trucewatch.merge.records import MergedEvent

TypeOption = Annotated[Optional[str], typer.Option("--type", help="Only events of this type.")]
ActorOption = Annotated[Optional[str], typer.Option(help="Only events whose actor or target contains this.")]
SinceOption = Annotated[Optional[str], typer.Option(help="Only events on or after this date (YYYY[-MM[-DD]]).")]
UntilOption = Annotated[Optional[str], typer.Option(help="Only events on or before this date.")]
TextOption = Annotated[Optional[str], typer.Option(help="Only events whose evidence contains these words.")]
ContestedOption = Annotated[bool, typer.Option(
    "--contested", help="Only events whose reports contradict each other.")]
AsOfOption = Annotated[Optional[str], typer.Option(
    "--as-of", help="Date YYYY-MM-DD the records are true on, and the last day of reports read "
                    "(default: the latest report).")]


def check_type(type: str | None) -> None:
    if type and type not in EVENT_TYPES:
        fail(ValueError(f"unknown event type {type!r}; choose one of {', '.join(EVENT_TYPES)}"))


def merged_summary(m: MergedEvent) -> dict[str, Any]:
    """A merged event as ``events --json`` prints it: its values, counts and contested attributes
    (``event ID --json`` adds mentions, claims and provenance)."""
    values = m.event.to_gold()
    values.update(lat=m.event.lat, lon=m.event.lon, date_source=m.event.date_source)
    return {"id": m.id, **values, "reports": m.reports, "sources": m.sources,
            "contested": [c.attribute for c in m.contradictions]}


def events(
    db: DbOption = None,
    type: TypeOption = None,
    actor: ActorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    text: TextOption = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 100,
    contested: ContestedOption = False,
    per_report: Annotated[bool, typer.Option(
        "--per-report", help="One row per event as each report tells it, with the report's id.")] = False,
    json: JsonOption = False,
) -> None:
    """List real-world events merged across reports, newest first, with their number of independent
    sources (--per-report: each report's own events)."""
    from trucewatch.merge.cards import merged_table

    check_type(type)
    common.check_dates(since=since, until=until)
    if contested and per_report:
        fail(ValueError("--contested lists merged events: use it without --per-report"))
    filters = {"type": type, "actor": actor, "since": since, "until": until, "text": text, "limit": limit}
    try:
        with common.open_store(db) as store:
            if per_report:
                mentions = store.mentions(**filters)
            else:
                merged = store.merged_events(**filters, contested=contested)
    except (TrucewatchError, ValueError) as exc:
        fail(exc)
    if not per_report:
        if json:
            emit_json([merged_summary(m) for m in merged])
            return
        title = f"{len(merged)} {'contested ' if contested else ''}merged events"
        wide().print(merged_table(merged, title))
        return
    if json:
        emit_json([{**m.event.to_dict(), "event_id": m.merged_id, "mention_id": m.event_id, "outlet": m.outlet,
                    "url": m.url, "published": m.published, "title": m.title} for m in mentions])
        return
    table = Table(title=f"{len(mentions)} events")
    table.add_column("date", no_wrap=True)
    table.add_column("type", no_wrap=True)
    for col in ("mode", "actor", "target", "place"):
        table.add_column(col, overflow="fold")
    table.add_column("killed", justify="right")
    table.add_column("injured", justify="right")
    table.add_column("doc", no_wrap=True)
    for m in mentions:
        e = m.event
        table.add_row(safe(e.date or "?"), safe(e.type), safe(e.mode), safe(e.actor), safe(e.target),
                      safe("; ".join(x for x in (e.location, e.country) if x)), _n(e.killed), _n(e.injured),
                      safe(e.doc_id[:12]))
    wide().print(table)


def _n(v: int | None) -> str:
    return "" if v is None else str(v)


def event(
    event_id: Annotated[int, typer.Argument(metavar="ID", help="A merged event id from `trucewatch events`.")],
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    """Show one real-world event: merged values and where each came from, mentions, sources, claims
    and contradictions."""
    from trucewatch.merge.cards import merged_card

    if not 0 < event_id <= MAX_ROW_ID:
        fail(ValueError(f"event id {event_id} is out of range: ids are whole numbers from 1 to {MAX_ROW_ID}; "
                        "list them with `trucewatch events`"))
    try:
        with common.open_store(db) as store:
            found = store.merged_event(event_id)
    except TrucewatchError as exc:
        fail(exc)
    if found is None:
        fail(ValueError(f"no merged event with id {event_id}; list them with `trucewatch events`"))
    if json:
        emit_json(found.to_dict())
        return
    console.print(merged_card(found))


def build(db: Any, as_of: str | None) -> list[Truce]:
    """The truce records of the database with the configured gazetteer, as known on ``as_of``;
    errors end the command."""
    from trucewatch import export

    common.check_dates(as_of=as_of)
    try:
        with common.open_store(db) as store:
            return export.truces(store, as_of=as_of)
    except (TrucewatchError, ValueError) as exc:
        fail(exc)


def truces(db: DbOption = None, as_of: AsOfOption = None, json: JsonOption = False) -> None:
    """List the truce records: parties, counterpart, from-to, status, violations, conditions met."""
    from trucewatch.ledger.cards import truce_table

    records = build(db, as_of)
    if json:
        emit_json([t.to_dict() for t in records])
        return
    wide().print(truce_table(records, as_of))


def truce(
    truce_id: Annotated[str, typer.Argument(metavar="ID", help="A truce id from `trucewatch truces` (or its start).")],
    db: DbOption = None,
    as_of: AsOfOption = None,
    json: JsonOption = False,
) -> None:
    """Show one truce: conditions, mediators, status history, violations and sources."""
    from trucewatch.ledger import find_truce
    from trucewatch.ledger.cards import truce_card

    records = build(db, as_of)
    found = find_truce(records, truce_id)
    if found is None:
        known = ", ".join(t.id for t in records) or "none"
        fail(ValueError(f"no single truce with id {truce_id!r}{f' as of {as_of}' if as_of else ''}; known: {known}"))
    if json:
        emit_json(found.to_dict())
        return
    console.print(truce_card(found, as_of))
