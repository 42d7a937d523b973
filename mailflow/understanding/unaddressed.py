"""Colleagues named without an address: beside the sender, by role, in lists and tables."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from mailflow.clean import EMAIL
from mailflow.model import Person
from mailflow.understanding.literals import guarded
from mailflow.understanding.names import (
    CAP,
    FULL_NAME,
    LIST_ITEM,
    NOT_NAMES,
    NOT_PEOPLE,
    fold,
)

# "book me and Jonathan", "Lucía and I": a colleague named beside the sender.
_BESIDE_ME = re.compile(
    rf"\b(?:me|myself)\s+(?:and|&|\+)\s+(?P<name>{CAP})|(?P<name2>{CAP})\s+(?:and|&)\s+(?:me|myself|I)\b"
)
# "can you put me and jess on all of them": the same, typed without capitals (a phone): a word
# between "me and" and where they are to go is someone's name unless it is a common word.
_BESIDE_ME_LOWER = re.compile(
    r"\b(?:me|myself)\s+(?:and|&|\+)\s+(?P<name>[a-z][a-z'’-]+)\s+(?:on|onto|for|in|into|down"
    r"|up)\b"
)
_NOT_A_NAME_LOWER = frozenset({
    "my", "our", "the", "a", "an", "his", "her", "their", "your", "them", "him", "us", "also",
    "then", "all", "both", "others", "other", "everyone", "everybody", "anyone", "someone",
    "colleague", "colleagues", "team", "teammate", "manager", "boss", "deputy", "assistant",
    "staff", "two", "three", "four", "five", "some", "any", "each", "more", "this", "that",
    "these", "those", "put", "sign", "book", "register", "add", "keep", "you", "it", "not",
})
# "and Sarah from our sports team too": someone joined to the request by name, address or not.
_JOINED_NAME = re.compile(
    rf"\b(?:and|plus|also|with)\s+(?P<name>{CAP})(?=[ \t]+(?:from|too|as well|also|who|if)\b)"
    # "Sam Reid (sam@...) and Priya Shah", "me, Sam (...) and Priya": one more in a list
    rf"|(?:[)>]|\b(?:me|myself))[ \t]*(?:,|and|&|plus|\+)[ \t]*(?:and[ \t]+)?"
    rf"(?P<listed>{CAP}(?:[ \t]+{CAP})?)"
    # "Priya Shah would also like to come"
    rf"|(?P<wants>{CAP}(?:[ \t]+{CAP})?)[ \t]+(?:would|wants|is keen|is hoping)[ \t]+"
    r"(?:also[ \t]+)?(?:like[ \t]+|love[ \t]+)?to[ \t]+(?:come|attend|join|go|be booked"
    r"|have a place)\b"
)
# "register Ian and Marcus (both cc'd)": two people named together, each needs an address.
_NAME_PAIR = guarded(
    rf"\b(?:book|register|enrol|sign up|put down|add|include)[ \t]+(?P<a>{CAP})[ \t]+(?:and|&)"
    rf"[ \t]+(?P<b>{CAP})\b"
)
# "Sarah from our Estates team would also like to come", "Stuart from Estates": a person
# named by first name and where they work, with no address.
_NAME_FROM = guarded(
    r"(?<![\w@.])(?!(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Some\w*|Any\w*|Every\w*"
    r"|Colleagues?|People|Staff|Someone|Nobody|All|Both|Others?)\b)"
    rf"(?P<name>{CAP})\s+(?:from\s+(?:(?:our|my|the)\s+)?(?:{CAP}|(?:[a-z]+\s+){{1,3}}team)"
    # "Rosa in our stores team would like to come too"
    r"|(?:in|on)\s+(?:our|my|the)\s+(?:[a-z]+\s+){1,3}(?:team|department|office|unit))\b"
)
_PRONOUNS = frozenset({"i", "we", "he", "she", "they", "you", "it"})
# A title before a name ("Mrs Angela Thorne", "Dr. Vogel"): the name is what follows it.
_HONORIFIC = r"(?:Mrs|Mr|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame)\.?"
# "could you book Ann on this?": someone named by a booking verb, address or not; after a
# title, the name it introduces (first name and surname, "register Mrs Angela Thorne").
_VERB_NAME = guarded(
    # ("could you reserve a place for Marcus on the furniture webinar": the place is his.)
    rf"\b(?:book|register|enrol|sign up|put down|add|cancel|include|(?:place|seat|spot)\s+for"
    # "reserve a place on the food webinar for Sam"
    r"|(?:place|seat|spot)\s+(?:on|at|in)\s+(?:the\s+)?(?:[\w-]+\s+){1,3}?for"
    # "can you take Marcus off the June one?": the place given up is his.
    rf"|(?:take|remove|drop|strike|cross)(?=\s+(?:{_HONORIFIC}[ \t]+)?{CAP}(?:[ \t]+{CAP})?"
    rf"[ \t]+(?:off|from|out of)\b))\s+"
    rf"(?:{_HONORIFIC}[ \t]+(?P<titled>{CAP}(?:[ \t]+{CAP})?)|(?P<name>{CAP}))\b"
)
# "Could our new projects lead, Bernard, also come along?": a colleague set beside their role,
# asked a place for.
_APPOSED_NAME = guarded(
    rf",[ \t]*(?P<name>{CAP}(?:[ \t]+{CAP})?)[ \t]*,[ \t]*(?:also[ \t]+)?(?:come|attend|join)\b"
)
_NAMED_COLLEAGUE = guarded(
    r"\b(?:[Cc]olleagues?|[Mm]anager|[Tt]eam ?mate|[Dd]eputy|[Aa]ssistant|[Bb]oss|[Dd]irector"
    r"|[Cc]o-?worker)"
    r"s?,?\s+(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)"
)
# "My colleague Pieter suggested this": the colleague told them about it, nobody to book.
# "My manager Ann (cc'd) has asked me to book myself": she sends the sender, nobody to book.
ONLY_TOLD = guarded(
    r"(?:\s*\([^)]{0,20}\))?\s+(?:has\s+|had\s+)?(?:suggested|recommended|mentioned|told|forwarded"
    r"|sent|passed|shared|pointed|flagged|highlighted|(?:asked|wants|would like) me)\b"
)
# What _UNNAMED_COLLEAGUE and _BOOKED_BY_POST share: the verbs that book someone, the words for
# a colleague, and no name after the word ("my colleague, Ann" names her: _NAMED_COLLEAGUE's).
_BOOKING_VERBS = r"book|register|sign up|enrol|add|include|put down"
_COLLEAGUE_WORDS = r"colleagues?|manager|team ?mates?|deputy|assistant|co-?workers?"
_NO_NAME_AFTER = r"(?!\s*,?\s*[A-Z][a-z])"
_UNNAMED_COLLEAGUE = re.compile(
    # (not "I'm covering for my manager": the sender stands in for them)
    r"(?i:\b(?:and|plus|with|also|(?<!covering )(?<!cover )(?<!standing in )for)\s+"
    r"(?:my|a|our|one of my|two of my|some of my)\s+"
    rf"(?:{_COLLEAGUE_WORDS})\b){_NO_NAME_AFTER}"
    # "could my colleague also come?", "my colleague would like to come too" (within one part
    # of the sentence: not "passed the flyer by my manager - please register me")
    rf"|(?i:\b(?<!by )(?:my|our|a)\s+(?:{_COLLEAGUE_WORDS})\b)"
    # (not "a colleague mentioned it and I'd be keen to attend": who told the sender, and the
    # sender who comes; "my colleague suggested it and would like to come too" still asks)
    # (nor "my manager would like me to attend": she sends the sender)
    rf"{_NO_NAME_AFTER}(?!(?i:\s+(?:has\s+|had\s+)?(?:asked|wants|would like|needs"
    r"|expects|encouraged|nominated)\s+me\b))"
    r"(?!(?i:\s+(?:has\s+|had\s+)?(?:mentioned|suggested|recommended"
    r"|told|forwarded|sent|passed|shared|pointed|flagged|highlighted)\b[^.?!\n;]{0,30}?"
    r"\b(?:i|i'd|i'm|i'll|me)\b))(?i:(?:(?!\s-\s|;)[^.?!\n]){0,40}\b(?:come|attend|join|go"
    r"|be booked|register|have a place|a place too|too|as well)\b)"
    # "book my manager and me", "register my colleagues and me": booked by the verb itself
    rf"|(?i:\b(?:{_BOOKING_VERBS})\s+(?:me\s+and\s+)?(?:my|our"
    rf"|a|two|three|some|both)\s+(?:{_COLLEAGUE_WORDS}|boss|director)\b){_NO_NAME_AFTER}"
)
# "Could you book our Vice Principal (Finance) onto ...", "register my Head of Estates",
# "book our finance director": someone else named by their post alone, with no name or address.
_BOOKED_BY_POST = re.compile(
    rf"\b(?i:{_BOOKING_VERBS}|reserve a place for)\s+"
    r"(?i:our|my)\s+(?:(?:[A-Z][a-z]+|[a-z]+)\s+){0,2}?"
    r"(?:(?i:principal|director|head|chief|ceo|cfo|coo|chair|chairman|chairwoman|dean|president"
    r"|secretary|supervisor|line manager|pa|officer|registrar|bursar|vp)\b"
    r"|[A-Z][a-z]+\s+(?:Principal|Director|Head|Chief|Officer|President|Manager|Lead|Dean)\b)"
)


def colleagues_without_address(
    text: str,
    people: Sequence[Person],
    whole: str = "",
    keyword: Callable[[str], bool] = lambda word: False,
    sender: Person | None = None,
) -> list[str]:
    """Colleagues the text names (or mentions) without an address anywhere in `whole`; the
    sender, named so in a list of attendees, is no one missing."""
    whole = whole or text
    everyone = [*people, *([sender] if sender else [])]
    named = " ".join(p.name.lower() + " " + p.email for p in everyone)
    missing = []
    if not people and (_UNNAMED_COLLEAGUE.search(text) or _BOOKED_BY_POST.search(text)):
        # "Register me and my colleague": booking only the sender would quietly drop them.
        missing.append("a colleague")
    names = _names_said(text, whole, keyword)
    named, folded = fold(named), ""
    considered: set[str] = set()
    # A row of a table pasted as text with a name and no address.
    missing += [n for n in _unlisted_rows(whole, keyword) if fold(n.split()[0]) not in named]
    for name in names:
        first = fold(name.split()[0])
        # A weekday or month ("Wednesday"), an acronym ("LUPC", "SAQs") or a session
        # ("Logistics") is nobody to book.
        acronym = name.isupper() or (name.endswith("s") and name[:-1].isupper())
        # "the two colleagues I've copied in": a pronoun, contracted ("I’ve"), is nobody named.
        pronoun = re.split(r"['’]", first)[0] in _PRONOUNS
        if (pronoun or first in named or name in NOT_NAMES or first in NOT_PEOPLE or acronym
                or keyword(first)):
            continue
        if len(name.split()) > 1 and any(_spells_full(name, p.email) for p in everyone):
            continue  # "Mrs Angela Thorne ... Her email address is athorne@...": hers
        folded = folded or fold(whole)
        considered.add(first)
        # "Hannah Brooks\n(h.brooks@...)", "Lucía ... Her address is lucia.fernandez@...".
        if not re.search(re.escape(first) + r"[^@]{0,60}@", folded):
            missing.append(name)
    if len(considered) == 1 and len(people) == 1 and missing and not _MORE_THAN_ONE.search(
        text, re.IGNORECASE
    ) and _spells(missing[0], people[0].email):
        return []  # "my colleague Julien ... His address is j.moreau@...": one name, its address
    return missing


def _names_said(text: str, whole: str, keyword: Callable[[str], bool]) -> list[str]:
    """Every name the text gives someone besides the sender ("my colleague Ann", "me and Sam",
    "Sam from finance", a list of attendees in `whole`), whether or not an address follows."""
    names = [
        found.group("name") for found in _NAMED_COLLEAGUE.finditer(text)
        if not ONLY_TOLD.match(text, found.end())
    ]
    names += [f.group("name") or f.group("name2") for f in _BESIDE_ME.finditer(text)]
    names += [f.group("name") for f in _BESIDE_ME_LOWER.finditer(text)
              if f.group("name") not in _NOT_A_NAME_LOWER]
    names += [
        name for f in _JOINED_NAME.finditer(text)
        if (name := f.group("name") or f.group("listed") or f.group("wants"))
        and name.lower() not in _PRONOUNS
    ]
    names += [n for f in _NAME_PAIR.finditer(text) for n in f.group("a", "b")
              if n.lower() not in _PRONOUNS]
    names += [f.group("name") for f in _NAME_FROM.finditer(text)]
    names += [f.group("name") for f in _APPOSED_NAME.finditer(text)]
    names += _listed_names(whole, keyword)
    names += [
        name for f in _VERB_NAME.finditer(text)
        if (name := f.group("titled") or f.group("name")).lower() not in NOT_PEOPLE
        and not keyword(name.lower())
    ]
    return names


# "my colleagues Jack and James": more people than one name found.
_MORE_THAN_ONE = re.compile(
    r"\b(?:colleagues|team members|members of (?:my|our) team|staff)\b"
    r"|\b[A-Z][a-z]+\s+(?:[A-Z][a-z]+\s+)?(?:and|&)\s+[A-Z][a-z]+"
)


def _spells_full(name: str, email: str) -> bool:
    """Whether an address is a full name's own: its local part holds the surname and opens
    with the first name's initial ("Angela Thorne", athorne@ or angela.thorne@)."""
    local, words = fold(email.split("@")[0]), fold(name).split()
    return len(words) > 1 and len(words[-1]) > 2 and words[-1] in local and (
        local.startswith(words[0][0])
    )


def _spells(name: str, email: str) -> bool:
    """Whether an address spells a name: its local part holds the surname ("Julien Moreau",
    j.moreau@), or for a first name alone opens with it or with its initial and a dot, dash
    or underscore ("Julien", j.moreau@)."""
    local, words = fold(email.split("@")[0]), fold(name).split()
    if len(words) > 1:
        return words[-1] in local
    return local.startswith(words[0]) or (
        len(local) > 2 and local[0] == words[0][0] and local[1] in "._-"
    )


def _table_rows(whole: str) -> list[str]:
    """The rows of a table of people ("Name | Department" over "Olu Bankole | Facilities",
    an HTML table as text): the name cell of each row under a header naming a name column."""
    rows: list[str] = []
    column = -1
    for line in whole.splitlines():
        cells = [c.strip() for c in line.split("|")] if "|" in line else []
        if not cells:
            column = -1
            continue
        if column < 0:
            column = next(
                (i for i, c in enumerate(cells) if _NAME_HEADER.fullmatch(c.lower())), -1
            )
            continue
        if column < len(cells) and cells[column]:
            others = " | ".join(c for i, c in enumerate(cells) if i != column and c)
            rows.append(f"{cells[column]} ({others})" if others else cells[column])
    return rows


# A table's name column: "Name", "Full name", "Attendee", "Delegate".
_NAME_HEADER = re.compile(r"(?:full |first |attendee |delegate )?name|attendees?|delegates?")
# A list item opening with one name alone before a note: "3. Hannah (schools catering)".
_ONE_NAME = re.compile(rf"{CAP}(?=[ \t]*(?:\(|-|–|,|$))")


def _name_lines(whole: str) -> list[str]:
    """The lines of a list of people without bullets or column bars (a table pasted as text,
    "Hannah Lowe  Buyer  hannah.lowe@..." over "Lorna Fitzgerald  Category Lead"): in a block
    of lines where at least two open with a full name and give an address, every line that
    opens with a full name is one of the people listed (a header row names no one)."""
    rows: list[str] = []
    for block in re.split(r"\n[ \t]*\n", whole):
        named: list[str] = []
        others: list[str] = []
        for line in block.splitlines():
            (named if FULL_NAME.match(line.strip()) else others).append(line.strip())
        if sum(bool(EMAIL.search(line)) for line in named) >= 2:
            rows += [line for line in named if not _HEADER_ROW.search(line)]
            # "Zoë (new starter)   tbc": a row with a first name alone is one of them too.
            rows += [line for line in others
                     if _ONE_NAME.match(line) and "(" in line and not EMAIL.search(line)]
    return rows


# A header row of a table of people: "Name Role Email".
_HEADER_ROW = re.compile(r"\b(?:E-?mail|Email address|Address)\s*$")


def _listed_names(whole: str, keyword: Callable[[str], bool]) -> list[str]:
    """The people of a list of attendees that gives addresses for some of them: each line
    that starts with a name ("- Ben Akintola (email to follow)", "3. Hannah (schools
    catering)"); and each row of a table of names, which lists people whether or not it gives
    an address."""
    items = [m.group("item") for m in LIST_ITEM.finditer(whole)]
    if not any(EMAIL.search(item) for item in items):
        items = []
    return _names_of(items + _table_rows(whole), keyword)


def _names_of(items: list[str], keyword: Callable[[str], bool], words: int = 4) -> list[str]:
    """The name each item opens with (its first `words` words at most), if it gives no
    address and is nobody's name ("Booking", a session's keyword, "(me)")."""
    names = []
    for item in items:
        found = FULL_NAME.match(item) or _ONE_NAME.match(item)
        if found is None or EMAIL.search(item) or re.search(r"\((?:me|myself)\)", item):
            continue
        name = found.group(0).split()[:words]
        if not any(w in NOT_NAMES or w.lower() in NOT_PEOPLE or keyword(w.lower())
                   for w in name):
            names.append(" ".join(name))
    return names


def _unlisted_rows(whole: str, keyword: Callable[[str], bool]) -> list[str]:
    """The rows of a list pasted as text (_name_lines) that give no address, nor any address
    in the mail that spells the name: the next row's address is not this person's."""
    locals_ = [fold(m.group(0).split("@")[0]) for m in EMAIL.finditer(whole)]
    return [
        name for name in _names_of(_name_lines(whole), keyword, words=2)
        if not any(fold(w) in local for w in name.split() if len(w) > 2 for local in locals_)
    ]


def listed_by_name(body: str, sender: Person) -> bool:
    """The sender's full name as one line of a list of attendees ("- Jo Bloggs")."""
    if len(sender.name.split()) < 2:
        return False
    name = fold(sender.name)
    return any(fold(m.group("item")).startswith(name) for m in LIST_ITEM.finditer(body))
