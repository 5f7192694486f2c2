"""Killed and injured counts of one event mention, from digits, number words and named persons.

The annotation rule followed: explicit figures, or persons the text individually reports killed or
injured ("a contractor" = 1), "no casualties" = 0, vague quantities ("several", "dozens") = unknown.
Coordinated figures add up ("four US service members and two members of the Iraqi security forces"
= 6; "16 in Iraq and 13 in Syria" = 29). Figures are read on both sides of the casualty word: the
passive "25 fighters were killed" and the active "killing at least 16 members".
"""

from __future__ import annotations

import re

_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozen": 12,
}
# "a"/"an"/"the" count as one only before a person noun ("killed a US contractor", "killed the contractor").
_SINGULAR = {"a": 1, "an": 1, "the": 1, "another": 1, "one": 1}
_PERSONS = frozenset("""
contractor contractors soldier soldiers troop troops trooper troopers member members servicemember
servicemembers serviceman servicemen personnel people person persons civilian civilians fighter fighters
militant militants commander commanders guard guards officer officers child children woman women man men
marine marines sailor sailors airman airmen staff worker workers employee employees policeman policemen
police militiaman militiamen combatant combatants insurgent insurgents resident residents american americans
iraqi iraqis syrian syrians palestinian palestinians israeli israelis ukrainian ukrainians hostage hostages
others other more journalist journalists bodyguard bodyguards leader leaders pilot pilots individuals
driver drivers nurse nurses doctor doctors medic medics crew crewmen passenger passengers protester
protesters demonstrator demonstrators student students policemen officers agents rebels
""".split())
_KILL = frozenset("killed kill kills killing dead died die dies dying slain perished deaths death".split())
_INJURE = frozenset("wounded wounding wounds injured injuring injures hurt hurting".split())
_VERBS = _KILL | _INJURE
# Words without which a clause states no toll at all (a cheap test before reading it).
TOLL_WORDS = _VERBS | frozenset("casualty casualties injury injuries fatality fatalities".split())
_QUALIFIERS = frozenset("at least about around nearly almost roughly some up to as many more than over".split())
_VAGUE = frozenset("several dozens scores hundreds many numerous some few multiple".split())
_BOUNDARY = frozenset({";", "while", "whereas", "but", "although", "though", "after", "before", "when"})
_ASIDE_OPENERS = frozenset("among including one most mostly all both of whom which who".split())

_NONE_RE = re.compile(
    r"\b(?:no|without(?: causing)?(?: any)?|zero|neither)\s+(?:\w+\s+){0,2}?(?:casualt(?:y|ies)|injur(?:y|ies)"
    r"|deaths?|fatalit(?:y|ies))"
    r"|\b(?:nobody|no one|no-one|none)\s+(?:was|were|had been|has been)\s+(?:hurt|injured|killed|wounded)"
    r"|\bwith nobody (?:hurt|injured|killed|wounded)",
    re.IGNORECASE,
)
_NO_KILLED_RE = re.compile(r"\b(?:no|without)\s+(?:\w+\s+)?(?:deaths?|fatalit(?:y|ies)|one killed)", re.I)


def _number(tokens: list[str], i: int) -> tuple[int | None, int]:
    """The number starting at token i: (value or None, tokens used). ``None, 0`` when there is none."""
    t = tokens[i]
    if t.replace(",", "").isdigit():
        value = int(t.replace(",", ""))
        # Years and calibres are not tolls ("in 2021", "107 mm").
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if 1900 <= value <= 2100 or nxt in ("mm", "km", "miles", "kilometres", "kilometers", "percent", "%"):
            return None, 0
        return value, 1
    if t == "a" and i + 1 < len(tokens) and tokens[i + 1] == "dozen":
        return 12, 2
    if t in _UNITS:
        value = _UNITS[t]
        # "twenty-five" is tokenised as one token in most outlets; "twenty five" as two.
        if value >= 20 and i + 1 < len(tokens) and tokens[i + 1] in _UNITS and _UNITS[tokens[i + 1]] < 10:
            return value + _UNITS[tokens[i + 1]], 2
        if value >= 20 and i + 2 < len(tokens) and tokens[i + 1] == "-" and tokens[i + 2] in _UNITS:
            return value + _UNITS[tokens[i + 2]], 3
        return value, 1
    if "-" in t:
        head, _, tail = t.partition("-")
        if head in _UNITS and tail in _UNITS:
            return _UNITS[head] + _UNITS[tail], 1
    if t in _SINGULAR:
        # Only before a person noun, within three modifiers: "a US civilian contractor".
        for k in range(i + 1, min(i + 5, len(tokens))):
            if tokens[k] in _PERSONS:
                return _SINGULAR[t], 1
            if tokens[k] in _VERBS or tokens[k] in (",", "and", "of", "in", "on"):
                break
        return None, 0
    return None, 0


def _skip_qualifiers(tokens: list[str], i: int) -> int:
    while i < len(tokens) and tokens[i] in _QUALIFIERS:
        i += 1
    return i


def _figure_after(tokens: list[str], v: int) -> int | None:
    """The figure an active casualty verb takes: "killing at least 16 members ... and 13 in Syria"."""
    i = _skip_qualifiers(tokens, v + 1)
    if i >= len(tokens) or tokens[i] in _VAGUE:
        return None
    value, used = _number(tokens, i)
    if value is None:
        return None
    total = value
    k = i + used
    # Coordinated figures within the same object: "and two members", "and 13 in Syria".
    while k < len(tokens) and k < i + 14:
        t = tokens[k]
        if t in _BOUNDARY or t in _VERBS or t in (".", ";"):
            break
        if t == "and" and k + 1 < len(tokens):
            j = _skip_qualifiers(tokens, k + 1)
            if j < len(tokens):
                nxt, n_used = _number(tokens, j)
                after = tokens[j + n_used] if j + n_used < len(tokens) else ""
                if nxt is not None and tokens[j] not in _SINGULAR and (after in _PERSONS or after in ("in", "of")):
                    total += nxt
                    k = j + n_used
                    continue
                if nxt is not None and tokens[j] in _SINGULAR and after not in ("",):
                    total += nxt
                    k = j + n_used
                    continue
        k += 1
    return total


def _figure_before(tokens: list[str], v: int) -> int | None:
    """The figure of a passive or intransitive casualty word: "25 militia fighters were killed"."""
    k = v - 1
    best: int | None = None
    window = 0
    while k >= 0 and window < 12:
        t = tokens[k]
        if t in _BOUNDARY or t in (";", ".") or (t in _VERBS and k != v):
            break
        if t == ",":
            # Skip an aside set off by commas ("nine other people, among them a U.S. service member, were hurt").
            j = k - 1
            while j >= 0 and tokens[j] != ",":
                j -= 1
            if j >= 0 and j + 1 < k and tokens[j + 1] in _ASIDE_OPENERS:
                k = j - 1
                window += 1
                continue
            break
        value, _ = _number(tokens, k)
        if value is not None and not (k > 0 and tokens[k - 1] == "of" and tokens[k] in _SINGULAR):
            if tokens[k] not in _SINGULAR or best is None:
                best = value
        elif t in _VAGUE and best is None:
            return None
        k -= 1
        window += 1
    return best


def _together_with(tokens: list[str], v: int) -> int:
    """Extra victims named after the verb: "was killed together with two of his guards" -> 2."""
    for k in range(v + 1, min(v + 4, len(tokens) - 1)):
        if tokens[k] in ("together", "along") and tokens[k + 1] == "with":
            j = _skip_qualifiers(tokens, k + 2)
            if j < len(tokens):
                value, _ = _number(tokens, j)
                if value is not None:
                    return value
    return 0


def _nobody(tokens: list[str]) -> list[str]:
    """"no one was hurt" says nobody was, not that one person was: "no one" becomes "nobody"."""
    out: list[str] = []
    for t in tokens:
        if t == "one" and out and out[-1] == "no":
            out[-1] = "nobody"
        elif t == "one" and out[-2:] == ["no", "-"]:
            out[-2:] = ["nobody"]
        else:
            out.append("nobody" if t == "no-one" else t)
    return out


def casualties(tokens: list[str]) -> tuple[int | None, int | None]:
    """(killed, injured) reported by a clause given as lower-case tokens; None where it says nothing."""
    tokens = _nobody(tokens)
    text = " ".join(tokens)
    killed: int | None = None
    injured: int | None = None
    for v, t in enumerate(tokens):
        if t not in _VERBS:
            continue
        if t == "hurt" and v > 0 and tokens[v - 1] in ("would", "will", "to", "could"):
            continue
        if t in ("death", "deaths") and not (v > 0 and tokens[v - 1] in ("no",)):
            continue
        is_kill = t in _KILL
        current = killed if is_kill else injured
        if current is not None:
            continue
        value: int | None
        if t.endswith("ing") or (t in ("killed", "wounded", "injured", "hurt") and v + 1 < len(tokens)
                                  and _number(tokens, _skip_qualifiers(tokens, v + 1))[0] is not None
                                  and tokens[v - 1] not in ("were", "was", "been", "being", "are", "is")):
            value = _figure_after(tokens, v)
        else:
            value = _figure_before(tokens, v)
            if value is None and v > 0 and tokens[v - 1] == "was" and not {"anyone", "nobody", "whether", "if"} & set(tokens[:v]):
                value = 1  # "X was killed": one named person
            if value is not None:
                value += _together_with(tokens, v)
        if value is None:
            continue
        if is_kill:
            killed = value
        else:
            injured = value
    none = _NONE_RE.search(text)
    if none:
        # "no one was killed but two soldiers were wounded": the no-one phrase names the kill itself.
        if killed is None and (not re.search(r"\b(?:killed|died|dead)\b", text) or re.search(
                r"\b(?:killed|died|dead)\b", none.group(0))) or _NO_KILLED_RE.search(text):
            killed = 0 if killed is None else killed
        if injured is None and re.search(r"casualt|hurt|injur|wound", text):
            injured = 0
        if killed == 0 and re.search(r"\bno (?:\w+ )?injur", text) and not re.search(r"casualt|killed|dead", text):
            killed = None
    return killed, injured
