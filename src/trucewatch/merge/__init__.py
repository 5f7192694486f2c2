"""Merging across reports: copies of one text, one record per real-world event, where reports disagree.

    >>> from trucewatch.merge import Merger
    >>> Merger(store).sync()   # merge every document saved since the last sync

``Merger`` (``sync``) runs the stage, ``incremental`` keeps the merged events equal to merging
every stored mention from scratch (``clusters``); ``copies``, ``coref`` (with ``dates``,
``knowledge`` and ``profiles``), ``values``, ``contradictions``, ``claims`` and ``attribution`` hold
its rules as plain functions; ``records`` its data. Names are
imported lazily: the store imports ``records`` and must not pull in the merging code with it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["Attribution", "Claim", "Contradiction", "MergedEvent", "Merger", "attribute", "find_claims"]

_WHERE = {
    "Merger": "trucewatch.merge.sync", "attribute": "trucewatch.merge.attribution",
    "find_claims": "trucewatch.merge.claims", "Attribution": "trucewatch.merge.records",
    "Claim": "trucewatch.merge.records", "Contradiction": "trucewatch.merge.records",
    "MergedEvent": "trucewatch.merge.records",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'trucewatch.merge' has no attribute {name!r}")
