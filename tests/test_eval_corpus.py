"""Quality gate: the extractor's accuracy on reports its models never saw.

1. Cross-validation by report over the training corpus shipped in ``corpus/train`` (5 folds, seeded): each
   fold's models are trained on the other four and score the held-out reports.
2. The shipped weights (trained on ``corpus/train`` only) on the check corpora ``../shared/corpus/seeds``
   and ``dev``, scored by the corpus's own scorer, when that folder is present beside the repository.

Like trafilatura's eval gate, the floors are pinned a little under the measured figures so that accuracy
cannot silently fall. Raise them when the extractor improves; never lower them to pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from trucewatch import export
from trucewatch.learn import run
from trucewatch.learn.score import Score
from trucewatch.pipeline import ingest
from trucewatch.store import Store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus" / "train"
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score.py"

# Cross-validated figures (5 folds by report over corpus/train): minimum event F1, strict F1, attributes.
CV_FLOORS = {"f1": 0.62, "strict_f1": 0.13}
CV_ATTRIBUTE_FLOORS = {"actor": 0.74, "target": 0.65, "location": 0.57, "date": 0.67, "mode": 0.81}
# corpus -> minimum (event F1, strict F1) of the shipped weights
FLOORS = {"seeds": (0.47, 0.08), "dev": (0.48, 0.06)}


@pytest.fixture(scope="module")
def crossvalidated() -> Score:
    corpus = run.load(CORPUS)
    total, _ = run.crossvalidate(corpus, 5)
    return total


def test_eval_corpus_cross_validated_floors(crossvalidated: Score) -> None:
    fig = crossvalidated.figures()
    assert fig["gold"] >= 1500, fig["gold"]  # the issue asks for at least 1,500 annotated events
    for key, floor in CV_FLOORS.items():
        assert fig[key] >= floor, (key, {k: v for k, v in fig.items() if k != "types"})
    for attribute, floor in CV_ATTRIBUTE_FLOORS.items():
        assert fig["attributes"][attribute] >= floor, (attribute, fig["attributes"])


def _score(corpus: Path, tmp_path: Path) -> dict:
    pred = tmp_path / f"{corpus.name}.jsonl"
    with Store(":memory:") as store:
        stats = ingest([corpus / "docs.jsonl"], store)
        assert stats.failed == 0, [str(r) for r in stats.rejections]
        with pred.open("w", encoding="utf-8") as fh:
            export.write(store, "gold-jsonl", fh)
    out = subprocess.run([sys.executable, str(SCORER), "--gold", str(corpus), "--pred", str(pred), "--json"],
                         check=True, capture_output=True, text=True).stdout
    # The scorer prints its JSON summary, then a headline line.
    return json.loads(out[: out.rindex("}") + 1])


@pytest.mark.skipif(not SCORER.exists(), reason=f"annotated corpus not found at {SHARED} (../shared beside the repo)")
@pytest.mark.parametrize("name", sorted(FLOORS))
def test_eval_corpus_floor(name: str, tmp_path: Path) -> None:
    summary = _score(SHARED / "corpus" / name, tmp_path)
    event_floor, strict_floor = FLOORS[name]
    assert summary["f1"] >= event_floor, summary
    assert summary["strict_f1"] >= strict_floor, summary


@pytest.mark.skipif(not SCORER.exists(), reason=f"annotated corpus not found at {SHARED} (../shared beside the repo)")
def test_eval_corpus_scorer_agrees_with_the_corpus_scorer(tmp_path: Path) -> None:
    """The package's own scoring (used for cross-validation without ../shared) gives the corpus scorer's
    figures on the same predictions."""
    dev = SHARED / "corpus" / "dev"
    summary = _score(dev, tmp_path)
    from trucewatch.learn.corpus import Names, read_corpus

    names = Names.read(SHARED / "corpus" / "aliases.json")
    predicted = {json.loads(line)["id"]: json.loads(line)["events"]
                 for line in (tmp_path / "dev.jsonl").read_text(encoding="utf-8").splitlines()}
    score = Score()
    for gd in read_corpus(dev):
        score.add(names, predicted.get(gd.doc.id, []), gd.events)
    mine = score.figures()
    assert (mine["f1"], mine["strict_f1"]) == (summary["f1"], summary["strict_f1"])
    assert mine["attributes"] == summary["attributes"]
