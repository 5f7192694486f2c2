"""The ingest stage: report files in, ``Document`` records out.

``read_paths`` reads text, HTML, JSON/JSONL and RSS/Atom files (bad inputs become ``Rejection``
records, never exceptions), ``find_furniture`` marks page furniture without touching the text, and
``discover_published`` finds a report's publication date when its metadata has none.
"""

from trucewatch.ingest.furniture import find_furniture
from trucewatch.ingest.pubdate import discover_published
from trucewatch.ingest.readers import read_paths

__all__ = ["discover_published", "find_furniture", "read_paths"]
