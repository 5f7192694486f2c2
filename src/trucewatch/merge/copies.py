"""Near-duplicate reports: the same wire story on several sites, light rewrites of one text.

A report's text (page furniture left out, since every site wraps a syndicated story in its own
menus and captions) becomes a set of word 5-shingles, summarised by a MinHash of 128 permutations
(datasketch). Locality-sensitive hashing cuts the signature into bands whose hashes are stored in
the database, so a new report finds the earlier reports it may copy with one indexed lookup,
however many reports are stored, and without rebuilding an index in memory. The candidates are
then confirmed on the exact Jaccard similarity of their shingle sets: the MinHash estimate only
chooses whom to compare, so a chance collision never makes two reports copies.

Copies of one text are one *independent source*: ``source_groups`` turns copy pairs into groups.

A story syndicated to a thousand sites makes a thousand candidates for each new copy. Comparing
with each (as first written) made merging N copies quadratic in exact comparisons. ``CopyFinder``
stops at the first candidate whose shingle set is *identical* to the new report's: two identical
sets have the same Jaccard similarity to every third text and the same LSH bands, so that
candidate's stored copies, with their similarities, are the new report's too; only candidates
whose stored relations may be out of date (waiting in the merge queue) are compared anew. The
pairs stored are exactly those the exhaustive comparison stores.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from trucewatch.models import Removal

NUM_PERM = 128
SHINGLE = 5
# Two reports are copies when at least half of their shingles are shared (exact Jaccard): a wire
# story reposted with its own headline and a changed paragraph stays above it, a different report
# on the same event (which shares names and phrases but not runs of five words) stays far below.
THRESHOLD = 0.5
_WORD = re.compile(r"\w+")


def kept_text(text: str, removed: Iterable[Removal]) -> str:
    """The text without page furniture: what the outlets share when they run the same story."""
    pos = 0
    parts: list[str] = []
    for r in sorted(removed, key=lambda r: r.start):
        if r.start > pos:
            parts.append(text[pos:r.start])
        pos = max(pos, r.end)
    parts.append(text[pos:])
    return " ".join(parts)


def shingles(text: str) -> set[str]:
    """Word 5-shingles of a text, case-folded; a text shorter than five words is one shingle."""
    words = _WORD.findall(text.casefold())
    if len(words) <= SHINGLE:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Fingerprint:
    """What copy detection keeps of a text: its shingles as distinct 64-bit hashes, sorted (Python's
    string hash, which is seeded per process: compared within a run, never stored), and its MinHash.

    A set of shingle strings costs about a hundred bytes per word of the text, a gigabyte for a 50 MB
    text; the hashes cost eight, and two texts sharing a hash without sharing the shingle is a chance of
    about one in 10^12 for texts of a million words."""

    hashes: np.ndarray
    minhash: np.ndarray

    def __len__(self) -> int:
        return int(self.hashes.size)


_SLICE = 1_000_000  # characters of a text cased and split into words at once
_BATCH = 20_000  # shingles given to MinHash at once: it makes a permutations x batch array (20 MB)
_NOT_WORD = re.compile(r"\W")


def _shingle_batches(text: str) -> Iterator[list[str]]:
    """The shingles of :func:`shingles`, in batches, with repeats, reading the text a slice at a time
    (cut between words) so that no list of all its words is ever made."""
    carry: list[str] = []
    made = False
    pos = 0
    while pos < len(text):
        cut = _NOT_WORD.search(text, pos + _SLICE) if len(text) - pos > _SLICE else None
        end = cut.end() if cut else len(text)
        words = carry + _WORD.findall(text[pos:end].casefold())
        pos = end
        for lo in range(0, len(words) - SHINGLE + 1, _BATCH):
            made = True
            yield [" ".join(words[i:i + SHINGLE]) for i in range(lo, min(lo + _BATCH, len(words) - SHINGLE + 1))]
        carry = words[-(SHINGLE - 1):] if len(words) >= SHINGLE else words
    if not made and carry:
        yield [" ".join(carry)]


def shingle_hashes(text: str) -> np.ndarray:
    """The distinct hashes of a text's shingles, sorted (see :class:`Fingerprint`)."""
    parts = [np.fromiter(map(hash, batch), dtype=np.int64, count=len(batch)) for batch in _shingle_batches(text)]
    return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)


def fingerprint(text: str) -> Fingerprint:
    """A text's shingle hashes and MinHash (equal to ``signature(shingles(text))``), made batch by batch
    in memory that does not grow with the text beyond the eight bytes per shingle of its hashes."""
    m = _empty().copy()
    parts = []
    for batch in _shingle_batches(text):
        m.update_batch([s.encode("utf-8") for s in batch])
        parts.append(np.fromiter(map(hash, batch), dtype=np.int64, count=len(batch)))
    hashes = np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)
    values: np.ndarray = m.hashvalues
    return Fingerprint(hashes, values)


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The exact Jaccard similarity of two sets of shingle hashes (sorted, distinct)."""
    if not a.size or not b.size:
        return 0.0
    common = int(np.intersect1d(a, b, assume_unique=True).size)
    return common / (int(a.size) + int(b.size) - common)


@cache
def _empty() -> MinHash:
    """An empty MinHash to copy: building one draws its permutations anew each time."""
    return MinHash(num_perm=NUM_PERM)


@cache
def _bands() -> tuple[tuple[int, int], ...]:
    """(start, end) of each band: datasketch's choice of bands and rows for this threshold, which
    minimises the weighted false positive and false negative probabilities."""
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    return tuple((int(lo), int(hi)) for lo, hi in lsh.hashranges)


def signature(shingle_set: set[str]) -> np.ndarray:
    """The MinHash hash values of a shingle set (an empty set gives the all-maximum signature)."""
    m = _empty().copy()
    m.update_batch([s.encode("utf-8") for s in shingle_set])
    values: np.ndarray = m.hashvalues
    return values


def band_keys(hashvalues: np.ndarray) -> list[int]:
    """One 63-bit key per LSH band: two reports that share a key are candidate copies.

    The band's number is hashed in, so equal values in different bands never meet; keys fit a
    signed SQLite integer.
    """
    keys = []
    for i, (lo, hi) in enumerate(_bands()):
        digest = hashlib.blake2b(hashvalues[lo:hi].tobytes(), digest_size=8, person=i.to_bytes(2, "little"))
        keys.append(int.from_bytes(digest.digest(), "little") >> 1)
    return keys


def source_groups(doc_ids: Iterable[str], pairs: Iterable[tuple[str, str]],
                  first: Callable[[str], str] = str) -> dict[str, str]:
    """Each document's independent source: the document of its copy group (documents connected by
    copy pairs) that sorts first by ``first`` (e.g. ingestion time), else by id. Pairs naming
    other documents are ignored."""
    parent = {d: d for d in doc_ids}

    def find(d: str) -> str:
        while parent[d] != d:
            parent[d] = parent[parent[d]]
            d = parent[d]
        return d

    for a, b in pairs:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                keep, other = sorted((ra, rb), key=lambda d: (first(d), d))
                parent[other] = keep
    return {d: find(d) for d in parent}


class CopyFinder:
    """Finds a new report's copies among its LSH candidates; build one per merge run.

    ``comparisons`` counts the exact shingle comparisons made, the work that made copies of one story
    quadratic. The identical reports met in this run are remembered by signature (bounded), so the one
    to try first is known: a run over N syndicated copies compares each with one earlier copy, and
    does not even list the candidates unless some report waits to be merged.
    """

    MEMORY = 100_000  # signatures remembered: enough for a large batch, a few megabytes at most

    def __init__(self) -> None:
        self.comparisons = 0
        self._seen: OrderedDict[bytes, str] = OrderedDict()  # signature -> a report with that shingle set

    def find(self, doc_id: str, own: Fingerprint, candidates: Callable[[], Sequence[str]], *,
             text_of: Callable[[str], tuple[str, list[Removal]] | None],
             copies_of: Callable[[str], list[tuple[str, float]]],
             pending: Callable[[], Collection[str]]) -> list[tuple[str, float]]:
        """(other report, Jaccard) for every candidate that is a copy of ``doc_id``, whose fingerprint is
        ``own``: what comparing it with every candidate finds.

        ``candidates`` lists the reports that share an LSH band with it, ``text_of`` reads a stored
        report's text and furniture, ``copies_of`` its stored copies, and ``pending`` the reports
        waiting to be merged (their stored copies may describe an older text)."""
        if not own:
            return []  # an empty text is nobody's copy (and would share every band)
        key = own.minhash.tobytes()
        found: dict[str, float] = {}
        compared: set[str] = set()
        known = self._seen.get(key)
        for other in _known_first(known if known != doc_id else None, candidates):
            similarity = self._compare(own, other, text_of)
            if similarity is None:
                continue
            compared.add(other)
            if similarity == 1.0 and other not in (waiting := set(pending())):
                self._remember(key, other)
                return self._inherit(doc_id, other, found, compared, waiting, candidates, own, text_of, copies_of)
            if similarity >= THRESHOLD:
                found[other] = similarity
        self._remember(key, doc_id)
        return sorted(found.items())

    def _inherit(self, doc_id: str, twin: str, found: dict[str, float], compared: set[str], waiting: set[str],
                 candidates: Callable[[], Sequence[str]], own: Fingerprint,
                 text_of: Callable[[str], tuple[str, list[Removal]] | None],
                 copies_of: Callable[[str], list[tuple[str, float]]]) -> list[tuple[str, float]]:
        """The copies of a report whose shingle set is that of ``twin``: those found so far, ``twin``,
        and its stored copies (identical sets have the same similarity to any text, and the same LSH
        bands, so each is a candidate); the candidates waiting to be merged are compared anew."""
        result = dict(found)
        result[twin] = 1.0
        for other, similarity in copies_of(twin):
            if other != doc_id and other not in waiting:
                result.setdefault(other, similarity)
        if waiting - {doc_id} - compared:
            for other in candidates():
                if other in waiting and other not in compared:
                    similarity = self._compare(own, other, text_of)
                    if similarity is not None and similarity >= THRESHOLD:
                        result[other] = similarity
        return sorted(result.items())

    def _compare(self, own: Fingerprint, other: str,
                 text_of: Callable[[str], tuple[str, list[Removal]] | None]) -> float | None:
        """The exact Jaccard similarity of ``own`` to a stored report's shingles (None: no such report)."""
        stored = text_of(other)
        if stored is None:
            return None
        self.comparisons += 1
        return similarity(own.hashes, shingle_hashes(kept_text(*stored)))

    def _remember(self, key: bytes, doc_id: str) -> None:
        self._seen[key] = doc_id
        self._seen.move_to_end(key)
        if len(self._seen) > self.MEMORY:
            self._seen.popitem(last=False)


def _known_first(known: str | None, candidates: Callable[[], Sequence[str]]) -> Iterator[str]:
    """``known`` (a report remembered with the same signature), then the candidates, listed only if
    ``known`` is not enough (the listing costs a query whose answer grows with the copies)."""
    if known is not None:
        yield known
    yield from (c for c in candidates() if c != known)
