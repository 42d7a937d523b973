"""Reminders: confirmed attendees get the joining details reminder_days_before days ahead."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlmodel import select

from mailflow import outbox
from mailflow.entries import stamp
from mailflow.handle import Desk
from mailflow.model import EventInfo
from mailflow.seats import Notice, Status
from mailflow.store import AuditEntry, UnitOfWork, unit_of_work

log = logging.getLogger("mailflow.reminders")

ACTION = "reminded"  # the audit action that records a reminder, once per person per session


def in_window(event: EventInfo, now: datetime, days_before: int) -> bool:
    """From `days_before` days before the start until the start itself."""
    return days_before > 0 and event.starts - timedelta(days=days_before) <= now < event.starts


def _reminded(uow: UnitOfWork, event_id: str) -> set[str]:
    rows = uow.session.exec(select(AuditEntry.email).where(
        AuditEntry.event_id == event_id, AuditEntry.action == ACTION)).all()
    return set(rows)


def send_reminders(desk: Desk) -> int:
    """Queue a reminder for every confirmed attendee in the window not yet reminded.

    Each reminder and its audit entry are written in one transaction, so a person is
    reminded once per session however often (or on however many restarts) this runs; one
    who is confirmed after the window opened is reminded at the next run.
    """
    now = desk.clock()
    days = desk.settings.policy.reminder_days_before
    events = [e for e in desk.settings.events if in_window(e, now, days)]
    if not events:
        return 0
    queued = 0
    with unit_of_work(desk.engine) as uow:
        rosters = uow.lock_rosters(desk.settings.events)
        for event in events:
            done = _reminded(uow, event.id)
            for place in rosters[event.id].with_status(Status.CONFIRMED):
                if place.email in done or uow.is_silenced(place.email):
                    continue
                notice = Notice(outcome="reminder", event_id=event.id, email=place.email,
                                name=place.name)
                # The letter and its calendar entry (refreshed, in case the joining link
                # changed since the confirmation) come from the composer like any notice.
                notice = stamp(uow, [notice], desk.settings, now)[0]
                mail = desk.composer.notice(notice, now)
                outbox.queue(uow.queue, mail, f"reminder for {event.id}", now)
                uow.audit(AuditEntry(at=now, email=place.email, event_id=event.id,
                                     action=ACTION, actor="worker",
                                     cause=f"reminder {days} day(s) before",
                                     detail=mail.message_id))
                queued += 1
        if queued:
            uow.commit()
    if queued:
        log.info("queued %d reminder(s)", queued)
    return queued
