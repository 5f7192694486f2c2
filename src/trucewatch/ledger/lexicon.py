"""The words by which reports say what stage a truce is at, and what an act did to it.

The extractor says *that* a sentence reports a ceasefire; how the report speaks of it ("ready to
halt" is an offer, "has largely held" a report that it holds, "extended for two more months" an
extension, "a personal act" a disavowal) decides the truce's status history. The lists are short
and stable, and the package's data glob (``data/*.yaml``) belongs to the extraction lexicon, so
they live here as constants; every match is on whole words of the lower-cased sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# An offer: the truce is proposed, not yet in force.
OFFER = ("ready to", "willing to", "offer", "offers", "offered", "offering", "proposal", "proposed", "proposes",
         "propose", "seek", "seeks", "seeking", "would halt", "would stop", "would suspend")
# Force is actually being held: the truce is in effect, not merely agreed.
IN_EFFECT = ("suspended", "suspending", "halted", "halting", "paused", "pausing", "stopped", "stopping",
             "have stopped", "took effect", "takes effect",
             "take effect", "came into force", "comes into force", "come into force", "entered into force",
             "into effect", "refrained")
# A truce agreed or declared, said so plainly ("signed", "brokered", "announced").
AGREED = ("signed", "sign", "brokered", "reached", "declared", "declares", "announced", "announces", "announce",
          "accepted", "accepts", "put their names to")
# "agreed" alone: in a report that elsewhere speaks of an offer, it is the offer's terms ("agreed to halt
# attacks if ...", "ready to resume a truce").
AGREED_WEAK = ("agreed", "agree", "agrees")
# The words that set the day a truce takes effect, when a sentence gives a time after them.
EFFECTIVE = ("starting", "start", "starts", "effective", "effect", "force", "begin", "begins", "began",
             "as of")
# A report that a truce already agreed still holds.
HOLDING = ("held", "holds", "holding", "has held", "remained in force", "remains in force", "still in force",
           "still stands", "still holds", "remained committed", "remains committed", "still committed")
# Nouns that a truce's term is said of ("a two-month truce", "a two-month renewal").
TRUCE_NOUNS = ("truce", "truces", "ceasefire", "cease-fire", "armistice", "halt", "pause", "renewal", "extension",
               "lull", "calm")
# A truce prolonged beyond its term.
EXTENSION = ("extend", "extended", "extends", "extension", "renew", "renewed", "renews", "renewal", "prolong",
             "prolonged")
# A truce that is a new one, not a mention of the one before: it opens a new record.
NEW = ("new truce", "new ceasefire", "new cease-fire", "new de-escalation", "new deal", "new agreement",
       "another truce", "another ceasefire", "resume an unofficial truce", "resume a truce", "resume the truce",
       "restore the truce", "revive the truce")
# A truce that ended because its term ran out rather than because someone declared it over.
EXPIRY = ("expired", "expires", "expire", "expiry", "lapsed", "lapses", "lapse", "ran out", "runs out")
# Disowning a violation as not the parties' own: said of an attack after it, or agreed in advance of
# violators ("attacks which break the agreement would be a personal act").
DISOWNING = ("a personal act", "personal act", "an individual act", "individual act", "outside the consensus",
             "not authorised", "not authorized", "had not authorised", "had not authorized", "rogue", "disowned",
             "disown", "disowns")
# Denying a part in an attack: a disavowal only of a particular attack.
DENIAL = ("nothing to do with", "denied any role", "denied involvement", "denies involvement",
          "denied responsibility", "denies responsibility", "not responsible")
DISAVOWAL = DISOWNING + DENIAL

# Concepts by which an act meets a condition: a condition mentioning one of a group's words is met
# only by an act whose report mentions a word of the same group.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "withdrawal": ("withdraw", "withdrawal", "withdrawing", "withdrawn", "leave", "leaving", "left", "pull out",
                   "pulled out", "pullout", "pull-out", "pulling out", "exit", "depart", "departure", "expel",
                   "expelled", "expulsion", "oust", "removal", "removing", "remove", "end the presence",
                   "ending the presence", "drawdown", "retreat"),
    "timetable": ("timetable", "timeline", "time-frame", "timeframe", "schedule", "deadline", "date", "plan"),
    "demand": ("demand", "demands", "demanded", "demanding", "ask", "asks", "asked", "asking", "request",
               "requests", "requested", "requesting", "letter", "call on", "calls on", "called on"),
    "security council": ("security council", "unsc"),
    "strikes": ("strike", "strikes", "airstrike", "airstrikes", "attacks", "raids", "bombing"),
    "drone flights": ("drone flights", "flights", "overflights", "surveillance"),
    "bill": ("bill", "law", "legislation", "draft law"),
    "prisoners": ("prisoner", "prisoners", "hostage", "hostages", "detainees", "captives", "bodies"),
    "aid": ("aid", "humanitarian", "fuel", "trucks", "lorries"),
}
# The concepts an act (a troop_change or a demand) can carry out: a condition with none of them
# ("the US ends attacks", "the parties consent") is not met by one act the ledger can point to.
ACT_CONCEPTS = frozenset({"withdrawal", "timetable", "demand", "security council", "bill"})
# The part of a concept that a future date in the act's own sentence stands for: "US forces will leave
# by the end of 2023" is a timetable even if the word is not used.
DATED_CONCEPT = "timetable"

_WORD_CACHE: dict[tuple[str, ...], re.Pattern[str]] = {}


def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str]:
    found = _WORD_CACHE.get(phrases)
    if found is None:
        alternatives = "|".join(re.escape(p.strip()) for p in sorted(phrases, key=len, reverse=True))
        found = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
        _WORD_CACHE[phrases] = found
    return found


def normalise(text: str) -> str:
    """Curly quotes and apostrophes folded, so that "Iraq’s" reads like "Iraq's"."""
    return text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def find(phrases: tuple[str, ...], text: str) -> list[str]:
    """The phrases of the list that occur in ``text`` as whole words, in order of occurrence."""
    return [m.group(0).lower() for m in _pattern(phrases).finditer(normalise(text))]


def positions(phrases: tuple[str, ...], text: str) -> list[int]:
    """Where in ``text`` the phrases of the list occur (character offsets)."""
    return [m.start() for m in _pattern(phrases).finditer(normalise(text))]


def has(phrases: tuple[str, ...], text: str) -> bool:
    return _pattern(phrases).search(normalise(text)) is not None


def has_any(phrases: tuple[str, ...], texts: Iterable[str]) -> bool:
    return any(has(phrases, t) for t in texts)


def concepts(text: str) -> set[str]:
    """The concepts of :data:`CONCEPTS` that ``text`` mentions."""
    return {name for name, words in CONCEPTS.items() if has(words, text)}
