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


# "I manage our catering contract", "we buy a lot of furniture": the sender's own doing, told.
_TELLS = guarded(r"(?:i|we|i've|i'm|we've|we're|my|our)\b")
# Words that ask, or name a change: a part holding one is no background told.
_ASKS_HERE = guarded(
    r"\b(?:book\w*|regist\w*|places?|seats?|spots?|sign\w*|attend\w*|join\w*|cancel\w*|drop"
    r"|withdraw\w*|swap\w*|replace|go|come|could|can|would|will|may|need|give up|release|take"
    r"|instead|not|no longer|can't|cannot|won't|unable)\b"
)


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
        parts = _PARTS.split(line)
        told = [p for p in parts[1:] if _REASON.match(p.strip()) and not _ASKS_MORE.search(p)]
        # "I'm looking after our catering stores this year - could I get a place on the
        # freight one?": what the sender tells of their work before the dash, asking nothing.
        told += [p for p in parts[:-1] if p not in told and _TELLS.match(p.strip())
                 and not _ASKS_MORE.search(p) and not _ASKS_HERE.search(p)]
        rest = " - ".join(p for p in parts if p not in told)
        if told and (named(rest) or (in_thread and THIS_PLACE.search(rest))):
            kept.append(rest)
            reasons.extend(told)
        else:
            kept.append(line)
    return "\n".join(kept), "".join("\n" + r for r in reasons)
