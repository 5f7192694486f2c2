"""The extractor's word lists, loaded once from ``data/lexicon.yaml`` into frozen sets."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import yaml


def _words(values: list[str]) -> frozenset[str]:
    return frozenset(v.lower() for v in values)


def _phrases(values: list[str]) -> tuple[tuple[str, ...], ...]:
    """Multi-word entries as token tuples, longest first so that the longest match wins."""
    out = {tuple(v.lower().replace("-", " - ").split()) for v in values}
    return tuple(sorted(out, key=len, reverse=True))


@dataclass(frozen=True)
class Lexicon:  # frozen, with cached_property: computed once on first use
    attack_nouns: frozenset[str]
    strike_nouns: frozenset[str]
    force_verbs: frozenset[str]
    weapon_only_verbs: frozenset[str]
    not_force_before: frozenset[str]
    not_force_after: frozenset[str]
    modes: dict[str, tuple[tuple[str, ...], ...]]
    negation: frozenset[str]
    hypothetical: frozenset[str]
    generic: frozenset[str]
    ceasefire_nouns: tuple[tuple[str, ...], ...]
    halt_verbs: frozenset[str]
    end_phrases: tuple[tuple[str, ...], ...]
    condition_markers: tuple[tuple[str, ...], ...]
    inclusive_markers: tuple[tuple[str, ...], ...]
    mediator_markers: tuple[tuple[str, ...], ...]
    mediator_after: tuple[tuple[str, ...], ...]
    obligation: tuple[tuple[str, ...], ...]
    demand_verbs: tuple[tuple[str, ...], ...]
    demand_objects: frozenset[str]
    demand_nouns: tuple[tuple[str, ...], ...]
    threat_verbs: frozenset[str]
    threat_force: tuple[tuple[str, ...], ...]
    threat_statements: tuple[tuple[str, ...], ...]
    troop_verbs: tuple[tuple[str, ...], ...]
    troop_nouns: tuple[tuple[str, ...], ...]
    reporting_verbs: frozenset[str]
    labour: frozenset[str]
    economy: frozenset[str]

    @cached_property
    def halted_words(self) -> frozenset[str]:
        """What a halt verb must stop for a truce: "halt attacks", "suspend operations", "cease fire"."""
        return self.attack_nouns | self.strike_nouns | self.force_verbs | frozenset(
            {"attacking", "operations", "activity", "activities", "hostilities", "fire", "fighting", "target",
             "targeting"})

    @cached_property
    def trigger_words(self) -> frozenset[str]:
        """Every word that can start or carry a mention: a sentence with none of them reports nothing."""
        words: set[str] = set(self.attack_nouns | self.strike_nouns | self.force_verbs | self.weapon_only_verbs
                              | self.halt_verbs | self.threat_verbs | self.demand_objects)
        for phrases in (self.ceasefire_nouns, self.end_phrases, self.demand_verbs, self.demand_nouns,
                        self.threat_statements, self.troop_verbs, *self.modes.values()):
            words.update(p[0] for p in phrases)
        words.update({"not", "n't", "refrained", "refrain", "refraining", "action", "actions", "agreement", "deal",
                      "accord", "pact", "arrangement", "happened", "occurred", "target", "targets", "would", "will",
                      "'ll", "stop", "stopped", "halt", "halted", "end", "cease", "ceased"})
        return frozenset(words)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    raw: dict[str, Any] = yaml.safe_load(
        resources.files("trucewatch.data").joinpath("lexicon.yaml").read_text(encoding="utf-8"))
    force, cf = raw["force"], raw["ceasefire"]
    return Lexicon(
        attack_nouns=_words(force["nouns"]["attack"]),
        strike_nouns=_words(force["nouns"]["strike"]),
        force_verbs=_words(force["verbs"]),
        weapon_only_verbs=_words(force["weapon_only_verbs"]),
        not_force_before=_words(force["not_force_before"]),
        not_force_after=_words(force["not_force_after"]),
        modes={mode: _phrases(words) for mode, words in raw["modes"].items()},
        negation=_words(raw["negation"]),
        hypothetical=_words(raw["hypothetical"]),
        generic=_words(raw["generic"]),
        ceasefire_nouns=_phrases(cf["nouns"]),
        halt_verbs=_words(cf["halt_verbs"]),
        end_phrases=_phrases(cf["end_phrases"]),
        condition_markers=_phrases(cf["condition_markers"]),
        inclusive_markers=_phrases(cf["inclusive_markers"]),
        mediator_markers=_phrases(cf["mediator_markers"]),
        mediator_after=_phrases(cf["mediator_after"]),
        obligation=_phrases(cf["obligation"]),
        demand_verbs=_phrases(raw["demand"]["verbs"]),
        demand_objects=_words(raw["demand"]["objects"]),
        demand_nouns=_phrases(raw["demand"]["nouns"]),
        threat_verbs=_words(raw["threat"]["verbs"]),
        threat_force=_phrases(raw["threat"]["force"]),
        threat_statements=_phrases(raw["threat"]["statements"]),
        troop_verbs=_phrases(raw["troop_change"]["verbs"]),
        troop_nouns=_phrases(raw["troop_change"]["troops"]),
        reporting_verbs=_words(raw["reporting_verbs"]),
        labour=_words(raw["labour"]),
        economy=_words(raw["economy"]),
    )


@lru_cache(maxsize=256)
def _by_first_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases indexed by their first word, longest first: a token that starts no phrase costs
    one dictionary lookup (this is the extractor's hottest loop)."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        index.setdefault(p[0], []).append(p)
    return {w: tuple(sorted(ps, key=len, reverse=True)) for w, ps in index.items()}


def find_phrases(lower: list[str], phrases: tuple[tuple[str, ...], ...], lo: int = 0,
                 hi: int | None = None) -> list[tuple[int, int]]:
    """(start, end) token spans of the phrases in lower[lo:hi], leftmost-longest, non-overlapping."""
    hi = len(lower) if hi is None else hi
    index = _by_first_word(phrases)
    if index.keys().isdisjoint(lower[lo:hi] if lo or hi < len(lower) else lower):
        return []  # most sentences start none of the phrases: one set test in C, no Python loop
    out: list[tuple[int, int]] = []
    i = lo
    while i < hi:
        for p in index.get(lower[i], ()):
            n = len(p)
            if i + n <= hi and (n == 1 or tuple(lower[i:i + n]) == p):
                out.append((i, i + n))
                i += n
                break
        else:
            i += 1
    return out
