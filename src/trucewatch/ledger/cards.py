"""Truce records for the terminal: the ``truces`` table and the ``truce ID`` card (Rich renderables).

The CLI prints what these return; nothing here prints, so the same views can be rendered to a file
or a web page later.
"""

from __future__ import annotations

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from trucewatch.ledger.records import Ref, Truce
from trucewatch.terminal import safe, visible


def truce_table(truces: list[Truce], as_of: str | None = None) -> Table:
    """One row per truce: id, parties, counterpart, from-to, status, violations, conditions met."""
    table = Table(title=f"{len(truces)} truces" + (f" as of {as_of}" if as_of else ""))
    for col in ("id", "parties", "counterpart", "from", "to", "status", "violations", "conditions met"):
        table.add_column(col, overflow="fold")
    for t in truces:
        met, total = t.conditions_met()
        disowned = sum(1 for v in t.violations if v.disavowed)
        table.add_row(
            safe(t.id), safe("; ".join(t.parties)), safe("; ".join(t.counterpart)), safe(t.start or t.announced or "?"),
            safe(t.ended or (f"({t.expires})" if t.expires else "")), safe(t.status),
            f"{len(t.violations)}" + (f" ({disowned} disowned)" if disowned else ""),
            f"{met}/{total}" if total else "",
        )
    return table


def truce_card(t: Truce, as_of: str | None = None) -> Group:
    """Everything the ledger knows of one truce, each line with the report it came from."""
    calm = t.days_of_calm(as_of)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    for label, value in (
        ("parties", "; ".join(t.parties)), ("counterpart", "; ".join(t.counterpart)), ("scope", t.scope),
        ("mediators", "; ".join(t.mediators) or "none reported"), ("announced", t.announced),
        ("agreed", t.agreed), ("in effect", t.effective), ("term ends", t.expires),
        ("ended", f"{t.ended} ({t.ended_how})" if t.ended else None),
        ("status", f"{t.status} as of {as_of or t.as_of}"),
        ("days of calm", None if calm is None else str(calm)),
    ):
        if value:
            facts.add_row(label, safe(value))
    parts: list[Table | Text | Panel] = [facts]

    if t.conditions:
        conditions = Table(title="conditions", title_justify="left", expand=True)
        for col in ("condition", "binds", "deadline", "status"):
            conditions.add_column(col, overflow="fold")
        for c in t.conditions:
            status = c.status + (f" {c.met_on} ({_where(c.met_by)})" if c.met_by else "")
            conditions.add_row(safe(c.text), safe(c.binds), safe(c.deadline), safe(status))
        parts.append(conditions)

    history = Table(title="status history", title_justify="left", expand=True)
    for col in ("date", "status", "note", "source"):
        history.add_column(col, overflow="fold")
    for h in t.history:
        history.add_row(safe(h.date or "?"), safe(h.status), safe(h.note),
                        safe(", ".join(_where(r) for r in h.evidence)))
    parts.append(history)

    if t.violations:
        violations = Table(title="violations", title_justify="left", expand=True)
        for col in ("date", "what", "by", "place", "killed/injured", "disavowed", "reports"):
            violations.add_column(col, overflow="fold")
        for v in t.violations:
            what = v.type + (f" ({v.mode})" if v.mode and v.mode != "unknown" else "")
            who = f"{v.actor or 'unclaimed'} [{v.by}]"
            toll = "/".join("?" if n is None else str(n) for n in (v.killed, v.injured))
            disowned = "; ".join(f"{d.by or 'unnamed'} {d.date or ''}: {', '.join(d.words)}" for d in v.disavowals)
            violations.add_row(safe(v.date or "?"), safe(what), safe(who), safe(v.location or v.country or ""), toll,
                               safe(disowned), safe(", ".join(_where(r) for r in v.evidence)))
        parts.append(violations)

    if t.violator_terms:
        parts.append(Text("terms for violators: " + " | ".join(visible(r.text) for r in t.violator_terms)))

    sources = Table(title="sources", title_justify="left", expand=True)
    for col in ("published", "outlet", "document", "url"):
        sources.add_column(col, overflow="fold")
    for s in t.sources:
        sources.add_row(safe(s.published or "?"), safe(s.outlet or ""), safe(s.title or s.doc_id[:12]),
                        safe(s.url or ""))
    parts.append(sources)
    return Group(Panel(Text(visible(t.id), style="bold"), expand=False), *parts)


def _where(r: Ref | None) -> str:
    """A short pointer to a report's sentence: document id (cut) and sentence number."""
    if r is None:
        return ""
    return f"{r.doc_id[:12]}#{r.sentence}"
