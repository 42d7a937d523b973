"""Sessions by their place in the series: "everything after the food one", "from May onwards"."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime

from mailflow.model import EventInfo
from mailflow.understanding.dates import MONTHS
from mailflow.understanding.index import Mention
from mailflow.understanding.literals import guarded
from mailflow.understanding.text import is_past_reference

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
# "put me down for the first three", "the last two webinars please": sessions counted from one
# end of the series. (Not "the first two weeks of March", "the last two years": what follows
# the number must be a session word or the end of what is asked.)
_ENDS = guarded(
    r"\bthe\s+(?P<end>first|last|final)\s+(?P<n>two|three|four|five|six|[2-6])"
    r"(?:\s+(?P<kind>sessions|webinars|workshops|ones|events))?"
    r"(?=\s*(?:$|[.,;:!?()\n-]|please\b|pls\b|plz\b|thanks\b|thx\b|too\b|as well\b|and\b"
    r"|(?:of|in) (?:the|this|your) (?:series|year|programme|program)\b))"
)
_COUNT = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
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


def ends_of_series_mentions(
    text: str, events: Sequence[EventInfo], now: datetime, mentions: list[Mention],
    spans: list[tuple[int, int]],
) -> None:
    """"The first three", "the last two webinars": that many sessions (of the kind named) from
    one end of the series being announced, in the timetable's order. Said of sessions already
    held ("I missed the first two"), or when some of them are over, it names none: which are
    meant is the member's to say."""
    for found in _ENDS.finditer(text):
        spans.append(found.span())
        if is_past_reference(text, found.start()):
            continue
        n = _COUNT.get(found.group("n")) or int(found.group("n"))
        kind = {"webinars": "webinar", "workshops": "workshop"}.get(found.group("kind") or "", "")
        series = _series_announced(events, now, kind)
        chosen = series[:n] if found.group("end") == "first" else series[-n:]
        if len(series) > n and all(e.starts > now for e in chosen):
            mentions.append(Mention(frozenset(e.id for e in chosen),
                                    f'series "{found.group(0).strip()}"', exact=True,
                                    start=found.start()))


def _series_announced(events: Sequence[EventInfo], now: datetime, kind: str) -> list[EventInfo]:
    """The sessions (of a kind) of the series year with the next session to come, in the
    timetable's order (its numbers, else the dates)."""
    upcoming = [e for e in events if e.starts > now and (not kind or e.format == kind)]
    if not upcoming:
        return []
    year = min(upcoming, key=lambda e: e.starts).starts.year
    same = [e for e in events if e.starts.year == year and (not kind or e.format == kind)]
    return sorted(same, key=lambda e: (e.number or 0, e.starts))


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
