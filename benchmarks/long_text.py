"""Seconds per megabyte and peak memory of ingesting one long text, at several sizes (issue 12: a 50 MB
text with the size limit raised had not finished after 600 s; time must grow linearly with size).

For each size a child process writes one ``.txt`` report of that many bytes and ingests it as a user
does (``trucewatch.pipeline.ingest`` with ``max_bytes`` raised, into an on-disk SQLite ledger: read,
extract, store, merge), so that each size's peak memory is its own. The text is real news: the articles
of ``../shared/corpus/real/news.jsonl.gz`` one after another, in a seeded shuffled order so that every
size holds the same mix of war reports and business wires (paragraphs kept, repeated when the corpus is
shorter than the size), else the reports in ``examples/``. ``--single-line`` joins it into one line
without a line break (the issue's 5 MB single-line case).

Printed per size: wall and CPU seconds, CPU seconds per MB (the figure that should stay flat as the
size grows; wall time depends on what else the machine runs), the CPU seconds of the truce records'
rebuild at the end of the run and the CPU seconds per MB of everything else, events found, and peak
resident memory beside the memory of the loaded extractor before the run.

    .venv/bin/python benchmarks/long_text.py [--sizes 1 10 50] [--single-line]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT.parent / "shared" / "corpus" / "real" / "news.jsonl.gz"
EXAMPLES = ROOT / "examples"
MB = 1_000_000


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports ru_maxrss in KiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def articles() -> list[str]:
    """The texts the long report is made of, and where they come from."""
    if REAL.exists():
        with gzip.open(REAL, "rt", encoding="utf-8") as fh:
            texts = [json.loads(line)["text"].strip() for line in fh]
    else:
        texts = [p.read_text(encoding="utf-8").strip() for p in sorted(EXAMPLES.glob("*.txt"))]
    random.Random(12).shuffle(texts)  # the corpus is ordered by source: war reports first, then business wires
    return texts


def write_report(path: Path, size: int, single_line: bool) -> None:
    """A report of ``size`` bytes (UTF-8): a title line, then article after article."""
    texts = articles()
    written = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write("A long report\n\n")
        written = len("A long report\n\n")
        k = 0
        while written < size:
            text = texts[k % len(texts)]
            k += 1
            chunk = (" ".join(text.split()) + " ") if single_line else text + "\n\n"
            data = chunk.encode("utf-8")[:size - written].decode("utf-8", errors="ignore")
            fh.write(data)
            written += len(data.encode("utf-8"))


def run_one(size_mb: float, single_line: bool) -> dict[str, float | int | str]:
    """Ingest one report of ``size_mb`` megabytes in this process; the figures as a dict."""
    from trucewatch import pipeline
    from trucewatch.extract.extractor import Extractor
    from trucewatch.store import Store

    truces = 0.0
    rebuild = pipeline.refresh_truces

    def timed_rebuild(*args: Any, **kwargs: Any) -> Any:
        nonlocal truces
        started = time.process_time()
        try:
            return rebuild(*args, **kwargs)
        finally:
            truces += time.process_time() - started

    pipeline.refresh_truces = timed_rebuild  # the truce records' rebuild, timed apart

    extractor = Extractor()
    extractor.gazetteer.world.city("Baghdad", "IQ")  # the world's places are indexed on first use: before timing
    before = peak_rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.txt"
        write_report(path, int(size_mb * MB), single_line)
        size = path.stat().st_size
        wall, cpu = time.perf_counter(), time.process_time()
        with Store(Path(tmp) / "ledger.db") as store:
            stats = pipeline.ingest([path], store, extractor=extractor, max_bytes=size + 1)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if stats.failed or stats.new != 1:
        raise SystemExit(f"the report was not stored: {[str(r) for r in stats.rejections]}")
    return {"mb": size / MB, "wall": wall, "cpu": cpu, "truces": truces, "events": sum(stats.events_by_type.values()),
            "rss_before": before, "rss_peak": peak_rss_mb()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 10, 50], help="sizes in MB (default 1 10 50)")
    parser.add_argument("--single-line", action="store_true", help="the whole text on one line")
    parser.add_argument("--child", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        print(json.dumps(run_one(args.child, args.single_line)))
        return
    print(f"text: {'articles of ' + str(REAL) if REAL.exists() else 'examples/'}"
          f"{', on one line' if args.single_line else ''}")
    print(f"{'size':>8} {'wall s':>8} {'CPU s':>8} {'CPU s/MB':>9} {'truces s':>9} {'rest s/MB':>10} {'events':>7} "
          f"{'RSS before':>11} {'RSS peak':>9}")
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--child", str(size)] + (["--single-line"] if args.single_line else [])
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        rest = (r["cpu"] - r["truces"]) / r["mb"]
        print(f"{r['mb']:>6.1f}MB {r['wall']:>8.1f} {r['cpu']:>8.1f} {r['cpu'] / r['mb']:>9.2f} {r['truces']:>9.1f} "
              f"{rest:>10.2f} {r['events']:>7} {r['rss_before']:>9.0f}MB {r['rss_peak']:>7.0f}MB", flush=True)
    print("command:", shlex.join([".venv/bin/python", "benchmarks/long_text.py", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
