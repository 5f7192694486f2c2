"""The dates a report offers an event its sentence does not date (``timing.Dates``) and the fallback
labels training derives from them."""

from __future__ import annotations

import datetime as dt

from trucewatch.extract import timing
from trucewatch.extract.reading import read
from trucewatch.learn.train import _fallback_kind
from trucewatch.models import Document
from trucewatch.nlp.analyse import Analyser
from trucewatch.resolve.names import Gazetteer

REF = dt.date(2021, 3, 16)


def test_the_lead_is_the_first_day_the_report_states() -> None:
    dates = timing.Dates(REF)
    dates = dates.after("2021-03", stated=True)  # a month is no lead
    dates = dates.after("2021-03-14", stated=False)  # an inferred day is no lead either
    assert dates.lead is None and dates.previous == "2021-03-14"
    dates = dates.after("2021-03-15", stated=True)
    dates = dates.after("2021-03-10", stated=True)  # the lead stays the first one
    assert (dates.lead, dates.previous) == ("2021-03-15", "2021-03-10")
    dates = dates.after(None, stated=False)  # an undated event changes nothing
    assert (dates.lead, dates.previous) == ("2021-03-15", "2021-03-10")


def test_fallback_values() -> None:
    dates = timing.Dates(REF, previous="2021-03-10", lead="2021-03-15")
    assert [timing.fallback_value(k, dates) for k in timing.FALLBACKS] == \
        [None, "2021-03-16", "2021-03", "2021-03-10", "2021-03-15"]
    assert timing.fallback_value("lead", timing.Dates(None)) is None
    assert timing.fallback_value("day", timing.Dates(None)) is None


def test_fallback_labels_prefer_the_report_day_then_the_event_before() -> None:
    dates = timing.Dates(REF, previous="2021-03-15", lead="2021-03-15")
    assert _fallback_kind("2021-03-16", dates) == "day"
    assert _fallback_kind("2021-03", dates) == "month"
    assert _fallback_kind("2021-03-15", dates) == "previous"
    assert _fallback_kind("2021-03-15", timing.Dates(REF, previous="2021-03-12", lead="2021-03-15")) == "lead"
    assert _fallback_kind(None, dates) == "none"
    assert _fallback_kind("2020-01-01", dates) is None  # dated by words the models cannot see


def test_fallback_features_say_how_the_offered_dates_relate() -> None:
    analyser = Analyser(Gazetteer.load())
    doc = Document(id="t", text="Gunmen attacked a checkpoint near the town, killing two soldiers.", title=None,
                   published=REF.isoformat())
    s = next(x for x in read(doc, analyser).sentences if x.triggers)
    anchor = s.triggers[0]
    same = timing.fallback_features(s, anchor, "attack", 1, False, False,
                                    timing.Dates(REF, previous=REF.isoformat(), lead=REF.isoformat()))
    assert "lead=ref" in same and "prev=ref" in same
    before = timing.fallback_features(s, anchor, "attack", 1, False, False,
                                      timing.Dates(REF, previous="2021-03-15", lead="2021-03-15"))
    assert "lead_age=1" in before and "prev=lead" in before
    none = timing.fallback_features(s, anchor, "attack", 1, False, False, timing.Dates(REF))
    assert "lead=none" in none and "prev=none" in none
