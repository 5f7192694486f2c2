"""From a report to its events: the extractor's stages in order.

1. **Read** (:mod:`~trucewatch.extract.reading`): sentences, names, trigger words; the reference date (a
   dateline that contradicts ``published`` wins, with a warning); the report's country.
2. **Select**: the ``sentence`` model, over words alone, keeps the sentences that may report an event;
   only those are tagged and parsed.
3. **Detect**: the ``event_type`` model reads each trigger word in its parse and gives the probability of
   each event type; a sentence reports an event of a type when one of its trigger words is likely enough
   to state it, and that word anchors the event.
4. **Arguments** (:mod:`~trucewatch.extract.arguments`): actor, target, place and mediators; then the
   ``force_type`` model tells a non-state group's attack from a state's strike, chiefly from what kind of
   party the actor and the target are (the schema's definition).
5. **Date, toll, mode, background**: the trained choices of :mod:`~trucewatch.extract.timing` and
   :mod:`~trucewatch.extract.tolls`, and the ``mode`` and ``background`` models.
6. **Truce terms** (:mod:`~trucewatch.extract.terms`): conditions and mediators read from the parse.
7. **One event per occurrence** (:mod:`~trucewatch.extract.corefer`): mentions of one event in several
   sentences of the report become one event, whose evidence is the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trucewatch.extract import features as F
from trucewatch.extract import timing, tolls
from trucewatch.extract.arguments import Arguments, anchor_for, choose, unique
from trucewatch.extract.corefer import merge_mentions
from trucewatch.extract.models import Models
from trucewatch.extract.reading import Reading, read
from trucewatch.extract.terms import conditions_of, mediators_of
from trucewatch.models import Document, Entity, Event
from trucewatch.nlp.analyse import Analyser
from trucewatch.nlp.sentences import AnalysedSentence, Trigger
from trucewatch.resolve.names import Gazetteer

EVENT_TYPES = ("attack", "strike", "ceasefire", "ceasefire_end", "demand", "threat", "troop_change")
# Sentences less likely than this to report an event are not parsed (chosen by cross-validation: up to 0.18
# loses no event found; parsing is about a third of the time of ingesting a report).
SELECT = 0.12
DETECTED = ("force", "ceasefire", "ceasefire_end", "demand", "threat", "troop_change")
DETECT = {t: 0.6 for t in DETECTED}
FORCE = frozenset({"attack", "strike"})
FALLBACK_SURE = 0.6  # a report-day guess this unsure says only the month (still compatible with the day)


@dataclass
class Draft:
    """An event mention being built: the event and what it was read from."""

    event: Event
    sentence: AnalysedSentence
    anchor: Trigger
    args: Arguments = field(default_factory=Arguments)
    actors: list[Entity] = field(default_factory=list)
    targets: list[Entity] = field(default_factory=list)
    locations: list[Entity] = field(default_factory=list)


class Extractor:
    """Turns documents into events. Build once (it loads the spaCy model and the weights), call many times."""

    def __init__(self, gazetteer: Gazetteer | None = None, analyser: Analyser | None = None,
                 models: Models | None = None) -> None:
        self.gazetteer = gazetteer or Gazetteer.load()
        self.analyser = analyser or Analyser(self.gazetteer)
        self.models = models or Models.shipped()

    def extract(self, doc: Document) -> tuple[list[Event], list[AnalysedSentence]]:
        """The events of one document (also set on ``doc.events``) and its analysed sentences."""
        return self.extract_reading(read(doc, self.analyser))

    def extract_reading(self, reading: Reading) -> tuple[list[Event], list[AnalysedSentence]]:
        """The events of a report already read (training reads each report once for every model)."""
        doc = reading.doc
        if reading.reference is None:
            note = "no publication date found: relative dates ('on Sunday', 'last month') are left unresolved"
            if note not in doc.warnings:
                doc.warnings.append(note)
        selected = self.select(reading)
        self.analyser.parse(selected)
        drafts: list[Draft] = []
        for s in selected:
            drafts.extend(self._detect(reading, s))
        dates = timing.Dates(reading.reference)
        for d in drafts:
            self._complete(reading, d, dates)
            dates = dates.after(d.event.date, d.event.date_source == "stated")
        events = merge_mentions(drafts)
        out = []
        for d in events:
            d.event.doc_id = doc.id
            out.append(d.event)
        doc.events = out
        return out, reading.sentences

    # ------------------------------------------------------------------ stages
    def select(self, reading: Reading) -> list[AnalysedSentence]:
        """Sentences with a trigger word that the ``sentence`` model finds likely enough to report an event."""
        return [s for s in reading.sentences
                if s.triggers and self.models.sentence.positive(F.selection_features(reading.sentences, s)) >= SELECT]

    def _detect(self, reading: Reading, s: AnalysedSentence) -> list[Draft]:
        context = F.sentence_features(reading.sentences, s)
        best: dict[str, tuple[float, Trigger]] = {}
        for t in s.triggers:
            probs = self.models.event_type.proba(F.trigger_features(s, t) + context)
            for label in DETECTED:
                p = probs.get(label, 0.0)
                if p > best.get(label, (0.0, t))[0]:
                    best[label] = (p, t)
        out = []
        thresholds = self.models.event_type.trained.get("thresholds") or {}
        for label, (p, likeliest) in best.items():
            if p < float(thresholds.get(label, DETECT[label])):  # type: ignore[call-overload]
                continue
            # The words are read from the trigger word that states the event most directly (a main verb
            # before a word of its clause), as in training, whichever word made it likeliest.
            t = anchor_for(s, "attack" if label == "force" else label) or likeliest
            event = Event(type="attack" if label == "force" else label, evidence=s.text, sentence=s.idx,
                          start=s.starts[t.start], end=s.starts[t.end - 1] + len(s.tokens[t.end - 1]),
                          trigger=s.span_text(t.start, t.end))
            out.append(Draft(event, s, t))
        return out

    def _complete(self, reading: Reading, d: Draft, dates: timing.Dates) -> None:
        """Arguments, type of force, date, toll, mode, background and truce terms of one mention."""
        e, s, a = d.event, d.sentence, d.anchor
        d.args = choose(self.models.roles, reading.sentences, s, a, e.type, reading.country)
        if e.type in FORCE:
            # The schema's distinction: an attack is a non-state group's, a strike a state military's.
            features = F.force_features(s, a, d.args.actors, d.args.targets)
            e.type = "strike" if self.models.force_type.positive(features) >= 0.5 else "attack"
        d.actors = unique(d.args.actors)
        d.targets = unique(d.args.targets)
        d.locations = [x for x in unique(d.args.locations) if x.type != "country"] or unique(d.args.locations)
        e.actor = "; ".join(x.name for x in d.actors) or None
        e.target = "; ".join(x.name for x in d.targets) or None
        e.location = "; ".join(_place_name(m) for m in _mentions_of(d.args.locations, d.locations)) or None
        place = next((x for x in d.locations if x.lat is not None), None)
        if place is not None:
            e.lat, e.lon = place.lat, place.lon
        countries = [x.country if x.type != "country" else x.name for x in d.locations]
        countries = [c for c in dict.fromkeys(countries) if c]
        e.country = "; ".join(countries) or reading.country
        found = timing.timexes(s, reading.reference)
        self._date(reading, d, found, dates)
        self._toll(d, found)
        if e.type in FORCE:
            probs = self.models.mode.proba(F.mode_features(s, a))
            e.mode = max(probs, key=probs.get)
        e.background = self.models.background.positive(
            F.background_features(s, a, e.type, e.date, reading.reference)) >= 0.5
        if e.type == "ceasefire":
            e.conditions = conditions_of(s, a)
            e.mediators = list(dict.fromkeys([x.name for x in unique(d.args.mediators)] + mediators_of(s, a)))

    def _date(self, reading: Reading, d: Draft, found: list[timing.Timex], dates: timing.Dates) -> None:
        e, s, a = d.event, d.sentence, d.anchor
        scored = [(self.models.date.positive(timing.timex_features(s, a, t, reading.reference)), t)
                  for t in found if t.expr.value]
        if scored:
            p, t = max(scored, key=lambda x: x[0])
            if p >= 0.5:
                e.date, e.date_source = t.expr.value, "stated"
                return
        probs = self.models.date_fallback.proba(timing.fallback_features(
            s, a, e.type, len(reading.sentences), reading.dateline is not None, bool(scored), dates))
        kind = max(probs, key=probs.get)
        e.date = timing.fallback_value(kind, dates)
        if e.date and len(e.date) == 10 and probs[kind] < FALLBACK_SURE:
            e.date = e.date[:7]
        e.date_source = None if e.date is None else "inferred"

    def _toll(self, d: Draft, found: list[timing.Timex]) -> None:
        e, s, a = d.event, d.sentence, d.anchor
        if e.type not in FORCE:
            return
        if tolls.nobody_hurt(s.text):
            e.killed, e.injured = 0, 0
            return
        nums = tolls.numbers(s, timing.blocked_tokens(s, found))
        best: dict[str, tuple[float, int]] = {}
        for num in nums:
            probs = self.models.toll.proba(tolls.number_features(s, a, num))
            for label in ("killed", "injured"):
                p = probs.get(label, 0.0)
                if p >= 0.5 and p > best.get(label, (0.0, 0))[0]:
                    best[label] = (p, num.value)
        if "killed" in best:
            e.killed = best["killed"][1]
        if "injured" in best:
            e.injured = best["injured"][1]


def _mentions_of(mentions: list, entities: list[Entity]) -> list:
    ids = {x.id for x in entities}
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.entity.id in ids and m.entity.id not in seen:
            seen.add(m.entity.id)
            out.append(m)
    return out


_PLACE_WORDS = frozenset("village town city neighbourhood neighborhood district province countryside area "
                         "suburb suburbs governorate region".split())


def _place_name(m) -> str:
    """A place's name as the ledger writes it: the gazetteer's, else the report's spelling without the words
    that say what kind of place it is ("the Kawkab village" -> "Kawkab")."""
    if m.source == "gazetteer" or m.entity.type == "country":
        return m.entity.name
    words = [w for w in m.surface.split() if w.lower() not in _PLACE_WORDS and w.lower() != "the"]
    return " ".join(words) or m.entity.name

