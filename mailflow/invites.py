"""Calendar invites: an iMIP REQUEST for a confirmed place (or its update), CANCEL when it goes."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vCalAddress, vText

from mailflow.model import EventInfo
from mailflow.reply import Attachment
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


def snapshot(event: EventInfo) -> str:
    """What an entry says about a session, stored with it so a config change can be seen."""
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
        name = "invite.ics" if method == "REQUEST" else "cancel.ics"
        return Attachment(filename=name,
                          content_type=f"text/calendar; method={method}; charset=UTF-8",
                          data=data)

    def calendar(self, event: EventInfo, email: str, name: str, method: str,
                 now: datetime, sequence: int = 0, status: str | None = None) -> bytes:
        cal = Calendar()
        cal.add("prodid", prodid(self.series_name))
        cal.add("version", "2.0")
        cal.add("calscale", "GREGORIAN")
        cal.add("method", method)
        # RFC 5545 allows any order, but Outlook resolves TZID only from zones it has read.
        cal.add_component(_vtimezone(self.timezone.key,
                                     event.starts.astimezone(self.timezone).year))
        vevent = Event()
        vevent.add("uid", invite_uid(event.id, email, self.from_address))
        vevent.add("sequence", sequence)
        vevent.add("dtstamp", now.astimezone(UTC))
        vevent.add("dtstart", event.starts.astimezone(self.timezone))
        vevent.add("dtend", event.ends.astimezone(self.timezone))
        vevent.add("summary", event.title)
        vevent.add("status", status or ("CONFIRMED" if method == "REQUEST" else "CANCELLED"))
        vevent.add("transp", "OPAQUE")
        if event.join_url:
            vevent.add("location", event.join_url)
            vevent.add("url", event.join_url)
        description = "\n\n".join(p for p in (event.joining_instructions, event.join_url) if p)
        if description:
            vevent.add("description", description)
        organiser = vCalAddress(f"mailto:{self.from_address}")
        organiser.params["cn"] = vText(self.organiser_name)
        vevent.add("organizer", organiser)
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
        vevent.add("attendee", attendee)
        cal.add_component(vevent)
        return bytes(cal.to_ical())


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
