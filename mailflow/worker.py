"""`mailflow run`: a mail thread on IMAP IDLE; APScheduler jobs for offers, digest, reminders."""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import FrameType
from typing import Any, Protocol

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from sqlmodel import func, select

from mailflow.config import Settings
from mailflow.digest import LAST_DATE, queue_digest
from mailflow.handle import Desk
from mailflow.lease import Lease, LeaseLost, process_owner
from mailflow.login_watch import MAILBOX, Refusal, mailbox_credentials, watch
from mailflow.mailbox import Fetched, ImapMailbox
from mailflow.oauth import AuthRejected, build_provider
from mailflow.outbox import PAUSE_FIRST, DeliveryReport, Sender, deliver
from mailflow.poll import PollReport, handle_mailbox, record_pass
from mailflow.reminders import send_reminders
from mailflow.seats import Status
from mailflow.store import PlaceRow, unit_of_work

log = logging.getLogger("mailflow.worker")

IDLE_CHECK_SECONDS = 1.0  # how long one IDLE wait lasts: a stop request is noticed this fast
IDLE_RENEW = timedelta(minutes=25)  # re-issue IDLE well inside the 29-minute limit
BACKOFF_FIRST = 0.5  # seconds before the first reconnect after an outage
BACKOFF_MAX = 300.0  # never wait longer than this (nor longer than poll_seconds)
LEASE_TTL = timedelta(seconds=45)  # only when a holder's liveness cannot be told (old format)
LEASE_RENEW_SECONDS = 15.0
SWEEP_SECONDS = 60.0  # safety net; offers are normally expired by a date job at their expiry
OUTBOX_SECONDS = 30.0  # retry deferred mail (rows carry their own backoff)
REMINDER_SECONDS = 300.0
DIGEST_CATCH_UP = timedelta(hours=6)  # a worker started this late still sends today's digest
SMTP_IDLE_RECONNECT = 30.0  # servers drop idle SMTP sessions: reconnect rather than fail once
STOP_JOIN_SECONDS = 20.0
RELOGIN_MARGIN = 60.0  # log in again this long before an OAuth2 session's token expires


class ClosableSender(Sender, Protocol):
    def close(self) -> None: ...


class MailConnection(Protocol):
    """What the mail thread needs: ImapMailbox, with its imapclient client for IDLE."""

    uidvalidity: int
    client: Any

    def uids(self, since: date | None) -> list[int]: ...

    def uids_after(self, uid: int) -> list[int]: ...

    def fetch(self, uids: Sequence[int], max_bytes: int) -> Iterator[Fetched]: ...

    def move(self, uids: Sequence[int], folder: str) -> None: ...

    def close(self) -> None: ...


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


@dataclass
class Outage:
    """Log a failing dependency once when it goes, once when it comes back, quietly between."""

    name: str
    failures: int = 0

    def failed(self, exc: BaseException, retry_in: float | None = None) -> None:
        self.failures += 1
        then = f"; retrying in {retry_in:g} s" if retry_in is not None else "; will retry"
        if self.failures == 1:
            log.warning("%s unavailable: %s: %s%s", self.name, type(exc).__name__, exc, then)
        else:
            log.debug("%s still unavailable (attempt %d): %s%s", self.name, self.failures,
                      exc, then)

    def ok(self) -> None:
        if self.failures:
            log.info("%s is back after %d failed attempt(s)", self.name, self.failures)
        self.failures = 0


class Courier:
    """Delivers the outbox over one SMTP connection, for whichever thread asks, one at a time."""

    def __init__(self, desk: Desk, make_sender: Callable[[], ClosableSender],
                 pause_first: timedelta = PAUSE_FIRST) -> None:
        self.desk = desk
        self.make_sender = make_sender
        self.pause_first = pause_first
        self._sender: ClosableSender | None = None
        self._last_used = 0.0
        self._lock = threading.Lock()

    def flush(self) -> DeliveryReport:
        """Send what is due; server trouble pauses sending (deliver logs it once)."""
        with self._lock:
            if self._sender is not None and \
                    time.monotonic() - self._last_used > SMTP_IDLE_RECONNECT:
                self._sender.close()
                self._sender = None
            if self._sender is None:
                self._sender = self.make_sender()
            report = deliver(self.desk.engine, self._sender,
                             self.desk.settings.smtp.from_address, self.desk.clock,
                             pause_first=self.pause_first)
            self._last_used = time.monotonic()
        return report

    def close(self) -> None:
        with self._lock:
            if self._sender is not None:
                self._sender.close()
                self._sender = None


class _UntilStopped:
    """A mailbox view whose fetch ends after the message in hand once a stop is requested.

    `after_each` runs once each message has been handled (when the next is asked for), so
    replies go out one by one instead of after the whole batch.
    """

    def __init__(self, inner: MailConnection, stop: threading.Event,
                 after_each: Callable[[], None]) -> None:
        self.inner = inner
        self.stop = stop
        self.after_each = after_each
        self.uidvalidity = inner.uidvalidity

    def uids(self, since: date | None) -> list[int]:
        return self.inner.uids(since)

    def fetch(self, uids: Sequence[int], max_bytes: int) -> Iterator[Fetched]:
        for fetched in self.inner.fetch(uids, max_bytes):
            yield fetched
            self.after_each()
            if self.stop.is_set():
                return

    def move(self, uids: Sequence[int], folder: str) -> None:
        self.inner.move(uids, folder)


@dataclass
class Worker:
    """The long-running worker. Everything it talks to is passed in."""

    settings: Settings
    desk: Desk
    open_mailbox: Callable[[], MailConnection]
    make_sender: Callable[[], ClosableSender]
    stop: threading.Event = field(default_factory=threading.Event)
    exit_code: int = 0

    def __post_init__(self) -> None:
        self.courier = Courier(self.desk, self.make_sender)
        self.lease = Lease(self.desk.engine, LEASE_TTL, process_owner(self.desk.engine))
        self.scheduler = BackgroundScheduler(
            timezone=self.settings.coordinator.timezone,
            job_defaults={"max_instances": 1, "coalesce": True, "misfire_grace_time": 60})
        self.imap = Outage(f"mailbox {self.settings.mailbox.host}:{self.settings.mailbox.port}")
        self.mailbox_login = watch(self.desk.engine, MAILBOX, self.settings.mailbox.username,
                                   self.settings.worker.auth_backoff_seconds, self.desk.clock,
                                   notify=self._tell_coordinator,
                                   credentials=mailbox_credentials(self.settings.mailbox))
        self._blocked_said = ""
        self._sweep_at: datetime | None = None
        self._sweep_lock = threading.Lock()
        self._passes = 0  # whole passes on the current connection

    @classmethod
    def from_settings(cls, settings: Settings) -> Worker:
        from mailflow.app import build_desk
        from mailflow.smtp import SmtpSender

        # One token provider per sign-in, so tokens are reused until near expiry; SMTP with
        # auth = "same-as-mailbox" shares the mailbox's.
        imap_tokens = build_provider(settings.mailbox.oauth) if settings.mailbox.oauth else None
        smtp_tokens = imap_tokens if settings.smtp.oauth is settings.mailbox.oauth else \
            build_provider(settings.smtp.oauth) if settings.smtp.oauth else None
        return cls(settings=settings, desk=build_desk(settings),
                   open_mailbox=lambda: ImapMailbox(settings.mailbox, timeout=20.0,
                                                    tokens=imap_tokens),
                   make_sender=lambda: SmtpSender(settings.smtp, timeout=20.0,
                                                  tokens=smtp_tokens))

    # ---- life cycle ---------------------------------------------------------------------
    def run(self) -> int:
        """Take the lease (LeaseHeld if another worker has it), work until told to stop."""
        self.lease.acquire(self.desk.clock())
        previous = {s: signal.signal(s, self._on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            self.start()
            while not self.stop.wait(0.5):
                pass
        finally:
            self.shutdown()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return self.exit_code

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        log.info("received %s: finishing the message in hand, then stopping",
                 signal.Signals(signum).name)
        self.stop.set()

    def start(self) -> None:
        s = self.settings
        mode = "IMAP IDLE" if s.worker.idle else f"polling every {s.worker.poll_seconds:g} s"
        log.info("worker started (%s; digest daily at %s %s)", mode,
                 s.coordinator.digest_time.strftime("%H:%M"), s.coordinator.timezone.key)
        add = self.scheduler.add_job
        now = datetime.now(s.coordinator.timezone)
        add(self._guarded("lease", self._renew_lease), "interval", seconds=LEASE_RENEW_SECONDS,
            id="lease", replace_existing=True)
        add(self._guarded("offer sweep", self.sweep), "interval", seconds=SWEEP_SECONDS,
            id="sweep", replace_existing=True, next_run_time=now)
        add(self._guarded("outbox", self.courier.flush), "interval", seconds=OUTBOX_SECONDS,
            id="outbox", replace_existing=True)
        add(self._guarded("reminders", self.reminders), "interval", seconds=REMINDER_SECONDS,
            id="reminders", replace_existing=True, next_run_time=now)
        add(self._guarded("digest", self.digest), digest_trigger(s), id="digest",
            replace_existing=True, misfire_grace_time=int(DIGEST_CATCH_UP.total_seconds()))
        self.scheduler.start()
        self._catch_up_digest()
        self.mail_thread = threading.Thread(target=self.mail_loop, name="mailflow-mail",
                                            daemon=True)
        self.mail_thread.start()

    def shutdown(self) -> None:
        self.stop.set()
        thread = getattr(self, "mail_thread", None)
        if thread is not None:
            thread.join(STOP_JOIN_SECONDS)
        if self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        self.courier.close()
        try:
            self.lease.release(self.desk.clock())
        except Exception:  # noqa: BLE001 - an unreleased lease only lapses later
            log.warning("could not release the worker lease; it lapses by itself")
        log.info("worker stopped")

    def _guarded(self, name: str, job: Callable[[], object]) -> Callable[[], None]:
        """A job whose failure is logged (once per outage) and never reaches the others."""
        outage = Outage(name)

        def run() -> None:
            try:
                job()
            except LeaseLost as exc:
                log.error("stopping: %s", exc)
                self.exit_code = 1
                self.stop.set()
            except Exception as exc:  # noqa: BLE001 - one job's failure must not stop others
                outage.failed(exc)
                log.debug("%s failed", name, exc_info=True)
            else:
                outage.ok()

        return run

    # ---- timed jobs ---------------------------------------------------------------------
    def _renew_lease(self) -> None:
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
        self.scheduler.add_job(self._guarded("offer sweep", self.sweep), "date", run_date=run_at,
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
            self.scheduler.add_job(self._guarded("digest", self.digest), id="digest-catch-up",
                                   replace_existing=True)

    # ---- the mail thread -------------------------------------------------------------------
    def mail_loop(self) -> None:
        """Connect, handle, send, IDLE; on any connection trouble back off and reconnect."""
        cap = min(BACKOFF_MAX, max(BACKOFF_FIRST, self.settings.worker.poll_seconds))
        delay = BACKOFF_FIRST
        while not self.stop.is_set():
            try:
                mailbox = self.open_mailbox()
            except AuthRejected as exc:
                # Not an outage: retrying every few seconds would lock a real account.
                self.stop.wait(self.mailbox_login.refused(str(exc)))
                continue
            except Exception as exc:  # noqa: BLE001 - DNS, refused, TLS: all retried fast
                self.imap.failed(exc, delay)
                self.stop.wait(delay)
                delay = min(cap, delay * 2)
                continue
            try:
                self.imap.ok()
                self.mailbox_login.accepted()
                self._passes = 0
                self._serve(mailbox)
            except Exception as exc:  # noqa: BLE001 - a dropped connection is reconnected
                if not self.stop.is_set():
                    # The wait starts over only after a whole pass worked, not on a login
                    # alone: a connection that fails each pass must not be retried at 0.5 s.
                    if self._passes:
                        delay = BACKOFF_FIRST
                    self.imap.failed(exc, delay)
                    self.stop.wait(delay)
                    delay = min(cap, delay * 2)
            finally:
                mailbox.close()

    def _tell_coordinator(self, refusal: Refusal) -> bool:
        """One notice per refusal episode, through SMTP if SMTP still works."""
        from mailflow.login_notice import queue_login_notice

        try:
            queue_login_notice(self.desk, refusal)
        except Exception:  # noqa: BLE001 - the refusal is still logged and in `status`
            log.warning("could not queue the coordinator's notice of the refused login",
                        exc_info=True)
            return False
        self._guarded("outbox", self.courier.flush)()
        return True

    def _wait_limit(self) -> float:
        return min(IDLE_RENEW.total_seconds(), self.settings.worker.poll_seconds)

    def _token_lapsing(self, mailbox: MailConnection) -> bool:
        """Whether the session's OAuth2 token runs out before the next wait is over."""
        expires = getattr(mailbox, "login_expires_at", None)
        return expires is not None and \
            expires - time.time() < RELOGIN_MARGIN + self._wait_limit()

    def _serve(self, mailbox: MailConnection) -> None:
        wants_idle = self.settings.worker.idle
        idle = wants_idle and bool(mailbox.client.has_capability("IDLE"))
        if wants_idle and not idle:
            log.info("the IMAP server does not offer IDLE: polling every %g s",
                     self.settings.worker.poll_seconds)
        seen = 0
        while not self.stop.is_set():
            seen = max(seen, self.mail_pass(mailbox).newest_uid)
            self._passes += 1
            if self.stop.is_set():
                return
            if self._token_lapsing(mailbox):
                log.info("the mailbox's access token expires within %.0f s: logging in again "
                         "with a new one", RELOGIN_MARGIN + self._wait_limit())
                return
            if idle:
                # Mail that came during the pass was announced in some other command's
                # answer, and IDLE will not announce it again: look before waiting.
                newer = mailbox.uids_after(seen)
                if newer:
                    seen = max(newer)
                    continue
                self._idle(mailbox)
            else:
                self.stop.wait(self.settings.worker.poll_seconds)

    def mail_pass(self, mailbox: MailConnection) -> PollReport:
        """Handle every new message, send the replies at once, note the successful pass."""
        report = PollReport()
        send = self._guarded("outbox", self.courier.flush)
        handle_mailbox(self.desk, _UntilStopped(mailbox, self.stop, send), report)
        if report.blocked and report.blocked != self._blocked_said:
            log.warning("%s", report.blocked)
        self._blocked_said = report.blocked
        # The last message's reply (the others went as each was handled), and anything a
        # crashed process left claimed: it is due again at once.
        send()
        if report.found:
            self._guarded("offer planning", self.plan_sweep)()
        record_pass(self.desk)
        return report

    def _idle(self, mailbox: MailConnection) -> None:
        """Wait for the server to announce new mail, a stop, or the poll interval to pass."""
        client = mailbox.client
        # Also a full pass every poll_seconds: a safety net that keeps last_poll fresh.
        limit = min(IDLE_RENEW.total_seconds(), self.settings.worker.poll_seconds)
        deadline = time.monotonic() + limit
        client.idle()
        try:
            while not self.stop.is_set() and time.monotonic() < deadline:
                responses = client.idle_check(timeout=min(IDLE_CHECK_SECONDS, limit))
                if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses):
                    return
        finally:
            client.idle_done()
