"""Curation: `trucewatch entities list|add|alias|merge` and the user's gazetteer file they write.

The promise under test is the loop a curator runs on a new conflict: the ledger keeps an unknown
group as a provisional entity, `entities list --new` shows it, `add`/`alias`/`merge` write a file
that ``Gazetteer.load(extra=[file])`` reads, and the next ingest resolves the new spellings. Every
refusal must leave the file exactly as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from trucewatch.cli import app
from trucewatch.errors import GazetteerError
from trucewatch.pipeline import ingest
from trucewatch.resolve.curation import (
    DEFAULT_USER_GAZETTEER,
    CurationError,
    Edit,
    add_aliases,
    add_entity,
    load_gazetteer,
    merge_entity,
    seen_entities,
    user_gazetteer_path,
)
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store

# The Arabic name of the Rapid Support Forces, which the shipped gazetteer does not list: its first word
# ("Quwat", forces) makes it a provisional armed group until a curator says whose name it is.
RSF_ARABIC = "Quwat al-Dam al-Sari"
REPORT = f"""Shelling kills four in Omdurman
Published 2023-06-04

{RSF_ARABIC} fighters shelled neighbourhoods in Omdurman on Sunday, killing four civilians.

A group calling itself Blue Nile Vanguard Brigade attacked a police post in Ad-Damazin on Saturday.
"""
WIDE = {"COLUMNS": "400"}


@pytest.fixture(autouse=True)
def no_configured_gazetteer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests choose their gazetteer file themselves; a developer's $TRUCEWATCH_GAZETTEER must not leak in."""
    monkeypatch.delenv("TRUCEWATCH_GAZETTEER", raising=False)


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "omdurman.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


@pytest.fixture
def ledger(tmp_path: Path, report: Path) -> Path:
    """A database holding the report, read with the shipped gazetteer only."""
    db = tmp_path / "ledger.db"
    with Store(db) as store:
        stats = ingest([report], store, gazetteer=Gazetteer.load())
    assert stats.new == 1 and not stats.failed
    return db


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env=WIDE)


def counts(output: str) -> list[int]:
    """The figures of the first row of numbers in a summary table."""
    row = next(line for line in output.splitlines() if re.fullmatch(r"[\s│|]*(\d+[\s│|]+)+", line))
    return [int(n) for n in re.findall(r"\d+", row)]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the file the commands write --------------------------------------------------------------


def test_resolve_curation_add_writes_a_file_the_gazetteer_reads(tmp_path: Path) -> None:
    path = tmp_path / "user.yaml"
    edit = add_entity(path, "Blue Nile Vanguard Brigade", "armed group", aliases=["BNVB", "Vanguard Brigade"],
                      country="Sudanese")
    add_entity(path, "Kurmuk", "city", country="SD", lat=10.55, lon=34.28)

    assert edit.entity.id == "blue-nile-vanguard-brigade" and edit.path == path
    gazetteer = Gazetteer.load(extra=[path])
    for spelling in ("Blue Nile Vanguard Brigade", "BNVB", "Vanguard Brigade"):
        found = gazetteer.lookup(spelling, kind="actor")
        assert found is not None and found.id == "blue-nile-vanguard-brigade", spelling
        assert (found.type, found.country) == ("armed group", "Sudan")
    town = gazetteer.lookup("Kurmuk", kind="place")
    assert town is not None and (town.id, town.country, town.lat, town.lon) == ("kurmuk", "Sudan", 10.55, 34.28)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#") and "\nversion: 1\n" in text
    assert text.index("id: blue-nile-vanguard-brigade") < text.index("id: kurmuk")  # file order kept


def test_resolve_curation_alias_updates_a_shipped_entity_without_copying_it(tmp_path: Path) -> None:
    path = tmp_path / "user.yaml"
    edit = add_aliases(path, "RSF", [RSF_ARABIC, "Rapid Support"])

    assert edit.entity.id == "rapid-support-forces" and edit.added == [RSF_ARABIC, "Rapid Support"]
    found = Gazetteer.load(extra=[path]).lookup(RSF_ARABIC, kind="actor")
    assert found is not None and found.name == "Rapid Support Forces"
    assert "name:" not in path.read_text(encoding="utf-8")  # an update record: shipped fields stay shipped


def test_resolve_curation_alias_again_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "user.yaml"
    add_aliases(path, "rapid-support-forces", [RSF_ARABIC])
    before = path.read_bytes()

    again = add_aliases(path, "Rapid Support Forces", [RSF_ARABIC, "RSF"])

    assert again.added == []
    assert path.read_bytes() == before


def test_resolve_curation_alias_of_a_world_city(tmp_path: Path) -> None:
    """GeoNames spells the capital of Blue Nile state Ad-Damazin; a local spelling, Damazeen, must be
    taught to the gazetteer (article variants such as Ed Damazin are already folded)."""
    path = tmp_path / "user.yaml"
    assert Gazetteer.load().lookup("Damazeen", kind="place") is None

    add_aliases(path, "Ad-Damazin", ["Damazeen"])

    found = Gazetteer.load(extra=[path]).lookup("Damazeen", kind="place")
    assert found is not None and (found.name, found.type, found.country) == ("Ad-Damazin", "city", "Sudan")
    assert found.lat == pytest.approx(11.79, abs=0.01) and found.lon == pytest.approx(34.36, abs=0.01)


def test_resolve_curation_merge_a_duplicate_of_the_user_file(tmp_path: Path) -> None:
    path = write(tmp_path / "user.yaml", """# my Sudan names
version: 1
entities:
- {id: vanguard, name: Blue Nile Vanguard Brigade, type: armed group, country: Sudan}
- id: vanguard-front
  name: Vanguard Front
  type: armed group
  aliases: [VF]
  relations:
  - {type: backed_by, target: vanguard}
  - {type: backed_by, target: sudanese-armed-forces}
- {id: youth-wing, name: Nile Youth Wing, type: armed group, relations: [{type: member_of, target: vanguard-front}]}
""")
    edit = merge_entity(path, "Vanguard Front", "vanguard")

    assert edit.entity.id == "vanguard" and edit.added == ["Vanguard Front", "VF"]
    gazetteer = Gazetteer.load(extra=[path])
    assert "vanguard-front" not in gazetteer.entities
    for spelling in ("Vanguard Front", "VF", "Blue Nile Vanguard Brigade"):
        found = gazetteer.lookup(spelling, kind="actor")
        assert found is not None and found.id == "vanguard", spelling
    # Relations follow the merge: the duplicate's own move over (not the one to itself), and those
    # that pointed at the duplicate point at what it was merged into.
    assert gazetteer.get("vanguard").relations == [{"type": "backed_by", "target": "sudanese-armed-forces"}]
    assert gazetteer.get("youth-wing").relations == [{"type": "member_of", "target": "vanguard"}]
    assert path.read_text(encoding="utf-8").startswith("# my Sudan names\n")


def test_resolve_curation_merge_a_provisional_entity_of_the_ledger(tmp_path: Path, ledger: Path) -> None:
    path = tmp_path / "user.yaml"
    with Store(ledger) as store:
        edit = merge_entity(path, "provisional-blue-nile-vanguard-brigade", "Rapid Support Forces", store)

    assert edit.entity.id == "rapid-support-forces" and edit.added == ["Blue Nile Vanguard Brigade"]
    found = Gazetteer.load(extra=[path]).lookup("Blue Nile Vanguard Brigade", kind="actor")
    assert found is not None and found.id == "rapid-support-forces"


# --- refusals ---------------------------------------------------------------------------------

USER_FILE = """version: 1
entities:
- {id: vanguard, name: Blue Nile Vanguard Brigade, type: armed group, aliases: [BNVB]}
"""
REFUSALS = [
    ("bad type", lambda p: add_entity(p, "Nile Front", "militia"), "unknown entity type 'militia'"),
    ("type of nothing", lambda p: add_entity(p, "Nile Front", ""), "unknown entity type ''"),
    ("empty name", lambda p: add_entity(p, "  ", "armed group"), "needs a name"),
    ("id taken", lambda p: add_entity(p, "Nile Front", "armed group", entity_id="vanguard"), "already exists"),
    ("shipped id taken", lambda p: add_entity(p, "Rapid Support Forces", "armed group"), "already exists"),
    ("name of another", lambda p: add_entity(p, "Sudan Army", "state force", aliases=["SAF"]),
     "'SAF' already names Sudanese Armed Forces"),
    ("folded spelling", lambda p: add_entity(p, "Nile Front", "armed group", aliases=["sudan's army"]),
     "already names Sudanese Armed Forces"),
    ("transliterated spelling", lambda p: add_aliases(p, "BNVB", ["Kataeb Hizbullah"]),
     "already names Kataib Hezbollah"),
    ("alias of another", lambda p: add_aliases(p, "RSF", ["SAF"]), "'SAF' already names Sudanese Armed Forces"),
    ("alias of user entity", lambda p: add_aliases(p, "RSF", ["BNVB"]), "already names Blue Nile Vanguard Brigade"),
    ("unknown entity", lambda p: add_aliases(p, "Nile Front", ["NF"]), "unknown entity 'Nile Front'"),
    ("no alias", lambda p: add_aliases(p, "RSF", [" "]), "at least one alias"),
    ("unknown country", lambda p: add_entity(p, "Nile Front", "armed group", country="Narnia"), "unknown country"),
    ("coordinates of a group", lambda p: add_entity(p, "Nile Front", "armed group", lat=11.0, lon=34.0),
     "coordinates are for places"),
    ("half coordinates", lambda p: add_entity(p, "Kurmuk", "city", lat=10.5), "both --lat and --lon"),
    ("latitude out of range", lambda p: add_entity(p, "Kurmuk", "city", lat=100.0, lon=34.0), "out of range"),
    ("merge shipped", lambda p: merge_entity(p, "Sudanese Armed Forces", "RSF"), "cannot be removed"),
    ("merge into itself", lambda p: merge_entity(p, "BNVB", "vanguard"), "into itself"),
    ("merge unknown", lambda p: merge_entity(p, "Nile Front", "RSF"), "unknown entity 'Nile Front'"),
    ("merge into unknown", lambda p: merge_entity(p, "BNVB", "Nile Front"), "unknown entity 'Nile Front'"),
]


@pytest.mark.parametrize(("case", "edit", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_resolve_curation_contradictory_input_is_refused(
    tmp_path: Path, case: str, edit: Callable[[Path], Edit], message: str
) -> None:
    path = write(tmp_path / "user.yaml", USER_FILE)
    with pytest.raises(CurationError, match=message):
        edit(path)
    assert path.read_text(encoding="utf-8") == USER_FILE


def test_resolve_curation_refusal_creates_no_file(tmp_path: Path) -> None:
    path = tmp_path / "user.yaml"
    with pytest.raises(CurationError):
        add_aliases(path, "RSF", ["SAF"])
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text", ["version: 2\nentities: []\n", "version: 1\nentities:\n- {id: x}\n", "[1, 2"])
def test_resolve_curation_malformed_user_file_is_refused_untouched(tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "user.yaml", text)
    with pytest.raises(GazetteerError, match="user.yaml"):
        add_aliases(path, "RSF", [RSF_ARABIC])
    assert path.read_text(encoding="utf-8") == text


# --- which file, and the next ingest ----------------------------------------------------------


def test_resolve_curation_file_is_explicit_else_setting_else_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert user_gazetteer_path() == Path(DEFAULT_USER_GAZETTEER)
    assert load_gazetteer() is Gazetteer.load()  # no file yet: the shipped gazetteer
    monkeypatch.setenv("TRUCEWATCH_GAZETTEER", str(tmp_path / "set.yaml"))
    assert user_gazetteer_path() == tmp_path / "set.yaml"
    assert user_gazetteer_path(tmp_path / "given.yaml") == tmp_path / "given.yaml"
    with pytest.raises(GazetteerError, match="set.yaml"):  # a configured file that is missing is a mistake
        load_gazetteer()


def test_resolve_curation_next_ingest_resolves_the_new_alias(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, report: Path, ledger: Path
) -> None:
    """The curator's loop through the CLI, with the default file in the working directory."""
    monkeypatch.chdir(tmp_path)
    with Store(ledger) as store:
        assert [e.actor for e in store.events(type="attack") if e.location == "Omdurman"] == [RSF_ARABIC]

    result = run("entities", "alias", "Rapid Support Forces", RSF_ARABIC)
    assert result.exit_code == 0, result.output
    assert (tmp_path / DEFAULT_USER_GAZETTEER).is_file()

    result = run("ingest", str(report), "--db", str(tmp_path / "after.db"))
    assert result.exit_code == 0, result.output
    with Store(tmp_path / "after.db") as store:
        seen = {s.entity.id: s for s in seen_entities(store)}
        assert seen["rapid-support-forces"].spellings == [(RSF_ARABIC, 1)]
        assert [e.actor for e in store.events(type="attack") if e.location == "Omdurman"] == ["Rapid Support Forces"]


def test_resolve_curation_reextract_brings_the_new_alias_to_stored_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ledger: Path
) -> None:
    """After `entities alias`, `reextract` reads the stored reports again: the attack in Omdurman is
    now the RSF's, in the same ledger; a second run finds nothing more to change."""
    monkeypatch.chdir(tmp_path)
    assert run("entities", "alias", "Rapid Support Forces", RSF_ARABIC).exit_code == 0

    result = run("reextract", "--db", str(ledger))
    assert result.exit_code == 0, result.output
    assert "Re-extract summary" in result.output and counts(result.output) == [1, 1, 0, 0]  # read, updated, ...
    with Store(ledger) as store:
        assert [e.actor for e in store.events(type="attack") if e.location == "Omdurman"] == ["Rapid Support Forces"]
        assert [m.event.actor for m in store.merged_events(type="attack") if m.event.location == "Omdurman"] == [
            "Rapid Support Forces"]  # merged again
        assert not store.merge_queue()
    again = run("reextract", "--db", str(ledger))
    assert again.exit_code == 0 and counts(again.output) == [1, 0, 1, 0], again.output


def test_resolve_curation_ingest_still_takes_an_explicit_gazetteer(tmp_path: Path, report: Path) -> None:
    path = tmp_path / "elsewhere.yaml"
    add_entity(path, "Blue Nile Vanguard Brigade", "armed group", aliases=["BNVB"], country="Sudan")

    result = run("ingest", str(report), "--db", str(tmp_path / "after.db"), "--gazetteer", str(path))

    assert result.exit_code == 0, result.output
    with Store(tmp_path / "after.db") as store:
        ids = {s.entity.id for s in seen_entities(store)}
        assert "blue-nile-vanguard-brigade" in ids and "provisional-blue-nile-vanguard-brigade" not in ids
        assert [s.entity.name for s in seen_entities(store, new=True)] == [RSF_ARABIC]


# --- listing ----------------------------------------------------------------------------------


def test_resolve_curation_list_new_shows_the_unknown_group(ledger: Path) -> None:
    with Store(ledger) as store:
        new = seen_entities(store, new=True)
        cities = {s.entity.name for s in seen_entities(store, type="city")}

    assert sorted((s.entity.id, s.entity.name, s.entity.type, s.entity.provisional, s.mentions) for s in new) == [
        ("provisional-blue-nile-vanguard-brigade", "Blue Nile Vanguard Brigade", "armed group", True, 1),
        ("provisional-quwat-al-dam-al-sari", RSF_ARABIC, "armed group", True, 1)]
    assert cities == {"Omdurman", "Ad-Damazin"}


def test_resolve_curation_list_command(ledger: Path) -> None:
    result = run("entities", "list", "--new", "--db", str(ledger))
    assert result.exit_code == 0, result.output
    assert "provisional-blue-nile-vanguard-brigade" in result.output
    assert "Blue Nile Vanguard Brigade (1)" in result.output  # the spelling seen, with its count
    assert "Omdurman" not in result.output

    result = run("entities", "list", "--type", "city", "--db", str(ledger), "--limit", "1")
    assert result.exit_code == 0, result.output
    assert "1 entities" in result.output and "Vanguard" not in result.output


def test_resolve_curation_merged_provisional_entity_is_no_longer_new(
    tmp_path: Path, report: Path, ledger: Path
) -> None:
    path = tmp_path / "sudan.yaml"
    result = run("entities", "merge", "Blue Nile Vanguard Brigade", "RSF", "--db", str(ledger),
                 "--gazetteer", str(path))
    assert result.exit_code == 0, result.output
    assert "Rapid Support Forces (rapid-support-forces): added Blue Nile Vanguard Brigade" in result.output

    after = str(tmp_path / "after.db")
    assert run("ingest", str(report), "--db", after, "--gazetteer", str(path)).exit_code == 0
    result = run("entities", "list", "--new", "--db", after)
    assert result.exit_code == 0 and "1 provisional entities" in result.output
    assert RSF_ARABIC in result.output and "Blue Nile" not in result.output


def test_resolve_curation_list_most_mentioned_first(tmp_path: Path) -> None:
    report = write(tmp_path / "r.txt", "RSF fighters shelled Omdurman.\n\nThe RSF and the Rapid Support "
                                       "Forces are one group, and Omdurman is a city; the RSF said so.\n")
    with Store(":memory:") as store:
        ingest([report], store)
        seen = seen_entities(store)
    assert seen[0].entity.id == "rapid-support-forces"
    assert seen[0].mentions == sum(n for _, n in seen[0].spellings) >= 3
    assert seen[0].spellings[0][0] == "RSF"  # the commonest spelling first


def test_resolve_curation_list_refuses_an_unknown_type(ledger: Path) -> None:
    with Store(ledger) as store, pytest.raises(CurationError, match="unknown entity type 'militia'"):
        seen_entities(store, type="militia")


# --- the commands' errors ---------------------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["entities", "alias", "RSF", "SAF"], "error: 'SAF' already names Sudanese Armed Forces"),
    (["entities", "add", "Nile Front", "--type", "militia"], "error: unknown entity type 'militia'"),
    (["entities", "merge", "Nile Front", "RSF"], "error: unknown entity 'Nile Front'"),
    (["entities", "list", "--type", "militia"], "error: unknown entity type 'militia'"),
])
def test_resolve_curation_command_errors_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*args, "--db", "ledger.db") if args[1] == "list" else run(*args)
    assert result.exit_code == 2
    assert result.output.strip().startswith(message) and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / DEFAULT_USER_GAZETTEER).exists()


def test_resolve_curation_commands_write_the_configured_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRUCEWATCH_GAZETTEER", str(tmp_path / "sudan.yaml"))

    assert run("entities", "add", "Blue Nile Vanguard Brigade", "--type", "armed group", "--alias", "BNVB",
               "--country", "Sudan").exit_code == 0
    assert run("entities", "add", "Vanguard Front", "--type", "armed group").exit_code == 0
    merged = run("entities", "merge", "Vanguard Front", "BNVB")
    assert merged.exit_code == 0, merged.output
    assert "added Vanguard Front" in merged.output

    assert not (tmp_path / DEFAULT_USER_GAZETTEER).exists() and not (tmp_path / "trucewatch.db").exists()
    gazetteer = load_gazetteer()
    found = gazetteer.lookup("Vanguard Front", kind="actor")
    assert found is not None and found.id == "blue-nile-vanguard-brigade"
    assert "vanguard-front" not in gazetteer.entities
