"""Truce records: ceasefires as records that live over time (parties, conditions, status, violations).

Built from the events of the ledger, never typed in: see :mod:`trucewatch.ledger.truces` for how
reports become records, :mod:`trucewatch.ledger.records` for what a record holds.

    >>> from trucewatch import Store
    >>> from trucewatch.ledger import build_truces
    >>> with Store("ledger.db") as store:
    ...     for truce in build_truces(store):
    ...         print(truce.id, truce.status)
"""

from trucewatch.ledger.records import (
    ENDINGS,
    Condition,
    Disavowal,
    Ref,
    Source,
    StatusChange,
    Truce,
    Violation,
)
from trucewatch.ledger.stored import refresh_truces
from trucewatch.ledger.truces import build_truces, find_truce, truces_from_documents

__all__ = ["ENDINGS", "Condition", "Disavowal", "Ref", "Source", "StatusChange", "Truce", "Violation",
           "build_truces", "find_truce", "refresh_truces", "truces_from_documents"]
