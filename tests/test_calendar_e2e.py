"""A Decline clicked in Outlook, end to end over real Dovecot and aiosmtpd: register, receive the
invite, answer it from its UID, and watch the seat go to the waiting list and onward."""

from __future__ import annotations

import email
import email.policy
import email.utils
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from mailflow.seats import Status
from mailflow.store import unit_of_work

import calendar_clients as clients
from calendar_checks import read_entry
from support import FROM, Rig, mail, rig_for

pytestmark = pytest.mark.integration

ANN = "ann.example@camden-council.example"
CAT = "cat.example@westbury.ac.example"


def poll(rig: Rig, smtp_sink: Any, clock: list[datetime], desk: Any) -> list[EmailMessage]:
    before = len(smtp_sink.messages)
    rig.poll(desk)
    return [email.message_from_bytes(c.data, policy=email.policy.default)  # type: ignore[misc]
            for c in smtp_sink.messages[before:]]


def to(msg: EmailMessage) -> str:
    return email.utils.parseaddr(str(msg["To"]))[1]


def calendar(msg: EmailMessage) -> bytes:
    [part] = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    data = part.get_payload(decode=True)
    assert isinstance(data, bytes)
    return data


def show(title: str, raw: bytes) -> None:
    """Headers (and the letter's text) of one message, for the record of a real run."""
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    print(f"\n===== {title} =====")
    for key, value in msg.items():
        print(f"{key}: {value}")
    body = msg.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
    if body is not None and body.get_content().strip():
        print("\n" + body.get_content().strip())
    parts = [f"{p.get_content_type()}"
             + (f"; method={p.get_param('method')}" if p.get_param("method") else "")
             + (f" ({p.get_filename()})" if p.get_filename() else "") for p in msg.walk()]
    print("\n[parts: " + ", ".join(parts) + "]")
    for part in msg.walk():
        if part.get_content_type() == "text/calendar":
            data = part.get_payload(decode=True)
            text = data.decode() if isinstance(data, bytes) else ""
            keep = ("METHOD", "UID", "SEQUENCE", "ATTENDEE", "ORGANIZER", "STATUS", "DTSTART")
            lines = text.replace("\r\n ", "").splitlines()
            event = lines[lines.index("BEGIN:VEVENT"):] if "BEGIN:VEVENT" in lines else lines
            shown = [x for x in lines if x.startswith("METHOD:")] + [
                x for x in event if x.startswith(keep)]
            print("[calendar: " + " | ".join(shown) + "]")


def test_outlook_decline_cancels_offers_onward_and_the_offer_is_taken(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    rig = rig_for(tmp_path, imap_user, smtp_sink.port, capacity=1)
    clock = [datetime.now(UTC)]
    desk = rig.desk(lambda: clock[0])
    for sender in (f"Ann Example <{ANN}>", f"Cat Example <{CAT}>"):
        imap_user.append("INBOX", mail(sender, "Construction webinar",
                                       "Please register me for the construction webinar."))
    out = poll(rig, smtp_sink, clock, desk)
    assert [(to(m), m["X-Mailflow-Outcome"]) for m in out] == [
        (ANN, "construction=confirmed"), (CAT, "construction=waitlisted")]
    invite = read_entry(calendar(out[0]), FROM)
    assert (invite.method, invite.attendee, invite.rsvp) == ("REQUEST", ANN, "TRUE")

    # Ann clicks Decline in Outlook: a REPLY built from the UID of the invite she received,
    # with no In-Reply-To (Outlook threads by the meeting, not the message).
    decline = clients.outlook(invite.uid, ANN, "DECLINED", name="Ann Example",
                              title=invite.summary)
    assert b"In-Reply-To" not in decline
    imap_user.append("INBOX", decline)
    out = poll(rig, smtp_sink, clock, desk)
    assert sorted((to(m), str(m["X-Mailflow-Outcome"])) for m in out) == [
        (ANN, "construction=cancelled"), (CAT, "construction=offered")]
    [reply] = [m for m in out if to(m) == ANN]
    response = email.message_from_bytes(decline, policy=email.policy.default)
    assert reply["In-Reply-To"] == response["Message-ID"]
    assert reply["Subject"] == f"Re: {response['Subject']}"
    withdrawn = read_entry(calendar(reply), FROM)
    assert (withdrawn.method, withdrawn.uid) == ("CANCEL", invite.uid)
    assert withdrawn.sequence == invite.sequence + 1
    show("the response (Outlook decline, as appended to INBOX)", decline)
    show("the reply mailflow sent (as aiosmtpd received it)", reply.as_bytes())

    # Cat's offer holds the time in her calendar; she says yes in the offer's thread, and
    # her confirmation turns the hold into the entry (same UID, next SEQUENCE).
    [offer] = [m for m in out if to(m) == CAT]
    hold = read_entry(calendar(offer), FROM)
    assert (hold.method, hold.status, hold.attendee) == ("REQUEST", "TENTATIVE", CAT)
    imap_user.append("INBOX", mail(f"Cat Example <{CAT}>", f"Re: {offer['Subject']}",
                                   "Yes please, I'll take the place.",
                                   in_reply_to=str(offer["Message-ID"])))
    [confirmed] = poll(rig, smtp_sink, clock, desk)
    assert (to(confirmed), confirmed["X-Mailflow-Outcome"]) == (CAT, "construction=confirmed")
    cats = read_entry(calendar(confirmed), FROM)
    assert (cats.method, cats.status, cats.uid) == ("REQUEST", "CONFIRMED", hold.uid)
    assert cats.sequence == hold.sequence + 1 and cats.uid != invite.uid
    # Her Accept in Google Calendar is absorbed: recorded, no mail.
    imap_user.append("INBOX", clients.google(cats.uid, CAT, "ACCEPTED", name="Cat Example"))
    assert poll(rig, smtp_sink, clock, desk) == []
    with unit_of_work(desk.engine) as uow:
        book = uow.lock_rosters(desk.settings.events, lock=False)["construction"]
        assert book.place(ANN).status == Status.CANCELLED  # type: ignore[union-attr]
        assert book.place(CAT).status == Status.CONFIRMED  # type: ignore[union-attr]
        assert uow.history(CAT)[-1].action == "accepted-in-calendar"
        assert not uow.attention()
