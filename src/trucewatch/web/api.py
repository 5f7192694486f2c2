"""The REST API under ``/api``: thin handlers over the library (store queries, truce records, ingest,
curation), read-only unless the operator set a token.

Each handler opens its own ``Store`` (a connection per thread), calls one library function and
turns its records into the models of :mod:`trucewatch.web.schemas`. Errors are raised as
:class:`ApiError` and leave the app in the one JSON shape of ``ErrorResponse``.
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, status
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from trucewatch.errors import TrucewatchError
from trucewatch.ledger import find_truce
from trucewatch.ledger.periods import Period
from trucewatch.store import queries
from trucewatch.store.filters import EventFilters
from trucewatch.web import schemas as s
from trucewatch.web.state import Ledger
from trucewatch.web.views import map_data, truce_summary

# A real year (0001-9999), month or day, leap days included: the schema tells clients exactly which dates
# are accepted, so a date the pattern allows is never refused.
_YEAR = r"(\d{3}[1-9]|\d{2}[1-9]\d|\d[1-9]\d{2}|[1-9]\d{3})"
_LEAP = r"(\d{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)"
_DAYS = r"((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)|02-(0[1-9]|1\d|2[0-8]))"
_DATE = rf"^({_YEAR}(-(0[1-9]|1[0-2]))?|{_YEAR}-{_DAYS}|{_LEAP}-02-29)$"
_ERRORS: dict[int | str, dict[str, Any]] = {422: {"model": s.ErrorResponse, "description": "Invalid request"}}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": s.ErrorResponse, "description": "Not found"}, **_ERRORS}
_TRUCES: dict[int | str, dict[str, Any]] = {
    503: {"model": s.ErrorResponse, "description": "The truce records are still being built; retry later"}}
_WRITE: dict[int | str, dict[str, Any]] = {
    400: {"model": s.ErrorResponse, "description": "The body is not JSON"},
    401: {"model": s.ErrorResponse, "description": "Missing or wrong token"},
    403: {"model": s.ErrorResponse, "description": "Writes are disabled: the server has no token"},
    **_ERRORS,
}


class ApiError(HTTPException):
    """An error with a machine-readable ``code``, rendered as ``ErrorResponse``."""

    def __init__(self, status_code: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code, message, headers)
        self.code = code


router = APIRouter(prefix="/api")
bearer = HTTPBearer(auto_error=False, description="The operator's token (`trucewatch serve --token`).")


def ledger(request: Request) -> Ledger:
    led: Ledger = request.app.state.ledger
    return led


LedgerDep = Annotated[Ledger, Depends(ledger)]


def check_date(name: str, value: str | None) -> str | None:
    """An ISO date or prefix that names a real day, month or year; '' is no date (an empty form field)."""
    if not value:
        return None
    if not re.fullmatch(_DATE, value) or Period.parse(value) is None:
        raise ApiError(422, "invalid_request", f"{name}={value!r}: expected a real date YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def _text(value: str | None) -> str | None:
    value = value.strip() if value else None
    return value or None


def event_filters(
    type: Annotated[s.EventType | None, Query(description="Only events of this type.")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="Part of the actor or the target.")] = None,
    place: Annotated[str | None, Query(max_length=200, description="Part of the place name.")] = None,
    country: Annotated[str | None, Query(max_length=100, description="One of the event's countries.")] = None,
    since: Annotated[str | None, Query(pattern=_DATE, description="Events dated on or after (overlap).")] = None,
    until: Annotated[str | None, Query(pattern=_DATE, description="Events dated on or before (overlap).")] = None,
    text: Annotated[str | None, Query(max_length=500, description="Words of the evidence sentences.")] = None,
    contested: Annotated[bool, Query(description="Only events whose reports contradict each other.")] = False,
    background: Annotated[bool | None, Query(
        description="true: only events reports tell as background; false: only news.")] = None,
) -> EventFilters:
    """The event filters of the query string (shared by events, stats and map)."""
    return EventFilters(type=type.value if type else None, actor=_text(actor), place=_text(place),
                        country=_text(country), since=check_date("since", since), until=check_date("until", until),
                        text=_text(text), contested=contested, background=background)


FiltersDep = Annotated[EventFilters, Depends(event_filters)]
Limit = Annotated[int, Query(ge=1, le=500, description="At most this many items.")]
Offset = Annotated[int, Query(ge=0, le=100_000_000, description="Items to skip.")]
AsOf = Annotated[str | None, Query(pattern=_DATE, description="Date the records are true on (default: latest report).")]


def require_token(led: LedgerDep,
                  credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    """Writes need the operator's token as a bearer token; with no token set there are no writes."""
    if led.token is None:
        raise ApiError(403, "forbidden", "writes are disabled: start the server with --token "
                                         "(or TRUCEWATCH_WEB_TOKEN) to allow them")
    given = credentials.credentials if credentials else ""
    if not secrets.compare_digest(given.encode(), led.token.encode()):
        raise ApiError(401, "unauthorized", "missing or wrong token: send 'Authorization: Bearer <token>'",
                       headers={"WWW-Authenticate": "Bearer"})


# ---- reading ---------------------------------------------------------------------------------------


@router.get("/events", response_model=s.EventPage, responses=_ERRORS, summary="List merged events")
def list_events(led: LedgerDep, filters: FiltersDep, limit: Limit = 50, offset: Offset = 0) -> s.EventPage:
    """Real-world events merged across reports, newest first (undated last), with the filters of
    `trucewatch events`."""
    rows, total = led.event_page(filters, limit=limit, offset=offset)
    return s.EventPage(total=total, limit=limit, offset=offset,
                       items=[s.EventOut.model_validate(r, from_attributes=True) for r in rows])


@router.get("/events/{event_id}", response_model=s.EventDetail, responses=_NOT_FOUND, summary="One event")
def get_event(led: LedgerDep, event_id: Annotated[int, Path(ge=1, le=2**62)]) -> s.EventDetail:
    """One merged event with its mentions (each report's telling), sources, claims and contradictions."""
    with led.store() as store:
        found = store.merged_event(event_id)
    if found is None or found.reports == 0:
        raise ApiError(404, "not_found", f"no event with id {event_id}")
    return s.EventDetail.model_validate(found.to_dict())


@router.get("/documents", response_model=s.DocumentPage, responses=_ERRORS, summary="List reports")
def list_documents(led: LedgerDep, limit: Limit = 50, offset: Offset = 0) -> s.DocumentPage:
    """The stored reports, newest publication first, with their number of events."""
    with led.store() as store:
        rows, total = queries.document_page(store, limit=limit, offset=offset)
    return s.DocumentPage(total=total, limit=limit, offset=offset,
                          items=[s.DocumentOut.model_validate(r, from_attributes=True) for r in rows])


@router.get("/documents/{doc_id}", response_model=s.DocumentDetail, responses=_NOT_FOUND, summary="One report")
def get_document(led: LedgerDep, doc_id: Annotated[str, Path(max_length=300)]) -> s.DocumentDetail:
    """A stored report: its text as read, the furniture set aside, its sentences and its own events."""
    with led.store() as store:
        doc = store.document(doc_id)
    if doc is None:
        raise ApiError(404, "not_found", f"no report with id {doc_id!r}")
    return s.DocumentDetail(id=doc.id, title=doc.title, url=doc.url, outlet=doc.outlet, published=doc.published,
                            published_source=doc.published_source, author=doc.author, text=doc.text,
                            warnings=doc.warnings, removed=doc.removed, sentences=doc.sentences, events=doc.events)


@router.get("/entities", response_model=s.EntityPage, responses=_ERRORS, summary="List entities")
def list_entities(
    led: LedgerDep, limit: Limit = 50, offset: Offset = 0,
    new: Annotated[bool, Query(
        description="Only provisional entities: unknown names still awaiting curation.")] = False,
    type: Annotated[s.EntityType | None, Query(description="Only this entity type.")] = None,
) -> s.EntityPage:
    """The entities the stored reports mention, most mentioned first, with every spelling seen
    (`trucewatch entities list`); with `new`, those curation has since named are left out."""
    from trucewatch.resolve.curation import listed_entities

    with led.store() as store:
        rows = listed_entities(store, new=new, type=type.value if type else None,
                               gazetteer=led.gazetteer_file).entities
    items = [s.EntityOut(id=r.entity.id, name=r.entity.name, type=r.entity.type, country=r.entity.country,
                         province=r.entity.province, lat=r.entity.lat, lon=r.entity.lon,
                         provisional=r.entity.provisional, aliases=r.entity.aliases, mentions=r.mentions,
                         spellings=[s.SpellingOut(text=t, count=n) for t, n in r.spellings])
             for r in rows[offset:offset + limit]]
    return s.EntityPage(total=len(rows), limit=limit, offset=offset, items=items)


@router.get("/truces", response_model=list[s.TruceOut], responses={**_ERRORS, **_TRUCES}, summary="List truce records")
def list_truces(led: LedgerDep, as_of: AsOf = None) -> list[s.TruceOut]:
    """The truce records built from the ledger: parties, conditions, status history, violations."""
    return [s.TruceOut.model_validate(t.to_dict()) for t in led.truces(check_date("as_of", as_of))]


@router.get("/truces/windows", response_model=s.TruceWindowsOut, responses={**_ERRORS, **_TRUCES},
            summary="Truce windows and days of calm")
def truce_windows(led: LedgerDep, as_of: AsOf = None) -> s.TruceWindowsOut:
    """For a timeline: when each truce stood, and the days of calm of those still standing."""
    return s.TruceWindowsOut.model_validate(truce_summary(led.truces(check_date("as_of", as_of))))


@router.get("/truces/{truce_id}", response_model=s.TruceOut, responses={**_NOT_FOUND, **_TRUCES},
            summary="One truce record")
def get_truce(led: LedgerDep, truce_id: Annotated[str, Path(max_length=200)], as_of: AsOf = None) -> s.TruceOut:
    """One truce record, by id or by the only id that starts with ``truce_id``."""
    found = find_truce(led.truces(check_date("as_of", as_of)), truce_id)
    if found is None:
        raise ApiError(404, "not_found", f"no single truce with id {truce_id!r}")
    return s.TruceOut.model_validate(found.to_dict())


@router.get("/stats", response_model=s.StatsOut, responses=_ERRORS, summary="Counts per period and type")
def stats(led: LedgerDep, filters: FiltersDep,
          unit: Annotated[s.Unit, Query(description="Count per day, week (by its Monday) or month.")] = s.Unit.week,
          ) -> s.StatsOut:
    """Headline figures and the number of events of each type per day, week or month."""
    totals, periods, coarse = led.summary(filters, unit.value)
    return s.StatsOut(unit=unit, totals=s.TotalsOut.model_validate(totals, from_attributes=True),
                      periods=[s.PeriodCountOut.model_validate(p, from_attributes=True) for p in periods],
                      coarse=coarse)


@router.get("/map", response_model=s.MapOut, responses=_ERRORS, summary="Events by place")
def map_points(led: LedgerDep, filters: FiltersDep) -> s.MapOut:
    """The events grouped by place and type (or by country when placed no closer), for a map."""
    return s.MapOut(points=map_data(led.map_points(filters))["points"])


# ---- writing (token only) ----------------------------------------------------------------------


def _curation_error(exc: TrucewatchError) -> ApiError:
    return ApiError(422, "invalid_request", str(exc))


@router.post("/documents", response_model=s.IngestOut, status_code=status.HTTP_201_CREATED, responses=_WRITE,
             dependencies=[Depends(require_token)], summary="Ingest a report", tags=["writes"])
def post_document(led: LedgerDep, report: s.ReportIn) -> s.IngestOut:
    """Read, extract, store and merge one report, as `trucewatch ingest` does with a JSON file."""
    try:
        ids, stats = led.ingest_report(report.model_dump())
    except TrucewatchError as exc:
        raise _curation_error(exc) from exc
    return s.IngestOut(documents=ids, read=stats.read, new=stats.new, updated=stats.updated,
                       unchanged=stats.unchanged, failed=stats.failed, events_by_type=stats.events_by_type,
                       rejections=[str(r) for r in stats.rejections], warnings=stats.warnings)


@router.post("/reextract", response_model=s.IngestOut, responses=_WRITE, dependencies=[Depends(require_token)],
             summary="Read every report again", tags=["writes"])
def post_reextract(led: LedgerDep) -> s.IngestOut:
    """After curation: read the stored reports again with the curated gazetteer (`trucewatch reextract`)."""
    from trucewatch.pipeline import reextract

    with led.curating(), led.store() as store:
        stats = reextract(store, gazetteer=led.gazetteer())
    return s.IngestOut(documents=[], read=stats.read, new=stats.new, updated=stats.updated,
                       unchanged=stats.unchanged, failed=stats.failed, events_by_type=stats.events_by_type,
                       rejections=[str(r) for r in stats.rejections], warnings=stats.warnings)


def _edit(edit: Any) -> s.EditOut:
    return s.EditOut(gazetteer=str(edit.path), entity=edit.entity.id, name=edit.entity.name, added=edit.added)


@router.post("/entities", response_model=s.EditOut, status_code=status.HTTP_201_CREATED, responses=_WRITE,
             dependencies=[Depends(require_token)], summary="Add an entity", tags=["writes"])
def post_entity(led: LedgerDep, body: s.EntityIn) -> s.EditOut:
    """Add an entity to the user's gazetteer file (`trucewatch entities add`)."""
    from trucewatch.resolve.curation import add_entity

    try:
        with led.curating() as path:
            return _edit(add_entity(path, body.name, body.type, aliases=body.aliases, country=body.country,
                                    lat=body.lat, lon=body.lon, entity_id=body.id))
    except TrucewatchError as exc:
        raise _curation_error(exc) from exc


@router.post("/entities/merge", response_model=s.EditOut, responses=_WRITE, dependencies=[Depends(require_token)],
             summary="Merge an entity into another", tags=["writes"])
def post_merge(led: LedgerDep, body: s.MergeIn) -> s.EditOut:
    """Merge a provisional or duplicate entity into another (`trucewatch entities merge`)."""
    from trucewatch.resolve.curation import merge_entity

    try:
        with led.curating() as path, led.store() as store:
            return _edit(merge_entity(path, body.source, body.into, store))
    except TrucewatchError as exc:
        raise _curation_error(exc) from exc


@router.post("/entities/{entity}/aliases", response_model=s.EditOut, responses=_WRITE,
             dependencies=[Depends(require_token)], summary="Add spellings to an entity", tags=["writes"])
def post_aliases(led: LedgerDep, entity: Annotated[str, Path(max_length=200)], body: s.AliasesIn) -> s.EditOut:
    """Add spellings to an entity (`trucewatch entities alias`)."""
    from trucewatch.resolve.curation import add_aliases

    try:
        with led.curating() as path:
            return _edit(add_aliases(path, entity, body.aliases))
    except TrucewatchError as exc:
        raise _curation_error(exc) from exc


for _route in router.routes:  # reads under "ledger", writes (tagged above) under "writes" only
    if isinstance(_route, APIRoute) and not _route.tags:
        _route.tags = ["ledger"]
