"""Quality gate: score the extractor on the annotated corpora in ../shared/corpus, when present.

Like trafilatura's eval gate, the floors are pinned a little under the measured figures so that
accuracy cannot silently fall. Raise them when the extractor improves; never lower them to pass.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from trucewatch import export
from trucewatch.pipeline import ingest
from trucewatch.store import Store

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCORER = SHARED / "tools" / "score.py"

# corpus -> minimum (event F1, strict F1)
FLOORS = {"seeds": (0.95, 0.71), "dev": (0.90, 0.66)}
# corpus -> minimum accuracy of attributes on matched events, and ceasefire condition word recall
ATTRIBUTE_FLOORS = {
    "seeds": {"actor": 0.80, "target": 0.80, "location": 0.95, "date": 0.94},
    "dev": {"actor": 0.90, "target": 0.89, "location": 0.91, "date": 0.89},
}
# dev: the ceasefire-records issue asks for a condition word recall of at least 0.80.
CONDITION_FLOORS = {"seeds": 0.77, "dev": 0.80}


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
    for attribute, floor in ATTRIBUTE_FLOORS[name].items():
        assert summary["attributes"][attribute] >= floor, (attribute, summary["attributes"])
    assert summary["ceasefire_condition_recall"] >= CONDITION_FLOORS[name], summary
