"""Review: exactly-once handling over real Dovecot, whatever the Message-IDs and UIDs do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from mailflow.store import HandledMessage, PlaceRow, unit_of_work

from support import Rig, mail, rig_for

pytestmark = pytest.mark.integration

FOLDER = "Registrations"


@pytest.fixture
def rig(tmp_path: Path, imap_user: Any, smtp_sink: Any) -> Rig:
    return rig_for(tmp_path, imap_user, smtp_sink.port)


def booked(rig: Rig, event_id: str) -> dict[str, str]:
    with unit_of_work(rig.desk().engine) as uow:
        rows = uow.session.exec(select(PlaceRow).where(PlaceRow.event_id == event_id)).all()
        return {r.email: r.status for r in rows}


def inbox(imap_user: Any, folder: str = "INBOX") -> list[int]:
    with imap_user.client() as client:
        if not client.folder_exists(folder):
            return []
        client.select_folder(folder, readonly=True)
        return list(client.search(["ALL"]))


def test_two_different_messages_sharing_a_message_id_are_both_answered(
        rig: Rig, imap_user: Any, smtp_sink: Any) -> None:
    # Some clients and gateways reuse Message-IDs; the second member must not be ignored.
    shared = "<1234@localhost>"
    imap_user.append("INBOX", mail("Ann Lee <ann.lee@westbury.ac.example>", "Food",
                                   "Please book me onto the food webinar.", message_id=shared))
    bo = mail("Bo Chan <bo.chan@camden-council.example>", "Food webinar",
              "Please register me for the food webinar.", message_id=shared)
    imap_user.append("INBOX", bo)

    report = rig.poll()

    assert report.dispositions == {"handled": 2}, report
    assert booked(rig, "food") == {"ann.lee@westbury.ac.example": "confirmed",
                                   "bo.chan@camden-council.example": "confirmed"}
    assert sorted(m.rcpt_tos[0] for m in smtp_sink.messages) == [
        "ann.lee@westbury.ac.example", "bo.chan@camden-council.example"]
    assert inbox(imap_user) == []

    # Neither is handled again when delivered once more (new trace headers, same message).
    imap_user.append("INBOX", b"Received: from relay2.example by mx.example; "
                              b"Mon, 1 Jan 2024 00:00:00 +0000\r\n" + bo)
    smtp_sink.clear()
    again = rig.poll()
    assert smtp_sink.messages == [] and again.sent == 0
    with unit_of_work(rig.desk().engine) as uow:
        assert len(uow.session.exec(select(HandledMessage)).all()) == 2


def test_the_same_message_appended_twice_is_answered_once(
        rig: Rig, imap_user: Any, smtp_sink: Any) -> None:
    raw = mail("ann.lee@westbury.ac.example", "Food", "Please book me onto the food webinar.")
    imap_user.append("INBOX", raw)
    imap_user.append("INBOX", raw)

    report = rig.poll()

    assert report.dispositions == {"handled": 1, "duplicate": 1}, report
    assert len(smtp_sink.messages) == 1
    assert inbox(imap_user) == []


def test_a_recreated_folder_with_new_uids_is_recognised_by_message_id(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    rig = rig_for(tmp_path, imap_user, smtp_sink.port,
                  extra_mailbox='processed_folder = "Done"')
    text = rig.path.read_text().replace('folder = "INBOX"', f'folder = "{FOLDER}"')
    rig.path.write_text(text)
    raws = [mail(f"p{n}@westbury.ac.example", "Food", "Please book me onto the food webinar.")
            for n in range(3)]
    for raw in raws:
        imap_user.append(FOLDER, raw)
    with imap_user.client() as client:
        first_validity = client.select_folder(FOLDER)[b"UIDVALIDITY"]
    # A crash after handling, before the move: simulate by handling without moving.
    desk = rig.desk()
    for uid, raw in enumerate(raws, start=1):
        assert desk.handle(raw, int(first_validity), uid).disposition == "handled"
    # A human (or a migration) deletes and recreates the folder: new UIDVALIDITY, new UIDs.
    with imap_user.client() as client:
        client.delete_folder(FOLDER)
    for raw in raws:
        imap_user.append(FOLDER, raw)
    with imap_user.client() as client:
        assert client.select_folder(FOLDER)[b"UIDVALIDITY"] != first_validity
    smtp_sink.clear()

    report = rig.poll()

    assert report.dispositions == {"duplicate": 3}, report
    assert smtp_sink.wait_for(3)  # the three replies queued before the "crash"
    assert len(smtp_sink.messages) == 3
    assert inbox(imap_user, FOLDER) == [] and len(inbox(imap_user, "Done")) == 3
