"""Text from a report is shown, never obeyed: Rich markup prints as written and control characters
(ESC above all, which can clear the screen, rewrite earlier output or retitle the window) as visible
escapes, in the event card, the listings and the truce card."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from ledger_builder import HOSTILE, Report, build
from rich.console import Console
from typer.testing import CliRunner, Result

from trucewatch.cli import app
from trucewatch.ledger.cards import truce_card, truce_table
from trucewatch.ledger.records import Ref, Source, StatusChange, Truce
from trucewatch.terminal import safe, visible

CONTROLS = [chr(c) for c in (*range(0, 9), *range(11, 32), 127, 0x9B)]


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "400"})


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("hostile") / "ledger.db")


def assert_shown_not_obeyed(output: str) -> None:
    assert not any(c in output for c in CONTROLS), repr(output)
    assert "[bold red]boom[/bold red]" in output  # the markup, as text
    assert "\\x1b[2J" in output and "\\x1b]0;owned\\x07" in output  # the escapes, visible


def test_terminal_event_card(ledger: Path) -> None:
    with sqlite3.connect(ledger) as conn:
        (merged_id,) = conn.execute("SELECT merged_id FROM merged_mentions WHERE doc_id = 'r-hostile'").fetchone()
    result = run("event", str(merged_id), "--db", str(ledger))
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.stdout)
    assert "@evil" in result.stdout and "-2+3" in result.stdout


@pytest.mark.parametrize("per_report", [True, False])
def test_terminal_listings(tmp_path: Path, per_report: bool) -> None:
    """A name read from a hostile report (actor, target, place) in the merged and per-report tables."""
    report = Report("names", "2021-05-02", "Wire", ["Gunmen attacked a checkpoint on Saturday."], [
        (0, dict(type="attack", actor=f"Gunmen {HOSTILE}", target=HOSTILE, location=HOSTILE, date="2021-05-01"))])
    db = build(tmp_path / "names.db", [report])
    result = run("events", "--db", str(db), *(["--per-report"] if per_report else []))
    assert result.exit_code == 0, result.output
    assert_shown_not_obeyed(result.stdout)


def test_terminal_json_escapes_controls(ledger: Path) -> None:
    result = run("events", "--per-report", "--json", "--db", str(ledger), "--actor", "@evil")
    assert not any(c in result.stdout for c in CONTROLS)
    assert "\\u001b[2J" in result.stdout  # JSON's own escape


def test_terminal_truce_card_and_table() -> None:
    ref = Ref("d1", 0, "ceasefire", "2024-01-02", HOSTILE)
    truce = Truce(id="2024-01-02-x", parties=[f"[red]Side[/red]{HOSTILE}"], counterpart=["\x1b[31mOther"],
                  mediators=[HOSTILE], countries=["Iraq"], places=[], conditions=[], announced="2024-01-02",
                  agreed=None, effective=None, expires=None, ended=None, ended_how=None, end_evidence=[],
                  history=[StatusChange("2024-01-02", "offered", HOSTILE, [ref])], violations=[],
                  violator_terms=[ref], mentions=[ref], sources=[Source("d1", HOSTILE, None, "2024-01-02", HOSTILE)],
                  as_of="2024-01-03")
    for view in (truce_table([truce]), truce_card(truce)):
        screen = Console(record=True, width=400, force_terminal=False)
        screen.print(view)
        assert_shown_not_obeyed(screen.export_text())


@pytest.mark.parametrize(("text", "shown"), [
    ("a\x1b[31mred", "a\\x1b[31mred"),
    ("bell\x07", "bell\\x07"),
    ("csi\x9b2J", "csi\\x9b2J"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("ordinary café", "ordinary café"),
])
def test_terminal_visible(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_terminal_safe_escapes_markup() -> None:
    screen = Console(record=True, width=200)
    screen.print(safe("[link=http://x.test]click[/link] [bold]b[/bold]\x1b[2J"))
    assert screen.export_text().strip() == "[link=http://x.test]click[/link] [bold]b[/bold]\\x1b[2J"
    assert safe(None) == ""
