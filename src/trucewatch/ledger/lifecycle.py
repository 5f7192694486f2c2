"""The life of a truce (step 4 and 5 of :mod:`trucewatch.ledger.truces`): its stages (offered, agreed,
in effect, extended, holding), its mediators, when it took effect and when its term runs out, how it
ended, and its conditions and the acts that met them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from trucewatch.ledger import lexicon as words
from trucewatch.ledger.conditions import act_concepts, act_date, deadline_of, same_condition
from trucewatch.ledger.drafts import Draft
from trucewatch.ledger.incidents import ref
from trucewatch.ledger.periods import Period, after
from trucewatch.ledger.records import (
    STAGES,
    Condition,
    Ref,
    StatusChange,
)
from trucewatch.ledger.reports import Report
from trucewatch.ledger.sides import Actors, split_names
from trucewatch.models import Document, Entity
from trucewatch.resolve.dates import TimeExpr, find_time_expressions

# How much a report's wording of a condition counts: an agreement's wording replaces an offer's.
_AUTHORITY = {"offered": 0, "agreed": 2, "in effect": 2, "extended": 2}


class Lifecycle:
    """Stages, dates, end and conditions of a draft, for :class:`trucewatch.ledger.truces._Builder`."""

    actors: Actors
    as_of: dt.date
    documents: Sequence[Document]

    def _stages(self, draft: Draft, history: list[StatusChange]) -> None:
        """Offered / agreed / in effect / extended / holding steps, one per status and date. A stage is
        never stepped back to; a background mention adds a stage only when no report of its time gives
        one; a report that the truce holds counts only as news, and only while it is in force."""
        reached = -1
        end = draft.end()
        for item in sorted(draft.items, key=lambda i: (i.event.background, i.at or dt.date.max)):
            if item.reference or item.stage == "mention":
                continue
            date = item.event.date
            if item.stage == "holding":
                if item.event.background or (end is not None and item.at is not None and item.at > end.first):
                    continue
                date = item.at.isoformat() if item.at else date
            if item.stage in STAGES:
                rank = STAGES.index(item.stage)
                if rank < reached or (item.event.background and (rank <= reached or any(
                        item.period and item.period.overlaps(p) for h in history if (p := Period.parse(h.date))))):
                    continue
                reached = max(reached, rank)
            same = next((h for h in history if h.status == item.stage and h.date == date), None)
            if same is not None:
                same.evidence.append(item.ref)
            else:
                history.append(StatusChange(date, item.stage, _note(item), [item.ref]))
        if not history and draft.items:
            # Known only from reports that name it without saying how it stands.
            first = min(draft.items, key=lambda i: i.at or dt.date.max)
            history.append(StatusChange(first.event.date, "reported", "mentioned; no stage stated", [first.ref]))

    def _mediators(self, draft: Draft, sides: list[Entity]) -> list[str]:
        """Every mediator named, then the state or body a named envoy speaks for; never a side or a
        member of one."""
        side_ids = {s.id for s in sides}
        out: list[str] = []
        for item in draft.items:
            for name in item.event.mediators or []:
                e = self.actors.entity(name)
                for m in (e, self.actors.body(e)):
                    if m.name not in out and not side_ids & set(self.actors.memberships(m)):
                        out.append(m.name)
        return out

    @staticmethod
    def _effective(made: list[Report], announced: Period | None) -> Period | None:
        """A day the reports say the truce takes effect ("starting tomorrow", "took effect on Friday"),
        within a week before and a month after it was announced (another day is another event's)."""
        for item in made:
            reference = Period.parse(item.doc.published)
            for text in item.sentences:
                for t in find_time_expressions(text, reference.first if reference else None):
                    p = Period.parse(t.value)
                    if p is None or t.kind != "point" or not words.has(words.EFFECTIVE, _before(text, t)):
                        continue
                    if announced is None or (announced.first - dt.timedelta(days=7) <= p.first
                                             and p.last <= announced.last + dt.timedelta(days=31)):
                        return p
        return None

    @staticmethod
    def _terms_end(draft: Draft, start: Period | None) -> dict[Ref, Period]:
        """When each declaration says the truce's term runs out: the end of a range it is given
        ("until 2 October 2022"), else a duration in the sentences of its terms ("a two-month truce",
        "suspend attacks for six months") counted from when it took effect, or from the extension.
        Durations in other sentences, or of other things, are not its term ("would last 12 hours,
        after which the war would be considered ended", "five days of negotiations")."""
        out: dict[Ref, Period] = {}
        for item in draft.declarations():
            reference = Period.parse(item.doc.published)
            base = (item.period if item.stage == "extended" else start) or item.period
            for text in dict.fromkeys(item.terms + item.sentences):
                for t in find_time_expressions(text, reference.first if reference else None):
                    found: Period | None = None
                    if t.kind == "range" and t.end_value:
                        found = Period.parse(t.end_value)
                    elif t.kind == "duration" and t.duration and base is not None and text in item.terms \
                            and _is_term(text, t):
                        found = after(base, t.duration)
                    if found is not None and (item.ref not in out or found.first > out[item.ref].first):
                        out[item.ref] = found
        return out

    def _ending(self, draft: Draft, term: tuple[Ref, Period] | None, successor: Draft | None
                ) -> tuple[str | None, str | None, list[Ref]]:
        """(date, how, evidence) of the end: declared (or said to have expired), else its term (the
        report that set it, and when it runs out) ran out before the ledger's date, else a later truce
        between the same sides began."""
        if draft.ends:
            first = min(draft.ends, key=lambda i: i.at or dt.date.max)
            how = "lapsed" if words.has_any(words.EXPIRY, first.sentences) else "declared over"
            return first.event.date, how, [i.ref for i in draft.ends]
        nxt = successor.begun() if successor is not None else None
        if term is not None and term[1].last < self.as_of and (nxt is None or term[1].last < nxt.first):
            return term[1].value, "lapsed", [term[0]]
        if successor is None or nxt is None:
            return None, None, []
        evidence = [i.ref for i in successor.declarations()][:1]
        broken = any(not self._disavowals(inc, draft) for inc, _ in self._window(draft, nxt))
        return nxt.value, "broken" if broken else "replaced", evidence

    def _conditions(self, draft: Draft, countries: list[str], start: Period | None,
                    end: Period | None) -> list[Condition]:
        """The truce's conditions, each once (an agreement's wording wins over an offer's), with the
        party each binds, its deadline, and the act that met it. Conditions from background mentions
        count only when no declaration states any."""
        decl = [i for i in draft.declarations() if i.event.conditions]
        sources = decl or [i for i in draft.items if i.event.conditions]
        out: list[tuple[Condition, int]] = []
        for item in sorted(sources, key=lambda i: i.at or dt.date.min):
            authority = _AUTHORITY.get(item.stage, 1)
            for text in item.event.conditions or []:
                deadline, duration = deadline_of(text, item.period)
                k = next((k for k, (c, _) in enumerate(out) if same_condition(c.text, text)), None)
                if k is None:
                    bound = self.actors.bound_by(text, countries)
                    out.append((Condition(text, bound.name if bound else None, deadline, duration, [item.ref]),
                                authority))
                    continue
                cond, had = out[k]
                cond.stated.append(item.ref)
                if cond.deadline is None and deadline is not None:
                    cond.deadline, cond.duration = deadline, duration
                if authority > had:
                    bound = self.actors.bound_by(text, countries)
                    cond.text = text
                    cond.deadline, cond.duration = (deadline, duration) if deadline else (cond.deadline, cond.duration)
                    cond.binds = bound.name if bound else cond.binds
                    out[k] = (cond, authority)
        conditions = [c for c, _ in out]
        for c in conditions:
            self._meet(c, draft, start, end)
        return conditions

    def _meet(self, cond: Condition, draft: Draft, start: Period | None, end: Period | None) -> None:
        """Find the act that met a condition: a demand (for a condition that something be demanded) or
        a troop_change (for one that something be done), in the truce's countries, after it began and
        by its deadline (and end), by the party the condition binds (a withdrawal may also be announced
        by the side that withdraws), whose sentences carry every concept of the condition."""
        countries = draft.countries()
        need = words.concepts(cond.text)
        deadline = Period.parse(cond.deadline)
        if start is not None and need & words.ACT_CONCEPTS:
            limit = min([p.last for p in (deadline, end) if p] + [self.as_of])
            binds = self.actors.entity(cond.binds) if cond.binds else None
            stated = {(r.doc_id, r.sentence) for r in cond.stated}
            counterpart = draft.counterpart()
            for doc in self.documents:
                for e in doc.events:
                    # A demand meets a condition that something be demanded; presenting a timetable
                    # or withdrawing is done, not demanded.
                    if e.type != ("demand" if "demand" in need else "troop_change") or (doc.id, e.sentence) in stated:
                        continue
                    when = act_date(e, doc)
                    if when is None or when.first <= start.last or when.last > limit:
                        continue
                    if countries and not set(countries) & set(split_names(e.country)):
                        continue
                    who = self.actors.entities(e.actor)
                    if who and binds is not None and not self.actors.any_same_side(who, [binds]) and not (
                            e.type == "troop_change" and self.actors.any_same_side(who, counterpart)):
                        continue
                    if need <= act_concepts(e, doc):
                        cond.status, cond.met_by, cond.met_on = "met", ref(e), when.value
                        return
        if deadline is not None and deadline.last < self.as_of:
            cond.status = "unmet"



def _is_term(text: str, t: TimeExpr) -> bool:
    """A duration that is the truce's term: "for six months", or said of the truce ("a two-month
    truce", "a 30-hour unilateral ceasefire"), not of something else ("five days of negotiations")."""
    if t.text.lower().startswith("for ") or _before(text, t).lower().endswith("for"):
        return True
    return words.has(words.TRUCE_NOUNS, " ".join(text[t.end:].split()[:2]))


def _before(text: str, t: TimeExpr) -> str:
    """The three words before a time expression ("... truce, starting" before "tomorrow")."""
    return " ".join(text[: t.start].split()[-3:])


def _note(item: Report) -> str:
    who = "; ".join(p.name for p in item.parties) or "?"
    return {"offered": f"offered by {who}", "agreed": f"agreed by {who}", "in effect": f"in effect ({who})",
            "extended": "extended", "holding": "reported holding"}.get(item.stage, item.stage)
