"""The coordinator's daily digest: what needs her, each session's numbers, what changed since."""

from __future__ import annotations

import email.policy
import email.utils
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from email.message import EmailMessage

from sqlmodel import col, func, select

from mailflow import outbox
from mailflow.config import Settings
from mailflow.digest_changes import ChangeGroup, changes
from mailflow.digest_todos import (
    Todo,
    bounce_todos,
    lapsing_todos,
    message_todo,
    outage_and_filing_todos,
    overbooked_todo,
    undelivered_todos,
)
from mailflow.handle import Desk
from mailflow.hygiene import make_message_id
from mailflow.model import EventInfo
from mailflow.names import given_name
from mailflow.reply import AUTO_RESPONSE_SUPPRESS, Outgoing, no_inner_mime_version
from mailflow.seats import Roster, Status
from mailflow.store import AuditEntry, Setting, UnitOfWork, unit_of_work

__all__ = ["DIGEST_POLICY", "LAST_AUDIT", "LAST_DATE", "ChangeGroup", "Digest", "DigestData",
           "SessionLine", "Todo", "compose_digest", "gather", "queue_digest", "render_digest"]

log = logging.getLogger("mailflow.digest")

LAST_DATE = "digest.last_date"  # local date of the last digest queued (YYYY-MM-DD)
LAST_AUDIT = "digest.last_audit_id"  # the newest audit row the last digest reported
FIRST_LOOK_BACK = timedelta(hours=24)  # the first digest ever reports the last day
# Once a day, so the modern policy's cost does not matter; never fold inside a Message-ID.
DIGEST_POLICY = email.policy.SMTP.clone(max_line_length=998)
BODY_POLICY = email.policy.SMTP.clone(max_line_length=76)  # encodes QP lines of <= 76


@dataclass(frozen=True)
class Digest:
    text: str
    html: str
    subject: str


@dataclass(frozen=True)
class SessionLine:
    event: EventInfo
    confirmed: int
    offers: tuple[tuple[str, datetime | None], ...]
    waiting: int
    registration_open: bool
    deadline: datetime  # the last day to register (local midnight of that day)

    @property
    def overbooked(self) -> bool:
        return self.confirmed + len(self.offers) > self.event.capacity


@dataclass
class DigestData:
    now: datetime
    since: datetime | None  # when the last digest went, or None for the first one
    todos: list[Todo] = field(default_factory=list)
    sessions: list[SessionLine] = field(default_factory=list)
    changes: list[ChangeGroup] = field(default_factory=list)
    last_audit_id: int = 0

    @property
    def quiet(self) -> bool:
        return not self.todos and not self.changes


def gather(uow: UnitOfWork, settings: Settings, now: datetime, since_id: int | None
           ) -> DigestData:
    """Read everything the digest shows, in one transaction."""
    tz = settings.coordinator.timezone
    since_row = uow.session.get(Setting, LAST_AUDIT)
    data = DigestData(now=now, since=since_row.updated_at if since_row else None)
    rosters = uow.lock_rosters(settings.events)

    # 1. What needs her: mail that could not go first, since nobody else will notice it.
    data.todos.extend(undelivered_todos(uow, now))
    data.todos.extend(outage_and_filing_todos(uow, data.since, tz))
    data.todos.extend(message_todo(r) for r in uow.attention())
    entries = _audit_since(uow, now, since_id)
    newest = uow.session.exec(select(func.max(AuditEntry.id))).one()
    data.last_audit_id = int(newest or 0)
    data.todos.extend(bounce_todos(uow, entries))
    for event in sorted(settings.events, key=lambda e: e.starts):
        roster = rosters[event.id]
        if event.ends <= now:
            continue
        line = _session_line(event, roster, now, tz)
        data.sessions.append(line)
        if line.overbooked:
            data.todos.append(overbooked_todo(event, roster.with_status(Status.CONFIRMED),
                                              len(line.offers)))
        data.todos.extend(lapsing_todos(event, roster.with_status(Status.OFFERED), now, tz))

    # 2. What changed.
    data.changes = changes(uow, entries, {e.id: e.title for e in settings.events})
    return data


def _audit_since(uow: UnitOfWork, now: datetime, since_id: int | None) -> list[AuditEntry]:
    """The audit entries after the last digest's newest, or the last day's for the first."""
    query = select(AuditEntry)
    if since_id is not None:
        query = query.where(col(AuditEntry.id) > since_id)
    else:
        query = query.where(col(AuditEntry.at) >= now - FIRST_LOOK_BACK)
    return list(uow.session.exec(query.order_by(col(AuditEntry.id))).all())


def _session_line(event: EventInfo, roster: Roster, now: datetime, tz: tzinfo) -> SessionLine:
    offers = roster.with_status(Status.OFFERED)
    return SessionLine(
        event=event, confirmed=len(roster.with_status(Status.CONFIRMED)),
        offers=tuple((p.email, p.offer_expires) for p in offers),
        waiting=len(roster.waitlist),
        registration_open=roster.registration_open(now) and not roster.started(now),
        deadline=(event.registration_closes - timedelta(days=1)).astimezone(tz))


def _last_audit_id(uow: UnitOfWork) -> int | None:
    value = uow.get_setting(LAST_AUDIT)
    return int(value) if value and value.isdigit() else None


def _render(desk: Desk, data: DigestData) -> Digest:
    templates = desk.composer.templates
    values = {"d": data, "coordinator": desk.settings.coordinator,
              "series": desk.composer.head.series,
              "first_name": given_name(desk.settings.coordinator.name, "there"),
              "tz": desk.settings.coordinator.timezone}
    return Digest(text=templates.render("digest.txt.j2", False, **values) + "\n",
                  html=templates.render("digest.html.j2", True, **values) + "\n",
                  subject=templates.subject("digest", **values))


def render_digest(desk: Desk) -> Digest:
    """The digest as it would go now, without recording or sending anything."""
    now = desk.clock()
    with unit_of_work(desk.engine) as uow:
        data = gather(uow, desk.settings, now, _last_audit_id(uow))
    return _render(desk, data)


def compose_digest(desk: Desk, digest: Digest, now: datetime) -> Outgoing:
    settings = desk.settings
    message_id = make_message_id(settings.smtp.from_address, desk.composer.new_token())
    # Bodies are encoded as quoted-printable lines of <= 76 (RFC 2045 6.7); only the whole
    # message is written with the long-line policy, which keeps msg-ids unfolded.
    msg = EmailMessage(policy=BODY_POLICY)
    desk_name = f"{settings.series.name} registrations" if settings.series.name else \
        "Registrations"
    msg["From"] = email.utils.formataddr((desk_name, settings.smtp.from_address))
    msg["To"] = email.utils.formataddr((settings.coordinator.name, settings.coordinator.email))
    msg["Subject"] = digest.subject
    msg["Date"] = email.utils.format_datetime(now)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = AUTO_RESPONSE_SUPPRESS
    msg["X-Mailflow-Outcome"] = "digest"
    msg.set_content(digest.text, cte="quoted-printable")
    msg.add_alternative(digest.html, subtype="html", cte="quoted-printable")
    no_inner_mime_version(msg)
    return Outgoing(kind="digest", recipient=settings.coordinator.email, subject=digest.subject,
                    outcome="digest", event_ids=(), in_reply_to="", message_id=message_id,
                    raw=msg.as_bytes(policy=DIGEST_POLICY))


def queue_digest(desk: Desk, *, force: bool = False) -> Outgoing | None:
    """Queue today's digest unless one already went today (force: send another anyway).

    The local date is recorded in the same transaction as the outbox row, so a crash or
    restart can neither lose today's digest nor send it twice.
    """
    now = desk.clock()
    today = now.astimezone(desk.settings.coordinator.timezone).date().isoformat()
    with unit_of_work(desk.engine) as uow:
        last = uow.session.get(Setting, LAST_DATE, with_for_update=True)
        if not force and last is not None and last.value == today:
            return None
        data = gather(uow, desk.settings, now, _last_audit_id(uow))
        mail = compose_digest(desk, _render(desk, data), now)
        outbox.queue(uow.queue, mail, "digest", now)
        uow.put_setting(LAST_DATE, today, now)
        uow.put_setting(LAST_AUDIT, str(data.last_audit_id), now)
        uow.commit()
    log.info("digest for %s queued to %s (%d item(s) need attention)", today,
             desk.settings.coordinator.email, len(data.todos))
    return mail
