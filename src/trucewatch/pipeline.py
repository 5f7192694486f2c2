"""The main job: read reports, extract their events, store them. One function a Python user calls.

Stages, in order, each a plain function or small class over the records of ``models``:

    read_paths (ingest)  ->  Extractor.extract (nlp + extract + resolve)  ->  Store.save_document
        ->  Merger.sync (merge: the document's events join the events of the whole ledger)
        ->  refresh_truces (once per run: the truce records stored for SQL users, if the ledger changed)

The first two (:func:`read_and_extract`) may run on the workers of a dask cluster
(:mod:`trucewatch.distributed`); storing and merging always run here, in reading order, so the
ledger does not depend on how many workers read. Reports stream through one at a time: no list of
the corpus is ever made, and a stop (Ctrl-C, :class:`Interrupted`) loses nothing stored.

Error policy: an input that cannot be read becomes a ``Rejection`` (recorded in the database and
returned in the statistics) and the batch goes on; a document is stored in one transaction, so a
failure never leaves half a document, and a document already stored is never changed by a failed
input. A document whose text and metadata are unchanged is not extracted again, until
:func:`reextract` reads every stored document with a curated gazetteer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from trucewatch import config
from trucewatch.extract.extractor import Extractor
from trucewatch.ingest import read_paths
from trucewatch.ledger.stored import refresh_truces
from trucewatch.merge.sync import Merger
from trucewatch.models import Document, Entity, Event, IngestStats, Rejection, Removal, Sentence
from trucewatch.nlp.paragraphs import text_pieces
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store

if TYPE_CHECKING:
    from distributed import Client

Progress = Callable[[str], None]


def extract_document(doc: Document, extractor: Extractor) -> tuple[list[tuple[str, str, int, int]], list[Entity]]:
    """Fill ``doc.sentences`` and ``doc.events``; return its entity mentions and the entities named.

    A text longer than ``PIECE_CHARS`` is read in pieces (cut at paragraph breaks, else after a
    sentence): reading a report does some work per sentence for every sentence before it, so one long
    text would cost the square of its length; in pieces of bounded length its cost grows with its
    length. Each piece is read as a report of its own, with the report's date and metadata (the title
    only for the first), and its offsets and sentence numbers are moved to point into the whole text.
    """
    mentions: list[tuple[str, str, int, int]] = []
    entities: dict[str, Entity] = {}
    doc.sentences, events = [], []
    for start, piece in _pieces(doc):
        found, sentences = extractor.extract(piece)
        base = len(doc.sentences)
        doc.sentences += [Sentence(base + s.idx, start + s.start, start + s.end, s.text) for s in sentences]
        for e in found:
            e.doc_id, e.sentence, e.mentions = doc.id, base + e.sentence, [base + i for i in e.mentions]
            e.start, e.end = (start + e.start, start + e.end) if e.start >= 0 else (e.start, e.end)
            events.append(e)
        for s in sentences:
            for m in s.entities:
                mentions.append((m.entity.id, m.surface, start + m.char_start, start + m.char_end))
                entities[m.entity.id] = m.entity
    doc.events = events
    return mentions, list(entities.values())


PIECE_CHARS = 120_000  # longer than any report of the annotated corpora (their longest: 104,313 characters)


def _pieces(doc: Document) -> Iterator[tuple[int, Document]]:
    """(offset, piece) of a report: the report itself when it is short enough to read whole."""
    if len(doc.text) <= PIECE_CHARS:
        yield 0, doc
        return
    furniture = sorted(doc.removed, key=lambda r: r.start)
    first = 0  # the first stretch of furniture that may reach into this piece or a later one
    for start, end in text_pieces(doc.text, PIECE_CHARS):
        while first < len(furniture) and furniture[first].end <= start:
            first += 1
        removed = []
        k = first
        while k < len(furniture) and furniture[k].start < end:
            r = furniture[k]
            lo, hi = max(r.start, start), min(r.end, end)
            if lo < hi:
                removed.append(Removal(lo - start, hi - start, r.reason, r.text[lo - r.start:hi - r.start]))
            k += 1
        # The warnings list is shared: a note the extractor adds for one piece is the report's, once.
        yield start, replace(doc, text=doc.text[start:end], title=doc.title if start == 0 else None,
                             removed=removed, sentences=[], events=[], warnings=doc.warnings)


@dataclass
class Reading:
    """One report of a run as the store receives it, in reading order: extracted (``mentions`` and
    ``entities`` set), or not because it is stored unchanged (``extracted`` False), or failed
    (``failure``). Made here or by the workers of a cluster (:mod:`trucewatch.distributed`)."""

    document: Document
    extracted: bool = False
    mentions: list[tuple[str, str, int, int]] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    failure: Rejection | None = None


Status = Callable[[Document], str]


def read_and_extract(items: Iterable[Document | Rejection], status: Status | None,
                     extractor: Extractor) -> Iterator[Reading | Rejection]:
    """Extract each report read unless ``status`` says it is stored unchanged (no ``status``: extract
    every one); a report whose status or extraction fails becomes a Reading with its failure."""
    for item in items:
        if isinstance(item, Rejection):
            yield item
            continue
        stage = "store"
        try:
            if status is not None and status(item) == "unchanged":
                yield Reading(item)
                continue
            stage = "extract"
            mentions, entities = extract_document(item, extractor)
        except Exception as exc:  # one bad document must not stop the batch; it is recorded
            yield Reading(item, failure=Rejection(stage, _failure(exc), item.source_path or item.id))
            continue
        yield Reading(item, True, mentions, entities)


class Interrupted(KeyboardInterrupt):
    """An ingest stopped by Ctrl-C (``KeyboardInterrupt``): what it stored stays stored (each report
    and each merge is one transaction, and one cut short is rolled back); ``stats`` says what it
    did. Running it again goes on where it stopped: the reports stored are skipped unread."""

    def __init__(self, stats: IngestStats) -> None:
        super().__init__(f"interrupted after {stats.read:,} reports")
        self.stats = stats


MAX_LISTED = 1_000  # rejections and warnings kept in the statistics; the rest are counted (and stored)
# Reports stored between two merges. The merge takes its queue in publication order, and a report merged
# before an earlier-published one is placed again when that one comes (the merged events are the same
# either way): merging stored reports in batches spares most of that on a corpus read in file order.
# A batch stored but not yet merged when an ingest stops stays queued, and the next run merges it.
MERGE_EVERY = 500


def ingest(
    paths: Iterable[str | Path],
    store: Store,
    *,
    published: str | None = None,
    outlet: str | None = None,
    gazetteer: Gazetteer | None = None,
    extractor: Extractor | None = None,
    progress: Progress | None = None,
    max_bytes: int | None = None,
    client: Client | None = None,
) -> IngestStats:
    """Read every report under ``paths``, extract its events and store them in ``store``.

    ``max_bytes`` (default: the ``max_bytes`` setting, ``$TRUCEWATCH_MAX_BYTES``) is the largest
    input file read; larger ones are rejected unread, so one huge file cannot exhaust memory.

    With a ``dask.distributed`` ``client``, the workers of its cluster read and extract parts of the
    input files (see :mod:`trucewatch.distributed`) and this process stores and merges what they
    send, in reading order: the ledger is the one a run without a client makes.

    Reports are read, extracted and stored one at a time (or a bounded number of parts at once on a
    cluster): memory does not grow with the number of reports. Ctrl-C raises :class:`Interrupted`.
    """
    run = _Run(store, Merger(store, gazetteer), progress)  # the shipped gazetteer when none is given
    limit = max_bytes if max_bytes is not None else cast(int, config.get("max_bytes"))
    readings: Iterable[Reading | Rejection] = ()
    try:
        if client is None:
            items = read_paths(paths, published=published, outlet=outlet, max_bytes=limit)
            readings = read_and_extract(items, store.status, extractor or Extractor(gazetteer))
        else:
            from trucewatch.distributed import read_on_cluster

            check_published(published)
            readings = read_on_cluster(client, paths, store_location(store), gazetteer, published=published,
                                       outlet=outlet, max_bytes=limit)
        for reading in readings:
            if isinstance(reading, Rejection):
                _reject(reading, store, run.stats, progress)
            else:
                run.save(reading)
        _merge(run.merger, store, run.stats)  # the last batch, and what an earlier run or another writer queued
        _refresh_truces(store, gazetteer, run.stats)
    except KeyboardInterrupt as exc:
        if isinstance(readings, Generator):
            readings.close()  # a cluster's pending batches are cancelled now, while its client is open
        raise Interrupted(run.finish()) from exc
    return run.finish()


def check_published(published: str | None) -> None:
    """Raise ``InputError`` for a ``--published`` that is not a date, before anything is read."""
    read_paths([], published=published)


def store_location(store: Store) -> str | None:
    """Where other processes can open ``store`` (to skip the reports it holds), or None for an
    in-memory one."""
    location = getattr(store, "path", None)
    return None if location in (None, ":memory:") else str(location)


@dataclass
class _Run:
    """What the storing side of one ingest keeps between reports."""

    store: Store
    merger: Merger
    progress: Progress | None
    stats: IngestStats = field(default_factory=IngestStats)
    by_type: Counter[str] = field(default_factory=Counter)
    unlisted: int = 0  # warnings past MAX_LISTED
    unmerged: int = 0  # reports stored since the last merge

    def save(self, reading: Reading) -> None:
        """Save one report read (unless it is stored unchanged) and merge it."""
        item, stats, store = reading.document, self.stats, self.store
        stats.read += 1
        if reading.failure is not None:
            _reject(reading.failure, store, stats, self.progress)
            return
        status = "unchanged"
        if reading.extracted:
            try:
                status = store.save_document(item, reading.mentions, reading.entities)
            except Exception as exc:  # one bad document must not stop the batch; it is recorded
                _reject(Rejection("store", _failure(exc), item.source_path or item.id), store, stats, self.progress)
                return
        if status == "unchanged":
            stats.unchanged += 1
        else:
            self.by_type.update(e.type for e in item.events)
            self.unmerged += 1
            if self.unmerged >= MERGE_EVERY:
                _merge(self.merger, store, stats)
                self.unmerged = 0
            if status == "new":
                stats.new += 1
            else:
                stats.updated += 1
        for w in item.warnings:
            if len(stats.warnings) < MAX_LISTED:
                stats.warnings.append(f"{item.source_path or item.id}: {w}")
            else:
                self.unlisted += 1
        if self.progress:
            self.progress(item.source_path or item.id)

    def finish(self) -> IngestStats:
        self.stats.events_by_type = dict(self.by_type)
        if self.unlisted:
            self.stats.warnings.append(f"... and {self.unlisted:,} more warnings")
        return self.stats


def reextract(
    store: Store,
    *,
    gazetteer: Gazetteer | None = None,
    extractor: Extractor | None = None,
    progress: Progress | None = None,
) -> IngestStats:
    """Read every stored report again with the current gazetteer and extractor, and replace the
    events of those whose reading changed (they are merged again); the others are left as they are.

    For after curation: a name added with ``entities add`` or ``entities alias`` reaches the reports
    already stored. ``updated`` counts the reports whose events changed, ``unchanged`` the rest.
    """
    extractor = extractor or Extractor(gazetteer)
    merger = Merger(store, gazetteer)
    stats = IngestStats()
    by_type: Counter[str] = Counter()
    # Streamed: the store reads a page of documents at a time, by id after the last one read, so
    # replacing a document's extraction between pages neither loses nor repeats one.
    for doc in store.documents():
        stats.read += 1
        before = [_reading(e) for e in doc.events]
        try:
            mentions, entities = extract_document(doc, extractor)
            by_type.update(e.type for e in doc.events)
            if [_reading(e) for e in doc.events] == before:
                stats.unchanged += 1
            else:
                store.replace_extraction(doc, mentions, entities)
                stats.updated += 1
                _merge(merger, store, stats)
        except Exception as exc:  # one bad document must not stop the run; its stored version stays
            _reject(Rejection("extract", _failure(exc), doc.source_path or doc.id), store, stats)
        if progress:
            progress(doc.source_path or doc.id)
    _merge(merger, store, stats)
    _refresh_truces(store, gazetteer, stats)
    stats.events_by_type = dict(by_type)
    return stats


def _refresh_truces(store: Store, gazetteer: Gazetteer | None, stats: IngestStats) -> None:
    """Rebuild the stored truce records if the run changed the ledger. A failure leaves the old
    records (marked stale) and the stored reports as they are, and is reported as a warning."""
    try:
        refresh_truces(store, gazetteer)
    except Exception as exc:  # the reports are stored and merged: a truce-building fault must not undo that
        stats.warnings.append(f"truce records not refreshed ({type(exc).__name__}: {exc}); "
                              "they are rebuilt by the next ingest")


def _reading(event: Event) -> tuple[object, ...]:
    """What a reading of a report says of one event, to tell whether reading it again changed it."""
    return tuple((k, v) for k, v in sorted(event.to_dict().items()) if k != "doc_id")


def _merge(merger: Merger, store: Store, stats: IngestStats) -> None:
    """Merge the stored documents still to merge; a document whose merge fails is recorded as failed
    (it stays stored, and is merged again when it changes)."""
    for rejection in merger.sync():
        _reject(rejection, store, stats)


def _failure(exc: Exception) -> str:
    """An unforeseen error as a rejection reason: its kind and message on one bounded line (a
    message may quote a whole input)."""
    message = " ".join(str(exc).split())
    if len(message) > 300:
        message = message[:300] + "..."
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _reject(rejection: Rejection, store: Store, stats: IngestStats, progress: Progress | None = None) -> None:
    """Count and record an input or document that failed; the run goes on."""
    stats.failed += 1
    if len(stats.rejections) < MAX_LISTED:  # all of them are stored; see ``failed`` for the count
        stats.rejections.append(rejection)
    store.record_rejection(rejection)
    if progress:
        progress(str(rejection))
