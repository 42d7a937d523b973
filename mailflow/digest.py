"""The coordinator's daily digest: what needs her, each session's numbers, what changed since."""

from __future__ import annotations

import email.policy
import email.utils
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from email.message import EmailMessage

from sqlmodel import col, func, select

from mailflow import outbox
from mailflow.config import Settings
from mailflow.filing import filing_state
from mailflow.handle import Desk
from mailflow.hygiene import make_message_id
from mailflow.model import EventInfo
from mailflow.names import given_name
from mailflow.outbox import PAUSE_KEY, Pause
from mailflow.reply import AUTO_RESPONSE_SUPPRESS, Outgoing, no_inner_mime_version
from mailflow.seats import Status
from mailflow.store import (
    AuditEntry,
    HandledMessage,
    OutboxRow,
    PersonRow,
    PlaceRow,
    Setting,
    UnitOfWork,
    unit_of_work,
)

log = logging.getLogger("mailflow.digest")

LAST_DATE = "digest.last_date"  # local date of the last digest queued (YYYY-MM-DD)
LAST_AUDIT = "digest.last_audit_id"  # the newest audit row the last digest reported
LAPSING_WITHIN = timedelta(hours=24)  # offers lapsing before the next digest
FIRST_LOOK_BACK = timedelta(hours=24)  # the first digest ever reports the last day
EXCERPT = 240
UNDELIVERED_SHOWN = 5  # held-up mail listed one by one; the rest are counted
# Once a day, so the modern policy's cost does not matter; never fold inside a Message-ID.
DIGEST_POLICY = email.policy.SMTP.clone(max_line_length=998)
BODY_POLICY = email.policy.SMTP.clone(max_line_length=76)  # encodes QP lines of <= 76

ADD_INTENTS = ("register", "accept-offer")
REMOVE_INTENTS = ("cancel", "decline-offer", "substitute")


@dataclass(frozen=True)
class Digest:
    text: str
    html: str
    subject: str


@dataclass(frozen=True)
class Todo:
    """One thing that needs the coordinator, with why and the commands that settle it."""

    kind: str  # undelivered | filing | message | bounce | overbooked | lapsing
    title: str
    why: str
    excerpt: str = ""
    commands: tuple[str, ...] = ()
    advice: str = ""


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


@dataclass(frozen=True)
class ChangeGroup:
    """What happened to one session (or to no session) since the last digest."""

    title: str
    lines: tuple[tuple[str, tuple[str, ...]], ...]  # (what happened, who)


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


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def _message_todo(row: HandledMessage) -> Todo:
    ev: dict[str, object] = {}
    if row.evidence.startswith("{"):
        try:
            ev = json.loads(row.evidence)
        except ValueError:
            ev = {}
    intent = str(ev.get("intent", ""))
    events = [str(e) for e in ev.get("events", []) or []]  # type: ignore[attr-defined]
    sender = row.sender or "EMAIL"
    commands: list[str] = []
    if intent in ADD_INTENTS:
        commands += [f"mailflow add {sender} {e}" for e in events] or \
            [f"mailflow add {sender} EVENT_ID"]
    elif intent in REMOVE_INTENTS:
        commands += [f"mailflow remove {sender} {e}" for e in events] or \
            [f"mailflow remove {sender} EVENT_ID"]
    commands.append(f'mailflow resolve {row.id} --note "…"')
    if intent in ADD_INTENTS or intent in REMOVE_INTENTS:
        advice = "If that is what they meant, change the booking, then mark it resolved."
    else:
        advice = "Reply to them yourself if it needs an answer, then mark it resolved."
    received = row.received_at or row.handled_at
    return Todo(kind="message",
                title=f"[{row.id}] {row.sender or '(no sender)'}: “{_one_line(row.subject, 80)}”"
                      f" ({received:%-d %b})",
                why=row.reason or row.outcome, excerpt=_one_line(row.excerpt, EXCERPT),
                commands=tuple(commands), advice=advice)


def _undelivered_todos(uow: UnitOfWork, now: datetime) -> list[Todo]:
    """Mail given up on, or deferred with an error, each with the reason and the retry."""
    rows = list(uow.session.exec(
        select(OutboxRow).where(col(OutboxRow.kind) != "digest",
                                (col(OutboxRow.status) == "failed")
                                | ((col(OutboxRow.status) == "pending")
                                   & (col(OutboxRow.last_error) != "")))
        .order_by(col(OutboxRow.id))).all())
    todos = []
    pause = Pause.decode(uow.get_setting(PAUSE_KEY))
    if pause is not None:
        todos.append(Todo(
            kind="undelivered",
            title=f"Sending is paused since {pause.since:%-d %b %H:%M} ({pause.attempts} "
                  "attempt(s)): nothing goes out until the SMTP server works",
            why=pause.reason, commands=("mailflow health",),
            advice="mailflow retries by itself and gives nothing up; check the [smtp] "
                   "settings or the server, then:"))
    for row in rows[:UNDELIVERED_SHOWN]:
        failed = row.status == "failed"
        todos.append(Todo(
            kind="undelivered",
            title=f"Mail to {row.recipient} {'could not be sent' if failed else 'is held up'}:"
                  f" “{_one_line(row.subject, 80)}” (queued {row.created_at:%-d %b %H:%M}, "
                  f"{row.attempts} attempt(s))",
            why=row.last_error or "no reason recorded",
            commands=(f"mailflow outbox retry {row.id}",) if failed else ("mailflow outbox",),
            advice="mailflow gave up on it; once the cause is fixed, send it again:"
                   if failed else "mailflow keeps retrying by itself; to see the queue:"))
    if len(rows) > UNDELIVERED_SHOWN:
        todos.append(Todo(kind="undelivered",
                          title=f"…and {len(rows) - UNDELIVERED_SHOWN} more held-up message(s)",
                          why="the same trouble, most likely",
                          commands=("mailflow outbox", "mailflow outbox retry --all"),
                          advice="See them all, and send the failed ones again:"))
    return todos


def _outage_and_filing_todos(uow: UnitOfWork, since: datetime | None, tz: tzinfo
                             ) -> list[Todo]:
    """A sending pause that began and ended since the last digest; folders refusing filing."""
    todos = []
    outage = outbox.delivery_state(uow).last_outage
    if outage and uow.get_setting(PAUSE_KEY) in (None, "") and (
            since is None or datetime.fromisoformat(outage["ended"]) > since):
        began = datetime.fromisoformat(outage["since"]).astimezone(tz)
        ended = datetime.fromisoformat(outage["ended"]).astimezone(tz)
        todos.append(Todo(
            kind="undelivered",
            title=f"Sending was paused from {began:%-d %b %H:%M} to {ended:%-d %b %H:%M}",
            why=outage["reason"],
            advice="Nothing to do: what waited was sent once the server took mail again."))
    for trouble in filing_state(uow):
        todos.append(Todo(
            kind="filing", title=f"Handled mail cannot be moved into {trouble.folder!r}",
            why=f"{trouble.reason} (since {trouble.since.astimezone(tz):%-d %b %H:%M})",
            advice="Mail is still read and answered; it stays in the inbox until the folder "
                   "can be made: create the folder, or check the account's permissions."))
    return todos


def gather(uow: UnitOfWork, settings: Settings, now: datetime, since_id: int | None
           ) -> DigestData:
    """Read everything the digest shows, in one transaction."""
    tz = settings.coordinator.timezone
    since_row = uow.session.get(Setting, LAST_AUDIT)
    data = DigestData(now=now, since=since_row.updated_at if since_row else None)
    rosters = uow.lock_rosters(settings.events)
    titles = {e.id: e.title for e in settings.events}

    # 1. What needs her: mail that could not go first, since nobody else will notice it.
    data.todos.extend(_undelivered_todos(uow, now))
    data.todos.extend(_outage_and_filing_todos(uow, data.since, tz))
    data.todos.extend(_message_todo(r) for r in uow.attention())
    audit_query = select(AuditEntry)
    if since_id is not None:
        audit_query = audit_query.where(col(AuditEntry.id) > since_id)
    else:
        audit_query = audit_query.where(col(AuditEntry.at) >= now - FIRST_LOOK_BACK)
    entries = list(uow.session.exec(audit_query.order_by(col(AuditEntry.id))).all())
    newest = uow.session.exec(select(func.max(AuditEntry.id))).one()
    data.last_audit_id = int(newest or 0)
    bounced: dict[str, str] = {}
    for entry in entries:
        if entry.action == "bounced":
            bounced[entry.email] = entry.detail
    for address, detail in bounced.items():
        person = uow.session.get(PersonRow, address)
        places = [(r.event_id, r.status) for r in uow.places_of(address)
                  if r.status in (Status.CONFIRMED, Status.OFFERED, Status.WAITLISTED)]
        silenced = person is not None and person.hard_bounces >= 3
        if places:
            commands = tuple(f"mailflow remove {address} {event_id}" for event_id, _ in places)
            advice = ("If the address is dead, take them off so the place goes to someone "
                      "else; or find a working address for them.")
        else:
            commands = ()
            advice = "They hold no place, so nothing needs doing unless you know them."
        if silenced:
            advice += " mailflow has stopped writing to this address."
        held = ", ".join(f"{s} on {e}" for e, s in places)
        data.todos.append(Todo(kind="bounce", title=f"Mail to {address} bounced",
                               why=(detail or "no reason given")
                               + (f"; they are {held}" if held else ""),
                               commands=commands, advice=advice))
    for event in sorted(settings.events, key=lambda e: e.starts):
        roster = rosters[event.id]
        confirmed = roster.with_status(Status.CONFIRMED)
        offers = roster.with_status(Status.OFFERED)
        line = SessionLine(
            event=event, confirmed=len(confirmed),
            offers=tuple((p.email, p.offer_expires) for p in offers),
            waiting=len(roster.waitlist),
            registration_open=roster.registration_open(now) and not roster.started(now),
            deadline=(event.registration_closes - timedelta(days=1)).astimezone(tz))
        if event.ends <= now:
            continue
        data.sessions.append(line)
        if line.overbooked:
            # Someone forced in over capacity first, else the latest booking.
            latest = max(confirmed, key=lambda p: (p.forced, p.joined_at, p.id or 0),
                         default=None)
            data.todos.append(Todo(
                kind="overbooked", title=f"{event.title} is overbooked",
                why=f"{line.confirmed} confirmed and {len(offers)} offered for "
                    f"{event.capacity} places",
                commands=(f"mailflow remove {latest.email if latest else 'EMAIL'} {event.id}",),
                advice="Take someone off (the latest booking is shown), or raise its "
                       "capacity in config.toml if the room allows."))
        for p in offers:
            if p.offer_expires is not None and p.offer_expires - now <= LAPSING_WITHIN:
                data.todos.append(Todo(
                    kind="lapsing",
                    title=f"{p.email}'s offer for {event.title} lapses at "
                          f"{p.offer_expires.astimezone(tz):%H:%M on %a %-d %b}",
                    why="no answer yet",
                    commands=(f"mailflow add {p.email} {event.id}",),
                    advice="Nothing to do: if they stay silent it passes to the next person. "
                           "To book them anyway:"))

    # 2. What changed.
    data.changes = _changes(uow, entries, titles)
    return data


def _changes(uow: UnitOfWork, entries: Sequence[AuditEntry], titles: dict[str, str]
             ) -> list[ChangeGroup]:
    grouped: dict[str, dict[str, list[str]]] = {}
    for entry in entries:
        what = _phrase(uow, entry)
        if what is None:
            continue
        key = entry.event_id if entry.event_id in titles else ""
        who = entry.email
        if entry.action in ("substituted", "declined-in-calendar") and entry.detail:
            who = f"{entry.email} ({entry.detail})"
        people = grouped.setdefault(key, {}).setdefault(what, [])
        if who not in people:
            people.append(who)
    groups: list[ChangeGroup] = []
    for key in [k for k in titles if k in grouped] + ([""] if "" in grouped else []):
        groups.append(ChangeGroup(
            title=titles.get(key, "Other"),
            lines=tuple((what, tuple(who)) for what, who in grouped[key].items())))
    return groups


def _phrase(uow: UnitOfWork, entry: AuditEntry) -> str | None:
    action, by_you = entry.action, entry.actor == "coordinator"
    if action == "confirmed":
        if by_you:
            return "added by you"
        earlier_offer = uow.session.exec(select(AuditEntry.id).where(
            AuditEntry.email == entry.email, AuditEntry.event_id == entry.event_id,
            AuditEntry.action == "offered", col(AuditEntry.id) < entry.id)).first()
        return "accepted an offer" if earlier_offer is not None else "registered"
    if action == "substituted":
        place = uow.session.exec(select(PlaceRow.status).where(
            PlaceRow.email == entry.email, PlaceRow.event_id == entry.event_id)).first()
        return "passed their place on" if place == Status.SUBSTITUTED else "took over a place"
    return {
        "waitlisted": "joined the waiting list",
        "cancelled": "removed by you" if by_you else "cancelled",
        "offered": "offered a place",
        "offer-declined": "declined an offer",
        "offer-expired": "let an offer lapse",
        "removed": "removed by you",
        "moved": "moved on the waiting list",
        "reminded": "sent a reminder",
        "resolved": "message resolved",
        "bounced": "mail bounced",
        "declined-in-calendar": "declined in their calendar",
        "accepted-in-calendar": "accepted in their calendar",
        "tentative-in-calendar": "answered tentative in their calendar",
        "calendar-updated": "sent an updated calendar entry",
        "calendar-cancelled": "calendar entry withdrawn (session no longer in the config)",
        "complained": "marked our mail as spam (no more mail to them)",
    }.get(action)


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
