"""PLOVER event records (Open Event Data Alliance, PLOVER manual 2.0) from merged events.

PLOVER is the event ontology that replaced CAMEO for machine-coded event data (POLECAT). A record
is a JSON object with the manual's field names: ``id``, ``date`` (and ``enddate`` when the ledger
knows only the month or year), ``actor`` and ``recipient`` as lists of entity objects
(``entity_name``, ``country_name``, ``sector_code``, as in the manual's example), ``event`` and
``mode`` and ``context`` as lists, ``event_loc`` (the manual's location object), ``event_text``,
``quad_code``, ``size`` (``dead``, ``injured``), ``cite_info`` (one object per report), ``coder`` and,
for a ceasefire, ``comment``.
The file has one record per line (JSONL), as the manual suggests.

The manual's categories (PLOVER manual, openeventdata/PLOVER ``PLOVER_MANUAL.tex`` of 2024-02), as
the ledger's types map to them:

* attacks and strikes are ASSAULT with the weapon as mode, or COERCE "seize" for a raid that harmed
  nobody; an attack that breaks a truce is an ASSAULT like any other (the manual has no category for
  a violation: accusing a side of one is ACCUSE, which the ledger does not record);
* threats are THREATEN "violence";
* demands are REQUEST, the manual's category for "requests, demands, and orders" (its drafts until
  2021 called it DEMAND; the manual replaced every DEMAND with REQUEST): mode "yield" for a demand
  to stop fighting, withdraw or release (the manual's "release of prisoners, ... ceasefires"),
  "meet" for talks, "change" for a resignation, a dismissal or a reform, none otherwise;
* troop changes are MOBILIZE "troops", or RETREAT "withdraw" when the report tells of a withdrawal
  or a reduction;
* a ceasefire is coded by what its reports say of it (the stages the truce records read,
  :mod:`trucewatch.ledger.reports`): offered, agreed, extended or merely mentioned, AGREE ("agree to,
  offer, promise ... commitment to cooperate"); declared by one side alone, CONCEDE (the manual's
  "declarations (but not implementations) of ceasefires"); in effect or holding, RETREAT "ceasefire"
  (the manual's "implement ceasefire"). AGREE and CONCEDE have no modes in the manual, so that a
  ceasefire stays findable the record's ``comment`` says "ceasefire <stage>";
* a ceasefire's end is REJECT "yield" (the manual's "yield" covers ceasefires).

Undated events have no record: PLOVER requires a date.
"""

from __future__ import annotations

import calendar
import re
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from trucewatch.formats.lookup import Lookup, split_names
from trucewatch.ledger.reports import stage_of as report_stage  # the truce records' reading of a ceasefire report
from trucewatch.merge.records import MergedEvent

# A use of force by mode -> PLOVER ASSAULT mode (None: none of the manual's modes fits).
ASSAULT_MODES: dict[str, str | None] = {
    "rocket": "heavy-weapons", "missile": "heavy-weapons", "mortar": "heavy-weapons", "drone": "drone",
    "airstrike": "aerial", "ied": "explosives", "gunfire": "firearms", "raid": None, "unknown": None,
}
# The ledger's other types -> (event, mode).
EVENTS: dict[str, tuple[str, str | None]] = {
    "ceasefire_end": ("REJECT", "yield"),
    "threat": ("THREATEN", "violence"),
}
# A ceasefire's stage, as its reports tell it (the truce records' reading) -> (event, mode).
CEASEFIRE_STAGES: dict[str, tuple[str, str | None]] = {
    "offered": ("AGREE", None), "agreed": ("AGREE", None), "extended": ("AGREE", None), "mention": ("AGREE", None),
    "declared": ("CONCEDE", None), "in effect": ("RETREAT", "ceasefire"), "holding": ("RETREAT", "ceasefire"),
}
MOBILIZE = ("MOBILIZE", "troops")
RETREAT = ("RETREAT", "withdraw")
# The manual's quad categories: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
# 4 material conflict.
QUAD_CODES = {"AGREE": 1, "CONCEDE": 1, "RETREAT": 2, "REQUEST": 3, "REJECT": 3, "THREATEN": 3, "MOBILIZE": 4,
              "COERCE": 4, "ASSAULT": 4}
# Sector codes of the gazetteer's entity types (a state acting by force is its military).
SECTORS = {"state force": "MIL", "armed group": "REB", "umbrella group": "REB", "political party": "PTY",
           "population": "CVL"}
# A truce declared by one side: "declared"/"announced" with no word of two sides agreeing.
_DECLARED = re.compile(r"\b(unilateral\w*|declar\w*|announc\w*)\b", re.IGNORECASE)
_MUTUAL = re.compile(r"\b(agree\w*|sign\w*|brokered|reached|deal|accord|mutual\w*|between|both sides)\b", re.IGNORECASE)
_UNILATERAL = re.compile(r"\bunilateral\w*", re.IGNORECASE)
# What a demand asks for: to yield (stop fighting, withdraw, release), or to meet.
_YIELD = re.compile(r"\b(ceasefire|cease-fire|truce|halt\w*|stop\w*|end\w*|withdr[ae]w\w*|pull\w* out|leave|"
                    r"exit|depart\w*|release\w*|free|freed|freeing|expel\w*|evacuat\w*)\b", re.IGNORECASE)
_MEET = re.compile(r"\b(talks|negotiat\w*|dialogue|meet\w*)\b", re.IGNORECASE)
_CHANGE = re.compile(r"\b(resign\w*|dismiss\w*|step(?:s|ped)? down|reform\w*|elections?|new government)\b",
                     re.IGNORECASE)
_WITHDRAWAL = re.compile(r"\b(withdr[ae]w\w*|pull(?:s|ed|ing)? (?:out|back)|pull-?outs?|draw-?downs?|drawing down|"
                         r"reduc\w*|cut(?:s|ting)?|leav\w*|left|exit\w*|depart\w*|redeploy\w* out)\b", re.IGNORECASE)


def plover_event(merged: MergedEvent) -> tuple[str, str | None]:
    """PLOVER's (event, mode) for a merged event."""
    e = merged.event
    if e.type in ("attack", "strike"):
        if e.mode == "raid" and not (e.killed or e.injured):
            return "COERCE", "seize"
        return "ASSAULT", ASSAULT_MODES.get(e.mode or "unknown")
    if e.type == "troop_change":
        words = " ".join([e.evidence, *(m.event.trigger for m in merged.mentions), *(m.event.evidence for m in
                                                                                      merged.mentions)])
        return RETREAT if _WITHDRAWAL.search(words) else MOBILIZE
    if e.type == "ceasefire":
        return CEASEFIRE_STAGES[ceasefire_stage(merged)]
    if e.type == "demand":
        words = " ".join(_texts(merged))
        modes = (("yield", _YIELD), ("meet", _MEET), ("change", _CHANGE))
        return "REQUEST", next((mode for mode, words_for in modes if words_for.search(words)), None)
    return EVENTS[e.type]


def _texts(merged: MergedEvent) -> list[str]:
    """The evidence sentences of a merged event, its own first."""
    return list(dict.fromkeys(x for x in (merged.event.evidence, *(m.event.evidence for m in merged.mentions)) if x))


def ceasefire_stage(merged: MergedEvent) -> str:
    """What the reports of a ceasefire say of it, read as the truce records read a report
    (offered, agreed, in effect, extended, holding, or a mere mention), with "declared" for a truce
    one side declared alone (unilaterally, or declared or announced with no word of an agreement)."""
    texts = _texts(merged)
    stage = report_stage(merged.event, texts or [""])
    own = texts[0] if texts else ""
    if stage == "agreed" and (_UNILATERAL.search(own) or (_DECLARED.search(own) and not _MUTUAL.search(own))):
        return "declared"
    return stage


def _dates(date: str | None) -> tuple[str, str | None] | None:
    """PLOVER's (date, enddate): a day alone; a month or year as its first and last day."""
    if not date:
        return None
    if len(date) == 4:
        return f"{date}-01-01", f"{date}-12-31"
    if len(date) == 7:
        last = calendar.monthrange(int(date[:4]), int(date[5:7]))[1]
        return f"{date}-01", f"{date}-{last:02d}"
    return date[:10], None


def _entity(name: str, lookup: Lookup, violent: bool) -> dict[str, Any]:
    entity = lookup.entity(name)
    country: str | None = None
    sector: str | None = None
    if entity is not None:
        if entity.type == "state":
            country, sector = lookup.home_country(entity), "MIL" if violent else "GOV"
        elif entity.type == "international organisation":
            country = "UNO" if entity.name.startswith("United Nations") else "IGO"
        else:
            country = entity.country
            sector = SECTORS.get(entity.type)
            if entity.type == "armed group" and any(r.get("type") == "backed_by" for r in entity.relations):
                sector = "PRM"  # a state's proxy: a paramilitary, not an opposition rebel group
    return {"entity_name": name, "country_name": country, "sector_code": sector}


def _coder() -> str:
    try:
        return f"trucewatch {version('trucewatch')}"
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "trucewatch"


def to_record(merged: MergedEvent, lookup: Lookup) -> dict[str, Any] | None:
    """The PLOVER record of a merged event (with its mentions loaded); None when it has no date."""
    e = merged.event
    dates = _dates(e.date)
    if dates is None:
        return None
    event, mode = plover_event(merged)
    violent = event in ("ASSAULT", "COERCE", "MOBILIZE", "RETREAT")
    countries = split_names(e.country)
    actors = [_entity(a, lookup, violent) for a in split_names(e.actor)]
    if not actors and event in ("ASSAULT", "COERCE"):
        actors = [{"entity_name": None, "country_name": countries[0] if countries else None, "sector_code": "UAF"}]
    places = split_names(e.location)
    place = lookup.entity(places[0]) if places else None
    record: dict[str, Any] = {
        "id": f"trucewatch-{merged.id}",
        "date": dates[0],
        **({"enddate": dates[1]} if dates[1] else {}),
        "actor": actors,
        "recipient": [_entity(t, lookup, violent) for t in split_names(e.target)],
        "event": [event],
        "mode": [mode] if mode else [],
        "context": ["military"] if any(a["sector_code"] == "MIL" for a in actors) else [],
        "event_loc": {
            "extracted_place": e.location,
            "resolved_place": places[0] if places else None,
            "lat": e.lat,
            "lon": e.lon,
            "province": place.province if place is not None and place.is_place else None,
            "country": countries[0] if countries else None,
            "country_code": lookup.iso3(countries[0]) if countries else None,
        } if (places or countries) else None,
        "event_text": _texts(merged),
        "quad_code": QUAD_CODES[event],
        "size": {"dead": e.killed, "injured": e.injured},
        **({"comment": f"ceasefire {ceasefire_stage(merged)}"} if e.type == "ceasefire" else {}),
        "cite_info": [{"url": m.url, "title": m.title, "publication": m.outlet, "date": m.published,
                       "citation": m.event.doc_id} for m in _reports(merged)],
        "coder": _coder(),
    }
    return record


def _reports(merged: MergedEvent) -> list[Any]:
    """One mention per report, in the merged event's order (oldest report first)."""
    seen: dict[str, Any] = {}
    for m in merged.mentions:
        seen.setdefault(m.event.doc_id, m)
    return list(seen.values())
