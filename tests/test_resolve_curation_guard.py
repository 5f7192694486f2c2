"""Curation that cannot corrupt the ledger: a spelling that names a place or country of the world
gazetteer is refused like one that names a gazetteer entity (``alias Damascus Aleppo`` would move
every Aleppo event to Damascus at the next ``reextract``); ``unalias`` takes back what ``alias`` and
``merge`` gave; ``entities list --new`` forgets what curation has resolved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from trucewatch.cli import app
from trucewatch.models import Document, Entity, Event, Sentence
from trucewatch.resolve.curation import CurationError, add_aliases, add_entity, merge_entity, remove_aliases
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.mark.parametrize(("entity", "spelling", "names"), [
    ("Damascus", "Aleppo", "the city Aleppo of Syria"),
    ("Damascus", "Syria", "the country Syria"),
    ("Kataib Hezbollah", "Syrian", "the country Syria"),  # an adjective is read as its country
    ("Ain al-Asad Air Base", "Karbala", "the city Karbala of Iraq"),
    ("Kataib Hezbollah", "Haditha", "the city Hadithah of Iraq"),  # a town of the entity's own country
])
def test_curation_guard_refuses_a_world_place(tmp_path: Path, entity: str, spelling: str, names: str) -> None:
    path = tmp_path / "user.yaml"
    with pytest.raises(CurationError, match=names):
        add_aliases(path, entity, [spelling])
    assert not path.exists()  # nothing written


def test_curation_guard_refuses_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "user.yaml"
    result = run("entities", "alias", "Damascus", "Aleppo", "--gazetteer", str(path))
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "'Aleppo' already names the city Aleppo of Syria" in lines[0]
    assert not path.exists()
    assert Gazetteer.load().lookup("Aleppo", kind="place").name == "Aleppo"  # type: ignore[union-attr]


def test_curation_guard_refuses_a_new_entity_named_like_a_world_city(tmp_path: Path) -> None:
    with pytest.raises(CurationError, match="the city Aleppo of Syria"):
        add_entity(tmp_path / "user.yaml", "Aleppo", "armed group")


@pytest.mark.parametrize(("entity", "spelling"), [
    ("United States", "United States of America"),  # the state and its own country
    ("Ad-Damazin", "Damazeen"),  # a world city's own new spelling
    ("Erbil", "Arbil"),  # the gazetteer's city and GeoNames' town of the same place
])
def test_curation_guard_accepts_the_entity_itself(tmp_path: Path, entity: str, spelling: str) -> None:
    add_aliases(tmp_path / "user.yaml", entity, [spelling])


def test_curation_guard_new_place_beside_its_world_namesake(tmp_path: Path) -> None:
    """A town the user adds under the name GeoNames gives it, in the same country, is that town."""
    edit = add_entity(tmp_path / "user.yaml", "Kurmuk", "city", country="Sudan", lat=10.55, lon=34.28)
    assert edit.entity.id == "kurmuk"


# ---- unalias -----------------------------------------------------------------------------------------


def test_curation_unalias_takes_back_an_alias(tmp_path: Path) -> None:
    path = tmp_path / "user.yaml"
    add_aliases(path, "Kataib Hezbollah", ["Blue Brigades", "Hezbollah Brigades of Iraq"])
    assert Gazetteer.load(extra=[path]).lookup("Blue Brigades", kind="actor") is not None

    edit = remove_aliases(path, "kataib-hezbollah", ["Blue Brigades"])

    assert edit.removed == ["Blue Brigades"] and edit.added == []
    gazetteer = Gazetteer.load(extra=[path])
    assert gazetteer.lookup("Blue Brigades", kind="actor", fuzzy=False) is None
    assert gazetteer.lookup("Hezbollah Brigades of Iraq", kind="actor").id == "kataib-hezbollah"  # type: ignore
    remove_aliases(path, "Kataib Hezbollah", ["Hezbollah Brigades of Iraq"])
    assert "kataib-hezbollah" not in path.read_text(encoding="utf-8")  # an update record with nothing left goes


def test_curation_unalias_undoes_a_merge(tmp_path: Path) -> None:
    path = tmp_path / "user.yaml"
    path.write_text("version: 1\nentities:\n- {id: vanguard, name: Nile Vanguard, type: armed group}\n"
                    "- {id: front, name: Vanguard Front, type: armed group, aliases: [VF]}\n", encoding="utf-8")
    merge_entity(path, "front", "vanguard")
    remove_aliases(path, "vanguard", ["Vanguard Front", "VF"])
    assert Gazetteer.load(extra=[path]).lookup("VF", kind="actor") is None


@pytest.mark.parametrize(("spelling", "needle"), [
    ("KH", "'KH' is a shipped spelling of Kataib Hezbollah"),
    ("Kataib Hezbollah", "is the name of Kataib Hezbollah"),
    ("Green Brigades", "'Green Brigades' is not a spelling of Kataib Hezbollah"),
])
def test_curation_unalias_refusals(tmp_path: Path, spelling: str, needle: str) -> None:
    path = tmp_path / "user.yaml"
    add_aliases(path, "Kataib Hezbollah", ["Blue Brigades"])
    before = path.read_bytes()
    result = run("entities", "unalias", "Kataib Hezbollah", spelling, "--gazetteer", str(path))
    assert result.exit_code == 2 and needle in result.stderr, result.stderr
    assert path.read_bytes() == before


def test_curation_unalias_without_a_file(tmp_path: Path) -> None:
    result = run("entities", "unalias", "Kataib Hezbollah", "KH", "--gazetteer", str(tmp_path / "none.yaml"))
    assert result.exit_code == 2 and "no user gazetteer file" in result.stderr


def test_curation_unalias_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "user.yaml"
    assert run("entities", "alias", "Kataib Hezbollah", "Blue Brigades", "--gazetteer", str(path)).exit_code == 0
    result = run("entities", "unalias", "Kataib Hezbollah", "Blue Brigades", "--gazetteer", str(path))
    assert result.exit_code == 0 and "removed Blue Brigades" in result.stdout


# ---- entities list --new -------------------------------------------------------------------------------

SENTENCE = "Fighters of the Nile Vanguard Brigade attacked an army post near Kurmuk on Tuesday."


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    """A report naming a group the gazetteer does not know: a provisional entity awaiting curation."""
    db = tmp_path / "ledger.db"
    start = SENTENCE.index("Nile Vanguard Brigade")
    group = Entity("provisional-nile-vanguard-brigade", "Nile Vanguard Brigade", "armed group", provisional=True)
    doc = Document(id="nile", text=SENTENCE, published="2024-03-06",
                   sentences=[Sentence(0, 0, len(SENTENCE), SENTENCE)],
                   events=[Event(type="attack", actor="Nile Vanguard Brigade", date="2024-03-05", evidence=SENTENCE,
                                 sentence=0, start=0, end=len(SENTENCE))])
    with Store(db) as store:
        store.save_document(doc, [(group.id, group.name, start, start + len(group.name))], [group])
    return db


def listed_new(ledger: Path, path: Path) -> Result:
    result = run("entities", "list", "--new", "--db", str(ledger), "--gazetteer", str(path))
    assert result.exit_code == 0, result.output
    return result


def test_curation_list_new_forgets_what_curation_resolved(ledger: Path, tmp_path: Path) -> None:
    path = tmp_path / "user.yaml"
    before = listed_new(ledger, path)
    assert "Nile Vanguard Brigade" in before.stdout and "1 provisional entities" in before.stdout

    add_entity(path, "Blue Nile Vanguard", "armed group", aliases=["Nile Vanguard Brigade"], country="Sudan")

    after = listed_new(ledger, path)
    assert "0 provisional entities" in after.stdout
    assert "provisional-nile-vanguard-brigade -> Blue Nile Vanguard" in after.stderr
    assert "reextract" in after.stderr
    listed_json = run("entities", "list", "--new", "--db", str(ledger), "--gazetteer", str(path), "--json")
    assert json.loads(listed_json.stdout) == []
    everything = run("entities", "list", "--db", str(ledger), "--gazetteer", str(path), "--json")
    assert [e["id"] for e in json.loads(everything.stdout)] == ["provisional-nile-vanguard-brigade"]  # still stored

    remove_aliases(path, "Blue Nile Vanguard", ["Nile Vanguard Brigade"])
    assert "Nile Vanguard Brigade" in listed_new(ledger, path).stdout  # unresolved again


def test_curation_list_new_forgets_a_merged_provisional_entity(ledger: Path, tmp_path: Path) -> None:
    path = tmp_path / "user.yaml"
    merged = run("entities", "merge", "provisional-nile-vanguard-brigade", "Rapid Support Forces", "--db", str(ledger),
                 "--gazetteer", str(path))
    assert merged.exit_code == 0, merged.output
    assert "0 provisional entities" in listed_new(ledger, path).stdout
