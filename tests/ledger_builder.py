"""A small ledger built by hand, without the extractor: reports written for these tests, each with the
events a reader would take from it, saved and merged as ``ingest`` does. Fast (no spaCy), and every
value known in advance, so that the exports, the comparison with ACLED and the terminal output can
be checked against exact expectations.

Not a test module (no ``test_`` prefix): imported by the tests that need the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trucewatch.ledger.stored import refresh_truces
from trucewatch.merge.sync import Merger
from trucewatch.models import Document, Event, Sentence
from trucewatch.store import Store

ERBIL = (36.19, 44.01)
HOSTILE = "[bold red]boom[/bold red] \x1b[2J\x1b]0;owned\x07=HYPERLINK(\"http://x.test\")"


@dataclass
class Report:
    id: str
    published: str | None
    outlet: str
    sentences: list[str]
    events: list[tuple[int, dict[str, object]]] = field(default_factory=list)  # (sentence, values)


REPORTS = [
    Report("r-erbil-1", "2021-03-02", "Wire One", [
        "Rockets fired by Kataib Hezbollah hit Erbil airport on Monday, killing one contractor and wounding two.",
    ], [(0, dict(type="attack", mode="rocket", actor="Kataib Hezbollah", target="United States", location="Erbil",
                 country="Iraq", date="2021-03-01", killed=1, injured=2, lat=ERBIL[0], lon=ERBIL[1]))]),
    Report("r-erbil-2", "2021-03-03", "Wire Two", [
        "On Monday rockets launched by Kataib Hezbollah struck Erbil airport, killing one contractor and wounding "
        "three.",
    ], [(0, dict(type="attack", mode="rocket", actor="Kataib Hezbollah", target="United States", location="Erbil",
                 country="Iraq", date="2021-03-01", killed=1, injured=3, lat=ERBIL[0], lon=ERBIL[1]))]),
    Report("r-strike", "2021-03-06", "Wire One", [
        "US aircraft struck a Kataib Hezbollah depot near Jurf al-Sakhar on Friday.",
    ], [(0, dict(type="strike", mode="airstrike", actor="United States", target="Kataib Hezbollah",
                 location="Jurf al-Sakhar", country="Iraq", date="2021-03-05"))]),
    Report("r-truce", "2021-04-20", "Wire Two", [
        "In April Kataib Hezbollah declared a truce with US forces in Iraq.",
    ], [(0, dict(type="ceasefire", actor="Kataib Hezbollah", target="United States", country="Iraq",
                 date="2021-04"))]),
    Report("r-end", "2021-10-04", "Wire Two", [
        "Kataib Hezbollah said on Sunday that its truce with US forces was over.",
    ], [(0, dict(type="ceasefire_end", actor="Kataib Hezbollah", target="United States", country="Iraq",
                 date="2021-10-03"))]),
    Report("r-threat", "2021-09-01", "Wire One", [
        "Kataib Hezbollah threatened US forces at some point this year.",
    ], [(0, dict(type="threat", actor="Kataib Hezbollah", target="United States", country="Iraq", date="2021"))]),
    Report("r-demand", "2021-06-10", "Wire Two", [
        "Lawmakers demanded a timetable for the departure of foreign troops.",
    ], [(0, dict(type="demand", actor="Iraqi parliament", target="United States", country="Iraq"))]),
    Report("r-withdraw", "2021-07-27", "Wire One", [
        "US forces will withdraw their combat troops from Iraq by the end of the year, officials said on Monday.",
    ], [(0, dict(type="troop_change", actor="United States", country="Iraq", date="2021-07-26"))]),
    Report("r-hostile", "2021-05-02", "=cmd|' /C calc'!A0", [
        f"Gunmen {HOSTILE} attacked a checkpoint in Erbil on Saturday.",
    ], [(0, dict(type="attack", mode="gunfire", actor="@evil", target="-2+3", location="Erbil", country="Iraq",
                 date="2021-05-01", lat=ERBIL[0], lon=ERBIL[1]))]),
]


def document(report: Report) -> Document:
    text, sentences, pos = "", [], 0
    for idx, sentence in enumerate(report.sentences):
        if text:
            text += " "
            pos += 1
        sentences.append(Sentence(idx, pos, pos + len(sentence), sentence))
        text += sentence
        pos += len(sentence)
    events = []
    for idx, values in report.events:
        s = sentences[idx]
        events.append(Event(evidence=s.text, sentence=idx, start=s.start, end=s.end, trigger="hit",
                            doc_id=report.id, **values))  # type: ignore[arg-type]
    return Document(id=report.id, text=text, title=report.sentences[0][:40], outlet=report.outlet,
                    published=report.published, sentences=sentences, events=events)


def build(path: Path, reports: list[Report] = REPORTS) -> Path:
    """Save and merge ``reports`` into a ledger at ``path``, and store its truce records."""
    with Store(path) as store:
        for report in reports:
            store.save_document(document(report))
        Merger(store).sync()
        refresh_truces(store)
    return path
