"""Training and cross-validation over an annotated corpus folder: what ``trucewatch train`` runs.

A corpus is a folder holding annotated batches (any subfolder with ``docs.jsonl`` and ``gold.jsonl``, the
schema of the corpus's ``GOLD_SCHEMA``), and ``aliases.json``, the accepted spellings of canonical names
used to align gold names with the names the extractor reads. The repository's ``corpus/train`` is the
training corpus the shipped weights were fitted on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trucewatch.errors import TrucewatchError
from trucewatch.extract.extractor import Extractor
from trucewatch.extract.models import MODEL_NAMES, Models
from trucewatch.learn.corpus import Names, read_corpus
from trucewatch.learn.linear import model_dir
from trucewatch.learn.samples import AlignedDoc, align
from trucewatch.learn.score import Score
from trucewatch.learn.train import cross_validate, train_models
from trucewatch.nlp.analyse import Analyser
from trucewatch.resolve.names import Gazetteer

Progress = Callable[[str], None]


@dataclass
class Corpus:
    """Aligned reports of a corpus and its table of names."""

    docs: list[AlignedDoc]
    names: Names
    analyser: Analyser

    @property
    def events(self) -> int:
        return sum(len(d.gold) for d in self.docs)


def batches(root: Path) -> list[Path]:
    """The annotated batches of a corpus folder (the folder itself, or its subfolders), in name order."""
    if (root / "docs.jsonl").exists() and (root / "gold.jsonl").exists():
        return [root]
    found = sorted(p for p in root.iterdir() if (p / "docs.jsonl").exists() and (p / "gold.jsonl").exists()) \
        if root.is_dir() else []
    if not found:
        raise TrucewatchError(f"{root}: no annotated batch (a folder with docs.jsonl and gold.jsonl)")
    return found


def load(root: Path, aliases: Path | None = None, limit: int | None = None,
         progress: Progress | None = None) -> Corpus:
    """Read and align every report of a corpus (``limit``: only the first reports, for a quick run)."""
    names_path = aliases or next((p for p in (root / "aliases.json", root.parent / "aliases.json") if p.exists()),
                                 None)
    names = Names.read(names_path)
    analyser = Analyser(Gazetteer.load())
    docs: list[AlignedDoc] = []
    for folder in batches(root):
        try:
            reports = read_corpus(folder)
        except (OSError, ValueError, KeyError) as e:
            raise TrucewatchError(f"{folder}: not an annotated batch: {e}") from e
        for gd in reports:
            if limit is not None and len(docs) >= limit:
                break
            aligned = align(gd, analyser)
            aligned.batch = folder.name
            docs.append(aligned)
        if progress:
            progress(f"{folder.name}: {len(reports)} reports")
    return Corpus(docs, names, analyser)


def train(corpus: Corpus, out: Path | None = None) -> dict[str, Path]:
    """Fit every model on the whole corpus and write the weights (by default, the package's own)."""
    models = train_models(corpus.docs, corpus.names)
    folder = out or model_dir()
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in MODEL_NAMES:
        path = folder / f"{name}.json"
        model = getattr(models, name)
        model.trained = {**model.trained, "reports": len(corpus.docs), "events": corpus.events}
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(model.to_json() + "\n", encoding="utf-8")
        tmp.replace(path)
        written[name] = path
    return written


def crossvalidate(corpus: Corpus, k: int = 5, progress: Progress | None = None) -> tuple[Score, dict[str, Score]]:
    """k-fold cross-validation by report: the total score and the score of each kind of batch."""
    extractor = Extractor(corpus.analyser.gazetteer, corpus.analyser, models=_placeholder())
    return cross_validate(corpus.docs, corpus.names, extractor, k=k, progress=progress)


def _placeholder() -> Models:
    """Cross-validation trains its own models per fold; the extractor it is given only lends its reader."""
    from trucewatch.learn.linear import LinearModel

    empty = LinearModel("empty", ["0", "1"], [0.0], {})
    return Models(**{name: empty for name in MODEL_NAMES})


def figures_json(score: Score) -> str:
    return json.dumps(score.figures(), indent=2)
