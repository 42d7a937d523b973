"""Calendar answers through Desk.handle: Decline cancels, Accept/Tentative are recorded silently,
anything that does not match an entry we issued goes to the coordinator."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlmodel import select

from mailflow.digest import render_digest
from mailflow.handle import Desk
from mailflow.seats import Status
from mailflow.store import InviteRow, unit_of_work
from mailflow.views import roster_data, status_data

import calendar_clients as clients
from calendar_checks import entries, outbox
from support import FROM, Rig, mail, write_config

NGOZI = "ngozi.okafor@camden-council.example"
TOM = "tom.reyes@westbury.ac.example"
TRUSTED = "mx.lupc.example"
CONSTRUCTION = "The Construction Industry (including materials)"


@dataclass
class Booked:
    """Ngozi holds the one place on construction, Tom waits for it; Ngozi's entry's UID."""

    rig: Rig
    desk: Desk
    uid: str
    clock: list[datetime]

    def status(self, email: str) -> Status | None:
        with unit_of_work(self.desk.engine) as uow:
            place = uow.lock_rosters(self.desk.settings.events, lock=False)[
                "construction"].place(email)
        return None if place is None else place.status

    def mails(self, recipient: str) -> list[EmailMessage]:
        return [s.msg for s in outbox(self.desk.engine, recipient)]

    def later(self, minutes: int = 5) -> None:
        self.clock[0] += timedelta(minutes=minutes)


def book(tmp_path: Path, capacity: int = 1) -> Booked:
    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                       password="p", smtp_port=1, db_url=f"sqlite:///{tmp_path}/m.db",
                       capacity=capacity, extra_mailbox=f'trusted_authserv_id = "{TRUSTED}"')
    clock = [datetime.now(UTC)]
    desk = rig.desk(clock=lambda: clock[0])
    assert desk.handle(mail(f"Ngozi Okafor <{NGOZI}>", "Construction",
                            "Please register me for the construction webinar.")
                       ).outcome == "construction=confirmed"
    assert desk.handle(mail(f"Tom Reyes <{TOM}>", "Construction",
                            "Please register me for the construction webinar.")
                       ).outcome == ("construction=waitlisted" if capacity == 1
                                     else "construction=confirmed")
    [(_, entry)] = entries(desk.engine, NGOZI, FROM)
    return Booked(rig, desk, entry.uid, clock)


@pytest.fixture
def booked(tmp_path: Path) -> Booked:
    return book(tmp_path)


Client = Callable[..., bytes]
DECLINES: dict[str, Callable[[str], bytes]] = {
    "outlook-base64": lambda uid: clients.outlook(uid, NGOZI, "DECLINED", title=CONSTRUCTION),
    "outlook-7bit": lambda uid: clients.outlook(uid, NGOZI, "DECLINED", encoding="7bit",
                                                title=CONSTRUCTION),
    "google": lambda uid: clients.google(uid, NGOZI, "DECLINED", title=CONSTRUCTION,
                                         comment="Clashes with a board meeting, sorry",
                                         name="Ngozi Okafor"),
    "icloud": lambda uid: clients.icloud(uid, NGOZI, "DECLINED", title=CONSTRUCTION),
    "thunderbird": lambda uid: clients.thunderbird(uid, NGOZI, "DECLINED",
                                                   title=CONSTRUCTION, charset="ISO-8859-1"),
}


@pytest.mark.parametrize("client", sorted(DECLINES))
def test_decline_in_any_calendar_cancels_the_place_and_offers_it_on(
        booked: Booked, client: str) -> None:
    response = DECLINES[client](booked.uid)
    booked.later()
    result = booked.desk.handle(response, 1, 10)
    assert (result.disposition, result.outcome) == ("handled", "construction=cancelled")
    assert booked.status(NGOZI) == Status.CANCELLED
    assert booked.status(TOM) == Status.OFFERED
    # The cancelled reply, in the response's own thread, withdrawing the entry.
    asked = email.message_from_bytes(response, policy=email.policy.default)
    reply = booked.mails(NGOZI)[-1]
    assert reply["In-Reply-To"] == asked["Message-ID"]
    assert reply["Subject"] == f"Re: {asked['Subject']}"
    assert reply["X-Mailflow-Outcome"] == "construction=cancelled"
    assert reply["Auto-Submitted"] == "auto-replied"
    found = entries(booked.desk.engine, NGOZI, FROM)
    assert [(e.method, e.sequence, e.uid) for _, e in found] == [
        ("REQUEST", 0, booked.uid), ("CANCEL", 1, booked.uid)]
    assert booked.mails(TOM)[-1]["X-Mailflow-Outcome"] == "construction=offered"
    with unit_of_work(booked.desk.engine) as uow:
        actions = [e.action for e in uow.history(NGOZI)]
    assert actions[-2:] == ["declined-in-calendar", "cancelled"]


def test_a_decline_comment_is_kept_in_history_and_the_digest(booked: Booked) -> None:
    booked.desk.handle(DECLINES["google"](booked.uid))
    with unit_of_work(booked.desk.engine) as uow:
        declined = [e.detail for e in uow.history(NGOZI) if e.action == "declined-in-calendar"]
    assert declined and "Clashes with a board meeting, sorry" in declined[0]
    digest = render_digest(booked.desk).text
    assert "declined in their calendar" in digest
    assert "Clashes with a board meeting, sorry" in digest


@pytest.mark.parametrize(("partstat", "shape"), [
    ("ACCEPTED", clients.outlook), ("ACCEPTED", clients.google),
    ("TENTATIVE", clients.icloud), ("ACCEPTED", clients.thunderbird)])
def test_accept_and_tentative_are_recorded_and_never_answered(
        booked: Booked, partstat: str, shape: Client) -> None:
    before = len(outbox(booked.desk.engine))
    result = booked.desk.handle(shape(booked.uid, NGOZI, partstat))
    assert result.disposition == "ignored" and result.folder == "processed"
    assert result.outcome == f"{partstat.lower()}-in-calendar"
    assert len(outbox(booked.desk.engine)) == before  # no reply, no mail to anyone
    assert booked.status(NGOZI) == Status.CONFIRMED
    with unit_of_work(booked.desk.engine) as uow:
        assert uow.history(NGOZI)[-1].action == f"{partstat.lower()}-in-calendar"
        roster = roster_data(uow, booked.desk.settings, "construction")
        assert not uow.attention()
    assert roster is not None
    assert roster["confirmed"][0]["calendar"] == partstat.lower()


def _attention_cases(uid: str) -> dict[str, tuple[bytes, str]]:
    other = "sam.lee@camden-council.example"
    fail = (f"Authentication-Results: {TRUSTED}; dmarc=fail (p=reject) "
            "header.from=camden-council.example\r\n")
    return {
        "unknown uid": (clients.outlook("0000-never-issued@elsewhere.example", NGOZI,
                                        "DECLINED"), "never issued"),
        "attendee is someone else": (clients.outlook(uid, NGOZI, "DECLINED", attendee=other),
                                     f"attendee is not {NGOZI}"),
        "sent by someone else": (clients.outlook(uid, other, "DECLINED", attendee=NGOZI),
                                 f"sent from {other}"),
        "counter proposal": (clients.outlook(uid, NGOZI, "COUNTER", encoding="7bit"),
                             "proposes a new time (20270331T140000)"),
        "dmarc fail": (clients.outlook(uid, NGOZI, "DECLINED", auth=fail),
                       "sender authentication failed"),
        "unreadable": (_unreadable(), "could not be read"),
    }


def _unreadable() -> bytes:
    return (b"From: Ngozi Okafor <" + NGOZI.encode() + b">\r\nTo: " + FROM.encode()
            + b"\r\nSubject: Declined: Construction\r\nMessage-ID: <bad-cal@camden>\r\n"
            b"MIME-Version: 1.0\r\nContent-Type: text/calendar; method=REPLY\r\n"
            b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64 at all!!!\r\n")


@pytest.mark.parametrize("case", ["unknown uid", "attendee is someone else",
                                  "sent by someone else", "counter proposal", "dmarc fail",
                                  "unreadable"])
def test_what_does_not_match_goes_to_the_coordinator_and_changes_nothing(
        booked: Booked, case: str) -> None:
    raw, why = _attention_cases(booked.uid)[case]
    before = len(outbox(booked.desk.engine))
    result = booked.desk.handle(raw)
    assert (result.disposition, result.folder) == ("attention", "attention")
    assert why in result.reason
    assert booked.status(NGOZI) == Status.CONFIRMED and booked.status(TOM) == Status.WAITLISTED
    assert len(outbox(booked.desk.engine)) == before  # the calendar client gets no letter
    with unit_of_work(booked.desk.engine) as uow:
        [item] = uow.attention()
        assert why in item.reason


def test_a_decline_for_a_place_already_given_up_is_flagged_not_applied(booked: Booked) -> None:
    booked.desk.handle(mail(f"Ngozi Okafor <{NGOZI}>", "Construction",
                            "Please cancel my place on the construction webinar."))
    assert booked.status(NGOZI) == Status.CANCELLED
    result = booked.desk.handle(clients.outlook(booked.uid, NGOZI, "ACCEPTED"))
    assert result.disposition == "attention" and "holds no place" in result.reason


def test_the_same_decline_twice_changes_nothing_the_second_time(booked: Booked) -> None:
    response = DECLINES["outlook-base64"](booked.uid)
    assert booked.desk.handle(response, 1, 10).outcome == "construction=cancelled"
    before = len(outbox(booked.desk.engine))
    assert booked.desk.handle(response, 1, 10).disposition == "duplicate"
    # Outlook sending the answer again (new Message-ID) is recognised as well.
    again = booked.desk.handle(DECLINES["outlook-base64"](booked.uid), 1, 11)
    assert (again.disposition, again.outcome) == ("ignored", "already-declined")
    assert len(outbox(booked.desk.engine)) == before
    assert booked.status(TOM) == Status.OFFERED


def test_a_changed_session_reaches_every_calendar_once(tmp_path: Path) -> None:
    booked = book(tmp_path)
    text = booked.rig.path.read_text()
    moved = text.replace("T10:00:00", "T14:00:00", 1).replace("T11:30:00", "T15:30:00", 1)
    moved = moved.replace('keywords = ["construction"',
                          'join_url = "https://meet.example/new-room"\n'
                          'keywords = ["construction"', 1)
    booked.rig.path.write_text(moved)
    desk = booked.rig.desk(clock=lambda: booked.clock[0])
    desk.sweep()
    desk.sweep()  # once: the second pass finds nothing new
    [(_, first), (outcome, update)] = entries(desk.engine, NGOZI, FROM)
    assert outcome == "construction=updated"
    assert (update.method, update.uid, update.sequence) == ("REQUEST", first.uid, 1)
    assert update.dtstart.hour == 14
    note = booked.mails(NGOZI)[-1]
    assert note["Subject"].startswith("Changed: The Construction Industry")
    text_part = note.get_body(preferencelist=("plain",))
    assert text_part is not None
    body = text_part.get_content()
    assert "start time, end time and joining link" in body
    assert "https://meet.example/new-room" in body
    assert entries(desk.engine, TOM, FROM) == []  # waiting, so no entry to update
    with unit_of_work(desk.engine) as uow:
        assert status_data(uow, desk.settings, booked.clock[0])["calendar_updates"] == {
            "pending": 1}
        assert uow.history(NGOZI)[-1].action == "calendar-updated"


def test_a_session_dropped_from_the_config_withdraws_every_entry(tmp_path: Path) -> None:
    booked = book(tmp_path, capacity=2)
    booked.desk.handle(mail(f"Tom Reyes <{TOM}>", "Food", "Please register me for food."))
    text = booked.rig.path.read_text()
    start = text.index("[[events]]")
    second = text.index("[[events]]", start + 1)
    booked.rig.path.write_text(text[:start] + text[second:])  # construction is gone
    desk = booked.rig.desk(clock=lambda: booked.clock[0])
    desk.sweep()
    desk.sweep()
    for person in (NGOZI, TOM):
        found = [(o, e.method, e.sequence) for o, e in entries(desk.engine, person, FROM)
                 if e.summary == CONSTRUCTION]
        assert found == [("construction=confirmed", "REQUEST", 0),
                         ("construction=session-cancelled", "CANCEL", 1)], person
    with unit_of_work(desk.engine) as uow:
        rows = uow.session.exec(select(InviteRow)).all()
        assert {(r.event_id, r.method) for r in rows} == {
            ("construction", "CANCEL"), ("food", "REQUEST")}


def test_an_invite_sent_before_entries_were_stored_is_still_recognised(booked: Booked) -> None:
    # Older versions numbered SEQUENCE from the clock and kept no record: the UID (a hash
    # of session and person) still matches, and the CANCEL is numbered above the old one.
    with unit_of_work(booked.desk.engine) as uow:
        uow.session.delete(uow.session.get(InviteRow, booked.uid))
        uow.commit()
    result = booked.desk.handle(DECLINES["outlook-7bit"](booked.uid))
    assert result.outcome == "construction=cancelled"
    [*_, (_, cancel)] = entries(booked.desk.engine, NGOZI, FROM)
    assert cancel.method == "CANCEL" and cancel.uid == booked.uid
    clock_numbered = 2 * int((booked.clock[0] - datetime(2024, 1, 1, tzinfo=UTC))
                             .total_seconds())
    assert clock_numbered < cancel.sequence < 2**31


def test_a_withheld_reply_leaves_the_entry_live(tmp_path: Path) -> None:
    booked = book(tmp_path)
    limit = booked.desk.settings.policy.max_auto_replies_per_day
    for n in range(limit + 1):  # use up Ngozi's replies for the day
        booked.desk.handle(mail(f"Ngozi Okafor <{NGOZI}>", f"Question {n}",
                                "Please register me for the construction webinar."))
    result = booked.desk.handle(DECLINES["outlook-base64"](booked.uid))
    assert result.outcome == "construction=cancelled" and "withheld" in result.reason
    with unit_of_work(booked.desk.engine) as uow:
        row = uow.session.get(InviteRow, booked.uid)
        assert row is not None and (row.method, row.sequence) == ("REQUEST", 0)


def test_a_session_that_is_over_leaves_the_config_quietly(tmp_path: Path) -> None:
    booked = book(tmp_path)
    text = booked.rig.path.read_text()
    start = text.index("[[events]]")
    booked.rig.path.write_text(text[:start] + text[text.index("[[events]]", start + 1):])
    booked.clock[0] += timedelta(days=75)  # construction took place a fortnight ago
    desk = booked.rig.desk(clock=lambda: booked.clock[0])
    desk.sweep()
    assert [o for o, _ in entries(desk.engine, NGOZI, FROM)] == ["construction=confirmed"]


@pytest.mark.parametrize(("partstat", "outcome", "method", "status"), [
    ("ACCEPTED", "construction=confirmed", "REQUEST", Status.CONFIRMED),
    ("DECLINED", "construction=offer-declined", "CANCEL", Status.DECLINED),
    ("TENTATIVE", "tentative-in-calendar", "", Status.OFFERED)])
def test_an_answer_to_the_offer_hold_is_an_answer_to_the_offer(
        booked: Booked, partstat: str, outcome: str, method: str, status: Status) -> None:
    booked.desk.handle(DECLINES["outlook-7bit"](booked.uid))
    [(offered, hold)] = entries(booked.desk.engine, TOM, FROM)
    assert (offered, hold.method, hold.status) == ("construction=offered", "REQUEST",
                                                   "TENTATIVE")
    result = booked.desk.handle(clients.thunderbird(hold.uid, TOM, partstat, name="Tom Reyes"))
    assert result.outcome == outcome
    assert booked.status(TOM) == status
    after = [(e.method, e.sequence, e.uid) for _, e in entries(booked.desk.engine, TOM, FROM)]
    assert after == [("REQUEST", 0, hold.uid)] + ([(method, 1, hold.uid)] if method else [])
