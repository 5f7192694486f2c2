"""The truce record and its parts: plain dataclasses, every fact linked to the report it came from.

A ``Truce`` is built by :func:`trucewatch.ledger.truces.build_truces` from the events of the ledger;
nothing in it is typed in by hand. Dates are ISO strings as precise as the reports allow
(``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY``). ``Ref`` points at the event (document, sentence) that
stated a fact, so every line of a truce card can be checked against its source.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from trucewatch.ledger.periods import Period

ENDINGS = ("declared over", "broken", "lapsed", "replaced")
# Statuses in the order a truce normally passes through them.
STAGES = ("offered", "agreed", "in effect")


@dataclass(frozen=True)
class Ref:
    """One event of one report: where the ledger read a fact."""

    doc_id: str
    sentence: int
    type: str
    date: str | None
    text: str


@dataclass(frozen=True)
class Source:
    """A report that contributed to a truce record."""

    doc_id: str
    outlet: str | None
    url: str | None
    published: str | None
    title: str | None


@dataclass
class Condition:
    """A term of the truce: what must happen, on whom it is binding, and by when.

    ``status`` is ``met`` (with the act that met it in ``met_by``, dated ``met_on``), ``unmet`` (its
    deadline passed with no such act reported) or ``unknown``.
    """

    text: str
    binds: str | None
    deadline: str | None
    duration: str | None
    stated: list[Ref]
    status: str = "unknown"
    met_by: Ref | None = None
    met_on: str | None = None


@dataclass
class Disavowal:
    """A statement disowning a violation ("a personal act", "outside the consensus")."""

    by: str | None
    date: str | None
    words: list[str]
    evidence: Ref


@dataclass
class Violation:
    """A use of force inside the truce's window and scope by a side of it, or against one.

    ``by`` says whose: ``party`` (a party or a group on its side), ``counterpart``, ``unattributed``
    (no perpetrator reported) or ``outside group`` (a group the gazetteer does not know).
    """

    date: str | None
    type: str
    mode: str | None
    actor: str | None
    target: str | None
    location: str | None
    country: str | None
    killed: int | None
    injured: int | None
    by: str
    evidence: list[Ref]
    disavowals: list[Disavowal] = field(default_factory=list)

    @property
    def disavowed(self) -> bool:
        return bool(self.disavowals)


@dataclass
class StatusChange:
    """One dated step of the truce's history, with the reports that show it."""

    date: str | None
    status: str
    note: str
    evidence: list[Ref]


@dataclass
class Truce:
    """A ceasefire as a record that lives over time.

    ``parties`` commit to it (the side that announced it); ``counterpart`` is the other side, the
    one whose forces it protects. ``countries`` and ``places`` are its scope. ``announced`` is when
    it was first made public, ``agreed`` when agreed, ``effective`` when it took effect, ``expires``
    when its stated term runs out. ``ended``/``ended_how`` say when and how it ended (one of
    :data:`ENDINGS`). ``violator_terms`` are the deal's own words on violators ("outside the
    consensus"); ``mentions`` every ceasefire report attached to it; ``as_of`` the date the record
    is true on (the latest report of the ledger, unless asked otherwise).
    """

    id: str
    parties: list[str]
    counterpart: list[str]
    mediators: list[str]
    countries: list[str]
    places: list[str]
    conditions: list[Condition]
    announced: str | None
    agreed: str | None
    effective: str | None
    expires: str | None
    ended: str | None
    ended_how: str | None
    end_evidence: list[Ref]
    history: list[StatusChange]
    violations: list[Violation]
    violator_terms: list[Ref]
    mentions: list[Ref]
    sources: list[Source]
    as_of: str

    @property
    def start(self) -> str | None:
        """The date the truce's window opens: in effect, else agreed, else announced."""
        return self.effective or self.agreed or self.announced

    @property
    def scope(self) -> str:
        """In words: whose forces, where ("United States in Iraq")."""
        who = "; ".join(self.counterpart) or "?"
        where = "; ".join(self.places or self.countries)
        return f"{who} in {where}" if where else who

    @property
    def status(self) -> str:
        """The status on ``as_of``: ended (how), violated (count), or the last stage reached."""
        if self.ended:
            return f"ended ({self.ended_how})"
        if self.violations:
            return f"violated ({len(self.violations)})"
        steps = [h.status for h in self.history if h.status in (*STAGES, "holding", "extended")]
        return steps[-1] if steps else "reported"

    def conditions_met(self) -> tuple[int, int]:
        """(conditions met, conditions in all)."""
        return sum(1 for c in self.conditions if c.status == "met"), len(self.conditions)

    def days_of_calm(self, as_of: str | dt.date | None = None) -> int | None:
        """Days since the last violation (or since the truce began), counted to ``as_of`` (default:
        the record's own date) or to its end if it ended before. None when it had not yet begun or
        its start is unknown."""
        if isinstance(as_of, dt.date):
            when = as_of
        else:
            day = Period.parse(as_of or self.as_of)
            if day is None:
                raise ValueError(f"as_of={as_of or self.as_of!r}: expected an ISO date")
            when = day.last
        start = Period.parse(self.start)
        if start is None or when < start.last:
            return None
        end = Period.parse(self.ended)
        if end is not None and end.first < when:
            when = end.first
        last = start.last
        for v in self.violations:
            p = Period.parse(v.date)
            if p is not None and last < p.last <= when:
                last = p.last
        return (when - last).days

    def to_dict(self) -> dict[str, Any]:
        """The record as JSON-ready data, with the derived status, scope and days of calm."""
        data = asdict(self)
        data["status"] = self.status
        data["scope"] = self.scope
        data["start"] = self.start
        data["days_of_calm"] = self.days_of_calm()
        for v, raw in zip(self.violations, data["violations"], strict=True):
            raw["disavowed"] = v.disavowed
        return data
