"""The accuracy of extracted events against gold events, by the annotation schema's rules.

A predicted event matches a gold event of the same report when the types are equal, the dates are
compatible (equal, one a prefix of the other, or either unknown), and either one of actor, target and
place shares a name or the evidence sentences share at least half of the words of the shorter. Matching is
one to one, best pairs (most attributes agreeing) first. Event F1 counts matches; strict F1 counts the
matches whose actor, target, place and date also agree (names compared as sets that agree when they share
at least half of their union; the two sides of a truce compared unordered). These are the rules of the
corpus's scorer (``tools/score.py`` beside the corpora), restated here so that the training corpus shipped
in the repository can be scored without it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from trucewatch.learn.corpus import NAME_STOPWORDS, Names, agree

TYPES = ("attack", "strike", "ceasefire", "ceasefire_end", "demand", "threat", "troop_change")
ENTITY_FIELDS = ("actor", "target", "location")
ATTRIBUTES = ("mode", "actor", "target", "location", "country", "date", "killed", "injured")
STRICT = ("actor", "target", "location", "date")


def _words(text: object) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", str(text or "").casefold())) - NAME_STOPWORDS


def _dates_compatible(a: object, b: object) -> bool:
    if not a or not b:
        return True
    x, y = str(a), str(b)
    return x.startswith(y) or y.startswith(x)


def same(names: Names, field_name: str, p: Mapping[str, Any], g: Mapping[str, Any]) -> bool:
    """Whether a predicted and a gold event agree on one attribute."""
    if field_name in ("actor", "target") and g.get("type") in ("ceasefire", "ceasefire_end"):
        sides = lambda e: names.keys(e.get("actor"), "actor") | names.keys(e.get("target"), "target")  # noqa: E731
        return agree(sides(p), sides(g))
    if field_name in ENTITY_FIELDS or field_name == "country":
        return agree(names.keys(p.get(field_name), field_name), names.keys(g.get(field_name), field_name))
    pv, gv = p.get(field_name), g.get(field_name)
    if field_name in ("killed", "injured"):
        try:
            return (None if pv is None else int(pv)) == (None if gv is None else int(gv))
        except (TypeError, ValueError):
            return False
    if field_name == "mode":
        return (pv or None) == (gv or None)
    return (str(pv) if pv else None) == (str(gv) if gv else None)


def compatible(names: Names, p: Mapping[str, Any], g: Mapping[str, Any]) -> bool:
    if p.get("type") != g.get("type") or not _dates_compatible(p.get("date"), g.get("date")):
        return False
    for f in ENTITY_FIELDS:
        if names.keys(g.get(f), f) & names.keys(p.get(f), f):
            return True
    gw, pw = _words(g.get("evidence")), _words(p.get("evidence"))
    return bool(gw and pw) and len(gw & pw) / min(len(gw), len(pw)) >= 0.5


def match(names: Names, preds: Sequence[Mapping[str, Any]], golds: Sequence[Mapping[str, Any]]
          ) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    pairs = []
    for i, p in enumerate(preds):
        for j, g in enumerate(golds):
            if compatible(names, p, g):
                pairs.append((sum(same(names, a, p, g) for a in ATTRIBUTES), i, j))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _, i, j in sorted(pairs, reverse=True):
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            out.append((preds[i], golds[j]))
    return out


@dataclass
class Score:
    """Counts over many reports; figures are computed from them."""

    gold: Counter[str] = field(default_factory=Counter)
    pred: Counter[str] = field(default_factory=Counter)
    tp: Counter[str] = field(default_factory=Counter)
    strict: Counter[str] = field(default_factory=Counter)
    attr_ok: Counter[str] = field(default_factory=Counter)
    attr_n: Counter[str] = field(default_factory=Counter)
    condition_recall: list[float] = field(default_factory=list)

    def add(self, names: Names, preds: Iterable[Mapping[str, Any]], golds: Iterable[Mapping[str, Any]]) -> None:
        p_list = [p for p in preds if p.get("type") in TYPES]
        g_list = [g for g in golds if g.get("type") in TYPES]
        self.gold.update(g["type"] for g in g_list)
        self.pred.update(p["type"] for p in p_list)
        for p, g in match(names, p_list, g_list):
            self.tp[g["type"]] += 1
            ok = {a: same(names, a, p, g) for a in ATTRIBUTES}
            for a, good in ok.items():
                self.attr_n[a] += 1
                self.attr_ok[a] += good
            if all(ok[a] for a in STRICT):
                self.strict[g["type"]] += 1
            if g["type"] == "ceasefire" and g.get("conditions"):
                gw = _words(" ".join(g["conditions"]))
                pw = _words(" ".join(p.get("conditions") or []))
                self.condition_recall.append(len(gw & pw) / len(gw) if gw else 1.0)

    def merge(self, other: Score) -> None:
        for name in ("gold", "pred", "tp", "strict", "attr_ok", "attr_n"):
            getattr(self, name).update(getattr(other, name))
        self.condition_recall += other.condition_recall

    @staticmethod
    def _f1(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
        p = tp / n_pred if n_pred else 0.0
        r = tp / n_gold if n_gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def figures(self) -> dict[str, Any]:
        """Precision, recall, event F1, strict F1, attribute accuracies, per-type figures."""
        p, r, f = self._f1(sum(self.tp.values()), sum(self.pred.values()), sum(self.gold.values()))
        _, _, sf = self._f1(sum(self.strict.values()), sum(self.pred.values()), sum(self.gold.values()))
        out: dict[str, Any] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                               "strict_f1": round(sf, 3), "gold": sum(self.gold.values()),
                               "pred": sum(self.pred.values())}
        out["attributes"] = {a: round(self.attr_ok[a] / self.attr_n[a], 3) if self.attr_n[a] else None
                             for a in ATTRIBUTES}
        out["types"] = {}
        for t in TYPES:
            p_t, r_t, f_t = self._f1(self.tp[t], self.pred[t], self.gold[t])
            out["types"][t] = {"precision": round(p_t, 3), "recall": round(r_t, 3), "f1": round(f_t, 3),
                               "gold": self.gold[t], "pred": self.pred[t]}
        out["condition_recall"] = (round(sum(self.condition_recall) / len(self.condition_recall), 3)
                                   if self.condition_recall else None)
        return out
