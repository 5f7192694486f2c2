"""The dashboard's pages, rendered on the server with Jinja2 (autoescaped): overview, map, truces,
events, one event, entities, reports.

Why server-rendered: a page shows its data without waiting for scripts (first paint is one response),
works with scripts off, and its filters are plain query strings a user can bookmark or paste into the
API. Scripts (``static/js``) add the chart, the map and in-place filtering; they get their data from
``<script type="application/json">`` blocks and write text only with ``textContent``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from trucewatch.ledger import find_truce
from trucewatch.store import queries
from trucewatch.store.filters import EventFilters
from trucewatch.web import views
from trucewatch.web.api import ApiError, AsOf, FiltersDep, LedgerDep, Offset, check_date
from trucewatch.web.templating import environment

templates = Jinja2Templates(env=environment())
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PAGE_SIZE = 50


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status: int, message: str, details: list[dict[str, Any]]) -> HTMLResponse:
    return render(request, "error.html", status_code=status, status=status, message=message, details=details,
                  page="error")


@router.get("/")
def overview(request: Request, led: LedgerDep) -> HTMLResponse:
    """Headline counts, the weekly timeline with truce windows, days of calm, the latest events."""
    everything = EventFilters()
    totals, weekly, coarse = led.summary(everything, "week")
    with led.store() as store:
        latest, _ = queries.event_page(store, everything, limit=20, count=False)
    truces = led.cached_truces()  # never waits: the page fetches them when they are not built yet
    data = {"timeline": views.timeline(weekly), "colors": views.TYPE_COLORS, "coarse": coarse, "api": "/api/events",
            "truces": views.truce_summary(truces) if truces is not None else None,
            "truces_api": "/api/truces/windows"}
    return render(request, "overview.html", totals=totals, truces=data["truces"], events=latest, data=data,
                  page="overview")


@router.get("/map")
def map_page(request: Request, led: LedgerDep, filters: FiltersDep) -> HTMLResponse:
    """Events on a world map drawn from the shipped country outlines, sized by casualties."""
    data = views.map_data(led.map_points(filters))
    return render(request, "map.html", data=data, placed=sum(p["events"] for p in data["points"]), filters=filters,
                  page="map",
                  topojson="/static/vendor/world-atlas/countries-110m.json")


@router.get("/truces")
def truces_page(request: Request, led: LedgerDep, as_of: AsOf = None) -> HTMLResponse:
    """Every truce as a card: parties, conditions, status history, violations, sources."""
    truces = led.truces(check_date("as_of", as_of))
    return render(request, "truces.html", truces=truces, as_of=as_of, page="truces", single=False)


@router.get("/truces/{truce_id}")
def truce_page(request: Request, led: LedgerDep, truce_id: Annotated[str, PathParam(max_length=200)],
               as_of: AsOf = None) -> HTMLResponse:
    found = find_truce(led.truces(check_date("as_of", as_of)), truce_id)
    if found is None:
        raise ApiError(404, "not_found", f"no single truce with id {truce_id!r}")
    return render(request, "truces.html", truces=[found], as_of=as_of, page="truces", single=True)


@router.get("/events")
def events_page(request: Request, led: LedgerDep, filters: FiltersDep, offset: Offset = 0) -> HTMLResponse:
    """The filterable table of events (the first page rendered here; scripts refine it in place)."""
    rows, total = led.event_page(filters, limit=PAGE_SIZE, offset=offset)
    data = {"api": "/api/events", "limit": PAGE_SIZE, "offset": offset, "colors": views.TYPE_COLORS}
    return render(request, "events.html", events=rows, total=total, offset=offset, limit=PAGE_SIZE,
                  filters=filters, data=data, page="events")


@router.get("/events/{event_id}")
def event_page(request: Request, led: LedgerDep, event_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> HTMLResponse:
    """One event: its values and where each came from, and every report with its source sentences marked."""
    with led.store() as store:
        found = store.merged_event(event_id)
        texts = queries.report_texts(store, event_id) if found is not None else []
    if found is None or found.reports == 0:
        raise ApiError(404, "not_found", f"no event with id {event_id}")
    reports = [(r, views.highlight(r.text, r.spans, r.removed)) for r in texts]
    by_mention = {m.event_id: m for m in found.mentions}
    return render(request, "event.html", event=found, reports=reports, by_mention=by_mention, page="events")


@router.get("/entities")
def entities_page(request: Request, led: LedgerDep, offset: Offset = 0,
                  new: Annotated[bool, Query()] = False,
                  type: Annotated[str | None, Query(max_length=40)] = None) -> HTMLResponse:
    """Entities the reports mention, most mentioned first, with every spelling seen and its count."""
    from trucewatch.resolve.curation import ENTITY_TYPES, listed_entities

    with led.store() as store:
        rows = listed_entities(store, new=new, type=type or None, gazetteer=led.gazetteer_file).entities
    return render(request, "entities.html", entities=rows[offset:offset + PAGE_SIZE], total=len(rows),
                  offset=offset, limit=PAGE_SIZE, new=new, type=type or "", types=sorted(ENTITY_TYPES),
                  page="entities")


@router.get("/documents")
def documents_page(request: Request, led: LedgerDep, offset: Offset = 0) -> HTMLResponse:
    with led.store() as store:
        rows, total = queries.document_page(store, limit=PAGE_SIZE, offset=offset)
    return render(request, "documents.html", documents=rows, total=total, offset=offset, limit=PAGE_SIZE,
                  page="documents")


@router.get("/documents/{doc_id}")
def document_page(request: Request, led: LedgerDep, doc_id: Annotated[str, PathParam(max_length=300)]) -> HTMLResponse:
    """A report whole, every sentence an event was read from marked, with its events."""
    with led.store() as store:
        doc = store.document(doc_id)
    if doc is None:
        raise ApiError(404, "not_found", f"no report with id {doc_id!r}")
    spans = [queries.MentionSpan(-1, s.idx, s.start, s.end) for s in doc.sentences
             if any(e.sentence == s.idx or s.idx in e.mentions for e in doc.events)]
    return render(request, "document.html", doc=doc, segments=views.highlight(doc.text, spans, doc.removed),
                  page="documents")

