"""People counted in a request ("the three of us", "four from my team"): the places it asks."""

from __future__ import annotations

import re

from mailflow.model import Person
from mailflow.understanding.clauses import Role
from mailflow.understanding.groups import DID_TOGETHER
from mailflow.understanding.literals import guarded
from mailflow.understanding.people import SEVERAL_PLACES
from mailflow.understanding.reading import Reading

_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
# "A couple of colleagues can't make 24 Sept and would like to watch it later", said beside
# the request: people counted who cannot come ask for no places. (In the clause that asks,
# "two colleagues can't make food, so book them on textiles", they are the places.)
_CANNOT_COME = guarded(
    r"\s+(?:can't|cannot|can not|won't|will not|couldn't|aren't able to|are unable to)\b"
)


def _counted(own: Reading) -> re.Match[str] | None:
    """The first count of people asked places for: not those who went before, nor those said
    beside the request not to be able to come."""
    text = own.text
    for m in SEVERAL_PLACES.finditer(text):
        if DID_TOGETHER.match(text, m.end()):
            continue
        said = text[m.start() : m.end() + 20]
        if _CANNOT_COME.match(text, m.end()) and any(
            said in c.text and c.role is not Role.REQUEST for c in own.clauses
        ):
            continue
        return m
    return None


# "Please book these three onto ...", "the following four": people pointed at, listed below, the
# sender not among them unless listed. (Not "these two sessions".)
_THESE_N = re.compile(
    r"\b(?:these|those|the following)\s+(?P<n>two|three|four|five|six|[2-9])\b"
    r"(?=\s*(?::|(?:people|colleagues|attendees|names|members|staff|delegates|onto|into)\b))"
)


def counts_places(own: Reading) -> bool:
    return _counted(own) is not None


def fewer_than_counted(own: Reading, people: list[Person], sender: Person) -> bool:
    """"Please book the three of us" over two addresses: one attendee cannot be booked."""
    listed = _THESE_N.search(own.text)
    if listed is not None:
        word = listed.group("n")
        count = _COUNT.get(word) or int(word)
        return count > len(people)
    found = _counted(own)
    if found is None:
        return False
    word = found.group(0).split()[0]
    count = _COUNT.get(word) or (int(word) if word.isdigit() else 0)
    others = [p for p in people if p.email != sender.email]
    if found.group(0).endswith("colleagues"):
        return count > len(others)
    return count > len(others) + 1
