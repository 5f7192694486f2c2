"""Linear models as data: scores are sums of weights, probabilities come out of them, a model survives a
round trip through its JSON file, and a file that is not a model raises TrucewatchError naming it."""

from __future__ import annotations

import json
import math

import pytest

from trucewatch.errors import TrucewatchError
from trucewatch.extract.models import MODEL_NAMES
from trucewatch.learn.linear import MODEL_VERSION, LinearModel, shipped


def binary() -> LinearModel:
    """A two-class model: one weight per feature, the weight of its second class."""
    return LinearModel("force_type", ["attack", "strike"], [-0.5],
                       {"adj=state": [2.0], "dep=nsubj": [0.5], "w=gunmen": [-1.5]}, {"samples": 10})


def three_way() -> LinearModel:
    """A three-class model: one weight per class for each feature."""
    return LinearModel("toll", ["killed", "injured", "none"], [0.0, 0.0, 1.0],
                       {"head=killing": [3.0, -1.0, 0.0], "head=wounding": [-1.0, 3.0, 0.0],
                        "a1=mm": [-2.0, -2.0, 2.0]})


@pytest.mark.parametrize("features, expected", [
    ([], [-0.5]),
    (["adj=state"], [1.5]),
    (["adj=state", "dep=nsubj"], [2.0]),
    (["w=gunmen"], [-2.0]),
    (["never=seen", "unknown"], [-0.5]),  # features the model never saw weigh nothing
    (["adj=state", "adj=state"], [3.5]),  # a feature listed twice counts twice
])
def test_linear_binary_scores_sum_the_weights_present(features: list[str], expected: list[float]) -> None:
    assert binary().scores(features) == pytest.approx(expected)


@pytest.mark.parametrize("features, expected", [
    ([], [0.0, 0.0, 1.0]),
    (["head=killing"], [3.0, -1.0, 1.0]),
    (["head=wounding", "a1=mm"], [-3.0, 1.0, 3.0]),
])
def test_linear_multiclass_scores_one_per_class(features: list[str], expected: list[float]) -> None:
    assert three_way().scores(features) == pytest.approx(expected)


def test_linear_scores_do_not_change_the_bias() -> None:
    model = binary()
    model.scores(["adj=state", "dep=nsubj"])
    assert model.bias == [-0.5]


@pytest.mark.parametrize("features", [[], ["adj=state"], ["w=gunmen", "dep=nsubj"]])
def test_linear_binary_proba_is_the_logistic_of_the_score(features: list[str]) -> None:
    model = binary()
    score = model.scores(features)[0]
    probs = model.proba(features)
    assert set(probs) == {"attack", "strike"}
    assert probs["strike"] == pytest.approx(1 / (1 + math.exp(-score)))
    assert probs["attack"] + probs["strike"] == pytest.approx(1.0)
    assert model.positive(features) == probs["strike"]


@pytest.mark.parametrize("features, likeliest", [
    (["head=killing"], "killed"),
    (["head=wounding"], "injured"),
    (["a1=mm"], "none"),
    ([], "none"),
])
def test_linear_multiclass_proba_is_a_softmax(features: list[str], likeliest: str) -> None:
    model = three_way()
    probs = model.proba(features)
    scores = model.scores(features)
    z = sum(math.exp(s) for s in scores)
    assert list(probs) == model.classes
    for c, s in zip(model.classes, scores, strict=True):
        assert probs[c] == pytest.approx(math.exp(s) / z)
    assert sum(probs.values()) == pytest.approx(1.0)
    assert max(probs, key=probs.get) == likeliest


@pytest.mark.parametrize("weight", [1e4, -1e4])
def test_linear_extreme_scores_give_probabilities_not_overflow(weight: float) -> None:
    model = LinearModel("m", ["no", "yes"], [0.0], {"f": [weight]})
    p = model.positive(["f"])
    assert 0.0 <= p <= 1.0
    assert p == pytest.approx(1.0 if weight > 0 else 0.0)
    multi = LinearModel("m", ["a", "b", "c"], [0.0, 0.0, 0.0], {"f": [weight, 0.0, 0.0]})
    probs = multi.proba(["f"])
    assert sum(probs.values()) == pytest.approx(1.0)
    assert probs["a"] == pytest.approx(1.0 if weight > 0 else 0.0)


@pytest.mark.parametrize("model", [binary(), three_way()], ids=["binary", "three-way"])
def test_linear_json_round_trip_keeps_the_model(model: LinearModel) -> None:
    back = LinearModel.from_json(model.to_json(), "memory")
    assert back == model
    for features in ([], ["adj=state", "head=killing"], ["a1=mm", "w=gunmen"]):
        assert back.proba(features) == model.proba(features)


def test_linear_json_is_versioned_sorted_and_rounded() -> None:
    model = LinearModel("m", ["no", "yes"], [0.123456789], {"z=last": [0.1234567], "a=first": [1.0]})
    data = json.loads(model.to_json())
    assert data["version"] == MODEL_VERSION
    assert list(data["weights"]) == ["a=first", "z=last"]
    assert data["bias"] == [0.123457]
    assert data["weights"]["z=last"] == [0.12346]


@pytest.mark.parametrize("text, problem", [
    ("", "not a model file"),
    ("{not json", "not a model file"),
    ("[1, 2, 3]", "not a version 1 model file"),
    ('"a string"', "not a version 1 model file"),
    ('{"name": "m", "classes": ["a", "b"], "bias": [0], "weights": {}}', "not a version 1 model file"),
    ('{"version": 2, "name": "m", "classes": ["a", "b"], "bias": [0], "weights": {}}',
     "not a version 1 model file"),
])
def test_linear_bad_files_raise_trucewatch_error_naming_the_file(text: str, problem: str) -> None:
    with pytest.raises(TrucewatchError) as caught:
        LinearModel.from_json(text, "models/broken.json")
    assert "models/broken.json" in str(caught.value)
    assert problem in str(caught.value)


@pytest.mark.parametrize("text", [
    '{"version": 1, "name": "m"}',
    '{"version": 1, "name": "m", "classes": ["a", "b"], "bias": [0]}',
    '{"version": 1, "name": "m", "classes": ["a", "b"], "bias": [0], "weights": [1, 2]}',
    '{"version": 1, "name": "m", "classes": ["a", "b"], "bias": 0, "weights": {}}',
], ids=["no-classes", "no-weights", "weights-a-list", "bias-a-number"])
def test_linear_version_1_file_with_bad_fields_raises_trucewatch_error(text: str) -> None:
    with pytest.raises(TrucewatchError, match="models/broken.json"):
        LinearModel.from_json(text, "models/broken.json")


def test_linear_missing_shipped_model_raises_trucewatch_error() -> None:
    with pytest.raises(TrucewatchError, match="trained model missing"):
        shipped("no_such_model")


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_linear_shipped_models_are_well_formed(name: str) -> None:
    model = shipped(name)
    assert model.name == name
    assert len(model.classes) >= 2
    width = 1 if model.binary else len(model.classes)
    assert len(model.bias) == width
    assert model.weights
    assert all(len(w) == width for w in model.weights.values())
    assert sum(model.proba([]).values()) == pytest.approx(1.0)
