"""Merge time for N syndicated copies of one story (issue 12: 125 copies took 18 s, 1,000 took 989 s).

Each copy is the same wire story (three paragraphs) inside another site's menu, marked as page
furniture, with the event the extractor would give it; the copies are saved and merged one at a time,
as ``pipeline.ingest`` does, into an on-disk SQLite ledger. Printed per N: seconds, exact shingle
comparisons made by copy detection (the exhaustive method made N(N-1)/2), copy pairs stored, and the
merged event's reports and independent sources (N and 1 when all is right).

    .venv/bin/python benchmarks/copies.py [--copies 125 250 500 1000]
"""

from __future__ import annotations

import argparse
import shlex
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from trucewatch.merge.sync import Merger
from trucewatch.models import Document, Event, Removal
from trucewatch.store import Store

WIRE = (
    "Rockets struck a base housing US troops near Erbil airport late on Monday, killing one foreign contractor "
    "and wounding five other people, the US-led coalition said on Tuesday. A little-known group calling itself "
    "Saraya Awliya al-Dam claimed the attack in a statement posted online. Iraqi security officials said the "
    "rockets were fired from a truck parked about eight kilometres west of the airport, near the town of Gwer.\n\n"
    "The attack was the first deadly strike on coalition forces in Iraq in almost a year, and it came as the "
    "new US administration was weighing how to respond to a rise in attacks on its bases and convoys. "
    "Kurdish authorities said they had opened an investigation and closed the roads around the airport.\n\n"
    "A spokesman for the coalition said the base had been hit by at least three rockets and that damage to "
    "buildings and vehicles was still being assessed on Tuesday morning."
)


def copy(n: int) -> Document:
    nav = f"Site {n} | Home | World | Middle East | Sport\n"
    text = nav + "Rockets hit Erbil base\n" + WIRE
    event = Event(type="attack", mode="rocket", target="US-led coalition", location="Erbil International Airport",
                  country="Iraq", date="2021-02-15", killed=1, injured=5, evidence=WIRE.split(". ")[0] + ".",
                  doc_id=f"copy-{n:05}", sentence=0)
    return Document(id=f"copy-{n:05}", text=text, title="Rockets hit Erbil base", outlet=f"Site {n}",
                    published=f"2021-02-{16 + n % 3}", removed=[Removal(0, len(nav), "navigation", nav)],
                    events=[event])


def run(n: int) -> tuple[float, int, int, int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ledger.db"
        with Store(db) as store:
            merger = Merger(store)
            start = time.perf_counter()
            for k in range(n):
                store.save_document(copy(k))
                failures = merger.sync()
                if failures:
                    raise SystemExit(f"merge failed: {failures}")
            seconds = time.perf_counter() - start
            [event] = store.merged_events()
        with sqlite3.connect(db) as conn:
            pairs = conn.execute("SELECT count(*) FROM doc_copies").fetchone()[0] // 2
    return seconds, merger.copy_comparisons, pairs, event.reports, event.sources


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[125, 250, 500, 1000])
    args = parser.parse_args()
    print(f"{'copies':>7} {'seconds':>8} {'comparisons':>12} {'exhaustive':>11} {'pairs':>8} {'reports':>8} "
          f"{'sources':>8}")
    for n in args.copies:
        seconds, comparisons, pairs, reports, sources = run(n)
        print(f"{n:>7} {seconds:>8.1f} {comparisons:>12,} {n * (n - 1) // 2:>11,} {pairs:>8,} {reports:>8} "
              f"{sources:>8}", flush=True)
    print("command:", shlex.join([".venv/bin/python", "benchmarks/copies.py", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
