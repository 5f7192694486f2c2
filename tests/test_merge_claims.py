"""Claims, denials, "no group claimed it", accusations, and who says what (attribution): the pure
functions over sentences, and end to end through the pipeline on reports written for this test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from trucewatch.extract.extractor import Extractor
from trucewatch.merge.attribution import NamedSpan, attribute, spans_of
from trucewatch.merge.claims import attach, find_claims
from trucewatch.models import Document, Event
from trucewatch.pipeline import ingest
from trucewatch.store import Store


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A little-known group calling itself Saraya Awliya al-Dam claimed the attack on Tuesday.",
         [("claim", "Saraya Awliya al-Dam", "Saraya Awliya al-Dam")]),
        ("The attack was claimed by a group calling itself Ashab al-Kahf.",
         [("claim", "Ashab al-Kahf", "Ashab al-Kahf")]),
        ("The Islamic Resistance in Iraq claimed responsibility for the drone attack.",
         [("claim", "Islamic Resistance in Iraq", "Islamic Resistance in Iraq")]),
        ("Kataib Hezbollah denied any role in the strike.",
         [("denial", "Kataib Hezbollah", "Kataib Hezbollah")]),
        ("No group has claimed responsibility for the attack, officials said.",
         [("no_claim", None, "officials")]),
        ("There was no immediate claim of responsibility.", [("no_claim", None, None)]),
        ("Washington blamed the attack on Kataib Hezbollah.",
         [("accusation", "Kataib Hezbollah", "Washington")]),
        ("US officials blame Kataib Hezbollah for dozens of rocket attacks.",
         [("accusation", "Kataib Hezbollah", None)]),
        ("Three US soldiers died in a drone attack in Jordan, for which Kataib Hezbollah was blamed.",
         [("accusation", "Kataib Hezbollah", None)]),
        # not claims: a call for accountability, a negated accusation, an ordinary claim of fact
        ("The embassy called on leaders to hold those responsible to account.", []),
        ("The administration stopped short of blaming Iran for the attack.", []),
        ("The minister claimed the economy was growing.", []),
    ],
)
def test_merge_claims_find_claims(sentence: str, expected: list[tuple[str, str | None, str | None]]) -> None:
    assert [(c.kind, c.party, c.said_by) for c in find_claims(sentence)] == expected


def test_merge_claims_known_names_give_the_canonical_party() -> None:
    text = "Kata'ib Hizballah and its allies flatly denied any involvement in the attack."
    spans = [NamedSpan(0, 17, "Kataib Hezbollah", "armed group")]
    [denial] = find_claims(text, spans)
    assert (denial.kind, denial.party) == ("denial", "Kataib Hezbollah")
    both = "The U.S. and Israel deny responsibility for the blast."
    spans = [NamedSpan(4, 8, "United States", "state"), NamedSpan(13, 19, "Israel", "state")]
    assert [c.party for c in find_claims(both, spans)] == ["United States; Israel"]


@pytest.mark.parametrize(
    ("sentence", "speaker", "via"),
    [
        ("Rockets hit the base on Monday, the US-led coalition said.", "the US-led coalition", None),
        ("Rockets were fired from Zummar, two Iraqi security sources told Reuters.",
         "two Iraqi security sources", "Reuters"),
        ("According to a report from Middle East Eye, the militias agreed to stop attacks.", "Middle East Eye", None),
        ("A spokesman for Kataib Hezbollah, one of the most powerful militias in Iraq, said the groups would wait.",
         "A spokesman for Kataib Hezbollah", None),
        ("BAGHDAD, Iraq (AP) — Three militia officials said Sunday that their groups agreed to a halt.",
         "Three militia officials", "AP"),
        ("On Thursday, Hans Grundberg, the UN's special envoy to Yemen, said the parties agreed to renew the truce.",
         "Hans Grundberg", None),
        ("Three members of the militia were killed when a drone struck their car, militia officials said.",
         "militia officials", None),
        # no source given, or only a pronoun
        ("Rockets hit the base on Monday.", None, None),
        ("He said the government must act.", None, None),
    ],
)
def test_merge_claims_attribution(sentence: str, speaker: str | None, via: str | None) -> None:
    found = attribute(sentence)
    assert (found.speaker if found else None, found.via if found else None) == (speaker, via)


def test_merge_claims_attribution_names_the_known_entity() -> None:
    text = "The strike killed a commander, the Pentagon confirmed."
    found = attribute(text, [NamedSpan(34, 42, "United States", "state")])
    assert found is not None and (found.speaker, found.entity) == ("the Pentagon", "United States")


def test_merge_claims_attach_to_the_attack_the_sentence_follows() -> None:
    events = [(10, Event(type="strike", sentence=0, location="Abu Kamal")),
              (11, Event(type="attack", sentence=2, location="Erbil International Airport")),
              (12, Event(type="threat", sentence=4))]
    [claim] = find_claims("No group claimed responsibility.")
    assert attach(3, claim, events) == 11
    assert attach(1, claim, events) == 10
    assert attach(0, claim, events[2:]) is None  # a claim needs an attack or a strike
    [named] = find_claims("Kataib Hezbollah denied any role in the strikes near Abu Kamal.")
    assert attach(5, named, events) == 10


# ---- end to end through the pipeline --------------------------------------------------------------

REPORT_A = """Rockets hit Erbil airport base, killing a contractor

Rockets struck a base near Erbil International Airport late on Monday, killing a foreign civilian \
contractor and wounding five other people, the US-led coalition said.

A little-known group calling itself Saraya Awliya al-Dam claimed the attack on Tuesday.

Kataib Hezbollah denied any role in the attack, a spokesman for the group told Reuters.
"""
REPORT_B = """Contractor killed as rockets fall near Erbil airport

Three rockets hit the area of Erbil International Airport on Monday night, killing one civilian \
contractor, Kurdish officials said.

No group has claimed responsibility for the attack, officials said.
"""


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("claims")
    (folder / "a.txt").write_text(REPORT_A, encoding="utf-8")
    (folder / "b.txt").write_text(REPORT_B, encoding="utf-8")
    with Store(":memory:") as store:
        for name, outlet in (("a.txt", "Zagros Herald"), ("b.txt", "Tigris Wire")):
            stats = ingest([Path(folder / name)], store, published="2021-02-16", outlet=outlet, extractor=extractor)
            assert stats.failed == 0, [str(r) for r in stats.rejections]
        yield store


def test_merge_claims_end_to_end_claims_and_denials_attach_to_the_merged_attack(ledger: Store) -> None:
    attacks = ledger.merged_events(type="attack")
    assert len(attacks) == 1, [(e.event.date, e.event.location) for e in attacks]
    event = ledger.merged_event(attacks[0].id)
    assert event is not None and (event.reports, event.sources) == (2, 2)
    found = {(c.kind, c.party) for c in event.claims}
    assert ("claim", "Saraya Awliya al-Dam") in found
    assert ("denial", "Kataib Hezbollah") in found
    assert ("no_claim", None) in found


def test_merge_claims_end_to_end_each_mention_says_who_says_it(ledger: Store) -> None:
    [summary] = ledger.merged_events(type="attack")
    event = ledger.merged_event(summary.id)
    assert event is not None
    said = {m.outlet: str(m.attribution) if m.attribution else None for m in event.mentions}
    assert said == {"Zagros Herald": "the US-led coalition", "Tigris Wire": "Kurdish officials"}


def test_merge_claims_spans_of_an_analysed_sentence(extractor: Extractor) -> None:
    doc = Document(id="t", text="Headline\n\nKataib Hezbollah denied any role in the attack.\n", title="Headline")
    [sentence] = [s for s in extractor.analyser.analyse(doc) if s.entities]
    spans = spans_of(sentence)
    assert [(s.name, sentence.text[s.start:s.end]) for s in spans] == [("Kataib Hezbollah", "Kataib Hezbollah")]
    assert [c.party for c in find_claims(sentence.text, spans)] == ["Kataib Hezbollah"]
