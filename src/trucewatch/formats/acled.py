"""ACLED's columns and codebook values, and a merged event of the ledger as an ACLED row.

ACLED (Armed Conflict Location & Event Data) is what most analysts already hold; writing the ledger
in its columns lets them put trucewatch's events beside their ACLED extract, and ``trucewatch
compare`` read one against the other. The values are ACLED's own (ACLED Codebook, as restated by
ACLED's ``acledR`` package): six event types and their sub-event types, actor types 1-8 (``inter1``,
``inter2``) and their two-digit ``interaction``, time precision 1 (the day), 2 (a week, its middle
coded) and 3 (a month, its middle coded), geo precision 1 (a town), 2 (near a place or part of a
region), 3 (a region only).

What the ledger cannot say is left empty rather than guessed: ``admin2`` where GeoNames names no
second-level region for the town (:meth:`Lookup.admin_regions`) and the actor type of a person. Events
dated only by a year, or not at all, have no ACLED row: ACLED's coarsest time precision is a month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from trucewatch.formats.lookup import Lookup, split_names
from trucewatch.merge.records import MergedEvent
from trucewatch.models import PLACE_TYPES, Event

COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision",
    "source", "notes", "fatalities",
)

# ACLED's event types and their sub-event types, as its codebook spells them.
SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}
# ACLED's actor types (inter1, inter2).
ACTOR_TYPES: dict[int, str] = {1: "State forces", 2: "Rebel groups", 3: "Political militias", 4: "Identity militias",
                               5: "Rioters", 6: "Protesters", 7: "Civilians", 8: "External/Other forces"}

EXPLOSIONS = "Explosions/Remote violence"
STRATEGIC = "Strategic developments"
# A use of force by its mode (attacks by armed groups and strikes by states alike).
BY_MODE: dict[str, tuple[str, str]] = {
    "airstrike": (EXPLOSIONS, "Air/drone strike"),
    "drone": (EXPLOSIONS, "Air/drone strike"),
    "rocket": (EXPLOSIONS, "Shelling/artillery/missile attack"),
    "missile": (EXPLOSIONS, "Shelling/artillery/missile attack"),
    "mortar": (EXPLOSIONS, "Shelling/artillery/missile attack"),
    "ied": (EXPLOSIONS, "Remote explosive/landmine/IED"),
    "gunfire": ("Battles", "Armed clash"),
    "raid": ("Battles", "Armed clash"),
}
# A use of force whose mode is not reported: a state's strike is most often from the air.
UNKNOWN_MODE: dict[str, tuple[str, str]] = {
    "attack": ("Battles", "Armed clash"),
    "strike": (EXPLOSIONS, "Air/drone strike"),
}
# Gunfire, a raid or an unreported weapon aimed at civilians: ACLED's violence against civilians.
ON_CIVILIANS = ("Violence against civilians", "Attack")
# The ledger's other event types: non-violent developments.
BY_TYPE: dict[str, tuple[str, str]] = {
    "ceasefire": (STRATEGIC, "Agreement"),
    "ceasefire_end": (STRATEGIC, "Change to group/activity"),
    "troop_change": (STRATEGIC, "Change to group/activity"),
    "demand": (STRATEGIC, "Other"),
    "threat": (STRATEGIC, "Other"),
}
# Actor types of the gazetteer's entity types. A state's own forces at home are state forces (1),
# abroad external forces (8); an armed group backed by a state is a political militia (3, as ACLED
# codes Iraq's Iran-backed factions), another one a rebel group (2).
_INTER_BY_ENTITY = {"armed group": 2, "umbrella group": 2, "political party": 3, "population": 7,
                    "international organisation": 8}
# ACLED's name for a perpetrator nobody identified, and its actor type.
UNIDENTIFIED = "Unidentified Armed Group ({country})"
UNIDENTIFIED_INTER = 3
_VIOLENT = ("attack", "strike")


def acled_type(event: Event) -> tuple[str, str]:
    """ACLED's (event_type, sub_event_type) for an event of the ledger."""
    if event.type not in _VIOLENT:
        return BY_TYPE[event.type]
    found = BY_MODE.get(event.mode or "")
    if found is None:
        found = UNKNOWN_MODE[event.type]
    if found[0] != EXPLOSIONS and any("civilian" in t.casefold() for t in split_names(event.target)):
        return ON_CIVILIANS
    return found


def ledger_types(event_type: str, sub_event_type: str | None) -> frozenset[str]:
    """The ledger's event types an ACLED row of this type can be (empty for the kinds the ledger does
    not record: protests, riots, arrests, looting). The reverse of :func:`acled_type`, plus what ACLED
    itself codes that way (an interception of a rocket is a disrupted weapons use there)."""
    if event_type in ("Battles", EXPLOSIONS, "Violence against civilians"):
        return frozenset(_VIOLENT)
    if event_type != STRATEGIC:
        return frozenset()
    types = {t for t, (_, sub) in BY_TYPE.items() if sub == sub_event_type}
    if sub_event_type == "Disrupted weapons use":
        types |= set(_VIOLENT)
    if sub_event_type in ("Headquarters or base established", "Non-violent transfer of territory"):
        types.add("troop_change")
    return frozenset(types)


def event_date(date: str | None) -> tuple[str, int] | None:
    """(event_date, time_precision) for a ledger date: a day as itself (1); a month as its middle day
    (3), as ACLED codes an event known only by its month; None for a year or no date."""
    if date is None or len(date) == 4:
        return None
    if len(date) == 7:
        return f"{date}-15", 3
    return date[:10], 1


def date_window(event_date: str, time_precision: int | None) -> tuple[dt.date, dt.date]:
    """The days an ACLED row's date stands for: the day (precision 1), the week around its middle
    day (2), the whole month (3)."""
    day = dt.date.fromisoformat(event_date)
    if time_precision == 2:
        return day - dt.timedelta(days=3), day + dt.timedelta(days=3)
    if time_precision == 3:
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day, day


def actor_type(name: str, country: str | None, lookup: Lookup) -> int | None:
    """ACLED's actor type of an actor of an event in ``country``; None when the ledger cannot tell
    (a person, an unknown name)."""
    entity = lookup.entity(name)
    if entity is None:
        return None
    if entity.type in ("state", "state force"):
        home = lookup.home_country(entity)
        return 1 if country is None or home is None or lookup.country_name(home) == country else 8
    if entity.type == "armed group" and any(r.get("type") == "backed_by" for r in entity.relations):
        return 3
    return _INTER_BY_ENTITY.get(entity.type)


def interaction(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction code: the two actor types, lower first ("17"), or the sole actor's type
    followed by 0 ("10", sole military action)."""
    if inter1 is None:
        return None
    if inter2 is None:
        return inter1 * 10
    low, high = sorted((inter1, inter2))
    return low * 10 + high


def geo_precision(location: str | None, lat: float | None, lookup: Lookup) -> int | None:
    """1 for a town, base or facility with coordinates; 3 for a province, region or country; 2 for
    a place the gazetteer does not type but has coordinates for; None without coordinates."""
    if lat is None:
        return None
    place = lookup.entity(location)
    if place is not None and place.type in ("province", "region", "country", "district"):
        return 3
    if place is not None and place.type in PLACE_TYPES:
        return 1
    return 2


def to_row(merged: MergedEvent, lookup: Lookup) -> dict[str, Any] | None:
    """The ACLED row of a merged event (with its mentions loaded, for the sources); None when its
    date is not precise enough for ACLED (a year, or none)."""
    e = merged.event
    dated = event_date(e.date)
    if dated is None:
        return None
    date, precision = dated
    event_type, sub_event_type = acled_type(e)
    countries = [lookup.country_name(c) or c for c in split_names(e.country)]
    country = countries[0] if countries else None
    actors, targets = split_names(e.actor), split_names(e.target)
    if not actors and e.type in _VIOLENT:
        actors = [UNIDENTIFIED.format(country=country or "International")]
        inter1: int | None = UNIDENTIFIED_INTER
    else:
        inter1 = actor_type(actors[0], country, lookup) if actors else None
    inter2 = actor_type(targets[0], country, lookup) if targets else None
    locations = split_names(e.location)
    location = locations[0] if locations else None
    iso3 = lookup.iso3(country) or "XXX"
    admin1, admin2 = lookup.admin_regions(location)
    outlets = list(dict.fromkeys(m.outlet for m in merged.mentions if m.outlet))
    return {
        "event_id_cnty": f"{iso3}{merged.id}",
        "event_date": date,
        "year": int(date[:4]),
        "time_precision": precision,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": actors[0] if actors else None,
        "assoc_actor_1": "; ".join(actors[1:]) or None,
        "inter1": inter1,
        "actor2": targets[0] if targets else None,
        "assoc_actor_2": "; ".join(targets[1:]) or None,
        "inter2": inter2,
        "interaction": interaction(inter1, inter2),
        "country": country,
        "admin1": admin1,
        "admin2": admin2,
        "location": location,
        "latitude": e.lat,
        "longitude": e.lon,
        "geo_precision": geo_precision(location, e.lat, lookup),
        "source": "; ".join(outlets) or "trucewatch",
        "notes": e.evidence,
        "fatalities": e.killed or 0,
    }


@dataclass
class AcledRow:
    """One row of an imported ACLED extract, with ACLED's column names; ``line`` is its line in the
    CSV file, ``extra`` the row's other columns."""

    line: int
    event_date: str
    event_type: str
    event_id_cnty: str | None = None
    year: int | None = None
    time_precision: int | None = None
    sub_event_type: str | None = None
    actor1: str | None = None
    assoc_actor_1: str | None = None
    inter1: str | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    inter2: str | None = None
    interaction: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    source: str | None = None
    notes: str | None = None
    fatalities: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
