"""``ingest``, ``reextract`` and ``train``: reading reports into the ledger, and fitting the models.

The progress bar of ``ingest`` has a total early: the reports are counted in a thread beside the
run (a folder is walked, a JSON Lines file's lines counted, nothing parsed), which starts at once
and usually finishes while the extractor loads (several seconds, spaCy and the models); on a huge
corpus the total keeps growing while the first reports are read, instead of making them wait. The
bar's clock starts with the first report, so the ETA is not skewed by the loading.

Ctrl-C stops an ingest cleanly: what was stored stays stored, one line says so, and the exit
status is 130; the same command run again skips the reports stored and goes on.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any, Optional, cast

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from trucewatch import config
from trucewatch.commands import common
from trucewatch.commands.common import DbOption, console, fail
from trucewatch.errors import TrucewatchError
from trucewatch.models import EVENT_TYPES, IngestStats

GazetteerOption = Annotated[Optional[Path], typer.Option(help=config.SETTINGS[1].help)]


def progress_bar(on: Console) -> Progress:
    """A bar of reports on ``on`` (standard error), with the count, elapsed time and ETA; shown only
    on a terminal."""
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TextColumn("reports"), TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn(),
                    console=on, transient=True, disable=not on.is_terminal)


def ingest(
    paths: Annotated[list[Path], typer.Argument(
        help="Files or folders of reports (.txt, .html, .json, .jsonl, feeds).")],
    db: DbOption = None,
    published: Annotated[Optional[str], typer.Option(
        help="Publication date YYYY-MM-DD for files that lack one.")] = None,
    outlet: Annotated[Optional[str], typer.Option(help="Outlet name for files that lack one.")] = None,
    gazetteer: GazetteerOption = None,
    workers: Annotated[Optional[int], typer.Option(
        help="Read and extract on a local dask cluster of N worker processes (needs the 'scale' extra).",
        min=1)] = None,
    scheduler: Annotated[Optional[str], typer.Option(
        help="Read and extract on the running dask cluster whose scheduler is at ADDRESS (tcp://host:8786).",
        metavar="ADDRESS")] = None,
) -> None:
    """Read reports, extract their events and store them; prints a summary table. Ctrl-C stops it
    (exit status 130) keeping what was stored; running it again resumes."""
    from trucewatch.extract.extractor import Extractor
    from trucewatch.pipeline import Interrupted
    from trucewatch.pipeline import ingest as run
    from trucewatch.resolve.curation import load_gazetteer

    if workers is not None and scheduler is not None:
        fail("give --workers or --scheduler, not both")
    stop = threading.Event()
    try:
        with progress_bar(common.err) as bar:
            task = bar.add_task("counting reports", total=None)
            limit = cast(int, config.get("max_bytes"))
            counter = count_beside(paths, limit, bar, task, stop)
            bar.update(task, description="loading the extractor")
            # --gazetteer, else the setting, else trucewatch-gazetteer.yaml when `entities add` wrote one.
            gaz = load_gazetteer(gazetteer)
            with common.open_store(db, create=True) as store:
                if workers is None and scheduler is None:
                    extractor = Extractor(gaz)
                    bar.reset(task, description="ingesting")
                    stats = run(paths, store, published=published, outlet=outlet, gazetteer=gaz,
                                extractor=extractor, progress=lambda _: bar.advance(task), max_bytes=limit)
                else:
                    from trucewatch.distributed import cluster_client

                    quiet_cluster()
                    with cluster_client(workers, scheduler) as client:
                        bar.reset(task, description="ingesting")
                        stats = run(paths, store, published=published, outlet=outlet, gazetteer=gaz,
                                    progress=lambda _: bar.advance(task), max_bytes=limit, client=client)
            stop.set()
            counter.join()
    except TrucewatchError as exc:
        fail(exc)
    except Interrupted as exc:
        done = exc.stats
        common.err.print(f"interrupted: {done.read:,} reports read ({done.new:,} new, {done.updated:,} updated) "
                         "are stored; run the same command again to go on", soft_wrap=True)
        raise typer.Exit(130) from None
    except KeyboardInterrupt:
        common.err.print("interrupted before any report was stored", soft_wrap=True)
        raise typer.Exit(130) from None
    finally:
        stop.set()
    summary(stats, "Ingest summary", ("read", "new", "updated", "unchanged", "failed"))


def quiet_cluster() -> None:
    """Keep dask's own notes (a busy dashboard port, a worker killed at the end of a stopped run) off
    the terminal: its errors still show, and the run's own messages say what happened."""
    import logging
    import warnings

    logging.getLogger("distributed").setLevel(logging.ERROR)
    warnings.filterwarnings("ignore", message="Port .* is already in use", category=UserWarning)


def count_beside(paths: Sequence[Path], limit: int, bar: Progress, task: TaskID,
                 stop: threading.Event) -> threading.Thread:
    """Count the reports of ``paths`` in a thread, raising the bar's total as it goes, until done
    or ``stop`` is set; the run does not wait for it."""
    from trucewatch.ingest.count import counts

    def count() -> None:
        total = 0
        for n in counts(paths, limit):
            if stop.is_set():
                return
            total += n
            bar.update(task, total=total)

    thread = threading.Thread(target=count, name="count reports", daemon=True)
    thread.start()
    return thread


def reextract(
    db: DbOption = None,
    gazetteer: GazetteerOption = None,
) -> None:
    """Read the stored reports again with the current gazetteer (after `entities add`, `alias` or
    `merge`) and replace the events of those whose reading changed; prints a summary table."""
    from trucewatch.pipeline import reextract as run
    from trucewatch.resolve.curation import load_gazetteer

    try:
        gaz = load_gazetteer(gazetteer)
        with common.open_store(db) as store, progress_bar(common.err) as bar:
            task = bar.add_task("re-extracting", total=store.counts()["documents"])
            stats = run(store, gazetteer=gaz, progress=lambda _: bar.advance(task))
    except TrucewatchError as exc:
        fail(exc)
    summary(stats, "Re-extract summary", ("read", "updated", "unchanged", "failed"))


def summary(stats: IngestStats, title: str, columns: tuple[str, ...]) -> None:
    """Rejections and warnings on stderr, then the counts and the events by type; exit 1 on a failure."""
    err = common.err
    for r in stats.rejections:
        err.print(f"[red]failed[/red] {escape(str(r))}", soft_wrap=True)
    for w in stats.warnings:
        err.print(f"[yellow]warning[/yellow] {escape(w)}", soft_wrap=True)
    table = Table(title=title)
    for col in columns:
        table.add_column(col, justify="right")
    table.add_row(*(str(getattr(stats, c)) for c in columns))
    console.print(table)
    if stats.events_by_type:
        by_type = Table(title="Events extracted")
        by_type.add_column("type")
        by_type.add_column("events", justify="right")
        for t in EVENT_TYPES:
            if stats.events_by_type.get(t):
                by_type.add_row(t, str(stats.events_by_type[t]))
        console.print(by_type)
    if stats.failed:
        raise typer.Exit(1)


def train(
    corpus: Annotated[Path, typer.Option(
        help="Annotated corpus: a folder of batches (docs.jsonl + gold.jsonl) with aliases.json.")] = Path(
        "corpus/train"),
    out: Annotated[Optional[Path], typer.Option(
        help="Where to write the weights (default: the package's own data/models, which ingestion reads).")] = None,
    cv: Annotated[int, typer.Option(help="Cross-validate by report over this many folds and print the figures "
                                         "instead of training.")] = 0,
    limit: Annotated[Optional[int], typer.Option(help="Use only the first N reports (a quick run).")] = None,
) -> None:
    """Train the extractor's models on an annotated corpus (seeded, reproducible), or cross-validate them."""
    from trucewatch.learn import run

    err = common.err
    try:
        data = run.load(corpus, limit=limit, progress=lambda m: err.print(f"read {escape(m)}", soft_wrap=True))
        err.print(f"{len(data.docs)} reports, {data.events} events")
        if cv:
            total, by_kind = run.crossvalidate(data, cv, progress=lambda m: err.print(m))
            _score_table(total.figures(), f"{cv}-fold cross-validation by report ({len(data.docs)} reports)")
            kinds = Table(title="by kind of batch")
            for col in ("batches", "gold", "event F1", "strict F1", "actor", "target", "location", "date"):
                kinds.add_column(col, justify="left" if col == "batches" else "right")
            for kind, score in sorted(by_kind.items()):
                f = score.figures()
                a = f["attributes"]
                kinds.add_row(kind, str(f["gold"]), f"{f['f1']:.3f}", f"{f['strict_f1']:.3f}",
                              *(f"{a[x]:.3f}" if a[x] is not None else "-" for x in ("actor", "target", "location",
                                                                                     "date")))
            console.print(kinds)
            return
        written = run.train(data, out)
    except TrucewatchError as exc:
        fail(exc)
    for name, path in written.items():
        console.print(f"wrote {name}: {escape(str(path))}", soft_wrap=True)


def _score_table(fig: dict[str, Any], title: str) -> None:
    table = Table(title=title)
    for col in ("type", "gold", "pred", "P", "R", "F1"):
        table.add_column(col, justify="right" if col != "type" else "left")
    for name, t in fig["types"].items():
        table.add_row(name, str(t["gold"]), str(t["pred"]), f"{t['precision']:.3f}", f"{t['recall']:.3f}",
                      f"{t['f1']:.3f}")
    table.add_row("all", str(fig["gold"]), str(fig["pred"]), f"{fig['precision']:.3f}", f"{fig['recall']:.3f}",
                  f"{fig['f1']:.3f}")
    console.print(table)
    attrs = ", ".join(f"{a} {v:.3f}" for a, v in fig["attributes"].items() if v is not None)
    console.print(f"attribute accuracy on matched events: {attrs}", soft_wrap=True)
    if fig.get("condition_recall") is not None:
        console.print(f"ceasefire condition word recall: {fig['condition_recall']:.3f}")
    console.print(f"event F1 {fig['f1']:.3f}  strict F1 {fig['strict_f1']:.3f}")
