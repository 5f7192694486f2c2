"""The merge stage: bring the ledger's merged events up to date with the reports stored.

Triggers in the database queue every document whose text, metadata or events change (see the
``0002_merged_events`` migration). ``Merger.sync`` takes the queued documents one at a time, each in
one transaction:

1. the document's old mentions leave their merged events;
2. its text is fingerprinted and its copies found (``copies``); who each mention is attributed to,
   and the claims and denials of its sentences, are stored;
3. the merged events are brought to what merging every stored mention from scratch, reports in
   canonical order, gives (``clusters``): the new mentions are placed among the events as the
   reports before them left them, and whatever that sets off is placed again (``incremental``);
   what changed is stored, under ids derived from each event's canonical first mention;
4. the merged events whose members changed get their values, provenance and contradictions again
   (``values``, ``contradictions``).

Only the document's neighbours in time, and the later reports a change reaches, are read: a new
report costs what its neighbours cost, not what the whole ledger holds, and the result does not
depend on the order reports arrive in. A merged event that only gained reports keeps its independent sources and
joins the newcomers to them through their own copy pairs (adding reports can only join sources);
one that lost a report has them computed again from all its copy pairs. So the thousandth copy of a
syndicated story reads its own thousand pairs, not the half million among all the copies.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence

from trucewatch.merge.attribution import NamedSpan, attribute
from trucewatch.merge.claims import attach, find_claims
from trucewatch.merge.clusters import (
    ID_BITS,
    LAST,
    Linker,
    Member,
    MemberKey,
    hull,
    merged_id_of,
)
from trucewatch.merge.contradictions import find_contradictions
from trucewatch.merge.copies import CopyFinder, band_keys, fingerprint, kept_text, source_groups
from trucewatch.merge.coref import Knowledge, Mention, Profile, date_span
from trucewatch.merge.incremental import Update
from trucewatch.merge.records import Attribution, Claim, MentionRecord
from trucewatch.merge.values import merge_values
from trucewatch.models import Document, Event, Rejection, Sentence
from trucewatch.resolve.names import Gazetteer
from trucewatch.store import Store


class Merger:
    """Merges the events of queued documents into the ledger's merged events. Build once per run.

    Mentions read from the store are kept (up to ``CACHE`` of them) between documents: an event row
    is never changed once saved (a changed report gets new rows), so only what links a mention to
    its merged event is read again, and a merged event reported a thousand times is not read whole
    from the database each time a report joins it. Parsed profiles are kept too, each with the
    stored text it was parsed from, which tells whether it is still current.
    """

    CACHE = 20_000

    def __init__(self, store: Store, gazetteer: Gazetteer | None = None) -> None:
        self.store = store
        self.knowledge = Knowledge(gazetteer or Gazetteer.load())
        self._cache: OrderedDict[int, tuple[MentionRecord, Mention]] = OrderedDict()
        self._profiles: OrderedDict[int, tuple[str, Profile]] = OrderedDict()
        self._copy_finder = CopyFinder()
        self.linker = Linker(self.knowledge)

    @property
    def copy_comparisons(self) -> int:
        """Exact comparisons of shingle sets made so far: the work copy detection costs."""
        return self._copy_finder.comparisons

    def sync(self) -> list[Rejection]:
        """Merge every queued document; returns the documents whose merge failed (left unmerged and
        taken off the queue, so that one bad document cannot block the others; re-ingesting it
        queues it again).

        Each document is taken off the queue inside its own merge's transaction, which has the
        ledger to itself: with several ingest processes on one ledger, each queued document is merged
        once, by whichever process comes to it first, and none is missed."""
        failures: list[Rejection] = []
        while True:
            doc_id = None
            try:
                with self.store.transaction("merge the next queued document"):
                    doc_id = self.store.next_queued()
                    if doc_id is None:
                        return failures
                    self._merge(doc_id)
                    self.store.dequeue(doc_id)
            except Exception as exc:  # recorded as a Rejection by the caller, never dropped
                if doc_id is None:
                    raise
                with self.store.transaction(f"set aside document {doc_id}"):
                    self.store.dequeue(doc_id)
                failures.append(Rejection("merge", f"{type(exc).__name__}: {exc}", doc_id))

    # ---- one document ------------------------------------------------------------------------

    def _merge(self, doc_id: str) -> None:
        damaged = sorted(self.store.detach_document(doc_id) | set(self.store.dirty_merged()))
        doc = self.store.document(doc_id)
        touched: set[int] = set()
        newcomers: list[Member] = []
        if doc is not None:
            touched |= self.store.merged_ids_of_documents(self._copies(doc))
            rows = self.store.event_rows(doc_id)
            spans = self._spans(doc)
            self._attribute(doc, rows, spans)
            lead = next((eid for eid, e in sorted(rows, key=lambda r: (r[1].sentence, r[0])) if not e.background),
                        None)
            newcomers = [Member.of(MentionRecord(eid, e, doc.published, doc.outlet, doc.url, doc.title,
                                                 lead=eid == lead, source=doc_id)) for eid, e in rows]
            self._claims(doc, rows, spans)
        changed = self._regroup(newcomers, damaged)
        for merged_id in sorted(touched | changed.keys()):
            self._refresh(merged_id, changed.get(merged_id, set()))

    def _regroup(self, newcomers: Sequence[Member], damaged: Sequence[int]) -> dict[int, set[str] | None]:
        """Bring the merged events to what merging every stored mention from scratch gives: place the
        new mentions and whatever they (or the mentions ``damaged`` events lost) set off (``Update``),
        and store what changed. Returns the merged events to refresh, each with the reports that
        joined it (None: it may have lost some)."""
        update = Update(self.store, self.knowledge, self.linker, self._members, self._profile)
        update.run(newcomers, damaged)
        final = {ref: members for ref, members in update.members.items() if members}

        def first(members: Iterable[Member]) -> Member:
            return min(members, key=lambda m: (m.key, m.event_id))

        # A stored event keeps its id while its first mention stays; one whose first mention left
        # (placed in an earlier event) is the event of its new first mention, and takes that id.
        ids = {ref: ref for ref in final
               if ref > 0 and first(final[ref].values()).event_id == first(update.stored[ref]).event_id}
        used = set(ids)
        for ref in sorted(r for r in final if r not in ids):
            lead = first(final[ref].values())
            ids[ref] = self._new_id(lead.key, used, update.stored)
            if ids[ref] not in update.stored:
                self.store.create_merged(lead.mention.type, ids[ref])
        for members in final.values():
            for m in members.values():
                ref, points = update.place[m.event_id]
                if update.stored_place.get(m.event_id) != (ids[ref], points):
                    self.store.add_mention(m.event_id, ids[ref], m.doc_id, m.record.lead, points, m.mention.evidence)
        changed: dict[int, set[str] | None] = {}
        for ref in update.changed:
            if ref not in final:
                continue
            merged_id = ids[ref]
            now = set(final[ref])
            old = {m.event_id for m in update.stored[merged_id]} if merged_id in update.stored else None
            if old == now and merged_id not in damaged:
                continue
            changed[merged_id] = (None if old is None or not old <= now or merged_id in damaged else
                                  {m.doc_id for m in final[ref].values() if m.event_id not in old})
        for merged_id in sorted(update.stored.keys() - set(ids.values())):
            self.store.delete_merged(merged_id)
        return changed

    def _new_id(self, key: MemberKey, used: set[int], gathered: Mapping[int, object]) -> int:
        """The id of the merged event whose canonical first mention has ``key``; on the rare
        collision with another stored event, the next free one."""
        merged_id = merged_id_of(key)
        while merged_id in used or (merged_id not in gathered and self.store.mention_links(merged_id)):
            merged_id = merged_id % ((1 << ID_BITS) - 1) + 1
        used.add(merged_id)
        return merged_id

    def _profile(self, merged_id: int, text: str) -> Profile:
        """A stored profile, parsed once: a busy month's events are neighbours of every report of it,
        and the stored text itself says whether the parsed copy is still the event's profile."""
        cached = self._profiles.get(merged_id)
        if cached is not None and cached[0] == text:
            self._profiles.move_to_end(merged_id)
            return cached[1]
        profile = Profile.from_json(text)
        self._profiles[merged_id] = (text, profile)
        if len(self._profiles) > self.CACHE:
            self._profiles.popitem(last=False)
        return profile

    def _refresh(self, merged_id: int, joined: set[str] | None = None) -> None:
        """Recompute a merged event from its mentions: sources, values, contradictions, profile.
        ``joined``: the only change since its last refresh is that these reports joined it (None:
        it may have lost reports too)."""
        pairs = self._mentions(merged_id)
        if not pairs:
            self.store.delete_merged(merged_id)
            return
        mentions = [record for record, _ in pairs]
        published = {m.event.doc_id: m.published or "" for m in mentions}
        groups = self._source_groups(mentions, published, joined)
        changed: dict[int, str] = {}
        for m in mentions:
            if m.source != groups[m.event.doc_id]:
                m.source = changed[m.event_id] = groups[m.event.doc_id]
        values, provenance = merge_values(mentions, self.knowledge)
        profile = Profile.of(values, (mention for _, mention in pairs), sources=len(set(groups.values())))
        profile.span = hull(mention for _, mention in pairs)
        profile.last = max((m.published or LAST, m.event.doc_id) for m in mentions)
        undated = any(date_span(mention.date) is None for _, mention in pairs)
        wide = profile.span is not None and (dt.date.fromisoformat(profile.span[1])
                                             - dt.date.fromisoformat(profile.span[0])).days > 366
        self.store.update_merged(
            merged_id, values, provenance, profile=profile.to_json(), names=sorted(profile.names()),
            reports=len(published), sources=profile.sources, changed_sources=changed,
            contradictions=find_contradictions(mentions, self.knowledge),
            # The days its reports cover, for the neighbour search; none (found by every search of its
            # type, then sorted out by the profile) when a report is undated or they span over a year.
            date_range=None if undated or wide else profile.span)

    def _source_groups(self, mentions: Sequence[MentionRecord], published: dict[str, str],
                       joined: set[str] | None) -> dict[str, str]:
        """Each report's independent source among one merged event's reports: the earliest of the
        reports it is connected to by copy pairs among them (``copies.source_groups``).

        When reports only joined the event, the stored sources stand for the groups before (each
        tied to its earliest report, which is its source) and only the newcomers' own pairs are read:
        adding reports can only join groups, and a joined group's earliest report is the earliest of
        their sources. The result is what reading every pair gives, at the cost of the newcomers'."""
        docs = sorted(published)
        before = {m.event.doc_id: m.source for m in mentions if joined is not None and m.event.doc_id not in joined}
        if joined is None or any(published.get(source) is None or before.get(source, source) != source
                                 for source in before.values()):
            return source_groups(docs, self.store.copy_pairs(docs), first=lambda d: published[d])
        links = [(doc, source) for doc, source in before.items() if doc != source]
        for doc in sorted(joined & published.keys()):
            links += [(doc, other) for other, _ in self.store.copies_of(doc) if other in published]
        return source_groups(docs, links, first=lambda d: published[d])

    def _members(self, merged_id: int) -> list[Member]:
        """A stored merged event's mentions as the clustering sees them."""
        return [Member.of(record, mention) for record, mention in self._mentions(merged_id)]

    def _mentions(self, merged_id: int) -> list[tuple[MentionRecord, Mention]]:
        """A merged event's mentions, oldest report first, each with what coreference reads of it;
        rows already read come from the cache, with their links to the event read afresh."""
        links = self.store.mention_links(merged_id)
        for record in self.store.mention_records([eid for eid, *_ in links if eid not in self._cache]):
            self._cache[record.event_id] = (record, _mention(record))
        out: list[tuple[MentionRecord, Mention]] = []
        for event_id, lead, points, source in links:
            record, mention = self._cache[event_id]
            self._cache.move_to_end(event_id)
            record.lead, record.score, record.source = lead, points, source or record.event.doc_id
            out.append((record, mention))
        while len(self._cache) > self.CACHE:
            self._cache.popitem(last=False)
        out.sort(key=lambda pair: (pair[0].published is None, pair[0].published or "", pair[0].event.doc_id,
                                   pair[0].event.sentence, pair[0].event_id))
        return out

    # ---- copies, attribution, claims ---------------------------------------------------------

    def _copies(self, doc: Document) -> list[str]:
        """Fingerprint the document and store its confirmed copies; returns every document whose
        copy relation to it changed (old and new copies), whose events' source counts may change."""
        own = fingerprint(kept_text(doc.text, doc.removed))
        keys = band_keys(own.minhash) if own else []  # empty texts would all share every key
        self.store.replace_signature(doc.id, doc.content_hash, own.minhash.tobytes(), keys)
        found = self._copy_finder.find(doc.id, own, lambda: self.store.band_candidates(keys, doc.id),
                                       text_of=self.store.document_text, copies_of=self.store.copies_of,
                                       pending=self.store.merge_queue)
        old = self.store.replace_copies(doc.id, found)
        return sorted(set(old) | {other for other, _ in found})

    def _spans(self, doc: Document) -> dict[int, list[NamedSpan]]:
        """The names of each stored sentence, as sentence-relative ``NamedSpan``."""
        out: dict[int, list[NamedSpan]] = {s.idx: [] for s in doc.sentences}
        ordered = sorted(doc.sentences, key=lambda s: s.start)
        starts = [s.start for s in ordered]
        for entity_id, _surface, start, end, name, etype in self.store.entity_spans(doc.id):
            sentence = _sentence_at(ordered, starts, start)
            if sentence is None or end > sentence.end:
                continue
            if name is None:
                try:
                    entity = self.knowledge.gazetteer.get(entity_id)
                except KeyError:
                    continue
                name, etype = entity.name, entity.type
            out[sentence.idx].append(NamedSpan(start - sentence.start, end - sentence.start, name, etype or ""))
        return out

    def _attribute(self, doc: Document, rows: Sequence[tuple[int, Event]],
                   spans: dict[int, list[NamedSpan]]) -> None:
        """Store who each event of the report is attributed to, where the extractor did not say."""
        found: list[tuple[int, Attribution]] = []
        for event_id, event in rows:
            if event.attribution or not event.evidence:
                continue
            attribution = attribute(event.evidence, spans.get(event.sentence, []))
            if attribution is not None:
                found.append((event_id, attribution))
        self.store.save_attributions(found)

    def _claims(self, doc: Document, rows: Sequence[tuple[int, Event]], spans: dict[int, list[NamedSpan]]) -> None:
        """Store the claims and denials of the report's sentences, each on the event it concerns."""
        claims: list[Claim] = []
        for s in doc.sentences:
            for claim in find_claims(s.text, spans.get(s.idx, [])):
                event_id = attach(s.idx, claim, rows)
                if event_id is not None:
                    claims.append(Claim(claim.kind, claim.party, claim.said_by, claim.cue, claim.text,
                                        doc_id=doc.id, event_id=event_id, sentence=s.idx))
        self.store.replace_claims(doc.id, claims)


def _mention(m: MentionRecord) -> Mention:
    return Mention.of(m.event_id, m.event, m.published)


def _sentence_at(ordered: Sequence[Sentence], starts: Sequence[int], offset: int) -> Sentence | None:
    """The sentence (of ``ordered``, whose start offsets are ``starts``) covering a text offset."""
    i = bisect_right(starts, offset) - 1
    return ordered[i] if i >= 0 and offset < ordered[i].end else None
