"""Who a request is for: colleagues and substitutes named with their addresses."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from mailflow.clean import EMAIL, display_name
from mailflow.model import ForwardedMail, Person
from mailflow.understanding import phrases
from mailflow.understanding.literals import guarded
from mailflow.understanding.names import (
    CAP,
    NOT_NAMES,
    first_name,
    first_word,
    fold,
    folded_not_names,
)
from mailflow.understanding.text import norm_text
from mailflow.understanding.unaddressed import ONLY_TOLD

# An address in a sentence about copying is copied for information, not one to book. (Not "his
# email is ... - please send the details to him and cc me", "... copying me as I manage his
# diary": the sender is the one copied.)
_CC_SENTENCE = re.compile(
    r"\b(?:cc'?d|cc|copied|copying)\b(?!\s+(?:me|myself)\b)"
    r"|\b(?:for (?:info|information|visibility)|bcc)\b"
)
SEVERAL_PLACES = guarded(
    r"\b(?:two|three|four|five|six|several|a few|some|a couple of|[2-9]|1[0-5])\s+(?:more\s+)?"
    r"(?:places|seats|spots|spaces|tickets|people|colleagues|of us)\b"
)
OWN_PLACE = guarded(phrases.OWN_PLACE)
_NAME_BEFORE = re.compile(
    rf"({CAP}(?:[ \t]+{CAP}){{0,3}})[ \t]*[(<\[:,–-]?[ \t]*(?:on|at|-)?[ \t]*$"
)
_NAME_AFTER = re.compile(rf"^[ \t]*[>)\]]?[ \t]*[(\[-–][ \t]*({CAP}(?:[ \t]+{CAP}){{0,3}})")
# "Please book Jonas (cc'd, jonas@...)": copied in, and the one to be booked.
_BOOKS_NAME = guarded(r"\b(?:book|register|enrol|sign up|put|add)\s+(?!me\b|us\b)[a-z]+\s*\(")
# "1. Me", "- myself": the sender listed among those to book.
LISTED_ME = re.compile(
    r"^[ \t]*(?:\d+[.)]|[-•*–])[ \t]*(?:me|myself)\b", re.MULTILINE | re.IGNORECASE
)
# The sender among those whose places change: "Lucía and I need to drop out".
AND_I = re.compile(
    # (Not "he's new in the team and I think the May workshop would suit him": an opinion.)
    r"\b(?:and i(?! (?:think|thought|hope|believe|feel|felt|reckon|guess|suppose|suspect|wonder"
    r"|know|knew|understand|agree|realised|realized|noticed|saw)\b)"
    r"|i and|and me|me and|and myself|myself and|both of us|we both)\b"
    r"|[,:]\s*(?:me|myself)\s*(?:,|and\b)"
    # "(myself included)", "mine and Amara's", "neither Amara nor I"
    r"|\b(?:myself|me) included\b|\bincluding (?:me|myself)\b|\bmine and\b|\band mine\b"
    r"|\bnor (?:i|me)\b|\bneither of us\b"
    # "for a colleague (kim@...) and for myself"
    r"|\band for (?:me|myself)\b"
)


# "My work address is normally jo@camden...": the writer's own other address, nobody else.
_OWN_ADDRESS = re.compile(
    r"\bmy\s+(?:(?:usual|normal|proper|real|main|own|work|office|official|council|university"
    r"|college|nhs)\s+)*(?:e-?mail|address|account)(?:\s+address)?\s*(?:is|:)?\s*"
    r"(?:normally|usually|actually|still)?\s*[:(<\[]?\s*$",
    re.IGNORECASE,
)


def own_other_addresses(text: str) -> list[str]:
    """The addresses the writer gives as their own ("my work email is jo@camden..."), lower
    case."""
    return [f.group(0).lower() for f in EMAIL.finditer(text) if _own_other_address(text, f.start())]


def _own_other_address(text: str, start: int) -> bool:
    """Whether the address at start is one the writer gives as their own ("my work email is
    ..."): the sender's, not a colleague's."""
    return bool(_OWN_ADDRESS.search(text[max(0, start - 60) : start].split("\n")[-1]))


# "register me plus jo@... and pat@... (both cc'd)": a note that those asked for are copied
# in, no sign that an address is copied only to know.
_COPIED_NOTE = re.compile(
    r"\(\s*(?:both|all|also|each|all three|all four)?\s*(?:cc'?d|copied(?: in)?|on copy|in copy"
    r"|in cc)\s*\)"
)


def people_in(text: str, exclude: set[str]) -> list[Person]:
    """Colleagues named with an address, in order; addresses in cc-ish sentences, and one the
    writer gives as their own, are skipped."""
    people: list[Person] = []
    seen = set(exclude)
    for found in EMAIL.finditer(text):
        addr = found.group(0).lower().strip(".'")
        if addr in seen or _own_other_address(text, found.start()):
            continue
        sentence_start = max(
            text.rfind("\n\n", 0, found.start()), text.rfind(". ", 0, found.start())
        )
        sentence_end = min(
            (i for i in (text.find("\n\n", found.end()), text.find(". ", found.end())) if i >= 0),
            default=len(text),
        )
        sentence = _COPIED_NOTE.sub(" ", norm_text(text[sentence_start + 1 : sentence_end]))
        if _CC_SENTENCE.search(sentence) and not _BOOKS_NAME.search(sentence):
            continue
        seen.add(addr)
        name = ""
        before = _NAME_BEFORE.search(
            text[max(0, found.start() - 60) : found.start()].split("\n")[-1]
        )
        if before:
            words = [w for w in before.group(1).split() if w not in NOT_NAMES]
            name = " ".join(words)
        if not name:
            after = _NAME_AFTER.match(text[found.end() : found.end() + 60])
            if after:
                name = after.group(1)
        people.append(Person(email=addr, name=display_name(name)))
    return people


# "Could you book her in please?", "get him onto the textiles webinar": a place asked for
# someone else, named (if at all) elsewhere in the mail; "register someone from our partner
# trust", "book someone else in my place", "a place ... for one of the team": someone nobody
# names.
_BOOKS_HER = re.compile(
    r"(?i:\b(?:book|register|enrol+|sign|get|put|add|pop|reserve)\s+(?:(?:her|him)"
    r"(?:\s+(?:in|on|onto|into|up|down|for)\b|\s*[.?!,]|\s*$)"
    r"|(?:someone|somebody)\b)"
    r"|\bfor\s+(?:one|a member|someone|somebody)\s+(?:of|from|in)\s+(?:the|our|my)\s+"
    r"(?:team|teams|staff|colleagues|buyers|department|office|unit)\b)"
)


def booked_by_pronoun(text: str) -> str:
    """The words that ask a place for "her" or "him", or "": someone other than the sender,
    whose address the request must give."""
    found = _BOOKS_HER.search(text)
    return found.group(0).strip(" .?!,") if found else ""


def forwarded_named(
    forwarded: Sequence[ForwardedMail], request: str, sender: str, known: Sequence[Person],
    usable: Callable[[ForwardedMail], bool] = lambda _part: True,
) -> list[Person]:
    """The writer of a forwarded mail the request names ("book Jess onto it - see below",
    forwarding Jessica Hart's ask): their address is in the forward's header. A forward is
    weighed by `usable` (a reading of it: dear) only once the request names its writer."""
    if not forwarded:
        return []  # no forward: no writer of one to add (and no names to look for)
    # "Margaret forwarded this to me - could you book me": who passed it on is not booked.
    # "We're LUPC members" over a forward from "LUPC News": an acronym names an organisation,
    # nobody to book.
    words = {
        fold(f.group(0)) for f in re.finditer(rf"\b{CAP}", request)
        if len(f.group(0)) > 2 and not f.group(0).isupper()
        and not ONLY_TOLD.match(request, f.end())
    }
    words -= folded_not_names()
    seen = {sender, *(p.email for p in known)}
    found = []
    for part in forwarded:
        person = Person(email=part.sender, name=display_name(part.sender_name))
        first = first_word(person)
        if part.sender and part.sender not in seen and first and any(
            first.startswith(w) for w in words
        ) and usable(part):
            seen.add(part.sender)
            found.append(person)
    return found


def signed_taker(signature: str, request: str, exclude: set[str]) -> list[Person]:
    """The one colleague whose address the signature gives ("Deputy: Rob Finch, ...,
    rob.finch@...") whom the words that ask name by first name ("Rob will take my place")."""
    if "@" not in signature:
        return []
    words = {fold(f.group(0)) for f in re.finditer(CAP, request) if len(f.group(0)) > 2}
    words -= folded_not_names()
    found = []
    for person in people_in(signature, exclude):
        local = fold(re.split(r"[._-]", person.email.split("@")[0])[0])
        if local in words:
            found.append(Person(person.email, ""))
    return found if len(found) == 1 else []


# "Sarah (sarah@...) might want to come as well - she's checking her diary": someone named for a
# place who has not decided to come. (Not "Sam may need to leave early": how, not whether.)
_MAYBE_COMING = guarded(
    r"\b(?:might|may)\s+(?:also\s+|well\s+)?(?:want|wish|like|be able|be free|be interested"
    r"|come|attend|join)\b"
    r"|\b(?:check|checking|checks|confirm|confirming)\s+(?:her|his|their)\s+(?:diary|calendar"
    r"|availability)\b"
    r"|\b(?:tbc|to be confirmed)\b"
)


def maybe_coming(clause: str, person: Person) -> str:
    """The hedge on a person's coming in a clause that names them (by address or first name),
    or "": a place for them is not yet asked for. (The hedge is looked for first: most clauses
    hold none, and the name's pattern is built per person.)"""
    found = _MAYBE_COMING.search(clause)
    if not found:
        return ""
    first = first_name(person)
    names = [re.escape(person.email)] + ([rf"\b{re.escape(first)}\b"] if first else [])
    return found.group(0) if re.search("|".join(names), clause) else ""
