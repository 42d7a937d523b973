"""The outbox: queue mail with its cause; deliver after commit, pausing on server trouble."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col

from mailflow.lease import process_owner
from mailflow.outbox_claims import (
    Recorder,
    accepted_unrecorded,
    claim,
    done,
    put_back,
    record_accepted,
    release_orphans,
    settle,
    unsettled,
)
from mailflow.outbox_policy import MAX_ATTEMPTS, PAUSE_FIRST, PAUSE_MAX, backoff
from mailflow.outbox_state import PAUSE_KEY, Pause, end_pause, set_pause
from mailflow.reply import Outgoing
from mailflow.smtp import MessageRefused, PermanentFailure, RecipientDeferred, TemporaryFailure
from mailflow.store import OutboxRow, unit_of_work

log = logging.getLogger("mailflow.outbox")

BATCH = 100  # rows claimed per transaction; a pass goes on batch after batch until done


class Sender(Protocol):
    def send(self, sender: str, recipient: str, raw: bytes) -> None: ...


def queue(uow_queue: Callable[[dict[str, Any]], None], mail: Outgoing, cause: str,
          now: datetime) -> None:
    """Write one outgoing message as a pending outbox row (inside the caller's transaction)."""
    uow_queue(dict(message_id=mail.message_id, kind=mail.kind, recipient=mail.recipient,
                   subject=mail.subject, outcome=mail.outcome,
                   event_ids=" ".join(mail.event_ids), in_reply_to=mail.in_reply_to,
                   cause=cause, raw=mail.raw, created_at=now, next_attempt_at=now))


@dataclass
class DeliveryReport:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    paused: str = ""  # why sending is paused (the server's trouble); "" when it is not
    resent: int = 0  # claims taken back from processes that died mid-send


# ---- delivery ---------------------------------------------------------------------------------

def deliver(engine: Engine, sender: Sender, from_address: str,
            clock: Callable[[], datetime], limit: int = BATCH,
            pause_first: timedelta = PAUSE_FIRST,
            pause_max: timedelta = PAUSE_MAX) -> DeliveryReport:
    """Send every due row, `limit` at a time, until none is left or the server is in trouble.

    Each row is claimed by this process (its liveness lock; the claim's commit is synced,
    so what caused the mail is on disk before it goes), sent, and marked sent in the
    statement right after the server's 250. A row some other process claimed and then died
    with is sent again at once, same Message-ID. Server trouble pauses sending for everyone
    with a growing wait; one recipient's refusal fails only that mail, with the reason.
    """
    report = DeliveryReport()
    owner = process_owner(engine)
    record_accepted(engine)
    report.resent = release_orphans(engine, owner, clock())
    pause = Pause.decode(_setting(engine, PAUSE_KEY))
    if pause is not None and clock() < pause.until:
        report.paused = pause.reason
        return report
    recorder = Recorder(engine)
    try:
        return _deliver_due(engine, sender, from_address, clock, limit, pause_first, pause_max,
                            owner, pause, recorder, report)
    finally:
        recorder.close()


def _deliver_due(engine: Engine, sender: Sender, from_address: str,
                 clock: Callable[[], datetime], limit: int, pause_first: timedelta,
                 pause_max: timedelta, owner: str, pause: Pause | None, recorder: Recorder,
                 report: DeliveryReport) -> DeliveryReport:
    held: list[tuple[int, str]] = []  # refused after DATA: this message's fault, or the server's?
    accepted_any = False
    tried: set[int] = set()
    while True:
        batch = [r for r in claim(engine, owner, clock(), limit) if r[0] not in tried]
        if not batch:
            break
        remaining = [r[0] for r in batch]
        try:
            for row_id, recipient, raw, attempts, kind, outcome in batch:
                tried.add(row_id)
                verdict = _send_one(engine, recorder, sender, from_address, clock, report,
                                    (row_id, recipient, raw, attempts, kind, outcome),
                                    accepted_any)
                if verdict == "accepted":
                    accepted_any = True
                    for held_id, reason in held:  # the server takes mail: those were theirs
                        _fail(engine, held_id, reason, clock(), report)
                    held.clear()
                elif verdict:
                    held.append((row_id, verdict))
                    if len(held) > 1:  # two refused in a row, none accepted: the server's
                        raise TemporaryFailure(f"SMTP server refuses every message: {verdict}")
                remaining.remove(row_id)
        except TemporaryFailure as exc:
            tried_now = list(dict.fromkeys([h for h, _ in held] + remaining[:1]))
            stuck = list(dict.fromkeys(remaining + tried_now))
            _pause_on(engine, str(exc), clock(), pause_first, pause_max, stuck, tried_now,
                      report)
            return report
        finally:
            left = unsettled(remaining)
            if left:
                # An error we did not expect (the database?): give the claims back now.
                try:
                    put_back(engine, left, clock(), "")
                except Exception:  # noqa: BLE001 - they are released at the next pass anyway
                    log.debug("could not give claims back", exc_info=True)
    if held:
        # Refused at DATA, and nothing else was there to tell whose fault it was: keep it.
        ids = [h for h, _ in held]
        _pause_on(engine, held[0][1], clock(), pause_first, pause_max, ids, ids, report)
        return report
    if pause is not None and accepted_any:
        end_pause(engine, pause, clock())
    return report


def _send_one(engine: Engine, recorder: Recorder, sender: Sender, from_address: str,
              clock: Callable[[], datetime], report: DeliveryReport,
              row: tuple[int, str, bytes, int, str, str], accepted_any: bool) -> str:
    """Send one claimed row and settle it: "accepted", "" (settled otherwise), or the reason
    it was refused after DATA when it cannot yet be told whether that was the server's doing.
    Server trouble is raised as TemporaryFailure."""
    row_id, recipient, raw, attempts, kind, outcome = row
    try:
        sender.send(from_address, recipient, raw)
    except RecipientDeferred as exc:
        n = attempts + 1
        if n >= MAX_ATTEMPTS:
            _fail(engine, row_id, f"{exc} (after {n} tries)", clock(), report)
        else:
            settle(engine, row_id, status="pending", attempts=n, last_error=str(exc)[:500],
                   next_attempt_at=clock() + backoff(n))
            report.deferred += 1
        return ""
    except MessageRefused as exc:
        if not accepted_any:
            return str(exc)
        _fail(engine, row_id, str(exc), clock(), report)
        return ""
    except PermanentFailure as exc:
        _fail(engine, row_id, str(exc), clock(), report)
        return ""
    except TemporaryFailure:
        raise
    except Exception as exc:  # noqa: BLE001 - an unknown error is treated as the server's
        log.debug("unexpected error sending to %s", recipient, exc_info=True)
        raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc
    accepted_at = clock()
    try:
        recorder.sent(row_id, accepted_at)
    except SQLAlchemyError:
        accepted_unrecorded(row_id, accepted_at)  # recorded at the next pass
        raise
    done(row_id)
    report.sent += 1
    log.info("sent %s to %s (%s)", kind, recipient, outcome)
    return "accepted"


def _pause_on(engine: Engine, reason: str, now: datetime, first: timedelta, most: timedelta,
              stuck: Sequence[int], tried: Sequence[int], report: DeliveryReport) -> None:
    """The server is in trouble: pause for everyone, give every claim back, fail nothing."""
    pause = set_pause(engine, reason, now, first, most)
    put_back(engine, stuck, pause.until, reason)
    if tried:
        with engine.begin() as conn:
            conn.execute(update(OutboxRow).where(col(OutboxRow.id).in_(list(tried)))
                         .values(attempts=OutboxRow.attempts + 1))
    report.deferred += len(tried)
    report.paused = reason


def _fail(engine: Engine, row_id: int, reason: str, now: datetime,
          report: DeliveryReport) -> None:
    settle(engine, row_id, status="failed", attempts=OutboxRow.attempts + 1,
           last_error=reason[:500])
    report.failed += 1
    log.warning("mail %d not sent, given up: %s", row_id, reason)


def _setting(engine: Engine, key: str) -> str | None:
    with unit_of_work(engine) as uow:
        return uow.get_setting(key)
