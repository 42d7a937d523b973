"""The outbox: queue mail in the handling transaction; deliver after commit, with retries."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import Engine, update
from sqlmodel import col

from mailflow.reply import Outgoing
from mailflow.smtp import PermanentFailure, RecipientDeferred, TemporaryFailure
from mailflow.store import OutboxRow, unit_of_work

log = logging.getLogger("mailflow.outbox")

MAX_ATTEMPTS = 8


class Sender(Protocol):
    def send(self, sender: str, recipient: str, raw: bytes) -> None: ...


def queue(uow_queue: Callable[[OutboxRow], None], mail: Outgoing, cause: str,
          now: datetime) -> OutboxRow:
    """Write one outgoing message as a pending outbox row (inside the caller's transaction)."""
    row = OutboxRow(message_id=mail.message_id, kind=mail.kind, recipient=mail.recipient,
                    subject=mail.subject, outcome=mail.outcome,
                    event_ids=" ".join(mail.event_ids), in_reply_to=mail.in_reply_to,
                    cause=cause, raw=mail.raw, created_at=now, next_attempt_at=now)
    uow_queue(row)
    return row


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, capped at an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


@dataclass
class DeliveryReport:
    sent: int = 0
    deferred: int = 0
    failed: int = 0


CLAIM_TIMEOUT = timedelta(minutes=10)


def _claim(engine: Engine, row_id: int, now: datetime) -> bool:
    """Mark a row as being sent, so a second worker delivering at once skips it."""
    with unit_of_work(engine) as uow:
        result = uow.session.execute(
            update(OutboxRow)
            .where(col(OutboxRow.id) == row_id, col(OutboxRow.status) == "pending")
            .values(status="sending", claimed_at=now))
        uow.commit()
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _release_stale_claims(engine: Engine, now: datetime) -> None:
    """A worker that died mid-send left rows claimed: put them back (at most one resend)."""
    with unit_of_work(engine) as uow:
        uow.session.execute(
            update(OutboxRow)
            .where(col(OutboxRow.status) == "sending",
                   col(OutboxRow.claimed_at) < now - CLAIM_TIMEOUT)
            .values(status="pending"))
        uow.commit()


def deliver(engine: Engine, sender: Sender, from_address: str,
            clock: Callable[[], datetime], limit: int = 500,
            on_sent: Callable[[OutboxRow], None] | None = None) -> DeliveryReport:
    """Send every due pending row: claim it, send it, mark it, each in a short transaction.

    A crash between the server accepting a message and the mark can repeat that one
    message (after CLAIM_TIMEOUT); a crash anywhere else never does, and two workers
    delivering at once never send the same row twice.
    """
    report = DeliveryReport()
    _release_stale_claims(engine, clock())
    with unit_of_work(engine) as uow:
        due = [(r.id, r.recipient, r.raw, r.attempts) for r in uow.due_outbox(clock(), limit)]
    for row_id, recipient, raw, attempts in due:
        assert row_id is not None
        if not _claim(engine, row_id, clock()):
            continue
        error = ""
        permanent = False
        server_trouble = False
        try:
            sender.send(from_address, recipient, raw)
        except RecipientDeferred as exc:
            error = str(exc)  # this recipient only: the rest of the outbox can still go
        except TemporaryFailure as exc:
            error, server_trouble = str(exc), True
        except PermanentFailure as exc:
            error, permanent = str(exc), True
        with unit_of_work(engine) as uow:
            row = uow.session.get(OutboxRow, row_id)
            if row is None:
                continue
            now = clock()
            row.attempts = attempts + 1
            if not error:
                row.status, row.sent_at, row.last_error = "sent", now, ""
                report.sent += 1
            elif permanent or row.attempts >= MAX_ATTEMPTS:
                row.status, row.last_error = "failed", error[:500]
                report.failed += 1
                log.warning("giving up on mail to %s: %s", recipient, error)
            else:
                row.status, row.last_error = "pending", error[:500]
                row.next_attempt_at = now + backoff(row.attempts)
                report.deferred += 1
            uow.session.add(row)
            uow.commit()
            if not error:
                log.info("sent %s to %s (%s)", row.kind, recipient, row.outcome)
                if on_sent is not None:
                    on_sent(row)
        if server_trouble:
            # The server is unwell: leave the rest for the next pass rather than hammer it.
            break
    return report
