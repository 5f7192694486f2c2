"""Quality gate: the extractor's accuracy on reports its models never saw.

1. Cross-validation by report over the training corpus shipped in ``corpus/train`` (5 folds, seeded): each
   fold's models are trained on the other four and score the held-out reports.
2. The shipped weights (trained on ``corpus/train`` only) on the check corpora ``../shared/corpus/seeds``
   and ``dev``, scored by the corpus's own scorer, when that folder is present beside the repository.

Like trafilatura's eval gate, the floors are pinned a little under the measured figures so that accuracy
cannot silently fall. Raise them when the extractor improves. Design choices are made on the cross-validated
figures (2,700 events), never on the check corpora (116 events); a choice that lowers a check figure is said
in the README with both figures, and only then is its floor moved.
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
CV_FLOORS = {"f1": 0.62, "strict_f1": 0.145}
CV_ATTRIBUTE_FLOORS = {"actor": 0.78, "target": 0.67, "location": 0.59, "date": 0.68, "mode": 0.82}
# Minimum (event F1, strict F1) of the shipped weights on the check corpora, scored together: seeds has 31
# events and dev 85, so that one event moves a figure of seeds alone by about 0.03 and of both by 0.01.
# The role thresholds chosen by cross-validation (arguments.BEST) lowered strict F1 here from 0.088 to 0.058.
CHECK_FLOORS = (0.48, 0.05)
CHECK_CORPORA = ("seeds", "dev")


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


def _score(corpora: list[Path], tmp_path: Path, name: str) -> dict:
    """Ingest the reports of these corpora, export them, and score them with the corpus's own scorer."""
    gold = tmp_path / name
    gold.mkdir()
    for part in ("docs.jsonl", "gold.jsonl"):
        (gold / part).write_text("".join((c / part).read_text(encoding="utf-8") for c in corpora), encoding="utf-8")
    pred = tmp_path / f"{name}.jsonl"
    with Store(":memory:") as store:
        stats = ingest([gold / "docs.jsonl"], store)
        assert stats.failed == 0, [str(r) for r in stats.rejections]
        with pred.open("w", encoding="utf-8") as fh:
            export.write(store, "gold-jsonl", fh)
    out = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--pred", str(pred), "--json"],
                         check=True, capture_output=True, text=True).stdout
    # The scorer prints its JSON summary, then a headline line.
    return json.loads(out[: out.rindex("}") + 1])


@pytest.mark.skipif(not SCORER.exists(), reason=f"annotated corpus not found at {SHARED} (../shared beside the repo)")
def test_eval_corpus_check_floor(tmp_path: Path) -> None:
    summary = _score([SHARED / "corpus" / c for c in CHECK_CORPORA], tmp_path, "check")
    event_floor, strict_floor = CHECK_FLOORS
    assert summary["f1"] >= event_floor, summary
    assert summary["strict_f1"] >= strict_floor, summary


@pytest.mark.skipif(not SCORER.exists(), reason=f"annotated corpus not found at {SHARED} (../shared beside the repo)")
def test_eval_corpus_scorer_agrees_with_the_corpus_scorer(tmp_path: Path) -> None:
    """The package's own scoring (used for cross-validation without ../shared) gives the corpus scorer's
    figures on the same predictions."""
    dev = SHARED / "corpus" / "dev"
    summary = _score([dev], tmp_path, "dev")
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
