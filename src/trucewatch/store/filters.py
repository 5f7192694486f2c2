"""Which merged events a view shows (:class:`EventFilters`), as SQL over ``merged_events m``: what the
web API, the dashboard, the HTML report and ``trucewatch events`` filter by, written once for both
dialects and for speed on large ledgers (see :mod:`trucewatch.store.queries`, which runs it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trucewatch.store.connection import SQLITE, Dialect
from trucewatch.store.sql import check_date


@dataclass(frozen=True)
class EventFilters:
    """Which merged events a view shows. ``None`` (or False for ``contested``) means no filter.

    ``actor`` matches a case-insensitive part of the actor or the target, ``place`` of the place;
    ``country`` is one of the event's countries, whole, case-insensitive; ``since``/``until`` keep the
    events whose date overlaps the range (see :meth:`Store.events`); ``text`` searches the evidence
    sentences; ``background`` True keeps only events reports tell as background, False only news.
    """

    type: str | None = None
    actor: str | None = None
    place: str | None = None
    country: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    contested: bool = False
    background: bool | None = None

    def where(self, *, by_date: bool = False, dialect: Dialect = SQLITE) -> tuple[str, list[Any]]:
        """The WHERE clause over ``merged_events m`` and its parameters, in ``dialect``'s SQL.
        ``by_date``: keep the type index out of the plan (SQLite's ``+m.type``): reading a type's
        events through it costs a row lookup each, more than scanning the table or walking the date
        index. Raises ``ValueError`` for a date bound that is not a real date."""
        where, params = ["m.reports > 0"], []
        if self.type is not None:
            where.append(f"{dialect.unindexed if by_date else ''}m.type = ?")
            params.append(self.type)
        if self.actor:
            actor_sql, actor_params = _contains("m.actor", self.actor, dialect)
            target_sql, target_params = _contains("m.target", self.actor, dialect)
            where.append(f"({actor_sql} OR {target_sql})")
            params += actor_params + target_params
        if self.place:
            place_sql, place_params = _contains("m.location", self.place, dialect)
            where.append(place_sql)
            params += place_params
        if self.country:
            # Merged countries may be a list ("Iraq; Syria"): match one of them whole.
            listed = "(';' || replace(m.country, '; ', ';') || ';')"
            if self.country.isascii():
                where.append(f"{listed} {dialect.like} ? ESCAPE '\\'")
                params.append(f"%;{_escape(self.country)};%")
            else:
                where.append(f"instr(fold({listed}), fold(?)) > 0")
                params.append(f";{self.country};")
        for name, bound, op in (("since", self.since, ">="), ("until", self.until, "<=")):
            if bound is not None:
                check_date(name, bound)
                # A date overlaps the bound when they agree on their common prefix.
                where.append(f"substr(m.date, 1, min(length(m.date), length(?))) {op} "
                             f"substr(?, 1, min(length(m.date), length(?)))")
                params += [bound, bound, bound]
        if self.since and self.until and int(self.until[:4]) - int(self.since[:4]) <= 1:
            # A short range: the dates overlapping it lie between its years, a range the date index
            # reads directly (for a long one, scanning the table costs less than a lookup per row).
            where.append("m.date BETWEEN ? AND ?")
            params += [self.since[:4], self.until[:4] + "~"]
        # A NUL ends FTS5's reading of a query string: as a separator it means what it means to a reader.
        if self.text is not None and (match := dialect.text_match(self.text.replace("\x00", " "))) is not None:
            where.append(f"m.id IN (SELECT merged_id FROM merged_mentions WHERE event_id IN ({match[0]}))")
            params += match[1]
        if self.contested:
            where.append("m.contested = 1")
        if self.background is not None:
            where.append("m.background = ?")
            params.append(int(self.background))
        return " AND ".join(where), params


def _contains(column: str, words: str, dialect: Dialect) -> tuple[str, list[Any]]:
    """``column`` contains ``words``, case-insensitively: LIKE for ASCII words, case folding otherwise."""
    if words.isascii():
        return f"{column} {dialect.like} ? ESCAPE '\\'", [f"%{_escape(words)}%"]
    return f"instr(fold({column}), fold(?)) > 0", [words]


def _escape(words: str) -> str:
    """Words as a LIKE pattern matches them literally."""
    return words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
