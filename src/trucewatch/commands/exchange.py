"""``export``, ``import`` and ``compare``: the ledger in the field's formats, and an ACLED extract
kept beside it to see what each has that the other lacks."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from trucewatch.commands import common
from trucewatch.commands.common import DbOption, JsonOption, closed_pipe_is_quiet, console, emit_json, fail, wide
from trucewatch.commands.ledger import (
    ActorOption,
    AsOfOption,
    ContestedOption,
    SinceOption,
    TextOption,
    TypeOption,
    UntilOption,
    check_type,
)
from trucewatch.errors import InputError, TrucewatchError
from trucewatch.terminal import safe

if TYPE_CHECKING:
    from trucewatch.formats.compare import Comparison


def export(
    format: Annotated[str, typer.Option(
        "--format", help="jsonl, csv, mentions-csv, mentions-jsonl, gold-jsonl, truces-json, acled-csv, "
                         "plover-json or geojson.")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="File to write (default: stdout).")] = None,
    db: DbOption = None,
    type: TypeOption = None,
    actor: ActorOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    text: TextOption = None,
    contested: ContestedOption = False,
    limit: Annotated[Optional[int], typer.Option(help="At most this many events (default: all).")] = None,
    as_of: AsOfOption = None,
) -> None:
    """Export the ledger (every event, or those the filters of `events` keep): jsonl (one line per
    real-world event with its sources), csv (one row per real-world event, with its id),
    mentions-csv or mentions-jsonl (each report's events), gold-jsonl (the annotation schema),
    truces-json (the truce records), acled-csv, plover-json or geojson."""
    from trucewatch import export as exporting

    if format not in exporting.FORMATS:
        fail(ValueError(f"unknown format {format!r}; choose one of {', '.join(exporting.FORMATS)}"))
    check_type(type)
    common.check_dates(since=since, until=until, as_of=as_of)
    try:
        filters = exporting.Filters(type=type, actor=actor, since=since, until=until, text=text,
                                    contested=contested, limit=limit)
        with common.open_store(db) as store:
            if output:
                written = exporting.export_file(store, format, output, filters, as_of)
            else:
                with closed_pipe_is_quiet():
                    written = exporting.export(store, format, sys.stdout, filters, as_of)
    except (TrucewatchError, ValueError, OSError) as exc:
        fail(exc)
    if output:
        common.err.print(f"wrote {written.records} records to {escape(str(output))}", soft_wrap=True)
    if written.left_out:
        common.err.print(f"left out {written.left_out} events with {written.why}", soft_wrap=True)


def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="An ACLED extract (CSV).")],
    format: Annotated[str, typer.Option("--format", help="The file's format: acled-csv.")] = "acled-csv",
    name: Annotated[Optional[str], typer.Option(
        help="Name of the reference set (default: the file's name without its extension).")] = None,
    db: DbOption = None,
) -> None:
    """Import an ACLED extract as a reference set, beside the ledger (never as its events), for
    `trucewatch compare`; importing a set of the same name again replaces it."""
    from trucewatch.formats.acled_csv import ExtractError, read_extract

    if format != "acled-csv":
        fail(ValueError(f"unknown import format {format!r}; choose acled-csv"))
    set_name = (name or file.stem).strip()
    if not set_name:
        fail(ValueError("give the reference set a name with --name"))
    try:
        extract = read_extract(file)
        with common.open_store(db, create=True) as store:
            store.replace_acled_set(set_name, str(file), extract.content_hash, extract.rows)
    except ExtractError as exc:
        for problem in exc.problems:
            common.err.print(f"[red]error:[/red] {escape(str(problem))}", soft_wrap=True)
        common.err.print(f"{len(exc.problems)} problems in {escape(str(file))}; nothing was imported",
                         soft_wrap=True)
        raise typer.Exit(1) from None
    except (TrucewatchError, InputError, OSError) as exc:
        fail(exc)
    console.print(f"imported {len(extract.rows)} ACLED rows as reference set {escape(set_name)!r}", soft_wrap=True)


def compare(
    db: DbOption = None,
    set_name: Annotated[Optional[str], typer.Option(
        "--set", help="The reference set to compare with (default: the only one).")] = None,
    days: Annotated[int, typer.Option(help="Days by which two dates may differ and still match.")] = 1,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: Annotated[int, typer.Option(help="At most this many rows in each table of differences.")] = 50,
    json: JsonOption = False,
) -> None:
    """Show what an imported ACLED extract and the ledger each have that the other lacks (events
    matched by type, date window, country and place)."""
    from trucewatch.export import lookup_for
    from trucewatch.formats.compare import compare as run

    common.check_dates(since=since, until=until)
    try:
        with common.open_store(db) as store:
            sets = store.reference_sets()
            if not sets:
                fail(ValueError("no reference set in the database; import one with "
                                "`trucewatch import --format acled-csv FILE`"))
            if set_name is None and len(sets) > 1:
                fail(ValueError(f"several reference sets ({', '.join(s.name for s in sets)}): choose one with --set"))
            chosen = next((s for s in sets if set_name in (None, s.name)), None)
            if chosen is None:
                fail(ValueError(f"no reference set {set_name!r}; known: {', '.join(s.name for s in sets)}"))
            events = store.merged_events()
            result = run(events, store.acled_rows(chosen.name), lookup_for(store, events), set_name=chosen.name,
                         days=days, since=since, until=until)
    except (TrucewatchError, ValueError) as exc:
        fail(exc)
    if json:
        emit_json(result.to_dict())
        return
    _print(result, limit)


def _print(result: Comparison, limit: int) -> None:
    span = f"{result.span[0]} to {result.span[1]}" if result.span else "no dates"
    console.print(f"ACLED set {safe(result.set_name)!s}: {span}; {safe(', '.join(result.countries)) or 'no country'}; "
                  f"dates within {result.days} day(s)", soft_wrap=True)
    counts = Table(title="comparison")
    for col in ("", "events"):
        counts.add_column(col, justify="right" if col else "left")
    counts.add_row("in both (matched)", str(len(result.matched)))
    counts.add_row("only in the ledger", str(len(result.ledger_only)))
    counts.add_row("only in ACLED", str(len(result.acled_only)))
    for side, skipped in (("ledger", result.ledger_not_compared), ("ACLED", result.acled_not_compared)):
        for reason, n in sorted(skipped.items()):
            counts.add_row(f"{side}, not compared: {reason}", str(n))
    console.print(counts)
    if result.ledger_only:
        table = Table(title=f"only in the ledger ({min(limit, len(result.ledger_only))} of {len(result.ledger_only)})")
        for col in ("id", "date", "type", "mode", "actor", "target", "place", "killed", "sources"):
            table.add_column(col, overflow="fold")
        for m in result.ledger_only[:limit]:
            e = m.event
            table.add_row(str(m.id), safe(e.date), safe(e.type), safe(e.mode), safe(e.actor), safe(e.target),
                          safe("; ".join(x for x in (e.location, e.country) if x)),
                          "" if e.killed is None else str(e.killed), str(m.sources))
        wide().print(table)
    if result.acled_only:
        table = Table(title=f"only in ACLED ({min(limit, len(result.acled_only))} of {len(result.acled_only)})")
        for col in ("line", "event_id_cnty", "event_date", "sub_event_type", "actor1", "actor2", "location",
                    "fatalities"):
            table.add_column(col, overflow="fold")
        for r in result.acled_only[:limit]:
            table.add_row(str(r.line), safe(r.event_id_cnty), safe(r.event_date),
                          safe(r.sub_event_type or r.event_type),
                          safe(r.actor1), safe(r.actor2), safe("; ".join(x for x in (r.location, r.country) if x)),
                          "" if r.fatalities is None else str(r.fatalities))
        wide().print(table)
