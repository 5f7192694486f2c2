"""What the web app keeps between requests: the database, the operator's token, and costly results.

Why a class: a request opens its own ``Store`` (SQLite connections belong to the thread that made
them, and FastAPI runs handlers on a pool of threads), but some things must outlive a request:

* Truce records: every ingest stores them in the database (``store/truces.py``), true as of the
  latest report, so the server reads those (one query, kept until the ledger changes: the store's
  count of committed writes, :meth:`Store.writes`, one cheap query on SQLite and PostgreSQL alike).
  Only when they are stale (an
  ingest could not rebuild them) or a page asks for another date (``as_of``) are they rebuilt from
  every stored report, which takes seconds on a ledger of a few thousand reports and minutes on one
  of 100,000 events: in a separate process (pure Python work in a thread would hold the interpreter
  lock and slow every request down), kept like the stored ones. Pages that can do without them (the
  overview) never wait for a build.
* The extractor takes seconds to load: it is built on the first write only; writes take one lock, so
  two posted reports are never extracted at once.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from trucewatch.errors import StoreError, TrucewatchError
from trucewatch.ledger import Truce
from trucewatch.ledger.stored import stored_truces
from trucewatch.models import IngestStats
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store, queries
from trucewatch.store.connection import is_url
from trucewatch.store.filters import EventFilters
from trucewatch.store.queries import UNITS, EventRow, MapPoint, PeriodCount, Totals, Unit

Fingerprint = tuple[int, ...]


class TrucesPending(TrucewatchError):
    """The truce records are being built and were not ready in time (a large ledger)."""


class _Build:
    """The truce records of one state of the database, built by a child process
    (``python -m trucewatch.web.truce_builder GAZETTEER AS_OF OUT``, the database in its environment,
    ``TRUCEWATCH_BUILD_DB``: a server's URL may hold a password, which a command line would show to
    every user of the machine) that writes them to a file."""

    def __init__(self, fingerprint: Fingerprint, db: str, gazetteer: Path | None, as_of: str | None) -> None:
        self.fingerprint = fingerprint
        self._dir = tempfile.TemporaryDirectory(prefix="trucewatch-truces-")
        self._out = Path(self._dir.name) / "truces.pickle"
        self._done = threading.Event()
        self._truces: list[Truce] | None = None
        self._error: str | None = None
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "trucewatch.web.truce_builder", str(gazetteer or "-"), as_of or "-", str(self._out)],
            env={**os.environ, "TRUCEWATCH_BUILD_DB": db},
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        threading.Thread(target=self._collect, name="trucewatch-truces", daemon=True).start()

    def _collect(self) -> None:
        _, stderr = self._proc.communicate()
        try:
            if self._proc.returncode == 0:
                self._truces = pickle.loads(self._out.read_bytes())
            else:
                lines = stderr.decode("utf-8", "replace").strip().splitlines()
                self._error = lines[-1] if lines else f"the truce builder stopped ({self._proc.returncode})"
        except (OSError, pickle.PickleError, EOFError) as exc:
            self._error = f"the truce records could not be read: {exc}"
        finally:
            self._dir.cleanup()
            self._done.set()

    @property
    def ready(self) -> bool:
        return self._done.is_set() and self._truces is not None

    def wait(self, timeout: float | None = None) -> list[Truce]:
        if not self._done.wait(timeout):
            raise TrucesPending("the truce records are still being built from the ledger; try again shortly")
        if self._truces is None:
            raise TrucewatchError(f"cannot build the truce records: {self._error}")
        return self._truces

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()


def gazetteer_for(path: Path | None) -> Gazetteer:
    """The gazetteer ingest reads (shipped + the user's file as settings find it); with the server's
    ``--gazetteer``, that file, which curation creates if it does not exist yet."""
    from trucewatch.resolve.curation import load_gazetteer

    if path is None:
        return load_gazetteer()
    return Gazetteer.load(extra=[path] if path.is_file() else [])


@dataclass
class Ledger:
    """A ledger served over HTTP. ``token`` unlocks writes; None keeps the API read-only.

    ``db`` is a SQLite file or a PostgreSQL URL (what ``--db`` takes). The ledger must exist: serving
    an empty one made by mistake would show an empty ledger instead of saying that the path is wrong.
    """

    db: str
    token: str | None = None
    gazetteer_file: Path | None = None
    _builds: dict[str | None, _Build] = field(default_factory=dict, init=False, repr=False)
    _views: dict[tuple[Any, ...], Any] = field(default_factory=dict, init=False, repr=False)
    _flights: dict[tuple[Any, ...], threading.Lock] = field(default_factory=dict, init=False, repr=False)
    _local: threading.local = field(default_factory=threading.local, init=False, repr=False)
    _stores: list[Store] = field(default_factory=list, init=False, repr=False)
    _gazetteer: Gazetteer | None = field(default=None, init=False, repr=False)
    _extractor: Any = field(default=None, init=False, repr=False)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _write_lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        self.db = str(self.db)
        if not is_url(self.db) and not Path(self.db).is_file():
            raise StoreError(f"{self.db}: no such database; create it with `trucewatch ingest`")
        # An unreadable, too new or (on a server) empty database fails here, before serving.
        with Store(self.db, create=False):
            pass

    @contextmanager
    def store(self) -> Iterator[Store]:
        """The calling thread's connection (SQLite connections belong to their thread), opened on the
        thread's first request and kept: its page cache stays warm, and the schema check that opening
        runs (which takes the write lock) is not repeated under a running ingest."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.db)
            self._local.store = store
            with self._cache_lock:
                self._stores.append(store)
        yield store

    def event_page(self, filters: EventFilters, *, limit: int, offset: int = 0) -> tuple[list[EventRow], int]:
        """:func:`queries.event_page` with its total kept for the state of the database (or taken from
        the view's kept figures): the next pages of a view, and the view again, are read without
        counting the ledger again.

        With the total known, a page the query layer would read by walking the date index (when the
        page lies well within the matches: ``(offset + limit) * 8 < total``, its own rule) is read
        that way with no count; other pages are read as the query layer chooses, counting again."""
        with self.store() as store:  # opened first: a thread's first opening may create the write-ahead log
            fingerprint = self.fingerprint()
            with self._cache_lock:
                total: int | None = self._views.get((fingerprint, "total", filters))
                figures = [self._views[key] for unit in UNITS
                           if (key := (fingerprint, "summary", filters, unit)) in self._views]
            if total is None and figures:
                total = figures[0][0].events
            if total is not None and offset >= total:
                return [], total
            if total is not None and (offset + limit) * 8 < total:
                rows, _ = queries.event_page(store, filters, limit=limit, offset=offset, count=False)
                return rows, total
            rows, counted = queries.event_page(store, filters, limit=limit, offset=offset)
        self._keep((fingerprint, "total", filters), counted or 0)
        return rows, counted or 0

    def summary(self, filters: EventFilters, unit: Unit = "week") -> tuple[Totals, list[PeriodCount], int]:
        """:func:`queries.summary`, kept for the state of the database it was computed on: the overview
        and repeated views of one filter do not scan the ledger again."""
        return self._cached(("summary", filters, unit), lambda store: queries.summary(store, filters, unit))

    def map_points(self, filters: EventFilters) -> list[MapPoint]:
        """:func:`queries.map_points`, kept like :meth:`summary`."""
        return self._cached(("map", filters), lambda store: queries.map_points(store, filters))

    def _cached(self, key: tuple[Any, ...], compute: Callable[[Store], Any]) -> Any:
        """The value of ``key`` for the database as it is, computed once: a request that asks while
        another computes it waits for that result instead of scanning the ledger a second time."""
        with self.store() as store:  # opened first: a thread's first opening may create the write-ahead log
            key = (self.fingerprint(), *key)
            with self._cache_lock:
                flight = self._flights.setdefault(key, threading.Lock())
            with flight:
                found = self._views.get(key)
                if found is None:
                    found = compute(store)
                    self._keep(key, found)
            with self._cache_lock:
                self._flights.pop(key, None)
        return found

    def _keep(self, full_key: tuple[Any, ...], value: Any) -> None:
        with self._cache_lock:
            if len(self._views) >= 128:  # oldest first out
                self._views.pop(next(iter(self._views)))
            self._views[full_key] = value

    def fingerprint(self) -> Fingerprint:
        """The ledger's count of committed writes (:meth:`Store.writes`, read on the calling thread's
        connection): every write of the store adds one, so a result computed under one fingerprint is
        current while it holds, on SQLite and PostgreSQL alike."""
        with self.store() as store:
            return (store.writes(),)

    def gazetteer(self) -> Gazetteer:
        """The shipped gazetteer plus the user's file (as ``trucewatch ingest`` reads it), loaded once."""
        if self._gazetteer is None:
            self._gazetteer = gazetteer_for(self.gazetteer_file)
        return self._gazetteer

    def _build(self, as_of: str | None) -> _Build:
        """The build of the truce records for the database as it is now: the one under way or done,
        else a new one (a build for an older state is stopped: its records would be out of date)."""
        fingerprint = self.fingerprint()  # before the lock: a thread's first connection is listed under it
        with self._cache_lock:
            build = self._builds.get(as_of)
            if build is None or build.fingerprint != fingerprint:
                if build is not None:
                    build.stop()
                if len(self._builds) > 16:  # as_of values are few in practice; never let them pile up
                    for old in self._builds.values():
                        old.stop()
                    self._builds.clear()
                build = _Build(fingerprint, self.db, self.gazetteer_file, as_of)
                self._builds[as_of] = build
            return build

    def stored_truces(self) -> list[Truce] | None:
        """The truce records the last ingest stored, if they are current (else None), read once per
        state of the database."""
        return self._cached(("stored truces",), stored_truces)

    def truces(self, as_of: str | None = None, timeout: float | None = 45) -> list[Truce]:
        """The truce records, true on ``as_of`` (default: the latest report): the stored ones when they
        are current and no date is asked for, else built, waiting for the build at most ``timeout``
        seconds (then ``TrucesPending``: a request must not hang on a ledger too large to build them
        quickly). Raises ``TrucewatchError`` when they cannot be built."""
        if as_of is None and (stored := self.stored_truces()) is not None:
            return stored
        return self._build(as_of).wait(timeout)

    def cached_truces(self, as_of: str | None = None) -> list[Truce] | None:
        """The truce records if they are stored or built and current, else None; starts a build if
        none is under way."""
        if as_of is None and (stored := self.stored_truces()) is not None:
            return stored
        build = self._build(as_of)
        return build.wait() if build.ready else None

    def warm(self) -> None:
        """Make the first pages quick. Before the server answers: the truce records (the stored ones
        read, or a build started when they are stale) and the overview's figures (one scan of the
        ledger: a fraction of a second on 100,000 events), so that the first visit does not wait for
        them. Then, in the background, the unfiltered map and event count (the map and events pages)."""
        self.cached_truces()
        self.summary(EventFilters(), "week")
        threading.Thread(target=self._warm_views, name="trucewatch-warm", daemon=True).start()

    def _warm_views(self) -> None:
        everything = EventFilters()
        self.map_points(everything)
        self.event_page(everything, limit=1)

    def close(self) -> None:
        """Stop any build still running and close the connections (at shutdown)."""
        with self._cache_lock:
            for build in self._builds.values():
                build.stop()
            self._builds.clear()
            stores, self._stores = self._stores, []
        for store in stores:
            try:
                store.close()
            except Exception:  # noqa: BLE001 - a connection of another thread may refuse; it dies with it
                pass

    # ---- writes (the caller has checked the token) ---------------------------------------------

    def ingest_report(self, report: dict[str, Any]) -> tuple[list[str], IngestStats]:
        """Ingest one posted report (the fields of a JSON report file) as ``trucewatch ingest`` would:
        same reader, extractor, store and merge. Returns the ids read and the run's statistics."""
        import json

        from trucewatch.ingest import read_paths
        from trucewatch.models import Document
        from trucewatch.pipeline import ingest

        with self._write_lock, tempfile.TemporaryDirectory(prefix="trucewatch-post-") as tmp:
            path = Path(tmp) / "posted-report.json"
            path.write_text(json.dumps({k: v for k, v in report.items() if v is not None}), encoding="utf-8")
            ids = [item.id for item in read_paths([path]) if isinstance(item, Document)]
            with self.store() as store:
                stats = ingest([path], store, gazetteer=self.gazetteer(), extractor=self._extractor_for_writes())
        return ids, stats

    def _extractor_for_writes(self) -> Any:
        from trucewatch.extract.extractor import Extractor

        if self._extractor is None:
            self._extractor = Extractor(self.gazetteer())
        return self._extractor

    @contextmanager
    def curating(self) -> Iterator[Path]:
        """The user's gazetteer file, locked against other writes; the loaded gazetteer and extractor
        are dropped afterwards, so the next ingest reads the curated names."""
        from trucewatch.resolve.curation import user_gazetteer_path

        with self._write_lock:
            try:
                yield user_gazetteer_path(self.gazetteer_file)
            finally:
                self._gazetteer = None
                self._extractor = None

