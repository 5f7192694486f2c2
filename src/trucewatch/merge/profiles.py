"""What coreference reads of a report's event (``Mention``) and of a merged event (``Profile``)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from trucewatch.models import Event

_EVIDENCE_WORDS = 8  # shorter sentences are too generic to identify a copy


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
    # Where the stored event lies among its neighbours (see ``merge.clusters``): the first and last
    # day its dated reports cover, and its last report in the canonical order (publication, id).
    span: tuple[str, str] | None = None
    last: tuple[str, str] | None = None

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
        return json.dumps({**{k: getattr(self, k) for k in _VALUES}, **{k: sorted(getattr(self, k)) for k in _SETS},
                           **{k: getattr(self, k) for k in _PLACE}}, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Profile:
        data: dict[str, Any] = json.loads(text)
        fields: dict[str, Any] = {k: data[k] for k in _VALUES}
        fields.update((k, set(data[k])) for k in _SETS)
        fields.update((k, tuple(data[k]) if data.get(k) else None) for k in _PLACE)
        return cls(**fields)


_VALUES = ("type", "date", "actor", "target", "location", "mode", "earliest_published", "sources")
# Sets of distinct values only: a profile stays small however many reports tell the event (which
# reports and sentences it holds are asked of the store: see ``score``'s ``same_report``).
_SETS = ("actors", "targets", "locations", "modes", "countries", "killed", "injured", "news")
_PLACE = ("span", "last")  # absent from profiles stored before they were kept
