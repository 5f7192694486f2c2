"""Web speed on a large ledger: first paint of the overview, and p95 of filtered API queries.

A ledger of 100,000 merged events (50,000 reports of two events each) is generated through the store
API, seeded, and kept between runs (``--db``): each report is saved with ``Store.save_document`` and
its events made merged events with ``create_merged`` / ``add_mention`` / ``update_merged``, as the
merger would (one in ten joins an event of another report instead, one in twenty is contested), at the
places, armed groups and states of the shipped gazetteer, over ten years. Running the real merger over
100,000 reports takes about ten minutes (benchmarks/merge.py measures it); the web reads only its output.

Then ``trucewatch serve`` runs on it in a subprocess and:

* headless Chromium (Debian's, driven by Playwright) opens the overview: first contentful paint of the
  first load after start-up (cold: nothing cached) and the median of five loads after it (warm);
* an HTTP client sends a seeded mix of filtered queries to /api/events (type, actor, place, country,
  date range, words, contested, news/background, deep pages), /api/stats and /api/map, one at a time,
  and prints the 50th and 95th percentiles and the maximum, per endpoint and over all, and the CPU
  time the server spent over them (steadier than wall clock on a loaded machine).

    .venv/bin/python benchmarks/web.py [--events 100000] [--db FILE] [--queries 300] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shlex
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from trucewatch.merge.records import Contradiction, Provenance, ValueSources
from trucewatch.models import Document, Event, Sentence
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store

START = dt.date(2015, 1, 1)
DAYS = 10 * 365
TYPES = (("attack", 38), ("strike", 24), ("threat", 12), ("ceasefire", 3), ("ceasefire_end", 1), ("demand", 8),
         ("troop_change", 8), ("attack", 6))
MODES = {"attack": ("rocket", "drone", "ied", "mortar", "gunfire"), "strike": ("airstrike", "drone", "missile")}
OUTLETS = ("Tigris Wire", "Levant Ledger", "Zagros Herald", "Gulf Morning Post", "Euphrates Daily", "Red Sea Monitor")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def build_ledger(path: Path, events: int, seed: int) -> None:
    """Write ``events`` merged events (two per report) into a new database at ``path``."""
    rng = random.Random(seed)
    gazetteer = Gazetteer.load()
    places = [e for e in gazetteer.entities.values() if e.lat is not None and e.type in ("city", "military base")]
    groups = [e.name for e in gazetteer.entities.values() if e.type == "armed group"]
    states = ["United States", "Israel", "Russia", "Ukraine", "Iraqi government", "Turkey"]
    kinds, weights = zip(*TYPES, strict=True)
    merged = _Merged(events, rng)
    started = time.perf_counter()
    with Store(path) as store:
        n = -1
        while merged.created < events:
            n += 1
            day = START + dt.timedelta(days=rng.randrange(DAYS))
            text, sentences, evs, offset = "", [], [], 0
            for k in range(2):
                kind = rng.choices(kinds, weights)[0]
                place = rng.choice(places)
                actor, target = (rng.choice(groups), rng.choice(states)) if rng.random() < 0.6 else (
                    rng.choice(states), rng.choice(groups))
                when = day - dt.timedelta(days=rng.randrange(3))
                date = when.isoformat() if rng.random() < 0.85 else when.isoformat()[:7]
                killed = rng.choice((None, 0, 1, 2, 3, 5, 8, 12)) if kind in ("attack", "strike") else None
                sentence = (f"{actor} carried out a {kind.replace('_', ' ')} against {target} near {place.name} "
                            f"on {when:%B %d}, officials said, report {n}-{k}.")
                sentences.append(Sentence(k, offset, offset + len(sentence), sentence))
                evs.append(Event(type=kind, mode=rng.choice(MODES.get(kind, (None,))), actor=actor, target=target,
                                 location=place.name, country=place.country, date=date, killed=killed,
                                 injured=rng.choice((None, 0, 1, 4)) if killed is not None else None,
                                 background=k == 1 and rng.random() < 0.3, evidence=sentence, sentence=k,
                                 start=offset, end=offset + len(sentence), trigger=kind,
                                 lat=place.lat, lon=place.lon))
                text += sentence + "\n\n"
                offset = len(text)
            doc = Document(id=f"bench-{n:06d}", text=text, title=f"Report {n}", outlet=rng.choice(OUTLETS),
                           published=day.isoformat(), sentences=sentences, events=evs)
            store.save_document(doc)
            if n % 500 == 499:
                merged.merge_pending(store)
                print(f"\r{merged.created:,} merged events ({time.perf_counter() - started:.0f} s)", end="",
                      file=sys.stderr, flush=True)
        merged.merge_pending(store)
    print(file=sys.stderr)


class _Merged:
    """Makes stored reports' events merged events, as the merger would: most events are new, one in
    ten joins a recent event of its type (reported twice), one in twenty is contested. Creates no more
    than ``target`` merged events: past it, every event joins one."""

    def __init__(self, target: int, rng: random.Random) -> None:
        self.target, self.rng, self.created = target, rng, 0
        self.recent: dict[str, list[int]] = {}

    def merge_pending(self, store: Store) -> None:
        rng = self.rng
        with store.transaction("benchmark merge"):
            for doc_id in store.merge_queue():
                for event_id, event in store.event_rows(doc_id):
                    pool = self.recent.setdefault(event.type, [])
                    joins = bool(pool) and (rng.random() < 0.1 or self.created >= self.target)
                    if joins:
                        merged_id = rng.choice(pool)
                    else:
                        merged_id = store.create_merged(event.type)
                        self.created += 1
                    pool.append(merged_id)
                    del pool[:-50]
                    store.add_mention(event_id, merged_id, doc_id, lead=event.sentence == 0, score=None,
                                      evidence_key=None)
                    contradictions = []
                    if rng.random() < 0.05:
                        told = (event_id,), (doc_id,)
                        contradictions = [Contradiction("killed", (ValueSources(event.killed, *told, 1),
                                                                   ValueSources(7, *told, 1)))]
                    day = event.date if event.date and len(event.date) == 10 else f"{event.date}-01"
                    store.update_merged(merged_id, event, {"type": Provenance(event_id, "benchmark")}, profile="{}",
                                        names=[n for n in (event.actor, event.target) if n],
                                        reports=2 if joins else 1, sources=2 if joins else 1, changed_sources={},
                                        contradictions=contradictions, date_range=(day, day))
                store.dequeue(doc_id)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def first_paints(base: str, loads: int) -> list[float]:
    """First contentful paint (ms) of the overview, each load in a fresh browser context (no cache)."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(loads):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/", wait_until="load")
            page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0")
            out.append(page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime"))
            context.close()
        browser.close()
    return out


def query_mix(n: int, rng: random.Random, store_path: Path) -> list[tuple[str, dict[str, str]]]:
    """``n`` seeded filtered queries over the three filtered endpoints, with values from the ledger."""
    with Store(store_path) as store:
        sample = store.merged_events(limit=2000)
    actors = sorted({e.event.actor for e in sample if e.event.actor})
    places = sorted({e.event.location for e in sample if e.event.location})
    countries = sorted({e.event.country for e in sample if e.event.country})
    out = []
    for _ in range(n):
        params: dict[str, str] = {}
        for name, chance, value in (
                ("type", 0.5, lambda: rng.choice(("attack", "strike", "threat", "ceasefire"))),
                ("actor", 0.25, lambda: rng.choice(actors).split()[0]),
                ("place", 0.15, lambda: rng.choice(places)),
                ("country", 0.2, lambda: rng.choice(countries)),
                ("since", 0.35, lambda: f"{rng.randrange(2015, 2025)}-{rng.randrange(1, 13):02d}"),
                # words of the evidence: a place, a group's name or a month (every generated sentence says
                # "officials said", so searching for that would be a scan of every event, not a search)
                ("text", 0.1, lambda: rng.choice((rng.choice(places).split()[0], rng.choice(actors).split()[-1],
                                                   rng.choice(("January", "June", "October"))))),
                ("contested", 0.1, lambda: "true"),
                ("background", 0.1, lambda: rng.choice(("true", "false")))):
            if rng.random() < chance:
                params[name] = value()
        if "since" in params and rng.random() < 0.6:
            params["until"] = str(int(params["since"][:4]) + rng.randrange(0, 3))
        endpoint = rng.choices(("/api/events", "/api/stats", "/api/map"), (6, 2, 2))[0]
        if endpoint == "/api/events" and rng.random() < 0.3:
            params["offset"] = str(rng.randrange(0, 20) * 50)
        out.append((endpoint, params))
    return out


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far (Linux: /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "trucewatch-web-bench.db",
                        help="the generated ledger, kept and reused while it holds --events events")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--loads", type=int, default=5, help="warm loads of the overview")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    if args.db.exists():
        with Store(args.db) as store:
            have = store.merged_counts()["merged_events"]
        if have < args.events * 0.9:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    if not args.db.exists():
        t0 = time.perf_counter()
        build_ledger(args.db, args.events, args.seed)
        print(f"generated {args.db} in {time.perf_counter() - t0:.0f} s")
    with Store(args.db) as store:
        counts = store.merged_counts()
        stale = store.truces_stale()
    print(f"ledger: {counts['merged_events']:,} merged events, {counts['mentions']:,} mentions, "
          f"{args.db.stat().st_size / 1e6:.0f} MB")
    # The generator stores no truce records (building them from 100,000 events takes far longer than the
    # rest of the run); without them the server builds them in a low-priority process while it is measured.
    print("truce records:", "stale: the server builds them in the background during the run" if stale
          else "stored (the server reads them)")

    print("load average before: {:.1f} {:.1f} {:.1f} on {} cores".format(*os.getloadavg(), os.cpu_count()))
    port = _port()
    base = f"http://127.0.0.1:{port}"
    cli = Path(sys.executable).with_name("trucewatch")
    server = subprocess.Popen([str(cli), "serve", "--db", str(args.db), "--port", str(port)],
                              env={**os.environ, "TRUCEWATCH_WEB_TOKEN": ""}, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                httpx.get(f"{base}/openapi.json", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.1)
        cold = first_paints(base, 1)[0]
        warm = first_paints(base, args.loads)
        print(f"overview first contentful paint: cold {cold:.0f} ms (first load after start-up), "
              f"warm median {statistics.median(warm):.0f} ms (max {max(warm):.0f} ms, {args.loads} loads)")

        timings: dict[str, list[float]] = {}
        queries = query_mix(args.queries, random.Random(args.seed), args.db)
        cpu_before = _cpu_seconds(server.pid)
        with httpx.Client(base_url=base, timeout=60) as client:
            for endpoint, params in queries:
                t0 = time.perf_counter()
                client.get(endpoint, params=params).raise_for_status()
                timings.setdefault(endpoint, []).append((time.perf_counter() - t0) * 1000)
        cpu = _cpu_seconds(server.pid) - cpu_before
        every = [t for ts in timings.values() for t in ts]
        for name, ts in [*sorted(timings.items()), ("all", every)]:
            print(f"{name:12s} {len(ts):4d} queries  p50 {_pct(ts, 0.5):6.1f} ms  p95 {_pct(ts, 0.95):6.1f} ms  "
                  f"max {max(ts):6.1f} ms")
        # Wall clock waits for the CPU on a loaded machine; the server's own CPU time does much less.
        print(f"server CPU time over the queries: {cpu:.2f} s, {cpu * 1000 / len(every):.1f} ms per query")
        print("load average after: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
        print("command:", shlex.join([Path(sys.executable).name, *sys.argv]))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
