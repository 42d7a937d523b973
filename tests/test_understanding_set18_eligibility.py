"""A booking put as a question that only asks whether it is allowed (fresh set 17, round 19): a
question for the coordinator, beside controls where "could I register ...?" still asks for the
place itself."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext

MAY = datetime(2025, 5, 6, 9, 0, tzinfo=UTC)


def at_desk(text: str, now: datetime = MAY, context: ThreadContext | None = None,
            subject: str = "Booking", sender: str = SENDER) -> Request:
    return at_the_desk(text, now, context, subject, sender)


# 1. The other branch of the question asks what the rules require: the booking is asked about.


def test_a_booking_beside_or_is_it_one_per_organisation_is_a_question() -> None:
    got = at_desk("Can we register three of the buying team for the textiles webinar, or is it "
                  "a single place per member?")
    assert got.intent is Intent.QUESTION


def test_a_booking_beside_or_do_i_need_to_is_a_question() -> None:
    got = at_desk("Could I just turn up to the furniture webinar on the morning, or do I need "
                  "to book beforehand?")
    assert got.intent is Intent.QUESTION


def test_a_booking_then_or_does_it_have_to_in_the_next_sentence_is_a_question() -> None:
    got = at_desk("Could I register for the food webinar with my home address? Or does it have "
                  "to be a work one?")
    assert got.intent is Intent.QUESTION


def test_a_booking_beside_or_is_it_full_still_books() -> None:
    # Control: whether it is full is the desk's own answer (a place or the waiting list).
    got = at_desk("Could I register for the food webinar, or is it already full?")
    assert confident(got, Intent.REGISTER, "food-2025")


def test_a_plain_could_i_register_still_books() -> None:
    # Control: the question form alone asks for the place.
    got = at_desk("Could I register for the food webinar please?")
    assert confident(got, Intent.REGISTER, "food-2025")


def test_a_booking_asked_outright_beside_a_rules_question_still_books() -> None:
    # Control: "please book me" is no question; what else it asks is the coordinator's.
    got = at_desk("Please book me on the food webinar. Could my colleague come as well, or "
                  "does she need to write herself?")
    assert got.intent is Intent.REGISTER


# 2. The mail says of itself that it only checks, or asks how the booking would work.


def test_a_booking_beside_not_booking_yet_just_checking_is_a_question() -> None:
    got = at_desk("Would it be possible to register someone from our shared-services partner "
                  "for the textiles webinar? Not booking yet, just checking.")
    assert got.intent is Intent.QUESTION


def test_a_booking_beside_just_checking_before_i_send_the_details_is_a_question() -> None:
    got = at_desk("Could I put a colleague from a neighbouring trust on the food webinar? Just "
                  "checking before I send you his details.")
    assert got.intent is Intent.QUESTION


def test_a_booking_beside_how_would_that_work_is_a_question() -> None:
    got = at_desk("Can I book a new starter onto the textiles webinar? He has no council "
                  "address until October. How would that work?")
    assert got.intent is Intent.QUESTION


def test_just_checking_a_booking_arrived_is_no_such_question() -> None:
    # Control: "just checking you got it" is about a place asked for, and the booking stands.
    got = at_desk("Could I register for the food webinar? Just checking you got my form as "
                  "well.")
    assert got.intent is Intent.REGISTER
