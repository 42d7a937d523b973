"""The outbox: queue mail with its cause; deliver after commit, pausing on server trouble."""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, bindparam, func, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import col

from mailflow.lease import owner_alive, process_owner
from mailflow.reply import Outgoing
from mailflow.smtp import MessageRefused, PermanentFailure, RecipientDeferred, TemporaryFailure
from mailflow.store import OutboxRow, UnitOfWork, unit_of_work

log = logging.getLogger("mailflow.outbox")

MAX_ATTEMPTS = 8  # for one recipient's deferrals only; server trouble never gives mail up
BATCH = 100  # rows claimed per transaction; a pass goes on batch after batch until done
PAUSE_FIRST = timedelta(seconds=30)  # first wait after server trouble, doubling …
PAUSE_MAX = timedelta(minutes=10)  # … up to this
CLAIM_TIMEOUT = timedelta(minutes=10)  # only for claims whose owner's liveness cannot be told
PAUSE_KEY = "outbox.paused"
OUTAGE_KEY = "outbox.last_outage"


class Sender(Protocol):
    def send(self, sender: str, recipient: str, raw: bytes) -> None: ...


def queue(uow_queue: Callable[[dict[str, Any]], None], mail: Outgoing, cause: str,
          now: datetime) -> None:
    """Write one outgoing message as a pending outbox row (inside the caller's transaction)."""
    uow_queue(dict(message_id=mail.message_id, kind=mail.kind, recipient=mail.recipient,
                   subject=mail.subject, outcome=mail.outcome,
                   event_ids=" ".join(mail.event_ids), in_reply_to=mail.in_reply_to,
                   cause=cause, raw=mail.raw, created_at=now, next_attempt_at=now))


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, capped at an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


@dataclass
class DeliveryReport:
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    paused: str = ""  # why sending is paused (the server's trouble); "" when it is not
    resent: int = 0  # claims taken back from processes that died mid-send


# ---- pause: the server's trouble, shared by every process on the database ----------------------

@dataclass(frozen=True)
class Pause:
    since: datetime
    until: datetime
    reason: str
    attempts: int

    def encode(self) -> str:
        return json.dumps({"since": self.since.isoformat(), "until": self.until.isoformat(),
                           "reason": self.reason, "attempts": self.attempts})

    @staticmethod
    def decode(value: str | None) -> Pause | None:
        if not value:
            return None
        try:
            d = json.loads(value)
            return Pause(datetime.fromisoformat(d["since"]), datetime.fromisoformat(d["until"]),
                         str(d["reason"]), int(d["attempts"]))
        except (ValueError, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class FailedMail:
    id: int
    recipient: str
    subject: str
    kind: str
    reason: str
    attempts: int
    created_at: datetime


@dataclass(frozen=True)
class DeliveryState:
    """What `status`, `health` and the digest say about sending."""

    paused: Pause | None
    pending: int
    sending: int
    failed: list[FailedMail] = field(default_factory=list)
    last_outage: dict[str, str] | None = None  # since, ended, reason of the last pause

    @property
    def healthy(self) -> bool:
        return self.paused is None and not self.failed


def delivery_state(source: Engine | UnitOfWork) -> DeliveryState:
    """Paused (and why), pending, being sent, and failed mail with each one's reason."""
    if isinstance(source, UnitOfWork):
        return _delivery_state(source)
    with unit_of_work(source) as uow:
        return _delivery_state(uow)


def _delivery_state(uow: UnitOfWork) -> DeliveryState:
    counts: dict[str, int] = {str(k): int(v) for k, v in uow.session.execute(
        select(col(OutboxRow.status), func.count()).group_by(col(OutboxRow.status))).all()}
    failed = [FailedMail(int(i or 0), r, s, k, e, int(a), c) for i, r, s, k, e, a, c in
              uow.session.execute(
                  select(col(OutboxRow.id), col(OutboxRow.recipient), col(OutboxRow.subject),
                         col(OutboxRow.kind), col(OutboxRow.last_error),
                         col(OutboxRow.attempts), col(OutboxRow.created_at))
                  .where(col(OutboxRow.status) == "failed").order_by(col(OutboxRow.id))).all()]
    outage = uow.get_setting(OUTAGE_KEY)
    return DeliveryState(paused=Pause.decode(uow.get_setting(PAUSE_KEY)),
                         pending=int(counts.get("pending", 0)),
                         sending=int(counts.get("sending", 0)), failed=failed,
                         last_outage=json.loads(outage) if outage else None)


def retry(engine: Engine, now: datetime, ids: Sequence[int] | None = None) -> int:
    """Put failed mail (these ids, or all) back in the queue, due now; lifts a pause too."""
    with unit_of_work(engine) as uow:
        query = update(OutboxRow).where(col(OutboxRow.status) == "failed")
        if ids is not None:
            query = query.where(col(OutboxRow.id).in_(list(ids)))
        result = uow.session.execute(query.values(status="pending", attempts=0,
                                                  next_attempt_at=now))
        uow.put_setting(PAUSE_KEY, "", now)
        uow.commit()
        return int(result.rowcount)  # type: ignore[attr-defined]


def _set_pause(engine: Engine, reason: str, now: datetime, first: timedelta,
               most: timedelta) -> Pause:
    with unit_of_work(engine) as uow:
        old = Pause.decode(uow.get_setting(PAUSE_KEY))
        attempts = (old.attempts if old else 0) + 1
        wait = min(most, first * 2 ** (attempts - 1))
        pause = Pause(since=old.since if old else now, until=now + wait, reason=reason,
                      attempts=attempts)
        uow.put_setting(PAUSE_KEY, pause.encode(), now)
        uow.commit()
    state = delivery_state(engine)
    waiting = state.pending + state.sending  # the claims of this pass go back to waiting
    if attempts == 1:
        log.warning("SMTP server unavailable: %s; sending paused, retrying in %g s; nothing "
                    "is given up (%d mail(s) waiting)", reason, wait.total_seconds(), waiting)
    else:
        log.debug("SMTP server still unavailable (attempt %d): %s; retrying in %g s",
                  attempts, reason, wait.total_seconds())
    return pause


def _end_pause(engine: Engine, pause: Pause, now: datetime) -> None:
    with unit_of_work(engine) as uow:
        uow.put_setting(PAUSE_KEY, "", now)
        uow.put_setting(OUTAGE_KEY, json.dumps({"since": pause.since.isoformat(),
                                                "ended": now.isoformat(),
                                                "reason": pause.reason}), now)
        uow.commit()
    log.info("SMTP server is back after %d failed attempt(s); sending resumed", pause.attempts)


# ---- claims: each belongs to a live process --------------------------------------------------

_in_flight: set[int] = set()  # rows this process has claimed and is working on
_accepted: dict[int, datetime] = {}  # accepted by the server, not yet recorded (database down)
_guard = threading.Lock()


def _release_orphans(engine: Engine, owner: str, now: datetime) -> int:
    """Rows left "sending" by a process that is gone (or by this one, after an error) go back
    to the queue at once. Such a row's acceptance was never recorded, so it is sent again
    (with its same Message-ID); only a crash between the server's 250 and the mark repeats."""
    with unit_of_work(engine) as uow:
        claims = uow.session.execute(select(col(OutboxRow.id), col(OutboxRow.claimed_by),
                                            col(OutboxRow.claimed_at))
                                     .where(col(OutboxRow.status) == "sending")).all()
    if not claims:
        return 0
    verdicts: dict[str, bool | None] = {}
    orphans: list[int] = []
    gone: set[str] = set()
    for row_id, claimed_by, claimed_at in claims:
        if claimed_by == owner:
            with _guard:
                if row_id not in _in_flight:
                    orphans.append(row_id)
            continue
        if claimed_by not in verdicts:
            verdicts[claimed_by] = owner_alive(engine, claimed_by) if claimed_by else None
        alive = verdicts[claimed_by]
        if alive is None:
            alive = claimed_at is not None and claimed_at >= now - CLAIM_TIMEOUT
        if not alive:
            orphans.append(row_id)
            gone.add(claimed_by or "an older mailflow")
    if not orphans:
        return 0
    with unit_of_work(engine) as uow:
        result = uow.session.execute(
            update(OutboxRow).where(col(OutboxRow.id).in_(orphans),
                                    col(OutboxRow.status) == "sending")
            .values(status="pending", claimed_by="", next_attempt_at=now))
        uow.commit()
        count = int(result.rowcount)  # type: ignore[attr-defined]
    if gone:
        log.warning("%d mail(s) claimed by a process that stopped (%s) are sent now",
                    count, ", ".join(sorted(gone)))
    return count


def _claim(engine: Engine, owner: str, now: datetime,
           limit: int) -> list[tuple[int, str, bytes, int, str, str]]:
    """Claim up to `limit` due rows for this process in one short transaction."""
    with unit_of_work(engine) as uow:
        ids = list(uow.session.execute(
            select(col(OutboxRow.id)).where(col(OutboxRow.status) == "pending",
                                       col(OutboxRow.next_attempt_at) <= now)
            .order_by(col(OutboxRow.id)).limit(limit)
            .with_for_update(skip_locked=True)).scalars())
        if not ids:
            return []
        uow.session.execute(update(OutboxRow).where(col(OutboxRow.id).in_(ids),
                                                    col(OutboxRow.status) == "pending")
                            .values(status="sending", claimed_by=owner, claimed_at=now))
        rows = uow.session.execute(
            select(col(OutboxRow.id), col(OutboxRow.recipient), col(OutboxRow.raw),
                   col(OutboxRow.attempts), col(OutboxRow.kind), col(OutboxRow.outcome))
            .where(col(OutboxRow.id).in_(ids), col(OutboxRow.claimed_by) == owner,
                   col(OutboxRow.status) == "sending")
            .order_by(col(OutboxRow.id))).all()
        uow.commit()
    with _guard:
        _in_flight.update(r[0] for r in rows)
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


class _Recorder:
    """Records each 250 on a connection kept for the whole pass: between the server's answer
    and the commit there is one UPDATE and nothing else (no pool checkout, no ORM)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None

    def sent(self, row_id: int, now: datetime) -> None:
        if self._conn is None:
            self._conn = self.engine.connect()
        try:
            if self.engine.dialect.name == "sqlite":
                # The driver is in autocommit mode (see store.make_engine): the UPDATE alone
                # is its own transaction, without a BEGIN and COMMIT round trip around it.
                stamp = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
                self._conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
                    _MARK_SENT_SQLITE, (stamp, row_id))
                return
            with self._conn.begin():
                self._conn.execute(_MARK_SENT, {"row_id": row_id, "now": now})
        except (SQLAlchemyError, sqlite3.Error) as exc:
            self.close()
            if isinstance(exc, SQLAlchemyError):
                raise
            raise OperationalError(_MARK_SENT_SQLITE, (row_id,), exc) from exc

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._conn.close()
            self._conn = None


_MARK_SENT_SQLITE = ("UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '', "
                     "claimed_by = '', attempts = attempts + 1 WHERE id = ?")
_MARK_SENT = (update(OutboxRow).where(col(OutboxRow.id) == bindparam("row_id"))
              .values(status="sent", sent_at=bindparam("now"), last_error="", claimed_by="",
                      attempts=OutboxRow.attempts + 1))


def _mark_sent(engine: Engine, row_id: int, now: datetime) -> None:
    recorder = _Recorder(engine)
    try:
        recorder.sent(row_id, now)
    finally:
        recorder.close()


def _record_accepted(engine: Engine) -> None:
    """Mark mail the server accepted while the database could not be written."""
    with _guard:
        waiting = dict(_accepted)
    for row_id, when in waiting.items():
        _mark_sent(engine, row_id, when)
        with _guard:
            _accepted.pop(row_id, None)
            _in_flight.discard(row_id)


def _settle(engine: Engine, row_id: int, **values: object) -> None:
    with engine.begin() as conn:
        conn.execute(update(OutboxRow).where(col(OutboxRow.id) == row_id)
                     .values(claimed_by="", **values))
    with _guard:
        _in_flight.discard(row_id)


def _put_back(engine: Engine, ids: Sequence[int], when: datetime, error: str) -> None:
    """Unsent claims back to the queue, due at `when`, attempts untouched."""
    if not ids:
        return
    with engine.begin() as conn:
        conn.execute(update(OutboxRow).where(col(OutboxRow.id).in_(list(ids)),
                                             col(OutboxRow.status) == "sending")
                     .values(status="pending", claimed_by="", next_attempt_at=when,
                             last_error=error[:500]))
    with _guard:
        _in_flight.difference_update(ids)


# ---- delivery ---------------------------------------------------------------------------------

def deliver(engine: Engine, sender: Sender, from_address: str,
            clock: Callable[[], datetime], limit: int = BATCH,
            pause_first: timedelta = PAUSE_FIRST,
            pause_max: timedelta = PAUSE_MAX) -> DeliveryReport:
    """Send every due row, `limit` at a time, until none is left or the server is in trouble.

    Each row is claimed by this process (its liveness lock), sent, and marked sent in the
    statement right after the server's 250. A row some other process claimed and then died
    with is sent again at once, same Message-ID. Server trouble pauses sending for everyone
    with a growing wait; one recipient's refusal fails only that mail, with the reason.
    """
    report = DeliveryReport()
    owner = process_owner(engine)
    _record_accepted(engine)
    report.resent = _release_orphans(engine, owner, clock())
    pause = Pause.decode(_setting(engine, PAUSE_KEY))
    if pause is not None and clock() < pause.until:
        report.paused = pause.reason
        return report
    recorder = _Recorder(engine)
    try:
        return _deliver_due(engine, sender, from_address, clock, limit, pause_first, pause_max,
                            owner, pause, recorder, report)
    finally:
        recorder.close()


def _deliver_due(engine: Engine, sender: Sender, from_address: str,
                 clock: Callable[[], datetime], limit: int, pause_first: timedelta,
                 pause_max: timedelta, owner: str, pause: Pause | None, recorder: _Recorder,
                 report: DeliveryReport) -> DeliveryReport:
    held: list[tuple[int, str]] = []  # refused after DATA: this message's fault, or the server's?
    accepted_any = False
    tried: set[int] = set()
    while True:
        batch = [r for r in _claim(engine, owner, clock(), limit) if r[0] not in tried]
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
            with _guard:
                left = [i for i in remaining if i not in _accepted and i in _in_flight]
            if left:
                # An error we did not expect (the database?): give the claims back now.
                try:
                    _put_back(engine, left, clock(), "")
                except Exception:  # noqa: BLE001 - they are released at the next pass anyway
                    log.debug("could not give claims back", exc_info=True)
    if held:
        # Refused at DATA, and nothing else was there to tell whose fault it was: keep it.
        ids = [h for h, _ in held]
        _pause_on(engine, held[0][1], clock(), pause_first, pause_max, ids, ids, report)
        return report
    if pause is not None and accepted_any:
        _end_pause(engine, pause, clock())
    return report


def _send_one(engine: Engine, recorder: _Recorder, sender: Sender, from_address: str,
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
            _settle(engine, row_id, status="pending", attempts=n, last_error=str(exc)[:500],
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
        with _guard:
            _accepted[row_id] = accepted_at  # recorded at the next pass, never resent by us
        raise
    with _guard:
        _in_flight.discard(row_id)
    report.sent += 1
    log.info("sent %s to %s (%s)", kind, recipient, outcome)
    return "accepted"


def _pause_on(engine: Engine, reason: str, now: datetime, first: timedelta, most: timedelta,
              stuck: Sequence[int], tried: Sequence[int], report: DeliveryReport) -> None:
    """The server is in trouble: pause for everyone, give every claim back, fail nothing."""
    pause = _set_pause(engine, reason, now, first, most)
    _put_back(engine, stuck, pause.until, reason)
    if tried:
        with engine.begin() as conn:
            conn.execute(update(OutboxRow).where(col(OutboxRow.id).in_(list(tried)))
                         .values(attempts=OutboxRow.attempts + 1))
    report.deferred += len(tried)
    report.paused = reason


def _fail(engine: Engine, row_id: int, reason: str, now: datetime,
          report: DeliveryReport) -> None:
    _settle(engine, row_id, status="failed", attempts=OutboxRow.attempts + 1,
            last_error=reason[:500])
    report.failed += 1
    log.warning("mail %d not sent, given up: %s", row_id, reason)


def _setting(engine: Engine, key: str) -> str | None:
    with unit_of_work(engine) as uow:
        return uow.get_setting(key)
