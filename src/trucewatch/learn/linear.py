"""Trained linear classifiers as data: the weights live in JSON files under ``data/models/``, read here.

A model file is ``{"version": 1, "name": ..., "classes": [...], "bias": [...], "weights": {feature: [...]},
"trained": {...}}``: one weight per class for each binary feature (a string such as ``"dep=nsubj"``), or
one weight in all for a two-class model (the weight of the second class, as logistic regression gives
it). Scoring is a sum of the weights of the features present, so a model is read and applied without
the library that fitted it, and is reviewed and diffed as text.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from trucewatch.errors import TrucewatchError

MODEL_VERSION = 1


@dataclass
class LinearModel:
    """Logistic regression over binary features: one-vs-rest scores turned into probabilities."""

    name: str
    classes: list[str]
    bias: list[float]
    weights: dict[str, list[float]]
    trained: dict[str, object] = field(default_factory=dict)

    @property
    def binary(self) -> bool:
        return len(self.classes) == 2 and len(self.bias) == 1

    def scores(self, features: Iterable[str]) -> list[float]:
        """The raw score of each class (of the second class only for a two-class model)."""
        total = list(self.bias)
        get = self.weights.get
        for f in features:
            w = get(f)
            if w is not None:
                for k, v in enumerate(w):
                    total[k] += v
        return total

    def proba(self, features: Iterable[str]) -> dict[str, float]:
        """Probability of each class."""
        s = self.scores(features)
        if self.binary:
            p = 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, s[0]))))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        top = max(s)
        exps = [math.exp(x - top) for x in s]
        z = sum(exps)
        return {c: e / z for c, e in zip(self.classes, exps, strict=True)}

    def positive(self, features: Iterable[str]) -> float:
        """For a two-class model, the probability of its second (positive) class."""
        return self.proba(features)[self.classes[1]]

    def to_json(self) -> str:
        return json.dumps({"version": MODEL_VERSION, "name": self.name, "classes": self.classes,
                           "bias": [round(b, 6) for b in self.bias], "trained": self.trained,
                           "weights": {f: [round(x, 5) for x in w] for f, w in sorted(self.weights.items())}},
                          indent=0, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str, source: str) -> LinearModel:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise TrucewatchError(f"{source}: not a model file: {e}") from e
        if not isinstance(data, dict) or data.get("version") != MODEL_VERSION:
            raise TrucewatchError(f"{source}: not a version {MODEL_VERSION} model file")
        try:
            classes = [str(c) for c in data["classes"]]
            bias = [float(b) for b in data["bias"]]
            weights = {str(f): [float(x) for x in w] for f, w in dict(data["weights"]).items()}
            trained = dict(data.get("trained") or {})
        except (KeyError, TypeError, ValueError) as e:
            raise TrucewatchError(f"{source}: malformed model file ({type(e).__name__}: {e})") from e
        width = 1 if len(classes) == 2 and len(bias) == 1 else len(classes)
        if len(bias) != width or any(len(w) != width for w in weights.values()):
            raise TrucewatchError(f"{source}: malformed model file (weights do not match the {len(classes)} classes)")
        return cls(str(data.get("name", "")), classes, bias, weights, trained)


def model_dir() -> Path:
    """Where the shipped weights are."""
    return Path(str(resources.files("trucewatch").joinpath("data/models")))


@cache
def shipped(name: str) -> LinearModel:
    """A shipped model by name (``data/models/<name>.json``), read once."""
    path = model_dir() / f"{name}.json"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise TrucewatchError(f"{path}: trained model missing ({e.strerror}): run `trucewatch train`") from e
    return LinearModel.from_json(text, str(path))
