"""SQLModel tables, the engine (SQLite WAL + BEGIN IMMEDIATE, or PostgreSQL) and unit of work."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    DateTime,
    Engine,
    Index,
    Text,
    UniqueConstraint,
    and_,
    bindparam,
    event,
    func,
    insert,
    inspect,
    or_,
    text,
    update,
)
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.util import identity_key
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, Session, SQLModel, col, create_engine, select

from mailflow.model import EventInfo, InboundMail, Member
from mailflow.seats import Place, Roster, Status, Unloaded

HARD_BOUNCES_BEFORE_SILENCE = 3  # hard bounces before an address is no longer mailed


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
    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(unique=True)
    kind: str  # reply | offer | notice | digest | reminder
    recipient: str = Field(index=True)
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
    return create_engine(url, pool_pre_ping=True)


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


def now_utc() -> datetime:
    return datetime.now(UTC)


class SentReply(NamedTuple):
    outcome: str
    subject: str


class UnitOfWork:
    """One transaction: rolls back unless committed. Holds the repositories' queries."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Given a Connection already in a transaction (`poll --dry-run`), each unit becomes a
        # SAVEPOINT inside it, so everything can still be rolled back at the end.
        self.session: Session = Session(engine, expire_on_commit=False,
                                        join_transaction_mode="create_savepoint")
        self.committed = False
        self._people: dict[str, PersonRow | None] = {}  # loaded once per transaction

    # ---- transaction ---------------------------------------------------------------
    def commit(self) -> None:
        self.session.commit()
        self.committed = True

    def rollback(self) -> None:
        self.session.rollback()

    def close(self) -> None:
        if not self.committed:
            self.session.rollback()
        self.session.close()

    # ---- seats -----------------------------------------------------------------------
    def lock_rosters(self, events: Sequence[EventInfo], lock: bool = True) -> dict[str, Roster]:
        """Load every session's book, locking the sessions so seat counts cannot race.

        lock=False is for read-only views, which must not hold up the worker.
        """
        ids = sorted(e.id for e in events)
        if ids and lock:
            # Row locks in a fixed order: PostgreSQL serialises, SQLite already holds the
            # write lock from BEGIN IMMEDIATE (FOR UPDATE is ignored there).
            self.session.exec(
                select(EventRow.id).where(EventRow.id.in_(ids))  # type: ignore[attr-defined]
                .order_by(EventRow.id).with_for_update()
            ).all()
        # Plain column rows, not ORM objects: this runs for every message handled.
        t = PlaceRow.__table__.c  # type: ignore[attr-defined]
        rows = self.session.execute(
            sa_select(t.id, t.event_id, t.email, t.name, t.organisation, t.status, t.joined_at,
                   t.queue, t.offer_expires, t.forced).where(t.event_id.in_(ids))).all()
        by_event: dict[str, list[Place]] = {i: [] for i in ids}
        for (row_id, event_id, email, name, organisation, status, joined_at, queue,
             offer_expires, forced) in rows:
            by_event[event_id].append(Place(
                email=email, name=name, organisation=organisation, status=Status(status),
                joined_at=joined_at, queue=queue, offer_expires=offer_expires, forced=forced,
                id=row_id, dirty=False))
        return {e.id: Roster(event=e, places=by_event[e.id]) for e in events}

    def serialise(self, *keys: str) -> None:
        """Make another worker handling the same message or sender wait for this transaction.

        PostgreSQL: transaction-level advisory locks, taken in a fixed order so two workers
        cannot deadlock. SQLite's BEGIN IMMEDIATE already serialises every writer.
        """
        if self.engine.dialect.name != "postgresql":
            return
        ordered = sorted({k for k in keys if k})
        if ordered:
            # One round trip; the select list is evaluated left to right.
            locks = ", ".join(f"pg_advisory_xact_lock(hashtext(:k{n}))"
                              for n in range(len(ordered)))
            self.session.execute(text(f"SELECT {locks}"),
                                 {f"k{n}": key for n, key in enumerate(ordered)})

    def sessions_held(self, email: str) -> set[str]:
        """The sessions where `email` has a place of any status."""
        t = PlaceRow.__table__.c  # type: ignore[attr-defined]
        return set(self.session.execute(
            sa_select(t.event_id).where(t.email == email)).scalars())

    def load_rosters(self, events: Sequence[EventInfo], emails: Iterable[str],
                     lock: bool = True) -> dict[str, Roster]:
        """Lock `events` and load only what one message about `emails` can touch.

        That is each person's own place, and the head of each waiting list long enough for
        every place the message could free; the rest of the book is counted (Unloaded), so
        the cost does not grow with the bookings already stored.
        """
        ids = sorted({e.id for e in events})
        if not ids:
            return {}
        if lock:
            self._lock(ids)
        wanted = frozenset(emails)
        t = PlaceRow.__table__.c  # type: ignore[attr-defined]
        mine: dict[str, dict[int, Place]] = {i: {} for i in ids}
        if wanted:
            for row in self.session.execute(self._places().where(
                    t.event_id.in_(ids), t.email.in_(sorted(wanted)))).all():
                mine[row.event_id][row.id] = _place(row)
        counts: dict[str, dict[str, tuple[int, float]]] = {i: {} for i in ids}
        for event_id, status, n, top in self.session.execute(
                sa_select(t.event_id, t.status, func.count(), func.max(t.queue))
                .where(t.event_id.in_(ids)).group_by(t.event_id, t.status)).all():
            counts[event_id][status] = (int(n), float(top or 0.0))
        return {e.id: self._partial_roster(e, mine[e.id], counts[e.id], wanted)
                for e in events}

    def _partial_roster(self, event: EventInfo, mine: dict[int, Place],
                        counts: dict[str, tuple[int, float]], wanted: frozenset[str]) -> Roster:
        t = PlaceRow.__table__.c  # type: ignore[attr-defined]
        taken = sum(counts.get(s, (0, 0.0))[0] for s in (Status.CONFIRMED, Status.OFFERED))
        waiting = counts.get(Status.WAITLISTED, (0, 0.0))[0]
        top = max((q for _, q in counts.values()), default=0.0)
        ahead: dict[str, tuple[float, datetime, int]] = {}
        if waiting:
            # A message frees at most one place per person it names, so this many from the
            # head of the list are all it can offer.
            head = max(0, event.capacity - taken) + len(mine) + 1
            for row in self.session.execute(self._places().where(
                    t.event_id == event.id, t.status == Status.WAITLISTED.value)
                    .order_by(t.queue, t.joined_at).limit(head)).all():
                mine.setdefault(row.id, _place(row))
                ahead[row.email] = (row.queue, row.joined_at, 0)
            loaded = [p for p in mine.values() if p.status == Status.WAITLISTED]
            for p in loaded:
                if p.email in ahead:
                    continue
                before = self.session.execute(
                    sa_select(func.count()).select_from(PlaceRow).where(
                        t.event_id == event.id, t.status == Status.WAITLISTED.value,
                        or_(t.queue < p.queue, and_(t.queue == p.queue,
                                                    t.joined_at < p.joined_at)))).scalar_one()
                known = sum(1 for o in loaded if (o.queue, o.joined_at) < (p.queue, p.joined_at))
                ahead[p.email] = (p.queue, p.joined_at, int(before) - known)
        places = list(mine.values())
        rest = Unloaded(
            taken=taken - sum(1 for p in places if p.status in (Status.CONFIRMED,
                                                                 Status.OFFERED)),
            waiting=waiting - sum(1 for p in places if p.status == Status.WAITLISTED),
            max_queue=top, ahead=ahead, emails=wanted)
        return Roster(event=event, places=places, rest=rest)

    def _lock(self, ids: Sequence[str]) -> None:
        if self.engine.dialect.name == "sqlite":
            return  # BEGIN IMMEDIATE already holds the database's one write lock
        # Row locks in a fixed order: PostgreSQL serialises, SQLite already holds the
        # write lock from BEGIN IMMEDIATE (FOR UPDATE is ignored there).
        self.session.exec(
            select(EventRow.id).where(EventRow.id.in_(ids))  # type: ignore[attr-defined]
            .order_by(EventRow.id).with_for_update()
        ).all()

    @staticmethod
    def _places() -> Any:
        t = PlaceRow.__table__.c  # type: ignore[attr-defined]
        return sa_select(t.id, t.event_id, t.email, t.name, t.organisation, t.status,
                         t.joined_at, t.queue, t.offer_expires, t.forced)

    def save_rosters(self, rosters: dict[str, Roster], now: datetime) -> None:
        """Write the changed places: one multi-row INSERT and one UPDATE batch, not a
        statement (and a flush) per place."""
        t = PlaceRow.__table__.c  # type: ignore[attr-defined]
        added: list[Place] = []
        new_rows: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        people: dict[str, tuple[str, str]] = {}
        for roster in rosters.values():
            for place in roster.places:
                if not place.dirty:
                    continue
                values = dict(name=place.name, organisation=place.organisation,
                              status=place.status.value, joined_at=place.joined_at,
                              queue=place.queue, offer_expires=place.offer_expires,
                              forced=place.forced, updated_at=now)
                if place.id is None:
                    added.append(place)
                    new_rows.append(dict(values, event_id=roster.event.id, email=place.email))
                else:
                    changed.append(dict(values, place_id=place.id))
                place.dirty = False
                people[place.email] = (place.name, place.organisation)
        if new_rows:
            ids = self.session.execute(
                insert(PlaceRow).returning(t.id, sort_by_parameter_order=True),
                new_rows).scalars().all()
            for place, row_id in zip(added, ids, strict=True):
                place.id = row_id
        if changed:
            self.session.execute(
                update(PlaceRow.__table__).where(t.id == bindparam("place_id"))  # type: ignore[attr-defined]
                .values({k: bindparam(k) for k in changed[0] if k != "place_id"}), changed)
        self._remember_people(people)

    def _remember_people(self, people: dict[str, tuple[str, str]]) -> None:
        """Keep a name for everyone with a place (the first organisation seen stays)."""
        missing = [e for e in people if e not in self._people]
        if missing:
            for row in self.session.exec(select(PersonRow).where(
                    col(PersonRow.email).in_(missing))).all():
                self._people[row.email] = row
        for email, (name, organisation) in people.items():
            person = self._people.get(email)
            if person is None:
                person = PersonRow(email=email, name=name, organisation=organisation)
                self._people[email] = person
                self.session.add(person)
                continue
            # A sender's name may be known (remember_name) before their organisation is.
            fill = organisation and not person.organisation
            if (name and person.name != name) or fill:
                person.name = name or person.name
                person.organisation = person.organisation or organisation
                self.session.add(person)

    def remember_name(self, email: str, name: str) -> None:
        """Keep the display name someone's mail carried, to show and to address them by."""
        if email and name:
            self._remember_people({email: (name, "")})

    def names_of(self, emails: Sequence[str]) -> dict[str, str]:
        """The display names people's mail carried, for the addresses that had one."""
        if not emails:
            return {}
        rows = self.session.exec(select(PersonRow).where(col(PersonRow.email).in_(emails)))
        return {p.email: p.name for p in rows if p.name}

    def is_silenced(self, email: str) -> bool:
        """Whether an address has hard-bounced often enough that we stop mailing it."""
        if email not in self._people:
            self._people[email] = self.session.get(PersonRow, email)
        person = self._people[email]
        return person is not None and person.hard_bounces >= HARD_BOUNCES_BEFORE_SILENCE

    def places_of(self, email: str) -> list[PlaceRow]:
        return list(self.session.exec(select(PlaceRow).where(PlaceRow.email == email)).all())

    # ---- handled messages --------------------------------------------------------------
    def seen(self, message_id: str, uidvalidity: int | None, uid: int | None) -> bool:
        if self.session.exec(select(HandledMessage.id).where(
                HandledMessage.message_id == message_id)).first() is not None:
            return True
        return self.seen_uid(uidvalidity, uid)

    def record_key(self, mail: InboundMail, uidvalidity: int | None,
                   uid: int | None) -> str | None:
        """The Message-ID to record `mail` under, or None when it was handled before.

        A message is known by its Message-ID (so new UIDs after a folder is recreated change
        nothing), by its sender and Date as well: some clients and gateways reuse one
        Message-ID for different mail, and a second member's request must not be dropped as
        a duplicate. Such a message is recorded under an id derived from all three.
        """
        h = HandledMessage.__table__.c  # type: ignore[attr-defined]
        same = h.message_id == mail.message_id
        if uidvalidity is not None and uid is not None:
            # One statement for both questions (each side has its own unique index).
            same = or_(same, and_(h.uidvalidity == uidvalidity, h.uid == uid))
        rows = self.session.execute(sa_select(
            h.message_id, h.uidvalidity, h.uid, h.sha256, h.sender, h.received_at)
            .where(same)).all()
        if any(r.uidvalidity == uidvalidity and r.uid == uid and uid is not None
               for r in rows):
            return None
        row = next((r for r in rows if r.message_id == mail.message_id), None)
        if row is None:
            return mail.message_id
        if row.sha256 == mail.sha256 or (row.sender == mail.sender
                                         and row.received_at == mail.date):
            return None
        when = mail.date.isoformat() if mail.date else ""
        identity = f"{mail.message_id}\n{mail.sender}\n{when}"
        alias = f"<{hashlib.sha256(identity.encode()).hexdigest()[:32]}@mailflow.reused-id>"
        return None if self.seen(alias, None, None) else alias

    def seen_uid(self, uidvalidity: int | None, uid: int | None) -> bool:
        if uidvalidity is None or uid is None:
            return False
        return self.session.exec(select(HandledMessage.id).where(
            HandledMessage.uidvalidity == uidvalidity, HandledMessage.uid == uid)
        ).first() is not None

    def handled_uids(self, uidvalidity: int) -> dict[int, bool]:
        """UIDs already handled in this folder generation, with whether each needs a human."""
        rows = self.session.exec(select(HandledMessage.uid, HandledMessage.needs_attention)
                                 .where(HandledMessage.uidvalidity == uidvalidity)).all()
        return {u: bool(a) for u, a in rows if u is not None}

    def handled_count(self) -> int:
        return int(self.session.exec(select(func.count()).select_from(HandledMessage)).one())

    def record(self, row: HandledMessage) -> None:
        self.session.add(row)

    def attention(self, include_resolved: bool = False) -> list[HandledMessage]:
        query = select(HandledMessage).where(HandledMessage.needs_attention == True)  # noqa: E712
        if not include_resolved:
            query = query.where(HandledMessage.resolved_at == None)  # noqa: E711
        return list(self.session.exec(query.order_by(col(HandledMessage.id))).all())

    # ---- outbox ------------------------------------------------------------------------
    def queue(self, row: OutboxRow) -> None:
        self.session.add(row)

    def due_outbox(self, now: datetime, limit: int = 500) -> list[OutboxRow]:
        return list(self.session.exec(
            select(OutboxRow).where(OutboxRow.status == "pending",
                                    OutboxRow.next_attempt_at <= now)
            .order_by(col(OutboxRow.id)).limit(limit)).all())

    def outbox_by_message_ids(self, ids: Sequence[str]) -> list[OutboxRow]:
        if not ids:
            return []
        return list(self.session.exec(select(OutboxRow).where(
            OutboxRow.message_id.in_(list(ids)))).all())  # type: ignore[attr-defined]

    def replies_today(self, recipient: str, since: datetime) -> list[SentReply]:
        """Replies queued for one person since a moment: outcome and subject only (no bodies)."""
        rows = self.session.exec(select(OutboxRow.outcome, OutboxRow.subject).where(
            OutboxRow.recipient == recipient, OutboxRow.kind == "reply",
            OutboxRow.created_at >= since)).all()
        return [SentReply(outcome, subject) for outcome, subject in rows]

    # ---- audit ---------------------------------------------------------------------------
    def audit(self, entry: AuditEntry) -> None:
        self.session.add(entry)

    def history(self, email: str) -> list[AuditEntry]:
        return list(self.session.exec(select(AuditEntry).where(AuditEntry.email == email)
                                      .order_by(col(AuditEntry.id))).all())

    # ---- calendar entries ----------------------------------------------------------------
    def invite(self, uid: str) -> InviteRow | None:
        return self.session.get(InviteRow, uid) if uid else None

    def invite_for(self, event_id: str, email: str) -> InviteRow | None:
        return self.session.exec(select(InviteRow).where(
            InviteRow.event_id == event_id, InviteRow.email == email)).first()

    def live_invites(self) -> list[InviteRow]:
        """Entries whose last message was a REQUEST: what members' calendars now show."""
        return list(self.session.exec(select(InviteRow).where(InviteRow.method == "REQUEST")
                                      .order_by(col(InviteRow.event_id),
                                                col(InviteRow.email))).all())

    def save_invite(self, row: InviteRow) -> None:
        self.session.add(row)

    # ---- settings --------------------------------------------------------------------
    def get_setting(self, key: str) -> str | None:
        row = self.session.get(Setting, key)
        return None if row is None else row.value

    def put_setting(self, key: str, value: str, now: datetime) -> None:
        # An upsert: two `mailflow poll`s finishing together both write a fact (last poll)
        # that may not exist yet, and a read-then-insert lets the second fail on the key.
        postgres = self.session.get_bind().dialect.name == "postgresql"
        insert = pg_insert if postgres else sqlite_insert
        self.session.execute(
            insert(Setting)
            .values(key=key, value=value, updated_at=now)
            .on_conflict_do_update(index_elements=["key"],
                                   set_={"value": value, "updated_at": now})
        )
        loaded = self.session.identity_map.get(identity_key(Setting, key))
        if loaded is not None:  # keep a row this unit already read in step with the table
            self.session.expire(loaded)


def _place(row: Any) -> Place:
    return Place(email=row.email, name=row.name, organisation=row.organisation,
                 status=Status(row.status), joined_at=row.joined_at, queue=row.queue,
                 offer_expires=row.offer_expires, forced=row.forced, id=row.id, dirty=False)


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[UnitOfWork]:
    uow = UnitOfWork(engine)
    try:
        yield uow
    finally:
        uow.close()


def sync_config(engine: Engine, events: Sequence[EventInfo], members: Sequence[Member]) -> None:
    """Make the events and organisations tables match the configuration."""
    with unit_of_work(engine) as uow:
        s = uow.session
        wanted = {e.id for e in events}
        for e in events:
            row = s.get(EventRow, e.id) or EventRow(id=e.id, title=e.title, format=e.format,
                                                    starts=e.starts, ends=e.ends,
                                                    capacity=e.capacity,
                                                    registration_closes=e.registration_closes)
            row.title, row.format, row.capacity = e.title, e.format, e.capacity
            row.starts, row.ends = e.starts, e.ends
            row.registration_closes = e.registration_closes
            row.active = True
            s.add(row)
        for row in s.exec(select(EventRow)).all():
            if row.id not in wanted and row.active:
                row.active = False
                s.add(row)
        for m in members:
            org = s.get(OrganisationRow, m.name) or OrganisationRow(
                name=m.name, domains="[]", membership=m.membership)
            org.domains = json.dumps(list(m.domains))
            org.membership = m.membership
            s.add(org)
        uow.commit()
