"""Sessions by number: "webinar 3", "the second workshop", "sessions 1, 3 & 4"."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime

from mailflow.model import EventInfo
from mailflow.understanding.index import Mention
from mailflow.understanding.literals import guarded
from mailflow.understanding.text import is_past_reference

NUMBER_WORDS = {
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
# ("the workshop one": the one that is a workshop, a pronoun, not workshop number one.)
_ORDINAL_AFTER = guarded(
    r"\b(?!(?:(?<=\bthe )|(?<=\bthat )|(?<=\bthis ))(?:webinar|workshop|session|event|part"
    r"|module)\s+one\b)"
    r"(?P<kind>webinar|workshop|session|event|part|module)\s*(?:no\.?\s*|number\s+|#\s*)?"
    r"(?P<n>[1-7]|one|two|three|four|five|six|seven)\b(?!\s*(?:people|places|colleagues|of us|seats"
    r"|:\d))"
)
# "webinars 2 and 5", "sessions 1, 3 & 4": several numbers after one plural kind.
_ORDINAL_LIST = guarded(
    r"\b(?P<kind>webinar|workshop|session)s\s+(?:no\.?\s*|numbers\s+|#\s*)?"
    r"(?:(?P<list>[1-7](?:\s*(?:,|and|&|\+)\s*[1-7])+)"
    # "webinars 1-3", "sessions 2 to 4": a run of the timetable's numbers.
    r"|(?P<first>[1-7])\s*(?:-|to|through|thru|until)\s*(?P<last>[1-7]))\b"
)
_ORDINAL_BEFORE = guarded(
    r"\b(?P<n>first|second|third|fourth|fifth|sixth|seventh|1st|2nd|3rd|4th|5th|6th|7th)\s+"
    r"(?P<words>(?:[a-z-]+\s+){0,3}?)(?P<kind>webinar|workshop|session|event|one)\b"
)

# "the second workshop and the furniture webinar": the writer tells the two kinds apart.
_WEBINAR = guarded(r"\bwebinars?\b")


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


def _counted_candidates(
    events: Sequence[EventInfo], kind: str, n: int, now: datetime, loose: bool = False
) -> set[str]:
    """Sessions "the second workshop" may mean: the second of that kind, or (for "the third
    one", "the first webinar") the session numbered so when it is of that kind. loose: the
    writer calls no session a webinar, so "workshop" may be their word for every session, and
    the session numbered so, still to come, is a reading too."""
    numbered = [e for e in _numbered(events, n, now)
                if kind != "workshop" or e.format == kind or (loose and e.starts > now)]
    candidates = {e.id for e in numbered}
    if kind in ("webinar", "workshop"):
        candidates |= {e.id for e in _nth(events, kind, n, now)}
    return candidates


def _ordinal_candidates(
    events: Sequence[EventInfo], kind: str, n: int, now: datetime
) -> set[str]:
    """Sessions an ordinal may mean.

    "webinar 3" / "session 3" / "the third one" is the session the announcement numbers 3
    (members read the numbered timetable). When the kind named disagrees with that session's
    format ("webinar 3" when number 3 is a workshop, "workshop 2" when number 2 is a webinar)
    the writer may mean the n-th of that kind instead: both are candidates, and the desk asks
    unless something else narrows them.
    """
    if not any(e.number for e in events):
        # Without the timetable's numbers, the n-th session and the n-th of a kind are two
        # readings.
        return _counted_candidates(events, kind, n, now)
    numbered = _numbered(events, n, now)
    candidates = {e.id for e in numbered}
    if kind in ("webinar", "workshop") and (
        not numbered or any(e.format != kind for e in numbered)
    ):
        candidates |= {e.id for e in _nth(events, kind, n, now)}
    return candidates


def _nth_of_topic(
    events: Sequence[EventInfo], topic: frozenset[str], kind: str, n: int, now: datetime
) -> set[str]:
    """"The second evidence session": the n-th of the sessions a topic names, counted within
    each year's series (of the kind too when one is named). None when there are not n."""
    kind = kind if kind in ("webinar", "workshop") else ""
    return {e.id for e in _nth([e for e in events if e.id in topic], kind, n, now)}


def _series_before(
    text: str, start: int, topic: Callable[[str], frozenset[str]]
) -> frozenset[str]:
    """"I can't do the evidence workshop in May but would love a place on the second one": a
    bare "one" stands for the series named before it in the sentence, when that topic has
    several sessions to count (one session's topic gives "one" nothing to count)."""
    sentence_start = max(text.rfind(c, 0, start) for c in ".?!\n") + 1
    named = topic(text[sentence_start:start])
    return named if len(named) > 1 else frozenset()


def ordinal_mentions(
    text: str, events: Sequence[EventInfo], now: datetime, mentions: list[Mention],
    spans: list[tuple[int, int]], topic: Callable[[str], frozenset[str]] = lambda _: frozenset(),
) -> None:
    """Sessions by number: "webinars 2 and 5", "the second workshop", "webinar three".

    topic reads which sessions a few words name by keyword: "the second evidence session"
    counts the evidence sessions, not the timetable."""
    for found in _ORDINAL_LIST.finditer(text):
        spans.append(found.span())
        if is_past_reference(text, found.start()):
            continue
        if found.group("list"):
            numbers = [int(n) for n in re.findall(r"[1-7]", found.group("list"))]
        else:
            numbers = list(range(int(found.group("first")), int(found.group("last")) + 1))
        for n in numbers:
            if found.group("first") and any(e.number for e in events):
                # A run is read off the numbered timetable: "webinars 1-3" takes in the
                # workshop numbered 3 between them, whatever the kind word says.
                candidates = {e.id for e in _numbered(events, n, now)}
            else:
                candidates = _ordinal_candidates(events, found.group("kind"), n, now)
            if candidates:
                label = f'ordinal "{found.group("kind")} {n}"'
                mentions.append(Mention(frozenset(candidates), label, start=found.start()))
    for pattern in (_ORDINAL_BEFORE, _ORDINAL_AFTER):
        for found in pattern.finditer(text):
            if any(s <= found.start() < e for s, e in spans):
                continue
            spans.append(found.span())
            n = NUMBER_WORDS.get(found.group("n")) or int(found.group("n"))
            kind = found.group("kind")
            named = topic(found.group("words")) if pattern is _ORDINAL_BEFORE else frozenset()
            if not named and kind == "one":
                named = _series_before(text, found.start(), topic)
            if named:
                # Too few sessions of that topic leave no candidate: the desk asks.
                candidates = _nth_of_topic(events, named, kind, n, now)
            elif pattern is _ORDINAL_BEFORE:
                loose = kind == "workshop" and not _WEBINAR.search(text)
                candidates = _counted_candidates(events, kind, n, now, loose)
            else:
                candidates = _ordinal_candidates(events, kind, n, now)
            if candidates and not is_past_reference(text, found.start()):
                mentions.append(
                    Mention(
                        frozenset(candidates), f'ordinal "{found.group(0)}"', start=found.start()
                    )
                )


# "webinar 4, the textiles one", "session 2 (construction)": a number and a name side by side.
_NUMBER_THEN_NAME = guarded(
    # ("workshop 6 please - the evidence skills one in may": a courtesy between.)
    r"\b(?:webinar|workshop|session)\s*(?:no\.?\s*|number\s+|#\s*)?[1-7]\b"
    r"(?:\s+(?:please|pls|thanks))?"
    # ("webinar 3 on food": the topic joined by a preposition names it as much as a dash does.)
    r"(?:\s*(?:,|-|–|\(|:)|\s+(?:on|about|re|covering|(?:for|in) the)\b)\s*"
    r"(?P<name>[^.?!;)\n]{3,40})"
)

# A cell of a pasted row whose session is a number and a name: "...,4 - food", "| 5: textiles"
# (not a list's own numbering at the start of a line: "1 - food webinar").
_ROW_NUMBER_NAME = guarded(
    r"(?:,|\t|\|)[ \t]*(?P<n>[1-7])[ \t]*(?:-|–|:)[ \t]*(?P<name>[a-z][^,|\t\n]{2,40}?)[ \t]*$",
    re.MULTILINE,
)

# "workshop 2 - i mean the second evidence workshop": the name corrects the number.
_RESTATED = re.compile(r"\s*(?:i mean|sorry|i\.?e\.?|that is|or rather|actually)\b")
_RESTATED_ANYWHERE = re.compile(r"\b(?:i mean|sorry|i\.e\.|that is|or rather|actually)\b")


# What parts one session's words from another's: "webinar 2 and the food one" names two.
_JOINS = re.compile(r"\b(?:and|or|plus|also|then|as well as|instead of|not|rather than)\b|[,;&+]")


def _numbered_among_names(
    text: str, named: Callable[[str], frozenset[str]], events: Sequence[EventInfo]
) -> str:
    """"Could you book me onto webinar 3 on food procurement?", "the food webinar 3": a
    number of the timetable and the words beside it in its sentence (up to a word that joins
    another session) naming a session the number does not. A correction ("workshop 2 - I mean
    the October one") says which."""
    for found in _ORDINAL_AFTER.finditer(text):
        if is_past_reference(text, found.start()):
            continue
        n = NUMBER_WORDS.get(found.group("n")) or int(found.group("n"))
        numbered = frozenset(e.id for e in events if e.number == n)
        begin = max(text.rfind(c, 0, found.start()) for c in ".?!\n") + 1
        ends = [i for i in (text.find(c, found.end()) for c in ".?!\n") if i >= 0]
        after = text[found.end():min(ends, default=len(text))]
        if _RESTATED_ANYWHERE.search(after):
            continue
        before = _JOINS.split(text[begin:found.start()])[-1]
        beside = f"{before} {_JOINS.split(after)[0]}"
        by_name = named(beside)
        if numbered and by_name and not numbered & by_name:
            return (f'gives a session by number and by a name that disagree ("{found.group(0)}" '
                    f'beside "{beside.strip()[:60]}")')
    return ""


def number_and_name_disagree(
    text: str, named: Callable[[str], frozenset[str]], events: Sequence[EventInfo] = ()
) -> str:
    """A session given by number and by name where the two name different sessions: which
    is meant is the member's to say. The reason, or "".

    Where the timetable numbers its sessions, the number is the announcement's: "Webinar 3
    (Food)" when the food webinar is number 4 disagrees, even though food is the third
    webinar counted."""
    if any(e.number for e in events):
        why = _numbered_among_names(text, named, events)
        if why:
            return why
    for found in _ROW_NUMBER_NAME.finditer(text):
        # "Sunil Mehta,sunil.mehta@...,5 - Food" where webinar 5 is textiles.
        numbered = frozenset(e.id for e in events if e.number == int(found.group("n")))
        by_name = named(found.group("name"))
        if numbered and by_name and not numbered & by_name:
            return (f'gives a session by number and by a name that disagree '
                    f'("{found.group(0).strip(" ,")}")')
    for found in _NUMBER_THEN_NAME.finditer(text):
        by_number = named(text[found.start():found.start("name")])
        by_name = named(found.group("name"))
        n = int(re.findall(r"[1-7]", text[found.start():found.start("name")])[0])
        numbered = frozenset(e.id for e in events if e.number == n)
        if numbered and not _RESTATED.match(found.group("name")):
            by_number = numbered
        if by_number and by_name and not by_number & by_name:
            return f'gives a session by number and by a name that disagree ("{found.group(0)}")'
    return ""
