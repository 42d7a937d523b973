"""Colleagues copied in (Cc, or To beside the desk) whom the words count among those asked for."""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.utils import getaddresses

from mailflow.clean import display_name
from mailflow.model import Person
from mailflow.understanding.literals import guarded
from mailflow.understanding.names import first_word, fold

_COPIED = re.compile(
    r"\b(?:cc'?d|cc|copied|copying|on copy|in copy|both of us|the two of us|all of us)\b"
)
# "book me and the two colleagues copied in", "the three colleagues on copy": every copied
# colleague, when the words count as many as the Cc holds.
_THE_COPIED = re.compile(
    r"\b(?:the|my|our|all)\s+(?:(?P<n>two|three|four|five|six|[2-9])\s+)?(?:colleagues|people"
    r"|team members|others)\s+(?:who are\s+|i've\s+|i have\s+)?(?:copied|cc'?d|on copy|in copy"
    r"|on cc|in cc)\b"
)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


# Copied in to know, not to come: "cc'd for info", "so she knows", "Ann has asked me to book".
# (Not "FYI, can you book Aisha and Tom": an "FYI" that opens a request is said to the reader.)
_ONLY_INFORMED = guarded(
    r"\b(?:for (?:info|information|visibility|awareness)"
    r"|fyi(?![\s,:;.!-]*(?:can|could|would|will|please|pls|kindly)\b)"
    r"|so (?:she|he|they) (?:knows?|is aware|are aware)|in the loop)\b"
)
_ASKER = guarded(
    r"(?:\s*\([^)]{0,20}\))?\W{0,6}(?:has |had |who )?(?:asked|wants|told|suggested"
    r"|would like me)\b"
)


def _named_to_come(person: Person, asking: str) -> bool:
    """A copied colleague named in a clause that asks, not as its asker or for information."""
    first = first_word(person)
    if not first:
        return False
    for clause in fold(asking.lower()).split("\n"):
        found = re.search(rf"\b{re.escape(first)}\b", clause)
        if found and not _ONLY_INFORMED.search(clause) and not _ASKER.match(
            clause, found.end()
        ):
            return True
    return False


def copied_colleagues(
    headers: Sequence[tuple[str, str]], text: str, sender: str, known: Sequence[Person],
    asking: str | None = None,
) -> list[Person]:
    """Colleagues whose addresses are only in Cc, when the words say they are among those the
    request is for: "Anna (cc'd)", "both of us (Mark is copied)". asking is the clauses that
    ask (by default all of text): a name there counts. A colleague addressed beside the desk
    in To ("Zainab (copied in) will attend instead of me") is copied in as one in Cc is."""
    lowered = text.lower()
    if not sender or not _COPIED.search(lowered):
        return []
    org = sender.rpartition("@")[2].split(".")[-2:]
    seen = {sender, *(p.email for p in known)}
    copied = []
    for name, addr in getaddresses([v for k, v in headers if k in ("cc", "to")]):
        addr = addr.lower()
        if addr in seen or addr.rpartition("@")[2].split(".")[-2:] != org:
            continue
        seen.add(addr)
        copied.append(Person(email=addr, name=display_name(name)))
    named = [p for p in copied if _named_to_come(p, text if asking is None else asking)]
    if named:
        return named
    every = _THE_COPIED.search(fold(asking.lower()) if asking is not None else lowered)
    if every and len(copied) > 1:
        n = every.group("n") or ""
        wanted = int(n) if n.isdigit() else _COUNTS.get(n, len(copied))
        return copied if wanted == len(copied) else []
    # "both of us", "my colleague, copied in, will go in my place": the one copied colleague.
    together = re.search(
        r"\b(?:both|the two|all) of us\b"
        r"|\b(?:my|our) colleague\W{0,3}(?:who is |who's |now )?(?:cc'?d|copied|cc)\b",
        lowered,
    )
    return copied if together and not known and len(copied) == 1 else []


def with_copied_names(people: list[Person], headers: Sequence[tuple[str, str]]) -> list[Person]:
    """People found by address with no name, named as the Cc line names them ("Marcus Bell
    <marcus.bell@...>")."""
    if all(p.name for p in people):
        return people
    names = {a.lower(): display_name(n) for n, a in
             getaddresses([v for k, v in headers if k == "cc"]) if n}
    return [p if p.name else Person(p.email, names.get(p.email, "")) for p in people]

