"""What names a session in one configuration: configured keywords, titles, start dates."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from mailflow.model import EventInfo
from mailflow.understanding.text import WORD

_TITLE_STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "including",
        "include",
        "of",
        "on",
        "in",
        "to",
        "a",
        "an",
        "webinar",
        "webinars",
        "workshop",
        "workshops",
        "session",
        "sessions",
        "training",
        "series",
        "industry",
        "part",
        "introduction",
        "event",
        "events",
        "skills",
    ]
)

_MONTH_NAMES = frozenset(
    n.lower() for n in (*calendar.month_name, *calendar.month_abbr) if n
)
# The part of a title before its aside: "Food (including frozen imported seafood)" -> "Food".
_TITLE_ASIDE = re.compile(r"\s*[(:\[–—-].*$", re.DOTALL)


def title_names(title: str) -> set[str]:
    """What a title itself contributes: its main phrase and that phrase's distinctive head.

    Single words from the rest of a title ("frozen", "imported", "materials", a month) name
    no session on their own: they turn up in any mail, a bounce saying "mailbox is frozen".
    """
    main = WORD.findall(_TITLE_ASIDE.sub("", title.lower()))
    while main and main[0] in _TITLE_STOPWORDS:
        main = main[1:]
    while main and main[-1] in _TITLE_STOPWORDS:
        main = main[:-1]
    names: set[str] = set()
    if main and not all(w in _TITLE_STOPWORDS or w in _MONTH_NAMES for w in main):
        names.add(" ".join(main))
    head = main[0] if main else ""
    if len(head) > 3 and head not in _TITLE_STOPWORDS and head not in _MONTH_NAMES:
        names.add(head)
    return names


@dataclass(frozen=True)
class Mention:
    ids: frozenset[str]
    label: str
    exact: bool = False  # every id is meant ("all of them", a named session), not one of them
    weak: bool = False  # "in May": only used to narrow others or when nothing else names a session
    start: int = 0
    count: int = 0  # "all three": as many sessions as the other mentions name one by one
    loose: bool = False  # "all the webinars": the word may take in the workshops too
    by_weekday: bool = False  # "Wednesday the 28th": a weekday passing over the nearer 28th
    listed: int = 0  # "construction, logistics and textiles": the list (from 1) it is asked in


@dataclass(frozen=True)
class EventIndex:
    events: tuple[EventInfo, ...]
    keyword_re: re.Pattern[str] | None
    keyword_ids: dict[str, frozenset[str]]
    by_month_day: dict[tuple[int, int], tuple[EventInfo, ...]]
    # Per-configuration facts every mail used to recompute from `events`.
    ids_by_format: dict[str, frozenset[str]]
    order: dict[str, tuple[datetime, str]]  # id -> the sort key of sessions in start order
    weekday: dict[str, int]  # id -> weekday of its start
    vocabulary: frozenset[str] = frozenset()  # one-word keywords long enough to misspell
    series_re: re.Pattern[str] | None = None  # the series' own name, which names no session


def series_pattern(name: str) -> re.Pattern[str] | None:
    """The configured series name, with or without its trailing "series", any spacing or hyphens."""
    words = WORD.findall(name.lower())
    if words and words[-1] == "series":
        words = words[:-1]
    if not words:
        return None
    body = r"[\s-]+".join(re.escape(w) for w in words)
    return re.compile(rf"\b{body}(?:[\s-]+series)?\b", re.IGNORECASE)


# The index last asked for, by the identity of its events tuple: looking a configuration up
# in the cache below hashes every field of every session, on every mail. The tuple is kept
# here, so its id cannot be reused by another while it is compared against.
_last: list[tuple[tuple[EventInfo, ...], str, EventIndex]] = []


def event_index(events: tuple[EventInfo, ...], series_name: str = "") -> EventIndex:
    """Keyword alternation and date lookup for one configuration (built once, reused per mail)."""
    try:
        cached_events, cached_name, index = _last[0]  # one read: threads may replace it
    except IndexError:
        pass
    else:
        if cached_events is events and cached_name == series_name:
            return index
    index = _event_index(events, series_name)
    _last[:] = [(events, series_name, index)]
    return index


@lru_cache(maxsize=16)
def _event_index(events: tuple[EventInfo, ...], series_name: str = "") -> EventIndex:
    keyword_ids: dict[str, set[str]] = {}
    for event in events:
        words = {k.lower().strip() for k in event.keywords if k.strip()}
        words.update(title_names(event.title))
        for word in words:
            keyword_ids.setdefault(word, set()).add(event.id)
    alternatives = sorted(keyword_ids, key=len, reverse=True)
    keyword_re = None
    if alternatives:
        body = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in alternatives)
        keyword_re = re.compile(rf"\b(?P<kw>{body})(?:e?s)?\b")
    by_month_day: dict[tuple[int, int], list[EventInfo]] = {}
    for event in events:
        day = event.starts.date()
        by_month_day.setdefault((day.month, day.day), []).append(event)
    vocabulary = {k for k in keyword_ids if " " not in k and len(k) >= 6}
    # Plurals are words in their own right ("textiles"), not misspellings to correct.
    vocabulary |= {k + "s" for k in vocabulary}
    return EventIndex(
        events=events,
        keyword_re=keyword_re,
        keyword_ids={k: frozenset(v) for k, v in keyword_ids.items()},
        by_month_day={k: tuple(v) for k, v in by_month_day.items()},
        vocabulary=frozenset(vocabulary),
        series_re=series_pattern(series_name),
        ids_by_format={kind: frozenset(e.id for e in events if e.format == kind)
                       for kind in {e.format for e in events}},
        order={e.id: (e.starts, e.id) for e in events},
        weekday={e.id: e.starts.weekday() for e in events},
    )


# What a word for a session says of its kind ("webinars": a webinar; "ones": any).
KIND_OF = {
    "sessions": "",
    "webinars": "webinar",
    "workshops": "workshop",
    "events": "",
    "ones": "",
    "dates": "",
    "of them": "",
    "one": "",
    "session": "",
    "event": "",
    "date": "",
    "training": "workshop",
    "webinar": "webinar",
    "workshop": "workshop",
}


def keyword_ids(text: str, index: EventIndex) -> frozenset[str]:
    """Sessions whose keywords appear in a few words."""
    if index.keyword_re is None:
        return frozenset()
    ids: frozenset[str] = frozenset()
    for found in index.keyword_re.finditer(text):
        ids |= index.keyword_ids.get(re.sub(r"\s+", " ", found.group("kw")), frozenset())
    return ids
