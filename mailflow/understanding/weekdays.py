"""Sessions named by a day relative to today: "tomorrow's webinar", "the Friday one",
"Wednesday week", "next Thursday"."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from mailflow.understanding.dates import WEEKDAYS, named_as_condition
from mailflow.understanding.index import EventIndex, Mention
from mailflow.understanding.literals import guarded
from mailflow.understanding.text import is_past_reference, masked

# "tomorrow's webinar", "Friday's one", "the Wednesday session", "can't make Wednesday":
# a day named relative to today. Runs on text whose full dates are already blanked out.
_DAY_WORD = (
    r"(?P<day>today|tomorrow|tmrw|tmr|tmw|tomoz|2moro|2morrow|yesterday|mon|tue|tues|wed|weds"
    r"|thu|thur|thurs|fri)(?:day|nesday|sday|rsday)?"
)
_KIND_AFTER = (
    r"(?:'?s)?\s+(?:(?:[a-z-]+\s+){0,3}?)(?P<kind>webinar|workshop|session|one|event|training)\b"
)
# "wont make tomorrows workshop": the possessive with its apostrophe left out, a session after.
_BARE_S = r"(?=s\s+(?:[a-z-]+\s+){0,3}?(?:webinar|workshop|session|one|event|training)\b)"
# ("Wednesday week", "a week on Friday", "a week tomorrow": that day a week later; "Wednesday
# next week": the Wednesday of next week.)
_RELATIVE_DAY = guarded(
    r"\b(?:(?P<aweek>a\s+week\s+(?:on\s+|from\s+|this\s+)?)"
    rf"|(?P<next>next\s+|this\s+|this\s+coming\s+|coming\s+))?{_DAY_WORD}(?:\b|{_BARE_S})"
    r"(?:(?P<week>\s+week)\b|\s+(?P<which>next|this)\s+week\b)?"
    rf"(?:{_KIND_AFTER})?"
)
_KIND_BEFORE = guarded(r"\b(?:webinar|workshop|session)\s+(?:on\s+)?$")
_SESSION_VERB_BEFORE = re.compile(
    r"\b(?:make|attend|join|come|come to|do|cancel|miss)\s+(?:it\s+|that\s+)?(?:on\s+)?$"
)
# "my place for Friday", "our booking on Thursday", "my place this Wednesday": a place held
# for that day's session; "cancel me for next Wednesday", "book us in for Friday": one asked
# for, or given up.
_PLACE_FOR_BEFORE = re.compile(
    r"\b(?:place|places|seat|booking|spot)\s+(?:(?:for|on)\s+)?$"
    r"|\b(?:cancel|book|put|sign|register|enrol)\s+(?:me|us)(?:\s+(?:down|up|in|off))?"
    r"\s+(?:for|on)\s+$"
)


# A mail read later than it was written ("wont make tomorrows workshop" sent in the evening,
# read the next morning) means its "tomorrow", "next Wednesday", "the end of the month" from
# the day it was sent; a Date header after now, or more than this long before it, is not
# trusted, and the mail is read from now.
_WRITTEN_WITHIN = timedelta(days=7)


def written_at(sent: datetime | None, now: datetime) -> datetime:
    """The time the mail's words speak from: when it was sent, if that is plausible."""
    if sent is not None and now - _WRITTEN_WITHIN <= sent <= now:
        return sent
    return now


# ("tmrw", "2moro": tomorrow as a phone spells it.)
_DAYS_FROM_TODAY = {"yesterday": -1, "today": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1, "tmw": 1,
                    "tomoz": 1, "2moro": 1, "2morrow": 1}


def weekday_named(phrase: str) -> int | None:
    """The weekday a relative-day phrase names ("weds", "next Friday's session"), if any."""
    for word in re.findall(r"[a-z]+", phrase.lower()):
        if word in WEEKDAYS:
            return WEEKDAYS[word]
        if word.endswith("day") and word[:3] in WEEKDAYS:
            return WEEKDAYS[word[:3]]
    return None


def weekday_mentions(
    text: str,
    index: EventIndex,
    now: datetime,
    mentions: list[Mention],
    unmatched: list[tuple[str, date | None]],
) -> str:
    """Add mentions for days named relative to today; return the text with them blanked."""
    if not index.events:
        return text
    if any(m.label.startswith(("date", "day")) for m in mentions):
        return text  # "the Wednesday session on 28 May": the date says which day
    today = now.astimezone(index.events[0].starts.tzinfo).date()
    spans: list[tuple[int, int]] = []
    for found in _RELATIVE_DAY.finditer(text):
        day = found.group("day")
        before = text[max(0, found.start() - 20) : found.start()]
        attached = (
            bool(found.group("kind"))
            or bool(_SESSION_VERB_BEFORE.search(before[-12:]))
            or bool(_KIND_BEFORE.search(before))  # "the evidence workshop next Wednesday"
            or bool(_PLACE_FOR_BEFORE.search(before))
            or named_as_condition(text, found.start())
        )
        if not attached or (day != "yesterday" and is_past_reference(text, found.start())):
            continue  # "I'll send it tomorrow", "we met on Friday": no session named
        if day == "yesterday" and not found.group("kind"):
            continue  # "I wrote yesterday": no session named
        days = _days_meant(found, today)
        ids = frozenset(e.id for e in index.events if e.starts.date() in days)
        spans.append(found.span())
        phrase = found.group(0).strip()
        if not ids and _the_day_one(found, text):
            ids = frozenset(e.id for e in index.events
                            if e.starts.date() >= today and e.starts.weekday() == WEEKDAYS[day])
        if ids:
            mentions.append(Mention(ids, f'day "{phrase}"', start=found.start()))
        else:
            unmatched.append((phrase, None))
    return masked(text, spans)


def _days_meant(found: re.Match[str], today: date) -> list[date]:
    """The days a relative-day phrase may mean: "tomorrow" one, "next Friday" two (the coming
    one or the one after), "Wednesday week" the Wednesday after the coming one."""
    day = found.group("day")
    week_on = bool(found.group("aweek") or found.group("week")) and day != "yesterday"
    later = timedelta(days=7 if week_on else 0)
    if day in _DAYS_FROM_TODAY:
        # "yesterday's construction webinar": the session held yesterday, whose place can
        # no longer change (the desk says it is over).
        return [today + timedelta(days=_DAYS_FROM_TODAY[day]) + later]
    wanted = WEEKDAYS[day]
    if found.group("which"):
        # "Wednesday next week", "Thursday this week": that day of the calendar week.
        monday = today - timedelta(days=today.weekday())
        return [monday + timedelta(days=wanted + (7 if found.group("which") == "next" else 0))]
    first = today + timedelta(days=(wanted - today.weekday()) % 7) + later
    # "next Friday" may mean the coming one or the one after: both are candidates.
    if (found.group("next") or "").startswith("next"):
        return [first, first + timedelta(days=7)]
    return [first]


# ("the Friday one", "that Wednesday session": a session told from the others by its weekday.)
_THE_BEFORE = guarded(r"\b(?:the|that)\s+$")


def _the_day_one(found: re.Match[str], text: str) -> bool:
    """"I'd like the Friday one please - the others are all on Wednesdays": a weekday told
    apart as the session's own, with no week given; when the coming such day has no session,
    it names the sessions still to come on that weekday (several, and the desk asks)."""
    return (
        bool(found.group("kind"))
        and found.group("day") in WEEKDAYS
        and not (found.group("next") or found.group("aweek") or found.group("week")
                 or found.group("which"))
        and "'s" not in found.group(0)
        and bool(_THE_BEFORE.search(text, max(0, found.start() - 5), found.start()))
    )
