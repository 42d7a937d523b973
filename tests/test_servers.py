"""Self-tests of the real-server harness: proves Dovecot, PostgreSQL and the SMTP sink work."""

from __future__ import annotations

import smtplib
import socket
import threading
import time
from email.message import EmailMessage

import pytest
from conftest import ImapUser
from imapclient import IMAPClient

from servers import Dovecot, Postgres, SmtpSink

pytestmark = pytest.mark.integration


def _raw(subject: str = "Hello", to: str = "desk@example.test") -> bytes:
    msg = EmailMessage()
    msg["From"] = "Ada <ada@example.org>"
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{subject.replace(' ', '-')}@example.org>"
    msg.set_content("Please register me.\n")
    return bytes(msg)


# --------------------------------------------------------------------------- Dovecot


def test_login_append_fetch_peek_and_move(imap_user: ImapUser) -> None:
    uid = imap_user.append("INBOX", _raw("Register"))
    assert uid == 1
    with imap_user.client() as imap:
        imap.select_folder("INBOX")
        data = imap.fetch([uid], ["BODY.PEEK[]", "FLAGS"])[uid]
        assert b"Subject: Register" in data[b"BODY[]"]
        assert b"\\Seen" not in data[b"FLAGS"]  # PEEK must not mark it read
        imap.create_folder("Processed")
        imap.add_flags([uid], ["$Processed"])
        imap.move([uid], "Processed")
        assert imap.search("ALL") == []
        imap.select_folder("Processed")
        moved = imap.search("ALL")
        assert len(moved) == 1
        assert b"$Processed" in imap.get_flags(moved)[moved[0]]
        imap.logout()


def test_idle_wakes_on_append_from_another_connection(imap_user: ImapUser) -> None:
    with imap_user.client() as watcher:
        watcher.select_folder("INBOX")
        watcher.idle()
        sender = threading.Thread(target=imap_user.append, args=("INBOX", _raw("Late")))
        started = time.monotonic()
        sender.start()
        responses = watcher.idle_check(timeout=10)
        elapsed = time.monotonic() - started
        watcher.idle_done()
        sender.join()
        watcher.logout()
    assert any(r[1] == b"EXISTS" for r in responses if len(r) > 1), responses
    assert elapsed < 5


def test_users_are_isolated_and_reset_empties_mailbox(
    dovecot: Dovecot, imap_user: ImapUser
) -> None:
    other = dovecot.add_user(f"other-{imap_user.username.split('@')[0]}", "pw")
    imap_user.append("INBOX", _raw("One"))
    imap_user.append("Archive/2024", _raw("Two"))
    with dovecot.client(other) as imap:
        assert imap.select_folder("INBOX")[b"EXISTS"] == 0
        imap.logout()
    imap_user.reset()
    with imap_user.client() as imap:
        assert [name for _f, _s, name in imap.list_folders()] == ["INBOX"]
        assert imap.select_folder("INBOX")[b"EXISTS"] == 0
        imap.logout()


def test_wrong_password_is_refused(imap_user: ImapUser) -> None:
    from imapclient.exceptions import LoginError

    imap = IMAPClient(imap_user.host, port=imap_user.port, ssl=False, timeout=5)
    with pytest.raises(LoginError):
        imap.login(imap_user.username, "not-the-password")
    imap.shutdown()


def test_ssl_listener_with_self_signed_cert(imap_user: ImapUser) -> None:
    if imap_user.ssl_port is None:
        pytest.skip("Dovecot server has no SSL listener: openssl is missing")
    imap_user.append("INBOX", _raw("Secure"))
    with imap_user.client(ssl=True) as imap:
        assert imap.select_folder("INBOX")[b"EXISTS"] == 1
        imap.logout()


def test_restart_keeps_port_and_mail(dovecot: Dovecot) -> None:
    # A private instance, so restarting never disturbs the session server.
    with Dovecot(ssl=False) as server:
        user = server.add_user("restart")
        server.append(user, "INBOX", _raw("Kept"))
        port = server.port
        live = server.client(user)
        started = time.monotonic()
        server.restart()
        restart_s = time.monotonic() - started
        with pytest.raises((OSError, IMAPClient.AbortError, IMAPClient.Error)):
            live.noop()  # the old connection died with the server
        assert server.port == port
        with server.client(user) as imap:
            assert imap.select_folder("INBOX")[b"EXISTS"] == 1
            imap.logout()
        server.stop()
        with pytest.raises(OSError):
            socket.create_connection((server.host, port), timeout=1).close()
    assert restart_s < 5


# --------------------------------------------------------------------------- PostgreSQL


def test_postgres_create_database_and_select(postgres: Postgres) -> None:
    import psycopg

    url = postgres.create_database("harness_check")
    try:
        assert url == f"postgresql+psycopg://postgres@127.0.0.1:{postgres.port}/harness_check"
        with psycopg.connect(postgres.conninfo("harness_check")) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
    finally:
        postgres.drop_database("harness_check")


def test_db_url_works_with_sqlalchemy(db_url: str) -> None:
    from sqlalchemy import text
    from sqlmodel import create_engine

    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE seat (id INTEGER PRIMARY KEY, name TEXT)"))
            conn.execute(text("INSERT INTO seat (id, name) VALUES (1, 'ada')"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM seat")).scalar_one() == 1
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- SMTP sink


def test_sink_captures_envelope_and_raw_bytes(smtp_sink: SmtpSink) -> None:
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as smtp:
        smtp.sendmail("desk@example.test", ["ada@example.org", "bob@example.org"], _raw("Reply"))
        smtp.sendmail("desk@example.test", ["cy@example.org"], _raw("Second"))
    captured = smtp_sink.wait_for(2, timeout=5)
    assert captured[0].mail_from == "desk@example.test"
    assert captured[0].rcpt_tos == ["ada@example.org", "bob@example.org"]
    assert b"Subject: Reply" in captured[0].data
    assert [m["Subject"] for m in smtp_sink.parsed()] == ["Reply", "Second"]
    smtp_sink.clear()
    assert smtp_sink.messages == []
    with pytest.raises(TimeoutError):
        smtp_sink.wait_for(1, timeout=0.05)


def test_sink_temporary_failure_gives_451_then_accepts(smtp_sink: SmtpSink) -> None:
    smtp_sink.fail_next(1)
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as smtp:
        with pytest.raises(smtplib.SMTPDataError) as info:
            smtp.sendmail("desk@example.test", ["ada@example.org"], _raw("Retry"))
        assert info.value.smtp_code == 451
        smtp.sendmail("desk@example.test", ["ada@example.org"], _raw("Retry"))
    assert len(smtp_sink.wait_for(1)) == 1
    assert smtp_sink.rejected == 1


@pytest.mark.parametrize("smtp_sink", [{"require_auth": True}], indirect=True)
def test_sink_auth_mode_requires_login(smtp_sink: SmtpSink) -> None:
    with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as smtp:
        with pytest.raises(smtplib.SMTPSenderRefused) as info:
            smtp.sendmail("desk@example.test", ["ada@example.org"], _raw("NoAuth"))
        assert info.value.smtp_code == 530
    with (
        smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as smtp,
        pytest.raises(smtplib.SMTPAuthenticationError),
    ):
        smtp.login(SmtpSink.USER, "wrong")
    for mechanism in ("PLAIN", "LOGIN"):
        with smtplib.SMTP(smtp_sink.host, smtp_sink.port, timeout=5) as smtp:
            smtp.ehlo()
            smtp.user, smtp.password = SmtpSink.USER, SmtpSink.PASSWORD
            smtp.auth(mechanism, getattr(smtp, f"auth_{mechanism.lower()}"))
            smtp.sendmail("desk@example.test", ["ada@example.org"], _raw(f"Auth {mechanism}"))
    assert len(smtp_sink.wait_for(2)) == 2
    assert smtp_sink.auth_logins == [SmtpSink.USER, SmtpSink.USER]


def test_smtp_auth_sink_fixture(smtp_auth_sink: SmtpSink) -> None:
    with smtplib.SMTP(smtp_auth_sink.host, smtp_auth_sink.port, timeout=5) as smtp:
        smtp.login(SmtpSink.USER, SmtpSink.PASSWORD)
        smtp.sendmail("desk@example.test", ["ada@example.org"], _raw("Fixture"))
    assert smtp_auth_sink.wait_for(1)[0].rcpt_tos == ["ada@example.org"]
