"""The dashboard and the report in real headless Chromium: every page loads with no console error
and no request to another host, filters update the table, the map draws its points, the report file
opens with no network. Screenshots go to build/screenshots/ for review."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from trucewatch.cli import app as cli
from trucewatch.web import create_app

PAGES = {  # path -> (screenshot name, selectors that show the page is drawn)
    "/": ("overview", ["#timeline[data-ready=true]", "#calm[data-state=ready]"]),
    "/map": ("map", ["svg.world circle.point"]),
    "/truces": ("truces", ["article.truce"]),
    "/events": ("events", ["#events-table tbody tr[data-id]"]),
    "/entities": ("entities", ["main table tbody tr"]),
    "/documents": ("documents", ["main table tbody tr"]),
    "/documents/hostile-1": ("document", [".report-text mark"]),
    "/docs": ("api-docs", [".swagger-ui .info"]),
}


def first_event(server: Any, **params: str) -> int:
    found = httpx.get(server.url + "/api/events", params={**params, "limit": 1}, timeout=120).json()
    return int(found["items"][0]["id"])


@pytest.mark.parametrize("path", list(PAGES))
def test_web_browser_page_loads_offline(server: Any, visit: Any, path: str) -> None:
    name, ready = PAGES[path]
    seen = visit(server.url + path)
    for selector in ready:
        seen.page.wait_for_selector(selector, state="attached", timeout=60_000)
    seen.screenshot(name)
    assert seen.errors == []
    assert seen.external(server.url) == []
    assert seen.page.locator("main, #swagger-ui").count() >= 1


def test_web_browser_event_and_truce_pages(server: Any, visit: Any) -> None:
    event = first_event(server, text="Qayyarah")
    seen = visit(f"{server.url}/events/{event}")
    marks = seen.page.locator(".report-text mark")
    assert marks.count() >= 1, "the source sentence is marked in its report"
    assert "Qayyarah" in marks.first.inner_text()
    seen.screenshot("event", full_page=True)
    truce = httpx.get(server.url + "/api/truces", timeout=120).json()[0]["id"]
    card = visit(f"{server.url}/truces/{truce}")
    assert card.page.locator("article.truce h3").inner_text().startswith(truce)
    assert card.errors == [] and seen.errors == []
    assert card.external(server.url) == [] and seen.external(server.url) == []


def test_web_browser_type_chip_updates_the_table(server: Any, visit: Any) -> None:
    seen = visit(server.url + "/events")
    page = seen.page
    count = page.locator("#count")
    before = count.inner_text()
    assert len(set(page.locator("#events-table tbody tr[data-id]").evaluate_all(
        "rows => rows.map(r => r.dataset.type)"))) > 1
    page.click("button[data-filter-type=strike]")
    page.wait_for_function("b => document.querySelector('#count').textContent !== b", arg=before)
    types = page.locator("#events-table tbody tr[data-id]").evaluate_all("rows => rows.map(r => r.dataset.type)")
    assert types and set(types) == {"strike"}
    total = httpx.get(server.url + "/api/events", params={"type": "strike"}, timeout=120).json()["total"]
    assert count.inner_text().endswith(f"of {total} events")
    assert "type=strike" in page.url
    page.fill("input[name=actor]", "United States")
    page.press("input[name=actor]", "Enter")
    page.wait_for_function("() => location.search.includes('actor=')")
    page.wait_for_function("t => !document.querySelector('#count').textContent.endsWith(t)", arg=f"of {total} events")
    rows = page.locator("#events-table tbody tr[data-id]")
    assert rows.count() >= 1
    assert all("United States" in t for t in rows.evaluate_all(
        "rows => rows.map(r => r.children[4].textContent + r.children[5].textContent)"))
    seen.screenshot("events-filtered")
    assert seen.errors == [] and seen.external(server.url) == []


def test_web_browser_timeline_click_lists_that_week(server: Any, visit: Any) -> None:
    seen = visit(server.url + "/")
    page = seen.page
    page.wait_for_selector("#timeline[data-ready=true]")
    # The centre of the first non-empty bar, from Chart.js's own layout.
    bar = page.evaluate("""() => {
        const chart = Chart.getChart(document.getElementById('timeline'));
        for (let d = 0; d < chart.data.datasets.length; d++) {
            const meta = chart.getDatasetMeta(d);
            for (let i = 0; i < meta.data.length; i++) {
                if (chart.data.datasets[d].data[i] > 0) {
                    const el = meta.data[i];
                    return {x: el.x, y: (el.y + el.base) / 2, type: chart.data.datasets[d]._type,
                            week: chart.data.labels[i]};
                }
            }
        }
        return null;
    }""")
    assert bar is not None
    page.locator("#timeline").click(position={"x": bar["x"], "y": bar["y"]})
    page.wait_for_function("() => document.querySelector('#pick-status').textContent.includes('week of')")
    assert bar["week"] in page.locator("#pick-status").inner_text()
    types = page.locator("#events-table tbody tr[data-id]").evaluate_all("rows => rows.map(r => r.dataset.type)")
    assert types and set(types) == {bar["type"]}
    assert page.locator("#pick-more").get_attribute("href").startswith(f"/events?type={bar['type']}")
    seen.screenshot("overview-picked")
    assert seen.errors == [] and seen.external(server.url) == []


def test_web_browser_map_draws_points(server: Any, visit: Any) -> None:
    seen = visit(server.url + "/map")
    page = seen.page
    page.wait_for_selector("svg.world circle.point")
    points = httpx.get(server.url + "/api/map", timeout=120).json()["points"]
    circles = page.locator("svg.world circle.point")
    assert circles.count() == len(points), "every point is drawn (country-level ones at their country)"
    assert page.locator("svg.world path.country").count() > 150, "the shipped outlines are drawn"
    boxes = circles.evaluate_all("cs => cs.map(c => { const b = c.getBoundingClientRect(); "
                                 "return [b.width, b.height]; })")
    assert all(w > 2 and h > 2 for w, h in boxes), "circles are visible, not collapsed"
    circles.first.dispatch_event("click")
    assert re.search(r"\d+ \w+ events?", page.locator("#map-info").inner_text())
    seen.screenshot("map")
    strikes = visit(server.url + "/map?type=strike")
    strikes.page.wait_for_selector("svg.world circle.point")
    kinds = strikes.page.locator("svg.world circle.point").evaluate_all("cs => cs.map(c => c.dataset.type)")
    assert set(kinds) == {"strike"}
    assert seen.errors == strikes.errors == []
    assert seen.external(server.url) == [] and strikes.external(server.url) == []


def test_web_browser_overview_fetches_truces_built_after_it(ledger_db: Path, visit: Any, serve: Any,
                                                            tmp_path: Path) -> None:
    """A server whose stored truce records are stale (it must build them) sends the overview at once;
    the page fills in the truce windows and the days of calm when they are ready."""
    db = tmp_path / "ledger.db"
    shutil.copy(ledger_db, db)
    with sqlite3.connect(db) as conn:  # as the store's triggers do when an event changes
        conn.execute("UPDATE truce_state SET stale = 1")
    server = serve(create_app(db, warm=False))
    seen = visit(server.url + "/", wait="domcontentloaded")
    page = seen.page
    page.wait_for_selector("#calm[data-state=ready] .card", timeout=60_000)
    assert any(u.endswith("/api/truces/windows") for u in seen.requests), "the truces came after the page"
    standing = httpx.get(server.url + "/api/truces/windows", timeout=120).json()["standing"]
    assert page.locator("#calm .card").count() == len(standing) > 0
    bands = page.evaluate("Chart.getChart(document.getElementById('timeline')).options.plugins.truceBands.bands")
    assert len(bands) == len(httpx.get(server.url + "/api/truces/windows", timeout=120).json()["bands"]) > 0
    assert seen.errors == [] and seen.external(server.url) == []


def _report(ledger_db: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(cli, ["report", "--db", str(ledger_db), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def test_web_browser_report_opens_offline(ledger_db: Path, visit: Any, tmp_path: Path) -> None:
    report = _report(ledger_db, tmp_path / "report.html", "--title", "Iraq ledger")
    html = report.read_text()
    assert not re.search(r"""src=["']?(https?:)?//|<link[^>]+href=["']?(https?:)?//|url\(""", html), \
        "nothing is loaded from elsewhere (links to the reports' own pages are only links)"
    assert "<script src" not in html and 'rel="stylesheet"' not in html
    seen = visit(report.as_uri(), wait="load", offline=True)
    page = seen.page
    page.wait_for_selector("#timeline[data-ready=true]")
    page.wait_for_selector("svg.world circle.point")
    assert page.locator("article.truce").count() >= 1
    assert page.locator("#events-table tbody tr[data-id]").count() >= 10
    assert page.locator("h1").inner_text() == "Iraq ledger"
    seen.screenshot("report", full_page=False)
    assert seen.errors == []
    assert set(seen.requests) == {report.as_uri()}, "the file asks for nothing but itself"
