"""A report read once for everything the extractor decides: its sentences, the date its relative dates
count from, and the country it is about.

**Datelines.** A date printed at the head of the text ("Wed Oct 12 2016", "Date of publication 4 April
2017", "08.04.2017 (updated ...)") is metadata: it dates the report, never an event or a toll. Where it
contradicts the ``published`` value given with the report (archives are sometimes days or years off),
the report says so in a warning and its relative dates ("on Tuesday") are read against the dateline.

**Country.** The country most of the report's places lie in (else the country of the city it was filed
from) decides what its generic nouns stand for ("the army", "rebels") and which of two namesake towns is
meant.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from trucewatch.models import Document, Entity
from trucewatch.nlp.analyse import Analyser
from trucewatch.nlp.sentences import AnalysedSentence
from trucewatch.resolve.dates import TimeExpr, find_time_expressions
from trucewatch.resolve.names import Gazetteer

DATELINE_CHARS = 150  # a dateline stands within this many characters of the text's start
_DISAGREE_DAYS = 1  # a dateline one day off the given date is a time zone, not a contradiction
_DATE_PREPOSITIONS = frozenset("on in since until till by from before after of at to between".split())
_DATELINE_CUES = frozenset("published posted updated publication date dated filed".split())
_LOCAL_WORDS = frozenset("district neighbourhood neighborhood quarter suburb street square".split())


@dataclass
class Reading:
    """One report as the extractor sees it."""

    doc: Document
    sentences: list[AnalysedSentence]
    reference: dt.date | None  # what relative dates count from
    dateline: TimeExpr | None  # the date printed at the head of the text, if any
    country: str | None


def reference_date(published: str | None) -> dt.date | None:
    """The publication date as a date (None when missing or malformed)."""
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


def find_dateline(doc: Document, published: dt.date | None) -> TimeExpr | None:
    """A full date (day, month and year written out) at the head of the text."""
    head = doc.text[:DATELINE_CHARS]
    for t in find_time_expressions(head, published):
        before = [w.lower().strip(":,") for w in head[:t.start].split() + t.text.split()[:1]]
        # "Jets struck the town on 3 March 2016" dates an event; a dateline stands alone, or after a word
        # that says it is one ("Posted on 12 July 2016", "Date of publication 4 April 2017")
        if any(w in _DATE_PREPOSITIONS for w in before[-2:]) and not _DATELINE_CUES.intersection(before[-4:]):
            continue
        if t.kind == "point" and not t.relative and t.granularity == "day" and t.value:
            return t
    return None


def read(doc: Document, analyser: Analyser) -> Reading:
    """Analyse a report and settle its reference date and country; generic nouns are resolved."""
    published = reference_date(doc.published)
    dateline = find_dateline(doc, published)
    reference = published
    if dateline is not None and dateline.value:
        printed = dt.date.fromisoformat(dateline.value)
        if published is None or abs((printed - published).days) > _DISAGREE_DAYS:
            if published is not None:
                note = (f"the text is dated {dateline.value} ('{dateline.text}') but was given as published "
                        f"{published.isoformat()}: relative dates are read against the text's date")
                if note not in doc.warnings:
                    doc.warnings.append(note)
            reference = printed
    sentences = analyser.analyse(doc)
    country = _country(sentences, analyser.gazetteer)
    _resolve_in_country(sentences, analyser.gazetteer, country)
    _told_before(sentences)
    return Reading(doc, sentences, reference, dateline, country)


def _told_before(sentences: list[AnalysedSentence]) -> None:
    """What each sentence's predecessors already told, for the features that tell a report's first mention
    of an event from its later ones: the places and parties named in sentences with a trigger word, the
    trigger families used, and the longer words."""
    told: set[str] = set()
    for s in sentences:
        s.told = frozenset(told)
        if s.triggers:
            told.update(("place:" if m.entity.is_place else "party:") + m.entity.id for m in s.entities)
            told.update("family:" + t.family for t in s.triggers)
        told.update("word:" + w for w in s.lower if len(w) > 3 and w.isalpha())


def _country(sentences: list[AnalysedSentence], gazetteer: Gazetteer) -> str | None:
    """The country most of the report's places lie in, else the country of the city it was filed from
    ("DAMASCUS, Syria (AP) -")."""
    counts: Counter[str] = Counter()
    for s in sentences:
        for m in s.entities:
            if m.entity.is_place and m.entity.country:
                counts[m.entity.country] += 2 if m.entity.type != "country" else 1
    if counts:
        return counts.most_common(1)[0][0]
    if sentences and sentences[0].body:
        head = re.split(r"[,(/]|\s[—–-]", sentences[0].text[:sentences[0].body], maxsplit=1)[0].strip()
        place = gazetteer.lookup(head.title(), kind="place") if head else None
        if place is not None and place.is_place:
            return place.name if place.type == "country" else place.country
    return None


# Provisional types an unknown name may have and still be a populated place or province of the world.
_MAYBE_PLACE = frozenset({"unknown", "city", "province", "region", "district"})


def _resolve_in_country(sentences: list[AnalysedSentence], gazetteer: Gazetteer, country: str | None) -> None:
    """Generic nouns become the entity they stand for in this country (or are dropped when it has none);
    a town named abroad that has a namesake in the report's country is the namesake; a name the gazetteer
    could not place without knowing the country ("Saraqib", "Talbiseh": small towns are not looked for
    abroad) is the town or province of that name in the report's country."""
    for s in sentences:
        kept = []
        for m in s.entities:
            if m.generic:
                entity = gazetteer.generic_in(m.generic, country)
                if entity is None:
                    continue
                m.entity = entity
            elif country and m.entity.provisional and m.entity.type in _MAYBE_PLACE and m.source == "name":
                local = gazetteer.world.city(m.entity.name, country, strict=True)
                if local is not None:
                    m.entity = local
            elif country and m.entity.is_place and m.entity.type not in ("country",) and \
                    m.entity.country and m.entity.country != country:
                local = gazetteer.world.city(m.surface, country, strict=True)
                if local is not None:
                    m.entity = local
                elif s.lower[m.end:m.end + 1] and s.lower[m.end] in _LOCAL_WORDS:
                    # "the Sulaymaniyah district of Aleppo": a part of a town of the report's country, not
                    # the foreign city of that name.
                    m.entity = Entity(id=f"provisional-{country.lower()}-{m.surface.lower()}", name=m.surface,
                                      type="district", country=country, provisional=True)
            kept.append(m)
        s.entities = kept
