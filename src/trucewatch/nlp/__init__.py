"""spaCy layer: tokens, sentences and gazetteer entity mentions for the extractor."""

from trucewatch.nlp.pipeline import AnalysedSentence, Analyser, EntityMention

__all__ = ["Analyser", "AnalysedSentence", "EntityMention"]
