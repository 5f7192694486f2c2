"""The ``trucewatch`` command: thin commands over the library API (pipeline, store, export).

The commands live in :mod:`trucewatch.commands`, one module per part of the ledger; this module
makes the app, registers them, and keeps the toolkit commands defined here use (``DbOption``,
``_db``, ``_fail``, the consoles).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape

from trucewatch import config
from trucewatch.commands import entities, exchange, ingest, ledger
from trucewatch.commands.common import DbOption, console, db_path, err, fail, wide
from trucewatch.commands.ledger import AsOfOption
from trucewatch.errors import TrucewatchError
from trucewatch.models import EVENT_TYPES

__all__ = ["AsOfOption", "DbOption", "EVENT_TYPES", "Path", "TrucewatchError", "app", "config", "console", "err",
           "escape", "wide"]

HELP = "Turn news reports about armed conflict into a ledger of attacks, strikes, casualties and ceasefires."
app = typer.Typer(add_completion=False, no_args_is_help=True, help=HELP)
_db = db_path
_fail = fail


def _version(show: bool) -> None:
    if show:
        try:
            number = version("trucewatch")
        except PackageNotFoundError:  # a source tree that was never installed
            number = "unknown (not installed)"
        console.print(f"trucewatch {number}", highlight=False)
        raise typer.Exit()


@app.callback(help=HELP)
def main(
    show_version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """The group itself does nothing: every action is a command."""


app.command()(ingest.ingest)
app.command()(ingest.reextract)
app.command()(ingest.train)
app.command()(ledger.events)
app.command("event")(ledger.event)
app.command("truces")(ledger.truces)
app.command("truce")(ledger.truce)
app.command("export")(exchange.export)
app.command("import")(exchange.import_)
app.command("compare")(exchange.compare)
app.add_typer(entities.entities_app, name="entities")


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
    from trucewatch.store.filters import EventFilters
    from trucewatch.web.report import render_report

    if type and type not in EVENT_TYPES:
        _fail(ValueError(f"unknown event type {type!r}; choose one of {', '.join(EVENT_TYPES)}"))
    filters = EventFilters(type=type, actor=actor, place=place, country=country, since=since, until=until,
                           text=text, contested=contested, background=background)
    try:
        with Store(_db(db), create=False) as store:  # a missing ledger (file or server) is named, not made
            html = render_report(store, load_gazetteer(), filters, as_of=as_of, title=title, limit=limit)
        output.write_text(html, encoding="utf-8")
    except (TrucewatchError, ValueError, OSError) as exc:
        _fail(exc)
        return
    err.print(f"wrote {escape(str(output))} ({len(html.encode()) // 1024} KB)", soft_wrap=True)


if __name__ == "__main__":
    app()
