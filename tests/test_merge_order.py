"""The same ledger whatever the order (issue 12): the same reports merged in any order, in halves,
interleaved as by two writers, or all at once give the same merged events (members, values,
sources, contradictions, scores and ids), equal to the merge from scratch of every stored mention;
ingesting reports again, or changing one and changing it back, keeps the ids."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Iterator, Sequence
from itertools import zip_longest
from pathlib import Path

import pytest

from trucewatch.extract.extractor import Extractor
from trucewatch.ingest import read_paths
from trucewatch.merge.clusters import Linker, Member, merge_all, merged_id_of
from trucewatch.merge.coref import Knowledge
from trucewatch.merge.sync import Merger
from trucewatch.models import Document, Event
from trucewatch.pipeline import extract_document, ingest
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
BASE, ERBIL = "Ain al-Asad Air Base", "Erbil International Airport"
Snapshot = dict[int, tuple[object, ...]]


# ---- generated reports: near-duplicate stories ---------------------------------------------------


def _event(doc_id: str, sentence: int, evidence: str, **fields: object) -> Event:
    values: dict[str, object] = dict(type="attack", mode="rocket", actor=None, target="US-led coalition",
                                      location=BASE, country="Iraq", date="2021-03-03", evidence=evidence,
                                      doc_id=doc_id, sentence=sentence, trigger="hit", date_source="stated")
    values.update(fields)
    return Event(**values)  # type: ignore[arg-type]


def generated() -> list[Document]:
    """Reports of near-duplicate stories: two rocket attacks on one base two days apart, a drone
    attack elsewhere the same day, a US strike and a truce offer; told with a day off, a coarser
    date, the city for the base, no perpetrator, another toll; syndicated copies; later reports
    that retell an attack as background; several reports published on one day."""
    rng = random.Random(3)
    docs: list[Document] = []

    def add(doc_id: str, published: str, *events: tuple[str, dict[str, object]]) -> None:
        made = [_event(doc_id, i, f"{doc_id}: {text} ({rng.randrange(10**6)}).", **fields)
                for i, (text, fields) in enumerate(events)]
        docs.append(Document(id=doc_id, text=" ".join(e.evidence for e in made), title=doc_id,
                             outlet=f"outlet {doc_id}", published=published, events=made))

    first = "Ten rockets hit the Ain al-Asad air base in western Iraq on Wednesday morning, the coalition said"
    add("a1", "2021-03-03", (first, dict(killed=1, injured=0)))
    add("a2", "2021-03-03", ("Rockets struck Ain al-Asad, killing a contractor", dict(killed=1)))
    add("a3", "2021-03-04", ("A US contractor died after rockets hit the base in Anbar", dict(
        location="Anbar", killed=1, actor="Kataib Hezbollah")))
    add("a4", "2021-03-04", ("The attack on Wednesday came days after US strikes", dict(date="2021-03-04", killed=2)))
    add("a5", "2021-03-05", ("Rockets fell on the base in early March", dict(date="2021-03")))
    for n in range(3):  # syndicated copies of a1's sentence, published over three days
        add(f"a1-copy{n}", f"2021-03-0{3 + n}", (first, dict(killed=1, injured=0)))
    add("b1", "2021-03-05", ("Three more rockets hit Ain al-Asad on Friday", dict(date="2021-03-05", killed=0)),
        ("It followed Wednesday's attack on the same base", dict(background=True)))
    add("b2", "2021-03-06", ("A second attack struck the base on Friday", dict(date="2021-03-05", mode="rocket")))
    add("c1", "2021-03-03", ("A drone struck near Erbil airport", dict(location=ERBIL, mode="drone")))
    add("c2", "2021-03-04", ("An explosive-laden drone hit Erbil airport late on Tuesday", dict(
        location=ERBIL, mode="drone", date="2021-03-02")))
    add("c3", "2021-03-04", ("Drones targeted Erbil", dict(location="Erbil", mode="drone", date="2021-03-03")))
    strike = dict(type="strike", mode="airstrike", actor="United States", target="Kataib Hezbollah",
                  location="Abu Kamal", country="Syria", date="2021-02-25", killed=1)
    add("s1", "2021-02-26", ("US jets struck Kataib Hezbollah facilities at Abu Kamal", strike))
    add("s2", "2021-02-26", ("The strikes killed one fighter at the Syrian border", {**strike, "date": "2021-02-26"}))
    add("s3", "2021-03-10", ("Last month's US strike on the militia", {**strike, "date": None, "background": True,
                                                                        "location": None}))
    truce = dict(type="ceasefire", mode=None, actor="Kataib Hezbollah", target="United States", location=None,
                 date="2020-10-11", killed=None)
    add("t1", "2020-10-11", ("The factions offered a conditional truce", truce))
    add("t2", "2020-10-13", ("A truce announced on Sunday", {**truce, "date": "2020-10-12"}))
    add("t3", "2020-10-13", ("The militias' truce offer this month", {**truce, "date": "2020-10"}))
    # the first attack retold as background by a later report, with the second one as its news
    add("d1", "2021-03-08", ("Rocket attacks on Ain al-Asad continued on Friday", dict(date="2021-03-05")),
        ("after ten rockets hit the base on Wednesday", dict(background=True, killed=1)))
    return docs


# ---- ledgers and how to compare them -----------------------------------------------------------


def snapshot(store: Store) -> Snapshot:
    """Every merged event by id: its members (report, sentence, type, trigger, score), values,
    counts, each member's independent source, and contradictions (by report, not row id)."""
    out: Snapshot = {}
    for summary in store.merged_events():
        event = store.merged_event(summary.id)
        assert event is not None
        members = frozenset((m.event.doc_id, m.event.sentence, m.event.type, m.event.trigger, m.score, m.source)
                            for m in event.mentions)
        v = event.event
        values = (v.type, v.date, v.actor, v.target, v.location, v.country, v.mode, v.killed, v.injured,
                  v.evidence, v.background)
        contradictions = tuple((c.attribute, tuple((str(x.value), x.doc_ids, x.sources) for x in c.values))
                               for c in event.contradictions)
        out[summary.id] = (members, values, event.reports, event.sources, contradictions)
    return out


def merged_in(order: Sequence[Document], *, at_once: bool = False, store: Store | None = None) -> Snapshot:
    """Save the reports in ``order``, merging after each (or once at the end), and snapshot."""
    own = store is None
    store = store or Store(":memory:")
    try:
        merger = Merger(store)
        for doc in order:
            store.save_document(_copy(doc))
            if not at_once:
                assert merger.sync() == []
        assert merger.sync() == []
        return snapshot(store)
    finally:
        if own:
            store.close()


def _copy(doc: Document) -> Document:
    """A fresh copy of a report (saving fills in fields of the one given)."""
    return Document(id=doc.id, text=doc.text, title=doc.title, url=doc.url, outlet=doc.outlet,
                    published=doc.published, removed=list(doc.removed), sentences=list(doc.sentences),
                    events=[Event(**{k: getattr(e, k) for k in e.__dataclass_fields__}) for e in doc.events])


def orders(docs: Sequence[Document]) -> dict[str, list[Document]]:
    half = len(docs) // 2
    shuffled = list(docs)
    random.Random(7).shuffle(shuffled)
    return {
        "reverse": list(reversed(docs)),
        "shuffled": shuffled,
        "second half first": [*docs[half:], *docs[:half]],
        "two writers interleaved": [d for pair in zip_longest(docs[:half], docs[half:]) for d in pair if d],
    }


ORDERS = ("reverse", "shuffled", "second half first", "two writers interleaved")


# ---- generated reports ---------------------------------------------------------------------------


def test_merge_order_generated_reports_merge_some_and_keep_others_apart() -> None:
    """The reports are not trivially one event each or all one: the comparisons below mean something."""
    ledger = merged_in(generated())
    sizes = sorted(len(members) for members, *_ in ledger.values())
    assert sizes == [3, 3, 3, 3, 10], sizes  # five events; the first attack told by ten reports
    together = [members for members, *_ in ledger.values() if any(m[0] == "a1" for m in members)]
    assert any(m[0] == "a1-copy2" for m in together[0])
    assert not any(m[0] == "b2" for m in together[0])  # the second attack on the base is another event


@pytest.mark.parametrize("name", ORDERS)
def test_merge_order_generated_reports_give_one_ledger_in_any_order(name: str) -> None:
    docs = generated()
    assert merged_in(orders(docs)[name]) == merged_in(docs)


def test_merge_order_merging_all_at_once_equals_one_at_a_time() -> None:
    docs = generated()
    assert merged_in(list(reversed(docs)), at_once=True) == merged_in(docs)


def test_merge_order_ids_do_not_depend_on_row_ids() -> None:
    """Other reports stored first (other event row ids) change no id of these reports' events."""
    docs = generated()
    with Store(":memory:") as store:
        merger = Merger(store)
        store.save_document(Document(id="other", text="Unrelated.", published="2019-01-01",
                                     events=[_event("other", 0, "Unrelated rockets.", date="2019-01-01",
                                                    location="Kirkuk")]))
        assert merger.sync() == []
        with_other = merged_in(list(reversed(docs)), store=store)
    alone = merged_in(docs)
    assert {i: v for i, v in with_other.items() if i in alone} == alone


def test_merge_order_incremental_equals_merge_from_scratch() -> None:
    """The ledger merged report by report, in an order far from canonical, equals ``merge_all``
    over every stored mention (the definition, computed in memory from the set alone)."""
    docs = generated()
    with Store(":memory:") as store:
        merger = Merger(store)
        for doc in orders(docs)["shuffled"]:
            store.save_document(_copy(doc))
            assert merger.sync() == []
        ids = [event_id for doc in docs for event_id, _ in store.event_rows(doc.id)]
        members = [Member.of(record) for record in store.mention_records(ids)]
        knowledge = Knowledge(Gazetteer.load())
        expected = {frozenset(m.event_id for m in c.members): merged_id_of(c.key)
                    for c in merge_all(members, knowledge, Linker(knowledge))}
        stored = {frozenset(m.event_id for m in (store.merged_event(e.id) or e).mentions): e.id  # type: ignore[union-attr]
                  for e in store.merged_events()}
    assert stored == expected


def test_merge_order_changing_a_report_and_back_keeps_the_ledger() -> None:
    """A report re-ingested with other text and events, then as it was: every id and value is back."""
    docs = generated()
    with Store(":memory:") as store:
        before = merged_in(docs, store=store)
        merger = Merger(store)
        a1 = next(d for d in docs if d.id == "a1")
        changed = Document(id="a1", text="A correction: the rockets hit Kirkuk.", published=a1.published,
                           events=[_event("a1", 0, "A correction: the rockets hit Kirkuk.", location="Kirkuk")])
        store.save_document(changed)
        assert merger.sync() == []
        during = snapshot(store)
        store.save_document(_copy(a1))
        assert merger.sync() == []
        after = snapshot(store)
    assert during != before
    assert after == before


def test_merge_order_saving_reports_again_keeps_ids() -> None:
    """Reports saved again with new metadata (queued for merging again) keep every merged event."""
    docs = generated()
    with Store(":memory:") as store:
        before = merged_in(docs, store=store)
        merger = Merger(store)
        for doc in reversed(docs):
            again = _copy(doc)
            again.outlet = f"{doc.outlet} (mirror)"
            store.save_document(again)
        assert store.merge_queue()
        assert merger.sync() == []
        after = snapshot(store)
    assert after == before


# ---- the example reports, read by the real extractor --------------------------------------------


@pytest.fixture(scope="module")
def examples() -> Iterator[Callable[[], list[Document]]]:
    """The reports of examples/ read and extracted once (no merging), as fresh copies."""
    docs = []
    extractor = Extractor()
    for item in read_paths([EXAMPLES]):
        if isinstance(item, Document):
            extract_document(item, extractor)
            docs.append(item)
    assert len(docs) >= 12
    yield lambda: [_copy(d) for d in docs]


@pytest.mark.parametrize("name", ("reverse", "shuffled", "second half first"))
def test_merge_order_examples_give_one_ledger_in_any_order(examples: Callable[[], list[Document]],
                                                           name: str) -> None:
    docs = examples()
    reference = merged_in(docs)
    assert len(reference) >= 10
    assert merged_in(orders(docs)[name]) == reference


def test_merge_order_ingesting_examples_again_keeps_ids() -> None:
    """``ingest`` of examples/ into a ledger, then again, then into a new ledger in another run:
    the same merged events under the same ids."""
    with tempfile.TemporaryDirectory() as tmp:
        with Store(Path(tmp) / "a.db") as store:
            ingest([EXAMPLES], store)
            first = snapshot(store)
            ingest([EXAMPLES], store)
            again = snapshot(store)
        with Store(Path(tmp) / "b.db") as store:
            files = sorted((p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html", ".jsonl")), reverse=True)
            ingest(files, store)
            elsewhere = snapshot(store)
    assert first and again == first
    assert elsewhere == first
