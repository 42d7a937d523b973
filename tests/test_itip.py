"""Reading calendar answers (iTIP over iMIP) from the shapes real clients send, pure."""

from __future__ import annotations

import pytest

from mailflow.itip import read_response
from mailflow.parse import parse_message

import calendar_clients as clients

UID = "3b2c9f0e6a1d4c7e8f90a1b2c3d4e5f6@lupc.example"
WHO = "ngozi.okafor@camden-council.example"


@pytest.mark.parametrize("raw", [
    clients.outlook(UID, WHO, "DECLINED"),
    clients.outlook(UID, WHO, "DECLINED", encoding="7bit"),
    clients.google(UID, WHO, "DECLINED"),
    clients.icloud(UID, WHO, "DECLINED"),  # method=REPLY only inside the body
    clients.thunderbird(UID, WHO, "DECLINED", charset="ISO-8859-1"),
], ids=["outlook-base64", "outlook-7bit", "google", "icloud", "thunderbird"])
def test_every_client_shape_reads_as_a_reply(raw: bytes) -> None:
    found = read_response(parse_message(raw).calendar_parts)
    assert found is not None
    assert (found.method, found.uid, found.sequence) == ("REPLY", UID, 0)
    attendee = found.attendance(WHO.upper())
    assert attendee is not None and attendee.partstat == "DECLINED"
    assert found.organizer == "registrations@lupc.example"
    assert found.problem == ""


def test_google_comment_and_outlook_counter_are_read() -> None:
    google = read_response(parse_message(clients.google(
        UID, WHO, "DECLINED", comment="Clashes with a board meeting, sorry")).calendar_parts)
    assert google is not None and google.note(WHO) == "Clashes with a board meeting, sorry"
    counter = read_response(parse_message(clients.outlook(UID, WHO, "COUNTER")).calendar_parts)
    assert counter is not None and counter.method == "COUNTER"
    assert counter.proposed_start.startswith("20270331T140000")


def test_a_recurrence_id_and_sequence_are_kept() -> None:
    text = clients.vcalendar(method="REPLY", uid=UID, attendee=WHO, partstat="ACCEPTED",
                             sequence=7, recurrence_id="20270330T100000")
    found = read_response([("", text)])
    assert found is not None and found.sequence == 7
    assert "20270330T100000" in found.recurrence_id


def test_invitations_and_plain_mail_are_not_answers() -> None:
    request = clients.vcalendar(method="REQUEST", uid=UID, attendee=WHO, partstat="NEEDS-ACTION")
    assert read_response([("REQUEST", request)]) is None  # a forwarded invite
    assert read_response([]) is None


def test_a_broken_calendar_still_says_what_it_was() -> None:
    odd = clients.vcalendar(method="REPLY", uid=UID, attendee=WHO, partstat="DECLINED",
                            tzid="Nowhere/Atlantis").replace("DTSTART;", "DTSTART;;BAD=")
    found = read_response([("REPLY", odd)])
    assert found is not None and found.uid == UID and found.attendance(WHO) is not None
    # No BEGIN:VCALENDAR: the library refuses it, the line-by-line reading does not.
    headless = odd.split("\r\n", 3)[3]
    found = read_response([("REPLY", headless)])
    assert found is not None and found.uid == UID and "line by line" in found.problem
    assert found.attendance(WHO) is not None
    gone = read_response([("REPLY", "BEGIN:VCALENDAR\r\nnot a calendar")])
    assert gone is not None and gone.uid == "" and "could not be read" in gone.problem
