"""From a document's sentences to its events: one event per real-world occurrence in the report.

Per sentence, mentions are found (``mentions``), given roles (``roles``), casualties, dates and
truce terms; then the mentions of one document that report the same occurrence (same type,
compatible date, actor, target, place and mode) are merged, so that a lede, its follow-up sentences
and a later back-reference ("the strikes") make one event whose evidence is the first sentence.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from trucewatch.extract.anaphora import Discourse
from trucewatch.extract.casualties import TOLL_WORDS, casualties
from trucewatch.extract.clauses import Segment
from trucewatch.extract.conditions import (
    conditions_in,
    is_deal_sentence,
    mediators_in,
    proposers_in,
    spelled_out,
    terms_in,
)
from trucewatch.extract.coref import absorb, compatibility, dates_ok, modes_ok, places_compatible
from trucewatch.extract.dating import (
    OTHER_TIME_CLAUSE,
    confirms,
    date_responses,
    is_background,
    narrative_day,
    past_context,
    reference_date,
    sentence_dates,
    speaks_of_itself,
    truce_deadline,
)
from trucewatch.extract.drafts import Draft, family, names_of
from trucewatch.extract.lexicon import Lexicon, find_phrases, load_lexicon
from trucewatch.extract.mentions import Mention, SentenceMentions, anchored, find_mentions, is_generic
from trucewatch.extract.roles import (
    GROUP_TYPES,
    PLACE_RANK,
    actor_entity,
    assign,
    is_actor,
    is_place,
    is_place_phrase,
    is_state,
    official,
    owner,
    related,
    speaker,
    speaks,
    target_entity,
)
from trucewatch.models import Document, Entity, Event
from trucewatch.nlp.pipeline import AnalysedSentence, Analyser, EntityMention
from trucewatch.resolve.dates import find_time_expressions
from trucewatch.resolve.names import Gazetteer

# "the envoy to Yemen", "talks on Sudan", "pressure from Egypt": a country after these words is
# what the sentence is about or where help comes from, not a side that halts fire.
_NOT_PARTY_BEFORE = frozenset({"to", "for", "on", "over", "about", "at", "from", "toward", "towards",
                               "against", "by", "via", "of"})
# "Iraq has witnessed a period of calm", "Yemen remains quiet": the country is where calm holds.
_UNDERGO_VERBS = frozenset({"witnessed", "witnesses", "saw", "sees", "seen", "experienced", "experiences",
                            "enjoyed", "enjoys", "remained", "remains", "returned", "is", "was"})
_AUXILIARIES = frozenset({"has", "have", "had", "been", "also", "now", "since", "largely", "mostly"})


def _undergoes(s: AnalysedSentence, k: int) -> bool:
    """The verb after a subject country says it underwent the calm rather than agreed to it."""
    verb = next((w for w in s.lower[k:k + 4] if w not in _AUXILIARIES), "")
    return verb in _UNDERGO_VERBS


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
        ref = reference_date(doc.published)
        if ref is None:
            note = "no publication date found: relative dates ('on Sunday', 'last month') are left unresolved"
            if note not in doc.warnings:
                doc.warnings.append(note)
        drafts: list[Draft] = []
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
            sm = find_mentions(s, self.lex)
            # Time expressions are read where they can matter: the lede (the report's narrative day),
            # sentences with events, and the sentence before one (for "then", "afterwards").
            needed = s.idx < 4 or bool(sm.mentions) or s.idx + 1 < len(sentences) and not {
                "then", "afterwards", "afterward", "subsequently"}.isdisjoint(sentences[s.idx + 1].lower)
            timexes = find_time_expressions(s.text, ref) if needed else []
            stated_here = [t.value for t in timexes if t.value and t.kind == "point" and t.start >= s.body]
            if s.idx < 4:
                # A dateline's date ("GAZA CITY, Oct 10 -") outranks the lede's.
                dateline = narrative_day([t for t in timexes if t.start < s.body], ref)
                narrative = dateline or narrative or narrative_day(timexes, ref)
            if not sm.mentions:
                previous_date = stated_here[-1] if stated_here else None
                continue
            dates = sentence_dates(s, sm, timexes, ref, narrative)
            sequel = next((w for w in ("then", "afterwards", "afterward", "subsequently") if w in s.lower), None)
            if previous_date and sequel and not {"since", "until", "by"} & set(
                    s.lower[max(0, s.lower.index(sequel) - 1):s.lower.index(sequel)]):
                # "Iraqi lawmakers then voted ...", "KH afterwards said it was pausing": the sentence
                # before dates it (the earliest it can be).
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
            statement = d.event.type in ("threat", "demand")  # "Biden said ... that they had discussed"
            if d.event.date is None and published and not d.anaphoric and not d.background \
                    and (statement or not past_context(d.event.evidence)):
                # An ongoing process ("is slowly reducing its troops") is of the month, not of a day.
                ongoing = _ONGOING.search(d.event.evidence[: max(0, d.event.end - sentences[d.event.sentence].start)])
                if narrative and not ongoing:
                    d.event.date, d.event.date_source = narrative, "narrative"
                else:
                    d.event.date, d.event.date_source = published, "inferred"
        date_responses(drafts, sentences)
        events = self._merge(drafts)
        _casualties_told_next(events, drafts, sentences)
        force_parties: Counter[str] = Counter(
            x.id for d in drafts if family(d.event.type) == "force" for x in d.actors + d.targets)
        force_targets: Counter[str] = Counter(
            x.id for d in drafts if family(d.event.type) == "force" for x in d.targets)
        main_country = doc_countries.most_common(1)[0][0] if doc_countries else self._dateline_country(sentences)
        brokers = {name for d in events if d.event.type == "ceasefire" for name in d.event.mediators or []}
        for d in events:
            if d.event.type == "ceasefire":
                _brokers_are_no_side(d, brokers)
            self._finish(d, doc, ref, main_country, entity_counts, force_parties, force_targets)
            if d.event.type == "ceasefire":
                d.event.deadline = truce_deadline(d.event, ref)
        doc.sentences = []
        out = [d.event for d in sorted(events, key=lambda d: (d.event.sentence, d.order))]
        for e in out:
            e.doc_id = doc.id
        doc.events = out
        return out, sentences

    # ------------------------------------------------------------------ per mention
    def _draft(self, sm: SentenceMentions, m: Mention, date_and_source: tuple[str | None, str | None],
               doc: Document, last_actor: Entity | None) -> Draft | None:
        s = sm.sentence
        seg = sm.segments[m.segment]
        other_segs = {x.segment for x in sm.mentions if x is not m}
        free = [k for k in range(len(sm.segments)) if k != m.segment and k not in other_segs]
        event = Event(type=m.kind, evidence=s.text, sentence=s.idx, start=s.starts[m.lo],
                      end=s.starts[m.hi - 1] + len(s.tokens[m.hi - 1]), trigger=s.span_text(m.lo, m.hi))
        draft = Draft(event)
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
            # Countries the gazetteer knows only as places are parties when named as such ("India and
            # Pakistan agreed to a ceasefire"), not when they say where ("a truce in Yemen").
            named_countries = [x for x in ents if x.entity.type == "country" and not is_place_phrase(x, s)
                               and s.tokens[x.start] == x.entity.name.split()[0] and x.start < m.lo
                               and s.lower[x.end:x.end + 1] not in (["'s"], ["’s"])  # "Yemen's truce": a place
                               and (x.start == 0 or s.lower[x.start - 1] not in _NOT_PARTY_BEFORE)
                               and not _undergoes(s, x.end)]
            actors_in = actors_in + [x for x in named_countries if x not in actors_in]
            parties = [actor_entity(x.entity, self._resolve) for x in actors_in if x.entity.type != "person"]
            # International organisations broker truces; they are parties only to their own, and one
            # named in the terms is who a party must address ("submit a letter to the UN Security Council").
            terms = next((a for a, _ in find_phrases(s.lower, self.lex.obligation + self.lex.condition_markers,
                                                     lo=m.hi)), len(s.lower))
            mediators += [e for e in (actor_entity(x.entity, self._resolve) for x in actors_in if x.start < terms)
                          if e.type == "international organisation" and e not in mediators]
            if m.kind == "ceasefire":
                mediators += self._outside_proposers(s, actors_in, places, mediators)
                mediators += self._outside_announcers(s, parties, mediators)
            med_ids = {e.id for e in mediators} | {
                actor_entity(x.entity, self._resolve).id for x in actors_in
                if x.start >= terms and x.entity.type == "international organisation"}
            parties = list({p.id: p for p in parties if p.type != "person" and p.id not in med_ids}.values())
            # Who must meet a condition is not thereby a party: "on condition that Iraq's government ..."
            cond = next((k for k in range(m.hi, len(s.lower)) if s.lower[k] in _CONDITION_OPENERS), None)
            if cond is not None:
                inside = {x.entity.id for x in actors_in if x.start > cond}
                outside = {x.entity.id for x in actors_in if x.start <= cond}
                parties = [p for p in parties if p.id in outside or p.id not in inside]
            # "Attacks on US forces had largely stopped": who was attacked is the other side, never
            # the one who holds its fire.
            attacked = {actor_entity(x.entity, self._resolve).id for x in actors_in
                        if x.start > 0 and s.lower[x.start - 1] in _ATTACKED_BEFORE}
            draft.actors = [p for p in parties if not is_state(p)] or [p for p in parties[:1] if p.id not in attacked]
            draft.targets = [p for p in parties if is_state(p) and p not in draft.actors]
            if m.kind == "ceasefire":
                event.mediators = self._mediator_names(mediators)
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
            # The threatened: named in the threat's own clause first ("warned that Washington would respond
            # to any attack by Tehran"), else elsewhere in the sentence.
            own = [x for x in right if seg.lo <= x.start < seg.hi]
            tgt = [target_entity(x.entity, self._resolve) for x in right + left if not speaks(x, s)]
            if who is not None and is_state(who):
                firsts = [t for t in (target_entity(x.entity, self._resolve) for x in own if not speaks(x, s))
                          if t.type != "person" and t.id != who.id]
                if firsts:
                    tgt = firsts + tgt
            tgt = [t for t in tgt if t.type != "person" and (who is None or t.id != who.id)]
            # The other side first (a group threatening a state); two states may threaten each other.
            other = [t for t in tgt if who is None or is_state(t) != is_state(who)]
            # A state may threaten another state ("unless the Iraqi government reins in ..."); a group
            # threatens the other side.
            draft.targets = (other[:1] or (tgt[:1] if is_state(who) else [])) if who is not None else tgt[:1]
        elif m.kind == "demand":
            left = [x for x in actors_in if x.end <= m.lo]
            right = [x for x in actors_in if x.start >= m.hi]
            if s.lower[m.head] in ("resolution", "decision") or "resolution" in s.lower[m.lo:m.hi]:
                # "in line with a parliamentary resolution": a standing decision, told as context; the
                # forces it concerns are named beside it.
                draft.background = True
                if event.date_source == "reporting":
                    event.date, event.date_source = None, None
                right = right + [x for x in left if is_state(actor_entity(x.entity, self._resolve))
                                 and "parliament" not in x.entity.name.lower()]
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
            movers = [x for x in actors_in if not speaks(x, s) or speaks_of_itself(s, x)]
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
                # A truce is placed in a province or region, a town only when it is the town's own.
                draft.local = any(w in ("local", "localised", "localized") for w in s.lower[max(0, m.lo - 3):m.lo])
                local_places = [x for x in local_places if PLACE_RANK[x.entity.type] == 1
                                or (draft.local and PLACE_RANK[x.entity.type] == 2)]
            if local_places and m.kind in ("ceasefire_end", "ceasefire"):
                draft.location = max(local_places, key=lambda x: PLACE_RANK[x.entity.type]).entity
        countries = [x.entity.name for x in places if (x.entity.type == "country" or (
            x.entity.type == "state" and x.entity.country == x.entity.name))
            and x.entity.name not in (event.mediators or [])]  # "Oman brokered": not where the truce is
        event.country = "; ".join(dict.fromkeys(countries)) or None
        return draft

    def _force(self, sm: SentenceMentions, m: Mention, seg: Segment, free: list[int], draft: Draft) -> Draft | None:
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
        provoking = draft.definite and _provoking(s.lower, m.lo)
        if provoking:
            # "The US responded to the Erbil attack by bombing PMF targets": the attack responded to is
            # told before; the sentence's actor and targets are the response's. (An indefinite one is
            # told here, with its own roles: "avenged a drone strike in Jordan that killed three US troops".)
            actors, targets = [], []
        # An attack on a base takes its occupant as target when the clause names one ("a US base"); the
        # victims may also be named in a clause of their own ("three KH members were killed when ...").
        if not targets and not provoking:
            # "a base that hosts the US-led coalition", "a base housing United States troops"
            hosted = [x for x in s.entities if owner(x, s) and is_actor(x, s) and x.entity not in actors
                      and s.lower[x.start - 1:x.start] != ["of"] and seg.lo <= x.start < seg.hi]
            if hosted:
                targets = [target_entity(hosted[0].entity, self._resolve)]
        if not targets and not provoking and not draft.anaphoric:
            # A back-reference ("denied any role in the Erbil attack") takes no victim from its sentence.
            # Relative clauses ("in which three US soldiers died") describe other things.
            spans = [(seg.lo, seg.hi)] + [(sm.segments[k].lo, sm.segments[k].hi) for k in free
                                          if s.lower[sm.segments[k].lo] not in OTHER_TIME_CLAUSE | {"where", "in"}]
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
                   and confirms(s.lower[x.end:x.end + 4])]
            if own:
                draft.actors = [actor_entity(own[0].entity, self._resolve)]
        draft.location = roles.location or self._simultaneous_place(sm, m)
        event.country = "; ".join(roles.countries) or None
        if provoking:
            event.country = roles.location.country if roles.location else None
        rank = PLACE_RANK.get(roles.location.type, 0) if roles.location else 0
        tied = anchored(event.date, event.date_source, rank, event.killed is not None or event.injured is not None,
                        s.lower[m.head] in self.lex.attack_nouns and s.lower[m.head].endswith("s"),
                        bool(actors and targets))
        if is_generic(s, seg, m.head, self.lex, tied):
            return None
        if m.habitual and event.date_source != "stated" and event.killed is None and event.injured is None:
            return None
        draft.weak = not (tied or actors or targets)
        return draft

    @staticmethod
    def _simultaneous_place(sm: SentenceMentions, m: Mention) -> Entity | None:
        """"Residents of Omdurman said army aircraft struck RSF positions, while RSF fighters shelled
        neighbourhoods ...": a clause opened by "while" that names no place happened where the clause
        before it did (a town or a more precise place, not a country)."""
        s, segs = sm.sentence, sm.segments
        if m.segment == 0 or s.lower[segs[m.segment].lo] != "while":
            return None
        own = segs[m.segment]
        if any(own.lo <= x.start < own.hi and (x.entity.is_place or x.entity.type == "state") for x in s.entities):
            return None  # "..., while Hezbollah fired rockets into northern Israel": a place of its own
        before = segs[m.segment - 1]
        if s.lower[before.lo] in OTHER_TIME_CLAUSE:
            return None
        places = [x for x in s.entities if before.lo <= x.start < before.hi and PLACE_RANK.get(x.entity.type, 0) >= 2]
        return max(places, key=lambda x: PLACE_RANK[x.entity.type]).entity if places else None

    def _outside_proposers(self, s: AnalysedSentence, named: list[EntityMention], places: list[EntityMention],
                           known: list[Entity]) -> list[Entity]:
        """"Israel signed off on US President Donald Trump's ceasefire plan": whoever proposed the plan
        brokers it, unless the sentence names it as a side elsewhere ("Hamas rejected Israel's proposal
        and agreed a truce with Israel") or it is the country where the truce applies ("Ukraine's
        proposal for a truce in Ukraine")."""
        where = {x.entity.name for x in places if x.entity.type == "country"} | {
            x.entity.country for x in places if x.entity.country}
        proposers = proposers_in(s)
        sides = {actor_entity(x.entity, self._resolve).id for x in named if x not in proposers}
        out = []
        for m in proposers:
            side = actor_entity(m.entity, self._resolve)
            if side.id not in sides and (side.country or side.name) not in where and m.entity not in known:
                out.append(m.entity)
        return out

    def _outside_announcers(self, s: AnalysedSentence, parties: list[Entity], known: list[Entity]) -> list[Entity]:
        """"US President Donald Trump ... announce the Iran-Israel ceasefire": a head of state or
        minister who announces a truce between two other sides has brokered it (one of the sides
        announcing its own truce has not)."""
        verb = next((k for k, w in enumerate(s.lower) if w in _ANNOUNCE), None)
        if verb is None:
            return []
        out = []
        for x in s.entities:
            if not (x.end <= verb and verb - x.end <= 10 and official(x.entity, self._resolve)):
                continue
            side = actor_entity(x.entity, self._resolve)
            # The sides: the parties, and states or countries named as places ("a ceasefire between
            # Israel and ..."), not the brokers already found ("... with Russia, brokered by Turkey").
            named = {y.entity.id for y in s.entities if y.entity.type in ("state", "country")}
            sides = ({p.id for p in parties} | named) - {k.id for k in known}
            if side.id not in sides and len(sides) >= 2 and x.entity not in known:
                out.append(x.entity)
        return out

    def _mediator_names(self, mediators: list[Entity]) -> list[str]:
        """A person who mediates is named, then the state or organisation he acts for ("Lavrov, who
        acted as a mediator" -> Sergey Lavrov, Russia), so that both the broker and his side are kept."""
        names: list[str] = []
        for e in mediators:
            names += [e.name, actor_entity(e, self._resolve).name]
        return list(dict.fromkeys(names))

    def _parliament(self, s: AnalysedSentence, doc: Document) -> Entity | None:
        for x in s.entities:
            if "parliament" in x.entity.name.lower():
                return x.entity
        return self.gazetteer.lookup("parliament") if any(
            "parliament" in t or t == "lawmakers" for t in s.lower) else None

    # ------------------------------------------------------------------ truce terms
    def _add_conditions(self, sentences: list[AnalysedSentence], drafts: list[Draft]) -> list[Draft]:
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
            mediators = self._mediator_names(mediators_in(s, self.lex, s.entities, self._resolve))
            if mediators and not kinds & {"ceasefire"}:
                # "Talks to achieve an agreement were mediated by Iranian and Lebanese parties"
                names = list(target.event.mediators or [])
                target.event.mediators = names + [m for m in mediators if m not in names]
            found = terms_in(s, self.lex, markers=bool(kinds & {"ceasefire"}) or is_deal_sentence(s))
            conds = [c for c in target.event.conditions or [] if c not in found]
            # In the order the sentence states them, after the terms of earlier sentences.
            here = sorted(dict.fromkeys(c for c in conds + found if c in s.text), key=s.text.find)
            target.event.conditions = [c for c in conds if c not in here] + here
        return drafts

    # ------------------------------------------------------------------ merging
    def _merge(self, drafts: list[Draft]) -> list[Draft]:
        events: list[Draft] = []
        # Strong mentions found events; weak ones only join an event, and a back-reference ("the
        # attack", "the truce") joins the latest event of its kind reported before it.
        for d in sorted(drafts, key=lambda d: (d.weak or d.anaphoric, d.order)):
            if d.anaphoric:
                earlier = [e for e in events if family(e.event.type) == family(d.event.type)
                           and e.event.sentence <= d.event.sentence and dates_ok(e.event, d.event)
                           and modes_ok(e.event, d.event)]
                if earlier:
                    # "responded to the Erbil attack by bombing ...": the reference is to the attack told
                    # before, not to the bombing beside it; prefer the same type, place and an earlier sentence.
                    def fit(e: Draft) -> tuple[bool, bool, bool, int]:
                        place = d.location is None or e.location is None or places_compatible(d.location, e.location)
                        return (e.event.type == d.event.type, place, e.event.sentence < d.event.sentence,
                                e.event.sentence)
                    absorb(max(earlier, key=fit), d, soft=True)
                    continue
                if d.join_only or any(family(e.event.type) == family(d.event.type) for e in events):
                    continue  # a back-reference to an event of another date: the report's own time
            if d.definite and family(d.event.type) == "force":
                # "the strikes were meant to send a message": the strikes already told, if their date fits.
                earlier = [e for e in events if family(e.event.type) == "force" and e.event.sentence < d.event.sentence
                           and dates_ok(e.event, d.event) and modes_ok(e.event, d.event)]
                if earlier:
                    absorb(max(earlier, key=lambda e: e.event.sentence), d, soft=True)
                    continue
            best = None
            best_score = -1
            for e in events:
                score = compatibility(e, d)
                if score > best_score:
                    best, best_score = e, score
            if best is not None and best_score >= 0:
                absorb(best, d)
            elif not d.weak or d.event.type not in ("attack", "strike"):
                events.append(d)
        return events

    def _dateline_country(self, sentences: list[AnalysedSentence]) -> str | None:
        """The country of the city a report was filed from ("BAGHDAD -", "ERBIL, Iraq (AP) -"): the
        scope of its events when its text names no place at all, never where an event happened."""
        if not sentences or not sentences[0].body:
            return None
        first = sentences[0]
        head = re.split(r"[,(/]|\s[—–-]", first.text[:first.body], maxsplit=1)[0].strip()
        place = self.gazetteer.lookup(head.title(), kind="place") if head else None
        if place is None or not place.is_place:
            return None
        return place.name if place.type == "country" else place.country

    def _finish(self, d: Draft, doc: Document, ref: dt.date | None, main_country: str | None,
                entity_counts: Counter[str], force_parties: Counter[str], force_targets: Counter[str]) -> None:
        e = d.event
        if e.type in ("ceasefire", "ceasefire_end") and len(d.actors) + len(d.targets) == 1 and e.country:
            # "a unilateral ceasefire in Ukraine": the state where a one-sided truce applies is its counterpart.
            for name in e.country.split("; "):
                state = self.gazetteer.by_name(name)
                if state is not None and is_state(state) and all(state.id != p.id for p in d.actors + d.targets):
                    d.targets.append(state)
                    break
        if e.type in ("ceasefire", "ceasefire_end") and len(d.actors) + len(d.targets) < 2:
            # Parties a truce sentence leaves implicit ("the rival parties"): the report's main actors.
            for eid, _ in entity_counts.most_common():
                ent = self._resolve.get(eid)
                if ent is None or ent.type == "person" or ent.type == "international organisation":
                    continue
                if ent.name in (e.mediators or []) or any(related(ent, x) for x in d.actors + d.targets):
                    continue  # a side already there, or one of its own (the US-led coalition for the US)
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
        if d.location is not None:
            e.location = d.location.name
            e.lat, e.lon = d.location.lat, d.location.lon
            if d.location.country and (not e.country or d.location.country not in e.country):
                e.country = d.location.country if not e.country else f"{d.location.country}; {e.country}"
        if not e.country and main_country not in (e.mediators or []):
            e.country = main_country
        if not e.country and e.type in ("ceasefire", "ceasefire_end"):
            # A truce between the Houthis and the Yemeni government is in Yemen.
            homes = {x.country for x in d.actors + d.targets if x.country}
            e.country = homes.pop() if len(homes) == 1 else None
        if e.country and "; " not in e.country:
            # "Iran-backed militias" acting in Iraq are the Iraqi ones the gazetteer knows.
            d.actors = [self.gazetteer.sponsored_in(x, e.country) for x in d.actors]
            d.targets = [self.gazetteer.sponsored_in(x, e.country) for x in d.targets]
        e.actor = names_of(d.actors)
        e.target = names_of(d.targets)
        published = doc.published[:10] if doc.published else None
        e.background = d.background or is_background(e, published)
        if e.date is None and not e.background and published and (
                e.type in ("threat", "demand") or not past_context(e.evidence)):
            e.date, e.date_source = published[:7], "inferred"
        if e.type == "ceasefire":
            e.conditions = list(dict.fromkeys(spelled_out(c, e.country) for c in e.conditions or []))
        if e.mediators is None and e.type == "ceasefire":
            e.mediators = []


# Clauses that tell an earlier event: "after the US assassinated ...", "in retaliation for the killing".
_BACKGROUND_CLAUSE = frozenset("after since following retaliation response revenge avenge".split())
_ATTACKED_BEFORE = frozenset("on against attacking targeting attack attacks hitting striking".split())
_ANNOUNCE = frozenset("announce announced announces announcing".split())
_RENEWAL = frozenset("extension extensions extended extend renewal renewed renew".split())
_TERMS_WINDOW = 12  # sentences after a truce's first mention that may state its terms
_CONDITION_OPENERS = frozenset("if unless provided condition pending conditional return exchange long".split())


def _casualties_told_next(events: list[Draft], drafts: list[Draft], sentences: list[AnalysedSentence]) -> None:
    """"Three rockets struck the base late on Monday. No one was hurt.": a sentence that reports no
    event of its own and states a toll gives it to the one use of force of the sentence before,
    unless it names another town (its own incident: "Two people were killed in Basra"), or counts a
    whole war ("More than 30,000 people have been killed in the conflict since 2023")."""
    busy = {d.event.sentence for d in drafts}
    for s in sentences:
        if s.idx in busy or s.idx == 0 or TOLL_WORDS.isdisjoint(s.lower) or not _TALLY.isdisjoint(s.lower):
            continue
        before = [d for d in events if family(d.event.type) == "force"
                  and s.idx - 1 in d.event.mentions + [d.event.sentence]]
        if len(before) != 1 or before[0].event.background:
            continue
        here = before[0].location
        if any(PLACE_RANK.get(x.entity.type, 0) >= 2 and (here is None or not places_compatible(here, x.entity))
               for x in s.entities):
            continue  # another town: another incident
        killed, injured = casualties(s.lower)
        e = before[0].event
        if e.killed is None and killed is not None:
            e.killed = killed
        if e.injured is None and injured is not None:
            e.injured = injured


# Words of a toll that is not one attack's: a running total, another incident, a time of its own.
_TALLY = frozenset("since conflict war separate separately total toll overall tally".split())


_SIDE_VERBS = re.compile(r"\b(?:agreed|agree|agrees|signed|reached|accepted|accepts)\b", re.IGNORECASE)


def _brokers_are_no_side(d: Draft, brokers: set[str]) -> None:
    """A state or body the report names as a broker of its truces is no side of another truce it
    tells ("a 72-hour truce that Washington announced", after "talks brokered by ... the United
    States"): it is that truce's broker too."""
    if _SIDE_VERBS.search(d.event.evidence):
        return  # "the United States and the Houthis agreed a ceasefire": named as a side here
    moved = [x for x in d.actors + d.targets
             if x.name in brokers and (is_state(x) or x.type == "international organisation")]
    if not moved:
        return
    d.actors = [x for x in d.actors if x not in moved]
    d.targets = [x for x in d.targets if x not in moved]
    d.event.mediators = list(dict.fromkeys((d.event.mediators or []) + [x.name for x in moved]))


_DEFINITE = frozenset("the this that these those such its their".split())


_ONGOING = re.compile(r"\b(?:is|are)\s+(?:\w+ly\s+)?\w+ing\s*$|\b(?:is|are)\s+(?:\w+ly\s+)?\w+ing\s+\S+\s*$",
                      re.IGNORECASE)
_NOUN_HEADS = frozenset(
    "attack attacks assault barrage bombing blast strike strikes airstrike airstrikes raid raids assassination "
    "ceasefire cease-fire truce armistice agreement deal warning threat incident operation calm lull pause "
    "suspension escalation".split())


_RESPONSE_WORDS = frozenset("responded respond responds responding response retaliated retaliate retaliating "
                            "retaliation revenge reprisal avenge avenged avenging".split())


def _provoking(lower: list[str], lo: int) -> bool:
    """The trigger names what a response answers: "responded to the Erbil attack", "in retaliation for
    last week's strikes", "to avenge the killing" (a few determiners or modifiers between)."""
    for k in range(lo - 1, max(-1, lo - 6), -1):
        if lower[k] in _RESPONSE_WORDS:
            return True
        if lower[k] in ("to", "for", "against") and k > 0 and lower[k - 1] in _RESPONSE_WORDS:
            return True
        if lower[k] in (",", ";", "by", "and", "with"):
            return False
    return False


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
