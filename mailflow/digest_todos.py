"""What needs the coordinator in the digest, each with why and the commands that settle it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from sqlmodel import col, select

from mailflow.filing import filing_state
from mailflow.model import EventInfo
from mailflow.outbox_state import PAUSE_KEY, Pause, delivery_state
from mailflow.seats import Place, Status
from mailflow.store import AuditEntry, HandledMessage, OutboxRow, PersonRow, UnitOfWork

LAPSING_WITHIN = timedelta(hours=24)  # offers lapsing before the next digest
EXCERPT = 240
UNDELIVERED_SHOWN = 5  # held-up mail listed one by one; the rest are counted

ADD_INTENTS = ("register", "accept-offer")
REMOVE_INTENTS = ("cancel", "decline-offer", "substitute")


@dataclass(frozen=True)
class Todo:
    """One thing that needs the coordinator, with why and the commands that settle it."""

    kind: str  # undelivered | filing | message | bounce | overbooked | lapsing
    title: str
    why: str
    excerpt: str = ""
    commands: tuple[str, ...] = ()
    advice: str = ""


def _one_line(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def message_todo(row: HandledMessage) -> Todo:
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


def undelivered_todos(uow: UnitOfWork, now: datetime) -> list[Todo]:
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


def outage_and_filing_todos(uow: UnitOfWork, since: datetime | None, tz: tzinfo
                             ) -> list[Todo]:
    """A sending pause that began and ended since the last digest; folders refusing filing."""
    todos = []
    outage = delivery_state(uow).last_outage
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


def bounce_todos(uow: UnitOfWork, entries: Sequence[AuditEntry]) -> list[Todo]:
    """One per address whose mail bounced in these entries, with the places it still holds."""
    bounced: dict[str, str] = {}
    for entry in entries:
        if entry.action == "bounced":
            bounced[entry.email] = entry.detail
    todos = []
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
        todos.append(Todo(kind="bounce", title=f"Mail to {address} bounced",
                          why=(detail or "no reason given")
                          + (f"; they are {held}" if held else ""),
                          commands=commands, advice=advice))
    return todos


def overbooked_todo(event: EventInfo, confirmed: Sequence[Place], offered: int) -> Todo:
    """A session with more places given (confirmed or offered) than it has."""
    # Someone forced in over capacity first, else the latest booking.
    latest = max(confirmed, key=lambda p: (p.forced, p.joined_at, p.id or 0), default=None)
    return Todo(
        kind="overbooked", title=f"{event.title} is overbooked",
        why=f"{len(confirmed)} confirmed and {offered} offered for {event.capacity} places",
        commands=(f"mailflow remove {latest.email if latest else 'EMAIL'} {event.id}",),
        advice="Take someone off (the latest booking is shown), or raise its "
               "capacity in config.toml if the room allows.")


def lapsing_todos(event: EventInfo, offers: Sequence[Place], now: datetime, tz: tzinfo
                  ) -> list[Todo]:
    """Offers that lapse before the next digest: nothing to do, but she may want to know."""
    return [Todo(
        kind="lapsing",
        title=f"{p.email}'s offer for {event.title} lapses at "
              f"{p.offer_expires.astimezone(tz):%H:%M on %a %-d %b}",
        why="no answer yet",
        commands=(f"mailflow add {p.email} {event.id}",),
        advice="Nothing to do: if they stay silent it passes to the next person. "
               "To book them anyway:")
        for p in offers
        if p.offer_expires is not None and p.offer_expires - now <= LAPSING_WITHIN]
