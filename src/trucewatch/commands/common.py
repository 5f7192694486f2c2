"""What every command shares: the consoles it prints on, JSON output, a quiet exit when the reader
of its output goes away, one-line errors, and opening the database.

A closed pipe (``trucewatch export | head``) is not an error: the command stops writing and exits
with status 141, as a program killed by SIGPIPE does, printing nothing. Standard output is pointed at
``/dev/null`` first, so that Python's own last flush cannot complain either.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from rich.console import Console
from rich.markup import escape

from trucewatch import config
from trucewatch.store import Store
from trucewatch.store.connection import is_url
from trucewatch.store.sql import check_date

CLOSED_PIPE = 141  # 128 + SIGPIPE: what a shell reports for a writer whose reader went away


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so that nothing more written to it can fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real descriptor (a test runner's buffer)
        pass


class PipeConsole(Console):
    """A Rich console that exits quietly (status 141) when its reader closes the pipe."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        _silence_stdout()
        raise SystemExit(CLOSED_PIPE)


@contextmanager
def closed_pipe_is_quiet() -> Iterator[None]:
    """Run a block that writes to standard output; a closed pipe ends the command quietly."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
        raise SystemExit(CLOSED_PIPE) from None


console = PipeConsole()
err = Console(stderr=True)


def wide() -> Console:
    """Piped output (files, CI logs) gets room for a readable table instead of the 80-column default;
    a terminal, or COLUMNS, still decides the width."""
    return PipeConsole(width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else 160)


def emit_json(data: Any) -> None:
    """Print ``data`` as JSON on standard output (report text is escaped by JSON itself)."""
    with closed_pipe_is_quiet():
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def fail(exc: Exception | str, code: int = 2) -> NoReturn:
    """One line on standard error, then exit. soft_wrap: an error stays on one line however narrow
    the terminal; escape: a path with "[...]" in it is text, not Rich markup."""
    err.print(f"[red]error:[/red] {escape(str(exc))}", soft_wrap=True)
    raise typer.Exit(code)


# A string, not a Path: a PostgreSQL URL (postgresql://host/db) must keep its double slash.
DbOption = Annotated[Optional[str], typer.Option("--db", help=config.SETTINGS[0].help + " [env TRUCEWATCH_DB]")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def db_path(path: str | Path | None) -> str:
    """The database a command uses: ``--db``, else the ``db`` setting (``$TRUCEWATCH_DB``): a SQLite
    file or a PostgreSQL URL."""
    return str(path) if path else str(config.get("db"))


def ledger_given(path: str | Path | None) -> bool:
    """Whether the database a command uses may hold a ledger: a PostgreSQL URL (the server says), or
    a SQLite file that exists (a missing one is not made by a command that only looks things up)."""
    target = db_path(path)
    return is_url(target) or Path(target).is_file()


def open_store(path: str | Path | None, *, create: bool = False) -> Store:
    """Open the ledger; a command that only reads it (``create=False``) refuses a missing file, or a
    PostgreSQL database that holds no ledger, rather than answering from a new, empty database."""
    return Store(db_path(path), create=create)


def check_dates(**bounds: str | None) -> None:
    """Refuse a date option that is not a real ISO date or prefix (``--since 2017-13``)."""
    for name, value in bounds.items():
        if value is not None:
            try:
                check_date(f"--{name.replace('_', '-')}", value)
            except ValueError as exc:
                fail(exc)
