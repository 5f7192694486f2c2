"""The record a mention becomes before mentions of one occurrence are merged into an event."""

from __future__ import annotations

from dataclasses import dataclass, field

from trucewatch.models import Entity, Event


@dataclass
class Draft:
    event: Event
    actors: list[Entity] = field(default_factory=list)
    targets: list[Entity] = field(default_factory=list)
    location: Entity | None = None
    weak: bool = False
    anaphoric: bool = False  # "the attack", "the truce": refers back to an event already reported
    background: bool = False  # told in a clause of earlier context ("after the US assassinated ...")
    join_only: bool = False  # may only add to an event ("the agreement"), never found one
    agent: bool = False  # the actor was named in an agent phrase ("claimed by X"), trustworthy anywhere
    definite: bool = False  # "the strikes", "that attack": may refer back even when dated
    local: bool = False  # "a local ceasefire": a truce of one town, never the same as a national one
    order: int = 0


def names_of(entities: list[Entity]) -> str | None:
    seen: list[str] = []
    for e in entities:
        if e.name not in seen:
            seen.append(e.name)
    return "; ".join(seen) if seen else None


def family(kind: str) -> str:
    """Attack and strike are one family: which of the two is decided from the actor."""
    return "force" if kind in ("attack", "strike") else kind
