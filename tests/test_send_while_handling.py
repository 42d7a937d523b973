"""A long pass sends each batch's replies while it handles the next (mailflow/backsend.py),
and still sends each reply once, only after its request's commit."""

from __future__ import annotations

import email
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from mailflow.backsend import Backsender
from mailflow.mailbox import ImapMailbox
from mailflow.outbox import DeliveryReport
from mailflow.poll import BATCH, poll_once
from mailflow.store import HandledMessage, OutboxRow, PlaceRow, unit_of_work

from support import Rig, mail, rig_for

pytestmark = pytest.mark.integration

WAIT = 60.0  # seconds a test waits for the sending thread before failing (never a timing)


def requests(imap_user: Any, n: int, event: str = "construction") -> None:
    with imap_user.client() as client:
        for i in range(n):
            client.append("INBOX", mail(f"member{i:03d}@camden-council.example", "Booking",
                                        f"Please register me for the {event} webinar."))


class CheckingSender:
    """Takes each mail after checking that its row is claimed and its request committed,
    seen from a connection of its own."""

    def __init__(self, rig: Rig) -> None:
        self.engine = rig.desk().engine
        self.sent: list[bytes] = []
        self.first = threading.Event()

    def send(self, sender: str, recipient: str, raw: bytes) -> None:
        message_id = email.message_from_bytes(raw)["Message-ID"]
        with unit_of_work(self.engine) as uow:
            [row] = uow.session.exec(select(OutboxRow)
                                     .where(OutboxRow.message_id == message_id)).all()
            assert row.status == "sending"
            request = uow.session.exec(select(HandledMessage)
                                       .where(HandledMessage.message_id == row.in_reply_to))
            assert request.all(), "a reply went out before its request was committed"
        self.sent.append(raw)
        self.first.set()


def test_a_long_pass_sends_while_handling_and_each_reply_once(
        tmp_path: Path, imap_user: Any, db_url: str) -> None:
    rig = rig_for(tmp_path, imap_user, 1, db_url, capacity=100,
                  extra_mailbox="first_run_limit = 1000")
    n = 3 * BATCH + 7
    requests(imap_user, n)
    desk = rig.desk()
    sender = CheckingSender(rig)
    handled = 0
    during: list[int] = []
    handle = desk.handle

    def handling(*args: Any, **kw: Any) -> Any:
        nonlocal handled
        handled += 1
        if handled == 2 * BATCH + 1:  # one batch has woken the sender: it sends meanwhile
            assert sender.first.wait(WAIT), "nothing was sent while the pass went on"
            during.append(len(sender.sent))
        return handle(*args, **kw)

    desk.handle = handling  # type: ignore[method-assign]
    report = poll_once(desk, lambda: ImapMailbox(desk.settings.mailbox), sender)

    assert during and during[0] >= 1
    assert report.dispositions == {"handled": n} and report.sent == n
    ids = [email.message_from_bytes(raw)["Message-ID"] for raw in sender.sent]
    assert len(ids) == n and len(set(ids)) == n
    with unit_of_work(desk.engine) as uow:
        assert {r.status for r in uow.session.exec(select(OutboxRow))} == {"sent"}


def test_two_long_polls_racing_book_the_capacity_and_send_each_reply_once(
        tmp_path: Path, imap_user: Any, smtp_sink: Any, db_url: str) -> None:
    rig = rig_for(tmp_path, imap_user, smtp_sink.port, db_url, capacity=60,
                  extra_mailbox="first_run_limit = 1000")
    rig.cli("status")  # the schema, once, before the race
    n = 3 * BATCH
    requests(imap_user, n)
    command = [sys.executable, "-c", "from mailflow.cli import main; main()",
               "--config", str(rig.path), "poll"]
    workers = [subprocess.Popen(command, env={**os.environ, **rig.env}, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for _ in range(2)]
    outputs = [w.communicate(timeout=300) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err[-2000:] for _, err in outputs]

    with unit_of_work(rig.desk().engine) as uow:
        statuses = [p.status for p in uow.session.exec(select(PlaceRow))]
        assert len(uow.session.exec(select(HandledMessage)).all()) == n
        assert {r.status for r in uow.session.exec(select(OutboxRow))} == {"sent"}
    assert statuses.count("confirmed") == 60 and statuses.count("waitlisted") == n - 60
    ids = [email.message_from_bytes(m.data)["Message-ID"] for m in smtp_sink.messages]
    assert len(ids) == n and len(set(ids)) == n


def test_the_sending_thread_keeps_its_error_and_stops_after_a_pause() -> None:
    calls: list[str] = []
    answers = iter([DeliveryReport(sent=2), DeliveryReport(sent=1, paused="421 busy")])
    done = threading.Event()

    def send() -> DeliveryReport:
        calls.append("send")
        try:
            return next(answers)
        finally:
            if len(calls) == 2:
                done.set()

    with Backsender(send) as back:
        back.wake()
        while len(calls) < 1:
            done.wait(0.01)
        back.wake()
        assert done.wait(WAIT)
        back.wake()  # paused: nothing more is sent this pass
    assert calls == ["send", "send"] and back.report.sent == 3 and back.error is None

    failed = threading.Event()

    def failing() -> DeliveryReport:
        failed.set()
        raise RuntimeError("database gone")

    with Backsender(failing) as back:
        back.wake()
        assert failed.wait(WAIT)
    assert isinstance(back.error, RuntimeError)
