"""The engine (SQLite WAL + BEGIN IMMEDIATE, or PostgreSQL) and its durable transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlmodel import create_engine

from mailflow.tables import Setting


def make_engine(url: str) -> Engine:
    """An engine whose transactions serialise seat changes on SQLite and PostgreSQL alike."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
            # The driver would open the transaction only at the first write, letting two
            # processes both count seats and then both insert; take control of BEGIN.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # On the driver's cursor (its errors still SQLAlchemy's): once per transaction,
            # and exec_driver_sql's execution context cost ten times the BEGIN itself.
            from mailflow.store_driver import execute

            execute(conn, "BEGIN IMMEDIATE")

        return engine
    # No pre-ping: it costs a round trip on every checkout, once per message. A connection
    # the server dropped fails its first statement instead; SQLAlchemy then discards the
    # whole pool, and Desk.handle runs that message again on a fresh connection (other jobs
    # fail that once, as in any outage, and run again). Connections are renewed every half
    # hour, before a firewall or idle_session_timeout ends a quiet one unnoticed.
    _cache_long_statements()
    return create_engine(url, pool_recycle=1800)


DURABLE_KEY = "store.durable_at"  # when the store last made everything committed durable


@contextmanager
def durable_transaction(engine: Engine) -> Iterator[tuple[Connection, bool]]:
    """A transaction whose commit, once it returns, survives an OS crash or a power loss, and
    with it every commit before it: the one synced point before anything leaves that the
    database cannot take back (an IMAP MOVE telling the server mail is done, an SMTP send).
    Yields the connection, and whether commits were durable anyway (then a transaction that
    writes nothing needs nothing more).

    Ordinary commits on SQLite run under `synchronous=NORMAL` (make_engine): the WAL is
    appended to, not synced, so a crash of the process loses nothing but a crash of the
    machine may lose the last commits. This transaction commits under `synchronous=FULL`
    instead; its sync of the WAL carries every earlier commit with it (one file, appended in
    order). Measured here, a commit under FULL and an os.fsync of the -wal file cost the same
    (0.2-0.4 ms); the commit is SQLite's own contract (a WAL just created or restarted, the
    directory entry), the fsync would lean on its file naming. Once per batch of mail.
    SQLite refuses to change the level inside a transaction: it is set before BEGIN.

    PostgreSQL's commits are durable already when `synchronous_commit` is on (the default;
    `local`, `remote_write` and `remote_apply` also flush the local WAL). When it is off, this
    transaction's commit is made synchronous, which waits for the WAL up to that commit, and
    so for every earlier one, to be flushed.
    """
    from mailflow.store_driver import execute

    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            # Outside any transaction (the driver is in autocommit mode: see make_engine).
            execute(conn, "PRAGMA synchronous=FULL")
            try:
                with conn.begin():  # BEGIN IMMEDIATE
                    yield conn, False
            finally:
                execute(conn, "PRAGMA synchronous=NORMAL")
        return
    with engine.begin() as conn:
        durable = True
        if engine.dialect.name == "postgresql" and \
                conn.exec_driver_sql("SHOW synchronous_commit").scalar() == "off":
            conn.exec_driver_sql("SET LOCAL synchronous_commit TO on")
            durable = False
        yield conn, durable


def make_durable(engine: Engine) -> None:
    """Everything committed so far survives an OS crash or a power loss once this returns:
    a durable_transaction writing when it ran (DURABLE_KEY), when commits are not durable
    anyway. Before each IMAP MOVE of handled mail (filing); an outbox batch's claim is
    itself a durable_transaction."""
    from mailflow.store_driver import write

    with durable_transaction(engine) as (conn, durable):
        if not durable:
            now = datetime.now(UTC)
            write(conn, _durable_upsert(engine.dialect.name),
                  [{"key": DURABLE_KEY, "value": now.isoformat(), "updated_at": now}])


_DURABLE_UPSERTS: dict[str, Any] = {}


def _durable_upsert(dialect: str) -> Any:
    """The upsert of DURABLE_KEY's row, built once per dialect (store_driver compiles it once)."""
    found = _DURABLE_UPSERTS.get(dialect)
    if found is None:
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as upsert
        else:
            from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
        table = Setting.__table__  # type: ignore[attr-defined]
        statement = upsert(table)
        found = statement.on_conflict_do_update(
            index_elements=["key"], set_={"value": statement.excluded.value,
                                          "updated_at": statement.excluded.updated_at})
        _DURABLE_UPSERTS[dialect] = found
    return found


# psycopg converts a statement's placeholders once per distinct text, but only for texts up
# to 4 KB with at most 50 parameters (it guards against ORMs' ever-new multi-row INSERTs).
# A message's opening read with its seat book (store_queries.open_with_book) is 5-7 KB, so
# it was converted afresh for every message. Ours come in a few shapes, all built once.
_PSYCOPG_STATEMENT_LENGTH = 32_768
_PSYCOPG_STATEMENT_PARAMS = 200


def _cache_long_statements() -> None:
    try:
        from psycopg import _queries
    except ImportError:  # another driver: nothing to tune
        return
    if getattr(_queries, "MAX_CACHED_STATEMENT_LENGTH", None) is not None:
        _queries.MAX_CACHED_STATEMENT_LENGTH = max(_queries.MAX_CACHED_STATEMENT_LENGTH,
                                                   _PSYCOPG_STATEMENT_LENGTH)
    if getattr(_queries, "MAX_CACHED_STATEMENT_PARAMS", None) is not None:
        _queries.MAX_CACHED_STATEMENT_PARAMS = max(_queries.MAX_CACHED_STATEMENT_PARAMS,
                                                   _PSYCOPG_STATEMENT_PARAMS)
