"""The IMAP and SMTP adapters against real servers: TLS, STARTTLS, SMTP AUTH."""

from __future__ import annotations

import email
from pathlib import Path
from typing import Any

import pytest

from mailflow.config import SmtpSettings
from mailflow.smtp import SmtpSender, TemporaryFailure

from support import mail, write_config

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("mode", ["ssl", "starttls"])
def test_poll_logs_in_over_tls(mode: str, tmp_path: Path, imap_user: Any,
                               smtp_sink: Any) -> None:
    server = imap_user.server
    if server.cert_path is None or imap_user.ssl_port is None:
        pytest.skip("!!! no TLS listener: openssl missing for the test certificate")
    port = imap_user.ssl_port if mode == "ssl" else imap_user.port
    flags = "ssl = true" if mode == "ssl" else "starttls = true"
    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=port,
                       username=imap_user.username, password=imap_user.password,
                       smtp_port=smtp_sink.port, db_url=f"sqlite:///{tmp_path}/m.db",
                       extra_mailbox=flags)
    # write_config says ssl = false; the later key of the same name would be a TOML error,
    # so rewrite it in place.
    text = rig.path.read_text().replace("ssl = false\n", "", 1)
    rig.path.write_text(text)
    imap_user.append("INBOX", mail("ngozi@camden-council.example", "Food",
                                   "Please book me onto the food webinar."))
    # The system trust store learns the test certificate through SSL_CERT_FILE.
    rig.env["SSL_CERT_FILE"] = str(server.cert_path)
    result = rig.cli("poll")
    assert result.returncode == 0, result.stderr
    assert "1 handled" in result.stdout
    assert len(smtp_sink.messages) == 1


def test_smtp_sender_logs_in_when_a_username_is_set(smtp_auth_sink: Any) -> None:
    settings = SmtpSettings(host="127.0.0.1", port=smtp_auth_sink.port, ssl=False,
                            starttls=False, from_address="registrations@lupc.example",
                            username=smtp_auth_sink.USER, password=smtp_auth_sink.PASSWORD)
    raw = mail("registrations@lupc.example", "Hello", "A test.")
    with SmtpSender(settings) as sender:
        sender.send("registrations@lupc.example", "a@camden-council.example", raw)
        sender.send("registrations@lupc.example", "b@camden-council.example", raw)
    assert smtp_auth_sink.auth_logins == [smtp_auth_sink.USER]  # one login, one connection
    assert [m.rcpt_tos for m in smtp_auth_sink.messages] == [["a@camden-council.example"],
                                                             ["b@camden-council.example"]]
    assert email.message_from_bytes(smtp_auth_sink.messages[0].data)["Subject"] == "Hello"


def test_wrong_smtp_password_is_a_temporary_failure(smtp_auth_sink: Any) -> None:
    settings = SmtpSettings(host="127.0.0.1", port=smtp_auth_sink.port, ssl=False,
                            starttls=False, from_address="registrations@lupc.example",
                            username=smtp_auth_sink.USER, password="wrong")
    with SmtpSender(settings) as sender, pytest.raises(TemporaryFailure):
        sender.send("registrations@lupc.example", "a@camden-council.example", b"x")
    assert smtp_auth_sink.messages == []


def test_unreachable_smtp_server_is_a_temporary_failure() -> None:
    from servers import free_port

    settings = SmtpSettings(host="127.0.0.1", port=free_port(), ssl=False, starttls=False,
                            from_address="registrations@lupc.example")
    with SmtpSender(settings, timeout=2) as sender, pytest.raises(TemporaryFailure):
        sender.send("registrations@lupc.example", "a@camden-council.example", b"x")



def test_a_connection_the_server_dropped_while_idle_is_replaced_before_sending() -> None:
    from aiosmtpd.controller import Controller

    from servers import free_port

    class Keep:
        def __init__(self) -> None:
            self.rcpts: list[str] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
            self.rcpts.extend(envelope.rcpt_tos)
            return "250 OK"

    port = free_port()
    settings = SmtpSettings(host="127.0.0.1", port=port, ssl=False, starttls=False,
                            from_address="registrations@lupc.example")
    first, second = Keep(), Keep()
    server = Controller(first, hostname="127.0.0.1", port=port)
    server.start()
    with SmtpSender(settings, check_after=0) as sender:
        sender.send("registrations@lupc.example", "a@camden-council.example",
                    b"Subject: 1\r\n\r\nx")
        server.stop()  # the server goes away, taking the idle session with it
        server = Controller(second, hostname="127.0.0.1", port=port)
        server.start()
        try:
            sender.send("registrations@lupc.example", "b@camden-council.example",
                        b"Subject: 2\r\n\r\nx")
        finally:
            server.stop()
    assert first.rcpts == ["a@camden-council.example"]
    assert second.rcpts == ["b@camden-council.example"]
