"""Calendar entries issued: one stored SEQUENCE per UID, stamped on notices, updates on change."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlmodel import select

from mailflow.config import Settings
from mailflow.invites import changes, from_snapshot, invite_method, invite_uid, snapshot
from mailflow.itip import CalendarResponse
from mailflow.model import EventInfo, IssuedInvite
from mailflow.seats import Notice, Status
from mailflow.store import PlaceRow, UnitOfWork
from mailflow.store_invites import Entry

# Before SEQUENCE was stored it was 2 per second from this moment; an entry first recorded
# for someone who may hold such an invite starts above it, or their calendar would ignore it.
LEGACY_EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
UPDATED, SESSION_CANCELLED = "updated", "session-cancelled"


def legacy_sequence(now: datetime) -> int:
    return 2 * max(0, int((now - LEGACY_EPOCH).total_seconds())) + 2


def issued(row: Entry) -> IssuedInvite:
    return IssuedInvite(uid=row.uid, event_id=row.event_id, email=row.email,
                        sequence=row.sequence, booked_sequence=row.booked_sequence,
                        method=row.method, partstat=row.partstat)


def _mailed_about(uow: UnitOfWork, email: str, event_id: str) -> bool:
    """Whether mail that carried an older, clock-numbered invite went to them: a
    confirmation, a place handed to them, or a reminder for that session."""
    carried = (f"{event_id}=confirmed", f"{event_id}=substituted")
    return any(any(c in [o.strip() for o in row.outcome.split(";")] for c in carried)
               or (row.kind == "reminder" and event_id in row.event_ids.split())
               for row in uow.mailed_to(email))


def _new_row(uow: UnitOfWork, event: EventInfo, email: str, from_address: str,
             now: datetime, method: str = "REQUEST") -> Entry:
    start = legacy_sequence(now) if _mailed_about(uow, email, event.id) else 0
    # booked_sequence 0: which clock-numbered invite gave the place is not known, so an
    # answer to any of them counts.
    return Entry(uid=invite_uid(event.id, email, from_address), event_id=event.id,
                 email=email, sequence=start, booked_sequence=0, method=method,
                 snapshot=snapshot(event), issued_at=now, updated_at=now)


def stamp(uow: UnitOfWork, notices: Sequence[Notice], settings: Settings,
          now: datetime, recipient: str | None = None) -> list[Notice]:
    """Give each notice that carries a calendar entry its SEQUENCE, recording the entry.

    A REQUEST raises the SEQUENCE on every change (a new place, a place given again after a
    cancellation); a reminder of an unchanged entry resends it as it is. A CANCEL is sent only
    for an entry that is live: withdrawing one never issued would confuse calendars. With
    `recipient`, only that person's notices are stamped (a reply mentions colleagues too).
    """
    out: list[Notice] = []
    for n in notices:
        method = invite_method(n)
        event = n.session or settings.event(n.event_id)
        if method is None or event is None or n.sequence is not None or (
                recipient is not None and n.email != recipient):
            out.append(n)
            continue
        row = uow.invite_for(n.event_id, n.email)
        if method == "REQUEST":
            if row is None:
                row = _new_row(uow, event, n.email, settings.smtp.from_address, now)
            elif not (n.outcome == "reminder" and row.method == "REQUEST"
                      and row.snapshot == snapshot(event)):
                row.sequence += 1
                if n.outcome != "reminder" or row.method != "REQUEST":
                    row.booked_sequence = row.sequence
                    row.partstat, row.comment, row.partstat_at = "", "", None
                row.method, row.snapshot = "REQUEST", snapshot(event)
        else:
            if row is None or row.method != "REQUEST":
                out.append(n)
                continue
            row.sequence += 1
            row.method = "CANCEL"
        row.updated_at = now
        uow.save_invite(row)
        out.append(dataclasses.replace(n, sequence=row.sequence))
    return out


def find_issued(uow: UnitOfWork, response: CalendarResponse, sender: str,
                settings: Settings, now: datetime) -> IssuedInvite | None:
    """The entry a calendar answer is about, by its UID alone (never by threading).

    An invite sent before entries were recorded has the same UID (a hash of session and
    person), so one that matches a configured session and the answering person is recorded
    now, numbered above the clock-derived SEQUENCE it carried.
    """
    row = uow.invite(response.uid)
    if row is not None:
        return issued(row)
    people = {a.email for a in response.attendees} or {sender}
    for event in settings.events:
        for email in people:
            if invite_uid(event.id, email, settings.smtp.from_address) == response.uid \
                    and _mailed_about(uow, email, event.id):
                row = _new_row(uow, event, email, settings.smtp.from_address, now)
                uow.save_invite(row)
                return issued(row)
    return None


def record_answer(uow: UnitOfWork, uid: str, partstat: str, comment: str,
                  now: datetime) -> None:
    row = uow.invite(uid)
    if row is None:
        return
    row.partstat, row.comment, row.partstat_at = partstat, comment[:500], now
    row.updated_at = now
    uow.save_invite(row)


def refresh(uow: UnitOfWork, settings: Settings, now: datetime) -> list[Notice]:
    """Updates for every live entry whose session changed in the config, once each.

    A changed time, title, joining link or instructions sends the confirmed person an updated
    REQUEST (same UID, SEQUENCE + 1) with a note of what changed; a session gone from the
    config withdraws every entry with a CANCEL. The new state is stored with the SEQUENCE,
    in the same transaction as the queued mail, so each change goes out once.
    """
    notices: list[Notice] = []
    # Only the sessions whose entries are out of date: a sweep must not read every entry.
    for row in uow.live_invites(unless={e.id: snapshot(e) for e in settings.events}):
        event = settings.event(row.event_id)
        if event is not None and row.snapshot == snapshot(event):
            continue
        before = from_snapshot(row.snapshot)
        shown = event or before
        if shown is None or shown.ends <= now:
            # Tidying a session that is over out of the config (or correcting it) must not
            # tell everyone who came that it is cancelled or changed.
            continue
        if event is None:
            row.sequence += 1
            row.method = "CANCEL"
            notices.append(Notice(SESSION_CANCELLED, row.event_id, row.email,
                                  uow.names_of([row.email]).get(row.email, ""),
                                  sequence=row.sequence, session=shown))
        else:
            what = changes(before, event)
            row.snapshot = snapshot(event)
            place = uow.session.exec(select(PlaceRow.status, PlaceRow.name).where(
                PlaceRow.event_id == row.event_id, PlaceRow.email == row.email)).first()
            if what and place is not None and place[0] == Status.CONFIRMED.value:
                row.sequence += 1
                notices.append(Notice(UPDATED, row.event_id, row.email, place[1],
                                      sequence=row.sequence, changes=what))
        row.updated_at = now
        uow.save_invite(row)
    for n in notices:
        uow.audit(dict(at=now, email=n.email, event_id=n.event_id,
                       action="calendar-updated" if n.outcome == UPDATED
                       else "calendar-cancelled", actor="worker",
                       cause="session changed in the config",
                       detail=", ".join(n.changes) or "session no longer in the config"))
    return notices
