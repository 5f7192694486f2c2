"""Ledger end to end: the ten reports of ``resources/truce_stream`` replayed in order through the real
pipeline, then the truce records checked against the analyst's records in ``EXPECTED.md``.

Each test names the report and sentence it rests on, so that a regression says which reading broke.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trucewatch.ledger import Truce, build_truces
from trucewatch.pipeline import ingest
from trucewatch.store import Store

STREAM = Path(__file__).resolve().parent / "resources" / "truce_stream"
FACTIONS = "Coordination Committee of the Iraqi Resistance"
US = "United States"

XFAIL = "learned extractor: the stream's truce records need readings it does not yet make (README, Known gaps)"


@pytest.fixture(scope="module")
def ledger() -> tuple[list[Truce], dict[str, str]]:
    """The truces of the stream, and each report's file number ("01".."10") by document id."""
    with Store(":memory:") as store:
        for path in sorted(STREAM.glob("*.txt")):
            stats = ingest([path], store)
            assert stats.failed == 0, [str(r) for r in stats.rejections]
        names = {d.id: Path(d.source_path or "").name[:2] for d in store.documents()}
        return build_truces(store), names


@pytest.fixture(scope="module")
def first(ledger: tuple[list[Truce], dict[str, str]]) -> Truce:
    return ledger[0][0]


@pytest.fixture(scope="module")
def second(ledger: tuple[list[Truce], dict[str, str]]) -> Truce:
    return ledger[0][1]


def files(refs: list, names: dict[str, str]) -> list[str]:
    return [names[r.doc_id] for r in refs]


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_two_truces(ledger: tuple[list[Truce], dict[str, str]]) -> None:
    truces, _ = ledger
    assert len(truces) == 2, [t.id for t in truces]
    assert [t.start for t in truces] == ["2022-01-23", "2022-10-30"]


# ---- truce 1 (January 2022) ------------------------------------------------------------------------


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_first_truce_sides(first: Truce) -> None:
    assert first.parties[0] == "Kataib Hezbollah"  # it offered first
    assert FACTIONS in first.parties
    assert first.counterpart == [US]
    assert first.countries == ["Iraq"]
    assert first.id == "2022-01-15-kh-us"


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_first_truce_mediator(first: Truce) -> None:
    assert "Hadi al-Amiri" in first.mediators


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_first_truce_dates(first: Truce) -> None:
    assert (first.announced, first.agreed, first.effective) == ("2022-01-15", "2022-01-23", "2022-01-23")
    assert first.expires is None


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_later_mentions_attach_to_the_first_truce(
        first: Truce, ledger: tuple[list[Truce], dict[str, str]]) -> None:
    _, names = ledger
    assert {"01", "02", "03", "04", "05", "06", "07", "08", "09"} <= set(files(first.mentions, names))
    assert "10" not in files(first.mentions, names)


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_first_violation_disowned(first: Truce, ledger: tuple[list[Truce], dict[str, str]]) -> None:
    _, names = ledger
    v = first.violations[0]
    assert (v.date, v.type, v.mode, v.location, v.by) == ("2022-02-14", "attack", "rocket", "Ain al-Asad Air Base",
                                                          "unattributed")
    assert (v.killed, v.injured) == (0, 0)  # "no one was hurt", the sentence after
    assert files(v.evidence, names)[:2] == ["03", "04"]  # the news and the disavowal's mention: one attack
    (d,) = v.disavowals
    assert (d.by, d.date, names[d.evidence.doc_id]) == (FACTIONS, "2022-02-15", "04")
    assert {"a personal act", "outside the consensus"} <= set(d.words)


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_second_violation_at_erbil(first: Truce) -> None:
    erbil = [v for v in first.violations if v.date == "2022-04-08"]
    assert [(v.mode, v.location, v.injured) for v in erbil] == [("drone", "Erbil International Airport", 2)]


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_second_violation_claimed_by_an_outside_group(first: Truce) -> None:
    erbil = [v for v in first.violations if v.date == "2022-04-08"]
    assert [(v.actor, v.by) for v in erbil] == [("Saraya al-Fajr al-Jadid", "outside group")]


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_retaliation_on_an_outside_group_is_no_violation(first: Truce) -> None:
    assert [v.date for v in first.violations] == ["2022-02-14", "2022-04-08"]


def test_ledger_stream_first_truce_condition_met_by_the_timetable(
        first: Truce, ledger: tuple[list[Truce], dict[str, str]]) -> None:
    _, names = ledger
    timetable = [c for c in first.conditions if "timetable" in c.text]
    assert timetable and all(c.status == "met" for c in timetable)
    assert {names[c.met_by.doc_id] for c in timetable if c.met_by} == {"08"}


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_condition_met_on_the_day_it_was_presented(first: Truce) -> None:
    timetable = [c for c in first.conditions if "timetable" in c.text]
    assert [(c.met_on, c.binds) for c in timetable] == [("2022-08-16", "Iraqi government")]


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_first_truce_conditions(first: Truce) -> None:
    assert len(first.conditions) == 2
    timetable, process = first.conditions
    assert (timetable.binds, timetable.deadline, timetable.duration) == ("Iraqi government", "2023-01-23", "P12M")
    assert "timetable" in timetable.text and "process moves forward" in process.text


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_first_truce_declared_over(first: Truce, ledger: tuple[list[Truce], dict[str, str]]) -> None:
    _, names = ledger
    assert (first.ended, first.ended_how) == ("2022-10-01", "declared over")
    assert files(first.end_evidence, names) == ["09"]
    assert first.status == "ended (declared over)"


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_first_truce_history(first: Truce) -> None:
    assert [(h.date, h.status) for h in first.history] == [
        ("2022-01-15", "offered"), ("2022-01-23", "agreed"), ("2022-02-14", "violated"),
        ("2022-02-15", "disavowed"), ("2022-04-08", "violated"), ("2022-06-20", "holding"),
        ("2022-08-16", "condition met"), ("2022-10-01", "ended")]
    assert first.days_of_calm() == 176  # 8 April to 1 October, when it ended


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_first_truce_history_steps(first: Truce, ledger: tuple[list[Truce], dict[str, str]]) -> None:
    """The steps the extractor already gives, in order, each with its report."""
    _, names = ledger
    steps = [(h.date, h.status, files(h.evidence, names)) for h in first.history]
    expected = [("2022-01-15", "offered", ["01"]), ("2022-01-23", "agreed", ["02"]),
                ("2022-02-14", "violated", ["03"]), ("2022-02-15", "disavowed", ["04"]),
                ("2022-04-08", "violated", ["05"]), ("2022-06-20", "holding", ["07"]),
                ("2022-10-01", "ended", ["09"])]
    assert [s for s in steps if s in expected] == expected


# ---- truce 2 (October 2022) ------------------------------------------------------------------------


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_second_truce(second: Truce, ledger: tuple[list[Truce], dict[str, str]]) -> None:
    _, names = ledger
    assert (second.parties, second.counterpart, second.mediators) == ([FACTIONS], [US], [])
    assert (second.announced, second.agreed, second.expires) == ("2022-10-30", "2022-10-30", "2023-04-30")
    assert [(h.date, h.status) for h in second.history] == [("2022-10-30", "agreed")]
    assert second.violations == [] and second.ended is None
    assert second.status == "agreed" and second.days_of_calm() == 1
    assert files(second.mentions, names) == ["10"]
    assert second.id == "2022-10-30-ccir-us"


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_second_truce_conditions(second: Truce) -> None:
    assert [(c.binds, "drone" in c.text, "bill" in c.text) for c in second.conditions] == [
        ("United States", True, False), ("Iraqi government", False, True)]


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_stream_second_truce_scope(second: Truce) -> None:
    assert second.scope == "United States in Iraq"
