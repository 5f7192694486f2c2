"""Spelling keys: the forms on which the spellings of one name meet.

News reports spell the same militia, person or base in a dozen ways (Kataib Hezbollah, Kata'ib
Hizballah, Kataeb Hizbullah; Ain al-Asad, Ayn al-Asad; Irbil, Erbil). These functions fold a name to
keys (case, accents, article, romanisation variants) and say when two keys may be one name misspelt;
:mod:`trucewatch.resolve.names` indexes the gazetteer by them. They are pure functions of strings.
"""

from __future__ import annotations

import os.path
import re
import unicodedata

from rapidfuzz.distance import Levenshtein

_APOSTROPHES = re.compile(r"['’‘`´ʿʾʼ]")
_POSSESSIVE = re.compile(r"['’]s\b")
# Arabic article joined by a hyphen, including its assimilated forms (ad-Din, as-Sadr, at-Tanf).
_ARTICLE_PREFIX = re.compile(r"\b(?:al|el|ad|an|ar|as|ash|at|az)[-‐‑–](?=[^\W\d_])", re.IGNORECASE)
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_DROPPED_TOKENS = frozenset({"al", "el", "the"})
_SPLIT_TOKENS = {
    "airbase": ("air", "base"),
    "airfield": ("air", "field"),
    "oilfield": ("oil", "field"),
    "gasfield": ("gas", "field"),
}
# Words whose spellings vary too much for the general rules, folded to one form each.
_WORD_FAMILIES = (
    (re.compile(r"^k[ae]t[ae](?:[ie]|y)b$"), "kataib"),  # Kataib, Kataeb, Ketaib, Katayb (Kata'ib once ' goes)
    (re.compile(r"^h[ie]zb[aiou]ll?ah?$"), "hizbula"),  # Hezbollah, Hizbullah, Hizballah, Hizbollah
    (re.compile(r"^m[ou]h[ae]mm?[ae]d$"), "muhamad"),  # Mohammed, Muhammad, Mohamed, Mohammad
)  # each family's key is in folded form, so that misspellings of it still meet it fuzzily
_DIGRAPHS = (("ph", "f"), ("kh", "k"), ("gh", "g"), ("dh", "d"), ("th", "t"))
# With doubled letters folded afterwards, these also fold ou/oo -> u, ee -> i and ck -> k.
_LETTERS = str.maketrans({"q": "k", "c": "k", "e": "i", "o": "u"})
_DOUBLED = re.compile(r"(.)\1+")


def fold_token(token: str) -> str:
    """One lower-case ASCII word folded to its key form (see :func:`translit_key`)."""
    if token[0] in "khm":
        for pattern, family in _WORD_FAMILIES:
            if pattern.match(token):
                return family
    if token.isdigit():
        return token
    if len(token) > 2 and token[-1] == "h" and token[-2] in "ae":  # ta marbuta: -ah, -eh
        token = token[:-2] + "a"
    for old, new in _DIGRAPHS:
        if old in token:
            token = token.replace(old, new)
    token = token[0] + token[1:].replace("y", "i")
    return _DOUBLED.sub(r"\1", token.translate(_LETTERS))


def fold_ascii(text: str) -> str:
    """Case and accents folded away: 'Ḩamāh' -> 'hamah'. The cheap first step of every key."""
    if text.isascii():
        return text.casefold()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def plain_words(name: str) -> list[str]:
    """The words of a name with case, accents, article, possessive and punctuation gone, but the
    spelling otherwise kept: "al-Qa'im" -> ["qaim"], "U.S. forces" -> ["us", "forces"]."""
    text = name
    if not text.isalnum():  # the regular expressions below only matter with punctuation about
        text = _APOSTROPHES.sub("", _ARTICLE_PREFIX.sub("", _POSSESSIVE.sub("", text)))
    tokens: list[str] = []
    for token in _NON_ALNUM.split(fold_ascii(text)):
        if token and token not in _DROPPED_TOKENS:
            tokens.extend(_SPLIT_TOKENS.get(token, (token,)))
    words: list[str] = []  # "u s" (from U.S.) -> "us": initials spelt with dots are one word
    in_initials = False
    for token in tokens:
        initial = len(token) == 1 and token.isalpha()
        if initial and in_initials:
            words[-1] += token
        else:
            words.append(token)
        in_initials = initial
    return words


def translit_key(name: str) -> str:
    """A key on which the romanisations of one Arabic or Persian name meet.

    Folds case and accents; drops the article (al-, el-, as-, at- ...; "the") and possessive 's;
    folds hyphens, apostrophes and ayn/hamza marks; folds q/k, kh/k, dh/d, th/t, gh/g, ph/f,
    ou/oo/u, ee/e/i, o/u, inner y/i, final -ah/-eh, doubled letters; and the word families
    Kata'ib/Kataeb/Kataib and Hezbollah/Hizbullah/Hizballah. The key keeps every word (Kataib
    Hezbollah -> "kataib hizbula", Hezbollah -> "hizbula"), so it never makes a name equal to a
    part of another name.
    """
    return " ".join(fold_token(t) for t in plain_words(name))


_SHORT_WORD = 6  # one-word names shorter than this must be spelt alike to share an entity


def same_spelling_family(query: str, candidate: str) -> bool:
    """Whether a name may be taken for another name whose key it shares. The key folds q/k/c
    and vowels and drops the article, so on one short word it meets ordinary words and first
    names ('Read' and Riyadh both give 'riad', 'Kane' and Qaani 'kani', 'Omar' and al-Omar
    'umar'): a one-word name shorter than six letters must be spelt the same up to case,
    accents, punctuation and the h of a final -ah (Hama, Ḩamāh); a longer one must begin with
    the same letter (Cazale is not Khazali). Names of several words are trusted to their key."""
    words, other = plain_words(query), plain_words(candidate)
    if len(words) != 1 or len(other) != 1:
        return True
    if len(words[0]) < _SHORT_WORD:
        return _compact(query) == _compact(candidate)
    return words[0][:1] == other[0][:1]


def plain_key(name: str) -> str:
    """:func:`plain_words` joined, each -ah as -a: how world names are matched."""
    return " ".join(_without_final_h(w) for w in plain_words(name))


def _without_final_h(word: str) -> str:
    """Hama and Hamah are one spelling (the Arabic feminine ending -ah is written with or without h)."""
    return word[:-1] if len(word) > 2 and word.endswith("ah") else word


def _compact(name: str) -> str:
    """A name's letters only, article included, -ah as -a: 'al-Qa'im' -> 'alqaim'."""
    return _without_final_h(_NON_ALNUM.sub("", fold_ascii(_APOSTROPHES.sub("", name))))


def is_case_sensitive(surface: str) -> bool:
    """Abbreviations (no lower-case letter: KH, US, U.S., IZ, also "the UN") are matched only as written."""
    words = [w for w in surface.split() if w.casefold() != "the"]
    return any(c.isalpha() for w in words for c in w) and not any(c.islower() for w in words for c in w)


# Head words that describe rather than name: "Kataib Hezbollah militia" is Kataib Hezbollah.
_GENERIC_HEADS = frozenset(
    {"militia", "militias", "group", "groups", "movement", "organization", "organisation", "faction",
     "factions", "fighters", "militants", "members", "forces", "base", "city", "town", "area"}
)
GENERIC_HEAD_KEYS = frozenset(translit_key(w) for w in _GENERIC_HEADS)
FUZZY_MIN_TOKEN = 6  # shorter words differ by one letter too often (Erbil/Irbid, Iraq/Iran)
_FUZZY_MIN_SINGLE = 8  # a one-word name must be longer still (Slemani/Shimane, Guterres/Gutierrez)


def fuzzy_compatible(query: str, candidate: str) -> bool:
    """True when two keys can be the same name misspelt: same number of words, each word equal or
    (both long enough) one edit apart with the same first letter and not one the other plus an
    ending, numbers equal, two edits at most. This is the guard that keeps near-miss names
    (Hama/Hamas, Sadr/Sudani, Israel/Israeli) apart."""
    q_tokens, c_tokens = query.split(), candidate.split()
    if len(q_tokens) != len(c_tokens):
        return False
    if len(q_tokens) == 1 and len(query) < _FUZZY_MIN_SINGLE:
        return False
    edits = 0
    for q, c in zip(q_tokens, c_tokens, strict=True):  # equal lengths: checked above
        if q == c:
            continue
        if q.isdigit() or c.isdigit() or q[0] != c[0] or min(len(q), len(c)) < FUZZY_MIN_TOKEN:
            return False
        if len(os.path.commonprefix([q, c])) >= min(len(q), len(c)) - 2:
            return False  # a different ending makes another word, not a typo: Israel/Israeli, Americas/Americans
        distance = Levenshtein.distance(q, c, score_cutoff=1)
        if distance > 1:
            return False
        edits += distance
    return 0 < edits <= 2


def slug(text: str) -> str:
    """An id made of a name: 'Saraya al-Fajr' -> 'saraya-al-fajr'."""
    return "-".join(_NON_ALNUM.split(fold_ascii(_APOSTROPHES.sub("", text)))).strip("-")
