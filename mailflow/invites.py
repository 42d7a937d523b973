"""Calendar invites: an .ics REQUEST for a confirmed place, a CANCEL (same UID) when it goes."""

from __future__ import annotations

import functools
import hashlib
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

# SEQUENCE counts seconds from here (×2, see `sequence`): small enough for the 32-bit
# integers Outlook keeps until the 2080s, and it never goes down across restarts.
SEQUENCE_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)

InviteHook = Callable[[Notice, datetime], Attachment | None]


def invite_method(n: Notice) -> str | None:
    """REQUEST when the notice gives the person a place, CANCEL when it takes theirs away."""
    if n.outcome in ("confirmed", "reminder"):
        return "REQUEST"
    if n.outcome == "substituted":
        return "REQUEST" if n.role == "received" else "CANCEL"
    if n.outcome == "cancelled":
        return "CANCEL"
    return None


def invite_uid(event_id: str, email: str, from_address: str) -> str:
    """The same UID every time for one person and one session, so updates replace the entry."""
    digest = hashlib.sha256(f"{event_id}\n{email.strip().lower()}".encode()).hexdigest()[:32]
    return f"{digest}@{from_address.rsplit('@', 1)[-1]}"


def sequence(now: datetime, method: str) -> int:
    """A SEQUENCE that only grows: derived from the clock, not stored anywhere.

    Two per second, the CANCEL one above the REQUEST one, so a confirmation and a
    cancellation in the same second still order correctly; any later message is higher.
    """
    seconds = max(0, int((now - SEQUENCE_EPOCH).total_seconds()))
    return 2 * seconds + (1 if method == "CANCEL" else 0)


@dataclass(frozen=True)
class Invites:
    """Matches Composer.ics: Notice + now -> the .ics attachment for the notice's person."""

    events: Mapping[str, EventInfo]
    from_address: str
    organiser_name: str
    timezone: ZoneInfo
    series_name: str = ""

    def __call__(self, n: Notice, now: datetime) -> Attachment | None:
        method = invite_method(n)
        event = self.events.get(n.event_id) if n.event_id else None
        if method is None or event is None:
            return None
        data = self.calendar(event, n.email, n.name, method, now)
        name = "invite.ics" if method == "REQUEST" else "cancel.ics"
        return Attachment(filename=name,
                          content_type=f"text/calendar; method={method}; charset=UTF-8",
                          data=data)

    def calendar(self, event: EventInfo, email: str, name: str, method: str,
                 now: datetime) -> bytes:
        cal = Calendar()
        cal.add("prodid", prodid(self.series_name))
        cal.add("version", "2.0")
        cal.add("method", method)
        vevent = Event()
        vevent.add("uid", invite_uid(event.id, email, self.from_address))
        vevent.add("sequence", sequence(now, method))
        vevent.add("dtstamp", now.astimezone(UTC))
        vevent.add("dtstart", event.starts.astimezone(self.timezone))
        vevent.add("dtend", event.ends.astimezone(self.timezone))
        vevent.add("summary", event.title)
        vevent.add("status", "CONFIRMED" if method == "REQUEST" else "CANCELLED")
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
        # Outlook matches a CANCEL to the entry through the attendee as well as the UID.
        attendee = vCalAddress(f"mailto:{email}")
        if name:
            attendee.params["cn"] = vText(name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED")
        attendee.params["rsvp"] = vText("FALSE")
        vevent.add("attendee", attendee)
        cal.add_component(vevent)
        cal.add_component(_vtimezone(self.timezone.key,
                                     event.starts.astimezone(self.timezone).year))
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
