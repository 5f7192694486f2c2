"""The event ledger in SQLite or PostgreSQL: one ``Store`` over the tables each module of this
package owns.

=================  ===========================================================================
``base``           opening (migrations, WAL, ``create=False`` for readers), write transactions
``connection``     the two databases behind one interface: dialects, locks (``postgres``: the server)
``documents``      reports, their sentences and per-report events, rejections
``entities``       entities and the spellings that resolved to them
``merged``         events merged across reports, copies, contradictions, claims
``truces``         the truce records built from the ledger, stored for SQL and datasette users
``reference``      reference data sets imported from elsewhere (ACLED extracts), never events
=================  ===========================================================================

``Store`` is the one class callers use; the split only keeps each table's SQL beside its docs.
"""

from __future__ import annotations

from trucewatch.store.documents import DocumentStore, Status
from trucewatch.store.entities import EntityStore
from trucewatch.store.merged import MergedStore
from trucewatch.store.reference import ReferenceStore
from trucewatch.store.sql import check_date as _check_date
from trucewatch.store.sql import event_filters as _event_filters
from trucewatch.store.sql import fts_query as _fts_query
from trucewatch.store.truces import TruceStore

__all__ = ["Status", "Store", "_check_date", "_event_filters", "_fts_query"]


class Store(DocumentStore, EntityStore, MergedStore, TruceStore, ReferenceStore):
    """A trucewatch database. Open with a file path (SQLite, WAL mode), ``":memory:"`` (tests), or a
    PostgreSQL URL (``postgresql://user:password@host/dbname``).

    Opening applies any pending migrations; a database written by a newer trucewatch, a missing
    directory, a file that is not SQLite, or a server that cannot be reached raises ``StoreError``
    naming the path (a URL without its password), and so does a file, or a server database without a
    ledger, when ``create=False`` (every command that only reads the ledger).
    """
