"""Calendar responses (RFC 5546 iTIP over RFC 6047 iMIP): a text/calendar part -> a plain value."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from icalendar import Calendar

# Methods that answer an organizer; REQUEST/PUBLISH/CANCEL parts are invitations (a member
# forwarding our invite, say), not answers, and are left to the text of the mail.
RESPONSE_METHODS = frozenset({"REPLY", "COUNTER", "REFRESH"})
_MAX_CALENDAR = 200_000  # characters of one calendar part read
_LINE = re.compile(r"^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$")
_PARAM = re.compile(r';([A-Za-z0-9-]+)=("[^"]*"|[^;:]*)')


@dataclass(frozen=True)
class Attendance:
    """One ATTENDEE line of a response: who, and what they answered."""

    email: str  # lower-cased, without "mailto:"
    partstat: str  # ACCEPTED | DECLINED | TENTATIVE | DELEGATED | NEEDS-ACTION | ...
    name: str = ""
    comment: str = ""  # Google puts the member's note in X-RESPONSE-COMMENT


@dataclass(frozen=True)
class CalendarResponse:
    """What a calendar client said about one of our invitations."""

    method: str  # REPLY | COUNTER | REFRESH
    uid: str
    sequence: int | None = None
    recurrence_id: str = ""
    attendees: tuple[Attendance, ...] = ()
    comment: str = ""
    organizer: str = ""
    proposed_start: str = ""  # DTSTART of a COUNTER, as written
    problem: str = ""  # why the calendar could not be read in full

    def attendance(self, email: str) -> Attendance | None:
        wanted = email.strip().lower()
        return next((a for a in self.attendees if a.email == wanted), None)

    def note(self, email: str) -> str:
        """The member's own words: COMMENT, else the comment on their ATTENDEE line."""
        if self.comment:
            return self.comment
        found = self.attendance(email)
        return found.comment if found else ""

    def summary(self) -> str:
        """What was found, for the coordinator."""
        who = ", ".join(f"{a.email} {a.partstat}" for a in self.attendees) or "no attendee"
        seq = "" if self.sequence is None else f", SEQUENCE {self.sequence}"
        rid = f", RECURRENCE-ID {self.recurrence_id}" if self.recurrence_id else ""
        said = f', comment "{self.comment[:200]}"' if self.comment else ""
        return f"calendar {self.method} for UID {self.uid or '(none)'}{seq}{rid}: {who}{said}"


def _address(value: object) -> str:
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().strip("<>").lower()


def _text(value: object) -> str:
    if isinstance(value, list):
        return " ".join(_text(v) for v in value).strip()
    return re.sub(r"\s+", " ", str(value or "")).strip()


def _listed(value: object) -> list[object]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _raw(value: object) -> str:
    to_ical = getattr(value, "to_ical", None)
    if to_ical is None:
        return _text(value)
    data = to_ical()
    return data.decode("utf-8", "replace") if isinstance(data, bytes) else str(data)


def _sequence(value: object) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def _from_icalendar(text: str, method_param: str) -> CalendarResponse | None:
    cal = Calendar.from_ical(text)
    method = (_text(cal.get("METHOD")) or method_param).upper()
    events = cal.walk("VEVENT")
    if method not in RESPONSE_METHODS or not events:
        return None
    event = events[0]
    attendees = tuple(
        Attendance(email=_address(a), partstat=_text(getattr(a, "params", {}).get(
                       "PARTSTAT", "NEEDS-ACTION")).upper(),
                   name=_text(getattr(a, "params", {}).get("CN", "")),
                   comment=_text(getattr(a, "params", {}).get("X-RESPONSE-COMMENT", "")))
        for a in _listed(event.get("ATTENDEE")))
    return CalendarResponse(
        method=method, uid=_text(event.get("UID")), sequence=_sequence(event.get("SEQUENCE")),
        recurrence_id=_raw(event.get("RECURRENCE-ID")) if event.get("RECURRENCE-ID") else "",
        attendees=attendees, comment=_text(event.get("COMMENT")),
        organizer=_address(event.get("ORGANIZER")),
        proposed_start=_raw(event.get("DTSTART")) if method == "COUNTER" and
        event.get("DTSTART") else "")


def _from_lines(text: str, method_param: str) -> CalendarResponse | None:
    """A forgiving reading for calendars icalendar refuses (odd time zones, stray lines)."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    method, uid, comment, organizer, rid, start = method_param, "", "", "", "", ""
    sequence: int | None = None
    attendees: list[Attendance] = []
    in_event = False
    for line in unfolded.splitlines():
        found = _LINE.match(line.strip())
        if not found:
            continue
        name, params_text, value = found.group(1).upper(), found.group(2), found.group(3)
        params = {k.upper(): v.strip('"') for k, v in _PARAM.findall(params_text)}
        if name == "METHOD" and not in_event:
            method = value.strip().upper()
        elif name == "BEGIN" and value.strip().upper() == "VEVENT":
            in_event = True
        elif name == "END" and value.strip().upper() == "VEVENT":
            break
        elif in_event and name == "UID":
            uid = value.strip()
        elif in_event and name == "SEQUENCE":
            sequence = _sequence(value)
        elif in_event and name == "COMMENT":
            comment = value.replace("\\n", " ").replace("\\,", ",").strip()
        elif in_event and name == "ORGANIZER":
            organizer = _address(value)
        elif in_event and name == "RECURRENCE-ID":
            rid = value.strip()
        elif in_event and name == "DTSTART":
            start = value.strip()
        elif in_event and name == "ATTENDEE":
            attendees.append(Attendance(_address(value),
                                        params.get("PARTSTAT", "NEEDS-ACTION").upper(),
                                        params.get("CN", ""),
                                        params.get("X-RESPONSE-COMMENT", "")))
    if method not in RESPONSE_METHODS or not uid:
        return None
    return CalendarResponse(method=method, uid=uid, sequence=sequence, recurrence_id=rid,
                            attendees=tuple(attendees), comment=comment, organizer=organizer,
                            proposed_start=start if method == "COUNTER" else "",
                            problem="read line by line: the calendar library refused it")


def read_response(parts: Sequence[tuple[str, str]]) -> CalendarResponse | None:
    """The first calendar part that answers an invitation, or None when there is none.

    `parts` are (method parameter, text) as parse.calendar_parts finds them; an attached
    invite.ics usually repeats the inline part, so the first that reads wins.
    """
    unreadable = ""
    for method_param, text in parts:
        text = text[:_MAX_CALENDAR]
        try:
            found = _from_icalendar(text, method_param)
        except Exception:  # noqa: BLE001 - a broken calendar is input, not a bug
            found = None
            try:
                found = _from_lines(text, method_param)
            except Exception:  # noqa: BLE001 - nothing more to try
                found = None
        if found is not None:
            return found
        if method_param in RESPONSE_METHODS:
            unreadable = method_param
    if unreadable:
        return CalendarResponse(method=unreadable, uid="",
                                problem="a calendar response whose calendar could not be read")
    return None
