"""Grouping reports of force into occurrences (``ledger.incidents``): each report is checked only against
the occurrences whose dates nest with its own, and the groups are those of checking every earlier one."""

from __future__ import annotations

import random

import pytest

from trucewatch.ledger import incidents as inc
from trucewatch.ledger.sides import Actors
from trucewatch.models import Document, Event
from trucewatch.resolve.names import Gazetteer

PLACES = ["Erbil", "Erbil airport", "Baghdad", "Ain al-Asad", "Jurf al-Sakhar", None]
ACTORS = ["Kataib Hezbollah", "Islamic State", "United States", None]
MODES = ["rocket", "drone", "airstrike", "unknown", None]


@pytest.fixture(scope="module")
def actors() -> Actors:
    return Actors(Gazetteer.load())


def _reports(n: int, seed: int) -> list[Document]:
    rng = random.Random(seed)
    docs = []
    for k in range(n):
        day = rng.randint(1, 28)
        month = rng.choice([3, 4])
        date = rng.choice([f"2021-{month:02d}-{day:02d}"] * 6 + [f"2021-{month:02d}", "2021", None])
        event = Event(type=rng.choice(["attack", "strike"]), mode=rng.choice(MODES), actor=rng.choice(ACTORS),
                      location=rng.choice(PLACES), date=date, background=rng.random() < 0.2,
                      doc_id=f"d{k}", sentence=0, start=0)
        docs.append(Document(id=f"d{k}", text="x", title=None, published=f"2021-{month:02d}-28", events=[event]))
    return docs


def _naive(documents: list[Document], actors: Actors) -> list[list[str]]:
    """The grouping by checking each report against every occurrence founded before it."""
    reports = [(d, e) for d in documents for e in d.events]

    def order(item: tuple[Document, Event]) -> tuple[int, bool, str, str, int]:
        doc, e = item
        p = inc.Period.parse(e.date)
        return (-len(p.value) if p else 0, e.background, doc.published or "9999", doc.id, e.sentence)

    out: list[inc.Incident] = []
    for doc, event in sorted(reports, key=order):
        home = next((i for i in out if i.accepts(event, actors)), None)
        if home is None:
            home = inc.Incident()
            out.append(home)
        home.add(doc, event, actors)
    return sorted(sorted(d.id for d, _ in i.reports) for i in out)


@pytest.mark.parametrize("seed", range(6))
def test_incidents_group_as_checking_every_earlier_occurrence(actors: Actors, seed: int) -> None:
    docs = _reports(150, seed)
    found = sorted(sorted(d.id for d, _ in i.reports) for i in inc.incidents(docs, actors))
    assert found == _naive(docs, actors)
    assert any(len(group) > 1 for group in found)  # the sample does group reports


def test_incidents_check_only_occurrences_whose_dates_nest(actors: Actors, monkeypatch: pytest.MonkeyPatch) -> None:
    """Attacks on 600 different days, each in a place of its own: a report is compared with the few
    occurrences of its day, month or year, not with the hundreds founded before it."""
    calls = 0
    accepts = inc.Incident.accepts

    def counted(self: inc.Incident, event: Event, actors: Actors) -> bool:
        nonlocal calls
        calls += 1
        return accepts(self, event, actors)

    monkeypatch.setattr(inc.Incident, "accepts", counted)
    docs = []
    for k in range(600):
        year, rest = divmod(k, 300)
        month, day = divmod(rest, 28)
        date = f"{2010 + year}-{month % 12 + 1:02d}-{day + 1:02d}"
        docs.append(Document(id=f"d{k}", text="x", title=None, published=date, events=[
            Event(type="attack", mode="rocket", location=f"Town {k}", date=date, doc_id=f"d{k}", sentence=0,
                  start=0)]))
    assert len(inc.incidents(docs, actors)) == 600
    assert calls == 0  # no report shares a day, month or year-level date with an earlier occurrence
    calls = 0
    inc.incidents(docs + [Document(id="m", text="x", title=None, published="2010-01-31", events=[
        Event(type="attack", mode="drone", location="Elsewhere", date="2010-01", doc_id="m", sentence=0, start=0)])],
        actors)
    assert calls == 28  # the month-dated report meets the 28 occurrences of January 2010 only
