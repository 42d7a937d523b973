"""The mail thread: connect, handle and answer new mail, wait on IDLE (or poll), reconnect."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from typing import Any, Protocol

from mailflow.config import Settings
from mailflow.handle import Desk
from mailflow.login_watch import MAILBOX, Refusal, mailbox_credentials, watch
from mailflow.mailbox import Fetched, wait_for_news
from mailflow.oauth import AuthRejected
from mailflow.poll import PollReport, handle_mailbox, record_pass
from mailflow.worker_outage import Guard, Outage

# The worker's one logger, whichever module logs: its lines are found by this name.
log = logging.getLogger("mailflow.worker")

IDLE_CHECK_SECONDS = 1.0  # how long one IDLE wait lasts: a stop request is noticed this fast
IDLE_RENEW = timedelta(minutes=25)  # re-issue IDLE well inside the 29-minute limit
BACKOFF_FIRST = 0.5  # seconds before the first reconnect after an outage
BACKOFF_MAX = 300.0  # never wait longer than this (nor longer than poll_seconds)
RELOGIN_MARGIN = 60.0  # log in again this long before an OAuth2 session's token expires


class MailConnection(Protocol):
    """What the mail thread needs: ImapMailbox, with its imapclient client for IDLE."""

    uidvalidity: int
    client: Any

    def uids(self, since: date | None) -> list[int]: ...

    def uids_after(self, uid: int) -> list[int]: ...

    def fetch(self, uids: Sequence[int], max_bytes: int) -> Iterator[Fetched]: ...

    def move(self, uids: Sequence[int], folder: str) -> None: ...

    def close(self) -> None: ...


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


class MailLoop:
    """What the mail thread runs until `stop` is set. `flush` sends the outbox; `plan_sweep`
    schedules the next offer expiry; both run under `guarded`, like the timed jobs."""

    def __init__(self, settings: Settings, desk: Desk, open_mailbox: Callable[[], MailConnection],
                 stop: threading.Event, guarded: Guard, flush: Callable[[], object],
                 plan_sweep: Callable[[], None]) -> None:
        self.settings = settings
        self.desk = desk
        self.open_mailbox = open_mailbox
        self.stop = stop
        self.guarded = guarded
        self.flush = flush
        self.plan_sweep = plan_sweep
        self.imap = Outage(f"mailbox {settings.mailbox.host}:{settings.mailbox.port}")
        self.mailbox_login = watch(desk.engine, MAILBOX, settings.mailbox.username,
                                   settings.worker.auth_backoff_seconds, desk.clock,
                                   notify=self._tell_coordinator,
                                   credentials=mailbox_credentials(settings.mailbox))
        self._blocked_said = ""
        self._passes = 0  # whole passes on the current connection

    def run(self) -> None:
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
        self.guarded("outbox", self.flush)()
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
        send = self.guarded("outbox", self.flush)
        handle_mailbox(self.desk, _UntilStopped(mailbox, self.stop, send), report)
        if report.blocked and report.blocked != self._blocked_said:
            log.warning("%s", report.blocked)
        self._blocked_said = report.blocked
        # The last message's reply (the others went as each was handled), and anything a
        # crashed process left claimed: it is due again at once.
        send()
        if report.found:
            self.guarded("offer planning", self.plan_sweep)()
        record_pass(self.desk)
        return report

    def _idle(self, mailbox: MailConnection) -> None:
        """Wait for the server to announce new mail, a stop, or the poll interval to pass."""
        # Also a full pass every poll_seconds: a safety net that keeps last_poll fresh.
        wait_for_news(mailbox.client, self._wait_limit(), self.stop, IDLE_CHECK_SECONDS)
