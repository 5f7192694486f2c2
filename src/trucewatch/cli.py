"""The ``trucewatch`` command: thin commands over the library API (pipeline, store, export)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn
from rich.table import Table

from trucewatch import config, export
from trucewatch.errors import TrucewatchError
from trucewatch.models import EVENT_TYPES, IngestStats

if TYPE_CHECKING:
    from trucewatch.ledger import Truce

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn news reports about armed conflict into a ledger of attacks, strikes, "
                       "casualties and ceasefires.")
console = Console()


def _wide() -> Console:
    """Piped output (files, CI logs) gets room for a readable table instead of the 80-column default;
    a terminal, or COLUMNS, still decides the width."""
    return Console(width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else 160)
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
    from trucewatch.resolve.curation import load_gazetteer
    from trucewatch.store import Store

    try:
        # --gazetteer, else the setting, else trucewatch-gazetteer.yaml when `entities add` wrote one.
        gaz = load_gazetteer(gazetteer)
        with Store(_db(db)) as store, _progress() as bar:
            # A JSON Lines file holds any number of reports: the bar counts documents as they come.
            task = bar.add_task("ingesting", total=None)
            stats = run(paths, store, published=published, outlet=outlet, gazetteer=gaz,
                        progress=lambda _: bar.advance(task))
    except TrucewatchError as exc:
        _fail(exc)
        return
    _summary(stats, "Ingest summary", ("read", "new", "updated", "unchanged", "failed"))


@app.command()
def reextract(
    db: DbOption = None,
    gazetteer: Annotated[Optional[Path], typer.Option(help=config.SETTINGS[1].help)] = None,
) -> None:
    """Read the stored reports again with the current gazetteer (after `entities add`, `alias` or
    `merge`) and replace the events of those whose reading changed; prints a summary table."""
    from trucewatch.pipeline import reextract as run
    from trucewatch.resolve.curation import load_gazetteer
    from trucewatch.store import Store

    try:
        gaz = load_gazetteer(gazetteer)
        with Store(_db(db)) as store, _progress() as bar:
            task = bar.add_task("re-extracting", total=None)
            stats = run(store, gazetteer=gaz, progress=lambda _: bar.advance(task))
    except TrucewatchError as exc:
        _fail(exc)
        return
    _summary(stats, "Re-extract summary", ("read", "updated", "unchanged", "failed"))


def _progress() -> Progress:
    """A bar counting documents on stderr, shown only on a terminal."""
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                    TextColumn("{task.completed} documents"), console=err, transient=True,
                    disable=not sys.stderr.isatty())


def _summary(stats: IngestStats, title: str, columns: tuple[str, ...]) -> None:
    """Rejections and warnings on stderr, then the counts and the events by type; exit 1 on a failure."""
    for r in stats.rejections:
        err.print(f"[red]failed[/red] {escape(str(r))}", soft_wrap=True)
    for w in stats.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(w)}", soft_wrap=True)
    table = Table(title=title)
    for col in columns:
        table.add_column(col, justify="right")
    table.add_row(*(str(getattr(stats, c)) for c in columns))
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
def train(
    corpus: Annotated[Path, typer.Option(
        help="Annotated corpus: a folder of batches (docs.jsonl + gold.jsonl) with aliases.json.")] = Path(
        "corpus/train"),
    out: Annotated[Optional[Path], typer.Option(
        help="Where to write the weights (default: the package's own data/models, which ingestion reads).")] = None,
    cv: Annotated[int, typer.Option(help="Cross-validate by report over this many folds and print the figures "
                                         "instead of training.")] = 0,
    limit: Annotated[Optional[int], typer.Option(help="Use only the first N reports (a quick run).")] = None,
) -> None:
    """Train the extractor's models on an annotated corpus (seeded, reproducible), or cross-validate them."""
    from trucewatch.learn import run

    try:
        data = run.load(corpus, limit=limit, progress=lambda m: err.print(f"read {escape(m)}", soft_wrap=True))
        err.print(f"{len(data.docs)} reports, {data.events} events")
        if cv:
            total, by_kind = run.crossvalidate(data, cv, progress=lambda m: err.print(m))
            _score_table(total.figures(), f"{cv}-fold cross-validation by report ({len(data.docs)} reports)")
            kinds = Table(title="by kind of batch")
            for col in ("batches", "gold", "event F1", "strict F1", "actor", "target", "location", "date"):
                kinds.add_column(col, justify="left" if col == "batches" else "right")
            for kind, score in sorted(by_kind.items()):
                f = score.figures()
                a = f["attributes"]
                kinds.add_row(kind, str(f["gold"]), f"{f['f1']:.3f}", f"{f['strict_f1']:.3f}",
                              *(f"{a[x]:.3f}" if a[x] is not None else "-" for x in ("actor", "target", "location",
                                                                                     "date")))
            console.print(kinds)
            return
        written = run.train(data, out)
    except TrucewatchError as exc:
        _fail(exc)
        return
    for name, path in written.items():
        console.print(f"wrote {name}: {escape(str(path))}", soft_wrap=True)


def _score_table(fig: dict[str, Any], title: str) -> None:
    table = Table(title=title)
    for col in ("type", "gold", "pred", "P", "R", "F1"):
        table.add_column(col, justify="right" if col != "type" else "left")
    for name, t in fig["types"].items():
        table.add_row(name, str(t["gold"]), str(t["pred"]), f"{t['precision']:.3f}", f"{t['recall']:.3f}",
                      f"{t['f1']:.3f}")
    table.add_row("all", str(fig["gold"]), str(fig["pred"]), f"{fig['precision']:.3f}", f"{fig['recall']:.3f}",
                  f"{fig['f1']:.3f}")
    console.print(table)
    attrs = ", ".join(f"{a} {v:.3f}" for a, v in fig["attributes"].items() if v is not None)
    console.print(f"attribute accuracy on matched events: {attrs}", soft_wrap=True)
    if fig.get("condition_recall") is not None:
        console.print(f"ceasefire condition word recall: {fig['condition_recall']:.3f}")
    console.print(f"event F1 {fig['f1']:.3f}  strict F1 {fig['strict_f1']:.3f}")


@app.command()
def events(
    db: DbOption = None,
    type: Annotated[Optional[str], typer.Option("--type", help="Only events of this type.")] = None,
    actor: Annotated[Optional[str], typer.Option(help="Only events whose actor or target contains this.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only events on or after this date (YYYY[-MM[-DD]]).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only events on or before this date.")] = None,
    text: Annotated[Optional[str], typer.Option(help="Only events whose evidence contains these words.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 100,
    contested: Annotated[bool, typer.Option(
        "--contested", help="Only events whose reports contradict each other.")] = False,
    per_report: Annotated[bool, typer.Option(
        "--per-report", help="One row per event as each report tells it, with the report's id.")] = False,
) -> None:
    """List real-world events merged across reports, newest first, with their number of independent
    sources (--per-report: each report's own events)."""
    from trucewatch.store import Store

    if type and type not in EVENT_TYPES:
        _fail(ValueError(f"unknown event type {type!r}; choose one of {', '.join(EVENT_TYPES)}"))
    if contested and per_report:
        _fail(ValueError("--contested lists merged events: use it without --per-report"))
    if not per_report:
        _merged_events(db, type=type, actor=actor, since=since, until=until, text=text, limit=limit,
                       contested=contested)
        return
    try:
        with Store(_db(db)) as store:
            rows = store.events(type=type, actor=actor, since=since, until=until, text=text, limit=limit)
    except (TrucewatchError, ValueError) as exc:
        _fail(exc)
        return
    table = Table(title=f"{len(rows)} events")
    table.add_column("date", no_wrap=True)
    table.add_column("type", no_wrap=True)
    for col in ("mode", "actor", "target", "place"):
        table.add_column(col, overflow="fold")
    table.add_column("killed", justify="right")
    table.add_column("injured", justify="right")
    table.add_column("doc", no_wrap=True)
    for e in rows:
        table.add_row(e.date or "?", e.type, e.mode or "", e.actor or "", e.target or "",
                      "; ".join(x for x in (e.location, e.country) if x), _n(e.killed), _n(e.injured), e.doc_id[:12])
    _wide().print(table)


def _n(v: int | None) -> str:
    return "" if v is None else str(v)


def _merged_events(db: Path | None, **filters: Any) -> None:
    """The merged ``events`` / ``events --contested`` table."""
    from trucewatch.merge.cards import merged_table
    from trucewatch.store import Store

    try:
        with Store(_db(db)) as store:
            rows = store.merged_events(**filters)
    except (TrucewatchError, ValueError) as exc:
        _fail(exc)
        return
    title = f"{len(rows)} {'contested ' if filters.get('contested') else ''}merged events"
    _wide().print(merged_table(rows, title))


@app.command("event")
def event_cmd(
    event_id: Annotated[int, typer.Argument(metavar="ID", help="A merged event id from `trucewatch events`.")],
    db: DbOption = None,
) -> None:
    """Show one real-world event: merged values and where each came from, mentions, sources, claims
    and contradictions."""
    from trucewatch.merge.cards import merged_card
    from trucewatch.store import Store

    try:
        with Store(_db(db)) as store:
            found = store.merged_event(event_id)
    except TrucewatchError as exc:
        _fail(exc)
        return
    if found is None:
        _fail(ValueError(f"no merged event with id {event_id}; list them with `trucewatch events`"))
        return
    console.print(merged_card(found))


@app.command("export")
def export_cmd(
    format: Annotated[str, typer.Option(
        "--format", help="jsonl, gold-jsonl, mentions-jsonl, csv or truces-json.")] = "jsonl",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="File to write (default: stdout).")] = None,
    db: DbOption = None,
) -> None:
    """Export the ledger: jsonl (one line per real-world event with its sources), gold-jsonl (the
    annotation schema, one line per report), mentions-jsonl or csv (one event per report, with the
    report's metadata), or truces-json (the truce records)."""
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

    _wide().print(truce_table(_truces(db, as_of), as_of))


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


entities_app = typer.Typer(
    no_args_is_help=True,
    help="The entities the ledger has seen, and the user's gazetteer file that names new ones "
         "(add, alias, merge write the file; the next ingest reads it).")
app.add_typer(entities_app, name="entities")

GazetteerFileOption = Annotated[Optional[Path], typer.Option(
    "--gazetteer", help="The gazetteer file to write (default: the gazetteer setting, else "
                        "trucewatch-gazetteer.yaml in the working directory) [env TRUCEWATCH_GAZETTEER]")]


@entities_app.command("list")
def entities_list(
    db: DbOption = None,
    new: Annotated[bool, typer.Option(
        "--new", help="Only provisional entities: unknown names kept for curation.")] = False,
    type: Annotated[Optional[str], typer.Option(
        "--type", help="Only entities of this type (e.g. 'armed group').")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 100,
) -> None:
    """List the entities the stored reports mention, most mentioned first, with the spellings seen."""
    from trucewatch.resolve.curation import seen_entities
    from trucewatch.store import Store

    try:
        with Store(_db(db)) as store:
            rows = seen_entities(store, new=new, type=type, limit=limit)
    except TrucewatchError as exc:
        _fail(exc)
        return
    table = Table(title=f"{len(rows)} {'provisional ' if new else ''}entities")
    for col in ("mentions", "name", "type", "country", "new", "id", "spellings seen"):
        table.add_column(col, justify="right" if col == "mentions" else "left", overflow="fold")
    for row in rows:
        e = row.entity
        table.add_row(str(row.mentions), e.name, e.type, e.country or "", "yes" if e.provisional else "", e.id,
                      "; ".join(f"{s} ({n})" for s, n in row.spellings))
    _wide().print(table)


@entities_app.command("add")
def entities_add(
    name: Annotated[str, typer.Argument(help="Canonical name, spelt as the ledger should write it.")],
    type: Annotated[str, typer.Option("--type", help="Entity type: armed group, state, person, city, ...")],
    alias: Annotated[Optional[list[str]], typer.Option("--alias", help="Another spelling (repeatable).")] = None,
    country: Annotated[Optional[str], typer.Option(help="Country (name, adjective or ISO code).")] = None,
    lat: Annotated[Optional[float], typer.Option(help="Latitude (places only, with --lon).")] = None,
    lon: Annotated[Optional[float], typer.Option(help="Longitude (places only, with --lat).")] = None,
    entity_id: Annotated[Optional[str], typer.Option("--id", help="Id (default: the name as a slug).")] = None,
    gazetteer: GazetteerFileOption = None,
) -> None:
    """Add a new entity to the user's gazetteer file (created if absent)."""
    from trucewatch.resolve.curation import add_entity, user_gazetteer_path

    try:
        edit = add_entity(user_gazetteer_path(gazetteer), name, type, aliases=alias or [], country=country,
                          lat=lat, lon=lon, entity_id=entity_id)
    except TrucewatchError as exc:
        _fail(exc)
        return
    console.print(f"added {escape(edit.entity.name)} ({escape(edit.entity.id)}) to {escape(str(edit.path))}",
                  soft_wrap=True)


@entities_app.command("alias")
def entities_alias(
    entity: Annotated[str, typer.Argument(help="Entity id, canonical name or known alias.")],
    aliases: Annotated[list[str], typer.Argument(metavar="ALIAS...", help="Spellings to add.")],
    gazetteer: GazetteerFileOption = None,
) -> None:
    """Add spellings to an entity in the user's gazetteer file."""
    from trucewatch.resolve.curation import add_aliases, user_gazetteer_path

    try:
        edit = add_aliases(user_gazetteer_path(gazetteer), entity, aliases)
    except TrucewatchError as exc:
        _fail(exc)
        return
    _report_aliases(edit.entity.name, edit.entity.id, edit.added, edit.path)


@entities_app.command("merge")
def entities_merge(
    source: Annotated[str, typer.Argument(metavar="FROM", help="A provisional or duplicate entity (id or name).")],
    into: Annotated[str, typer.Argument(metavar="INTO", help="The entity it is (id or name).")],
    gazetteer: GazetteerFileOption = None,
    db: DbOption = None,
) -> None:
    """Merge a provisional or duplicate entity into another: its name and aliases become the other's
    aliases (provisional entities are looked up in the database)."""
    from trucewatch.resolve.curation import merge_entity, user_gazetteer_path
    from trucewatch.store import Store

    path = user_gazetteer_path(gazetteer)
    try:
        if Path(_db(db)).is_file():
            with Store(_db(db)) as store:
                edit = merge_entity(path, source, into, store)
        else:  # no ledger yet: only entities of the gazetteer can be merged, and no empty database is made
            edit = merge_entity(path, source, into)
    except TrucewatchError as exc:
        _fail(exc)
        return
    _report_aliases(edit.entity.name, edit.entity.id, edit.added, edit.path)


def _report_aliases(name: str, entity_id: str, added: list[str], path: Path) -> None:
    if added:
        console.print(f"{escape(name)} ({escape(entity_id)}): added {escape(', '.join(added))} in {escape(str(path))}",
                      soft_wrap=True)
    else:
        console.print(f"{escape(name)} ({escape(entity_id)}) already has these spellings; nothing to write",
                      soft_wrap=True)


# ---- the web side: dashboard and REST API, and the self-contained report (trucewatch.web) ----------


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    token: Annotated[Optional[str], typer.Option(
        help="Token that unlocks the API's writes (default: $TRUCEWATCH_WEB_TOKEN); none: read-only.")] = None,
    gazetteer: Annotated[Optional[Path], typer.Option(help=config.SETTINGS[1].help)] = None,
) -> None:
    """Serve the dashboard (overview, map, truces, events, entities) and the REST API (docs at /docs)."""
    import uvicorn

    from trucewatch.web import create_app

    token = token or (str(config.get("web_token") or "") or None)
    try:
        web = create_app(_db(db), token=token, gazetteer=gazetteer)
    except TrucewatchError as exc:
        _fail(exc)
        return
    err.print(f"trucewatch: http://{host}:{port}/  (API docs: /docs; writes "
              f"{'need the token' if token else 'disabled: no token'})", soft_wrap=True, highlight=False)
    uvicorn.run(web, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)


@app.command()
def report(
    output: Annotated[Path, typer.Option("-o", "--output", help="HTML file to write.")] = Path("report.html"),
    db: DbOption = None,
    type: Annotated[Optional[str], typer.Option("--type", help="Only events of this type.")] = None,
    actor: Annotated[Optional[str], typer.Option(help="Only events whose actor or target contains this.")] = None,
    place: Annotated[Optional[str], typer.Option(help="Only events whose place contains this.")] = None,
    country: Annotated[Optional[str], typer.Option(help="Only events in this country.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Only events on or after this date (YYYY[-MM[-DD]]).")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only events on or before this date.")] = None,
    text: Annotated[Optional[str], typer.Option(help="Only events whose evidence contains these words.")] = None,
    contested: Annotated[bool, typer.Option("--contested", help="Only contested events.")] = False,
    background: Annotated[Optional[bool], typer.Option(
        "--background/--news", help="Only events told as background / only news.", show_default=False)] = None,
    as_of: AsOfOption = None,
    title: Annotated[Optional[str], typer.Option(help="Title of the report.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many events in its table.")] = 1000,
) -> None:
    """Write one self-contained HTML file (timeline, map, truce cards, events) that opens with no network."""
    from trucewatch.resolve.curation import load_gazetteer
    from trucewatch.store import Store
    from trucewatch.store.queries import EventFilters
    from trucewatch.web.report import render_report

    if type and type not in EVENT_TYPES:
        _fail(ValueError(f"unknown event type {type!r}; choose one of {', '.join(EVENT_TYPES)}"))
    if not Path(_db(db)).is_file():
        _fail(ValueError(f"{_db(db)}: no such database; create it with `trucewatch ingest`"))
    filters = EventFilters(type=type, actor=actor, place=place, country=country, since=since, until=until,
                           text=text, contested=contested, background=background)
    try:
        with Store(_db(db)) as store:
            html = render_report(store, load_gazetteer(), filters, as_of=as_of, title=title, limit=limit)
        output.write_text(html, encoding="utf-8")
    except (TrucewatchError, ValueError, OSError) as exc:
        _fail(exc)
        return
    err.print(f"wrote {escape(str(output))} ({len(html.encode()) // 1024} KB)", soft_wrap=True)


if __name__ == "__main__":
    app()
