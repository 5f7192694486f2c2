"""One settings table: name, default, environment variable and help. It drives the CLI's options
and the README's settings section (a test checks that every setting is documented)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from trucewatch.errors import TrucewatchError


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | int | None
    env: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "trucewatch.db", "TRUCEWATCH_DB",
            "The ledger: a SQLite database file, or a PostgreSQL URL (postgresql://user@host/dbname)."),
    Setting("gazetteer", None, "TRUCEWATCH_GAZETTEER",
            "A YAML gazetteer file whose entities and aliases are added to the shipped ones."),
    Setting("max_bytes", 20_000_000, "TRUCEWATCH_MAX_BYTES",
            "Input files larger than this many bytes are rejected without being read."),
    Setting("web_token", None, "TRUCEWATCH_WEB_TOKEN",
            "Token that unlocks the web API's writes (posting reports, curation); unset, the API is read-only."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def get(name: str) -> str | int | None:
    """The setting's value: its environment variable when set, else its default.

    A malformed value raises ``TrucewatchError`` naming the variable, so the CLI prints one line
    instead of a traceback.
    """
    setting = _BY_NAME[name]
    if setting.env and os.environ.get(setting.env):
        raw = os.environ[setting.env]
        if not isinstance(setting.default, int):
            return raw
        try:
            return int(raw)
        except ValueError:
            raise TrucewatchError(f"${setting.env}={raw!r}: expected a whole number") from None
    return setting.default
