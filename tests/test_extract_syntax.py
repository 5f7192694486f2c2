"""Reading the parse: the relation of a word to an event's trigger word, the path between them, voice,
negation and modality. The sentences were written for these tests; none is copied from the corpus. They are
parsed with the project's spaCy model, as the extractor parses them."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from spacy.tokens import Doc, Token

from trucewatch.extract import syntax
from trucewatch.extract.reading import read
from trucewatch.models import Document
from trucewatch.nlp.analyse import Analyser
from trucewatch.resolve.names import Gazetteer


@pytest.fixture(scope="module")
def analyser() -> Analyser:
    return Analyser(Gazetteer.load())


Parse = Callable[[str], Doc]


@pytest.fixture(scope="module")
def parsed(analyser: Analyser) -> Parse:
    """Parse a one-sentence report (each text once)."""
    memo: dict[str, Doc] = {}

    def parse(text: str) -> Doc:
        if text not in memo:
            r = read(Document(id="t", text=text, published="2021-03-22"), analyser)
            assert len(r.sentences) == 1
            analyser.parse(r.sentences)
            assert r.sentences[0].doc is not None
            memo[text] = r.sentences[0].doc
        return memo[text]

    return parse


def word(doc: Doc, text: str) -> Token:
    found = [t for t in doc if t.text == text]
    assert found, f"no word {text!r} in {doc.text!r}"
    return found[0]


SHABAAB = "Al-Shabaab attacked the convoy near Mogadishu."
CONVOY = "The convoy was attacked by al-Shabaab near Mogadishu."
BASE = "The base was hit by rockets fired by Kataib Hezbollah on Monday."
TALIBAN = "The Taliban launched an attack on a checkpoint in Kunduz."
ISRAELI = "An Israeli airstrike killed three people in Gaza."
STORMED = "The army and the police stormed the compound."
KILLING = "Gunmen attacked the convoy near Mogadishu, killing five soldiers."

# (sentence, trigger word, word, relation of the word to the trigger)
RELATIONS = [
    (SHABAAB, "attacked", "Shabaab", "nsubj"),
    (SHABAAB, "attacked", "convoy", "dobj"),
    (SHABAAB, "attacked", "Mogadishu", "prep:near"),
    (CONVOY, "attacked", "Shabaab", "agent:by"),
    (CONVOY, "attacked", "convoy", "nsubjpass"),
    (BASE, "hit", "base", "nsubjpass"),
    (BASE, "hit", "rockets", "agent:by"),
    (TALIBAN, "attack", "Taliban", "v:nsubj"),  # the subject of the verb whose object the trigger noun is
    (TALIBAN, "attack", "checkpoint", "prep:on"),
    (ISRAELI, "airstrike", "Israeli", "amod"),
    (STORMED, "stormed", "police", "conj>nsubj"),  # a second subject is a subject too
    (KILLING, "attacked", "soldiers", "in:advcl"),
    (KILLING, "killing", "Gunmen", "elsewhere"),
]


@pytest.mark.parametrize("text, trigger, other, relation", RELATIONS)
def test_syntax_relation_to_the_trigger(parsed: Parse, text: str, trigger: str, other: str,
                                        relation: str) -> None:
    doc = parsed(text)
    assert syntax.relation(word(doc, trigger), word(doc, other)) == relation


def test_syntax_relation_of_the_one_who_fired_in_a_passive_is_agent_like(parsed: Parse) -> None:
    """'was hit by rockets fired by X': X stands in the agent phrase of the trigger, never as its subject or
    object."""
    doc = parsed(BASE)
    relation = syntax.relation(word(doc, "hit"), word(doc, "Hezbollah"))
    assert relation.startswith("in:agent:by")
    assert "subj" not in relation and "obj" not in relation


# (sentence, from word, to word, path)
PATHS = [
    (SHABAAB, "attacked", "attacked", "="),
    (SHABAAB, "attacked", "Shabaab", ">nsubj"),
    (SHABAAB, "attacked", "Mogadishu", ">prep:near>pobj"),
    (SHABAAB, "Mogadishu", "attacked", "<pobj<prep:near"),
    (SHABAAB, "convoy", "Mogadishu", "<dobj>prep:near>pobj"),
    (CONVOY, "attacked", "Shabaab", ">agent:by>pobj"),
    (TALIBAN, "attack", "Taliban", "<dobj>nsubj"),
    (KILLING, "attacked", "soldiers", ">advcl>dobj"),
    (BASE, "hit", "Hezbollah", ">agent:by>pobj~>agent:by>pobj"),  # longer than MAX_PATH: both ends kept
]


@pytest.mark.parametrize("text, a, b, expected", PATHS)
def test_syntax_path_between_two_words(parsed: Parse, text: str, a: str, b: str,
                                       expected: str) -> None:
    doc = parsed(text)
    assert syntax.path(word(doc, a), word(doc, b)) == expected


@pytest.mark.parametrize("text, verb, is_passive", [
    ("Three soldiers were killed in the blast.", "killed", True),
    (BASE, "hit", True),
    (BASE, "fired", True),  # a participle with its "by" agent: "rockets fired by X"
    ("The town has been shelled every night.", "shelled", True),
    (CONVOY, "attacked", True),
    ("Gunmen killed three soldiers.", "killed", False),
    ("The army has shelled the town.", "shelled", False),  # a participle after "has" is active
    ("The militia fired rockets at the base.", "fired", False),
    (SHABAAB, "attacked", False),
])
def test_syntax_passive(parsed: Parse, text: str, verb: str, is_passive: bool) -> None:
    assert syntax.passive(word(parsed(text), verb)) is is_passive


def test_syntax_passive_participle_clause(parsed: Parse) -> None:
    doc = parsed("The convoy, attacked by gunmen, turned back.")
    assert word(doc, "attacked").dep_ == "advcl"
    assert syntax.passive(word(doc, "attacked"))


@pytest.mark.parametrize("text, target, is_negated", [
    ("The rebels did not attack the town.", "attack", True),
    ("The militia never attacked the base.", "attacked", True),
    ("The two sides agreed not to attack each other.", "attack", True),
    ("There were no casualties in the shelling.", "casualties", True),
    ("The strike caused no casualties.", "casualties", True),
    ("The group did not claim the attack.", "attack", True),  # the object of a negated verb
    ("The rebels attacked the town.", "attacked", False),
    ("No one said the rebels attacked the town.", "attacked", False),  # negation in another clause
    ("The army denied it had shelled the village.", "shelled", False),
    ("The shelling caused heavy casualties.", "casualties", False),
])
def test_syntax_negated(parsed: Parse, text: str, target: str, is_negated: bool) -> None:
    assert syntax.negated(word(parsed(text), target)) is is_negated


def test_syntax_negated_without(parsed: Parse) -> None:
    assert syntax.negated(word(parsed("The troops withdrew without firing a shot."), "firing"))


@pytest.mark.parametrize("text, verb, expected", [
    ("The militia would attack the base.", "attack", "would"),
    ("Iran could strike US bases.", "strike", "could"),
    ("The army will shell the town.", "shell", "will"),
    ("They said they might resume attacks.", "resume", "might"),
    ("The army shelled the town.", "shelled", None),
    ("The army has shelled the town.", "shelled", None),  # "has" is no modal
])
def test_syntax_modal(parsed: Parse, text: str, verb: str, expected: str | None) -> None:
    assert syntax.modal(word(parsed(text), verb)) == expected


@pytest.mark.parametrize("text, start, end, head", [
    (CONVOY, 5, 8, "Shabaab"),  # "al - Shabaab"
    (BASE, 8, 10, "Hezbollah"),  # "Kataib Hezbollah"
    (SHABAAB, 4, 6, "convoy"),  # "the convoy"
])
def test_syntax_span_head(parsed: Parse, text: str, start: int, end: int, head: str) -> None:
    assert syntax.span_head(parsed(text), start, end).text == head


@pytest.mark.parametrize("text, w, verb", [
    (KILLING, "five", "killing"),
    (KILLING, "Mogadishu", "attacked"),
    (KILLING, "attacked", "attacked"),
])
def test_syntax_clause_verb(parsed: Parse, text: str, w: str, verb: str) -> None:
    assert syntax.clause_verb(word(parsed(text), w)).text == verb
