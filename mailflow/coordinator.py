"""The coordinator's own hand on the seat book: add, remove, move, resolve — each audited."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from mailflow.handle import Desk
from mailflow.outbox_state import PAUSE_KEY, Pause, retry
from mailflow.seats import Notice, Roster
from mailflow.store import AuditEntry, HandledMessage, OutboxRow, UnitOfWork, unit_of_work


@dataclass(frozen=True)
class CommandResult:
    ok: bool
    message: str
    notices: tuple[Notice, ...] = ()
    # Why it did nothing: "" (it did something), "no-op" (already so: not a failure),
    # "refused" (the book's rules said no), "invalid" (no such session, message or address).
    declined: str = ""


def change_seat(desk: Desk, action: str, email: str, event_id: str, *, command: str,
                force: bool = False, position: int | None = None,
                quiet: bool = False) -> CommandResult:
    """Apply one coordinator command to one session's book and queue the member's mail."""
    email = email.strip().lower()
    invalid = _check_command(desk, action, email, event_id, force)
    if invalid is not None:
        return invalid
    # Bring the books up to date first (lapsed offers, a capacity raised in the config), so
    # the command acts on the seats as the worker would see them, not on stale ones.
    desk.sweep(cause=f"offer sweep before {command}")
    now = desk.clock()
    with unit_of_work(desk.engine) as uow:
        rosters = uow.lock_rosters(desk.settings.events)
        roster = rosters[event_id]
        existing = roster.place(email)
        was = existing.status.value if existing else ""
        notices = _apply(desk, uow, roster, action, email, now, force, position)
        first = notices[0]
        declined = _declined(action, first.outcome, email, event_id, notices)
        if declined is not None:
            return declined
        uow.save_rosters(rosters, now)
        _audit_change(desk, uow, action, email, event_id, notices, was, command, now)
        mail = [n for n in notices if not (quiet and n.email == email)]
        desk.queue_notices(uow, mail, command, now)
        uow.commit()
    told = "" if quiet else " The member will be told at the next send."
    return CommandResult(True, f"{email}: {first.outcome} on {event_id}"
                               f"{f' (position {first.position})' if first.position else ''}."
                               f"{told}", tuple(notices))


def _check_command(desk: Desk, action: str, email: str, event_id: str,
                   force: bool) -> CommandResult | None:
    """Why the command cannot even be tried (no such session, no address, not a member)."""
    if desk.settings.event(event_id) is None:
        known = ", ".join(e.id for e in desk.settings.events)
        return CommandResult(False, f"No session with id {event_id!r}. Known: {known}.",
                             declined="invalid")
    if "@" not in email:
        return CommandResult(False, f"{email!r} is not an email address.", declined="invalid")
    if action == "add" and not force:
        refused = _not_a_full_member(desk, email)
        if refused:
            return CommandResult(False, refused, declined="refused")
    return None


def _apply(desk: Desk, uow: UnitOfWork, roster: Roster, action: str, email: str,
           now: datetime, force: bool, position: int | None) -> list[Notice]:
    """The command on the locked roster; its notices, the first about `email` itself."""
    if action == "add":
        org = desk.directory.organisation(email)
        existing = roster.place(email)
        name = existing.name if existing and existing.name else \
            uow.names_of([email]).get(email, "")
        return roster.add(email, name, org.name if org else "", now, force)
    if action == "remove":
        return [dataclasses.replace(n, role="removed") if n.email == email else n
                for n in roster.remove(email, now, desk.hold)]
    if action == "move":
        return roster.move(email, position or 1)
    raise ValueError(action)


def _declined(action: str, outcome: str, email: str, event_id: str,
              notices: list[Notice]) -> CommandResult | None:
    """The answer when the book did not change, or None when it did."""
    refused = _refusal(outcome, email, event_id)
    if action == "move" and outcome == "not-registered":
        refused = f"{email} is not on the waiting list for {event_id}; nothing changed."
    if not refused:
        return None
    # "Already so" is no failure; a rule saying no, or a move of someone not waiting, is.
    kind = "refused" if outcome == "event-over" or action == "move" else "no-op"
    return CommandResult(False, refused, tuple(notices), declined=kind)


def _audit_change(desk: Desk, uow: UnitOfWork, action: str, email: str, event_id: str,
                  notices: list[Notice], was: str, command: str, now: datetime) -> None:
    # One entry per change that says what happened: a move or removal recorded as
    # "waitlisted"/"cancelled" would read as the member's own doing.
    if action == "move":
        uow.audit(AuditEntry(at=now, email=email, event_id=event_id, action="moved",
                             actor="coordinator", cause=command,
                             detail=f"to waiting-list position {notices[0].position}"))
    elif action == "remove":
        uow.audit(AuditEntry(at=now, email=email, event_id=event_id, action="removed",
                             actor="coordinator", cause=command, detail=f"was {was}"))
        desk.audit_notices(uow, notices[1:], "coordinator", command, now)
    else:
        desk.audit_notices(uow, notices, "coordinator", command, now)


def _refusal(outcome: str, email: str, event_id: str) -> str:
    """Why a command changed nothing, or "" when it did change the book."""
    if outcome == "not-registered":
        return f"{email} holds no place on {event_id}; nothing changed."
    if outcome == "already-registered":
        return f"{email} already has a place on {event_id}; nothing changed."
    if outcome == "already-waitlisted":
        return (f"{email} is already on the waiting list for {event_id}; nothing changed "
                "(use --force to book them over capacity, or move to reorder the list).")
    if outcome == "event-over":
        return (f"{event_id} has already started; nothing changed (use --force to record "
                "them anyway).")
    return ""


def resolve(desk: Desk, handled_id: int | str, note: str, command: str) -> CommandResult:
    """Mark an attention item dealt with: by the number `mailflow attention` shows, or by
    the message's own Message-ID (with or without angle brackets)."""
    now = desk.clock()
    with unit_of_work(desk.engine) as uow:
        row = _attention_row(uow, handled_id)
        if row is None or not row.needs_attention:
            return CommandResult(False, f"No message {handled_id} is waiting for attention.",
                                 declined="invalid")
        if row.resolved_at is not None:
            return CommandResult(False, f"Message {handled_id} was already resolved.",
                                 declined="no-op")
        row.resolved_at = now
        row.resolution_note = note[:1000]
        uow.session.add(row)
        uow.audit(AuditEntry(at=now, email=row.sender, action="resolved", actor="coordinator",
                             cause=command, detail=note[:300] or row.reason[:300]))
        uow.commit()
    return CommandResult(True, f"Message {handled_id} from {row.sender} marked resolved.")


def _attention_row(uow: UnitOfWork, key: int | str) -> HandledMessage | None:
    text = str(key).strip()
    if text.isdigit():
        return uow.session.get(HandledMessage, int(text))
    message_id = text if text.startswith("<") else f"<{text}>"
    return uow.session.exec(select(HandledMessage).where(
        HandledMessage.message_id == message_id)).first()


def _not_a_full_member(desk: Desk, email: str) -> str:
    """Why booking `email` would go against the membership rule ("" when it would not)."""
    org = desk.directory.organisation(email)
    if org is not None and org.membership == "full":
        return ""
    who = f"{org.name} is an associate member" if org is not None else \
        f"no member organisation has the domain {email.rpartition('@')[2]!r}"
    return (f"{email} is not at a full member organisation ({who}); nothing changed. "
            "Add --force to book them anyway.")


def retry_mail(desk: Desk, row_id: int | None, command: str) -> CommandResult:
    """Put failed (or deferred) mail back in line to go now, attempts reset.

    row_id None retries every failed message and, when sending is paused, lifts the pause and
    makes the mail it held due now too. Mail already sent is left alone.
    """
    now = desk.clock()
    with unit_of_work(desk.engine) as uow:
        pause = Pause.decode(uow.get_setting(PAUSE_KEY))
        if row_id is None:
            wanted = ("failed", "pending") if pause is not None else ("failed",)
            rows = list(uow.session.exec(select(OutboxRow).where(
                col(OutboxRow.status).in_(wanted))).all())
            if not rows and pause is None:
                return CommandResult(False, "No failed mail to retry and sending is not "
                                            "paused; nothing changed.", declined="no-op")
        else:
            row = uow.session.get(OutboxRow, row_id)
            if row is None:
                return CommandResult(False, f"No outgoing mail #{row_id} "
                                            "(`mailflow outbox` lists them).",
                                     declined="invalid")
            if row.status in ("sent", "sending"):
                return CommandResult(False, f"Mail #{row_id} to {row.recipient} is {row.status};"
                                            " nothing changed.", declined="no-op")
            rows = [row]
        for row in rows:
            uow.audit(AuditEntry(at=now, email=row.recipient, action="mail-retried",
                                 actor="coordinator", cause=command,
                                 detail=f"#{row.id} {row.subject[:100]}: {row.last_error[:150]}"))
        ids = [row.id for row in rows if row.id is not None and row.status == "failed"]
        deferred = [row for row in rows if row.status == "pending"]
        for row in deferred:  # a held-up (not yet failed) message: due now
            row.attempts, row.next_attempt_at = 0, now
            uow.session.add(row)
        uow.commit()
    # Failed mail goes back through the outbox's own retry, which also lifts a pause.
    retry(desk.engine, now, ids)
    lifted = f"Sending pause lifted (it was: {pause.reason}). " if pause is not None else ""
    return CommandResult(True, f"{lifted}{len(rows)} message(s) will be tried again now.")
