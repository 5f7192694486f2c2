"""How many reports an ingest will read, so that its progress bar has a total and an ETA.

The count follows what :func:`~trucewatch.ingest.readers.read_paths` yields, one item per report or
per rejection: a text or HTML file is one; a JSON Lines file one per non-empty line; a JSON file one
per object of its list; a feed one per item. A file that cannot be read, is of an unsupported kind
or is too large is one (its rejection). Feeds are counted by their ``<item>``/``<entry>`` tags
without parsing them, so a malformed feed may count more than it yields; the bar is an estimate and
is completed when the run ends.

Counting costs a walk of the folders and a scan of the JSON Lines and feed files, never a parse of
a report; :func:`counts` yields file by file, so that a caller can count beside the ingest (a
million reports need not be counted before the first is read) and stop when it likes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from trucewatch.ingest.readers import _READERS, iter_files

_FEED_ITEM = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]")
_CHUNK = 1 << 20


def count_reports(paths: Iterable[str | Path], max_bytes: int) -> int:
    """The number of reports (and rejections) reading ``paths`` will yield."""
    return sum(counts(paths, max_bytes))


def counts(paths: Iterable[str | Path], max_bytes: int) -> Iterator[int]:
    """The number of reports (and rejections) of each input file in turn, in reading order."""
    for given in paths:
        try:
            for path in iter_files(Path(given)):
                yield _count_file(path, max_bytes)
        except OSError:
            yield 1  # the folder's rejection


def _count_file(path: Path, max_bytes: int) -> int:
    suffix = path.suffix.lower()
    if suffix not in _READERS or suffix in (".txt", ".html", ".htm"):
        return 1
    try:
        if path.stat().st_size > max_bytes:
            return 1
        if suffix == ".jsonl":
            return max(1, _count_lines(path))
        data = path.read_bytes()
    except OSError:
        return 1
    if suffix == ".json":
        try:
            value = json.loads(data)
        except (ValueError, UnicodeDecodeError, RecursionError):
            return 1
        return max(1, len(value)) if isinstance(value, list) else 1
    return max(1, len(_FEED_ITEM.findall(data)))


def _count_lines(path: Path) -> int:
    """Non-empty lines of a file, read a megabyte at a time."""
    lines = 0
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            parts = (tail + chunk).split(b"\n")
            tail = parts.pop()
            lines += sum(1 for line in parts if line.strip())
    return lines + (1 if tail.strip() else 0)
