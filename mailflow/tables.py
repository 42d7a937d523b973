"""Tables (SQLModel): the rows the seat book, the handled record, the outbox and the audit keep."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Index, Text, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out, whatever the database keeps."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def _when(**kw: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kw)  # type: ignore[call-overload]


class EventRow(SQLModel, table=True):
    __tablename__ = "events"
    id: str = Field(primary_key=True)
    title: str
    format: str
    starts: datetime = _when()
    ends: datetime = _when()
    capacity: int
    registration_closes: datetime = _when()
    active: bool = True  # false once removed from the config


class OrganisationRow(SQLModel, table=True):
    __tablename__ = "organisations"
    name: str = Field(primary_key=True)
    domains: str  # JSON list
    membership: str


class PersonRow(SQLModel, table=True):
    __tablename__ = "people"
    email: str = Field(primary_key=True)
    name: str = ""
    organisation: str = ""
    hard_bounces: int = 0
    last_bounce: str = ""
    last_bounce_at: datetime | None = _when(default=None, nullable=True)


class PlaceRow(SQLModel, table=True):
    __tablename__ = "places"
    __table_args__ = (
        UniqueConstraint("event_id", "email"),
        # Counts by status, the waiting list's head and a position: one index for all three.
        Index("ix_places_event_status_queue", "event_id", "status", "queue", "joined_at"),
        # A person's places; whichever of the two a planner takes for one person in one
        # session, it answers both.
        Index("ix_places_email_event", "email", "event_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    # No index of event_id or email alone: (event_id, email) and the others lead with them,
    # and a planner given both picked one for "event_id = ? AND email = ?" and filtered the
    # other, reading the session's whole book (see _SUPERSEDED).
    event_id: str = Field(foreign_key="events.id")
    email: str
    name: str = ""
    organisation: str = ""
    status: str
    joined_at: datetime = _when()
    queue: float = 0.0
    offer_expires: datetime | None = _when(default=None, nullable=True)
    forced: bool = False
    updated_at: datetime = _when()


class SessionCount(SQLModel, table=True):
    """How many places of each status a session has: kept by triggers on places (every
    writer, in the same transaction), so a message reads its sessions' counts by key instead
    of counting their whole book, which grows with every booking."""

    __tablename__ = "session_counts"
    event_id: str = Field(primary_key=True)
    status: str = Field(primary_key=True)
    n: int = 0


class HandledMessage(SQLModel, table=True):
    __tablename__ = "handled_messages"
    __table_args__ = (UniqueConstraint("uidvalidity", "uid"),)
    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True)
    uidvalidity: int | None = None
    uid: int | None = None
    sender: str = ""
    subject: str = ""
    received_at: datetime | None = _when(default=None, nullable=True)
    handled_at: datetime = _when()
    intent: str = ""
    outcome: str = ""
    disposition: str = ""  # handled | ignored | attention | adopted | error | skipped
    reason: str = ""
    evidence: str = Field(default="", sa_type=Text)
    excerpt: str = Field(default="", sa_type=Text)
    needs_attention: bool = False
    resolved_at: datetime | None = _when(default=None, nullable=True)
    resolution_note: str = ""
    sha256: str = ""
    size: int = 0


class OutboxRow(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (
        # Today's replies to one sender (the rate limit, every message) read this index alone;
        # its prefix also serves "have we mailed this address?".
        Index("ix_outbox_recipient_kind_created", "recipient", "kind", "created_at"),
        # Claims read pending rows in id order and mark them by id and status: on PostgreSQL
        # an index of status alone left both to scan every pending row (a backlog's worth).
        Index("ix_outbox_status_id", "status", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True)
    kind: str  # reply | offer | notice | digest | reminder
    recipient: str
    subject: str
    outcome: str = ""  # X-Mailflow-Outcome
    event_ids: str = ""  # space-separated: threading context for answers to this mail
    in_reply_to: str = ""
    cause: str = ""  # Message-ID of the request, or the command, that caused it
    raw: bytes
    status: str = "pending"  # pending | sending | sent | failed
    attempts: int = 0
    last_error: str = ""
    created_at: datetime = _when()
    next_attempt_at: datetime = _when()
    sent_at: datetime | None = _when(default=None, nullable=True)
    claimed_at: datetime | None = _when(default=None, nullable=True)
    claimed_by: str = ""  # the claiming process (mailflow.lease owner id) while "sending"


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when()
    email: str = Field(index=True)
    event_id: str = ""
    action: str  # the outcome, e.g. confirmed, offered, cancelled
    actor: str  # the requester's address, "coordinator" or "worker"
    cause: str = ""  # Message-ID or command line
    detail: str = ""


class InviteRow(SQLModel, table=True):
    """A calendar entry mailflow issued: one UID per person per session, its SEQUENCE, what
    the entry last said (to notice config changes) and what the member answered."""

    __tablename__ = "invites"
    # As for places: whichever index a planner takes for one person's entry for one session,
    # it answers both equalities.
    __table_args__ = (UniqueConstraint("event_id", "email"),
                      Index("ix_invites_email_event", "email", "event_id"))
    uid: str = Field(primary_key=True)
    event_id: str
    email: str
    sequence: int = 0  # of the last REQUEST or CANCEL sent; raised by one on every change
    booked_sequence: int = 0  # SEQUENCE of the REQUEST that gave the current place
    method: str = "REQUEST"  # the last one sent: REQUEST (entry live) | CANCEL
    snapshot: str = Field(default="", sa_type=Text)  # JSON: the session as last sent
    partstat: str = ""  # the member's last answer: ACCEPTED | TENTATIVE | DECLINED
    partstat_at: datetime | None = _when(default=None, nullable=True)
    comment: str = ""
    issued_at: datetime = _when()
    updated_at: datetime = _when()


class Setting(SQLModel, table=True):
    """Small durable facts: last digest date, worker lease, last poll."""

    __tablename__ = "settings"
    key: str = Field(primary_key=True)
    value: str = ""
    updated_at: datetime = _when()
