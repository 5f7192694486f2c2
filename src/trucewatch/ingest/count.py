"""How many reports an ingest will read, counted before it starts, so that its progress bar has a
total and an ETA from the first report on.

The count follows what :func:`~trucewatch.ingest.readers.read_paths` yields, one item per report or
per rejection: a text or HTML file is one; a JSON Lines file one per non-empty line; a JSON file one
per object of its list; a feed one per item. A file that cannot be read, is of an unsupported kind
or is too large is one (its rejection). Feeds are counted by their ``<item>``/``<entry>`` tags
without parsing them, so a malformed feed may count more than it yields; the bar is an estimate and
is completed when the run ends.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from trucewatch.ingest.readers import _READERS, _files

_FEED_ITEM = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s>/]")


def count_reports(paths: Iterable[str | Path], max_bytes: int) -> int:
    """The number of reports (and rejections) reading ``paths`` will yield."""
    total = 0
    for given in paths:
        try:
            files = _files(Path(given))
        except OSError:
            total += 1  # the folder's rejection
            continue
        total += sum(_count_file(path, max_bytes) for path in files)
    return total


def _count_file(path: Path, max_bytes: int) -> int:
    suffix = path.suffix.lower()
    if suffix not in _READERS or suffix in (".txt", ".html", ".htm"):
        return 1
    try:
        if path.stat().st_size > max_bytes:
            return 1
        data = path.read_bytes()
    except OSError:
        return 1
    if suffix == ".jsonl":
        return max(1, sum(1 for line in data.split(b"\n") if line.strip()))
    if suffix == ".json":
        try:
            value = json.loads(data)
        except (ValueError, UnicodeDecodeError):
            return 1
        return max(1, len(value)) if isinstance(value, list) else 1
    return max(1, len(_FEED_ITEM.findall(data)))
