"""``entities list|add|alias|unalias|merge``: what the ledger has seen, and the user's gazetteer file
that names new entities (see :mod:`trucewatch.resolve.curation` for the checks every write passes)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from trucewatch.commands import common
from trucewatch.commands.common import DbOption, JsonOption, console, emit_json, fail, wide
from trucewatch.errors import TrucewatchError
from trucewatch.terminal import safe

entities_app = typer.Typer(
    no_args_is_help=True,
    help="The entities the ledger has seen, and the user's gazetteer file that names new ones "
         "(add, alias, unalias, merge write the file; the next ingest reads it).")

GazetteerFileOption = Annotated[Optional[Path], typer.Option(
    "--gazetteer", help="The gazetteer file to write (default: the gazetteer setting, else "
                        "trucewatch-gazetteer.yaml in the working directory) [env TRUCEWATCH_GAZETTEER]")]


@entities_app.command("list")
def entities_list(
    db: DbOption = None,
    new: Annotated[bool, typer.Option(
        "--new", help="Only provisional entities awaiting curation: unknown names the user's gazetteer "
                      "does not yet name.")] = False,
    type: Annotated[Optional[str], typer.Option(
        "--type", help="Only entities of this type (e.g. 'armed group').")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows.")] = 100,
    gazetteer: GazetteerFileOption = None,
    json: JsonOption = False,
) -> None:
    """List the entities the stored reports mention, most mentioned first, with the spellings seen."""
    from trucewatch.resolve.curation import check_listing, listed_entities

    try:
        check_listing(type, limit)  # before the database is opened
        with common.open_store(db) as store:
            listing = listed_entities(store, new=new, type=type, limit=limit, gazetteer=gazetteer)
        rows, resolved = listing.entities, listing.resolved
    except TrucewatchError as exc:
        fail(exc)
    if json:
        emit_json([{"id": r.entity.id, "name": r.entity.name, "type": r.entity.type, "country": r.entity.country,
                    "provisional": r.entity.provisional, "mentions": r.mentions,
                    "spellings": [{"spelling": s, "mentions": n} for s, n in r.spellings]} for r in rows])
        return
    table = Table(title=f"{len(rows)} {'provisional ' if new else ''}entities")
    for col in ("mentions", "name", "type", "country", "new", "id", "spellings seen"):
        table.add_column(col, justify="right" if col == "mentions" else "left", overflow="fold")
    for row in rows:
        e = row.entity
        table.add_row(str(row.mentions), safe(e.name), safe(e.type), safe(e.country), "yes" if e.provisional else "",
                      safe(e.id), safe("; ".join(f"{s} ({n})" for s, n in row.spellings)))
    wide().print(table)
    if resolved:
        named = ", ".join(f"{provisional} -> {entity.name}" for provisional, entity in sorted(resolved.items()))
        common.err.print(f"{len(resolved)} provisional entities are named by the gazetteer file now and are not "
                         f"listed ({escape(named)}); `trucewatch reextract` applies it to the stored reports",
                         soft_wrap=True)


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
        fail(exc)
    console.print(f"added {escape(edit.entity.name)} ({escape(edit.entity.id)}) to {escape(str(edit.path))}",
                  soft_wrap=True)


@entities_app.command("alias")
def entities_alias(
    entity: Annotated[str, typer.Argument(help="Entity id, canonical name or known alias.")],
    aliases: Annotated[list[str], typer.Argument(metavar="ALIAS...", help="Spellings to add.")],
    gazetteer: GazetteerFileOption = None,
) -> None:
    """Add spellings to an entity in the user's gazetteer file (refused if one already names another
    entity, a world country or a city included)."""
    from trucewatch.resolve.curation import add_aliases, user_gazetteer_path

    try:
        edit = add_aliases(user_gazetteer_path(gazetteer), entity, aliases)
    except TrucewatchError as exc:
        fail(exc)
    _report(edit.entity.name, edit.entity.id, edit.added, edit.path)


@entities_app.command("unalias")
def entities_unalias(
    entity: Annotated[str, typer.Argument(help="Entity id, canonical name or known alias.")],
    aliases: Annotated[list[str], typer.Argument(metavar="ALIAS...", help="Spellings to remove.")],
    gazetteer: GazetteerFileOption = None,
) -> None:
    """Remove spellings the user's gazetteer file gave an entity (with `alias` or `merge`)."""
    from trucewatch.resolve.curation import remove_aliases, user_gazetteer_path

    try:
        edit = remove_aliases(user_gazetteer_path(gazetteer), entity, aliases)
    except TrucewatchError as exc:
        fail(exc)
    console.print(f"{escape(edit.entity.name)} ({escape(edit.entity.id)}): removed {escape(', '.join(edit.removed))} "
                  f"from {escape(str(edit.path))}; `trucewatch reextract` applies it to the stored reports",
                  soft_wrap=True)


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

    path = user_gazetteer_path(gazetteer)
    try:
        if common.ledger_given(db):
            with common.open_store(db) as store:
                edit = merge_entity(path, source, into, store)
        else:  # no ledger yet: only entities of the gazetteer can be merged, and no empty database is made
            edit = merge_entity(path, source, into)
    except TrucewatchError as exc:
        fail(exc)
    _report(edit.entity.name, edit.entity.id, edit.added, edit.path)


def _report(name: str, entity_id: str, added: list[str], path: Path) -> None:
    if added:
        console.print(f"{escape(name)} ({escape(entity_id)}): added {escape(', '.join(added))} in {escape(str(path))}",
                      soft_wrap=True)
    else:
        console.print(f"{escape(name)} ({escape(entity_id)}) already has these spellings; nothing to write",
                      soft_wrap=True)
