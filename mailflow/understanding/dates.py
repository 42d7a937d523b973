"""Sessions named by a date, a day, or a week or month relative to today."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from mailflow.understanding import languages
from mailflow.understanding.index import EventIndex, EventInfo, Mention
from mailflow.understanding.literals import guarded
from mailflow.understanding.text import WHEN_IT_IS, is_past_reference, masked

MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
MONTH = (
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_WEEKDAY = (
    r"(?:(?P<weekday>mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)"
    r"(?:day|nesday|sday|rsday|urday)?,?\s+(?:the\s+)?)"
)
WEEKDAYS = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "weds": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_DATE_DAY_MONTH = guarded(
    rf"\b{_WEEKDAY}?(?P<day>\d{{1,2}})(?:st|nd|rd"
    rf"|th)?(?:\s+of)?[\s-]+{MONTH}(?:,?\s+(?P<year>20\d\d))?\b"
)
_DATE_MONTH_DAY = guarded(
    rf"\b{_WEEKDAY}?{MONTH}\s+(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd"
    rf"|th)?\b(?:,?\s+(?P<year>20\d\d))?(?!:)"
)
# Other languages' day-first dates: "du 25 juin", "del 28 de mayo", "am 29. Oktober".
_FOREIGN_MONTH = "|".join(sorted(languages.MONTHS, key=len, reverse=True))
_DATE_DAY_FOREIGN_MONTH = guarded(
    rf"\b(?P<day>\d{{1,2}})(?:er|\.)?(?:\s+(?:de|di))?\s+(?P<month>{_FOREIGN_MONTH})\b"
    rf"(?:\s+(?:de\s+)?(?P<year>20\d\d))?\b"
)
_DATE_ISO = guarded(r"\b(?P<year>20\d\d)-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_DATE_NUMERIC = guarded(
    r"(?<![\d/.:£$-])(?P<day>\d{1,2})(?P<sep>[/.])(?P<month>\d{1,2})(?:(?P=sep)(?P<year>\d{4}"
    r"|\d{2}))?"
    r"(?![\d/:]|\.\d|\s*(?:am|pm|hrs?|h\b))"
)
_DATE_DAY_ONLY = guarded(
    rf"\b{_WEEKDAY}?(?:the\s+)?(?P<day>\d{{1,2}})(?P<suffix>st|nd|rd|th)\b"
    rf"|\b(?P<weekday2>mon|tue|tues|wed|weds|thu|thur|thurs|fri)(?:day|nesday|sday"
    rf"|rsday)?\s+(?P<day2>\d{{1,2}})\b(?!:)"
)
_RELATIVE = guarded(
    r"\b(?:one|session|webinar|workshop|event|training)\s+(?:on\s+|in\s+)?(?:the\s+)?"
    # "the workshop later this month", "the session at the end of next week"
    r"(?:(?:later|earlier|early|late)\s+(?:on\s+)?(?:in\s+)?|(?:at\s+|towards\s+)?the\s+"
    r"(?P<part>end|start|beginning)\s+of\s+)?"
    r"(?P<which>this|next|coming)\s+(?P<unit>week|month)\b"
    # "the one at the end of the month": this month's.
    r"|\b(?:one|session|webinar|workshop|event|training)\s+(?:at|towards)\s+the\s+"
    r"(?P<part4>end|start|beginning)\s+of\s+the\s+(?P<unit4>month)\b"
    r"|\b(?P<which2>this|next)\s+(?P<unit2>week|month)'s\b"
    # "next months webinar", "this weeks session": the same, its apostrophe left out.
    r"|\b(?P<which3>this|next)\s+(?P<unit3>week|month)s'?(?=\s+(?:[a-z]+\s+)?(?:one|session"
    r"|webinar|workshop|event|training)s?\b)"
)

# "w/c 23rd June", "the week commencing 23 June", "the week of 23 June": a week named by its
# first day.
_WEEK_OF = guarded(
    r"\b(?:w/c|w/b|wc|w\.c\.|week\s+(?:commencing|beginning|starting|of)(?:\s+on)?)\s*"
    r"(?:the\s+)?$"
)

# "I start maternity leave on 1 August", "I'm away until 3 March": a date of the member's own
# time, no session's; one naming no session is then no contradiction either.
# ("called up for jury service from 26 May", "signed off until 3 June": an absence, too.)
_OWN_TIME = guarded(
    r"(?:\b(?:leave|holiday|holidays|away|absent|back|return(?:s|ing)?|start(?:s|ing)?"
    r"|retir(?:e|es|ing)|leaving|finish(?:es|ing)?|(?:jury )?service|jury duty|secondment"
    r"|signed off|off sick|sick leave)\s+(?:work\s+)?(?:on|from|until|till)?"
    # "I'm leaving Camden on 28 February", "joining the NHS trust from 3 March": a move of job,
    # its employer between (not a session or a place: "leave my place on 28 May").
    r"|\b(?:leav(?:e|es|ing)|join(?:s|ing)?|mov(?:e|es|ing) to|start(?:s|ing)? at|retir(?:e|es|ing)"
    r" from)\s+(?!(?:[a-z&'-]+\s+){0,3}?(?:place|places|booking|seat|session|webinar|workshop"
    r"|event|one|it|that|this)\b)(?:[a-z&'-]+\s+){1,3}?(?:on|from)"
    # "my last day is 28 February", "my last day here will be the 28th"
    r"|\bmy\s+last\s+day(?:\s+(?:here|at\s+[a-z&'-]+|in\s+(?:the\s+)?[a-z&'-]+))?\s+"
    r"(?:is|will be|'s)(?:\s+on)?)"
    r"\s*(?:the\s+)?$"
)


_CONDITION_REACH = 40  # characters before a day or month read for "if it's", "as long as it's"


def named_as_condition(text: str, at: int) -> bool:
    """The day or month at `at` is a condition on when the session is ("If it's a Thursday
    then yes", "as long as it's in April": text.WHEN_IT_IS right before it)."""
    return bool(WHEN_IT_IS.search(text[max(0, at - _CONDITION_REACH) : at]))


@dataclass
class _DateReader:
    """One text's date mentions as they are read pass by pass; each pass blanks its dates."""

    text: str
    index: EventIndex
    mentions: list[Mention]
    unmatched: list[tuple[str, date | None]]
    spans: list[tuple[int, int]] = field(default_factory=list)
    now: datetime | None = None

    def add(self, found: re.Match[str], day: int, month: int, year: int | None,
            weekday: str | None, certain: bool) -> None:
        """A full date: the sessions on it, or (when surely a date) a date naming none."""
        self.spans.append(found.span())
        phrase = found.group(0).strip()
        if is_past_reference(self.text, found.start()):
            return
        if _WEEK_OF.search(self.text, max(0, found.start() - 24), found.start()):
            self._week_from(found, day, month, year)
            return
        matches = [
            e
            for e in self.index.by_month_day.get((month, day), ())
            if year is None or e.starts.year == year
        ]
        if weekday:
            wanted = WEEKDAYS[weekday]
            if matches and all(e.starts.weekday() != wanted for e in matches):
                if not self._weekday_slip(matches, wanted):
                    self.unmatched.append((phrase, None))
                    return
                # "Weds 28th March" for the Friday 28 March session: the weekday is a slip
                # when no session falls on it that week. The date names the session, and is
                # still no session's date if the rest names another (resolve_events checks).
                self.unmatched.append((phrase, matches[0].starts.date()))
        if matches:
            self.mentions.append(
                Mention(frozenset(e.id for e in matches), f'date "{phrase}"', start=found.start())
            )
        elif certain and not _OWN_TIME.search(self.text, max(0, found.start() - 40), found.start()):
            try:
                self.unmatched.append((phrase, date(year or 2000, month, day)))
            except ValueError:
                self.unmatched.append((phrase, None))

    def _week_from(self, found: re.Match[str], day: int, month: int, year: int | None) -> None:
        """"w/c 23rd June": the sessions in the seven days from that date."""
        phrase = self.text[found.start() : found.end()].strip()
        ids = set()
        for e in self.index.events:
            try:
                first = date(year or e.starts.year, month, day)
            except ValueError:
                return
            if 0 <= (e.starts.date() - first).days <= 6:
                ids.add(e.id)
        if ids:
            label = f'week "{phrase}"'
            self.mentions.append(Mention(frozenset(ids), label, start=found.start()))
        else:
            self.unmatched.append((f"the week of {phrase}", None))

    def _weekday_slip(self, matches: list[EventInfo], wanted: int) -> bool:
        """Whether a weekday that is not the date's points at no other session: none falls
        on it within a week of the date, and all the date's sessions are on one day."""
        when = matches[0].starts.date()
        if any(e.starts.date() != when for e in matches):
            return False
        return not any(
            e.starts.weekday() == wanted and abs((e.starts.date() - when).days) <= 7
            for e in self.index.events
        )

    def blank(self) -> None:
        self.text = masked(self.text, self.spans)
        self.spans = []


def date_mentions(
    text: str,
    index: EventIndex,
    mentions: list[Mention],
    unmatched: list[tuple[str, date | None]],
    now: datetime | None = None,
) -> str:
    """Add mentions for dates; return the text with dates blanked out for later patterns."""
    reader = _DateReader(text, index, mentions, unmatched, now=now)
    _written_dates(reader)
    reader.blank()
    _numeric_dates(reader)
    reader.blank()
    _days_of_month(reader)
    reader.blank()
    return reader.text


def _written_dates(reader: _DateReader) -> None:
    """Dates written out: "28 May", "May 28th", "Wednesday 24 September 2025", ISO."""
    text = reader.text
    for pattern in (_DATE_DAY_MONTH, _DATE_MONTH_DAY, _DATE_DAY_FOREIGN_MONTH):
        for found in pattern.finditer(text):
            if any(s <= found.start() < e for s, e in reader.spans):
                continue
            name = found.group("month")
            month = MONTHS.get(name) or languages.MONTHS[name]
            year = int(found.group("year")) if found.group("year") else None
            # "may 28" is a date; "may i" is not, and neither is "may 2 people".
            if (
                name == "may"
                and pattern is _DATE_MONTH_DAY
                and not found.group("weekday")
            ):
                before = text[max(0, found.start() - 12) : found.start()]
                if not re.search(r"(?:on|of|the|for|from|\d)\s*$", before):
                    continue
            weekday = found.groupdict().get("weekday")
            reader.add(found, int(found.group("day")), month, year, weekday, True)
    for found in _DATE_ISO.finditer(text):
        reader.add(found, int(found.group("day")), int(found.group("month")),
                   int(found.group("year")), None, True)


def _numeric_dates(reader: _DateReader) -> None:
    """Numeric dates ("25/06", "24.9."): day first unless only the US order can be meant."""
    for found in _DATE_NUMERIC.finditer(reader.text):
        day, month = int(found.group("day")), int(found.group("month"))
        slash = found.group("sep") == "/"
        if slash and month > 12 and day <= 12:
            day, month = month, day  # US order: only possible reading
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        raw_year = found.group("year")
        if slash and not raw_year and _only_us_order_is_ahead(reader, day, month):
            day, month = month, day
        year = None if not raw_year else int(raw_year) + (2000 if len(raw_year) == 2 else 0)
        if not slash and not raw_year and (month, day) not in reader.index.by_month_day:
            continue  # "10.30" is a time, not 10 March
        reader.add(found, day, month, year, None, slash)


def _only_us_order_is_ahead(reader: _DateReader, day: int, month: int) -> bool:
    """"Can I get on the 12/10 session too?" in November: 12 October is past and no session's
    date, 10 December a session still to come. Only the US order names a session meant."""
    now, by_day = reader.now, reader.index.by_month_day
    if now is None or day > 12 or day == month or (month, day) in by_day:
        return False
    try:
        past = date(now.year, month, day) < now.date()
    except ValueError:
        return False
    return past and any(e.starts > now for e in by_day.get((day, month), ()))


# "the October evidence session (I think it's the 28th)": a day the member flags as a guess
# only narrows what the rest leaves open; it contradicts nothing.
_GUESS = guarded(
    r"\b(?:i think|i believe|i guess|i'm guessing|if i remember(?: rightly)?|iirc)\s+"
    r"(?:it's|it is|that's|that is|it was)\s+(?:on\s+)?$"
)


# "the 10th next month", "the 3rd of this month": the month given relative to today.
_MONTH_AFTER = re.compile(r"\s+(?:of\s+)?(next|this)\s+month\b(?!'s)")


def _days_of_month(reader: _DateReader) -> None:
    """A day of the month alone: "the 29th", "Wednesday the 24th"."""
    text = reader.text
    for found in _DATE_DAY_ONLY.finditer(text):
        day = int(found.group("day") or found.group("day2"))
        weekday = found.group("weekday") or found.group("weekday2")
        if not 1 <= day <= 31:
            continue
        after = text[found.end() : found.end() + 40]
        ordinal_like = day <= 7 and not weekday
        if ordinal_like and re.match(
            r"\s+(?:[a-z-]+\s+){0,3}?(?:webinar|workshop|session|event|one|time|person|people)\b",
            after,
        ):
            continue  # "the 2nd workshop" is an ordinal, handled elsewhere
        reader.spans.append(found.span())
        if is_past_reference(text, found.start()):
            continue
        matches = [e for e in reader.index.events if e.starts.day == day]
        month = _MONTH_AFTER.match(text, found.end())
        if month is not None and reader.now is not None:
            # "the one on the 10th next month", read in November: 10 December, a whole date.
            ahead_by = 1 if month.group(1) == "next" else 0
            year, wanted = divmod(reader.now.month - 1 + ahead_by, 12)
            on = [e for e in matches if (e.starts.year, e.starts.month) ==
                  (reader.now.year + year, wanted + 1)]
            phrase = text[found.start() : month.end()].strip()
            if on:
                reader.mentions.append(Mention(frozenset(e.id for e in on), f'date "{phrase}"',
                                               start=found.start()))
            else:
                reader.unmatched.append((phrase, None))
            continue
        ahead = sorted((e for e in matches if reader.now is None or e.starts > reader.now),
                       key=lambda e: e.starts)
        if weekday:
            matches = [e for e in matches if e.starts.weekday() == WEEKDAYS[weekday]]
        # "Wednesday the 28th" in March, with 28 March a Friday and 28 May a Wednesday: the
        # weekday passes over the nearer 28th, and a weekday is easily got wrong ("Friday
        # 28th" is this month's, and says so twice).
        by_weekday = bool(ahead) and ahead[0] not in matches and any(e in matches for e in ahead)
        if weekday and not by_weekday and reader.now is not None:
            matches = _coming_weekday_day(matches, ahead, reader.now)
        phrase = found.group(0).strip()
        guess = bool(_GUESS.search(text, max(0, found.start() - 30), found.start()))
        if matches:
            reader.mentions.append(
                Mention(frozenset(e.id for e in matches), f'day "{phrase}"', weak=guess,
                        start=found.start(), by_weekday=by_weekday)
            )
        elif not guess and not _OWN_TIME.search(text, max(0, found.start() - 40), found.start()):
            # ("on leave until the 15th": a day of the member's own time, no session's.)
            reader.unmatched.append((phrase, None))


_NEAR_DAYS = 62  # a day of the month with no month is this month's or next month's


def _coming_weekday_day(
    matches: list[EventInfo], ahead: list[EventInfo], now: datetime
) -> list[EventInfo]:
    """"Wednesday 29th" on 13 January, with sessions on Wednesday 29 January and Wednesday 29
    October: the weekday and the day together name the coming such date, and the nearer
    session, on it, is the one meant. Only when it is the nearest session on that day of the
    month and falls within the next two months; else both stay candidates and the desk asks."""
    upcoming = [e for e in ahead if e in matches]
    if len(upcoming) < 2 or ahead[0] is not upcoming[0]:
        return matches
    first = upcoming[0].starts
    if (first.date() - now.date()).days > _NEAR_DAYS or upcoming[1].starts.date() == first.date():
        return matches
    return [e for e in matches if e.starts.date() == first.date()]


def relative_mentions(
    text: str,
    index: EventIndex,
    now: datetime,
    mentions: list[Mention],
    unmatched: list[tuple[str, date | None]],
) -> None:
    if not index.events:
        return
    today = now.astimezone(index.events[0].starts.tzinfo).date()
    for found in _RELATIVE.finditer(text):
        which = found.group("which") or found.group("which2") or found.group("which3") or "this"
        unit = (found.group("unit") or found.group("unit2") or found.group("unit3")
                or found.group("unit4"))
        part = found.group("part") or found.group("part4")
        ahead = 0 if which == "this" else 1
        if unit == "week":
            first = today - timedelta(days=today.weekday()) + timedelta(weeks=ahead)
            last = first + timedelta(days=6)
            if which == "coming":  # "the coming week": the next seven days
                first, last = today, today + timedelta(days=7)
        else:
            month = today.month - 1 + ahead
            first = date(today.year + month // 12, month % 12 + 1, 1)
            last = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(1)
            if part == "end":  # "the end of the month": its second half
                first = first.replace(day=16)
            elif part:  # "the start of next month": its first half
                last = first.replace(day=15)
        ids = frozenset(e.id for e in index.events if first <= e.starts.date() <= last)
        if ids:
            mentions.append(Mention(ids, f'relative "{found.group(0)}"', start=found.start()))
        else:
            unmatched.append((found.group(0), None))
