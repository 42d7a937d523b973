"""The member's own absence, told after the request, on the date of a session asked for.

"Please book me on food and textiles. Sorry, just realised I'm away in September.", "Book me
on both evidence workshops. May is no good for me after all.", "I can't do the 24th": the
member says, after asking, that they cannot come in the month, on the day, or in the week of
one of the sessions asked for. A careful coordinator does not book that session on their word
alone: the desk asks, naming it. (Not an absence in another month, "I'm away in August but
back by then"; nor one told before the request, "I was away in May so missed it"; nor one that
explains a session not asked for, "I'm away in September so I'll miss textiles".)
asked_sessions.py applies it to the sessions found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mailflow.model import EventInfo
from mailflow.understanding.clauses import Role
from mailflow.understanding.corrections import quoted_clause
from mailflow.understanding.dates import MONTH, MONTHS
from mailflow.understanding.literals import guarded
from mailflow.understanding.reading import Reading

# The words of an absence, or of a time that will not do (not "was away", "were off": told of
# the past; nor "away from my desk", "off the list").
_ABSENT = guarded(
    r"(?<!was )(?<!were )(?<!been )\b(?:away|on (?:annual )?leave|on holiday|on holidays"
    r"|abroad|out of (?:the )?(?:office|country)|unavailable|not available|not around"
    r"|off(?!\s+(?:the|my|your|our|a|it|that|this)\b))\b"
    r"|\b(?:no good|not good|out for me|won't work|doesn't work|does not work|is out)\b"
    r"|\b(?:can't|cannot|can not|won't be able to|unable to|couldn't) (?:do|make|come|attend)\b"
)
# Another's absence ("Two colleagues can't make 10 December"), where the member says nothing of
# their own.
_OTHERS = guarded(
    r"\b(?:colleagues?|he|she|they|his|her|their|them|staff|team|manager|boss|someone|two|three"
    r"|several|some of)\b"
)
_ME = guarded(r"\b(?:i|i'm|i'll|i've)\b|\bfor me\b")
_PAST = guarded(r"\b(?:was|were|had been|missed|last year|last month)\b")
_MONTH_WORD = guarded(rf"\b{MONTH}\b")
_DAY = guarded(r"\b(?:the\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)\b|\b(?P<bare>\d{1,2})\s+" + MONTH)
# "May 24" (a day, read above); "I may be away": no month.
_NOT_A_MONTH = re.compile(r"\w+\.?\s+\d|may\s+(?:be|not|have|need|well|also|miss|only|come|make"
                          r"|attend|join|struggle|end|i|we)\b")
# "I'm on leave that week", "I'm away then": the time of the session just named.
_THEN = guarded(r"\b(?:that|the same) (?:week|day|date|month)\b|\bthen\b(?!\s*[,-]?\s*(?:please"
                r"|thanks|i|could|can|book|just|only)\b)")


def absent_for(
    own: Reading, events: Iterable[EventInfo], corrected: frozenset[int] = frozenset()
) -> str:
    """The reason to ask when the member tells, after the request, an absence on the date of
    one of the sessions asked for; or "". (Not in the clauses of a correction applied: "Sorry,
    I meant October not May - I'm on leave the last week of May" says why.)"""
    found = list(events)
    first = next((n for n, c in enumerate(own.clauses) if c.role is Role.REQUEST), -1)
    if first < 0 or not found:
        return ""
    for number, clause in enumerate(own.clauses[first + 1:], first + 1):
        text = clause.text
        if number in corrected:
            continue
        if clause.role is Role.SIGNATURE or not _ABSENT.search(text) or _PAST.search(text) or (
            _OTHERS.search(text) and not _ME.search(text)
        ):
            continue
        hit = [e for e in found if _on_its_date(text, e)]
        if not hit and _THEN.search(text) and not _MONTH_WORD.search(text):
            hit = found if len(found) > 1 else []
        if hit:
            names = ", ".join(e.id for e in hit)
            return f"says they cannot come when {names} is: {quoted_clause(clause)}"
    return ""


def _on_its_date(text: str, event: EventInfo) -> bool:
    """The clause names the session's month, or its day of the month."""
    starts = event.starts
    for found in _DAY.finditer(text):
        day = int(found.group("day") or found.group("bare"))
        month = found.group("month")
        if day == starts.day and (month is None or MONTHS[month] == starts.month):
            return True
    for found in _MONTH_WORD.finditer(text):
        if MONTHS[found.group("month")] == starts.month and not _NOT_A_MONTH.match(
            text[found.start():]
        ):
            return True
    return False
