"""Calendar invites: an iMIP REQUEST for a confirmed place (or its update), CANCEL when it goes."""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vText
from icalendar.parser import Contentline, Parameters

from mailflow.mime import Attachment
from mailflow.model import EventInfo
from mailflow.seats import Notice


def prodid(series_name: str) -> str:
    """The calendar's PRODID names the series (RFC 5545: "-//owner//product//language")."""
    owner = " ".join(series_name.replace("/", " ").split()) or "mailflow"
    return f"-//{owner}//mailflow//EN"


InviteHook = Callable[[Notice, datetime], Attachment | None]
# What a calendar entry shows; a change to any of them sends an update (templates word them).
WATCHED = ("title", "starts", "ends", "join_url", "joining_instructions")


def invite_method(n: Notice) -> str | None:
    """REQUEST when the notice gives the person a place (or holds one for them, or changes
    it), CANCEL when it goes."""
    if n.outcome in ("confirmed", "reminder", "updated", "offered"):
        return "REQUEST"
    if n.outcome == "substituted":
        return "REQUEST" if n.role == "received" else "CANCEL"
    if n.outcome in ("cancelled", "session-cancelled", "offer-expired", "offer-declined"):
        return "CANCEL"
    return None


def invite_uid(event_id: str, email: str, from_address: str) -> str:
    """The same UID every time for one person and one session, so updates replace the entry."""
    digest = hashlib.sha256(f"{event_id}\n{email.strip().lower()}".encode()).hexdigest()[:32]
    return f"{digest}@{from_address.rsplit('@', 1)[-1]}"


@functools.lru_cache(maxsize=256)
def snapshot(event: EventInfo) -> str:
    """What an entry says about a session, stored with it so a config change can be seen.
    (Made once per session: every invite stamped compares or stores it.)"""
    return json.dumps({"id": event.id, "title": event.title, "format": event.format,
                       "starts": event.starts.isoformat(), "ends": event.ends.isoformat(),
                       "capacity": event.capacity,
                       "registration_closes": event.registration_closes.isoformat(),
                       "join_url": event.join_url,
                       "joining_instructions": event.joining_instructions},
                      sort_keys=True)


def from_snapshot(text: str) -> EventInfo | None:
    """The session as the entry last described it (for a CANCEL once the config dropped it)."""
    try:
        d = json.loads(text)
        return EventInfo(id=d["id"], title=d["title"], format=d["format"],
                         starts=datetime.fromisoformat(d["starts"]),
                         ends=datetime.fromisoformat(d["ends"]), capacity=int(d["capacity"]),
                         registration_closes=datetime.fromisoformat(d["registration_closes"]),
                         join_url=d.get("join_url", ""),
                         joining_instructions=d.get("joining_instructions", ""))
    except (ValueError, KeyError, TypeError):
        return None


def changes(before: EventInfo | None, after: EventInfo) -> tuple[str, ...]:
    """The names of what a calendar entry shows that differs between two versions."""
    if before is None:
        return ()
    return tuple(attr for attr in WATCHED if getattr(before, attr) != getattr(after, attr))


@dataclass(frozen=True)
class Invites:
    """Matches Composer.ics: Notice + now -> the .ics for the notice's person.

    The notice carries the entry's SEQUENCE (stamped from the store by the desk); a notice
    without one gets no calendar part, since an entry never issued cannot be withdrawn.
    """

    events: Mapping[str, EventInfo]
    from_address: str
    organiser_name: str
    timezone: ZoneInfo
    series_name: str = ""

    def __call__(self, n: Notice, now: datetime) -> Attachment | None:
        method = invite_method(n)
        event = n.session or (self.events.get(n.event_id) if n.event_id else None)
        if method is None or event is None or n.sequence is None:
            return None
        # An offer is a hold: TENTATIVE until they take it (their Accept does, Decline passes
        # it on), so their calendar shows the time without promising the place.
        status = "TENTATIVE" if n.outcome == "offered" else None
        data = self.calendar(event, n.email, n.name, method, now, n.sequence, status)
        # One file per session (invite-<id>.ics): a reply about two sessions carries two,
        # and a member saving both must not have one overwrite the other.
        safe = re.sub(r"[^A-Za-z0-9._-]+", "-", event.id).strip("-.") or "session"
        name = f"{'invite' if method == 'REQUEST' else 'cancel'}-{safe}.ics"
        return Attachment(filename=name,
                          content_type=f"text/calendar; method={method}; charset=UTF-8",
                          data=data)

    def calendar(self, event: EventInfo, email: str, name: str, method: str,
                 now: datetime, sequence: int = 0, status: str | None = None) -> bytes:
        # The calendar with its VTIMEZONE is built and serialised once per session and
        # method; only the person's own lines are made for each invite.
        lines = _skeleton(event, method, self.from_address, self.organiser_name,
                          self.timezone.key, self.series_name, status)
        own = {
            _UID_LINE: "UID:" + invite_uid(event.id, email, self.from_address),
            _SEQUENCE_LINE: f"SEQUENCE:{sequence}",
            _STAMP_LINE: "DTSTAMP:" + now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"),
            _ATTENDEE_LINE: _attendee_line(email, name, method),
        }
        return b"".join(_folded(own[line]) if isinstance(line, str) else line for line in lines)


# Stand-ins for the per-person values in the cached calendar; each sits on a line of its own.
_UID = "mailflow-skeleton-uid"
_SEQUENCE = 918273645
_STAMP = datetime(1901, 2, 3, 4, 5, 6, tzinfo=UTC)
_UID_LINE, _SEQUENCE_LINE, _STAMP_LINE = "\0uid", "\0sequence", "\0dtstamp"
_ATTENDEE_LINE = "\0attendee"


def _calendar(event: EventInfo, method: str, from_address: str, organiser_name: str,
              timezone: ZoneInfo, series_name: str, status: str | None, uid: str,
              sequence: int, stamp: datetime, attendee: vCalAddress) -> Calendar:
    cal = Calendar()
    cal.add("prodid", prodid(series_name))
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    # RFC 5545 allows any order, but Outlook resolves TZID only from zones it has read.
    cal.add_component(_vtimezone(timezone.key, event.starts.astimezone(timezone).year))
    vevent = Event()
    vevent.add("uid", uid)
    vevent.add("sequence", sequence)
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.starts.astimezone(timezone))
    vevent.add("dtend", event.ends.astimezone(timezone))
    vevent.add("summary", event.title)
    vevent.add("status", status or ("CONFIRMED" if method == "REQUEST" else "CANCELLED"))
    vevent.add("transp", "OPAQUE")
    if event.join_url:
        vevent.add("location", event.join_url)
        vevent.add("url", event.join_url)
    description = "\n\n".join(p for p in (event.joining_instructions, event.join_url) if p)
    if description:
        vevent.add("description", description)
    organiser = vCalAddress(f"mailto:{from_address}")
    organiser.params["cn"] = vText(organiser_name)
    vevent.add("organizer", organiser)
    vevent.add("attendee", attendee)
    cal.add_component(vevent)
    return cal


def _attendee(email: str, name: str, method: str) -> vCalAddress:
    # The member as an attendee asked to answer: their calendar then offers
    # Accept/Decline, and the answer (an iMIP REPLY) comes back to the desk's address.
    attendee = vCalAddress(f"mailto:{email}")
    if name:
        attendee.params["cn"] = vText(name)
    attendee.params["cutype"] = vText("INDIVIDUAL")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    if method == "REQUEST":
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        attendee.params["rsvp"] = vText("TRUE")
    return attendee


def _folded(line: str) -> bytes:
    """One content line as icalendar writes it: folded at 75 octets, CRLF-ended."""
    if not line.isascii():
        return bytes(Contentline(line).to_ical()) + b"\r\n"
    # icalendar's folding, one character at a time, for ASCII (one octet a character):
    # 74 characters a line, and an escape (\ or ^) never left at the end of one.
    pieces = []
    start = 0
    while len(line) - start > _FOLD:
        end = start + _FOLD
        if line[end - 1] in "\\^":
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return "\r\n ".join(pieces).encode("ascii") + b"\r\n"


_FOLD = 74


def _attendee_line(email: str, name: str, method: str) -> str:
    """The line Event.content_lines() gives the person's ATTENDEE property."""
    address = vCalAddress(f"mailto:{email}")  # refuses CR/LF as it always has
    return f"ATTENDEE;{_attendee_params(name, method)}:{address}"


@functools.lru_cache(maxsize=1024)
def _attendee_params(name: str, method: str) -> str:
    """The ATTENDEE parameters as icalendar writes them, sorted: CN (the one that differs
    from person to person, and sorts first) quoted on its own before the fixed rest."""
    rest = _fixed_attendee_params(method)
    if not name:
        return rest
    cn = Parameters()
    cn["cn"] = vText(name)
    return f"{str(cn.to_ical(sorted=True), 'utf-8')};{rest}"


@functools.lru_cache(maxsize=8)
def _fixed_attendee_params(method: str) -> str:
    return str(_attendee("", "", method).params.to_ical(sorted=True), "utf-8")


@functools.lru_cache(maxsize=256)
def _skeleton(event: EventInfo, method: str, from_address: str, organiser_name: str,
              timezone_key: str, series_name: str, status: str | None
              ) -> tuple[bytes | str, ...]:
    """The calendar's lines, folded and ended, with markers where the person's lines go."""
    cal = _calendar(event, method, from_address, organiser_name, ZoneInfo(timezone_key),
                    series_name, status, _UID, _SEQUENCE, _STAMP,
                    _attendee("skeleton@mailflow.invalid", "", method))
    markers = {f"UID:{_UID}": _UID_LINE, f"SEQUENCE:{_SEQUENCE}": _SEQUENCE_LINE,
               "DTSTAMP:" + _STAMP.strftime("%Y%m%dT%H%M%SZ"): _STAMP_LINE}
    out: list[bytes | str] = []
    for line in cal.content_lines():
        if not line:
            continue
        text = str(line)
        if text in markers:
            out.append(markers[text])
        elif text.startswith("ATTENDEE") and "skeleton@mailflow.invalid" in text:
            out.append(_ATTENDEE_LINE)
        elif out and isinstance(out[-1], bytes):  # fixed lines run together: fewer to join
            out[-1] += _folded(text)
        else:
            out.append(_folded(text))
    return tuple(out)


@functools.lru_cache(maxsize=32)
def _vtimezone(key: str, year: int) -> Timezone:
    """A VTIMEZONE covering only the years around the session, which keeps the file small.

    Built once per zone and year: computing the transitions is most of an invite's cost.
    """
    return Timezone.from_tzinfo(ZoneInfo(key), first_date=date(year - 1, 1, 1),
                                last_date=date(year + 2, 1, 1))


def make_invites(events: Mapping[str, EventInfo], from_address: str, organiser_name: str,
                 timezone: ZoneInfo, series_name: str = "") -> InviteHook:
    return Invites(events=dict(events), from_address=from_address,
                   organiser_name=organiser_name, timezone=timezone, series_name=series_name)
