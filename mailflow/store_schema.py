"""The schema: tables and indexes made or brought up to date, and the triggers that count places."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, inspect, text
from sqlmodel import SQLModel

import mailflow.tables  # noqa: F401 - registers every table with SQLModel.metadata


def create_schema(engine: Engine) -> None:
    SQLModel.metadata.create_all(engine)
    _add_missing_columns(engine)
    # create_all skips tables that exist: an older database gains newer indexes here.
    for table in SQLModel.metadata.sorted_tables:
        for index in table.indexes:
            index.create(engine, checkfirst=True)
    with _transaction(engine) as conn:
        for name in _SUPERSEDED:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
    _count_places(engine)


# Indexes an older mailflow made that a wider one now serves. Each was a trap for PostgreSQL's
# cached (generic) plans, made while the tables were nearly empty: "event_id = $1 AND
# email = $2" read through the event_id index and filtered email, and the outbox claims
# scanned every pending row, so a message cost more with every booking and every reply queued.
_SUPERSEDED = ("ix_places_event_id", "ix_places_email", "ix_invites_event_id",
               "ix_invites_email", "ix_outbox_status")


# session_counts follows places through triggers: one row per (session, status), moved by
# each INSERT, DELETE and change of a place's session or status, whoever writes it.
_COUNT_TRIGGERS = ("places_count_insert", "places_count_delete", "places_count_update")
_SQLITE_COUNTING = (
    """CREATE TRIGGER places_count_insert AFTER INSERT ON places BEGIN
    INSERT INTO session_counts (event_id, status, n) VALUES (NEW.event_id, NEW.status, 1)
    ON CONFLICT (event_id, status) DO UPDATE SET n = n + 1; END""",
    """CREATE TRIGGER places_count_delete AFTER DELETE ON places BEGIN
    UPDATE session_counts SET n = n - 1 WHERE event_id = OLD.event_id AND status = OLD.status;
    END""",
    """CREATE TRIGGER places_count_update AFTER UPDATE OF event_id, status ON places
    WHEN OLD.event_id IS NOT NEW.event_id OR OLD.status IS NOT NEW.status BEGIN
    UPDATE session_counts SET n = n - 1 WHERE event_id = OLD.event_id AND status = OLD.status;
    INSERT INTO session_counts (event_id, status, n) VALUES (NEW.event_id, NEW.status, 1)
    ON CONFLICT (event_id, status) DO UPDATE SET n = n + 1; END""",
)
_POSTGRES_COUNTING = (
    """CREATE OR REPLACE FUNCTION mailflow_count_places() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' THEN
            UPDATE session_counts SET n = n - 1
            WHERE event_id = OLD.event_id AND status = OLD.status;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO session_counts (event_id, status, n) VALUES (NEW.event_id, NEW.status, 1)
            ON CONFLICT (event_id, status) DO UPDATE SET n = session_counts.n + 1;
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER places_count_insert AFTER INSERT ON places
    FOR EACH ROW EXECUTE FUNCTION mailflow_count_places()""",
    """CREATE TRIGGER places_count_delete AFTER DELETE ON places
    FOR EACH ROW EXECUTE FUNCTION mailflow_count_places()""",
    """CREATE TRIGGER places_count_update AFTER UPDATE OF event_id, status ON places
    FOR EACH ROW WHEN (OLD.event_id IS DISTINCT FROM NEW.event_id
                       OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION mailflow_count_places()""",
)


@contextmanager
def _transaction(bind: Engine | Connection) -> Iterator[Connection]:
    """A transaction on an Engine, or a SAVEPOINT in a Connection's own (`poll --dry-run`)."""
    if isinstance(bind, Connection):
        with bind.begin_nested():
            yield bind
    else:
        with bind.begin() as conn:
            yield conn


def _triggers(conn: Connection) -> set[str]:
    if conn.dialect.name == "sqlite":
        found = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
    else:
        found = conn.execute(text("SELECT tgname FROM pg_trigger "
                                  "WHERE tgrelid = 'places'::regclass AND NOT tgisinternal"))
    return {str(name) for (name,) in found}


def _count_places(bind: Engine | Connection) -> None:
    """Give a database without the counting triggers (new, or made by an older mailflow)
    its triggers and its counts, from the places as they are, in one transaction that no
    place is written during (SQLite's BEGIN IMMEDIATE; a lock on places on PostgreSQL)."""
    with _transaction(bind) as conn:
        if _triggers(conn) >= set(_COUNT_TRIGGERS):
            return
    postgres = bind.dialect.name == "postgresql"
    with _transaction(bind) as conn:
        if postgres:
            conn.execute(text("LOCK TABLE places IN SHARE ROW EXCLUSIVE MODE"))
        have = _triggers(conn)
        if have >= set(_COUNT_TRIGGERS):
            return  # another process did it while this one waited
        for name in have & set(_COUNT_TRIGGERS):
            conn.execute(text(f"DROP TRIGGER {name}" + (" ON places" if postgres else "")))
        for statement in _POSTGRES_COUNTING if postgres else _SQLITE_COUNTING:
            conn.execute(text(statement))
        conn.execute(text("DELETE FROM session_counts"))
        conn.execute(text("INSERT INTO session_counts (event_id, status, n) "
                          "SELECT event_id, status, count(*) FROM places "
                          "GROUP BY event_id, status"))


def _add_missing_columns(engine: Engine) -> None:
    """Give a database made by an older mailflow the columns added since (all defaulted)."""
    found = inspect(engine)
    for table in SQLModel.metadata.sorted_tables:
        have = {c["name"] for c in found.get_columns(table.name)}
        for column in table.columns:
            if column.name in have:
                continue
            kind = column.type.compile(dialect=engine.dialect)
            default = getattr(column.default, "arg", None)
            if isinstance(default, bool | int | float):
                literal = str(int(default)) if isinstance(default, bool) else str(default)
            elif isinstance(default, str):
                literal = "'" + default.replace("'", "''") + "'"
            else:
                literal = None
            clause = f" NOT NULL DEFAULT {literal}" if literal is not None else ""
            with engine.begin() as conn:
                conn.exec_driver_sql(
                    f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{clause}')
