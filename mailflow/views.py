"""Read-only views of the store for status, roster, attention and history output."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import func, select

from mailflow.config import Settings
from mailflow.login_watch import refusals
from mailflow.seats import Status
from mailflow.store import InviteRow, OutboxRow, UnitOfWork


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def status_data(uow: UnitOfWork, settings: Settings, now: datetime) -> dict[str, Any]:
    rosters = uow.lock_rosters(settings.events, lock=False)
    events = []
    for event in sorted(settings.events, key=lambda e: e.starts):
        roster = rosters[event.id]
        events.append({
            "id": event.id,
            "title": event.title,
            "starts": event.starts.isoformat(),
            "capacity": event.capacity,
            "confirmed": len(roster.with_status(Status.CONFIRMED)),
            "offered": len(roster.with_status(Status.OFFERED)),
            "waitlisted": len(roster.waitlist),
            "registration_open": roster.registration_open(now) and not roster.started(now),
        })
    pending = uow.session.exec(select(func.count()).select_from(OutboxRow)
                               .where(OutboxRow.status == "pending")).one()
    failed = uow.session.exec(select(func.count()).select_from(OutboxRow)
                              .where(OutboxRow.status == "failed")).one()
    updates = uow.session.exec(select(OutboxRow.status, func.count()).where(
        OutboxRow.kind == "update").group_by(OutboxRow.status)).all()
    return {
        "events": events,
        "needs_attention": len(uow.attention()),
        # Updated or withdrawn calendar entries after a session changed in the config.
        "calendar_updates": {status: int(n) for status, n in updates},
        "outbox": {"pending": int(pending), "failed": int(failed)},
        "worker": {"last_poll": uow.get_setting("worker.last_poll"),
                   "last_digest": uow.get_setting("digest.last_date")},
        # Logins the servers keep refusing (mailbox, smtp): not outages, someone must act.
        "logins_refused": {what: {"account": r.account, "reason": r.reason,
                                  "since": iso(r.since), "attempts": r.attempts,
                                  "next_attempt": iso(r.next_attempt),
                                  "coordinator_told": r.notified, "summary": r.line()}
                           for what, r in refusals(uow).items()},
    }


def calendar_answers(uow: UnitOfWork, event_id: str) -> dict[str, str]:
    """email -> the member's last calendar answer to their invite for one session."""
    rows = uow.session.exec(select(InviteRow.email, InviteRow.partstat).where(
        InviteRow.event_id == event_id, InviteRow.partstat != "")).all()
    return {email: partstat for email, partstat in rows}


def roster_data(uow: UnitOfWork, settings: Settings, event_id: str) -> dict[str, Any] | None:
    event = settings.event(event_id)
    if event is None:
        return None
    roster = uow.lock_rosters([event], lock=False)[event_id]
    answered = calendar_answers(uow, event_id)
    return {
        "event": event_id,
        # "calendar": what they answered the invite in their calendar ("accepted",
        # "tentative"), "" when they have not (declining gives the place up).
        "confirmed": [{"email": p.email, "name": p.name, "organisation": p.organisation,
                       "registered_at": iso(p.joined_at),
                       "calendar": answered.get(p.email, "").lower()}
                      for p in sorted(roster.with_status(Status.CONFIRMED),
                                      key=lambda p: p.joined_at)],
        "offered": [{"email": p.email, "expires_at": iso(p.offer_expires), "name": p.name,
                     "organisation": p.organisation}
                    for p in roster.with_status(Status.OFFERED)],
        "waitlist": [{"email": p.email, "position": n, "name": p.name,
                      "organisation": p.organisation}
                     for n, p in enumerate(roster.waitlist, start=1)],
    }


def roster_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The roster flattened for CSV: one row per person, with their standing."""
    blank = {"name": "", "organisation": "", "registered_at": "", "expires_at": "",
             "position": "", "calendar": ""}
    return ([{"status": "confirmed", **blank, **p} for p in data["confirmed"]]
            + [{"status": "offered", **blank, **p} for p in data["offered"]]
            + [{"status": "waitlisted", **blank, **p} for p in data["waitlist"]])
