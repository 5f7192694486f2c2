"""Numbers that may be a toll: which words of a sentence are read as a count of people, and which must
never be (years, dates, datelines, sizes such as "107 mm"); and sentences that say nobody was hurt. The
sentences were written for these tests; none is copied from the corpus."""

from __future__ import annotations

import pytest

from trucewatch.extract import timing, tolls
from trucewatch.extract.reading import read
from trucewatch.models import Document
from trucewatch.nlp.analyse import Analyser
from trucewatch.nlp.sentences import AnalysedSentence, Trigger
from trucewatch.resolve.names import Gazetteer


@pytest.fixture(scope="module")
def analyser() -> Analyser:
    return Analyser(Gazetteer.load())


def first_sentence(analyser: Analyser, text: str, published: str | None) -> tuple[AnalysedSentence, set[int]]:
    """The report's first sentence and the tokens the extractor blocks in it (dates and the dateline)."""
    r = read(Document(id="t", text=text, published=published), analyser)
    s = r.sentences[0]
    return s, timing.blocked_tokens(s, timing.timexes(s, r.reference))


def candidates(analyser: Analyser, text: str, published: str | None = "2021-03-24") -> list[tuple[str, int]]:
    s, blocked = first_sentence(analyser, text, published)
    return [(s.span_text(n.start, n.end), n.value) for n in tolls.numbers(s, blocked)]


# (sentence, the numbers read from it, in order)
READ = [
    ("Gunmen killed 12 soldiers at a checkpoint.", [("12", 12)]),
    ("The blast killed 1,200 people.", [("1,200", 1200)]),
    ("Shelling killed 1,950 civilians.", [("1,950", 1950)]),  # a comma makes it a count, not a year
    ("The raid left twenty-five villagers dead.", [("twenty-five", 25)]),
    ("The blast killed Forty-Two people.", [("Forty-Two", 42)]),
    ("The bomb killed seven and wounded eleven.", [("seven", 7), ("eleven", 11)]),
    ("Shrapnel wounded a dozen children.", [("a dozen", 12)]),
    ("Three hundred people fled and 2 thousand were displaced.", [("Three hundred", 300), ("2 thousand", 2000)]),
    ("Rockets struck the base, killing a contractor.", [("a", 1)]),
    ("A drone hit the car, killing an officer and a child.", [("an", 1), ("a", 1)]),
    ("The strike killed one soldier.", [("one", 1)]),
    ("A suicide bomber killed a Turkish soldier.", [("a", 1)]),  # up to three words before the person
]


@pytest.mark.parametrize("text, expected", READ)
def test_tolls_numbers_read(analyser: Analyser, text: str, expected: list[tuple[str, int]]) -> None:
    assert candidates(analyser, text) == expected


# Numbers that are never a toll: years, dates, units and sizes, counts too large to be people.
NOT_TOLLS = [
    ("Gunmen fired 107 mm rockets at the base.", []),
    ("Rebels fired 120 mm mortars and 50 rockets.", [("50", 50)]),
    ("The group has attacked the base since 2019.", []),
    ("The attack on the base in 2019 was the worst.", []),
    ("The attack on 12 May 2019 killed three.", [("three", 3)]),
    ("The convoy was hit 40 km from the border.", []),
    ("Prices rose 10 percent after the blast.", []),
    ("The blast at 9 am shook the city.", []),
    ("The militia has fought for 3 years.", []),
    ("The siege lasted two days.", []),
    ("The video of the strike was viewed 25000000 times.", []),
    ("Dozens of people fled the shelling.", []),
    ("A gunman opened fire on the crowd.", []),  # the attacker, not a person hit: "gunman" is no victim word
]


@pytest.mark.parametrize("text, expected", NOT_TOLLS)
def test_tolls_numbers_never_read(analyser: Analyser, text: str, expected: list[tuple[str, int]]) -> None:
    assert candidates(analyser, text) == expected


def test_tolls_year_rule_without_any_date_blocked(analyser: Analyser) -> None:
    """A bare four-digit year is no number even when nothing blocks it."""
    s, _ = first_sentence(analyser, "Officials said 2019 and 1995 were the worst years, with 2200 dead.", None)
    assert [n.value for n in tolls.numbers(s, set())] == [2200]


@pytest.mark.parametrize("text", [
    "A rocket struck soldiers at the checkpoint.",
    "A shell killed civilians in the market.",
])
def test_tolls_article_of_a_weapon_is_not_a_person(analyser: Analyser, text: str) -> None:
    assert candidates(analyser, text) == []


def test_tolls_number_words_without_hyphen(analyser: Analyser) -> None:
    assert candidates(analyser, "The blast killed twenty five people.") == [("twenty five", 25)]


# Datelines and dates printed at the head of a report are metadata: none of their numbers is a toll.
DATELINES = [
    ("Date of publication 4 April 2017 At least 72 people were killed when jets struck a village.",
     "2017-04-04", [("72", 72)]),
    ("Date of publication 4 April 2017 At least 72 people were killed when jets struck a village.",
     "2019-06-01", [("72", 72)]),
    ("Wed Oct 12 2016 Two soldiers were killed when a roadside bomb hit their patrol.", "2016-10-12",
     [("Two", 2)]),
    ("08.04.2017 (updated 09.04.2017) Three policemen were wounded in the attack.", "2017-04-08",
     [("Three", 3)]),
    ("SANAA, June 5 – Four fishermen died when a drone hit their boat.", "2021-06-05", [("Four", 4)]),
    ("BAGHDAD, Iraq (AP) — 14 rockets hit the base, wounding five.", "2021-03-24", [("14", 14), ("five", 5)]),
]


@pytest.mark.parametrize("text, published, expected", DATELINES)
def test_tolls_numbers_of_a_dateline_are_never_read(analyser: Analyser, text: str, published: str,
                                                    expected: list[tuple[str, int]]) -> None:
    assert candidates(analyser, text, published) == expected


def test_tolls_blocked_tokens_are_skipped(analyser: Analyser) -> None:
    s, _ = first_sentence(analyser, "Gunmen killed 12 soldiers and wounded 30.", None)
    twelve = s.tokens.index("12")
    assert [n.value for n in tolls.numbers(s, {twelve})] == [30]


# Sentences that say nobody was hurt (a toll of 0), and sentences that do not.
@pytest.mark.parametrize("text, nobody", [
    ("No casualties were reported after the shelling.", True),
    ("There were no injuries, the police said.", True),
    ("The rockets caused no deaths or injuries.", True),
    ("No one was hurt in the attack.", True),
    ("Nobody was killed, officials said.", True),
    ("None were injured when the shell hit the school.", True),
    ("The rockets landed in an empty field without causing any casualties.", True),
    ("There were no fatalities.", True),
    ("Casualties were reported after the shelling.", False),
    ("No group claimed the attack, which killed three.", False),
    ("No one claimed the blast that wounded four people.", False),
    ("It was not known whether anyone was hurt.", False),
    ("The shell killed two people.", False),
])
def test_tolls_nobody_hurt(text: str, nobody: bool) -> None:
    assert tolls.nobody_hurt(text) is nobody


def test_tolls_number_features_read_the_context_and_the_parse(analyser: Analyser) -> None:
    s, blocked = first_sentence(analyser, "Gunmen attacked the convoy, killing 12 soldiers.", None)
    anchor = Trigger(1, 2, "force")  # "attacked"
    (num,) = tolls.numbers(s, blocked)
    plain = tolls.number_features(s, anchor, num)
    assert "a1=soldiers" in plain and "b1=killing" in plain and "v=10-99" in plain
    assert not any(f.startswith("dep=") for f in plain)  # no parse yet
    analyser.parse([s])
    parsed = tolls.number_features(s, anchor, num)
    assert "head=soldiers" in parsed
    assert "verb=killing" in parsed
    assert any(f.startswith("p=") and "advcl" in f for f in parsed)
