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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trucewatch.merge.dates import DateSpan, Granularity, date_span, published_day
from trucewatch.merge.knowledge import ActorRelation, Knowledge, PlaceRelation
from trucewatch.merge.profiles import Mention, Profile, evidence_key, split_names
from trucewatch.resolve.kinds import is_state

__all__ = [
    "DAY_SLACK", "DEFAULT_SLACK", "JOIN", "WEIGHTS", "DateSpan", "Granularity", "Knowledge", "Match", "Mention",
    "Profile", "Weights", "date_span", "evidence_key", "rank", "score", "split_names",
]

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
_AIR_MODES = frozenset({"airstrike", "drone", "missile", "raid"})
_STATE_ACTS = frozenset({"strike", "troop_change"})


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
    m_pub, p_pub = published_day(m.published), published_day(p.earliest_published)
    if ms is not None and p_pub is not None and ms.lo > p_pub + slack:
        return False
    return not (ps is not None and m_pub is not None and ps.lo > m_pub + slack)


def _same_news_cycle(m: Mention, p: Profile) -> bool:
    """Both told as news by reports published within ``NEWS_CYCLE`` days: the same day's story."""
    day = published_day(m.published)
    if m.background or day is None:
        return False
    return any(abs((day - other).days) <= NEWS_CYCLE for other in map(published_day, p.news) if other is not None)


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
