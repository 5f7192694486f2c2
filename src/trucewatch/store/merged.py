"""Events merged across reports (written by :mod:`trucewatch.merge`): one row per real-world event
with the per-report events behind it as mentions, copies of one text, contradictions, claims and
attributions.

The merger reads and writes through these methods inside ``transaction``; none of them opens a
transaction of its own, so one document's merge commits or rolls back as a whole.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

from trucewatch.merge.records import Attribution, Claim, Contradiction, MentionRecord, MergedEvent, Provenance
from trucewatch.models import Event
from trucewatch.store.base import StoreBase
from trucewatch.store.connection import Row
from trucewatch.store.sql import MAX_ROW_ID, event_filters, now


class MergedStore(StoreBase):
    """The merged-event tables (see the module docstring)."""


    def merge_queue(self) -> list[str]:
        """Documents whose merge is pending (filled by triggers when documents or events change)."""
        return [row[0] for row in self._conn.execute("SELECT doc_id FROM merge_queue ORDER BY rowid")]

    def next_queued(self) -> str | None:
        """The queued document first in the merge's canonical order (publication date, undated last,
        then id), or None when the queue is empty. The merged events do not depend on the order, but
        its cost does: a report merged before an earlier-published one has its events placed again
        when that one arrives. Read inside the merge's own transaction, which has the ledger to
        itself: no two writers merge one document, and a document another process stored is merged
        by whichever process comes to it first."""
        row = self._conn.execute(
            "SELECT q.doc_id FROM merge_queue q LEFT JOIN documents d ON d.id = q.doc_id "
            "ORDER BY (d.published IS NULL OR d.published = ''), d.published, q.doc_id LIMIT 1").fetchone()
        return None if row is None else str(row[0])

    def dequeue(self, doc_id: str) -> None:
        self._conn.execute("DELETE FROM merge_queue WHERE doc_id = ?", (doc_id,))

    def replace_signature(self, doc_id: str, content_hash: str, minhash: bytes, keys: Sequence[int]) -> None:
        """Store a document's MinHash signature and LSH band keys, replacing any older ones."""
        self._conn.execute(
            "INSERT INTO doc_signatures (doc_id, content_hash, minhash) VALUES (?, ?, ?) ON CONFLICT(doc_id) "
            "DO UPDATE SET content_hash = excluded.content_hash, minhash = excluded.minhash",
            (doc_id, content_hash, minhash))
        self._conn.execute("DELETE FROM doc_bands WHERE doc_id = ?", (doc_id,))
        self._conn.executemany('INSERT INTO doc_bands ("key", doc_id) VALUES (?, ?)', [(k, doc_id) for k in keys])

    def band_candidates(self, keys: Sequence[int], doc_id: str) -> list[str]:
        """Other documents that share at least one LSH band key: the candidates to be copies."""
        if not keys:
            return []
        marks = ", ".join("?" for _ in keys)
        rows = self._conn.execute(
            f'SELECT DISTINCT doc_id FROM doc_bands WHERE "key" IN ({marks}) AND doc_id != ? ORDER BY doc_id',
            (*keys, doc_id))
        return [row[0] for row in rows]

    def replace_copies(self, doc_id: str, copies: Sequence[tuple[str, float]]) -> list[str]:
        """Set the documents ``doc_id`` is a copy of ((other id, Jaccard)); returns the old ones."""
        old = [row[0] for row in self._conn.execute("SELECT other_id FROM doc_copies WHERE doc_id = ?", (doc_id,))]
        self._conn.execute("DELETE FROM doc_copies WHERE doc_id = ? OR other_id = ?", (doc_id, doc_id))
        self._conn.executemany(
            "INSERT INTO doc_copies (doc_id, other_id, jaccard) VALUES (?, ?, ?)",
            [row for other, jac in copies for row in ((doc_id, other, jac), (other, doc_id, jac))])
        return old

    def copies_of(self, doc_id: str) -> list[tuple[str, float]]:
        """(other document, Jaccard similarity) for every stored copy of a document."""
        rows = self._conn.execute(
            "SELECT other_id, jaccard FROM doc_copies WHERE doc_id = ? ORDER BY other_id", (doc_id,))
        return [(row[0], row[1]) for row in rows]

    def copy_pairs(self, doc_ids: Sequence[str]) -> list[tuple[str, str]]:
        """The copy pairs among ``doc_ids`` (each pair once)."""
        if len(doc_ids) < 2:
            return []
        wanted = set(doc_ids)
        marks = ", ".join("?" for _ in wanted)
        rows = self._conn.execute(f"SELECT doc_id, other_id FROM doc_copies WHERE doc_id IN ({marks})", tuple(wanted))
        return [(a, b) for a, b in rows if a < b and b in wanted]

    def detach_document(self, doc_id: str) -> set[int]:
        """Take a document's mentions out of their merged events; returns those events' ids."""
        ids = {row[0] for row in self._conn.execute(
            "SELECT DISTINCT merged_id FROM merged_mentions WHERE doc_id = ?", (doc_id,))}
        self._conn.execute("DELETE FROM merged_mentions WHERE doc_id = ?", (doc_id,))
        self._conn.execute("DELETE FROM claims WHERE doc_id = ?", (doc_id,))
        return ids

    def detach_mentions(self, event_ids: Sequence[int]) -> None:
        self._conn.executemany("DELETE FROM merged_mentions WHERE event_id = ?", [(i,) for i in event_ids])

    def dirty_merged(self) -> list[int]:
        """Merged events that lost a mention since they were last checked."""
        return [row[0] for row in self._conn.execute("SELECT id FROM merged_events WHERE dirty = 1 ORDER BY id")]

    def merged_uses_of_force(self) -> dict[tuple[str, int, int], int]:
        """The merged event of every stored attack and strike, by (document, sentence, start)."""
        return {(row[0], row[1], row[2]): row[3] for row in self._conn.execute(
            'SELECT e.doc_id, e.sentence, e."start", m.merged_id FROM events e '
            "JOIN merged_mentions m ON m.event_id = e.id WHERE e.type IN ('attack', 'strike')")}

    def merged_ids_of_documents(self, doc_ids: Sequence[str]) -> set[int]:
        """The merged events that the given documents report."""
        if not doc_ids:
            return set()
        marks = ", ".join("?" for _ in doc_ids)
        return {row[0] for row in self._conn.execute(
            f"SELECT DISTINCT merged_id FROM merged_mentions WHERE doc_id IN ({marks})", tuple(doc_ids))}

    def merge_candidates(self, type: str, lo: str | None, hi: str | None,
                         names: Sequence[str] = ()) -> list[tuple[int, str]]:
        """(id, profile JSON) of the merged events of ``type`` a mention might belong to.

        With a date range (ISO days ``lo``..``hi``): the events whose date range overlaps it, and
        the undated ones. Without (an undated mention): the events that share one of ``names``.
        A merged date covers a year at most ("2021"), so an overlapping event starts at most a year
        before ``lo``: that bound keeps the index scan to the window, however long the ledger.
        """
        if lo is not None and hi is not None:
            floor = (datetime.fromisoformat(lo) - timedelta(days=366)).date().isoformat()
            rows = self._conn.execute(
                "SELECT id, profile FROM merged_events WHERE type = ? AND date_lo BETWEEN ? AND ? AND date_hi >= ? "
                "UNION ALL SELECT id, profile FROM merged_events WHERE type = ? AND date_lo IS NULL ORDER BY id",
                (type, floor, hi, lo, type))
        elif names:
            marks = ", ".join("?" for _ in names)
            rows = self._conn.execute(
                f"SELECT id, profile FROM merged_events WHERE type = ? AND id IN "
                f"(SELECT merged_id FROM merged_names WHERE name IN ({marks})) ORDER BY id", (type, *names))
        else:
            return []
        return [(row[0], row[1]) for row in rows]

    def create_merged(self, type: str, merged_id: int | None = None) -> int:
        """A new, empty merged event (with the id ``merged_id`` when given: the merger derives ids
        from content); ``update_merged`` fills it once its mentions are added."""
        stamp = now()
        if merged_id is not None:
            self._conn.execute("INSERT INTO merged_events (id, type, created_at, updated_at) VALUES (?, ?, ?, ?)",
                               (merged_id, type, stamp, stamp))
            return merged_id
        row = self._conn.execute("INSERT INTO merged_events (type, created_at, updated_at) VALUES (?, ?, ?) "
                                 "RETURNING id", (type, stamp, stamp)).fetchone()
        return int(row[0])

    def add_mention(self, event_id: int, merged_id: int, doc_id: str, lead: bool, score: float | None,
                    evidence_key: str | None) -> None:
        """Make an event a mention of a merged event (``evidence_key``: a hash of its sentence)."""
        self._conn.execute(
            "INSERT INTO merged_mentions (event_id, merged_id, doc_id, lead, score, evidence_key) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(event_id) DO UPDATE SET merged_id = excluded.merged_id, "
            "doc_id = excluded.doc_id, lead = excluded.lead, score = excluded.score, "
            "evidence_key = excluded.evidence_key",
            (event_id, merged_id, doc_id, int(lead), score, evidence_key))

    def merged_ids_with_sentence(self, evidence_key: str) -> set[int]:
        """The merged events that hold a mention of this sentence (by its hash)."""
        return {row[0] for row in self._conn.execute(
            "SELECT DISTINCT merged_id FROM merged_mentions WHERE evidence_key = ?", (evidence_key,))}

    def delete_merged(self, merged_id: int) -> None:
        self._conn.execute("DELETE FROM merged_events WHERE id = ?", (merged_id,))

    def update_merged(self, merged_id: int, values: Event, provenance: dict[str, Provenance], *, profile: str,
                      names: Sequence[str], reports: int, sources: int, changed_sources: dict[int, str],
                      contradictions: Sequence[Contradiction], date_range: tuple[str, str] | None) -> None:
        """Write a merged event's values, provenance, profile, counts (reports, independent sources)
        and contradictions, and the new independent source of the mentions whose source changed
        (``changed_sources``: event id -> source document id)."""
        self._conn.execute(
            """UPDATE merged_events SET mode = ?, actor = ?, target = ?, location = ?, country = ?, date = ?,
                   date_source = ?, killed = ?, injured = ?, conditions = ?, mediators = ?, background = ?,
                   evidence = ?, lat = ?, lon = ?, date_lo = ?, date_hi = ?, reports = ?, sources = ?,
                   contested = ?, profile = ?, provenance = ?, dirty = 0, updated_at = ?
               WHERE id = ?""",
            (values.mode, values.actor, values.target, values.location, values.country, values.date,
             values.date_source, values.killed, values.injured,
             None if values.conditions is None else json.dumps(values.conditions),
             None if values.mediators is None else json.dumps(values.mediators), int(values.background),
             values.evidence, values.lat, values.lon, *(date_range or (None, None)), reports, sources,
             int(bool(contradictions)), profile,
             json.dumps({k: {"event_id": p.event_id, "rule": p.rule} for k, p in provenance.items()}), now(),
             merged_id))
        self._conn.executemany("UPDATE merged_mentions SET source = ? WHERE event_id = ?",
                               [(source, event_id) for event_id, source in changed_sources.items()])
        self._conn.execute("DELETE FROM merged_names WHERE merged_id = ?", (merged_id,))
        self._conn.executemany("INSERT INTO merged_names (merged_id, name) VALUES (?, ?)",
                               [(merged_id, n) for n in dict.fromkeys(names)])
        self._conn.execute("DELETE FROM contradictions WHERE merged_id = ?", (merged_id,))
        self._conn.executemany(
            'INSERT INTO contradictions (merged_id, attribute, "values") VALUES (?, ?, ?)',
            [(merged_id, c.attribute, json.dumps([v.to_dict() for v in c.values], ensure_ascii=False))
             for c in contradictions])

    def save_attributions(self, rows: Sequence[tuple[int, Attribution]]) -> None:
        """Who each mention (event id) is attributed to, replacing earlier answers."""
        self._conn.executemany(
            "INSERT INTO attributions (event_id, speaker, entity, via, cue) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT(event_id) DO UPDATE SET speaker = excluded.speaker, entity = excluded.entity, "
            "via = excluded.via, cue = excluded.cue",
            [(event_id, a.speaker, a.entity, a.via, a.cue) for event_id, a in rows])

    def replace_claims(self, doc_id: str, claims: Sequence[Claim]) -> None:
        """A document's claims and denials (each attached to one of its events), replacing old ones."""
        self._conn.execute("DELETE FROM claims WHERE doc_id = ?", (doc_id,))
        self._conn.executemany(
            "INSERT INTO claims (doc_id, event_id, sentence, kind, party, said_by, cue, text) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(doc_id, c.event_id, c.sentence, c.kind, c.party, c.said_by, c.cue, c.text) for c in claims])

    # The columns a mention needs (not e.*: a hot event has hundreds of mentions, read on every change).
    _MENTION_SELECT = """SELECT e.id, e.doc_id, e.type, e.mode, e.actor, e.target, e.location, e.country, e.date,
               e.killed, e.injured, e.conditions, e.mediators, e.background, e.evidence, e.sentence, e."trigger",
               e.date_source, e.attribution, e.lat, e.lon, mm.lead, mm.score, mm.source,
               d.published AS doc_published, d.outlet AS doc_outlet, d.url AS doc_url, d.title AS doc_title,
               a.speaker AS a_speaker, a.entity AS a_entity, a.via AS a_via, a.cue AS a_cue
           FROM merged_mentions mm JOIN events e ON e.id = mm.event_id JOIN documents d ON d.id = e.doc_id
           LEFT JOIN attributions a ON a.event_id = e.id"""

    def merged_mentions(self, merged_id: int) -> list[MentionRecord]:
        """The mentions of one merged event, oldest report first, each with the independent source
        the merger last gave it (its own report until then)."""
        rows = self._conn.execute(
            f"{self._MENTION_SELECT} WHERE mm.merged_id = ? ORDER BY d.published IS NULL, d.published, e.id",
            (merged_id,))
        return [self._mention(row) for row in rows]

    def mention_records(self, event_ids: Sequence[int]) -> list[MentionRecord]:
        """The mentions with these event ids (in no particular order)."""
        out: list[MentionRecord] = []
        for lo in range(0, len(event_ids), 500):  # SQLite caps the number of parameters
            chunk = event_ids[lo:lo + 500]
            marks = ", ".join("?" for _ in chunk)
            out += [self._mention(row) for row in self._conn.execute(
                f"{self._MENTION_SELECT} WHERE mm.event_id IN ({marks})", tuple(chunk))]
        return out

    def mention_links(self, merged_id: int) -> list[tuple[int, bool, float | None, str | None]]:
        """(event id, lead, score, source) of each mention of a merged event: what changes about a
        mention once stored (its event row never does), cheap to read on every change."""
        return [(row[0], bool(row[1]), row[2], row[3]) for row in self._conn.execute(
            "SELECT event_id, lead, score, source FROM merged_mentions WHERE merged_id = ?", (merged_id,))]

    @staticmethod
    def _mention(row: Row) -> MentionRecord:
        event = Event(
            type=row["type"], mode=row["mode"], actor=row["actor"], target=row["target"], location=row["location"],
            country=row["country"], date=row["date"], killed=row["killed"], injured=row["injured"],
            conditions=None if row["conditions"] is None else json.loads(row["conditions"]),
            mediators=None if row["mediators"] is None else json.loads(row["mediators"]),
            background=bool(row["background"]), evidence=row["evidence"], doc_id=row["doc_id"],
            sentence=row["sentence"], trigger=row["trigger"], date_source=row["date_source"],
            attribution=row["attribution"], lat=row["lat"], lon=row["lon"])
        attribution: Attribution | None = None
        if event.attribution:
            attribution = Attribution(speaker=event.attribution, cue="")
        elif row["a_cue"] is not None:
            attribution = Attribution(row["a_speaker"], row["a_entity"], row["a_via"], row["a_cue"])
        return MentionRecord(
            event_id=row["id"], event=event, published=row["doc_published"], outlet=row["doc_outlet"],
            url=row["doc_url"], title=row["doc_title"], lead=bool(row["lead"]), score=row["score"],
            attribution=attribution, source=row["source"] or event.doc_id)

    def merged_events(
        self,
        *,
        type: str | None = None,  # named like the Event field and CLI option
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        text: str | None = None,
        contested: bool = False,
        limit: int | None = None,
    ) -> list[MergedEvent]:
        """Merged events matching every filter, newest first (the filters of ``events``, applied
        to merged values; ``text`` searches the evidence of any of their mentions; ``contested``
        keeps those whose reports contradict each other). Mentions and claims are not loaded."""
        where, params = event_filters("m", type, actor, since, until, postgres=self.dialect.name == "postgresql")
        if text is not None and (match := self.dialect.text_match(text)) is not None:
            where.append(f"m.id IN (SELECT merged_id FROM merged_mentions WHERE event_id IN ({match[0]}))")
            params += match[1]
        if contested:
            where.append("m.contested = 1")
        sql = f"""SELECT m.* FROM merged_events m WHERE m.reports > 0
                  {"AND " + " AND ".join(where) if where else ""}
                  ORDER BY {self.dialect.newest_first("m.date")}, m.sources DESC, m.id"""
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [self._merged(row) for row in self._conn.execute(sql, params).fetchall()]

    def merged_event(self, merged_id: int) -> MergedEvent | None:
        """One merged event with its mentions, claims and contradictions; None when there is none
        (an id beyond SQLite's integers names none, rather than overflowing the driver)."""
        if not 0 < merged_id <= MAX_ROW_ID:
            return None
        row = self._conn.execute("SELECT * FROM merged_events WHERE id = ?", (merged_id,)).fetchone()
        if row is None:
            return None
        merged = self._merged(row)
        merged.mentions = self.merged_mentions(merged_id)
        merged.claims = [
            Claim(kind=c["kind"], party=c["party"], said_by=c["said_by"], cue=c["cue"], text=c["text"],
                  doc_id=c["doc_id"], event_id=c["event_id"], sentence=c["sentence"])
            for c in self._conn.execute(
                "SELECT c.* FROM claims c JOIN merged_mentions mm ON mm.event_id = c.event_id "
                "WHERE mm.merged_id = ? ORDER BY c.doc_id, c.sentence, c.id", (merged_id,))
        ]
        return merged

    def _merged(self, row: Row) -> MergedEvent:
        values = Event(
            type=row["type"], mode=row["mode"], actor=row["actor"], target=row["target"],
            location=row["location"], country=row["country"], date=row["date"], killed=row["killed"],
            injured=row["injured"],
            conditions=None if row["conditions"] is None else json.loads(row["conditions"]),
            mediators=None if row["mediators"] is None else json.loads(row["mediators"]),
            background=bool(row["background"]), evidence=row["evidence"], date_source=row["date_source"],
            lat=row["lat"], lon=row["lon"])
        provenance = {k: Provenance(v["event_id"], v["rule"]) for k, v in json.loads(row["provenance"]).items()}
        contradictions = [
            Contradiction.from_dict({"attribute": c["attribute"], "values": json.loads(c["values"])})
            for c in self._conn.execute(
                "SELECT attribute, \"values\" FROM contradictions WHERE merged_id = ? ORDER BY id", (row["id"],))
        ]
        return MergedEvent(id=row["id"], event=values, reports=row["reports"], sources=row["sources"],
                           provenance=provenance, contradictions=contradictions)

    def merged_counts(self) -> dict[str, int]:
        """Merged events, contested ones, and mentions: for summaries and checks."""
        row = self._conn.execute(
            "SELECT count(*), coalesce(sum(contested), 0) FROM merged_events WHERE reports > 0").fetchone()
        mentions = self._conn.execute("SELECT count(*) FROM merged_mentions").fetchone()[0]
        return {"merged_events": row[0], "contested": row[1], "mentions": mentions}
