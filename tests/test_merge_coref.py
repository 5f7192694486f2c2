"""Cross-report event coreference: dates, places, actors, anchors, background mentions, and the
incremental merge (new reports join stored events; an updated report leaves and re-joins)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from trucewatch.merge.coref import Knowledge, Mention, Profile, date_span, rank, score
from trucewatch.merge.sync import Merger
from trucewatch.models import Document, Event
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return Knowledge(Gazetteer.load())


def event(type: str = "attack", doc_id: str = "a", **fields: Any) -> Event:
    values: dict[str, Any] = dict(type=type, evidence=f"{type} reported by {doc_id}", doc_id=doc_id, sentence=0)
    values.update(fields)
    return Event(**values)


def mention(type: str = "attack", doc_id: str = "a", published: str = "2021-03-05", event_id: int = 1,
            **fields: Any) -> Mention:
    return Mention.of(event_id, event(type, doc_id, **fields), published)


def profile_of(*mentions: Mention) -> Profile:
    """The profile of an event these mentions report, merged as the first of them tells it (with the
    most specific date)."""
    first = mentions[0]
    values = Event(type=first.type, date=max((m.date for m in mentions if m.date), key=len, default=None),
                   actor="; ".join(first.actors) or None, target="; ".join(first.targets) or None,
                   location=first.location, mode=first.mode)
    return Profile.of(values, mentions)


@pytest.mark.parametrize(
    ("value", "lo", "hi", "granularity"),
    [
        ("2021", "2021-01-01", "2021-12-31", "year"),
        ("2021-02", "2021-02-01", "2021-02-28", "month"),
        ("2020-02", "2020-02-01", "2020-02-29", "month"),
        ("2021-03-03", "2021-03-03", "2021-03-03", "day"),
    ],
)
def test_merge_coref_date_span(value: str, lo: str, hi: str, granularity: str) -> None:
    span = date_span(value)
    assert span is not None
    assert (span.lo.isoformat(), span.hi.isoformat(), span.granularity) == (lo, hi, granularity)


@pytest.mark.parametrize("value", [None, "", "March", "2021-13", "2021-02-30"])
def test_merge_coref_date_span_of_no_date(value: str | None) -> None:
    assert date_span(value) is None


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("Baghdad", "Baghdad International Airport", "within"),  # an airport in its city
        ("Erbil", "Erbil International Airport", "within"),
        ("Green Zone", "Baghdad", "within"),
        ("Mashtal", "Baghdad", "within"),  # a district of the city, filed as a city
        ("Iraq", "Ain al-Asad Air Base", "within"),  # a country holds its bases
        ("Zummar", "Rumaylan", "near"),  # a launch site and the base it hit, across the border
        ("Harir Air Base", "Erbil International Airport", "different"),  # two bases of one province
        ("Green Zone", "Baghdad International Airport", "different"),  # two sites of one city
        ("Ain al-Asad Air Base", "Erbil International Airport", "different"),
        ("Kirkuk", "Baghdad", "different"),
        ("Jurf al-Nasr Farms", "Jurf al-Nasr", "within"),  # unknown names: one inside the other
        ("Nowhere Town", "Elsewhere Village", "unknown"),
    ],
)
def test_merge_coref_place_relations(knowledge: Knowledge, a: str, b: str, relation: str) -> None:
    assert knowledge.place_relation(a, b) == relation
    assert knowledge.place_relation(b, a) == relation


@pytest.mark.parametrize(
    ("a", "b", "relation"),
    [
        ("Kataib Hezbollah", "Kataib Hezbollah", "same"),
        ("Kataib Hezbollah", "Islamic Resistance in Iraq", "related"),  # member and umbrella
        ("United States", "US-led coalition", "related"),
        ("Saraya Awliya al-Dam", "Iran-backed Iraqi militias", "related"),  # a front
        ("Coordination Committee of the Iraqi Resistance", "Iran-backed Iraqi militias", "related"),
        ("Kataib Hezbollah", "Islamic State", "other"),
        ("Houthis", "United States", "other"),
    ],
)
def test_merge_coref_actor_relations(knowledge: Knowledge, a: str, b: str, relation: str) -> None:
    assert knowledge.actor_relation(a, b) == relation


BASE: dict[str, Any] = dict(mode="rocket", target="United States", location="Ain al-Asad Air Base",
                            country="Iraq", date="2021-03-03")


@pytest.mark.parametrize(
    ("other", "joins"),
    [
        # another outlet, same day and base
        (dict(BASE), True),
        # a background mention a week later: "the attack on Ain al-Asad on 3 March"
        (dict(BASE, background=True, date="2021-03"), True),
        # the perpetrator named in one report only
        (dict(BASE, actor="Kataib Hezbollah"), True),
        # a different day (more than the one-day slack)
        (dict(BASE, date="2021-03-05"), False),
        # drones, not rockets: a second attack that day
        (dict(BASE, mode="drone"), False),
        # another base far away on the same day
        (dict(BASE, location="Erbil International Airport"), False),
        # only type, month and target agree: nothing anchors them to one occurrence
        (dict(mode="rocket", target="United States", date="2021-03"), False),
    ],
)
def test_merge_coref_joins_only_reports_of_one_occurrence(knowledge: Knowledge, other: dict[str, Any],
                                                          joins: bool) -> None:
    news = mention(doc_id="a", **BASE)
    later = mention(doc_id="b", published="2021-03-11", event_id=2, **other)
    match = score(later, profile_of(news), knowledge)
    assert (match is not None and match.joins) is joins, match


def test_merge_coref_strikes_a_day_apart_across_time_zones_join(knowledge: Knowledge) -> None:
    washington = mention("strike", "a", "2021-06-28", mode="airstrike", actor="United States",
                         target="Kataib Hezbollah; Kataib Sayyid al-Shuhada", country="Iraq; Syria", date="2021-06-27")
    baghdad = mention("strike", "b", "2021-06-28", 2, mode="airstrike", actor="United States",
                      target="Kataib Hezbollah", country="Iraq; Syria", date="2021-06-28")
    match = score(baghdad, profile_of(washington), knowledge)
    assert match is not None and match.joins


@pytest.mark.parametrize(
    ("first", "second", "joins"),
    [
        # US strikes on one day in one city: the group hit tells them apart
        (dict(type="strike", actor="United States", target="Kataib Hezbollah", location="Erbil", date="2021-06-27"),
         dict(type="strike", actor="United States", target="Tashkil al-Waritheen",
              location="Erbil International Airport", date="2021-06-27"), False),
        (dict(type="strike", actor="United States", target="Kataib Hezbollah", location="Erbil", date="2021-06-27"),
         dict(type="strike", actor="United States", target="Kataib Hezbollah", location="Erbil International Airport",
              date="2021-06-27"), True),
        # a US strike that month with no target and no place: the US strikes too often to anchor it
        (dict(type="strike", actor="United States", target="Kataib Hezbollah", date="2021-06-27", country="Iraq"),
         dict(type="strike", actor="United States", date="2021-06", country="Iraq"), False),
        # a statement is dated when it is made: a group's threats on two days are two threats
        (dict(type="threat", actor="Kataib Hezbollah", target="United States", date="2020-10-11"),
         dict(type="threat", actor="Kataib Hezbollah", target="United States", date="2020-10-12"), False),
        # two militias' truces with the US in one week are two truces
        (dict(type="ceasefire", actor="Kataib Hezbollah", target="United States", date="2020-10-11"),
         dict(type="ceasefire", actor="Harakat al-Nujaba", target="United States", date="2020-10-12"), False),
    ],
)
def test_merge_coref_ubiquitous_states_and_statements(knowledge: Knowledge, first: dict[str, Any],
                                                      second: dict[str, Any], joins: bool) -> None:
    a = mention(first.pop("type"), "a", "2021-07-10", 1, **first)
    b = mention(second.pop("type"), "b", "2021-07-20", 2, background=True, **second)
    match = score(b, profile_of(a), knowledge)
    assert (match is not None and match.joins) is joins, match


def test_merge_coref_two_events_of_one_report_never_join(knowledge: Knowledge) -> None:
    first = mention(doc_id="a", **BASE)
    second = mention(doc_id="a", event_id=2, **BASE)
    assert score(second, profile_of(first), knowledge, same_report=True) is None


def test_merge_coref_the_same_sentence_anchors_a_copy(knowledge: Knowledge) -> None:
    news = mention(doc_id="a", **BASE)
    copy = mention(doc_id="b", published="2021-03-20", event_id=2, mode="rocket", target="United States",
                   date="2021-03")
    assert not (m := score(copy, profile_of(news), knowledge)) or not m.joins
    assert (m := score(copy, profile_of(news), knowledge, same_sentence=True)) is not None and m.joins


def test_merge_coref_an_attack_cannot_postdate_its_report(knowledge: Knowledge) -> None:
    early = mention(doc_id="a", published="2021-03-01", mode="rocket", location="Ain al-Asad Air Base",
                    date="2021-03")
    dated_later = mention(doc_id="b", published="2021-03-20", event_id=2, **dict(BASE, date="2021-03-15"))
    assert score(dated_later, profile_of(early), knowledge) is None


def test_merge_coref_truce_parties_are_unordered(knowledge: Knowledge) -> None:
    a = mention("ceasefire", "a", "2020-10-11", actor="Coordination Committee of the Iraqi Resistance",
                target="United States", country="Iraq", date="2020-10-11")
    b = mention("ceasefire", "b", "2020-10-12", 2, actor="United States", target="Iran-backed Iraqi militias",
                country="Iraq", date="2020-10-11")
    other = mention("ceasefire", "c", "2020-10-11", 3, actor="Azerbaijan", target="Armenia", date="2020-10-10")
    assert (m := score(b, profile_of(a), knowledge)) is not None and m.joins
    assert (m := score(other, profile_of(a), knowledge)) is not None and not m.joins


def test_merge_coref_undated_background_picks_the_better_supported_candidate(knowledge: Knowledge) -> None:
    vote: dict[str, Any] = dict(actor="Iraqi parliament", target="US-led coalition", country="Iraq")
    old = profile_of(mention("demand", "s2", "2023-04-28", date="2018-03", **vote))
    jan = profile_of(mention("demand", "s4", "2020-10-12", 2, date="2020-01", **vote),
                     mention("demand", "d05", "2020-10-11", 3, date="2020-01", **vote))
    jan.sources = 2
    undated = mention("demand", "d04", "2020-10-11", 4, **vote)
    matches = [(m, i, p) for i, p in ((1, old), (2, jan)) if (m := score(undated, p, knowledge)) is not None]
    assert [merged_id for _, merged_id in rank(matches, undated)] == [2, 1]


# ---- the incremental merge through the store ----------------------------------------------------


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(":memory:") as s:
        yield s


def report(doc_id: str, published: str, *events: Event) -> Document:
    """A report whose text tells its events (a changed event is a changed text, as in real reports)."""
    for e in events:
        e.doc_id = doc_id
    told = " ".join(f"{e.evidence} ({e.type} at {e.location} on {e.date})." for e in events)
    return Document(id=doc_id, text=f"Report {doc_id}: {told}", published=published, outlet=f"Outlet {doc_id}",
                    events=list(events))


def add(store: Store, *docs: Document) -> None:
    merger = Merger(store)
    for doc in docs:
        store.save_document(doc)
        assert merger.sync() == []


def clusters(store: Store) -> dict[int, set[str]]:
    """merged event id -> the documents that report it."""
    out: dict[int, set[str]] = {}
    for e in store.merged_events():
        merged = store.merged_event(e.id)
        assert merged is not None
        out[e.id] = {m.event.doc_id for m in merged.mentions}
    return out


def test_merge_coref_new_reports_join_stored_events_without_reprocessing(store: Store) -> None:
    add(store, report("a", "2021-03-04", event(**BASE), event("threat", actor="United States", date="2021-03-04")))
    before = clusters(store)
    add(store, report("b", "2021-03-05", event(**dict(BASE, killed=1))))
    after = clusters(store)
    assert len(after) == 2
    attack_id = next(i for i, docs in before.items() if store.merged_event(i).event.type == "attack")  # type: ignore[union-attr]
    assert after[attack_id] == {"a", "b"}  # the stored event grew; its id is kept
    merged = store.merged_event(attack_id)
    assert merged is not None and merged.event.killed == 1 and merged.reports == 2


def test_merge_coref_background_mention_joins_the_event_it_refers_to(store: Store) -> None:
    add(store,
        report("news", "2021-03-04", event(**BASE, evidence="Ten rockets hit Ain al-Asad Air Base on Wednesday.")),
        report("later", "2021-03-12",
               event(**dict(BASE, date="2021-03", background=True),
                     evidence="The attack on Ain al-Asad on 3 March killed a contractor."),
               event("ceasefire", actor="Iran-backed Iraqi militias", target="United States", date="2021-03")))
    [attack] = [i for i, docs in clusters(store).items() if docs == {"news", "later"}]
    merged = store.merged_event(attack)
    assert merged is not None and not merged.event.background and merged.event.date == "2021-03-03"
    assert merged.story == ["news"]  # the later report's news is the truce, not this attack


def test_merge_coref_updated_report_leaves_its_event_and_merges_again(store: Store) -> None:
    add(store, report("a", "2021-03-04", event(**BASE)), report("b", "2021-03-04", event(**BASE)))
    assert sorted(map(sorted, clusters(store).values())) == [["a", "b"]]
    # b is corrected: the attack it reports was two days later, on another base
    moved = dict(BASE, date="2021-03-05", location="Erbil International Airport")
    add(store, report("b", "2021-03-06", event(**moved)))
    assert sorted(map(sorted, clusters(store).values())) == [["a"], ["b"]]
    # and corrected back: it rejoins
    add(store, report("b", "2021-03-06", event(**BASE)))
    assert sorted(map(sorted, clusters(store).values())) == [["a", "b"]]
    assert store.merged_counts()["mentions"] == 2


def test_merge_coref_a_report_that_bridged_two_others_leaves_them_apart(store: Store) -> None:
    vague: dict[str, Any] = dict(mode="rocket", target="United States", country="Iraq")
    add(store,
        report("day", "2021-03-04", event(**BASE)),
        report("bridge", "2021-03-10", event(**dict(BASE, date="2021-03"))),
        report("vague", "2021-03-12", event(**dict(vague, date="2021-03", location="Ain al-Asad Air Base"))))
    assert sorted(map(sorted, clusters(store).values())) == [["bridge", "day", "vague"]]
    add(store, report("bridge", "2021-03-10", event("threat", actor="United States", date="2021-03")))
    assert sorted(map(sorted, clusters(store).values())) == [["bridge"], ["day", "vague"]]


def test_merge_coref_a_vague_report_does_not_chain_a_second_attack_in(store: Store) -> None:
    """Two attacks in Baghdad on one day: a report that names only the city (and another group)
    joins the first, contested; it does not open the door to the reports of the second attack,
    which name another site than the event's merged place."""
    airport = dict(mode="ied", target="United States", country="Iraq", date="2019-01-07")
    add(store,
        report("a", "2019-01-07", event(**airport, location="Baghdad International Airport",
                                        actor="Tashkil al-Waritheen")),
        report("vague", "2019-01-07", event(**airport, location="Baghdad", actor="Asaib Ahl al-Haq")),
        report("b", "2019-01-08", event(**airport, location="Green Zone", actor="Asaib Ahl al-Haq")),
        report("c", "2019-01-08", event(**airport, location="Green Zone", actor="Asaib Ahl al-Haq")))
    assert sorted(map(sorted, clusters(store).values())) == [["a", "vague"], ["b", "c"]]
    assert [c.event.location for c in store.merged_events(contested=True)] == ["Baghdad International Airport"]


def test_merge_coref_a_report_of_two_alike_attacks_keeps_them_two(store: Store) -> None:
    add(store, report("a", "2021-03-04", event(**BASE), event(**BASE)))
    add(store, report("b", "2021-03-04", event(**BASE)))
    assert sorted(map(sorted, clusters(store).values())) == [["a"], ["a", "b"]]


def test_merge_coref_documents_written_before_the_merge_are_merged_by_the_next_sync(store: Store) -> None:
    store.save_document(report("a", "2021-03-04", event(**BASE)))
    store.save_document(report("b", "2021-03-04", event(**BASE)))
    assert store.merge_queue() == ["a", "b"]
    assert Merger(store).sync() == []
    assert store.merge_queue() == []
    assert list(clusters(store).values()) == [{"a", "b"}]
