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

The keys themselves are :mod:`~trucewatch.resolve.spelling_keys`, the reading and checking of gazetteer
files :mod:`~trucewatch.resolve.gazetteer_check`, and the typing of unknown names
:mod:`~trucewatch.resolve.provisional`; their public names are also importable from here, where callers
have always found them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import fuzz, process

from trucewatch.models import PLACE_TYPES, Entity
from trucewatch.resolve.gazetteer_check import (  # noqa: F401  (re-exported, see above)
    ENTITY_TYPES,
    RELATION_TYPES,
    SUPPORTED_VERSION,
    read_files,
)
from trucewatch.resolve.provisional import ARABIC_GROUP_HEADS, describes_groups, provisional_entity  # noqa: F401  (re-exported)
from trucewatch.resolve.spelling_keys import (  # noqa: F401  (re-exported)
    FUZZY_MIN_TOKEN,
    GENERIC_HEAD_KEYS,
    fold_ascii,
    fold_token,
    fuzzy_compatible,
    is_case_sensitive,
    plain_key,
    plain_words,
    same_spelling_family,
    slug,
    translit_key,
)
from trucewatch.resolve.world import World

Kind = Literal["actor", "place"]

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
        return provisional_entity(surface, context)

    def sponsored_in(self, e: Entity, country: str) -> Entity:
        """The country's own entity for a description of sponsored groups: "Iran-backed militias" in
        Iraq are "Iran-backed Iraqi militias" (same sponsor, that country), when the gazetteer has it;
        else ``e`` itself."""
        if e.country or not describes_groups(e):
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
            if x.country and describes_groups(x):
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
        key = " ".join(fold_token(w) for w in words)
        found = self._pick(self._key_forms(key, surface), kind, country, exact=False)
        if found is not None:
            return found
        if len(words) > 1 and fold_token(words[-1]) in GENERIC_HEAD_KEYS:
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
        return [k for k in self._keys if len(k) >= FUZZY_MIN_TOKEN]

    def _fuzzy(self, key: str, kind: Kind | None, country: str | None) -> Entity | None:
        """A misspelling of exactly one known name, or nothing: candidates come from rapidfuzz, then
        each must pass :func:`fuzzy_compatible`, and if they point at different entities none wins."""
        if len(key) < FUZZY_MIN_TOKEN:
            return None
        found: dict[str, Entity] = {}
        for candidate, _score, _ in process.extract(
            key, self._fuzzy_choices, scorer=fuzz.ratio, score_cutoff=80, limit=8
        ):
            if fuzzy_compatible(key, candidate):
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


# --- loading ----------------------------------------------------------------------------------


@cache
def _shipped() -> Gazetteer:
    return _build(())


def _build(extra: tuple[Path, ...]) -> Gazetteer:
    data = read_files(extra)
    return Gazetteer(data.entities, data.country_notes, frozenset(plain_key(s) for s in data.world_stop))
