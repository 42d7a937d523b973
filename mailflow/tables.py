"""Tables (SQLModel), the engine (SQLite WAL + BEGIN IMMEDIATE, or PostgreSQL) and the schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    Engine,
    Index,
    Text,
    UniqueConstraint,
    event,
    inspect,
    text,
)
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
            # On the driver's cursor (its errors still SQLAlchemy's): once per transaction,
            # and exec_driver_sql's execution context cost ten times the BEGIN itself.
            from mailflow.store_driver import execute

            execute(conn, "BEGIN IMMEDIATE")

        return engine
    # No pre-ping: it costs a round trip on every checkout, once per message. A connection
    # the server dropped fails its first statement instead; SQLAlchemy then discards the
    # whole pool, and Desk.handle runs that message again on a fresh connection (other jobs
    # fail that once, as in any outage, and run again). Connections are renewed every half
    # hour, before a firewall or idle_session_timeout ends a quiet one unnoticed.
    _cache_long_statements()
    return create_engine(url, pool_recycle=1800)


DURABLE_KEY = "store.durable_at"  # when the store last made everything committed durable


@contextmanager
def durable_transaction(engine: Engine) -> Iterator[tuple[Connection, bool]]:
    """A transaction whose commit, once it returns, survives an OS crash or a power loss, and
    with it every commit before it: the one synced point before anything leaves that the
    database cannot take back (an IMAP MOVE telling the server mail is done, an SMTP send).
    Yields the connection, and whether commits were durable anyway (then a transaction that
    writes nothing needs nothing more).

    Ordinary commits on SQLite run under `synchronous=NORMAL` (make_engine): the WAL is
    appended to, not synced, so a crash of the process loses nothing but a crash of the
    machine may lose the last commits. This transaction commits under `synchronous=FULL`
    instead; its sync of the WAL carries every earlier commit with it (one file, appended in
    order). Measured here, a commit under FULL and an os.fsync of the -wal file cost the same
    (0.2-0.4 ms); the commit is SQLite's own contract (a WAL just created or restarted, the
    directory entry), the fsync would lean on its file naming. Once per batch of mail.
    SQLite refuses to change the level inside a transaction: it is set before BEGIN.

    PostgreSQL's commits are durable already when `synchronous_commit` is on (the default;
    `local`, `remote_write` and `remote_apply` also flush the local WAL). When it is off, this
    transaction's commit is made synchronous, which waits for the WAL up to that commit, and
    so for every earlier one, to be flushed.
    """
    from mailflow.store_driver import execute

    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            # Outside any transaction (the driver is in autocommit mode: see make_engine).
            execute(conn, "PRAGMA synchronous=FULL")
            try:
                with conn.begin():  # BEGIN IMMEDIATE
                    yield conn, False
            finally:
                execute(conn, "PRAGMA synchronous=NORMAL")
        return
    with engine.begin() as conn:
        durable = True
        if engine.dialect.name == "postgresql" and \
                conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "off":
            conn.exec_driver_sql("SET LOCAL synchronous_commit TO on")
            durable = False
        yield conn, durable


def make_durable(engine: Engine) -> None:
    """Everything committed so far survives an OS crash or a power loss once this returns:
    a durable_transaction writing when it ran (DURABLE_KEY), when commits are not durable
    anyway. Before each IMAP MOVE of handled mail (filing); an outbox batch's claim is
    itself a durable_transaction."""
    from mailflow.store_driver import write

    with durable_transaction(engine) as (conn, durable):
        if not durable:
            now = datetime.now(UTC)
            write(conn, _durable_upsert(engine.dialect.name),
                  [{"key": DURABLE_KEY, "value": now.isoformat(), "updated_at": now}])


_DURABLE_UPSERTS: dict[str, Any] = {}


def _durable_upsert(dialect: str) -> Any:
    """The upsert of DURABLE_KEY's row, built once per dialect (store_driver compiles it once)."""
    found = _DURABLE_UPSERTS.get(dialect)
    if found is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
        table = Setting.__table__  # type: ignore[attr-defined]
        statement = upsert(table)
        found = statement.on_conflict_do_update(
            index_elements=["key"], set_={"value": statement.excluded.value,
                                          "updated_at": statement.excluded.updated_at})
        _DURABLE_UPSERTS[dialect] = found
    return found


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
    with _transaction(engine) as conn:
        for name in _SUPERSEDED:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    _count_places(engine)


# Indexes an older mailflow made that a wider one now serves. Each was a trap for PostgreSQL's
# cached (generic) plans, made while the tables were nearly empty: "event_id = $1 AND
# email = $2" read through the event_id index and filtered email, and the outbox claims
# scanned every pending row, so a message cost more with every booking and every reply queued.
_SUPERSEDED = ("ix_places_event_id", "ix_places_email", "ix_invites_event_id",
               "ix_invites_email", "ix_outbox_status")


# session_counts follows places through triggers: one row per (session, status), moved by
# each INSERT, DELETE and change of a place's session or status, whoever writes it.
_COUNT_TRIGGERS = ("places_count_insert", "places_count_delete", "places_count_update")
_SQLITE_COUNTING = (
    """CREATE TRIGGER places_count_insert AFTER INSERT ON places BEGIN
    INSERT INTO session_counts (event_id, status, n) VALUES (NEW.event_id, NEW.status, 1)
    ON CONFLICT (event_id, status) DO UPDATE SET n = n + 1; END""",
    """CREATE TRIGGER places_count_delete AFTER DELETE ON places BEGIN
    UPDATE session_counts SET n = n - 1 WHERE event_id = OLD.event_id AND status = OLD.status;
    END""",
    """CREATE TRIGGER places_count_update AFTER UPDATE OF event_id, status ON places
    WHEN OLD.event_id IS NOT NEW.event_id OR OLD.status IS NOT NEW.status BEGIN
    UPDATE session_counts SET n = n - 1 WHERE event_id = OLD.event_id AND status = OLD.status;
    INSERT INTO session_counts (event_id, status, n) VALUES (NEW.event_id, NEW.status, 1)
    ON CONFLICT (event_id, status) DO UPDATE SET n = n + 1; END""",
)
_POSTGRES_COUNTING = (
    """CREATE OR REPLACE FUNCTION mailflow_count_places() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            UPDATE session_counts SET n = n - 1
            WHERE event_id = OLD.event_id AND status = OLD.status;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO session_counts (event_id, status, n) VALUES (NEW.event_id, NEW.status, 1)
            ON CONFLICT (event_id, status) DO UPDATE SET n = session_counts.n + 1;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER places_count_insert AFTER INSERT ON places
    FOR EACH ROW EXECUTE FUNCTION mailflow_count_places()""",
    """CREATE TRIGGER places_count_delete AFTER DELETE ON places
    FOR EACH ROW EXECUTE FUNCTION mailflow_count_places()""",
    """CREATE TRIGGER places_count_update AFTER UPDATE OF event_id, status ON places
    FOR EACH ROW WHEN (OLD.event_id IS DISTINCT FROM NEW.event_id
                       OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION mailflow_count_places()""",
)


@contextmanager
def _transaction(bind: Engine | Connection) -> Iterator[Connection]:
    """A transaction on an Engine, or a SAVEPOINT in a Connection's own (`poll --dry-run`)."""
    if isinstance(bind, Connection):
        with bind.begin_nested():
            yield bind
    else:
        with bind.begin() as conn:
            yield conn


def _triggers(conn: Connection) -> set[str]:
    if conn.dialect.name == "sqlite":
        found = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    else:
        found = conn.execute(text("SELECT tgname FROM pg_trigger "
                                  "WHERE tgrelid = 'places'::regclass AND NOT tgisinternal"))
    return {str(name) for (name,) in found}


def _count_places(bind: Engine | Connection) -> None:
    """Give a database without the counting triggers (new, or made by an older mailflow)
    its triggers and its counts, from the places as they are, in one transaction that no
    place is written during (SQLite's BEGIN IMMEDIATE; a lock on places on PostgreSQL)."""
    with _transaction(bind) as conn:
        if _triggers(conn) >= set(_COUNT_TRIGGERS):
            return
    postgres = bind.dialect.name == "postgresql"
    with _transaction(bind) as conn:
        if postgres:
            conn.execute(text("LOCK TABLE places IN SHARE ROW EXCLUSIVE MODE"))
        have = _triggers(conn)
        if have >= set(_COUNT_TRIGGERS):
            return  # another process did it while this one waited
        for name in have & set(_COUNT_TRIGGERS):
            conn.execute(text(f"DROP TRIGGER {name}" + (" ON places" if postgres else "")))
        for statement in _POSTGRES_COUNTING if postgres else _SQLITE_COUNTING:
            conn.execute(text(statement))
        conn.execute(text("DELETE FROM session_counts"))
        conn.execute(text("INSERT INTO session_counts (event_id, status, n) "
                          "SELECT event_id, status, count(*) FROM places "
                          "GROUP BY event_id, status"))


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
