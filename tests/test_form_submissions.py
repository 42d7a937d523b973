"""A notification of a submission to the desk's own web form is handled as the submitter's mail:
checked for eligibility, booked and answered as theirs; a third party's notification, or one
that fails the trusted authentication results, is still a machine's mail and is ignored."""

from __future__ import annotations

from pathlib import Path

from test_hostile_pipeline import handled, make_desk, outbox

from mailflow.app import build_desk

from support import FROM, write_config

SUBMITTER = "ewa.kowalczyk@camden-council.example"


def notification(fields: str, *, sender: str = "noreply@forms.lupc.example",
                 message_id: str = "<form1@forms.lupc.example>", extra: str = "") -> bytes:
    return (
        f"From: LUPC Website <{sender}>\r\nTo: {FROM}\r\n"
        "Subject: New form submission: Register your interest\r\n"
        "Date: Mon, 10 Feb 2025 09:00:00 +0000\r\n"
        f"Message-ID: {message_id}\r\nAuto-Submitted: auto-generated\r\n{extra}"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + ("New form submission\n\n" + fields).replace("\n", "\r\n")
    ).encode()


def test_a_registration_form_submission_books_the_submitter_and_answers_them(
        tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    result = desk.handle(notification(
        f"Name: Ewa Kowalczyk\nEmail: {SUBMITTER}\nSession: Food webinar\n"))
    assert result.outcome == "food=confirmed"
    [reply] = outbox(desk)
    assert reply.recipient == SUBMITTER
    assert handled(desk, "<form1@forms.lupc.example>").sender == SUBMITTER


def test_a_submitter_at_no_full_member_is_told_not_eligible(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    result = desk.handle(notification(
        "Name: Kim Lee\nEmail: kim.lee@riverside-housing.example\nSession: Food webinar\n"))
    assert result.outcome == "not-eligible"
    [reply] = outbox(desk)
    assert reply.recipient == "kim.lee@riverside-housing.example"


def test_a_third_partys_form_notification_is_ignored_as_a_machines_mail(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    result = desk.handle(notification(
        f"Name: Ewa Kowalczyk\nEmail: {SUBMITTER}\nSession: Food webinar\n",
        sender="noreply@eventsite.example"))
    assert result.disposition == "ignored" and "Auto-Submitted" in result.reason
    assert outbox(desk) == []


def test_a_notification_failing_the_trusted_results_is_ignored(tmp_path: Path) -> None:
    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                       password="p", smtp_port=1, db_url=f"sqlite:///{tmp_path}/m.db",
                       extra_mailbox='trusted_authserv_id = "mx.lupc.example"')
    desk = build_desk(rig.settings())
    result = desk.handle(notification(
        f"Name: Ewa Kowalczyk\nEmail: {SUBMITTER}\nSession: Food webinar\n",
        extra="Authentication-Results: mx.lupc.example; dmarc=fail header.from=lupc.example\r\n"))
    assert result.disposition == "ignored"
    assert outbox(desk) == []
