"""Reading and extracting reports on a ``dask.distributed`` cluster, for large ingests.

``trucewatch ingest --workers N`` starts a local cluster of N worker processes; ``--scheduler
ADDRESS`` joins a running one. Reading and extracting a report is the work (tens of milliseconds);
storing and merging it is not, so:

1. this process walks the inputs (names and sizes: nothing is read) and groups them into batches of
   about ``BATCH_BYTES`` of files; a JSON Lines file over that is cut into byte ranges
   (:func:`~trucewatch.ingest.readers.file_parts`). A task's arguments are paths and ranges, never
   reports, so the task graph does not grow with the corpus;
2. each worker reads its batches, asks the ledger which reports it already holds unchanged (those
   are not extracted: a re-run or a resumed run costs reading, not extraction), extracts the others
   with its own extractor (built once per worker, from the gazetteer this process sends it once),
   and sends back the readings;
3. this process stores and merges the readings in reading order, as a run without a cluster would:
   the same documents, events and merged events, whatever the number of workers. At most
   ``IN_FLIGHT`` batches per worker thread are queued or running, so memory stays bounded.

A task costs about 2 ms of scheduling; a batch holds about fifty reports, so that is noise.
"""

from __future__ import annotations

import signal
import threading
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from trucewatch.errors import TrucewatchError
from trucewatch.ingest.readers import Part, file_parts, read_part
from trucewatch.models import Rejection
from trucewatch.pipeline import Reading, read_and_extract
from trucewatch.resolve.names import Gazetteer

if TYPE_CHECKING:
    from distributed import Client, Future

BATCH_BYTES = 256 * 1024  # about fifty news reports
BATCH_FILES = 64  # and at most this many files, however small
IN_FLIGHT = 3  # batches queued or running per worker thread: enough that no worker waits
EXTRA = "scale"  # the optional dependencies that hold dask.distributed


class ClusterError(TrucewatchError):
    """dask.distributed is missing, or its cluster cannot be started or reached."""


@contextmanager
def cluster_client(workers: int | None = None, scheduler: str | None = None) -> Iterator[Client]:
    """A client of a new local cluster of ``workers`` processes (one thread each), or of the running
    cluster whose scheduler is at ``scheduler``; closed (and a local cluster stopped) on leaving."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:
        raise ClusterError(f"--workers and --scheduler need dask.distributed: pip install 'trucewatch[{EXTRA}]'"
                           ) from exc
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout="30s")
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from exc
        with client:
            yield client
        return
    if workers is None or workers < 1:
        raise ClusterError(f"--workers must be at least 1, not {workers}")
    # The worker processes ignore Ctrl-C (they inherit the SIGINT disposition they start with): the
    # terminal sends it to them too, and it is this process that stops the run and the cluster.
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    with cluster, Client(cluster) as client:
        yield client


def batches(paths: Iterable[str | Path], batch_bytes: int = BATCH_BYTES,
            batch_files: int = BATCH_FILES) -> Iterator[list[Part] | Rejection]:
    """The parts of the input files grouped into batches in reading order, with the rejection of a
    folder that cannot be listed in its place. Only the file system's names and sizes are read."""
    batch: list[Part] = []
    size = 0
    for part in file_parts(paths, batch_bytes):
        if isinstance(part, Rejection):
            if batch:
                yield batch
                batch, size = [], 0
            yield part
            continue
        batch.append(part)
        size += _size(part)
        if size >= batch_bytes or len(batch) >= batch_files:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def _size(part: Part) -> int:
    if part.end is not None:
        return part.end - part.start
    try:
        return part.path.stat().st_size - part.start
    except OSError:
        return 0


def read_on_cluster(client: Client, paths: Iterable[str | Path], store_location: str | None,
                    gazetteer: Gazetteer | None, *, published: str | None = None, outlet: str | None = None,
                    max_bytes: int = 20_000_000) -> Iterator[Reading | Rejection]:
    """The readings of every report under ``paths``, in reading order, read and extracted by the
    workers of ``client``'s cluster. ``store_location`` is the ledger the workers open to skip the
    reports it holds unchanged (None: they extract every report, and storing skips the unchanged).
    ``published`` must already be checked."""
    name = f"trucewatch-reader-{uuid.uuid4().hex}"
    client.register_plugin(ReaderPlugin(gazetteer, store_location), name=name)
    limit = max(1, sum(client.nthreads().values())) * IN_FLIGHT
    pending: deque[tuple[list[Part], Future] | Rejection] = deque()
    running = 0
    try:
        for batch in batches(paths, BATCH_BYTES, BATCH_FILES):
            if isinstance(batch, Rejection):
                pending.append(batch)
                continue
            future = client.submit(read_batch, name, batch, published, outlet, max_bytes, pure=False)
            pending.append((batch, future))
            running += 1
            while running >= limit or (pending and isinstance(pending[0], Rejection)):
                head = pending.popleft()
                if not isinstance(head, Rejection):
                    running -= 1
                yield from _results(head)
        while pending:
            yield from _results(pending.popleft())
    finally:
        try:
            client.cancel([item[1] for item in pending if not isinstance(item, Rejection)])
            client.unregister_worker_plugin(name)
        except Exception:  # a cluster that is going away (Ctrl-C) may not answer; its workers go too
            pass


def _results(head: tuple[list[Part], Future] | Rejection) -> Iterator[Reading | Rejection]:
    """A batch's readings, or the rejection waiting in the queue; a batch whose task failed (its
    worker died) is one rejection per part, naming the failure."""
    if isinstance(head, Rejection):
        yield head
        return
    batch, future = head
    try:
        results: list[Reading | Rejection] = future.result()
    except Exception as exc:  # a task that failed on the cluster must not stop the run
        reason = f"worker failed: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}"
        for part in batch:
            where = "" if part.end is None and part.start == 0 else f" (bytes {part.start}-{part.end or 'end'})"
            yield Rejection("extract", reason + where, str(part.path))
        return
    yield from results


def read_batch(plugin: str, batch: list[Part], published: str | None, outlet: str | None,
               max_bytes: int) -> list[Reading | Rejection]:
    """The task a worker runs: read and extract one batch with the worker's reader."""
    from distributed import get_worker

    reader: ReaderPlugin = get_worker().plugins[plugin]  # type: ignore[assignment]
    return reader.read(batch, published, outlet, max_bytes)


try:
    from distributed import WorkerPlugin as _PluginBase
except ImportError:  # without dask, nothing here is run; ReaderPlugin stays importable
    _PluginBase = object  # type: ignore[assignment,misc]


class ReaderPlugin(_PluginBase):  # type: ignore[misc,valid-type]
    """What a worker keeps between tasks of one run: the gazetteer, the extractor built from it on
    the first task (spaCy and the models load once per worker, not per batch), and where the
    ledger is. Tasks of one worker take turns (a lock): a worker with several threads does not
    share one extractor between them at once."""

    def __init__(self, gazetteer: Gazetteer | None, store_location: str | None) -> None:
        self.gazetteer = gazetteer
        self.store_location = store_location
        self._extractor: Any = None
        self._lock: threading.Lock | None = None

    def setup(self, worker: Any) -> None:
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {"gazetteer": self.gazetteer, "store_location": self.store_location}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["gazetteer"], state["store_location"])  # type: ignore[misc]

    def read(self, batch: list[Part], published: str | None, outlet: str | None,
             max_bytes: int) -> list[Reading | Rejection]:
        from trucewatch.extract.extractor import Extractor

        with self._lock or threading.Lock():
            if self._extractor is None:
                self._extractor = Extractor(self.gazetteer)
            store = self._open_store()
            try:
                items = (item for part in batch
                         for item in read_part(part, published=published, outlet=outlet, max_bytes=max_bytes))
                return list(read_and_extract(items, store.status if store else None, self._extractor))
            finally:
                if store is not None:
                    store.close()

    def _open_store(self) -> Any:
        """The ledger, opened for this batch, to ask which reports it holds; None when this worker
        cannot open it (another machine): then every report is extracted."""
        if self.store_location is None:
            return None
        from trucewatch.store import Store

        try:
            return Store(self.store_location, create=False)
        except TrucewatchError:
            return None
