"""The entities the web lists as new are those ``trucewatch entities list --new`` lists: a name that
curation has since named awaits no more curation in either (one library function,
``listed_entities``)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
from typer.testing import CliRunner

from trucewatch.cli import app as cli
from trucewatch.web import create_app

TOKEN = "curation-token"


def cli_new(db: Path, gazetteer: Path) -> list[str]:
    result = CliRunner().invoke(cli, ["entities", "list", "--new", "--json", "--limit", "500", "--db", str(db),
                                      "--gazetteer", str(gazetteer)])
    assert result.exit_code == 0, result.output
    return [e["id"] for e in json.loads(result.stdout)]


def test_web_entities_new_leaves_out_what_curation_named(ledger_db: Path, tmp_path: Path, serve: Any) -> None:
    db, gazetteer = tmp_path / "ledger.db", tmp_path / "gazetteer.yaml"
    shutil.copy(ledger_db, db)
    server = serve(create_app(db, token=TOKEN, gazetteer=gazetteer, warm=False))

    def web_new() -> list[str]:
        page = httpx.get(server.url + "/api/entities", params={"new": "true", "limit": 500}, timeout=60).json()
        assert page["total"] == len(page["items"])
        return [e["id"] for e in page["items"]]

    before = web_new()
    assert "provisional-islamic-resistance" in before
    assert before == cli_new(db, gazetteer)
    added = httpx.post(server.url + "/api/entities", headers={"Authorization": f"Bearer {TOKEN}"},
                       json={"name": "Islamic Resistance", "type": "armed group"}, timeout=120)
    assert added.status_code == 201, added.text
    after = web_new()
    assert after == [e for e in before if e != "provisional-islamic-resistance"]
    assert after == cli_new(db, gazetteer), "the web and the CLI list the same names as new"
    page = httpx.get(server.url + "/entities", params={"new": "true"}, timeout=60).text
    assert "provisional-islamic-resistance" not in page and "provisional-qayyarah" in page
    everything = httpx.get(server.url + "/api/entities", params={"limit": 500}, timeout=60).json()
    assert "provisional-islamic-resistance" in {e["id"] for e in everything["items"]}, \
        "without new, the ledger's entities are all listed (its reports still name it until reextract)"
