"""The statements that read what one message can touch of the seat book, and their rows."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Integer, String, bindparam, case, func, literal, null, union_all
from sqlalchemy import select as sa_select

from mailflow.model import EventInfo
from mailflow.seats import Status
from mailflow.tables import PlaceRow, SessionCount

_T = PlaceRow.__table__  # type: ignore[attr-defined]
_P = _T.c
_C = SessionCount.__table__.c  # type: ignore[attr-defined]
PLACE_COLUMNS = (_P.id, _P.event_id, _P.email, _P.name, _P.organisation, _P.status,
                 _P.joined_at, _P.queue, _P.offer_expires, _P.forced)
# A status's highest queue key in a session: the last entry of the (event_id, status, queue)
# index, however many places the session has.
_TOP = (sa_select(func.max(_P.queue))
        .where(_P.event_id == _C.event_id, _P.status == _C.status).scalar_subquery())
# Built once: handling a message runs these every time, and compiling them costs more than running.
# Per session and status, the count (kept in session_counts) and the highest queue key.
COUNTS = (sa_select(_C.event_id, _C.status, _C.n, _TOP)
          .where(_C.event_id.in_(bindparam("ids", expanding=True)), _C.n > 0))
HEAD = (sa_select(*PLACE_COLUMNS)
        .where(_P.event_id == bindparam("event_id"), _P.status == Status.WAITLISTED.value)
        .order_by(_P.queue, _P.joined_at).limit(bindparam("head")))
HEAD_ROW = -1  # the n of a book_of row that is a place at the head of a waiting list
NAMES = (*(c.key for c in PLACE_COLUMNS), "n")


class BookRow(NamedTuple):
    """A row of book_of: one of the named people's places (n None), a status's tally in one
    session (n its count, queue the highest), or a place at a waiting list's head."""

    id: Any  # None on a tally row
    event_id: str
    email: str | None
    name: str | None
    organisation: str | None
    status: str
    joined_at: datetime | None
    queue: float | None
    offer_expires: datetime | None
    forced: bool | None
    n: int | None


def session_ids(sessions: int) -> list[Any]:
    """The sessions' ids as book_params gives them (e0, e1 ...): one placeholder each, not an
    expanding list, so that the statement is the same text every time and compiled once."""
    return [bindparam(f"e{i}", type_=String) for i in range(sessions)]


def person_ids(people: int) -> list[Any]:
    """The people's addresses as book_params gives them (em0, em1 ...)."""
    return [bindparam(f"em{i}", type_=String) for i in range(people)]


def book_parts(sessions: int, people: int, lead: Sequence[Any] = (),
               prefix: str = "") -> list[Any]:
    """The selects of book_of, each after the columns `lead`, labelled prefix + NAMES.

    The named people's places (em0, em1 ...); per session and status, the count and the
    highest queue number; and for each of `sessions` sessions (e0, e1 ...; cap0, cap1 ... their
    capacities) the head of its waiting list as long as _partial_roster wants it: every place
    the message could free, plus one, computed by the database from the same counts.
    Counts come from session_counts, by key: nothing here reads a session's whole book.
    """
    ids = session_ids(sessions)
    emails = person_ids(people)

    def part(*values: Any) -> Any:
        return sa_select(*lead, *(v.label(prefix + k) for k, v in zip(NAMES, values,
                                                                     strict=True)))

    parts = [
        part(*PLACE_COLUMNS, null()).where(_P.event_id.in_(ids), _P.email.in_(emails)),
        part(null(), _C.event_id, null(), null(), null(), _C.status, null(), _TOP, null(),
             null(), _C.n).where(_C.event_id.in_(ids), _C.n > 0)]
    for i in range(sessions):
        event_id = bindparam(f"e{i}", type_=String)
        capacity = bindparam(f"cap{i}", type_=Integer)
        taken = (sa_select(func.coalesce(func.sum(_C.n), 0))
                 .where(_C.event_id == event_id,
                        # Each its own placeholder: no expanding list (store_driver.read).
                        _C.status.in_([literal(Status.CONFIRMED.value),
                                       literal(Status.OFFERED.value)]))
                 .scalar_subquery())
        named = (sa_select(func.count()).select_from(_T)
                 .where(_P.event_id == event_id, _P.email.in_(emails)).scalar_subquery())
        free = capacity - taken
        head = (sa_select(_P.id)
                .where(_P.event_id == event_id, _P.status == Status.WAITLISTED.value)
                .order_by(_P.queue, _P.joined_at)
                .limit(case((free > 0, free), else_=0) + named + 1))
        # By key from a subquery: SQLite takes no ORDER BY or LIMIT on a part of a UNION.
        parts.append(part(*PLACE_COLUMNS, literal(HEAD_ROW))
                     .where(_P.id.in_(head.scalar_subquery())))
    return parts


@functools.cache
def book_of(sessions: int, people: int) -> Any:
    """What load_rosters reads of `sessions` sessions for `people`, in one statement."""
    return union_all(*book_parts(sessions, people))


def book_params(events: Sequence[EventInfo], emails: Iterable[str]) -> dict[str, Any]:
    """book_of's parameters: the sessions in the order their locks are taken (and, as lists,
    "ids" and "emails", which the statement does not read)."""
    capacity = {e.id: e.capacity for e in events}
    ids = sorted(capacity)
    people = sorted(set(emails))
    params: dict[str, Any] = {"ids": ids, "emails": people}
    for n, event_id in enumerate(ids):
        params[f"e{n}"], params[f"cap{n}"] = event_id, capacity[event_id]
    for n, email in enumerate(people):
        params[f"em{n}"] = email
    return params


def book_row(row: Any, prefix: str) -> BookRow:
    """A book_of row read under prefixed labels (in a union with other reads)."""
    return BookRow(*(getattr(row, prefix + k) for k in NAMES))
