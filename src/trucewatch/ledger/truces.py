"""Truce records from the events of the ledger: which reports are one truce, and what became of it.

The core is a pure function over documents and their events (:func:`truces_from_documents`), so it
can be tested on hand-built events; :func:`build_truces` runs it over a store.

How reports become records:

1. Every ``ceasefire`` and ``ceasefire_end`` event is read (:mod:`trucewatch.ledger.reports`) for
   its sides (who commits, who is protected; :mod:`trucewatch.ledger.sides`) and for what its
   sentences say of the truce's stage ("ready to halt" offered, "agreed" agreed, "suspended" in
   effect, "has largely held" holding, "extended" extended; :mod:`trucewatch.ledger.lexicon`).
2. News reports and ends are taken in date order. A report joins the truce that is open at its date
   between the same sides, unless no report has spoken of that truce for half a year, or it
   declares a truce and says it is a new one, or states conditions that share nothing with the
   open truce's more than a month after it was last declared, or comes after the open one was
   violated without the violation being disowned: then it opens a new record. An end closes the
   open truce of its sides; an end declared by a front or a group that is not a party is recorded
   as a rejection.
3. Background mentions ("the truce agreed last October") join the truce of their sides that began
   in the period they name, else the one open then, else open a record of their own.
4. Each record gets its parties, counterpart, mediators, scope, conditions (with the party each
   binds and its deadline; :mod:`trucewatch.ledger.conditions`), dates, violations (uses of force in
   window and scope, one per use of force as cross-report merging grouped them (and
   :mod:`trucewatch.ledger.incidents` joins what it left apart), with
   disavowals; a truce no report says the other side agreed binds its declarer only, so the other
   side's strikes are not its violations), conditions met by a later act (a troop_change or demand),
   threats a party makes while it stands, and a dated status history.
5. A truce with no declared end ends when its stated term runs out (lapsed), or when a later truce
   between the same sides begins: broken if it had violations nobody disowned, else replaced.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence

from trucewatch.ledger import lexicon as words
from trucewatch.ledger.drafts import Clustering, Draft, _first, _successors
from trucewatch.ledger.incidents import incidents, ref
from trucewatch.ledger.lifecycle import Lifecycle
from trucewatch.ledger.periods import Period
from trucewatch.ledger.records import (
    STAGES,
    Ref,
    Source,
    StatusChange,
    Truce,
    Violation,
)
from trucewatch.ledger.sides import Actors, split_names
from trucewatch.ledger.violations import ViolationFinding
from trucewatch.models import Document
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store

# ---- the builder ---------------------------------------------------------------------------------


class _Builder(Clustering, ViolationFinding, Lifecycle):
    """Runs the steps of the module docstring over one set of documents: which reports are one truce
    (:mod:`~trucewatch.ledger.drafts`), their violations (:mod:`~trucewatch.ledger.violations`), their
    stages, dates, end and conditions (:mod:`~trucewatch.ledger.lifecycle`), assembled here."""

    def __init__(self, documents: Sequence[Document], gazetteer: Gazetteer, as_of: dt.date,
                 merged: Mapping[tuple[str, int, int], int] | None = None) -> None:
        self.documents = documents
        self.actors = Actors(gazetteer)
        self.as_of = as_of
        self.incidents = incidents(documents, self.actors, merged)
        self.drafts: list[Draft] = []
        # Sentences with words that disown an attack, found once.
        self.disowning = [(doc, s, found) for doc in documents for s in doc.sentences
                          if (found := words.find(words.DISAVOWAL, s.text))]

    # -- the record

    def record(self, draft: Draft, successor: Draft | None) -> Truce:
        """The finished record of one truce."""
        decl = draft.declarations()
        parties, counterpart = draft.parties(), draft.counterpart()
        countries = draft.countries()
        history: list[StatusChange] = []
        self._stages(draft, history)
        made = [(i, i.period) for i in decl if i.period and i.stage in STAGES]
        references = [i.period for i in draft.items if i.reference and i.period]
        announced = _first([p for _, p in made] or [i.period for i in decl if i.period], references)
        agreed = _first([p for i, p in made if i.stage in ("agreed", "in effect")])
        effective = self._effective([i for i, _ in made], announced) or _first(
            [p for i, p in made if i.stage == "in effect"]) or agreed
        if effective and agreed and effective.value != agreed.value:
            history.append(StatusChange(effective.value, "in effect", "took effect",
                                        [i.ref for i, _ in made if i.stage in ("agreed", "in effect")][:1]))
        terms = self._terms_end(draft, effective or announced)
        term = max(terms.items(), key=lambda kv: kv[1].first) if terms else None
        expires = term[1] if term else None
        for h in history:
            runs_to = [terms[r] for r in h.evidence if h.status == "extended" and r in terms]
            if runs_to:
                h.note = f"extended to {runs_to[0].value}"

        ended, how, end_refs = self._ending(draft, term, successor)
        end = Period.parse(ended)
        violations = self._violations(draft, end)
        if how == "broken":
            broke = _broke(violations, history)
            if broke is not None:
                ended = broke.value
                violations = [v for v in violations if (Period.parse(v.date) or broke).first <= broke.first]
        for n, v in enumerate(violations, 1):
            history.append(StatusChange(v.date, "violated", f"violation {n}: {_describe(v)}", v.evidence[:1]))
            for d in v.disavowals:
                history.append(StatusChange(d.date, "disavowed", f"{d.by or 'unnamed'}: {', '.join(d.words)}",
                                            [d.evidence]))
        conditions = self._conditions(draft, countries, effective or announced, Period.parse(ended))
        for c in conditions:
            if c.met_by is not None:
                history.append(StatusChange(c.met_on, "condition met", c.text, [c.met_by]))
        for r in draft.rejections:
            history.append(StatusChange(r.event.date, "rejected", f"declared over by {r.event.actor}, not a party",
                                        [r.ref]))
        history += self._threats(draft, end)
        if ended:
            history.append(StatusChange(ended, "ended", how or "", end_refs))
        history.sort(key=_chronology)

        reports = draft.items + draft.ends + draft.rejections
        docs = [i.doc for i in reports] + [d for v in violations for d in self._documents(v.evidence)]
        docs += [d for c in conditions if c.met_by for d in self._documents([c.met_by])]
        return Truce(
            id="", parties=[p.name for p in parties], counterpart=[c.name for c in counterpart],
            mediators=self._mediators(draft, parties + counterpart), countries=countries,
            places=list(dict.fromkeys(i.event.location for i in decl if i.event.location)), conditions=conditions,
            announced=_value(announced), agreed=_value(agreed), effective=_value(effective), expires=_value(expires),
            ended=ended, ended_how=how, end_evidence=end_refs, history=history, violations=violations,
            violator_terms=self._violator_terms(draft), mentions=[i.ref for i in reports], sources=_sources(docs),
            as_of=self.as_of.isoformat())

    def _threats(self, draft: Draft, end: Period | None) -> list[StatusChange]:
        """Threats a party makes against the counterpart while the truce stands ("warned it would
        resume attacks if the withdrawal stalls"): not a violation, a step on the way to one, dated
        in its history with its report. One per party and day."""
        start = draft.start()
        if start is None:
            return []
        parties, counterpart = draft.parties(), draft.counterpart()
        countries = set(draft.countries())
        out: dict[tuple[str, str], StatusChange] = {}
        for doc in self.documents:
            for e in doc.events:
                p = Period.parse(e.date)
                if e.type != "threat" or e.background or p is None or p.first <= start.last:
                    continue
                if end is not None and p.last >= end.first:
                    continue
                who = self.actors.entities(e.actor)
                if not who or not self.actors.any_same_side(who, parties):
                    continue
                aimed = self.actors.entities(e.target)
                if aimed and not self.actors.any_same_side(aimed, counterpart):
                    continue
                if countries and e.country and not countries & set(split_names(e.country)):
                    continue
                key = (e.actor or "", e.date or "")
                if key in out:
                    out[key].evidence.append(ref(e))
                else:
                    out[key] = StatusChange(e.date, "threatened", f"threat by {e.actor}", [ref(e)])
        return list(out.values())

    def _documents(self, refs: list[Ref]) -> list[Document]:
        ids = {r.doc_id for r in refs}
        return [d for d in self.documents if d.id in ids]


# ---- small helpers -------------------------------------------------------------------------------


def _value(p: Period | None) -> str | None:
    return p.value if p else None


def _broke(violations: list[Violation], history: list[StatusChange]) -> Period | None:
    """The day a truce broke: the first violation nobody disowned since it was last said to hold."""
    said = [p for h in history if h.status in (*STAGES, "holding", "extended") if (p := Period.parse(h.date))]
    since = max((p.first for p in said), default=dt.date.min)
    for v in violations:
        p = Period.parse(v.date)
        if p is not None and p.first >= since and not v.disavowed:
            return p
    return None


def _describe(v: Violation) -> str:
    mode = f" ({v.mode})" if v.mode and v.mode != "unknown" else ""
    where = f" at {v.location}" if v.location else ""
    return f"{v.type}{mode} by {v.actor or 'unclaimed'}{where}"


_ORDER = {"reported": 0, "offered": 0, "agreed": 1, "in effect": 2, "extended": 3, "holding": 4, "violated": 5,
          "disavowed": 6, "condition met": 7, "rejected": 8, "ended": 9}


def _chronology(h: StatusChange) -> tuple[dt.date, int]:
    p = Period.parse(h.date)
    return (p.first if p else dt.date.max, _ORDER.get(h.status, 5))


def _sources(docs: Iterable[Document]) -> list[Source]:
    seen: dict[str, Source] = {}
    for d in docs:
        seen.setdefault(d.id, Source(d.id, d.outlet, d.url, d.published, d.title))
    return sorted(seen.values(), key=lambda s: (s.published or "", s.doc_id))


def _initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s\-]+", name.lower()) if p and p not in ("of", "the", "al", "and")]
    if len(parts) == 1:
        return re.sub(r"[^0-9a-z]+", "", parts[0])
    return "".join(p[0] for p in parts)


def _identify(truces: list[Truce]) -> None:
    """Ids from the first date and the two sides ("2022-01-15-kh-us"); a repeat gets "-2"."""
    seen: dict[str, int] = {}
    for t in truces:
        first = t.announced or next((h.date for h in t.history if h.date), None) or "undated"
        sides = [_initials(names[0]) for names in (t.parties, t.counterpart) if names]
        base = "-".join([first, *sides])
        seen[base] = seen.get(base, 0) + 1
        t.id = base if seen[base] == 1 else f"{base}-{seen[base]}"


# ---- public API ----------------------------------------------------------------------------------


def truces_from_documents(documents: Iterable[Document], gazetteer: Gazetteer | None = None,
                          as_of: str | dt.date | None = None,
                          merged: Mapping[tuple[str, int, int], int] | None = None) -> list[Truce]:
    """The truce records of these documents (each with its ``events`` and ``sentences``), oldest first.

    ``as_of`` is the date the records are true on (default: the latest publication date): a term
    that ran out before it has lapsed, a deadline passed before it is unmet. A date given is also a
    limit on what is known: only the reports published on or before it are read (a report with no
    publication date cannot be shown to have been known, and is not), so a record as of a past day
    has no end, violation or condition learnt from a later report. ``merged`` groups the reports of
    one use of force as cross-report merging did (see :func:`~trucewatch.ledger.incidents.incidents`).
    """
    docs = list(documents)
    if isinstance(as_of, dt.date):
        day = as_of
    elif as_of:
        given = Period.parse(as_of)
        if given is None:
            raise ValueError(f"as_of={as_of!r}: expected an ISO date (YYYY-MM-DD)")
        day = given.last
    else:
        day = max((p.last for d in docs if (p := Period.parse(d.published))), default=dt.date.today())
    if as_of:
        docs = [d for d in docs if (p := Period.parse(d.published)) is not None and p.last <= day]
    builder = _Builder(docs, gazetteer or Gazetteer.load(), day, merged)
    drafts = builder.cluster()
    successors = _successors(builder.actors, drafts)
    truces = [builder.record(d, successors.get(id(d))) for d in drafts]
    truces.sort(key=lambda t: (Period.parse(t.announced or t.ended) or Period.day(dt.date.max)).first)
    _identify(truces)
    return truces


def build_truces(store: Store, gazetteer: Gazetteer | None = None, as_of: str | dt.date | None = None) -> list[Truce]:
    """The truce records of every document in ``store`` (see :func:`truces_from_documents`), its
    violations counted once per use of force as merged across reports."""
    return truces_from_documents(store.documents(), gazetteer, as_of, store.merged_uses_of_force())


def find_truce(truces: Sequence[Truce], key: str) -> Truce | None:
    """The truce with this id, or the only one whose id starts with ``key``."""
    exact = [t for t in truces if t.id == key]
    if exact:
        return exact[0]
    prefixed = [t for t in truces if t.id.startswith(key)]
    return prefixed[0] if len(prefixed) == 1 else None
