"""Score our HTML ingest (trafilatura + furniture removal) on the article-extraction benchmark.

Reads the 181 pages of ../shared/benchmarks/article-extraction/ through ``read_paths`` exactly as
the pipeline does, keeps each Document's text minus the furniture it marked, and scores that with
../shared/tools/score_extraction.py (word 4-gram F1 against the true article bodies). A first line
that is the headline (``Document.title``) is left out: the benchmark's bodies have none, and
ingest puts the headline first in ``Document.text`` by design. Prints the F1 (and, for the record, the
F1 with the headline line left in), the speed, and the command that reproduces them.

    .venv/bin/python benchmarks/article_extraction.py [--shared PATH]
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


def kept_text(doc: Document) -> str:
    """The text the extractor will read: the Document's text without the furniture it marked."""
    return "\n".join(doc.text[start:end] for start, end in doc.kept_spans())


def article_body(doc: Document) -> str:
    """``kept_text`` without the headline line (``Document.title`` carries the headline)."""
    kept = kept_text(doc)
    first, _, rest = kept.lstrip("\n").partition("\n")
    if doc.title and " ".join(first.split()) == " ".join(doc.title.split()):
        return rest
    return kept


def score(scorer: Path, predictions: dict[str, dict[str, str]], folder: Path) -> tuple[float, str]:
    """(F1, the scorer's report) for predictions {page id: {"articleBody": text}}."""
    path = folder / "predictions.json"
    path.write_text(json.dumps(predictions), encoding="utf-8")
    report = subprocess.run([sys.executable, str(scorer), "--pred", str(path)],
                            capture_output=True, text=True, check=True).stdout.strip()
    return float(report.splitlines()[-1].split()[2]), report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                    help="the shared folder (default: ../shared beside the project)")
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
        docs = {Path(r.source_path or "").name.removesuffix(".html"): r
                for r in results if isinstance(r, Document)}
        f1, report = score(scorer, {k: {"articleBody": article_body(d)} for k, d in docs.items()}, Path(tmp))
        f1_headline, _ = score(scorer, {k: {"articleBody": kept_text(d)} for k, d in docs.items()}, Path(tmp))

    print(report)
    print(f"ingest read {len(results)} pages in {elapsed:.1f}s ({len(results) / elapsed:.0f} pages/s), "
          f"{len(results) - len(docs)} rejected")
    print(f"article body F1 {f1:.3f} vs trafilatura alone {TRAFILATURA_ALONE_F1:.3f}: "
          f"{'not below' if f1 >= TRAFILATURA_ALONE_F1 else 'BELOW'}")
    print(f"(with the headline line Document.text starts with: F1 {f1_headline:.3f})")
    print(f"reproduce: cd {ROOT} && .venv/bin/python benchmarks/article_extraction.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
