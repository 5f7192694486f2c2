"""Claims of responsibility, denials, "no group claimed it", and accusations, with who made them.

    "a group naming itself Liwa al-Fath said it carried out the raid"  claim       party = said_by = the group
    "Kataib Hezbollah denied any role"                                 denial      party = said_by = KH
    "no group has claimed responsibility, officials said"               no_claim    said_by = officials
    "Paris blamed the bombing on the Islamic Resistance"                accusation  party = IRI, said_by = France

Like ``attribution``, the functions read a sentence's text and its ``NamedSpan`` names and are pure:
the extractor can call ``find_claims`` on an ``AnalysedSentence`` (with ``spans_of``), the merge
stage calls it on stored sentences. Where no known name stands next to the cue, a capitalised name
is taken ("a group calling itself X": X), so groups the gazetteer does not know are still named.
``attach`` decides which of a report's events a claim sentence is about.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from trucewatch.merge.attribution import NamedSpan, attribute
from trucewatch.merge.records import Claim, ClaimKind
from trucewatch.models import Event

# A word every cue below contains.
_CUES = re.compile(r"claim|den[iy]|reject|disavow|disown|distanced|nothing\s+to\s+do|blam|accus|pin|suspect|"
                   r"responsib|forward|\bsaid\s+it|\bsaid\s+(?:its|their)|credit|behind", re.IGNORECASE)
_NO_CLAIM = re.compile(
    r"\bno\s+(?:known\s+)?(?:[\w-]+\s+){0,2}(?:group|one|faction|organi[sz]ation|party|militia)s?\s+"
    r"(?:has\s+|had\s+|have\s+)?(?:yet\s+|immediately\s+|publicly\s+)?(?:claimed|took|taken|come\s+forward)"
    r"|\bno\s+(?:immediate\s+)?claim\s+of\s+responsibility"
    r"|\b(?:has|had|have|was|were)\s+not\s+(?:yet\s+|immediately\s+)?(?:been\s+)?claimed"
    r"|\bnot\s+(?:immediately\s+)?clear\s+who\s+(?:was\s+)?(?:responsible|behind)"
    r"|\bunclaimed\b|\bnobody\s+(?:has\s+|had\s+)?claimed",
    re.IGNORECASE)
_DENIAL = re.compile(
    r"\b(?:denied|denies|deny|denying|rejected|rejects|disavowed|disowned)\s+(?:any\s+|all\s+|strongly\s+)?"
    r"(?:role|involvement|responsibility|links?|participation|being\s+behind|that\s+it|it\s+was|"
    r"(?:the\s+)?accusations?|(?:the\s+)?claims?|(?:the\s+)?charges?)\b"
    r"|\bdistanced\s+(?:itself|themselves)\s+from\b|\bhad\s+nothing\s+to\s+do\s+with\b",
    re.IGNORECASE)
_CLAIM_ACTIVE = re.compile(
    r"\b(?:claimed|claims|claiming|took|takes|taking|announced|announces)\s+(?:its\s+|their\s+)?"
    r"(?:responsibility|credit)\b"
    r"|\b(?:claimed|claims)\s+(?:the|this|that|both|these|it|them|an?|its|their)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:attacks?|strikes?|bombings?|operations?|assaults?|barrage|shelling)\b"
    r"|\bsaid\s+it\s+(?:was|had\s+been)\s+behind\b"
    r"|\bsaid\s+(?:its|their)\s+fighters\s+(?:had\s+)?(?:also\s+)?"
    r"(?:launched|fired|carried\s+out|targeted|struck|attacked|sent|hit)\b"
    r"|\bsaid\s+it\s+had\s+(?:also\s+)?(?:launched|fired|carried\s+out|targeted|struck|attacked|sent|hit)\b",
    re.IGNORECASE)
_CLAIM_PASSIVE = re.compile(r"\b(?:was|were|been|being)\s+claimed\s+(?:on\s+\w+\s+|later\s+|quickly\s+)?by\b",
                            re.IGNORECASE)
_ACCUSE = re.compile(
    r"\b(?P<verb>blamed|blames|blame|blaming|accused|accuses|accusing|pinned|pins|suspected|suspecting|suspect)\b"
    r"|\b(?P<hold>held|holds|holding|hold)\s+(?P<whom>[^,;.]{2,60}?)\s+responsible\b",
    re.IGNORECASE)
_PASSIVE_BLAME = re.compile(r"\b(?:was|were|been|is|are)\s+(?:widely\s+)?(?:blamed|accused)\b", re.IGNORECASE)
_NAME_CUE = re.compile(r"\b(?:calling\s+itself|calls\s+itself|called|known\s+as|using\s+the\s+name|under\s+the\s+name|"
                       r"dubbed|named)\s*[\"“']?(?P<name>[A-Z][\w'’-]*(?:\s+(?:al-|el-|of\s+|the\s+)?[A-Z][\w'’-]*){0,6})")
_CAPITAL_WORD = r"(?:[A-Z][\w'’.-]*|al-[\w'’-]+)"
_CAPITALISED = re.compile(rf"(?:\b[Tt]he\s+)?(?P<name>{_CAPITAL_WORD}(?:\s+(?:(?:al-|el-|of|the|in|for|de)\s+)?"
                          rf"{_CAPITAL_WORD}){{0,6}})")
# A capitalised word that describes rather than names when a noun follows: "Iraqi bases",
# "Iranian-backed forces", "Friday's barrage".
_MODIFIER = re.compile(r"(?:[’']s|-backed|-aligned|-linked|-led|-allied|-affiliated|ian|ese|i|ish|ite)$")
_NEGATED = re.compile(r"\b(?:short\s+of|not|never|without|refused\s+to|declined\s+to|no\s+longer)\s+(?:\w+\s+)?$",
                      re.IGNORECASE)
_UNSPECIFIED = frozenset({"those", "them", "him", "her", "it", "anyone", "whoever", "the perpetrators",
                          "those behind it", "the attackers"})
_DESCRIBED = re.compile(r"\s*((?:an?|the)\s+(?:[\w'’-]+\s+){0,3}?"
                        r"(?:militias?|groups?|factions?|fighters|militants))\b")
_FILLER = re.compile(r"(?:\s+(?:had|has|have|also|later|strongly|flatly|swiftly|quickly|immediately|reportedly|"
                     r"publicly|repeatedly|already|since|then|on\s+\w+|itself|themselves))+$", re.IGNORECASE)
_NOT_PARTIES = frozenset({"A", "An", "It", "They", "He", "She", "This", "That", "But", "And", "In", "On",
                          "However", "Most", "Some", "Many", "Several", "Both", "All"})
_WINDOW = 90  # characters a party may stand from its cue


def find_claims(text: str, spans: Sequence[NamedSpan] = ()) -> list[Claim]:
    """Every claim, denial, "no claim" and accusation in one sentence, in that order of kinds."""
    if not _CUES.search(text):
        return []  # most sentences: one search instead of six
    out: list[Claim] = []
    for match in _NO_CLAIM.finditer(text):
        source = attribute(text, spans)
        out.append(_claim("no_claim", None, str(source) if source else None, match.group(0), text))
    for match in _DENIAL.finditer(text):
        party = _party_before(text, match.start(), spans)
        source = attribute(text, spans) if party is None else None
        out.append(_claim("denial", party, party or (str(source) if source else None), match.group(0), text))
    for match in _CLAIM_ACTIVE.finditer(text):
        if _NO_CLAIM.search(text[max(0, match.start() - 40):match.end()]):
            continue  # "no group has claimed responsibility" is not a claim
        party = _party_before(text, match.start(), spans)
        out.append(_claim("claim", party, party, match.group(0), text))
    for match in _CLAIM_PASSIVE.finditer(text):
        party = _party_after(text, match.end(), spans)
        out.append(_claim("claim", party, party, match.group(0) + (f" {party}" if party else ""), text))
    out.extend(_accusations(text, spans))
    return out


def _claim(kind: ClaimKind, party: str | None, said_by: str | None, cue: str, text: str) -> Claim:
    return Claim(kind=kind, party=party, said_by=said_by, cue=cue.strip(), text=text)


def _accusations(text: str, spans: Sequence[NamedSpan]) -> list[Claim]:
    out: list[Claim] = []
    for match in _ACCUSE.finditer(text):
        if _NEGATED.search(text, max(0, match.start() - 25), match.start()):
            continue  # "stopped short of blaming Iran" accuses no one
        if match.group("hold"):
            if match.group("whom").casefold() in _UNSPECIFIED:
                continue  # "to hold those responsible": a call, not an accusation
            party = _party_after(text, match.start("whom"), spans, limit=match.end("whom")) or match.group("whom")
            accuser = _party_before(text, match.start(), spans)
        else:
            verb = match.group("verb").casefold()
            passive = _PASSIVE_BLAME.search(text, max(0, match.start() - 20), match.end())
            if passive:  # "for which the militia was held responsible": the accused stands before the verb
                party = _party_before(text, passive.start(), spans)
                accuser = None
            else:
                # "blamed X for the attack" names X at once; "blamed the attack on X" after "on".
                party = _party_after(text, match.end(), spans, limit=min(len(text), match.end() + 40))
                after = text[match.end():match.end() + _WINDOW]
                on = re.match(r"\s+(?:[^,;.]{0,60}?\s)?on\s+", after) if verb.startswith(("blam", "pin")) else None
                if on and (party is None or not re.match(r"\s+(?:[Tt]he\s+)?[A-Z]", after)):
                    party = _party_after(text, match.end() + on.end(), spans)
                accuser = _party_before(text, match.start(), spans)
        if party is None:
            continue
        if accuser is None:
            source = attribute(text, spans)
            accuser = str(source) if source else None
        out.append(_claim("accusation", party, accuser, match.group(0), text))
    return out


def _party_before(text: str, pos: int, spans: Sequence[NamedSpan]) -> str | None:
    """The actor named just before ``pos`` in its clause ("France and Chad deny": both), a known
    name, else a capitalised one."""
    clause_start = max(text.rfind(c, 0, pos) for c in ";:") + 1
    known = [s for s in spans if clause_start <= s.start and s.end <= pos and pos - s.end <= _WINDOW and not s.is_place]
    if known:
        joined = [known[-1]]
        for s in reversed(known[:-1]):
            if re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", text[s.end:joined[0].start]):
                joined.insert(0, s)
            else:
                break
        return "; ".join(dict.fromkeys(s.name for s in joined))
    before = _FILLER.sub("", text[clause_start:pos].rstrip())
    cues = list(_NAME_CUE.finditer(before))
    if cues and cues[-1].end() >= len(before.rstrip(" \"”'’")) - 1:
        return cues[-1].group("name")
    names = [m for m in _CAPITALISED.finditer(before) if _is_name(m, before)]
    if names and names[-1].end() >= len(before.rstrip(" \"”'’)")) - 1:
        return _name(names[-1])
    return None


def _party_after(text: str, pos: int, spans: Sequence[NamedSpan], limit: int | None = None) -> str | None:
    """The actor named just after ``pos``: a name given by "calling itself", a known name, a
    capitalised name, else a description of a group ("an Iraqi Shiite militia")."""
    end = limit if limit is not None else min(len(text), pos + _WINDOW)
    window = text[pos:end]
    cue = _NAME_CUE.search(window)
    if cue is not None:
        return cue.group("name")
    known = [s for s in spans if pos <= s.start and s.end <= end and not s.is_place]
    if known and known[0].start - pos <= 30:
        return known[0].name
    names = [m for m in _CAPITALISED.finditer(window) if _is_name(m, window)]
    if names and names[0].start() <= 25:
        return _name(names[0])
    described = _DESCRIBED.match(window)
    return described.group(1) if described else None


def _name(match: re.Match[str]) -> str:
    """The name without a sentence's full stop ("Kataib Hezbollah." but "U.S.")."""
    name = match.group("name")
    return name[:-1] if name.endswith(".") and len(name.split()[-1]) > 3 else name


def _is_name(match: re.Match[str], text: str) -> bool:
    """A capitalised run that names a party, not a sentence opener or a modifier of a noun."""
    words = match.group("name").split()
    if words[0] in _NOT_PARTIES:
        return False
    following = re.match(r"\s+([a-z][\w-]*)", text[match.end():])
    return not (following and _MODIFIER.search(words[-1]) and following.group(1) not in ("and", "or", "of"))


def attach(sentence: int, claim: Claim, events: Sequence[tuple[int, Event]]) -> int | None:
    """The id of the report's event a claim in sentence ``sentence`` is about, or None.

    Claims concern uses of force. In order: an attack or strike told in that very sentence; one
    whose place the claim sentence names; the nearest one told before it; the nearest after it.
    """
    force = [(eid, e) for eid, e in events if e.type in ("attack", "strike")]
    if not force:
        return None
    here = [(eid, e) for eid, e in force if e.sentence == sentence or sentence in e.mentions]
    if here:
        return here[0][0]
    named = [(eid, e) for eid, e in force if e.location and e.location.casefold() in claim.text.casefold()]
    if named:
        return named[0][0]
    before = [(eid, e) for eid, e in force if e.sentence < sentence]
    if before:
        return max(before, key=lambda t: t[1].sentence)[0]
    return min(force, key=lambda t: t[1].sentence)[0]
