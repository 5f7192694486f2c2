"""CSV writing shared by every CSV format.

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some
spreadsheets skip before looking) is read by Excel, LibreOffice and Google Sheets as a formula: a
report that says ``=HYPERLINK("http://...")`` would become a live link, or worse, in the analyst's
spreadsheet. Such text cells get a leading apostrophe, which spreadsheets show as text and do not
display; numbers are written as numbers (a negative longitude is data, not a formula). Reading a
CSV back (``trucewatch import``) removes the apostrophe again (:func:`unneutralise`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """The value as a safe CSV cell: text that a spreadsheet would run as a formula is prefixed
    with an apostrophe; other values (numbers, None) are returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """Undo :func:`neutralise` on a cell read back from a CSV file."""
    if len(value) > 1 and value[0] == "'" and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def write_csv(out: IO[str], fieldnames: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """Write a header and ``rows`` (extra keys ignored, missing ones empty), every cell neutralised;
    returns the number of rows written."""
    writer = csv.DictWriter(out, fieldnames=list(fieldnames), extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow({key: neutralise(value) for key, value in row.items()})
        n += 1
    return n
