"""Near-duplicate reports: the same wire story on several sites, light rewrites of one text.

A report's text (page furniture left out, since every site wraps a syndicated story in its own
menus and captions) becomes a set of word 5-shingles, summarised by a MinHash of 128 permutations
(datasketch). Locality-sensitive hashing cuts the signature into bands whose hashes are stored in
the database, so a new report finds the earlier reports it may copy with one indexed lookup,
however many reports are stored, and without rebuilding an index in memory. The candidates are
then confirmed on the exact Jaccard similarity of their shingle sets: the MinHash estimate only
chooses whom to compare, so a chance collision never makes two reports copies.

Copies of one text are one *independent source*: ``source_groups`` turns copy pairs into groups.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
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
