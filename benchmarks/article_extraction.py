"""Score our HTML ingest (trafilatura + furniture removal) on the article-extraction benchmark.

Reads the 181 pages of ../shared/benchmarks/article-extraction/ through ``read_paths`` exactly as
the pipeline does, keeps each Document's text minus the furniture it marked, and scores that with
../shared/tools/score_extraction.py (word 4-gram F1 against the true article bodies). The headline
is left out of the prediction when ingest put it there: the benchmark's bodies have no headline,
and trafilatura alone (F1 0.954 here) is scored without one. Prints the F1, the speed, and the
command that reproduces them.

    .venv/bin/python benchmarks/article_extraction.py [--shared PATH] [--keep PATH]
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from trucewatch.ingest import read_paths
from trucewatch.models import Document

ROOT = Path(__file__).resolve().parents[1]
TRAFILATURA_ALONE_F1 = 0.954


def article_body(doc: Document) -> str:
    """The text the extractor will read (furniture left out), without the headline line."""
    kept = "\n".join(doc.text[start:end] for start, end in doc.kept_spans())
    first, _, rest = kept.lstrip("\n").partition("\n")
    if doc.title and " ".join(first.split()) == " ".join(doc.title.split()):
        return rest
    return kept


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                    help="the shared folder (default: ../shared beside the project)")
    ap.add_argument("--keep", type=Path, help="also write the predictions JSON here")
    args = ap.parse_args(argv)
    bench = args.shared / "benchmarks" / "article-extraction"
    scorer = args.shared / "tools" / "score_extraction.py"
    if not (bench / "ground-truth.json").exists() or not scorer.exists():
        print(f"benchmark not found under {args.shared}: nothing to score")
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        for page in sorted((bench / "html").glob("*.html.gz")):
            (pages / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
        started = time.perf_counter()
        results = list(read_paths([pages]))
        elapsed = time.perf_counter() - started
        predictions: dict[str, dict[str, str]] = {}
        rejected = 0
        for result in results:
            if isinstance(result, Document):
                page_id = Path(result.source_path or "").name.removesuffix(".html")
                predictions[page_id] = {"articleBody": article_body(result)}
            else:
                rejected += 1
        pred_path = args.keep or Path(tmp) / "predictions.json"
        pred_path.write_text(json.dumps(predictions), encoding="utf-8")
        score = subprocess.run([sys.executable, str(scorer), "--pred", str(pred_path)],
                               capture_output=True, text=True, check=True).stdout

    print(score.rstrip())
    f1 = float(score.strip().splitlines()[-1].split()[2])
    print(f"ingest read {len(results)} pages in {elapsed:.1f}s ({len(results) / elapsed:.0f} pages/s), "
          f"{rejected} rejected")
    print(f"F1 {f1:.3f} vs trafilatura alone {TRAFILATURA_ALONE_F1:.3f}: "
          f"{'not below' if f1 >= TRAFILATURA_ALONE_F1 else 'BELOW'}")
    print(f"reproduce: cd {ROOT} && .venv/bin/python benchmarks/article_extraction.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
