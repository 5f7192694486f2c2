"""Exports in the field's formats (ACLED CSV, PLOVER, GeoJSON) and the ledger's own CSVs, on a small
ledger built by hand (``ledger_builder``): every mapping checked against ACLED's codebook and the
PLOVER manual, filters equal to those of ``events``, spreadsheet formulas neutralised, and files
written whole or not at all."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from ledger_builder import build
from typer.testing import CliRunner, Result

from trucewatch import export
from trucewatch.cli import app
from trucewatch.formats import acled, plover
from trucewatch.formats.cells import FORMULA_STARTS, neutralise, unneutralise
from trucewatch.models import EVENT_TYPES, MODES, Entity, Event
from trucewatch.store import Store


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("formats") / "ledger.db")


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


def exported(ledger: Path, fmt: str, *options: str) -> Result:
    result = run("export", "--format", fmt, "--db", str(ledger), *options)
    assert result.exit_code == 0, result.output
    return result


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def merged_ids(ledger: Path, where: str = "1") -> dict[str, int]:
    """Merged event ids by the id of the one report that founded them (each has its own here)."""
    with sqlite3.connect(ledger) as conn:
        return {doc: merged for doc, merged in conn.execute(
            f"SELECT min(doc_id), merged_id FROM merged_mentions GROUP BY merged_id HAVING {where}")}


# ---- ACLED ------------------------------------------------------------------------------------------


def test_export_acled_csv_columns_and_codebook_values(ledger: Path) -> None:
    result = exported(ledger, "acled-csv")
    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    assert tuple(reader.fieldnames or ()) == acled.COLUMNS
    required = {"event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1",
                "actor2", "interaction", "country", "admin1", "admin2", "location", "latitude", "longitude",
                "geo_precision", "source", "notes", "fatalities"}
    assert required <= set(acled.COLUMNS)
    for row in rows:
        assert row["sub_event_type"] in acled.SUB_EVENT_TYPES[row["event_type"]]
        assert row["time_precision"] in ("1", "2", "3")
        assert row["geo_precision"] in ("", "1", "2", "3")
        for inter in ("inter1", "inter2"):
            assert row[inter] == "" or int(row[inter]) in acled.ACTOR_TYPES
        assert row["year"] == row["event_date"][:4]
        assert row["fatalities"].isdigit()
    # Eight merged events, two without a date to the month (a year; none): they have no row, and say so.
    assert len(rows) == 6
    assert "left out 2 events with no date to the month" in result.stderr


def test_export_acled_csv_maps_each_event(ledger: Path) -> None:
    rows = {r["event_id_cnty"]: r for r in rows_of(exported(ledger, "acled-csv").stdout)}
    ids = merged_ids(ledger)
    erbil = rows[f"IRQ{ids['r-erbil-1']}"]
    assert (erbil["event_date"], erbil["time_precision"], erbil["event_type"], erbil["sub_event_type"]) == (
        "2021-03-01", "1", "Explosions/Remote violence", "Shelling/artillery/missile attack")
    # An Iran-backed faction is a political militia (3); US forces in Iraq are external forces (8).
    assert (erbil["actor1"], erbil["inter1"], erbil["actor2"], erbil["inter2"], erbil["interaction"]) == (
        "Kataib Hezbollah", "3", "United States", "8", "38")
    assert (erbil["country"], erbil["admin1"], erbil["location"], erbil["geo_precision"]) == ("Iraq", "Erbil", "Erbil",
                                                                                              "1")
    assert (float(erbil["latitude"]), float(erbil["longitude"])) == (36.19, 44.01)
    assert (erbil["fatalities"], erbil["source"]) == ("1", "Wire One; Wire Two")  # two reports, one event
    strike = rows[f"IRQ{ids['r-strike']}"]
    assert (strike["event_type"], strike["sub_event_type"], strike["inter1"]) == (
        "Explosions/Remote violence", "Air/drone strike", "8")
    truce = rows[f"IRQ{ids['r-truce']}"]
    # Known only by its month: the middle of the month, time precision 3, as ACLED codes it.
    assert (truce["event_date"], truce["time_precision"], truce["event_type"], truce["sub_event_type"]) == (
        "2021-04-15", "3", "Strategic developments", "Agreement")
    assert rows[f"IRQ{ids['r-end']}"]["sub_event_type"] == "Change to group/activity"
    assert rows[f"IRQ{ids['r-withdraw']}"]["sub_event_type"] == "Change to group/activity"
    hostile = rows[f"IRQ{ids['r-hostile']}"]
    assert (hostile["event_type"], hostile["sub_event_type"]) == ("Battles", "Armed clash")
    assert not {f"IRQ{ids['r-threat']}", f"IRQ{ids['r-demand']}"} & set(rows)  # a year; no date


@pytest.mark.parametrize("event_type", ["attack", "strike"])
@pytest.mark.parametrize("mode", [*MODES, None])
def test_export_acled_every_use_of_force_maps_into_the_codebook(event_type: str, mode: str | None) -> None:
    found = acled.acled_type(Event(type=event_type, mode=mode))
    assert found[1] in acled.SUB_EVENT_TYPES[found[0]]
    assert event_type in acled.ledger_types(*found)  # compare can match what export wrote


@pytest.mark.parametrize("event_type", [t for t in EVENT_TYPES if t not in ("attack", "strike")])
def test_export_acled_other_types_are_strategic_developments(event_type: str) -> None:
    found = acled.acled_type(Event(type=event_type))
    assert found[0] == "Strategic developments" and found[1] in acled.SUB_EVENT_TYPES[found[0]]
    assert event_type in acled.ledger_types(*found)


def test_export_acled_gunfire_on_civilians_is_violence_against_civilians() -> None:
    assert acled.acled_type(Event(type="attack", mode="gunfire", target="civilians")) == (
        "Violence against civilians", "Attack")
    assert acled.acled_type(Event(type="attack", mode="drone", target="civilians"))[0] == "Explosions/Remote violence"


@pytest.mark.parametrize(("inter1", "inter2", "code"), [(1, 7, 17), (7, 1, 17), (2, None, 20), (None, 3, None)])
def test_export_acled_interaction_codes(inter1: int | None, inter2: int | None, code: int | None) -> None:
    assert acled.interaction(inter1, inter2) == code


def _world_place(name: str, country: str) -> Entity:
    from trucewatch.resolve.names import Gazetteer

    found = Gazetteer.load().world.city(name, country, strict=True)
    assert found is not None and found.id.startswith("place-"), name
    return found


@pytest.mark.parametrize(("location", "expected"), [
    # a GeoNames town the reports resolved to: its first- and second-level regions as GeoNames names them
    ("Abu Ghurayb", ("Mayorality of Baghdad", "Abu Ghraib District")),
    ("Aden", ("Aden", "Craiter")),
    # a gazetteer town: its own province; GeoNames' second-level region of the town of that name nearby
    ("Hodeidah", ("Muhafazat al Hudaydah", "Al Hawak")),
    ("Erbil", ("Erbil", None)),  # GeoNames names no second-level region for Erbil: empty, not guessed
    ("Sanaa", ("Sanaa", None)),  # no province in the gazetteer: GeoNames' first-level region
    ("Jurf al-Sakhar", ("Babil", None)),  # no coordinates: no GeoNames town can be told to be the same
    ("Anbar", ("Anbar", None)),  # a province is its own admin1
    ("Iraq", (None, None)),
    ("Kataib Hezbollah", (None, None)),  # not a place
])
def test_export_acled_admin_regions_from_the_place_gazetteer(location: str, expected: tuple[str | None, ...]) -> None:
    from trucewatch.formats.lookup import Lookup

    world = {"Abu Ghurayb": _world_place("Abu Ghurayb", "Iraq"), "Aden": _world_place("Aden", "Yemen")}
    assert Lookup(world).admin_regions(location) == expected


def test_export_acled_admin2_not_taken_from_a_namesake_far_away() -> None:
    from trucewatch.formats.lookup import Lookup

    aden = _world_place("Aden", "Yemen")
    elsewhere = Entity(id="user-aden", name="Aden", type="city", country="Yemen", province="Hadramawt",
                       lat=15.9, lon=48.8)  # a place of that name 500 km from the city of Aden
    assert Lookup({"Aden": elsewhere}).admin_regions("Aden") == ("Hadramawt", None)
    assert Lookup({"Aden": aden}).admin_regions("Aden")[1] == "Craiter"


def test_export_acled_row_has_admin1_and_admin2() -> None:
    from trucewatch.formats.lookup import Lookup
    from trucewatch.merge.records import MergedEvent

    place = _world_place("Abu Ghurayb", "Iraq")
    merged = MergedEvent(9, Event(type="attack", mode="rocket", actor="Kataib Hezbollah", target="United States",
                                  location="Abu Ghurayb", country="Iraq", date="2021-03-01", lat=place.lat,
                                  lon=place.lon, evidence="Rockets hit Abu Ghraib."), 1, 1)
    row = acled.to_row(merged, Lookup({"Abu Ghurayb": place}))
    assert row is not None
    assert (row["admin1"], row["admin2"], row["location"], row["geo_precision"]) == (
        "Mayorality of Baghdad", "Abu Ghraib District", "Abu Ghurayb", 1)


# ---- PLOVER -----------------------------------------------------------------------------------------

SPEC_FIELDS = {"id", "has_event", "date", "time", "enddate", "endtime", "actor", "recipient", "event", "event_loc",
               "event_text", "quad_code", "event_scale", "mode", "context", "link", "text", "text_info", "cite_info",
               "coder", "coded_date", "coded_time", "comment", "size"}


def test_export_plover_records_use_the_manuals_fields(ledger: Path) -> None:
    result = exported(ledger, "plover-json")
    records = {r["id"]: r for r in map(json.loads, result.stdout.splitlines())}
    ids = merged_ids(ledger)
    assert "left out 1 events with no date" in result.stderr  # the undated demand
    for r in records.values():
        assert set(r) <= SPEC_FIELDS
        assert {"id", "date", "actor", "event"} <= set(r)  # the manual's required fields
        assert all(set(a) == {"entity_name", "country_name", "sector_code"} for a in r["actor"] + r["recipient"])
    erbil = records[f"trucewatch-{ids['r-erbil-1']}"]
    assert (erbil["date"], erbil["event"], erbil["mode"], erbil["quad_code"]) == (
        "2021-03-01", ["ASSAULT"], ["heavy-weapons"], 4)
    assert erbil["actor"] == [{"entity_name": "Kataib Hezbollah", "country_name": "Iraq", "sector_code": "PRM"}]
    assert erbil["recipient"][0]["entity_name"] == "United States"
    assert erbil["size"] == {"dead": 1, "injured": 3}  # the merged toll (the reports say 2 and 3)
    assert erbil["event_loc"]["country_code"] == "IRQ" and erbil["event_loc"]["lat"] == 36.19
    assert {c["publication"] for c in erbil["cite_info"]} == {"Wire One", "Wire Two"}
    assert len(erbil["event_text"]) == 2
    strike = records[f"trucewatch-{ids['r-strike']}"]
    assert (strike["event"], strike["mode"], strike["context"]) == (["ASSAULT"], ["aerial"], ["military"])
    truce = records[f"trucewatch-{ids['r-truce']}"]  # "Kataib Hezbollah declared a truce": one side alone
    assert (truce["event"], truce["mode"], truce["date"], truce["enddate"], truce["quad_code"], truce["comment"]) == (
        ["CONCEDE"], [], "2021-04-01", "2021-04-30", 1, "ceasefire declared")
    threat = records[f"trucewatch-{ids['r-threat']}"]
    assert (threat["event"], threat["mode"], threat["date"], threat["enddate"]) == (
        ["THREATEN"], ["violence"], "2021-01-01", "2021-12-31")
    assert records[f"trucewatch-{ids['r-end']}"]["event"] == ["REJECT"]
    withdrawal = records[f"trucewatch-{ids['r-withdraw']}"]
    assert (withdrawal["event"], withdrawal["mode"], withdrawal["quad_code"]) == (["RETREAT"], ["withdraw"], 2)


def test_export_plover_deployment_and_harmless_raid() -> None:
    from trucewatch.merge.records import MergedEvent

    deploy = MergedEvent(1, Event(type="troop_change", evidence="The Pentagon sent 1,500 more troops to the region."),
                         1, 1)
    assert plover.plover_event(deploy) == ("MOBILIZE", "troops")
    raid = MergedEvent(2, Event(type="strike", mode="raid", evidence="Troops raided a house."), 1, 1)
    assert plover.plover_event(raid) == ("COERCE", "seize")
    deadly = MergedEvent(3, Event(type="strike", mode="raid", killed=2, evidence="A raid killed two."), 1, 1)
    assert plover.plover_event(deadly)[0] == "ASSAULT"


@pytest.mark.parametrize(("type_", "evidence", "coded", "quad"), [
    # a ceasefire by what its report says of it (PLOVER manual: AGREE, CONCEDE, RETREAT "ceasefire")
    ("ceasefire", "The two sides signed a ceasefire agreement in Cairo on Monday.", ("AGREE", None), 1),
    ("ceasefire", "Hamas said it was ready to accept a truce if the shelling stopped.", ("AGREE", None), 1),
    ("ceasefire", "The warring parties agreed to extend the truce by two months.", ("AGREE", None), 1),
    ("ceasefire", "The group declared a unilateral ceasefire on Sunday.", ("CONCEDE", None), 1),
    ("ceasefire", "Kataib Hezbollah announced a suspension of attacks on US forces.", ("CONCEDE", None), 1),
    ("ceasefire", "The truce took effect at midnight.", ("RETREAT", "ceasefire"), 2),
    ("ceasefire", "The ceasefire largely held over the weekend, residents said.", ("RETREAT", "ceasefire"), 2),
    ("ceasefire_end", "The group said its truce with US forces was over.", ("REJECT", "yield"), 3),
    # a demand is REQUEST (the manual's name since 2021; its drafts said DEMAND), its mode what it asks for
    ("demand", "The militia demanded that US troops withdraw from Iraq.", ("REQUEST", "yield"), 3),
    ("demand", "The militia demanded an immediate ceasefire.", ("REQUEST", "yield"), 3),
    ("demand", "The rebels demanded direct talks with the government.", ("REQUEST", "meet"), 3),
    ("demand", "Protesters demanded the resignation of the governor.", ("REQUEST", "change"), 3),
    ("demand", "The group demanded compensation for the victims.", ("REQUEST", None), 3),
    ("threat", "The group threatened to strike US bases.", ("THREATEN", "violence"), 3),
])
def test_export_plover_ceasefires_and_demands_follow_the_manual(type_: str, evidence: str,
                                                                 coded: tuple[str, str | None], quad: int) -> None:
    from trucewatch.formats.lookup import Lookup
    from trucewatch.merge.records import MergedEvent

    merged = MergedEvent(7, Event(type=type_, evidence=evidence, date="2024-02-01"), 1, 1)
    assert plover.plover_event(merged) == coded
    record = plover.to_record(merged, Lookup({}))
    assert record is not None
    assert (record["event"], record["mode"], record["quad_code"]) == ([coded[0]], [coded[1]] if coded[1] else [], quad)
    if type_ == "ceasefire":
        assert record["comment"].startswith("ceasefire "), "AGREE and CONCEDE have no mode: the comment says ceasefire"
    assert set(plover.QUAD_CODES) >= {e for e, _ in (*plover.CEASEFIRE_STAGES.values(), *plover.EVENTS.values())}


# ---- GeoJSON ----------------------------------------------------------------------------------------


def test_export_geojson_features_of_located_events(ledger: Path) -> None:
    result = exported(ledger, "geojson")
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection"
    ids = merged_ids(ledger)
    features = {f["id"]: f for f in collection["features"]}
    assert set(features) == {ids["r-erbil-1"], ids["r-hostile"]}  # the only events with coordinates
    erbil = features[ids["r-erbil-1"]]
    assert erbil["geometry"] == {"type": "Point", "coordinates": [44.01, 36.19]}  # longitude first (RFC 7946)
    assert (erbil["properties"]["type"], erbil["properties"]["reports"]) == ("attack", 2)
    assert "left out 6 events with no coordinates" in result.stderr


# ---- the ledger's CSVs, and formulas --------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "mentions-csv", "acled-csv"])
def test_export_csv_cells_never_start_a_formula(ledger: Path, fmt: str) -> None:
    text = exported(ledger, fmt).stdout
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS) and not _number(c)]
    # The hostile report's values are there, behind an apostrophe.
    assert "'@evil" in cells and "'-2+3" in cells
    if fmt != "csv":
        assert any(c.startswith("'=cmd") for c in cells)


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("value", ["=1+1", "+1", "-x", "@SUM(A1)", "\tx", "plain", "a=b"])
def test_export_neutralise_round_trip(value: str) -> None:
    cell = neutralise(value)
    assert not cell.startswith(FORMULA_STARTS)
    assert unneutralise(cell) == value
    assert neutralise(-3.5) == -3.5  # a number stays a number


# ---- filters ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "mentions-csv", "mentions-jsonl", "acled-csv", "plover-json",
                                 "geojson", "gold-jsonl"])
def test_export_filters_are_those_of_events(ledger: Path, fmt: str) -> None:
    """Every format keeps exactly the events `events` lists with the same filters."""
    listed = json.loads(run("events", "--db", str(ledger), "--type", "attack", "--since", "2021-03", "--until",
                            "2021-04", "--json").stdout)
    assert [e["id"] for e in listed] == [merged_ids(ledger)["r-erbil-1"]]
    text = exported(ledger, fmt, "--type", "attack", "--since", "2021-03", "--until", "2021-04").stdout
    if fmt == "geojson":
        ids = [f["id"] for f in json.loads(text)["features"]]
    elif fmt in ("jsonl", "plover-json"):
        ids = [json.loads(line)["id"] for line in text.splitlines()]
        ids = [int(str(i).removeprefix("trucewatch-")) for i in ids]
    elif fmt == "csv":
        ids = [int(r["id"]) for r in rows_of(text)]
    elif fmt == "acled-csv":
        ids = [int(r["event_id_cnty"].removeprefix("IRQ")) for r in rows_of(text)]
    elif fmt == "gold-jsonl":
        docs = [json.loads(line) for line in text.splitlines()]
        assert sorted(d["id"] for d in docs) == ["r-erbil-1", "r-erbil-2"]
        assert all(len(d["events"]) == 1 for d in docs)
        return
    else:  # per-report events: both reports of the one event
        rows = rows_of(text) if fmt == "mentions-csv" else [json.loads(line) for line in text.splitlines()]
        assert sorted(r["doc_id"] for r in rows) == ["r-erbil-1", "r-erbil-2"]
        ids = sorted({int(r["event_id"]) for r in rows})
    assert ids == [e["id"] for e in listed]


def test_export_actor_and_text_filters(ledger: Path) -> None:
    ids = merged_ids(ledger)
    by_actor = rows_of(exported(ledger, "csv", "--actor", "united states", "--type", "strike").stdout)
    assert [int(r["id"]) for r in by_actor] == [ids["r-strike"]]
    by_text = rows_of(exported(ledger, "csv", "--text", "depot").stdout)
    assert [int(r["id"]) for r in by_text] == [ids["r-strike"]]


@pytest.mark.parametrize(("options", "needle"), [
    (("--format", "mentions-csv", "--contested"), "--contested keeps merged events"),
    (("--format", "csv", "--since", "2021-13"), "no month 13"),
    (("--format", "truces-json", "--type", "attack"), "cannot select truce records"),
    (("--format", "csv", "--as-of", "2021-06-01"), "--as-of dates truce records"),
    (("--format", "csv", "--type", "bombing"), "unknown event type 'bombing'"),
])
def test_export_filter_misuse_is_a_one_line_error(ledger: Path, options: tuple[str, ...], needle: str) -> None:
    result = run("export", "--db", str(ledger), *options)
    assert result.exit_code == 2
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and needle in lines[0], result.stderr


def test_export_truces_json_as_of_and_actor(ledger: Path) -> None:
    now = json.loads(exported(ledger, "truces-json").stdout)
    then = json.loads(exported(ledger, "truces-json", "--as-of", "2021-06-01").stdout)
    assert [(t["id"], t["ended"]) for t in now] == [("2021-04-kh-us", "2021-10-03")]
    assert [(t["id"], t["ended"]) for t in then] == [("2021-04-kh-us", None)]
    assert json.loads(exported(ledger, "truces-json", "--actor", "houthis").stdout) == []


# ---- writing files ----------------------------------------------------------------------------------


def test_export_to_a_file_is_atomic(ledger: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "events.csv"
    out.write_text("the previous export\n", encoding="utf-8")
    written = exported(ledger, "csv", "-o", str(out))
    assert "wrote 8 records" in written.stderr
    assert out.read_text(encoding="utf-8").startswith("id,date,type")

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    before = out.read_bytes()
    monkeypatch.setattr(export, "csv_row", broken)
    with Store(ledger) as store, pytest.raises(OSError, match="No space"):
        export.export_file(store, "csv", out)
    assert out.read_bytes() == before  # the old file, whole
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]  # no temporary file left behind
    result = run("export", "--format", "csv", "-o", str(out), "--db", str(ledger))
    assert result.exit_code == 2 and "No space left on device" in result.stderr
    assert out.read_bytes() == before
