"""``trucewatch import`` of an ACLED extract and ``trucewatch compare``: the round trip (export as
ACLED, import, compare: no event lost), what each side lacks on an extract written for the test,
one-to-one matching, and extracts refused whole with every bad row named."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from ledger_builder import build
from typer.testing import CliRunner, Result

from trucewatch.cli import app
from trucewatch.formats.acled import COLUMNS


def run(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.fixture
def ledger(tmp_path: Path) -> Path:
    return build(tmp_path / "ledger.db")


def compared(ledger: Path, *options: str) -> dict[str, object]:
    result = run("compare", "--db", str(ledger), "--json", *options)
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def write_extract(path: Path, rows: list[dict[str, object]], columns: tuple[str, ...] = COLUMNS) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
    return path


def test_acled_round_trip_loses_no_event(ledger: Path, tmp_path: Path) -> None:
    extract = tmp_path / "acled.csv"
    assert run("export", "--format", "acled-csv", "-o", str(extract), "--db", str(ledger)).exit_code == 0
    imported = run("import", "--format", "acled-csv", str(extract), "--db", str(ledger))
    assert imported.exit_code == 0, imported.output
    assert "imported 6 ACLED rows as reference set 'acled'" in imported.stdout

    data = compared(ledger)
    assert data["counts"] == {"matched": 6, "ledger_only": 0, "acled_only": 0, "ledger_not_compared": 2,
                              "acled_not_compared": 0}
    assert data["ledger_not_compared"] == {"dated by a year or not at all": 2}  # ACLED has no row for them
    exported_ids = {row["event_id_cnty"] for row in csv.DictReader(extract.open(encoding="utf-8"))}
    matched = data["matched"]
    assert isinstance(matched, list)
    assert {m["event_id_cnty"] for m in matched} == exported_ids
    assert all(m["event_id_cnty"].endswith(str(m["event_id"])) for m in matched)  # each row found its own event


def test_acled_reference_rows_are_not_events(ledger: Path, tmp_path: Path) -> None:
    extract = tmp_path / "acled.csv"
    run("export", "--format", "acled-csv", "-o", str(extract), "--db", str(ledger))
    with sqlite3.connect(ledger) as conn:
        before = conn.execute("SELECT count(*) FROM events").fetchone()[0], conn.execute(
            "SELECT count(*) FROM merged_events").fetchone()[0]
    run("import", str(extract), "--db", str(ledger))
    run("import", str(extract), "--db", str(ledger))  # again: the set is replaced, not doubled
    with sqlite3.connect(ledger) as conn:
        after = conn.execute("SELECT count(*) FROM events").fetchone()[0], conn.execute(
            "SELECT count(*) FROM merged_events").fetchone()[0]
        sets = conn.execute("SELECT name, format, rows FROM reference_sets").fetchall()
        rows = conn.execute("SELECT count(*) FROM acled_events").fetchone()[0]
    assert after == before
    assert sets == [("acled", "acled-csv", 6)] and rows == 6


EXTRACT = [
    # The Erbil attack, coded by ACLED a day late, at the airport's coordinates and under its own names.
    dict(event_id_cnty="IRQ9001", event_date="02 March 2021", year=2021, time_precision=1,
         event_type="Explosions/Remote violence", sub_event_type="Shelling/artillery/missile attack",
         actor1="Islamic Resistance in Iraq", actor2="Military Forces of the United States (2021-)", country="Iraq",
         admin1="Erbil", location="Erbil Airport", latitude=36.24, longitude=43.96, geo_precision=1, fatalities=1),
    # A second row for the same attack: only one of the two can be it.
    dict(event_id_cnty="IRQ9002", event_date="2021-03-01", time_precision=1, event_type="Explosions/Remote violence",
         sub_event_type="Shelling/artillery/missile attack", country="Iraq", admin1="Erbil", location="Erbil",
         latitude=36.19, longitude=44.01, geo_precision=1, fatalities=0),
    # A clash in Basra the ledger never heard of.
    dict(event_id_cnty="IRQ9003", event_date="2021-03-10", time_precision=1, event_type="Battles",
         sub_event_type="Armed clash", country="Iraq", admin1="Basra", location="Basra", latitude=30.51,
         longitude=47.78, geo_precision=1, fatalities=3),
    # A protest: a kind of event the ledger does not record.
    dict(event_id_cnty="IRQ9004", event_date="2021-03-12", time_precision=1, event_type="Protests",
         sub_event_type="Peaceful protest", country="Iraq", location="Baghdad", fatalities=0),
    # The truce, known to ACLED by its month.
    dict(event_id_cnty="IRQ9005", event_date="2021-04-15", time_precision=3, event_type="Strategic developments",
         sub_event_type="Agreement", country="Iraq", location="Baghdad", fatalities=0),
    # Out of the ledger's reach: Syria is not a country of its events.
    dict(event_id_cnty="SYR9006", event_date="2021-03-05", time_precision=1, event_type="Explosions/Remote violence",
         sub_event_type="Air/drone strike", country="Syria", location="Abu Kamal", fatalities=0),
]


def test_acled_compare_shows_what_each_side_lacks(ledger: Path, tmp_path: Path) -> None:
    extract = write_extract(tmp_path / "iraq-2021.csv", EXTRACT)
    assert run("import", str(extract), "--db", str(ledger)).exit_code == 0
    data = compared(ledger)
    with sqlite3.connect(ledger) as conn:
        erbil, strike, truce = (
            conn.execute("SELECT merged_id FROM merged_mentions WHERE doc_id = ?", (d,)).fetchone()[0]
            for d in ("r-erbil-1", "r-strike", "r-truce"))
    matched = {m["event_id_cnty"]: m["event_id"] for m in data["matched"]}  # type: ignore[union-attr]
    # The row named alike and nearer in toll wins the Erbil attack; the truce matches within its month.
    assert matched == {"IRQ9002": erbil, "IRQ9005": truce}
    acled_only = {r["event_id_cnty"] for r in data["acled_only"]}  # type: ignore[union-attr]
    assert acled_only == {"IRQ9001", "IRQ9003", "SYR9006"}
    ledger_only = {e["event_id"] for e in data["ledger_only"]}  # type: ignore[union-attr]
    assert strike in ledger_only  # Abu Kamal is in Syria: not the Jurf al-Sakhar strike
    assert data["acled_not_compared"] == {"kinds the ledger does not record": 1}
    assert data["span"] == ["2021-03-01", "2021-04-30"] and data["countries"] == ["Iraq", "Syria"]
    # Outside the extract's span (March-April 2021, and a day either side): the truce's end in October
    # and the withdrawal in July are not counted as missing; the year-dated threat and the undated
    # demand cannot be compared at all.
    assert data["ledger_not_compared"] == {"outside the extract's dates": 2, "dated by a year or not at all": 2}


def test_acled_compare_date_tolerance(ledger: Path, tmp_path: Path) -> None:
    late = dict(EXTRACT[0], event_date="2021-03-04", location="Erbil", latitude=None, longitude=None)
    run("import", str(write_extract(tmp_path / "late.csv", [late])), "--db", str(ledger))
    assert compared(ledger)["counts"]["matched"] == 0  # type: ignore[index]
    assert compared(ledger, "--days", "3")["counts"]["matched"] == 1  # type: ignore[index]


def test_acled_compare_table(ledger: Path, tmp_path: Path) -> None:
    run("import", str(write_extract(tmp_path / "iraq-2021.csv", EXTRACT)), "--db", str(ledger))
    result = run("compare", "--db", str(ledger))
    assert result.exit_code == 0, result.output
    for words in ("in both (matched)", "only in the ledger", "only in ACLED", "IRQ9003", "Basra",
                  "kinds the ledger does not record"):
        assert words in result.stdout


@pytest.mark.parametrize(("rows", "columns", "needles"), [
    ([{"event_date": "2021-03-01", "event_type": "Battles"}], ("event_date", "country"),
     ("not an ACLED extract", "no event_type column")),
    ([dict(EXTRACT[2]), dict(EXTRACT[2], event_date="31 February 2021")], COLUMNS,
     (":3:", "event_date '31 February 2021' is not a date", "nothing was imported")),
    ([dict(EXTRACT[2], event_type="Skirmish")], COLUMNS, (":2:", "event_type 'Skirmish' is not one of ACLED's")),
    ([dict(EXTRACT[2], sub_event_type="Agreement")], COLUMNS, ("sub_event_type 'Agreement'", "'Battles'")),
    ([dict(EXTRACT[2], latitude=91)], COLUMNS, ("latitude 91 is out of range",)),
    ([dict(EXTRACT[2], time_precision=4)], COLUMNS, ("time_precision 4 is not ACLED's 1, 2 or 3",)),
    ([], COLUMNS, ("has a header but no rows",)),
])
def test_acled_import_refuses_a_bad_extract_whole(ledger: Path, tmp_path: Path, rows: list[dict[str, object]],
                                                  columns: tuple[str, ...], needles: tuple[str, ...]) -> None:
    extract = write_extract(tmp_path / "bad.csv", rows, columns)
    result = run("import", str(extract), "--db", str(ledger))
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert str(extract) in result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    with sqlite3.connect(ledger) as conn:
        assert conn.execute("SELECT count(*) FROM reference_sets").fetchone()[0] == 0


def test_acled_import_reads_upper_case_columns_and_old_dates(ledger: Path, tmp_path: Path) -> None:
    upper = tuple(c.upper() for c in COLUMNS)
    row = {k.upper(): v for k, v in dict(EXTRACT[1], event_date="1-March-2021", notes="'=not a formula").items()}
    extract = write_extract(tmp_path / "old.csv", [row], upper)
    assert run("import", str(extract), "--db", str(ledger), "--name", "old export").exit_code == 0
    with sqlite3.connect(ledger) as conn:
        assert conn.execute("SELECT set_name, event_date, notes FROM acled_events").fetchall() == [
            ("old export", "2021-03-01", "=not a formula")]  # the apostrophe of a neutralised cell is dropped
    assert compared(ledger)["counts"]["matched"] == 1  # type: ignore[index]


def test_acled_compare_needs_a_reference_set(ledger: Path, tmp_path: Path) -> None:
    result = run("compare", "--db", str(ledger))
    assert result.exit_code == 2 and "no reference set" in result.stderr and "trucewatch import" in result.stderr
    for name in ("a", "b"):
        run("import", str(write_extract(tmp_path / f"{name}.csv", EXTRACT[2:3])), "--db", str(ledger))
    result = run("compare", "--db", str(ledger))
    assert result.exit_code == 2 and "several reference sets (a, b)" in result.stderr
    assert run("compare", "--db", str(ledger), "--set", "b").exit_code == 0
    result = run("compare", "--db", str(ledger), "--set", "c")
    assert result.exit_code == 2 and "no reference set 'c'" in result.stderr
