"""Cross-report event coreference: which reports' events are one real-world event.

A *mention* (one report's event) is compared with the *profile* of each merged event that could be
the same one: the event's merged values and the names, places, modes and figures its reports give.

Hard conditions (any failure: not the same event):

* the same type;
* compatible dates: equal, or one a coarser form of the other ("2021-02" and "2021-02-15"); two
  days may differ by a day for a use of force (a night attack is "late Monday" in Baghdad and
  "Sunday" in Washington) and by three for a truce (announced, signed and in effect over days);
* not a report that already tells the event: one report annotates one real event once, so two
  events of one report are two events;
* an attack or strike cannot have happened after a report of it was published;
* attacks by different means (rockets, drones) are two attacks.

Then the evidence is weighed (``Weights``): a date to the day, the same or a containing place (a
base in its city or province, via the gazetteer's province, country and coordinates), the same or
related actor and target (a member group and its umbrella, the US and the US-led coalition, via
the gazetteer's relations), the same mode, equal casualty figures, the same evidence sentence (a
syndicated copy). Disagreements weigh against: another place far away, another country, another
group (the attacker of an attack, the group a strike hit), a strike from the ground against one from
the air. A mention agrees with an event when it agrees with any of its reports, but disagrees with
it when it disagrees with the event's merged value (see ``Profile``).

A mention joins the best candidate whose score reaches ``JOIN`` *and* that shares an anchor: a day,
a place, an actor, a party of a truce, a casualty figure of two or more, the sentence itself, or
the same news cycle (both told as news by reports published within two days). States are weak
anchors where they are everywhere: the United States as the actor of a strike or a troop move
anchors only with the same target, and as the counterpart of a truce never. Type, month and target
alone ("a US strike on Iran in June") never suffice.

A background mention ("the attack on Ain al-Asad on 3 March") is compared like any other, so it
joins the event it refers to; when several candidates score alike, the one more sources report
wins, then the one closest in time. Everything here is a pure function of its inputs, so merging
is incremental: a new report is compared with the stored profiles only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, TypeVar

from trucewatch.models import Entity, Event
from trucewatch.resolve.kinds import PLACE_RANK, is_state, related
from trucewatch.resolve.names import Gazetteer, plain_words

Granularity = Literal["day", "month", "year"]
PlaceRelation = Literal["same", "within", "near", "different", "unknown"]
ActorRelation = Literal["same", "related", "other"]

JOIN = 4.0
FORCE = frozenset({"attack", "strike"})
TRUCE = frozenset({"ceasefire", "ceasefire_end"})
# Days two day-precise dates of one event may differ by: a day for a use of force (a night attack
# is "late Monday" in Baghdad and "Sunday" in Washington), three for a truce (announced, signed and
# in effect over days), none for a statement, dated by when it was made.
DAY_SLACK = {"attack": 1, "strike": 1, "ceasefire": 3, "ceasefire_end": 3}
DEFAULT_SLACK = 0
# A report can be published a little after the event's day in another time zone.
PUBLISHED_SLACK = 3
# Reports published this many days apart that both tell an event as news tell the same day's news.
NEWS_CYCLE = 2
# A place within this distance of a city is in it (Baghdad airport, the Green Zone, a neighbourhood).
CITY_KM = 30.0
# A town and a base this close are plausibly where a rocket was fired from and where it fell.
NEAR_KM = 75.0
_AIR_MODES = frozenset({"airstrike", "drone", "missile", "raid"})
_STATE_ACTS = frozenset({"strike", "troop_change"})
_EVIDENCE_WORDS = 8  # shorter sentences are too generic to identify a copy


@dataclass(frozen=True)
class Weights:
    """How much each kind of agreement or disagreement counts (see the module docstring)."""

    date_day: float = 3
    date_slack: float = 1
    date_month: float = 1
    place_same: float = 3
    place_within: float = 2
    place_near: float = 1
    place_different: float = -4
    country_shared: float = 1
    country_disjoint: float = -3
    actor_same: float = 2
    actor_related: float = 1
    actor_other: float = -4
    target_same: float = 2
    target_related: float = 1
    target_other: float = -2
    party_cap: float = 3
    party_state: float = 1
    party_none: float = -3
    mode_same: float = 1
    mode_clash: float = -2  # a strike from the air against one on the ground (a raid is from the air)
    casualties_same: float = 1
    evidence_same: float = 5


WEIGHTS = Weights()


# ---- dates -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DateSpan:
    """An ISO date or prefix as the range of days it covers."""

    value: str
    lo: dt.date
    hi: dt.date
    granularity: Granularity


@lru_cache(maxsize=65536)
def date_span(value: str | None) -> DateSpan | None:
    """'2021' -> 1 Jan..31 Dec 2021; '2021-02' -> February; '2021-02-15' -> that day; else None."""
    if not value:
        return None
    try:
        if len(value) == 4:
            year = int(value)
            return DateSpan(value, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
        if len(value) == 7:
            lo = dt.date(int(value[:4]), int(value[5:7]), 1)
            hi = (lo.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
            return DateSpan(value, lo, hi, "month")
        day = dt.date.fromisoformat(value[:10])
        return DateSpan(value[:10], day, day, "day")
    except ValueError:
        return None


def _published(value: str | None) -> dt.date | None:
    span = date_span(value[:10] if value else None)
    return span.hi if span else None


# ---- what the gazetteer knows ----------------------------------------------------------------



R = TypeVar("R")


def _symmetric(memo: dict[tuple[str, str], R], a: str, b: str, relation: Callable[[str, str], R]) -> R:
    """A relation between two names, worked out once per pair whichever way round it is asked."""
    key = (a, b) if a <= b else (b, a)
    if key not in memo:
        memo[key] = relation(*key)
    return memo[key]

class Knowledge:
    """Names -> entities, and how two actors or two places relate, with answers cached (the same
    few hundred names come back in every report)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._entities: dict[tuple[str, str], Entity | None] = {}
        self._actors: dict[tuple[str, str], ActorRelation] = {}
        self._places: dict[tuple[str, str], PlaceRelation] = {}

    def entity(self, name: str, kind: Literal["actor", "place"]) -> Entity | None:
        key = (name, kind)
        if key not in self._entities:
            found = self.gazetteer.by_name(name)
            if found is None or found.is_place != (kind == "place"):
                found = self.gazetteer.lookup(name, kind=kind)
            self._entities[key] = found
        return self._entities[key]

    def actor_relation(self, a: str, b: str) -> ActorRelation:
        """same (one entity), related (member, part, sponsor, front or splinter), or other."""
        return _symmetric(self._actors, a, b, self._actor_relation)

    def _actor_relation(self, a: str, b: str) -> ActorRelation:
        if a.casefold() == b.casefold():
            return "same"
        ea, eb = self.entity(a, "actor"), self.entity(b, "actor")
        if ea is None or eb is None:
            return "other"
        if ea.id == eb.id:
            return "same"
        if related(ea, eb) or _linked(ea, eb) or _linked(eb, ea):
            return "related"
        return "other"

    def place_relation(self, a: str, b: str) -> PlaceRelation:
        """same; within (one contains the other); near (a town and a base close by); different;
        unknown when a name is not in the gazetteer and the names do not contain each other."""
        return _symmetric(self._places, a, b, self._place_relation)

    def _place_relation(self, a: str, b: str) -> PlaceRelation:
        if a.casefold() == b.casefold():
            return "same"
        ea, eb = self.entity(a, "place"), self.entity(b, "place")
        if ea is None or eb is None:
            return "within" if _name_inside(a, b) or _name_inside(b, a) else "unknown"
        if ea.id == eb.id:
            return "same"
        if place_rank(ea) > place_rank(eb):
            ea, eb = eb, ea
        if _contains(ea, eb) or (place_rank(ea) == place_rank(eb) and _contains(eb, ea)):
            return "within"
        km = distance_km(ea, eb)
        if place_rank(ea) != place_rank(eb) and km is not None and km <= NEAR_KM:
            return "near"
        return "different"

    def place_rank(self, name: str) -> int:
        entity = self.entity(name, "place")
        return place_rank(entity) if entity is not None else 0

    def contains(self, outer: str, inner: str) -> bool:
        """Whether the place ``outer`` contains the place ``inner`` (Baghdad contains Mashtal)."""
        ea, eb = self.entity(outer, "place"), self.entity(inner, "place")
        if ea is None or eb is None:
            return _name_inside(outer, inner)
        return ea.id != eb.id and place_rank(ea) <= place_rank(eb) and _contains(ea, eb)


def place_rank(e: Entity) -> int:
    """0 country, 1 province or region, 2 city, 3 district, 4 base or facility."""
    return PLACE_RANK.get(e.type, 0)


def _linked(a: Entity, b: Entity) -> bool:
    """A front or splinter of the other (Saraya Awliya al-Dam, a front for the larger factions)."""
    return any(r.get("target") == b.id for r in a.relations if r.get("type") in ("front_for", "splinter_of"))


def _name_inside(short: str, long: str) -> bool:
    """'Erbil' inside 'Erbil International Airport': every word of one name in the other."""
    ws, wl = plain_words(short), plain_words(long)
    return bool(ws) and len(ws) < len(wl) and all(w in wl for w in ws)


def _contains(coarse: Entity, fine: Entity) -> bool:
    """Whether the coarser place (by rank) contains the finer one: a country or a province what lies
    in it; a city the bases, facilities and districts of its province within ``CITY_KM`` (and a
    neighbourhood filed as a city); a base or facility nothing but places named after it."""
    if coarse.type in ("country", "state"):
        return (fine.country or "") == (coarse.country or coarse.name)
    if fine.country and coarse.country and fine.country != coarse.country:
        return False
    if place_rank(coarse) == 1:  # a province or region
        return _same_name(fine.province, coarse.name) or _name_inside(coarse.name, fine.name)
    if _name_inside(coarse.name, fine.name):
        return True
    if place_rank(coarse) != 2 or not fine.province or fine.province != coarse.province:
        return False
    km = distance_km(coarse, fine)
    if km is not None:
        return km <= CITY_KM
    # No coordinates: a place of the province is in its capital city only when the city is the
    # province's namesake (Mashtal in Baghdad) or when the finer place is a base or a district.
    return _same_name(coarse.province, coarse.name) or place_rank(fine) > place_rank(coarse)


def _same_name(a: str | None, b: str | None) -> bool:
    return bool(a and b) and plain_words(a or "") == plain_words(b or "")


def distance_km(a: Entity, b: Entity) -> float | None:
    """Great-circle distance, or None when either place has no coordinates."""
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    la, lb = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lb - la, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(la) * math.cos(lb) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


# ---- mentions and profiles -------------------------------------------------------------------


def split_names(value: str | None) -> tuple[str, ...]:
    """'Kataib Hezbollah; Kataib Sayyid al-Shuhada' -> both names (the schema's separator)."""
    if not value:
        return ()
    return tuple(dict.fromkeys(p.strip() for p in value.split(";") if p.strip()))


def evidence_key(text: str) -> str | None:
    """A short hash of a sentence's words: the same sentence in two reports is a copied report."""
    words = re.findall(r"\w+", text.casefold())
    if len(words) < _EVIDENCE_WORDS:
        return None
    return hashlib.blake2b(" ".join(words).encode("utf-8"), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Mention:
    """What coreference reads of one report's event."""

    event_id: int
    doc_id: str
    type: str
    date: str | None
    published: str | None
    mode: str | None = None
    actors: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    location: str | None = None
    countries: tuple[str, ...] = ()
    killed: int | None = None
    injured: int | None = None
    date_source: str | None = None
    evidence: str | None = None  # evidence_key
    background: bool = False

    @classmethod
    def of(cls, event_id: int, event: Event, published: str | None) -> Mention:
        return cls(
            event_id=event_id, doc_id=event.doc_id, type=event.type, date=event.date, published=published,
            mode=event.mode, actors=split_names(event.actor), targets=split_names(event.target),
            location=event.location, countries=split_names(event.country), killed=event.killed,
            injured=event.injured, date_source=event.date_source, evidence=evidence_key(event.evidence),
            background=event.background,
        )


@dataclass
class Profile:
    """A merged event as coreference sees it: its merged values and everything its reports say.

    A mention agrees with an event when it agrees with any report of it (one report names the base,
    another the city; one the group, another its umbrella), but it conflicts with the event when it
    conflicts with the event's *merged* value: otherwise one wrong report (the city instead of the
    base, an unnamed group) would let a second event in, then a third, one link at a time.
    """

    type: str
    date: str | None = None
    actor: str | None = None
    target: str | None = None
    location: str | None = None
    mode: str | None = None
    earliest_published: str | None = None
    sources: int = 1
    actors: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    locations: set[str] = field(default_factory=set)
    modes: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    killed: set[int] = field(default_factory=set)
    injured: set[int] = field(default_factory=set)
    news: set[str] = field(default_factory=set)  # publication days of the reports that tell it as news

    @classmethod
    def of(cls, values: Event, mentions: Iterable[Mention], sources: int = 1) -> Profile:
        """The profile of a merged event with merged ``values`` and these mentions."""
        p = cls(type=values.type, date=values.date, actor=values.actor, target=values.target,
                location=values.location, mode=values.mode, sources=sources)
        for m in mentions:
            p.add(m)
        return p

    def add(self, m: Mention) -> None:
        self.actors.update(m.actors)
        self.targets.update(m.targets)
        if m.location:
            self.locations.add(m.location)
        if m.mode and m.mode != "unknown":
            self.modes.add(m.mode)
        self.countries.update(m.countries)
        if m.killed is not None:
            self.killed.add(m.killed)
        if m.injured is not None:
            self.injured.add(m.injured)
        if not m.background and m.published:
            self.news.add(m.published[:10])
        if m.published and (self.earliest_published is None or m.published < self.earliest_published):
            self.earliest_published = m.published

    def names(self) -> set[str]:
        """Every actor, target and place name: what an undated mention must share to be compared."""
        return self.actors | self.targets | self.locations

    def to_json(self) -> str:
        return json.dumps({**{k: getattr(self, k) for k in _VALUES}, **{k: sorted(getattr(self, k)) for k in _SETS}},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Profile:
        data: dict[str, Any] = json.loads(text)
        fields: dict[str, Any] = {k: data[k] for k in _VALUES}
        fields.update((k, set(data[k])) for k in _SETS)
        return cls(**fields)


_VALUES = ("type", "date", "actor", "target", "location", "mode", "earliest_published", "sources")
# Sets of distinct values only: a profile stays small however many reports tell the event (which
# reports and sentences it holds are asked of the store: see ``score``'s ``same_report``).
_SETS = ("actors", "targets", "locations", "modes", "countries", "killed", "injured", "news")


# ---- scoring ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """A mention's score against one merged event, whether it shares an anchor, and why."""

    score: float
    anchored: bool
    reasons: tuple[str, ...]

    @property
    def joins(self) -> bool:
        return self.anchored and self.score >= JOIN


class _Tally:
    """The running score of one comparison, with the reasons shown to a curious user."""

    def __init__(self) -> None:
        self.total = 0.0
        self.anchored = False
        self.reasons: list[str] = []

    def add(self, points: float, why: str, anchor: bool = False) -> None:
        self.total += points
        self.anchored = self.anchored or anchor
        self.reasons.append(f"{why}{points:+g}")


def score(m: Mention, p: Profile, knowledge: Knowledge, weights: Weights = WEIGHTS, *,
          same_report: bool = False, same_sentence: bool = False) -> Match | None:
    """How strongly ``m`` is a report of the event profiled by ``p``; None when it cannot be.

    ``same_report``: the event already holds a mention of ``m``'s report (two events of one report
    are two events). ``same_sentence``: it holds a mention whose evidence is ``m``'s sentence word
    for word (a syndicated copy).
    """
    if m.type != p.type or same_report:
        return None
    tally = _Tally()
    add = tally.add

    # Dates.
    ms, ps = date_span(m.date), date_span(p.date)
    if not _after_report_ok(m, p, ms, ps):
        return None
    if ms is not None and ps is not None:
        slack = DAY_SLACK.get(m.type, DEFAULT_SLACK) + (1 if m.date_source == "reporting" else 0)
        if ms.granularity == ps.granularity == "day":
            gap = abs((ms.lo - ps.lo).days)
            if gap == 0:
                add(weights.date_day, "day", anchor=True)
            elif gap <= slack:
                add(weights.date_slack, f"day±{gap}", anchor=True)
            else:
                return None
        elif ms.lo <= ps.hi and ps.lo <= ms.hi:  # spans of ISO prefixes nest: one holds the other
            if "year" not in (ms.granularity, ps.granularity):
                add(weights.date_month, "month")
        else:
            return None

    # Places and countries.
    place = _place(m.location, p, knowledge)
    if place == "same":
        add(weights.place_same, "place", anchor=True)
    elif place == "within":
        add(weights.place_within, "place-within", anchor=True)
    elif place == "near":
        add(weights.place_near, "place-near")
    elif place == "different":
        add(weights.place_different, "place-other")
    if m.countries and p.countries:
        if set(m.countries) & p.countries:
            add(weights.country_shared, "country")
        elif place not in ("near", "within"):
            add(weights.country_disjoint, "country-other")

    # Who did it to whom.
    if m.type in TRUCE:
        _score_parties(set(m.actors) | set(m.targets), p, knowledge, weights, tally)
    else:
        actor = _actor(m.actors, p.actors, p.actor, knowledge)
        target = _actor(m.targets, p.targets, p.target, knowledge)
        # Strikes and troop moves are a state's by definition (every US strike, every US troop
        # move): there a state as the actor anchors only with the same target.
        anchor = target == "same" or m.type not in _STATE_ACTS or not all(_is_state(a, knowledge) for a in m.actors)
        if actor == "same":
            add(weights.actor_same, "actor", anchor=anchor)
        elif actor == "related":
            add(weights.actor_related, "actor-related", anchor=anchor)
        elif actor == "other":
            add(weights.actor_other, "actor-other")
        if target == "same":
            add(weights.target_same, "target")
        elif target == "related":
            add(weights.target_related, "target-related")
        elif target == "other":  # the group a strike hit tells strikes apart as the attacker does attacks
            add(weights.actor_other if m.type in _STATE_ACTS else weights.target_other, "target-other")

    # How, and with what toll.
    if m.type in FORCE and m.mode and m.mode != "unknown" and p.modes:
        merged = p.mode if p.mode and p.mode != "unknown" else m.mode
        if m.mode in p.modes and (m.mode == merged or {m.mode, merged} <= _AIR_MODES):
            add(weights.mode_same, "mode")
        elif m.type == "attack":
            return None  # rockets and drones the same day are two attacks
        elif not ({m.mode} | p.modes) <= _AIR_MODES:  # a drone strike is an air strike
            add(weights.mode_clash, "mode-other")
    same_toll = [n for n, known in ((m.killed, p.killed), (m.injured, p.injured)) if n is not None and n in known]
    if same_toll:
        add(weights.casualties_same, "toll", anchor=max(same_toll) >= 2)
    if same_sentence:
        add(weights.evidence_same, "same-sentence", anchor=True)
    if _same_news_cycle(m, p):
        add(0, "news-cycle", anchor=True)
    return Match(tally.total, tally.anchored, tuple(tally.reasons))


def _after_report_ok(m: Mention, p: Profile, ms: DateSpan | None, ps: DateSpan | None) -> bool:
    """An attack or strike is reported after it happens: never dated after a report of it."""
    if m.type not in FORCE:
        return True
    slack = dt.timedelta(days=PUBLISHED_SLACK)
    m_pub, p_pub = _published(m.published), _published(p.earliest_published)
    if ms is not None and p_pub is not None and ms.lo > p_pub + slack:
        return False
    return not (ps is not None and m_pub is not None and ps.lo > m_pub + slack)


def _same_news_cycle(m: Mention, p: Profile) -> bool:
    """Both told as news by reports published within ``NEWS_CYCLE`` days: the same day's story."""
    day = _published(m.published)
    if m.background or day is None:
        return False
    return any(abs((day - other).days) <= NEWS_CYCLE for other in map(_published, p.news) if other is not None)


def _place(location: str | None, p: Profile, knowledge: Knowledge) -> PlaceRelation | None:
    """How a mention's place relates to an event's: the closest relation to any place its reports
    name, unless it lies elsewhere than the event's merged place (see ``Profile``)."""
    if not location or not p.locations:
        return None
    if p.location and knowledge.place_relation(location, p.location) == "different":
        return "different"
    order: tuple[PlaceRelation, ...] = ("same", "within", "near", "unknown", "different")
    found = {knowledge.place_relation(location, other) for other in p.locations}
    return next(r for r in order if r in found)


def _actor(names: Sequence[str], given: set[str], merged: str | None, knowledge: Knowledge) -> ActorRelation | None:
    """How a mention's actors (or targets) relate to an event's: the closest relation to any name
    its reports give, unless they are unrelated to the event's merged name (see ``Profile``)."""
    if merged and _best_actor(names, split_names(merged), knowledge) == "other":
        return "other"
    return _best_actor(names, given, knowledge)


def _best_actor(names: Iterable[str], others: Iterable[str], knowledge: Knowledge) -> ActorRelation | None:
    """The closest relation between two sets of names (several actors of one event: "KH; KSS")."""
    pairs = [(a, b) for a in names for b in others]
    if not pairs:
        return None
    found = {knowledge.actor_relation(a, b) for a, b in pairs}
    return "same" if "same" in found else "related" if "related" in found else "other"


def _score_parties(mine: set[str], p: Profile, knowledge: Knowledge, weights: Weights, tally: _Tally) -> None:
    """The sides of a truce are unordered: each party of the mention found among the event's. A
    state counts for less and anchors nothing (the United States is the counterpart of every truce
    the militias offer, so sharing it says little about which truce it is), and the groups of the
    mention must not be unrelated to the groups of the event's merged sides: a truce of one militia
    is not another militia's truce of the same week."""
    given = p.actors | p.targets
    if not mine or not given:
        return
    groups = {a for a in mine if not _is_state(a, knowledge)}
    merged_groups = {b for b in (*split_names(p.actor), *split_names(p.target)) if not _is_state(b, knowledge)}
    if groups and merged_groups and _best_actor(groups, merged_groups, knowledge) == "other":
        tally.add(weights.party_none, "parties-other")
        return
    points, anchored = 0.0, False
    for a in mine:
        relation = _best_actor((a,), given, knowledge)
        if relation == "other":
            continue
        if a in groups:
            points += weights.actor_same if relation == "same" else weights.actor_related
            anchored = True
        else:
            points += weights.party_state
    if points:
        tally.add(min(points, weights.party_cap), "parties", anchor=anchored)
    else:
        tally.add(weights.party_none, "parties-other")


def _is_state(name: str, knowledge: Knowledge) -> bool:
    entity = knowledge.entity(name, "actor")
    return entity is not None and is_state(entity)


def rank(matches: Iterable[tuple[Match, int, Profile]], m: Mention) -> list[tuple[Match, int]]:
    """The merged events ``m`` may join (those whose match ``joins``), best first: by score, then by
    how many independent sources report the event, then by closeness in time to the mention."""
    ref = date_span(m.date) or date_span(m.published[:10] if m.published else None)

    def distance(p: Profile) -> int:
        span = date_span(p.date)
        if ref is None or span is None:
            return 10 ** 6
        return abs((span.lo - ref.lo).days)

    ok = [(match, merged_id, p) for match, merged_id, p in matches if match.joins]
    ok.sort(key=lambda t: (-t[0].score, -t[2].sources, distance(t[2]), t[1]))
    return [(match, merged_id) for match, merged_id, _ in ok]
