"""The hot path's prebuilt statements: built once, each run for every message handled."""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    cast,
    exists,
    null,
    or_,
    type_coerce,
    union_all,
)
from sqlalchemy import select as sa_select

from mailflow.store_book import PLACE_COLUMNS, book_parts, session_ids
from mailflow.store_invites import COLUMNS as INVITE_COLUMNS
from mailflow.store_people import FIELDS as PERSON_FIELDS
from mailflow.tables import HandledMessage, InviteRow, OutboxRow, PersonRow

_H = HandledMessage.__table__  # type: ignore[attr-defined]
_O = OutboxRow.__table__  # type: ignore[attr-defined]
_PEOPLE = PersonRow.__table__  # type: ignore[attr-defined]
# Built once: each runs for every message handled.
_KNOWN = sa_select(_H.c.message_id, _H.c.uidvalidity, _H.c.uid, _H.c.sha256, _H.c.sender,
                   _H.c.received_at)
# One statement for both questions (each side has its own unique index).
KNOWN_BY_ID_OR_UID = _KNOWN.where(or_(
    _H.c.message_id == bindparam("message_id"),
    and_(_H.c.uidvalidity == bindparam("uidvalidity"), _H.c.uid == bindparam("uid"))))
KNOWN_BY_ID = _KNOWN.where(_H.c.message_id == bindparam("message_id"))
REPLIES_TODAY = sa_select(_O.c.outcome, _O.c.subject).where(
    _O.c.recipient == bindparam("recipient"), _O.c.kind == "reply",
    _O.c.created_at >= bindparam("since"))
_HANDLED_COLUMNS = tuple(_KNOWN.selected_columns)
_PERSON_COLUMNS = (_PEOPLE.c.email, *(_PEOPLE.c[f] for f in PERSON_FIELDS))
_REPLY_COLUMNS = (_O.c.outcome, _O.c.subject)


def _nulls(*columns: Any) -> list[Any]:
    # Typed, so that the union's rows are converted as the columns' own would be.
    return [type_coerce(null(), c.type).label(c.key) for c in columns]


# A sender's person row and today's replies to them, in one statement (each side from its own
# index): handling their message asks both. A row with an email is the person's.
_PERSON_OF = (sa_select(*_nulls(*_HANDLED_COLUMNS), *_PERSON_COLUMNS, *_nulls(*_REPLY_COLUMNS))
              .where(_PEOPLE.c.email == bindparam("email")))
_REPLIES_SINCE = (sa_select(*_nulls(*_HANDLED_COLUMNS, *_PERSON_COLUMNS), *_REPLY_COLUMNS)
                  .where(_O.c.recipient == bindparam("email"), _O.c.kind == "reply",
                         _O.c.created_at >= bindparam("since")))
SENDER = union_all(_PERSON_OF, _REPLIES_SINCE)
# And with whether the message was handled before (a row with a message_id): the first
# thing handling a message asks, after its locks, in one statement.
OPEN_BY_ID_OR_UID, OPEN_BY_ID = (
    union_all(known.add_columns(*_nulls(*_PERSON_COLUMNS, *_REPLY_COLUMNS)), _PERSON_OF,
              _REPLIES_SINCE)
    for known in (KNOWN_BY_ID_OR_UID, KNOWN_BY_ID))
BOOK_PREFIX = "p_"  # the prefix of the seat book's columns when read with the opening read
INVITE_PREFIX = "i_"  # of the sender's calendar entries for the sessions, read with it too
MAILED_PREFIX = "m_"  # and of the mail queued to them, when they have none of those entries
_MAILED = sa_select(_O.c.message_id, _O.c.recipient, _O.c.kind, _O.c.outcome, _O.c.event_ids)
_I = InviteRow.__table__  # type: ignore[attr-defined]
_INVITE_COLUMNS = tuple(_I.c[k] for k in INVITE_COLUMNS)
_MAILED_COLUMNS = tuple(_MAILED.selected_columns)


def _cast_nulls(columns: Any, prefix: str) -> list[Any]:
    # Cast: PostgreSQL types a column that is NULL in the first parts of a union as text.
    return [cast(null(), c.type).label(prefix + str(c.key)) for c in columns]


def _labelled(columns: Any, prefix: str) -> list[Any]:
    return [c.label(prefix + str(c.key)) for c in columns]


_BOOK_NULLS = [*_cast_nulls(PLACE_COLUMNS, BOOK_PREFIX),
               cast(null(), Integer).label(BOOK_PREFIX + "n")]
_INVITE_NULLS = _cast_nulls(_INVITE_COLUMNS, INVITE_PREFIX)
_MAILED_NULLS = _cast_nulls(_MAILED_COLUMNS, MAILED_PREFIX)


@functools.cache
def open_with_book(by_uid: bool, sessions: int, people: int) -> Any:
    """OPEN_BY_ID_OR_UID or OPEN_BY_ID and, in the same statement, what load_rosters reads
    of `sessions` sessions for `people` (store_book.book_of, its columns prefixed): a request
    naming its sessions has them read with its first read, under the same locks. And what
    numbering a
    confirmation's calendar entry asks (INVITE_OR_MAILED): the sender's entries for those
    sessions and, when they have none, the mail queued to them."""
    known = KNOWN_BY_ID_OR_UID if by_uid else KNOWN_BY_ID
    lead = _nulls(*_HANDLED_COLUMNS, *_PERSON_COLUMNS, *_REPLY_COLUMNS)
    trail = [*_INVITE_NULLS, *_MAILED_NULLS, *_BOOK_NULLS]
    entries = and_(_I.c.email == bindparam("email"), _I.c.event_id.in_(session_ids(sessions)))
    invites = sa_select(*lead, *_labelled(_INVITE_COLUMNS, INVITE_PREFIX), *_MAILED_NULLS,
                        *_BOOK_NULLS).where(entries)
    mailed = sa_select(*lead, *_INVITE_NULLS, *_labelled(_MAILED_COLUMNS, MAILED_PREFIX),
                       *_BOOK_NULLS).where(_O.c.recipient == bindparam("email"),
                                           ~exists().where(entries))
    return union_all(known.add_columns(*_nulls(*_PERSON_COLUMNS, *_REPLY_COLUMNS), *trail),
                     _PERSON_OF.add_columns(*trail), _REPLIES_SINCE.add_columns(*trail),
                     invites, mailed,
                     *book_parts(sessions, people, [*lead, *_INVITE_NULLS, *_MAILED_NULLS],
                                 BOOK_PREFIX))


MAILED_TO = _MAILED.where(_O.c.recipient == bindparam("recipient"))
MAILED_AS = _MAILED.where(_O.c.message_id.in_(bindparam("ids", expanding=True)))
_INVITE_OF = and_(_I.c.event_id == bindparam("event_id"), _I.c.email == bindparam("email"))
# One person's calendar entry for one session and, only when there is none, the mail queued
# to them (whether an older, clock-numbered invite reached them numbers the new entry): a
# new confirmation asks both, in one statement. A row with a uid is the entry.
INVITE_OR_MAILED = union_all(
    sa_select(*_INVITE_COLUMNS, *_nulls(*_MAILED_COLUMNS)).where(_INVITE_OF),
    sa_select(*_nulls(*_INVITE_COLUMNS), *_MAILED_COLUMNS).where(
        _O.c.recipient == bindparam("email"), ~exists().where(_INVITE_OF)))
