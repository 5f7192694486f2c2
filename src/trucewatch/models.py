"""Plain records passed between the pipeline stages.

Every stage takes and returns these dataclasses, never nested dicts, so that a stage can be
replaced or tested alone. Character offsets (``start``/``end``) always point into
``Document.text``, the text as it was read, so that evidence can be traced back to the source
even after page furniture has been set aside.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

EVENT_TYPES: tuple[str, ...] = (
    "attack",
    "strike",
    "ceasefire",
    "ceasefire_end",
    "demand",
    "threat",
    "troop_change",
)
MODES: tuple[str, ...] = ("rocket", "drone", "missile", "ied", "mortar", "gunfire", "airstrike", "raid", "unknown")
Granularity = Literal["day", "month", "year"]


def content_hash(text: str) -> str:
    """A stable id for a text: the same words always get the same id, whatever file they came in."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Removal:
    """A stretch of page furniture set aside before extraction (kept for the record, never deleted)."""

    start: int
    end: int
    reason: str
    text: str


@dataclass
class Sentence:
    idx: int
    start: int
    end: int
    text: str


@dataclass
class Document:
    """One news report. ``id`` is the given id, else the content hash of ``text``."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_source: str | None = None  # metadata, url, dateline, text, option; None when unknown
    author: str | None = None
    source_path: str | None = None
    removed: list[Removal] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        return content_hash(self.text)

    def kept_spans(self) -> list[tuple[int, int]]:
        """The (start, end) stretches of ``text`` that are not furniture, in order."""
        spans: list[tuple[int, int]] = []
        pos = 0
        for r in sorted(self.removed, key=lambda r: r.start):
            if r.start > pos:
                spans.append((pos, r.start))
            pos = max(pos, r.end)
        if pos < len(self.text):
            spans.append((pos, len(self.text)))
        return spans


@dataclass
class Event:
    """One event mention, with the gold schema's fields first and provenance after them."""

    type: str
    mode: str | None = None
    actor: str | None = None
    target: str | None = None
    location: str | None = None
    country: str | None = None
    date: str | None = None
    killed: int | None = None
    injured: int | None = None
    conditions: list[str] | None = None
    mediators: list[str] | None = None
    background: bool = False
    evidence: str = ""
    # provenance and detail beyond the gold schema
    doc_id: str = ""
    sentence: int = -1
    start: int = -1
    end: int = -1
    trigger: str = ""
    date_source: str | None = None  # stated, sentence, narrative, reporting, inferred
    deadline: str | None = None
    attribution: str | None = None
    hedged: bool = False
    lat: float | None = None
    lon: float | None = None
    mentions: list[int] = field(default_factory=list)  # sentence indices that report this event

    GOLD_FIELDS = (
        "type", "mode", "actor", "target", "location", "country", "date", "killed", "injured",
        "conditions", "mediators", "background", "evidence",
    )

    def to_gold(self) -> dict[str, Any]:
        """The event in the annotation schema of GOLD_SCHEMA.md (what score.py reads)."""
        return {f: getattr(self, f) for f in self.GOLD_FIELDS}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Entity:
    """A named actor or place. Places carry coordinates; provisional entities await curation."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    province: str | None = None
    lat: float | None = None
    lon: float | None = None
    relations: list[dict[str, Any]] = field(default_factory=list)
    provisional: bool = False

    @property
    def is_place(self) -> bool:
        return self.type in PLACE_TYPES


PLACE_TYPES = frozenset({"city", "province", "country", "military base", "facility", "region", "district"})


@dataclass
class Rejection:
    """An input (or part of one) that could not be used, and why: counted and reported, never silent."""

    stage: str
    reason: str
    input: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.input}:{self.line}" if self.line is not None else self.input
        return f"{where}: {self.reason}"


@dataclass
class IngestStats:
    """What one ingest run did, for the CLI summary table."""

    read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    events_by_type: dict[str, int] = field(default_factory=dict)
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
