"""Fitting linear models (scikit-learn's logistic regression, seeded) and turning them into data files.

scikit-learn is needed only here, to train: ``pip install -e ".[train]"``. The fitted weights are written as
:class:`~trucewatch.learn.linear.LinearModel` JSON, which extraction reads without scikit-learn.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from trucewatch.learn.linear import LinearModel

SEED = 13


def fit(name: str, samples: Sequence[Sequence[str]], labels: Sequence[str], *, c: float = 1.0,
        min_count: int = 2, classes: Sequence[str] | None = None, balanced: bool = False) -> LinearModel:
    """A logistic regression over binary features seen at least ``min_count`` times."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for s in samples for f in set(s))
    vocab = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= min_count))}
    rows, cols = [], []
    for r, s in enumerate(samples):
        for f in set(s):
            i = vocab.get(f)
            if i is not None:
                rows.append(r)
                cols.append(i)
    x = csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(samples), len(vocab)))
    labels = list(labels)
    found = sorted(set(labels))
    if classes is not None:
        found = [c_ for c_ in classes if c_ in set(labels)]
    if len(found) == 1:  # nothing to learn: a constant model
        return LinearModel(name, [*found, *found], [-20.0], {}, {"samples": len(samples)})
    model = LogisticRegression(C=c, max_iter=2000, random_state=SEED, class_weight="balanced" if balanced else None)
    model.fit(x, labels)
    inverse = sorted(vocab, key=vocab.__getitem__)
    out_classes = [str(k) for k in model.classes_]
    coef = model.coef_
    weights: dict[str, list[float]] = {}
    for j, f in enumerate(inverse):
        w = [float(coef[k, j]) for k in range(coef.shape[0])]
        if any(abs(v) >= 1e-4 for v in w):
            weights[f] = w
    return LinearModel(name, out_classes, [float(b) for b in model.intercept_], weights,
                       {"samples": len(samples), "features": len(weights), "C": c,
                        "classes": dict(Counter(labels))})
