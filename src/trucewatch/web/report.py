"""``trucewatch report``: one HTML file with the timeline, the map and the truce cards, that opens
anywhere with no network.

Why one file: analysts mail the state of a conflict to people who have no server and may read it
offline. Everything is inside: the stylesheet, the scripts (Chart.js and the map renderer, the same
files the dashboard serves), the country outlines and the data. A Content-Security-Policy in the file
allows exactly those inline scripts (by their hashes) and no connection at all, so the file cannot
reach the network even if a script tried, and a report's text that slipped past escaping could not run.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from pathlib import Path

from markupsafe import Markup

from trucewatch import __version__
from trucewatch.ledger.stored import truce_records
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store, queries
from trucewatch.store.filters import EventFilters
from trucewatch.web import views
from trucewatch.web.templating import environment

STATIC = Path(__file__).parent / "static"
SCRIPTS = ("vendor/chartjs/chart.umd.min.js", "js/common.js", "js/timeline.js", "js/map.js", "js/report.js")
TOPOLOGY = "vendor/world-atlas/countries-110m.json"


def _inline(name: str, closing: str) -> Markup:
    """A shipped file's text, to put inside a <script> or <style> element. Those elements end at the
    first closing tag whatever the quoting, so a file that contained one would be refused."""
    text = (STATIC / name).read_text(encoding="utf-8")
    if closing in text.lower():
        raise ValueError(f"{name} contains {closing!r} and cannot be inlined")
    return Markup(text)


def _digest(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def describe(filters: EventFilters) -> str:
    """The filters in words, for the report's header ("type attack, since 2021-01, news only")."""
    words = [f"{name} {value}" for name in ("type", "actor", "place", "country", "since", "until", "text")
             if (value := getattr(filters, name))]
    if filters.contested:
        words.append("contested only")
    if filters.background is not None:
        words.append("background only" if filters.background else "news only")
    return ", ".join(words)


def render_report(store: Store, gazetteer: Gazetteer | None = None, filters: EventFilters | None = None, *,
                  as_of: str | None = None, title: str | None = None, limit: int = 1000) -> str:
    """The report of the events ``filters`` keeps (all by default): headline figures, weekly timeline
    with truce windows, map, the truce records those events concern (true on ``as_of``; without it,
    the records the last ingest stored, if still current), and the
    ``limit`` latest events. Raises ``ValueError`` for a malformed date."""
    filters = filters or EventFilters()
    totals, weekly, coarse = queries.summary(store, filters, "week")
    events, _ = queries.event_page(store, filters, limit=limit, count=False)
    points = queries.map_points(store, filters)
    truces = views.truces_matching(truce_records(store, gazetteer, as_of), filters)
    data = {"timeline": views.timeline(weekly), "bands": views.truce_bands(truces), "map": views.map_data(points),
            "colors": views.TYPE_COLORS, "coarse": coarse}
    scripts = [_inline(name, "</script") for name in SCRIPTS]
    csp = (f"default-src 'none'; script-src {' '.join(_digest(s) for s in scripts)}; style-src 'unsafe-inline'; "
           "img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'")
    topology = json.loads((STATIC / TOPOLOGY).read_text(encoding="utf-8"))
    return environment().get_template("report.html").render(
        title=title or "trucewatch report", generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        described=describe(filters), totals=totals, events=events, truces=truces, as_of=as_of, data=data,
        topology=topology, css=_inline("css/app.css", "</style"), scripts=scripts, csp=csp, version=__version__)
