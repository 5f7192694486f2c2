"""Merged events as a function of the set of mentions stored, whatever order the reports came in.

Merging each new report into the merged events made so far makes the ledger depend on arrival
order: the first report of an event shapes the profile the next ones are compared with. Here the
merged events are defined from the mentions alone:

* **Links.** Two mentions of different reports are *linked* when either could join a merged event
  made of the other alone (``coref.score`` against the other's own profile). A link is a fact about
  two mentions, the same whichever came first.
* **The merge** (``merge_all``): the reports are taken in canonical order (publication date, then
  report id) and each report's mentions join, jointly, the best of the merged events made from the
  reports before it that hold a mention they are linked to (``coref.score`` and ``coref.rank``
  against their profiles), or found new ones: the profile-based merge, with the canonical order in
  place of arrival order. Profiles count every report once (``decision_values``): which reports are
  copies of which is found as reports arrive, so it is left out of what decides membership.

``incremental`` keeps the stored ledger equal to ``merge_all`` of every stored mention, report by
report, and a merged event's id comes from its canonical first mention (``merged_id_of``), so the
same reports give the same ids in any order, and again when they are ingested again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from trucewatch.merge.coref import DAY_SLACK, DEFAULT_SLACK, Knowledge, Mention, Profile, date_span, rank, score
from trucewatch.merge.records import MentionRecord
from trucewatch.merge.values import merge_values
from trucewatch.models import Event

ID_BITS = 48  # ids below 2**48: exact in JSON numbers, and a collision among a million events is ~1 in 500
LAST = "\uffff"  # an undated report sorts after every dated one

MemberKey = tuple[str, str, int, str, str, str, str, str, str, str, int, int, str]


@dataclass(frozen=True)
class Member:
    """A mention as the clustering sees it: its record (its ``source`` its own report), what
    coreference reads of it, its place in the canonical order (``key``; ``report``: publication
    date, undated last, then report id), and what deciding its links reads, worked out once."""

    record: MentionRecord
    mention: Mention
    key: MemberKey
    said: tuple[object, ...]  # what it says, without which event and report it is (links depend on that alone)
    event_id: int
    doc_id: str
    report: tuple[str, str]
    reach: tuple[dt.date, dt.date] | None  # ``window``
    span: tuple[dt.date, dt.date] | None  # the days its date covers
    names: frozenset[str]

    @classmethod
    def of(cls, record: MentionRecord, mention: Mention | None = None) -> Member:
        """``mention``: what coreference reads of ``record``, when it is at hand."""
        e = record.event
        key: MemberKey = (record.published or LAST, e.doc_id, e.sentence, e.type, e.trigger or "", e.date or "",
                          e.location or "", e.actor or "", e.target or "", e.mode or "",
                          -1 if e.killed is None else e.killed, -1 if e.injured is None else e.injured,
                          e.evidence or "")
        mention = mention or Mention.of(record.event_id, e, record.published)
        said = tuple(getattr(mention, f) for f in _SAID)
        span = date_span(mention.date)
        return cls(replace(record, source=e.doc_id), mention, key, said, record.event_id, e.doc_id, key[:2],
                   window(mention), (span.lo, span.hi) if span else None, frozenset(names(mention)))


_SAID = tuple(f for f in Mention.__dataclass_fields__ if f not in ("event_id", "doc_id"))


def merged_id_of(key: MemberKey) -> int:
    """The id of a merged event whose canonical first mention has ``key``: a hash of what the
    mention is (report id, sentence, type, trigger, values), never of when it arrived."""
    digest = hashlib.blake2b(repr(key).encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % ((1 << ID_BITS) - 1) + 1


def window(m: Mention) -> tuple[dt.date, dt.date] | None:
    """The days a mention's neighbours may lie in: its date's span widened by the most two dates of
    one event may differ (its type's day slack, one more for a date taken from a verb of saying);
    None for an undated mention."""
    span = date_span(m.date)
    if span is None:
        return None
    slack = dt.timedelta(days=DAY_SLACK.get(m.type, DEFAULT_SLACK) + 1)
    return span.lo - slack, span.hi + slack


def names(m: Mention) -> set[str]:
    return {*m.actors, *m.targets, *([m.location] if m.location else [])}


def near(a: Mention, b: Mention) -> bool:
    """Whether two mentions could be one event at all: the same type, and dates within the slack
    (or, when either is undated, a name in common). Symmetric; a link needs it."""
    if a.type != b.type:
        return False
    wa, sb = window(a), date_span(b.date)
    if wa is not None and sb is not None:
        return wa[0] <= sb.hi and sb.lo <= wa[1]
    return bool(names(a) & names(b))


def decision_values(records: Sequence[MentionRecord], knowledge: Knowledge) -> Event:
    """The merged values the clustering compares with: ``merge_values`` with each report its own source."""
    return merge_values(records, knowledge)[0]


class Linker:
    """Decides links between mentions, with answers kept: a mention's link to another depends only
    on what each says (not on which event or report holds it), so syndicated copies, which say the
    same, cost one decision."""

    CACHE = 200_000

    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self._own: OrderedDict[tuple[object, ...], Profile] = OrderedDict()
        self._links: OrderedDict[tuple[tuple[object, ...], tuple[object, ...]], bool] = OrderedDict()
        self.decisions = 0  # links decided by scoring (not from the kept answers)

    def linked(self, a: Member, b: Member) -> bool:
        if a.doc_id == b.doc_id or a.mention.type != b.mention.type:
            return False
        if a.reach is not None and b.span is not None:  # ``near``, on what was worked out once
            if not (a.reach[0] <= b.span[1] and b.span[0] <= a.reach[1]):
                return False
        elif not a.names & b.names:
            return False
        found = self._links.get((a.said, b.said))
        if found is None:
            self.decisions += 1
            same = a.mention.evidence is not None and a.mention.evidence == b.mention.evidence
            found = any(match is not None and match.joins for match in (
                score(a.mention, self._profile(b), self.knowledge, same_sentence=same),
                score(b.mention, self._profile(a), self.knowledge, same_sentence=same)))
            self._links[(a.said, b.said)] = self._links[(b.said, a.said)] = found
            while len(self._links) > self.CACHE:
                self._links.popitem(last=False)
        return found

    def _profile(self, m: Member) -> Profile:
        """The profile of a merged event made of ``m`` alone."""
        profile = self._own.get(m.said)
        if profile is None:
            profile = self._own[m.said] = Profile.of(decision_values([m.record], self.knowledge), [m.mention])
            if len(self._own) > self.CACHE:
                self._own.popitem(last=False)
        return profile


@dataclass
class Cluster:
    """One merged event as the clustering builds it: its members in canonical order, the score each
    joined with (None: the one that founded it), its decision values and profile."""

    members: list[Member]
    scores: dict[int, float | None]
    values: Event
    profile: Profile
    sentences: set[str] = field(default_factory=set)
    merged_id: int | None = None  # the stored event it is, when it is one

    @property
    def key(self) -> MemberKey:
        return self.members[0].key

    @classmethod
    def of(cls, members: Sequence[Member], scores: dict[int, float | None], knowledge: Knowledge,
           merged_id: int | None = None) -> Cluster:
        """The cluster of these members (in canonical order), as the merge left it after the last."""
        values = decision_values([m.record for m in members], knowledge)
        profile = Profile.of(values, (m.mention for m in members), sources=len(members))
        return cls(list(members), dict(scores), values, profile,
                   {m.mention.evidence for m in members if m.mention.evidence}, merged_id)

    def add(self, m: Member, points: float, knowledge: Knowledge) -> None:
        self.members.append(m)
        self.scores[m.event_id] = points
        if m.mention.evidence:
            self.sentences.add(m.mention.evidence)
        if _keeps_values(m.record.event, self.values):
            self.profile.add(m.mention)
        else:
            self.values = decision_values([x.record for x in self.members], knowledge)
            self.profile = Profile.of(self.values, (x.mention for x in self.members))
        self.profile.sources = len(self.members)  # each report counts once here (one mention each)


def _keeps_values(e: Event, values: Event) -> bool:
    """Whether a mention that agrees with every merged value the profile holds leaves them as they
    are (``merge_values`` picks each by support, and this only adds support to the winners), so
    the values need not be computed again: syndicated copies join in constant time."""
    if e.date and date_span(e.date) and e.date != values.date:
        return False
    if e.location and e.location != values.location:
        return False
    for attr in ("actor", "target"):
        given, merged = getattr(e, attr), getattr(values, attr)
        if given and (merged is None or set(_split(given)) != set(_split(merged))):
            return False
    if e.mode and e.mode != values.mode and not (e.mode == "unknown" and values.mode is not None):
        return False
    return True


def _split(value: str) -> list[str]:
    return [p.strip() for p in value.split(";") if p.strip()]


def choose(mine: Sequence[Member], candidates: Sequence[Sequence[Cluster]],
           knowledge: Knowledge) -> dict[int, tuple[Cluster, float]]:
    """Which merged event each of one report's mentions (in canonical order) joins: jointly, best
    scores first, each event taking one mention of the report at most. ``candidates``: for each
    mention, the events holding a mention it is linked to, as the reports before it left them.
    Returns mention index -> (event, score); a mention left out founds a new event.

    Candidates are scored against their profiles (``coref.score``) and ranked (``coref.rank``:
    ties go to the event founded first in the canonical order)."""
    pool = sorted({id(c): c for cs in candidates for c in cs}.values(), key=lambda c: (c.key, c.members[0].event_id))
    order = {id(c): k for k, c in enumerate(pool)}
    options: list[tuple[float, int, int, int, float]] = []  # -score, rank, mention, event, score
    for i, (m, cs) in enumerate(zip(mine, candidates, strict=True)):
        scored = [(match, order[id(c)], c.profile) for c in cs
                  if (match := score(m.mention, c.profile, knowledge,
                                     same_sentence=m.mention.evidence in c.sentences)) is not None]
        for position, (match, k) in enumerate(rank(scored, m.mention)):
            options.append((-match.score, position, i, k, match.score))
    chosen: dict[int, tuple[Cluster, float]] = {}
    taken: set[int] = set()
    for _, _, i, k, points in sorted(options):
        if i not in chosen and k not in taken:
            chosen[i] = (pool[k], points)
            taken.add(k)
    return chosen


def candidate(m: Member, c: Sequence[Member], linker: Linker) -> bool:
    """Whether the event with members ``c`` is a candidate of ``m``: it holds a mention linked to it."""
    return any(linker.linked(m, b) for b in c)


def merge_all(members: Iterable[Member], knowledge: Knowledge, linker: Linker) -> list[Cluster]:
    """The merged events of ``members`` from scratch: their reports in canonical order, each report's
    mentions placed by ``choose`` among the events made from the reports before it, or founding
    new ones. What the incremental merge keeps the ledger equal to."""
    reports: dict[tuple[str, str], list[Member]] = {}
    for m in members:
        reports.setdefault(m.report, []).append(m)
    clusters: list[Cluster] = []
    for report in sorted(reports):
        mine = sorted(reports[report], key=lambda m: (m.key, m.event_id))
        options = [[c for c in clusters if comparable(m.mention, c.profile) and candidate(m, c.members, linker)]
                   for m in mine]
        chosen = choose(mine, options, knowledge)
        for i, m in enumerate(mine):
            if i in chosen:
                cluster, points = chosen[i]
                cluster.add(m, points, knowledge)
            else:
                clusters.append(Cluster.of([m], {m.event_id: None}, knowledge))
    return clusters


def comparable(m: Mention, p: Profile) -> bool:
    """What the merge before this one compared (kept): an event of the mention's type, sharing a
    name when the mention or the event has no date."""
    if m.type != p.type:
        return False
    if date_span(m.date) is None or date_span(p.date) is None:
        return bool(names(m) & p.names())
    return True


def hull(mentions: Iterable[Mention]) -> tuple[str, str] | None:
    """The first and last day the dated ``mentions`` cover (ISO), None when none is dated."""
    spans = [s for m in mentions if (s := date_span(m.date)) is not None]
    if not spans:
        return None
    return min(s.lo for s in spans).isoformat(), max(s.hi for s in spans).isoformat()
