"""Names -> entities: the gazetteer of actors and places, and the keys that let spellings meet.

News reports spell the same militia, person or base in a dozen ways (Kataib Hezbollah, Kata'ib
Hizballah, Kataeb Hizbullah; Ain al-Asad, Ayn al-Asad; Irbil, Erbil). A lookup tries, in order:

1. the exact surface (abbreviations such as ``KH`` or ``US`` only as written, so "us" never matches),
   then the surface with case folded;
2. the transliteration key (:func:`translit_key`), which folds the usual romanisation variants;
   on a single short word the spelling must agree too (:func:`same_spelling_family`), because
   the key of 'Read' is the key of Riyadh;
3. the key without a generic head word ("... militia", "... group", "... movement");
4. a guarded fuzzy match over the keys of the gazetteer (typos such as "Kataib Hezbolah");
5. a known name inside a longer phrase ("Syria's Hasaka", "Houthis in Yemen", "Iraqi Prime
   Minister Mustafa al-Kadhimi");
6. for places only, the world's countries and cities (:mod:`trucewatch.resolve.world`).

Precision comes before recall throughout: two different entities must never be merged, so the key
keeps "Kataib Hezbollah" apart from "Hezbollah", a key shared by two entities names neither, and
fuzzy matches must agree word by word.
"""

from __future__ import annotations

import os.path
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, fields
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from trucewatch.errors import GazetteerError
from trucewatch.models import PLACE_TYPES, Entity
from trucewatch.resolve.world import World

Kind = Literal["actor", "place"]

SUPPORTED_VERSION = 1
# The shipped gazetteer: the founding conflict's actors and places, then the world's armed actors.
SHIPPED_FILES = ("entities.yaml", "world_actors.yaml")
RELATION_TYPES = frozenset(
    {"member_of", "splinter_of", "backed_by", "leader_of", "spokesman_of", "part_of", "front_for"}
)
_RECORD_FIELDS = frozenset({"id", "name", "type", "aliases", "country", "province", "lat", "lon", "relations"})
_DOCUMENT_FIELDS = frozenset({"version", "entities", "countries", "world_stop"})
ENTITY_TYPES = frozenset(
    {"state", "state force", "armed group", "umbrella group", "political party", "person",
     "international organisation", "population", *PLACE_TYPES}
)

# --- transliteration keys ---------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['’‘`´ʿʾʼ]")
_POSSESSIVE = re.compile(r"['’]s\b")
# Arabic article joined by a hyphen, including its assimilated forms (ad-Din, as-Sadr, at-Tanf).
_ARTICLE_PREFIX = re.compile(r"\b(?:al|el|ad|an|ar|as|ash|at|az)[-‐‑–](?=[^\W\d_])", re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DROPPED_TOKENS = frozenset({"al", "el", "the"})
_SPLIT_TOKENS = {
    "airbase": ("air", "base"),
    "airfield": ("air", "field"),
    "oilfield": ("oil", "field"),
    "gasfield": ("gas", "field"),
}
# Words whose spellings vary too much for the general rules, folded to one form each.
_WORD_FAMILIES = (
    (re.compile(r"^k[ae]t[ae](?:[ie]|y)b$"), "kataib"),  # Kataib, Kataeb, Ketaib, Katayb (Kata'ib once ' goes)
    (re.compile(r"^h[ie]zb[aiou]ll?ah?$"), "hizbula"),  # Hezbollah, Hizbullah, Hizballah, Hizbollah
    (re.compile(r"^m[ou]h[ae]mm?[ae]d$"), "muhamad"),  # Mohammed, Muhammad, Mohamed, Mohammad
)  # each family's key is in folded form, so that misspellings of it still meet it fuzzily
_DIGRAPHS = (("ph", "f"), ("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"))
# With doubled letters folded afterwards, these also fold ou/oo -> u, ee -> i and ck -> k.
_LETTERS = str.maketrans({"q": "k", "c": "k", "e": "i", "o": "u"})
_DOUBLED = re.compile(r"(.)\1+")


def _fold_token(token: str) -> str:
    """One lower-case ASCII word folded to its key form (see :func:`translit_key`)."""
    if token[0] in "khm":
        for pattern, family in _WORD_FAMILIES:
            if pattern.match(token):
                return family
    if token.isdigit():
        return token
    if len(token) > 2 and token[-1] == "h" and token[-2] in "ae":  # ta marbuta: -ah, -eh
        token = token[:-2] + "a"
    for old, new in _DIGRAPHS:
        if old in token:
            token = token.replace(old, new)
    token = token[0] + token[1:].replace("y", "i")
    return _DOUBLED.sub(r"\1", token.translate(_LETTERS))


def fold_ascii(text: str) -> str:
    """Case and accents folded away: 'Ḩamāh' -> 'hamah'. The cheap first step of every key."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def plain_words(name: str) -> list[str]:
    """The words of a name with case, accents, article, possessive and punctuation gone, but the
    spelling otherwise kept: "al-Qa'im" -> ["qaim"], "U.S. forces" -> ["us", "forces"]."""
    text = name
    if not text.isalnum():  # the regular expressions below only matter with punctuation about
        text = _APOSTROPHES.sub("", _ARTICLE_PREFIX.sub("", _POSSESSIVE.sub("", text)))
    tokens: list[str] = []
    for token in _NON_ALNUM.split(fold_ascii(text)):
        if token and token not in _DROPPED_TOKENS:
            tokens.extend(_SPLIT_TOKENS.get(token, (token,)))
    words: list[str] = []  # "u s" (from U.S.) -> "us": initials spelt with dots are one word
    in_initials = False
    for token in tokens:
        initial = len(token) == 1 and token.isalpha()
        if initial and in_initials:
            words[-1] += token
        else:
            words.append(token)
        in_initials = initial
    return words


def translit_key(name: str) -> str:
    """A key on which the romanisations of one Arabic or Persian name meet.

    Folds case and accents; drops the article (al-, el-, as-, at- ...; "the") and possessive 's;
    folds hyphens, apostrophes and ayn/hamza marks; folds q/k, kh/k, dh/d, th/t, gh/g, ph/f,
    ou/oo/u, ee/e/i, o/u, inner y/i, final -ah/-eh, doubled letters; and the word families
    Kata'ib/Kataeb/Kataib and Hezbollah/Hizbullah/Hizballah. The key keeps every word (Kataib
    Hezbollah -> "kataib hizbula", Hezbollah -> "hizbula"), so it never makes a name equal to a
    part of another name.
    """
    return " ".join(_fold_token(t) for t in plain_words(name))


_SHORT_WORD = 6  # one-word names shorter than this must be spelt alike to share an entity


def same_spelling_family(query: str, candidate: str) -> bool:
    """Whether a name may be taken for another name whose key it shares. The key folds q/k/c
    and vowels and drops the article, so on one short word it meets ordinary words and first
    names ('Read' and Riyadh both give 'riad', 'Kane' and Qaani 'kani', 'Omar' and al-Omar
    'umar'): a one-word name shorter than six letters must be spelt the same up to case,
    accents, punctuation and the h of a final -ah (Hama, Ḩamāh); a longer one must begin with
    the same letter (Cazale is not Khazali). Names of several words are trusted to their key."""
    words, other = plain_words(query), plain_words(candidate)
    if len(words) != 1 or len(other) != 1:
        return True
    if len(words[0]) < _SHORT_WORD:
        return _compact(query) == _compact(candidate)
    return words[0][:1] == other[0][:1]


def plain_key(name: str) -> str:
    """:func:`plain_words` joined, each -ah as -a: how world names are matched."""
    return " ".join(_without_final_h(w) for w in plain_words(name))


def _without_final_h(word: str) -> str:
    """Hama and Hamah are one spelling (the Arabic feminine ending -ah is written with or without h)."""
    return word[:-1] if len(word) > 2 and word.endswith("ah") else word


def _compact(name: str) -> str:
    """A name's letters only, article included, -ah as -a: 'al-Qa'im' -> 'alqaim'."""
    return _without_final_h(_NON_ALNUM.sub("", fold_ascii(_APOSTROPHES.sub("", name))))


def is_case_sensitive(surface: str) -> bool:
    """Abbreviations (no lower-case letter: KH, US, U.S., IZ, also "the UN") are matched only as written."""
    words = [w for w in surface.split() if w.casefold() != "the"]
    return any(c.isalpha() for w in words for c in w) and not any(c.islower() for w in words for c in w)


# Head words that describe rather than name: "Kataib Hezbollah militia" is Kataib Hezbollah.
_GENERIC_HEADS = frozenset(
    {"militia", "militias", "group", "groups", "movement", "organization", "organisation", "faction",
     "factions", "fighters", "militants", "members", "forces", "base", "city", "town", "area"}
)
_GENERIC_HEAD_KEYS = frozenset(translit_key(w) for w in _GENERIC_HEADS)
_FUZZY_MIN_TOKEN = 6  # shorter words differ by one letter too often (Erbil/Irbid, Iraq/Iran)
_FUZZY_MIN_SINGLE = 8  # a one-word name must be longer still (Slemani/Shimane, Guterres/Gutierrez)


def _fuzzy_compatible(query: str, candidate: str) -> bool:
    """True when two keys can be the same name misspelt: same number of words, each word equal or
    (both long enough) one edit apart with the same first letter and not one the other plus an
    ending, numbers equal, two edits at most. This is the guard that keeps near-miss names
    (Hama/Hamas, Sadr/Sudani, Israel/Israeli) apart."""
    q_tokens, c_tokens = query.split(), candidate.split()
    if len(q_tokens) != len(c_tokens):
        return False
    if len(q_tokens) == 1 and len(query) < _FUZZY_MIN_SINGLE:
        return False
    edits = 0
    for q, c in zip(q_tokens, c_tokens):
        if q == c:
            continue
        if q.isdigit() or c.isdigit() or q[0] != c[0] or min(len(q), len(c)) < _FUZZY_MIN_TOKEN:
            return False
        if len(os.path.commonprefix([q, c])) >= min(len(q), len(c)) - 2:
            return False  # a different ending makes another word, not a typo: Israel/Israeli, Americas/Americans
        distance = Levenshtein.distance(q, c, score_cutoff=1)
        if distance > 1:
            return False
        edits += distance
    return 0 < edits <= 2


# Phrases that wrap a name, tried when the whole phrase is unknown: (pattern, type the name must have).
_TITLE = (r"(?:Prime Minister|Vice President|President|Foreign Minister|Defen[cs]e (?:Secretary|Minister)|"
          r"Secretary of (?:State|Defen[cs]e)|Secretary[- ]General|Supreme Leader|Speaker|Emir|Spokes(?:man|person)|"
          r"(?:Maj\.|Brig\.|Lt\.|Major|Brigadier|Lieutenant)? ?Gen(?:eral|\.)|Commander|Col\.|Colonel|Sheikh|Ayatollah|"
          r"Cleric|Leader|Chief)")
_WRAPPERS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"^(?P<place>[A-Z][\w .-]*?)['’]s (?P<rest>.+)$"), None),
    (re.compile(r"^(?P<rest>.+?) in (?:the )?(?P<place>[A-Z][\w .'’-]+)$"), None),
    (re.compile(r"^(?:(?:Iran|Iranian|Tehran)[-‐ ](?:backed|aligned|allied|sponsored|supported|linked|affiliated)|"
                r"pro-(?:Iran|Iranian|Tehran)) (?P<rest>.+)$", re.IGNORECASE), "actor"),
    (re.compile(r"^(?:[A-Z][\w.'’-]* ){0,2}" + _TITLE + r" (?P<rest>[A-Z].+)$"), "person"),
)


def _is_of_type(entity: Entity, required: str | None) -> bool:
    """``required`` is None (anything), "actor" (anything but a place) or an entity type."""
    if required is None:
        return True
    if required == "actor":
        return not entity.is_place
    return entity.type == required


# --- provisional entities ---------------------------------------------------------------------

# First words of Arabic group names ("Saraya al-Fajr al-Jadid", "Liwa Abu al-Fadl al-Abbas"): "companies",
# "brigades", "banner", "movement", "league", "army", "front", "partisans", "forces", "regiments".
ARABIC_GROUP_HEADS = frozenset("saraya sarayat kataib katibat liwa alwiya harakat haraka asaib jaish jaysh jabhat "
                               "ansar quwat firqat tashkil ashab".split())
# Words around an unknown name that say what it is, most specific first.
_TYPE_CUES: tuple[tuple[str, frozenset[str]], ...] = (
    ("military base", frozenset({"base", "bases", "airbase", "airport", "airfield", "camp", "garrison", "outpost"})),
    ("province", frozenset({"province", "governorate", "provinces"})),
    ("city", frozenset({"city", "town", "village", "subdistrict", "camp"})),
    ("facility", frozenset({"embassy", "consulate", "compound", "oilfield", "plant", "refinery", "port", "bridge",
                            "hospital", "school", "market", "mosque", "church", "hotel", "prison", "checkpoint",
                            "square", "street", "road", "roundabout", "station", "university", "stadium"})),
    ("district", frozenset({"district", "neighbourhood", "neighborhood", "quarter", "suburb"})),
    ("region", frozenset({"region", "oblast", "state", "county", "governorate", "prefecture"})),
    ("armed group", frozenset({"brigade", "brigades", "battalion", "battalions", "movement", "group", "militia",
                               "faction", "front", "army", "companies", "resistance", "fighters"}) | ARABIC_GROUP_HEADS),
)
_PROVISIONAL_WINDOW = 3  # words either side of the name that are read for a cue


def _describes_groups(e: Entity) -> bool:
    """A description standing for unnamed groups ("Iran-backed militias"), not one group's name."""
    return e.name.lower().endswith(("militias", "groups", "factions"))


def _slug(text: str) -> str:
    return "-".join(_NON_ALNUM.split(fold_ascii(_APOSTROPHES.sub("", text)))).strip("-")


# --- the gazetteer ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Form:
    """One indexed spelling: which entity it names, whether it is the canonical name, and the
    spelling itself (to tell a short name's variant from an unrelated word of the same key)."""

    entity_id: str
    is_name: bool
    surface: str


_MAX_ANSWERS = 200_000


@dataclass
class Gazetteer:
    """Actors and places by id, with indexes built once so that every lookup is a dict probe."""

    entities: dict[str, Entity]
    country_notes: dict[str, dict[str, Any]] = field(default_factory=dict)
    world_stop: frozenset[str] = frozenset()
    _exact: dict[str, list[_Form]] = field(init=False, repr=False)
    _folded: dict[str, list[_Form]] = field(init=False, repr=False)
    _keys: dict[str, list[_Form]] = field(init=False, repr=False)
    # Reports repeat the same few names: a lookup's answer is kept (the indexes never change after
    # construction), bounded so that a stream of unusual names cannot grow it without end.
    _answers: dict[tuple[str, Kind | None, str | None, bool], Entity | None] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._exact, self._folded, self._keys, self._answers = {}, {}, {}, {}
        for entity in self.entities.values():
            for surface, case_sensitive in _spellings(entity):
                form = _Form(entity.id, surface == entity.name, surface)
                if case_sensitive:
                    _add(self._exact, surface, form)
                else:
                    _add(self._folded, surface.casefold(), form)
                    _add(self._keys, translit_key(surface), form)
        for index in (self._exact, self._folded, self._keys):
            for forms in index.values():
                forms.sort(key=lambda f: not f.is_name)  # stable: canonical names first, then file order

    @classmethod
    def load(cls, extra: Sequence[str | Path] = ()) -> Gazetteer:
        """Shipped entities plus user YAML files (same format) on top; the default (no extra) is cached."""
        if not extra:
            return _shipped()
        return _build(tuple(Path(p) for p in extra))

    def get(self, entity_id: str) -> Entity:
        """The entity with this id (gazetteer or world); KeyError names the id when there is none."""
        entity = self.entities.get(entity_id) or self.world.by_id(entity_id)
        if entity is None:
            raise KeyError(f"no entity with id {entity_id!r}")
        return entity

    def by_name(self, canonical: str) -> Entity | None:
        """The gazetteer entity whose canonical name is exactly this."""
        for form in self._folded.get(canonical.casefold(), []) + self._exact.get(canonical, []):
            entity = self.entities[form.entity_id]
            if entity.name == canonical:
                return entity
        return None

    def lookup(self, surface: str, *, kind: Kind | None = None, country: str | None = None,
               fuzzy: bool = True) -> Entity | None:
        """exact alias (case-sensitive for short forms) -> transliteration key -> rapidfuzz fuzzy match
        (threshold + guards against near-miss merges) -> world countries/cities (places only).
        `country` (the report's country context) breaks ties between places of the same name."""
        surface = surface.strip()
        if not surface:
            return None
        memo = (surface, kind, country, fuzzy)
        if memo in self._answers:
            return self._answers[memo]
        country_name = self.world.country_name(country) if country else None
        found = self._lookup_name(surface, kind, country_name, fuzzy) or \
            self._lookup_unwrapped(surface, kind, country_name)
        if found is None and kind != "actor":
            found = self._lookup_world(surface, country_name)
        if len(self._answers) >= _MAX_ANSWERS:
            self._answers.clear()
        self._answers[memo] = found
        return found

    def surface_forms(self) -> Iterator[tuple[str, Entity, bool]]:
        """(surface text, entity, case_sensitive) for every name and alias: fed to a spaCy EntityRuler."""
        for entity in self.entities.values():
            for surface, case_sensitive in _spellings(entity):
                yield surface, entity, case_sensitive

    def provisional(self, surface: str, context: str) -> Entity:
        """An entity for an unknown capitalised name, typed from the words around it ("brigade",
        "movement", "group", "battalions" -> armed group; "base", "airport", "camp" -> military base;
        "province", "governorate" -> province; "city", "town", "village" -> city), marked provisional."""
        name = re.sub(r"^(?:the)\s+", "", surface.strip(" \t\n.,;:'\"()"), flags=re.IGNORECASE)
        own_words = [w.casefold() for w in re.findall(r"[^\W\d_]+", name)]
        entity_type = _cue_type(own_words) or _cue_type(_neighbours(name, context)) or "unknown"
        return Entity(id=f"provisional-{_slug(name)}", name=name, type=entity_type, provisional=True)

    def sponsored_in(self, e: Entity, country: str) -> Entity:
        """The country's own entity for a description of sponsored groups: "Iran-backed militias" in
        Iraq are "Iran-backed Iraqi militias" (same sponsor, that country), when the gazetteer has it;
        else ``e`` itself."""
        if e.country or not _describes_groups(e):
            return e
        for r in e.relations:
            if r.get("type") == "backed_by":
                local = self._sponsored_by_country.get((r.get("target"), country))
                if local is not None:
                    return local
        return e

    @cached_property
    def _sponsored_by_country(self) -> dict[tuple[str | None, str], Entity]:
        """Descriptions of one country's sponsored groups by (sponsor id, country), first listed first."""
        out: dict[tuple[str | None, str], Entity] = {}
        for x in self.entities.values():
            if x.country and _describes_groups(x):
                for r in x.relations:
                    if r.get("type") == "backed_by":
                        out.setdefault((r.get("target"), x.country), x)
        return out

    def state_of(self, country: str | None) -> Entity | None:
        """The entity that acts for a country's state, its government and forces ("the army" or "Syrian
        jets" in a report from Syria): the one the country's notes name (``state:``), else the state entity
        named as the country, else the country itself."""
        if not country:
            return None
        place = self.world.country(country)
        if place is None:
            return None
        note = self.country_notes.get(place.id.removeprefix("country-").upper(), {})
        chosen = self.entities.get(str(note.get("state", "")))
        if chosen is None:
            named = self.by_name(place.name)
            chosen = named if named is not None and not named.is_place else None
        return chosen or place

    def generic_in(self, cls: str, country: str | None) -> Entity | None:
        """The entity a generic noun stands for in a report from ``country``: "civilians" for people hit,
        the country's state for its army and jets, the country's insurgents (``insurgents:`` in its notes)
        for "rebels" or "terrorists"; None where the gazetteer knows no such entity."""
        if cls == "civilians":
            return self.entities.get("civilians")
        if cls == "state_forces":
            return self.state_of(country)
        place = self.world.country(country) if country else None
        if place is None:
            return None
        note = self.country_notes.get(place.id.removeprefix("country-").upper(), {})
        return self.entities.get(str(note.get(cls, "")))

    @cached_property
    def world(self) -> World:
        """Countries at once, cities on first use: most runs never need the 34,000 cities."""
        return World(plain_key, self.country_notes, self.world_stop)

    # -- internals --

    def _lookup_name(self, surface: str, kind: Kind | None, country: str | None,
                     fuzzy: bool = True) -> Entity | None:
        """The gazetteer steps: exact, case-folded, key, key without a generic head word, fuzzy."""
        for forms in (self._exact.get(surface), self._folded.get(surface.casefold())):
            found = self._pick(forms, kind, country)
            if found is not None:
                return found
        words = plain_words(surface)
        if not words:
            return None
        key = " ".join(_fold_token(w) for w in words)
        found = self._pick(self._key_forms(key, surface), kind, country, exact=False)
        if found is not None:
            return found
        if len(words) > 1 and _fold_token(words[-1]) in _GENERIC_HEAD_KEYS:
            head_less = " ".join(words[:-1])
            found = self._pick(self._key_forms(translit_key(head_less), head_less), kind, country, exact=False)
            if found is not None:
                return found
        return self._fuzzy(key, kind, country) if fuzzy else None

    def _key_forms(self, key: str, surface: str) -> list[_Form]:
        return [f for f in self._keys.get(key, []) if same_spelling_family(surface, f.surface)]

    def _lookup_unwrapped(
        self, surface: str, kind: Kind | None, country: str | None, depth: int = 2
    ) -> Entity | None:
        """A known name inside a longer phrase: "Syria's Hasaka", "Houthis in Yemen", "Iran-backed
        Kataib Hezbollah", "Iraqi Prime Minister Mustafa al-Kadhimi". A place that wraps the name
        becomes the country context; a title must wrap a person."""
        for pattern, required_type in _WRAPPERS:
            match = pattern.match(surface)
            if match is None:
                continue
            rest, where = match.group("rest"), country
            place = match.groupdict().get("place")
            if place is not None:
                context = self._lookup_name(place, "place", None) or self.world.country(place)
                if context is None:
                    continue
                where = context.country or where
            found = self._lookup_name(rest, kind, where)
            if found is None and depth > 1:
                found = self._lookup_unwrapped(rest, kind, where, depth - 1)
            if found is None and kind != "actor" and required_type is None and place is not None:
                found = self.world.city(rest, where, strict=True)  # "Iran's Ahvaz": a city of that country
            if found is not None and _is_of_type(found, required_type):
                return found
        return None

    def _lookup_world(self, surface: str, country: str | None) -> Entity | None:
        """A country by name or adjective, else a city, unless the name is a known actor's."""
        found = self.world.country(surface)
        if found is not None or self._names_an_actor(surface, translit_key(surface)):
            return found  # "Hamas" asked for as a place is still not a town abroad
        return self.world.city(surface, country)

    def _pick(
        self, forms: list[_Form] | None, kind: Kind | None, country: str | None, *, exact: bool = True
    ) -> Entity | None:
        """The best of the entities a spelling names: of the kind asked for, in the report's country
        when several places share the name, the one whose canonical name it is, else the first.
        A key (``exact=False``) that names several entities none of which it is the name of is
        ambiguous ('al-Assad' the president, 'al-Asad' the base): it names none of them."""
        if not forms:
            return None
        if kind is not None:
            forms = [f for f in forms if self.entities[f.entity_id].is_place == (kind == "place")]
        if country is not None:
            local = [f for f in forms if self.entities[f.entity_id].is_place
                     and self.entities[f.entity_id].country == country]
            forms = local or forms
        if not forms:
            return None
        if not exact and not forms[0].is_name and len({f.entity_id for f in forms}) > 1:
            return None
        return self.entities[forms[0].entity_id]

    def _names_an_actor(self, surface: str, key: str) -> bool:
        """True for the name of a group or person; not for a capital that stands for its state
        (Cairo, Ankara), which is still a city when a place is asked for."""
        forms = self._exact.get(surface, []) + self._folded.get(surface.casefold(), []) + self._key_forms(key, surface)
        return any(self.entities[f.entity_id].type not in ("state", *PLACE_TYPES) for f in forms)

    @cached_property
    def _fuzzy_choices(self) -> list[str]:
        return [k for k in self._keys if len(k) >= _FUZZY_MIN_TOKEN]

    def _fuzzy(self, key: str, kind: Kind | None, country: str | None) -> Entity | None:
        """A misspelling of exactly one known name, or nothing: candidates come from rapidfuzz, then
        each must pass :func:`_fuzzy_compatible`, and if they point at different entities none wins."""
        if len(key) < _FUZZY_MIN_TOKEN:
            return None
        found: dict[str, Entity] = {}
        for candidate, _score, _ in process.extract(
            key, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=80, limit=8
        ):
            if _fuzzy_compatible(key, candidate):
                entity = self._pick(self._keys[candidate], kind, country, exact=False)
                if entity is not None:
                    found[entity.id] = entity
        return next(iter(found.values())) if len(found) == 1 else None


def _add(index: dict[str, list[_Form]], surface: str, form: _Form) -> None:
    forms = index.setdefault(surface, [])
    if form not in forms:
        forms.append(form)


def _spellings(entity: Entity) -> Iterator[tuple[str, bool]]:
    seen: set[str] = set()
    for surface in (entity.name, *entity.aliases):
        if surface not in seen:
            seen.add(surface)
            yield surface, is_case_sensitive(surface)


def _cue_type(words: Sequence[str]) -> str | None:
    for entity_type, cues in _TYPE_CUES:
        if any(w in cues for w in words):
            return entity_type
    return None


def _neighbours(name: str, context: str) -> list[str]:
    """The words just before and after the name in its sentence, nearest first."""
    at = context.find(name)
    if at < 0:
        return []
    before = re.findall(r"[^\W\d_]+", context[:at].casefold())[-_PROVISIONAL_WINDOW:]
    after = re.findall(r"[^\W\d_]+", context[at + len(name):].casefold())[:_PROVISIONAL_WINDOW]
    nearest: list[str] = []
    for i in range(_PROVISIONAL_WINDOW):
        if i < len(after):
            nearest.append(after[i])
        if i < len(before):
            nearest.append(before[-1 - i])
    return nearest


# --- loading ----------------------------------------------------------------------------------


@cache
def _shipped() -> Gazetteer:
    return _build(())


def _build(extra: tuple[Path, ...]) -> Gazetteer:
    data = resources.files("trucewatch").joinpath("data")
    documents = [(f"{name} (shipped)", data.joinpath(name).read_text(encoding="utf-8")) for name in SHIPPED_FILES]
    for path in extra:
        try:
            documents.append((str(path), path.read_text(encoding="utf-8")))
        except OSError as e:
            raise GazetteerError(f"{path}: cannot read gazetteer file: {e.strerror}") from e
    entities: dict[str, Entity] = {}
    country_notes: dict[str, dict[str, Any]] = {}
    stop: set[str] = set()
    shipped_count = len(entities)
    for n, (source, text) in enumerate(documents):
        if n == len(SHIPPED_FILES):
            shipped_count = len(entities)
        data = _parse(source, text)
        for number, record in enumerate(data.get("entities") or [], 1):
            _merge_record(entities, _entity(source, number, record))
        for code, note in (data.get("countries") or {}).items():
            country_notes.setdefault(str(code).upper(), {}).update(note)
        stop.update(data.get("world_stop") or [])
    _check_relations(entities)
    # The user's new records go first, so that a spelling they share with a shipped record (a file
    # for another war giving "parliament" to its own legislature) resolves to the user's record.
    items = list(entities.items())
    ordered = dict(items[shipped_count:] + items[:shipped_count])
    return Gazetteer(ordered, country_notes, frozenset(plain_key(s) for s in stop))


def _parse(source: str, text: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        raise GazetteerError(f"{source}: not valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise GazetteerError(f"{source}: expected a mapping with 'version' and 'entities'")
    if data.get("version") != SUPPORTED_VERSION:
        raise GazetteerError(f"{source}: version {data.get('version')!r} is not supported (expected {SUPPORTED_VERSION})")
    unknown = set(data) - _DOCUMENT_FIELDS
    if unknown:
        raise GazetteerError(f"{source}: unknown sections {sorted(unknown)} (expected {sorted(_DOCUMENT_FIELDS)})")
    return data


def _entity(source: str, number: int, record: Any) -> Entity:
    where = f"{source}: entity {number}"
    if not isinstance(record, dict):
        raise GazetteerError(f"{where}: expected a mapping")
    unknown = set(record) - _RECORD_FIELDS
    if unknown:
        raise GazetteerError(f"{where} ({record.get('id')}): unknown fields {sorted(unknown)}")
    if not record.get("id"):
        raise GazetteerError(f"{where}: no id")
    values = {f.name: record[f.name] for f in fields(Entity) if f.name in record}
    values.setdefault("name", "")  # an update of a known id may give only what it changes
    values.setdefault("type", "")
    if values["type"] and values["type"] not in ENTITY_TYPES:
        raise GazetteerError(f"{where} ({record['id']}): unknown type {values['type']!r}")
    for axis, limit in (("lat", 90), ("lon", 180)):
        value = values.get(axis)
        if value is not None and (not isinstance(value, int | float) or abs(value) > limit):
            raise GazetteerError(f"{where} ({record['id']}): {axis} must be a number within ±{limit}")
    values["aliases"] = [str(a) for a in record.get("aliases") or []]
    values["relations"] = list(record.get("relations") or [])
    for relation in values["relations"]:
        if not isinstance(relation, dict) or relation.get("type") not in RELATION_TYPES or not relation.get("target"):
            raise GazetteerError(f"{where} ({record['id']}): bad relation {relation!r}")
        for end in ("from", "to"):
            if end in relation:
                relation[end] = str(relation[end])
    return Entity(**values)


def _merge_record(entities: dict[str, Entity], new: Entity) -> None:
    """A known id is updated (given fields replace, aliases and relations add); a new id is added."""
    old = entities.get(new.id)
    if old is None:
        if not new.name or not new.type:
            raise GazetteerError(f"entity {new.id}: a new entity needs a name and a type")
        entities[new.id] = new
        return
    for f in ("name", "type", "country", "province", "lat", "lon"):
        value = getattr(new, f)
        if value is not None and value != "":
            setattr(old, f, value)
    old.aliases.extend(a for a in new.aliases if a not in old.aliases)
    old.relations.extend(r for r in new.relations if r not in old.relations)


def _check_relations(entities: dict[str, Entity]) -> None:
    for entity in entities.values():
        for relation in entity.relations:
            if relation["target"] not in entities:
                raise GazetteerError(f"entity {entity.id}: relation to unknown id {relation['target']!r}")
