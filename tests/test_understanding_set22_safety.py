"""Round 22, safety: four wrong seat changes on fresh20 as classes, each with a control."""

from __future__ import annotations

from datetime import UTC, datetime

from mailflow.model import CONFIDENT, SEAT_CHANGING, Intent, Request

from test_understanding_classes import at_the_desk, confident

MAY = datetime(2025, 5, 2, 12, tzinfo=UTC)
MARCH = datetime(2025, 3, 3, 12, tzinfo=UTC)


def no_confident_change(request: Request) -> bool:
    return not (request.intent in SEAT_CHANGING and not request.is_unclear
                and request.confidence >= CONFIDENT)


# A booking already made, told ("I've been booked onto ... by my director"), asks for none.

def test_a_booking_already_made_is_told_not_asked_for() -> None:
    got = at_the_desk("I've been booked onto the evidence skills workshop on 28 May by my "
                      "director. Could you tell me whether it's online or in person?", MAY)
    assert got.intent is Intent.QUESTION


def test_been_registered_by_a_manager_is_a_statement() -> None:
    for text in ("I have been registered for the food webinar by my manager. Will there be "
                 "slides?", "We've been signed up for the food webinar. What time does it "
                 "start?", "Have I been added to the food webinar?"):
        assert no_confident_change(at_the_desk(text, MAY)), text


def test_control_asking_to_be_booked_still_books() -> None:
    got = at_the_desk("Can I be booked on the evidence skills workshop on 28 May?", MAY)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_control_a_booking_told_then_a_request_of_its_own() -> None:
    got = at_the_desk("I've been booked onto the food webinar by my manager but I can't make "
                      "it, please cancel my place.", MAY)
    assert confident(got, Intent.CANCEL, "food-2025")
