"""The values of a merged event, each chosen by a stated rule and traced to the mention that gave it.

Support is counted in *independent sources*: reports that are copies of one text (a wire story on
three sites) count once, so syndication cannot outvote a second outlet. The rules, per attribute,
are in ``RULES`` (shown by ``trucewatch event ID`` beside each value).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

from trucewatch.merge.coref import Knowledge, date_span, split_names
from trucewatch.merge.records import MentionRecord, Provenance
from trucewatch.models import Event

_LATEST = ("the figure of the latest report that tells the event as news (a retelling as background only "
           "when no news report gives one), unless independent reports published that day give another: "
           "then the figure most of them give, the higher on a tie")
RULES: dict[str, str] = {
    "type": "the type every mention shares",
    "date": "the most specific date the reports give (one inferred from a publication date only when no "
            "report states one); among equally specific dates, the one most independent sources give, then "
            "the earliest report",
    "location": "the most specific place (a base or facility over a district, a city, a province); "
                "ties: most independent sources, then the earliest report",
    "country": "the country of the chosen place; else the country most independent sources give",
    "actor": "the name most independent sources give (an unknown actor never outvotes a named one); "
             "ties: the more specific group over an umbrella or a description, then the earliest report",
    "target": "the name most independent sources give; ties: the more specific, then the earliest report",
    "mode": "the mode most independent sources give ('unknown' only when no report gives one); "
            "ties: the earliest report",
    "killed": _LATEST,
    "injured": _LATEST,
    "conditions": "every condition any report gives, in the order first reported",
    "mediators": "every mediator any report names, in the order first reported",
    "background": "news (false) when any report tells the event as news",
    "evidence": "the sentence of the first report that tells the event as news, else of the first report",
}
_WEAK_DATES = frozenset({"inferred", None})
_GENERIC_ENDINGS = ("militias", "groups", "factions", "parties", "forces")


def _chronological(m: MentionRecord) -> tuple[str, str, int, int]:
    """Reports by publication, then by report id and sentence: never by the order they were stored
    in (event ids), which would make the merged values depend on arrival order."""
    return (m.published or "9999", m.event.doc_id, m.event.sentence, m.event_id)


def merge_values(mentions: Sequence[MentionRecord], knowledge: Knowledge) -> tuple[Event, dict[str, Provenance]]:
    """The merged event of ``mentions`` (at least one, all of one type) and each value's provenance."""
    if not mentions:
        raise ValueError("a merged event needs at least one mention")
    ordered = sorted(mentions, key=_chronological)
    first = ordered[0]
    out = Event(type=first.event.type)
    prov: dict[str, Provenance] = {"type": Provenance(first.event_id, RULES["type"])}

    def choose(attr: str, value: Any, source: MentionRecord | None) -> None:
        setattr(out, attr, value)
        prov[attr] = Provenance(source.event_id if source else None, RULES[attr])

    news = [m for m in ordered if not m.event.background]
    lead = news[0] if news else first
    choose("evidence", lead.event.evidence, lead)
    out.sentence, out.trigger = lead.event.sentence, lead.event.trigger
    choose("background", not news, lead)

    dated = [m for m in ordered if m.event.date and date_span(m.event.date)]
    stated = [m for m in dated if m.event.date_source not in _WEAK_DATES] or dated
    best_date = _most_supported(stated, lambda m: m.event.date, prefer=lambda m: len(m.event.date or ""))
    choose("date", best_date.event.date if best_date else None, best_date)
    out.date_source = best_date.event.date_source if best_date else None

    placed = [m for m in ordered if m.event.location]
    places = {m.event.location or "" for m in placed}

    def specificity(m: MentionRecord) -> float:
        """A base over a city over a province, then a place over the places that contain it."""
        place = m.event.location or ""
        return knowledge.place_rank(place) + sum(knowledge.contains(p, place) for p in places) / (len(places) + 1)

    best_place = _most_supported(placed, lambda m: m.event.location, prefer=specificity)
    choose("location", best_place.event.location if best_place else None, best_place)
    if best_place is not None:
        entity = knowledge.entity(best_place.event.location or "", "place")
        out.lat, out.lon = (entity.lat, entity.lon) if entity and entity.lat is not None else (
            best_place.event.lat, best_place.event.lon)
        place_country = entity.country if entity is not None else None
    else:
        place_country = None
    countried = [m for m in ordered if m.event.country]
    if place_country and best_place is not None:
        choose("country", place_country, best_place)
    else:
        best_country = _most_supported(countried, lambda m: frozenset(split_names(m.event.country)))
        choose("country", best_country.event.country if best_country else None, best_country)

    for attr in ("actor", "target"):
        named = [m for m in ordered if getattr(m.event, attr)]
        best = _most_supported(named, _names_of(attr), tie=_specificity_of(attr, knowledge))
        choose(attr, getattr(best.event, attr) if best else None, best)

    moded = [m for m in ordered if m.event.mode and m.event.mode != "unknown"]
    best_mode = _most_supported(moded, lambda m: m.event.mode)
    if best_mode is not None:
        choose("mode", best_mode.event.mode, best_mode)
    else:
        any_mode = next((m for m in ordered if m.event.mode), None)
        choose("mode", any_mode.event.mode if any_mode else None, any_mode)

    for attr in ("killed", "injured"):
        source = _latest_figure(ordered, attr)
        choose(attr, getattr(source.event, attr) if source else None, source)

    for attr in ("conditions", "mediators"):
        merged: list[str] | None = None
        giver: MentionRecord | None = None
        for m in ordered:
            items = getattr(m.event, attr)
            if items is None:
                continue
            merged = merged if merged is not None else []
            for item in items:
                if item not in merged:
                    merged.append(item)
                    giver = giver or m
        choose(attr, merged, giver)
    return out, prov


def _most_supported(mentions: Sequence[MentionRecord], value: Callable[[MentionRecord], Hashable],
                    prefer: Callable[[MentionRecord], float] | None = None,
                    tie: Callable[[MentionRecord], float] | None = None) -> MentionRecord | None:
    """The first mention (``mentions`` are in chronological order) of the best value: ranked by
    ``prefer`` when given, then by the number of independent sources, then by ``tie`` when given,
    then by the earliest report."""
    sources: dict[Hashable, set[str]] = defaultdict(set)
    first: dict[Hashable, MentionRecord] = {}
    for m in mentions:
        key = value(m)
        sources[key].add(m.source or m.event.doc_id)
        first.setdefault(key, m)
    if not first:
        return None
    order = list(first)
    best = max(order, key=lambda k: (prefer(first[k]) if prefer else 0, len(sources[k]),
                                     tie(first[k]) if tie else 0, -order.index(k)))
    return first[best]


def _names_of(attr: str) -> Callable[[MentionRecord], Hashable]:
    """A mention's names in ``attr`` as a set: "A; B" and "B; A" are one value."""
    return lambda m: frozenset(split_names(getattr(m.event, attr)))


def _specificity_of(attr: str, knowledge: Knowledge) -> Callable[[MentionRecord], float]:
    return lambda m: _specificity(getattr(m.event, attr), knowledge)


def _specificity(names: str | None, knowledge: Knowledge) -> int:
    """2 a named group, state or person; 1 an umbrella or coalition; 0 a description of unnamed groups."""
    parts = split_names(names)
    if not parts:
        return 0
    if all(p.casefold().endswith(_GENERIC_ENDINGS) for p in parts):
        return 0
    entities = [knowledge.entity(p, "actor") for p in parts]
    return 1 if any(e is not None and e.type == "umbrella group" for e in entities) else 2


def _latest_figure(ordered: Sequence[MentionRecord], attr: str) -> MentionRecord | None:
    """The latest news report's figure, or, when independent reports of that day disagree, the
    figure most of them give (the higher on a tie: tolls are revised upwards, rarely down). A
    retelling as background a year later is no update of the toll, so it counts only alone."""
    given = [m for m in ordered if getattr(m.event, attr) is not None]
    given = [m for m in given if not m.event.background] or given
    if not given:
        return None
    last_day = given[-1].published
    same_day = [m for m in given if m.published == last_day]
    support: dict[int, set[str]] = defaultdict(set)
    latest: dict[int, MentionRecord] = {}
    for m in same_day:
        n = getattr(m.event, attr)
        support[n].add(m.source or m.event.doc_id)
        latest[n] = m
    if len(support) == 1:
        return same_day[-1]
    figure = max(support, key=lambda n: (len(support[n]), n))
    return latest[figure]

