"""Read-only views of the store for status, sessions, rosters, outbox, attention and history."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, func, select

from mailflow.config import Settings, config_warnings
from mailflow.filing import filing_state
from mailflow.login_watch import refusals
from mailflow.outbox_state import PAUSE_KEY, Pause
from mailflow.poll import LAST_POLL
from mailflow.seats import Status
from mailflow.store import InviteRow, OutboxRow, UnitOfWork

ROSTER_FIELDS = ["status", "email", "name", "organisation", "registered_at", "expires_at",
                 "position", "calendar"]
EXPORT_FIELDS = ["event", "title", "starts", *ROSTER_FIELDS]


def iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def age(since: datetime | None, now: datetime) -> str:
    """"3 min", "5 h", "2 days": how long something has been waiting."""
    if since is None:
        return ""
    seconds = max(0.0, (now - since).total_seconds())
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


def who(email: str, names: dict[str, str]) -> str:
    """"Ngozi Okafor <ngozi@…>" when their mail carried a name, else the bare address."""
    name = names.get(email, "")
    return f"{name} <{email}>" if name else email


def sessions_data(uow: UnitOfWork, settings: Settings, now: datetime) -> list[dict[str, Any]]:
    rosters = uow.lock_rosters(settings.events, lock=False)
    rows = []
    for event in sorted(settings.events, key=lambda e: e.starts):
        roster = rosters[event.id]
        confirmed = len(roster.with_status(Status.CONFIRMED))
        offered = len(roster.with_status(Status.OFFERED))
        rows.append({
            "id": event.id,
            "number": event.ordinal,
            "title": event.title,
            "format": event.format,
            "starts": event.starts.isoformat(),
            "capacity": event.capacity,
            "confirmed": confirmed,
            "offered": offered,
            "waitlisted": len(roster.waitlist),
            "free": max(0, event.capacity - confirmed - offered),
            "registration_deadline": (event.registration_closes - timedelta(days=1)
                                      ).date().isoformat(),
            "registration_open": roster.registration_open(now) and not roster.started(now),
            "over": event.ends <= now,
        })
    return rows


def outbox_data(uow: UnitOfWork, now: datetime, failed_only: bool = False
                ) -> list[dict[str, Any]]:
    """Mail not yet sent (pending, being sent, failed), oldest first, with why it waits."""
    wanted = ["failed"] if failed_only else ["pending", "sending", "failed"]
    rows = list(uow.session.exec(select(OutboxRow).where(col(OutboxRow.status).in_(wanted))
                                 .order_by(col(OutboxRow.id))).all())
    names = uow.names_of(sorted({r.recipient for r in rows}))
    return [{
        "id": r.id,
        "status": r.status,
        "kind": r.kind,
        "recipient": r.recipient,
        "to": who(r.recipient, names),
        "subject": r.subject,
        "outcome": r.outcome,
        "attempts": r.attempts,
        "reason": r.last_error,
        "queued_at": iso(r.created_at),
        "age": age(r.created_at, now),
        "next_attempt_at": iso(r.next_attempt_at) if r.status == "pending" else None,
    } for r in rows]


def status_data(uow: UnitOfWork, settings: Settings, now: datetime) -> dict[str, Any]:
    pending = uow.session.exec(select(func.count()).select_from(OutboxRow)
                               .where(OutboxRow.status == "pending")).one()
    failed = uow.session.exec(select(func.count()).select_from(OutboxRow)
                              .where(OutboxRow.status == "failed")).one()
    # Mail that failed, or keeps being deferred, with the reason: a send problem is visible.
    problems = [r for r in outbox_data(uow, now) if r["status"] == "failed" or r["reason"]]
    keys = ("id", "title", "starts", "capacity", "confirmed", "offered", "waitlisted",
            "registration_open")
    updates = uow.session.exec(select(OutboxRow.status, func.count()).where(
        OutboxRow.kind == "update").group_by(OutboxRow.status)).all()
    return {
        "events": [{k: e[k] for k in keys} for e in sessions_data(uow, settings, now)],
        "needs_attention": len(uow.attention()),
        # Updated or withdrawn calendar entries after a session changed in the config.
        "calendar_updates": {status: int(n) for status, n in updates},
        "outbox": {"pending": int(pending), "failed": int(failed)},
        "undelivered": problems,
        "sending_paused": _pause(uow),
        # Folders the IMAP server refuses: handled mail waits in place, the move is retried.
        "filing_refused": [{"folder": t.folder, "reason": t.reason, "since": iso(t.since),
                            "next_attempt": iso(t.retry_at), "attempts": t.failures}
                           for t in filing_state(uow)],
        # Logins the servers keep refusing (mailbox, smtp): not outages, someone must act.
        "logins_refused": {what: {"account": r.account, "reason": r.reason,
                                  "since": iso(r.since), "attempts": r.attempts,
                                  "next_attempt": iso(r.next_attempt),
                                  "coordinator_told": r.notified, "summary": r.line()}
                           for what, r in refusals(uow).items()},
        "worker": {"last_poll": uow.get_setting(LAST_POLL),
                   "last_digest": uow.get_setting("digest.last_date")},
        "warnings": config_warnings(settings, now),
    }


def calendar_answers(uow: UnitOfWork, event_id: str) -> dict[str, str]:
    """email -> the member's last calendar answer to their invite for one session."""
    rows = uow.session.exec(select(InviteRow.email, InviteRow.partstat).where(
        InviteRow.event_id == event_id, InviteRow.partstat != "")).all()
    return {email: partstat for email, partstat in rows}


def _pause(uow: UnitOfWork) -> dict[str, Any] | None:
    """Why sending is paused (the SMTP server's trouble, shared by every process), if it is."""
    pause = Pause.decode(uow.get_setting(PAUSE_KEY))
    if pause is None:
        return None
    return {"since": iso(pause.since), "until": iso(pause.until), "reason": pause.reason,
            "attempts": pause.attempts}


def roster_data(uow: UnitOfWork, settings: Settings, event_id: str) -> dict[str, Any] | None:
    event = settings.event(event_id)
    if event is None:
        return None
    roster = uow.lock_rosters([event], lock=False)[event_id]
    names = uow.names_of([p.email for p in roster.places if not p.name])
    answered = calendar_answers(uow, event_id)

    def name(p: Any) -> str:
        return str(p.name or names.get(p.email, ""))

    return {
        "event": event_id,
        "title": event.title,
        # "calendar": what they answered the invite in their calendar ("accepted",
        # "tentative"), "" when they have not (declining gives the place up).
        "confirmed": [{"email": p.email, "name": name(p), "organisation": p.organisation,
                       "registered_at": iso(p.joined_at),
                       "calendar": answered.get(p.email, "").lower()}
                      for p in sorted(roster.with_status(Status.CONFIRMED),
                                      key=lambda p: p.joined_at)],
        "offered": [{"email": p.email, "expires_at": iso(p.offer_expires), "name": name(p),
                     "organisation": p.organisation}
                    for p in roster.with_status(Status.OFFERED)],
        # registered_at for the waiting list too: when they asked (joined the list).
        "waitlist": [{"email": p.email, "position": n, "name": name(p),
                      "organisation": p.organisation, "registered_at": iso(p.joined_at)}
                     for n, p in enumerate(roster.waitlist, start=1)],
    }


def roster_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The roster flattened for CSV: one row per person, with their standing."""
    blank = {"name": "", "organisation": "", "registered_at": "", "expires_at": "",
             "position": "", "calendar": ""}
    return ([{"status": "confirmed", **blank, **p} for p in data["confirmed"]]
            + [{"status": "offered", **blank, **p} for p in data["offered"]]
            + [{"status": "waitlisted", **blank, **p} for p in data["waitlist"]])


def export_rows(uow: UnitOfWork, settings: Settings) -> list[dict[str, Any]]:
    """Every session's roster in one table: the whole series for a spreadsheet."""
    rows = []
    for event in sorted(settings.events, key=lambda e: e.starts):
        data = roster_data(uow, settings, event.id)
        assert data is not None
        rows += [{"event": event.id, "title": event.title, "starts": event.starts.isoformat(),
                  **r} for r in roster_rows(data)]
    return rows


def attention_data(uow: UnitOfWork) -> list[dict[str, Any]]:
    rows = uow.attention()
    names = uow.names_of(sorted({r.sender for r in rows if r.sender}))
    items = []
    for row in rows:
        evidence: dict[str, Any] = {}
        if row.evidence.startswith("{"):
            try:
                evidence = json.loads(row.evidence)
            except ValueError:
                evidence = {}
        items.append({
            "id": row.id, "message_id": row.message_id, "sender": row.sender,
            "from": who(row.sender, names) if row.sender else "(no sender)",
            "subject": row.subject, "received_at": iso(row.received_at or row.handled_at),
            "why": row.reason or row.outcome, "read_as": evidence,
            "said": " ".join(row.excerpt.split())[:200],
        })
    return items


def history_data(uow: UnitOfWork, email: str) -> dict[str, Any]:
    entries = uow.history(email)
    return {"email": email, "name": uow.names_of([email]).get(email, ""),
            "entries": [{"at": iso(e.at), "event": e.event_id, "action": e.action,
                         "actor": e.actor, "cause": e.cause, "detail": e.detail}
                        for e in entries]}
