"""ARF complaints: a member's provider says they marked our mail as spam; we stop writing."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from sqlmodel import select

from mailflow.app import build_desk
from mailflow.bounces import complained_addresses
from mailflow.handle import Desk
from mailflow.hygiene import is_bounce, is_complaint
from mailflow.parse import parse_message
from mailflow.store import OutboxRow, unit_of_work

from external import CORPUS, load_labels
from support import FROM, mail, write_config

NGOZI = "ngozi.okafor@camden-council.example"


def make_desk(directory: Path) -> Desk:
    rig = write_config(directory, imap_host="127.0.0.1", imap_port=1, username="u",
                       password="p", smtp_port=1, db_url=f"sqlite:///{directory}/m.db")
    return build_desk(rig.settings())


def arf(recipient: str, reported_id: str, *, report_id: str = "<arf1@fbl.example>",
        rcpt_field: bool = True) -> bytes:
    """An RFC 5965 abuse report as mailbox providers send them, about one of our messages."""
    rcpt = f"Original-Rcpt-To: {recipient}\n" if rcpt_field else ""
    return f"""From: Feedback Loop <fbl@provider.example>
To: {FROM}
Subject: FW: Re: Your place
Date: Tue, 1 Dec 2026 09:00:00 +0000
Message-ID: {report_id}
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

This is an email abuse report for an email message received from IP 192.0.2.1.

--b1
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ProviderFBL/1.0
Version: 1
{rcpt}Arrival-Date: Tue, 1 Dec 2026 08:00:00 +0000

--b1
Content-Type: message/rfc822

From: {FROM}
To: {recipient}
Subject: Re: Food
Message-ID: {reported_id}

Your place is confirmed.
--b1--
""".encode()


def outbox(desk: Desk) -> list[OutboxRow]:
    with unit_of_work(desk.engine) as uow:
        rows = list(uow.session.exec(select(OutboxRow)).all())
        uow.session.expunge_all()
    return rows


def test_a_feedback_report_is_a_complaint_not_a_bounce() -> None:
    report = parse_message(arf(NGOZI, "<mailflow.x1@lupc.example>"))
    assert is_complaint(report) and not is_bounce(report)
    assert complained_addresses(arf(NGOZI, "<x@y>"), report) == (NGOZI,)


def test_the_reported_message_names_the_address_when_the_report_does_not() -> None:
    raw = arf(NGOZI, "<x@y>", rcpt_field=False)
    assert complained_addresses(raw, parse_message(raw)) == (NGOZI,)


def test_a_complaint_silences_the_address_and_tells_the_coordinator(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    desk.handle(mail(NGOZI, "Food", "Please register me for the food webinar."))
    [reply] = outbox(desk)

    result = desk.handle(arf(NGOZI, reply.message_id))
    assert (result.disposition, result.outcome, result.folder) == (
        "attention", "complaint", "attention")
    assert NGOZI in result.reason and "no longer writes" in result.reason
    with unit_of_work(desk.engine) as uow:
        assert uow.is_silenced(NGOZI)
        assert any(row.outcome == "complaint" for row in uow.attention())
        assert any(e.action == "complained" for e in uow.history(NGOZI))

    # Her requests are still handled, but nothing more is written to her.
    result = desk.handle(mail(NGOZI, "Construction", "Please register me for construction."))
    assert result.outcome == "construction=confirmed"
    assert len(outbox(desk)) == 1


def test_a_complaint_about_an_address_we_never_wrote_to_changes_nothing(tmp_path: Path) -> None:
    # A forged report must not be a way to silence a member.
    desk = make_desk(tmp_path)
    result = desk.handle(arf(NGOZI, "<mailflow.never@lupc.example>", report_id="<f@x>"))
    assert result.outcome == "complaint" and "not acted on" in result.reason
    with unit_of_work(desk.engine) as uow:
        assert not uow.is_silenced(NGOZI)


def test_every_complaint_in_the_external_corpus_silences_its_address(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        if os.environ.get("CI") == "true":
            raise AssertionError(f"the external corpus is missing at {CORPUS}")
        pytest.skip(f"SKIPPED LOUDLY: no external corpus at {CORPUS}")
    labels = load_labels()
    complaints = [f for f, label in labels.items() if label["verdict"] == "complaint"]
    named = [f for f in complaints if labels[f]["recipients"]]
    assert len(complaints) == 13 and len(named) >= 9  # providers redact some addresses
    desk = make_desk(tmp_path)
    for fixture in named:
        [address] = labels[fixture]["recipients"]
        # We wrote to them first (a not-eligible answer will do), so the complaint is ours.
        desk.handle(mail(str(address), "Food", "Please register me for the food webinar."))
        # Some samples are copies of one report: give each its own Message-ID.
        raw = b"Message-ID: <%s@corpus.example>\n" % fixture.encode() + re.sub(
            rb"(?im)^message-id:", b"X-Old-Message-ID:", (CORPUS / fixture).read_bytes(), count=1)
        result = desk.handle(raw)
        assert result.outcome == "complaint", fixture
        with unit_of_work(desk.engine) as uow:
            assert uow.is_silenced(str(address)), (fixture, result.reason)
