"""Training every model of the extractor from annotated reports, and cross-validating it by report.

``train_models`` turns aligned reports (:mod:`trucewatch.learn.samples`) into one sample set per decision
and fits each (seeded logistic regression, :mod:`trucewatch.learn.fit`). ``cross_validate`` splits the
reports into k folds (by report, seeded), trains on k-1, extracts the held-out fold with the same code as
ingestion, and scores it by the schema's rules (:mod:`trucewatch.learn.score`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from trucewatch.extract import features as F
from trucewatch.extract import timing, tolls
from trucewatch.extract.arguments import candidates
from trucewatch.extract.extractor import FORCE, Extractor
from trucewatch.extract.models import MODEL_NAMES, Models
from trucewatch.learn.corpus import Names
from trucewatch.learn.fit import SEED, fit
from trucewatch.learn.linear import LinearModel
from trucewatch.learn.samples import AlignedDoc, anchor_for, rementions, role_label, role_samples, trigger_samples
from trucewatch.learn.score import Score

Samples = tuple[list[list[str]], list[str]]
# Regularisation of each model (inverse strength), chosen by cross-validation.
C = {name: 0.5 for name in MODEL_NAMES}


@dataclass
class SampleSets:
    """Features and labels of every decision, gathered from aligned reports."""

    sets: dict[str, tuple[list[list[str]], list[str]]] = field(
        default_factory=lambda: {name: ([], []) for name in MODEL_NAMES})

    def add(self, name: str, features: list[str], label: str) -> None:
        xs, ys = self.sets[name]
        xs.append(features)
        ys.append(label)


def _aligned_events(doc: AlignedDoc) -> Iterator[tuple[dict, int]]:
    for e, k in zip(doc.gold, doc.sentence_of, strict=True):
        if k is not None and doc.reading.sentences[k].triggers:
            yield e, k


def gather(docs: Sequence[AlignedDoc], names: Names) -> SampleSets:
    """The training samples of every model from these reports."""
    out = SampleSets()
    for doc in docs:
        r = doc.reading
        n = len(r.sentences)
        reporting = {k for k in doc.sentence_of if k is not None}
        again = rementions(doc, names)
        for s in r.sentences:
            if s.triggers and (s.idx in reporting or s.idx not in again):
                out.add("sentence", F.selection_features(r.sentences, s), "1" if s.idx in reporting else "0")
        for f, y in trigger_samples(doc, names):
            out.add("event_type", f, y)
        for f, y in role_samples(doc, names):
            out.add("roles", f, y)
        dates = timing.Dates(r.reference)
        for e, k in _aligned_events(doc):
            s = r.sentences[k]
            anchor = anchor_for(s, e["type"])
            if anchor is None:
                continue
            gold_date = e.get("date")
            found = timing.timexes(s, r.reference)
            valued = [t for t in found if t.expr.value]
            for t in valued:
                out.add("date", timing.timex_features(s, anchor, t, r.reference),
                        "1" if t.expr.value == gold_date else "0")
            stated = any(t.expr.value == gold_date for t in valued)
            if not stated:
                kind = _fallback_kind(gold_date, dates)
                if kind is not None:
                    out.add("date_fallback", timing.fallback_features(
                        s, anchor, e["type"], n, r.dateline is not None, bool(valued), dates), kind)
            dates = dates.after(gold_date, stated)
            if e["type"] in FORCE:
                roles = {}
                for c in candidates(r.sentences, s, anchor):
                    roles.setdefault(role_label(c.mention, e, names), []).append(c.mention)
                out.add("force_type", F.force_features(s, anchor, roles.get("actor", []), roles.get("target", [])),
                        e["type"])
                for num in tolls.numbers(s, timing.blocked_tokens(s, found)):
                    label = "killed" if num.value == e.get("killed") else \
                        "injured" if num.value == e.get("injured") else "none"
                    out.add("toll", tolls.number_features(s, anchor, num), label)
                if e.get("mode"):
                    out.add("mode", F.mode_features(s, anchor), e["mode"])
            out.add("background", F.background_features(s, anchor, e["type"], gold_date, r.reference),
                    "1" if e.get("background") else "0")
    return out


def _fallback_kind(gold: str | None, dates: timing.Dates) -> str | None:
    if gold is None:
        return "none"
    ref = dates.reference.isoformat() if dates.reference is not None else None
    if ref and gold == ref:
        return "day"
    if ref and gold == ref[:7]:
        return "month"
    if dates.previous and gold == dates.previous:
        return "previous"
    if dates.lead and gold == dates.lead:
        return "lead"
    return None  # dated by something the models cannot see (another sentence's words)


def train_models(docs: Sequence[AlignedDoc], names: Names, c: dict[str, float] | None = None) -> Models:
    """Every model of the extractor, fitted on these reports; the event-type model carries the probability
    each type needs to be reported, chosen by cross-validation inside these reports (``thresholds``)."""
    sets = gather(docs, names).sets
    params = {**C, **(c or {})}
    fitted: dict[str, LinearModel] = {}
    for name in MODEL_NAMES:
        xs, ys = sets[name]
        fitted[name] = fit(name, xs, ys, c=params[name])
    fitted["event_type"].trained["thresholds"] = detection_thresholds(docs, names, params["event_type"])
    return Models.of(fitted)


THRESHOLD_GRID = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75)


def detection_thresholds(docs: Sequence[AlignedDoc], names: Names, c: float, k: int = 3) -> dict[str, float]:
    """For each label of the event-type model, the probability above which a sentence best reports an
    event of it: held-out probabilities (k folds by report) against the gold sentences, maximising F1."""
    scored: dict[str, list[tuple[float, bool]]] = {}
    for held in folds(len(docs), k):
        held_set = set(held)
        xs, ys = [], []
        for j, d in enumerate(docs):
            if j not in held_set:
                for f, y in trigger_samples(d, names):
                    xs.append(f)
                    ys.append(y)
        model = fit("event_type", xs, ys, c=c)
        for j in held:
            d = docs[j]
            gold: dict[int, set[str]] = {}
            for e, s_idx in zip(d.gold, d.sentence_of, strict=True):
                if s_idx is not None:
                    gold.setdefault(s_idx, set()).add("force" if e["type"] in FORCE else e["type"])
            again = {k: {"force" if x in FORCE else x for x in v} for k, v in rementions(d, names).items()}
            for s in d.reading.sentences:
                if not s.triggers:
                    continue
                context = F.sentence_features(d.reading.sentences, s)
                best: dict[str, float] = {}
                for t in s.triggers:
                    for label, p in model.proba(F.trigger_features(s, t) + context).items():
                        best[label] = max(best.get(label, 0.0), p)
                for label, p in best.items():
                    positive = label in gold.get(s.idx, set())
                    if label != "none" and (positive or label not in again.get(s.idx, set())):
                        # A second mention of a gold event is no error: it joins the event.
                        scored.setdefault(label, []).append((p, positive))
    out = {}
    for label, pairs in scored.items():
        n_gold = sum(g for _, g in pairs)

        def f1(th: float, pairs: list[tuple[float, bool]] = pairs, n_gold: int = n_gold) -> float:
            tp = sum(1 for p, g in pairs if p >= th and g)
            n_pred = sum(1 for p, _ in pairs if p >= th)
            return 2 * tp / (n_pred + n_gold) if n_pred + n_gold else 0.0

        out[label] = max(THRESHOLD_GRID, key=f1)
    return out


def folds(n: int, k: int, seed: int = SEED) -> list[list[int]]:
    """Report indices split into k folds, seeded."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [sorted(order[i::k]) for i in range(k)]


def cross_validate(docs: Sequence[AlignedDoc], names: Names, extractor: Extractor, k: int = 5,
                   c: dict[str, float] | None = None,
                   progress: Callable[[str], None] | None = None) -> tuple[Score, dict[str, Score]]:
    """Train on k-1 folds, extract the held-out one, and score; the total and the score of each kind of
    batch (the batch name without its number: ``fakes``, ``w``, ...)."""
    total = Score()
    by_kind: dict[str, Score] = {}
    for i, held in enumerate(folds(len(docs), k)):
        held_set = set(held)
        models = train_models([d for j, d in enumerate(docs) if j not in held_set], names, c)
        fold_extractor = Extractor(extractor.gazetteer, extractor.analyser, models)
        score = Score()
        for j in held:
            events, _ = fold_extractor.extract_reading(docs[j].reading)
            predicted = [e.to_gold() for e in events]
            score.add(names, predicted, docs[j].gold)
            kind = docs[j].batch.rstrip("0123456789") or "all"
            by_kind.setdefault(kind, Score()).add(names, predicted, docs[j].gold)
        total.merge(score)
        if progress:
            progress(f"fold {i + 1}/{k}: event F1 {score.figures()['f1']:.3f}")
    return total, by_kind
