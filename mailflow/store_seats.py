"""The seat book in the database: lock and load what a message touches, write what changed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, func, insert, or_, update
from sqlalchemy import select as sa_select

from mailflow.model import EventInfo
from mailflow.seats import Place, Roster, Status, Unloaded
from mailflow.store_book import (
    COUNTS,
    HEAD,
    HEAD_ROW,
    PLACE_COLUMNS,
    BookRow,
    book_of,
    book_params,
)
from mailflow.store_driver import write
from mailflow.store_unit import UnitBase
from mailflow.tables import PlaceRow

_P = PlaceRow.__table__.c  # type: ignore[attr-defined]
_OFFERS = sa_select(_P.event_id, _P.email, _P.offer_expires).where(
    _P.event_id.in_(bindparam("ids", expanding=True)), _P.status == Status.OFFERED.value)
_INSERT_PLACES = (insert(PlaceRow.__table__)  # type: ignore[attr-defined]
                  .returning(_P.id, sort_by_parameter_order=True))
_INSERT_NEW_PLACES = insert(PlaceRow.__table__).inline()  # type: ignore[attr-defined]
_UPDATE_PLACE = (update(PlaceRow.__table__)  # type: ignore[attr-defined]
                 .where(_P.id == bindparam("place_id"))
                 .values({k: bindparam(k) for k in ("name", "organisation", "status",
                                                     "joined_at", "queue", "offer_expires",
                                                     "forced", "updated_at")}))


def session_keys(ids: Iterable[str]) -> list[str]:
    """The advisory lock keys of sessions, in the order every transaction takes them."""
    return [f"session {i}" for i in sorted(set(ids))]


def _places() -> Any:
    return sa_select(*PLACE_COLUMNS)


def _place(row: Any) -> Place:
    return Place(email=row.email, name=row.name, organisation=row.organisation,
                 status=Status(row.status), joined_at=row.joined_at, queue=row.queue,
                 offer_expires=row.offer_expires, forced=row.forced, id=row.id, dirty=False)


class SeatBook(UnitBase):
    """The unit of work's seat queries: whole books, or only what one message touches."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        # New places saved but not yet written (by id() of the Place, kept alive here).
        self._new_places: dict[int, tuple[Place, dict[str, Any]]] = {}
        # book_of's parameters and rows, read ahead with the message's first read (keep_book).
        self._book_read: tuple[dict[str, Any], list[BookRow]] | None = None

    def lock_rosters(self, events: Sequence[EventInfo], lock: bool = True) -> dict[str, Roster]:
        """Load every session's whole book, locking the sessions so seat counts cannot race.

        For sweeps, reports and the coordinator's commands; handling a message uses
        load_rosters. lock=False is for read-only views, which must not hold up the worker.
        """
        ids = sorted(e.id for e in events)
        if ids and lock:
            self._lock(ids)
        # Plain column rows, not ORM objects.
        by_event: dict[str, list[Place]] = {i: [] for i in ids}
        for row in self._book().execute(_places().where(_P.event_id.in_(ids))).all():
            by_event[row.event_id].append(_place(row))
        return {e.id: Roster(event=e, places=by_event[e.id]) for e in events}

    def sessions_held(self, email: str) -> set[str]:
        """The sessions where `email` has a place of any status."""
        return set(self._book().execute(
            sa_select(_P.event_id).where(_P.email == email)).scalars())

    def load_rosters(self, events: Sequence[EventInfo], emails: Iterable[str],
                     lock: bool = True) -> dict[str, Roster]:
        """Lock `events` and load only what one message about `emails` can touch.

        That is each person's own place, and the head of each waiting list long enough for
        every place the message could free; the rest of the book is counted (Unloaded), so
        the cost does not grow with the bookings already stored.
        """
        ids = sorted({e.id for e in events})
        if not ids:
            return {}
        if lock:
            self._lock(ids)
        wanted = frozenset(emails)
        conn = self._book()
        mine: dict[str, dict[int, Place]] = {i: {} for i in ids}
        counts: dict[str, dict[str, tuple[int, float]]] = {i: {} for i in ids}
        heads: dict[str, list[Any]] | None = None
        if wanted:
            heads = {i: [] for i in ids}
            for row in self._book_rows(conn, events, wanted):
                if row.n is None:
                    mine[row.event_id][row.id] = _place(row)
                elif row.n == HEAD_ROW:
                    heads[row.event_id].append(row)
                else:
                    counts[row.event_id][row.status] = (int(row.n), float(row.queue or 0.0))
        else:
            for event_id, status, n, top in conn.execute(COUNTS, {"ids": ids}).all():
                counts[event_id][status] = (int(n), float(top or 0.0))
        return {e.id: self._partial_roster(conn, e, mine[e.id], counts[e.id], wanted,
                                           None if heads is None else heads[e.id])
                for e in events}

    def _book_rows(self, conn: Connection, events: Sequence[EventInfo],
                   wanted: frozenset[str]) -> Sequence[BookRow]:
        """book_of's rows for these sessions and people: as read with the message's opening
        read (read_book_with) when they are what it read, else read now."""
        params = book_params(events, wanted)
        read, self._book_read = self._book_read, None
        if read is not None and read[0] == params and not self._new_places:
            return read[1]
        return [BookRow(*row) for row in conn.execute(
            book_of(len(params["ids"]), len(params["emails"])), params)]

    def keep_book(self, params: dict[str, Any], rows: list[BookRow]) -> None:
        """Keep book_of's rows read (under the locks) with another statement, for the
        load_rosters with these parameters that follows."""
        self._book_read = (params, rows)

    def sweep_rosters(self, events: Sequence[EventInfo], now: datetime) -> dict[str, Roster]:
        """Lock and load only the sessions a sweep can change, and only what it needs there.

        Those are sessions with an offer whose hold has run out, or with a free place and
        people waiting; loaded are their offers and the head of the waiting list. The whole
        book is never read, so a sweep's cost and memory do not grow with the bookings.
        """
        ids = sorted({e.id for e in events})
        if not ids:
            return {}
        conn = self._book()
        counts: dict[str, dict[str, int]] = {i: {} for i in ids}
        for event_id, status, n, _top in conn.execute(COUNTS, {"ids": ids}).all():
            counts[event_id][status] = int(n)
        offers: dict[str, list[tuple[str, datetime | None]]] = {i: [] for i in ids}
        for event_id, email, expires in conn.execute(_OFFERS, {"ids": ids}).all():
            offers[event_id].append((email, expires))
        chosen = []
        for e in events:
            n = counts[e.id]
            free = e.capacity - n.get(Status.CONFIRMED, 0) - n.get(Status.OFFERED, 0)
            # The rule in Roster.expire_offers: an offer ends at its expiry or the start.
            lapsed = any(now >= min(x or e.starts, e.starts) for _, x in offers[e.id])
            if lapsed or (free > 0 and n.get(Status.WAITLISTED, 0)):
                chosen.append(e)
        # Counted before the lock, to choose; load_rosters counts again under it.
        return self.load_rosters(chosen, {m for e in chosen for m, _ in offers[e.id]})

    @staticmethod
    def _partial_roster(conn: Connection, event: EventInfo, mine: dict[int, Place],
                        counts: dict[str, tuple[int, float]], wanted: frozenset[str],
                        head_rows: list[Any] | None = None) -> Roster:
        taken = sum(counts.get(s, (0, 0.0))[0] for s in (Status.CONFIRMED, Status.OFFERED))
        waiting = counts.get(Status.WAITLISTED, (0, 0.0))[0]
        top = max((q for _, q in counts.values()), default=0.0)
        ahead: dict[str, tuple[float, datetime, int]] = {}
        if waiting:
            # A message frees at most one place per person it names, so this many from the
            # head of the list are all it can offer.
            head = max(0, event.capacity - taken) + len(mine) + 1
            if head_rows is None:  # not read with the counts (_book_of reads as many)
                head_rows = list(conn.execute(HEAD, {"event_id": event.id, "head": head}))
            else:  # in the list's order, whatever order the union gave them in
                head_rows = sorted(head_rows, key=lambda r: (r.queue, r.joined_at))
            for row in head_rows:
                mine.setdefault(row.id, _place(row))
                ahead[row.email] = (row.queue, row.joined_at, 0)
            loaded = [p for p in mine.values() if p.status == Status.WAITLISTED]
            for p in loaded:
                if p.email in ahead:
                    continue
                before = conn.execute(
                    sa_select(func.count()).select_from(PlaceRow).where(
                        _P.event_id == event.id, _P.status == Status.WAITLISTED.value,
                        or_(_P.queue < p.queue, and_(_P.queue == p.queue,
                                                     _P.joined_at < p.joined_at)))).scalar_one()
                known = sum(1 for o in loaded if (o.queue, o.joined_at) < (p.queue, p.joined_at))
                ahead[p.email] = (p.queue, p.joined_at, int(before) - known)
        places = list(mine.values())
        rest = Unloaded(
            taken=taken - sum(1 for p in places if p.status in (Status.CONFIRMED,
                                                                 Status.OFFERED)),
            waiting=waiting - sum(1 for p in places if p.status == Status.WAITLISTED),
            max_queue=top, ahead=ahead, emails=wanted)
        return Roster(event=event, places=places, rest=rest)

    def _lock(self, ids: Sequence[str]) -> None:
        # A lock per session, so two workers touching the same sessions serialise instead
        # of both counting the free seats (a no-op on SQLite, whose BEGIN IMMEDIATE holds the
        # database's one write lock). Advisory rather than row locks: handling a message takes
        # them in the same statement as its sender's (UnitOfWork.serialise).
        self.lock_keys(session_keys(ids))

    def save_rosters(self, rosters: dict[str, Roster], now: datetime) -> None:
        """Write the changed places: one UPDATE batch now, and the new places with the unit's
        other held rows at commit (one multi-row INSERT; PostgreSQL pipelines it with the
        COMMIT), or before the next read of the book."""
        changed: list[dict[str, Any]] = []
        people: dict[str, tuple[str, str]] = {}
        self._book_read = None  # what was read ahead is no longer the book
        for roster in rosters.values():
            for place in roster.places:
                if not place.dirty:
                    continue
                values = dict(name=place.name, organisation=place.organisation,
                              status=place.status.value, joined_at=place.joined_at,
                              queue=place.queue, offer_expires=place.offer_expires,
                              forced=place.forced, updated_at=now)
                if place.id is not None:
                    changed.append(dict(values, place_id=place.id))
                elif (held := self._new_places.get(id(place))) is not None:
                    held[1].update(values)  # saved again before it was written
                else:
                    self._new_places[id(place)] = (place, dict(values, event_id=roster.event.id,
                                                               email=place.email))
                place.dirty = False
                people[place.email] = (place.name, place.organisation)
        if changed:
            write(self._conn(), _UPDATE_PLACE, changed)
        self._remember_people(people)

    def _book(self) -> Connection:
        """The connection, for a read of the places: new ones this unit holds are written
        first, with their keys, so a later save updates them instead of inserting again."""
        conn = self._conn()
        self._insert_new_places(conn)
        return conn

    def _insert_new_places(self, conn: Connection) -> None:
        if self._new_places:
            held = list(self._new_places.values())
            self._new_places.clear()
            ids = conn.execute(_INSERT_PLACES, [row for _, row in held]).scalars().all()
            for (place, _), row_id in zip(held, ids, strict=True):
                place.id = row_id

    def _has_changes(self) -> bool:
        return bool(self._new_places) or super()._has_changes()

    def _write_changes(self) -> None:
        if self._new_places and not self.committing:
            # An ORM read before commit: the places may be saved again, so with their keys.
            self._insert_new_places(self._connected())
        elif self._new_places:
            # At commit nothing saves them again: no keys to wait for.
            rows = [row for _, row in self._new_places.values()]
            self._new_places.clear()
            write(self._connected(), _INSERT_NEW_PLACES, rows)
        super()._write_changes()

    def _discard(self) -> None:
        self._new_places.clear()
        self._book_read = None
        super()._discard()
