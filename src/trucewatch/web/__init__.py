"""The web side of trucewatch: a REST API and dashboard (``trucewatch serve``) and a self-contained
HTML report (``trucewatch report``), thin layers over the library.

    >>> from trucewatch.web import create_app
    >>> app = create_app("ledger.db", token=None)   # read-only; any ASGI server runs it

Imported lazily, so ``trucewatch report`` does not load FastAPI.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__all__ = ["create_app", "render_report"]
_WHERE = {"create_app": "trucewatch.web.app", "render_report": "trucewatch.web.report"}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'trucewatch.web' has no attribute {name!r}")
