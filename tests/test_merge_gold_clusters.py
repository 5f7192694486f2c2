"""Cross-report merge quality on the annotated corpora (../shared/corpus seeds and dev), scored
against our own gold clustering (tests/resources/gold_clusters.json): which gold events of
different reports are one real-world event.

Two measurements, pairwise over mentions (a pair is right when both sides put the two mentions in
one event):

* the merge run over the GOLD events of every report (gold events as the mentions): this scores the
  merge alone, and is held to precision >= 0.95 and recall >= 0.90;
* the merge run over the extractor's own events (the real pipeline on docs.jsonl), each aligned to
  a gold event with score.py's matching: this scores merge and extraction together and has no floor.

Both figures are printed by ``python tests/test_merge_gold_clusters.py`` (and by pytest ``-s``).
"""

from __future__ import annotations

import importlib.util
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from trucewatch.merge.sync import Merger
from trucewatch.models import Document, Event
from trucewatch.pipeline import ingest
from trucewatch.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"
CORPORA = ("seeds", "dev")
CLUSTERS = Path(__file__).resolve().parent / "resources" / "gold_clusters.json"
PRECISION_FLOOR, RECALL_FLOOR = 0.95, 0.90

needs_corpus = pytest.mark.skipif(not all((CORPUS / c / "gold.jsonl").exists() for c in CORPORA),
                                  reason=f"annotated corpus not found at {CORPUS} (../shared beside the repo)")
Key = tuple[str, int]  # (document id, index in its gold events)


@dataclass(frozen=True)
class PairScore:
    tp: int
    fp: int
    fn: int
    gold_pairs: int  # all same-event pairs of the gold clustering

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def __str__(self) -> str:
        return (f"pairwise precision {self.precision:.3f} recall {self.recall:.3f} "
                f"(tp {self.tp}, fp {self.fp}, fn {self.fn}; {self.gold_pairs} gold pairs)")


def gold_clusters() -> dict[Key, int]:
    data = json.loads(CLUSTERS.read_text(encoding="utf-8"))
    return {(doc, index): k for k, cluster in enumerate(data["clusters"]) for doc, index in cluster["mentions"]}


def corpus() -> list[tuple[dict[str, object], list[dict[str, object]]]]:
    """(document record, its gold events) for seeds then dev, in file order."""
    out = []
    for name in CORPORA:
        docs = {d["id"]: d for d in map(json.loads, (CORPUS / name / "docs.jsonl").read_text("utf-8").splitlines())}
        for line in (CORPUS / name / "gold.jsonl").read_text(encoding="utf-8").splitlines():
            gold = json.loads(line)
            out.append((docs[gold["id"]], gold["events"]))
    return out


def pairwise(predicted: dict[Key, int], gold: dict[Key, int], keys: Iterable[Key]) -> PairScore:
    """Pairs of ``keys`` put together by ``predicted`` (merged event ids) against ``gold`` (clusters)."""
    tp = fp = fn = 0
    for a, b in itertools.combinations(sorted(keys), 2):
        same_pred = predicted[a] == predicted[b]
        same_gold = a in gold and b in gold and gold[a] == gold[b]
        tp += same_pred and same_gold
        fp += same_pred and not same_gold
        fn += same_gold and not same_pred
    sizes: dict[int, int] = {}
    for k in gold.values():
        sizes[k] = sizes.get(k, 0) + 1
    return PairScore(tp, fp, fn, sum(n * (n - 1) // 2 for n in sizes.values()))


def merged_ids(store: Store) -> dict[int, int]:
    """event id -> merged event id."""
    return {m.event_id: e.id for e in store.merged_events()
            for m in (store.merged_event(e.id) or e).mentions}


def merge_gold_events(order: Sequence[int] | None = None) -> PairScore:
    """Merge the gold events of every report (as the mentions), reports in ``order``."""
    reports = corpus()
    with Store(":memory:") as store:
        merger = Merger(store)
        keys: dict[int, Key] = {}
        for i in order if order is not None else range(len(reports)):
            doc, events = reports[i]
            doc_id = str(doc["id"])
            store.save_document(Document(
                id=doc_id, text=str(doc["text"]), title=_str(doc.get("title")), url=_str(doc.get("url")),
                outlet=_str(doc.get("outlet")), published=_str(doc.get("published")),
                events=[Event(**e, doc_id=doc_id) for e in events]))  # type: ignore[arg-type]
            assert merger.sync() == []
            for index, (event_id, _) in enumerate(store.event_rows(doc_id)):
                keys[event_id] = (doc_id, index)
        merged = merged_ids(store)
    predicted = {keys[event_id]: merged_id for event_id, merged_id in merged.items()}
    return pairwise(predicted, gold_clusters(), predicted)


def _str(value: object) -> str | None:
    return None if value is None else str(value)


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("trucewatch_shared_score", SHARED / "tools" / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def merge_extracted_events() -> tuple[PairScore, int, int]:
    """Ingest the corpora with the real pipeline; align each extracted event to a gold event with
    score.py's matching; score the pairs of aligned mentions. Returns the score, the number of
    aligned mentions and of extracted events."""
    score = _scorer()
    aliases = score.load_aliases(CORPUS / "aliases.json")
    with Store(":memory:") as store:
        for name in CORPORA:
            stats = ingest([CORPUS / name / "docs.jsonl"], store)
            assert stats.failed == 0, [str(r) for r in stats.rejections]
        merged = merged_ids(store)
        aligned: dict[Key, int] = {}
        for doc, golds in corpus():
            rows = store.event_rows(str(doc["id"]))
            preds = [dict(e.to_gold(), _event_id=event_id) for event_id, e in rows]
            for pred, gold in score.match(preds, golds, aliases):
                aligned[(str(doc["id"]), golds.index(gold))] = merged[pred["_event_id"]]
    return pairwise(aligned, gold_clusters(), aligned), len(aligned), len(merged)


@needs_corpus
def test_merge_gold_clusters_annotation_names_real_gold_events() -> None:
    events = {str(doc["id"]): golds for doc, golds in corpus()}
    data = json.loads(CLUSTERS.read_text(encoding="utf-8"))
    seen: set[Key] = set()
    for cluster in data["clusters"]:
        keys = [(doc, index) for doc, index in cluster["mentions"]]
        assert len(keys) >= 2, cluster["label"]
        assert len({doc for doc, _ in keys}) == len(keys), f"one report twice in {cluster['label']}"
        assert not seen & set(keys), f"a mention in two clusters: {cluster['label']}"
        seen |= set(keys)
        types = {events[doc][index]["type"] for doc, index in keys}
        assert len(types) == 1, (cluster["label"], types)


@needs_corpus
def test_merge_gold_clusters_merging_gold_events_meets_the_floors() -> None:
    result = merge_gold_events()
    print(f"\nmerge over gold events: {result}")
    assert result.precision >= PRECISION_FLOOR, result
    assert result.recall >= RECALL_FLOOR, result


@needs_corpus
def test_merge_gold_clusters_merge_does_not_depend_on_report_order() -> None:
    result = merge_gold_events(order=list(reversed(range(len(corpus())))))
    assert result.precision >= PRECISION_FLOOR, result
    assert result.recall >= RECALL_FLOOR, result


@needs_corpus
def test_merge_gold_clusters_merging_extracted_events_is_measured() -> None:
    result, aligned, extracted = merge_extracted_events()
    print(f"\nmerge over extracted events ({aligned} of {extracted} aligned to gold events): {result}")
    assert aligned > 0 and result.tp + result.fp > 0


if __name__ == "__main__":
    print(f"merge over gold events: {merge_gold_events()}")
    found, n_aligned, n_extracted = merge_extracted_events()
    print(f"merge over extracted events ({n_aligned} of {n_extracted} aligned to gold events): {found}")
