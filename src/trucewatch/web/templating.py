"""The one Jinja2 environment of the pages and the report: autoescaping on, the shared helpers in reach.

Why one: the dashboard and the self-contained report render the same macros (event rows, truce
cards), so they must see the same globals, and escaping must be on for both: every text that comes
from a report is escaped by the template engine, never by hand.
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from trucewatch.models import EVENT_TYPES
from trucewatch.web import views

TEMPLATES = Path(__file__).parent / "templates"


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html"], default_for_string=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=False)
    env.globals.update(colors=views.TYPE_COLORS, event_types=EVENT_TYPES, safe_url=views.safe_url,
                       query=views.query, truce_label=views.truce_label)
    return env
