"""Docs cannot drift: README.md names every CLI command and every setting, and names none that
does not exist.

The lists come from the code, not from a copy in this test: the commands from the Typer app as
Click sees it (so a command added to ``cli.py`` or a sub-app is picked up at once), the settings
from ``config.SETTINGS``. What README.md must contain:

* for every visible command, the words ``trucewatch <command>`` (``trucewatch <group> <command>``
  for commands of a sub-app), e.g. ``trucewatch ingest``;
* for every setting, its name in backticks (`` `max_bytes` ``) and its environment variable
  (``TRUCEWATCH_MAX_BYTES``);
* no ``TRUCEWATCH_...`` variable that is not a setting, and in fenced code blocks no
  ``trucewatch <word>`` invocation of a command that does not exist.

A missing README.md is a failure, not a skip: the README is part of the deliverable.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from trucewatch import config
from trucewatch.cli import app

README = Path(__file__).resolve().parents[1] / "README.md"
_ENV = re.compile(r"\bTRUCEWATCH_[A-Z0-9_]*[A-Z0-9]")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_INVOCATION = re.compile(r"(?:^|[\s/$])trucewatch[ \t]+([a-z][\w-]*)")


def commands(group: Any, prefix: str = "trucewatch") -> list[str]:
    """``trucewatch <name>`` for every visible command, recursing into sub-apps (groups).

    Duck-typed on ``.commands``: Typer builds Click objects, but recent Typer vendors its own
    Click, so ``isinstance(..., click.Group)`` would find nothing and let every check pass.
    """
    found: list[str] = []
    for name, command in sorted(getattr(group, "commands", {}).items()):
        if getattr(command, "hidden", False):
            continue
        found.append(f"{prefix} {name}")
        found += commands(command, f"{prefix} {name}")
    return found


def read_readme() -> str:
    """README.md's text; called inside each test (not a fixture) so that a missing README makes
    every check FAIL rather than ERROR or skip."""
    assert README.is_file(), f"{README} is missing: it must document every command and setting"
    return README.read_text(encoding="utf-8")


CLI_COMMANDS = commands(typer.main.get_command(app))


def test_docs_cli_lists_commands_from_the_app() -> None:
    """Guards the guard: the walk over the app finds the commands the issue requires."""
    assert {"trucewatch ingest", "trucewatch events", "trucewatch export"} <= set(CLI_COMMANDS)


@pytest.mark.parametrize("command", CLI_COMMANDS)
def test_docs_cli_readme_names_every_command(command: str) -> None:
    readme = read_readme()
    assert re.search(rf"{re.escape(command)}(?![\w-])", readme), f"README.md does not mention `{command}`"


@pytest.mark.parametrize("setting", config.SETTINGS, ids=lambda s: s.name)
def test_docs_cli_readme_names_every_setting(setting: config.Setting) -> None:
    readme = read_readme()
    assert f"`{setting.name}`" in readme, f"README.md does not name the setting `{setting.name}`"
    if setting.env:
        assert re.search(rf"\b{setting.env}\b", readme), f"README.md does not mention ${setting.env}"


def test_docs_cli_readme_names_no_unknown_variable() -> None:
    readme = read_readme()
    known = {s.env for s in config.SETTINGS if s.env}
    assert set(_ENV.findall(readme)) <= known, "README.md names variables that are not settings"


def test_docs_cli_readme_runs_no_unknown_command() -> None:
    readme = read_readme()
    known = {c.split()[1] for c in CLI_COMMANDS}
    used = {m for block in _FENCE.finditer(readme) for m in _INVOCATION.findall(block.group(0))}
    assert used <= known, f"README.md code blocks run commands that do not exist: {sorted(used - known)}"
