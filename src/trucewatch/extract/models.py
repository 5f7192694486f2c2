"""The trained decisions of the extractor, by name, and the words they are decided over.

| model | decides | over |
|---|---|---|
| ``sentence`` | whether a sentence may report an event at all (before any parse) | sentences with a trigger |
| ``event_type`` | which event type a trigger word states (attack and strike as one), or none | trigger words |
| ``force_type`` | a non-state group's attack or a state's strike | uses of force |
| ``roles`` | actor, target, place, mediator or none | the names of an event's sentence |
| ``date`` | whether a time expression dates the event | time expressions of its sentence |
| ``date_fallback`` | none / the report's day, its month / the event before's day, the lead's | undated events |
| ``toll`` | killed, injured or neither | numbers of an event's sentence |
| ``mode`` | rocket, drone, airstrike, ... | attacks and strikes |
| ``background`` | told as past context or as the report's news | events |
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from trucewatch.learn.linear import LinearModel, shipped

MODEL_NAMES = ("sentence", "event_type", "force_type", "roles", "date", "date_fallback", "toll", "mode", "background")


@dataclass(frozen=True)
class Models:
    """One trained model per decision."""

    sentence: LinearModel
    event_type: LinearModel
    force_type: LinearModel
    roles: LinearModel
    date: LinearModel
    date_fallback: LinearModel
    toll: LinearModel
    mode: LinearModel
    background: LinearModel

    @classmethod
    def shipped(cls) -> Models:
        """The weights shipped in the package."""
        return cls(**{name: shipped(name) for name in MODEL_NAMES})

    @classmethod
    def of(cls, models: Mapping[str, LinearModel]) -> Models:
        return cls(**{name: models[name] for name in MODEL_NAMES})
