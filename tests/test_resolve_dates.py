"""Time expressions: a table of sentences written for these tests, each with a reference date and the
expression expected in it. The sentences imitate how news gives time; none is copied from the corpus."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from trucewatch.resolve.dates import TimeExpr, find_time_expressions, shift

WED = "2024-02-07"  # a Wednesday
SUN = "2020-10-11"  # a Sunday
THU_JAN = "2021-01-14"  # a Thursday in January: year boundaries looking back
WED_DEC = "2023-12-20"  # a Wednesday in December: year boundaries looking ahead
MON_OCT = "2020-10-12"  # a Monday in October
SAT = "2025-04-19"  # a Saturday
FRI = "2025-10-10"  # a Friday


def case(sentence: str, ref: str | None, said: str, expected: str, **extra: Any) -> Any:
    """One row: in ``sentence`` read with reference date ``ref``, the expression that reads ``said``
    resolves to ``expected`` ("value granularity kind", "-" for None), and to ``extra`` fields."""
    value, granularity, kind = (None if part == "-" else part for part in expected.split())
    return pytest.param(sentence, ref, said, value, granularity, kind, extra, id=f"{said}@{ref}")


CASES = [
    # --- weekdays: before, on and after the reference weekday ---
    case("Rockets hit the base on Monday, officials said.", WED, "on Monday", "2024-02-05 day point"),
    case("The militia said on Wednesday it would stop.", WED, "on Wednesday", "2024-02-07 day point"),
    case("A drone struck a convoy on Friday near the border.", WED, "on Friday", "2024-02-02 day point"),
    case("Two commanders said Sunday that the shelling would stop.", SUN, "Sunday", "2020-10-11 day point"),
    case("Officials said Saturday that a convoy was hit.", SUN, "Saturday", "2020-10-10 day point"),
    case("Officials condemned Friday's shelling of the market.", WED, "Friday's", "2024-02-02 day point"),
    case("Investigators examined Monday night's attack.", WED, "Monday night's", "2024-02-05 day point"),
    case("Mortars fired late Monday landed near the port.", WED, "late Monday", "2024-02-05 day point"),
    case("Four were killed early on Tuesday in the strikes.", WED,
         "early on Tuesday", "2024-02-06 day point"),
    case("He was killed on Wednesday night in a drone strike.", WED,
         "on Wednesday night", "2024-02-07 day point"),
    case("The drones were launched on Thursday morning.", WED, "on Thursday morning", "2024-02-01 day point"),
    case("The talks, which opened last Wednesday, stalled.", WED, "last Wednesday", "2024-01-31 day point"),
    case("The envoy is to visit Baghdad next Saturday.", WED, "next Saturday", "2024-02-10 day point"),
    case("Talks resume this coming Monday in Cairo.", WED, "this coming Monday", "2024-02-12 day point"),
    case("The truce will start on Saturday at dawn.", WED, "on Saturday at dawn", "2024-02-10 day point"),
    case("A truce starting tomorrow, Thursday, was announced.", WED,
         "tomorrow, Thursday", "2024-02-08 day point"),
    case("Shelling was set to stop later on Saturday.", SAT, "later on Saturday", "2025-04-19 day point"),
    case("Officials said the ceasefire would take effect at midnight on Monday.", WED,
         "at midnight on Monday", "2024-02-12 day point"),
    case("Officials said the attack on Monday would not go unanswered.", WED, "on Monday", "2024-02-05 day point"),
    case("On Wednesday, Feb. 7, 2024, a bomb hit a bus.", "2024-03-01",
         "On Wednesday, Feb. 7, 2024", "2024-02-07 day point", relative=False),
    case("09:05, Monday, 6 November, 2023", "2023-11-06",
         "09:05, Monday, 6 November, 2023", "2023-11-06 day point", relative=False),
    # --- day words ---
    case("The ministry said yesterday that a depot burned.", "2020-12-21",
         "yesterday", "2020-12-20 day point"),
    case("The envoy announced the deal today.", "2022-04-01", "today", "2022-04-01 day point"),
    case("The truce takes effect tomorrow.", "2022-04-01", "tomorrow", "2022-04-02 day point"),
    case("Sirens sounded in the capital tonight.", SAT, "tonight", "2025-04-19 day point"),
    case("Two rockets landed near the base last night.", SAT, "last night", "2025-04-18 day point"),
    case("The strike happened the day before yesterday.", SAT,
         "the day before yesterday", "2025-04-17 day point"),
    # --- last / this / next ---
    case("The ministry threatened last month to close its border.", MON_OCT,
         "last month", "2020-09 month point"),
    case("Attacks rose sharply this month.", MON_OCT, "this month", "2020-10 month point"),
    case("The minister earlier this month blamed the factions.", "2019-12-29",
         "earlier this month", "2019-12 month point"),
    case("Talks are expected later this month.", MON_OCT, "later this month", "2020-10 month point"),
    case("The mission will leave the region next month.", "2025-08-22", "next month", "2025-09 month point"),
    case("She plans a visit early next month.", "2023-04-28", "early next month", "2023-05 month point"),
    case("Attacks doubled last year.", MON_OCT, "last year", "2019 year point"),
    # --- a month (or day) of the year before, of this year, of the next: the year word decides the year ---
    case("In March last year the gunmen raided a prison.", MON_OCT, "In March last year", "2019-03 month point"),
    case("The port has been blockaded since November last year.", MON_OCT,
         "since November last year", "2019-11 month range"),
    case("Talks resumed on 3 February this year.", MON_OCT, "on 3 February this year", "2020-02-03 day point"),
    case("Elections are due in May next year.", MON_OCT, "in May next year", "2021-05 month point"),
    # ... but a year word that starts its own clause is not the month's year
    case("In May, last year's truce collapsed.", MON_OCT, "In May", "2020-05 month point"),
    case("So far this year the rebels have fired 40 shells.", "2021-06-30",
         "So far this year", "2021 year point"),
    case("Troops may leave next year.", MON_OCT, "next year", "2021 year point"),
    case("The rebels regrouped at the end of last year.", "2024-04-21",
         "at the end of last year", "2023 year point"),
    case("Attacks resumed at the start of this year.", "2024-04-21",
         "at the start of this year", "2024 year point"),
    case("The attacks began earlier this year.", "2024-04-21", "earlier this year", "2024 year point"),
    case("A truce was agreed last October.", "2021-03-11", "last October", "2020-10 month point"),
    case("A truce was agreed last October.", MON_OCT, "last October", "2019-10 month point"),
    case("A truce was agreed last October.", THU_JAN, "last October", "2020-10 month point"),
    case("The militias said last December they would stop.", WED_DEC, "last December", "2022-12 month point"),
    case("The coalition will leave next month.", WED_DEC, "next month", "2024-01 month point"),
    case("Elections are due next year.", WED_DEC, "next year", "2024 year point"),
    case("Talks resume next March.", WED_DEC, "next March", "2024-03 month point"),
    case("Attacks surged this week.", WED, "this week", "2024-02 month point"),
    case("The envoy arrived earlier this week.", "2024-03-02", "earlier this week", "2024 year point"),
    case("Last month’s shelling damaged a school.", "2021-03-11",
         "Last month’s", "2021-02 month point"),
    # --- month names without a year ---
    case("Back in October, the factions paused their raids.", "2020-12-21",
         "Back in October", "2020-10 month point"),
    case("In December the parliament voted.", THU_JAN, "In December", "2020-12 month point"),
    case("The vote was held in January.", THU_JAN, "in January", "2021-01 month point"),
    case("Troops were reduced in October.", MON_OCT, "in October", "2020-10 month point"),
    case("The last raid was in September, the ministry said.", "2021-02-16",
         "in September", "2020-09 month point"),
    case("The rockets fell in mid-July.", MON_OCT, "in mid-July", "2020-07 month point"),
    case("Attacks halted in early February.", "2024-04-21", "in early February", "2024-02 month point"),
    case("The deal dates from the end of March.", MON_OCT, "the end of March", "2020-03 month point"),
    case("All troops will leave in September.", "2025-08-22", "in September", "2025-09 month point"),
    case("Parliament voted in December.", WED_DEC, "in December", "2023-12 month point"),
    case("Parliament voted in January.", WED_DEC, "in January", "2023-01 month point"),
    case("The war began in the spring.", WED_DEC, "in the spring", "2023 year point"),
    case("A rocket hit the base in a February attack.", "2021-03-11", "February", "2021-02 month point"),
    # --- day and month without a year ---
    case("A mortar hit the consulate on November 18, officials said.", "2020-12-21",
         "on November 18", "2020-11-18 day point"),
    case("The base was hit on 3 March.", "2021-03-12", "on 3 March", "2021-03-03 day point"),
    case("On March 3rd, a mortar round hit the camp.", "2021-03-11", "On March 3rd", "2021-03-03 day point"),
    case("The strikes took place on Dec 28.", THU_JAN, "on Dec 28", "2020-12-28 day point"),
    case("Talks have stalled since Sept. 27.", MON_OCT,
         "since Sept. 27", "2020-09-27 day range", end_value=None),
    case("MOSUL, Dec 21 — A bomb hit the market.", "2020-12-21", "Dec 21", "2020-12-21 day point"),
    case("On March 1, the ministry said one guard died.", "2021-02-26",
         "On March 1", "2021-03-01 day point"),
    case("The February 3 raid followed a January 28 ambush.", WED, "February 3", "2024-02-03 day point"),
    case("The February 3 raid followed a January 28 ambush.", WED, "January 28", "2024-01-28 day point"),
    case("The truce took effect on the 2nd of April.", "2022-06-02",
         "on the 2nd of April", "2022-04-02 day point"),
    case("The summit opens on Friday 20 March.", "2020-03-01", "on Friday 20 March", "2020-03-20 day point"),
    case("Voters went to the polls in the Nov. 3 election.", "2020-11-10", "Nov. 3", "2020-11-03 day point"),
    case("The strikes took place on December 28.", "2024-01-02", "on December 28", "2023-12-28 day point"),
    # --- dates in full ---
    case("The base was hit on 3 March 2021.", None,
         "on 3 March 2021", "2021-03-03 day point", relative=False),
    case("The strike on March 3, 2021 killed two.", WED,
         "on March 3, 2021", "2021-03-03 day point", relative=False),
    case("Basra, Feb. 7, 2024 (AFP) - A bomb hit a bus.", WED, "Feb. 7, 2024", "2024-02-07 day point"),
    case("Posted 14 May, 2023 by staff.", None, "14 May, 2023", "2023-05-14 day point"),
    case("Published July 9, 2021|Updated July 9, 2021", None, "July 9, 2021", "2021-07-09 day point"),
    case("March 22, 2021 11:05 AM", None, "March 22, 2021 11:05 AM", "2021-03-22 day point"),
    case("Updated 2022-04-01T10:00", None, "2022-04-01", "2022-04-01 day point"),
    case("The dispute goes back to January 2020, when talks failed.", WED,
         "January 2020", "2020-01 month point", relative=False),
    case("Since the January 2020 elections, tensions rose.", WED, "January 2020", "2020-01 month point"),
    case("The assembly in March 2018 approved a budget.", None, "in March 2018", "2018-03 month point"),
    case("The brigade was founded in 2014.", WED, "in 2014", "2014 year point", relative=False),
    case("The insurgency was declared over in 2019.", None, "in 2019", "2019 year point"),
    case("Tensions have run high since the 2003 invasion.", WED, "2003", "2003 year point"),
    case("A truce is possible by mid-2025, he said.", WED,
         "by mid-2025", "2025 year deadline", end_value="2025"),
    case("The mission ends in September 2025.", WED, "in September 2025", "2025-09 month point"),
    case("The war that began in the summer of 2014 ended.", WED, "in the summer of 2014", "2014 year point"),
    # --- numeric dates: dd-mm-yyyy or mm-dd-yyyy ---
    case("Tue, 03-05-2022 08:15 AM, Taiz", None, "Tue, 03-05-2022 08:15 AM", "2022-05-03 day point"),
    case("Posted 01-04-2022 by the agency.", "2022-04-01", "01-04-2022", "2022-04-01 day point"),
    case("Posted 01-04-2022 by the agency.", None, "01-04-2022", "2022 year point"),
    case("Posted 25/12/2021 by the agency.", None, "25/12/2021", "2021-12-25 day point"),
    case("Posted 12/25/2021 by the agency.", None, "12/25/2021", "2021-12-25 day point"),
    case("Posted 2021/02/14 by the agency.", None, "2021/02/14", "2021-02-14 day point"),
    case("Posted 14.02.2021 by the agency.", None, "14.02.2021", "2021-02-14 day point"),
    # --- ranges ---
    case("The pause lasts from 5 May 2019 until 5 July 2019.", None,
         "from 5 May 2019 until 5 July 2019", "2019-05-05 day range", end_value="2019-07-05",
         relative=False),
    case("The pause lasts from 5 May until 5 July 2019.", None,
         "from 5 May until 5 July 2019", "2019-05-05 day range", end_value="2019-07-05"),
    case("Rebuilding is planned for the 2025–2026 period.", WED,
         "2025–2026", "2025 year range", end_value="2026"),
    case("Talks were held 3-5 March 2022 in Geneva.", None,
         "3-5 March 2022", "2022-03-03 day range", end_value="2022-03-05"),
    case("Attacks surged between June and August.", MON_OCT,
         "between June and August", "2020-06 month range", end_value="2020-08"),
    case("Talks ran from Monday to Wednesday.", WED,
         "from Monday to Wednesday", "2024-02-05 day range", end_value="2024-02-07"),
    case("Talks will run from Monday to Wednesday.", WED,
         "from Monday to Wednesday", "2024-02-12 day range", end_value="2024-02-14"),
    case("The pause runs from 8 p.m. Kyiv time today (1 p.m. New York time) until midnight on Sunday.",
         SAT, "from 8 p.m. Kyiv time today (1 p.m. New York time) until midnight on Sunday",
         "2025-04-19 day range", end_value="2025-04-20"),
    case("Talks were held from 2 to 5 March.", "2022-03-10", "from 2 to 5 March", "2022-03-02 day range",
         end_value="2022-03-05"),
    case("The trip lasted from 30 December to 2 January 2021.", None,
         "from 30 December to 2 January 2021", "2020-12-30 day range", end_value="2021-01-02"),
    case("Patrols have been ambushed 12 times since October 17.", "2023-10-27",
         "since October 17", "2023-10-17 day range", end_value=None),
    case("It was the first shelling since early February.", "2024-04-21",
         "since early February", "2024-02 month range", end_value=None),
    case("Unrest has gripped the province since 2011.", None, "since 2011", "2011 year range"),
    # --- relative amounts ---
    case("The base was hit two days ago.", WED, "two days ago", "2024-02-05 day point"),
    case("The talks collapsed three months ago.", WED, "three months ago", "2023-11 month point"),
    case("The siege began seven years ago.", "2022-08-02", "seven years ago", "2015 year point"),
    case("A convoy was hit a week ago.", "2024-02-04", "a week ago", "2024-01 month point"),
    case("A convoy was hit a week ago.", WED, "a week ago", "2024 year point"),
    case("A convoy was hit a week ago.", "2024-01-09", "a week ago", "- - point"),
    case("Clashes erupted over the past weekend.", "2024-02-08", "the past weekend", "2024-02 month point"),
    case("Rockets were fired over the weekend.", "2024-02-05", "over the weekend", "2024-02 month point"),
    case("The militias met last week.", THU_JAN, "last week", "2021-01 month point"),
    case("The militias met last week.", "2021-04-07", "last week", "2021 year point"),
    case("The militias met last week.", "2021-01-06", "last week", "- - point"),
    case("The strikes began last summer.", "2024-03-10", "last summer", "2023 year point"),
    case("Fighting slowed last winter.", "2024-03-10", "last winter", "- - point"),
    # --- times of day ---
    case("Shells hit the depot at 7:20am local time.", WED,
         "at 7:20am local time", "- - point", relative=False),
    case("Shells hit the depot at 7:20am local time on 3 March.", "2021-03-12",
         "at 7:20am local time on 3 March", "2021-03-03 day point"),
    case("The army said that at 2:00 the raid began.", WED, "at 2:00", "- - point"),
    case("The convoy was hit at 1900 local time.", WED, "at 1900 local time", "- - point"),
    case("The shelling started shortly after 9pm GMT.", WED, "9pm GMT", "- - point"),
    case("The deal lapses today, 2 June 2022, at 19:00 Sanaa time (1600 GMT).", "2022-06-02",
         "today, 2 June 2022, at 19:00 Sanaa time (1600 GMT)", "2022-06-02 day point"),
    case("The pause begins tomorrow, 2 April, at 1900hrs.", "2022-04-01",
         "tomorrow, 2 April, at 1900hrs", "2022-04-02 day point"),
    case("The ultimatum gives the rebels until 12:00 local time (10:00 BST) on Monday.", FRI,
         "until 12:00 local time (10:00 BST) on Monday", "2025-10-13 day deadline", end_value="2025-10-13"),
    # --- durations and deadlines ---
    case("The premier must request a withdrawal within 12 months.", WED,
         "within 12 months", "- - deadline", duration="P12M", end_value=None),
    case("Mercenaries have to depart within three months.", WED,
         "within three months", "- - deadline", duration="P3M"),
    case("Replies are due within the next 48 hours.", WED,
         "within the next 48 hours", "- - deadline", duration="PT48H"),
    case("The truce will hold for 60 days.", WED, "for 60 days", "- - duration", duration="P60D"),
    case("The truce was renewed for two more months.", WED,
         "for two more months", "- - duration", duration="P2M"),
    case("The truce was extended by two months.", WED,
         "extended by two months", "- - duration", duration="P2M"),
    case("Mediators proposed a two-month truce.", WED, "two-month", "- - duration", duration="P2M"),
    case("The army declared a 30-hour pause.", WED, "30-hour", "- - duration", duration="PT30H"),
    case("Six months of quiet ended abruptly.", WED, "Six months", "- - duration", duration="P6M"),
    case("No shelling was reported in the last six months.", WED,
         "in the last six months", "- - duration", duration="P6M", relative=True),
    case("The lull would last 12 hours.", WED, "last 12 hours", "- - duration", duration="PT12H"),
    case("The market had been calm for nearly a year.", WED,
         "for nearly a year", "- - duration", duration="P1Y"),
    case("She returned from a week-long tour.", WED, "week-long", "- - duration", duration="P1W"),
    case("The militia gave a 48-hour deadline.", WED, "48-hour", "- - duration", duration="PT48H"),
    case("The city endured a two-year siege.", WED, "two-year", "- - duration", duration="P2Y"),
    case("After 10 hours of talks a deal was struck.", WED, "10 hours", "- - duration", duration="PT10H"),
    case("In the past 24 hours, rockets fell twice.", WED,
         "In the past 24 hours", "- - duration", duration="PT24H", relative=True),
    case("They talked for twenty-one days.", WED, "for twenty-one days", "- - duration", duration="P21D"),
    case("All troops will leave by the end of the year.", MON_OCT,
         "by the end of the year", "2020 year deadline", end_value="2020-12-31"),
    case("All troops will leave by the end of March.", MON_OCT,
         "by the end of March", "2021-03 month deadline", end_value="2021-03-31"),
    case("All advisers will have left the camp by September 15.", "2025-08-22",
         "by September 15", "2025-09-15 day deadline", end_value="2025-09-15"),
    case("The pause runs until midnight on Sunday.", SAT,
         "until midnight on Sunday", "2025-04-20 day deadline", end_value="2025-04-20"),
    case("The truce held until October.", "2020-12-21",
         "until October", "2020-10 month deadline", end_value="2020-10"),
    case("Troops must leave by 2025, the bill says.", WED, "by 2025", "2025 year deadline", end_value="2025"),
    # --- anaphoric ---
    case("Two days later, rockets hit the embassy.", WED, "Two days later", "- - anaphoric", offset_days=2),
    case("The raid came two days after a guard died.", WED,
         "two days after", "- - anaphoric", offset_days=2),
    case("A day earlier, on Wednesday, a mortar hit the depot.", WED,
         "A day earlier", "- - anaphoric", offset_days=-1),
    case("The group had warned the previous day.", WED, "the previous day", "- - anaphoric", offset_days=-1),
    case("The envoy spoke only hours after a mine hit a truck.", WED,
         "only hours after", "- - anaphoric", offset_days=0),
    case("It happened on the same day that the minister resigned.", WED,
         "the same day", "- - anaphoric", offset_days=0),
    case("A week later the truce collapsed.", WED, "A week later", "- - anaphoric", offset_days=7),
    case("The Pentagon announced his death the next day.", WED,
         "the next day", "- - anaphoric", offset_days=1),
    case("Three months later the militias struck again.", WED,
         "Three months later", "- - anaphoric", offset_days=None),
    case("The navy had that evening fired on a boat.", WED,
         "that evening", "- - anaphoric", offset_days=0),
    case("Twelve days later the base was hit.", WED, "Twelve days later", "- - anaphoric", offset_days=12),
    case("The convoy was hit the day before.", WED, "the day before", "- - anaphoric", offset_days=-1),
    case("Sirens sounded 45 minutes before the truce began.", WED,
         "45 minutes before", "- - anaphoric", offset_days=0),
    case("The two sides met again the following week.", WED,
         "the following week", "- - anaphoric", offset_days=7),
    case("Only days earlier, jets had struck a bridge.", WED,
         "Only days earlier", "- - anaphoric", offset_days=None),
    # --- no reference date: relative values unknown, full dates still resolved ---
    case("Rockets hit the base on Sunday.", None, "on Sunday", "- - point", relative=True),
    case("The ministry threatened last month to close its border.", None,
         "last month", "- - point", relative=True),
    case("The base was hit on 3 March.", None, "on 3 March", "- - point", relative=True),
    case("Rockets hit the base 2 days ago.", None, "2 days ago", "- - point", relative=True),
    case("The pause lasts from 5 May until 5 July 2019.", None,
         "from 5 May until 5 July 2019", "2019-05-05 day range", relative=False),
    case("Tue, 03-05-2022 08:15 AM", None,
         "Tue, 03-05-2022 08:15 AM", "2022-05-03 day point", relative=False),
    case("Two days later, rockets hit the embassy.", None, "Two days later", "- - anaphoric", offset_days=2),
]


def _reference(ref: str | None) -> dt.date | None:
    return dt.date.fromisoformat(ref) if ref else None


@pytest.mark.parametrize(("sentence", "ref", "said", "value", "granularity", "kind", "extra"), CASES)
def test_resolve_dates_table(sentence: str, ref: str | None, said: str, value: str | None,
                             granularity: str | None, kind: str, extra: dict[str, Any]) -> None:
    found = find_time_expressions(sentence, _reference(ref))
    chosen = [e for e in found if e.text == said]
    assert chosen, f"{said!r} not found; got {[e.text for e in found]}"
    expr = chosen[0]
    assert sentence[expr.start:expr.end] == said
    assert (expr.value, expr.granularity, expr.kind) == (value, granularity, kind)
    for field, expected in extra.items():
        assert getattr(expr, field) == expected, field


NOT_DATES = [
    "The rebels spent 12 months besieging the town.",
    "Two 107 mm rockets hit a field.",
    "Two F-15 fighters dropped bombs.",
    "The 5+5 military commission met in Geneva.",
    "The army cut its force to 2,500 troops.",
    "The shell hit the 14th Brigade's barracks.",
    "Three soldiers died at Tower 22 in Jordan.",
    "Flights were cut during COVID-19 restrictions.",
    "They called for Resolution 2254 to be implemented.",
    "The K-1 base near Kirkuk was hit.",
    "Iraq's parliament passed Resolution 2020 on the matter.",
    "Some 2000 troops were deployed to the border.",
    "The group ranked first among the factions.",
    "He said the attack may prove decisive.",
    "The spring offensive failed.",
    "The fall of Mosul shocked the army.",
    "The Good Friday agreement was cited.",
    "The rebels named no set deadline.",
    "The clinic runs 24 hours a day.",
    "A 4-year-old child was hurt.",
    "The day when the siege ends will come.",
    "Friday prayers were cancelled in the capital.",
    "The Sunday Times reported the talks.",
    "The truce started at 1900hrs.",
    "Rockets struck at 2000 GMT.",
    "About 2000 people marched.",
    "The 9/11 attacks changed the region.",
    "The talks were held in the last week of March.",
]


@pytest.mark.parametrize("sentence", NOT_DATES)
def test_resolve_dates_not_dates(sentence: str) -> None:
    found = find_time_expressions(sentence, dt.date(2024, 2, 7))
    assert [e.text for e in found if e.value is not None or e.kind != "point"] == []


def test_resolve_dates_time_alone_is_not_a_date() -> None:
    """"7:20am" must never borrow the reference's month and day."""
    (expr,) = find_time_expressions("The rockets landed at 7:20am.", dt.date(2021, 3, 12))
    assert (expr.value, expr.granularity, expr.kind) == (None, None, "point")


def test_resolve_dates_reference_may_be_a_timestamp() -> None:
    (expr,) = find_time_expressions("Rockets hit the base on Monday.", dt.datetime(2024, 2, 7, 21, 38))
    assert expr.value == "2024-02-05"


def test_resolve_dates_in_order_and_not_overlapping() -> None:
    text = ("On Sunday, two days after Friday's barrage, the militia said it had observed a two-month truce "
            "since 2 August 2022 and would leave by the end of the year, starting tomorrow at 9pm.")
    found = find_time_expressions(text, dt.date(2022, 10, 2))
    assert [e.text for e in found] == ["On Sunday", "two days after", "Friday's", "two-month",
                                       "since 2 August 2022", "by the end of the year", "tomorrow at 9pm"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))
    assert all(isinstance(e, TimeExpr) for e in found)


@pytest.mark.parametrize(("value", "days", "expected"), [
    ("2024-02-07", 2, "2024-02-09"),
    ("2024-02-07", -1, "2024-02-06"),
    ("2023-12-31", 1, "2024-01-01"),
    ("2024-02", 3, "2024-02"),
    ("2024", -7, "2024"),
    ("yesterday", 1, None),
])
def test_resolve_dates_shift(value: str, days: int, expected: str | None) -> None:
    assert shift(value, days) == expected


