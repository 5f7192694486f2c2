"""Exceptions raised by trucewatch.

    TrucewatchError
     ├── InputError          an input file or record cannot be read (names the input and the problem)
     ├── GazetteerError      a gazetteer file is malformed
     └── StoreError          the database cannot be opened or is of an unknown schema version

Library code raises these and never prints or exits; the CLI turns them into one-line messages
and exit codes.
"""

from __future__ import annotations


class TrucewatchError(Exception):
    """Base class of every error trucewatch raises on purpose."""


class InputError(TrucewatchError):
    """An input cannot be used. ``source`` names the file (and ``line`` the line) at fault."""

    def __init__(self, source: str, problem: str, line: int | None = None) -> None:
        self.source = source
        self.problem = problem
        self.line = line
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {problem}")


class GazetteerError(TrucewatchError):
    """A gazetteer file (shipped or the user's) is malformed."""


class StoreError(TrucewatchError):
    """The database cannot be opened, migrated or written."""
