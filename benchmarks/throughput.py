"""Throughput and peak memory of ingest + extraction, beside a bare spaCy tokenizer pass and a full
tagger+parser pass.

Runs the real path a user runs: the documents are written to JSONL files (streamed: no list of the
documents is held, so the benchmark's own memory does not grow with ``--limit``), then
``trucewatch.pipeline.ingest`` reads it, extracts events and stores them in an on-disk SQLite
database (WAL mode, one transaction per document), in one process on one core. In the same run, a
bare ``spacy.blank("en")`` tokenizer pass goes over the same texts, so the ratio between the two says
how much the pipeline costs on this machine whatever the machine's speed (issue 2: a minimal
ruler + matcher pipeline ran at about 1/7 of the tokenizer's speed), and the trained tagger+parser of
en_core_web_sm runs over every text, which is what parsing everything would cost (issue 11: the
extractor parses only the sentences that may report an event; the target is >= 100 docs/s per core).

Documents: the real articles of ``../shared/corpus/real/news.jsonl.gz`` (Wikinews, FA-KES, Reuters;
the first ``--limit`` of them, in file order) when present, else generated variants of the reports
in ``examples/`` (paragraphs reordered, dates shifted, each with its own id so that none is skipped
as a duplicate). The output says which was used.

    .venv/bin/python benchmarks/throughput.py [--limit 10000] [--source real|examples] [--profile N]

``--profile N`` runs the ingest under cProfile and prints the N most expensive functions (by time
spent inside them, and by cumulative time); the profiler slows the run, so its figures are not the
benchmark's.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import gzip
import json
import pstats
import random
import re
import resource
import shlex
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REAL = SHARED / "corpus" / "real" / "news.jsonl.gz"
EXAMPLES = ROOT / "examples"
TARGET_DOCS_PER_S = 100
REFERENCE_RATIO = 7  # a minimal ruler + matcher pipeline, measured for issue 2


@dataclass
class Timing:
    wall: float
    cpu: float


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports ru_maxrss in KiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def real_records(limit: int) -> Iterator[dict[str, Any]]:
    """The first ``limit`` articles of the real corpus, as its JSONL records."""
    with gzip.open(REAL, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh):
            if n >= limit:
                return
            yield json.loads(line)


def example_records(limit: int) -> Iterator[dict[str, Any]]:
    """``limit`` varied reports generated from examples/: each example's body paragraphs in a
    shuffled order, its publication date moved by a few weeks (so relative dates resolve
    differently), under an id of its own."""
    from trucewatch.ingest import read_paths
    from trucewatch.models import Document

    bases = [d for d in read_paths([EXAMPLES]) if isinstance(d, Document)]
    if not bases:
        raise SystemExit(f"no readable reports in {EXAMPLES}")
    rng = random.Random(0)
    for n in range(limit):
        base = bases[n % len(bases)]
        title, _, body = base.text.partition("\n")
        paragraphs = [p for p in body.split("\n\n") if p.strip()]
        rng.shuffle(paragraphs)
        published = None
        if base.published:
            shifted = dt.date.fromisoformat(base.published[:10]) + dt.timedelta(weeks=n // len(bases) % 52)
            published = shifted.isoformat()
        yield {"id": f"example-{n}", "outlet": base.outlet, "published": published, "title": base.title,
               "text": title + "\n\n" + "\n\n".join(paragraphs)}


FILE_BYTES = 8_000_000  # under the default max_bytes (20 MB): no batch file is refused


def write_batch(records: Iterable[dict[str, Any]], folder: Path) -> tuple[int, int]:
    """Write the records into JSON Lines files of at most FILE_BYTES in ``folder``, one by one;
    returns how many documents and characters of text were written."""
    folder.mkdir()
    count = chars = size = 0
    out = None
    try:
        for record in records:
            line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
            if out is None or size + len(line) > FILE_BYTES:
                if out is not None:
                    out.close()
                out, size = (folder / f"batch-{count:08d}.jsonl").open("wb"), 0
            out.write(line)
            size += len(line)
            count += 1
            text = record.get("text")
            chars += len(text) if isinstance(text, str) else 0
    finally:
        if out is not None:
            out.close()
    return count, chars


def batch_records(folder: Path) -> Iterator[dict[str, Any]]:
    """The records of the batch files, in the order the ingest reads them, one at a time."""
    for path in sorted(folder.iterdir()):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


def batch_texts(folder: Path) -> Iterator[str]:
    return (r["text"] for r in batch_records(folder) if isinstance(r.get("text"), str))


def _line(rejection: Any) -> int | None:
    """The record (line of the batch, counted across its files) a rejection names, if any."""
    m = re.search(r"batch-(\d+)\.jsonl#L(\d+)$", rejection.input)
    return int(m[1]) + int(m[2]) if m else None


def tokenizer_pass(texts: Iterable[str]) -> tuple[Timing, int]:
    """Time a bare ``spacy.blank("en")`` tokenizer over the texts; returns the timing and tokens."""
    import spacy

    nlp = spacy.blank("en")
    tokens = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        tokens += len(nlp.tokenizer(text))
    return Timing(time.perf_counter() - wall, time.process_time() - cpu), tokens


def parser_pass(texts: Iterable[str]) -> Timing:
    """Time en_core_web_sm's tagger and parser over the whole of every text (what the extractor avoids)."""
    from trucewatch.nlp import language

    nlp = language.load()
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=64, disable=["ner"]):
        pass
    return Timing(time.perf_counter() - wall, time.process_time() - cpu)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=10_000, help="number of documents (default 10000)")
    ap.add_argument("--source", choices=("real", "examples"), default=None,
                    help="real articles (default when ../shared/corpus/real/news.jsonl.gz exists) "
                         "or generated variants of examples/")
    ap.add_argument("--profile", type=int, default=0, metavar="N",
                    help="profile the ingest with cProfile and print the N costliest functions")
    args = ap.parse_args(argv)
    source = args.source or ("real" if REAL.exists() else "examples")
    if source == "real" and not REAL.exists():
        raise SystemExit(f"{REAL} not found: use --source examples")

    rss_start = peak_rss_mb()
    from trucewatch.extract.extractor import Extractor
    from trucewatch.pipeline import ingest
    from trucewatch.store import Store

    started = time.perf_counter()
    extractor = Extractor()
    build = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="trucewatch-bench-") as tmp:
        # The documents go from their source to files as they are made: none is held in a list.
        batch = Path(tmp) / "batch"
        count, chars = write_batch(real_records(args.limit) if source == "real" else example_records(args.limit),
                                   batch)
        tok, tokens = tokenizer_pass(batch_texts(batch))
        rss_before = peak_rss_mb()
        profiler = cProfile.Profile() if args.profile else None
        with Store(Path(tmp) / "bench.db") as store:
            wall, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            stats = ingest([batch], store, extractor=extractor)
            if profiler:
                profiler.disable()
            run = Timing(time.perf_counter() - wall, time.process_time() - cpu)
            db_mb = sum(p.stat().st_size for p in Path(tmp).glob("bench.db*")) / 1e6
        rss_peak = peak_rss_mb()
        parse = parser_pass(batch_texts(batch))  # after the ingest, so that the peak above is the ingest's
        ids = {n: str(r.get("id")) for n, r in enumerate(batch_records(batch), 1)
               if any(_line(rj) == n for rj in stats.rejections[:5])}  # to name a rejected record by its id

    docs = stats.read
    # The machine may be shared (CI, other jobs): "on one core" is measured in CPU time of this single
    # process; wall-clock figures are printed beside it.
    docs_per_s = docs / run.cpu
    ratio = run.cpu / tok.cpu
    source_desc = (f"real articles, first {count:,} of {REAL}" if source == "real"
                   else f"{count:,} generated variants of the reports in {EXAMPLES}")
    print(f"documents       {source_desc}")
    print(f"                {chars / count:,.0f} characters and {tokens / count:,.0f} tokens per "
          f"document on average")
    print(f"ingest+extract  {docs:,} documents in {run.wall:.1f}s wall, {run.cpu:.1f}s CPU: "
          f"{docs_per_s:,.0f} docs/s on one core, CPU time ({docs / run.wall:,.0f} docs/s wall, "
          f"{tokens / run.cpu:,.0f} tokens/s); "
          f"target >= {TARGET_DOCS_PER_S} docs/s: {'met' if docs_per_s >= TARGET_DOCS_PER_S else 'NOT met'}")
    print(f"                new {stats.new:,}, updated {stats.updated:,}, unchanged {stats.unchanged:,}, "
          f"failed {stats.failed:,}; building the extractor took {build:.1f}s (not counted)")
    print(f"tokenizer only  {count:,} documents in {tok.wall:.2f}s wall, {tok.cpu:.2f}s CPU: "
          f"{count / tok.cpu:,.0f} docs/s ({tokens / tok.cpu:,.0f} tokens/s) with a bare spacy.blank('en') tokenizer")
    print(f"tagger+parser   {count:,} documents in {parse.wall:.1f}s wall, {parse.cpu:.1f}s CPU: "
          f"{count / parse.cpu:,.0f} docs/s ({tokens / parse.cpu:,.0f} tokens/s) parsing every sentence "
          "with en_core_web_sm (tagger + parser, no NER)")
    print(f"ratio           ingest+extract takes {ratio:.1f}x the tokenizer's CPU time "
          f"(runs at 1/{ratio:.1f} of its speed; the minimal ruler+matcher reference: 1/{REFERENCE_RATIO})")
    print(f"peak RSS        {rss_peak:,.0f} MB for the process (ru_maxrss); {rss_start:,.0f} MB at start, "
          f"{rss_before:,.0f} MB with the extractor built and the batch written; database {db_mb:,.1f} MB")
    events = ", ".join(f"{t} {n:,}" for t, n in sorted(stats.events_by_type.items(), key=lambda kv: -kv[1]))
    print(f"events by type  {sum(stats.events_by_type.values()):,} in all: {events or 'none'}")
    for rejection in stats.rejections[:5]:
        line = _line(rejection)
        which = f"record {line} (id {ids.get(line, '?')})" if line else rejection.input
        print(f"rejected        {which}, stage {rejection.stage}: {rejection.reason}")
    if len(stats.rejections) > 5:
        print(f"                ... and {len(stats.rejections) - 5:,} more rejections")
    print(f"command         {shlex.join([Path(sys.executable).as_posix(), *sys.argv])}")
    if profiler:
        for order in ("tottime", "cumulative"):
            print(f"\n---- profile, the {args.profile} costliest functions by {order} ----")
            pstats.Stats(profiler, stream=sys.stdout).strip_dirs().sort_stats(order).print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
