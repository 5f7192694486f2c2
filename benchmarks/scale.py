"""Scale: ingest throughput on a dask cluster of 1 and 2 workers with the memory of each worker, and
filtered event queries over a million stored events, on SQLite and (given a server) PostgreSQL.

Ingest: ``--reports N`` real articles (``../shared/corpus/real/news.jsonl.gz``, repeated under new
ids once used up: ``<id>~2``, ``<id>~3``...) are written, streamed, into JSON Lines files of at most
8 MB; then for each worker count ``trucewatch.pipeline.ingest`` runs with a ``LocalCluster`` of that
many worker processes into a new SQLite ledger (the workers read and extract, this process stores
and merges). Printed: documents per second (wall clock), and the memory of each worker and of this
process, read every tenth of the run (resident set) and at the end (peak, ru_maxrss): flat
figures mean memory does not grow with the corpus. Then the corpus is ingested again, in one process,
into the last ledger: what a resumed or repeated run costs when the reports are stored.

Queries: ``--events N`` events are stored through ``Store.save_document`` (synthetic reports of 20
events each: seeded types, actors, places, dates over ten years, evidence sentences), then
``--queries`` filtered ``Store.events`` queries (type, actor, date range, words of the evidence, in
seeded combinations, 50 rows each) are timed: p50 and p95. On SQLite always; on PostgreSQL when
``--pg URL`` is given or ``$TRUCEWATCH_DB`` names one (filled unless it holds that many events
already: give a scratch database).

    .venv/bin/python benchmarks/scale.py [--reports 100000] [--workers 1,2] [--events 1000000]
        [--queries 100] [--pg postgresql://...] [--skip-ingest] [--skip-queries] [--keep DIR]

The figures are wall-clock on whatever else the machine runs: the load average is printed beside them,
and so is the CPU time each report costs in the workers and in this process, from which the speed on
an idle machine with a core per process follows (the slower of the workers' share and this process).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import resource
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "corpus" / "real" / "news.jsonl.gz"
FILE_BYTES = 8_000_000  # under the default max_bytes (20 MB): no input file is refused
EVENTS_PER_REPORT = 20
TARGETS = "2 workers >= 1.7x one; worker memory flat from 10% to 100% of the run; query p95 < 50 ms"


def records(n: int) -> Iterator[dict[str, Any]]:
    """``n`` real articles, the corpus read again under new ids as often as needed (streamed)."""
    made, round_ = 0, 1
    while made < n:
        with gzip.open(REAL, "rt", encoding="utf-8") as fh:
            for line in fh:
                if made >= n:
                    return
                record = json.loads(line)
                if round_ > 1:
                    record["id"] = f"{record.get('id')}~{round_}"
                yield record
                made += 1
        round_ += 1


def write_corpus(folder: Path, n: int) -> int:
    """Write ``n`` reports into JSON Lines files of at most FILE_BYTES; returns the bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    part, size, total = 0, 0, 0
    out = (folder / f"part-{part:04d}.jsonl").open("w", encoding="utf-8")
    for record in records(n):
        line = json.dumps(record, ensure_ascii=False) + "\n"
        if size + len(line.encode()) > FILE_BYTES and size:
            out.close()
            part, size = part + 1, 0
            out = (folder / f"part-{part:04d}.jsonl").open("w", encoding="utf-8")
        out.write(line)
        size += len(line.encode())
        total += len(line.encode())
    out.close()
    return total


def rss_mb() -> float:
    """Resident set of the calling process now, in MB (runs on the workers too)."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_mb() -> float:
    """Peak resident set of the calling process so far (ru_maxrss, KiB on Linux), in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def ingest_run(corpus: Path, workers: int, db: Path, reports: int) -> dict[str, Any]:
    """One ingest of the corpus on a local cluster of ``workers``; its speed and memory."""
    from trucewatch.distributed import cluster_client
    from trucewatch.pipeline import ingest
    from trucewatch.store import Store

    samples: list[tuple[int, list[float], float]] = []
    every = max(1, reports // 10)
    with cluster_client(workers=workers) as client, Store(db) as store:
        client.run(lambda: __import__("trucewatch.extract.extractor"))  # imports, not timed
        done, first = 0, 0.0

        def progress(_: str) -> None:
            nonlocal done, first
            done += 1
            if done == 1:
                first = time.perf_counter()  # the workers have built their extractors
            if done % every == 0:
                samples.append((done, sorted(client.run(rss_mb).values()), rss_mb()))

        load = os.getloadavg()[0]
        worker_cpu = sum(client.run(time.process_time).values())
        main_cpu = time.process_time()
        started = time.perf_counter()
        stats = ingest([corpus], store, progress=progress, client=client)
        ended = time.perf_counter()
        main_cpu = time.process_time() - main_cpu
        worker_cpu = sum(client.run(time.process_time).values()) - worker_cpu
        peaks = sorted(client.run(peak_mb).values())
    return {"workers": workers, "wall": ended - started, "worker_cpu": worker_cpu, "main_cpu": main_cpu,
            "steady": (done - 1) / max(1e-9, ended - first),
            "stats": stats, "samples": samples, "worker_peaks": peaks,
            "main_peak": peak_mb(), "load": (load, os.getloadavg()[0])}


def rerun(corpus: Path, db: Path) -> None:
    """The same corpus ingested again in one process into the ledger that holds it: what resuming
    or re-running costs when every report is stored (read, asked about, not extracted)."""
    from trucewatch.extract.extractor import Extractor
    from trucewatch.pipeline import ingest
    from trucewatch.store import Store

    extractor = Extractor()  # built before the clock starts; a stored report never uses it
    with Store(db) as store:
        started = time.perf_counter()
        stats = ingest([corpus], store, extractor=extractor)
        wall = time.perf_counter() - started
    print(f"re-run          {stats.read:,} reports read again in {wall:,.1f} s ({stats.read / wall:,.0f} reports/s, "
          f"one process): {stats.unchanged:,} unchanged and not extracted, {stats.new:,} new")


def print_ingest(run: dict[str, Any], base: dict[str, Any] | None) -> None:
    s = run["stats"]
    rate = s.read / run["wall"]
    speedup = f", {run['steady'] / base['steady']:.2f}x one worker" if base else ""
    print(f"ingest, {run['workers']} worker(s): {s.read:,} reports in {run['wall']:,.0f} s: "
          f"{rate:,.1f} docs/s with start-up, {run['steady']:,.1f} docs/s from the first report stored{speedup}\n"
          f"    (new {s.new:,}, unchanged {s.unchanged:,}, failed {s.failed:,}; load average "
          f"{run['load'][0]:.1f} at start, {run['load'][1]:.1f} at end)")
    for done, workers, main in run["samples"]:
        shown = ", ".join(f"{m:,.0f}" for m in workers)
        print(f"    after {done:>9,} reports: workers {shown} MB resident; this process {main:,.0f} MB")
    per_worker = run["worker_cpu"] / s.read * 1000
    per_main = run["main_cpu"] / s.read * 1000
    idle = min(run["workers"] * 1000 / per_worker, 1000 / per_main)
    print(f"    CPU per report: {per_worker:,.1f} ms in the workers (reading, extracting, building the extractor), "
          f"{per_main:,.1f} ms in this process (storing, merging, the scheduler); with a core each and nothing "
          f"else running: {idle:,.1f} docs/s")
    peaks = ", ".join(f"{m:,.0f}" for m in run["worker_peaks"])
    print(f"    peak (ru_maxrss): workers {peaks} MB; this process {run['main_peak']:,.0f} MB")


ACTORS = ["Kataib Hezbollah", "United States", "Islamic State", "Houthis", "Israel", "Hamas", "Hezbollah",
          "Russia", "Ukraine", "Turkey", "PKK", "Syrian Army", "Iraqi Army", "Saudi Arabia", "al-Shabaab", "RSF"]
PLACES = ["Baghdad", "Erbil", "Gaza", "Aleppo", "Idlib", "Sanaa", "Kharkiv", "Mosul", "Beirut", "Khartoum",
          "Mogadishu", "Deir ez-Zor", "Kirkuk", "Hodeidah", "Rafah", "Donetsk"]
TYPES = ["attack", "strike", "ceasefire", "ceasefire_end", "demand", "threat", "troop_change"]
WORDS = ["rockets", "drone", "convoy", "airport", "base", "truce", "shelling", "checkpoint", "militia", "talks"]


def synthetic_reports(n_events: int, seed: int = 0) -> Iterator[Any]:
    """Reports of EVENTS_PER_REPORT events each, seeded, ``n_events`` events in all."""
    import datetime as dt

    from trucewatch.models import Document, Event, Sentence

    rng = random.Random(seed)
    start = dt.date(2015, 1, 1)
    for r in range(0, n_events, EVENTS_PER_REPORT):
        events, sentences, text = [], [], []
        published = start + dt.timedelta(days=rng.randrange(3650))
        for k in range(min(EVENTS_PER_REPORT, n_events - r)):
            actor, target, place = rng.choice(ACTORS), rng.choice(ACTORS), rng.choice(PLACES)
            sentence = (f"{actor} {rng.choice(WORDS)} near {place} hit {target} {rng.choice(WORDS)} "
                        f"{rng.choice(WORDS)}, officials said.")
            offset = sum(len(t) + 1 for t in text)
            text.append(sentence)
            sentences.append(Sentence(k, offset, offset + len(sentence), sentence))
            date = published - dt.timedelta(days=rng.randrange(3))
            events.append(Event(type=rng.choice(TYPES), actor=actor, target=target, location=place,
                                country="Iraq", date=date.isoformat(), killed=rng.choice([None, 0, 1, 2, 5]),
                                evidence=sentence, sentence=k, start=offset, end=offset + len(sentence),
                                mentions=[k]))
        doc = Document(id=f"synthetic-{r // EVENTS_PER_REPORT}", text="\n".join(text), title=text[0][:60],
                       outlet=f"Outlet {rng.randrange(40)}", published=published.isoformat())
        doc.sentences, doc.events = sentences, events
        yield doc


def fill(store: Any, n_events: int) -> float:
    """Store the synthetic reports unless they are there already; the seconds it took."""
    if store.counts().get("events", 0) >= n_events:
        return 0.0
    started = time.perf_counter()
    for n, doc in enumerate(synthetic_reports(n_events)):
        store.save_document(doc)
        if n % 5_000 == 0:
            print(f"    stored {n * EVENTS_PER_REPORT:,} events ({time.perf_counter() - started:,.0f} s)",
                  file=sys.stderr)
    return time.perf_counter() - started


def queries(n: int, seed: int = 1) -> list[dict[str, Any]]:
    """``n`` seeded filter combinations: one to three of type, actor, date range and evidence words."""
    rng = random.Random(seed)
    made = []
    for _ in range(n):
        filters: dict[str, Any] = {}
        for name in rng.sample(["type", "actor", "dates", "text"], rng.randint(1, 3)):
            if name == "type":
                filters["type"] = rng.choice(TYPES)
            elif name == "actor":
                filters["actor"] = rng.choice(ACTORS)
            elif name == "dates":
                year = rng.randint(2015, 2024)
                filters["since"] = f"{year}-{rng.randint(1, 12):02d}"
                filters["until"] = f"{year + rng.randint(0, 1)}"
            else:
                filters["text"] = " ".join(rng.sample(WORDS, rng.randint(1, 2)))
        made.append(filters)
    return made


def query_run(location: str, n_events: int, n_queries: int) -> None:
    from trucewatch.store import Store

    with Store(location) as store:
        took = fill(store, n_events)
        counted = store.counts()
        times, rows = [], 0
        load = os.getloadavg()[0]
        for filters in queries(n_queries):
            started = time.perf_counter()
            rows += len(store.events(limit=50, **filters))
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    kind = "PostgreSQL" if "://" in location else "SQLite"
    print(f"queries, {kind}: {n_queries} filtered Store.events queries (50 rows) over {counted['events']:,} events "
          f"in {counted['documents']:,} reports: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
          f"max {times[-1]:.1f} ms ({rows:,} rows; load average {load:.1f}"
          f"{f'; stored in {took:,.0f} s' if took else ''})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=100_000, help="reports to ingest (default 100000)")
    ap.add_argument("--workers", default="1,2", help="worker counts to run, comma-separated (default 1,2)")
    ap.add_argument("--events", type=int, default=1_000_000, help="events stored for the queries (default 1000000)")
    ap.add_argument("--queries", type=int, default=100, help="filtered queries timed (default 100)")
    ap.add_argument("--pg", default=None, help="a PostgreSQL URL (default: $TRUCEWATCH_DB when it is one)")
    ap.add_argument("--skip-ingest", action="store_true", help="only the queries")
    ap.add_argument("--skip-queries", action="store_true", help="only the ingest")
    ap.add_argument("--keep", type=Path, default=None,
                    help="a folder for the corpus and the query ledger, kept between runs (default: a temporary one)")
    args = ap.parse_args(argv)
    env_db = os.environ.get("TRUCEWATCH_DB", "")
    pg = args.pg or (env_db if env_db.startswith(("postgresql://", "postgres://")) else None)
    work = args.keep or Path(tempfile.mkdtemp(prefix="trucewatch-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine         {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} at start")
    try:
        if not args.skip_ingest:
            if not REAL.exists():
                raise SystemExit(f"{REAL} not found")
            corpus = work / f"corpus-{args.reports}"
            if not corpus.is_dir():
                size = write_corpus(corpus, args.reports)
                print(f"corpus          {args.reports:,} real articles (repeated under new ids past the "
                      f"corpus's size) in {len(list(corpus.iterdir()))} JSON Lines files, {size / 1e6:,.0f} MB")
            base = None
            for workers in (int(w) for w in args.workers.split(",")):
                db = work / f"ingest-{workers}.db"
                for old in work.glob(f"ingest-{workers}.db*"):
                    old.unlink()
                run = ingest_run(corpus, workers, db, args.reports)
                print_ingest(run, base)
                base = base or run
            rerun(corpus, db)
        if not args.skip_queries:
            query_run(str(work / f"queries-{args.events}.db"), args.events, args.queries)
            if pg:
                query_run(pg, args.events, args.queries)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"targets         {TARGETS}")
    print(f"command         {shlex.join([Path(sys.executable).as_posix(), *sys.argv])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
