"""What a message is and which sessions it can touch, told before any lock is taken."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mailflow.hygiene import automated_reason, is_bounce, is_complaint
from mailflow.itip import CalendarResponse, read_response
from mailflow.model import SEAT_CHANGING, EventInfo, InboundMail, Intent, Person, Request
from mailflow.seats import Roster
from mailflow.store import UnitOfWork

# Hygiene verdicts that stop even a calendar answer; the rest (Auto-Submitted, no-reply
# senders, list headers) some calendar systems set on a member's own Accept or Decline.
NOT_A_MEMBER = ("own address", "loop", "bounce")


@dataclass(frozen=True)
class Kind:
    """What a message is, told from the message alone (before any lock is taken)."""

    complaint: bool = False
    bounce: bool = False
    response: CalendarResponse | None = None  # a calendar client's answer
    ignored: str | None = None  # why it is automated mail nobody answers
    request: bool = False  # a member's own words, to understand

    @staticmethod
    def of(mail: InboundMail, truncated_size: int | None, own_address: str) -> Kind:
        if truncated_size is not None:
            return Kind()
        if is_complaint(mail):
            return Kind(complaint=True)
        if is_bounce(mail):
            return Kind(bounce=True)
        response = read_response(mail.calendar_parts)
        reason = automated_reason(mail, own_address)
        if reason is not None and (response is None or reason.startswith(NOT_A_MEMBER)):
            return Kind(ignored=reason)
        return Kind(response=response,
                     request=response is None and bool(mail.sender))


def touched_rosters(uow: UnitOfWork, events: Sequence[EventInfo], request: Request,
                    sender: Person) -> dict[str, Roster]:
    """Lock (unless held already) and load only the sessions a request can touch, and only
    its people's places in them (with the waiting lists' heads): the sessions it names or,
    for a change to the sender's own places that names none, the sessions where the sender
    has a place (read here, under the sender's lock)."""
    if request.intent not in SEAT_CHANGING:
        return {}
    # (A move's places given up are touched too: released in the same decision.)
    touched = {*request.event_ids, *request.releases}
    if not request.event_ids and request.intent is not Intent.REGISTER:
        touched |= uow.sessions_held(sender.email)
    # In the configuration's order, as the whole book was: decisions list sessions so.
    return uow.load_rosters([e for e in events if e.id in touched], _people(request, sender))


def named_book(events: Sequence[EventInfo], request: Request,
               sender: Person) -> tuple[list[EventInfo], set[str]] | None:
    """What touched_rosters will load, when the request alone tells it (it names the
    sessions it changes): to read with the message's first read, under the same locks."""
    if request.intent not in SEAT_CHANGING or not request.event_ids:
        return None
    named = {*request.event_ids, *request.releases}
    return [e for e in events if e.id in named], _people(request, sender)


def _people(request: Request, sender: Person) -> set[str]:
    people = {sender.email, *(p.email.lower() for p in request.people)}
    if request.substitute is not None and request.substitute.email:
        people.add(request.substitute.email.lower())
    return people
