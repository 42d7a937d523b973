"""SMTP adapter: one reused smtplib connection; each refusal is the mail's or the server's."""

from __future__ import annotations

import contextlib
import re
import smtplib
import ssl as ssl_module
import time
from types import TracebackType

from mailflow.config import SmtpSettings
from mailflow.oauth import AuthRejected, TokenProvider, build_provider, smtp_login


class TemporaryFailure(Exception):
    """The server, not this mail, is in trouble: unreachable, TLS, login, 421, 4xx at MAIL or
    DATA. Sending pauses with a backoff; no mail is given up."""

    def __init__(self, message: str, stage: str = "", code: int = 0) -> None:
        super().__init__(message)
        self.stage = stage  # connect | tls | login | mail | rcpt | data | connection
        self.code = code


class ServerRefusing(TemporaryFailure):
    """A permanent (5xx) code that is not about this mail: the server refuses our sender, or
    every recipient alike (it refused a probe recipient too). Misconfiguration, not the member."""


class LoginRefused(TemporaryFailure):
    """The server refused our credentials: mail stays queued, and someone must fix them."""


class RecipientDeferred(Exception):
    """The server said "try later" for this one recipient (4xx at RCPT: greylisting, a full
    mailbox); the connection is fine and other recipients' mail can go."""

    def __init__(self, message: str, code: int = 0) -> None:
        super().__init__(message)
        self.code = code


class PermanentFailure(Exception):
    """The server refused this one mail for good."""

    def __init__(self, message: str, code: int = 0) -> None:
        super().__init__(message)
        self.code = code


class RecipientRefused(PermanentFailure):
    """5xx at RCPT for this address while the server accepts another: the address is bad."""


class MessageRefused(PermanentFailure):
    """5xx after DATA: this message's content, unless the server refuses every message so
    (the outbox decides, by whether other mail of the pass is accepted)."""


# A bare address: no display name, comment, quoting, brackets or group. smtplib's mail() and
# rcpt() put every address through email.utils.parseaddr (a tenth of sending's CPU) only to
# wrap it in <>, which for such an address is all it does.
_BARE_ADDRESS = re.compile(r'[^\s<>()\[\]\\,;:@"]+@[^\s<>()\[\]\\,;:@"]+')


def smtp_path(address: str) -> str:
    """The <address> of MAIL FROM and RCPT TO, as smtplib.quoteaddr makes it."""
    if _BARE_ADDRESS.fullmatch(address):
        return f"<{address}>"
    return smtplib.quoteaddr(address)


def _command(conn: smtplib.SMTP, verb: str, field: str, address: str,
             options: list[str] | None = None) -> tuple[int, bytes]:
    """smtplib's mail() or rcpt() (never with SMTPUTF8 here), quoting with smtp_path."""
    extra = " " + " ".join(options) if options and conn.does_esmtp else ""
    conn.putcmd(verb, f"{field}:{smtp_path(address)}{extra}")
    return conn.getreply()


def _said(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(words.split())}"


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
        where = f"{s.host}:{s.port}"
        conn: smtplib.SMTP
        try:
            if s.ssl:
                conn = smtplib.SMTP_SSL(s.host, s.port, timeout=self.timeout,
                                        context=ssl_module.create_default_context())
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=self.timeout)
        except ssl_module.SSLError as exc:
            raise TemporaryFailure(f"TLS with SMTP server {where} failed: {exc}", "tls") from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TemporaryFailure(f"cannot reach SMTP server {where}: {exc}", "connect") from exc
        try:
            if s.starttls and not s.ssl:
                conn.starttls(context=ssl_module.create_default_context())
        except (OSError, smtplib.SMTPException) as exc:
            conn.close()
            raise TemporaryFailure(f"STARTTLS with SMTP server {where} failed: {exc}",
                                   "tls") from exc
        try:
            self._login(conn)
        except AuthRejected as exc:
            conn.close()
            raise LoginRefused(str(exc), "login") from exc
        except smtplib.SMTPAuthenticationError as exc:
            conn.close()
            raise LoginRefused(f"SMTP login refused for {s.username} at {where}: "
                               f"{_said(exc.smtp_code, exc.smtp_error)}", "login",
                               exc.smtp_code) from exc
        except smtplib.SMTPNotSupportedError as exc:
            conn.close()
            raise LoginRefused(f"SMTP server {where} offers no login (AUTH), but a "
                                   f"username is set", "login") from exc
        except (OSError, smtplib.SMTPException) as exc:
            conn.close()
            raise TemporaryFailure(f"login to SMTP server {where} failed: {exc}",
                                   "login") from exc
        return conn

    def _login(self, conn: smtplib.SMTP) -> None:
        """Authenticate: OAuth2 when configured, else a password when a username is set."""
        s = self.settings
        if s.oauth is not None:
            smtp_login(conn, self.tokens or build_provider(s.oauth))
        elif s.username:
            conn.login(s.username, s.password)

    def check(self) -> None:
        """Connect and log in now (for `mailflow health`); raises TemporaryFailure if not."""
        if self._conn is None:
            self._conn = self._connect()
            self._last_used = time.monotonic()

    def send(self, sender: str, recipient: str, raw: bytes) -> None:
        """Deliver one message; return only once the server answered 250 to its DATA."""
        if self._conn is not None and not self._alive(self._conn):
            self._drop()
        if self._conn is None:
            self._conn = self._connect()
        self._last_used = time.monotonic()
        try:
            self._transaction(self._conn, sender, recipient, raw)
        except (OSError, smtplib.SMTPServerDisconnected) as exc:
            self._drop()
            raise TemporaryFailure(f"connection to the SMTP server lost: {exc}",
                                   "connection") from exc

    def _transaction(self, conn: smtplib.SMTP, sender: str, recipient: str,
                     raw: bytes) -> None:
        conn.ehlo_or_helo_if_needed()
        options = [f"size={len(raw)}"] if conn.does_esmtp and conn.has_extn("size") else []
        code, text = _command(conn, "mail", "FROM", sender, options)
        if code != 250:
            self._refused(conn, "mail", code, text)
            raise ServerRefusing(f"SMTP server refuses our sender {sender}: {_said(code, text)}",
                                 "mail", code)
        code, text = _command(conn, "rcpt", "TO", recipient)
        if code not in (250, 251):
            self._refused(conn, "rcpt", code, text)
            if code < 500:
                self._rset(conn)
                raise RecipientDeferred(f"recipient {recipient} deferred: {_said(code, text)}",
                                        code)
            # Is it this address, or does the server refuse everyone? Ask about our own.
            probe, probe_text = conn.rcpt(sender)
            if probe == 421:
                self._refused(conn, "rcpt", probe, probe_text)
            self._rset(conn)
            if probe in (250, 251):
                raise RecipientRefused(f"recipient {recipient} refused: {_said(code, text)}",
                                       code)
            raise ServerRefusing(f"SMTP server refuses every recipient: {_said(code, text)}",
                                 "rcpt", code)
        said: bytes | str
        try:
            code, said = conn.data(raw)
        except smtplib.SMTPDataError as exc:  # refused at DATA itself (no 354)
            code, said = exc.smtp_code, exc.smtp_error
        if code != 250:
            self._refused(conn, "data", code, said)
            raise MessageRefused(f"message refused: {_said(code, said)}", code)

    def _refused(self, conn: smtplib.SMTP, stage: str, code: int, text: bytes | str) -> None:
        """Common handling of a non-2xx reply: 421 and 4xx at MAIL/DATA are the server's."""
        if code == 421:
            self._drop()
            raise TemporaryFailure(f"SMTP server closing the connection: {_said(code, text)}",
                                   stage, code)
        if 400 <= code < 500 and stage != "rcpt":
            self._rset(conn)
            raise TemporaryFailure(f"SMTP server deferred at {stage.upper()}: "
                                   f"{_said(code, text)}", stage, code)
        if stage != "rcpt":
            self._rset(conn)

    def _rset(self, conn: smtplib.SMTP) -> None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            conn.rset()

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
