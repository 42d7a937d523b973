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
    values: list[Any] = []
    for row in rows:
        converted = [made.fixed[n] if n in made.fixed else row[n] if p is None else p(row[n])
                     for n, p in zip(made.names, made.processors, strict=True)]
        values.append(tuple(converted) if made.positional
                      else dict(zip(made.names, converted, strict=True)))
    dbapi_conn = conn.connection.dbapi_connection
    assert dbapi_conn is not None
    cursor = dbapi_conn.cursor()
    many = len(values) > 1
    if conn._has_events or conn.engine._has_events:  # noqa: SLF001 - as Connection checks
        # Whoever watches the statements (the hot-query test, bench/statements.py) sees these.
        conn.dispatch.before_cursor_execute(conn, cursor, made.sql,
                                            values if many else values[0], None, many)
    try:
        if not many:
            cursor.execute(made.sql, values[0])
        else:
            cursor.executemany(made.sql, values)
    except conn.dialect.loaded_dbapi.Error as exc:
        gone = conn.dialect.is_disconnect(exc, dbapi_conn, cursor)
        if gone:
            conn.invalidate(exc)
        raise DBAPIError.instance(made.sql, values, exc, conn.dialect.loaded_dbapi.Error,
                                  connection_invalidated=gone, dialect=conn.dialect) from exc
    finally:
        cursor.close()
