"""Whose place (round 20): someone else booked by their post alone, and a row of a team list
with no address, make the desk ask; each rule beside a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext

MARCH = datetime(2025, 2, 10, 9, 0, tzinfo=UTC)


def at_desk(text: str, subject: str = "Booking") -> Request:
    return at_the_desk(text, MARCH, None, subject, SENDER)


# 1. Someone else named by their post, with no name or address: ask, never book the sender.


@pytest.mark.parametrize("text", [
    "Could you book our Vice Principal (Finance) onto the textiles webinar please?",
    "Please register my director for the textiles webinar.",
    "Could you book our Head of Estates onto the textiles webinar?",
    "Please book our finance director on the textiles webinar, thanks",
])
def test_someone_booked_by_their_post_alone_makes_the_desk_ask(text: str) -> None:
    got = at_desk(text)
    assert got.is_unclear
    assert got.intent is Intent.REGISTER


@pytest.mark.parametrize("text", [
    "Could you book me onto the textiles webinar please? Our Vice Principal is very keen.",
    "Please book our place on the textiles webinar.",
])
def test_the_sender_booking_themselves_beside_a_post_is_still_booked(text: str) -> None:
    assert confident(at_desk(text), Intent.REGISTER, "textiles-2025")


# 2. A team list where one row gives a first name and no address: part of the team is missing.

TEAM = ("I'd like to book my team onto the logistics webinar please.\n\n"
        "Name                Email\n"
        "Claire Dunne        claire.dunne@camden-council.example\n"
        "Peter Lindqvist     peter.lindqvist@camden-council.example\n"
        "{last}\n\nThanks,\nKaren")


def test_a_team_row_with_a_first_name_and_no_address_makes_the_desk_ask() -> None:
    got = at_desk(TEAM.format(last="Zoë (new starter)   tbc - IT still setting her up"))
    assert got.is_unclear
    assert got.intent is Intent.REGISTER


def test_a_team_list_where_every_row_has_an_address_is_booked() -> None:
    got = at_desk(TEAM.format(last="James Hart          james.hart@camden-council.example"))
    assert confident(got, Intent.REGISTER, "logistics-2025")


# 3. An offer answered yes, then found to clash ("actually ... I'm at a conference that day"),
# with no yes or no said again: the desk asks which it is.

SEPTEMBER = datetime(2025, 9, 18, 9, 0, tzinfo=UTC)
OFFERED = ThreadContext("offered", ("textiles-2025",), SENDER)


def answer(text: str) -> Request:
    return at_the_desk(text, SEPTEMBER, OFFERED, "Re: Place available: Textiles", SENDER)


def test_a_yes_then_finding_oneself_away_that_day_makes_the_desk_ask() -> None:
    got = answer("Yes please, I'd love it! Oh - actually I've just checked and I'm at a "
                 "conference in Leeds on the 24th. Sorry. Hmm, let me see if I can dial in.")
    assert got.is_unclear


def test_a_yes_then_checking_and_finding_oneself_free_is_a_yes() -> None:
    got = answer("Yes please, I'd love it! I've just checked my diary and the 24th is clear.")
    assert confident(got, Intent.ACCEPT_OFFER, "textiles-2025")


# 4. A place still being asked of the colleague ("can you take this instead of me? Let me know
# and I'll tell Suzanne") is not yet a substitution asked of the desk: ask. Told as settled
# beside it ("Priya will attend in my place"), it is one.

CONFIRMED = ThreadContext("confirmed", ("textiles-2025",), SENDER)
ASKED = ("Priya (priya.shah@camden-council.example) - can you take this instead of me? "
         "I'm now on a site visit that day. Let me know and I'll tell Suzanne (copied).")


def forwarded(text: str) -> Request:
    return at_the_desk(text, SEPTEMBER, CONFIRMED, "FW: Confirmed: Textiles", SENDER)


def test_a_place_still_asked_of_the_colleague_makes_the_desk_ask() -> None:
    got = forwarded(ASKED)
    assert got.is_unclear
    assert got.intent is Intent.SUBSTITUTE


def test_a_place_asked_of_the_colleague_and_told_to_the_desk_is_a_substitution() -> None:
    got = forwarded(ASKED.replace("Let me know and I'll tell Suzanne (copied).",
                                  "Suzanne - Priya will attend in my place."))
    assert confident(got, Intent.SUBSTITUTE, "textiles-2025")
    assert got.substitute is not None


# 5. The colleague answering in the thread "put me down instead of Tom" takes his place: a
# substitution with the sender as substitute, never a booking of the one she replaces.

HIS = ThreadContext("confirmed", ("textiles-2025",), "tom.hughes@camden-council.example")


def agrees(text: str) -> Request:
    return at_the_desk(text, SEPTEMBER, HIS, "RE: FW: Confirmed: Textiles",
                       "priya.shah@camden-council.example")


def test_put_me_down_instead_of_the_holder_is_the_sender_taking_his_place() -> None:
    got = agrees("Yes, happy to go - thanks Tom.\n\nSuzanne, please put me down instead of Tom "
                 "for the textiles webinar.\n\nPriya")
    assert confident(got, Intent.SUBSTITUTE, "textiles-2025")
    assert got.substitute is not None
    assert got.substitute.email == "priya.shah@camden-council.example"
    assert [p.email for p in got.people] == ["tom.hughes@camden-council.example"]


def test_put_me_down_instead_of_someone_else_takes_no_place_of_the_holder() -> None:
    got = agrees("Suzanne, please put me down instead of Sarah for the textiles webinar.")
    assert got.is_unclear or got.substitute is None
    assert "tom.hughes@camden-council.example" not in [p.email for p in got.people] or (
        got.is_unclear)
