"""Sessions named to be left out: "furniture and textiles, but not food", "cancel the May
workshop but keep me on food", "all my places except the May workshop"."""

from __future__ import annotations

import re
from dataclasses import replace

from mailflow.understanding.index import Mention
from mailflow.understanding.literals import Guarded, guarded

_LEFT_OUT = guarded(
    r"\b(?:not|except(?: for)?|apart from|other than|excluding|rather than|instead of|nor"
    r"|keep(?:ing)?(?:\s+(?:my|our)\s+(?:place|booking|seat|places|bookings)\s+(?:on|for|at))?"
    # "cancel the May workshop but keep me on food"
    r"|keep(?:ing)?\s+(?:me|us)(?:\s+(?:booked|down|registered))?\s+(?:on|for|in))"
    r"\s+(?:(?:for|on|in)\s+)?(?:the\s+)?$"
    # "I've already registered for food but could you also book me onto textiles?"
    r"|\balready\s+(?:registered|booked|signed up|down|enrolled)\s+(?:for|on|onto|to)\s+"
    r"(?:the\s+)?$"
)

# "cancel food, but the textiles one please keep", "but the furniture one leave as it is": a
# session after a "but", then the words that keep it (not "keep me posted").
_BUT_BEFORE = guarded(r"\bbut\s+(?:the\s+|my\s+)?$")
_KEPT_AFTER = guarded(
    r"[a-z0-9' /&-]{0,40}?(?:,\s*)?(?:please\s+|pls\s+|do\s+)?(?:keep|leave|hold on to)\b"
    r"(?!\s+(?:me|us)\s+(?:posted|informed|updated|in the loop))"
)


def _kept_after_but(text: str, start: int) -> bool:
    return bool(_BUT_BEFORE.search(text[max(0, start - 12) : start])
                and _KEPT_AFTER.match(text, start))


# A request made again after the words leaving a session out ("... and please cancel food").
_ASKING = (r"(?:please\s+|could you\s+|can you\s+)?"
           r"(?:cancel|book|register|drop|remove|put|add|sign|take")

# Where the words naming what is left out end: the sentence, a "but", a dash, a comma, or an
# "and" that asks again ("not the May one and please cancel food": food is asked for).
_LEFT_OUT_ENDS = guarded(
    r"[.;!?\n,]|\s[-\u2013\u2014]\s|\bbut\b|\band\s+" + _ASKING + r"|also)\b"
)

# Where the sentence that leaves a session out ends: what it goes on to say of that session
# ("not the food one, we have a separate catering team") still speaks of the one left out;
# an "and" or "but" that asks again ("but please book food for my colleague") does not.
_SENTENCE_ENDS = re.compile(r"[.;!?]|\n\s*\n|\b(?:and|but)\s+" + _ASKING + r")\b")


def _left_out_ids(mentions: list[Mention], left_out: list[tuple[int, int]]) -> frozenset[str]:
    """The sessions the words leaving some out name: in each stretch, those named one by one
    ("except the May workshop": May, not both workshops), else all it names ("the workshops")."""
    gone: frozenset[str] = frozenset()
    for start, end in left_out:
        inside = [m.ids for m in mentions if start <= m.start < end]
        single = [ids for ids in inside if len(ids) == 1]
        gone = gone.union(*(single or inside))
    return gone


def _end(ends: re.Pattern[str] | Guarded, text: str, start: int) -> int:
    found = ends.search(text, start)
    return found.start() if found else len(text)


def without_left_out(text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions that name targets: not a session named to be left out, nor what the same
    words go on to name ("not the May workshop": its month and its kind; "not food or
    textiles": both); an "all" without those left out."""
    left_out = [(m.start, _end(_LEFT_OUT_ENDS, text, m.start)) for m in mentions
                if m.start and (_LEFT_OUT.search(text[max(0, m.start - 25) : m.start])
                                or _kept_after_but(text, m.start))]
    if not left_out:
        return mentions
    gone = _left_out_ids(mentions, left_out)
    # "not the food one, we have a separate catering team": a keyword of the session left out,
    # later in the same sentence, names it again only to explain; it does not bring it back.
    sentences = [(s, _end(_SENTENCE_ENDS, text, s)) for s, _ in left_out]
    kept = [m for m in mentions if not any(s <= m.start < e for s, e in left_out)
            and not (m.ids and m.ids <= gone and any(s <= m.start < e for s, e in sentences))]
    # "all my places except the May workshop": every one but those left out.
    return [replace(m, ids=m.ids - gone) if m.label.startswith("all ") and m.ids - gone else m
            for m in kept]
