"""Does the ledger depend on the order reports arrive in? Merged events of ~1,500 real reports
merged in order, in reverse, in two halves, by two interleaved writers, shuffled, and all at once.

The reports are the first ``--limit`` articles of ``../shared/corpus/real/news.jsonl.gz`` (Wikinews,
FA-KES, then Reuters: the conflict-dense part). They are read and extracted once, without merging,
into a source ledger (kept with ``--cache FILE`` so later runs skip the extraction). Each order then
copies the stored reports (text, sentences, events, entity mentions) into a fresh ledger one at a
time and runs ``Merger.sync`` after each, as ``pipeline.ingest`` does; "from scratch" stores every
report first and merges them in one sync.

It prints, per order, the merged events, how many of them differ from the in-order ledger (compared
by their member mentions), how many ids differ for the same members, and the merge time.

    .venv/bin/python benchmarks/merge_order.py [--limit 1500] [--cache FILE] [--seed 1]
"""

from __future__ import annotations

import argparse
import gzip
import random
import shlex
import sys
import tempfile
import time
from collections.abc import Sequence
from itertools import zip_longest
from pathlib import Path

from trucewatch.extract.extractor import Extractor
from trucewatch.ingest import read_paths
from trucewatch.merge.sync import Merger
from trucewatch.models import Document
from trucewatch.pipeline import extract_document
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store

NEWS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real" / "news.jsonl.gz"
MentionKey = tuple[object, ...]
Ledger = dict[frozenset[MentionKey], int]  # member mentions -> merged event id


def extract(limit: int, cache: Path) -> list[str]:
    """Read and extract the first ``limit`` articles into the ledger at ``cache`` (not merged);
    returns the stored report ids in file order. An existing cache is reused."""
    if cache.exists():
        with Store(cache) as store:
            return [d for d, in store._conn.execute("SELECT id FROM documents ORDER BY rowid")]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "news.jsonl"
        with gzip.open(NEWS, "rt", encoding="utf-8") as f, source.open("w", encoding="utf-8") as out:
            for i, line in enumerate(f):
                if i >= limit:
                    break
                out.write(line)
        extractor = Extractor()
        ids: list[str] = []
        with Store(cache) as store:
            for item in read_paths([source]):
                if not isinstance(item, Document):
                    continue
                try:
                    mentions, entities = extract_document(item, extractor)
                    store.save_document(item, mentions, entities)
                except Exception as exc:  # a report that cannot be read is left out of every order
                    print(f"left out {item.id}: {type(exc).__name__}", file=sys.stderr)
                    continue
                ids.append(item.id)
                if len(ids) % 100 == 0:
                    print(f"extracted {len(ids)}", file=sys.stderr)
    return ids


def key(doc_id: str, sentence: int, type: str, trigger: str, date: str | None, location: str | None) -> MentionKey:
    return (doc_id, sentence, type, trigger, date or "", location or "")


def replay(source: Store, order: Sequence[str], gazetteer: Gazetteer, *, at_once: bool = False) -> tuple[Ledger, float]:
    """Copy the reports of ``source`` into a fresh ledger in ``order``, merging after each (or once
    at the end with ``at_once``); returns the merged events by their members, and the merge time."""
    spent = 0.0
    with Store(":memory:") as store:
        merger = Merger(store, gazetteer)
        for doc_id in order:
            doc = source.document(doc_id)
            assert doc is not None
            spans = [(entity, surface, start, end) for entity, surface, start, end, *_ in source.entity_spans(doc_id)]
            store.save_document(doc, spans)
            if not at_once:
                t0 = time.perf_counter()
                assert merger.sync() == []
                spent += time.perf_counter() - t0
        if at_once:
            t0 = time.perf_counter()
            assert merger.sync() == []
            spent += time.perf_counter() - t0
        rows = store._conn.execute(
            'SELECT mm.merged_id, e.doc_id, e.sentence, e.type, e."trigger", e.date, e.location '
            "FROM merged_mentions mm JOIN events e ON e.id = mm.event_id")
        members: dict[int, set[MentionKey]] = {}
        for merged_id, *rest in rows:
            members.setdefault(merged_id, set()).add(key(*rest))
    return {frozenset(m): merged_id for merged_id, m in members.items()}, spent


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=1500, help="articles read from news.jsonl.gz (default 1500)")
    parser.add_argument("--cache", type=Path, help="source ledger of extracted reports, kept between runs")
    parser.add_argument("--seed", type=int, default=1, help="seed of the shuffled order")
    parser.add_argument("--only", help="comma-separated order names to run after 'in order' (default: all), "
                                       "e.g. 'reverse,two halves' to share the work among processes")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        cache = args.cache or Path(tmp) / "source.db"
        t0 = time.perf_counter()
        ids = extract(args.limit, cache)
        print(f"{len(ids)} reports extracted or read from the cache in {time.perf_counter() - t0:.0f} s")
        half = len(ids) // 2
        shuffled = list(ids)
        random.Random(args.seed).shuffle(shuffled)
        orders: list[tuple[str, list[str], bool]] = [
            ("in order", ids, False),
            ("reverse", ids[::-1], False),
            ("two halves (second first)", ids[half:] + ids[:half], False),
            ("from scratch (one sync)", ids, True),
            ("two writers interleaved", [d for pair in zip_longest(ids[:half], ids[half:]) for d in pair if d], False),
            (f"shuffled (seed {args.seed})", shuffled, False),
        ]
        if args.only:
            wanted = [w.strip() for w in args.only.split(",")]
            orders = [o for o in orders if o[0] == "in order" or any(o[0].startswith(w) for w in wanted)]
        gazetteer = Gazetteer.load()
        reference: Ledger = {}
        print(f"{'order':<28} {'merged events':>13} {'differing':>9} {'other ids':>9} {'merge s':>8}", flush=True)
        with Store(cache) as source:
            for name, order, at_once in orders:
                assert sorted(order) == sorted(ids), name
                ledger, spent = replay(source, order, gazetteer, at_once=at_once)
                reference = reference or ledger
                differing = max(len(set(ledger) - set(reference)), len(set(reference) - set(ledger)))
                other_ids = sum(1 for members, i in ledger.items() if members in reference and reference[members] != i)
                print(f"{name:<28} {len(ledger):>13,} {differing:>9,} {other_ids:>9,} {spent:>8.1f}", flush=True)
        print("command:", shlex.join([sys.executable, *sys.argv]))


if __name__ == "__main__":
    main()
