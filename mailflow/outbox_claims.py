"""Claims on outbox rows: each a live process's, marked sent at the 250, or given back."""

from __future__ import annotations

import contextlib
import logging
import select as select_module
import sqlite3
import threading
import weakref
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, select, update
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import col

from mailflow.lease import owner_alive
from mailflow.store import OutboxRow, durable_transaction, unit_of_work
from mailflow.store_driver import write

# The outbox's one logger, whichever module logs: rehearse and operators filter on its name.
log = logging.getLogger("mailflow.outbox")

_O = OutboxRow.__table__  # type: ignore[attr-defined]

CLAIM_TIMEOUT = timedelta(minutes=10)  # only for claims whose owner's liveness cannot be told

_in_flight: set[int] = set()  # rows this process has claimed and is working on
_accepted: dict[int, datetime] = {}  # accepted by the server, not yet recorded (database down)
_guard = threading.Lock()


def release_orphans(engine: Engine, owner: str, now: datetime) -> int:
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


def claim(engine: Engine, owner: str, now: datetime,
          limit: int) -> list[tuple[int, str, bytes, int, str, str]]:
    """Claim up to `limit` due rows for this process in one statement: the due rows (skipping
    any another process has locked) are marked sending and returned, by key from the
    subquery's ids, so no plan reads every pending row to find them. Committed durably
    (store_engine.durable_transaction)."""
    due = (select(_O.c.id).where(_O.c.status == "pending", _O.c.next_attempt_at <= now)
           .order_by(_O.c.id).limit(limit).with_for_update(skip_locked=True))
    # The claim is the batch's synced point: nothing is sent before what caused it (the
    # handled request, its outbox row) would outlive a crash of the machine, else the
    # request, lost with it, would be handled and answered again. One sync per batch; a
    # claim of nothing writes nothing, and syncs nothing.
    with durable_transaction(engine) as (conn, _):
        rows = sorted(conn.execute(
            update(_O).where(_O.c.id.in_(due.scalar_subquery()))
            .values(status="sending", claimed_by=owner, claimed_at=now)
            .returning(_O.c.id, _O.c.recipient, _O.c.raw, _O.c.attempts, _O.c.kind,
                       _O.c.outcome)).all())
    if not rows:
        return []
    with _guard:
        _in_flight.update(r[0] for r in rows)
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]


class Recorder:
    """Records each 250 on a connection kept for the whole pass: between the server's answer
    and the commit there is one UPDATE and nothing else (no pool checkout, no ORM).

    On PostgreSQL the UPDATE is sent and not waited for: the server commits it whether or
    not we read its answer (the same durability as waiting), and its answer is read before
    the next one is sent, or at close. A mark found failed then is recorded at the next pass
    (accepted_unrecorded), as one that fails at once is.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None
        self._unanswered: tuple[int, datetime] | None = None  # sent, its answer not yet read

    def sent(self, row_id: int, now: datetime) -> None:
        if self._conn is None:
            self._conn = self.engine.connect()
            if self.engine.dialect.name == "postgresql":
                # The UPDATE alone is its own (durable) transaction: no BEGIN and COMMIT
                # round trips around it, as on SQLite.
                self._conn = self._conn.execution_options(isolation_level="AUTOCOMMIT")
        try:
            if self.engine.dialect.name == "sqlite":
                # The driver is in autocommit mode (see store.make_engine): the UPDATE alone
                # is its own transaction, without a BEGIN and COMMIT round trip around it.
                self._conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
                    _MARK_SENT_SQLITE, (_stamp(now), row_id))
                return
            if not hasattr(self._conn.connection.driver_connection, "pgconn"):
                # Not psycopg: on the driver's cursor (store_driver), waiting for the answer.
                write(self._conn, _MARK_SENT, [{"row_id": row_id, "now": now}])
                return
            self._answer()
            self._send(_MARK_SENT_PG, _mark_params(row_id, now))
            self._unanswered = (row_id, now)
        except (SQLAlchemyError, sqlite3.Error) as exc:
            self.close()
            if isinstance(exc, SQLAlchemyError):
                raise
            raise OperationalError(_MARK_SENT_SQLITE, (row_id,), exc) from exc

    def _pgconn(self) -> Any:
        assert self._conn is not None
        return self._conn.connection.driver_connection.pgconn  # type: ignore[union-attr]

    def _send(self, sql: bytes, params: tuple[bytes, ...]) -> None:
        """Send the mark (its own transaction) and return without reading its answer."""
        import psycopg
        from psycopg import pq

        assert self._conn is not None
        driver = self._conn.connection.driver_connection
        pgconn = self._pgconn()
        try:
            if driver not in _PREPARED:  # once per connection: not planned for every mail
                prepared = pgconn.prepare(_MARK_SENT_NAME, sql)
                if prepared.status != pq.ExecStatus.COMMAND_OK:
                    raise psycopg.OperationalError(prepared.error_message.decode())
                _PREPARED.add(driver)
            pgconn.send_query_prepared(_MARK_SENT_NAME, params)
            while pgconn.flush():  # a non-blocking connection: wait until all of it is out
                select_module.select([], [pgconn.socket], [])
        except psycopg.Error as exc:
            self._conn.invalidate(exc)  # type: ignore[union-attr]
            raise OperationalError(sql.decode(), params, exc) from exc

    def _answer(self) -> None:
        """Read the answer to the mark sent last; a failed one is recorded at the next pass."""
        if self._unanswered is None:
            return
        import psycopg
        from psycopg import pq

        row_id, when = self._unanswered
        self._unanswered = None
        pgconn = self._pgconn()
        failed = ""
        unprepared = False
        try:
            while (result := pgconn.get_result()) is not None:
                if result.status != pq.ExecStatus.COMMAND_OK:
                    failed = result.error_message.decode(errors="replace") or "no answer"
                    unprepared = result.error_field(pq.DiagnosticField.SQLSTATE) == b"26000"
        except psycopg.Error as exc:
            failed = str(exc)
        if unprepared and pgconn.status == pq.ConnStatus.OK:
            # The mark was not made: psycopg ends a ROLLBACK on this connection (another
            # unit's, while it was back in the pool) with DEALLOCATE ALL, which took our
            # statement too. Prepared again, the mark is sent once more and waited for.
            _PREPARED.discard(self._conn.connection.driver_connection)  # type: ignore[union-attr]
            self._send(_MARK_SENT_PG, _mark_params(row_id, when))
            self._unanswered = (row_id, when)
            self._answer()
            return
        if failed or pgconn.status != pq.ConnStatus.OK:
            accepted_unrecorded(row_id, when)
            self._conn.invalidate()  # type: ignore[union-attr]
            raise OperationalError(_MARK_SENT_PG.decode(), (row_id,),
                                   RuntimeError(failed or "connection lost"))

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._answer()
            except SQLAlchemyError:
                log.warning("marking mail sent failed; it is marked at the next pass",
                            exc_info=True)
            with contextlib.suppress(SQLAlchemyError):
                self._conn.close()
            self._conn = None


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _mark_params(row_id: int, now: datetime) -> tuple[bytes, bytes]:
    return _stamp(now).encode(), str(row_id).encode()


_MARK_SENT_SQLITE = ("UPDATE outbox SET status = 'sent', sent_at = ?, last_error = '', "
                     "claimed_by = '', attempts = attempts + 1 WHERE id = ?")
_MARK_SENT_PG = (b"UPDATE outbox SET status = 'sent', sent_at = $1::timestamp, "
                 b"last_error = '', claimed_by = '', attempts = attempts + 1 WHERE id = $2::int")
_MARK_SENT_NAME = b"mailflow_mark_sent"
_PREPARED: weakref.WeakSet[Any] = weakref.WeakSet()  # psycopg connections it is prepared on
_MARK_SENT = (update(OutboxRow).where(col(OutboxRow.id) == bindparam("row_id"))
              .values(status="sent", sent_at=bindparam("now"), last_error="", claimed_by="",
                      attempts=OutboxRow.attempts + 1))


def _mark_sent(engine: Engine, row_id: int, now: datetime) -> None:
    recorder = Recorder(engine)
    try:
        recorder.sent(row_id, now)
    finally:
        recorder.close()


def record_accepted(engine: Engine) -> None:
    """Mark mail the server accepted while the database could not be written."""
    with _guard:
        waiting = dict(_accepted)
    for row_id, when in waiting.items():
        _mark_sent(engine, row_id, when)
        with _guard:
            _accepted.pop(row_id, None)
            _in_flight.discard(row_id)


def accepted_unrecorded(row_id: int, when: datetime) -> None:
    """The server took this mail but the mark failed: recorded at the next pass, never resent
    by this process."""
    with _guard:
        _accepted[row_id] = when


def done(row_id: int) -> None:
    """This claim is settled (its row says so): no longer this process's to work on."""
    with _guard:
        _in_flight.discard(row_id)


def unsettled(ids: Sequence[int]) -> list[int]:
    """Of these claims, the ones neither settled nor accepted by the server."""
    with _guard:
        return [i for i in ids if i not in _accepted and i in _in_flight]


def settle(engine: Engine, row_id: int, **values: object) -> None:
    with engine.begin() as conn:
        conn.execute(update(OutboxRow).where(col(OutboxRow.id) == row_id)
                     .values(claimed_by="", **values))
    done(row_id)


def put_back(engine: Engine, ids: Sequence[int], when: datetime, error: str) -> None:
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
