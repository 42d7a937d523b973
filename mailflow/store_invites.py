"""Calendar entries in the database: read once per transaction, written (an upsert) at commit."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from mailflow.store_driver import write
from mailflow.store_unit import UnitBase
from mailflow.tables import InviteRow

_T = InviteRow.__table__  # type: ignore[attr-defined]
_BY_UID = select(_T).where(_T.c.uid == bindparam("uid"))
_BY_PERSON = select(_T).where(_T.c.event_id == bindparam("event_id"),
                              _T.c.email == bindparam("email"))
_LIVE = select(_T).where(_T.c.method == "REQUEST").order_by(_T.c.event_id, _T.c.email)
_LIVE_OF = (select(_T).where(_T.c.method == "REQUEST",
                             _T.c.event_id.in_(bindparam("ids", expanding=True)))
            .order_by(_T.c.event_id, _T.c.email))
_LIVE_SNAPSHOTS = select(_T.c.event_id, _T.c.snapshot).where(_T.c.method == "REQUEST").distinct()


@functools.cache
def _upsert(dialect: str) -> Any:
    stmt = (pg_insert if dialect == "postgresql" else sqlite_insert)(_T)
    return stmt.on_conflict_do_update(
        index_elements=["uid"],
        set_={c.key: stmt.excluded[c.key] for c in _T.columns if c.key != "uid"})


@dataclass
class Entry:
    """An InviteRow's values as plain data (cheap to read and change on the hot path)."""

    uid: str
    event_id: str
    email: str
    issued_at: datetime
    updated_at: datetime
    sequence: int = 0
    booked_sequence: int = 0
    method: str = "REQUEST"
    snapshot: str = ""
    partstat: str = ""
    partstat_at: datetime | None = None
    comment: str = ""


COLUMNS = tuple(f.name for f in fields(Entry))


class Invites(UnitBase):
    """Entries are plain values (not ORM objects): save_invite has them written at commit."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self._invites: dict[str, Entry | None] = {}  # by UID
        self._invite_uids: dict[tuple[str, str], str | None] = {}  # (event, email) -> UID
        self._invites_changed: dict[str, Entry] = {}

    def _invite_rows(self, query: Any, params: dict[str, Any] | None = None) -> list[Entry]:
        return self._entries(self._conn().execute(query, params or {}).all())

    def _entries(self, found_rows: Iterable[Any], prefix: str = "") -> list[Entry]:
        """The entries of rows read (with at least the invite columns, named prefix + name)."""
        rows = []
        for found in found_rows:
            row = self._invites.get(getattr(found, prefix + "uid"))  # this transaction's own wins
            if row is None:
                row = Entry(**{k: getattr(found, prefix + k) for k in COLUMNS})
                self._invites[row.uid] = row
                self._invite_uids[(row.event_id, row.email)] = row.uid
            rows.append(row)
        return rows

    def _known_invite(self, event_id: str, email: str, rows: Sequence[Any]) -> None:
        """Keep what a read of one person's entry for one session found (rows with a uid)."""
        found = self._entries(r for r in rows if r.uid is not None)
        self._invite_uids[(event_id, email)] = found[0].uid if found else None

    def _known_entries(self, email: str, event_ids: Iterable[str], rows: Sequence[Any],
                       prefix: str) -> None:
        """Keep what a read of one person's entries for these sessions found (all of them:
        a session without a row has none)."""
        found = {e.event_id: e.uid for e in self._entries(rows, prefix) if e.email == email}
        for event_id in event_ids:
            self._invite_uids.setdefault((event_id, email), found.get(event_id))

    def invite(self, uid: str) -> Entry | None:
        if not uid:
            return None
        if uid not in self._invites:
            rows = self._invite_rows(_BY_UID, {"uid": uid})
            self._invites[uid] = rows[0] if rows else None
        return self._invites[uid]

    def invite_for(self, event_id: str, email: str) -> Entry | None:
        key = (event_id, email)
        if key not in self._invite_uids:
            self._known_invite(event_id, email, self._conn().execute(
                _BY_PERSON, {"event_id": event_id, "email": email}).all())
        uid = self._invite_uids[key]
        return None if uid is None else self._invites.get(uid)

    def live_invites(self, unless: Mapping[str, str] | None = None) -> list[Entry]:
        """Entries whose last message was a REQUEST: what members' calendars now show.

        With `unless` (session id -> what an entry for it says now), only the entries of
        sessions where some live entry says something else, or that `unless` lacks: the
        database compares, so what is read does not grow with the entries issued.
        """
        self._write_invites()
        if unless is None:
            return self._invite_rows(_LIVE)
        stale = sorted({event_id for event_id, said in self._conn().execute(_LIVE_SNAPSHOTS)
                        if unless.get(event_id) != said})
        return self._invite_rows(_LIVE_OF, {"ids": stale}) if stale else []

    def save_invite(self, row: Entry) -> None:
        self._invites[row.uid] = row
        self._invite_uids[(row.event_id, row.email)] = row.uid
        self._invites_changed[row.uid] = row

    def _write_invites(self) -> None:
        if not self._invites_changed:
            return
        # Not dataclasses.asdict: it deep-copies every value, and these are plain ones.
        rows = [{k: getattr(r, k) for k in COLUMNS}
                for _, r in sorted(self._invites_changed.items())]
        self._invites_changed.clear()
        write(self._connected(), _upsert(self.engine.dialect.name), rows)

    def _has_changes(self) -> bool:
        return bool(self._invites_changed) or super()._has_changes()

    def _write_changes(self) -> None:
        self._write_invites()
        super()._write_changes()

    def _discard(self) -> None:
        self._invites.clear()
        self._invite_uids.clear()
        self._invites_changed.clear()
        super()._discard()
