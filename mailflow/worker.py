"""`mailflow run`: a mail thread on IMAP IDLE; APScheduler jobs for offers, digest, reminders."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import FrameType

from mailflow.config import Settings
from mailflow.courier import ClosableSender, Courier
from mailflow.handle import Desk
from mailflow.lease import Lease, LeaseLost, process_owner
from mailflow.mailbox import ImapMailbox
from mailflow.oauth import build_provider
from mailflow.worker_jobs import Jobs
from mailflow.worker_mail import MailConnection, MailLoop
from mailflow.worker_outage import guard_job

log = logging.getLogger("mailflow.worker")

LEASE_TTL = timedelta(seconds=45)  # only when a holder's liveness cannot be told (old format)
STOP_JOIN_SECONDS = 20.0


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
        self.jobs = Jobs(self.settings, self.desk, self.courier, self.lease, self._guarded)
        self.mail = MailLoop(self.settings, self.desk, self.open_mailbox, self.stop,
                             self._guarded, self.courier.flush, self.jobs.plan_sweep)

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
        self.jobs.start()
        self.mail_thread = threading.Thread(target=self.mail.run, name="mailflow-mail",
                                            daemon=True)
        self.mail_thread.start()

    def shutdown(self) -> None:
        self.stop.set()
        thread = getattr(self, "mail_thread", None)
        if thread is not None:
            thread.join(STOP_JOIN_SECONDS)
        self.jobs.stop()
        self.courier.close()
        try:
            self.lease.release(self.desk.clock())
        except Exception:  # noqa: BLE001 - an unreleased lease only lapses later
            log.warning("could not release the worker lease; it lapses by itself")
        log.info("worker stopped")

    def _guarded(self, name: str, job: Callable[[], object]) -> Callable[[], None]:
        """A job whose failure is logged (once per outage) and never reaches the others."""
        return guard_job(name, job, self._lease_lost)

    def _lease_lost(self, exc: LeaseLost) -> None:
        log.error("stopping: %s", exc)
        self.exit_code = 1
        self.stop.set()
