"""Sessions by their place in the series: "everything after the food one", "from May onwards"."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime

from mailflow.model import EventInfo
from mailflow.understanding.dates import MONTHS
from mailflow.understanding.index import Mention
from mailflow.understanding.literals import guarded

# "take me off everything after the food one", "all the sessions from the May workshop onwards",
# "anything before furniture": the sessions on one side of a session named.
_RANGE = guarded(
    r"\b(?:everything|anything|all(?: (?:of )?(?:the |my )?(?:remaining |upcoming |other )?"
    r"(?:sessions|webinars|workshops|ones|others|bookings|places))?"
    r"|the (?:rest|others|ones|sessions)|any (?:sessions|others)"
    # "every remaining session in the series from the May evidence workshop onwards"
    r"|(?:every|each) (?:remaining |upcoming |other )?(?:session|webinar|workshop|one|event))"
    r"(?: (?:in|of) (?:the|this) (?:series|programme|program|year))?"
    r"\s+(?:(?:i'm|i am|we're|we are) (?:booked|down|registered) (?:on|for)\s+)?"
    r"(?P<rel>after|following|from|beyond|before)\s+(?P<what>[^.,;:!?\n()]{2,40})"
)
_WORD = re.compile(r"[a-z]+")
# The pivot's words end at its kind word ("the food one"), else after three words.
_PIVOT_END = guarded(r"\b(?:one|session|webinar|workshop|event)\b")


def range_mentions(
    text: str, events: Sequence[EventInfo], now: datetime, mentions: list[Mention],
    spans: list[tuple[int, int]], topic: Callable[[str], frozenset[str]],
) -> None:
    """The sessions still to come after (from, before) one named session. A pivot that names no
    single session ("everything after the summer") is left to the other readings."""
    for found in _RANGE.finditer(text):
        what = found.group("what")
        end = _PIVOT_END.search(what)
        what = what[: end.end()] if end else " ".join(what.split()[:3])
        pivot = _pivot(what, events, topic)
        if pivot is None:
            # "all sessions after the summer": not every session, whatever the season gives
            spans.append((found.start(), found.start("rel")))
            continue
        rel = found.group("rel")
        inclusive = rel == "from"  # "from the May workshop (onwards)" takes it in
        if rel == "before":
            ids = {e.id for e in events if e.starts < pivot.starts}
        else:
            ids = {e.id for e in events if e.starts > pivot.starts
                   or (inclusive and e.id == pivot.id)}
        ids = {e.id for e in events if e.id in ids and e.starts > now}
        spans.append((found.start(), found.start("what") + len(what)))
        if ids:
            mentions.append(Mention(frozenset(ids), f'range "{found.group(0).strip()}"',
                                    exact=True, start=found.start()))


def _pivot(
    what: str, events: Sequence[EventInfo], topic: Callable[[str], frozenset[str]]
) -> EventInfo | None:
    """The one session a few words name by keyword and month together, or None."""
    named = [ids for ids in (topic(what), _in_month(what, events)) if ids]
    if not named:
        return None
    common = frozenset.intersection(*named)
    if len(common) != 1:
        return None
    return next(e for e in events if e.id in common)


def _in_month(what: str, events: Sequence[EventInfo]) -> frozenset[str]:
    months = {MONTHS[w] for w in _WORD.findall(what) if w in MONTHS}
    return frozenset(e.id for e in events if e.starts.month in months)
