"""Per-sender reply limits through Desk.handle: ten a day, one notice, silence until tomorrow."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from mailflow.app import build_desk
from mailflow.handle import Desk
from mailflow.store import HandledMessage, OutboxRow, PlaceRow, unit_of_work

from support import mail, write_config

CHATTY = "ngozi.okafor@camden-council.example"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_desk(tmp_path: Path, clock: Clock, policy: str = "") -> Desk:
    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                       password="p", smtp_port=1, db_url=f"sqlite:///{tmp_path}/m.db",
                       extra=policy)
    return build_desk(rig.settings(), clock=clock)


def replies_to(desk: Desk, recipient: str) -> list[OutboxRow]:
    with unit_of_work(desk.engine) as uow:
        rows = list(uow.session.exec(select(OutboxRow).where(
            OutboxRow.recipient == recipient).order_by(OutboxRow.id)).all())  # type: ignore[arg-type]
        uow.session.expunge_all()  # readable after the session closes
        return rows


def row_for(desk: Desk, message_id: str) -> HandledMessage:
    with unit_of_work(desk.engine) as uow:
        row = uow.session.exec(select(HandledMessage).where(
            HandledMessage.message_id == message_id)).one()
        uow.session.expunge_all()
        return row


def question(n: int, sender: str = CHATTY) -> bytes:
    """A question the desk cannot answer itself: each gets an `unclear` reply."""
    return mail(sender, f"Question {n}", f"Hello, will the slides from session {n} be shared "
                f"afterwards?", message_id=f"<q{n}.{sender}>")


# 14:00 in London (BST) on a weekday, well before the sessions support.future_series makes.
SUMMER_AFTERNOON = datetime(2026, 7, 1, 13, 0, tzinfo=UTC)


def test_ten_replies_then_one_notice_then_silence(tmp_path: Path) -> None:
    clock = Clock(SUMMER_AFTERNOON)
    desk = make_desk(tmp_path, clock)
    results = []
    for n in range(1, 14):
        clock.now += timedelta(minutes=1)
        results.append(desk.handle(question(n)))

    sent = replies_to(desk, CHATTY)
    assert [r.outcome for r in sent] == ["unclear"] * 10 + ["rate-limited"]
    notice = email.message_from_bytes(sent[-1].raw, policy=email.policy.default)
    assert notice["X-Mailflow-Outcome"] == "rate-limited"
    assert notice["Auto-Submitted"] == "auto-replied"
    assert notice["In-Reply-To"] == "<q11.ngozi.okafor@camden-council.example>"
    body = notice.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "several messages from you today" in text and "Suzanne Picken" in text
    # Every message is recorded, and the ones nobody answered wait for the coordinator.
    assert [r.disposition for r in results] == ["attention"] * 13
    for n in (11, 12, 13):
        row = row_for(desk, f"<q{n}.{CHATTY}>")
        assert row.needs_attention and "reply withheld" in row.reason


def test_requests_over_the_limit_still_change_seats(tmp_path: Path) -> None:
    clock = Clock(SUMMER_AFTERNOON)
    desk = make_desk(tmp_path, clock, policy="max_auto_replies_per_day = 2")
    for n in range(1, 4):
        desk.handle(question(n))
    booking = mail(CHATTY, "Food", "Please register me for the food webinar.",
                   message_id="<book@camden-council.example>")

    result = desk.handle(booking)

    assert result.outcome == "food=confirmed"
    assert result.disposition == "attention" and result.folder == "attention"
    with unit_of_work(desk.engine) as uow:
        [place] = uow.session.exec(select(PlaceRow).where(PlaceRow.email == CHATTY)).all()
        assert (place.event_id, place.status) == ("food", "confirmed")
    assert [r.outcome for r in replies_to(desk, CHATTY)] == ["unclear", "unclear",
                                                             "rate-limited"]


def test_the_limit_is_per_sender(tmp_path: Path) -> None:
    clock = Clock(SUMMER_AFTERNOON)
    desk = make_desk(tmp_path, clock, policy="max_auto_replies_per_day = 2")
    for n in range(1, 6):
        desk.handle(question(n))
    other = "tom.reilly@westbury.ac.example"

    result = desk.handle(question(1, sender=other))

    assert result.disposition == "attention"  # unclear, like every question
    assert [r.outcome for r in replies_to(desk, other)] == ["unclear"]


def test_the_day_is_the_coordinators_local_day(tmp_path: Path) -> None:
    # 23:20 UTC on 1 July is 00:20 on 2 July in London: a new day there, not yet in UTC.
    clock = Clock(datetime(2026, 7, 1, 22, 0, tzinfo=UTC))  # 23:00 in London
    desk = make_desk(tmp_path, clock, policy="max_auto_replies_per_day = 2")
    for n in range(1, 5):
        clock.now += timedelta(minutes=5)
        desk.handle(question(n))
    assert len(replies_to(desk, CHATTY)) == 3  # two answers and the notice

    clock.now = datetime(2026, 7, 1, 23, 20, tzinfo=UTC)
    result = desk.handle(question(5))

    assert [r.outcome for r in replies_to(desk, CHATTY)][-1] == "unclear"
    assert len(replies_to(desk, CHATTY)) == 4
    assert "reply withheld" not in result.reason


def test_silence_after_the_notice_lasts_the_whole_day(tmp_path: Path) -> None:
    clock = Clock(datetime(2026, 7, 1, 7, 0, tzinfo=UTC))  # 08:00 in London
    desk = make_desk(tmp_path, clock, policy="max_auto_replies_per_day = 1")
    desk.handle(question(1))
    desk.handle(question(2))
    for n in range(3, 8):
        clock.now += timedelta(hours=2)  # until 18:00 London time
        desk.handle(question(n))
    assert [r.outcome for r in replies_to(desk, CHATTY)] == ["unclear", "rate-limited"]


@pytest.mark.parametrize(
    ("sender", "body", "outcome"),
    [
        (CHATTY, "Hello, will the slides be shared afterwards?", "unclear"),
        ("someone@not-a-member.example", "Please register me for the food webinar.",
         "not-eligible"),
    ],
)
def test_one_unclear_or_not_eligible_reply_per_subject_per_day(
    tmp_path: Path, sender: str, body: str, outcome: str
) -> None:
    clock = Clock(SUMMER_AFTERNOON)
    desk = make_desk(tmp_path, clock)
    for n in range(3):
        clock.now += timedelta(minutes=10)
        desk.handle(mail(sender, "Webinars", body, message_id=f"<same{n}@x.example>"))
    desk.handle(mail(sender, "Another subject", body, message_id="<other@x.example>"))

    sent = replies_to(desk, sender)
    assert [(r.outcome, r.subject) for r in sent] == [
        (outcome, "Re: Webinars"), (outcome, "Re: Another subject")]
    # The repeats were recorded, not dropped.
    for n in range(3):
        assert row_for(desk, f"<same{n}@x.example>").outcome == outcome

    clock.now += timedelta(days=1)
    desk.handle(mail(sender, "Webinars", body, message_id="<tomorrow@x.example>"))
    assert len(replies_to(desk, sender)) == 3
