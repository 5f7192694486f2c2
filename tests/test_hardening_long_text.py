"""Long texts (issue 12, "Hardening"): over spaCy's max_length (1,000,000 characters) a text failed with
spaCy's raw E088; a 5 MB single-line text failed the same way; a 50 MB text had not finished after 600 s.

Long texts are read in pieces cut at paragraph, then sentence, then word boundaries, with every offset
still pointing into the text as read; pieces are bounded, so the time per character does not grow with
the text (``benchmarks/long_text.py`` measures it). Copy detection fingerprints a long text in bounded
batches instead of one array of every shingle times every permutation.
"""

from __future__ import annotations

import signal
import sqlite3
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest

from trucewatch import pipeline
from trucewatch.extract.extractor import Extractor
from trucewatch.merge.copies import band_keys, fingerprint, kept_text, shingles, signature, similarity
from trucewatch.models import Document, Removal
from trucewatch.nlp.paragraphs import MAX_PARAGRAPH, paragraphs, text_pieces
from trucewatch.store import Store

NEWS = ("Three rockets hit Ain al-Asad Air Base in Anbar province on Sunday, killing two US soldiers, "
        "officials said. ")
FILLER = "Talks between the parties continued in Baghdad on Monday without any result, diplomats said. "


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


class Deadline:
    """Fails the test (instead of hanging the suite) when the work inside takes longer than ``seconds``:
    quadratic work on these sizes takes hours."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds

    def __enter__(self) -> None:
        def expire(signum: int, frame: object) -> None:
            raise TimeoutError(f"took over {self.seconds} s")
        signal.signal(signal.SIGALRM, expire)
        signal.alarm(self.seconds)

    def __exit__(self, *exc: object) -> None:
        signal.alarm(0)


@pytest.mark.parametrize("text", [
    (NEWS + FILLER) * 3_000,  # one line, sentences
    ("word " * 60_000),  # one line, no sentence end
    "x" * 250_000,  # no space at all
    ((NEWS * 40) + "\n\n") * 60,  # paragraphs
])
def test_long_text_pieces_are_bounded_cover_the_text_and_cut_at_boundaries(text: str) -> None:
    pieces = list(text_pieces(text, 50_000))
    assert all(0 < end - start <= 50_000 for start, end in pieces)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text.rstrip())
    gaps = [text[a[1]:b[0]] for a, b in zip(pieces, pieces[1:], strict=False)]
    assert all(not gap.strip() for gap in gaps)  # nothing but whitespace is left between pieces
    if ". " in text:  # cut after a sentence end, or at a blank line
        assert all(text[end - 1] == "." for _, end in pieces)
    elif " " in text:
        assert all(text[end] == " " for _, end in pieces[:-1])


def test_long_text_paragraph_over_the_limit_is_read_in_sentences_with_offsets_kept() -> None:
    text = "Title\n\n" + (NEWS + FILLER) * 2_000 + "\nLast line of the report ends here."
    doc = Document(id="long", text=text, title="Title")
    found = list(paragraphs(doc))
    assert len(found) > 2 and all(len(p) <= MAX_PARAGRAPH for _, p in found)
    assert all(doc.text[offset:offset + len(p)] == p for offset, p in found)
    assert all(p.endswith(".") for _, p in found)
    assert sum(p.count("Three rockets") for _, p in found) == 2_000


def test_long_text_hard_wrapped_without_full_stops_joins_in_linear_time() -> None:
    """Wire copy breaks lines mid-sentence; joining them used to copy the paragraph so far at each line."""
    line = "and the convoy moved on toward the border crossing near the town of qaim\n"
    doc = Document(id="wrapped", text="Title\n\n" + line * 40_000, title="Title")  # 3 MB, one wrapped paragraph
    with Deadline(30):
        found = list(paragraphs(doc))
    assert all(len(p) <= MAX_PARAGRAPH for _, p in found)
    assert all(doc.text[offset:offset + len(p)].replace("\n", " ") == p for offset, p in found)
    assert sum(p.count("convoy") for _, p in found) == 40_000


def test_long_text_over_spacy_max_length_is_extracted_with_true_offsets(tmp_path: Path, extractor: Extractor) -> None:
    """A single line of 1.2 million characters through the whole pipeline: stored, with events, and every
    sentence, event and name offset pointing into the text as read."""
    path = tmp_path / "long.txt"
    path.write_text("Rockets hit Ain al-Asad\n\n" + (NEWS + FILLER * 11) * 1_100, encoding="utf-8")
    assert path.stat().st_size > 1_000_000
    with Store(tmp_path / "ledger.db") as store, Deadline(240):
        stats = pipeline.ingest([path], store, extractor=extractor, max_bytes=5_000_000)
    assert (stats.new, stats.failed) == (1, 0), stats.rejections
    with sqlite3.connect(tmp_path / "ledger.db") as conn:
        [text] = [row[0] for row in conn.execute("SELECT text FROM documents")]
        sentences = conn.execute("SELECT idx, start, \"end\", text FROM sentences ORDER BY idx").fetchall()
        events = conn.execute("SELECT sentence, start, \"end\", trigger, evidence FROM events").fetchall()
        names = conn.execute('SELECT "start", "end", surface FROM entity_mentions').fetchall()
    assert [s[0] for s in sentences] == list(range(len(sentences)))
    assert all(text[start:end] == body for _, start, end, body in sentences)
    # Repeats of one sentence in a piece are one event (the report's coreference); every piece has its own.
    assert len(events) >= len(text) // pipeline.PIECE_CHARS
    assert max(start for _, start, *_ in events) > 1_000_000  # read past spaCy's max_length
    by_idx = {s[0]: s for s in sentences}
    for sentence, start, end, trigger, evidence in events:
        assert text[start:end] == trigger and by_idx[sentence][3] == evidence
        assert by_idx[sentence][1] <= start < by_idx[sentence][2]
    assert names and all(text[start:end] == surface for start, end, surface in names)


def test_long_text_pieces_give_one_sentence_numbering_and_the_document_s_events(
        extractor: Extractor, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read in pieces (the limit lowered to make them here), a report gets the events of its paragraphs
    read alone, numbered through, with the title and furniture of the whole."""
    paras = [NEWS.replace("Sunday", day) for day in ("Sunday", "Monday", "Tuesday", "Wednesday")]
    nav = "Home | World | Middle East\n"
    text = nav + "Rockets hit bases\n\n" + "\n\n".join(p + FILLER * 30 for p in paras)
    removed = [Removal(0, len(nav), "navigation", nav)]
    whole = Document(id="w", text=text, title="Rockets hit bases", published="2021-03-16", removed=removed)
    pipeline.extract_document(whole, extractor)
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 4_000)
    doc = Document(id="w", text=text, title="Rockets hit bases", published="2021-03-16", removed=list(removed))
    mentions, _ = pipeline.extract_document(doc, extractor)
    assert [(s.start, s.end, s.text) for s in doc.sentences] == [(s.start, s.end, s.text) for s in whole.sentences]
    assert [s.idx for s in doc.sentences] == list(range(len(doc.sentences)))
    assert [(e.type, e.date, e.start, e.end, e.sentence, e.doc_id) for e in doc.events] == \
        [(e.type, e.date, e.start, e.end, e.sentence, e.doc_id) for e in whole.events]
    assert all(doc.text[start:end] == surface for _, surface, start, end in mentions)


def _peak(work: Iterator[object]) -> int:
    tracemalloc.start()
    try:
        for _ in work:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_long_text_fingerprint_is_the_signature_of_its_shingles_in_bounded_memory() -> None:
    text = (NEWS + FILLER) * 50 + " ".join(f"w{i}" for i in range(5_000))
    fp = fingerprint(text)
    assert (fp.minhash == signature(shingles(text))).all()
    assert band_keys(fp.minhash) == band_keys(signature(shingles(text)))
    assert len(fp) == len(shingles(text))
    other = kept_text(text + " a new closing line of text", [])
    assert similarity(fp.hashes, fingerprint(other).hashes) == pytest.approx(
        len(shingles(text) & shingles(other)) / len(shingles(text) | shingles(other)), abs=0)
    big = " ".join(f"w{i % 200_000} {NEWS}" for i in range(100_000))  # 10 MB, 1.7 million shingles
    # One array of every shingle times 128 permutations would be 1.7 GB.
    assert _peak(iter([fingerprint(big)])) < 300_000_000


def test_long_text_pieces_take_only_their_own_furniture(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each piece gets the furniture inside it, moved to its offsets, whatever order it was listed in."""
    monkeypatch.setattr(pipeline, "PIECE_CHARS", 3_000)
    block = "Share this | Tweet | Email\n" + NEWS + FILLER * 20 + "\n\n"
    text = block * 12
    removed = [Removal(i, i + 26, "share", text[i:i + 26]) for i in range(0, len(text), len(block))]
    doc = Document(id="f", text=text, title=None, published="2021-03-16", removed=removed[::-1])
    seen = []
    for start, piece in pipeline._pieces(doc):
        assert all(piece.text[r.start:r.end] == r.text for r in piece.removed)
        seen += [(start + r.start, r.text) for r in piece.removed]
    assert sorted(seen) == sorted((r.start, r.text) for r in removed)
