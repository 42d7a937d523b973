"""Sessions named by their order among the others: the next two, the final one, the one after
the food webinar."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from mailflow.model import EventInfo
from mailflow.understanding.index import KIND_OF, EventIndex, Mention, keyword_ids
from mailflow.understanding.literals import guarded
from mailflow.understanding.ordinals import NUMBER_WORDS
from mailflow.understanding.text import is_past_reference

# "the next two sessions": so many sessions from now, in date order. ("the following two
# webinars in the series:" points at the list after it, not at the next two.)
_NEXT_COUNTED = guarded(
    r"\b(?:next|upcoming|coming|following(?![^.?!\n:]{0,40}(?::|\b(?:below|listed|overleaf)\b)))"
    r"\s+(?P<n>two|three|four|five|six|[2-6])"
    r"(?:\s+(?P<kind>sessions|webinars|workshops|events|ones|dates)\b|(?=\s*(?:[.,;!?]|$|please)))"
)
# "the last one of the year", "the final webinar in the series": the latest still to come.
_LAST_OF = guarded(
    r"\b(?:the\s+)?(?:last|final|closing)\s+(?P<kind>one|session|webinar|workshop|event)\s+"
    r"(?:of|in)\s+(?:the|this)\s+(?:year|series|programme|program)\b"
    r"|\bthe\s+final\s+(?P<kind2>one|session|webinar|workshop|event)\b"
)
# "the last one before Christmas", "the final webinar before the summer break": the latest
# still to come before that time.
_LAST_BEFORE = guarded(
    r"\b(?:the\s+)?(?:last|final)\s+(?P<kind>one|session|webinar|workshop|event)\s+before\s+"
    r"(?:the\s+)?(?P<season>christmas|xmas|summer)(?:\s+(?:holidays?|break))?\b"
)
_SEASON_STARTS = {"christmas": (12, 25), "xmas": (12, 25), "summer": (6, 1)}
# "the one after Easter", "the first webinar after Christmas": a holiday that is one day; the
# first session still to come after it. (Not "the one after the summer": a season spans months,
# and which session follows it is the coordinator's to ask.)
_FIRST_AFTER = guarded(
    r"\b(?:the\s+)?(?:(?:first|next)\s+)?(?P<kind>one|session|webinar|workshop|event)\s+after\s+"
    r"(?P<day>easter|christmas|xmas)(?:\s+(?:day|sunday))?\b(?!\s+(?:holidays?|break|hols))"
)


def easter_sunday(year: int) -> date:
    """Easter Sunday of a year (the Gregorian computus: Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    m = (32 + 2 * e + 2 * i - h - k) % 7
    n = (a + 11 * h + 22 * m) // 451
    month, day = divmod(h + m - 7 * n + 114, 31)
    return date(year, month, day + 1)


def holiday_on(name: str, year: int) -> date:
    """The day a one-day holiday falls on in a year."""
    return easter_sunday(year) if name == "easter" else date(year, 12, 25)
# "the one after the food webinar", "the workshop before textiles": counted from another.
_BESIDE = guarded(
    r"\b(?:the\s+)?(?P<kind>one|session|webinar|workshop|event)\s+(?P<rel>after|before|following"
    r"|preceding)\s+(?:the\s+)?(?P<what>[a-z0-9' -]{2,40}?)"
    r"(?=[.,;:!?)]|\s+(?:and|but|please|pls|if|as|so|for|on)\b|$)"
)


def counted_and_last(
    text: str, events: Sequence[EventInfo], now: datetime, mentions: list[Mention],
    spans: list[tuple[int, int]],
) -> None:
    """"the next two sessions" (each of them), "the last one of the year" (the latest), "the
    last one before Christmas" (the latest before it), "the one after Easter" (the first
    after it)."""
    def future(kind: str) -> list[EventInfo]:
        return sorted((e for e in events if e.starts > now and (not kind or e.format == kind)),
                      key=lambda e: e.starts)

    for found in _NEXT_COUNTED.finditer(text):
        n = NUMBER_WORDS.get(found.group("n")) or int(found.group("n"))
        coming = future(KIND_OF.get(found.group("kind"), ""))
        if len(coming) >= n:
            ids = frozenset(e.id for e in coming[:n])
            mentions.append(Mention(ids, f'next "{found.group(0)}"', exact=True))
            spans.append(found.span())
    for found in _LAST_OF.finditer(text):
        coming = future(KIND_OF.get(found.group("kind") or found.group("kind2"), ""))
        if coming:
            mentions.append(Mention(frozenset({coming[-1].id}), f'last "{found.group(0)}"',
                                    start=found.start()))
            spans.append(found.span())
    for found in _FIRST_AFTER.finditer(text):
        name = found.group("day")
        holiday = holiday_on(name, now.year)
        if holiday < now.date():
            holiday = holiday_on(name, now.year + 1)  # this year's is over: the coming one
        after = [e for e in future(KIND_OF.get(found.group("kind"), ""))
                 if e.starts.date() > holiday]
        spans.append(found.span())
        if after:
            mentions.append(Mention(frozenset({after[0].id}), f'first after "{found.group(0)}"',
                                    start=found.start()))
    for found in _LAST_BEFORE.finditer(text):
        month, day = _SEASON_STARTS[found.group("season")]
        year = now.year + (1 if (now.month, now.day) >= (month, day) else 0)
        before = [e for e in future(KIND_OF.get(found.group("kind"), ""))
                  if (e.starts.year, e.starts.month, e.starts.day) < (year, month, day)]
        spans.append(found.span())
        if before:
            mentions.append(Mention(frozenset({before[-1].id}), f'last "{found.group(0)}"',
                                    start=found.start()))


def beside_mentions(
    text: str, index: EventIndex, mentions: list[Mention], spans: list[tuple[int, int]]
) -> None:
    """"the one after the food webinar": the session next to the one named, in date order,
    and the one named is no target. ("the one after the summer" is left to the seasons.)"""
    for found in _BESIDE.finditer(text):
        named = keyword_ids(found.group("what"), index)
        if len(named) != 1:
            continue
        spans.append(found.span())
        if is_past_reference(text, found.start()):
            continue  # "I enjoyed the one before food": named in passing, no target
        kind = KIND_OF.get(found.group("kind"), "")
        ordered = sorted(index.events, key=lambda e: e.starts)
        at = next(i for i, e in enumerate(ordered) if e.id in named)
        after = found.group("rel") in ("after", "following")
        side = ordered[at + 1 :] if after else list(reversed(ordered[:at]))
        beside = next((e for e in side if not kind or e.format == kind), None)
        if beside is not None:
            label = f'{found.group("rel")} "{found.group(0)}"'
            mentions.append(Mention(frozenset({beside.id}), label, start=found.start()))
