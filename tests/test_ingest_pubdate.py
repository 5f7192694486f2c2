"""Publication dates: metadata first, then the URL, then the date lines at the top of the text."""

from __future__ import annotations

import pytest

from trucewatch.ingest import discover_published
from trucewatch.ingest.pubdate import is_date_stamp, parse_date

BODY = "Rockets struck a base north of the capital on Sunday, officials said."


@pytest.mark.parametrize(("url", "expected"), [
    ("https://news.example.com/2020/10/12/militias-halt-attacks/", "2020-10-12"),
    ("https://www.example.com/us-news/2021/dec/29/strikes-in-iraq", "2021-12-29"),
    ("https://www.example.com/20210312-groups-will-stop-attacks/", "2021-03-12"),
    ("https://example.net/english/middleeast/28062021-amp", "2021-06-28"),
    ("https://example.org/news/2022-04-01/truce-announced", "2022-04-01"),
    ("https://example.org/archives/2019/12/31/2003728460", "2019-12-31"),
])
def test_pubdate_url_patterns(url: str, expected: str) -> None:
    assert discover_published(BODY, url) == (expected, "url")


@pytest.mark.parametrize("url", [
    "https://example.com/news/article-1.4607908",  # an id, not a date
    "https://example.com/2025/10/ceasefire-comes-into-force/",  # year and month only
    "https://example.com/20211345-story",  # month 13
])
def test_pubdate_url_without_a_full_date(url: str) -> None:
    assert discover_published(BODY, url) == (None, None)


@pytest.mark.parametrize(("stamp", "expected"), [
    ("28 April, 2023", "2023-04-28"),
    ("February 15, 2021 09:43 PM", "2021-02-15"),
    ("Published June 28, 2021|Updated June 28, 2021", "2021-06-28"),
    ("20:12, Thursday, 19 October, 2023", "2023-10-19"),
    ("2 February 2024, 21:38 | Updated: 2 February 2024, 22:38", "2024-02-02"),
    ("Fri, 01-04-2022 10:34 PM, Aden", "2022-04-01"),
    ("Thursday, January 2, 2020", "2020-01-02"),
    ("Updated: 3 February 2024, 09:00 | Published: 1 February 2024", "2024-02-01"),
])
def test_pubdate_date_stamp_lines(stamp: str, expected: str) -> None:
    text = f"Militias halt attacks on US forces\n{stamp}\n{BODY}"
    assert discover_published(text, None) == (expected, "dateline")


@pytest.mark.parametrize(("text", "url", "expected"), [
    # a press dateline with its year
    (f"WASHINGTON, Dec. 21, 2020 — {BODY}", None, "2020-12-21"),
    # no year in the dateline: the URL's year and month complete it
    (f"GAZA CITY, Oct 10 – {BODY}", "https://example.co.ke/news/2025/10/ceasefire/", "2025-10-10"),
    # ... or a full date of the same month at the top (here in a caption)
    (f"The embassy seen from the river on December 20, 2020 — AFP pic\nBAGHDAD, Dec 21 — {BODY}",
     None, "2020-12-21"),
])
def test_pubdate_press_datelines(text: str, url: str | None, expected: str) -> None:
    assert discover_published(text, url) == (expected, "dateline")


def test_pubdate_dateline_without_year_alone_gives_nothing() -> None:
    assert discover_published(f"BAGHDAD, Dec 21 — {BODY}", None) == (None, None)


def test_pubdate_publication_cue_in_a_longer_line() -> None:
    text = f"Posted on March 3, 2021 by Staff Writer in World News\n{BODY}"
    assert discover_published(text, None) == ("2021-03-03", "text")


@pytest.mark.parametrize("text", [
    # a caption of an old file photo at the top is not the publication date
    f"Soldiers board an aircraft at the airport, July 13, 2010. (Jane Example/ AP/ File)\n{BODY}",
    f"On 28 June 2021, the factions said they would respond.\n{BODY}",
    f"The report, published on March 3, 2021, said the truce held.\n{BODY}",
    BODY,
])
def test_pubdate_dates_inside_sentences_are_not_used(text: str) -> None:
    assert discover_published(text, None) == (None, None)


def test_pubdate_metadata_wins_over_url_and_text() -> None:
    text = f"28 April, 2023\n{BODY}"
    url = "https://example.com/2020/10/12/story"
    assert discover_published(text, url, "2021-03-12T08:30:00+03:00") == ("2021-03-12", "metadata")


def test_pubdate_unusable_metadata_falls_through_to_url() -> None:
    url = "https://example.com/2020/10/12/story"
    assert discover_published(BODY, url, "sometime last year") == ("2020-10-12", "url")


@pytest.mark.parametrize("stamp", [
    "31 December 2999",  # future: no report was published then
    "05/10/2018",  # day and month cannot be told apart
    "30 February 2021",  # no such day
])
def test_pubdate_refuses_impossible_or_ambiguous_dates(stamp: str) -> None:
    assert discover_published(f"{stamp}\n{BODY}", None) == (None, None)


@pytest.mark.parametrize(("value", "expected"), [
    ("2021-03-12", "2021-03-12"),
    ("2021-03-12T01:00:00+03:00", "2021-03-12"),  # the day the outlet printed, not UTC
    ("Fri, 12 Mar 2021 23:30:00 -0500", "2021-03-12"),
    ("March 3, 2021", "2021-03-03"),
    ("3 March 2021", "2021-03-03"),
    ("11/19/2019", "2019-11-19"),
    ("2021-03", None),
    ("yesterday", None),
])
def test_pubdate_parse_date(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("October 24, 2020", True),
    ("- Published 18 November 2019", True),
    ("UPDATED: Tue., Nov. 19, 2019", True),
    ("Attack on 3 March 2021", False),  # a headline that names a date
    ("The truce was agreed on 3 March 2021 in Geneva.", False),
    ("Rockets hit the base", False),
])
def test_pubdate_is_date_stamp(line: str, expected: bool) -> None:
    assert is_date_stamp(line) is expected
