"""Ledger on the annotated corpora: the truce records a careful analyst builds from
``../shared/corpus/seeds`` and ``dev`` (read together: one ledger), written as expectations.

Each record is looked up by where and when it was made (its countries and the month it was first
reported), not by its parties, so that a record whose sides the extractor got wrong is still found
and its test says exactly what is wrong. Skipped when ``../shared`` is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from trucewatch.ledger import ENDINGS, Truce, build_truces
from trucewatch.pipeline import ingest
from trucewatch.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPORA = [SHARED / "corpus" / name / "docs.jsonl" for name in ("seeds", "dev")]
FACTIONS = "Coordination Committee of the Iraqi Resistance"
MILITIAS = "Iran-backed Iraqi militias"
US = "United States"
GOV = "Iraqi government"

pytestmark = pytest.mark.skipif(
    not all(p.is_file() for p in CORPORA),
    reason=f"annotated corpora not found at {SHARED / 'corpus'} (../shared beside the repo)")

XFAIL = "learned extractor: the truce records of seeds+dev need truce parties, conditions and violations it does not yet read (README, Known gaps)"


@pytest.fixture(scope="module")
def truces() -> list[Truce]:
    with Store(":memory:") as store:
        stats = ingest(CORPORA, store)
        assert stats.failed == 0, [str(r) for r in stats.rejections]
        return build_truces(store)


def find(truces: list[Truce], country: str, month: str) -> Truce:
    """The one truce in ``country`` first reported (offered, agreed or announced) in ``month``."""
    found = [t for t in truces if country in t.countries and (t.announced or "").startswith(month)]
    assert len(found) == 1, [(t.id, t.countries, t.announced) for t in truces]
    return found[0]


def dates(t: Truce) -> list[str | None]:
    return [v.date for v in t.violations]


# ---- Iraq: Iran-backed militias and US forces ------------------------------------------------------


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_october_2020_conditional_truce(truces: list[Truce]) -> None:
    t = find(truces, "Iraq", "2020-10")
    assert {FACTIONS, MILITIAS} & set(t.parties)
    assert t.counterpart == [US]
    assert (t.announced, t.effective) == ("2020-10-11", "2020-10-11")
    timetable = [c for c in t.conditions if "timetable" in c.text and c.binds == GOV]
    assert timetable and all(c.deadline is None for c in timetable)  # "presenting no set deadline"
    assert (t.ended, t.ended_how) == ("2021-03-01", "declared over")
    assert {"s4", "d04", "d05", "d06", "s0", "s3"} <= {r.doc_id for r in t.mentions}


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_october_2020_violations_and_disavowal(truces: list[Truce]) -> None:
    t = find(truces, "Iraq", "2020-10")
    erbil = [v for v in t.violations if v.date == "2021-02-15"]
    assert [(v.location, v.killed) for v in erbil] == [("Erbil International Airport", 1)]
    assert {"d07", "d08", "d09", "s0"} <= {r.doc_id for r in erbil[0].evidence}  # one attack, four reports
    assert [(d.by, d.evidence.doc_id) for d in erbil[0].disavowals] == [("Kataib Hezbollah", "s0")]
    assert {"2020-11-18", "2020-12-20"} <= set(dates(t))
    assert "2020-10-11" not in dates(t)  # the roadside bomb of the day it was offered is not a violation


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_october_2020_violations_exactly(truces: list[Truce]) -> None:
    assert dates(find(truces, "Iraq", "2020-10")) == ["2020-11-18", "2020-12-20", "2021-02-15"]


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_march_2021_de_escalation_deal(truces: list[Truce]) -> None:
    t = find(truces, "Iraq", "2021-03")
    assert FACTIONS in t.parties and t.counterpart == [US]
    assert t.agreed == "2021-03"
    demand = [c for c in t.conditions if "withdrawal" in c.text and c.binds == GOV]
    assert [c.deadline for c in demand] == ["2022-03"]  # within 12 months of the deal
    assert any("Security Council" in c.text and c.binds == GOV for c in t.conditions)
    assert any("outside the consensus" in r.text for r in t.violator_terms)
    # It broke down when attacks resumed in June, before the militias offered a new truce.
    assert (t.ended, t.ended_how) == ("2021-06-26", "broken")
    assert dates(t) == ["2021-06-26"]


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_march_2021_mediators(truces: list[Truce]) -> None:
    assert set(find(truces, "Iraq", "2021-03").mediators) == {
        "Iran", "Lebanese parties", "international organisation operating in Iraq"}


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_june_2021_offer(truces: list[Truce]) -> None:
    t = find(truces, "Iraq", "2021-06")
    assert t.parties == [MILITIAS] and t.counterpart == [US]
    assert [h.status for h in t.history][:1] == ["offered"]
    assert t.agreed is None and t.violations == []  # never in force: nothing to violate
    assert any("attacks against militia positions" in c.text and c.binds == US for c in t.conditions)
    assert t.ended_how == "replaced" and t.ended is not None and t.ended.startswith("2022-10")


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_october_2022_unannounced_calm(truces: list[Truce]) -> None:
    t = find(truces, "Iraq", "2022-10")
    assert t.counterpart == [US]
    assert t.mentions[0].doc_id == "s2"
    assert any("expel" in c.text and c.binds == GOV for c in t.conditions)  # "if the prime minister did not ..."
    # It held until attacks on US forces in Iraq resumed in October 2023 (drones on Harir and Ain al-Asad).
    assert (t.ended, t.ended_how) == ("2023-10-18", "broken")
    assert {(v.date, v.location) for v in t.violations} == {
        ("2023-10-18", "Harir Air Base"), ("2023-10-18", "Ain al-Asad Air Base")}


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_october_2022_calm_parties(truces: list[Truce]) -> None:
    assert find(truces, "Iraq", "2022-10").parties == [MILITIAS]


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_kataib_hezbollah_suspension_2024(truces: list[Truce]) -> None:
    t = find(truces, "Iraq", "2024-0")
    assert t.parties == ["Kataib Hezbollah"] and t.counterpart == [US]
    assert {"d17", "d20"} <= {r.doc_id for r in t.mentions}
    assert t.ended is None
    zummar = [v for v in t.violations if v.date == "2024-04-21"]
    assert len(zummar) == 1 and {"d19", "d20"} <= {r.doc_id for r in zummar[0].evidence}  # one attack
    assert "2024-08-05" in dates(t)


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_kataib_hezbollah_suspension_dates(truces: list[Truce]) -> None:
    """KH paused its operations "afterwards" (after the January attack), alone: the US strikes that
    followed break no promise of theirs, the attacks on US forces in Iraq do."""
    t = find(truces, "Iraq", "2024-0")
    assert t.announced in ("2024", "2024-01")
    assert dates(t) == ["2024-04-21", "2024-08-05"]


# ---- other conflicts -------------------------------------------------------------------------------


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_yemen_truce_with_its_extensions(truces: list[Truce]) -> None:
    t = find(truces, "Yemen", "2022-04")
    assert t.parties == ["Houthis"]
    assert {"Yemeni government", "Saudi-led coalition"} & set(t.counterpart)
    assert t.mediators == ["United Nations"]
    assert (t.announced, t.effective) == ("2022-04-01", "2022-04-02")
    assert [(h.date, h.note) for h in t.history if h.status == "extended"] == [
        ("2022-06-02", "extended to 2022-08-02"), ("2022-08-02", "extended to 2022-10-02")]
    assert (t.expires, t.ended, t.ended_how) == ("2022-10-02", "2022-10-02", "lapsed")
    assert any("fuel" in c.text for c in t.conditions)
    assert [(v.date, v.location, v.by) for v in t.violations] == [("2022-06-02", "Matma", "counterpart")]


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_libya_permanent_ceasefire(truces: list[Truce]) -> None:
    t = find(truces, "Libya", "2020-10")
    assert set(t.parties + t.counterpart) == {"Government of National Accord", "Libyan National Army"}
    assert (t.agreed, t.mediators, t.ended) == ("2020-10-23", ["United Nations"], None)
    fighters = [c for c in t.conditions if "foreign fighter" in c.text]
    assert [(c.deadline, c.status) for c in fighters] == [("2021-01-23", "unmet")]


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_nagorno_karabakh_humanitarian_ceasefire(truces: list[Truce]) -> None:
    t = find(truces, "Azerbaijan", "2020-10")
    assert set(t.parties + t.counterpart) == {"Azerbaijan", "Armenia"}
    assert {"Russia", "International Committee of the Red Cross"} <= set(t.mediators)
    assert t.agreed == "2020-10-10" and t.places == ["Nagorno-Karabakh"]
    assert any("prisoners" in c.text for c in t.conditions)


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_easter_2025_truce(truces: list[Truce]) -> None:
    t = find(truces, "Ukraine", "2025-04")
    assert t.parties == ["Russia"]
    assert (t.announced, t.expires, t.ended, t.ended_how) == ("2025-04-19", "2025-04-20", "2025-04-20", "lapsed")


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_easter_2025_truce_counterpart(truces: list[Truce]) -> None:
    assert find(truces, "Ukraine", "2025-04").counterpart == ["Ukraine"]


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_iran_israel_june_2025(truces: list[Truce]) -> None:
    t = find(truces, "Iran", "2025-06")
    assert set(t.parties + t.counterpart) == {"Iran", "Israel"}
    assert "Qatar" in t.mediators
    assert (t.announced, t.ended, t.violations) == ("2025-06-24", None, [])


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_iran_israel_june_2025_mediators(truces: list[Truce]) -> None:
    assert {"Qatar", US} <= set(find(truces, "Iran", "2025-06").mediators)


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_gaza_october_2025_sides(truces: list[Truce]) -> None:
    """Israel's government signed off on Thursday 9 October on "US President Donald Trump's ceasefire and
    hostage-return plan" (its proposer brokers it); the deal "between Israel and Hamas" took effect on
    Friday 10 October (the effective date, checked with the terms below)."""
    t = find(truces, "Palestine", "2025-10")
    assert set(t.parties + t.counterpart) == {"Israel", "Hamas"}
    assert t.mediators == ["Donald Trump", US]
    assert (t.announced, t.agreed) == ("2025-10-09", "2025-10-09")


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_gaza_october_2025_terms(truces: list[Truce]) -> None:
    t = find(truces, "Palestine", "2025-10")
    assert t.effective == "2025-10-10"
    hostages = [c for c in t.conditions if "hostage" in c.text]
    assert [(c.binds, c.deadline) for c in hostages] == [("Hamas", "2025-10-13")]


# ---- the whole ledger ------------------------------------------------------------------------------


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_eleven_truces(truces: list[Truce]) -> None:
    assert len(truces) == 11, [t.id for t in truces]


@pytest.mark.xfail(reason=XFAIL, strict=False)
def test_ledger_corpus_every_record_has_sources_and_history(truces: list[Truce]) -> None:
    for t in truces:
        assert t.sources and t.history and t.id, t.id
        assert t.id.startswith(t.announced or "undated")
        assert (t.ended is None) == (t.ended_how is None) and t.ended_how in (None, *ENDINGS)
    assert len({t.id for t in truces}) == len(truces)
