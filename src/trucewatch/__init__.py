"""trucewatch: a source-attributed ledger of attacks, strikes, casualties and ceasefires from news reports.

    >>> from trucewatch import Store, ingest
    >>> with Store("ledger.db") as store:
    ...     stats = ingest(["examples/"], store)

Names are imported lazily so that importing one module (say ``trucewatch.resolve.names``) does not
load spaCy and the whole pipeline.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["Document", "Entity", "Event", "Extractor", "Gazetteer", "IngestStats", "Rejection", "Store",
           "extract_document", "ingest"]
__version__ = "0.1.0"

_WHERE = {
    "Document": "trucewatch.models", "Entity": "trucewatch.models", "Event": "trucewatch.models",
    "IngestStats": "trucewatch.models", "Rejection": "trucewatch.models", "Store": "trucewatch.store",
    "Extractor": "trucewatch.extract.extractor", "Gazetteer": "trucewatch.resolve.names",
    "extract_document": "trucewatch.pipeline", "ingest": "trucewatch.pipeline",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'trucewatch' has no attribute {name!r}")
