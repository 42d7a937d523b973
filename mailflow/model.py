"""Plain values passed between pipeline steps: inbound mail, events, requests."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True)
class Bounce:
    """One failed recipient found in a delivery-status report."""

    recipient: str
    status: str = ""  # e.g. "5.1.1"
    diagnostic: str = ""
    original_message_id: str = ""  # Message-ID of our mail that bounced, when known

    @property
    def is_hard(self) -> bool:
        return self.status.startswith("5")


@dataclass(frozen=True)
class ForwardedMail:
    """A message forwarded inside another one (attached or inline)."""

    sender: str
    sender_name: str
    subject: str
    text: str
    copied: str = ""  # its Cc line, as written ("Sam Reid <sam.reid@...>")
    addressed: str = ""  # its To line, as written ("<jo.harper@...>")


@dataclass(frozen=True)
class InboundMail:
    """What the pipeline knows about one received message, after parsing.

    Every field is already decoded to str; header values carry no CR/LF.
    """

    message_id: str  # with angle brackets; synthesised from the raw bytes' hash when missing
    sender: str  # lower-cased address, "" when there is no usable From
    sender_name: str
    subject: str
    date: datetime | None  # timezone-aware UTC
    in_reply_to: str
    references: tuple[str, ...]
    text: str  # body as plain text (HTML converted), quoted history still present
    headers: tuple[tuple[str, str], ...] = ()  # (lower-cased name, value) in order
    return_path: str | None = None  # None when absent; "" for the null path "<>"
    content_type: str = "text/plain"
    is_html_only: bool = False
    forwarded: tuple[ForwardedMail, ...] = ()
    bounces: tuple[Bounce, ...] = ()
    is_delivery_report: bool = False
    is_feedback_report: bool = False  # an ARF report (RFC 5965)
    feedback_type: str = ""  # its Feedback-Type, lower-cased: abuse, opt-out, auth-failure, ...
    size: int = 0
    sha256: str = ""
    defects: tuple[str, ...] = ()
    # (method parameter, decoded text) of each text/calendar or .ics part, for iMIP replies
    calendar_parts: tuple[tuple[str, str], ...] = ()

    def header(self, name: str) -> str:
        """First value of a header (case-insensitive), "" when absent."""
        return self._first_values.get(name.lower(), "")

    @functools.cached_property
    def _first_values(self) -> dict[str, str]:
        """Each header's first value by name, made once: hygiene asks for dozens of them."""
        first: dict[str, str] = {}
        for key, value in self.headers:
            first.setdefault(key, value)
        return first

    def header_all(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.headers if key == wanted]

    def has_header(self, name: str) -> bool:
        return name.lower() in self._first_values

    @property
    def thread_ids(self) -> tuple[str, ...]:
        """Message-IDs this message answers, nearest first."""
        ids: list[str] = []
        if self.in_reply_to:
            ids.append(self.in_reply_to)
        ids.extend(reversed(self.references))
        seen: set[str] = set()
        return tuple(i for i in ids if not (i in seen or seen.add(i)))  # type: ignore[func-returns-value]


@dataclass(frozen=True)
class EventInfo:
    """One session of the series, as configured. Times are timezone-aware."""

    id: str
    title: str
    format: str  # "webinar" | "workshop"
    starts: datetime
    ends: datetime
    capacity: int
    registration_closes: datetime  # end of the deadline day, local time
    keywords: tuple[str, ...] = ()
    join_url: str = ""
    joining_instructions: str = ""
    ordinal: int = 0  # 1-based position in the series by start time
    number: int = 0  # the number the announcement gives it ("Webinar 3"); 0 when not set


@dataclass(frozen=True)
class Member:
    """A member organisation."""

    name: str
    domains: tuple[str, ...]
    membership: str  # "full" | "associate"


def full_member_domains(members: Iterable[Member]) -> tuple[str, ...]:
    """The mail domains of the full members, whose staff may hold places."""
    return tuple(d for m in members if m.membership == "full" for d in m.domains)


def full_member_names(members: Iterable[Member]) -> tuple[str, ...]:
    """The names of the full members, by which staff writing from elsewhere say where they work."""
    return tuple(m.name for m in members if m.membership == "full")


class Intent(StrEnum):
    REGISTER = "register"
    CANCEL = "cancel"
    SUBSTITUTE = "substitute"
    ACCEPT_OFFER = "accept-offer"
    DECLINE_OFFER = "decline-offer"
    ACKNOWLEDGEMENT = "acknowledgement"
    QUESTION = "question"
    UNKNOWN = "unknown"


SEAT_CHANGING = frozenset(
    {Intent.REGISTER, Intent.CANCEL, Intent.SUBSTITUTE, Intent.ACCEPT_OFFER, Intent.DECLINE_OFFER}
)


@dataclass(frozen=True)
class Person:
    email: str
    name: str = ""


@dataclass(frozen=True)
class ThreadContext:
    """What mailflow itself said in the message being answered (found in the outbox)."""

    outcome: str  # e.g. "offered", "confirmed", "waitlisted"
    event_ids: tuple[str, ...]
    recipient: str


@dataclass(frozen=True)
class IssuedInvite:
    """A calendar entry mailflow sent: whose, for which session, and where it stands."""

    uid: str
    event_id: str
    email: str
    sequence: int  # of the last REQUEST/CANCEL sent
    booked_sequence: int  # of the REQUEST that gave the current place
    method: str  # last sent: REQUEST | CANCEL
    partstat: str = ""  # the member's last calendar answer


CONFIDENT = 0.7  # below this, a seat-changing request is handed to the coordinator


@dataclass(frozen=True)
class Request:
    """What a message asks for, with the evidence the interpreter used."""

    intent: Intent
    event_ids: tuple[str, ...] = ()
    # Whose seat changes: attendees to register, or the person cancelling/accepting.
    # Empty means "the sender".
    people: tuple[Person, ...] = ()
    substitute: Person | None = None  # colleague taking over the place (SUBSTITUTE)
    # A move ("move me from May to the October one"): the sender's own places given up for
    # the registration on event_ids, released only once that registration is confirmed.
    releases: tuple[str, ...] = ()
    confidence: float = 1.0
    evidence: tuple[str, ...] = field(default=())
    reason: str = ""  # why it is unclear, for the coordinator
    # A side question a clear request also asks ("will it be recorded?"): the seat change goes
    # ahead and the coordinator answers the question.
    question: str = ""
    # The sender writes from an address at no full member but says they are a member's staff
    # ("I work at Camden", a member address given as their own): whether they are is the
    # coordinator's to check: decide answers not-eligible (its wording asks for the work
    # address) and asks the coordinator as well.
    member_claim: bool = False

    @property
    def is_unclear(self) -> bool:
        if self.intent in (Intent.QUESTION, Intent.UNKNOWN):
            return True
        if self.intent in SEAT_CHANGING and self.confidence < CONFIDENT:
            return True
        # Cancel / substitute / accept / decline without a named event are resolved against
        # the sender's own places by the decision step; a registration must name one.
        return self.intent is Intent.REGISTER and not self.event_ids
