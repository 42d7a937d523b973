"""The worker's timed jobs: lease renewal, offer sweeps (at each expiry), reminders, the digest."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlmodel import func, select

from mailflow.config import Settings
from mailflow.courier import Courier
from mailflow.digest import LAST_DATE, queue_digest
from mailflow.handle import Desk
from mailflow.lease import Lease
from mailflow.reminders import send_reminders
from mailflow.seats import Status
from mailflow.store import PlaceRow, unit_of_work
from mailflow.worker_outage import Guard

LEASE_RENEW_SECONDS = 15.0
SWEEP_SECONDS = 60.0  # safety net; offers are normally expired by a date job at their expiry
OUTBOX_SECONDS = 30.0  # retry deferred mail (rows carry their own backoff)
REMINDER_SECONDS = 300.0
DIGEST_CATCH_UP = timedelta(hours=6)  # a worker started this late still sends today's digest


def digest_trigger(settings: Settings) -> CronTrigger:
    """Daily at digest_time in the coordinator's zone: a ZoneInfo keeps it right across DST."""
    at = settings.coordinator.digest_time
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=settings.coordinator.timezone)


def digest_missed_today(settings: Settings, now: datetime, last_date: str | None) -> bool:
    """Whether today's digest time passed (recently) without a digest, e.g. across a restart."""
    tz = settings.coordinator.timezone
    local = now.astimezone(tz)
    due = datetime.combine(local.date(), settings.coordinator.digest_time, tzinfo=tz)
    return last_date != local.date().isoformat() and due <= local < due + DIGEST_CATCH_UP


class Jobs:
    """The APScheduler jobs beside the mail thread; each runs guarded, one instance at a time."""

    def __init__(self, settings: Settings, desk: Desk, courier: Courier, lease: Lease,
                 guarded: Guard) -> None:
        self.settings = settings
        self.desk = desk
        self.courier = courier
        self.lease = lease
        self.guarded = guarded
        self.scheduler = BackgroundScheduler(
            timezone=settings.coordinator.timezone,
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 60})
        self._sweep_at: datetime | None = None
        self._sweep_lock = threading.Lock()

    def start(self) -> None:
        """Schedule every job, start the scheduler, and send a digest missed across a restart."""
        add = self.scheduler.add_job
        guarded = self.guarded
        now = datetime.now(self.settings.coordinator.timezone)
        add(guarded("lease", self.renew_lease), "interval", seconds=LEASE_RENEW_SECONDS,
            id="lease", replace_existing=True)
        add(guarded("offer sweep", self.sweep), "interval", seconds=SWEEP_SECONDS,
            id="sweep", replace_existing=True, next_run_time=now)
        add(guarded("outbox", self.courier.flush), "interval", seconds=OUTBOX_SECONDS,
            id="outbox", replace_existing=True)
        add(guarded("reminders", self.reminders), "interval", seconds=REMINDER_SECONDS,
            id="reminders", replace_existing=True, next_run_time=now)
        add(guarded("digest", self.digest), digest_trigger(self.settings), id="digest",
            replace_existing=True, misfire_grace_time=int(DIGEST_CATCH_UP.total_seconds()))
        self.scheduler.start()
        self._catch_up_digest()

    def stop(self) -> None:
        """Stop the scheduler once the running jobs are done."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)

    def renew_lease(self) -> None:
        self.lease.renew(self.desk.clock())

    def sweep(self) -> None:
        """Expire lapsed offers, offer the places onward, send the offers now."""
        with self._sweep_lock:
            if self.desk.sweep():
                self.courier.flush()
        self.plan_sweep()

    def plan_sweep(self) -> None:
        """Schedule a sweep for the moment the next offer lapses."""
        with unit_of_work(self.desk.engine) as uow:
            nearest = uow.session.exec(select(func.min(PlaceRow.offer_expires)).where(
                PlaceRow.status == Status.OFFERED.value)).one()
        if nearest is None or nearest == self._sweep_at or not self.scheduler.running:
            return
        self._sweep_at = nearest
        # A hair after the expiry, so the sweep's own clock reads it as lapsed.
        run_at = max(nearest, self.desk.clock()) + timedelta(milliseconds=100)
        self.scheduler.add_job(self.guarded("offer sweep", self.sweep), "date", run_date=run_at,
                               id="sweep-at", replace_existing=True, misfire_grace_time=None)

    def reminders(self) -> None:
        if send_reminders(self.desk):
            self.courier.flush()

    def digest(self) -> None:
        if queue_digest(self.desk) is not None:
            self.courier.flush()

    def _catch_up_digest(self) -> None:
        with unit_of_work(self.desk.engine) as uow:
            last = uow.get_setting(LAST_DATE)
        if digest_missed_today(self.settings, self.desk.clock(), last):
            self.scheduler.add_job(self.guarded("digest", self.digest), id="digest-catch-up",
                                   replace_existing=True)
