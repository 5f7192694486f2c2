"""Truce records: ceasefires as records that live over time (parties, conditions, status, violations).

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
from trucewatch.ledger.truces import build_truces, find_truce, truces_from_documents

__all__ = ["ENDINGS", "Condition", "Disavowal", "Ref", "Source", "StatusChange", "Truce", "Violation",
           "build_truces", "find_truce", "truces_from_documents"]
