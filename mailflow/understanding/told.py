"""What the sender tells beside a request, in its own sentence: the reason after a dash ("... -
I've been called to give evidence that morning") and their work before it ("I'm looking after our
catering stores this year - could I get a place on the freight one?"). A session named only there
is background (issue 9 class 1); asked_sessions.py reads the rest."""

from __future__ import annotations

import re
from collections.abc import Callable

from mailflow.understanding.literals import guarded

# "... give up my place on the food webinar - I've been called to give evidence that morning":
# after a dash, the reason for the request, in the sender's own words.
_PARTS = re.compile(r"\s+-\s+|;\s+")
_REASON = guarded(
    r"(?:i've|i have|i'm|i am|i'll be|i will be|i was|we've|we have|we're|we are|as|because"
    r"|since|due to|it's because|my|our)\b"
)
# (Not "- I'd also like the logistics one": a further ask.)
_ASKS_MORE = guarded(r"\b(?:also|too|as well|instead|want\w*|like|love|keen|hoping|please)\b")


# "I manage our catering contract", "as the person who runs our catering", "working on the
# furniture framework": the sender's own doing, told.
_TELLS = guarded(r"(?:i|we|i've|i'm|we've|we're|my|our|as|since|having|working|being)\b")
# Words that ask, wish or name a change: a part holding one is no background told.
_ASKS_HERE = guarded(
    r"\b(?:book\w*|regist\w*|places?|seats?|spots?|sign\w*|attend\w*|join\w*|cancel\w*|drop"
    r"|withdraw\w*|swap\w*|replace|go|come|could|can|would|will|may|need|give up|release|take"
    r"|instead|not|no longer|can't|cannot|won't|unable|want\w*|like|love|keen|hop\w*|interest\w*"
    r"|please|pls)\b"
)
# Where a part told before the request ends: a dash, semicolon, colon, comma or "so".
_LEAD_PARTS = re.compile(r"\s+-\s+|[;:,]\s+|\s+so\s+")
# ("I'm free for the food one, please book me on textiles too": the first asked for as well.)
_ONE_MORE = guarded(r"\b(?:too|also|as well|both|either)\b")


def _told_first(line: str) -> tuple[list[str], str]:
    """The parts before the request that tell of the sender's work, asking nothing ("i cover
    catering, textiles and furniture: please book me on ..."), and the words from the request
    on."""
    told: list[str] = []
    at, loose = 0, False
    for sep in _LEAD_PARTS.finditer(line):
        part = line[at:sep.start()]
        if _ASKS_HERE.search(part) or not (told or _TELLS.match(part.strip())):
            break
        told.append(part)
        at, loose = sep.end(), sep.group(0).strip() in (",", "so")
    rest = line[at:]
    # (After a dash, "I'm on the food one already - add me to textiles too" tells, then asks.)
    return ([], line) if loose and _ONE_MORE.search(rest) else (told, rest)


# "I'll have to give up this place", in reply to our mail: the thread's session, named.
THIS_PLACE = guarded(r"\b(?:this|that) (?:place|booking|seat|spot|registration)\b")


def reasons_set_aside(
    asking: str, named: Callable[[str], frozenset[str]], in_thread: bool = False
) -> tuple[str, str]:
    """The asking words without the reasons given after a dash, when what is left names the
    session itself, or in a thread refers to its place ("I'll have to give up this place - I've
    been called to give evidence at a tribunal"); a session named only in the reason is kept
    when nothing else names one. And those reasons, background now."""
    kept, reasons = [], []
    for line in asking.split("\n"):
        # "I'm looking after our catering stores this year - could I get a place on the
        # freight one?": what the sender tells of their work before the request, asking nothing.
        first, after = _told_first(line)
        if not named(" ".join(first)) - named(after):
            # ("I'm at a conference on the 28th, so Zainab will attend the evidence skills
            # workshop": the day told says which workshop; only another session is set aside.)
            first, after = [], line
        parts = _PARTS.split(after)
        told = [p for p in parts[1:] if _REASON.match(p.strip()) and not _ASKS_MORE.search(p)]
        rest = " - ".join(p for p in parts if p not in told)
        told += first
        if told and (named(rest) or (in_thread and THIS_PLACE.search(rest))):
            kept.append(rest)
            reasons.extend(told)
        else:
            kept.append(line)
    return "\n".join(kept), "".join("\n" + r for r in reasons)
