"""Which sessions one text names: "next", "all", months, keywords, kinds, dates, ordinals."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from mailflow.model import EventInfo
from mailflow.understanding.dates import (
    MONTH,
    MONTHS,
    date_mentions,
    named_as_condition,
    relative_mentions,
)
from mailflow.understanding.index import KIND_OF as _KIND_PLURAL
from mailflow.understanding.index import EventIndex, Mention, keyword_ids
from mailflow.understanding.left_out import without_left_out
from mailflow.understanding.listed import mark_lists
from mailflow.understanding.literals import guarded
from mailflow.understanding.order import beside_mentions, counted_and_last
from mailflow.understanding.ordinals import NUMBER_WORDS, ordinal_mentions
from mailflow.understanding.ranges import ends_of_series_mentions, range_mentions
from mailflow.understanding.seasons import season_mentions
from mailflow.understanding.text import fix_typos, is_past_reference, masked
from mailflow.understanding.weekdays import weekday_mentions

# "the deadline was the 21st", "Register here by 21 January 2025", "registration closes on
# Friday": a date to book by is no session's date.
_DEADLINE_DATE = guarded(
    r"(?:\b(?:deadline|closing date|cut-?off)(?:'s)?\s+(?:was|is|of|on|:)?"
    r"|\b(?:register|book|sign up|apply|enrol+)(?:\s+(?:here|now|online))?\s+(?:by|before)"
    r"|\bregistration (?:closes|ends)(?:\s+on)?)"
    r"\s*(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?(?:\s+(?:of\s+)?[a-z]+)?(?:,?\s+20\d\d)?|[a-z]+day)\b"
)
_NEXT = guarded(
    # ("the following session:", "the following webinar below": the one listed after it.)
    r"\b(?:next|upcoming|forthcoming|coming"
    r"|following(?![^.?!\n:]{0,40}(?::|\b(?:below|listed|overleaf)\b)))\s+"
    r"(?:(?:evidence(?: skills)?|training)\s+)?"
    r"(?P<kind>one|session|webinar|workshop|event|date|training)\b"
)
# "the session after next", "the one after next", "the webinar after the next one": the second
# still to come (counted from the same point as "the next one").
_AFTER_NEXT = guarded(
    r"\b(?:the\s+)?(?P<kind>one|session|webinar|workshop|event)\s+after\s+(?:the\s+)?next"
    r"(?:\s+(?:one|session|webinar|workshop|event))?\b"
)
# "every category webinar", "each topic session": the series' sessions on a spend category, as
# a word before the kind, naming no one session.
_OF_A_CATEGORY = r"(?:category|topic|themed|subject)\s+"
_ALL = guarded(
    r"\b(?:all|every|each)\s+(?:of\s+)?(?:the\s+|your\s+|my\s+|our\s+)?(?:remaining\s+"
    r"|upcoming\s+|future\s+|seven\s+|"
    r"7\s+|other\s+|rest of the\s+)?(?P<kind>sessions|webinars|workshops|events|ones|dates"
    r"|of them|bookings|places|registrations)\b"
    # "all the remaining webinars and workshops", "all seven webinars/workshops": both kinds.
    r"(?P<both>\s*(?:and|&|/|\+|or)\s*(?:the\s+)?(?:webinars|workshops)\b)?"
    r"|\bthe (?:whole|full|entire|complete) (?:series|programme|program)\b"
    # "every remaining session", "each upcoming webinar": one word for each of them.
    r"|\b(?:every|each)\s+(?:remaining|upcoming|future|other)\s+(?P<one>session|webinar"
    r"|workshop|event|one|date)\b"
    # "every category webinar that's left this year", "each session still to come": the same,
    # said after the word.
    rf"|\b(?:every|each)\s+(?:{_OF_A_CATEGORY})?(?P<left>session|webinar|workshop|event|one)\s+"
    r"(?:(?:that's|that is|which is)\s+)?(?:still\s+)?(?:left|remaining|to come|coming up"
    r"|to run)\b"
    # "everything that's left this year", "everything still to come": every session ahead.
    r"|\beverything\s+(?:(?:that's|that is|which is)\s+)?(?:still\s+)?(?:left|remaining"
    r"|to come|coming up|to run)\b"
    # "the rest of the year's sessions", "the remainder of the series"
    r"|\b(?:the )?(?:rest|remainder) of (?:the|this) (?:year|series|programme)(?:'s)?"
    r"(?: (?:sessions|webinars|workshops|events))?\b"
)
# "All seven please!": every session, counted.
_ALL_COUNTED = guarded(r"\ball (?P<n>two|three|four|five|six|seven|[2-9])\b"
                          r"(?! (?:of us|people|colleagues|places|seats|members|staff|days|weeks))")
# "both evidence skills training workshops", "both of the webinars": two sessions of a kind.
# "both evidence workshops", "the two evidence skills workshops": two sessions of a kind. (Not
# "the second of the two workshops", "either of the two": one of them.)
_BOTH = guarded(
    r"\b(?:both (?:of (?:the|your|my|our) )?|(?<!of )(?:the|my|our|your) two )"
    r"(?P<words>(?:[a-z-]+ ){0,3}?)(?P<kind>workshops|webinars|sessions|events)\b"
)
# "please cancel both of my evidence skills workshop places (28 May and 29 October)": two places
# counted, named one by one beside it (not every session a "for the rest of the year" takes in).
_BOTH_PLACES = guarded(
    r"\bboth (?:of )?(?:my|our|his|her|their|these|those) (?:(?!and |or )[a-z-]+ ){0,4}?(?:places"
    r"|bookings|seats|registrations)\b"
)
# "all the evidence workshops": every session of a topic (its keyword names them all).
_ALL_OF_TOPIC = guarded(
    r"\ball (?:of )?(?:the |your )?(?P<words>(?:[a-z-]+ ){1,3}?)(?P<kind>workshops|webinars"
    r"|sessions|events)\b"
)
# "the workshop next week", "next month's food webinar": a session placed relative to today.
# Between a topic and a date that describe one session ("textiles on 25 June"); a conjunction
# means two sessions ("construction and the one on 28 March").
# So does the end of a span ("from the May workshop through to furniture in December").
_JOINS_TWO = re.compile(
    r"\b(?:and|or|plus|also|then|as well as|both|through|thru|until|till)\b|[,;&+\n]"
)
# "... and the logistics one is too soon. Webinar 5 is the one I want": a topic and a number in
# two sentences are two statements, not one session described two ways.
_SENTENCE_END = re.compile(r"[.?!]\s")
_KIND_WORD = guarded(r"\b(?P<kind>webinar|workshop)\b(?!s)")
_MONTH_STRONG = guarded(
    rf"\b{MONTH}(?:'s)?\s+(?:evidence(?: skills)?\s+|training\s+)?"
    r"(?:one|session|webinar|workshop|event|training|date)\b"
)
# "the June and September webinars": months listed before one plural kind.
_MONTH_LIST = guarded(
    rf"\b(?P<months>{MONTH.replace('?P<month>', '?:')}(?:\s*(?:,|and|&|\+)\s*"
    rf"{MONTH.replace('?P<month>', '?:')})+)\s+(?:webinars|workshops|sessions|ones|events)\b"
)
_MONTH_WEAK = guarded(
    # "book me on October": a month right after whom a booking is for is the session's.
    rf"\b(?:in|for|during|of|(?:me|us|him|her|them)\s+(?:on|onto))\s+"
    rf"(?:late\s+|early\s+|mid-?\s*)?{MONTH}(?!\s*\d)\b"
)
Unmatched = list[tuple[str, date | None]]


def event_mentions(
    text: str, index: EventIndex, now: datetime, after: datetime | None = None
) -> tuple[list[Mention], Unmatched, str]:
    """Sessions named in one text, dates that name none, and a topic/date contradiction.

    `after` is where "the next one" counts from: in a thread, the thread's session."""
    mentions: list[Mention] = []
    unmatched: Unmatched = []
    text = fix_typos(text, index.vocabulary)
    # "I know the deadline was the 21st": the deadline's date is no session's date.
    text = _DEADLINE_DATE.sub(lambda m: " " * len(m.group(0)), text)
    relative_mentions(text, index, now, mentions, unmatched)
    text = date_mentions(text, index, mentions, unmatched, now)
    text = weekday_mentions(text, index, now, mentions, unmatched)
    spans: list[tuple[int, int]] = []
    range_mentions(text, index.events, now, mentions, spans, lambda t: keyword_ids(t, index))
    ends_of_series_mentions(text, index.events, now, mentions, spans)
    _all_mentions(text, index, now, mentions, spans)
    beside_mentions(text, index, mentions, spans)
    _next_mentions(text, index.events, max(now, after or now), mentions, unmatched, spans)
    ordinal_mentions(text, index.events, now, mentions, spans, lambda t: keyword_ids(t, index))
    text = masked(text, spans)
    # The series' own name is no session: its words must not read as a session's keyword.
    # Blanked to the same length so positions still line up.
    if index.series_re is not None:
        text = index.series_re.sub(lambda m: " " * len(m.group(0)), text)
    _month_mentions(text, index.events, mentions, unmatched)
    season_mentions(text, index.events, mentions)
    _topic_mentions(text, index, mentions)
    _one_after(text, index, mentions)
    mentions = mark_lists(text, without_left_out(text, mentions))
    return mentions, unmatched, _conflicts(text, mentions)


def _all_mentions(
    text: str, index: EventIndex, now: datetime, mentions: list[Mention],
    spans: list[tuple[int, int]],
) -> None:
    """Every session still to come ("all of them", "all seven"), or both of a kind."""
    events = index.events
    for found in _ALL.finditer(text):
        if any(s <= found.start() < e for s, e in spans):
            continue  # "all my places after the textiles webinar": a range, read already
        one = found.group("one") or found.group("left")
        kind = "" if found.group("both") else _KIND_PLURAL.get(found.group("kind") or "", "") or (
            one if one in ("webinar", "workshop") else ""
        )
        future = [e for e in events if e.starts > now and (not kind or e.format == kind)]
        # "All the webinars" of a series announced as webinars, with workshops still to come,
        # from words that never say "workshop": the loose word may take them in too.
        loose = kind == "webinar" and "workshop" not in text and any(
            e.starts > now and e.format != kind for e in events
        )
        if future:
            mentions.append(Mention(frozenset(e.id for e in future), f'all "{found.group(0)}"',
                                    exact=True, loose=loose))
        spans.append(found.span())
    for found in _ALL_COUNTED.finditer(text):
        n = NUMBER_WORDS.get(found.group("n")) or int(found.group("n"))
        future = [e for e in events if e.starts > now]
        if n in (len(events), len(future)) and future:
            mentions.append(
                Mention(frozenset(e.id for e in future), f'all "{found.group(0)}"', exact=True)
            )
            spans.append(found.span())
        elif n < len(events):
            mentions.append(Mention(frozenset(), f'all "{found.group(0)}"', exact=True, count=n))
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
    for found in _BOTH_PLACES.finditer(text):
        if not any(s <= found.start() < e for s, e in spans):
            # (its words are left to name the sessions: "both my evidence workshop places")
            # (weak: alone, "cancel both our places" may count two people on one session)
            mentions.append(
                Mention(frozenset(), f'both "{found.group(0)}"', exact=True, weak=True, count=2)
            )
    for found in _ALL_OF_TOPIC.finditer(text):
        named = keyword_ids(found.group("words"), index)
        if not named or any(s <= found.start() < e for s, e in spans):
            continue
        kind = _KIND_PLURAL.get(found.group("kind"), "")
        future = [e for e in events if e.starts > now and e.id in named
                  and (not kind or e.format == kind)]
        if future:
            mentions.append(
                Mention(frozenset(e.id for e in future), f'all "{found.group(0)}"', exact=True)
            )
            spans.append(found.span())


def _next_mentions(
    text: str, events: Sequence[EventInfo], now: datetime, mentions: list[Mention],
    unmatched: Unmatched, spans: list[tuple[int, int]],
) -> None:
    """The next session ("the next one", "the upcoming workshop"), or the next still open.

    "Webinar" is also the loose word for any session of a series announced as webinars: "the
    next webinar" when the next session is a workshop may mean either, and the desk asks."""
    counted_and_last(text, events, now, mentions, spans)
    _after_next_mentions(text, events, now, mentions, unmatched, spans)
    for found in _NEXT.finditer(text):
        if any(s <= found.start() < e for s, e in spans):
            continue  # "the one after next": read already
        kind = _KIND_PLURAL.get(found.group("kind"), "")
        if "evidence" in found.group(0) or "training" in found.group(0):
            kind = "workshop"
        spans.append(found.span())
        meant = _next_of_kind(events, kind, now)
        if kind == "webinar" and meant:
            meant |= _next_of_kind(events, "", now)
        if not meant:
            unmatched.append((found.group(0), None))
            continue
        mentions.append(Mention(frozenset(meant), f'next "{found.group(0)}"', start=found.start()))


def _after_next_mentions(
    text: str, events: Sequence[EventInfo], now: datetime, mentions: list[Mention],
    unmatched: Unmatched, spans: list[tuple[int, int]],
) -> None:
    """"The one after next": the second session (of a kind) still to come. A loose "webinar"
    that may mean either kind gives both readings, and the desk asks."""
    for found in _AFTER_NEXT.finditer(text):
        spans.append(found.span())
        kind = _KIND_PLURAL.get(found.group("kind"), "")
        kinds = (kind, "") if kind == "webinar" else (kind,)
        meant: set[str] = set()
        for one in kinds:
            future = sorted((e for e in events if e.starts > now
                             and (not one or e.format == one)), key=lambda e: e.starts)
            meant.update(e.id for e in future[1:2])
        if not meant:
            unmatched.append((found.group(0), None))
            continue
        mentions.append(
            Mention(frozenset(meant), f'after next "{found.group(0)}"', start=found.start())
        )


def _next_of_kind(events: Sequence[EventInfo], kind: str, now: datetime) -> set[str]:
    """The next session of a kind; when its registration has closed, the next open one too
    (either may be meant). Empty when none is to come, or the only one has closed."""
    future = sorted(
        (e for e in events if e.starts > now and (not kind or e.format == kind)),
        key=lambda e: e.starts,
    )
    if not future:
        return set()
    meant = {future[0].id}
    if future[0].registration_closes < now:
        open_ones = [e for e in future if e.registration_closes >= now]
        meant.update(e.id for e in open_ones[:1])
        if len(meant) == 1:
            return set()
    return meant


def _month_mentions(
    text: str, events: Sequence[EventInfo], mentions: list[Mention], unmatched: Unmatched
) -> None:
    """Sessions by month: "the June webinar", "the June and September ones"; "in May" weakly.

    A month named as a session's ("the June and July webinars") in which there is none is a
    session asked for that does not exist: unmatched, so the desk asks."""
    for found in _MONTH_STRONG.finditer(text):
        month = MONTHS[found.group("month")]
        ids = frozenset(e.id for e in events if e.starts.month == month)
        if not is_past_reference(text, found.start()):
            if ids:
                mentions.append(Mention(ids, f'month "{found.group(0)}"', start=found.start()))
            else:
                unmatched.append((found.group(0), None))
    for found in _MONTH_LIST.finditer(text):
        for word in re.findall(r"[a-z]+", found.group("months")):
            listed = MONTHS.get(word, 0)
            ids = frozenset(e.id for e in events if listed and e.starts.month == listed)
            if is_past_reference(text, found.start()) or not listed:
                continue
            if ids:
                mentions.append(Mention(ids, f'month "{word}"', start=found.start()))
            else:
                unmatched.append((f"{word} (of {found.group(0)})", None))
    for found in _MONTH_WEAK.finditer(text):
        month = MONTHS[found.group("month")]
        ids = frozenset(e.id for e in events if e.starts.month == month)
        if ids and not is_past_reference(text, found.start()):
            mentions.append(
                Mention(ids, f'month "{found.group(0)}"', weak=True, start=found.start())
            )
        elif not ids and named_as_condition(text, found.start()):
            unmatched.append((found.group(0), None))


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
        ids = index.ids_by_format.get(kind, frozenset())
        if ids and not is_past_reference(text, found.start()):
            mentions.append(Mention(ids, f'kind "{kind}"', weak=len(ids) > 2, start=found.start()))


def _conflicts(text: str, mentions: Sequence[Mention]) -> str:
    """A topic and a date side by side that name different sessions ("textiles on 25 June")."""
    # A month said weakly ("in October") still contradicts a topic beside it ("textiles").
    dated = [m for m in mentions if (not m.weak or m.label.startswith("month"))
             and m.label.split(" ")[0] in _DATED_LABELS]
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
            if d.weak and (hi - lo > 25 or not t.label.startswith("keyword")):
                continue  # "the evidence webinar in May": "webinar" is the loose word
            if not _JOINS_TWO.search(text[lo:hi]) and not _SENTENCE_END.search(text[lo:hi]):
                return f"{t.label} and {d.label} are different sessions"
    return _number_against_date(text, dated)


def _number_against_date(text: str, dated: Sequence[Mention]) -> str:
    """A session's number beside a date naming another ("workshop 3 on 29 October" when 3 is
    the May workshop): the two describe one session and disagree, so the desk asks."""
    numbers = [m for m in dated if m.label.startswith("ordinal")]
    dates = [m for m in dated if not m.weak and m.label.split(" ")[0] in ("date", "day")]
    for n in numbers:
        for d in dates:
            lo, hi = sorted((n.start, d.start))
            if hi - lo <= 30 and not n.ids & d.ids and not _JOINS_TWO.search(text[lo:hi]):
                return f"{n.label} and {d.label} are different sessions"
    return ""


# Mentions that place a session by time or number; beside a topic naming another session,
# with nothing joining them, the two contradict ("webinar 2 on furniture": 2 is logistics).
_DATED_LABELS = frozenset({"date", "day", "month", "relative", "ordinal"})


# "the seafood one and the one after it": the session following the one just named; "I missed
# the food webinar, but I'd like the one after it", "the one after the food one": the session
# after a landmark, which is no target itself.
_ONE_AFTER = guarded(
    r"\b(?:the\s+)?(?:next\s+)?(?P<kind>one|session|webinar|workshop)\s+(?:straight\s+|right\s+"
    r"|immediately\s+|just\s+)?after\s+(?P<ref>it|that|this|that one|the\s+(?:[a-z-]+\s+){1,3}?"
    r"(?:one|session|webinar|workshop))\b(?!\s+(?:is|was|has|had)\b)"
)
# "... and the one after it", "food and, if possible, the one after that": both are asked for.
_BOTH_JOINED = guarded(r"\b(?:and|plus|then|also|as well as)\b[^.?!;]{0,20}$")


def _one_after(text: str, index: EventIndex, mentions: list[Mention]) -> None:
    """The session after the one a reference names ("the one after it", "the one after the
    food one"). Joined to it ("X and the one after it") both are meant; otherwise the one
    named is only where to count from, and no target."""
    events = index.events
    for found in _ONE_AFTER.finditer(text):
        ref = found.group("ref")
        if ref.startswith("the "):
            landmark = keyword_ids(ref, index)
            at = [m for m in mentions if found.start("ref") <= m.start < found.end()]
        else:
            before = [m for m in mentions if m.start < found.start() and len(m.ids) == 1]
            at = [max(before, key=lambda m: m.start)] if before else []
            # (a session named in the past tense, "I missed the food webinar", is no mention:
            # its keyword still marks where to count from)
            landmark = at[0].ids if at else _last_keyword(text[: found.start()], index)
        if len(landmark) != 1:
            continue
        (named_id,) = landmark
        starts = next((e.starts for e in events if e.id == named_id), None)
        kind = found.group("kind") if found.group("kind") in ("webinar", "workshop") else ""
        later = sorted(
            (e for e in events if starts and e.starts > starts and (not kind or e.format == kind)),
            key=lambda e: e.starts,
        )
        if not later:
            continue
        if not _BOTH_JOINED.search(text[max(0, found.start() - 30) : found.start()]):
            for m in at:
                if m in mentions:
                    mentions.remove(m)
        mentions.append(Mention(frozenset({later[0].id}), f'after "{found.group(0)}"',
                                exact=True, start=found.start()))


def _last_keyword(text: str, index: EventIndex) -> frozenset[str]:
    """The sessions of the last keyword in a text, past tense or not."""
    if index.keyword_re is None:
        return frozenset()
    last = None
    for last in index.keyword_re.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    if last is None:
        return frozenset()
    return index.keyword_ids.get(re.sub(r"\s+", " ", last.group("kw")), frozenset())
