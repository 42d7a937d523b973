"""Reminders: confirmed attendees only, in the window before the session, once each."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from mailflow.coordinator import change_seat
from mailflow.handle import Desk
from mailflow.outbox import deliver
from mailflow.reminders import send_reminders
from mailflow.smtp import SmtpSender

from support import future_series, mail, write_config

CAMDEN = "camden-council.example"
NOW = datetime(2027, 1, 6, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def make_desk(tmp_path: Path, smtp_port: int, clock: Clock) -> Desk:
    events = future_series(2, now=NOW).replace(
        'keywords = ["construction", "building materials"]',
        'keywords = ["construction", "building materials"]\n'
        'join_url = "https://meet.example/kbs-construction"\n'
        'joining_instructions = "Please join five minutes early; cameras optional."', 1)
    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u", password="p",
                       smtp_port=smtp_port, db_url=f"sqlite:///{tmp_path}/m.db", events=events)
    return rig.desk(clock=clock)


def test_reminders_go_once_to_confirmed_attendees_with_joining_details(
        tmp_path: Path, smtp_sink: Any) -> None:
    clock = Clock(NOW)
    desk = make_desk(tmp_path, smtp_sink.port, clock)
    event = desk.settings.event("construction")
    assert event is not None
    for n, who in enumerate(["alice", "bob", "carol"], start=1):  # carol waits: capacity 2
        desk.handle(mail(f"{who.title()} <{who}@{CAMDEN}>", "Construction webinar",
                         "Please register me for the construction webinar."), 1, n)

    def send() -> list[EmailMessage]:
        before = len(smtp_sink.messages)
        with SmtpSender(desk.settings.smtp) as sender:
            deliver(desk.engine, sender, desk.settings.smtp.from_address, desk.clock)
        return [m for m in smtp_sink.parsed()[before:] if m["X-Mailflow-Outcome"] == "reminder"]

    send()  # the replies to the registrations
    clock.at = event.starts - timedelta(days=2, minutes=1)
    assert send_reminders(desk) == 0  # not yet: reminder_days_before defaults to 2
    clock.at = event.starts - timedelta(days=2)
    assert send_reminders(desk) == 2
    reminders = send()
    assert sorted(m["To"].addresses[0].username for m in reminders) == ["alice", "bob"]
    body = reminders[0].get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "https://meet.example/kbs-construction" in text
    assert "Please join five minutes early; cameras optional." in text
    assert reminders[0]["Auto-Submitted"] == "auto-generated"
    assert reminders[0]["Subject"].startswith("Reminder: The Construction Industry")
    # The entry travels inline (text/calendar; method=REQUEST) and as an invite.ics file.
    calendar = [p for p in reminders[0].walk() if p.get_content_type() == "text/calendar"]
    assert calendar and b"METHOD:REQUEST" in calendar[0].get_payload(decode=True)
    assert calendar[0].get_param("method") == "REQUEST"

    clock.at += timedelta(hours=1)
    assert send_reminders(desk) == 0  # once per person per session, however often it runs
    # Bob hands over to a colleague late: only the newcomer is reminded.
    change_seat(desk, "remove", f"bob@{CAMDEN}", "construction", command="mailflow remove")
    change_seat(desk, "add", f"carol@{CAMDEN}", "construction", command="mailflow add")
    assert send_reminders(desk) == 1
    assert [m["To"].addresses[0].username for m in send()] == ["carol"]
    clock.at = event.starts
    assert send_reminders(desk) == 0  # the session has begun
    reminded = [m["To"].addresses[0].username for m in smtp_sink.parsed()
                if m["X-Mailflow-Outcome"] == "reminder"]
    assert sorted(reminded) == ["alice", "bob", "carol"]  # each exactly once
