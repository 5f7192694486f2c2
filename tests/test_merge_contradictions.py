"""Contradictions among the reports of one event, merged values with their rule and provenance,
and the CLI views of them (``events``, ``events --contested``, ``event ID``, ``export --format jsonl``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trucewatch.cli import app
from trucewatch.merge.contradictions import find_contradictions
from trucewatch.merge.coref import Knowledge
from trucewatch.merge.records import MentionRecord
from trucewatch.merge.sync import Merger
from trucewatch.merge.values import RULES, merge_values
from trucewatch.models import Document, Event
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store

# Three reports of one rocket attack, written for this test, each with its own casualty count.
REPORTS = [
    ("tigris", "Tigris Wire", "2021-03-03",
     "Rockets slammed into Ain al-Asad Air Base in western Iraq on Wednesday morning, killing one "
     "contractor, Iraqi security officials said.", 1),
    ("levant", "Levant Ledger", "2021-03-04",
     "At least ten rockets hit the Ain al-Asad air base on Wednesday; the coalition said two contractors "
     "had died and that the launcher was found in a truck.", 2),
    ("zagros", "Zagros Herald", "2021-03-05",
     "The death toll from Wednesday's rocket barrage on Ain al-Asad rose to three, a coalition spokesman "
     "said on Friday, as investigators searched the desert for the launch site.", 3),
]


def rocket_report(doc_id: str, outlet: str, published: str, text: str, killed: int, **fields: object) -> Document:
    values: dict[str, object] = dict(type="attack", mode="rocket", target="US-led coalition",
                                      location="Ain al-Asad Air Base", country="Iraq", date="2021-03-03",
                                      killed=killed, evidence=text, doc_id=doc_id, sentence=0)
    values.update(fields)
    return Document(id=doc_id, text=text, title=text[:40], outlet=outlet, published=published,
                    events=[Event(**values)])  # type: ignore[arg-type]


def ingest(store: Store, docs: list[Document]) -> None:
    merger = Merger(store)
    for doc in docs:
        store.save_document(doc)
        assert merger.sync() == []


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(":memory:") as s:
        yield s


def test_merge_contradictions_three_reports_with_three_tolls_are_one_event_with_one_contradiction(
        store: Store) -> None:
    ingest(store, [rocket_report(*r) for r in REPORTS])
    [summary] = store.merged_events()
    event = store.merged_event(summary.id)
    assert event is not None
    assert (event.reports, event.sources) == (3, 3)
    [contradiction] = event.contradictions
    assert contradiction.attribute == "killed"
    assert [(v.value, v.doc_ids) for v in contradiction.values] == [(1, ("tigris",)), (2, ("levant",)),
                                                                   (3, ("zagros",))]
    # the latest report gives the toll, and the provenance says which mention and by which rule
    assert event.event.killed == 3
    giver = next(m for m in event.mentions if m.event_id == event.provenance["killed"].event_id)
    assert giver.event.doc_id == "zagros"
    assert event.provenance["killed"].rule == RULES["killed"]
    assert store.merged_events(contested=True) == [summary]


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return Knowledge(Gazetteer.load())


def mentions(*variants: dict[str, object]) -> list[MentionRecord]:
    out = []
    for i, fields in enumerate(variants):
        values: dict[str, object] = dict(type="attack", mode="rocket", target="United States", evidence=f"s{i}",
                                          doc_id=f"d{i}", date_source="stated")
        published = str(fields.pop("published", f"2021-03-0{i + 4}"))
        values.update(fields)
        out.append(MentionRecord(event_id=i + 1, event=Event(**values), published=published,  # type: ignore[arg-type]
                                 source=f"d{i}"))
    return out


@pytest.mark.parametrize(
    ("variants", "contested"),
    [
        # a coarser date is no contradiction; another day is
        (({"date": "2021-02"}, {"date": "2021-02-15"}), []),
        (({"date": "2021-06-27"}, {"date": "2021-06-28"}), ["date"]),
        # a date the extractor only inferred from the publication date is nobody's statement
        (({"date": "2021-06-27"}, {"date": "2021-07", "date_source": "inferred"}), []),
        # a place inside another is no contradiction; a town and a base across the border are
        (({"location": "Baghdad"}, {"location": "Baghdad International Airport"}), []),
        (({"location": "Zummar"}, {"location": "Rumaylan"}), ["location"]),
        # a member and its umbrella agree; an unknown perpetrator contradicts no one
        (({"actor": "Kataib Hezbollah"}, {"actor": "Islamic Resistance in Iraq"}, {}), []),
        (({"actor": "Kataib Hezbollah"}, {"actor": "Islamic State"}), ["actor"]),
        # figures: no figure is not zero
        (({"killed": 0}, {"killed": None}), []),
        (({"killed": 1, "injured": 5}, {"killed": 1, "injured": 9}), ["injured"]),
    ],
)
def test_merge_contradictions_only_values_that_cannot_both_be_true(
        knowledge: Knowledge, variants: tuple[dict[str, object], ...], contested: list[str]) -> None:
    found = find_contradictions(mentions(*[dict(v) for v in variants]), knowledge)
    assert [c.attribute for c in found] == contested


def test_merge_contradictions_copies_count_once_for_a_value(knowledge: Knowledge) -> None:
    ms = mentions({"killed": 2}, {"killed": 2}, {"killed": 3})
    ms[1].source = "d0"  # d1 is a copy of d0
    [c] = find_contradictions(ms, knowledge)
    assert [(v.value, v.sources, v.doc_ids) for v in c.values] == [(2, 1, ("d0", "d1")), (3, 1, ("d2",))]


@pytest.mark.parametrize(
    ("variants", "attribute", "expected", "rule_word"),
    [
        # the most specific place and date
        (({"location": "Baghdad"}, {"location": "Baghdad International Airport"}), "location",
         "Baghdad International Airport", "specific"),
        (({"location": "Baghdad"}, {"location": "Mashtal"}), "location", "Mashtal", "specific"),  # a district
        (({"date": "2021-03"}, {"date": "2021-03-03"}), "date", "2021-03-03", "specific"),
        # a named perpetrator over an unknown one, then the one more independent sources give
        (({}, {"actor": "Kataib Hezbollah"}), "actor", "Kataib Hezbollah", "sources"),
        (({"actor": "Islamic State"}, {"actor": "Kataib Hezbollah"}, {"actor": "Kataib Hezbollah"}), "actor",
         "Kataib Hezbollah", "sources"),
        # one source each: the member group over its umbrella
        (({"actor": "Islamic Resistance in Iraq"}, {"actor": "Kataib Hezbollah"}), "actor", "Kataib Hezbollah",
         "specific"),
        # casualties: the latest news report, not a retelling as background
        (({"killed": 3}, {"killed": 2, "background": True}), "killed", 3, "latest"),
        (({"killed": 3, "published": "2021-03-04"}, {"killed": 5, "published": "2021-03-04"},
          {"killed": 5, "published": "2021-03-04"}), "killed", 5, "latest"),
        # mode: 'unknown' only when no report gives one
        (({"mode": "unknown"}, {"mode": "rocket"}), "mode", "rocket", "mode"),
    ],
)
def test_merge_contradictions_merged_values_follow_their_rule(
        knowledge: Knowledge, variants: tuple[dict[str, object], ...], attribute: str, expected: object,
        rule_word: str) -> None:
    values, provenance = merge_values(mentions(*[dict(v) for v in variants]), knowledge)
    assert getattr(values, attribute) == expected
    assert rule_word in provenance[attribute].rule


# ---- the CLI on a contested event -------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    with Store(path) as s:
        ingest(s, [rocket_report(*r) for r in REPORTS])
        ingest(s, [rocket_report("other", "Gulf Morning Post", "2021-06-28", "Drones struck Erbil on Saturday.", 0,
                                 mode="drone", location="Erbil", date="2021-06-26")])
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_merge_contradictions_cli_lists_merged_events_with_their_sources(db: Path) -> None:
    out = run("events", "--db", str(db))
    assert "2 merged events" in out
    row = next(line for line in out.splitlines() if "2021-03-03" in line)
    cells = [c.strip() for c in row.strip("│").split("│")]
    assert cells[-3:] == ["3", "3", "killed"]  # sources, reports, contested attributes
    contested = run("events", "--contested", "--db", str(db))
    assert "1 contested merged events" in contested and "2021-06-26" not in contested
    # each report's own events on request
    assert "4 events" in run("events", "--per-report", "--db", str(db))


def test_merge_contradictions_cli_event_card_and_merged_export(db: Path, tmp_path: Path) -> None:
    with Store(db) as s:
        [event] = s.merged_events(contested=True)
    card = run("event", str(event.id), "--db", str(db))
    for needle in ("3 independent sources, 3 reports", "contradictions", "Tigris Wire", "Zagros Herald", "killed"):
        assert needle in card
    out = tmp_path / "merged.jsonl"
    run("export", "--format", "jsonl", "-o", str(out), "--db", str(db))
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 2
    contested = next(r for r in rows if r["id"] == event.id)
    assert contested["sources"] == 3 and len(contested["mentions"]) == 3
    assert contested["contradictions"][0]["attribute"] == "killed"
    assert {m["outlet"] for m in contested["mentions"]} == {"Tigris Wire", "Levant Ledger", "Zagros Herald"}


def test_merge_contradictions_cli_unknown_event_is_a_one_line_error(db: Path) -> None:
    result = CliRunner().invoke(app, ["event", "9999", "--db", str(db)], env={"COLUMNS": "80"})
    assert result.exit_code == 2
    assert [line for line in result.stderr.splitlines() if line.strip()] == [
        "error: no merged event with id 9999; list them with `trucewatch events`"]
