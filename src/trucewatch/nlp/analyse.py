"""Documents -> analysed sentences: tokens, sentence boundaries, named and generic mentions, trigger words,
and (on demand) the parse.

Every paragraph of prose is tokenised by the spaCy model's tokenizer and split into sentences by rule.
Names are found by phrase matchers built from the gazetteer (case-insensitive for names, as written for
abbreviations such as KH, US, IS) and by country adjectives ("Russian air strikes"); capitalised names
the gazetteer lacks are kept as candidates too (a town of the world gazetteer, else a provisional entity
for curation). Generic nouns that stand for a party ("civilians", "the army", "rebels") are marked with
their class; which entity they denote is decided with the report's country. Trigger words mark the
sentences that may report an event: only those are tagged and parsed (:meth:`Analyser.parse`).
"""

from __future__ import annotations

import re

from spacy.attrs import IDX, LOWER, ORTH
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from trucewatch.models import Document, Entity
from trucewatch.nlp import language
from trucewatch.nlp.lexicon import Lexicon, load_lexicon
from trucewatch.nlp.paragraphs import DATELINE, paragraphs
from trucewatch.nlp.sentences import AnalysedSentence, EntityMention, Trigger
from trucewatch.resolve.names import Gazetteer

# Words after which a capitalised name is a place ("fighting in Khartoum", "near Gwer").
PLACE_PREPOSITIONS = frozenset("in near at outside inside from into across around toward towards to of between "
                               "on".split())
_CAPITAL = re.compile(r"^[A-Z][\w'’\-]*$")
# Words that introduce a name: "a group calling itself X", "known as X", "under the name X".
_NAME_CUES = re.compile(r"\b(?:calling itself|calls itself|called|known as|using the name|under the name|named|"
                        r"dubbed)(?:\s+the)?\s*$", re.IGNORECASE)
# Connectors allowed inside a capitalised name ("Deir ez-Zor", "Saraya Awliya al-Dam", "Mocimboa da Praia",
# "Line of Control", "Valle del Cauca").
_NAME_CONNECTORS = frozenset({"al", "el", "ez", "ad", "as", "ash", "an", "de", "du", "da", "do", "dos", "das", "del",
                              "la", "le", "bin", "ibn", "abu", "of", "-"})
# Capitalised words that open sentences or name months and days: never a name on their own.
_NOT_NAMES = frozenset(
    """The A An This That These Those It Its He She They We I His Her Their Our On In At By For From With
    And But Or If When While After Before Since As Also Meanwhile However Monday Tuesday Wednesday Thursday
    Friday Saturday Sunday January February March April May June July August September October November
    December Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Mon Tue Wed Thu Fri Sat Sun Reuters AP AFP
    President Prime Minister Secretary General Gen Spokesman Spokeswoman Officials Sources Read More
    Published Updated Share Photo File According Two Three Four Five Six Seven Eight Nine Ten Some Many
    Several At Last Earlier Later Today Yesterday City Province Region District Base Town Village""".split())


class Analyser:
    """Builds the matchers once and turns documents into analysed sentences."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon | None = None) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon or load_lexicon()
        self.nlp = language.load()
        # A capital that also names its government ("Washington said", "in Washington"): the actor by
        # default, the place after a locative preposition.
        self.place_alternative: dict[str, Entity] = {}
        self._names, self._abbreviations, self._entities = self._name_matchers()
        self._triggers = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for phrase, family in self.lexicon.triggers.items():
            self._triggers.add(family, [self.nlp.make_doc(phrase)])
        self._generic = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for phrase, cls in self.lexicon.generic.items():
            self._generic.add(cls, [self.nlp.make_doc(phrase)])
        self._weapons = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for phrase, mode in self.lexicon.weapons.items():
            self._weapons.add(mode, [self.nlp.make_doc(phrase)])

    def _name_matchers(self) -> tuple[PhraseMatcher, PhraseMatcher, dict[str, Entity]]:
        vocab = self.nlp.vocab
        names, abbreviations = PhraseMatcher(vocab, attr="LOWER"), PhraseMatcher(vocab, attr="ORTH")
        by_key: dict[str, Entity] = {}
        forms = list(self.gazetteer.surface_forms())
        actor_surfaces = {s.lower() for s, e, _ in forms if not e.is_place}
        patterns: dict[tuple[str, bool], list[str]] = {}
        for surface, entity, case_sensitive in forms:
            if entity.is_place and surface.lower() in actor_surfaces:
                self.place_alternative[surface.lower()] = entity
                continue
            variants = {surface, surface.replace("'", "’"), surface.replace("’", "'")}
            if "-" in surface and not case_sensitive:
                variants.add(surface.replace("-", " "))  # "Iran backed militias", "Ain al Asad"
            patterns.setdefault((entity.id, case_sensitive), []).extend(variants)
            by_key[entity.id] = entity
        shipped = {f.lower() for f, _, _ in forms}
        for country in self.gazetteer.world.countries():
            for surface in (country.name, *country.aliases):
                if surface.lower() not in shipped and surface[:1].isupper() and len(surface) > 3:
                    patterns.setdefault((country.id, True), []).append(surface)
                    by_key[country.id] = country
        # Adjectives of countries ("Russian air strikes") name the state the gazetteer knows as an actor,
        # else the country.
        self._demonyms = {adjective for adjective, _ in self.gazetteer.world.demonyms()}
        for adjective, country in self.gazetteer.world.demonyms():
            entity = self.gazetteer.state_of(country.name) or country
            if adjective[:1].isupper():
                patterns.setdefault((entity.id, True), []).append(adjective)
                by_key[entity.id] = entity
        for (entity_id, case_sensitive), surfaces in patterns.items():
            matcher = abbreviations if case_sensitive else names
            matcher.add(entity_id, [self.nlp.make_doc(s) for s in dict.fromkeys(surfaces)])
        return names, abbreviations, by_key

    # ------------------------------------------------------------------ analysis
    def analyse(self, document: Document) -> list[AnalysedSentence]:
        """Sentences of the document's prose with their mentions and trigger words (not parsed)."""
        out: list[AnalysedSentence] = []
        strings = self.nlp.vocab.strings
        for p_idx, (offset, para) in enumerate(paragraphs(document)):
            doc = language.tokenize(para)
            names = self._spans(doc)
            triggers = [(s, e, strings[k]) for k, s, e in self._triggers(doc)]
            generic = [(s, e, strings[k]) for k, s, e in self._generic(doc)]
            weapons = [(s, e, strings[k]) for k, s, e in self._weapons(doc)]
            # Tokens read as arrays: making a Token object per word costs more than the tokenizer itself.
            cols = doc.to_array([ORTH, LOWER, IDX]).tolist() if len(doc) else []
            texts = [strings[c[0]] for c in cols]
            lowers = [strings[c[1]] for c in cols]
            idxs = [offset + c[2] for c in cols]
            for sent in doc.sents:
                lo, hi = sent.start, sent.end
                if hi <= lo:
                    continue
                a = AnalysedSentence(
                    idx=len(out), start=offset + sent.start_char, end=offset + sent.end_char,
                    text=para[sent.start_char:sent.end_char], tokens=texts[lo:hi], lower=lowers[lo:hi],
                    starts=idxs[lo:hi], paragraph=p_idx)
                if lo == 0:
                    dateline = DATELINE.match(a.text)
                    a.body = dateline.end() if dateline else 0
                body_token = next((k for k, c in enumerate(a.starts) if c - a.start >= a.body), len(a.tokens))
                for s, e, entity, source in names:
                    if lo + body_token <= s and e <= hi:
                        a.entities.append(self._mention(a, s - lo, e - lo, entity, source))
                a.triggers = [Trigger(s, e, f) for s, e, f in
                              _longest([(s - lo, e - lo, f) for s, e, f in triggers if lo <= s and e <= hi])]
                a.weapons = [Trigger(s, e, f) for s, e, f in
                             _longest([(s - lo, e - lo, f) for s, e, f in weapons if lo <= s and e <= hi])]
                self._widen_country_names(a)
                self._add_generic(a, [(s - lo, e - lo, c) for s, e, c in generic if lo <= s and e <= hi])
                self._add_names(a, body_token)
                a.entities.sort(key=lambda m: m.start)
                out.append(a)
        return out

    def parse(self, sentences: list[AnalysedSentence]) -> None:
        """Tag and parse these sentences (their ``doc`` is set), in one batch. Sentences holding a name the
        gazetteer does not know also go through the NER, whose label says what the name is (a person, a
        place, an organisation); the gazetteer's names keep their entities whatever the NER says."""
        todo = [s for s in sentences if s.doc is None]
        for ner in (False, True):
            part = [s for s in todo if any(_unknown(m) for m in s.entities) == ner]
            docs = [Doc(self.nlp.vocab, words=s.tokens, spaces=_spaces(s)) for s in part]
            for s, d in zip(part, language.parse(docs, ner=ner), strict=True):
                s.doc = d
                if ner:
                    _label_unknown_names(s, d)

    # ------------------------------------------------------------------ mentions
    def _spans(self, doc: Doc) -> list[tuple[int, int, Entity, str]]:
        """Gazetteer names in a paragraph, longest first where they overlap."""
        strings = self.nlp.vocab.strings
        found = [(s, e, strings[k]) for matcher in (self._names, self._abbreviations) for k, s, e in matcher(doc)]
        found.sort(key=lambda x: (x[0] - x[1], x[0]))
        taken: set[int] = set()
        out: list[tuple[int, int, Entity, str]] = []
        for s, e, key in found:
            if taken.intersection(range(s, e)):
                continue
            taken.update(range(s, e))
            entity = self._entities[key]
            surface = doc[s:e].text
            after_preposition = s > 0 and doc[s - 1].lower_ in PLACE_PREPOSITIONS
            alternative = self.place_alternative.get(surface.lower())
            if alternative is not None and after_preposition:
                entity = alternative
            elif after_preposition and not entity.is_place and entity.type == "state" and e - s == 1 \
                    and not (e < len(doc) and doc[e].text[:1].isupper()):
                # "in Cairo": a capital that stands for its state is the town after a preposition of place
                town = self.gazetteer.world.city(surface, entity.country, strict=True) if entity.country else None
                entity = town or entity
            out.append((s, e, entity, "adjective" if surface in self._demonyms else "gazetteer"))
        return sorted(out, key=lambda x: x[0])

    def _mention(self, a: AnalysedSentence, i: int, j: int, entity: Entity, source: str,
                 generic: str | None = None) -> EntityMention:
        return EntityMention(i, j, a.starts[i], a.starts[j - 1] + len(a.tokens[j - 1]), a.span_text(i, j), entity,
                             source, generic)

    def _introduced_names(self, a: AnalysedSentence) -> None:
        """"a group calling itself the Blue Nile Vanguard Brigade", "a faction known as Saraya al-Fajr": the
        whole capitalised name after such words is one name, even where a known name stands inside it."""
        n = len(a.tokens)
        for i in range(1, n):
            if not _CAPITAL.match(a.tokens[i]) or not _NAME_CUES.search(a.text[:a.starts[i] - a.start]):
                continue
            j = i
            while j < n:
                if _CAPITAL.match(a.tokens[j]):
                    j += 1
                    continue
                k = j  # connectors run on: "al-Dam" is "al", "-", "Dam"
                while k < n and a.lower[k] in _NAME_CONNECTORS:
                    k += 1
                if k == j or k >= n or not _CAPITAL.match(a.tokens[k]):
                    break
                j = k + 1
            if j - i < 2:
                continue
            surface = a.span_text(i, j)
            entity = self.gazetteer.lookup(surface) or self.gazetteer.provisional(surface, a.text)
            a.entities = [m for m in a.entities if m.end <= i or m.start >= j]
            a.entities.append(self._mention(a, i, j, entity, "name"))
            a.entities.sort(key=lambda m: m.start)

    def _widen_country_names(self, a: AnalysedSentence) -> None:
        """"Port Sudan", "Kuwait City", "Djibouti City": a capitalised word joined to a country's name may
        make a town of the world gazetteer; the town, not the country, is then meant."""
        for n, m in enumerate(a.entities):
            if m.entity.type not in ("country", "state") or self.gazetteer.world.country(m.surface) is None:
                continue
            spans = []
            if m.start > 0 and _CAPITAL.match(a.tokens[m.start - 1]) and a.tokens[m.start - 1] not in _NOT_NAMES:
                spans.append((m.start - 1, m.end))
            if m.end < len(a.tokens) and _CAPITAL.match(a.tokens[m.end]):
                spans.append((m.start, m.end + 1))
            for i, j in spans:
                if any(o is not m and o.start < j and i < o.end for o in a.entities):
                    continue
                place = self.gazetteer.world.city(a.span_text(i, j), m.surface, strict=True)
                if place is not None:
                    a.entities[n] = self._mention(a, i, j, place, "name")
                    break

    def _add_names(self, a: AnalysedSentence, body_token: int) -> None:
        """Capitalised names the gazetteer lacks: a town of the world gazetteer, else provisional. A
        country's adjective that opens a longer name ("Saudi Hospital", "Syrian Observatory") is part of it."""
        n = len(a.tokens)
        a.entities = [m for m in a.entities if not (
            m.source == "adjective" and m.end < n and _CAPITAL.match(a.tokens[m.end])
            and a.tokens[m.end] not in _NOT_NAMES and a.mention_at(m.end) is None)]
        self._introduced_names(a)
        taken = [k < body_token for k in range(len(a.tokens))]
        for m in a.entities:
            for k in range(m.start, m.end):
                taken[k] = True
        i = 0
        while i < n:
            tok = a.tokens[i]
            if taken[i] or not _CAPITAL.match(tok) or tok in _NOT_NAMES or len(tok) < 2:
                i += 1
                continue
            j = i + 1
            while j < n and not taken[j]:
                if _CAPITAL.match(a.tokens[j]) and a.tokens[j] not in _NOT_NAMES:
                    j += 1
                    continue
                k = j  # connectors run on: "al-Fajr" is "al", "-", "Fajr"
                while k < n and not taken[k] and a.lower[k] in _NAME_CONNECTORS:
                    k += 1
                if k == j or k >= n or taken[k] or not _CAPITAL.match(a.tokens[k]):
                    break
                j = k + 1
            # Archives that strip apostrophes write "Syrias Idlib", "Aleppos Old City": a known name plus
            # "s" is that name's possessive, and ends the name.
            for k in range(i, j):
                word = a.tokens[k]
                if len(word) > 4 and word.endswith("s") and self.gazetteer.lookup(word, fuzzy=False) is None \
                        and self.gazetteer.lookup(word[:-1], fuzzy=False) is not None:
                    if k > i:
                        j = k
                    else:
                        j = k + 1
                    break
            surface = a.span_text(i, j)
            if i == body_token and j == i + 1 and self.gazetteer.lookup(surface) is None:
                # A capitalised first word alone ("Barrage", "Tens") is a sentence's first word, not a name.
                taken[i] = True
                i = j
                continue
            possessive = surface.endswith("s") and self.gazetteer.lookup(surface, fuzzy=False) is None \
                and self.gazetteer.lookup(surface[:-1], fuzzy=False) is not None
            # No search for misspellings here: a capitalised name the gazetteer lacks is far likelier a
            # name it does not know than a typo of one it does (and the search would cost more than the rest).
            entity = self.gazetteer.lookup(surface[:-1] if possessive else surface, fuzzy=False)
            if entity is None and not a.triggers:
                # An unknown name in a sentence that reports nothing is kept for no one: not read further.
                for k in range(i, j):
                    taken[k] = True
                i = j
                continue
            if entity is None:
                context = a.text[max(0, a.starts[i] - a.start - 60): a.starts[j - 1] - a.start + 60]
                entity = self.gazetteer.provisional(surface, context)
            a.entities.append(self._mention(a, i, j, entity, "name"))
            for k in range(i, j):
                taken[k] = True
            i = j

    def _add_generic(self, a: AnalysedSentence, found: list[tuple[int, int, str]]) -> None:
        """Generic nouns that stand for a party, unless a name modifies them ("Russian warplanes")."""
        covered = {k for m in a.entities for k in range(m.start, m.end)}
        for s, e, cls in _longest(found):
            if covered.intersection(range(s, e)):
                continue
            # "Russian warplanes", "Houthi fighters", "regime forces of Assad": a name right before the
            # noun (an adjective or a name used as one) says whose they are.
            if s > 0 and (s - 1) in covered and a.tokens[s - 1][:1].isupper():
                continue
            entity = Entity(id=f"generic-{cls}", name=cls, type="generic")
            a.entities.append(self._mention(a, s, e, entity, "generic", cls))
            covered.update(range(s, e))


def _unknown(m: EntityMention) -> bool:
    return m.entity.provisional and m.entity.type == "unknown"


def _label_unknown_names(s: AnalysedSentence, doc: Doc) -> None:
    """Each unknown name takes the label of the NER span over its last word (the head of a proper name)."""
    labels = {t.i: t.ent_type_ for t in doc if t.ent_type_}
    for m in s.entities:
        if _unknown(m):
            m.ner = labels.get(m.end - 1)


def _longest(found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Non-overlapping matches, longest first, in text order."""
    out: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    for s, e, label in sorted(found, key=lambda x: (x[0] - x[1], x[0])):
        if not taken.intersection(range(s, e)):
            taken.update(range(s, e))
            out.append((s, e, label))
    return sorted(out)


def _spaces(s: AnalysedSentence) -> list[bool]:
    """Whether each token is followed by a space in the text (so the parse sees the text as written)."""
    ends = [c + len(t) for c, t in zip(s.starts, s.tokens, strict=True)]
    nxt = s.starts[1:] + [s.end]
    return [e < n for e, n in zip(ends, nxt, strict=True)]
