"""Calendar invites: parsed back with icalendar; stable UID, CANCEL above REQUEST, VTIMEZONE."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlmodel import col, select

from mailflow.invites import Invites, invite_uid
from mailflow.model import EventInfo
from mailflow.seats import Notice
from mailflow.store import OutboxRow, unit_of_work

from support import Rig, mail, write_config

LONDON = ZoneInfo("Europe/London")
FROM = "registrations@lupc.example"
EVENT = EventInfo(
    id="construction-2027", title="Construction", format="webinar",
    starts=datetime(2027, 3, 30, 10, 0, tzinfo=LONDON),  # just after the clocks go forward
    ends=datetime(2027, 3, 30, 11, 30, tzinfo=LONDON), capacity=2,
    registration_closes=datetime(2027, 3, 23, tzinfo=LONDON),
    join_url="https://meet.example/construction", joining_instructions="Join 5 minutes early.")
NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)


def invites() -> Invites:
    return Invites(events={EVENT.id: EVENT}, from_address=FROM, organiser_name="Suzanne Picken",
                   timezone=LONDON)


def parse(data: bytes) -> tuple[Calendar, dict[str, object]]:
    cal = Calendar.from_ical(data)
    event = cal.walk("VEVENT")[0]
    return cal, {k: event.get(k) for k in ("UID", "SEQUENCE", "STATUS", "DTSTART", "ATTENDEE")}


def notice(outcome: str, email: str = "ngozi@camden.example", role: str = "") -> Notice:
    return Notice(outcome=outcome, event_id=EVENT.id, email=email, name="Ngozi Okafor",
                  role=role)


def test_confirmation_is_a_request_in_london_time_with_a_vtimezone() -> None:
    attachment = invites()(notice("confirmed"), NOW)
    assert attachment is not None
    assert attachment.content_type.startswith("text/calendar; method=REQUEST")
    cal, event = parse(attachment.data)
    assert str(cal["METHOD"]) == "REQUEST"
    zones = [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")]
    assert zones == ["Europe/London"]
    start = event["DTSTART"].dt  # type: ignore[attr-defined]
    assert start.tzinfo is not None and start.astimezone(LONDON).hour == 10
    assert start.utcoffset() == timedelta(hours=1)  # BST on 30 March 2027
    assert event["STATUS"] == "CONFIRMED"
    assert str(event["ATTENDEE"]) == "mailto:ngozi@camden.example"
    assert b"https://meet.example/construction" in attachment.data


def test_uid_is_stable_per_person_and_session() -> None:
    hook = invites()
    first = parse(hook(notice("confirmed"), NOW).data)[1]["UID"]  # type: ignore[union-attr]
    later = parse(hook(notice("confirmed"), NOW + timedelta(days=3)).data)[1]["UID"]  # type: ignore[union-attr]
    other = parse(hook(notice("confirmed", "tom@camden.example"), NOW).data)[1]["UID"]  # type: ignore[union-attr]
    assert first == later == invite_uid(EVENT.id, "ngozi@camden.example", FROM)
    assert first != other
    assert str(first).endswith("@lupc.example")


@pytest.mark.parametrize("gap", [timedelta(0), timedelta(seconds=1), timedelta(days=2)])
def test_cancel_keeps_the_uid_and_raises_the_sequence(gap: timedelta) -> None:
    hook = invites()
    request = hook(notice("confirmed"), NOW)
    cancel = hook(notice("cancelled"), NOW + gap)
    again = hook(notice("confirmed"), NOW + gap + timedelta(seconds=1))
    assert request is not None and cancel is not None and again is not None
    assert cancel.content_type.startswith("text/calendar; method=CANCEL")
    (_, r), (cal, c), (_, a) = parse(request.data), parse(cancel.data), parse(again.data)
    assert str(cal["METHOD"]) == "CANCEL" and c["STATUS"] == "CANCELLED"
    assert r["UID"] == c["UID"] == a["UID"]
    assert int(r["SEQUENCE"]) < int(c["SEQUENCE"]) < int(a["SEQUENCE"])  # type: ignore[call-overload]


def test_which_notices_carry_which_method() -> None:
    hook = invites()

    def method(n: Notice) -> str | None:
        found = hook(n, NOW)
        return None if found is None else str(Calendar.from_ical(found.data)["METHOD"])

    assert method(notice("substituted", role="received")) == "REQUEST"
    assert method(notice("substituted", role="gave")) == "CANCEL"
    assert method(notice("cancelled", role="removed")) == "CANCEL"
    assert method(notice("waitlisted")) is None
    assert method(notice("offered")) is None
    assert method(Notice(outcome="confirmed", event_id="no-such-event", email="x@y.example")) \
        is None


# ---- through the desk: the mail members actually get -----------------------------------------

@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                        password="p", smtp_port=1, db_url=f"sqlite:///{tmp_path}/m.db",
                        capacity=5)


def calendars(desk_engine: object, recipient: str) -> list[tuple[str, Calendar]]:
    with unit_of_work(desk_engine) as uow:  # type: ignore[arg-type]
        rows = [(r.outcome, r.raw) for r in uow.session.exec(
            select(OutboxRow).where(OutboxRow.recipient == recipient)
            .order_by(col(OutboxRow.id))).all()]
    found = []
    for outcome, raw in rows:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        for part in msg.iter_attachments():
            if part.get_content_type() == "text/calendar":
                data = part.get_payload(decode=True)
                assert isinstance(data, bytes)
                found.append((outcome, Calendar.from_ical(data)))
    return found


def test_reply_mail_carries_request_then_cancel(rig: Rig) -> None:
    now = [datetime.now(UTC)]
    clock: Callable[[], datetime] = lambda: now[0]  # noqa: E731
    desk = rig.desk(clock=clock)
    sender = "Ngozi Okafor <ngozi.okafor@camden-council.example>"
    asked = mail(sender, "Construction webinar", "Please register me for the construction one.")
    assert desk.handle(asked, 1, 1).outcome == "construction=confirmed"
    now[0] += timedelta(minutes=5)
    msg_id = email.message_from_bytes(asked)["Message-ID"]
    cancel = mail(sender, "Re: Construction webinar",
                  "Sorry, I can't make the construction webinar after all, please cancel.",
                  in_reply_to=msg_id)
    assert desk.handle(cancel, 1, 2).outcome == "construction=cancelled"
    found = calendars(desk.engine, "ngozi.okafor@camden-council.example")
    assert [(o, str(c["METHOD"])) for o, c in found] == [
        ("construction=confirmed", "REQUEST"), ("construction=cancelled", "CANCEL")]
    (_, request), (_, withdrawn) = found
    r, c = request.walk("VEVENT")[0], withdrawn.walk("VEVENT")[0]
    assert r["UID"] == c["UID"]
    assert c.decoded("SEQUENCE") > r.decoded("SEQUENCE")
