"""Plain records of the merge stage: what the store keeps about events merged across reports.

They live apart from the merge logic so that ``trucewatch.store`` can return them without importing
the merging code (which itself reads and writes through the store).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from trucewatch.models import Event

ClaimKind = Literal["claim", "denial", "no_claim", "accusation"]
CLAIM_KINDS: tuple[str, ...] = ("claim", "denial", "no_claim", "accusation")


@dataclass(frozen=True)
class Attribution:
    """Who a report says its information comes from.

    ``speaker`` is the source as named ("the Pentagon", "two Iraqi security sources", "a spokesman
    for Kataib Hezbollah"); ``entity`` its canonical name when the gazetteer knows it (United
    States, Kataib Hezbollah); ``via`` the outlet that was told ("told Reuters", "Middle East Eye
    reports"); ``cue`` the words that gave it away.
    """

    speaker: str | None
    entity: str | None = None
    via: str | None = None
    cue: str = ""

    def __str__(self) -> str:
        who = self.speaker or self.entity or "?"
        if self.entity and self.speaker and self.entity.casefold() not in self.speaker.casefold():
            who = f"{self.speaker} ({self.entity})"
        return f"{who} via {self.via}" if self.via else who


@dataclass(frozen=True)
class Claim:
    """A claim of responsibility, a denial, a statement that nobody claimed it, or an accusation.

    ``party`` is who is said to be (or not to be) responsible; ``said_by`` who said so: the group
    itself for a claim or a denial, the accuser for an accusation, the source of the sentence for
    "no group claimed responsibility".
    """

    kind: ClaimKind
    party: str | None
    said_by: str | None
    cue: str
    text: str
    doc_id: str = ""
    event_id: int | None = None
    sentence: int = -1


@dataclass(frozen=True)
class ValueSources:
    """One value of a contested attribute and the reports that give it."""

    value: Any
    event_ids: tuple[int, ...]
    doc_ids: tuple[str, ...]
    sources: int  # independent sources (copies of one text count once)

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "event_ids": list(self.event_ids), "doc_ids": list(self.doc_ids),
                "sources": self.sources}


@dataclass(frozen=True)
class Contradiction:
    """Reports of one event that disagree on an attribute: every value with its sources."""

    attribute: str
    values: tuple[ValueSources, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"attribute": self.attribute, "values": [v.to_dict() for v in self.values]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Contradiction:
        return cls(data["attribute"], tuple(
            ValueSources(v["value"], tuple(v["event_ids"]), tuple(v["doc_ids"]), v["sources"])
            for v in data["values"]))


@dataclass(frozen=True)
class Provenance:
    """Which mention gave a merged value, and by which rule it was chosen."""

    event_id: int | None
    rule: str


@dataclass
class MentionRecord:
    """One report's event (a row of ``events``) as a mention of a merged event, with its report's
    metadata. ``source`` names its independent source: the earliest-published report of its copies
    (its own report when it has none); ``lead`` marks the report's first news event."""

    event_id: int
    event: Event
    published: str | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    lead: bool = False
    score: float | None = None
    attribution: Attribution | None = None
    source: str = ""


@dataclass
class MergedEvent:
    """One real-world event: merged values (an ``Event`` without a document), how many reports
    and independent sources tell it, where each value came from, and where the reports disagree."""

    id: int
    event: Event
    reports: int
    sources: int
    provenance: dict[str, Provenance] = field(default_factory=dict)
    contradictions: list[Contradiction] = field(default_factory=list)
    mentions: list[MentionRecord] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    @property
    def contested(self) -> bool:
        return bool(self.contradictions)

    @property
    def story(self) -> list[str]:
        """The reports whose news this event is (their first news event): one story told by
        several outlets, as opposed to reports that mention the event in passing."""
        return list(dict.fromkeys(m.event.doc_id for m in self.mentions if m.lead))

    def to_dict(self) -> dict[str, Any]:
        """The merged event with its sources, as ``export --format jsonl`` writes it."""
        values = self.event.to_gold()
        values.update(lat=self.event.lat, lon=self.event.lon, date_source=self.event.date_source)
        return {
            "id": self.id,
            **values,
            "reports": self.reports,
            "sources": self.sources,
            "story": self.story,
            "provenance": {k: {"event_id": p.event_id, "rule": p.rule} for k, p in self.provenance.items()},
            "contradictions": [c.to_dict() for c in self.contradictions],
            "claims": [{"kind": c.kind, "party": c.party, "said_by": c.said_by, "doc_id": c.doc_id,
                        "event_id": c.event_id, "text": c.text} for c in self.claims],
            "mentions": [
                {"event_id": m.event_id, "doc_id": m.event.doc_id, "source": m.source, "outlet": m.outlet,
                 "url": m.url, "published": m.published, "title": m.title, "lead": m.lead,
                 "background": m.event.background, "said_by": str(m.attribution) if m.attribution else None,
                 "evidence": m.event.evidence, **{f: getattr(m.event, f) for f in _MENTION_FIELDS}}
                for m in self.mentions
            ],
        }


_MENTION_FIELDS = ("mode", "actor", "target", "location", "country", "date", "killed", "injured")
