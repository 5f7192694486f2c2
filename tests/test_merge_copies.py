"""Copies of one report (syndication, light rewrites): MinHash LSH candidates, exact Jaccard
confirmation, and copies counting as one independent source of a merged event."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from trucewatch.merge.copies import THRESHOLD, band_keys, jaccard, kept_text, shingles, signature, source_groups
from trucewatch.merge.sync import Merger
from trucewatch.models import Document, Event, Removal
from trucewatch.store import Store

WIRE = (
    "Rockets struck a base housing US troops near Erbil airport late on Monday, killing one foreign contractor "
    "and wounding five other people, the US-led coalition said on Tuesday. A little-known group calling itself "
    "Saraya Awliya al-Dam claimed the attack in a statement posted online. Iraqi security officials said the "
    "rockets were fired from a truck parked about eight kilometres west of the airport, near the town of Gwer. "
    "The attack was the first deadly strike on coalition forces in Iraq in almost a year, and it came as the "
    "new US administration was weighing how to respond to a rise in attacks on its bases and convoys. "
    "Kurdish authorities said they had opened an investigation and closed the roads around the airport."
)
OTHER = (
    "A different outlet wrote its own story: Kurdish officials reported that several rockets fell near the "
    "airfield in Erbil on Monday night, that a civilian contractor died and that the launch vehicle was found "
    "burnt out in a village to the west; no one had been arrested by Tuesday morning, the regional interior "
    "ministry said, and the coalition promised to help with the inquiry."
)


def attack(doc_id: str, evidence: str, **fields: object) -> Event:
    values: dict[str, object] = dict(type="attack", mode="rocket", target="US-led coalition",
                                      location="Erbil International Airport", country="Iraq", date="2021-02-15",
                                      killed=1, injured=5, evidence=evidence, doc_id=doc_id, sentence=0)
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def report(doc_id: str, text: str, *, outlet: str, published: str = "2021-02-16",
           removed: list[Removal] | None = None) -> Document:
    return Document(id=doc_id, text=text, title=text.split(".")[0], outlet=outlet, published=published,
                    removed=removed or [], events=[attack(doc_id, text.split(". ")[0] + ".")])


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(":memory:") as s:
        yield s


def merge(store: Store, *docs: Document) -> None:
    merger = Merger(store)
    for doc in docs:
        store.save_document(doc)
        assert merger.sync() == []


def edited(text: str, every: int, seed: int = 7) -> str:
    """The text with one word in ``every`` replaced: a light rewrite."""
    rng = random.Random(seed)
    words = text.split()
    for i in range(0, len(words), every):
        j = min(len(words) - 1, i + rng.randrange(every))
        words[j] = "changed"
    return " ".join(words)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One two three", {"one two three"}),
        ("", set()),
        ("A b c d e f", {"a b c d e", "b c d e f"}),
        ("Rockets HIT, the base", {"rockets hit the base"}),
    ],
)
def test_merge_copies_shingles_are_case_folded_word_5_grams(text: str, expected: set[str]) -> None:
    assert shingles(text) == expected


def test_merge_copies_identical_texts_share_every_band_key() -> None:
    a, b = shingles(WIRE), shingles(WIRE)
    assert jaccard(a, b) == 1.0
    assert band_keys(signature(a)) == band_keys(signature(b))
    assert not set(band_keys(signature(a))) & set(band_keys(signature(shingles(OTHER))))


@pytest.mark.parametrize(("every", "copy"), [(100, True), (50, True), (25, True), (4, False)])
def test_merge_copies_light_rewrites_stay_copies_heavy_ones_do_not(every: int, copy: bool) -> None:
    a, b = shingles(WIRE * 3), shingles(edited(WIRE * 3, every))
    assert (jaccard(a, b) >= THRESHOLD) is copy
    # LSH finds every rewrite that is a copy (it only proposes; the exact Jaccard decides).
    if copy:
        assert set(band_keys(signature(a))) & set(band_keys(signature(b)))


def test_merge_copies_furniture_is_left_out_of_the_fingerprint() -> None:
    text = "Menu | Home | World\n" + WIRE
    assert kept_text(text, [Removal(0, 19, "navigation", text[:19])]).strip() == WIRE


def test_merge_copies_two_syndicated_copies_are_one_independent_source(store: Store) -> None:
    nav = "Skip to main content | News | Middle East\n"
    merge(store,
          report("wire-1", WIRE, outlet="Wire Service"),
          report("site-2", nav + WIRE, outlet="Reposting Site", published="2021-02-17",
                 removed=[Removal(0, len(nav), "navigation", nav)]))
    assert store.copies_of("site-2") == [("wire-1", 1.0)]
    [event] = store.merged_events()
    assert (event.reports, event.sources) == (2, 1)
    merged = store.merged_event(event.id)
    assert merged is not None
    assert {m.source for m in merged.mentions} == {"wire-1"}  # the earlier report stands for both
    assert merged.story == ["wire-1", "site-2"]  # one story, told by both sites


def test_merge_copies_a_report_of_its_own_is_a_second_source(store: Store) -> None:
    merge(store, report("wire-1", WIRE, outlet="Wire Service"),
          report("site-2", WIRE, outlet="Reposting Site"),
          report("own-3", OTHER, outlet="Kurdish Daily"))
    assert store.copies_of("own-3") == []
    [event] = store.merged_events()
    assert (event.reports, event.sources) == (3, 2)


def test_merge_copies_a_copy_rewritten_into_its_own_report_stops_being_a_copy(store: Store) -> None:
    merge(store, report("wire-1", WIRE, outlet="Wire Service"), report("site-2", WIRE, outlet="Reposting Site"))
    assert store.merged_events()[0].sources == 1
    merge(store, report("site-2", OTHER, outlet="Reposting Site"))  # the same id, new text
    assert store.copies_of("wire-1") == []
    [event] = store.merged_events()
    assert (event.reports, event.sources) == (2, 2)


def test_merge_copies_empty_texts_are_not_copies_of_each_other(store: Store) -> None:
    merge(store, Document(id="e1", text="   ", published="2021-02-16"),
          Document(id="e2", text="\n", published="2021-02-16"))
    assert store.copies_of("e1") == store.copies_of("e2") == []


@pytest.mark.parametrize(
    ("docs", "pairs", "expected"),
    [
        (["a", "b", "c"], [], {"a": "a", "b": "b", "c": "c"}),
        (["a", "b", "c"], [("b", "c")], {"a": "a", "b": "b", "c": "b"}),
        (["a", "b", "c"], [("c", "b"), ("b", "a")], {"a": "a", "b": "a", "c": "a"}),
        (["a", "b"], [("a", "z")], {"a": "a", "b": "b"}),  # pairs with other documents are ignored
    ],
)
def test_merge_copies_source_groups(docs: list[str], pairs: list[tuple[str, str]], expected: dict[str, str]) -> None:
    assert source_groups(docs, pairs) == expected


def test_merge_copies_source_is_the_first_report_by_the_given_order() -> None:
    published = {"a": "2021-02-18", "b": "2021-02-16"}
    assert source_groups(["a", "b"], [("a", "b")], first=published.__getitem__) == {"a": "b", "b": "b"}
