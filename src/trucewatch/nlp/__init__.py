"""spaCy layer: tokens, sentences, names and trigger words for the extractor; the parse on demand."""

from trucewatch.nlp.analyse import Analyser
from trucewatch.nlp.sentences import AnalysedSentence, EntityMention

__all__ = ["Analyser", "AnalysedSentence", "EntityMention"]
