"""SMTP trouble on real aiosmtpd: the server's fault pauses and keeps mail; a member's fails it."""

from __future__ import annotations

import logging
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from mailflow.digest import render_digest
from mailflow.outbox import deliver
from mailflow.outbox_state import delivery_state
from mailflow.smtp import SmtpSender
from mailflow.store import OutboxRow, unit_of_work
from mailflow.views import status_data

from servers import MisconfiguredRelay
from support import mail, rig_for

pytestmark = pytest.mark.integration

BAD = "no.such.person@westbury.ac.example"
OUTAGE_SECONDS = 1.5  # the relay was down 30 s; the behaviour is the same, faster


@pytest.mark.parametrize("stage", ["rcpt", "data"])
def test_a_relay_refusing_everyone_pauses_sending_and_nothing_is_given_up(
        stage: str, tmp_path: Path, imap_user: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    relay = MisconfiguredRelay(stage, OUTAGE_SECONDS, unknown=BAD)
    try:
        rig = rig_for(tmp_path, imap_user, relay.port)
        desk = rig.desk()
        members = [f"member{n}@camden-council.example" for n in range(8)] + [BAD]
        for uid, sender in enumerate(members, start=1):
            raw = mail(sender, "Food", "Please book me onto the food webinar.")
            assert desk.handle(raw, 1, uid).disposition == "handled"

        paused_seen = False
        deadline = time.monotonic() + 20
        with caplog.at_level(logging.DEBUG, logger="mailflow"), \
                SmtpSender(desk.settings.smtp) as sender:
            while delivery_state(desk.engine).pending and time.monotonic() < deadline:
                report = deliver(desk.engine, sender, desk.settings.smtp.from_address,
                                 desk.clock, pause_first=timedelta(seconds=0.2),
                                 pause_max=timedelta(seconds=0.5))
                if relay.broken():
                    assert report.failed == 0 and report.sent == 0, report
                    state = delivery_state(desk.engine)
                    if state.paused is not None and not paused_seen:
                        paused_seen = True
                        assert "554" in state.paused.reason and not state.failed
                        told = render_digest(desk).text
                        assert "Sending is paused" in told and "554" in told
                        with unit_of_work(desk.engine) as uow:
                            status = status_data(uow, desk.settings, desk.clock())
                        assert "554" in status["sending_paused"]["reason"]
                time.sleep(0.05)
    finally:
        relay.stop()

    assert paused_seen
    delivered = sorted(m.rcpt_tos[0] for m in relay.messages)
    assert delivered == sorted(members[:-1])  # everyone's reply, each exactly once
    state = delivery_state(desk.engine)
    assert state.paused is None and state.pending == 0
    [failed] = state.failed  # only the address the server does not know, with its reason
    assert failed.recipient == BAD and "550 5.1.1" in failed.reason
    assert state.last_outage is not None and "554" in state.last_outage["reason"]
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert sum("sending paused" in w for w in warnings) == 1, warnings  # told once
    assert any("SMTP server is back" in r.getMessage() for r in caplog.records)
    told = render_digest(desk).text
    assert "Sending was paused from" in told  # told once more, after the fact
    assert f"Mail to {BAD} could not be sent" in told and "550 5.1.1" in told


def test_a_poll_sends_every_pending_mail_however_many(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    rig = rig_for(tmp_path, imap_user, smtp_sink.port)
    desk = rig.desk()
    now = datetime.now(UTC)
    total = 2000
    with unit_of_work(desk.engine) as uow:
        uow.session.add_all([
            OutboxRow(message_id=f"<n{n}@lupc.example>", kind="notice",
                      recipient=f"member{n}@camden-council.example", subject="Notice",
                      raw=f"Message-ID: <n{n}@lupc.example>\r\nSubject: Notice\r\n\r\n"
                          f"Hello {n}\r\n".encode(), created_at=now, next_attempt_at=now)
            for n in range(total)])
        uow.commit()

    started = time.monotonic()
    report = rig.poll(desk)
    took = time.monotonic() - started

    print(f"one poll sent {report.sent} mails in {took:.1f} s")
    assert report.sent == total
    assert len(smtp_sink.messages) == total
    with unit_of_work(desk.engine) as uow:
        statuses = set(uow.session.exec(select(OutboxRow.status)).all())
    assert statuses == {"sent"}


def test_a_database_locked_when_the_server_accepts_never_sends_that_mail_again(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    rig = rig_for(tmp_path, imap_user, smtp_sink.port)
    desk = rig.desk()
    desk.handle(mail("ann.lee@westbury.ac.example", "Food",
                     "Please book me onto the food webinar."), 1, 1)

    @event.listens_for(desk.engine, "connect")
    def _impatient(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA busy_timeout=200")  # the store waits 30 s; this test not

    desk.engine.dispose()
    holder = sqlite3.connect(str(tmp_path / "m.db"), isolation_level=None)

    class LockingSender(SmtpSender):
        """Sends for real, then another process takes the database's write lock."""

        def send(self, sender: str, recipient: str, raw: bytes) -> None:
            super().send(sender, recipient, raw)
            holder.execute("BEGIN IMMEDIATE")

    with LockingSender(desk.settings.smtp) as sender, \
            pytest.raises(OperationalError, match="locked"):
        deliver(desk.engine, sender, desk.settings.smtp.from_address, desk.clock)
    holder.execute("ROLLBACK")
    assert len(smtp_sink.messages) == 1

    with SmtpSender(desk.settings.smtp) as sender:
        again = deliver(desk.engine, sender, desk.settings.smtp.from_address, desk.clock)
    assert (again.sent, again.resent) == (0, 0)  # the acceptance was recorded, not resent
    assert len(smtp_sink.messages) == 1
    with unit_of_work(desk.engine) as uow:
        assert [r.status for r in uow.session.exec(select(OutboxRow))] == ["sent"]
