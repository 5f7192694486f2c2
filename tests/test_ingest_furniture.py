"""Page furniture: found as whole-line spans over the original text; news sentences always kept."""

from __future__ import annotations

import pytest

from trucewatch.ingest import find_furniture

NEWS = "Three rockets struck the base late on Sunday, the military said, causing no casualties."


def reasons(text: str) -> dict[str, str]:
    return {r.text.strip(): r.reason for r in find_furniture(text)}


@pytest.mark.parametrize(("line", "reason"), [
    # captions and credits
    ("Protesters gather outside the embassy on 2 January 2020. [Getty]", "caption"),
    ("Troops at a base near the city on 4 May 2021 [Jane Roe/Example Agency]", "caption"),
    ("A still from a video shows the strike on a depot. [ Department of Defense ]", "caption"),
    ("Mourners carry a coffin in the capital on Friday, Feb. 9, 2024. (AP Photo/Sam Example)", "caption"),
    ("The airport seen on Wednesday, Jan. 8, 2020. (Chad Roe/Example Times)", "caption"),
    ("Soldiers board a plane, July 13, 2010. (John Roe/ AP/ File)", "caption"),
    ("Jets took off from a carrier in the Gulf. Picture: Alamy", "caption"),
    ("Smoke rises over the compound on December 20, 2020 — AFP pic", "caption"),
    ("Illustrative: Soldiers walk past a convoy at an air base.", "caption"),
    ("FILE PHOTO: A view of the embassy compound in the Green Zone.", "caption"),
    # links to other stories
    ("Read more: What is the Green Zone?", "related-link"),
    ("READ: Parliament votes on foreign troops", "related-link"),
    ("Also Read | Who leads the factions?", "related-link"),
    ("Related: Country profile", "related-link"),
    ("More on World Politics", "related-link"),
    ("[Related: The factions explained]", "related-link"),
    ("You may also like", "related-link"),
    # page chrome
    ("Skip to main content", "navigation"),
    ("Listen to this article", "navigation"),
    ("Live Story", "navigation"),
    ("3 min read", "navigation"),
    ("Advertisement", "navigation"),
    ("Show Comments", "comments"),
    ("Comments (12) | Login to comment", "comments"),
    ("Comments are moderated. Keep comments relevant to the story and civil.", "comments"),
    # bylines and credits
    ("By Example News", "byline"),
    ("By Jane Roe and John Doe", "byline"),
    ("Author: Sam Example", "byline"),
    ("Posted on March 3, 2021 by Staff Writer in World News", "byline"),
    ("Reuters, WASHINGTON and BAGHDAD", "byline"),
    ("(Reporting by Jane Roe; Editing by John Doe)", "credit"),
    ("Additional reporting by Sam Example", "credit"),
    ("Sam Example contributed reporting from Erbil.", "credit"),
    ("Copyright © 2024 Example Media. All rights reserved.", "credit"),
    ("Enditem", "end-marker"),
    # menus, tags, prompts
    ("Portuguese / Spanish / English", "language-menu"),
    ("English | العربية | Français", "language-menu"),
    ("Tags: Iraq, Syria, Middle East", "tags"),
    ("Filed under: Conflict |", "tags"),
    ("Europe & AsiaIranIraqSyriaNewsWorld", "tags"),
    ("Share: Facebook | Twitter | WhatsApp", "share-prompt"),
    ("Subscribe to our newsletter | Follow us on Telegram", "share-prompt"),
    ("For the latest headlines, follow our Google News channel online or via the app.", "share-prompt"),
    ("Follow Example News on Instagram, Facebook and X.", "share-prompt"),
    ("Catch all the World News and Latest News Updates on Example.", "promo"),
    # date stamps (the date is read by pubdate, the line is not a sentence)
    ("28 April, 2023", "timestamp"),
    ("Published June 28, 2021|Updated June 28, 2021", "timestamp"),
    ("Updated at 1:23 p.m.", "timestamp"),
])
def test_furniture_lines_are_found(line: str, reason: str) -> None:
    text = f"Headline of the report\n{NEWS}\n{line}\n{NEWS}"
    assert reasons(text) == {line: reason}


@pytest.mark.parametrize("line", [
    NEWS,
    "BAGHDAD, Dec 21 — An attack aimed at the embassy on Sunday sent eight rockets into the Green Zone.",
    "Read the statement carefully, the spokesman told reporters, because the offer will not be repeated.",
    "Readers of the militia's channel were told to expect more attacks on foreign bases.",
    "A photo posted online showed the burned-out car on a main road in the east of the city.",
    "Photos shared by residents showed smoke rising over the base.",
    "By Sunday night the truce appeared to be holding across the front line.",
    "More than 40 people were killed in the strikes, according to the health ministry.",
    "Related attacks were reported in the south, where a convoy was hit by a roadside bomb.",
    "Comments by the foreign minister drew an angry response from the factions.",
    "The comments were posted on the group's Telegram channel on Monday.",
    "Critics said the remarks were abusive and would inflame tensions.",
    "Share prices in the region fell after the attack.",
    "Subscribers to the channel received the statement before it was deleted.",
    "Follow-up strikes hit two more sites in Syria, the Pentagon said.",
    "Tags on the rockets showed they had been made abroad, an official said.",
    "Live fire was heard near the airport for about an hour.",
    "The group's spokesman said the attack (its third this month) was a warning.",
    "He said: \"We will respond at a time and place of our choosing [to the attack].\"",
    "Kataib Hezbollah is the most powerful of the factions, analysts say.",
    "The agreement was signed in Geneva on 23 October 2020 by both delegations.",
    "Source: a statement from the Iraqi military, which gave no further details of the damage",
    "Published by the ministry on Sunday, the figures showed a sharp rise in attacks.",
    "Iraqi officials contributed to the report, which found that militias carried out 40 attacks.",
    "Authors of the report said the truce had largely held since October.",
    "Like us, the Kurds want the foreign troops to stay, the minister said.",
    "Read the full statement, the spokesman urged reporters at the briefing.",
    "Ceasefire talks",
    "Death to America",
])
def test_furniture_keeps_news_lines(line: str) -> None:
    text = f"Headline of the report\n{NEWS}\n{line}\n{NEWS}"
    assert reasons(text) == {}


def test_furniture_spans_are_whole_lines_of_the_original_text() -> None:
    text = ("Militias halt attacks\n\n  Read more: Who are the militias?  \n" + NEWS
            + "\r\nShow Comments\nTags: Iraq")
    removed = find_furniture(text)
    assert [r.reason for r in removed] == ["related-link", "comments", "tags"]
    for r in removed:
        assert text[r.start:r.end] == r.text
        assert r.start == 0 or text[r.start - 1] == "\n"
        assert r.end == len(text) or text[r.end] in "\r\n"


def test_furniture_does_not_change_the_text() -> None:
    text = f"Skip to main content\n{NEWS}\nShow Comments"
    before = str(text)
    find_furniture(text)
    assert text == before


def test_furniture_byline_name_repeated_above_bio() -> None:
    bio = "Sam Example contributes news from the Middle East to The Example Times"
    text = f"Factions seek truce\n{NEWS}\n{NEWS}\nSam Example\nSam Example\n{bio}"
    assert reasons(text) == {"Sam Example": "byline", bio: "author-bio"}
    assert len(find_furniture(text)) == 3


def test_furniture_author_bio_at_the_end() -> None:
    bio = "Jane Roe is the news editor of Example.com. Follow her on X @janeroe."
    text = f"Factions seek truce\n{NEWS}\nAuthor: Jane Roe\n{bio}"
    assert reasons(text) == {"Author: Jane Roe": "byline", bio: "author-bio"}


def test_furniture_bio_like_sentence_early_in_the_report_is_kept() -> None:
    line = "Ahmed Example is a journalist who was detained at a checkpoint last week."
    text = f"Reporter freed\n{line}\n" + f"{NEWS}\n" * 6
    assert reasons(text) == {}


def test_furniture_name_on_its_own_once_is_kept() -> None:
    text = f"Factions seek truce\n{NEWS}\nAbu Fadak al-Mohammadawi\n" + f"{NEWS}\n" * 5
    assert reasons(text) == {}


def test_furniture_hard_wrapped_wire_copy() -> None:
    """A sentence broken at the column width is not a credit line; the trailer after it is."""
    text = ("Lending to the region is expected to almost double to about two\n"
            "billion dollars by next year from the levels of recent years, bankers told\n"
            "Reuters.\n"
            "    They said approved lending this year is expected to total 1.4\n"
            "billion dollars, of which 550 million will come from the agency and\n"
            "850 million from the bank itself, according to the figures.\n"
            " REUTER\n")
    assert reasons(text) == {"REUTER": "credit"}


def test_furniture_lowercase_continuation_is_kept() -> None:
    text = f"Headline\n{NEWS}\nmore on the talks would follow, he said\n{NEWS}"
    assert reasons(text) == {}


def test_furniture_empty_text() -> None:
    assert find_furniture("") == []


def test_furniture_short_report_with_repeated_byline() -> None:
    text = f"Sam Example\n{NEWS}\nSam Example"
    assert [r.reason for r in find_furniture(text)] == ["byline", "byline"]
