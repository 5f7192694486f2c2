"""Fuzzing ingest with Hypothesis (issue 12, "Must show"): JSON, JSON Lines, HTML, feeds and text files
with deep nesting, huge numbers, long lines, NUL bytes, lone surrogates, bad UTF-8 and UTF-16, and
records of the wrong shape. Whatever a batch holds: no traceback, every failure a named rejection (its
input an existing file, its reason one line), every document encodable, and the good report that ends
the batch stored.

Reading is fuzzed on its own with more examples; the whole pipeline (extract, store, merge) with fewer,
since each example builds a ledger. Example counts are kept modest so the suite stays within minutes;
raise them with ``--hypothesis-profile=long`` (set ``HYPOTHESIS_PROFILE=long``) to search longer.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trucewatch.extract.extractor import Extractor
from trucewatch.ingest import read_paths
from trucewatch.models import Document, Rejection
from trucewatch.pipeline import ingest
from trucewatch.store import Store

settings.register_profile("default", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=2_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

GOOD = ("Rockets hit Ain al-Asad\nPublished 14 March 2021\n\nThree rockets hit Ain al-Asad Air Base on Sunday, "
        "killing two US soldiers, officials said.\n")

# ---- strategies ----------------------------------------------------------------------------------

WORDS = st.sampled_from(["Rockets", "hit", "the", "base", "killing", "①", "²", "9223372036854775808", "١٢",
                         "\x00", "\ud800", "\udfff", "&amp;", "<b>", "]]>", "\u202e", "[/x]", "\n", "\t", " "])
TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(WORDS, max_size=60).map(" ".join),
    st.builds(lambda w, n: w * n, st.sampled_from(["word ", "x", "Rockets hit. "]), st.integers(1, 30_000)),
)
HUGE = st.one_of(st.integers(min_value=-(10**400), max_value=10**400), st.just(2**63), st.floats(allow_nan=True))
JSON_LEAF = st.one_of(st.none(), st.booleans(), HUGE, TEXT)
JSON_VALUE = st.recursive(JSON_LEAF, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(TEXT, inner, max_size=4)), max_leaves=12)
FIELD = st.sampled_from(["id", "text", "title", "url", "outlet", "published", "author", "meta"])


@st.composite
def records(draw: st.DrawFn) -> str:
    """A JSON text: a record with fields of any type, or any value, or nested thousands of levels deep,
    or with a number of thousands of digits, or with escaped lone surrogates."""
    kind = draw(st.sampled_from(["record", "value", "deep", "digits", "surrogate"]))
    if kind == "record":
        fields = draw(st.dictionaries(FIELD, JSON_VALUE, max_size=7))
        return json.dumps(fields, ensure_ascii=draw(st.booleans()))
    if kind == "value":
        return json.dumps(draw(JSON_VALUE))
    if kind == "deep":
        depth = draw(st.integers(90, 20_000))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a": ', "}")]))
        return opener * depth + '"x"' + closer * draw(st.sampled_from([depth, 0, depth // 2]))
    if kind == "digits":
        return '{"id": ' + "9" * draw(st.integers(90, 6_000)) + ', "text": "Rockets hit."}'
    return '{"id": ' + draw(st.sampled_from(['"\\ud800"', '"ok"', "null"])) + ', "text": "Rockets \\udc00 hit."}'


@st.composite
def markup(draw: st.DrawFn) -> str:
    """An HTML page or feed of random structure: nesting, entities, text of any kind."""
    tags = draw(st.lists(st.sampled_from(["p", "div", "item", "entry", "title", "description", "content", "link",
                                          "channel", "rss", "feed", "script", "![CDATA["]), min_size=1, max_size=8))
    depth = draw(st.sampled_from([1, 2, 50, 5_000]))
    body = draw(TEXT).replace("\x00", draw(st.sampled_from(["\x00", ""])))
    inner = "".join(f"<{t}>" for t in tags) + body + "".join(f"</{t}>" for t in reversed(tags))
    wrapper = draw(st.sampled_from(["div", "item"]))
    head = draw(st.sampled_from(["", '<?xml version="1.0"?>', "<!DOCTYPE html>",
                                 '<!DOCTYPE x [<!ENTITY a "aaaa">]>']))
    return head + f"<{wrapper}>" * depth + inner + f"</{wrapper}>" * depth


ENCODINGS = st.sampled_from(["utf-8", "utf-16", "utf-16-le", "latin-1", "bad-utf-8", "nul"])


def encode(text: str, encoding: str) -> bytes:
    data = text.encode("utf-8", errors="surrogatepass")
    if encoding in ("utf-16", "utf-16-le"):
        return text.encode(encoding, errors="surrogatepass")
    if encoding == "latin-1":
        return text.encode("latin-1", errors="replace")
    if encoding == "bad-utf-8":
        return data[: len(data) // 2] + b"\xff\xfe\xc3(" + data[len(data) // 2:]
    if encoding == "nul":
        return data + b"\x00"
    return data


@st.composite
def files(draw: st.DrawFn) -> tuple[str, bytes]:
    suffix = draw(st.sampled_from([".json", ".jsonl", ".html", ".xml", ".rss", ".atom", ".txt"]))
    if suffix == ".json":
        text = draw(records())
    elif suffix == ".jsonl":
        text = "\n".join(draw(st.lists(records(), min_size=1, max_size=4)))
    elif suffix == ".txt":
        text = draw(TEXT)
    else:
        text = draw(markup())
    return suffix, encode(text, draw(ENCODINGS))


BATCH = st.lists(files(), min_size=1, max_size=4)

# ---- properties ----------------------------------------------------------------------------------


def write_batch(folder: Path, batch: list[tuple[str, bytes]]) -> tuple[list[Path], Path]:
    paths = []
    for n, (suffix, data) in enumerate(batch):
        path = folder / f"in{n:02}{suffix}"
        path.write_bytes(data)
        paths.append(path)
    good = folder / "zz_good.txt"
    good.write_text(GOOD, encoding="utf-8")
    return paths, good


def check_rejection(r: Rejection, inputs: set[str]) -> None:
    assert r.input.split("#", 1)[0] in inputs, r
    assert r.reason.strip() and "\n" not in r.reason and len(r.reason) < 600, r
    assert "Traceback" not in r.reason
    str(r).encode("utf-8")  # printable and storable


@given(BATCH)
def test_fuzz_reading_never_raises_and_names_every_failure(batch: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths, good = write_batch(Path(tmp), batch)
        inputs = {str(p) for p in [*paths, good]}
        items = list(read_paths([*paths, good], max_bytes=2_000_000))
    for item in items:
        if isinstance(item, Rejection):
            check_rejection(item, inputs)
        else:
            assert isinstance(item, Document)
            item.text.encode("utf-8"), item.id.encode("utf-8"), (item.title or "").encode("utf-8")
            assert item.id == item.content_hash or len(item.id) <= 1_000
    assert isinstance(items[-1], Document) and items[-1].source_path == str(good)


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@settings(max_examples=20)
@given(BATCH)
def test_fuzz_pipeline_stores_the_rest_of_the_batch(extractor: Extractor, batch: list[tuple[str, bytes]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        paths, good = write_batch(Path(tmp), batch)
        with Store(Path(tmp) / "ledger.db") as store:
            stats = ingest([*paths, good], store, extractor=extractor, max_bytes=2_000_000)
            stored = {d.source_path for d in store.documents()}
        inputs = {str(p) for p in [*paths, good]}
    for r in stats.rejections:
        check_rejection(r, inputs)
    assert str(good) in stored
    assert stats.read + sum(r.stage == "ingest" for r in stats.rejections) >= len(stored)
