"""The main job: read reports, extract their events, store them. One function a Python user calls.

Stages, in order, each a plain function or small class over the records of ``models``:

    read_paths (ingest)  ->  Extractor.extract (nlp + extract + resolve)  ->  Store.save_document
        ->  Merger.sync (merge: the document's events join the events of the whole ledger)
        ->  refresh_truces (once per run: the truce records stored for SQL users, if the ledger changed)

Error policy: an input that cannot be read becomes a ``Rejection`` (recorded in the database and
returned in the statistics) and the batch goes on; a document is stored in one transaction, so a
failure never leaves half a document, and a document already stored is never changed by a failed
input. A document whose text and metadata are unchanged is not extracted again, until
:func:`reextract` reads every stored document with a curated gazetteer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import cast

from trucewatch import config
from trucewatch.extract.extractor import Extractor
from trucewatch.ingest import read_paths
from trucewatch.ledger.stored import refresh_truces
from trucewatch.merge.sync import Merger
from trucewatch.models import Document, Entity, Event, IngestStats, Rejection, Removal, Sentence
from trucewatch.nlp.paragraphs import text_pieces
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store

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
) -> IngestStats:
    """Read every report under ``paths``, extract its events and store them in ``store``.

    ``max_bytes`` (default: the ``max_bytes`` setting, ``$TRUCEWATCH_MAX_BYTES``) is the largest
    input file read; larger ones are rejected unread, so one huge file cannot exhaust memory.
    """
    extractor = extractor or Extractor(gazetteer)
    merger = Merger(store, gazetteer)  # the shipped gazetteer when none is given
    stats = IngestStats()
    by_type: Counter[str] = Counter()
    limit = max_bytes if max_bytes is not None else cast(int, config.get("max_bytes"))
    for item in read_paths(paths, published=published, outlet=outlet, max_bytes=limit):
        if isinstance(item, Rejection):
            _reject(item, store, stats, progress)
            continue
        stats.read += 1
        stage = "store"
        try:
            status = store.status(item)
            if status != "unchanged":
                stage = "extract"
                mentions, entities = extract_document(item, extractor)
                stage = "store"
                status = store.save_document(item, mentions, entities)
        except Exception as exc:  # one bad document must not stop the batch; it is recorded
            _reject(Rejection(stage, _failure(exc), item.source_path or item.id), store, stats, progress)
            continue
        if status == "unchanged":
            stats.unchanged += 1
        else:
            by_type.update(e.type for e in item.events)
            _merge(merger, store, stats)
            if status == "new":
                stats.new += 1
            elif status == "updated":
                stats.updated += 1
            else:
                stats.unchanged += 1
        stats.warnings.extend(f"{item.source_path or item.id}: {w}" for w in item.warnings)
        if progress:
            progress(item.source_path or item.id)
    _merge(merger, store, stats)  # documents queued by an earlier run or another writer
    _refresh_truces(store, gazetteer, stats)
    stats.events_by_type = dict(by_type)
    return stats


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
    for doc in list(store.documents()):
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
    stats.rejections.append(rejection)
    store.record_rejection(rejection)
    if progress:
        progress(str(rejection))
