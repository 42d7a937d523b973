"""Calendar invites: iMIP REQUEST/CANCEL read back by vobject; stored SEQUENCE rising by one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailflow.invites import Invites, changes, from_snapshot, invite_uid, snapshot
from mailflow.model import EventInfo
from mailflow.seats import Notice
from mailflow.store import InviteRow, unit_of_work

from calendar_checks import entries, read_entry
from support import FROM, Rig, mail, write_config

LONDON = ZoneInfo("Europe/London")
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


def notice(outcome: str, email: str = "ngozi@camden.example", role: str = "",
           sequence: int | None = 0) -> Notice:
    return Notice(outcome=outcome, event_id=EVENT.id, email=email, name="Ngozi Okafor",
                  role=role, sequence=sequence)


def test_request_asks_the_member_to_answer_in_london_time() -> None:
    attachment = invites()(notice("confirmed", sequence=3), NOW)
    assert attachment is not None
    assert attachment.content_type.startswith("text/calendar; method=REQUEST")
    entry = read_entry(attachment.data, FROM)
    assert (entry.method, entry.sequence, entry.status) == ("REQUEST", 3, "CONFIRMED")
    assert entry.attendee == "ngozi@camden.example"
    assert (entry.rsvp, entry.partstat) == ("TRUE", "NEEDS-ACTION")
    assert entry.uid == invite_uid(EVENT.id, "ngozi@camden.example", FROM)
    assert entry.dtstamp == NOW
    assert entry.dtstart.astimezone(LONDON).hour == 10
    assert entry.dtstart.utcoffset() == timedelta(hours=1)  # BST on 30 March 2027
    assert b"TZID:Europe/London" in attachment.data
    assert b"https://meet.example/construction" in attachment.data


def test_cancel_withdraws_the_same_uid() -> None:
    attachment = invites()(notice("cancelled", sequence=4), NOW)
    assert attachment is not None
    entry = read_entry(attachment.data, FROM)
    assert (entry.method, entry.status, entry.sequence) == ("CANCEL", "CANCELLED", 4)
    assert entry.uid == invite_uid(EVENT.id, "ngozi@camden.example", FROM)


def test_which_notices_carry_which_method() -> None:
    hook = invites()

    def method(n: Notice) -> str | None:
        found = hook(n, NOW)
        return None if found is None else read_entry(found.data, FROM).method

    assert method(notice("substituted", role="received")) == "REQUEST"
    assert method(notice("substituted", role="gave")) == "CANCEL"
    assert method(notice("cancelled", role="removed")) == "CANCEL"
    assert method(notice("updated")) == "REQUEST"
    assert method(notice("session-cancelled")) == "CANCEL"
    assert method(notice("offered")) == "REQUEST"  # a hold, TENTATIVE
    assert method(notice("offer-expired")) == "CANCEL"
    assert method(notice("offer-declined")) == "CANCEL"
    assert method(notice("waitlisted")) is None
    # No SEQUENCE stamped from the store: no entry (one never issued cannot be withdrawn).
    assert method(notice("cancelled", sequence=None)) is None
    assert method(Notice(outcome="confirmed", event_id="no-such-event", email="x@y.example",
                         sequence=0)) is None


def test_an_offer_holds_the_time_as_tentative() -> None:
    hold = invites()(notice("offered", sequence=0), NOW)
    assert hold is not None
    entry = read_entry(hold.data, FROM)
    assert (entry.method, entry.status, entry.rsvp) == ("REQUEST", "TENTATIVE", "TRUE")


def test_a_snapshot_names_what_a_calendar_shows_that_changed() -> None:
    moved = EventInfo(**{**EVENT.__dict__, "starts": EVENT.starts + timedelta(hours=2),
                         "ends": EVENT.ends + timedelta(hours=2), "capacity": 30})
    assert from_snapshot(snapshot(EVENT)) == EVENT
    assert changes(EVENT, moved) == ("starts", "ends")  # capacity is not on the calendar
    assert changes(EVENT, EVENT) == ()
    assert from_snapshot("not json") is None


# ---- through the desk: the mail members actually get -----------------------------------------

@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                        password="p", smtp_port=1, db_url=f"sqlite:///{tmp_path}/m.db",
                        capacity=5)


def test_sequence_is_stored_and_raised_by_one_on_each_change(rig: Rig) -> None:
    now = [datetime.now(UTC)]
    desk = rig.desk(clock=lambda: now[0])
    sender = "Ngozi Okafor <ngozi.okafor@camden-council.example>"
    member = "ngozi.okafor@camden-council.example"
    asked = mail(sender, "Construction webinar", "Please register me for the construction one.")
    assert desk.handle(asked, 1, 1).outcome == "construction=confirmed"
    now[0] += timedelta(minutes=5)
    cancel = mail(sender, "Re: Construction webinar",
                  "Sorry, I can't make the construction webinar after all, please cancel.")
    assert desk.handle(cancel, 1, 2).outcome == "construction=cancelled"
    now[0] += timedelta(minutes=5)
    again = mail(sender, "Construction again", "Actually, please register me for construction.")
    assert desk.handle(again, 1, 3).outcome == "construction=confirmed"
    found = entries(desk.engine, member, FROM)
    assert [(o, e.method, e.sequence) for o, e in found] == [
        ("construction=confirmed", "REQUEST", 0), ("construction=cancelled", "CANCEL", 1),
        ("construction=confirmed", "REQUEST", 2)]
    assert len({e.uid for _, e in found}) == 1
    assert found[0][1].dtstamp < found[1][1].dtstamp < found[2][1].dtstamp
    with unit_of_work(desk.engine) as uow:
        row = uow.session.get(InviteRow, found[0][1].uid)
        assert row is not None and (row.sequence, row.method) == (2, "REQUEST")


def test_a_reply_about_two_sessions_names_each_invite_for_its_session() -> None:
    import dataclasses
    import email
    import email.policy

    from mailflow.decide import Decision
    from mailflow.parse import parse_message
    from mailflow.reply import Composer, Letterhead, Templates, default_templates_dir

    food = dataclasses.replace(EVENT, id="food-2027", title="Food",
                               starts=EVENT.starts + timedelta(days=30),
                               ends=EVENT.ends + timedelta(days=30))
    events = {EVENT.id: EVENT, food.id: food}
    tokens = (f"t{n}" for n in range(10))
    composer = Composer(
        Templates(default_templates_dir(), LONDON),
        Letterhead(from_address=FROM, coordinator_name="Suzanne Picken",
                   coordinator_email="suzanne@lupc.example", timezone=LONDON, hold_hours=48,
                   events=events),
        new_token=lambda: next(tokens),
        ics=Invites(events=events, from_address=FROM, organiser_name="Suzanne Picken",
                    timezone=LONDON))
    member = "ngozi@camden.example"
    decision = Decision(reply=tuple(Notice("confirmed", e, member, "Ngozi Okafor", sequence=0)
                                    for e in events))
    out = composer.reply(parse_message(mail(f"Ngozi Okafor <{member}>", "Both", "Both please")),
                         decision, NOW)
    assert out is not None
    msg = email.message_from_bytes(out.raw, policy=email.policy.default)
    files = {p.get_filename(): p.get_payload(decode=True) for p in msg.walk()
             if p.get_content_disposition() == "attachment"}
    assert sorted(files) == ["invite-construction-2027.ics", "invite-food-2027.ics"]
    for event_id, name in ((EVENT.id, "invite-construction-2027.ics"),
                           (food.id, "invite-food-2027.ics")):
        assert read_entry(files[name], FROM).uid == invite_uid(event_id, member, FROM)


people = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=90)
ascii_lines = st.text(st.sampled_from("ab ,;:\\^\"=-"), max_size=400)


@settings(max_examples=80, deadline=None)
@given(name=people, local=st.from_regex(r"[a-z0-9.+_'-]{1,60}", fullmatch=True),
       title=people, instructions=people, method=st.sampled_from(["REQUEST", "CANCEL"]),
       sequence=st.integers(0, 10**6), status=st.sampled_from([None, "TENTATIVE"]),
       minutes=st.integers(0, 10**6))
def test_an_invite_is_the_calendar_icalendar_writes_for_that_person(
        name: str, local: str, title: str, instructions: str, method: str, sequence: int,
        status: str | None, minutes: int) -> None:
    import dataclasses

    from mailflow.invites import _attendee, _calendar

    event = dataclasses.replace(EVENT, title=title or "x", joining_instructions=instructions)
    email = f"{local}@camden.example"
    now = NOW + timedelta(minutes=minutes)
    made = invites().calendar(event, email, name, method, now, sequence, status)
    whole = _calendar(event, method, FROM, "Suzanne Picken", LONDON, "", status,
                      invite_uid(event.id, email, FROM), sequence, now,
                      _attendee(email, name, method))
    assert made == whole.to_ical()


@settings(max_examples=300, deadline=None)
@given(line=ascii_lines)
def test_a_content_line_is_folded_as_icalendar_folds_it(line: str) -> None:
    from icalendar.parser import Contentline

    from mailflow.invites import _folded

    assert _folded(line) == bytes(Contentline(line).to_ical()) + b"\r\n"
