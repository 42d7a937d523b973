"""SMTP adapter: one reused smtplib connection (plain, SSL or STARTTLS, optional AUTH)."""

from __future__ import annotations

import contextlib
import smtplib
import ssl as ssl_module
import time
from types import TracebackType

from mailflow.config import SmtpSettings
from mailflow.oauth import AuthRejected, TokenProvider, build_provider, smtp_login


class TemporaryFailure(Exception):
    """The server said "try later" (4xx) or could not be reached: keep the mail queued."""


class RecipientDeferred(TemporaryFailure):
    """The server said "try later" for this one recipient (4xx at RCPT: greylisting, a full
    mailbox); the connection is fine and other recipients' mail can go."""


class LoginRefused(TemporaryFailure):
    """The server refused our credentials: mail stays queued, and someone must fix them."""


class PermanentFailure(Exception):
    """The server refused this message for good (5xx)."""


class SmtpSender:
    """Sends raw messages over one connection, opened on first use."""

    def __init__(self, settings: SmtpSettings, timeout: float = 30.0,
                 check_after: float = 5.0, tokens: TokenProvider | None = None) -> None:
        self.settings = settings
        self.tokens = tokens
        self.timeout = timeout
        self.check_after = check_after  # idle seconds after which the connection is probed
        self._conn: smtplib.SMTP | None = None
        self._last_used = 0.0

    def _alive(self, conn: smtplib.SMTP) -> bool:
        """Whether a connection that sat idle is still there (servers drop idle sessions).

        Probing with NOOP before a message, rather than retrying after a failed one, can
        never deliver a message twice.
        """
        if time.monotonic() - self._last_used < self.check_after:
            return True
        try:
            return conn.noop()[0] == 250
        except (OSError, smtplib.SMTPException):
            return False

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            conn: smtplib.SMTP
            if s.ssl:
                conn = smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout,
                                        context=ssl_module.create_default_context())
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
                if s.starttls:
                    conn.starttls(context=ssl_module.create_default_context())
            if s.oauth is not None:
                smtp_login(conn, self.tokens or build_provider(s.oauth))
            elif s.username:
                conn.login(s.username, s.password)
        except AuthRejected as exc:
            raise LoginRefused(str(exc)) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise LoginRefused(f"SMTP login refused for {s.username}: {exc.smtp_code}") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(f"cannot reach SMTP server {s.host}:{s.port}: {exc}") from exc
        return conn

    def send(self, sender: str, recipient: str, raw: bytes) -> None:
        if self._conn is not None and not self._alive(self._conn):
            self._drop()
        if self._conn is None:
            self._conn = self._connect()
        self._last_used = time.monotonic()
        try:
            self._conn.sendmail(sender, [recipient], raw)
        except smtplib.SMTPRecipientsRefused as exc:
            code, said = next(iter(exc.recipients.values()))
            if code == 421:
                # "Service closing": smtplib has closed the connection, the server is unwell.
                self._drop()
                raise TemporaryFailure(f"server closing: {code} {said!r}") from exc
            if 400 <= code < 500:
                raise RecipientDeferred(f"recipient deferred: {code} {said!r}") from exc
            raise PermanentFailure(f"recipient refused: {code} {said!r}") from exc
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == 421:
                self._drop()
            if 400 <= exc.smtp_code < 500:
                raise TemporaryFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
            raise PermanentFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self._drop()
            raise TemporaryFailure(f"connection lost: {exc}") from exc

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        self._conn = None

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._conn.quit()
        self._conn = None

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
