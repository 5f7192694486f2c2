"""Clause segments of a sentence: the unit within which an event's arguments are looked for.

Without a parser, a sentence is cut at words that open another clause ("after", "which", "while",
"prompting", a semicolon or dash). An event mention takes its actor, target, place and date from its
own segment first, then from neighbouring segments that report no other event, so that "US strikes
... two days after a contractor died in a rocket attack" keeps the strike's and the attack's details
apart.
"""

from __future__ import annotations

from dataclasses import dataclass

BOUNDARY_WORDS = frozenset(
    """while whereas although though but because after before when until which who whom whose where
    prompting prompted triggered sparking sparked following amid since despite""".split()
)
# Words after which "that" opens a complement, not a relative clause.
THAT_GOVERNORS = frozenset(
    "said says say told tell tells reported reports announced announce confirmed confirm stated added noted "
    "warned warn cautioned claimed claims believe believed believes know knew known think thought hope hoped "
    "agreed agree demanded demand insisted stipulates stipulated condition provided ensure ensured means meant "
    "clear sure suggested suggests showed shows signalled signaled indicated indicates feared fear fears "
    "argued acknowledged admitted denied ruled expected stressed explained given except now so such , "
    "saying adding warning claiming insisting stressing noting declared decided vowed promised pledged "
    "threatened revealed found emphasised emphasized reiterated asserted alleged complained conceded "
    "estimated predicted ordered urged".split()
)
# Nouns that open a clause about a different event: "in retaliation for", "in response to", "to avenge".
CAUSE_WORDS = frozenset("retaliation response revenge retaliate avenge reprisal".split())
BOUNDARY_PUNCT = frozenset({";", "—", "–", "--", ":", "(", ")"})


@dataclass(frozen=True)
class Segment:
    lo: int
    hi: int

    def __contains__(self, i: object) -> bool:
        return isinstance(i, int) and self.lo <= i < self.hi


def segments(lower: list[str]) -> list[Segment]:
    """Cut token positions into clause segments; boundary words start the new segment."""
    cuts = [0]
    for i, t in enumerate(lower):
        if i == 0:
            continue
        if t in BOUNDARY_PUNCT:
            cuts.append(i)
        elif t in BOUNDARY_WORDS:
            cuts.append(i)
        elif t in CAUSE_WORDS and lower[i - 1] in ("in", "to", "a", "as"):
            cuts.append(i - 1)
        elif t in CAUSE_WORDS and lower[i - 1] in ("was", "is", "were", "are") and lower[i + 1:i + 2] in (
                ["for"], ["to"]):
            cuts.append(i)  # "the airstrike was retaliation for Friday's attack"
        elif t == "that" and lower[i - 1] not in THAT_GOVERNORS:
            # A relative clause ("a group that formed in 2014"); "said that", "condition that" stay whole.
            cuts.append(i)
    # A relative clause set off by commas ends at its closing comma: "Washington, which is slowly
    # reducing its troops, threatened last month ..." keeps "threatened last month" out of it.
    for i, t in enumerate(lower):
        if t in ("which", "who", "that") and i > 0 and (lower[i - 1] == "," or (
                t == "that" and lower[i - 1] not in THAT_GOVERNORS)):
            close = next((k for k in range(i + 1, min(len(lower), i + 16)) if lower[k] == ","), None)
            if close is not None and close + 1 < len(lower) and lower[close + 1] not in ("and", "but", "or"):
                cuts.append(close + 1)
    cuts.append(len(lower))
    cuts = sorted(set(cuts))
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if b > a:
            out.append(Segment(a, b))
    return out


def segment_of(segs: list[Segment], i: int) -> int:
    """Index of the segment holding token i (segments are few: a linear scan is fastest)."""
    for k, s in enumerate(segs):
        if s.lo <= i < s.hi:
            return k
    return len(segs) - 1
