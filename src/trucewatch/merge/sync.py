"""The merge stage: bring the ledger's merged events up to date with the reports stored.

Triggers in the database queue every document whose text, metadata or events change (see the
``0002_merged_events`` migration). ``Merger.sync`` takes the queued documents one at a time, each in
one transaction:

1. the document's old mentions leave their merged events; an event that lost a mention is checked
   again: its remaining mentions are re-joined in order, and any that no longer fit (the removed
   report was what joined them) are placed again like new ones;
2. its text is fingerprinted and its copies found (``copies``);
3. each of its events is scored against the stored profiles of the merged events it could be
   (``coref``) and joins the best one, or founds a new event; two events of one report never join
   one merged event;
4. who each mention is attributed to, and the claims and denials of its sentences, are stored;
5. the merged events it touched get their values, provenance and contradictions again
   (``values``, ``contradictions``).

Only the document's own candidates and the merged events it joins are read: a new report costs
what its neighbours in time cost, not what the whole ledger holds, and nothing is reprocessed. A
merged event that only gained reports keeps its independent sources and joins the newcomers to them
through their own copy pairs (adding reports can only join sources); one that lost a report has them
computed again from all its copy pairs. So the thousandth copy of a syndicated story reads its own
thousand pairs, not the half million among all the copies.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import OrderedDict, defaultdict
from collections.abc import Sequence

from trucewatch.merge.attribution import NamedSpan, attribute
from trucewatch.merge.claims import attach, find_claims
from trucewatch.merge.contradictions import find_contradictions
from trucewatch.merge.copies import CopyFinder, band_keys, fingerprint, kept_text, source_groups
from trucewatch.merge.coref import DAY_SLACK, DEFAULT_SLACK, Knowledge, Mention, Profile, date_span, rank, score
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
        touched: set[int] = set()
        joined: defaultdict[int, set[str]] = defaultdict(set)  # merged event -> reports that joined it
        orphans: list[MentionRecord] = []
        for merged_id in sorted(self.store.detach_document(doc_id) | set(self.store.dirty_merged())):
            orphans += self._recheck(merged_id)
        doc = self.store.document(doc_id)
        if doc is not None:
            touched |= self.store.merged_ids_of_documents(self._copies(doc))
            rows = self.store.event_rows(doc_id)
            spans = self._spans(doc)
            self._attribute(doc, rows, spans)
            lead = next((eid for eid, e in sorted(rows, key=lambda r: (r[1].sentence, r[0])) if not e.background),
                        None)
            touched |= self._place([(eid, e, eid == lead) for eid, e in rows], doc.published, joined)
            self._claims(doc, rows, spans)
        by_doc: dict[str, list[MentionRecord]] = defaultdict(list)
        for m in orphans:
            by_doc[m.event.doc_id].append(m)
        for items in by_doc.values():
            touched |= self._place([(m.event_id, m.event, m.lead) for m in items], items[0].published, joined)
        for merged_id in sorted(touched):
            self._refresh(merged_id, joined.get(merged_id, set()))

    def _recheck(self, merged_id: int) -> list[MentionRecord]:
        """Re-join the mentions left in an event that lost one, in the order they were stored; the
        ones that no longer fit are taken out and returned, to be placed again."""
        mentions = sorted(self._mentions(merged_id), key=lambda pair: pair[0].event_id)
        if not mentions:
            self.store.delete_merged(merged_id)
            return []
        kept, out = mentions[:1], list[MentionRecord]()
        for record, mention in mentions[1:]:
            values, _ = merge_values([r for r, _ in kept], self.knowledge)
            match = score(mention, Profile.of(values, (m for _, m in kept)), self.knowledge,
                          same_report=any(m.doc_id == mention.doc_id for _, m in kept),
                          same_sentence=mention.evidence is not None and any(
                              m.evidence == mention.evidence for _, m in kept))
            if match is not None and match.joins:
                kept.append((record, mention))
            else:
                out.append(record)
        self.store.detach_mentions([m.event_id for m in out])
        self._refresh(merged_id)
        return out

    def _place(self, items: Sequence[tuple[int, Event, bool]], published: str | None,
               joined: defaultdict[int, set[str]]) -> set[int]:
        """Give each of one report's events a merged event: the best candidate it joins, each
        candidate taken by one event of the report at most (best scores first), else a new one.
        ``joined`` records which report joined which merged event."""
        mentions = [Mention.of(eid, e, published) for eid, e, _ in items]
        options: list[tuple[float, int, int, int, float]] = []  # -score, rank, mention, merged id, score
        # Events that already hold a mention of this report: only orphans' reports have any.
        own = self.store.merged_ids_of_documents([mentions[0].doc_id]) if mentions else set()
        for i, m in enumerate(mentions):
            copied = self.store.merged_ids_with_sentence(m.evidence) if m.evidence else set()
            scored = [(match, merged_id, p) for merged_id, p in self._candidates(m)
                      if (match := score(m, p, self.knowledge, same_report=merged_id in own,
                                         same_sentence=merged_id in copied)) is not None]
            for position, (match, merged_id) in enumerate(rank(scored, m)):
                options.append((-match.score, position, i, merged_id, match.score))
        chosen: dict[int, tuple[int, float]] = {}
        taken: set[int] = set()
        for _, _, i, merged_id, points in sorted(options):
            if i not in chosen and merged_id not in taken:
                chosen[i] = (merged_id, points)
                taken.add(merged_id)
        touched: set[int] = set()
        for i, (m, (_, _, lead)) in enumerate(zip(mentions, items, strict=True)):
            if i in chosen:
                merged_id, points = chosen[i]
                self.store.add_mention(m.event_id, merged_id, m.doc_id, lead, points, m.evidence)
            else:
                merged_id = self.store.create_merged(m.type)
                self.store.add_mention(m.event_id, merged_id, m.doc_id, lead, None, m.evidence)
            touched.add(merged_id)
            joined[merged_id].add(m.doc_id)
        return touched

    def _candidates(self, m: Mention) -> list[tuple[int, Profile]]:
        """The merged events ``m`` could be: those of its type within its day slack of its date (one
        more day for a date taken from a verb of saying) and the undated ones, or, for an undated
        mention, those that share one of its names."""
        span = date_span(m.date)
        if span is not None:
            window = dt.timedelta(days=DAY_SLACK.get(m.type, DEFAULT_SLACK) + 1)
            rows = self.store.merge_candidates(m.type, (span.lo - window).isoformat(), (span.hi + window).isoformat())
        else:
            names = [*m.actors, *m.targets, *([m.location] if m.location else [])]
            rows = self.store.merge_candidates(m.type, None, None, names)
        return [(merged_id, self._profile(merged_id, text)) for merged_id, text in rows if text != "{}"]

    def _profile(self, merged_id: int, text: str) -> Profile:
        """A stored profile, parsed once: a busy month's events are candidates of every report of it,
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
        span = date_span(values.date)
        self.store.update_merged(
            merged_id, values, provenance, profile=profile.to_json(), names=sorted(profile.names()),
            reports=len(published), sources=profile.sources, changed_sources=changed,
            contradictions=find_contradictions(mentions, self.knowledge),
            date_range=(span.lo.isoformat(), span.hi.isoformat()) if span else None)

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
        out.sort(key=lambda pair: (pair[0].published is None, pair[0].published or "", pair[0].event_id))
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
