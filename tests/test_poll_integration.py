"""`mailflow poll` end to end: real Dovecot, real aiosmtpd, SQLite and PostgreSQL."""

from __future__ import annotations

import email
import email.policy
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import select

from mailflow.store import HandledMessage, OutboxRow, PlaceRow, unit_of_work

from servers import free_port
from support import Rig, mail, rig_for

pytestmark = pytest.mark.integration


@pytest.fixture
def rig(tmp_path: Path, imap_user: Any, smtp_sink: Any, db_url: str) -> Rig:
    return rig_for(
        tmp_path,
        imap_user,
        smtp_sink.port,
        db_url,
    )


def folder_uids(imap_user: Any, folder: str) -> list[int]:
    with imap_user.client() as client:
        if not client.folder_exists(folder):
            return []
        client.select_folder(folder, readonly=True)
        return list(client.search(["ALL"]))


def places(rig: Rig, event_id: str) -> dict[str, str]:
    desk = rig.desk()
    with unit_of_work(desk.engine) as uow:
        rows = uow.session.exec(select(PlaceRow).where(PlaceRow.event_id == event_id)).all()
        return {r.email: r.status for r in rows}


def test_registration_is_answered_in_the_members_thread(
    rig: Rig, imap_user: Any, smtp_sink: Any
) -> None:
    request = mail(
        "Ngozi Okafor <ngozi.okafor@camden-council.example>",
        "Construction webinar",
        "Hello,\n\nPlease could you register me for the construction webinar?\n\n"
        "Many thanks,\nNgozi",
        message_id="<req-1@camden-council.example>",
    )
    imap_user.append("INBOX", request)

    report = rig.poll()

    assert report.dispositions == {"handled": 1}
    [sent] = smtp_sink.messages
    assert sent.rcpt_tos == ["ngozi.okafor@camden-council.example"]
    reply = email.message_from_bytes(sent.data, policy=email.policy.default)
    assert reply["In-Reply-To"] == "<req-1@camden-council.example>"
    assert "<req-1@camden-council.example>" in reply["References"]
    assert reply["Subject"] == "Re: Construction webinar"
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply["X-Mailflow-Outcome"] == "construction=confirmed"
    text = reply.get_body(preferencelist=("plain",)).get_content()
    assert "Dear Ngozi" in text and "The Construction Industry" in text
    assert reply.get_body(preferencelist=("html",)) is not None
    assert places(rig, "construction") == {"ngozi.okafor@camden-council.example": "confirmed"}
    assert folder_uids(imap_user, "INBOX") == []
    assert len(folder_uids(imap_user, "Processed")) == 1


def test_second_poll_with_no_new_mail_changes_nothing_and_sends_nothing(
    rig: Rig, imap_user: Any, smtp_sink: Any
) -> None:
    imap_user.append(
        "INBOX",
        mail("tom.reilly@westbury.ac.example", "Food", "Please book me onto the food webinar."),
    )
    rig.poll()
    before = places(rig, "food")
    sent_before = len(smtp_sink.messages)

    report = rig.poll()

    assert report.found == 0 and report.sent == 0
    assert len(smtp_sink.messages) == sent_before == 1
    assert places(rig, "food") == before


def test_long_outlook_message_id_is_not_folded_in_reply_headers(
    rig: Rig, imap_user: Any, smtp_sink: Any
) -> None:
    long_id = (
        "<AM9PR07MB7106C2B4A1E6F4D0B9A7C3E1D8F2A5B6C9E0@AM9PR07MB7106.eurprd07."
        "prod.outlook.com.example.with.a.very.long.suffix.westbury.ac.example>"
    )
    imap_user.append(
        "INBOX",
        mail(
            "tom.reilly@westbury.ac.example",
            "RE: Food",
            "Please book me onto the food webinar.",
            message_id=long_id,
        ),
    )
    rig.poll()

    [sent] = smtp_sink.messages
    header_lines = sent.data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
    assert b"In-Reply-To: " + long_id.encode() in header_lines
    reply = email.message_from_bytes(sent.data, policy=email.policy.default)
    assert reply["In-Reply-To"] == long_id


def test_unclear_question_goes_to_attention_folder_and_is_counted(
    rig: Rig, imap_user: Any, smtp_sink: Any
) -> None:
    imap_user.append(
        "INBOX",
        mail(
            "sam.patel@westbury.ac.example",
            "Slides",
            "Hello, will the slides be shared after the webinars?",
        ),
    )
    rig.poll()

    reply = email.message_from_bytes(smtp_sink.messages[0].data, policy=email.policy.default)
    assert reply["X-Mailflow-Outcome"] == "unclear"
    assert len(folder_uids(imap_user, "Needs Attention")) == 1
    status = json.loads(rig.cli("status", "--json").stdout)
    assert status["needs_attention"] == 1
    assert all(e["confirmed"] == 0 for e in status["events"])


def test_auto_reply_is_recorded_but_never_answered(
    rig: Rig, imap_user: Any, smtp_sink: Any
) -> None:
    imap_user.append(
        "INBOX",
        mail(
            "ola.nowak@camden-council.example",
            "Automatic reply: Construction webinar",
            "I am out of the office until Monday.",
            headers={"Auto-Submitted": "auto-replied"},
        ),
    )
    report = rig.poll()

    assert report.dispositions == {"ignored": 1}
    assert smtp_sink.messages == []
    with unit_of_work(rig.desk().engine) as uow:
        [row] = uow.session.exec(select(HandledMessage)).all()
        assert row.disposition == "ignored" and "auto" in row.reason.lower()


def test_first_run_on_a_full_mailbox_handles_nothing_and_says_why(
    tmp_path: Path, imap_user: Any, smtp_sink: Any
) -> None:
    rig = rig_for(
        tmp_path,
        imap_user,
        smtp_sink.port,
        extra_mailbox="first_run_limit = 3",
    )
    for n in range(5):
        imap_user.append(
            "INBOX",
            mail(
                f"p{n}@camden-council.example", "Food", "Please register me for the food webinar."
            ),
        )

    result = rig.cli("poll")

    assert result.returncode == 0, result.stderr
    assert "mailflow adopt" in result.stdout and "since" in result.stdout
    assert smtp_sink.messages == []
    assert len(folder_uids(imap_user, "INBOX")) == 5

    adopted = rig.cli("adopt")
    assert adopted.returncode == 0 and "Recorded 5 existing message(s)" in adopted.stdout
    after = rig.cli("poll")
    assert after.returncode == 0, after.stderr
    assert smtp_sink.messages == []
    # Adopted mail is filed away as handled, never answered.
    assert folder_uids(imap_user, "INBOX") == []


def test_since_ignores_mail_that_arrived_earlier(
    tmp_path: Path, imap_user: Any, smtp_sink: Any
) -> None:
    rig = rig_for(
        tmp_path,
        imap_user,
        smtp_sink.port,
        extra_mailbox="since = 2099-01-01",
    )
    imap_user.append(
        "INBOX",
        mail("p@camden-council.example", "Food", "Please register me for the food webinar."),
    )
    report = rig.poll()
    assert report.found == 0
    assert smtp_sink.messages == []


def test_oversized_message_is_flagged_without_downloading_it(
    tmp_path: Path, imap_user: Any, smtp_sink: Any
) -> None:
    rig = rig_for(
        tmp_path,
        imap_user,
        smtp_sink.port,
        extra_mailbox="max_message_bytes = 20000",
    )
    imap_user.append(
        "INBOX",
        mail(
            "p@camden-council.example",
            "Food",
            "Please register me for the food webinar.\n"
            + "x" * 70
            + "\n" * 1
            + ("y" * 76 + "\n") * 400,
        ),
    )
    report = rig.poll()

    assert report.dispositions == {"attention": 1}
    with unit_of_work(rig.desk().engine) as uow:
        [row] = uow.session.exec(select(HandledMessage)).all()
        assert row.needs_attention and "bytes" in row.reason
    assert len(folder_uids(imap_user, "Needs Attention")) == 1


class _HeldSink:
    """An SMTP server that holds the first DATA until released, then refuses it (451)."""

    def __init__(self) -> None:
        self.arrived = threading.Event()
        self.release = threading.Event()
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        import asyncio

        if not self.release.is_set():
            self.arrived.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            return "451 4.3.0 try later"
        self.messages.append(bytes(envelope.original_content or envelope.content))
        return "250 OK"


def test_poll_killed_between_commit_and_send_sends_each_reply_exactly_once(
    tmp_path: Path, imap_user: Any, smtp_sink: Any
) -> None:
    held = _HeldSink()
    port = free_port()
    controller = Controller(held, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        rig = rig_for(
            tmp_path,
            imap_user,
            port,
        )
        for n in range(4):
            imap_user.append(
                "INBOX",
                mail(
                    f"person{n}@camden-council.example",
                    "Food",
                    "Please register me for the food webinar.",
                ),
            )
        worker = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from mailflow.cli import main; main()",
                "--config",
                str(rig.path),
                "poll",
            ],
            env={**os.environ, **rig.env},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # The first reply is on the wire: every request is committed, nothing is marked sent.
        assert held.arrived.wait(30), "the poll never reached the SMTP server"
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
        held.release.set()
    finally:
        controller.stop()

    with unit_of_work(rig.desk().engine) as uow:
        statuses = [r.status for r in uow.session.exec(select(OutboxRow)).all()]
        handled = uow.session.exec(select(HandledMessage)).all()
    assert len(handled) == 4
    assert statuses == ["sending"] * 4  # the batch was claimed by the poll that died

    # The claims died with their process: the next run sends them at once, each once.
    rig2 = rig_for(
        tmp_path,
        imap_user,
        smtp_sink.port,
    )
    first = rig2.poll()
    second = rig2.poll()

    assert first.found == 0 and first.sent == 4
    assert second.sent == 0
    ids = [email.message_from_bytes(m.data)["Message-ID"] for m in smtp_sink.messages]
    assert len(ids) == 4 and len(set(ids)) == 4
    assert sorted(m.rcpt_tos[0] for m in smtp_sink.messages) == [
        f"person{n}@camden-council.example" for n in range(4)
    ]


def test_temporary_smtp_failure_keeps_mail_queued_for_retry(
    rig: Rig, imap_user: Any, smtp_sink: Any
) -> None:
    smtp_sink.fail_next(1)
    imap_user.append(
        "INBOX",
        mail("tom.reilly@westbury.ac.example", "Food", "Please book me onto the food webinar."),
    )
    report = rig.poll()
    assert report.deferred == 1 and smtp_sink.messages == []

    with unit_of_work(rig.desk().engine) as uow:
        [row] = uow.session.exec(select(OutboxRow)).all()
        assert row.status == "pending" and row.attempts == 1 and "451" in row.last_error
        retry_at = row.next_attempt_at
    later = rig.desk(clock=lambda: retry_at)
    assert rig.poll(later).sent == 1
    assert len(smtp_sink.messages) == 1


def test_two_polls_racing_book_exactly_the_capacity(
    tmp_path: Path, imap_user: Any, smtp_sink: Any, db_url: str
) -> None:
    rig = rig_for(
        tmp_path,
        imap_user,
        smtp_sink.port,
        db_url,
    )
    rig.cli("status")  # create the schema once, before the race
    for n in range(40):
        imap_user.append(
            "INBOX",
            mail(
                f"member{n:02d}@camden-council.example",
                "Construction webinar",
                "Please register me for the construction webinar.",
            ),
        )
    env = {**os.environ, **rig.env}
    command = [
        sys.executable,
        "-c",
        "from mailflow.cli import main; main()",
        "--config",
        str(rig.path),
        "poll",
    ]
    workers = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outputs = [w.communicate(timeout=120) for w in workers]
    assert [w.returncode for w in workers] == [0, 0], [err[-2000:] for _, err in outputs]

    status = places(rig, "construction")
    assert sorted(status.values()).count("confirmed") == 15
    assert sorted(status.values()).count("waitlisted") == 25
    with unit_of_work(rig.desk().engine) as uow:
        assert len(uow.session.exec(select(HandledMessage)).all()) == 40
    ids = [email.message_from_bytes(m.data)["Message-ID"] for m in smtp_sink.messages]
    assert len(ids) == 40 and len(set(ids)) == 40
    outcomes = [email.message_from_bytes(m.data)["X-Mailflow-Outcome"] for m in smtp_sink.messages]
    assert outcomes.count("construction=confirmed") == 15
    assert outcomes.count("construction=waitlisted") == 25
