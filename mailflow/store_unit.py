"""One transaction: its connection, and the rows it holds back to write in bulk before commit."""

from __future__ import annotations

import contextlib
import functools
import weakref
from collections.abc import Iterable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import Connection, Engine, Table, Transaction, event, insert, text
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session, SQLModel

from mailflow.store_driver import write


class UnitSession(Session):
    """A Session that knows its unit of work, so it writes the unit's held-back rows before
    running any statement of its own: whatever reads through the ORM sees them."""

    unit: UnitBase | None = None


def _write_held_first(state: ORMExecuteState) -> None:
    unit = getattr(state.session, "unit", None)
    if unit is not None:
        unit.write_held()


@functools.cache
def _session_class() -> type[UnitSession]:
    # Registered on first use rather than at import.
    event.listen(UnitSession, "do_orm_execute", _write_held_first)
    return UnitSession


@functools.cache
def _defaults(table: Table) -> dict[str, Any]:
    """Every column a new row gives (the database assigns an integer key), with its default."""
    found: dict[str, Any] = {}
    for c in table.columns:
        if c.primary_key and c.autoincrement in (True, "auto") and c.type.python_type is int:
            continue
        found[c.key] = getattr(c.default, "arg", None) if c.default is not None else None
    return found


@functools.cache
def _insert(table: Table) -> Any:
    # inline: no RETURNING of the new key (nothing reads it), which in a pipeline would
    # wait for each INSERT's answer.
    return insert(table).inline()


@functools.cache
def _advisory_locks(n: int) -> Any:
    # Sent with the statement after it (see _answer_queued); nothing reads its row.
    return text("SELECT " + ", ".join(f"pg_advisory_xact_lock(hashtext(:k{i}))"
                                      for i in range(n)))


# psycopg connections with statements queued in a pipeline, and the pipeline to leave.
_QUEUED: weakref.WeakKeyDictionary[Any, AbstractContextManager[Any]] = (
    weakref.WeakKeyDictionary())
_ANSWERING: weakref.WeakSet[Engine] = weakref.WeakSet()


def _answer_queued(_conn: Connection, cursor: Any, _statement: str, _parameters: Any,
                   _context: Any, _executemany: bool) -> None:
    """After the statement that follows queued ones (a lock, queued on the driver's cursor):
    leave the pipeline, so all their answers come back in one round trip, before SQLAlchemy
    reads this one's."""
    pipeline = _QUEUED.pop(cursor.connection, None)
    if pipeline is not None:
        pipeline.__exit__(None, None, None)


def values_of(row: SQLModel | dict[str, Any]) -> dict[str, Any]:
    """A row's column values: a table model's, or given as a dict (cheaper to make)."""
    if isinstance(row, dict):
        return row
    return {k: getattr(row, k) for k in _defaults(row.__table__)}  # type: ignore[attr-defined]


class UnitBase:
    """The transaction every repository mixin of UnitOfWork shares.

    Rows that nothing reads back during a message (audit entries, outbox mail, the handled
    record) are held and written with one multi-row INSERT per table at commit, or earlier
    when a statement reads that table.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._session: Session | None = None  # made when first asked for (the ORM's paths)
        # The transaction the hot path opened on its own connection, without a Session: a
        # Session's begin, commit and close cost more than the BEGIN, COMMIT and statements
        # of a message. A Session asked for later joins it (see session).
        self._own: Transaction | None = None
        self.committed = False
        self._held: dict[Table, list[dict[str, Any]]] = {}
        self._connection: Connection | None = None  # the session's, while its transaction is
        self._locked: set[str] = set()  # advisory lock keys this transaction holds
        self.committing = False  # while commit writes what the unit held back
        self._queued_on: Any = None  # the psycopg connection _queue last queued on
        self._opened: Connection | None = None  # the connection of the unit's own transaction

    @property
    def session(self) -> Session:
        """The ORM's Session for this unit: on the unit's own connection when the hot path
        opened one, else its own (given a Connection already in a transaction, `poll
        --dry-run`, each unit becomes a SAVEPOINT inside it, so everything can still be
        rolled back at the end)."""
        if self._session is None:
            if self._opened is not None:
                # In the unit's transaction, its commit leaves that to the unit and its
                # rollback ends it; after the unit's commit, it begins and ends its own.
                made = _session_class()(self._opened, expire_on_commit=False,
                                        join_transaction_mode="rollback_only")
            else:
                made = _session_class()(self.engine, expire_on_commit=False,
                                        join_transaction_mode="create_savepoint")
            made.unit = self
            self._session = made
        return self._session

    # ---- transaction ---------------------------------------------------------------
    def commit(self) -> None:
        self._flush()  # the ORM's own writes read their rowcounts: never pipelined
        self._send_queued()
        driver = self._pipeline_driver()
        self._locked.clear()  # the COMMIT releases them
        self.committing = True
        try:
            if driver is None:
                self.write_held()
                self._commit_transaction()
            else:
                # PostgreSQL: the held rows' INSERTs and the COMMIT go in one round trip
                # instead of one each. A statement that fails (a unique key another worker
                # took) fails the COMMIT, so nothing is half written, as before.
                with driver.pipeline():
                    self.write_held()
                    self._commit_transaction()
        except BaseException:
            self._end_failed_commit()
            raise
        finally:
            self.committing = False
        self.committed = True

    def _end_failed_commit(self) -> None:
        """Roll back on the driver's connection after a COMMIT that failed: SQLAlchemy counts
        the transaction as ended (a pipelined INSERT's error arrives with the COMMIT), so
        neither it nor the pool would send the ROLLBACK, and the next unit to take this
        connection would find it in an aborted transaction."""
        opened = self._opened
        if opened is None or opened.closed:
            return
        try:
            opened.connection.dbapi_connection.rollback()  # type: ignore[union-attr]
        except Exception:  # a connection that cannot even roll back is not reused
            opened.invalidate()

    def _commit_transaction(self) -> None:
        if self._session is not None:
            self._session.commit()  # in the unit's own transaction: only the ORM's part
        own, self._own = self._own, None
        if own is not None:
            own.commit()
        self._connection = None

    def _flush(self) -> None:
        if self._session is not None:
            self._session.flush()

    def _pipeline_driver(self) -> Any:
        """The psycopg connection to pipeline the commit on, or None (SQLite, no writes, or a
        unit inside someone else's transaction, where commit only releases a SAVEPOINT)."""
        if self.engine.dialect.name != "postgresql" or not isinstance(self.engine, Engine):
            return None
        if not self._held and not self._has_changes():
            return None
        driver = self._connected().connection.driver_connection
        return driver if hasattr(driver, "pipeline") else None

    def rollback(self) -> None:
        with contextlib.suppress(Exception):  # rolling back anyway; the session sees a fault
            self._send_queued()
        self._held.clear()
        self._locked.clear()
        self._discard()
        own, self._own = self._own, None
        try:
            if self._session is not None:
                self._session.rollback()  # ends the unit's own transaction too, if any
        finally:
            if own is not None and own.is_active:
                own.rollback()
            self._connection = None

    def close(self) -> None:
        try:
            if not self.committed:
                self.rollback()
        finally:
            if self._session is not None:
                self._session.unit = None  # type: ignore[attr-defined]
                self._session.close()
            if self._opened is not None:
                self._opened.close()  # back to the pool
                self._opened = None

    def _discard(self) -> None:
        """Forget what the mixins cached or hold for this transaction (a rollback)."""

    def _remember_people(self, people: dict[str, tuple[str, str]]) -> None:
        """Keep names for people who took places (store_people.People does)."""
        raise NotImplementedError

    # ---- statements ----------------------------------------------------------------
    def _conn(self) -> Connection:
        """The session's connection, for Core statements (no ORM on the hot path); objects
        added through the ORM are flushed first, as the session's autoflush would."""
        self._flush()
        return self._connected()

    def _connected(self) -> Connection:
        # Asking the session each time costs more than most statements here.
        if self._connection is None or self._connection.closed:
            if self._session is None and isinstance(self.engine, Engine):
                if self._opened is None:
                    self._opened = self.engine.connect()
                self._own = self._opened.begin()  # SQLite: BEGIN IMMEDIATE (make_engine)
                self._connection = self._opened
            else:
                self._connection = self.session.connection()
        return self._connection

    def lock_keys(self, keys: Iterable[str]) -> None:
        """Hold PostgreSQL transaction-level advisory locks on `keys` (those not held yet),
        in the order given, in one statement; SQLite's BEGIN IMMEDIATE already serialises
        every writer. Callers give keys in one global order (see UnitOfWork.serialise), so
        two workers cannot deadlock."""
        if self.engine.dialect.name != "postgresql":
            return
        wanted = [k for k in dict.fromkeys(keys) if k and k not in self._locked]
        if not wanted:
            return
        conn = self._conn()
        self._queue(conn)
        # The select list is evaluated left to right. On the driver's cursor (store_driver),
        # so SQLAlchemy neither reads its answer nor leaves the pipeline after it.
        write(conn, _advisory_locks(len(wanted)), [{f"k{n}": key for n, key in enumerate(wanted)}])
        self._locked.update(wanted)

    def _queue(self, conn: Connection) -> None:
        """Have psycopg queue the next statement (and the BEGIN before it, the first time)
        instead of waiting for its answer: the statement after it sends them all and waits
        once (_answer_queued). The locks come back in the same round trip as what they
        guard, and on the transaction's first statement, so does the BEGIN."""
        if not isinstance(self.engine, Engine):
            return  # a SAVEPOINT in someone else's transaction (`poll --dry-run`)
        driver = conn.connection.driver_connection
        if driver is None or driver in _QUEUED or not hasattr(driver, "pipeline"):
            return
        if self.engine not in _ANSWERING:
            event.listen(self.engine, "after_cursor_execute", _answer_queued)
            _ANSWERING.add(self.engine)
        pipeline = driver.pipeline()
        pipeline.__enter__()
        _QUEUED[driver] = pipeline
        self._queued_on = driver

    def _send_queued(self) -> None:
        """Send what is queued and wait for it, when no statement followed (and before the
        commit's own pipeline)."""
        driver, self._queued_on = self._queued_on, None
        pipeline = None if driver is None else _QUEUED.pop(driver, None)
        if pipeline is not None:
            pipeline.__exit__(None, None, None)

    def hold(self, table: Table, row: SQLModel | dict[str, Any]) -> None:
        """Hold a new row for `table` (every row then has every column: one INSERT)."""
        defaults = _defaults(table)
        values = values_of(row)
        unknown = values.keys() - defaults.keys()
        if unknown:
            raise KeyError(f"{table.name} has no column(s) {', '.join(sorted(unknown))}")
        self._held.setdefault(table, []).append({**defaults, **values})

    def write_held(self, *tables: Table) -> None:
        """Write held rows (of `tables`, or all): one INSERT per table and set of columns."""
        if not self._held:
            if not tables:
                self._write_changes()
            return
        for table in list(self._held) if not tables else [t for t in tables if t in self._held]:
            write(self._connected(), _insert(table), self._held.pop(table))
        if not tables:
            self._write_changes()

    def _write_changes(self) -> None:
        """The mixins' own held changes (people, calendar entries): written before commit."""

    def _has_changes(self) -> bool:
        """Whether the mixins hold changes for _write_changes."""
        return False
