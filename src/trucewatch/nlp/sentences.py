"""The records of an analysed report: its sentences, with the names and trigger words found in each and,
for the sentences worth it, their parse. Built by :class:`trucewatch.nlp.analyse.Analyser`; read by the
extractor and the training code."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

from trucewatch.models import Entity


@dataclass
class EntityMention:
    """A name or generic noun in a sentence; token indices are sentence-relative. ``source`` says how it
    was found: gazetteer, adjective (a country's adjective), name (unknown capitalised name), generic."""

    start: int
    end: int
    char_start: int
    char_end: int
    surface: str
    entity: Entity
    source: str = "gazetteer"
    generic: str | None = None  # the class of a generic noun: civilians, state_forces, insurgents
    ner: str | None = None  # the NER label over an unknown name (PERSON, GPE, ORG...), set by the parse


@dataclass
class Trigger:
    """A word or phrase that may report an event; token indices are sentence-relative."""

    start: int
    end: int
    family: str

    @property
    def head(self) -> int:
        return self.end - 1


@dataclass
class AnalysedSentence:
    """One sentence: ``starts`` are absolute character offsets into ``Document.text``; ``doc`` is its
    parse (token i of ``doc`` is token i of the sentence) once :meth:`Analyser.parse` has run."""

    idx: int
    start: int
    end: int
    text: str
    tokens: list[str]
    lower: list[str]
    starts: list[int]
    entities: list[EntityMention] = field(default_factory=list)
    triggers: list[Trigger] = field(default_factory=list)
    weapons: list[Trigger] = field(default_factory=list)  # weapon words; ``family`` is the mode they name
    paragraph: int = 0
    body: int = 0  # offset in ``text`` after a dateline, if the sentence opens with one
    doc: Doc | None = None
    told: frozenset[str] = frozenset()  # what the sentences before it told (see ``extract.reading``)

    def span_text(self, i: int, j: int) -> str:
        """The original text of tokens i..j-1."""
        if i >= j:
            return ""
        end = self.starts[j - 1] + len(self.tokens[j - 1])
        return self.text[self.starts[i] - self.start:end - self.start]

    def mention_at(self, i: int) -> EntityMention | None:
        """The mention covering token i, if any."""
        for m in self.entities:
            if m.start <= i < m.end:
                return m
        return None
