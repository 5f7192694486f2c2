"""Casualty figures in digits, words and named persons, on sentences written for these tests."""

import re

import pytest

from trucewatch.extract.casualties import casualties


def _tokens(sentence: str) -> list[str]:
    return [t.lower() for t in re.findall(r"[\w’'\.]+(?<!\.)|[,;-]", sentence)]


CASES = [
    ("At least 12 guards were killed and at least 30 wounded by two airstrikes on Tuesday", (12, 30)),
    ("The blast killed the driver and wounded three soldiers and two members of the police", (1, 5)),
    ("One aid worker was killed and seven other people, among them a nurse, were hurt", (1, 7)),
    ("killing at least 9 members of the brigade in Idlib and 4 in Hama", (13, None)),
    ("two sailors died and about 20 more were hurt", (2, 20)),
    ("The colonel was killed together with three of his bodyguards", (4, None)),
    ("The shell hit a market but caused no casualties", (0, 0)),
    ("injuring at least 6 Marines, officials said", (None, 6)),
    ("nobody was hurt in the incident", (0, 0)),
    ("five Iraqi policemen were killed in the ambush", (5, None)),
    ("the convoy suffered no casualties", (0, 0)),
    ("A French contractor later died of his wounds", (1, None)),
    ("four US servicemen were wounded in Tuesday's attack", (None, 4)),
    ("the bombing killed an American contractor", (1, None)),
    ("wounding several people and damaging homes", (None, None)),
    ("leaving the crew with minor injuries", (None, None)),
    ("there was neither injury nor damage", (0, 0)),
    ("the raid killed twenty-five fighters", (25, None)),
    ("the drone killed dozens of fighters", (None, None)),
    ("rockets landed in 2021 near the 107 mm launcher", (None, None)),
    ("The coalition said no one was hurt", (0, 0)),
    ("No one was killed but two soldiers were wounded", (0, 2)),
    ("Two guards were killed and no-one was injured", (2, 0)),
]


@pytest.mark.parametrize("sentence, expected", CASES)
def test_casualties_counts(sentence: str, expected: tuple[int | None, int | None]) -> None:
    assert casualties(_tokens(sentence)) == expected
