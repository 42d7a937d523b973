"""Moves and hand-overs (round 21): one's own places handed to a named successor with an
address is a substitution; each rule beside a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext

OCTOBER = datetime(2025, 10, 6, 9, 45, tzinfo=UTC)
SUCCESSOR = "l.chen@westbury.ac.example"
SENDER = "h.morgan@westbury.ac.example"


def at_desk(text: str, subject: str = "Change of attendee") -> Request:
    return at_the_desk(text, OCTOBER, None, subject, SENDER)


# 1. "Cancel my places - Lily Chen will take them instead: l.chen@...": a hand-over.


def test_places_handed_to_a_named_successor_with_an_address_are_substituted() -> None:
    got = at_desk("I'm starting a new role next month so can you cancel my October evidence "
                  f"and furniture places - Lily Chen will take them instead: {SUCCESSOR}\n\nHelen")
    assert confident(got, Intent.SUBSTITUTE, "evidence-skills-oct-2025", "furniture-2025")
    assert got.substitute is not None and got.substitute.email == SUCCESSOR


def test_one_place_handed_to_a_successor_who_will_take_it_is_substituted() -> None:
    got = at_desk("Please cancel my furniture place - Lily Chen "
                  f"({SUCCESSOR}) will take it instead.\n\nHelen")
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025")


def test_the_writer_taking_another_session_instead_is_no_hand_over() -> None:
    """Control: "I'll take the furniture one instead" is the writer's own."""
    got = at_desk("Please cancel my October evidence place - I'll take it instead of the "
                  "furniture one later.\n\nHelen")
    assert got.intent is not Intent.SUBSTITUTE or got.is_unclear


def test_a_colleague_only_wondered_about_takes_nothing_over() -> None:
    """Control: "I checked whether Kasia could use it instead" asks nothing of the desk."""
    got = at_desk("Please cancel my furniture place. I did check whether my colleague Kasia "
                  "could use it instead, but she has an audit that day.\n\nHelen")
    assert got.intent is not Intent.SUBSTITUTE


# 2. Answering our waiting-list message for food, "take me off the food list and book me on
# textiles instead": a booking of textiles that gives up the food turn (Request.releases),
# released only once textiles is held.

FOOD_WAITING = ThreadContext("waitlisted", ("food-2025",), SENDER)
JUNE = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def waiting_reply(text: str, context: ThreadContext | None = FOOD_WAITING) -> Request:
    return at_the_desk(text, JUNE, context, "Re: Waiting list: Food", SENDER)


@pytest.mark.parametrize("text", [
    "Ah, shame. In that case please take me off the food list and book me on the textiles one "
    "in September instead.",
    "Rather than wait, could you move me across to the textiles webinar instead?",
])
def test_a_move_off_the_waiting_list_books_the_other_session_and_gives_the_turn_up(
        text: str) -> None:
    got = waiting_reply(text)
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert got.releases == ("food-2025",)


def test_a_booking_beside_the_waiting_list_keeps_the_turn() -> None:
    """Control: "could you also book me on textiles?" leaves the food turn alone."""
    got = waiting_reply("Could you also book me on the textiles webinar?")
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert got.releases == ()


def test_leaving_the_list_for_a_session_not_told_apart_asks() -> None:
    """Control: a move whose target reads as the list's own session is not guessed."""
    got = waiting_reply("Please take me off the food list and move me to another one instead.")
    assert got.is_unclear and got.releases == ()


def test_a_move_off_a_list_answering_someone_elses_message_gives_nothing_up() -> None:
    """Control: the turn is a colleague's, not the sender's to give up."""
    theirs = ThreadContext("waitlisted", ("food-2025",), "someone.else@westbury.ac.example")
    got = waiting_reply("Could you move me across to the textiles webinar instead?", theirs)
    assert got.releases == ()
