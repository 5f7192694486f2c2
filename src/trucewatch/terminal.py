"""Text from reports, made safe to show in a terminal.

A report is untrusted input: its sentences, names and titles reach the event card and the listings
verbatim. Two things in such text would be obeyed instead of shown: Rich markup (``[red]``,
``[link=...]``), which the tables parse, and control characters, above all ESC, with which a text can
move the cursor, rewrite what was printed before, change the window title or hide itself. Both are
neutralised here: control characters become visible escapes (``\\x1b``), markup is escaped so that
it prints as written. Newlines and tabs are kept.
"""

from __future__ import annotations

import re

from rich.markup import escape

# C0 controls but tab and newline, DEL, and the C1 controls (which some terminals also obey).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` with every control character written out as an escape (``\\x1b``), so that the
    terminal shows it instead of obeying it."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text)


def safe(value: object) -> str:
    """A value from a report, as text to put in a Rich table or markup string: controls made visible,
    markup escaped. None is the empty string."""
    if value is None:
        return ""
    return escape(visible(str(value)))
