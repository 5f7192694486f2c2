"""Find event mentions in one analysed sentence: which words report which kind of event.

A mention is a trigger (token span) with a provisional kind. Use of force is found as one kind,
``force``, and typed attack or strike later from its actor. Negated, hypothetical and generic uses
of force ("agreed not to attack", "would unleash attacks", "dozens of rocket attacks") are dropped
here; a halted attack is a ceasefire and a conditional one a threat.
"""

from __future__ import annotations

from dataclasses import dataclass

from trucewatch.extract.clauses import Segment, segment_of, segments
from trucewatch.extract.lexicon import Lexicon, find_phrases, load_lexicon
from trucewatch.nlp.pipeline import AnalysedSentence

_DETERMINERS = frozenset("the this that its their his her our these those".split())
# "have attacked US interests for years", "has repeatedly struck": a pattern, not an occurrence.
_HABITUAL_MODIFIERS = frozenset("regular repeated frequent routine daily recurring constant continued ongoing "
                                "persistent sporadic occasional".split())
_HABIT = frozenset("years decades repeatedly regularly frequently often routinely long".split())
_PLURAL_WEAPONS = frozenset("rockets drones missiles mortars katyushas".split())
_BE = frozenset("was were been being is are be got get".split())
_MODALS = frozenset("would could might may will 'll shall should can".split())
_CONDITIONAL = frozenset("if unless whether should".split())
_SPECIFIC_WORDS = frozenset("latest last previous first second third".split())
_NEG = frozenset({"not", "n't", "never", "no", "without", "nor"})
_REFUSAL = frozenset("refused rejected rejects refuses dismissed denied".split())
_EXPECTATION = frozenset("risk risks risking bracing brace braced expecting expected fear fears feared exposed "
                         "vulnerable susceptible "
                         "anticipate anticipated prepare preparing prepared deter deterring prevent preventing "
                         "avoid avoiding".split())
_APPEALS = frozenset("called calls calling urged urges urging asked asks appealed pressed demanded".split())
# Words that separate two uses of force rather than join one ("hit by US strikes", "drones and rockets").
_GROUP_STOPS = frozenset({"by", "on", "against", "at", "in", "near", ",", "and", "or", "that", "which", "from",
                          "to", "for", "after", "before", "when", "while", "said", "says"})


@dataclass
class Mention:
    kind: str  # force, ceasefire, ceasefire_end, demand, threat, troop_change
    head: int
    lo: int
    hi: int
    segment: int
    mode: str | None = None
    strike_word: bool = False  # the trigger is a strike noun ("airstrike", "raid")
    passive: bool = False
    verb_lo: int | None = None  # start of a participle that governs this noun ("targeted in the US raid")
    join_only: bool = False  # a word that refers to an event but cannot report one alone ("the deal")
    habitual: bool = False  # "militias that have attacked US interests", "were attacking": a pattern


@dataclass
class SentenceMentions:
    sentence: AnalysedSentence
    segments: list[Segment]
    mentions: list[Mention]


def _mode_spans(lower: list[str], lex: Lexicon) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    # Airstrike phrases before single weapon words, so "drone strike" stays a drone and "air raid" a strike.
    order = ["ied", "drone", "missile", "rocket", "mortar", "airstrike", "raid", "gunfire"]
    for mode in order:
        for a, b in find_phrases(lower, lex.modes[mode]):
            if not taken.intersection(range(a, b)):
                out.append((a, b, mode))
                taken.update(range(a, b))
    return sorted(out)


def _has(lower: list[str], lo: int, hi: int, words: frozenset[str]) -> bool:
    return not words.isdisjoint(lower[max(lo, 0):hi])


def _negated(lower: list[str], seg: Segment, head: int, lex: Lexicon) -> bool:
    """A negation or halt verb governs the trigger: "did not attack", "halted attacks", "no attack"."""
    lo = max(seg.lo, head - 5)
    window = lower[lo:head]
    if any(t in _NEG for t in window[-4:]):
        return True
    # "attacks would stop", "attacks to be halted": the force word is the object of a halt.
    if any(t in lex.halt_verbs for t in lower[head + 1:head + 4]):
        return True
    return any(t in lex.halt_verbs or t in _REFUSAL for t in window[-4:])


def _hypothetical(lower: list[str], seg: Segment, head: int, lex: Lexicon) -> bool:
    """A modal, a condition or a threat verb governs the trigger: "would unleash attacks", "vowed to strike"."""
    lo = max(seg.lo, head - 6)
    window = lower[lo:head]
    if any(t in _MODALS for t in window) or any(t in ("could", "might", "may", "would") for t in lower[seg.lo:head]):
        # "which could have been retaliation for the bombing", "would unleash attacks": not asserted.
        return True
    if any(t in _CONDITIONAL for t in lower[seg.lo:head]):
        return True
    if "to" in window[-2:] and any(t in lex.hypothetical for t in lower[max(seg.lo, head - 8):head]):
        return True
    if any(t in lex.threat_verbs for t in window):
        return True  # "threatened a military strike", "vowed revenge attacks"
    if head > 0 and lower[head - 1] in ("any", "every", "future", "possible", "potential", "such", "further"):
        return True
    # "risk being attacked", "bracing for an attack", "fears of a strike"
    if any(t in _EXPECTATION for t in lower[max(seg.lo, head - 4):head]):
        return True
    return False


def is_generic(s: AnalysedSentence, seg: Segment, head: int, lex: Lexicon, anchored: bool) -> bool:
    """A plural use of force that names no occurrence ("rocket attacks on US bases stepped up")."""
    lower = s.lower
    word = lower[head]
    # "rockets fired at US forces ... were a message": bare plural weapons, no number or article.
    if not anchored and head > seg.lo and any(w in _PLURAL_WEAPONS for w in lower[max(seg.lo, head - 3):head + 1]):
        k = next(i for i in range(max(seg.lo, head - 3), head + 1) if lower[i] in _PLURAL_WEAPONS)
        if k == seg.lo or lower[k - 1] not in _DETERMINERS | {"a", "an"} and not lower[k - 1].isdigit() \
                and lower[k - 1] not in ("three", "two", "four", "five", "six", "several", "least", "of"):
            return True
    # "have come under attack at least 19 times": a count of occurrences, not one.
    after = lower[head + 1:head + 6]
    if "times" in after and any(t.isdigit() or t in ("several", "many", "dozens", "multiple") for t in after):
        return True
    if not word.endswith("s") or word in ("was", "gas"):
        return False
    before = lower[max(seg.lo, head - 4):head]
    # Counts are not events: "at least 40 attacks", "more than 100 rocket and drone attacks", "dozens of".
    if any(t.replace(",", "").isdigit() or t in lex.generic for t in before) and word in lex.attack_nouns:
        return True
    if before and (before[-1] in _DETERMINERS or before[-1].endswith("'s") or before[-1] in ("’s", "'s")
                   or before[-1] in _SPECIFIC_WORDS):
        return False
    # "US airstrikes on KH" is one operation: a plural strike is generic only when nothing anchors it.
    return not anchored


def anchored(date: str | None, date_source: str | None, place_rank: int, casualties: bool,
             plural_attack: bool, parties: bool = False) -> bool:
    """Whether a use of force is tied to an occurrence: a date, a named place or a toll. A plural
    "attacks" needs a day or month, a place below province level, or a toll ("attacks in 2020" is a trend)."""
    if casualties or (parties and not plural_attack):
        return True  # a named actor or target ties a strike to an occurrence
    dated = bool(date) and date_source in ("stated", "sentence", "reporting")
    if plural_attack:
        return (dated and len(date or "") >= 7) or place_rank >= 2
    return dated or place_rank >= 1


def _force_mentions(s: AnalysedSentence, segs: list[Segment], lex: Lexicon) -> list[Mention]:
    lower = s.lower
    n = len(lower)
    modes = _mode_spans(lower, lex)
    mode_at: dict[int, tuple[int, int, str]] = {}
    for a, b, m in modes:
        for k in range(a, b):
            mode_at[k] = (a, b, m)
    triggers: list[int] = []
    for i, t in enumerate(lower):
        if t in ("action", "actions") and i > 0 and lower[i - 1] in ("military", "retaliatory", "punitive"):
            triggers.append(i)  # "American military action against Iranian nuclear facilities"
            continue
        if t in lex.attack_nouns or t in lex.strike_nouns or t in lex.force_verbs or t in lex.weapon_only_verbs \
                or i in mode_at:
            if t in lex.attack_nouns or t in lex.strike_nouns:
                if i > 0 and lower[i - 1] in lex.not_force_before:
                    continue
                if i + 1 < n and lower[i + 1] in lex.not_force_after and i not in mode_at:
                    continue
            triggers.append(i)
    # Group triggers that stand together ("fired three rockets", "US drone strike", "rocket attack").
    in_entity = {k for m in s.entities for k in range(m.start, m.end)}
    groups: list[list[int]] = []
    for i in triggers:
        gap = range(groups[-1][-1] + 1, i) if groups else range(0)
        if groups and i - groups[-1][-1] <= 3 and segment_of(segs, i) == segment_of(segs, groups[-1][-1]) \
                and not any(lower[k] in _GROUP_STOPS or k in in_entity for k in gap):
            groups[-1].append(i)
        else:
            groups.append([i])
    out: list[Mention] = []
    for g in groups:
        words = [lower[i] for i in g]
        nouns = [i for i in g if lower[i] in lex.attack_nouns or lower[i] in lex.strike_nouns
                 or lower[i] in ("action", "actions")]
        verbs = [i for i in g if lower[i] in lex.force_verbs and lower[i] not in lex.weapon_only_verbs]
        weak_verbs = [i for i in g if lower[i] in lex.weapon_only_verbs]
        weapons = [i for i in g if i in mode_at]
        if not (nouns or verbs or (weak_verbs and weapons)):
            continue
        if not nouns and lower[max(0, min(g) - 2):min(g)] in (["used", "to"], ["designed", "to"]):
            continue  # "the truck used to launch the rockets": an instrument, not an occurrence
        head = nouns[-1] if nouns else (verbs[0] if verbs else weak_verbs[0])
        seg_idx = segment_of(segs, head)
        seg = segs[seg_idx]
        mode = None
        for i in g:
            if i in mode_at:
                mode = mode_at[i][2]
                break
        if mode is None:
            # A weapon named nearby in the same clause: "rockets ... slammed into the base", unless it
            # belongs to another use of force ("the strikes avenged a drone strike").
            others = {i for other in groups if other is not g and any(
                lower[k] in lex.attack_nouns or lower[k] in lex.strike_nouns for k in other) for i in other}
            for a, b, m in modes:
                if seg.lo <= a < seg.hi and abs(a - head) <= 8 and not others.intersection(range(a, b)):
                    mode = m
                    break
        strike_word = any(lower[i] in lex.strike_nouns or lower[i] in ("action", "actions") for i in g) \
            or mode == "airstrike"
        passive = (bool(verbs or weak_verbs) and not nouns and not lower[head].endswith("ing") and any(
            t in _BE for t in lower[max(seg.lo, head - 3):head])) or any(
            t in ("came", "come", "comes", "coming") for t in lower[max(seg.lo, min(g) - 3):min(g)]) and (
            "under" in lower[max(seg.lo, min(g) - 3):min(g)])
        if lower[head] in ("hit", "hits", "struck", "strike", "attacked", "targeted") and not nouns and not weapons:
            # A bare "hit" reports force only where the clause names a weapon, an armed party or a
            # place: "hit by currency appreciation", "a deal was struck", "Hit or Miss Shops" do not.
            near = lower[max(seg.lo, head - 4):head + 4]
            if any(w in near for w in ("deal", "agreement", "record", "note", "chord", "tone", "balance", "out",
                                       "currency", "prices", "price", "sales", "profits", "market", "bottom")):
                continue
            if not any(seg.lo <= m.start < seg.hi and m.entity.type not in ("person",) for m in s.entities) \
                    and not any(seg.lo <= a < seg.hi for a, _, _ in modes):
                continue
        if _negated(lower, seg, min(g), lex) or _hypothetical(lower, seg, min(g), lex):
            continue
        if not weapons and mode is None and (
                (any(w in ("strike", "strikes") for w in words) and (_has(lower, 0, n, lex.labour) or _has(
                    lower, min(g) - 2, min(g), frozenset({"on", "general", "hunger", "warning", "national"}))))
                or _has(lower, max(seg.lo, min(g) - 6), min(seg.hi, max(g) + 7), lex.economy)):
            continue  # a workers' strike, "hit by currency appreciation", "targeted at 695 mln dlrs"
        if "heart" in words or _has(lower, min(g) - 3, min(g), _HABITUAL_MODIFIERS):
            continue  # "the regular rocket fire on US sites": a pattern, not an occurrence
        perfect = any(t in ("have", "has") for t in lower[max(seg.lo, head - 3):head])
        habitual = (perfect and any(t in _HABIT for t in lower[head:seg.hi])) or not nouns and (
            (lower[head].endswith("ing") and any(t in _BE for t in lower[max(seg.lo, head - 2):head]))
            or (lower[min(g)].endswith("ing") and ("have" in lower or "has" in lower)
                and any(t in ("spent", "been", "continued", "kept") for t in lower))
            or (lower[seg.lo] in ("that", "which", "who") and any(
                t in ("have", "has") for t in lower[max(seg.lo, head - 3):head])))
        out.append(Mention("force", head, min(g), max(g) + 1, seg_idx, mode, strike_word, passive,
                           habitual=habitual))
    for i, t in enumerate(lower):
        # "It happened on a busy road in Mashtal", "Their target was the Rumaylan base": details of an
        # occurrence reported before, never a new one.
        if (t in ("happened", "occurred") and i > 0 and lower[i - 1] in ("it", "this", "attack", "strike", "blast")) \
                or (t in ("target", "targets") and i > 0 and lower[i - 1] in ("their", "its", "the") and i + 1 < n
                    and lower[i + 1] in ("was", "were")):
            out.append(Mention("force", i, i, i + 1, segment_of(segs, i), join_only=True))
    return _link_participles(out, lower)


def _link_participles(mentions: list[Mention], lower: list[str]) -> list[Mention]:
    """"KH and KSS, the two targeted in the US raid", "fighters killed in US strikes": a participle
    before "in/by" + a force noun is that noun's event, and what stands before it is the target."""
    out: list[Mention] = []
    for k, m in enumerate(mentions):
        nxt = mentions[k + 1] if k + 1 < len(mentions) else None
        if (nxt is not None and m.head == m.lo and lower[m.head].endswith("ed") and nxt.segment == m.segment
                and nxt.lo - m.hi <= 4 and lower[m.hi] in ("in", "by")
                and lower[nxt.head] not in ("targeted", "hit", "struck")):
            nxt.verb_lo = m.lo
            nxt.mode = nxt.mode or m.mode
            continue
        out.append(m)
    return out


_QUOTES = frozenset('"“”\'‘’')
# Words that put a quoted truce in doubt: "talking about a 'truce'", "its so-called 'ceasefire'".
_DOUBT = frozenset("talking talk talked about so-called called calls calling dubbed alleged supposed".split())


def _scare_quoted(lower: list[str], a: int, b: int) -> bool:
    """"talking about a 'truce' while continuing to shoot": a truce word quoted on its own after words
    of doubt is doubted, not reported ("the 'ceasefire' held overnight" still reports one)."""
    return (a > 0 and b < len(lower) and lower[a - 1] in _QUOTES and lower[b] in _QUOTES
            and _has(lower, a - 5, a - 1, _DOUBT))


# Words besides the halt verbs that may make a truce of the words around them.
_HALTS = frozenset("stop stopped halt halted end cease ceased not n't refrained refrain refraining".split())


def _ceasefire_mentions(s: AnalysedSentence, segs: list[Segment], lex: Lexicon) -> list[Mention]:
    lower = s.lower
    out: list[Mention] = []
    for a, b in find_phrases(lower, lex.ceasefire_nouns):
        word = " ".join(lower[a:b])
        if word in ("calm", "lull"):
            # "calm" reports a truce only as a period ("six months of calm", "the current calm").
            if not (_has(lower, a - 3, a, frozenset({"current", "unprecedented", "relative", "fragile", "uneasy"}))
                    or (a >= 2 and lower[a - 1] == "of" and lower[a - 2] in (
                        "period", "months", "weeks", "days", "years", "month", "week", "year"))):
                continue
        if _has(lower, a - 4, a, _REFUSAL) or _scare_quoted(lower, a, b):
            continue
        out.append(Mention("ceasefire", a, a, b, segment_of(segs, a)))
    for i, t in enumerate(lower):
        # "the agreement", "the deal": a truce already reported, never a new one.
        if t in ("agreement", "deal", "accord", "pact", "arrangement") and i > 0 and lower[i - 1] in (
                "the", "this", "that") and not _has(lower, i - 3, i, _REFUSAL):
            out.append(Mention("ceasefire", i, i, i + 1, segment_of(segs, i), join_only=True))
    force_words = lex.halted_words
    for i, t in enumerate(lower):
        if t not in lex.halt_verbs and t not in _HALTS:
            continue
        if i > 0 and lower[i - 1] == "to" and _has(lower, segs[segment_of(segs, i)].lo, i, _APPEALS):
            continue  # "called on leaders to act to stop such attacks": an appeal, not a truce
        if t in lex.halt_verbs:
            nxt = lower[i + 1:i + 6]
            if any(w in force_words for w in nxt):
                if t in ("end", "ended", "ending") and not any(w in ("hostilities", "fighting") for w in nxt):
                    continue
                out.append(Mention("ceasefire", i, i, i + 1, segment_of(segs, i)))
        if t in ("stop", "stopped", "halt", "halted", "end", "cease", "ceased") and i > 0 and not any(
                w in force_words for w in lower[i + 1:i + 6]):
            prev = lower[max(segs[segment_of(segs, i)].lo, i - 14):i]
            # "Fighting ... was set to stop", "attacks would stop while the militias waited"
            if any(w in ("fighting", "attacks", "hostilities", "shelling", "firing") for w in prev):
                out.append(Mention("ceasefire", i, i, i + 1, segment_of(segs, i)))
        if t in ("not", "n't") and i > 0:
            # "agreed not to attack", "would not target the US"
            nxt = lower[i + 1:i + 4]
            prev = lower[max(0, i - 3):i]
            if any(w in ("attack", "target", "strike", "attacking", "targeting") for w in nxt) and any(
                    w in ("agreed", "agree", "agrees", "pledged", "promised", "would", "will") for w in prev):
                out.append(Mention("ceasefire", i, i, i + 1, segment_of(segs, i)))
        if t in ("refrained", "refrain", "refraining") and any(w in force_words for w in lower[i + 1:i + 5]):
            out.append(Mention("ceasefire", i, i, i + 1, segment_of(segs, i)))
    return out


def _end_mentions(s: AnalysedSentence, segs: list[Segment], lex: Lexicon, has_truce: bool) -> list[Mention]:
    lower = s.lower
    out: list[Mention] = []
    for a, b in find_phrases(lower, lex.end_phrases):
        seg = segs[segment_of(segs, a)]
        if _hypothetical(lower, seg, a, lex) or _has(lower, a - 4, a, frozenset({"threatened", "threaten",
                                                                                   "vowed", "not"})):
            continue
        resumes = lower[a].startswith("resum")
        if not has_truce and not resumes:
            continue
        out.append(Mention("ceasefire_end", a, a, b, segment_of(segs, a)))
    return out


def _demand_mentions(s: AnalysedSentence, segs: list[Segment], lex: Lexicon) -> list[Mention]:
    lower = s.lower
    out: list[Mention] = []
    for a, b in find_phrases(lower, lex.demand_nouns):
        out.append(Mention("demand", a, a, b, segment_of(segs, a)))
    for a, b in find_phrases(lower, lex.demand_verbs):
        seg = segs[segment_of(segs, a)]
        obj = lower[b:min(seg.hi + 6, b + 14)]
        if not any(w in lex.demand_objects for w in obj):
            continue
        if not any(w in ("troops", "forces", "force", "embassy", "us", "u.s.", "american", "americans",
                         "foreign", "coalition", "mission", "presence", "soldiers") for w in obj + lower[a - 3:a]):
            continue
        if lower[a] in ("demands", "demand", "asks", "vote") and _has(lower, seg.lo, a, frozenset(
                {"if", "must", "to", "will", "would", "unless"})):
            continue
        if _has(lower, 0, a, frozenset({"conditional", "condition", "provided", "if", "unless"})):
            continue  # "conditional on Al-Khadimi demanding ...": a term of a deal, not a demand made
        if _has(lower, max(seg.lo, a - 3), a, _MODALS | frozenset({"must", "to", "if"})) and not _has(
                lower, max(seg.lo, a - 6), a, frozenset({"caused", "forced", "prompted", "led", "pushed"})):
            continue
        out.append(Mention("demand", a, a, b, segment_of(segs, a)))
    return out


def _threat_mentions(s: AnalysedSentence, segs: list[Segment], lex: Lexicon) -> list[Mention]:
    lower = s.lower
    out: list[Mention] = []
    force = {w for p in lex.threat_force for w in p if len(p) == 1}
    if _has(lower, 0, len(lower), lex.economy):
        return out  # "would retaliate by imposing taxes on U.S. exports": a trade threat, not of force
    for i, t in enumerate(lower):
        if t not in lex.threat_verbs:
            continue
        if i > 0 and lower[i - 1] in ("no", "not", "without"):
            continue
        if "not" in lower[i + 1:i + 4]:
            continue  # "warning Washington not to take military action": a plea, not a threat
        rest = lower[i + 1:]
        explicit = t.startswith("threat")
        if explicit and i > 0 and lower[i - 1] in ("is", "was", "are", "were", "be", "been", "being"):
            continue  # "the economy is threatened by instability": a risk, not a threat made
        speaker_named = any(m.end <= i and not m.entity.is_place for m in s.entities)
        if (explicit and speaker_named) or any(w in force for w in rest[:25]) or find_phrases(rest[:25], lex.threat_force):
            if t in ("promised", "pledged") and not any(w in ("revenge", "retaliate", "avenge", "respond")
                                                        for w in rest[:12]):
                continue
            out.append(Mention("threat", i, i, i + 1, segment_of(segs, i)))
    for a, b in find_phrases(lower, lex.threat_statements):
        out.append(Mention("threat", a, a, b, segment_of(segs, a)))
    # A conditional menace: "if US troops insist on staying, they would unleash attacks".
    if not out and _has(lower, 0, len(lower), frozenset({"if", "unless", "should"})):
        for i, t in enumerate(lower):
            if t in ("would", "will", "'ll") and any(
                    w in force or w in lex.attack_nouns for w in lower[i + 1:i + 7]) and not _has(
                    lower, i + 1, i + 3, frozenset({"not"})):
                out.append(Mention("threat", i, i, i + 1, segment_of(segs, i)))
                break
    return out


def _troop_mentions(s: AnalysedSentence, segs: list[Segment], lex: Lexicon) -> list[Mention]:
    lower = s.lower
    out: list[Mention] = []
    for a, b in find_phrases(lower, lex.troop_verbs):
        seg = segs[segment_of(segs, a)]
        window = lower[max(seg.lo, a - 6):min(seg.hi, b + 8)]
        if not find_phrases(window, lex.troop_nouns):
            continue
        word = lower[a]
        # A withdrawal demanded, conditioned or timetabled is not a troop movement, unless the timetable
        # itself was presented ("the government presented a timetable for the withdrawal").
        before = lower[max(0, a - 8):a]
        if _timetable_presented(lower, seg, a):
            before = [w for w in before if w not in ("timetable", "timeline", "for")]
        if any(w in ("timetable", "timeline", "demand", "demanded", "demands", "demanding", "calling",
                     "call", "called", "if", "provided", "condition", "expel", "unless", "asking", "asked",
                     "pending", "waited", "waiting", "whether", "want", "wants", "for", "requesting", "request",
                     "requested", "urging", "urged", "asking", "must", "long", "once", "until") for w in before):
            continue
        if _has(lower, max(seg.lo, a - 4), a, _NEG) or _has(lower, b, b + 2, frozenset({"not"})):
            continue
        if word in ("reduce", "reduced", "reducing", "reduction") and any(
                w in _NOT_REDUCED for w in lower[b:b + 4]):
            continue  # "reduced the threat to its personnel": the danger is cut, not the troops
        if word in ("leave", "left", "leaving", "move", "moved", "moving", "bring", "brought", "send", "sent",
                    "sending", "mission", "depart", "departed") and not _troop_move_context(lower, a, b):
            continue
        if word in ("leave", "move") and _has(lower, max(seg.lo, a - 3), a, frozenset({"to"})) and not _has(
                lower, max(seg.lo, a - 6), a, frozenset({"plan", "plans", "will", "would"})):
            continue
        out.append(Mention("troop_change", a, a, b, segment_of(segs, a)))
    return out


_NOT_REDUCED = frozenset("threat threats risk risks danger tension tensions violence attacks exposure".split())
_PRESENTED = frozenset("presented unveiled announced published released submitted approved adopted issued "
                       "outlined finalised finalized".split())
_UNREAL = frozenset("if unless provided condition demand demanded demanding demands calling called asking asked "
                    "urged urging must should wait waiting until once whether want wants".split())


def _timetable_presented(lower: list[str], seg: Segment, a: int) -> bool:
    """"presented a timetable for the withdrawal of US forces": a withdrawal announced, told as done
    (past tense, no condition or demand in the clause, before it or after: "... if security allows")."""
    k = next((i for i in range(a - 1, max(seg.lo, a - 5) - 1, -1) if lower[i] in ("timetable", "timeline")), None)
    if k is None or not any(w in _PRESENTED for w in lower[max(seg.lo, k - 3):k]):
        return False
    return not any(w in _UNREAL for w in lower[max(seg.lo, k - 15):k]) and not any(
        w in ("if", "unless", "provided", "pending", "once", "subject") for w in lower[a:seg.hi])


def _troop_move_context(lower: list[str], a: int, b: int) -> bool:
    """Weak movement words report a troop change only with a place or a number they move from/to:
    "a convoy had left Ain al-Asad", "bring troop numbers down to 2,500", "end its mission in Baghdad"."""
    after = lower[b:b + 8]
    word = lower[a]
    if word == "mission":
        around = lower[max(0, a - 6):b + 6]
        return any(w in ("end", "ended", "ends", "over", "conclude", "concluded", "wind", "completed")
                   for w in around) and not any(w in ("asking", "requesting", "request") for w in around)
    if word in ("bring", "brought"):
        return "down" in after
    return any(w in ("from", "out", "to", "down", "back", "by") for w in after) or any(
        w in ("base", "bases", "airbase") for w in after)


def find_mentions(s: AnalysedSentence, lex: Lexicon | None = None) -> SentenceMentions:
    """All event mentions of one sentence, de-duplicated by kind and head."""
    lex = lex or load_lexicon()
    if lex.trigger_words.isdisjoint(s.lower):
        return SentenceMentions(s, [], [])  # most sentences of most reports: nothing to look at
    segs = segments(s.lower)
    mentions = _force_mentions(s, segs, lex)
    cf = _ceasefire_mentions(s, segs, lex)
    mentions += cf
    mentions += _end_mentions(s, segs, lex, has_truce=any(not m.join_only for m in cf) or _has(
        s.lower, 0, len(s.lower), frozenset({"truce", "ceasefire", "armistice", "cease-fire", "hudna"})))
    mentions += _demand_mentions(s, segs, lex)
    # One threat per sentence: a warning and the words it quotes ("warned ... would be hit") are one.
    mentions += _threat_mentions(s, segs, lex)[:1]
    mentions += _troop_mentions(s, segs, lex)
    # A force word inside a truce or threat phrase is not an attack ("halt attacks", "threatened a strike").
    claimed = {(m.kind, m.head) for m in mentions}
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda m: (m.head, m.kind)):
        if (m.kind, m.head) in claimed and any(o.kind == m.kind and o.head == m.head for o in out):
            continue
        out.append(m)
    return SentenceMentions(s, segs, out)
