"""User gazetteer files of the wrong shape (issue 12, the reliability run): they raised tracebacks,
``aliases: Iraq`` became the aliases I, r, a, q (and "a" then matched everywhere), and a 1 KB YAML
alias bomb exhausted memory.

Every file is checked record by record as it is read: a problem is one ``GazetteerError`` naming the
file, the record and what is wrong. YAML anchors and aliases are refused in user files before
anything is built from them: a gazetteer never needs them, and expanding them is exponential.
"""

from __future__ import annotations

import signal
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from trucewatch.cli import app
from trucewatch.errors import GazetteerError
from trucewatch.resolve.names import Gazetteer

RECORD = "- {id: blue-brigade, name: Blue Brigade, type: armed group, country: Iraq"


def _file(body: str) -> str:
    return "version: 1\n" + body + "\n"


BAD = [
    ("top-level list", "- a\n- b\n", "expected a mapping with 'version' and 'entities'"),
    ("no version", "entities: []\n", "version None is not supported"),
    ("entities a number", _file("entities: 5"), "'entities' must be a list of records, not int"),
    ("entities a mapping", _file("entities: {a: 1}"), "'entities' must be a list of records, not dict"),
    ("record a string", _file("entities:\n- blue-brigade"), "entity 1: expected a mapping, not str"),
    ("aliases a string", _file("entities:\n" + RECORD + ", aliases: Iraq}"),
     "entity 1 (blue-brigade): 'aliases' must be a list of names, not str"),
    ("aliases a number", _file("entities:\n" + RECORD + ", aliases: 5}"), "'aliases' must be a list of names"),
    ("alias a list", _file("entities:\n" + RECORD + ", aliases: [Blue, [x]]}"),
     "entity 1 (blue-brigade): alias 2 must be a name (a string), not list"),
    ("alias empty", _file("entities:\n" + RECORD + ", aliases: [' ']}"), "alias 1 is empty"),
    ("alias null", _file("entities:\n" + RECORD + ", aliases: [null]}"), "alias 1 must be a name"),
    ("name a list", _file("entities:\n- {id: x, name: [a], type: armed group}"),
     "entity 1 (x): 'name' must be a string, not list"),
    ("type a list", _file("entities:\n- {id: x, name: X, type: [armed group]}"),
     "entity 1 (x): 'type' must be a string, not list"),
    ("type unknown", _file("entities:\n- {id: x, name: X, type: gang}"), "unknown type 'gang'"),
    ("id a list", _file("entities:\n- {id: [x], name: X, type: armed group}"),
     "entity 1: 'id' must be a string, not list"),
    ("id missing", _file("entities:\n- {name: X, type: armed group}"), "entity 1: no id"),
    ("country a number", _file("entities:\n- {id: x, name: X, type: armed group, country: 5}"),
     "'country' must be a string, not int"),
    ("lat a boolean", _file("entities:\n- {id: x, name: X, type: city, lat: true, lon: 1}"),
     "lat must be a number within ±90"),
    ("relations a string", _file("entities:\n" + RECORD + ", relations: backed_by}"),
     "'relations' must be a list of relations, not str"),
    ("relation target a list", _file("entities:\n" + RECORD + ", relations: [{type: backed_by, target: [iran]}]}"),
     "bad relation"),
    ("second record bad", _file("entities:\n" + RECORD + "}\n- {id: y, name: 7, type: armed group}"),
     "entity 2 (y): 'name' must be a string, not int"),
    ("countries a list", _file("countries: [IQ]"), "'countries' must be a mapping of two-letter country codes"),
    ("country note a number", _file("countries: {IQ: 5}"), "countries: IQ: expected a mapping, not int"),
    ("demonyms a string", _file("countries: {IQ: {demonyms: Iraqi}}"),
     "countries: IQ: 'demonyms' must be a list of names, not str"),
    ("unquoted NO", _file("countries: {NO: {demonyms: [Norwegian]}}"),
     "countries: False is not a two-letter country code (write 'NO' in quotes)"),
    ("country note unknown key", _file("countries: {IQ: {capital: Baghdad}}"), "countries: IQ: unknown fields"),
    ("world_stop a number", _file("world_stop: 5"), "'world_stop' must be a list of names, not int"),
    ("world_stop of lists", _file("world_stop: [[a]]"), "world_stop: name 1 must be a name (a string), not list"),
]


@pytest.mark.parametrize(("case", "body", "problem"), BAD, ids=[b[0] for b in BAD])
def test_gazetteer_wrong_shape_is_one_named_error(case: str, body: str, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(GazetteerError) as caught:
        Gazetteer.load(extra=[path])
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and problem in message
    assert "\n" not in message


BOMB = """version: 1
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
entities:
- {id: lol, name: Lol Brigade, type: armed group, aliases: *i}
"""


def test_gazetteer_yaml_alias_bomb_is_refused_unexpanded(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(BOMB, encoding="utf-8")
    assert path.stat().st_size < 1024

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError("the alias bomb was expanded")

    signal.signal(signal.SIGALRM, expire)
    signal.alarm(20)
    tracemalloc.start()
    try:
        with pytest.raises(GazetteerError, match="YAML anchors and aliases are not allowed") as caught:
            Gazetteer.load(extra=[path])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        signal.alarm(0)
    assert str(caught.value).startswith(f"{path}: line 2: ")
    assert peak < 50_000_000


def test_gazetteer_lone_anchor_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "anchor.yaml"
    path.write_text(_file("entities:\n- &blue {id: x, name: X, type: armed group}"), encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"line 3: YAML anchors and aliases are not allowed .* \(&blue\)"):
        Gazetteer.load(extra=[path])


def test_gazetteer_aliases_as_a_list_still_load(tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(_file("entities:\n" + RECORD + ", aliases: [Blue Brigades, 'Liwa al-Azraq', 1920]}\n"
                          "countries: {'NO': {demonyms: [Norse]}}\nworld_stop: [Lol]"), encoding="utf-8")
    gazetteer = Gazetteer.load(extra=[path])
    entity = gazetteer.get("blue-brigade")
    assert entity.aliases == ["Blue Brigades", "Liwa al-Azraq", "1920"]
    assert gazetteer.lookup("Liwa al-Azraq") == entity
    assert gazetteer.lookup("a") is None


def test_gazetteer_bad_file_is_a_one_line_cli_error(tmp_path: Path) -> None:
    bad = tmp_path / "mine.yaml"
    bad.write_text(_file("entities:\n" + RECORD + ", aliases: Iraq}"), encoding="utf-8")
    report = tmp_path / "r.txt"
    report.write_text("Rockets hit\n\nThree rockets hit Ain al-Asad Air Base on Sunday, officials said.\n",
                      encoding="utf-8")
    result = CliRunner().invoke(app, ["ingest", str(report), "--db", str(tmp_path / "l.db"), "--gazetteer", str(bad)],
                                env={"COLUMNS": "200"})
    assert result.exit_code not in (0, None) and not isinstance(result.exception, TypeError)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and str(bad) in lines[0] and "'aliases' must be a list of names" in lines[0]


@pytest.mark.parametrize("entity_id", ["place-²", "place-①", "place-" + "9" * 5_000, "place--1", "place-"])
def test_gazetteer_odd_place_ids_name_no_entity(entity_id: str) -> None:
    """A world place's id holds its row number; a user may type any id (``entities alias ID``)."""
    with pytest.raises(KeyError, match="no entity with id"):
        Gazetteer.load().get(entity_id)
