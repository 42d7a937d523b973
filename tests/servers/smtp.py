"""aiosmtpd servers for integration tests: a sink that keeps every message, and faulty ones."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import threading
import time
import warnings
from email.message import EmailMessage
from typing import Any, NamedTuple

from servers.host import LOCALHOST, free_port


class Captured(NamedTuple):
    """One message the sink accepted."""

    mail_from: str
    rcpt_tos: list[str]
    data: bytes


class SmtpSink:
    """An aiosmtpd server on 127.0.0.1 that keeps every message it accepts.

    require_auth=True demands AUTH PLAIN/LOGIN as SmtpSink.USER / SmtpSink.PASSWORD before MAIL;
    fail_next(n) answers 451 to the next n messages (DATA) to exercise retries.
    """

    USER = "mailer"
    PASSWORD = "mailer-secret"

    def __init__(self, *, require_auth: bool = False, start: bool = True) -> None:
        self.host = LOCALHOST
        self.port = 0
        self.require_auth = require_auth
        self._messages: list[Captured] = []
        self._cond = threading.Condition()
        self._temp_failures = 0
        self.rejected = 0
        self.auth_logins: list[str] = []
        self._controller: Any = None
        if start:
            self.start()

    # aiosmtpd handler hook: runs in the controller's event-loop thread.
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self._cond:
            if self._temp_failures > 0:
                self._temp_failures -= 1
                self.rejected += 1
                return "451 4.3.0 Temporary failure (test sink)"
            raw = envelope.original_content or envelope.content
            if isinstance(raw, str):
                raw = raw.encode("utf-8", "surrogateescape")
            self._messages.append(
                Captured(str(envelope.mail_from), [str(r) for r in envelope.rcpt_tos], bytes(raw))
            )
            self._cond.notify_all()
        return "250 2.0.0 OK"

    def _authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> Any:
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if isinstance(auth_data, LoginPassword):
            login = auth_data.login.decode("utf-8", "replace")
            password = auth_data.password.decode("utf-8", "replace")
            if login == self.USER and password == self.PASSWORD:
                with self._cond:
                    self.auth_logins.append(login)
                return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        kwargs: dict[str, Any] = {"enable_SMTPUTF8": True}
        if self.require_auth:
            # Plain connections only in tests, so AUTH must not insist on TLS.
            kwargs.update(
                authenticator=self._authenticate, auth_required=True, auth_require_tls=False
            )
        last: Exception | None = None
        for _attempt in range(5):
            port = free_port()
            controller = Controller(self, hostname=self.host, port=port, **kwargs)
            try:
                with warnings.catch_warnings():
                    # The "AUTH without TLS" warning is the point of this test server.
                    warnings.simplefilter("ignore")
                    controller.start()
            except Exception as exc:  # port taken between free_port() and bind: try another
                last = exc
                with contextlib.suppress(Exception):
                    controller.stop()
                continue
            self._controller, self.port = controller, port
            return
        raise RuntimeError(f"SMTP sink could not start: {last!r}")

    def stop(self) -> None:
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def __enter__(self) -> SmtpSink:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def fail_next(self, count: int) -> None:
        """Answer the next `count` messages with 451 (temporary failure)."""
        with self._cond:
            self._temp_failures = count

    @property
    def messages(self) -> list[Captured]:
        with self._cond:
            return list(self._messages)

    def parsed(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(m.data, policy=email.policy.default)  # type: ignore[misc]
            for m in self.messages
        ]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Captured]:
        """Block until at least `count` messages arrived; raises TimeoutError otherwise."""
        with self._cond:
            if not self._cond.wait_for(lambda: len(self._messages) >= count, timeout=timeout):
                raise TimeoutError(
                    f"SMTP sink got {len(self._messages)} message(s), expected {count} "
                    f"within {timeout}s"
                )
            return list(self._messages)

    def clear(self) -> None:
        with self._cond:
            self._messages.clear()
            self.auth_logins.clear()
            self.rejected = 0


# --------------------------------------------------------------------------- faulty sinks


class HoldingSink(SmtpSink):
    """Holds the first message at DATA (the worker is mid-send) until released; then accepts."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        super().__init__()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if not self.release.is_set():
            self.arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 4.3.0 the client went away"
        return await super().handle_DATA(server, session, envelope)


class MisconfiguredRelay(SmtpSink):
    """Refuses everyone with 554 (at RCPT or at DATA) for a while, then recovers; one
    address is refused for good (550 5.1.1) as a real mailbox that does not exist."""

    def __init__(self, stage: str, outage: float, unknown: str = "") -> None:
        self.stage = stage
        self.unknown = unknown.lower()
        self.until = time.monotonic() + outage
        super().__init__()

    def broken(self) -> bool:
        return time.monotonic() < self.until

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if self.stage == "rcpt" and self.broken():
            return "554 5.7.1 Transaction failed: relay misconfigured"
        if address.lower() == self.unknown:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.stage == "data" and self.broken():
            return "554 5.7.1 Transaction failed: relay misconfigured"
        return await super().handle_DATA(server, session, envelope)
