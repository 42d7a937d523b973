"""Review: one recipient's trouble must not hold up everyone else's mail (real aiosmtpd)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from mailflow.outbox import deliver
from mailflow.smtp import SmtpSender
from mailflow.store import OutboxRow, unit_of_work

from servers import SmtpSink
from support import mail, rig_for

GREYLISTED = "grey.listed@westbury.ac.example"


class GreylistingSink(SmtpSink):
    """Answers 450 at RCPT for one address, as a greylisting or over-quota server does."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: list[str]) -> str:
        if address.lower() == GREYLISTED:
            return "450 4.2.0 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def grey_sink() -> Any:
    sink = GreylistingSink()
    try:
        yield sink
    finally:
        sink.stop()


def test_a_greylisted_recipient_does_not_hold_back_other_members_replies(
        tmp_path: Path, imap_user: Any, grey_sink: Any) -> None:
    rig = rig_for(tmp_path, imap_user, grey_sink.port)
    desk = rig.desk()
    senders = [GREYLISTED, "ann.lee@westbury.ac.example", "bo.chan@camden-council.example"]
    for n, sender in enumerate(senders):
        result = desk.handle(mail(sender, "Food", "Please book me onto the food webinar."),
                             1, n + 1)
        assert result.disposition == "handled", result

    with SmtpSender(desk.settings.smtp) as sender:
        report = deliver(desk.engine, sender, desk.settings.smtp.from_address, desk.clock)

    assert sorted(m.rcpt_tos[0] for m in grey_sink.messages) == sorted(senders[1:])
    assert (report.sent, report.deferred, report.failed) == (2, 1, 0)
    with unit_of_work(desk.engine) as uow:
        grey = uow.session.exec(select(OutboxRow).where(OutboxRow.recipient == GREYLISTED)).one()
        assert grey.status == "pending" and "450" in grey.last_error
