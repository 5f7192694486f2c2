"""From a document's sentences to its events: one event per real-world occurrence in the report.

Per sentence, mentions are found (``mentions``), given roles (``roles``), casualties, dates and
truce terms; then the mentions of one document that report the same occurrence (same type,
compatible date, actor, target, place and mode) are merged, so that a lede, its follow-up sentences
and a later back-reference ("the strikes") make one event whose evidence is the first sentence.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from trucewatch.extract.anaphora import Discourse
from trucewatch.extract.casualties import casualties
from trucewatch.extract.clauses import Segment
from trucewatch.extract.conditions import conditions_in, is_deal_sentence, mediators_in, obligations_in
from trucewatch.extract.lexicon import Lexicon, load_lexicon
from trucewatch.extract.mentions import Mention, SentenceMentions, _generic, anchored, find_mentions
from trucewatch.extract.roles import GROUP_TYPES, PLACE_RANK, actor_entity, assign, is_actor, is_place, is_state, \
    official, owner, related, speaker, speaks, target_entity
from trucewatch.models import Document, Entity, Event
from trucewatch.nlp.pipeline import AnalysedSentence, Analyser, EntityMention
from trucewatch.resolve.dates import TimeExpr, find_time_expressions, shift
from trucewatch.resolve.names import Gazetteer

_PAST_CONTEXT = frozenset("had previous previously earlier ago since last former then back".split())
_REPORTING = frozenset("said says told announced stated reported confirmed claimed added declared warned "
                       "tweeted posted".split())


@dataclass
class _Draft:
    event: Event
    actors: list[Entity] = field(default_factory=list)
    targets: list[Entity] = field(default_factory=list)
    location: Entity | None = None
    weak: bool = False
    anaphoric: bool = False  # "the attack", "the truce": refers back to an event already reported
    background: bool = False  # told in a clause of earlier context ("after the US assassinated ...")
    join_only: bool = False  # may only add to an event ("the agreement"), never found one
    agent: bool = False  # the actor was named in an agent phrase ("claimed by X"), trustworthy anywhere
    definite: bool = False  # "the strikes", "that attack": may refer back even when dated
    order: int = 0


def _names(entities: list[Entity]) -> str | None:
    seen: list[str] = []
    for e in entities:
        if e.name not in seen:
            seen.append(e.name)
    return "; ".join(seen) if seen else None


class Extractor:
    """Turns documents into events. Build once (it compiles the spaCy pipeline), call many times."""

    def __init__(self, gazetteer: Gazetteer | None = None, analyser: Analyser | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()
        self.analyser = analyser or Analyser(self.gazetteer)
        self.lex: Lexicon = load_lexicon()
        self._resolve = dict(self.gazetteer.entities)

    # ------------------------------------------------------------------ public
    def extract(self, doc: Document) -> tuple[list[Event], list[AnalysedSentence]]:
        """The events of one document (also set on ``doc.events``) and its analysed sentences."""
        sentences = self.analyser.analyse(doc)
        ref = _reference(doc.published)
        drafts: list[_Draft] = []
        discourse = Discourse(self._resolve)
        last_actor: Entity | None = None
        previous_date: str | None = None
        doc_countries: Counter[str] = Counter()
        entity_counts: Counter[str] = Counter()
        narrative: str | None = None
        for s in sentences:
            discourse.resolve_sentence(s)
            for m in s.entities:
                if is_place(m, s):
                    c = m.entity.country if m.entity.type != "state" else m.entity.name
                    if c:
                        doc_countries[c] += 1
                elif is_actor(m, s):
                    entity_counts[m.entity.id] += 1
            timexes = find_time_expressions(s.text, ref)
            stated_here = [t.value for t in timexes if t.value and t.kind == "point" and t.start >= s.body]
            if s.idx < 4:
                # A dateline's date ("GAZA CITY, Oct 10 -") outranks the lede's.
                dateline = _narrative_day([t for t in timexes if t.start < s.body], ref)
                narrative = dateline or narrative or _narrative_day(timexes, ref)
            sm = find_mentions(s, self.lex)
            if not sm.mentions:
                previous_date = stated_here[-1] if stated_here else None
                continue
            dates = _sentence_dates(s, sm, timexes, ref, narrative)
            if previous_date and "then" in s.lower and not {"since", "until", "by"} & set(
                    s.lower[max(0, s.lower.index("then") - 1):s.lower.index("then")]):
                # "Iraqi lawmakers then voted ...": the time of the sentence before.
                for mention in sm.mentions:
                    dates.setdefault(id(mention), (previous_date, "inferred"))
            for mention in sm.mentions:
                d = self._draft(sm, mention, dates.get(id(mention), (None, None)), doc, last_actor)
                if d is None:
                    continue
                d.order = len(drafts)
                drafts.append(d)
                if d.actors and d.event.type in ("threat", "demand", "ceasefire"):
                    last_actor = d.actors[0]
            previous_date = stated_here[-1] if stated_here else None
        drafts = self._add_conditions(sentences, drafts)
        published = doc.published[:7] if doc.published else None
        for d in drafts:
            # A news event with no time of its own happened in the report's narrative time: the day
            # its lede or dateline gives, else the month of publication. Set now, so that it does not
            # merge with an older event of the same kind told as background.
            if d.event.date is None and published and not d.anaphoric and not d.background \
                    and not _past_context(d.event.evidence):
                d.event.date, d.event.date_source = (narrative, "narrative") if narrative else (published, "inferred")
        _date_responses(drafts, sentences)
        events = self._merge(drafts)
        force_parties: Counter[str] = Counter(
            x.id for d in drafts if _family(d.event.type) == "force" for x in d.actors + d.targets)
        force_targets: Counter[str] = Counter(
            x.id for d in drafts if _family(d.event.type) == "force" for x in d.targets)
        main_country = doc_countries.most_common(1)[0][0] if doc_countries else None
        for d in events:
            self._finish(d, doc, ref, main_country, entity_counts, force_parties, force_targets)
        doc.sentences = []
        out = [d.event for d in sorted(events, key=lambda d: (d.event.sentence, d.order))]
        for e in out:
            e.doc_id = doc.id
        doc.events = out
        return out, sentences

    # ------------------------------------------------------------------ per mention
    def _draft(self, sm: SentenceMentions, m: Mention, date_and_source: tuple[str | None, str | None],
               doc: Document, last_actor: Entity | None) -> _Draft | None:
        s = sm.sentence
        seg = sm.segments[m.segment]
        other_segs = {x.segment for x in sm.mentions if x is not m}
        free = [k for k in range(len(sm.segments)) if k != m.segment and k not in other_segs]
        event = Event(type=m.kind, evidence=s.text, sentence=s.idx, start=s.starts[m.lo],
                      end=s.starts[m.hi - 1] + len(s.tokens[m.hi - 1]), trigger=s.span_text(m.lo, m.hi))
        draft = _Draft(event)
        draft.background = any(w in _BACKGROUND_CLAUSE for w in s.lower[seg.lo:seg.lo + 2])
        date, source = date_and_source
        event.date, event.date_source = date, source
        draft.anaphoric = (source != "stated" and _definite(s, m)) or m.join_only
        draft.definite = _definite(s, m)
        draft.join_only = m.join_only
        if m.kind == "force":
            return self._force(sm, m, seg, free, draft)
        ents = s.entities
        actors_in = [x for x in ents if is_actor(x, s)]
        if m.kind in ("ceasefire", "ceasefire_end"):
            # The parties of a truce are named in its own clause or the one before it.
            lo = sm.segments[max(0, m.segment - 1)].lo
            actors_in = [x for x in actors_in if lo <= x.start < seg.hi] or actors_in
        places = [x for x in ents if is_place(x, s)]
        if m.kind in ("ceasefire", "ceasefire_end"):
            mediators = mediators_in(s, self.lex, ents, self._resolve) if m.kind == "ceasefire" else []
            parties = [actor_entity(x.entity, self._resolve) for x in actors_in if x.entity.type != "person"]
            # International organisations broker truces; they are parties only to their own.
            mediators += [p for p in parties if p.type == "international organisation" and p not in mediators]
            med_ids = {e.id for e in mediators}
            parties = list({p.id: p for p in parties if p.type != "person" and p.id not in med_ids}.values())
            # Who must meet a condition is not thereby a party: "on condition that Iraq's government ..."
            cond = next((k for k in range(m.hi, len(s.lower)) if s.lower[k] in _CONDITION_OPENERS), None)
            if cond is not None:
                inside = {x.entity.id for x in actors_in if x.start > cond}
                outside = {x.entity.id for x in actors_in if x.start <= cond}
                parties = [p for p in parties if p.id in outside or p.id not in inside]
            draft.actors = [p for p in parties if not is_state(p)] or parties[:1]
            draft.targets = [p for p in parties if is_state(p) and p not in draft.actors]
            if m.kind == "ceasefire":
                # A minister who mediates stands for his state ("Lavrov, who acted as a mediator").
                mediators = [actor_entity(e, self._resolve) for e in mediators]
                event.mediators = list(dict.fromkeys(e.name for e in mediators))
                event.conditions = conditions_in(s, self.lex)
            draft.weak = not (draft.actors or date)
        elif m.kind == "threat":
            who = speaker(s, ents, self._resolve)
            left = [x for x in actors_in if x.end <= m.lo and not owner(x, s)]
            right = [x for x in actors_in if x.start >= m.hi]
            if who is None and left:
                who = actor_entity(left[0].entity if s.lower[m.head] in self.lex.threat_verbs else left[-1].entity,
                                   self._resolve)
            if who is None and s.lower[0] in ("he", "she", "they", "we"):
                who = last_actor
            if who is None and right and s.lower[m.hi:m.hi + 1] == ["that"] and right[0].start <= m.hi + 2:
                # "Austin warned that Washington ... will act": the one who will act threatens.
                who = actor_entity(right[0].entity, self._resolve)
                right = right[1:]
            draft.actors = [who] if who else []
            tgt = [target_entity(x.entity, self._resolve) for x in right + left if not speaks(x, s)]
            tgt = [t for t in tgt if t.type != "person" and (who is None or t.id != who.id)]
            # The other side first (a group threatening a state); two states may threaten each other.
            other = [t for t in tgt if who is None or is_state(t) != is_state(who)]
            # A state may threaten another state ("unless the Iraqi government reins in ..."); a group
            # threatens the other side.
            draft.targets = (other[:1] or (tgt[:1] if is_state(who) else [])) if who is not None else tgt[:1]
        elif m.kind == "demand":
            left = [x for x in actors_in if x.end <= m.lo]
            right = [x for x in actors_in if x.start >= m.hi]
            who = actor_entity(left[-1].entity, self._resolve) if left else None
            if who is None or "parliament" in s.lower[max(0, m.lo - 2):m.hi + 1] \
                    or "parliamentary" in s.lower[m.lo:m.hi]:
                who = self._parliament(s, doc) or who
            if who is None and s.lower[0] in ("he", "she", "they"):
                who = last_actor
            draft.actors = [who] if who else []
            # The target is who must leave: the entity after "withdrawal of", "expel", "removal of".
            obj = next((k for k in range(m.lo, min(len(s.lower), m.hi + 14)) if s.lower[k] in self.lex.demand_objects),
                       None)
            after_obj = [x for x in right if obj is not None and x.start > obj]
            tgt = [actor_entity(x.entity, self._resolve) for x in (after_obj or right)]
            draft.targets = [t for t in tgt if who is None or t.id != who.id][:1]
            if (not draft.targets or not after_obj) and obj is not None and "foreign" in s.lower[obj:obj + 5]:
                coalition = self.gazetteer.lookup("foreign troops")
                draft.targets = [coalition] if coalition else draft.targets
        elif m.kind == "troop_change":
            # A speaker is not the mover, unless it speaks of itself: "the Pentagon said it would withdraw".
            movers = [x for x in actors_in if not speaks(x, s) or _speaks_of_itself(s, x)]
            local = [x for x in movers if seg.lo <= x.start < seg.hi] or [x for x in movers if x.start < seg.lo]
            before = [x for x in local if x.end <= m.lo]
            if not before and s.lower[seg.lo] in ("which", "who"):
                before = [x for x in actors_in if x.end in (seg.lo, seg.lo - 1)]
            ordered = list(reversed(before)) + [x for x in local if x.end > m.lo]
            states = [actor_entity(x.entity, self._resolve) for x in ordered]
            draft.actors = [e for e in states if is_state(e)][:1]
            local_places = [x for x in places if seg.lo <= x.start < seg.hi and x.entity.type in PLACE_RANK]
            if local_places:
                draft.location = max(local_places, key=lambda x: PLACE_RANK[x.entity.type]).entity
        if m.kind != "troop_change":
            local_places = [x for x in places if x.entity.type in PLACE_RANK]
            if m.kind == "ceasefire":
                local_places = [x for x in local_places if PLACE_RANK[x.entity.type] == 1]
            if local_places and m.kind in ("ceasefire_end", "ceasefire"):
                draft.location = max(local_places, key=lambda x: PLACE_RANK[x.entity.type]).entity
        countries = [x.entity.name for x in places if x.entity.type == "country"
                     or (x.entity.type == "state" and x.entity.country == x.entity.name)]
        event.country = "; ".join(dict.fromkeys(countries)) or None
        return draft

    def _force(self, sm: SentenceMentions, m: Mention, seg: Segment, free: list[int], draft: _Draft) -> _Draft | None:
        s = sm.sentence
        event = draft.event
        # Relative clauses right after the trigger ("a drone strike that killed three US troops and that
        # Washington blamed on X") are read for blame and victims.
        relative = None
        last_in_clause = not any(x.kind == "force" and x.segment == m.segment and x.head > m.head for x in sm.mentions)
        k = m.segment + 1
        while last_in_clause and k < len(sm.segments) and k <= m.segment + 2 and (
                s.lower[sm.segments[k].lo] in ("that", "which")
                or s.lower[sm.segments[k].lo:sm.segments[k].lo + 2] in (["in", "which"], ["during", "which"])
                or s.lower[sm.segments[k].lo - 1:sm.segments[k].lo + 1] in (["in", "which"], ["during", "which"])):
            relative = Segment(sm.segments[m.segment + 1].lo, sm.segments[k].hi)
            k += 1
        roles = assign(s, seg, m.head, m.lo, m.hi, m.passive, s.entities, self._resolve, relative, m.verb_lo)
        actors = [a for a in roles.actor if a.type != "person" or not roles.actor]
        targets = roles.target
        # An attack on a base takes its occupant as target when the clause names one ("a US base"); the
        # victims may also be named in a clause of their own ("three KH members were killed when ...").
        if not targets:
            # "a base that hosts the US-led coalition", "a base housing United States troops"
            hosted = [x for x in s.entities if owner(x, s) and is_actor(x, s) and x.entity not in actors
                      and s.lower[x.start - 1:x.start] != ["of"] and seg.lo <= x.start < seg.hi]
            if hosted:
                targets = [target_entity(hosted[0].entity, self._resolve)]
        if not targets:
            # Relative clauses ("in which three US soldiers died") describe other things.
            spans = [(seg.lo, seg.hi)] + [(sm.segments[k].lo, sm.segments[k].hi) for k in free
                                          if s.lower[sm.segments[k].lo] not in _OTHER_TIME_CLAUSE | {"where", "in"}]
            for x in sorted(s.entities, key=lambda x: (not seg.lo <= x.start < seg.hi, x.start)):
                if not any(lo <= x.start < hi for lo, hi in spans):
                    continue
                if is_actor(x, s) and x.entity not in actors and not speaks(x, s) and not official(
                        x.entity, self._resolve):
                    e = target_entity(x.entity, self._resolve)
                    if is_state(e) or e.type in GROUP_TYPES or e.type == "person":
                        if not actors or e.id != actors[0].id:
                            targets = [e]
                            break
        actors = [a for a in actors if not any(a.id == t.id for t in targets)]
        # Type: a state's use of force is a strike, a non-state group's an attack. Without an actor,
        # reporters' own word is the best guide ("drone strike" vs "drone attack"), then the target.
        if actors:
            kind = "strike" if is_state(actors[0]) else "attack"
        elif m.mode == "airstrike":
            kind = "strike"
        elif targets and targets[0].type == "state force":
            kind = "strike"  # a state's armed force hit by an unnamed attacker: most often another state
        elif targets and is_state(targets[0]):
            kind = "attack"
        elif targets and (targets[0].type in GROUP_TYPES or targets[0].type == "person"):
            kind = "strike"
        else:
            kind = "strike" if m.strike_word else "attack"
        event.type = kind
        event.mode = m.mode or ("airstrike" if kind == "strike" and m.strike_word and s.lower[m.head] in (
            "airstrike", "airstrikes") else "unknown")
        if event.mode == "raid" and kind == "attack":
            event.mode = "unknown"
        # Casualties from the mention's clause and the clauses that report no other event.
        tokens: list[str] = list(s.lower[seg.lo:seg.hi])
        for k in free:
            fs = sm.segments[k]
            tokens += ["."] + s.lower[fs.lo:fs.hi]
        event.killed, event.injured = casualties(tokens)
        draft.actors, draft.targets = actors, targets
        draft.agent = roles.agent
        # A strike with no named actor, announced by a state's own military ("the US military
        # confirmed"), is that state's.
        if kind == "strike" and not actors:
            own = [x for x in s.entities if is_state(actor_entity(x.entity, self._resolve))
                   and _confirms(s.lower[x.end:x.end + 4])]
            if own:
                draft.actors = [actor_entity(own[0].entity, self._resolve)]
        draft.location = roles.location
        event.country = "; ".join(roles.countries) or None
        rank = PLACE_RANK.get(roles.location.type, 0) if roles.location else 0
        tied = anchored(event.date, event.date_source, rank, event.killed is not None or event.injured is not None,
                        s.lower[m.head] in self.lex.attack_nouns and s.lower[m.head].endswith("s"),
                        bool(actors and targets))
        if _generic(s, seg, m.head, self.lex, tied):
            return None
        if m.habitual and event.date_source != "stated" and event.killed is None and event.injured is None:
            return None
        draft.weak = not (tied or actors or targets)
        return draft

    def _parliament(self, s: AnalysedSentence, doc: Document) -> Entity | None:
        for x in s.entities:
            if "parliament" in x.entity.name.lower():
                return x.entity
        return self.gazetteer.lookup("parliament") if any(
            "parliament" in t or t == "lawmakers" for t in s.lower) else None

    # ------------------------------------------------------------------ truce terms
    def _add_conditions(self, sentences: list[AnalysedSentence], drafts: list[_Draft]) -> list[_Draft]:
        """Obligations stated after a truce's own sentence ("the PM must send a letter ..."); an
        unattributed troop movement among them ("troops will withdraw from the front lines") is one
        of the truce's terms, not a movement that happened. Returns the drafts that remain events."""
        truces = [d for d in drafts if d.event.type == "ceasefire" and not d.join_only and not d.anaphoric]
        news = [d for d in truces if not d.background] or truces
        if not truces:
            return drafts
        first = min(d.event.sentence for d in truces)
        terms = [d for d in drafts if d.event.type == "troop_change" and not d.actors
                 and first < d.event.sentence <= first + _TERMS_WINDOW]
        for d in terms:
            news[0].event.conditions = (news[0].event.conditions or []) + [d.event.evidence.rstrip(".")]
        drafts = [d for d in drafts if d not in terms]
        by_sentence: dict[int, set[str]] = {}
        for d in drafts:
            by_sentence.setdefault(d.event.sentence, set()).add(d.event.type)
        for s in sentences[first + 1:first + 1 + _TERMS_WINDOW]:
            kinds = by_sentence.get(s.idx, set())
            if kinds & {"attack", "strike", "threat", "troop_change"}:
                continue
            # The terms belong to the truce told last before them ("Its terms ... let 18 fuel ships in"),
            # or to the report's own truce when they speak of its extension or renewal.
            target = max((d for d in truces if d.event.sentence <= s.idx), key=lambda d: d.event.sentence)
            if set(s.lower) & _RENEWAL:
                target = news[0]
            found = conditions_in(s, self.lex) if kinds & {"ceasefire"} or is_deal_sentence(s) else []
            if not found:
                found = obligations_in(s, self.lex)
            conds = target.event.conditions or []
            for c in found:
                if c not in conds:
                    conds.append(c)
            target.event.conditions = conds
        return drafts

    # ------------------------------------------------------------------ merging
    def _merge(self, drafts: list[_Draft]) -> list[_Draft]:
        events: list[_Draft] = []
        # Strong mentions found events; weak ones only join an event, and a back-reference ("the
        # attack", "the truce") joins the latest event of its kind reported before it.
        for d in sorted(drafts, key=lambda d: (d.weak or d.anaphoric, d.order)):
            if d.anaphoric:
                earlier = [e for e in events if _family(e.event.type) == _family(d.event.type)
                           and e.event.sentence <= d.event.sentence and _dates_ok(e.event, d.event)
                           and _modes_ok(e.event, d.event)]
                if earlier:
                    _absorb(max(earlier, key=lambda e: e.event.sentence), d, soft=True)
                    continue
                if d.join_only or any(_family(e.event.type) == _family(d.event.type) for e in events):
                    continue  # a back-reference to an event of another date: the report's own time
            if d.definite and _family(d.event.type) == "force":
                # "the strikes were meant to send a message": the strikes already told, if their date fits.
                earlier = [e for e in events if _family(e.event.type) == "force" and e.event.sentence < d.event.sentence
                           and _dates_ok(e.event, d.event) and _modes_ok(e.event, d.event)]
                if earlier:
                    _absorb(max(earlier, key=lambda e: e.event.sentence), d, soft=True)
                    continue
            best = None
            best_score = -1
            for e in events:
                score = _compatibility(e, d)
                if score > best_score:
                    best, best_score = e, score
            if best is not None and best_score >= 0:
                _absorb(best, d)
            elif not d.weak or d.event.type not in ("attack", "strike"):
                events.append(d)
        return events

    def _finish(self, d: _Draft, doc: Document, ref: dt.date | None, main_country: str | None,
                entity_counts: Counter[str], force_parties: Counter[str], force_targets: Counter[str]) -> None:
        e = d.event
        if e.type in ("ceasefire", "ceasefire_end") and len(d.actors) + len(d.targets) < 2:
            # Parties a truce sentence leaves implicit ("the rival parties"): the report's main actors.
            for eid, _ in entity_counts.most_common():
                ent = self._resolve.get(eid)
                if ent is None or ent.type == "person" or ent.type == "international organisation":
                    continue
                if ent in d.actors or ent in d.targets or ent.name in (e.mediators or []):
                    continue
                if any(ent.name.lower() in c.lower() for c in e.conditions or []):
                    continue  # named only as the one who must meet a condition
                (d.targets if d.actors else d.actors).append(ent)
                if len(d.actors) + len(d.targets) >= 2:
                    break
        if e.type == "attack" and not d.targets and d.location is not None and d.location.type == "military base":
            # An attack on a base hits its foreign occupant: the state the report's other uses of force
            # hit most often, if it is not the base's own country.
            for eid, _ in force_targets.most_common():
                ent = self._resolve.get(eid)
                if ent is not None and is_state(ent) and ent.country != d.location.country and ent.type != "person" \
                        and not any(ent.id == a.id for a in d.actors):
                    d.targets = [ent]
                    break
        if e.type == "threat" and d.actors and not d.targets and not is_state(d.actors[0]):
            # A threat names its actor and leaves the other side to the report: its most-named party
            # on the opposite side (a group threatening states, or a state threatening groups), those
            # who use force in the report first.
            side = not is_state(d.actors[0])
            for eid in sorted(entity_counts, key=lambda i: (-force_parties[i], -entity_counts[i])):
                ent = self._resolve.get(eid)
                if ent is not None and ent.type != "person" and ent.id != d.actors[0].id and is_state(ent) == side \
                        and ent.type != "international organisation":
                    d.targets = [ent]
                    break
        d.targets = [t for t in d.targets if not any(t.id == a.id for a in d.actors)]
        e.actor = _names(d.actors)
        e.target = _names(d.targets)
        if d.location is not None:
            e.location = d.location.name
            e.lat, e.lon = d.location.lat, d.location.lon
            if d.location.country and (not e.country or d.location.country not in e.country):
                e.country = d.location.country if not e.country else f"{d.location.country}; {e.country}"
        if not e.country:
            e.country = main_country
        published = doc.published[:10] if doc.published else None
        e.background = _is_background(e, published)
        if e.date is None and not e.background and published:
            e.date, e.date_source = published[:7], "inferred"
        if e.conditions is None and e.type == "ceasefire":
            e.conditions = []
        if e.mediators is None and e.type == "ceasefire":
            e.mediators = []


_RESPONSE_CUES = frozenset("responded response retaliation retaliate retaliated avenge avenged revenge reprisal".split())


def _date_responses(drafts: list[_Draft], sentences: list[AnalysedSentence]) -> None:
    """"The US responded to the Erbil attack by bombing ...": an undated response to a dated event
    of the same sentence took place in that event's month at the earliest; that month is its date."""
    by_sentence: dict[int, list[_Draft]] = {}
    for d in drafts:
        by_sentence.setdefault(d.event.sentence, []).append(d)
    for idx, group in by_sentence.items():
        if not set(sentences[idx].lower) & _RESPONSE_CUES:
            continue
        dated = [d for d in group if d.event.date and d.event.date_source in ("stated", "sentence")]
        for ref in (d for d in group if d.anaphoric and _family(d.event.type) == "force"):
            # "responded to the Erbil attack": the attack told before, with its date.
            told = [x for x in drafts if x.event.sentence < idx and x.event.type == "attack" and x.event.date
                    and x.event.date_source in ("stated", "sentence") and (
                        ref.location is None or x.location is None or _places_compatible(ref.location, x.location))]
            if told:
                dated.append(max(told, key=lambda x: x.event.sentence))
        for d in group:
            if _family(d.event.type) == "force" and d.event.date_source in (None, "inferred", "narrative") \
                    and dated and dated[0] is not d and not d.anaphoric:
                d.event.date, d.event.date_source = dated[0].event.date[:7], "inferred"


def _period_start(t: TimeExpr, ref: dt.date | None) -> str | None:
    """The month a period "in the last/past N months" began, counted back from the reference."""
    if ref is None or t.kind != "duration" or not t.duration or not t.duration.startswith("P") \
            or not t.duration.endswith("M") or not any(w in t.text.lower().split() for w in ("last", "past")):
        return None
    try:
        months = int(t.duration[1:-1])
    except ValueError:
        return None
    total = ref.year * 12 + ref.month - 1 - months
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def _speaks_of_itself(s: AnalysedSentence, m: EntityMention) -> bool:
    after = s.lower[m.end:m.end + 6]
    return any(w in _REPORTING for w in after[:3]) and any(w in ("it", "they", "its", "their") for w in after)


def _confirms(after: list[str]) -> bool:
    """"the US military confirmed", "the Pentagon said": a statement, not a refusal to comment."""
    return bool(set(after) & {"said", "says", "confirmed", "confirms", "announced", "stated"}) and "not" not in after


def _narrative_day(timexes: list[TimeExpr], ref: dt.date | None) -> str | None:
    """The day a lede or dateline puts the story on ("said on Sunday", "GAZA CITY, Oct 10"), if it is
    within three days before publication: the time of the report's undated news sentences."""
    if ref is None:
        return None
    for t in timexes:
        if t.value and t.granularity == "day" and t.kind == "point":
            day = dt.date.fromisoformat(t.value)
            if 0 <= (ref - day).days <= 3:
                return t.value
    return None


def _past_context(sentence: str) -> bool:
    """Markers of an event told as earlier context: "had", "previous", "last October", "since"."""
    words = set(sentence.lower().replace(",", " ").split())
    return bool(words & _PAST_CONTEXT)


def _reference(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def _sentence_dates(s: AnalysedSentence, sm: SentenceMentions, timexes: list[TimeExpr],
                    ref: dt.date | None = None,
                    narrative: str | None = None) -> dict[int, tuple[str | None, str | None]]:
    """Give each mention of a sentence its date and where the date came from.

    A mention takes the time expression of its own clause ("stated"); else one from a clause that
    reports no event, which goes to the nearest mention only ("sentence"); else the date of the
    reporting verb ("said on Sunday": "reporting", a weak date that never blocks a merge). "Two days
    after X" dates X from the event before it.
    """
    segs = sm.segments
    body = [t for t in timexes if t.start >= s.body]

    def tok(t: TimeExpr) -> int:
        return s.token_at(s.start + t.start)

    def reporting(t: TimeExpr) -> bool:
        """"said on Sunday", "In a February 25 statement": the time of a statement, not of the event."""
        i = tok(t)
        j = s.token_at(s.start + t.end)
        return any(w in _REPORTING for w in s.lower[max(0, i - 3):i]) or s.lower[j:j + 1] in (
            ["statement"], ["briefing"], ["interview"], ["announcement"], ["remarks"], ["post"], ["tweet"])

    points = [t for t in body if t.value and t.kind in ("point", "range", "deadline")]
    stated = [t for t in points if not reporting(t)]
    said = [t for t in points if reporting(t)]
    busy = {m.segment for m in sm.mentions}
    out: dict[int, tuple[str | None, str | None]] = {}
    for m in sm.mentions:
        own = [t for t in stated if segs[m.segment].lo <= tok(t) < segs[m.segment].hi]
        if m.kind == "ceasefire" and own and all(_effective(s, tok(t)) for t in own) and said:
            # A truce is dated when announced ("announced today"); "starting tomorrow" is when it
            # takes effect, kept for the ledger but not the truce's date.
            out[id(m)] = (_value(said[0]), "reporting")
            continue
        if m.kind == "ceasefire" and len(own) > 1:
            own = [t for t in own if not _effective(s, tok(t))] or own
        if own:
            out[id(m)] = (_value(min(own, key=lambda t: abs(tok(t) - m.head))), "stated")
    for m in sm.mentions:
        # "since early February, when the groups halted attacks": the when-clause takes that time.
        seg = segs[m.segment]
        if id(m) not in out and s.lower[seg.lo] == "when" and m.segment > 0:
            prev = [t for t in stated if segs[m.segment - 1].lo <= tok(t) < seg.lo]
            if prev:
                out[id(m)] = (_value(prev[-1]), "stated")
    for t in stated:
        k = next((i for i, g in enumerate(segs) if g.lo <= tok(t) < g.hi), None)
        if k is None or k in busy or s.lower[segs[k].lo] in _OTHER_TIME_CLAUSE:
            continue
        nearest = min(sm.mentions, key=lambda m: abs(tok(t) - m.head))
        if id(nearest) not in out:
            out[id(nearest)] = (_value(t), "sentence")
    for m in sm.mentions:
        # "stepped up in 2020 after the US assassinated ...": the earlier event is of that year at most.
        seg = segs[m.segment]
        if id(m) not in out and s.lower[seg.lo] in ("after", "following") and m.segment > 0:
            prev = [t for t in stated if segs[m.segment - 1].lo <= tok(t) < seg.lo]
            value = _value(prev[-1]) if prev else None
            if value:
                out[id(m)] = (value[:4], "inferred")
    for m in sm.mentions:
        if id(m) not in out and said:
            out[id(m)] = (_value(said[0]), "reporting")
    # "refrained from attacking in the last six months": a calm dated from the start of the period.
    for t in body:
        start = _period_start(t, ref)
        if start:
            for m in sm.mentions:
                if m.kind == "ceasefire" and out.get(id(m), (None, None))[1] in (None, "reporting"):
                    out[id(m)] = (start, "inferred")
    # "two days after drones attacked ...": the event after the expression is N days before the other.
    for t in body:
        if t.kind != "anaphoric" or t.offset_days is None or not t.text.lower().endswith(("after", "before")):
            continue
        i = tok(t) + len(t.text.split())
        later = [m for m in sm.mentions if m.head >= i - 1]
        earlier = [m for m in sm.mentions if m.head < tok(t) and out.get(id(m), (None,))[0]]
        if later and not earlier and narrative and t.offset_days == 0 and id(later[0]) not in out:
            out[id(later[0])] = (narrative, "inferred")  # "hours after": the day of the report's news
        if later and not earlier and narrative and any(m.head < tok(t) for m in sm.mentions) and t.offset_days:
            # "The attack comes only a week after a U.S. airstrike": the attack is the report's news.
            sign = -1 if t.text.lower().endswith("after") else 1
            shifted = shift(narrative, sign * abs(t.offset_days))
            if shifted and id(later[0]) not in out:
                out[id(later[0])] = (shifted[:7], "inferred")
        if later and earlier:
            anchor = out[id(earlier[-1])][0]
            sign = -1 if t.text.lower().endswith("after") else 1
            shifted = shift(anchor, sign * abs(t.offset_days)) if anchor else None
            if shifted:
                out[id(later[0])] = (shifted, "inferred")
    return out


# Clauses whose time belongs to their own (unreported) event: "since fighting began in 2015".
_OTHER_TIME_CLAUSE = frozenset("since after before following until amid despite which who that".split())
# Clauses that tell an earlier event: "after the US assassinated ...", "in retaliation for the killing".
_BACKGROUND_CLAUSE = frozenset("after since following retaliation response revenge avenge".split())
_RENEWAL = frozenset("extension extensions extended extend renewal renewed renew".split())
_TERMS_WINDOW = 12  # sentences after a truce's first mention that may state its terms
_AGREEING = frozenset("agreed reached announced declared offered presented suspended halted brokered signed "
                      "accepted concluded".split())
_CONDITION_OPENERS = frozenset("if unless provided condition pending conditional return exchange long".split())
_EFFECTIVE = frozenset("starting start starts from effective until till begin begins beginning effect".split())


def _effective(s: AnalysedSentence, i: int) -> bool:
    return any(w in _EFFECTIVE for w in s.lower[max(0, i - 2):i])


_DEFINITE = frozenset("the this that these those such its their".split())


_NOUN_HEADS = frozenset(
    "attack attacks assault barrage bombing blast strike strikes airstrike airstrikes raid raids assassination "
    "ceasefire cease-fire truce armistice agreement deal warning threat incident operation".split())


def _definite(s: AnalysedSentence, m: Mention) -> bool:
    """A noun trigger with a definite article refers back: "the attack", "the US warning", "the truce".
    The article must open the trigger's own noun phrase (at most two words before it)."""
    if s.lower[m.head] not in _NOUN_HEADS and s.lower[m.hi - 1] not in _NOUN_HEADS:
        return False
    before = s.lower[max(0, m.lo - 3):m.lo]
    if not before or any(w in ("a", "an", "another", "new") for w in before):
        return False
    # The article opens the trigger's noun phrase: "the attack", "the US warning", "of the ceasefire".
    k = max(i for i, w in enumerate(before) if w in _DEFINITE) if any(w in _DEFINITE for w in before) else -1
    return k >= 0 and "of" not in before[k + 1:]


def _value(t: TimeExpr) -> str | None:
    if t.kind == "deadline" and t.end_value:
        return t.end_value
    return t.value


def _family(kind: str) -> str:
    return "force" if kind in ("attack", "strike") else kind


def _dates_ok(ea: Event, eb: Event) -> bool:
    """Dates that can be one event's: equal or one a prefix of the other; a reporting date is weak.
    A truce is announced over days ("on Saturday ... a statement", "said on Sunday"): three days' slack."""
    if not ea.date or not eb.date or "reporting" in (ea.date_source, eb.date_source):
        return True
    # A narrative date is a guess at the day: it binds only its month.
    da = ea.date[:7] if ea.date_source == "narrative" else ea.date
    db = eb.date[:7] if eb.date_source == "narrative" else eb.date
    if da.startswith(db) or db.startswith(da):
        return True
    if ea.type in ("ceasefire", "ceasefire_end") and len(ea.date) == len(eb.date) == 10:
        return abs((dt.date.fromisoformat(ea.date) - dt.date.fromisoformat(eb.date)).days) <= 3
    return False


def _compatibility(a: _Draft, b: _Draft) -> int:
    """-1 when two drafts cannot be one event, else how much they share."""
    ea, eb = a.event, b.event
    # Attack or strike is decided from the actor: without one on either side the type is a guess.
    same_kind = ea.type == eb.type
    if not same_kind or not _dates_ok(ea, eb):
        return -1
    score = 0
    if ea.date and eb.date:
        score += 1
    if ea.type in ("ceasefire", "ceasefire_end"):
        # The sides of a truce are unordered: one shared party is enough.
        pa, pb = a.actors + a.targets, b.actors + b.targets
        if pa and pb and not any(related(x, y) for x in pa for y in pb):
            return -1
        return score + 1
    for xa, xb in ((a.actors, b.actors), (a.targets, b.targets)):
        if xa and xb:
            if not any(related(x, y) for x in xa for y in xb):
                return -1
            score += 2
    if a.location and b.location:
        if not _places_compatible(a.location, b.location):
            return -1
        score += 2
    if not _modes_ok(ea, eb):
        return -1
    for fa, fb in ((ea.killed, eb.killed), (ea.injured, eb.injured)):
        if fa is not None and fb is not None and fa != fb and ea.sentence != eb.sentence:
            score -= 1
    return score


def _modes_ok(ea: Event, eb: Event) -> bool:
    """Rockets and drones are two attacks; an air raid and an airstrike are one."""
    if not ea.mode or not eb.mode or "unknown" in (ea.mode, eb.mode) or ea.mode == eb.mode:
        return True
    return {ea.mode, eb.mode} == {"airstrike", "raid"}


def _generic_party(e: Entity) -> bool:
    return e.name.lower().endswith(("militias", "groups", "factions"))


def _places_compatible(a: Entity, b: Entity) -> bool:
    """Same place, one inside the other's name ("Erbil" and "Erbil International Airport"), or one
    a whole province or region (a coarse description of where the other is)."""
    if a.id == b.id or min(PLACE_RANK.get(a.type, 0), PLACE_RANK.get(b.type, 0)) <= 1:
        return True
    na, nb = a.name.lower(), b.name.lower()
    if na in nb or nb in na:
        return True
    return bool(a.province and a.province == b.province and a.country == b.country
                and PLACE_RANK.get(a.type, 0) != PLACE_RANK.get(b.type, 0))


def _absorb(into: _Draft, d: _Draft, soft: bool = False) -> None:
    """Merge a mention into an event: fill what it lacks, sharpen date and place. A ``soft`` merge (a
    back-reference) adds no actor or target, which in such sentences are often the commentators."""
    a, b = into.event, d.event
    if d.event.sentence < a.sentence and not d.weak and not soft:
        a.evidence, a.sentence, a.start, a.end, a.trigger = b.evidence, b.sentence, b.start, b.end, b.trigger
    a.mentions = sorted(set(a.mentions + [a.sentence, b.sentence]))
    # A statement (truce, threat, demand) is dated when it was made: the lede's "said on Sunday" stands.
    weak_a = a.date_source in ("inferred", None) or (
        a.date_source == "reporting" and _family(a.type) in ("force", "troop_change"))
    if b.date and (not a.date or (len(b.date) > len(a.date) and b.date.startswith(a.date))
                   or (weak_a and b.date_source in ("stated", "sentence") and len(b.date) >= len(a.date))):
        a.date, a.date_source = b.date, b.date_source
    if not into.actors and (not soft or d.agent):
        into.actors = d.actors
        if d.actors and _family(a.type) == "force":
            a.type = b.type
    elif d.actors and all(_generic_party(x) for x in into.actors) \
            and not any(_generic_party(x) or is_state(x) for x in d.actors) and (
                a.type not in ("ceasefire", "ceasefire_end") or _AGREEING & set(b.evidence.lower().split())):
        # "Iran-backed militias agreed ..." then "the Coordination Committee reached the agreement":
        # the named body replaces the description.
        into.actors = d.actors
    if not into.targets and not soft:
        into.targets = d.targets
    elif d.targets and into.targets and all(_generic_party(x) for x in into.targets) and not any(
            _generic_party(x) for x in d.targets):
        # "strikes against Iran-backed militias" + "facilities used by KH and KSS": the named groups.
        into.targets = d.targets
    if d.location and (into.location is None or PLACE_RANK.get(d.location.type, 0) > PLACE_RANK.get(
            into.location.type, 0)):
        into.location = d.location
    if a.mode in (None, "unknown") and b.mode not in (None, "unknown"):
        a.mode = b.mode
    if a.killed is None:
        a.killed = b.killed
    if a.injured is None:
        a.injured = b.injured
    if b.country:
        parts = [p for p in (a.country or "").split("; ") if p]
        for p in b.country.split("; "):
            if p not in parts:
                parts.append(p)
        a.country = "; ".join(parts)
    for f in ("conditions", "mediators"):
        va, vb = getattr(a, f), getattr(b, f)
        if vb:
            merged = list(va or [])
            merged += [x for x in vb if x not in merged]
            setattr(a, f, merged)


def _is_background(e: Event, published: str | None) -> bool:
    """Past context rather than the report's news: dated well before publication."""
    if not published or not e.date:
        return False
    if len(e.date) == 10:
        try:
            return (dt.date.fromisoformat(published) - dt.date.fromisoformat(e.date)).days > 3
        except ValueError:
            return False
    return e.date < published[: len(e.date)]
