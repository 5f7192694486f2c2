"""Back-references within a report: "the group", "the militias", "the base", "he said".

News writes a name once and then refers back to it. ``Discourse`` walks a report's sentences in
order, remembers the last armed group, the last description of unnamed groups, the last place of
each kind and who has been speaking, and adds entity mentions for the back-references it can
resolve, so that the role rules see "the group" as Kataib Hezbollah and "the airport" as Erbil
International Airport. Only references with a compatible antecedent earlier in the same report are
resolved; nothing is guessed from outside the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from trucewatch.extract.roles import GROUP_TYPES, actor_entity, is_state, titles_person
from trucewatch.models import Entity
from trucewatch.nlp.pipeline import AnalysedSentence, EntityMention

# Singular descriptions of one group named before.
_GROUP_NOUNS = frozenset({"group", "militia", "movement", "brigades", "organisation", "organization", "group's"})
# Plural descriptions of unnamed groups ("the militias", "armed factions", "some factions").
_PLURAL_NOUNS = frozenset({"militias", "factions", "militiamen", "paramilitaries", "groups"})
_PLURAL_OPENERS = frozenset({"the", "armed", "militia", "some", "resistance", "several", "these", "those", "other",
                             "militant"})
# Descriptions of a place named before, by the gazetteer type they may refer to.
_PLACE_NOUNS = {
    "base": ("military base",), "airbase": ("military base",), "airport": ("military base", "facility"),
    "embassy": ("facility", "military base"), "compound": ("facility", "military base"),
    "field": ("military base", "facility"), "camp": ("military base",),
}
# Titles after which a name or an organisation is the speaker: "KH spokesman", "spokesperson of KSS".
_TITLES = frozenset("spokesman spokeswoman spokesperson secretary-general leader commander official "
                    "officials chief head minister secretary envoy adviser advisor president".split())
_PRONOUNS = frozenset({"he", "she"})
_SAYING = frozenset("said says warned warns added told stressed insisted cautioned threatened vowed".split())
# Verbs that report what a speaker did or will do, followed by "it"/"they" for the speaker itself.
_SAYING_REPORT = frozenset("said says claimed claims announced announces admitted acknowledged confirmed "
                           "denied denies insisted".split())
_CALENDAR = frozenset("monday tuesday wednesday thursday friday saturday sunday january february march april may "
                      "june july august september october november december".split())
_NAME = re.compile(r"^[A-Z][\w'’\-]+$")


@dataclass
class Discourse:
    """What a report has named so far, to resolve back-references in the next sentence."""

    resolve: dict[str, Entity]
    last_group: Entity | None = None
    last_generic: Entity | None = None
    last_place: dict[str, Entity] = field(default_factory=dict)
    speaker: Entity | None = None
    last_coalition: Entity | None = None
    last_army: Entity | None = None  # the national army named last ("Sudan's army"), for "the army"
    # surnames of people introduced with their organisation ("Kadhim al-Fartusi, the spokesperson of KSS")
    affiliations: dict[str, Entity] = field(default_factory=dict)

    def resolve_sentence(self, s: AnalysedSentence) -> None:
        """Add mentions for the sentence's back-references, then remember what it names."""
        taken = {k for m in s.entities for k in range(m.start, m.end)}
        added: list[EntityMention] = []
        lower = s.lower
        for i in range(len(lower) - 1):
            if i in taken or i + 1 in taken:
                continue
            first, second = lower[i], lower[i + 1]
            entity: Entity | None = None
            if first == "the" and second in _GROUP_NOUNS:
                entity = self.last_group
            elif first in _PLURAL_OPENERS and second in _PLURAL_NOUNS and not (
                    second == "groups" and first in ("the", "some", "several", "these", "those", "other")):
                entity = self.last_generic or self.last_group
            elif first == "the" and second == "coalition":
                entity = self.last_coalition
            elif first == "the" and second == "army" and s.tokens[i + 1] == "army":
                entity = self.last_army
            elif first == "the" and second in _PLACE_NOUNS:
                entity = next((self.last_place[t] for t in _PLACE_NOUNS[second] if t in self.last_place), None)
            if entity is not None:
                added.append(self._mention(s, i, i + 2, entity))
        for i, t in enumerate(s.tokens if self.last_army is not None and "army" in lower else ()):
            # "army aircraft carried out air strikes", "between army and RSF units": the army named before.
            # Not "Chadian army helicopters", "Egypt's army": another country's.
            if t == "army" and i not in taken and self.last_army is not None and not any(
                    a.start <= i < a.end for a in added) and (i == 0 or (
                    lower[i - 1] not in ("the", "'s", "’s")
                    and (not s.tokens[i - 1][:1].isupper() or lower[i - 1] in _CALENDAR))):
                added.append(self._mention(s, i, i + 1, self.last_army))
        if len(lower) > 1 and lower[0] == "it" and lower[1] in _SAYING and self.last_group is not None and 0 not in taken:
            added.append(self._mention(s, 0, 1, self.last_group))  # "It said its fighters had also fired"
        for i in range(2, len(lower) - 1):
            # "The group said on Friday it had attacked ...": "it" after the saying verb is the speaker.
            if lower[i] in ("it", "they") and i not in taken:
                verb = next((k for k in range(i - 1, max(0, i - 5), -1) if lower[k] in _SAYING_REPORT), None)
                speaker = None if verb is None else self._group_before(s, verb)
                if speaker is not None:
                    added.append(self._mention(s, i, i + 1, speaker))
                    taken.add(i)
        for i in range(1, len(lower) - 1):
            if lower[i] in _PRONOUNS and lower[i + 1] in _SAYING and i not in taken and self.speaker is not None:
                added.append(self._mention(s, i, i + 1, self.speaker))
        # A sentence opened by "He"/"She" or a known surname speaks for that person's organisation.
        if s.tokens and 0 not in taken:
            org = self.speaker if lower[0] in _PRONOUNS else self._affiliation(s)
            if org is not None:
                added.append(self._mention(s, 0, 1, org))
        if added:
            s.entities = sorted(s.entities + added, key=lambda m: m.start)
        self._remember(s)

    def _group_before(self, s: AnalysedSentence, verb: int) -> Entity | None:
        """The group or state that is the subject of the saying verb: the nearest named before it
        with nothing but a date or a title between ("the group said", "Hamas claimed on Friday")."""
        before = [m for m in s.entities if m.end <= verb]
        if not before:
            return None
        m = before[-1]
        e = actor_entity(m.entity, self.resolve)
        if e.is_place or e.type == "person" or verb - m.end > 2:
            return None
        return e if e.type in GROUP_TYPES or is_state(e) else None

    @staticmethod
    def _mention(s: AnalysedSentence, i: int, j: int, entity: Entity) -> EntityMention:
        return EntityMention(i, j, s.starts[i], s.starts[j - 1] + len(s.tokens[j - 1]), s.span_text(i, j), entity)

    @staticmethod
    def _surname(token: str) -> str:
        return re.sub(r"^(?:al|el)[-‐]", "", token.lower())

    def _affiliation(self, s: AnalysedSentence) -> Entity | None:
        """The organisation of a known person opening the sentence ("Al-Fartusi stressed ..."),
        allowing for a transliteration variant of the surname (al-Hamidawi / Al-Hamodawi)."""
        for token in s.tokens[:3]:
            if not _NAME.match(token) or token.lower() in ("al", "el", "abu"):
                continue
            surname = self._surname(token)
            if surname in self.affiliations:
                return self.affiliations[surname]
            for known, org in self.affiliations.items():
                if len(surname) >= 5 and fuzz.ratio(surname, known) >= 85:
                    return org
            return None
        return None

    def _remember(self, s: AnalysedSentence) -> None:
        lower = s.lower
        for m in s.entities:
            e = m.entity
            if e.type in GROUP_TYPES and not is_state(e) and not titles_person(m, s):
                # "Badr Organization leader Hadi al-Amiri" names a man, not a group the report goes on about.
                if e.name.lower().endswith(("militias", "groups", "factions")):
                    self.last_generic = e
                else:
                    self.last_group = e
            if e.is_place:
                self.last_place[e.type] = e
            if "coalition" in e.name.lower():
                self.last_coalition = e
            if e.type == "state force" and any(w in ("army", "military") for w in lower[m.start:m.end]):
                self.last_army = e
            window = lower[max(0, m.start - 4):m.start] + lower[m.end:m.end + 2]
            if any(w in _TITLES for w in window) and not e.is_place:
                self.speaker = actor_entity(e, self.resolve)
                self._learn_name(s, m)
            elif e.type == "person":
                org = actor_entity(e, self.resolve)
                if org is not e:
                    self.speaker = org

    def _learn_name(self, s: AnalysedSentence, m: EntityMention) -> None:
        """"Kadhim al-Fartusi, the spokesperson of KSS" / "the group's secretary-general, Abu Hussein
        al-Hamidawi": remember the surname of an unknown person speaking for an organisation."""
        org = actor_entity(m.entity, self.resolve)
        for k in range(max(0, m.start - 12), min(len(s.tokens), m.end + 8)):
            token = s.tokens[k]
            if _NAME.match(token) and (k + 1 == len(s.tokens) or s.tokens[k + 1] == ",") and k not in range(
                    m.start, m.end) and s.lower[k] not in _TITLES:
                surname = self._surname(token)
                if len(surname) >= 4:
                    self.affiliations.setdefault(surname, org)
