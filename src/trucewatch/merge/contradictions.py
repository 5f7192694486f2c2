"""Where the reports of one event disagree: dates, places, perpetrators and casualty figures.

A difference is a contradiction only when the values cannot both be true:

* dates: neither is a coarser form of the other ("2021-02" and "2021-02-15" agree; the 27th and the
  28th do not, even when coreference allowed a day's slack); dates the extractor only inferred
  from a publication date are nobody's statement and are left out;
* places: neither contains the other ("Baghdad" and its airport agree; a town in Iraq and a base in
  Syria 60 km away do not);
* perpetrators: two names that are neither the same group nor related (a member and its umbrella
  agree; Kataib Hezbollah and the Islamic State do not). An unknown perpetrator contradicts no one;
* killed and injured: different figures, each a report's own (no figure is not "zero").

Each contradiction lists every value given with the mentions, reports and independent sources
behind it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from itertools import combinations

from trucewatch.merge.coref import Knowledge, split_names
from trucewatch.merge.records import Contradiction, MentionRecord, ValueSources

ATTRIBUTES = ("date", "location", "actor", "killed", "injured")


def find_contradictions(mentions: Sequence[MentionRecord], knowledge: Knowledge) -> list[Contradiction]:
    """The contradictions among the mentions of one merged event, in the order of ``ATTRIBUTES``."""
    out: list[Contradiction] = []

    def check(attribute: str, value: Callable[[MentionRecord], Hashable | None],
              conflict: Callable[[Hashable, Hashable], bool]) -> None:
        groups = _group(mentions, value)
        if any(conflict(a, b) for a, b in combinations(groups, 2)):
            out.append(Contradiction(attribute, tuple(
                ValueSources(_plain(v), tuple(m.event_id for m in ms), tuple(dict.fromkeys(m.event.doc_id for m in ms)),
                             len({m.source or m.event.doc_id for m in ms}))
                for v, ms in groups.items())))

    check("date", lambda m: m.event.date if m.event.date_source != "inferred" else None,
          lambda a, b: not (str(a).startswith(str(b)) or str(b).startswith(str(a))))
    check("location", lambda m: m.event.location,
          lambda a, b: knowledge.place_relation(str(a), str(b)) in ("near", "different"))
    check("actor", lambda m: frozenset(split_names(m.event.actor)) or None,
          lambda a, b: not any(knowledge.actor_relation(x, y) != "other" for x in _names(a) for y in _names(b)))
    check("killed", lambda m: m.event.killed, lambda a, b: a != b)
    check("injured", lambda m: m.event.injured, lambda a, b: a != b)
    return out


def _names(value: Hashable) -> frozenset[str]:
    return value if isinstance(value, frozenset) else frozenset({str(value)})


def _group(mentions: Sequence[MentionRecord],
           value: Callable[[MentionRecord], Hashable | None]) -> dict[Hashable, list[MentionRecord]]:
    """Mentions by the value they give, in the order the values were first given; no value, no group."""
    groups: dict[Hashable, list[MentionRecord]] = {}
    for m in sorted(mentions, key=lambda m: (m.published or "9999", m.event.doc_id, m.event.sentence, m.event_id)):
        v = value(m)
        if v is not None:
            groups.setdefault(v, []).append(m)
    return groups


def _plain(value: Hashable) -> object:
    """A set of names back as the schema writes it ("A; B"), other values as they are."""
    if isinstance(value, frozenset):
        return "; ".join(sorted(value))
    return value
