"""The waitlist offer cycle end to end: real Dovecot and aiosmtpd, the store, an injected clock."""

from __future__ import annotations

import email
import email.policy
import email.utils
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from mailflow.handle import Desk
from mailflow.store import HandledMessage, PlaceRow, unit_of_work

from support import Rig, mail, rig_for

pytestmark = pytest.mark.integration

EVENT = "construction"
TITLE = "The Construction Industry (including materials)"
_serial = itertools.count(1)


def who(name: str, domain: str = "camden-council.example") -> str:
    return f"{name}@{domain}"


@dataclass
class Clock:
    """The desk's clock, moved on by the test instead of sleeping."""

    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@dataclass
class Cycle:
    """A config on the test servers, a desk with a fake clock, and what SMTP received."""

    rig: Rig
    desk: Desk
    clock: Clock
    imap_user: Any
    smtp_sink: Any

    def send(self, sender: str, subject: str, body: str, in_reply_to: str = "") -> str:
        local = email.utils.parseaddr(sender)[1].split("@")[0]
        message_id = f"<{local}.{next(_serial)}.{self.clock.now.timestamp()}@member.example>"
        self.imap_user.append("INBOX", mail(sender, subject, body, message_id=message_id,
                                            in_reply_to=in_reply_to))
        return message_id

    def poll(self) -> list[EmailMessage]:
        """One `mailflow poll`; returns the messages it sent."""
        before = len(self.smtp_sink.messages)
        self.rig.poll(self.desk)
        out = []
        for captured in self.smtp_sink.messages[before:]:
            msg = email.message_from_bytes(captured.data, policy=email.policy.default)
            # The envelope and the To header must agree: the member is who gets it.
            assert captured.rcpt_tos == [email.utils.parseaddr(str(msg["To"]))[1]]
            out.append(msg)  # type: ignore[arg-type]
        return out

    def places(self) -> dict[str, str]:
        with unit_of_work(self.desk.engine) as uow:
            rows = uow.session.exec(select(PlaceRow).where(PlaceRow.event_id == EVENT)).all()
            return {r.email.split("@")[0]: r.status for r in rows}

    def register(self, *names: str) -> list[EmailMessage]:
        for name in names:
            self.send(f"{name.title()} Example <{who(name)}>", "Construction webinar",
                      "Hello,\n\nPlease register me for the construction webinar.\n\nThanks")
        return self.poll()


@pytest.fixture
def cycle(tmp_path: Path, imap_user: Any, smtp_sink: Any) -> Cycle:
    return make_cycle(tmp_path, imap_user, smtp_sink)


def make_cycle(tmp_path: Path, imap_user: Any, smtp_sink: Any, db_url: str = "",
               hold_hours: float = 2, capacity: int = 2,
               clock: Clock | None = None) -> Cycle:
    rig = rig_for(tmp_path, imap_user, smtp_sink.port, db_url, capacity=capacity)
    rig.path.write_text(rig.path.read_text().replace(
        "offer_hold_hours = 48", f"offer_hold_hours = {hold_hours}"))
    clock = clock or Clock()
    return Cycle(rig, rig.desk(clock), clock, imap_user, smtp_sink)


def outcome(msg: EmailMessage) -> str:
    return str(msg["X-Mailflow-Outcome"])


def to(msg: EmailMessage) -> str:
    return email.utils.parseaddr(str(msg["To"]))[1].split("@")[0]


def text(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    return " ".join(str(part.get_content() if part else "").split())


def only(messages: list[EmailMessage], name: str) -> EmailMessage:
    [msg] = [m for m in messages if to(m) == name]
    return msg


def fill_and_cancel(cycle: Cycle) -> EmailMessage:
    """ann and bob take both places, cat and dan wait; ann cancels. Returns cat's offer."""
    replies = cycle.register("ann", "bob", "cat", "dan")
    assert [(to(m), outcome(m)) for m in replies] == [
        ("ann", f"{EVENT}=confirmed"), ("bob", f"{EVENT}=confirmed"),
        ("cat", f"{EVENT}=waitlisted"), ("dan", f"{EVENT}=waitlisted")]
    # Waiting-list replies tell people where they stand.
    assert "on the waiting list, number 1" in text(replies[2])
    assert "on the waiting list, number 2" in text(replies[3])
    cancel_id = cycle.send(f"Ann Example <{who('ann')}>", "Cancellation",
                           "I can no longer attend the construction webinar, please cancel "
                           "my place.\n\nAnn")
    out = cycle.poll()
    assert sorted((to(m), outcome(m)) for m in out) == [
        ("ann", f"{EVENT}=cancelled"), ("cat", f"{EVENT}=offered")]
    cancelled = only(out, "ann")
    assert cancelled["In-Reply-To"] == cancel_id
    assert cancelled["Auto-Submitted"] == "auto-replied"
    assert cycle.places() == {"ann": "cancelled", "bob": "confirmed", "cat": "offered",
                              "dan": "waitlisted"}
    return only(out, "cat")


# ---- the cycle -------------------------------------------------------------------------

@pytest.mark.parametrize("db", ["sqlite", "postgresql"])
def test_accepting_the_offer_by_replying_confirms(
        db: str, tmp_path: Path, imap_user: Any, smtp_sink: Any,
        request: pytest.FixtureRequest) -> None:
    db_url = request.getfixturevalue("pg_url") if db == "postgresql" else ""
    cycle = make_cycle(tmp_path, imap_user, smtp_sink, db_url)
    offer = fill_and_cancel(cycle)
    assert offer["Auto-Submitted"] == "auto-generated"
    assert offer["In-Reply-To"] is None  # a new message, not an answer
    assert offer["Subject"].startswith(f"A place has come up: {TITLE}")
    hold_ends = (cycle.clock.now + timedelta(hours=2)).astimezone(
        cycle.desk.settings.coordinator.timezone)
    assert f"holding it for you until {hold_ends:%H:%M} on {hold_ends:%A %-d %B %Y} " \
           "(2 hours)" in text(offer)
    assert "reply “yes” to take it, or “no” to pass it on" in text(offer)

    cycle.clock.advance(timedelta(minutes=30))
    yes_id = cycle.send(f"Cat Example <{who('cat')}>", f"Re: {offer['Subject']}",
                        "Yes please, I'll take the place.\n\nCat", in_reply_to=offer["Message-ID"])
    [reply] = cycle.poll()
    assert (to(reply), outcome(reply)) == ("cat", f"{EVENT}=confirmed")
    assert reply["In-Reply-To"] == yes_id
    assert reply["Auto-Submitted"] == "auto-replied"
    assert "You have a place" in text(reply)
    assert cycle.places()["cat"] == "confirmed"
    assert cycle.places()["dan"] == "waitlisted"
    # Nothing new: a second poll sends nothing and changes nothing.
    assert cycle.poll() == []


def test_declining_passes_the_offer_to_the_next_person(cycle: Cycle) -> None:
    offer = fill_and_cancel(cycle)
    no_id = cycle.send(f"Cat Example <{who('cat')}>", f"Re: {offer['Subject']}",
                       "No thanks, please offer it to someone else.\n\nCat",
                       in_reply_to=offer["Message-ID"])
    out = cycle.poll()
    assert sorted((to(m), outcome(m)) for m in out) == [
        ("cat", f"{EVENT}=offer-declined"), ("dan", f"{EVENT}=offered")]
    assert only(out, "cat")["In-Reply-To"] == no_id
    assert only(out, "dan")["Auto-Submitted"] == "auto-generated"
    assert cycle.places() == {"ann": "cancelled", "bob": "confirmed", "cat": "declined",
                              "dan": "offered"}


def test_silence_expires_the_offer_and_offers_onward(cycle: Cycle) -> None:
    offer = fill_and_cancel(cycle)
    cycle.clock.advance(timedelta(hours=1, minutes=59))
    assert cycle.poll() == []  # still within the hold
    cycle.clock.advance(timedelta(minutes=2))
    out = cycle.poll()
    assert sorted((to(m), outcome(m)) for m in out) == [
        ("cat", f"{EVENT}=offer-expired"), ("dan", f"{EVENT}=offered")]
    expired = only(out, "cat")
    assert expired["Auto-Submitted"] == "auto-generated"
    assert "you are no longer on the waiting list for this session" in text(expired)
    assert cycle.places()["cat"] == "expired" and cycle.places()["dan"] == "offered"

    # cat says yes too late: dan holds the place, so cat goes back on the list.
    late_id = cycle.send(f"Cat Example <{who('cat')}>", f"Re: {offer['Subject']}",
                         "Yes please, I'll take the place.\n\nCat",
                         in_reply_to=offer["Message-ID"])
    [late] = cycle.poll()
    assert (to(late), outcome(late)) == ("cat", f"{EVENT}=waitlisted")
    assert late["In-Reply-To"] == late_id
    assert "on the waiting list, number 1" in text(late)
    assert cycle.places()["cat"] == "waitlisted"


def test_late_yes_confirms_when_the_place_is_still_free(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    cycle = make_cycle(tmp_path, imap_user, smtp_sink, capacity=1)
    cycle.register("ann", "cat")
    cycle.send(f"Ann Example <{who('ann')}>", "Cancellation",
               "I can no longer attend the construction webinar, please cancel my place.")
    cycle.poll()
    cycle.clock.advance(timedelta(hours=3))
    [expired] = cycle.poll()
    assert outcome(expired) == f"{EVENT}=offer-expired"
    # Nobody else waits, so a yes in answer to the expiry mail books the free place.
    cycle.send(f"Cat Example <{who('cat')}>", f"Re: {expired['Subject']}",
               "Yes please, I'll take the place.\n\nCat", in_reply_to=expired["Message-ID"])
    [reply] = cycle.poll()
    assert (to(reply), outcome(reply)) == ("cat", f"{EVENT}=confirmed")
    assert cycle.places() == {"ann": "cancelled", "cat": "confirmed"}


def test_a_fresh_mail_saying_yes_takes_the_offer(cycle: Cycle) -> None:
    fill_and_cancel(cycle)
    cycle.send(f"Cat Example <{who('cat')}>", "Construction webinar place",
               "Yes please, I'll take the place on the construction webinar.\n\nCat")
    [reply] = cycle.poll()
    assert (to(reply), outcome(reply)) == ("cat", f"{EVENT}=confirmed")
    assert cycle.places()["cat"] == "confirmed"


def test_hold_never_runs_past_the_start_and_nothing_is_offered_after(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    # Registration early, then the clock moves to three hours before the session.
    cycle = make_cycle(tmp_path, imap_user, smtp_sink, hold_hours=48)
    cycle.register("ann", "bob", "cat", "dan")
    starts = cycle.desk.settings.event(EVENT).starts  # type: ignore[union-attr]
    cycle.clock.now = starts - timedelta(hours=3)
    cycle.send(f"Ann Example <{who('ann')}>", "Cancellation",
               "I can no longer attend the construction webinar, please cancel my place.")
    offer = only(cycle.poll(), "cat")
    assert f"until {starts:%H:%M} on {starts:%A %-d %B %Y}, when the session begins" \
           in text(offer)
    with unit_of_work(cycle.desk.engine) as uow:
        row = uow.session.exec(select(PlaceRow).where(PlaceRow.email == who("cat"))).one()
        assert row.offer_expires == starts
    cycle.clock.now = starts + timedelta(minutes=5)
    [expired] = cycle.poll()
    assert (to(expired), outcome(expired)) == ("cat", f"{EVENT}=offer-expired")
    assert "until the session began" in text(expired)
    assert cycle.places()["dan"] == "waitlisted"  # no offer once it has started


def test_raised_capacity_is_offered_at_the_next_poll(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    cycle = make_cycle(tmp_path, imap_user, smtp_sink)
    cycle.register("ann", "bob", "cat", "dan", "eve")
    text_before = cycle.rig.path.read_text()
    cycle.rig.path.write_text(text_before.replace("capacity = 2", "capacity = 4", 1))
    # A new start reads the new config; its first poll offers both new places in order.
    restarted = make_cycle_from(cycle)
    out = restarted.poll()
    assert [(to(m), outcome(m)) for m in out] == [
        ("cat", f"{EVENT}=offered"), ("dan", f"{EVENT}=offered")]
    assert restarted.places()["eve"] == "waitlisted"


def test_lowered_capacity_keeps_everyone_confirmed(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    cycle = make_cycle(tmp_path, imap_user, smtp_sink)
    cycle.register("ann", "bob", "cat")
    cycle.rig.path.write_text(cycle.rig.path.read_text().replace("capacity = 2",
                                                                 "capacity = 1", 1))
    restarted = make_cycle_from(cycle)
    assert restarted.poll() == []
    assert restarted.places() == {"ann": "confirmed", "bob": "confirmed", "cat": "waitlisted"}


def make_cycle_from(cycle: Cycle) -> Cycle:
    return Cycle(cycle.rig, cycle.rig.desk(cycle.clock), cycle.clock, cycle.imap_user,
                 cycle.smtp_sink)


# ---- substitution ------------------------------------------------------------------------

def test_colleague_from_same_organisation_takes_the_place(cycle: Cycle) -> None:
    cycle.register("ann", "bob", "cat")
    ask_id = cycle.send(f"Ann Example <{who('ann')}>", "Construction webinar",
                        "Could my colleague Jo Bloggs (jo.bloggs@camden-council.example) "
                        "attend the construction webinar in my place?\n\nAnn")
    out = cycle.poll()
    assert sorted((to(m), outcome(m)) for m in out) == [
        ("ann", f"{EVENT}=substituted"), ("jo.bloggs", f"{EVENT}=substituted")]
    gave, got = only(out, "ann"), only(out, "jo.bloggs")
    assert gave["In-Reply-To"] == ask_id and gave["Auto-Submitted"] == "auto-replied"
    assert "Jo Bloggs (jo.bloggs@camden-council.example) now has your place" in text(gave)
    assert got["Auto-Submitted"] == "auto-generated"
    assert "has passed their place" in text(got)
    assert cycle.places() == {"ann": "substituted", "bob": "confirmed", "cat": "waitlisted",
                              "jo.bloggs": "confirmed"}


@pytest.mark.parametrize("colleague", ["jo.bloggs@westbury.ac.example",
                                       "jo.bloggs@freemail.example"])
def test_colleague_from_elsewhere_is_unclear_and_flagged(cycle: Cycle, colleague: str) -> None:
    cycle.register("ann", "bob", "cat")
    cycle.send(f"Ann Example <{who('ann')}>", "Construction webinar",
               f"Could my colleague Jo Bloggs ({colleague}) attend the construction webinar "
               "in my place?\n\nAnn")
    [reply] = cycle.poll()
    assert (to(reply), outcome(reply)) == ("ann", "unclear")
    assert cycle.places() == {"ann": "confirmed", "bob": "confirmed", "cat": "waitlisted"}
    with unit_of_work(cycle.desk.engine) as uow:
        [flagged] = uow.attention()
        assert flagged.sender == who("ann") and colleague in flagged.reason
    assert attention_folder_count(cycle) == 1


def attention_folder_count(cycle: Cycle) -> int:
    with cycle.imap_user.client() as client:
        client.select_folder(cycle.desk.settings.mailbox.attention_folder, readonly=True)
        return len(client.search(["ALL"]))


def test_every_change_is_in_the_members_history(cycle: Cycle) -> None:
    offer = fill_and_cancel(cycle)
    cycle.send(f"Cat Example <{who('cat')}>", f"Re: {offer['Subject']}",
               "Yes please, I'll take the place.", in_reply_to=offer["Message-ID"])
    cycle.poll()
    with unit_of_work(cycle.desk.engine) as uow:
        history = [(e.action, e.actor) for e in uow.history(who("cat"))]
        causes = [e.cause for e in uow.history(who("cat"))]
        handled = {r.message_id for r in uow.session.exec(select(HandledMessage)).all()}
    assert history == [("waitlisted", who("cat")), ("offered", who("ann")),
                       ("confirmed", who("cat"))]
    # Each change names the message that caused it.
    assert all(c in handled for c in causes)


def test_fresh_late_yes_naming_no_session_is_answered_from_the_lapsed_offer(
        cycle: Cycle) -> None:
    fill_and_cancel(cycle)
    cycle.clock.advance(timedelta(hours=3))
    cycle.poll()  # cat's offer lapses, dan is offered
    cycle.send(f"Cat Example <{who('cat')}>", "The place you offered me",
               "Sorry I missed your email! Yes please, I'll take the place.\n\nCat")
    [reply] = cycle.poll()
    assert (to(reply), outcome(reply)) == ("cat", f"{EVENT}=waitlisted")
    assert "on the waiting list, number 1" in text(reply)
    assert cycle.places()["cat"] == "waitlisted" and cycle.places()["dan"] == "offered"
