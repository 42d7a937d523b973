"""Sessions named by a season: "the one after the summer", "the autumn workshop", "the one in
late spring"."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

from mailflow.model import EventInfo
from mailflow.understanding.index import Mention
from mailflow.understanding.literals import guarded
from mailflow.understanding.text import is_past_reference

# "the one after the summer", "the autumn workshop": a season names the sessions inside it;
# several at once, so the desk asks unless something else narrows them.
_SEASON = guarded(
    r"\b(?:(?P<rel>after|before|over|during|in|around|by)\s+(?:the\s+)?)?"
    # ("the one in late spring", "early autumn": one end of the season, its month there.)
    r"(?:(?P<part>late|early|mid)(?:\s+|-))?"
    r"(?P<season>spring|summer|autumn|winter|christmas|xmas|easter)(?:\s+(?:holidays?|break))?"
    r"(?P<kind>\s+(?:one|session|webinar|workshop|event|date))?\b"
)
# Months each season covers, and what "after" / "before" it leaves.
_SEASON_MONTHS = {
    "spring": (3, 4, 5),
    "summer": (6, 7, 8),
    "autumn": (9, 10, 11),
    "winter": (12, 1, 2),
    "christmas": (12,),
    "xmas": (12,),
    "easter": (4,),
}


# The four seasons have edges a writer draws where they like; a feast day has none.
_SEASON_EDGES = frozenset({"spring", "summer", "autumn", "winter"})
_EDGE_DAYS = 25  # days either side of a season's months still said to be "in" it
# "Late spring" is its last month, "early autumn" its first: an end already drawn by the
# writer, with only its last week or so either side.
_PART_EDGE_DAYS = 7
_PART = {"early": 0, "mid": 1, "late": 2}


def _near_edge(day: datetime, months: tuple[int, ...], edge: int = _EDGE_DAYS) -> bool:
    """A day within edge days of the months of a season (late May for summer, the last
    week of September too)."""
    return any((day + timedelta(days=shift)).month in months for shift in (-edge, edge))


def season_mentions(text: str, events: Sequence[EventInfo], mentions: list[Mention]) -> None:
    """Sessions by season: "the one after the summer" (strong), "in the autumn" (weak)."""
    for found in _SEASON.finditer(text):
        rel, kind = found.group("rel"), found.group("kind")
        if not rel and not kind:
            continue  # "summer" alone ("our summer menu") names no time for a session
        months = _SEASON_MONTHS[found.group("season")]
        if rel == "after":
            months = tuple(range(months[-1] % 12 + 1, 13))  # the rest of the year
        elif rel == "before":
            months = tuple(range(1, months[0]))
        edge = _EDGE_DAYS
        if found.group("part") and len(months) == 3 and rel not in ("after", "before"):
            months, edge = (months[_PART[found.group("part")]],), _PART_EDGE_DAYS
        ids = frozenset(e.id for e in events if e.starts.month in months)
        if rel not in ("after", "before") and found.group("season") in _SEASON_EDGES:
            # A season's edges are the writer's own: "the one in the summer" may be the
            # session late in May or the one in late September as much as the June one.
            ids |= frozenset(e.id for e in events if _near_edge(e.starts, months, edge))
        before = text[max(0, found.start() - 12) : found.start()]
        attached = bool(kind) or bool(re.search(r"\b(?:one|session|webinar|workshop)\s+$", before))
        if ids and not is_past_reference(text, found.start()):
            mentions.append(
                Mention(ids, f'season "{found.group(0).strip()}"', weak=not attached,
                        start=found.start())
            )
