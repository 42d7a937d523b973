"""Server trouble is worded by what happened, against real servers: never "cannot reach" for all."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from mailflow.config import SmtpSettings
from mailflow.smtp import SmtpSender, TemporaryFailure
from mailflow.troubles import mailbox_error

from servers import SmtpSink, free_port


def connect_error(**settings: Any) -> str:
    base: dict[str, Any] = {"host": "127.0.0.1", "port": free_port(), "ssl": False,
                            "starttls": False, "from_address": "desk@lupc.example"}
    with pytest.raises(TemporaryFailure) as caught, \
            SmtpSender(SmtpSettings(**{**base, **settings}), timeout=5) as sender:
        sender.check()
    return str(caught.value)


@pytest.mark.integration
def test_a_refused_smtp_login_says_refused_login(smtp_auth_sink: Any) -> None:
    said = connect_error(port=smtp_auth_sink.port, username=SmtpSink.USER, password="wrong")
    assert f"SMTP login refused for {SmtpSink.USER}" in said and "535" in said


@pytest.mark.integration
def test_tls_to_a_plain_server_says_tls_failed(smtp_sink: Any) -> None:
    said = connect_error(port=smtp_sink.port, ssl=True)
    assert said.startswith(f"TLS with SMTP server 127.0.0.1:{smtp_sink.port} failed")


@pytest.mark.integration
def test_starttls_not_offered_says_so(smtp_sink: Any) -> None:
    said = connect_error(port=smtp_sink.port, starttls=True)
    assert "STARTTLS" in said and "not supported" in said and "cannot reach" not in said


def test_nothing_listening_says_unreachable() -> None:
    said = connect_error()
    assert "cannot reach SMTP server" in said and "Connection refused" in said


def test_an_unknown_host_says_the_name_is_not_known() -> None:
    said = mailbox_error(socket.gaierror(-2, "Name or service not known"), "imap.nowhere",
                         993, "desk", "INBOX")
    assert said.startswith("cannot reach the mailbox imap.nowhere:993: the host name is "
                           "not known")


def test_a_refused_imap_login_is_said_once_in_the_servers_words() -> None:
    from imapclient.exceptions import LoginError

    from mailflow.oauth import AuthRejected

    raw = LoginError("b'[AUTHENTICATIONFAILED] Authentication failed.'")  # as imaplib has it
    for exc in (raw, AuthRejected("IMAP login refused for desk: b'[AUTHENTICATIONFAILED] "
                                  "Authentication failed.'")):
        said = mailbox_error(exc, "imap.example", 993, "desk", "INBOX")
        assert said == ("the mailbox imap.example:993 refused the login for 'desk': "
                        "[AUTHENTICATIONFAILED] Authentication failed."), said
