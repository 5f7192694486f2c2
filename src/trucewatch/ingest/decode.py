"""Bytes to text: read a file within the size limit, refuse binary data, decode it.

Everything a reader gets has passed through here, so the rules that keep one odd file from costing
the batch live in one place: a size limit checked before reading, binary data refused, invalid UTF-8
decoded with replacement characters (and a warning) rather than refused, and names of inputs made
printable (a file name that is not valid UTF-8 would otherwise reach SQLite and the terminal as lone
surrogates, which neither can encode).
"""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

from trucewatch.errors import InputError

INVALID_UTF8 = "invalid UTF-8 decoded with replacement"
LONE_SURROGATE = "lone surrogate code points replaced with U+FFFD"

# The most a control character share of a text may be before it is taken for binary data.
_MAX_CONTROL_SHARE = 0.05
_SNIFF = 8192  # bytes looked at to tell text from binary and to find an HTML charset
_HTML_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_SURROGATES = re.compile("[\ud800-\udfff]")


def source_name(path: str | Path) -> str:
    """How an input is named in documents, rejections and messages. On POSIX a file name that is
    not valid UTF-8 comes back from the OS with its bad bytes as lone surrogates ("surrogateescape");
    those are shown as ``\\xff`` escapes instead, so the name can be stored and printed."""
    name = str(path)
    if not has_surrogates(name):
        return name
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


def has_surrogates(text: str) -> bool:
    """True when ``text`` holds a lone surrogate, which no UTF codec can encode (JSON's ``"\\ud800"``
    escape makes one). ASCII text, the common case, is answered without a scan."""
    return not text.isascii() and _SURROGATES.search(text) is not None


def replace_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD: one character for one, so every offset
    into the text stays true."""
    return _SURROGATES.sub("\ufffd", text)


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes; a missing, unreadable, oversized or empty file is an ``InputError``. The size
    is checked before reading, so a huge file costs nothing."""
    source = source_name(path)
    try:
        if not path.is_file():
            raise InputError(source, "not a regular file")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(source, f"file too large: {size:,} bytes (limit {max_bytes:,})")
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)  # the file may have grown since stat
    except OSError as e:
        raise InputError(source, f"cannot read file: {e.strerror or e}") from e
    if len(data) > max_bytes:
        raise InputError(source, f"file too large: over {max_bytes:,} bytes")
    if not data.strip():
        raise InputError(source, "empty file")
    return data


def check_text(data: bytes, source: str, line: int | None = None) -> None:
    """Refuse binary data: NUL bytes or a high share of control characters."""
    if b"\x00" in data:
        raise InputError(source, "binary file (contains NUL bytes)", line)
    sample = data[:_SNIFF]
    controls = sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f")
    if controls > _MAX_CONTROL_SHARE * len(sample):
        raise InputError(source, "binary file (control characters)", line)


def decode(data: bytes, source: str, fallback: str | None = None,
           line: int | None = None) -> tuple[str, list[str]]:
    """Text and warnings. UTF-8 first; then ``fallback`` (a declared charset); else UTF-8 with
    replacement characters and a warning, so that one bad byte does not cost the whole report."""
    warnings: list[str] = []
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        check_text(data, source, line)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, warnings = _decode_fallback(data, fallback)
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def _decode_fallback(data: bytes, charset: str | None) -> tuple[str, list[str]]:
    if charset:
        try:
            return data.decode(charset), []
        except (LookupError, UnicodeDecodeError):
            pass
    return data.decode("utf-8", errors="replace"), [INVALID_UTF8]


def html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first bytes, as Python names it."""
    m = _HTML_CHARSET.search(data[:_SNIFF])
    if not m:
        return None
    name = m[1].decode("ascii", "replace").lower()
    # WHATWG: pages labelled latin-1 are decoded as windows-1252 by every browser.
    return "cp1252" if name in ("iso-8859-1", "latin-1", "latin1", "us-ascii") else name
