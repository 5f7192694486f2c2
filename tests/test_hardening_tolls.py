"""Toll numbers that used to drop a whole report (issue 12, the reliability run).

``str.isdigit`` is true of "①" and "²", which ``int`` refuses (ValueError), and a digit string has no
bound of its own (2^63 overflows SQLite's integer). Tolls are read with ``str.isdecimal`` (every
script's decimal digits, which ``int`` reads: "١٢" is 12) and a bounded length; the other digit
characters (circled list markers, superscript footnote marks) are not counts.
"""

from __future__ import annotations

import pytest

from trucewatch.extract import tolls
from trucewatch.extract.extractor import Extractor
from trucewatch.models import Document


@pytest.mark.parametrize(("word", "value"), [
    ("12", 12), ("1,200", 1200), ("١٢", 12), ("١٬٢٠٠", 1200), ("०७", 7), ("99,999,999", 99_999_999),
    ("①", None), ("²", None), ("12²", None), ("²³", None), ("1.5", None), ("", None), (",", None),
    ("9223372036854775808", None), ("9" * 5000, None), ("9," * 3000 + "9", None), ("1e400", None), ("-3", None),
])
def test_tolls_digit_value_is_bounded_and_unicode_safe(word: str, value: int | None) -> None:
    assert tolls.digit_value(word) == value


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(("toll", "killed"), [
    ("①", None), ("²³", None), ("9223372036854775808", None), ("9,223,372,036,854,775,808", None),
    ("9" * 5000, None), ("١٢", 12), ("12", 12),
])
def test_tolls_odd_numbers_keep_the_report(extractor: Extractor, toll: str, killed: int | None) -> None:
    """The report is read whatever the number: the attack is found, with the toll when it is a count."""
    text = f"Rockets hit\n\nRockets hit Ain al-Asad Air Base on Sunday, killing {toll} people, officials said."
    events, _ = extractor.extract(Document(id="t", text=text, published="2021-03-14"))
    assert [(e.type, e.killed) for e in events] == [("attack", killed)]
