"""Tokens, sentences and entity mentions from a blank spaCy English pipeline.

No pretrained spaCy model can be installed, so the pipeline is ``spacy.blank("en")`` with a
sentencizer and two EntityRulers fed from the gazetteer: one matching case-insensitively (names),
one case-sensitively (short forms such as KH, IS, US that are ordinary words in lower case).
Names the gazetteer does not know are picked up afterwards from their context (a capitalised name
after "a group calling itself", a city after "in"/"near"), so that reports on other conflicts still
yield places and provisional actors.

The extractor works on plain lists (``AnalysedSentence``), not on spaCy objects, which keeps the
rules testable and the hot loop free of attribute lookups.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import spacy
from spacy.attrs import IDX, LOWER
from spacy.language import Language
from spacy.symbols import ORTH

from trucewatch.models import Document, Entity
from trucewatch.resolve.names import ARABIC_GROUP_HEADS, Gazetteer

# Abbreviated titles and months that the English tokenizer would otherwise split into a sentence end.
_ABBREVIATIONS = (
    "Maj.", "Col.", "Lt.", "Gen.", "Sgt.", "Capt.", "Cmdr.", "Cdr.", "Adm.", "Brig.", "Rep.", "Sen.",
    "Gov.", "Pres.", "Amb.", "Cpl.", "Pvt.", "Spc.", "Lt.Col.", "Dr.", "Mr.", "Mrs.", "Ms.", "Prof.",
    "St.", "No.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.",
    "Nov.", "Dec.", "U.S.", "U.K.", "U.N.", "E.U.", "Jr.", "Sr.", "Mt.", "Ft.",
)
# Words after which a capitalised name is a place ("fighting in Khartoum", "near Gwer").
_PLACE_PREPOSITIONS = frozenset(
    "in near at outside inside from into across around toward towards to of between".split()
)
# Connectors allowed inside a capitalised place or group name ("Deir ez-Zor", "Saraya Awliya al-Dam").
_NAME_CONNECTORS = frozenset({"al", "el", "ez", "ad", "as", "ash", "an", "de", "du", "bin", "ibn", "abu", "of", "-"})
_DIRECTIONS = frozenset("eastern western northern southern central northeastern northwestern southeastern "
                        "southwestern east west north south northeast northwest southeast southwest".split())
# Last words that make an unknown capitalised name an armed group ("... Vanguard Brigade").
_GROUP_CUES = frozenset("brigade brigades battalion battalions movement front militia militias army forces "
                        "group guards legion corps resistance mobilisation mobilization".split())
_NAME_CUES = re.compile(
    r"\b(?:calling itself|calls itself|called|known as|using the name|under the name|named|dubbed)(?:\s+the)?\s*$",
    re.IGNORECASE,
)
# A dateline opens a wire report: "BAGHDAD, Iraq (AP) —", "ERBIL, Kurdistan Region -", "GAZA CITY, Oct 10 –",
# or an outlet's own tag, "Shafaq News/ "; ``wire`` is the agency named in it.
# It names where the report was filed, not where the events happened.
DATELINE = re.compile(
    r"^(?:(?:[A-Z][A-Z'’.\-]+(?:[ /][A-Z][A-Z'’.\-]+)*)(?:,[ \w.'’\-]{1,30})?"
    r"(?: \((?P<wire>[A-Za-z. ]+)\))?\s+[—–-]+\s+|[A-Z][\w ]{1,30}/\s+)")
_CAPITAL = re.compile(r"^[A-Z][\w'’\-]*$")
# Capitalised words that begin sentences or name months and days: never a place or group on their own.
_NOT_NAMES = frozenset(
    """The A An This That These Those It Its He She They We I His Her Their Our On In At By For From With
    And But Or If When While After Before Since As Monday Tuesday Wednesday Thursday Friday Saturday Sunday
    January February March April May June July August September October November December Reuters AP AFP
    President Prime Minister Secretary General Gen Spokesman Spokeswoman Officials Sources Read More""".split()
)



def _patterns_present() -> None:
    """Stands in for ``EntityRuler._require_patterns`` once the ruler is known to have patterns."""


@dataclass
class EntityMention:
    """A gazetteer (or provisional) entity named in a sentence; token indices are sentence-relative."""

    start: int
    end: int
    char_start: int
    char_end: int
    surface: str
    entity: Entity


@dataclass
class AnalysedSentence:
    """One sentence as plain lists: ``starts`` are absolute character offsets into ``Document.text``."""

    idx: int
    start: int
    end: int
    text: str
    tokens: list[str]
    lower: list[str]
    starts: list[int]
    entities: list[EntityMention] = field(default_factory=list)
    paragraph: int = 0
    body: int = 0  # offset in ``text`` after a dateline, if the sentence opens with one

    def span_text(self, i: int, j: int) -> str:
        """The original text of tokens i..j-1."""
        if i >= j:
            return ""
        end = self.starts[j - 1] + len(self.tokens[j - 1])
        return self.text[self.starts[i] - self.start:end - self.start]

    def token_at(self, char_offset: int) -> int:
        """Index of the token that covers (or follows) an absolute character offset."""
        for i, s in enumerate(self.starts):
            if s + len(self.tokens[i]) > char_offset:
                return i
        return len(self.tokens)


_GROUP_NOUNS = frozenset("militias militia factions faction groups group fighters paramilitaries militants "
                         "rebels separatists forces proxies".split())
_TERMINAL = (".", "!", "?", '"', "”", "’", "'", ".)", ".]")
_MODIFIER_HEADS = frozenset(
    "backed led aligned sponsored linked affiliated allied supported funded based made controlled run "
    "trained armed inspired".split())


_FORCE_HEADS = frozenset("air airstrikes airstrike strikes strike raids raid forces troops bombing operation "
                         "operations offensive assault".split())
_OWNERSHIP_HEADS = frozenset("linked affiliated run controlled owned used operated".split())


def _is_modifier(s: AnalysedSentence, m: EntityMention) -> bool:
    """"Iran" in "Iran-backed militias" names a sponsor, not a party. "IRGC-linked sites" names the
    owner of what was hit, and stays (the role rules treat it as an owner)."""
    nxt = s.lower[m.end:m.end + 3]
    if len(nxt) == 3 and nxt[:2] == ["-", "led"] and nxt[2] in _FORCE_HEADS:
        return False  # "US-led air strikes": the leader acts
    nxt = nxt[:2]
    if len(nxt) == 2 and nxt[0] == "-" and nxt[1] in _OWNERSHIP_HEADS and m.end + 2 < len(s.lower) \
            and s.lower[m.end + 2] not in _GROUP_NOUNS:
        return False
    return (len(nxt) == 2 and nxt[0] == "-" and nxt[1] in _MODIFIER_HEADS) or (bool(nxt) and nxt[0] in ("backed", "aligned", "sponsored", "linked"))


_TITLE_WORDS = frozenset("gen. gen general maj. lt. col. brig. adm. president prime minister foreign defence "
                         "defense secretary commander official officials leader leaders cleric spokesman "
                         "spokeswoman spokesperson envoy ambassador chief mastermind".split())


def _apposition(s: AnalysedSentence, m: EntityMention) -> bool:
    """"Kataib Hezbollah, an Iran-backed militia group": a description set after a name, not a party."""
    if not m.entity.name.lower().endswith(("militias", "groups", "factions")):
        return False
    k = m.start - 1
    if k >= 0 and s.lower[k] in ("a", "an", "the"):
        k -= 1
    return k >= 1 and s.lower[k] == "," and any(x.end == k and x.entity.type in (
        "armed group", "umbrella group", "political party") for x in s.entities)


def _describes_person(s: AnalysedSentence, m: EntityMention) -> bool:
    """"Iranian Gen. Qasem Soleimani", "Russian Foreign Minister Sergei Lavrov": a country adjective
    before a title or a person says who the person is; the country is not a party to the event."""
    if m.end - m.start != 1 or not s.tokens[m.start][:1].isupper() or m.entity.name == s.tokens[m.start]:
        return False
    nxt = s.lower[m.end:m.end + 2]
    if nxt[:1] and nxt[0] in _TITLE_WORDS:
        return True
    return any(x.start in (m.end, m.end + 1) and x.entity.type == "person" for x in s.entities)


def _prose(paragraph: str) -> bool:
    """A headline, standfirst or caption ends without a full stop; a long unpunctuated paragraph is
    still prose (some archives strip the final stop)."""
    return paragraph.endswith(_TERMINAL) or len(paragraph.split()) >= 40


class Analyser:
    """Builds the spaCy pipeline once and turns documents into analysed sentences."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        # A capital that also names its government ("Washington said", "in Washington"): the ruler
        # tags the actor, and a locative preposition turns the mention into the place.
        self.place_alternative: dict[str, Entity] = {}
        self.nlp = self._build(gazetteer)

    def _build(self, gazetteer: Gazetteer) -> Language:
        nlp = spacy.blank("en")
        for abbr in _ABBREVIATIONS:
            nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
        nlp.add_pipe("sentencizer")
        insensitive: list[dict[str, str]] = []
        sensitive: list[dict[str, str]] = []
        forms = list(gazetteer.surface_forms())
        actor_surfaces = {s.lower() for s, e, _ in forms if not e.is_place}
        for surface, entity, case_sensitive in forms:
            if entity.is_place and surface.lower() in actor_surfaces:
                self.place_alternative[surface.lower()] = entity
                continue
            label = "PLACE" if entity.is_place else "ACTOR"
            # Reports use both straight and curly apostrophes: "Iraq's parliament", "Kata’ib Hezbollah".
            variants = {surface, surface.replace("'", "’"), surface.replace("’", "'")}
            if "-" in surface and not case_sensitive:
                variants.add(surface.replace("-", " "))  # "Iran backed militias", "Ain al Asad"
            for v in variants:
                (sensitive if case_sensitive else insensitive).append({"label": label, "pattern": v, "id": entity.id})
        # Countries of the world by name ("India and Pakistan agreed ..."), where the shipped gazetteer
        # does not already name them (Iran, Israel, the United States are actors there).
        shipped = {f.lower() for f, _, _ in forms}
        for country in gazetteer.world.countries():
            for surface in (country.name, *country.aliases):
                if surface.lower() not in shipped and surface[:1].isupper() and len(surface) > 3:
                    sensitive.append({"label": "PLACE", "pattern": surface, "id": country.id})
        # Adjectives of countries ("Russian air strikes", "Iraqi fighters") name the state where the
        # gazetteer knows it as an actor, else the country as a place; longer names still win.
        for adjective, country in gazetteer.world.demonyms():
            state = gazetteer.by_name(country.name)
            entity = state if state is not None and not state.is_place else country
            if adjective[:1].isupper():
                sensitive.append({"label": "PLACE" if entity.is_place else "ACTOR", "pattern": adjective,
                                  "id": entity.id})
        # Patterns are added after the rulers exist and nlp.initialize() is never called: it would wipe them.
        ruler = nlp.add_pipe("entity_ruler", name="gazetteer", config={"phrase_matcher_attr": "LOWER"})
        ruler.add_patterns(insensitive)  # type: ignore[attr-defined]
        ruler_cs = nlp.add_pipe("entity_ruler", name="gazetteer_cs", config={"phrase_matcher_attr": "ORTH"})
        ruler_cs.add_patterns(sensitive)  # type: ignore[attr-defined]
        for r in (ruler, ruler_cs):
            # spaCy checks on every document that a ruler has patterns by counting them all, one key
            # per entity id (a fifth of the rulers' time here); ours are never empty, as checked now.
            r._require_patterns()  # type: ignore[attr-defined]
            r._require_patterns = _patterns_present  # type: ignore[attr-defined]
        return nlp

    def paragraphs(self, document: Document) -> Iterator[tuple[int, str]]:
        """(offset, text) of each paragraph of prose: hard-wrapped lines are joined back (wire copy
        breaks lines mid-sentence), and lines that are not prose are skipped: the headline, and
        standfirsts, subheads and captions, which end without a full stop."""
        pending: tuple[int, str] | None = None
        for offset, line in self._lines(document):
            if pending is not None:
                p_off, p_text = pending
                gap = document.text[p_off + len(p_text):offset]
                wrapped = line[:1].islower() or len(p_text.rsplit("\n", 1)[-1]) >= 50
                if not p_text.endswith(_TERMINAL) and wrapped and not gap.strip() and gap.count("\n") == 1:
                    # The line break fell inside a sentence: rejoin, keeping offsets into the text.
                    pending = (p_off, document.text[p_off:offset + len(line)].replace("\n", " "))
                    continue
                if _prose(p_text):
                    yield pending
            pending = (offset, line)
        if pending is not None and _prose(pending[1]):
            yield pending

    def _lines(self, document: Document) -> Iterator[tuple[int, str]]:
        """(offset, text) of each non-empty line that is not furniture, without the headline."""
        first = True
        for start, end in document.kept_spans():
            chunk = document.text[start:end]
            pos = 0
            for line in chunk.split("\n"):
                line_start = start + pos
                pos += len(line) + 1
                stripped = line.strip()
                if not stripped:
                    continue
                if first:
                    first = False
                    if document.title and stripped == document.title.strip():
                        continue
                lead = len(line) - len(line.lstrip())
                yield line_start + lead, stripped

    def analyse(self, document: Document) -> list[AnalysedSentence]:
        """Sentences of the document's kept text with their entity mentions."""
        paras = list(self.paragraphs(document))
        out: list[AnalysedSentence] = []
        for p_idx, ((offset, para), doc) in enumerate(zip(paras, self.nlp.pipe(t for _, t in paras))):
            # The paragraph's tokens read as arrays (no Token objects made); sentences take slices.
            strings = doc.vocab.strings
            cols = doc.to_array([ORTH, LOWER, IDX]).tolist() if len(doc) else []
            texts = [strings[c[0]] for c in cols]
            lowers = [strings[c[1]] for c in cols]
            starts = [offset + c[2] for c in cols]
            # Span.text and Span.ents walk the span's tokens again: slice the paragraph instead.
            ents = list(doc.ents)
            for sent in doc.sents:
                if sent.end <= sent.start:
                    continue
                base = sent.start
                a = AnalysedSentence(
                    idx=len(out),
                    start=offset + sent.start_char,
                    end=offset + sent.end_char,
                    text=para[sent.start_char:sent.end_char],
                    tokens=texts[sent.start:sent.end],
                    lower=lowers[sent.start:sent.end],
                    starts=starts[sent.start:sent.end],
                    paragraph=p_idx,
                )
                if sent.start == 0:
                    dateline = DATELINE.match(sent.text)
                    a.body = dateline.end() if dateline else 0
                for ent in ents:
                    if ent.start < sent.start or ent.end > sent.end:
                        continue
                    if ent.start_char - sent.start_char >= a.body:
                        surface = para[ent.start_char:ent.end_char]
                        entity = self.gazetteer.get(ent.ent_id_)
                        alternative = self.place_alternative.get(surface.lower())
                        if alternative is not None and ent.start > 0 and lowers[ent.start - 1] in _PLACE_PREPOSITIONS:
                            entity = alternative
                        a.entities.append(EntityMention(
                            ent.start - base, ent.end - base, offset + ent.start_char,
                            offset + ent.end_char, surface, entity))
                self._widen_country_names(a)
                self._governments_of_leaders(a)
                self._add_context_names(a)
                self._add_sponsored_groups(a)
                a.entities = [m for m in a.entities if not _is_modifier(a, m) and not _describes_person(a, m)
                              and not _apposition(a, m)]
                out.append(a)
        return out

    def _add_sponsored_groups(self, s: AnalysedSentence) -> None:
        """"Iran-aligned armed factions", "Russian-backed separatists": unnamed groups described by
        their sponsor become the generic entity for them (shipped, e.g. "Iran-backed Iraqi militias",
        or provisional), so that a report that names no group still says whose side acted."""
        lower = s.lower
        taken = {k for m in s.entities for k in range(m.start, m.end)}
        for m in list(s.entities):
            if not _is_modifier(s, m) or m.end + 1 >= len(lower):
                continue
            k = m.end + (2 if lower[m.end] == "-" else 1)
            j = k
            while j < len(lower) and j < k + 3 and lower[j] not in _GROUP_NOUNS:
                j += 1
            if j >= len(lower) or lower[j] not in _GROUP_NOUNS or any(i in taken for i in range(k, j + 1)):
                continue
            sponsor = self.gazetteer.lookup(m.surface, kind="actor") or m.entity
            iraqi = "iraqi" in lower[k:j] or "iraq" in lower[max(0, m.start - 12):j + 4]
            noun = lower[j] if lower[j] in ("militias", "groups", "factions") else "militias"
            entity = (self.gazetteer.lookup(f"{sponsor.name}-backed {'Iraqi ' if iraqi else ''}militias")
                      or self.gazetteer.lookup(f"{sponsor.name}-backed {noun}")
                      or self.gazetteer.provisional(f"{sponsor.name}-backed {noun}", "armed group"))
            s.entities.append(EntityMention(m.start, j + 1, s.starts[m.start],
                                            s.starts[j] + len(s.tokens[j]), s.span_text(m.start, j + 1), entity))
            taken.update(range(m.start, j + 1))
        s.entities.sort(key=lambda x: x.start)

    def _governments_of_leaders(self, s: AnalysedSentence) -> None:
        """"Mustafa al-Kadhimi's government", "the Biden administration": a leader's government is the
        state he leads, which acts (presents a timetable, orders strikes) where the man alone speaks."""
        for n, m in enumerate(s.entities):
            if m.entity.type != "person":
                continue
            k = m.end + 1 if s.lower[m.end:m.end + 1] in (["'s"], ["’s"]) else m.end
            if s.lower[k:k + 1] not in (["government"], ["administration"], ["cabinet"]):
                continue
            led = [self.gazetteer.entities.get(r.get("target", "")) for r in m.entity.relations
                   if r.get("type") == "leader_of"]
            state = next((e for e in led if e is not None and e.type == "state"), None)
            if state is not None:
                s.entities[n] = EntityMention(m.start, k + 1, m.char_start, s.starts[k] + len(s.tokens[k]),
                                              s.span_text(m.start, k + 1), state)

    def _widen_country_names(self, s: AnalysedSentence) -> None:
        """"Port Sudan", "Kuwait City", "Djibouti City": a capitalised word joined to a country's
        name may make a city the world gazetteer knows; the city, not the country, is then meant."""
        for n, m in enumerate(s.entities):
            if m.entity.type != "country":
                continue
            candidates = []
            if m.start > 0 and _CAPITAL.match(s.tokens[m.start - 1]) and s.tokens[m.start - 1] not in _NOT_NAMES:
                candidates.append((m.start - 1, m.end))
            if m.end < len(s.tokens) and _CAPITAL.match(s.tokens[m.end]):
                candidates.append((m.start, m.end + 1))
            for i, j in candidates:
                if any(o is not m and o.start < j and i < o.end for o in s.entities):
                    continue
                place = self.gazetteer.lookup(s.span_text(i, j), kind="place")
                if place is not None and place.is_place and place.type != "country":
                    s.entities[n] = EntityMention(i, j, s.starts[i], s.starts[j - 1] + len(s.tokens[j - 1]),
                                                  s.span_text(i, j), place)
                    break

    def _add_context_names(self, s: AnalysedSentence) -> None:
        """Capitalised names the gazetteer lacks: places after a locative preposition, and groups
        introduced as "a group calling itself X" (kept as provisional entities for curation)."""
        taken = [s.starts[k] - s.start < s.body for k in range(len(s.tokens))]
        for m in s.entities:
            for k in range(m.start, m.end):
                taken[k] = True
        i = 0
        n = len(s.tokens)
        while i < n:
            tok = s.tokens[i]
            if taken[i] or not _CAPITAL.match(tok) or tok in _NOT_NAMES:
                i += 1
                continue
            j = i + 1
            while j < n and not taken[j]:
                if _CAPITAL.match(s.tokens[j]):
                    j += 1
                    continue
                k = j  # connectors run on: "al-Fajr" is "al", "-", "Fajr"
                while k < n and not taken[k] and s.lower[k] in _NAME_CONNECTORS:
                    k += 1
                if k == j or k >= n or taken[k] or not _CAPITAL.match(s.tokens[k]):
                    break
                j = k + 1
            prev = s.lower[i - 1] if i > 0 else ""
            if prev in ('"', "“", "'", "‘") and i >= 2:
                prev = s.lower[i - 2]
            if prev in _DIRECTIONS and i >= 2:
                prev = s.lower[i - 2]  # "in eastern Aleppo", "of northern Syria"
            before = s.text[: s.starts[i] - s.start]
            surface = s.span_text(i, j)
            entity: Entity | None = None
            if _NAME_CUES.search(before.rstrip(" \"“'‘")):
                entity = self.gazetteer.lookup(surface) or self.gazetteer.provisional(
                    surface, s.text[max(0, s.starts[i] - s.start - 60): s.starts[j - 1] - s.start + 60])
            elif prev in _PLACE_PREPOSITIONS and i > 0:
                entity = self.gazetteer.lookup(surface, kind="place")
                if entity is not None and not entity.is_place:
                    entity = None
            elif j - i >= 2 and (s.lower[j - 1] in _GROUP_CUES or (
                    # "Saraya al-Fajr al-Jadid", not "Ansar Hussein, a shopkeeper": a group word, then
                    # an Arabic name with its particles
                    s.lower[i] in ARABIC_GROUP_HEADS and any(w in _NAME_CONNECTORS for w in s.lower[i + 1:j]))) \
                    and s.tokens[i] not in _NOT_NAMES:
                # "The Blue Nile Vanguard Brigade attacked ...", "Saraya Awliya al-Dam": an unknown name
                # that says what it is becomes a provisional entity, kept for curation.
                entity = self.gazetteer.lookup(surface) or self.gazetteer.provisional(surface, "armed group")
            if entity is None and "of" in s.lower[i:j]:
                # "Residents of Omdurman": the name after "of" may be the place.
                k = max(x for x in range(i, j) if s.lower[x] == "of") + 1
                place = self.gazetteer.lookup(s.span_text(k, j), kind="place") if k < j else None
                if place is not None and place.is_place:
                    entity, i = place, k
                    surface = s.span_text(k, j)
            if entity is not None:
                s.entities.append(EntityMention(
                    i, j, s.starts[i], s.starts[j - 1] + len(s.tokens[j - 1]), surface, entity))
                for k in range(i, j):
                    taken[k] = True
            i = j
        s.entities.sort(key=lambda m: m.start)
