"""Fixtures of the web tests: one ledger, one server and one browser for the whole session.

The ledger is the bundled examples plus a hostile report written for these tests (markup and script
in its title, outlet, URL and text). The read-only server runs it with uvicorn in a thread, as
``trucewatch serve`` does; a second server on a copy of it has a write token. The browser is Debian's
Chromium driven by Playwright; the browser tests are skipped, saying why, only where it cannot start.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from trucewatch.pipeline import ingest
from trucewatch.store import Store
from trucewatch.web import create_app

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ROOT / "tests" / "resources" / "web"
SHOTS = ROOT / "build" / "screenshots"
TOKEN = "s3cret-token-for-tests"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def token() -> str:
    """The write token of ``write_server``."""
    return TOKEN


@pytest.fixture(scope="session")
def ledger_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("web") / "ledger.db"
    with Store(db) as store:
        stats = ingest([ROOT / "examples", RESOURCES / "hostile.jsonl"], store)
    assert stats.failed == 0, stats.rejections
    return db


@dataclass
class Server:
    url: str
    app: Any
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


def start_server(app: Any) -> Server:
    """``app`` served by uvicorn on a free port of this machine, in a thread."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started:
        if time.time() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    return Server(f"http://127.0.0.1:{port}", app, server, thread)


@pytest.fixture(scope="session")
def server(ledger_db: Path) -> Iterator[Server]:
    """The read-only server (no token), as `trucewatch serve` starts it, once its truce records are built
    (so that no test's first request waits for them on a busy machine)."""
    running = start_server(create_app(ledger_db))
    running.app.state.ledger.truces(timeout=None)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def write_server(ledger_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with a write token, over a copy of the ledger (its writes must not reach the others)."""
    folder = tmp_path_factory.mktemp("web-writes")
    db = folder / "ledger.db"
    shutil.copy(ledger_db, db)
    running = start_server(create_app(db, token=TOKEN, gazetteer=folder / "gazetteer.yaml", warm=False))
    yield running
    running.stop()


@pytest.fixture
def serve() -> Iterator[Callable[[Any], Server]]:
    """Start more servers in a test; each is stopped when the test ends."""
    running: list[Server] = []

    def start(app: Any) -> Server:
        running.append(start_server(app))
        return running[-1]

    yield start
    for server in running:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); "
                    ".ci/run installs it where it is missing")
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Error as exc:
            pytest.skip(f"Chromium cannot start on this machine: {exc}")
        yield chromium
        chromium.close()


@dataclass
class Visit:
    """A page and what it did: console errors, uncaught exceptions, every request it sent, dialogs."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def external(self, allowed: str) -> list[str]:
        """The requests that went anywhere but ``allowed`` (a URL prefix) or inline data."""
        return [u for u in self.requests if not (u.startswith(allowed) or u.startswith(("data:", "blob:")))]

    def screenshot(self, name: str, full_page: bool = False) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path


@pytest.fixture
def visit(browser: Any) -> Iterator[Callable[[str], Visit]]:
    """Open a URL in a fresh browser context and record what the page does."""
    contexts = []

    def open_(url: str, wait: str = "networkidle", offline: bool = False) -> Visit:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, offline=offline)
        contexts.append(context)
        page = context.new_page()
        seen = Visit(page)
        page.on("console", lambda m: seen.errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: seen.errors.append(f"uncaught: {e}"))
        page.on("request", lambda r: seen.requests.append(r.url))

        def dialog(d: Any) -> None:
            seen.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(url, wait_until=wait)
        return seen

    yield open_
    for context in contexts:
        context.close()
