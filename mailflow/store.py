"""The unit of work: one transaction and the queries handling, sending and the views make."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    Engine,
    func,
)
from sqlalchemy import select as sa_select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm.util import identity_key
from sqlmodel import col, select

from mailflow.model import EventInfo, InboundMail, Member
from mailflow.store_book import NAMES as BOOK_NAMES
from mailflow.store_book import BookRow, book_params
from mailflow.store_driver import read
from mailflow.store_engine import durable_transaction, make_durable, make_engine
from mailflow.store_invites import Entry, Invites
from mailflow.store_people import FIELDS as PERSON_FIELDS
from mailflow.store_people import HARD_BOUNCES_BEFORE_SILENCE, Known, People
from mailflow.store_queries import (
    BOOK_PREFIX,
    INVITE_OR_MAILED,
    INVITE_PREFIX,
    KNOWN_BY_ID,
    KNOWN_BY_ID_OR_UID,
    MAILED_AS,
    MAILED_PREFIX,
    MAILED_TO,
    OPEN_BY_ID,
    OPEN_BY_ID_OR_UID,
    REPLIES_TODAY,
    SENDER,
    open_with_book,
)
from mailflow.store_schema import create_schema
from mailflow.store_seats import SeatBook, session_keys
from mailflow.store_unit import values_of
from mailflow.tables import (
    AuditEntry,
    EventRow,
    HandledMessage,
    InviteRow,
    OrganisationRow,
    OutboxRow,
    PersonRow,
    PlaceRow,
    Setting,
    UTCDateTime,
)

_H = HandledMessage.__table__  # type: ignore[attr-defined]
_O = OutboxRow.__table__  # type: ignore[attr-defined]
_A = AuditEntry.__table__  # type: ignore[attr-defined]

__all__ = [
    "HARD_BOUNCES_BEFORE_SILENCE", "AuditEntry", "EventRow", "HandledMessage", "InviteRow",
    "MailedRow", "OrganisationRow", "OutboxRow", "PersonRow", "PlaceRow", "SentReply",
    "Setting", "UTCDateTime", "UnitOfWork", "create_schema", "durable_transaction", "make_durable",
    "make_engine", "now_utc", "sync_config", "unit_of_work",
]

def now_utc() -> datetime:
    return datetime.now(UTC)


class SentReply(NamedTuple):
    outcome: str
    subject: str


class MailedRow(NamedTuple):
    """What threading and bounce checks need of mail we queued (never its body)."""

    message_id: str
    recipient: str
    kind: str
    outcome: str
    event_ids: str


class UnitOfWork(SeatBook, People, Invites):
    """One transaction: rolls back unless committed. Holds the repositories' queries."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        # Replies queued to a person since a moment, as read by know_sender (and since).
        self._replies: dict[tuple[str, datetime], list[SentReply]] = {}
        # Mail queued to a person, read with their (missing) entry by invite_for: for the
        # mailed_to that follows, unless mail to them is queued first.
        self._mailed_to: dict[str, list[MailedRow]] = {}

    def _discard(self) -> None:
        self._replies.clear()
        self._mailed_to.clear()
        super()._discard()

    # ---- locks -------------------------------------------------------------------------
    def serialise(self, *keys: str, sessions: Iterable[str] = ()) -> None:
        """Make another worker handling the same message or sender, or changing the same
        sessions' seats, wait for this transaction.

        PostgreSQL: transaction-level advisory locks, all in one round trip, taken in one order
        everywhere (messages and senders, sorted, before sessions, sorted) so two workers
        cannot deadlock; keys this transaction holds already are skipped. SQLite's BEGIN
        IMMEDIATE already serialises every writer.
        """
        self.lock_keys([*sorted(k for k in keys if k), *session_keys(sessions)])

    def places_of(self, email: str) -> list[PlaceRow]:
        return list(self.session.exec(select(PlaceRow).where(PlaceRow.email == email)).all())

    # ---- handled messages --------------------------------------------------------------
    def seen(self, message_id: str, uidvalidity: int | None, uid: int | None) -> bool:
        self.write_held(_H)
        if self._conn().execute(sa_select(_H.c.id).where(
                _H.c.message_id == message_id)).first() is not None:
            return True
        return self.seen_uid(uidvalidity, uid)

    def record_key(self, mail: InboundMail, uidvalidity: int | None, uid: int | None,
                   sender_since: datetime | None = None,
                   book: tuple[Sequence[EventInfo], Iterable[str]] | None = None) -> str | None:
        """The Message-ID to record `mail` under, or None when it was handled before.

        A message is known by its Message-ID (so new UIDs after a folder is recreated change
        nothing), by its sender and Date as well: some clients and gateways reuse one
        Message-ID for different mail, and a second member's request must not be dropped as
        a duplicate. Such a message is recorded under an id derived from all three.
        With `sender_since`, the same statement does know_sender's reading too, and with
        `book` (sessions, people) load_rosters's for them.
        """
        self.write_held(_H, _O)
        sender = mail.sender if sender_since is not None and mail.sender and (
            mail.sender, sender_since) not in self._replies else ""
        by_uid = uidvalidity is not None and uid is not None
        query = ((OPEN_BY_ID_OR_UID if by_uid else OPEN_BY_ID) if sender
                 else (KNOWN_BY_ID_OR_UID if by_uid else KNOWN_BY_ID))
        params = {"message_id": mail.message_id, "uidvalidity": uidvalidity, "uid": uid,
                  "email": sender, "since": sender_since}
        read_book = book_params(*book) if book is not None and sender else None
        if read_book is not None and read_book["ids"]:
            query = open_with_book(by_uid, len(read_book["ids"]), len(read_book["emails"]))
            params.update(read_book)
        else:
            read_book = None
        rows = read(self._conn(), query, params)
        if read_book is not None:
            rows = self._take_read_ahead(read_book, sender, rows)
        if sender:
            assert sender_since is not None
            rows = self._take_sender(sender, sender_since, rows)
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

    def _take_read_ahead(self, book: dict[str, Any], sender: str,
                         rows: Sequence[Any]) -> list[Any]:
        """Keep what open_with_book read ahead of load_rosters and invite_for (the seat book,
        the sender's calendar entries for its sessions and the mail queued to them); the
        other rows (record_key's own)."""
        places, entries, mailed, rest = [], [], [], []
        for r in rows:
            if r.p_event_id is not None:
                places.append(BookRow(*(getattr(r, BOOK_PREFIX + k) for k in BOOK_NAMES)))
            elif r.i_uid is not None:
                entries.append(r)
            elif r.m_message_id is not None:
                mailed.append(MailedRow(*(getattr(r, MAILED_PREFIX + f)
                                          for f in MailedRow._fields)))
            else:
                rest.append(r)
        self.keep_book(book, places)
        self._known_entries(sender, book["ids"], entries, INVITE_PREFIX)
        if not entries:  # the mail was read only when there is no entry to read instead
            self._mailed_to[sender] = mailed
        return rest

    def seen_uid(self, uidvalidity: int | None, uid: int | None) -> bool:
        if uidvalidity is None or uid is None:
            return False
        self.write_held(_H)
        return self._conn().execute(sa_select(_H.c.id).where(
            _H.c.uidvalidity == uidvalidity, _H.c.uid == uid)).first() is not None

    def handled_uids(self, uidvalidity: int) -> dict[int, bool]:
        """UIDs already handled in this folder generation, with whether each needs a human."""
        rows = self.session.exec(select(HandledMessage.uid, HandledMessage.needs_attention)
                                 .where(HandledMessage.uidvalidity == uidvalidity)).all()
        return {u: bool(a) for u, a in rows if u is not None}

    def handled_count(self) -> int:
        return int(self.session.exec(select(func.count()).select_from(HandledMessage)).one())

    def record(self, row: HandledMessage | dict[str, Any]) -> None:
        """Record a message as handled; written with this unit's other held rows."""
        self.hold(_H, row)

    def attention(self, include_resolved: bool = False) -> list[HandledMessage]:
        query = select(HandledMessage).where(HandledMessage.needs_attention == True)  # noqa: E712
        if not include_resolved:
            query = query.where(HandledMessage.resolved_at == None)  # noqa: E711
        return list(self.session.exec(query.order_by(col(HandledMessage.id))).all())

    # ---- outbox ------------------------------------------------------------------------
    def queue(self, row: OutboxRow | dict[str, Any]) -> None:
        """Queue mail to send after commit; written with this unit's other held rows."""
        self.hold(_O, row)
        values = values_of(row)
        self._mailed_to.pop(values.get("recipient", ""), None)
        created = values.get("created_at")
        if values.get("kind") != "reply" or created is None:
            return
        for (recipient, since), replies in self._replies.items():
            if recipient == values.get("recipient") and created >= since:
                replies.append(SentReply(values.get("outcome", ""), values.get("subject", "")))

    def due_outbox(self, now: datetime, limit: int = 500) -> list[OutboxRow]:
        return list(self.session.exec(
            select(OutboxRow).where(OutboxRow.status == "pending",
                                    OutboxRow.next_attempt_at <= now)
            .order_by(col(OutboxRow.id)).limit(limit)).all())

    def _mailed(self, query: Any, params: dict[str, Any]) -> list[MailedRow]:
        self.write_held(_O)
        return [MailedRow(*r) for r in self._conn().execute(query, params).all()]

    def outbox_by_message_ids(self, ids: Sequence[str]) -> list[MailedRow]:
        return self._mailed(MAILED_AS, {"ids": list(ids)}) if ids else []

    def mailed_to(self, recipient: str) -> list[MailedRow]:
        """Every mail queued to an address (threading fields only)."""
        known = self._mailed_to.pop(recipient, None)
        if known is not None:
            return known
        return self._mailed(MAILED_TO, {"recipient": recipient})

    def invite_for(self, event_id: str, email: str) -> Entry | None:
        """One person's entry for one session; when they have none, the mail queued to them
        is read in the same statement, for the mailed_to a new entry asks next."""
        if (event_id, email) not in self._invite_uids:
            self.write_held(_O)
            rows = self._conn().execute(INVITE_OR_MAILED,
                                        {"event_id": event_id, "email": email}).all()
            self._known_invite(event_id, email, rows)
            if self._invite_uids[(event_id, email)] is None:
                self._mailed_to[email] = [MailedRow(*(getattr(r, f) for f in MailedRow._fields))
                                          for r in rows]
        return super().invite_for(event_id, email)

    def replies_today(self, recipient: str, since: datetime) -> list[SentReply]:
        """Replies queued for one person since a moment: outcome and subject only (no bodies),
        from the (recipient, kind, created_at) index; read with their person row when
        know_sender was told."""
        known = self._replies.get((recipient, since))
        if known is not None:
            return list(known)
        self.write_held(_O)
        return [SentReply(outcome, subject) for outcome, subject in self._conn().execute(
            REPLIES_TODAY, {"recipient": recipient, "since": since}).all()]

    def know_sender(self, email: str, since: datetime) -> None:
        """Read a sender's person row and the replies queued to them since `since` in one
        statement; is_silenced, names_of, remember_name and replies_today then ask nothing."""
        if not email or (email, since) in self._replies:
            return
        self.write_held(_O)
        self._take_sender(email, since, self._conn().execute(
            SENDER, {"email": email, "since": since}).all())

    def _take_sender(self, email: str, since: datetime, rows: Sequence[Any]) -> list[Any]:
        """Keep the sender's rows of a know_sender read; the others (handled messages)."""
        person: Known | None = None
        replies: list[SentReply] = []
        rest = []
        for row in rows:
            if row.message_id is not None:
                rest.append(row)
            elif row.email is not None:
                person = Known(*(getattr(row, f) for f in PERSON_FIELDS))
            else:
                replies.append(SentReply(row.outcome, row.subject))
        self._people.setdefault(email, person)  # what this transaction changed wins
        self._replies[(email, since)] = replies
        return rest

    # ---- audit ---------------------------------------------------------------------------
    def audit(self, entry: AuditEntry | dict[str, Any]) -> None:
        """Add to the record of changes; written with this unit's other held rows."""
        self.hold(_A, entry)

    def history(self, email: str) -> list[AuditEntry]:
        return list(self.session.exec(select(AuditEntry).where(AuditEntry.email == email)
                                      .order_by(col(AuditEntry.id))).all())

    # ---- settings --------------------------------------------------------------------
    def get_setting(self, key: str) -> str | None:
        row = self.session.get(Setting, key)
        return None if row is None else row.value

    def put_setting(self, key: str, value: str, now: datetime) -> None:
        # An upsert: two `mailflow poll`s finishing together both write a fact (last poll)
        # that may not exist yet, and a read-then-insert lets the second fail on the key.
        postgres = self.engine.dialect.name == "postgresql"
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
