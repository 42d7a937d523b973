"""Which sessions a text names: ordinals, "next", "all", months, keywords, then resolution."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from mailflow.model import EventInfo
from mailflow.understanding.dates import (
    MONTH,
    MONTHS,
    date_mentions,
    relative_mentions,
    weekday_mentions,
    weekday_named,
)
from mailflow.understanding.index import EventIndex, Mention
from mailflow.understanding.text import fix_typos, is_past_reference, masked

_DEADLINE_DATE = re.compile(
    r"\b(?:deadline|closing date|cut-?off)(?:'s)?\s+(?:was|is|of|on|:)?\s*(?:the\s+)?"
    r"(?:\d{1,2}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?[a-z]+)?|[a-z]+day)\b"
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "6th": 6,
    "7th": 7,
}
_ORDINAL_AFTER = re.compile(
    r"\b(?P<kind>webinar|workshop|session|event|part|module)\s*(?:no\.?\s*|number\s+|#\s*)?"
    r"(?P<n>[1-7]|one|two|three|four|five|six|seven)\b(?!\s*(?:people|places|colleagues|of us|seats"
    r"|:\d))"
)
# "webinars 2 and 5", "sessions 1, 3 & 4": several numbers after one plural kind.
_ORDINAL_LIST = re.compile(
    r"\b(?P<kind>webinar|workshop|session)s\s+(?:no\.?\s*|numbers\s+|#\s*)?"
    r"(?P<list>[1-7](?:\s*(?:,|and|&|\+)\s*[1-7])+)\b"
)
_ORDINAL_BEFORE = re.compile(
    r"\b(?P<n>first|second|third|fourth|fifth|sixth|seventh|1st|2nd|3rd|4th|5th|6th|7th)\s+"
    r"(?:[a-z-]+\s+){0,3}?(?P<kind>webinar|workshop|session|event|one)\b"
)
_NEXT = re.compile(
    r"\b(?:next|upcoming|forthcoming|coming|following)\s+(?:(?:evidence(?: skills)?|training)\s+)?"
    r"(?P<kind>one|session|webinar|workshop|event|date|training)\b"
)
_ALL = re.compile(
    r"\b(?:all|every|each)\s+(?:of\s+)?(?:the\s+|your\s+|my\s+|our\s+)?(?:remaining\s+"
    r"|upcoming\s+|future\s+|seven\s+|"
    r"7\s+|other\s+|rest of the\s+)?(?P<kind>sessions|webinars|workshops|events|ones|dates"
    r"|of them|bookings|places|registrations)\b"
    r"|\bthe (?:whole|full|entire|complete) (?:series|programme|program)\b"
    # "the rest of the year's sessions", "the remainder of the series"
    r"|\b(?:the )?(?:rest|remainder) of (?:the|this) (?:year|series|programme)(?:'s)?"
    r"(?: (?:sessions|webinars|workshops|events))?\b"
)
# "All seven please!": every session, counted.
_ALL_COUNTED = re.compile(r"\ball (?P<n>two|three|four|five|six|seven|[2-9])\b"
                          r"(?! (?:of us|people|colleagues|places|seats|members|staff|days|weeks))")
# "both evidence skills training workshops", "both of the webinars": two sessions of a kind.
_BOTH = re.compile(
    r"\bboth (?:of (?:the|your) )?(?P<words>(?:[a-z-]+ ){0,3}?)(?P<kind>workshops|webinars"
    r"|sessions|events)\b"
)
# "the workshop next week", "next month's food webinar": a session placed relative to today.
# Between a topic and a date that describe one session ("textiles on 25 June"); a conjunction
# means two sessions ("construction and the one on 28 March").
_JOINS_TWO = re.compile(r"\b(?:and|or|plus|also|then|as well as|both)\b|[,;&+\n]")
_KIND_WORD = re.compile(r"\b(?P<kind>webinar|workshop)\b(?!s)")
_MONTH_STRONG = re.compile(
    rf"\b{MONTH}(?:'s)?\s+(?:evidence(?: skills)?\s+|training\s+)?"
    r"(?:one|session|webinar|workshop|event|training|date)\b"
)
# "the June and September webinars": months listed before one plural kind.
_MONTH_LIST = re.compile(
    rf"\b(?P<months>{MONTH.replace('?P<month>', '?:')}(?:\s*(?:,|and|&|\+)\s*"
    rf"{MONTH.replace('?P<month>', '?:')})+)\s+(?:webinars|workshops|sessions|ones|events)\b"
)
_EXCLUDED = re.compile(
    r"\b(?:not|except(?: for)?|apart from|other than|excluding|rather than|instead of|nor"
    r"|keep(?:ing)?(?:\s+(?:my|our)\s+(?:place|booking|seat|places|bookings)\s+(?:on|for|at))?)"
    r"\s+(?:(?:for|on|in)\s+)?(?:the\s+)?$"
    # "I've already registered for food but could you also book me onto textiles?"
    r"|\balready\s+(?:registered|booked|signed up|down|enrolled)\s+(?:for|on|onto|to)\s+"
    r"(?:the\s+)?$"
)
_MONTH_WEAK = re.compile(
    rf"\b(?:in|for|during|of)\s+(?:late\s+|early\s+|mid-?\s*)?{MONTH}(?!\s*\d)\b"
)
_KIND_PLURAL = {
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


@dataclass
class Sessions:
    ids: tuple[str, ...] = ()
    evidence: list[str] = field(default_factory=list)
    problem: str = ""  # why the sessions meant cannot be told
    mentioned: bool = False


def _upcoming_first(found: list[EventInfo], now: datetime) -> list[EventInfo]:
    """A past session never wins over an upcoming one; of upcoming ones, the nearest series
    year (the one being announced now)."""
    upcoming = [e for e in found if e.starts > now]
    if not upcoming:
        return found
    year = min(e.starts.year for e in upcoming)
    return [e for e in upcoming if e.starts.year == year]


def _nth(events: Sequence[EventInfo], kind: str, n: int, now: datetime) -> list[EventInfo]:
    """The n-th session (of a kind) counted within each year's series."""
    by_year: dict[int, list[EventInfo]] = {}
    for e in sorted(events, key=lambda e: e.starts):
        if not kind or e.format == kind:
            by_year.setdefault(e.starts.year, []).append(e)
    found = [same[n - 1] for same in by_year.values() if 0 < n <= len(same)]
    return _upcoming_first(found, now)


def _numbered(events: Sequence[EventInfo], n: int, now: datetime) -> list[EventInfo]:
    """The session the announcement numbers n ("Webinar 3"); without numbers, the n-th."""
    if any(e.number for e in events):
        return _upcoming_first([e for e in events if e.number == n], now)
    return _nth(events, "", n, now)


def _ordinal_candidates(
    events: Sequence[EventInfo], kind: str, n: int, now: datetime
) -> set[str]:
    """Sessions an ordinal may mean.

    "session 3" / "the third one" is the session numbered 3 (the announcement's number, or
    the third of the year's series). "webinar 3" may be that number (the announcement says
    "Webinar 1" and numbers workshops among them) or the third webinar; "workshop 2" may be
    number 2 if that is a workshop, or the second workshop. When two readings disagree the
    desk asks.
    """
    numbered = [e for e in _numbered(events, n, now) if kind != "workshop" or e.format == kind]
    candidates = {e.id for e in numbered}
    if kind in ("webinar", "workshop"):
        candidates |= {e.id for e in _nth(events, kind, n, now)}
    return candidates


Unmatched = list[tuple[str, date | None]]


def _event_mentions(
    text: str, index: EventIndex, now: datetime
) -> tuple[list[Mention], Unmatched, str]:
    """Sessions named in one text, dates that name none, and a topic/date contradiction."""
    mentions: list[Mention] = []
    unmatched: Unmatched = []
    text = fix_typos(text, index.vocabulary)
    # "I know the deadline was the 21st": the deadline's date is no session's date.
    text = _DEADLINE_DATE.sub(lambda m: " " * len(m.group(0)), text)
    relative_mentions(text, index, now, mentions, unmatched)
    text = date_mentions(text, index, mentions, unmatched)
    text = weekday_mentions(text, index, now, mentions, unmatched)
    spans: list[tuple[int, int]] = []
    _all_mentions(text, index, now, mentions, spans)
    _next_mentions(text, index.events, now, mentions, unmatched, spans)
    _ordinal_mentions(text, index.events, now, mentions, spans)
    text = masked(text, spans)
    # The series' own name is no session: its words must not read as a session's keyword.
    # Blanked to the same length so positions still line up.
    if index.series_re is not None:
        text = index.series_re.sub(lambda m: " " * len(m.group(0)), text)
    _month_mentions(text, index.events, mentions)
    _topic_mentions(text, index, mentions)
    # "furniture and textiles, but not food": a session named to be left out is no target.
    mentions = [m for m in mentions if not _EXCLUDED.search(text[max(0, m.start - 25) : m.start])
                or m.start == 0]
    return mentions, unmatched, _conflicts(text, mentions)


def _all_mentions(
    text: str, index: EventIndex, now: datetime, mentions: list[Mention],
    spans: list[tuple[int, int]],
) -> None:
    """Every session still to come ("all of them", "all seven"), or both of a kind."""
    events = index.events
    for found in _ALL.finditer(text):
        kind = _KIND_PLURAL.get(found.group("kind") or "", "")
        future = [e for e in events if e.starts > now and (not kind or e.format == kind)]
        if future:
            mentions.append(
                Mention(frozenset(e.id for e in future), f'all "{found.group(0)}"', exact=True)
            )
        spans.append(found.span())
    for found in _ALL_COUNTED.finditer(text):
        n = _NUMBER_WORDS.get(found.group("n")) or int(found.group("n"))
        future = [e for e in events if e.starts > now]
        if n in (len(events), len(future)) and future:
            mentions.append(
                Mention(frozenset(e.id for e in future), f'all "{found.group(0)}"', exact=True)
            )
            spans.append(found.span())
    for found in _BOTH.finditer(text):
        kind = _KIND_PLURAL.get(found.group("kind"), "")
        future = [e for e in events if e.starts > now and (not kind or e.format == kind)]
        named = keyword_ids(found.group("words"), index)
        if named:
            future = [e for e in future if e.id in named]
        if len(future) == 2:  # "both" of anything else is not these two: leave it to others
            mentions.append(
                Mention(frozenset(e.id for e in future), f'both "{found.group(0)}"', exact=True)
            )
            spans.append(found.span())


def _next_mentions(
    text: str, events: Sequence[EventInfo], now: datetime, mentions: list[Mention],
    unmatched: Unmatched, spans: list[tuple[int, int]],
) -> None:
    """The next session ("the next one", "the upcoming workshop"), or the next still open."""
    for found in _NEXT.finditer(text):
        kind = _KIND_PLURAL.get(found.group("kind"), "")
        if "evidence" in found.group(0) or "training" in found.group(0):
            kind = "workshop"
        future = sorted(
            (e for e in events if e.starts > now and (not kind or e.format == kind)),
            key=lambda e: e.starts,
        )
        spans.append(found.span())
        if not future:
            unmatched.append((found.group(0), None))
            continue
        meant = {future[0].id}
        if future[0].registration_closes < now:
            # The next session has closed: "the next one" may mean it or the next open one.
            open_ones = [e for e in future if e.registration_closes >= now]
            meant.update(e.id for e in open_ones[:1])
            if len(meant) == 1:
                unmatched.append((found.group(0), None))
                continue
        mentions.append(Mention(frozenset(meant), f'next "{found.group(0)}"', start=found.start()))


def _ordinal_mentions(
    text: str, events: Sequence[EventInfo], now: datetime, mentions: list[Mention],
    spans: list[tuple[int, int]],
) -> None:
    """Sessions by number: "webinars 2 and 5", "the second workshop", "webinar three"."""
    for found in _ORDINAL_LIST.finditer(text):
        spans.append(found.span())
        if is_past_reference(text, found.start()):
            continue
        for n in re.findall(r"[1-7]", found.group("list")):
            candidates = _ordinal_candidates(events, found.group("kind"), int(n), now)
            if candidates:
                label = f'ordinal "{found.group("kind")} {n}"'
                mentions.append(Mention(frozenset(candidates), label, start=found.start()))
    for pattern in (_ORDINAL_BEFORE, _ORDINAL_AFTER):
        for found in pattern.finditer(text):
            if any(s <= found.start() < e for s, e in spans):
                continue
            spans.append(found.span())
            n = _NUMBER_WORDS.get(found.group("n")) or int(found.group("n"))
            candidates = _ordinal_candidates(events, found.group("kind"), n, now)
            if candidates and not is_past_reference(text, found.start()):
                mentions.append(
                    Mention(
                        frozenset(candidates), f'ordinal "{found.group(0)}"', start=found.start()
                    )
                )


def _month_mentions(text: str, events: Sequence[EventInfo], mentions: list[Mention]) -> None:
    """Sessions by month: "the June webinar", "the June and September ones"; "in May" weakly."""
    for found in _MONTH_STRONG.finditer(text):
        month = MONTHS[found.group("month")]
        ids = frozenset(e.id for e in events if e.starts.month == month)
        if ids and not is_past_reference(text, found.start()):
            mentions.append(Mention(ids, f'month "{found.group(0)}"', start=found.start()))
    for found in _MONTH_LIST.finditer(text):
        for word in re.findall(r"[a-z]+", found.group("months")):
            listed = MONTHS.get(word, 0)
            ids = frozenset(e.id for e in events if listed and e.starts.month == listed)
            if ids and not is_past_reference(text, found.start()):
                mentions.append(Mention(ids, f'month "{word}"', start=found.start()))
    for found in _MONTH_WEAK.finditer(text):
        month = MONTHS[found.group("month")]
        ids = frozenset(e.id for e in events if e.starts.month == month)
        if ids:
            mentions.append(
                Mention(ids, f'month "{found.group(0)}"', weak=True, start=found.start())
            )


def _topic_mentions(text: str, index: EventIndex, mentions: list[Mention]) -> None:
    """Sessions by keyword, and by kind ("the workshop"), weakly when many share the kind."""
    if index.keyword_re is not None:
        for found in index.keyword_re.finditer(text):
            if is_past_reference(text, found.start()):
                continue
            keyword = re.sub(r"\s+", " ", found.group("kw"))
            ids = index.keyword_ids.get(keyword, frozenset())
            if ids:
                mentions.append(Mention(ids, f'keyword "{found.group(0)}"', start=found.start()))
    for found in _KIND_WORD.finditer(text):
        kind = found.group("kind")
        ids = frozenset(e.id for e in index.events if e.format == kind)
        if ids and not is_past_reference(text, found.start()):
            mentions.append(Mention(ids, f'kind "{kind}"', weak=len(ids) > 2, start=found.start()))


def _conflicts(text: str, mentions: Sequence[Mention]) -> str:
    """A topic and a date side by side that name different sessions ("textiles on 25 June")."""
    dated = [m for m in mentions if not m.weak and m.label.split(" ")[0] in _DATED_LABELS]
    # "the workshop on 10 December" when 10 December is a webinar: the kind is a topic too.
    topics = [m for m in mentions if m.label.startswith(("keyword", "kind"))]
    if dated and topics and frozenset().union(*(m.ids for m in dated)) == frozenset().union(
        *(m.ids for m in topics)
    ):
        return ""  # "29.1. and 25.6. (construction + food)": two lists of the same sessions
    for d in dated:
        for t in topics:
            lo, hi = sorted((d.start, t.start))
            if hi - lo > 45 or d.ids & t.ids:
                continue
            if not _JOINS_TWO.search(text[lo:hi]):
                return f"{t.label} and {d.label} are different sessions"
    return ""


_DATED_LABELS = frozenset({"date", "day", "month", "relative"})


def keyword_ids(text: str, index: EventIndex) -> frozenset[str]:
    """Sessions whose keywords appear in a few words."""
    if index.keyword_re is None:
        return frozenset()
    ids: frozenset[str] = frozenset()
    for found in index.keyword_re.finditer(text):
        ids |= index.keyword_ids.get(re.sub(r"\s+", " ", found.group("kw")), frozenset())
    return ids


def resolve_events(
    texts: Sequence[str],
    index: EventIndex,
    now: datetime,
    context_ids: tuple[str, ...],
    background: str = "",
) -> Sessions:
    """Sessions meant, from the first text that names any (the request's clauses before the
    subject or a forward). Clauses that only give background are read last, outside a thread,
    and only when they name exactly one session: a session mentioned in passing is context."""
    result = Sessions()
    mentions, unmatched, conflict, in_passing = _first_naming(
        texts, index, now, background if not context_ids else ""
    )
    resolved = _narrowed(mentions, index, now, context_ids, result)
    if not resolved and not result.problem and context_ids:
        resolved = set(context_ids)
        result.evidence.append(f"sessions from the thread: {', '.join(context_ids)}")
    result.problem = result.problem or _contradicting_date(unmatched, resolved, index)
    if conflict:
        result.problem = conflict
    result.mentioned = bool(mentions) or bool(unmatched)
    order = {e.id: (e.starts, e.id) for e in index.events}
    result.ids = tuple(sorted(resolved, key=lambda i: order.get(i, (now, i))))
    for m in mentions:
        if m.ids & resolved:
            result.evidence.append(f"{'/'.join(sorted(m.ids & resolved))}: {m.label}")
    if in_passing and len(result.ids) > 1:
        result.problem = "names several sessions, none of them in the sentence that asks"
    strong = [m for m in mentions if not m.weak]
    if not result.problem and len(result.ids) >= 4 and not any(m.exact for m in strong):
        result.problem = f"names {len(result.ids)} sessions without asking for all of them"
    return result


def _first_naming(
    texts: Sequence[str], index: EventIndex, now: datetime, background: str
) -> tuple[list[Mention], Unmatched, str, bool]:
    """The mentions of the first text that names a session firmly; else the first weak ones;
    else the background's (then "in passing")."""
    mentions: list[Mention] = []
    unmatched: Unmatched = []
    conflict = ""
    weak_first: tuple[list[Mention], Unmatched, str] | None = None
    for text in texts:
        mentions, unmatched, conflict = _event_mentions(text, index, now)
        if any(not m.weak for m in mentions) or unmatched:
            return mentions, unmatched, conflict, False
        weak_first = weak_first or ((mentions, unmatched, conflict) if mentions else None)
    if weak_first is not None:
        # "can I book the one in March?" under the subject "march": the asking words'
        # weak month is not lost because a later text names nothing.
        mentions, unmatched, conflict = weak_first
    if background and not mentions:
        mentions, unmatched, conflict = _event_mentions(background, index, now)
        return mentions, unmatched, conflict, True
    return mentions, unmatched, conflict, False


def _narrowed(
    mentions: Sequence[Mention], index: EventIndex, now: datetime,
    context_ids: tuple[str, ...], result: Sessions,
) -> set[str]:
    """The sessions the mentions settle on: named ones, then the one that several ambiguous
    mentions (and weak ones, the thread, what is still to come) have in common."""
    strong = [m for m in mentions if not m.weak]
    weak = [m for m in mentions if m.weak]
    resolved: set[str] = set()
    for m in strong:
        if m.exact or len(m.ids) == 1:
            resolved |= m.ids
    open_sets = [m for m in strong if not (m.exact or len(m.ids) == 1) and not (m.ids & resolved)]
    if open_sets:
        common = frozenset.intersection(*(m.ids for m in open_sets))
        for m in weak:
            if m.ids & common:
                common = common & m.ids
        if len(common) > 1 and set(context_ids) & common:
            common = common & frozenset(context_ids)
        if len(common) > 1:
            # "the evidence skills workshop" in July: only one of the two is still to come.
            upcoming = frozenset(e.id for e in index.events if e.id in common and e.starts > now)
            common = upcoming or common
        if len(common) == 1 or (common and common <= frozenset(context_ids)):
            resolved |= common
        else:
            labels = ", ".join(m.label for m in open_sets)
            result.problem = f"cannot tell which session is meant ({labels})"
    if not resolved and not open_sets and weak:
        common = frozenset.intersection(*(m.ids for m in weak))
        if len(common) == 1:
            resolved |= common
        elif common and context_ids and common & set(context_ids):
            resolved |= common & set(context_ids)
    return resolved


def _contradicting_date(unmatched: Unmatched, resolved: set[str], index: EventIndex) -> str:
    """A date in the words that ask which is no session's date contradicts what they name
    ("the seafood one on 25 July"): the desk asks rather than picks one of the two."""
    weekday = {e.id: e.starts.weekday() for e in index.events}
    for phrase, when in unmatched:
        named = weekday_named(phrase) if when is None else None
        if named is not None and resolved and all(weekday[i] == named for i in resolved):
            # "cancel me off textiles, can't do weds": the session they name is on a Wednesday.
            continue
        return f"{phrase} does not match a session date"
    return ""


