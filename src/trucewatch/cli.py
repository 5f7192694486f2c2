"""The ``trucewatch`` command: thin commands over the library API (pipeline, store, export)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from trucewatch import config, export
from trucewatch.errors import TrucewatchError
from trucewatch.models import EVENT_TYPES

if TYPE_CHECKING:
    from trucewatch.ledger import Truce

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn news reports about armed conflict into a ledger of attacks, strikes, "
                       "casualties and ceasefires.")
console = Console()
err = Console(stderr=True)

DbOption = Annotated[Optional[Path], typer.Option("--db", help=config.SETTINGS[0].help + " [env TRUCEWATCH_DB]")]


def _db(path: Path | None) -> str:
    return str(path) if path else str(config.get("db"))


def _fail(exc: Exception) -> None:
    # soft_wrap: an error stays on one line however narrow the terminal; escape: a path with
    # "[...]" in it is text, not Rich markup.
    err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
    raise typer.Exit(2)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of reports (.txt, .html, .json, .jsonl, feeds).")],
    db: DbOption = None,
    published: Annotated[Optional[str], typer.Option(help="Publication date YYYY-MM-DD for files that lack one.")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="Outlet name for files that lack one.")] = None,
    gazetteer: Annotated[Optional[Path], typer.Option(help=config.SETTINGS[1].help)] = None,
) -> None:
    """Read reports, extract their events and store them; prints a summary table."""
    from trucewatch.pipeline import ingest as run
    from trucewatch.resolve.names import Gazetteer
    from trucewatch.store import Store

    try:
        extra = [gazetteer] if gazetteer else ([config.get("gazetteer")] if config.get("gazetteer") else [])
        gaz = Gazetteer.load(extra=[str(x) for x in extra])
        with Store(_db(db)) as store, Progress(
            TextColumn("[progress.description]{task.description}"), BarColumn(),
            TextColumn("{task.completed} documents"),
            console=err, transient=True, disable=not sys.stderr.isatty(),
        ) as bar:
            # A JSON Lines file holds any number of reports: the bar counts documents as they come.
            task = bar.add_task("ingesting", total=None)
            stats = run(paths, store, published=published, outlet=outlet, gazetteer=gaz,
                        progress=lambda _: bar.advance(task))
    except TrucewatchError as exc:
        _fail(exc)
        return
    for r in stats.rejections:
        err.print(f"[red]failed[/red] {escape(str(r))}", soft_wrap=True)
    for w in stats.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(w)}", soft_wrap=True)
    table = Table(title="Ingest summary")
    for col in ("read", "new", "updated", "unchanged", "failed"):
        table.add_column(col, justify="right")
    table.add_row(*(str(getattr(stats, c)) for c in ("read", "new", "updated", "unchanged", "failed")))
    console.print(table)
    if stats.events_by_type:
        by_type = Table(title="Events extracted")
        by_type.add_column("type")
        by_type.add_column("events", justify="right")
        for t in EVENT_TYPES:
            if stats.events_by_type.get(t):
                by_type.add_row(t, str(stats.events_by_type[t]))
        console.print(by_type)
    if stats.failed:
        raise typer.Exit(1)


@app.command()
def events(
    db: DbOption = None,
    type: Annotated[Optional[str], typer.Option("--type", help="Only events of this type.")] = None,
    actor: Annotated[Optional[str], typer.Option(help="Only events whose actor or target contains this.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only events on or after this date (YYYY[-MM[-DD]]).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only events on or before this date.")] = None,
    text: Annotated[Optional[str], typer.Option(help="Only events whose evidence contains these words.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 100,
) -> None:
    """List stored events, newest first."""
    from trucewatch.store import Store

    if type and type not in EVENT_TYPES:
        _fail(ValueError(f"unknown event type {type!r}; choose one of {', '.join(EVENT_TYPES)}"))
    try:
        with Store(_db(db)) as store:
            rows = store.events(type=type, actor=actor, since=since, until=until, text=text, limit=limit)
    except (TrucewatchError, ValueError) as exc:
        _fail(exc)
        return
    table = Table(title=f"{len(rows)} events")
    for col in ("date", "type", "mode", "actor", "target", "place", "killed", "injured", "doc"):
        table.add_column(col, overflow="fold")
    for e in rows:
        table.add_row(e.date or "?", e.type, e.mode or "", e.actor or "", e.target or "",
                      "; ".join(x for x in (e.location, e.country) if x), _n(e.killed), _n(e.injured), e.doc_id[:12])
    console.print(table)


def _n(v: int | None) -> str:
    return "" if v is None else str(v)


@app.command("export")
def export_cmd(
    format: Annotated[str, typer.Option("--format", help="gold-jsonl, jsonl, csv or truces-json.")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="File to write (default: stdout).")] = None,
    db: DbOption = None,
) -> None:
    """Export the ledger: gold-jsonl (the annotation schema, one line per report), jsonl, csv, or
    truces-json (the truce records)."""
    from trucewatch.store import Store

    if format not in export.FORMATS:
        _fail(ValueError(f"unknown format {format!r}; choose one of {', '.join(export.FORMATS)}"))
    try:
        with Store(_db(db)) as store:
            if output:
                with output.open("w", encoding="utf-8", newline="") as fh:
                    n = export.write(store, format, fh)
                err.print(f"wrote {n} records to {escape(str(output))}", soft_wrap=True)
            else:
                export.write(store, format, sys.stdout)
    except (TrucewatchError, OSError) as exc:
        _fail(exc)


AsOfOption = Annotated[Optional[str], typer.Option(
    "--as-of", help="Date YYYY-MM-DD the records are true on (default: the latest report).")]


def _truces(db: Path | None, as_of: str | None) -> list[Truce]:
    """Build the truce records of the database with the configured gazetteer; errors end the command."""
    from trucewatch.ledger import build_truces
    from trucewatch.resolve.names import Gazetteer
    from trucewatch.store import Store

    try:
        extra = config.get("gazetteer")
        gaz = Gazetteer.load(extra=[str(extra)] if extra else [])
        with Store(_db(db)) as store:
            return build_truces(store, gaz, as_of)
    except (TrucewatchError, ValueError) as exc:
        _fail(exc)
        return []


@app.command("truces")
def truces_cmd(db: DbOption = None, as_of: AsOfOption = None) -> None:
    """List the truce records: parties, counterpart, from-to, status, violations, conditions met."""
    from trucewatch.ledger.cards import truce_table

    console.print(truce_table(_truces(db, as_of), as_of))


@app.command("truce")
def truce_cmd(
    truce_id: Annotated[str, typer.Argument(metavar="ID", help="A truce id from `trucewatch truces` (or its start).")],
    db: DbOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Show one truce: conditions, mediators, status history, violations and sources."""
    from trucewatch.ledger import find_truce
    from trucewatch.ledger.cards import truce_card

    truces = _truces(db, as_of)
    found = find_truce(truces, truce_id)
    if found is None:
        known = ", ".join(t.id for t in truces) or "none"
        _fail(ValueError(f"no single truce with id {truce_id!r}; known: {known}"))
        return
    console.print(truce_card(found, as_of))


if __name__ == "__main__":
    app()
