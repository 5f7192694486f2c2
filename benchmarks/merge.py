"""Merge time and memory for 100,000 reports: generated variations of events and texts.

The merge stage is measured alone: each generated report is saved with its events (as the extractor
would give them) into an on-disk SQLite ledger, then ``Merger.sync`` merges it, one report at a
time as ``pipeline.ingest`` does, so every report is merged incrementally against everything stored
before it. Saving and merging are timed apart.

What is generated (seeded, so runs are repeatable):

* real-world events over ten years (attacks, strikes, threats, truces, demands, troop moves) at
  the bases, cities, actors and targets of the shipped gazetteer, several a day; no two of a kind
  within a day of each other in one province (uses of force) or by one actor (statements), so
  that reports can tell them apart in principle;
* reports published 0-2 days after their event, told with varied wording, each with the event as
  its news and sometimes one or two older events as background ("last month's attack on ...");
* the reports disagree as real ones do: a day off, a coarser date, the city instead of the base,
  the perpetrator unnamed or named as the umbrella group, another casualty figure, no mode;
* 8% are syndicated copies of an earlier report (other outlet and page furniture) and 3% light
  rewrites of one (a word in thirty changed).

Because the truth is known, the run also prints the pairwise precision and recall of the merge
and of the copy detection on this synthetic data (a check of behaviour at scale, not a measure of
accuracy on real reports: see tests/test_merge_gold_clusters.py for that).

    .venv/bin/python benchmarks/merge.py [--reports 100000] [--seed 1] [--keep FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import shlex
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from trucewatch.merge.coref import Knowledge
from trucewatch.merge.sync import Merger
from trucewatch.models import Document, Event, Removal
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store

START = dt.date(2015, 1, 1)
DAYS = 10 * 365
REPORTS_PER_EVENT = 5  # on average; popular events get many more, most get one or two
TYPES = (("attack", 40), ("strike", 20), ("threat", 15), ("ceasefire", 6), ("demand", 7), ("troop_change", 8),
         ("ceasefire_end", 4))
ATTACK_MODES = ("rocket", "drone", "ied", "mortar", "gunfire")
STRIKE_MODES = ("airstrike", "drone", "missile", "raid")
OUTLETS = tuple(f"{a} {b}" for a in ("Tigris", "Levant", "Zagros", "Gulf", "Euphrates", "Desert", "Capital", "Northern")
                for b in ("Wire", "Ledger", "Herald", "Post", "Daily", "Monitor", "Times", "Observer"))
SOURCES = ("officials said", "a security source said", "the military said", "the coalition said",
           "two officials told reporters", "local police said", "a spokesman said", "witnesses said")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FILLER_SUBJECTS = ("The governor", "A local council member", "The provincial police chief", "An analyst in Baghdad",
                   "A resident of the area", "The defence ministry", "A parliament member", "A tribal leader",
                   "The health directorate", "An aid worker", "A shopkeeper", "The interior ministry")
FILLER_VERBS = ("warned that", "said that", "noted that", "told the paper that", "argued that", "added that",
                "complained that", "expected that")
FILLER_CLAUSES = ("roads around the area were closed for {n} hours", "schools would reopen on {day}",
                  "{n} people had been questioned", "the electricity grid lost {n} megawatts",
                  "fuel prices rose by {n} percent this month", "talks between the blocs would resume on {day}",
                  "the budget vote was delayed for the {nth} time", "{n} families had left the district",
                  "the curfew would be lifted by {day}", "{n} new checkpoints had been set up",
                  "a committee of {n} members would investigate", "the border crossing reopened after {n} days")


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    region: str  # its province (or its own name): two attacks a day apart in one province are alike
    inside: tuple[str, ...]  # places that contain it (its city or province), as reports may name them


@dataclass(frozen=True)
class Truth:
    id: int
    type: str
    date: dt.date
    mode: str | None
    actor: str | None
    target: str | None
    place: Place | None
    killed: int | None
    injured: int | None


class World:
    """Places, actors and targets from the shipped gazetteer, with the looser names reports use."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        knowledge = Knowledge(gazetteer)
        located = [e for e in gazetteer.entities.values()
                   if e.type in ("military base", "facility", "city") and e.country in ("Iraq", "Syria")
                   and e.lat is not None]
        coarse = [e for e in gazetteer.entities.values()
                  if e.type in ("city", "province") and e.country in ("Iraq", "Syria")]
        self.places = [Place(e.name, e.country or "Iraq", e.province or e.name, tuple(
            c.name for c in coarse if c.id != e.id and knowledge.place_relation(c.name, e.name) == "within"))
            for e in located]
        groups = [e for e in gazetteer.entities.values() if e.type == "armed group" and e.country == "Iraq"
                  and not e.name.endswith("militias")]
        self.groups = [e.name for e in groups]
        # how a report may name a group instead: its umbrella or the generic description
        self.looser = {e.name: [gazetteer.entities[r["target"]].name for r in e.relations
                                if r.get("type") == "member_of" and r["target"] in gazetteer.entities]
                       + ["Iran-backed Iraqi militias"] for e in groups}
        self.targets = ("United States", "US-led coalition")


def generate_events(world: World, n: int, rng: random.Random) -> list[Truth]:
    """``n`` real-world events, ordered by date, none of them alike (see the module docstring)."""
    kinds, weights = zip(*TYPES, strict=True)
    taken: set[tuple[object, ...]] = set()  # (kind, province or actor, day)
    out: list[Truth] = []
    while len(out) < n:
        kind = rng.choices(kinds, weights)[0]
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        place = rng.choice(world.places) if kind in ("attack", "strike") else None
        group = rng.choice(world.groups)
        if kind == "attack":
            mode, actor, target = rng.choice(ATTACK_MODES), group, rng.choice(world.targets)
        elif kind == "strike":
            mode, actor, target = rng.choice(STRIKE_MODES), "United States", group
        elif kind in ("threat", "demand"):
            mode, actor, target = None, group, "United States"
        elif kind == "troop_change":
            mode, actor, target = None, rng.choice(world.targets), None
        else:
            mode, actor, target = None, group, "United States"
        who = place.region if place else actor
        if any((kind, who, day + dt.timedelta(days=k)) in taken for k in (-1, 0, 1)):
            continue
        taken.add((kind, who, day))
        killed = rng.choice((None, 0, 1, 1, 2, 3, 4, 6, 9)) if kind in ("attack", "strike") else None
        injured = rng.choice((None, 0, 1, 2, 5, 8)) if kind in ("attack", "strike") else None
        out.append(Truth(len(out), kind, day, mode, actor, target, place, killed, injured))
    out.sort(key=lambda t: t.date)
    return [replace(t, id=i) for i, t in enumerate(out)]


def told(t: Truth, world: World, rng: random.Random, published: dt.date, background: bool) -> Event:
    """The event as one report tells it, with the disagreements reports have."""
    date = t.date.isoformat()
    if (background and rng.random() < 0.5) or rng.random() < 0.08:
        date = date[:7]  # "last month's attack"
    elif rng.random() < 0.04 and t.type in ("attack", "strike"):
        date = (t.date + dt.timedelta(days=rng.choice((-1, 1)))).isoformat()  # another time zone
    place = t.place.name if t.place else None
    if t.place and t.place.inside and rng.random() < 0.2:
        place = rng.choice(t.place.inside)  # the city instead of the base
    actor = t.actor
    if t.type == "attack" and rng.random() < 0.3:
        actor = None  # "it was not clear who was responsible"
    elif actor in world.looser and rng.random() < 0.1:
        actor = rng.choice(world.looser[actor])
    killed, injured = t.killed, t.injured
    if killed is not None and rng.random() < 0.15:
        killed = max(0, killed + rng.choice((-1, 1, 2)))  # an early or a revised toll
    mode = t.mode if not (t.mode and rng.random() < 0.15) else "unknown"
    verb = {"attack": "attacked", "strike": "struck", "threat": "threatened", "ceasefire": "agreed to halt attacks on",
            "ceasefire_end": "ended its truce with", "demand": "demanded the withdrawal of",
            "troop_change": "moved troops in"}[t.type]
    where = f" at {place}" if place else ""
    evidence = (f"{actor or 'Unidentified assailants'} {verb} {t.target or 'Iraq'}{where} on "
                f"{WEEKDAYS[t.date.weekday()]} using {mode or 'statements'}, killing {killed} and wounding "
                f"{injured}, {rng.choice(SOURCES)} ({rng.randrange(10**6)}).")
    return Event(type=t.type, mode=mode, actor=actor, target=t.target, location=place,
                 country=t.place.country if t.place else "Iraq", date=date, killed=killed, injured=injured,
                 background=background, evidence=evidence, date_source="stated",
                 conditions=[] if t.type == "ceasefire" else None, mediators=[] if t.type == "ceasefire" else None)


def filler(rng: random.Random) -> str:
    clause = rng.choice(FILLER_CLAUSES).format(n=rng.randrange(2, 900), day=rng.choice(WEEKDAYS),
                                                nth=rng.choice(("second", "third", "fourth", "fifth")))
    return f"{rng.choice(FILLER_SUBJECTS)} {rng.choice(FILLER_VERBS)} {clause}."


def generate_reports(world: World, events: list[Truth], n: int,
                     rng: random.Random) -> Iterator[tuple[Document, list[int], str | None]]:
    """``n`` reports in publication order, each with the truth ids of its events (news first) and
    the id of the report it copies (None for a report of its own)."""
    picks = sorted((int(len(events) * rng.random() ** 1.6), rng.randrange(3)) for _ in range(n))
    earlier: deque[tuple[Document, list[int]]] = deque(maxlen=2000)  # what a copy may copy: recent reports
    for i, (index, delay) in enumerate(picks):
        news = events[index]
        published = news.date + dt.timedelta(days=delay)
        if earlier and rng.random() < 0.11:
            source, truth_ids = rng.choice(earlier)
            text = source.text
            if rng.random() < 0.3:
                words = text.split(" ")
                for k in range(0, len(words), 30):
                    words[min(len(words) - 1, k + rng.randrange(30))] = "reportedly"
                text = " ".join(words)
            nav = f"{rng.choice(OUTLETS)} | Home | World | Middle East\n"
            doc = Document(id=f"r{i}", text=nav + text, title=source.title, outlet=rng.choice(OUTLETS),
                           published=source.published, removed=[Removal(0, len(nav), "navigation", nav)],
                           events=[replace(e, doc_id=f"r{i}") for e in source.events])
            yield doc, truth_ids, source.id
            continue
        story = [told(news, world, rng, published, background=False)]
        truth_ids = [news.id]
        for _ in range(rng.choice((0, 0, 1, 2))):
            old = events[int(index * rng.random())] if index else None
            if old is not None and old.id not in truth_ids and (published - old.date).days > 7:
                story.append(told(old, world, rng, published, background=True))
                truth_ids.append(old.id)
        body = [story[0].evidence] + [filler(rng) for _ in range(rng.randrange(4, 9))]
        body += [f"Earlier, {e.evidence}" for e in story[1:]]
        text = f"{news.type.replace('_', ' ').title()} report {i}\n\n" + "\n\n".join(body)
        for k, e in enumerate(story):
            e.doc_id, e.sentence = f"r{i}", k
        doc = Document(id=f"r{i}", text=text, title=f"{news.type} report {i}", outlet=rng.choice(OUTLETS),
                       published=published.isoformat(), events=story)
        earlier.append((doc, truth_ids))
        yield doc, truth_ids, None


def pairwise(cells: Counter[tuple[int, int]]) -> tuple[float, float]:
    """Pairwise precision and recall from (predicted cluster, true cluster) counts."""
    def pairs(counts: Counter[int] | Counter[tuple[int, int]]) -> int:
        return sum(c * (c - 1) // 2 for c in counts.values())

    predicted: Counter[int] = Counter()
    truth: Counter[int] = Counter()
    for (p, t), c in cells.items():
        predicted[p] += c
        truth[t] += c
    both = pairs(cells)
    return both / max(1, pairs(predicted)), both / max(1, pairs(truth))


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports ru_maxrss in KiB)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the ledger here instead of a temporary file")
    args = parser.parse_args(argv)
    print("$ " + shlex.join([Path(sys.executable).name, *sys.argv]))
    rng = random.Random(args.seed)
    gazetteer = Gazetteer.load()
    world = World(gazetteer)
    events = generate_events(world, max(1, args.reports // REPORTS_PER_EVENT), rng)
    rss_before = peak_rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.keep or Path(tmp) / "merge-bench.db"
        truth_of: dict[int, int] = {}
        copy_of: dict[str, str] = {}
        saving = merging = 0.0
        with Store(path) as store:
            merger = Merger(store, gazetteer)
            for n, (doc, truth_ids, copied) in enumerate(generate_reports(world, events, args.reports, rng), 1):
                if copied is not None:
                    copy_of[doc.id] = copied
                t0 = time.perf_counter()
                store.save_document(doc)
                t1 = time.perf_counter()
                failures = merger.sync()
                t2 = time.perf_counter()
                if failures:
                    raise SystemExit(f"merge failed: {failures[0]}")
                saving += t1 - t0
                merging += t2 - t1
                for (event_id, _), truth in zip(store.event_rows(doc.id), truth_ids, strict=True):
                    truth_of[event_id] = truth
                if n % 10_000 == 0:
                    print(f"  {n:>7} reports  merge {n / merging:,.0f} reports/s  peak RSS {peak_rss_mb():,.0f} MB",
                          flush=True)
            cells: Counter[tuple[int, int]] = Counter()
            for event_id, merged_id in store._conn.execute("SELECT event_id, merged_id FROM merged_mentions"):
                cells[(merged_id, truth_of[event_id])] += 1
            copies = {(a, b) for a, b in store._conn.execute("SELECT doc_id, other_id FROM doc_copies")}
            counts = store.merged_counts()
            mentions = len(truth_of)
        size_mb = Path(path).stat().st_size / 2**20
    precision, recall = pairwise(cells)
    found = sum(1 for pair in copy_of.items() if pair in copies)
    print(f"reports {args.reports:,}  mentions {mentions:,}  real events {len(events):,}  "
          f"merged events {counts['merged_events']:,} ({counts['contested']:,} contested)")
    print(f"save  {saving:8.1f} s  {args.reports / saving:8,.0f} reports/s")
    print(f"merge {merging:8.1f} s  {args.reports / merging:8,.0f} reports/s  "
          f"({merging / args.reports * 1000:.2f} ms per report, incremental)")
    print(f"peak RSS {peak_rss_mb():,.0f} MB (before the run {rss_before:,.0f} MB); ledger on disk {size_mb:,.0f} MB")
    print(f"merge on the synthetic truth: pairwise precision {precision:.3f} recall {recall:.3f}")
    print(f"copies (verbatim and lightly rewritten) found: {found:,} of {len(copy_of):,}; "
          f"copy pairs stored {len(copies) // 2:,} (copies of one text are also copies of each other)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
