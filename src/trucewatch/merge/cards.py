"""Merged events for the terminal: the ``events`` table and the ``event ID`` card (Rich
renderables). The CLI prints what these return; nothing here prints."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from trucewatch.merge.records import MentionRecord, MergedEvent
from trucewatch.terminal import safe, visible

_VALUES = ("type", "mode", "actor", "target", "location", "country", "date", "killed", "injured",
           "conditions", "mediators", "background", "evidence")


def merged_table(events: list[MergedEvent], title: str | None = None) -> Table:
    """One row per real-world event, with its independent sources and reports, and the attributes
    its reports disagree on."""
    table = Table(title=title or f"{len(events)} merged events")
    for col in ("id", "date", "type", "mode", "actor", "target", "place", "killed", "injured", "sources",
                "reports", "contested"):
        table.add_column(col, overflow="fold", justify="right" if col in ("id", "sources", "reports") else "left")
    for m in events:
        e = m.event
        table.add_row(str(m.id), safe(e.date or "?"), safe(e.type), safe(e.mode), safe(e.actor), safe(e.target),
                      safe("; ".join(x for x in (e.location, e.country) if x)), _n(e.killed), _n(e.injured),
                      str(m.sources), str(m.reports), ", ".join(c.attribute for c in m.contradictions))
    return table


def merged_card(m: MergedEvent) -> Group:
    """One event: its values with the report each came from and the rule that chose it, then its
    mentions (report, outlet, independent source, who says it), claims and contradictions."""
    by_id = {x.event_id: x for x in m.mentions}
    head = Text.assemble((f"Event {m.id}", "bold"), f"  {visible(m.event.type)}",
                         f" ({visible(m.event.mode)})" if m.event.mode and m.event.mode != "unknown" else "",
                         f"  {visible(m.event.date or 'undated')}",
                         f"  ·  {m.sources} independent source{'s' if m.sources != 1 else ''},"
                         f" {m.reports} report{'s' if m.reports != 1 else ''}"
                         f" ({len(m.story)} with it as their news)")
    values = Table(title="values", title_justify="left", expand=True)
    for col in ("attribute", "value", "from", "rule"):
        values.add_column(col, overflow="fold")
    for attr in _VALUES:
        value = getattr(m.event, attr)
        if value in (None, [], "") and attr not in ("background",):
            continue
        prov = m.provenance.get(attr)
        giver = by_id.get(prov.event_id) if prov and prov.event_id is not None else None
        values.add_row(attr, safe(_text(value)), safe(_report(giver)) if giver else "",
                       safe(prov.rule) if prov else "")
    parts: list[Table | Text] = [head, values]

    mentions = Table(title="mentions", title_justify="left", expand=True)
    for col in ("mention", "report", "outlet", "published", "source", "told as", "said by", "evidence"):
        mentions.add_column(col, overflow="fold")
    for x in m.mentions:
        mentions.add_row(str(x.event_id), safe(_short(x.event.doc_id)), safe(x.outlet or ""), safe(x.published),
                         safe(_short(x.source)) if x.source != x.event.doc_id else "own",
                         ("background" if x.event.background else "news") + (", lead" if x.lead else ""),
                         safe(str(x.attribution)) if x.attribution else "", safe(x.event.evidence))
    parts.append(mentions)

    if m.claims:
        claims = Table(title="claims and denials", title_justify="left", expand=True)
        for col in ("kind", "party", "said by", "report", "sentence"):
            claims.add_column(col, overflow="fold")
        for claim in m.claims:
            claims.add_row(safe(claim.kind.replace("_", " ")), safe(claim.party or ""), safe(claim.said_by or ""),
                           safe(_short(claim.doc_id)), safe(claim.text))
        parts.append(claims)

    if m.contradictions:
        table = Table(title="contradictions", title_justify="left", expand=True)
        for col in ("attribute", "value", "reports", "independent sources"):
            table.add_column(col, overflow="fold")
        for c in m.contradictions:
            for i, v in enumerate(c.values):
                table.add_row(safe(c.attribute) if i == 0 else "", safe(_text(v.value)),
                              safe(", ".join(_short(d) for d in v.doc_ids)),
                              str(v.sources))
        parts.append(table)
    else:
        parts.append(Text("no contradictions among the reports"))
    return Group(*parts)


def _report(x: MentionRecord) -> str:
    return _short(x.event.doc_id) + (f" ({x.outlet})" if x.outlet else "")


def _short(doc_id: str) -> str:
    """A content-hash id cut to 12 characters, as ``trucewatch events`` shows it; given ids whole."""
    return doc_id[:12] if len(doc_id) > 16 else doc_id


def _text(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _n(v: int | None) -> str:
    return "" if v is None else str(v)
