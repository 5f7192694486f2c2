"""The shapes the REST API answers with and accepts, as pydantic models.

Why declared rather than returning dicts: they make the OpenAPI schema precise (clients and
schemathesis check every answer against it), and FastAPI validates every answer on the way out, so
a library change that alters a record shows up as a failing API test, not as a silent change of the
API. Each model is built from a library record (``EventRow``, ``MergedEvent.to_dict()``,
``Truce.to_dict()``...), never from SQL rows.
"""

from __future__ import annotations

from enum import Enum, StrEnum
from typing import Any

from pydantic import BaseModel, Field

from trucewatch.ledger.records import Condition, Disavowal, Ref, Source, StatusChange
from trucewatch.models import EVENT_TYPES, Event, Removal, Sentence
from trucewatch.resolve.curation import UNTYPED
from trucewatch.resolve.names import ENTITY_TYPES

# Built from the library's lists so the API can never offer a type the ledger does not have.
EventType = Enum("EventType", {t: t for t in EVENT_TYPES}, type=str)  # type: ignore[misc]
EntityType = Enum("EntityType", {t: t for t in [*sorted(ENTITY_TYPES), UNTYPED]}, type=str)  # type: ignore[misc]


class Unit(StrEnum):
    day = "day"
    week = "week"
    month = "month"


class ErrorDetail(BaseModel):
    loc: list[str | int] = Field(default_factory=list, description="Where the problem is (e.g. query, since).")
    message: str


class ErrorInfo(BaseModel):
    status: int
    code: str = Field(description="not_found, invalid_request, unauthorized, forbidden, conflict, internal_error...")
    message: str
    details: list[ErrorDetail] = Field(default_factory=list)


class ErrorResponse(BaseModel):
    """Every error of the API, whatever its cause, has this one shape."""

    error: ErrorInfo


class EventOut(BaseModel):
    """A real-world event merged across reports, as lists show it."""

    id: int
    type: str
    mode: str | None
    actor: str | None
    target: str | None
    location: str | None
    country: str | None
    date: str | None
    killed: int | None
    injured: int | None
    background: bool
    evidence: str
    lat: float | None
    lon: float | None
    reports: int = Field(description="Reports that tell it.")
    sources: int = Field(description="Independent sources (copies of one text count once).")
    contested: bool = Field(description="Its reports contradict each other on some attribute.")


class Page(BaseModel):
    total: int
    limit: int
    offset: int


class EventPage(Page):
    items: list[EventOut]


class ProvenanceOut(BaseModel):
    event_id: int | None
    rule: str


class ValueSourcesOut(BaseModel):
    value: Any
    event_ids: list[int]
    doc_ids: list[str]
    sources: int


class ContradictionOut(BaseModel):
    attribute: str
    values: list[ValueSourcesOut]


class ClaimOut(BaseModel):
    kind: str
    party: str | None
    said_by: str | None
    doc_id: str
    event_id: int | None
    text: str


class MentionOut(BaseModel):
    """One report's telling of the event."""

    event_id: int
    doc_id: str
    source: str = Field(description="The independent source: the earliest report of its copies.")
    outlet: str | None
    url: str | None
    published: str | None
    title: str | None
    lead: bool = Field(description="The event is this report's news (its first news event).")
    background: bool
    said_by: str | None
    evidence: str
    mode: str | None
    actor: str | None
    target: str | None
    location: str | None
    country: str | None
    date: str | None
    killed: int | None
    injured: int | None


class EventDetail(BaseModel):
    """One real-world event: merged values, where each came from, mentions, claims, contradictions."""

    id: int
    type: str
    mode: str | None
    actor: str | None
    target: str | None
    location: str | None
    country: str | None
    date: str | None
    killed: int | None
    injured: int | None
    conditions: list[str] | None
    mediators: list[str] | None
    background: bool
    evidence: str
    lat: float | None
    lon: float | None
    date_source: str | None
    reports: int
    sources: int
    story: list[str]
    provenance: dict[str, ProvenanceOut]
    contradictions: list[ContradictionOut]
    claims: list[ClaimOut]
    mentions: list[MentionOut]


class DocumentOut(BaseModel):
    id: str
    title: str | None
    outlet: str | None
    published: str | None
    url: str | None
    events: int


class DocumentPage(Page):
    items: list[DocumentOut]


class DocumentDetail(BaseModel):
    """A stored report whole: its text as read, furniture set aside, sentences and its own events."""

    id: str
    title: str | None
    url: str | None
    outlet: str | None
    published: str | None
    published_source: str | None
    author: str | None
    text: str
    warnings: list[str]
    removed: list[Removal]
    sentences: list[Sentence]
    events: list[Event]


class SpellingOut(BaseModel):
    text: str
    count: int


class EntityOut(BaseModel):
    id: str
    name: str
    type: str
    country: str | None
    province: str | None
    lat: float | None
    lon: float | None
    provisional: bool
    aliases: list[str]
    mentions: int
    spellings: list[SpellingOut] = Field(description="Every spelling the reports use, with its count.")


class EntityPage(Page):
    items: list[EntityOut]


class ViolationOut(BaseModel):
    date: str | None
    type: str
    mode: str | None
    actor: str | None
    target: str | None
    location: str | None
    country: str | None
    killed: int | None
    injured: int | None
    by: str = Field(description="party, counterpart, unattributed or outside group")
    evidence: list[Ref]
    disavowals: list[Disavowal]
    disavowed: bool


class TruceOut(BaseModel):
    """A truce record as the ledger builds it, with its derived status, scope and days of calm."""

    id: str
    parties: list[str]
    counterpart: list[str]
    mediators: list[str]
    countries: list[str]
    places: list[str]
    conditions: list[Condition]
    announced: str | None
    agreed: str | None
    effective: str | None
    expires: str | None
    ended: str | None
    ended_how: str | None
    end_evidence: list[Ref]
    history: list[StatusChange]
    violations: list[ViolationOut]
    violator_terms: list[Ref]
    mentions: list[Ref]
    sources: list[Source]
    as_of: str
    status: str
    scope: str
    start: str | None
    days_of_calm: int | None


class TruceBandOut(BaseModel):
    id: str
    label: str
    start: str = Field(description="First day of the window (YYYY-MM-DD).")
    end: str = Field(description="Last day: its end, or the records' date while it stands.")
    open: bool = Field(description="It has not ended.")
    status: str


class StandingOut(BaseModel):
    id: str
    label: str
    start: str | None
    status: str
    days_of_calm: int | None
    violations: int
    as_of: str


class TruceWindowsOut(BaseModel):
    """The truce windows a timeline shades, and the days of calm of the truces still standing."""

    as_of: str | None
    bands: list[TruceBandOut]
    standing: list[StandingOut]


class TotalsOut(BaseModel):
    events: int
    by_type: dict[str, int]
    killed: int
    injured: int
    contested: int
    background: int
    first: str | None
    last: str | None
    documents: int = Field(description="Reports stored in the ledger (whatever the filters).")


class PeriodCountOut(BaseModel):
    period: str = Field(description="A day YYYY-MM-DD, a week by its Monday, or a month YYYY-MM.")
    type: str
    events: int
    killed: int
    injured: int


class StatsOut(BaseModel):
    unit: Unit
    totals: TotalsOut
    periods: list[PeriodCountOut]
    coarse: int = Field(description="Events kept whose date is missing or too coarse for the unit.")


class MapPointOut(BaseModel):
    lat: float | None = Field(description="None for events placed only by their country.")
    lon: float | None
    location: str | None
    country: str | None
    type: str
    events: int
    killed: int
    injured: int
    iso: str | None = Field(None, description="ISO 3166 numeric code of the country of a country-level point.")


class MapOut(BaseModel):
    points: list[MapPointOut]


class ReportIn(BaseModel):
    """A news report to ingest: the fields of a JSON report file (only ``text`` is required)."""

    text: str = Field(min_length=1, max_length=2_000_000)
    id: str | None = Field(None, min_length=1, max_length=200)
    title: str | None = Field(None, max_length=2_000)
    url: str | None = Field(None, max_length=2_000)
    outlet: str | None = Field(None, max_length=200)
    published: str | None = Field(None, max_length=40, description="Publication date, YYYY-MM-DD preferred.")
    author: str | None = Field(None, max_length=200)


class IngestOut(BaseModel):
    documents: list[str] = Field(description="Ids of the reports read.")
    read: int
    new: int
    updated: int
    unchanged: int
    failed: int
    events_by_type: dict[str, int]
    rejections: list[str]
    warnings: list[str]


class EntityIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    type: str = Field(min_length=1, max_length=40)
    aliases: list[str] = Field(default_factory=list, max_length=100)
    country: str | None = Field(None, max_length=100)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    id: str | None = Field(None, max_length=100)


class AliasesIn(BaseModel):
    aliases: list[str] = Field(min_length=1, max_length=100)


class MergeIn(BaseModel):
    source: str = Field(min_length=1, max_length=200, description="A provisional or duplicate entity.")
    into: str = Field(min_length=1, max_length=200)


class EditOut(BaseModel):
    """What a curation write did to the user's gazetteer file."""

    gazetteer: str
    entity: str
    name: str
    added: list[str]
