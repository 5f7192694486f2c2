"""Storage: the only code that speaks SQL (schema, migrations, queries)."""

from trucewatch.store.db import Store

__all__ = ["Store"]
