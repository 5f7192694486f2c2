"""Who stands with whom: the sides of a truce, read from event names and the gazetteer's relations.

An event names its actor and target by canonical name ("Kataib Hezbollah", "United States; Iraqi
government"). Whether an attacker is a party to a truce is a question about the entities behind
those names: Kataib Hezbollah is a member of the Coordination Committee of the Iraqi Resistance, a
little-known front stands for the Iran-backed militias, the US-led coalition is the United States'
side. :class:`Actors` answers these questions from the gazetteer's ``member_of``, ``front_for``,
``part_of`` and ``backed_by`` relations, and finds the names a condition's words bind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from trucewatch.ledger.lexicon import normalise
from trucewatch.models import Entity
from trucewatch.resolve.names import Gazetteer

STATE_TYPES = frozenset({"state", "state force"})
# Memberships that put a group on another's side; part_of only puts state bodies on their state's
# side (a parliament is part of its government), because the PMF being "part of" the Iraqi state
# does not make its factions the Iraqi government.
_GROUP_LINKS = frozenset({"member_of", "front_for"})
_STATE_LINKS = frozenset({"part_of"})
_SPEAKS_FOR = ("leader_of", "spokesman_of", "member_of")
_GOVERNMENT_WORDS = re.compile(r"\b(?:(?i:government|prime minister|premier|cabinet)|PM)\b")


def split_names(joined: str | None) -> list[str]:
    """The names of an event field that joins several with "; "."""
    return [n.strip() for n in (joined or "").split(";") if n.strip()]


def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", name.casefold()).strip("-")


class Actors:
    """Entities behind the canonical names of events, and the relations between them."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._by_name: dict[str, Entity] = {}
        self._names: re.Pattern[str] | None = None
        self._surfaces: dict[str, Entity] = {}
        # Sides asked about again and again while reports are clustered into truces, by entity id: the
        # gazetteer does not change during a build, so neither do the answers.
        self._memberships: dict[str, dict[str, Entity]] = {}
        self._same_side: dict[tuple[str, str], bool] = {}

    # ---- names -> entities ----------------------------------------------------------------------

    def entity(self, name: str) -> Entity:
        """The gazetteer entity of a canonical name, else a provisional one (an unknown group)."""
        found = self._by_name.get(name)
        if found is None:
            found = self.gazetteer.by_name(name) or Entity(
                id=f"provisional-{_slug(name)}", name=name, type="unknown", provisional=True)
            self._by_name[name] = found
        return found

    def entities(self, joined: str | None) -> list[Entity]:
        """The entities of a "; "-joined field, persons replaced by the body they lead or speak for."""
        out: list[Entity] = []
        for name in split_names(joined):
            e = self.body(self.entity(name))
            if all(e.id != o.id for o in out):
                out.append(e)
        return out

    def body(self, e: Entity) -> Entity:
        """A person stands for the organisation or state they lead, speak for or belong to."""
        if e.type != "person":
            return e
        for kind in _SPEAKS_FOR:
            for rel in e.relations:
                if rel.get("type") == kind and rel.get("target") in self.gazetteer.entities:
                    return self.gazetteer.entities[rel["target"]]
        return e

    def named_in(self, text: str) -> list[Entity]:
        """The actors (not places) whose names or aliases occur in ``text``, in order, each once."""
        return [e for _, e in self._named_at(text)]

    def _named_at(self, text: str) -> list[tuple[int, Entity]]:
        out: list[tuple[int, Entity]] = []
        for m in self._name_pattern().finditer(normalise(text)):
            surface = m.group(0)
            e = self._surfaces.get(surface) or self._surfaces.get(surface.casefold())
            if e is not None:
                e = self.body(e)
                if all(e.id != o.id for _, o in out):
                    out.append((m.start(), e))
        return out

    def _name_pattern(self) -> re.Pattern[str]:
        """One alternation of every actor spelling, longest first, built on first use."""
        if self._names is None:
            folded: list[str] = []
            exact: list[str] = []
            for surface, entity, case_sensitive in self.gazetteer.surface_forms():
                if entity.is_place:
                    continue
                if case_sensitive:
                    self._surfaces.setdefault(surface, entity)
                    exact.append(surface)
                else:
                    self._surfaces.setdefault(surface.casefold(), entity)
                    folded.append(surface)
            parts = [re.escape(s) for s in sorted(folded, key=len, reverse=True)]
            exact_parts = [re.escape(s) for s in sorted(exact, key=len, reverse=True)]
            self._names = re.compile(
                r"(?<![\w-])(?:(?i:" + "|".join(parts) + r")|" + "|".join(exact_parts) + r")(?![\w-])")
        return self._names

    def government_of(self, country: str | None) -> Entity | None:
        """The government of a country as the gazetteer names it ("Iraqi government" for Iraq)."""
        if not country:
            return None
        found = [e for e in self.gazetteer.entities.values()
                 if e.type == "state" and e.country == country and e.name.lower().endswith("government")]
        # The national government, not a regional one: its name is the shortest.
        return min(found, key=lambda e: len(e.name)) if found else None

    def bound_by(self, condition: str, countries: Iterable[str]) -> Entity | None:
        """Who a condition's words put the obligation on: the first actor it names, or the government
        of the truce's country when "the government" or "the prime minister" comes first ("if the
        prime minister did not move to expel the US troops")."""
        named = self._named_at(condition)
        said = _GOVERNMENT_WORDS.search(condition)
        if said is not None and (not named or said.start() < named[0][0]):
            government = next((g for c in countries if (g := self.government_of(c)) is not None), None)
            if government is not None:
                return government
        return named[0][1] if named else None

    # ---- relations ------------------------------------------------------------------------------

    @staticmethod
    def is_state_side(e: Entity) -> bool:
        """States, their forces, and coalitions of state militaries ("US-led coalition")."""
        return e.type in STATE_TYPES or (e.type == "umbrella group" and "-led coalition" in e.name.lower())

    @staticmethod
    def is_mediator_kind(e: Entity) -> bool:
        """International organisations broker truces; they are never a side of one."""
        return e.type == "international organisation"

    def memberships(self, e: Entity) -> dict[str, Entity]:
        """``e`` and every body it is a member, front or (for state bodies) part of, three steps up."""
        found = self._memberships.get(e.id)
        if found is None:
            found = self._memberships[e.id] = self._walk_memberships(e)
        return found

    def _walk_memberships(self, e: Entity) -> dict[str, Entity]:
        seen: dict[str, Entity] = {e.id: e}
        frontier = [e]
        for _ in range(3):
            nxt: list[Entity] = []
            for x in frontier:
                links = _GROUP_LINKS if not self.is_state_side(x) else _STATE_LINKS
                for rel in x.relations:
                    target = self.gazetteer.entities.get(rel.get("target", ""))
                    if rel.get("type") in links and target is not None and target.id not in seen:
                        seen[target.id] = target
                        nxt.append(target)
            frontier = nxt
        return seen

    @staticmethod
    def is_front(e: Entity) -> bool:
        """A name used by a larger group ("Saraya Awliya al-Dam" for the Iran-backed militias)."""
        return any(r.get("type") == "front_for" for r in e.relations)

    @staticmethod
    def _generic(e: Entity) -> bool:
        """A description standing for unnamed groups ("Iran-backed Iraqi militias")."""
        return e.name.lower().endswith(("militias", "groups", "factions", "parties"))

    @staticmethod
    def _sponsors(e: Entity) -> set[str]:
        return {r["target"] for r in e.relations if r.get("type") == "backed_by" and r.get("target")}

    def same_side(self, a: Entity, b: Entity) -> bool:
        """Whether ``a`` and ``b`` stand on one side: the same body, one a member, front or part of the
        other (or both of a third), a coalition and the state that leads it, or a generic description
        of groups and a group of that description (same sponsor and country, both non-state)."""
        if a.id == b.id:
            return True
        key = (a.id, b.id)
        found = self._same_side.get(key)
        if found is None:
            found = self._same_side[key] = self._same_side_of(a, b)
        return found

    def _same_side_of(self, a: Entity, b: Entity) -> bool:
        up_a, up_b = self.memberships(a), self.memberships(b)
        if up_a.keys() & up_b.keys():
            return True
        if self.is_state_side(a) and self.is_state_side(b):
            return b.id in self._sponsors(a) or a.id in self._sponsors(b)
        for x in up_a.values():
            for y in up_b.values():
                if self.is_state_side(x) or self.is_state_side(y):
                    continue
                if x.country and y.country and x.country != y.country:
                    continue  # Iraqi militias and Lebanon's Hezbollah share a sponsor, not a side
                if (self._generic(x) or self._generic(y)) and self._sponsors(x) & self._sponsors(y):
                    return True
        return False

    def any_same_side(self, xs: Iterable[Entity], ys: Iterable[Entity]) -> bool:
        ys = list(ys)
        return any(self.same_side(x, y) for x in xs for y in ys)
