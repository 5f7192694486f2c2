"""Ledger: truce records from hand-built events, one behaviour per test.

The events are written as the extractor writes them (canonical names, ISO dates, evidence
sentences), so that each rule of ``trucewatch.ledger.truces`` is checked without the NLP stages:
which reports are one truce, what ends it, what violates it, who disowns what, which act meets a
condition, and how many days of calm it has had.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from trucewatch import export
from trucewatch.cli import app
from trucewatch.ledger import Truce, build_truces, find_truce, truces_from_documents
from trucewatch.ledger.conditions import same_condition
from trucewatch.ledger.periods import Period, after
from trucewatch.models import Document, Event, Sentence
from trucewatch.store import Store

FACTIONS = "Coordination Committee of the Iraqi Resistance"
US = "United States"
GOV = "Iraqi government"

OFFER = ("Kataib Hezbollah said on Saturday it was ready to halt its attacks on US forces in Iraq if the Iraqi "
         "government presents a timetable for the withdrawal of US troops.")
DEAL = ("The Coordination Committee of the Iraqi Resistance agreed on Sunday to halt attacks on US forces in a "
        "truce brokered by Hadi al-Amiri, provided the Iraqi government presents a timetable for the withdrawal "
        "of US forces within 12 months.")
TIMETABLE = "the Iraqi government presents a timetable for the withdrawal of US forces within 12 months"


def ev(type: str, evidence: str, date: str | None, *, actor: str | None = None, target: str | None = None,
       sentence: int = 0, **fields: Any) -> Event:
    """An event as the extractor stores it; ceasefires get empty conditions and mediators."""
    if type == "ceasefire":
        fields.setdefault("conditions", [])
        fields.setdefault("mediators", [])
    fields.setdefault("country", "Iraq")
    return Event(type=type, evidence=evidence, date=date, actor=actor, target=target, sentence=sentence,
                 mentions=[sentence], **fields)


def doc(doc_id: str, published: str, *events: Event, extra: tuple[str, ...] = ()) -> Document:
    """A report whose sentences are its events' evidence (by sentence number) and ``extra`` after them."""
    texts: dict[int, str] = {e.sentence: e.evidence for e in events}
    for text in extra:
        texts[max(texts, default=-1) + 1] = text
    sentences, pos = [], 0
    for idx in sorted(texts):
        sentences.append(Sentence(idx, pos, pos + len(texts[idx]), texts[idx]))
        pos += len(texts[idx]) + 1
    d = Document(id=doc_id, text=" ".join(texts[i] for i in sorted(texts)), title=f"report {doc_id}",
                 url=f"https://example.org/{doc_id}", outlet="Example Wire", published=published,
                 sentences=sentences)
    d.events = [replace(e, doc_id=doc_id) for e in events]
    return d


def offer(published: str = "2022-01-16") -> Document:
    condition = "the Iraqi government presents a timetable for the withdrawal of US troops"
    return doc("offer", published, ev("ceasefire", OFFER, "2022-01-15", actor="Kataib Hezbollah", target=US,
                                      conditions=[condition]))


def deal(published: str = "2022-01-24", **fields: Any) -> Document:
    fields.setdefault("conditions", [TIMETABLE])
    fields.setdefault("mediators", ["Hadi al-Amiri"])
    return doc("deal", published, ev("ceasefire", DEAL, "2022-01-23", actor=FACTIONS, target=US, **fields))


def attack(doc_id: str, published: str, date: str, *, actor: str | None = None, target: str | None = US,
           location: str | None = "Ain al-Asad Air Base", country: str = "Iraq", type: str = "attack",
           mode: str = "rocket", extra: tuple[str, ...] = ()) -> Document:
    text = f"Rockets struck {location or 'a base'} on {date}, officials said."
    return doc(doc_id, published, ev(type, text, date, actor=actor, target=target, location=location,
                                     country=country, mode=mode), extra=extra)


def end(doc_id: str, published: str, date: str, text: str = "The committee declared that its truce with US "
        "forces was over.", actor: str = FACTIONS) -> Document:
    return doc(doc_id, published, ev("ceasefire_end", text, date, actor=actor, target=US))


def build(*docs: Document, as_of: str | None = None) -> list[Truce]:
    return truces_from_documents(docs, as_of=as_of)


def only(truces: list[Truce]) -> Truce:
    assert len(truces) == 1, [(t.id, t.parties) for t in truces]
    return truces[0]


def statuses(t: Truce) -> list[tuple[str | None, str]]:
    return [(h.date, h.status) for h in t.history]


# ---- which reports are one truce -----------------------------------------------------------------


def test_ledger_truces_offer_and_agreement_are_one_truce() -> None:
    t = only(build(offer(), deal()))
    assert t.parties == ["Kataib Hezbollah", FACTIONS]
    assert t.counterpart == [US]  # the government the condition binds is not the counterpart
    assert (t.announced, t.agreed, t.effective) == ("2022-01-15", "2022-01-23", "2022-01-23")
    assert statuses(t) == [("2022-01-15", "offered"), ("2022-01-23", "agreed")]
    assert "Hadi al-Amiri" in t.mediators and "Badr Organization" in t.mediators  # the envoy's body too
    assert t.scope == "United States in Iraq"
    assert [s.doc_id for s in t.sources] == ["offer", "deal"]


def test_ledger_truces_a_declared_end_separates_two_truces() -> None:
    new = doc("new", "2022-10-31", ev("ceasefire", "The committee announced a truce with US forces on Sunday.",
                                      "2022-10-30", actor=FACTIONS, target=US))
    first, second = build(deal(), end("over", "2022-10-02", "2022-10-01"), new)
    assert (first.ended, first.ended_how) == ("2022-10-01", "declared over")
    assert first.end_evidence[0].doc_id == "over"
    assert (second.agreed, second.ended) == ("2022-10-30", None)
    assert first.id != second.id


def test_ledger_truces_later_mention_attaches_to_the_truce_it_names() -> None:
    held = doc("held", "2022-06-20", ev(
        "ceasefire", "The truce that Iran-backed factions agreed with US forces in January has largely held.",
        "2022-06", actor="Iran-backed Iraqi militias", target=f"{US}; {GOV}"))
    recalled = doc("recalled", "2023-03-01", ev(
        "ceasefire", "The factions agreed a truce with US forces last January.", "2022-01",
        actor="Iran-backed Iraqi militias", target=US, background=True))
    t = only(build(deal(), held, recalled))
    assert ("2022-06-20", "holding") in statuses(t)
    assert {"held", "recalled"} <= {r.doc_id for r in t.mentions}
    assert {"held", "recalled"} <= {s.doc_id for s in t.sources}
    assert t.parties == [FACTIONS]  # a mention does not make its generic description a party


def test_ledger_truces_a_truce_known_only_from_background_mentions() -> None:
    mention = doc("bg", "2021-03-12", ev(
        "ceasefire", "A previous agreement was brokered in October and largely held until the factions "
        "announced it had ended on 1 March.", "2020-10", actor="Iran-backed Iraqi militias", target=US,
        background=True),
        ev("ceasefire_end", "A previous agreement was brokered in October and largely held until the factions "
           "announced it had ended on 1 March.", "2021-03-01", actor="Iran-backed Iraqi militias", target=US,
           background=True))
    t = only(build(mention))
    assert (t.agreed, t.ended, t.ended_how) == ("2020-10", "2021-03-01", "declared over")


def test_ledger_truces_a_new_truce_replaces_an_open_one_between_the_same_sides() -> None:
    new = doc("new", "2022-03-01", ev("ceasefire", "The factions announced a new truce with US forces on Monday.",
                                      "2022-02-28", actor=FACTIONS, target=US))
    first, second = build(deal(), new)
    assert (first.ended, first.ended_how) == ("2022-02-28", "replaced")
    assert second.agreed == "2022-02-28"


def test_ledger_truces_different_conditions_months_later_open_a_new_truce() -> None:
    later = doc("later", "2022-06-01", ev(
        "ceasefire", "The factions agreed to halt attacks on US forces if the US ends strikes on their positions.",
        "2022-05-31", actor=FACTIONS, target=US, conditions=["the US ends strikes on their positions"]))
    assert len(build(deal(), later)) == 2
    soon = replace(later, id="soon", published="2022-01-30",
                   events=[replace(later.events[0], date="2022-01-29", doc_id="soon")])
    assert len(build(deal(), soon)) == 1  # within a month the terms are still being worded


def test_ledger_truces_other_conflicts_stay_apart() -> None:
    yemen = doc("yemen", "2022-01-24", ev("ceasefire", "The Houthis and the Saudi-led coalition agreed a truce.",
                                          "2022-01-23", actor="Houthis", target="Saudi-led coalition",
                                          country="Yemen"))
    assert len(build(deal(), yemen)) == 2


# ---- violations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "report", "by"), [
    ("unclaimed attack on the counterpart", attack("a", "2022-02-15", "2022-02-14"), "unattributed"),
    ("attack by a member of the committee", attack("a", "2022-02-15", "2022-02-14", actor="Kataib Sayyid al-Shuhada"),
     "party"),
    ("attack by a front of the militias", attack("a", "2022-02-15", "2022-02-14", actor="Saraya Awliya al-Dam"),
     "party"),
    ("attack by a group no one knows", attack("a", "2022-02-15", "2022-02-14", actor="Saraya al-Fajr al-Jadid"),
     "outside group"),
    ("strike by the counterpart on a party", attack("a", "2022-02-15", "2022-02-14", actor=US,
                                                    target="Kataib Hezbollah", type="strike", mode="airstrike",
                                                    location="Jurf al-Sakhar"), "counterpart"),
    ("attack on the coalition, the US side", attack("a", "2022-02-15", "2022-02-14", target="US-led coalition"),
     "unattributed"),
    ("before the truce", attack("a", "2022-01-21", "2022-01-20"), None),
    ("on the day it was agreed", attack("a", "2022-01-24", "2022-01-23"), None),
    ("in a month that began before it", attack("a", "2022-02-15", "2022-01", location=None), None),
    ("outside its country", attack("a", "2022-02-15", "2022-02-14", location="al-Omar oil field", country="Syria"),
     None),
    ("by a group outside the conflict", attack("a", "2022-02-15", "2022-02-14", actor="Islamic State"), None),
    ("on someone outside the truce", attack("a", "2022-02-15", "2022-02-14", actor=US, target="Islamic State",
                                             type="strike", mode="airstrike"), None),
    ("after it ended", attack("a", "2022-10-05", "2022-10-04"), None),
])
def test_ledger_truces_violations_in_window_and_scope(case: str, report: Document, by: str | None) -> None:
    t = only(build(deal(), report, end("over", "2022-10-02", "2022-10-01")))
    assert [v.by for v in t.violations] == ([by] if by else []), case
    if by:
        assert t.violations[0].evidence[0].doc_id == "a"
        assert ("2022-02-14", "violated") in statuses(t)


@pytest.mark.parametrize(("case", "report", "by"), [
    ("attack on the counterpart", attack("a", "2022-02-15", "2022-02-14", actor="Kataib Hezbollah"), "party"),
    ("unclaimed attack on the counterpart", attack("a", "2022-02-15", "2022-02-14"), "unattributed"),
    ("strike by the counterpart on the declarer", attack("a", "2022-02-15", "2022-02-14", actor=US,
                                                         target="Kataib Hezbollah", type="strike", mode="airstrike",
                                                         location="Jurf al-Sakhar"), None),
    ("unclaimed strike on the declarer", attack("a", "2022-02-15", "2022-02-14", actor=None,
                                               target="Kataib Hezbollah", type="strike", mode="airstrike",
                                               location="Jurf al-Sakhar"), None),
])
def test_ledger_truces_unilateral_truce_binds_its_declarer_only(case: str, report: Document, by: str | None) -> None:
    """"Kataib Hezbollah said it was pausing its operations against US troops": the US never agreed,
    so its strikes (and force against KH) break no promise; KH's attacks, or unclaimed ones on US
    forces, do."""
    pause = doc("pause", "2022-01-16", ev("ceasefire", "Kataib Hezbollah said on Saturday it was suspending its "
                                                       "operations against US troops.", "2022-01-15",
                                          actor="Kataib Hezbollah", target=US))
    t = only(build(pause, report))
    assert [v.by for v in t.violations] == ([by] if by else []), case


def test_ledger_truces_truce_in_effect_between_both_binds_both() -> None:
    """"A ceasefire between Kataib Hezbollah and US forces took effect": both are in it, so a US
    strike on KH afterwards is the counterpart's violation."""
    both = doc("both", "2022-01-16", ev("ceasefire", "A ceasefire between Kataib Hezbollah and US forces took effect "
                                                     "on Saturday.", "2022-01-15", actor="Kataib Hezbollah", target=US))
    strike = attack("a", "2022-02-15", "2022-02-14", actor=US, target="Kataib Hezbollah", type="strike",
                    mode="airstrike", location="Jurf al-Sakhar")
    assert [v.by for v in only(build(both, strike)).violations] == ["counterpart"]


def test_ledger_truces_reports_of_one_attack_make_one_violation() -> None:
    news = attack("news", "2022-02-15", "2022-02-14")
    again = attack("again", "2022-02-16", "2022-02-14", location="Ain al-Asad Air Base")
    month = attack("month", "2022-03-20", "2022-02", location="Ain al-Asad Air Base")
    t = only(build(deal(), news, again, month))
    assert len(t.violations) == 1
    assert [r.doc_id for r in t.violations[0].evidence] == ["news", "again", "month"]


def test_ledger_truces_reports_merging_made_one_are_one_violation() -> None:
    """Two reports that date one attack a day apart are two uses of force to the ledger's own rules,
    one when cross-report merging made them one event (as ``build_truces`` passes from a store)."""
    monday = attack("news", "2022-02-15", "2022-02-14")
    tuesday = attack("later", "2022-02-16", "2022-02-15")
    assert len(only(build(deal(), monday, tuesday)).violations) == 2
    merged = {(d.id, e.sentence, e.start): 7 for d in (monday, tuesday) for e in d.events}
    (v,) = only(truces_from_documents([deal(), monday, tuesday], merged=merged)).violations
    assert [r.doc_id for r in v.evidence] == ["news", "later"]


@pytest.mark.parametrize(("case", "actor", "date", "threatened"), [
    ("a member threatens the counterpart while it stands", "Kataib Hezbollah", "2022-05-02", True),
    ("a group outside the truce threatens", "Islamic State", "2022-05-02", False),
    ("after it ended", "Kataib Hezbollah", "2022-10-05", False),
])
def test_ledger_truces_threats_by_a_party_are_dated_in_its_history(case: str, actor: str, date: str,
                                                                    threatened: bool) -> None:
    warning = doc("warn", date, ev("threat", f"{actor} warned that US bases would be targeted if the withdrawal "
                                   "stalled.", date, actor=actor, target=US))
    t = only(build(deal(), warning, end("over", "2022-10-02", "2022-10-01")))
    steps = [(h.date, h.status, [r.doc_id for r in h.evidence]) for h in t.history if h.status == "threatened"]
    assert steps == ([(date, "threatened", ["warn"])] if threatened else []), case
    assert not t.violations  # a threat is no use of force


def test_ledger_truces_disavowal_is_recorded_on_the_violation() -> None:
    disowned = doc("disown", "2022-02-16", ev(
        "attack", "The Coordination Committee of the Iraqi Resistance said on Tuesday that Monday's rocket attack "
        "on Ain al-Asad was \"a personal act\" outside the consensus of the factions.", "2022-02-14",
        target=US, location="Ain al-Asad Air Base", mode="rocket"),
        extra=("The committee said it had not authorised the attack.",))
    t = only(build(deal(), attack("news", "2022-02-15", "2022-02-14"), disowned))
    (v,) = t.violations
    (d,) = v.disavowals  # one statement per report, however many sentences it takes
    assert (d.by, d.date) == (FACTIONS, "2022-02-15")
    assert {"a personal act", "outside the consensus", "had not authorised"} <= set(d.words)
    assert ("2022-02-15", "disavowed") in statuses(t)


def test_ledger_truces_terms_for_violators_are_kept_when_no_attack_is_disowned() -> None:
    terms = "The negotiators agreed that attacks which break the agreement would be \"a personal act\"."
    d = deal()
    d.sentences.append(Sentence(1, 0, len(terms), terms))
    t = only(build(d))
    assert [r.text for r in t.violator_terms] == [terms]
    assert not t.violations


# ---- conditions ------------------------------------------------------------------------------------


def test_ledger_truces_condition_deadline_and_party_bound() -> None:
    (c,) = only(build(deal())).conditions
    assert (c.binds, c.deadline, c.duration) == (GOV, "2023-01-23", "P12M")
    assert c.status == "unknown"
    assert [r.doc_id for r in c.stated] == ["deal"]


def test_ledger_truces_the_agreement_wording_of_a_condition_wins_over_the_offer() -> None:
    (c,) = only(build(offer(), deal())).conditions
    assert c.text == TIMETABLE and c.deadline == "2023-01-23"
    assert [r.doc_id for r in c.stated] == ["offer", "deal"]


def test_ledger_truces_condition_met_by_a_timetable() -> None:
    plan = doc("plan", "2022-08-17", ev(
        "troop_change", "Under the plan, US forces will leave Ain al-Asad and Baghdad by the end of 2023.",
        "2023-12-31", actor=GOV, location="Ain al-Asad Air Base"))
    t = only(build(deal(), plan))
    (c,) = t.conditions
    assert (c.status, c.met_on, c.met_by and c.met_by.doc_id) == ("met", "2022-08-17", "plan")
    assert ("2022-08-17", "condition met") in statuses(t)
    assert t.conditions_met() == (1, 1)


@pytest.mark.parametrize(("case", "act"), [
    ("a demand is not a timetable", ev("demand", "The government demanded that US forces agree a date to leave.",
                                       "2022-08-16", actor=GOV)),
    ("a withdrawal plan of another country", ev("troop_change", "Under the plan, foreign fighters will leave Libya "
                                                "by the end of 2023.", "2023-12-31", actor=None, country="Libya")),
    ("after the deadline", ev("troop_change", "US forces will leave Baghdad by the end of 2025.", "2025-12-31",
                              actor=GOV)),
])
def test_ledger_truces_condition_not_met(case: str, act: Event) -> None:
    published = "2024-01-01" if case == "after the deadline" else "2022-08-17"
    (c,) = only(build(deal(), doc("act", published, act))).conditions
    assert c.met_by is None, case
    assert c.status == ("unmet" if case == "after the deadline" else "unknown")


def test_ledger_truces_condition_unmet_once_its_deadline_passed() -> None:
    assert only(build(deal(), as_of="2023-02-01")).conditions[0].status == "unmet"
    assert only(build(deal(), as_of="2022-12-01")).conditions[0].status == "unknown"


@pytest.mark.parametrize(("a", "b", "same"), [
    ("the Iraqi government presents a timetable for the withdrawal of all American troops", TIMETABLE, True),
    ("Kadhimi can set a timetable for a US withdrawal",
     "Iraq's government present a timetable for the withdrawal of American troops", True),
    ("US forces stop drone flights over PMF positions", "the government sends parliament a bill", False),
])
def test_ledger_truces_same_condition(a: str, b: str, same: bool) -> None:
    assert same_condition(a, b) is same


# ---- how truces end --------------------------------------------------------------------------------


def test_ledger_truces_ended_by_expiry_wording_is_lapsed() -> None:
    expired = end("expired", "2022-10-03", "2022-10-02", "The truce expired on Sunday evening.")
    t = only(build(deal(), expired))
    assert (t.ended, t.ended_how) == ("2022-10-02", "lapsed")


def test_ledger_truces_term_and_extensions_then_lapse() -> None:
    yemen = "Yemen"
    made = doc("made", "2022-04-01", ev(
        "ceasefire", "A two-month truce between the Houthis and the Saudi-led coalition, starting tomorrow, "
        "was announced today.", "2022-04-01", actor="Houthis", target="Saudi-led coalition", country=yemen,
        mediators=["United Nations"]))
    renewed = doc("renewed", "2022-06-02", ev(
        "ceasefire", "The parties agreed to a two-month renewal of the truce.", "2022-06-02", actor="Houthis",
        target="Saudi-led coalition", country=yemen))
    again = doc("again", "2022-08-02", ev(
        "ceasefire", "The truce was extended for two more months, from 2 August 2022 until 2 October 2022.",
        "2022-08-02", actor="Houthis", country=yemen))
    t = only(build(made, renewed, again, as_of="2022-12-31"))
    assert (t.announced, t.effective, t.expires) == ("2022-04-01", "2022-04-02", "2022-10-02")
    assert (t.ended, t.ended_how) == ("2022-10-02", "lapsed")
    assert [(h.date, h.note) for h in t.history if h.status == "extended"] == [
        ("2022-06-02", "extended to 2022-08-02"), ("2022-08-02", "extended to 2022-10-02")]
    assert only(build(made, renewed, again, as_of="2022-09-01")).ended is None
    assert t.mediators == ["United Nations"]


def test_ledger_truces_broken_when_a_new_truce_follows_undisowned_violations() -> None:
    later = doc("later", "2022-06-01", ev("ceasefire", "The factions announced a new truce with US forces.",
                                          "2022-05-31", actor=FACTIONS, target=US))
    first, _ = build(deal(), attack("a", "2022-03-02", "2022-03-01", actor="Kataib Hezbollah"),
                     attack("b", "2022-04-02", "2022-04-01", location="Erbil International Airport"), later)
    assert (first.ended, first.ended_how) == ("2022-03-01", "broken")
    assert [v.date for v in first.violations] == ["2022-03-01"]  # what came after it broke is not its violation


def test_ledger_truces_end_declared_by_a_front_is_a_rejection() -> None:
    front = end("front", "2022-02-16", "2022-02-16", "The group said the truce was over.",
                actor="Saraya Awliya al-Dam")
    t = only(build(deal(), front))
    assert t.ended is None
    assert ("2022-02-16", "rejected") in statuses(t)


# ---- status, calm, ids, output ---------------------------------------------------------------------


def test_ledger_truces_status_and_days_of_calm() -> None:
    t = only(build(deal(), attack("a", "2022-02-15", "2022-02-14"), as_of="2022-03-16"))
    assert t.status == "violated (1)"
    assert t.days_of_calm() == 30  # 14 February to 16 March
    assert t.days_of_calm("2022-02-20") == 6
    assert t.days_of_calm("2022-02-01") == 9  # before the violation: calm since it was agreed
    assert t.days_of_calm("2022-01-01") is None  # not yet agreed
    ended = only(build(deal(), end("over", "2022-10-02", "2022-10-01"), as_of="2023-01-01"))
    assert ended.status == "ended (declared over)"
    assert ended.days_of_calm() == (dt.date(2022, 10, 1) - dt.date(2022, 1, 23)).days  # counted to its end


def test_ledger_truces_ids_are_stable_and_found_by_prefix() -> None:
    truces = build(offer(), deal())
    assert [t.id for t in truces] == ["2022-01-15-kh-us"]
    assert [t.id for t in build(deal(), offer())] == ["2022-01-15-kh-us"]
    assert find_truce(truces, "2022-01-15") is truces[0]
    assert find_truce(truces, "2023") is None


def test_ledger_truces_record_is_json_data() -> None:
    t = only(build(deal(), attack("a", "2022-02-15", "2022-02-14")))
    data = json.loads(json.dumps(t.to_dict()))
    assert data["status"] == "violated (1)" and data["scope"] == "United States in Iraq"
    assert data["violations"][0]["disavowed"] is False
    assert data["conditions"][0]["deadline"] == "2023-01-23"


def test_ledger_truces_period_arithmetic() -> None:
    assert after(Period.parse("2022-01-23"), "P12M") == Period.parse("2023-01-23")  # type: ignore[arg-type]
    assert after(Period.parse("2021-03"), "P12M") == Period.parse("2022-03")  # type: ignore[arg-type]
    assert after(Period.parse("2025-04-19"), "PT30H") == Period.parse("2025-04-20")  # type: ignore[arg-type]
    assert Period.parse("2022-13") is None and Period.parse(None) is None


@pytest.fixture
def ledger_db(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.db"
    with Store(path) as store:
        for d in (offer(), deal(), attack("a", "2022-02-15", "2022-02-14")):
            store.save_document(d)
    return path


def test_ledger_truces_from_a_store_export_and_cli(ledger_db: Path, tmp_path: Path) -> None:
    with Store(ledger_db) as store:
        (t,) = build_truces(store)
        out = tmp_path / "truces.json"
        with out.open("w", encoding="utf-8") as fh:
            assert export.write(store, "truces-json", fh) == 1
    assert json.loads(out.read_text())[0]["id"] == t.id == "2022-01-15-kh-us"

    runner = CliRunner()
    table = runner.invoke(app, ["truces", "--db", str(ledger_db)], env={"COLUMNS": "200"})
    assert table.exit_code == 0, table.output
    assert "2022-01-15-kh-us" in table.output and "violated (1)" in table.output
    card = runner.invoke(app, ["truce", "2022-01-15", "--db", str(ledger_db)], env={"COLUMNS": "200"})
    assert card.exit_code == 0, card.output
    for text in ("status history", "offered", "Hadi al-Amiri", "violations", "sources", TIMETABLE[:40]):
        assert text in card.output
    missing = runner.invoke(app, ["truce", "1999", "--db", str(ledger_db)])
    assert missing.exit_code == 2 and "no single truce" in missing.output
    bad_date = runner.invoke(app, ["truces", "--db", str(ledger_db), "--as-of", "soon"])
    assert bad_date.exit_code == 2
