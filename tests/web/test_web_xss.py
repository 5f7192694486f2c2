"""A hostile report (tests/resources/web/hostile.jsonl: script, event handlers and a javascript: URL in
its title, outlet, URL and text) is in the session's ledger. Every page that shows it, and the report
file, must show its markup as text: no script runs, no element is injected, no such link is made."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from typer.testing import CliRunner

from trucewatch.cli import app as cli

# Elements the hostile report would create if any of its text reached the page as markup.
INJECTED = ('img[src="x"], svg[onload], b[onmouseover], [onerror], [onload], [onmouseover], a[href^="javascript:"], '
            'script:not([src]):not([type="application/json"])')
HOSTILE_TEXT = 'Qayyarah air base <img src=x onerror="window.__xss=2">'
HOSTILE_TITLE = "Rockets hit base <script>window.__xss=1</script> near Mosul"
REFLECTED = '"><img src=x onerror="window.__xss=7">'


def check(seen: Any, *, shows: str | None = None, inline_scripts: int = 0) -> None:
    page = seen.page
    assert page.evaluate("() => window.__xss") is None, "a script of the report ran"
    assert seen.dialogs == []
    found = page.evaluate("s => Array.from(document.querySelectorAll(s)).map(e => e.outerHTML.slice(0, 80))",
                          INJECTED)
    assert len(found) == inline_scripts, found
    if shows is not None:
        assert shows in page.evaluate("() => document.body.innerText"), f"{shows!r} is not shown as text"
    assert seen.errors == []


def hostile_event(server: Any) -> int:
    return int(httpx.get(server.url + "/api/events", params={"text": "Qayyarah"}, timeout=120).json()["items"][0]["id"])


@pytest.mark.parametrize(("path", "shows"), [
    ("/", None),
    ("/events", HOSTILE_TEXT),
    ("/events?text=Qayyarah", HOSTILE_TEXT),
    ("/documents", HOSTILE_TITLE),
    ("/documents/hostile-1", HOSTILE_TITLE),
    ("/entities?new=true", None),
    ("/map", None),
    ("/truces", None),
    ("/events?actor=" + quote(REFLECTED), None),
    ("/map?place=" + quote(REFLECTED), None),
    ("/nowhere/" + quote(REFLECTED), None),
])
def test_web_xss_pages_show_hostile_text_as_text(server: Any, visit: Any, path: str, shows: str | None) -> None:
    seen = visit(server.url + path)
    if path.startswith("/map"):
        seen.page.wait_for_selector("svg.world", state="attached")
    if path.startswith("/nowhere"):  # the page itself is a 404, which the console reports
        assert seen.errors == ["console error: Failed to load resource: the server responded with a status of 404 "
                               "(Not Found)"]
        assert REFLECTED in seen.page.inner_text("main")
        seen.errors.clear()
    check(seen, shows=shows)
    if "actor=" in path:
        assert seen.page.input_value("input[name=actor]") == REFLECTED, "the filter is kept, as text"


def test_web_xss_event_page_marks_the_hostile_sentence_as_text(server: Any, visit: Any) -> None:
    seen = visit(f"{server.url}/events/{hostile_event(server)}")
    check(seen, shows=HOSTILE_TEXT)
    assert HOSTILE_TEXT in seen.page.locator(".report-text mark").all_inner_texts()[0]
    assert seen.page.locator('a[href="javascript:window.__xss=4"]').count() == 0
    assert "javascript:window.__xss=4" in seen.page.inner_text("main"), "the bad URL is shown, not linked"
    seen.screenshot("xss-event")


def test_web_xss_filtered_table_from_the_api_is_text(server: Any, visit: Any) -> None:
    seen = visit(server.url + "/events")
    seen.page.fill("input[name=text]", "Qayyarah")
    seen.page.press("input[name=text]", "Enter")
    seen.page.wait_for_function("() => location.search.includes('text=Qayyarah')")
    seen.page.wait_for_function("() => document.querySelectorAll('#events-table tbody tr[data-id]').length >= 1")
    check(seen, shows=HOSTILE_TEXT)


def test_web_xss_report_file_shows_hostile_text_as_text(ledger_db: Path, visit: Any, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["report", "--db", str(ledger_db), "-o", str(out), "--title", REFLECTED])
    assert result.exit_code == 0, result.output
    seen = visit(out.as_uri(), wait="load", offline=True)
    seen.page.wait_for_selector("svg.world circle.point")
    scripts = len(__import__("trucewatch.web.report", fromlist=["SCRIPTS"]).SCRIPTS)
    check(seen, shows=HOSTILE_TEXT, inline_scripts=scripts)
    assert seen.page.locator("h1").inner_text() == REFLECTED
    seen.screenshot("xss-report")
