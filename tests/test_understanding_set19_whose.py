"""Where fresh set 18 showed whose place a request is for misread, and requests missed (round 19,
who23): each rule a behaviour, beside a control that must keep its reading."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import EVENTS, at_the_desk

from mailflow.model import Intent, Request, ThreadContext
from mailflow.parse import parse_message
from mailflow.understanding import understand

from series import desk_options

FEBRUARY = datetime(2025, 2, 11, 11, 0, tzinfo=UTC)
APRIL = datetime(2025, 4, 10, 10, 0, tzinfo=UTC)
OCTOBER = datetime(2025, 10, 16, 11, 0, tzinfo=UTC)
NOVEMBER = datetime(2025, 11, 27, 10, 0, tzinfo=UTC)
PA = "l.fernandes@westbury.ac.example"


def raw_mail(headers: str, body: str, now: datetime,
             context: ThreadContext | None = None) -> Request:
    """A whole mail as it arrives, read as handle.py reads it."""
    raw = (headers.strip() + "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n"
           + body).encode("utf-8")
    return understand(parse_message(raw), EVENTS, now, context, **desk_options())


# 1. "His email is x@... - please send the details to him, copying me": the one copied is the
# sender; the address given is whose place it is (not an address copied for information).


def test_address_given_with_copying_me_is_the_one_booked() -> None:
    got = at_the_desk(
        "I'm writing on behalf of our Director, who has asked me to secure him a place on the "
        "Logistics webinar on 28 March.\n\nHis email is a.whitcombe@westbury.ac.example - please "
        "send the confirmation directly to him, copying me if possible.\n\nLucy",
        FEBRUARY, None, "Booking for our Director", PA)
    assert not got.is_unclear and got.event_ids == ("logistics-2025",), got
    assert [p.email for p in got.people] == ["a.whitcombe@westbury.ac.example"], got


def test_address_copied_for_information_is_still_nobody_to_book() -> None:
    got = at_the_desk(
        "Please book me on the Logistics webinar on 28 March. I'm copying my manager "
        "m.jones@westbury.ac.example for information.\n\nLucy",
        FEBRUARY, None, "Booking", PA)
    assert not got.is_unclear and got.event_ids == ("logistics-2025",), got
    assert [p.email for p in got.people] == [], got


# 2. A place "for one of the team", or asked from a team's shared mailbox (sourcing.team@)
# naming nobody: whose place it is is not said, so the desk asks.


def test_place_for_one_of_the_team_names_nobody_to_book() -> None:
    got = at_the_desk("Could we get a place on the construction one please for one of the team?",
                      FEBRUARY, None, "Construction webinar")
    assert got.intent is Intent.REGISTER and got.is_unclear, got


def test_sourcing_team_mailbox_naming_nobody_asks() -> None:
    got = at_the_desk("Could we get a place on the construction one please?", FEBRUARY, None,
                      "Construction webinar", "sourcing.team@nhs-north-london.example")
    assert got.intent is Intent.REGISTER and got.is_unclear, got


def test_team_mailbox_booking_a_named_person_stays_confident() -> None:
    got = at_the_desk("Please book Ben Clarke (ben.clarke@nhs-north-london.example) on the "
                      "construction webinar.", FEBRUARY, None, "Construction webinar",
                      "sourcing.team@nhs-north-london.example")
    assert not got.is_unclear and got.event_ids == ("construction-2025",), got
    assert [p.email for p in got.people] == ["ben.clarke@nhs-north-london.example"], got


def test_a_place_for_me_from_my_own_address_stays_confident() -> None:
    got = at_the_desk("Could I get a place on the construction one please? One of the team "
                      "went last year and loved it.", FEBRUARY, None, "Construction webinar")
    assert not got.is_unclear and got.event_ids == ("construction-2025",), got


# 3. The desk's own address, in a Spanish Outlook header over our offer ("De:", "Enviado el:",
# "Para:", "Asunto:"), is history: a no thanks declines the offer, with no substitute.

_OFFER_HEADERS = """
From: Lucia Garcia <l.garcia@kingsgate-college.example>
To: registrations@lupc.example
Subject: RE: A place is available: Furniture, 10 December
Date: Thu, 27 Nov 2025 09:45:37 +0000
Message-ID: <abc@kingsgate-college.example>
In-Reply-To: <kbs.20251126153000.22499c7cdb@lupc.example>
"""
_SPANISH_QUOTE = """
________________________________
De: Knowledge Building Series <registrations@lupc.example>
Enviado el: miercoles, 26 de noviembre de 2025 15:30
Para: Lucia Garcia <l.garcia@kingsgate-college.example>
Asunto: A place is available: Furniture, 10 December

Dear Lucia, a place has become available on Furniture. Would you like it?
"""
OFFERED = ThreadContext("offered", ("furniture-2025",), "l.garcia@kingsgate-college.example")


def test_spanish_outlook_header_over_our_offer_is_history() -> None:
    got = raw_mail(_OFFER_HEADERS, "Thank you, but I have to say no this time. Please give it "
                   "to the next person.\n\nLucia\n" + _SPANISH_QUOTE, NOVEMBER, OFFERED)
    assert got.intent is Intent.DECLINE_OFFER and not got.is_unclear, got
    assert got.substitute is None, got


def test_the_desk_own_address_is_never_a_substitute() -> None:
    got = raw_mail(_OFFER_HEADERS, "Thank you, but I have to say no. Please give it to "
                   "registrations@lupc.example instead.\n\nLucia\n", NOVEMBER, OFFERED)
    assert got.substitute is None or got.substitute.email != "registrations@lupc.example", got


def test_a_colleague_named_to_take_the_offer_is_still_the_substitute() -> None:
    got = raw_mail(_OFFER_HEADERS, "I can't make it, but could my colleague Ana Ruiz "
                   "(a.ruiz@kingsgate-college.example) have it instead?\n\nLucia\n"
                   + _SPANISH_QUOTE, NOVEMBER, OFFERED)
    assert got.intent is Intent.SUBSTITUTE, got
    assert got.substitute is not None and got.substitute.email == "a.ruiz@kingsgate-college.example"


# 4. "Tom has left - could Dev (dev@...) take his place? Tom's confirmation is below", over our
# confirmation forwarded: the place given up is the one our message confirmed to Tom.

_FW_HEADERS = """
From: Helen Brooks <helen.brooks@camden-council.example>
To: registrations@lupc.example
Subject: FW: Your place is confirmed: Evidence skills training workshop (October)
Date: Thu, 16 Oct 2025 12:10:22 +0100
Message-ID: <fw1@camden-council.example>
"""
_FORWARDED_CONFIRMATION = """
________________________________
From: Knowledge Building Series <registrations@lupc.example>
Sent: Thursday, 25 September 2025 10:48
To: Okafor, Tom <tom.okafor@camden-council.example>
Subject: Your place is confirmed: Evidence skills training workshop (October), 29 October

Dear Tom,

Your place on Evidence skills training workshop (October) on 29 October 2025 is confirmed.
"""


def test_leaver_in_our_forwarded_confirmation_gives_the_place_up() -> None:
    got = raw_mail(_FW_HEADERS, "Tom has left Camden - could Dev Patel "
                   "(dev.patel@camden-council.example) take his place on the October evidence "
                   "workshop instead? Tom's confirmation is below.\n\nHelen\n"
                   + _FORWARDED_CONFIRMATION, OCTOBER)
    assert got.intent is Intent.SUBSTITUTE and not got.is_unclear, got
    assert [p.email for p in got.people] == ["tom.okafor@camden-council.example"], got
    assert got.substitute is not None and got.substitute.email == "dev.patel@camden-council.example"


def test_someone_else_unnamed_in_our_forward_still_asks() -> None:
    got = raw_mail(_FW_HEADERS, "Sam has left Camden - could Dev Patel "
                   "(dev.patel@camden-council.example) take his place on the October evidence "
                   "workshop instead?\n\nHelen\n" + _FORWARDED_CONFIRMATION, OCTOBER)
    assert got.is_unclear, got


# 5. A topic and a session's number in two sentences are two statements ("the logistics one is
# too soon. Webinar 5 is the one I want"); side by side in one they still disagree.


_BOSS_HEADERS = """
From: Karen Ng <k.ng@westbury.ac.example>
To: registrations@lupc.example
Subject: FW: webinar 5
Date: Thu, 10 Apr 2025 09:48:00 +0100
Message-ID: <fw2@westbury.ac.example>
"""


def test_topic_and_number_in_two_sentences_do_not_contradict() -> None:
    got = raw_mail(_BOSS_HEADERS, "Please see below from Stephen. Could you book him a place? "
                   "Thanks, Karen\n\n-----Original Message-----\nFrom: Stephen Brennan "
                   "<s.brennan@westbury.ac.example>\nSent: 09 April 2025 17:32\nTo: Karen Ng "
                   "<k.ng@westbury.ac.example>\nSubject: webinar 5\n\nKaren - can you get me "
                   "onto webinar 5 of that series? I think I went to the\nconstruction one, and "
                   "the logistics one is too soon. Webinar 5 is the one I want.\nS\n", APRIL)
    assert not got.is_unclear and got.event_ids == ("textiles-2025",), got
    assert [p.email for p in got.people] == ["s.brennan@westbury.ac.example"], got


def test_topic_and_number_in_one_phrase_still_disagree() -> None:
    got = at_the_desk("Could you get me onto the logistics webinar 5 please?", APRIL, None,
                      "Webinar 5")
    assert got.is_unclear, got


# 6. A question in another language asking to take part ("wäre es möglich, dass ich am
# Logistik-Webinar teilnehme?") is the request itself, not a question beside it.


def test_german_may_i_take_part_is_a_booking() -> None:
    got = at_the_desk("Wäre es möglich, dass ich am Logistik-Webinar am 28. März teilnehme?\n\n"
                      "(In short: could I please attend the logistics webinar on 28 March?)",
                      FEBRUARY, None, "Anfrage: Logistik-Webinar")
    assert got.intent is Intent.REGISTER and not got.is_unclear, got
    assert got.event_ids == ("logistics-2025",), got


def test_german_cannot_take_part_is_no_booking() -> None:
    got = at_the_desk("Leider kann ich nicht am Logistik-Webinar am 28. März teilnehmen.",
                      FEBRUARY, None, "Logistik-Webinar")
    assert got.intent is not Intent.REGISTER, got
