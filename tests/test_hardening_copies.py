"""Merging many syndicated copies of one story (issue 12, the reliability run: 125 copies took 18 s,
1,000 took 989 s, because every new copy was compared with every earlier one and every refresh of the
event read every copy pair).

The work is counted, not timed: exact shingle comparisons per new copy and copy pairs read per
refresh. The results must be those of the exhaustive method: the same copy pairs stored and the same
independent source for every mention, checked against a from-scratch computation over every pair of
reports, through copies, light rewrites, reports of their own and reports replaced by new texts.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Iterator, Sequence

import pytest
from test_merge_copies import OTHER, WIRE, edited, report

from trucewatch.merge.copies import THRESHOLD, band_keys, jaccard, kept_text, shingles, signature, source_groups
from trucewatch.merge.sync import Merger
from trucewatch.models import Document, Removal
from trucewatch.store import Store

COPIES = 300


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(":memory:") as s:
        yield s


def syndicated(n: int, text: str = WIRE, doc_id: str | None = None) -> Document:
    """Copy ``n`` of a wire story: the same text inside another site's menu (marked as furniture)."""
    nav = f"Site {n} | Home | World | Middle East\n"
    return report(doc_id or f"copy-{n:04}", nav + text, outlet=f"Site {n}", published=f"2021-02-{16 + n % 3}",
                  removed=[Removal(0, len(nav), "navigation", nav)])


class Counting:
    """Wraps a store method and counts the rows it returns."""

    def __init__(self, method: Callable[..., list[object]]) -> None:
        self.method, self.rows, self.calls = method, 0, 0

    def __call__(self, *args: object) -> list[object]:
        out = self.method(*args)
        self.rows += len(out)
        self.calls += 1
        return out


def test_copies_many_syndicated_copies_cost_one_comparison_each(store: Store) -> None:
    merger = Merger(store)
    pair_reads = [Counting(store.copy_pairs), Counting(store.copies_of)]
    store.copy_pairs, store.copies_of = pair_reads  # type: ignore[method-assign]
    for n in range(COPIES):
        store.save_document(syndicated(n))
        assert merger.sync() == []

    [event] = store.merged_events()
    assert (event.reports, event.sources) == (COPIES, 1)
    assert len(store.copies_of("copy-0150")) == COPIES - 1  # every pair is still stored
    # The exhaustive method compared each copy with every earlier one: COPIES * (COPIES - 1) / 2.
    assert merger.copy_comparisons <= 2 * COPIES
    # It read every pair of the event at each refresh (about COPIES**3 / 6 rows); now a refresh reads the
    # pairs of the report that joined (plus the one above, of the check).
    assert sum(c.rows for c in pair_reads) <= 2 * COPIES**2


def _expected(store: Store, docs: Sequence[Document]) -> tuple[dict[str, set[tuple[str, float]]], dict[str, str]]:
    """What the exhaustive method stores: every pair of reports that share an LSH band and reach the
    threshold, and each report's source as the earliest of its copies among one event's reports."""
    latest = {d.id: d for d in docs}
    sets = {i: shingles(kept_text(d.text, d.removed)) for i, d in latest.items()}
    keys = {i: set(band_keys(signature(s))) if s else set() for i, s in sets.items()}
    pairs: dict[str, set[tuple[str, float]]] = {i: set() for i in latest}
    for a, b in itertools.combinations(sorted(latest), 2):
        similarity = jaccard(sets[a], sets[b])
        if keys[a] & keys[b] and similarity >= THRESHOLD:
            pairs[a].add((b, round(similarity, 9)))
            pairs[b].add((a, round(similarity, 9)))
    sources: dict[str, str] = {}
    for summary in store.merged_events():
        merged = store.merged_event(summary.id)
        assert merged is not None
        members = sorted({m.event.doc_id for m in merged.mentions})
        edges = [(a, b) for a in members for b, _ in pairs[a]]
        sources.update(source_groups(members, edges, first=lambda d: latest[d].published or ""))
    return pairs, sources


def test_copies_results_equal_the_exhaustive_method(store: Store) -> None:
    """Copies, light rewrites (copies, not identical), heavy rewrites and reports of their own arrive in a
    shuffled order; some reports are then replaced by another text under the same id."""
    rng = random.Random(12)
    texts = [WIRE] * 6 + [edited(WIRE, 25, seed=s) for s in range(4)] + [edited(WIRE, 4), OTHER, OTHER + " Updated."]
    docs = [syndicated(n, text) for n, text in enumerate(texts)]
    docs += [syndicated(n + 20, text) for n, text in enumerate(texts[:8])]
    rng.shuffle(docs)
    docs += [syndicated(n, rng.choice(texts), doc_id=docs[n].id) for n in (0, 3, 7, 11)]  # replaced texts
    merger = Merger(store)
    for doc in docs[:12]:
        store.save_document(doc)
        assert merger.sync() == []
    for batch in (docs[12:17], docs[17:22], docs[22:]):  # several waiting at once, then a run that remembers none
        for doc in batch:
            store.save_document(doc)
        assert merger.sync() == []
        merger = Merger(store)

    pairs, sources = _expected(store, docs)
    stored = {i: {(o, round(j, 9)) for o, j in store.copies_of(i)} for i in pairs}
    assert stored == pairs
    found = {m.event.doc_id: m.source for e in store.merged_events()
             for m in (store.merged_event(e.id) or e).mentions}  # type: ignore[union-attr]
    assert found == sources
    for summary in store.merged_events():
        assert summary.sources == len({sources[m.event.doc_id]
                                       for m in (store.merged_event(summary.id) or summary).mentions})  # type: ignore[union-attr]


def test_copies_a_twin_waiting_to_be_merged_lends_none_of_its_stale_copies(store: Store) -> None:
    """A report replaced by a new text waits in the merge queue with the copies of its old text. A
    report identical to its new text, merged first, must not take those copies for its own."""
    rewrite = edited(WIRE, 25)
    merger = Merger(store)
    for doc in (syndicated(1, rewrite, doc_id="a-replaced"), syndicated(2, WIRE, doc_id="b-wire")):
        store.save_document(doc)
        assert merger.sync() == []
    assert [o for o, _ in store.copies_of("a-replaced")] == ["b-wire"]
    docs = [syndicated(3, WIRE, doc_id="c-new"), syndicated(1, WIRE, doc_id="a-replaced")]
    for doc in docs:  # both wait; c-new is merged first and meets a-replaced's new text among its candidates
        store.save_document(doc)
    assert Merger(store).sync() == []
    assert store.copies_of("c-new") == [("a-replaced", 1.0), ("b-wire", 1.0)]


def test_copies_a_report_that_stops_being_a_copy_splits_the_sources_it_joined(store: Store) -> None:
    """a-b and b-c are copies, a-c are not: one source while b joins them; when b is rewritten into a
    report of its own, a and c are two sources again (losing a report is computed from every pair)."""
    rng = random.Random(5)
    words = "rockets drone base attack officials said militia army town road convoy patrol night forces".split()
    parts = [" ".join(rng.choice(words) for _ in range(40)) + "." for _ in range(7)]
    a, b, c = (" ".join(parts[i:i + 5]) for i in range(3))
    assert jaccard(shingles(a), shingles(c)) < THRESHOLD <= jaccard(shingles(a), shingles(b))
    merger = Merger(store)
    docs = [syndicated(n, text, doc_id=f"r-{name}") for n, (name, text) in enumerate({"a": a, "b": b, "c": c}.items())]
    for doc in docs:
        store.save_document(doc)
        assert merger.sync() == []
    assert [e.sources for e in store.merged_events()] == [1]
    docs.append(syndicated(1, OTHER, doc_id="r-b"))
    store.save_document(docs[-1])
    assert merger.sync() == []
    [event] = store.merged_events()
    assert event.sources == 3
    _, sources = _expected(store, docs)
    assert sources == {"r-a": "r-a", "r-b": "r-b", "r-c": "r-c"}
