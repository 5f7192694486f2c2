"""The merge from scratch (``clusters.merge_all``), kept up to date one report at a time.

In the merge from scratch, a report's placement depends only on the merged events holding a
mention it is linked to, as the reports before it (in canonical order) left them. So a new report
changes nothing before it, and after it only what it sets off: ``Update`` places the new report in
the events as the reports before it left them, and when an event changes, places again each later
report linked to one of its mentions, in canonical order, each in the events as the reports before
it now leave them; a report placed as before changes nothing further. Reports that arrive in order
place nothing again; a report that arrives late places again the later reports of the events it
joins (syndicated copies: the later copies, each in constant time).

A removed report (or one whose events changed) is handled alike: the events that lost a mention are
changed, from their first report on.

Stored events are read whole, from the neighbours of the mentions involved (``merge_candidates``:
the events of their type whose reports' days meet their windows); each stored profile keeps its
last report in the canonical order, so events with nothing after a change are passed over unread.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence

from trucewatch.merge.clusters import Cluster, Linker, Member, choose, comparable, names, window
from trucewatch.merge.coref import Knowledge
from trucewatch.merge.profiles import Mention, Profile
from trucewatch.store import Store

Report = tuple[str, str]  # (publication date, report id): the canonical order of reports
Ref = int  # a stored merged event's id, or minus the event id of the mention that founds a new one


class Update:
    """One document's update of the merged events (see the module docstring).

    After ``run``: ``stored`` holds every stored event read, with its members as stored; ``place``
    every mention read or placed -> (merged event ref, score) now; ``changed`` the refs whose
    members changed."""

    def __init__(self, store: Store, knowledge: Knowledge, linker: Linker, members: Callable[[int], list[Member]],
                 profile: Callable[[int, str], Profile]) -> None:
        self.store, self.knowledge, self.linker = store, knowledge, linker
        self._members_of, self._profile_of = members, profile
        self.stored: dict[int, list[Member]] = {}
        self.stored_place: dict[int, tuple[Ref, float | None]] = {}
        self.place: dict[int, tuple[Ref, float | None]] = {}
        self.members: dict[Ref, dict[int, Member]] = {}
        self.changed: set[Ref] = set()
        self._windows: dict[tuple[str, str, str], list[tuple[int, Profile]]] = {}
        self._names: dict[tuple[str, frozenset[str]], list[tuple[int, Profile]]] = {}
        self._heap: list[Report] = []
        self._waiting: dict[Report, dict[int, Member]] = {}
        self._done: set[Report] = set()
        self._built: dict[Ref, Cluster] = {}
        self._fresh: set[int] = set()  # the new mentions (stored in no merged event yet)

    def run(self, newcomers: Sequence[Member], damaged: Sequence[int]) -> None:
        """Place ``newcomers`` (one report's mentions), and the mentions of the events that lost
        some (``damaged``), and everything that sets off."""
        self._fresh = {m.event_id for m in newcomers}
        for m in newcomers:
            self._wait(m)
        for merged_id in damaged:
            members = self._load(merged_id)
            self.changed.add(merged_id)
            for m in members:
                self._wait(m)
            self._set_off(merged_id, members, ("", ""))
        while self._heap:
            report = heapq.heappop(self._heap)
            if report in self._done:
                continue
            self._done.add(report)
            self._place_report(report, sorted(self._waiting.pop(report).values(), key=lambda m: (m.key, m.event_id)))

    # ---- placing -------------------------------------------------------------------------------

    def _place_report(self, report: Report, mine: list[Member]) -> None:
        options = [self._candidates(report, m) for m in mine]
        chosen = choose(mine, options, self.knowledge)
        for i, m in enumerate(mine):
            old = self.place.get(m.event_id)
            new: tuple[Ref, float | None]
            if i in chosen:
                cluster, points = chosen[i]
                new = (self.place[cluster.members[0].event_id][0], points)
            elif old is not None and self._founds(m, old[0]):
                new = (old[0], None)  # it founds the event it founded before
            else:
                new = (-m.event_id, None)
            if old == new:
                continue
            self._move(m, old[0] if old else None, new)
            if old is not None and old[0] == new[0]:
                continue  # only its score changed: no profile did
            for ref in (new[0], *([old[0]] if old else [])):
                self.changed.add(ref)
                self._set_off(ref, [*self.members.get(ref, {}).values(), m], report)

    def _candidates(self, report: Report, m: Member) -> list[Cluster]:
        """The events ``m`` may join, as the reports before ``report`` leave them: those holding an
        earlier mention linked to it (all of them near it: in the stored events near it, or new)."""
        refs = {self.place[b.event_id][0] for merged_id, _ in self._neighbours(m.mention)
                for b in self.stored[merged_id]}
        refs.update(ref for ref in self.members if ref < 0)
        refs.update(self.place[e][0] for e in self._fresh if e in self.place)  # new mentions, not stored yet
        out: list[Cluster] = []
        linked = self.linker.linked
        for ref in sorted(refs):
            members = self.members.get(ref)
            if members and any(b.report < report and linked(m, b) for b in members.values()):
                cluster = self._prefix(ref, report)
                if comparable(m.mention, cluster.profile):
                    out.append(cluster)
        return out

    def _prefix(self, ref: Ref, report: Report) -> Cluster:
        """The event ``ref`` as the reports before ``report`` leave it (built on from the last time:
        reports are placed in canonical order, so an event only grows at its end here)."""
        members = sorted((b for b in self.members[ref].values() if b.report < report),
                         key=lambda b: (b.key, b.event_id))
        built = self._built.get(ref)
        n = len(built.members) if built else 0
        if built is None or [b.event_id for b in built.members] != [b.event_id for b in members[:n]]:
            built, n = None, 0
        if built is None:
            built = Cluster.of(members, {b.event_id: self.place[b.event_id][1] for b in members}, self.knowledge)
        else:
            for b in members[n:]:
                built.add(b, self.place[b.event_id][1] or 0.0, self.knowledge)
                built.scores[b.event_id] = self.place[b.event_id][1]
        self._built[ref] = built
        return built

    def _founds(self, m: Member, ref: Ref) -> bool:
        """Whether ``m`` is the first mention of ``ref``: founding an event, it founds that one."""
        return all((m.key, m.event_id) <= (b.key, b.event_id) for b in self.members.get(ref, {}).values())

    def _move(self, m: Member, old: Ref | None, new: tuple[Ref, float | None]) -> None:
        if old is not None:
            self.members.get(old, {}).pop(m.event_id, None)
            self._built.pop(old, None)
        self.place[m.event_id] = new
        self.members.setdefault(new[0], {})[m.event_id] = m
        self._built.pop(new[0], None)

    def _set_off(self, ref: Ref, members: Sequence[Member], after: Report) -> None:
        """An event changed at ``after``: every later report linked to one of its mentions is placed
        again."""
        for b in members:
            for merged_id, profile in self._neighbours(b.mention, read=False):
                if profile.last is not None and tuple(profile.last) <= after:
                    continue
                for y in self._load(merged_id):
                    if y.report > after and y.report not in self._done and y.event_id not in self._waiting.get(
                            y.report, {}) and self.linker.linked(b, y):
                        self._wait(y)

    def _wait(self, m: Member) -> None:
        """Queue a mention's report to be placed (again), with all its mentions (placed jointly)."""
        if m.report not in self._waiting:
            self._waiting[m.report] = {}
            heapq.heappush(self._heap, m.report)
            if m.event_id in self.place:  # a stored report: every event holding one of its mentions is read
                for merged_id in sorted(self.store.merged_ids_of_documents([m.doc_id])):
                    for b in self._load(merged_id):
                        if b.doc_id == m.doc_id:
                            self._waiting[m.report][b.event_id] = b
        self._waiting[m.report][m.event_id] = m

    # ---- reading the store ---------------------------------------------------------------------

    def _load(self, merged_id: int) -> list[Member]:
        members = self.stored.get(merged_id)
        if members is None:
            members = self.stored[merged_id] = self._members_of(merged_id)
            here = self.members.setdefault(merged_id, {})
            for m in members:
                if m.event_id not in self.place:  # not moved by this update
                    self.place[m.event_id] = self.stored_place[m.event_id] = (merged_id, m.record.score)
                    here[m.event_id] = m
                else:
                    self.stored_place[m.event_id] = (merged_id, m.record.score)
        return members

    def _neighbours(self, m: Mention, *, read: bool = True) -> list[tuple[int, Profile]]:
        """The stored merged events that may hold a mention ``near`` ``m`` (and maybe a few more),
        each read whole unless ``read`` is false: those of its type whose reports' days meet its
        window, or with a report sharing a name when either is undated."""
        span = window(m)
        mine = names(m)
        if span is None:
            key = (m.type, frozenset(mine))
            if key not in self._names:
                rows = self.store.merge_candidates(m.type, None, None, sorted(mine)) if mine else []
                self._names[key] = [(i, self._profile_of(i, text)) for i, text in rows if text != "{}"]
            found = self._names[key]
        else:
            lo, hi = span[0].isoformat(), span[1].isoformat()
            if (m.type, lo, hi) not in self._windows:
                rows = self.store.merge_candidates(m.type, lo, hi)
                self._windows[(m.type, lo, hi)] = [(i, self._profile_of(i, text)) for i, text in rows if text != "{}"]
            found = [(i, p) for i, p in self._windows[(m.type, lo, hi)]
                     if (p.span is not None and p.span[0] <= hi and lo <= p.span[1]) or mine & p.names()]
        if read:
            for merged_id, _ in found:
                self._load(merged_id)
        return found
