"""Writes the hot path makes on the driver's own cursor: compiled once, run without SQLAlchemy.

SQLAlchemy's execute costs two to four times what the driver's does for a small INSERT
(execution context, events, result set-up), and each handled message writes six or seven
rows: its record, its reply, audit entries, places, people, calendar entries. These are
plain writes whose answer nothing reads, so they are compiled once per dialect and set of
columns, their values converted by the columns' own bind processors (SQLite's datetimes,
UTCDateTime), and run on the connection's DBAPI cursor, inside the same transaction (and in
PostgreSQL's commit pipeline, when there is one). Errors are raised as SQLAlchemy's own, as
a Connection's execute raises them, and listeners of before_cursor_execute see each one.
"""

from __future__ import annotations

import collections
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, cast

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.base import Executable


class _Compiled(NamedTuple):
    sql: str
    names: tuple[str, ...]  # the parameters in the order the driver takes them
    processors: tuple[Callable[[Any], Any] | None, ...]  # each one's bind processor
    positional: bool
    fixed: dict[str, Any]  # the statement's own values (not a row's), converted


_compiled: dict[tuple[int, str, tuple[str, ...]], tuple[Executable, _Compiled]] = {}


def _compile(conn: Connection, statement: Executable, keys: tuple[str, ...]) -> _Compiled:
    dialect = conn.dialect
    key = (id(statement), dialect.name, keys)
    found = _compiled.get(key)
    if found is not None and found[0] is statement:
        return found[1]
    compiled = statement.compile(dialect=dialect, column_keys=list(keys))  # type: ignore[attr-defined]
    positional = bool(compiled.positional)
    binds = {name: bind for bind, name in compiled.bind_names.items()}
    names = tuple(compiled.positiontup or ()) if positional else tuple(binds)
    # What SQLAlchemy applies itself (a tuple type's would be a sequence: none is written here).
    processors = cast(dict[str, Callable[[Any], Any]], compiled._bind_processors)  # noqa: SLF001
    fixed = {}
    for name in names:
        if name not in keys:
            value = binds[name].effective_value
            fixed[name] = processors[name](value) if name in processors else value
    made = _Compiled(str(compiled), names, tuple(processors.get(n) for n in names), positional,
                     fixed)
    _compiled[key] = (statement, made)  # the statement kept alive: its id stays its own
    return made


def write(conn: Connection, statement: Executable, rows: Sequence[dict[str, Any]]) -> None:
    """Run an INSERT, upsert or UPDATE whose rows all have the same keys (or a statement whose
    answer nothing reads), on the driver."""
    if not rows:
        return
    made = _compile(conn, statement, tuple(rows[0]))
    values = [_values(made, row) for row in rows]
    _run(conn, made.sql, values, fetch=False)


def execute(conn: Connection, sql: str) -> None:
    """Run one statement without parameters (BEGIN IMMEDIATE) on the driver."""
    _run(conn, sql, [()], fetch=False)


def _values(made: _Compiled, row: dict[str, Any]) -> Any:
    converted = [made.fixed[n] if n in made.fixed else row[n] if p is None else p(row[n])
                 for n, p in zip(made.names, made.processors, strict=True)]
    return tuple(converted) if made.positional else dict(zip(made.names, converted,
                                                             strict=True))


def _run(conn: Connection, sql: str, values: list[Any], fetch: bool,
         describe: bool = False) -> tuple[list[Any], Sequence[Any]]:
    """Execute on the driver's cursor as Connection.execute would (its cursor events, its
    errors, a dropped connection invalidated); the rows when `fetch`, and their description
    when `describe` (psycopg makes it afresh each time it is asked)."""
    dbapi_conn = conn.connection.dbapi_connection
    assert dbapi_conn is not None
    cursor = dbapi_conn.cursor()
    many = len(values) > 1
    watched = conn._has_events or conn.engine._has_events  # noqa: SLF001 - as Connection checks
    parameters = values if many else values[0]
    if watched:
        # Whoever watches the statements (the hot-query test, bench/statements.py) sees these.
        conn.dispatch.before_cursor_execute(conn, cursor, sql, parameters, None, many)
    try:
        if not many:
            cursor.execute(sql, values[0])
        else:
            cursor.executemany(sql, values)
        if fetch and watched:
            # After it, and before its rows are read: statements queued in a pipeline ahead
            # of it are answered there (store_unit._answer_queued).
            conn.dispatch.after_cursor_execute(conn, cursor, sql, parameters, None, many)
        if not fetch:
            return [], ()
        return list(cursor.fetchall()), cursor.description if describe else ()
    except conn.dialect.loaded_dbapi.Error as exc:
        gone = conn.dialect.is_disconnect(exc, dbapi_conn, cursor)
        if gone:
            conn.invalidate(exc)
        raise DBAPIError.instance(sql, values, exc, conn.dialect.loaded_dbapi.Error,
                                  connection_invalidated=gone, dialect=conn.dialect) from exc
    finally:
        cursor.close()


class _Reading(NamedTuple):
    made: _Compiled
    row: Callable[..., Any]  # a named tuple of the result's columns
    types: tuple[Any, ...]  # each column's type
    # The columns with a result processor and it, made at the first run: some drivers'
    # depend on the type the database describes the column as (psycopg's numbers).
    processors: list[tuple[tuple[int, Callable[[Any], Any]], ...]]


_readings: dict[tuple[int, str, tuple[str, ...]], tuple[Executable, _Reading]] = {}


def read(conn: Connection, statement: Executable, params: dict[str, Any]) -> list[Any]:
    """Run a SELECT (no expanding parameters) on the driver and return its rows, each a named
    tuple whose values are converted as SQLAlchemy's result would convert them.

    The opening read of every message costs SQLAlchemy five times what it costs the driver
    (execution context, parameter processing, the result's set-up): it is compiled once
    here instead, for each dialect and set of parameters given."""
    keys = tuple(sorted(params))
    key = (id(statement), conn.dialect.name, keys)
    found = _readings.get(key)
    if found is None or found[0] is not statement:
        made = _compile(conn, statement, keys)
        compiled = statement.compile(dialect=conn.dialect)  # type: ignore[attr-defined]
        columns = compiled._result_columns  # noqa: SLF001 - what a result would read
        row = collections.namedtuple("Row", [c.keyname for c in columns])  # type: ignore[misc]
        found = (statement, _Reading(made, row, tuple(c.type for c in columns), []))
        _readings[key] = found
    reading = found[1]
    rows, description = _run(conn, reading.made.sql, [_values(reading.made, params)],
                             fetch=True, describe=not reading.processors)
    if not reading.processors:
        each: list[Callable[[Any], Any] | None] = [
            kind._cached_result_processor(conn.dialect, d[1])  # noqa: SLF001
            for kind, d in zip(reading.types, description, strict=True)]
        reading.processors.append(tuple((i, p) for i, p in enumerate(each) if p is not None))
    make, processors = reading.row, reading.processors[0]
    found_rows = []
    for r in rows:
        values = list(r)
        for i, p in processors:  # most of a union's columns are NULL on most of its rows
            if values[i] is not None:
                values[i] = p(values[i])
        found_rows.append(make(*values))
    return found_rows
