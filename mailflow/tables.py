"""Tables (SQLModel), the engine (SQLite WAL + BEGIN IMMEDIATE, or PostgreSQL) and the schema."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Engine, Index, Text, UniqueConstraint, event, inspect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel, create_engine


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
    )
    id: int | None = Field(default=None, primary_key=True)
    event_id: str = Field(foreign_key="events.id", index=True)
    email: str = Field(index=True)
    name: str = ""
    organisation: str = ""
    status: str
    joined_at: datetime = _when()
    queue: float = 0.0
    offer_expires: datetime | None = _when(default=None, nullable=True)
    forced: bool = False
    updated_at: datetime = _when()


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
    status: str = Field(default="pending", index=True)  # pending | sending | sent | failed
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
    __table_args__ = (UniqueConstraint("event_id", "email"),)
    uid: str = Field(primary_key=True)
    event_id: str = Field(index=True)
    email: str = Field(index=True)
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


def make_engine(url: str) -> Engine:
    """An engine whose transactions serialise seat changes on SQLite and PostgreSQL alike."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
            # The driver would open the transaction only at the first write, letting two
            # processes both count seats and then both insert; take control of BEGIN.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    # No pre-ping: it costs a round trip on every checkout, once per message. A connection
    # the server dropped fails its first statement instead; SQLAlchemy then discards the
    # whole pool, and Desk.handle runs that message again on a fresh connection (other jobs
    # fail that once, as in any outage, and run again). Connections are renewed every half
    # hour, before a firewall or idle_session_timeout ends a quiet one unnoticed.
    _cache_long_statements()
    return create_engine(url, pool_recycle=1800)


# psycopg converts a statement's placeholders once per distinct text, but only for texts up
# to 4 KB with at most 50 parameters (it guards against ORMs' ever-new multi-row INSERTs).
# A message's opening read with its seat book (store_queries.open_with_book) is 5-7 KB, so
# it was converted afresh for every message. Ours come in a few shapes, all built once.
_PSYCOPG_STATEMENT_LENGTH = 32_768
_PSYCOPG_STATEMENT_PARAMS = 200


def _cache_long_statements() -> None:
    try:
        from psycopg import _queries
    except ImportError:  # another driver: nothing to tune
        return
    if getattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", None) is not None:
        _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH,
                                                   _PSYCOPG_STATEMENT_LENGTH)
    if getattr(_queries, "MAX_CACHED_STATEMENT_PARAMS", None) is not None:
        _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS,
                                                   _PSYCOPG_STATEMENT_PARAMS)


def create_schema(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)
    _add_missing_columns(engine)
    # create_all skips tables that exist: an older database gains newer indexes here.
    for table in SQLModel.metadata.sorted_tables:
        for index in table.indexes:
            index.create(engine, checkfirst=True)


def _add_missing_columns(engine: Engine) -> None:
    """Give a database made by an older mailflow the columns added since (all defaulted)."""
    found = inspect(engine)
    for table in SQLModel.metadata.sorted_tables:
        have = {c["name"] for c in found.get_columns(table.name)}
        for column in table.columns:
            if column.name in have:
                continue
            kind = column.type.compile(dialect=engine.dialect)
            default = getattr(column.default, "arg", None)
            if isinstance(default, bool | int | float):
                literal = str(int(default)) if isinstance(default, bool) else str(default)
            elif isinstance(default, str):
                literal = "'" + default.replace("'", "''") + "'"
            else:
                literal = None
            clause = f" NOT NULL DEFAULT {literal}" if literal is not None else ""
            with engine.begin() as conn:
                conn.exec_driver_sql(
                    f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{clause}')
