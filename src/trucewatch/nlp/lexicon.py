"""Word lists the analyser matches: event trigger candidates (``data/triggers.yaml``), generic nouns that
stand for a kind of party (``data/generic.yaml``: civilians, a country's own forces, insurgents) and weapon
words with the mode they name (``data/weapons.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from trucewatch.errors import TrucewatchError


@dataclass(frozen=True)
class Lexicon:
    """``triggers``: lower-case phrase -> family; ``generic``: lower-case noun -> class; ``weapons``:
    lower-case phrase -> the attack/strike mode it names."""

    triggers: dict[str, str]
    generic: dict[str, str]
    weapons: dict[str, str]

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.triggers.values())))


def _read(name: str) -> dict[str, object]:
    text = resources.files("trucewatch").joinpath(f"data/{name}").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict) or data.get("version") != 1:
        raise TrucewatchError(f"data/{name}: expected a mapping with version 1")
    return data


def _entries(groups: object, source: str) -> dict[str, str]:
    """{key: ["a, b", "c"]} -> {"a": key, "b": key, "c": key} (phrases lower-cased, first key wins)."""
    if not isinstance(groups, dict):
        raise TrucewatchError(f"data/{source}: expected a mapping of lists")
    out: dict[str, str] = {}
    for key, lines in groups.items():
        for line in lines or []:
            for phrase in str(line).split(","):
                phrase = " ".join(phrase.lower().split())
                if phrase:
                    out.setdefault(phrase, str(key))
    return out


@cache
def load_lexicon() -> Lexicon:
    """The shipped trigger and generic-noun lexicons, read once."""
    return Lexicon(_entries(_read("triggers.yaml")["families"], "triggers.yaml"),
                   _entries(_read("generic.yaml")["classes"], "generic.yaml"),
                   _entries(_read("weapons.yaml")["modes"], "weapons.yaml"))
