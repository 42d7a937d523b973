"""Sending's shared state: the pause (the server's trouble, for every process), failed mail."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select, update
from sqlmodel import col

from mailflow.outbox_policy import pause_wait
from mailflow.store import OutboxRow, UnitOfWork, unit_of_work

# The outbox's one logger, whichever module logs: rehearse and operators filter on its name.
log = logging.getLogger("mailflow.outbox")

PAUSE_KEY = "outbox.paused"
OUTAGE_KEY = "outbox.last_outage"


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


def set_pause(engine: Engine, reason: str, now: datetime, first: timedelta,
              most: timedelta) -> Pause:
    """Pause sending for every process (one more failed attempt in a row) and say so once."""
    with unit_of_work(engine) as uow:
        old = Pause.decode(uow.get_setting(PAUSE_KEY))
        attempts = (old.attempts if old else 0) + 1
        wait = pause_wait(attempts, first, most)
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


def end_pause(engine: Engine, pause: Pause, now: datetime) -> None:
    """The server takes mail again: lift the pause, keep it as the last outage."""
    with unit_of_work(engine) as uow:
        uow.put_setting(PAUSE_KEY, "", now)
        uow.put_setting(OUTAGE_KEY, json.dumps({"since": pause.since.isoformat(),
                                                "ended": now.isoformat(),
                                                "reason": pause.reason}), now)
        uow.commit()
    log.info("SMTP server is back after %d failed attempt(s); sending resumed", pause.attempts)
