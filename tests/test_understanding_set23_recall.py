"""Where fresh set 21 sent clear requests to the coordinator as unclear (issue 9, round 23):
each class a behaviour, in wording of its own, each with a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_understanding_classes import SENDER, at_the_desk, confident, read

from mailflow.model import Intent, ThreadContext

OFFER_FOOD = ThreadContext("offered", ("food-2025",), SENDER)
JUNE = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
OFFER_SUBJECT = "Re: A place is available: Food"


# The offer's own word, alone, as the whole answer: "Accept - thank you!", "Declined.".


@pytest.mark.parametrize("text", ["Accept - thank you!\n\nIvan", "Accepted, with thanks.\nJo"])
def test_the_bare_word_accept_answers_an_offer_yes(text: str) -> None:
    got = read(text, subject=OFFER_SUBJECT, context=OFFER_FOOD, now=JUNE)
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


@pytest.mark.parametrize(
    "text",
    [
        "Declined - sorry, on leave that week.",
        "Thanks Jo but I'll have to pass this time.",
        "Kind of you, but I must pass. Thanks",
    ],
)
def test_the_bare_word_declined_or_a_pass_answers_an_offer_no(text: str) -> None:
    got = read(text, subject=OFFER_SUBJECT, context=OFFER_FOOD, now=JUNE)
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_control_accept_inside_a_question_is_no_bare_yes() -> None:
    got = read("Would I need to accept the joining link separately?", subject=OFFER_SUBJECT,
               context=OFFER_FOOD, now=JUNE)
    assert got.intent is not Intent.DECLINE_OFFER
    assert not confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_control_a_pass_with_a_colleague_is_not_a_bare_pass() -> None:
    got = read("I'll have to pass this to my colleague to decide - back to you tomorrow.",
               subject=OFFER_SUBJECT, context=OFFER_FOOD, now=JUNE)
    assert not confident(got, Intent.DECLINE_OFFER, "food-2025")


# A phone's booking with no verb, the session first: "food webinar 25/6 - me + a@b pls".

NOVEMBER = datetime(2025, 11, 17, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "furniture x2 - me and kim.roe@westbury.ac.example pls. O",
        "furniture webinar 10/12 - me + kim.roe@westbury.ac.example please",
    ],
)
def test_a_session_then_me_and_a_colleague_by_address_and_a_please_books_both(text: str) -> None:
    got = at_the_desk(text, NOVEMBER, subject="furniture", sender="o.brandt@westbury.ac.example")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert "kim.roe@westbury.ac.example" in {p.email for p in got.people}


def test_control_a_session_then_a_giving_up_verb_books_nothing() -> None:
    got = at_the_desk("furniture - drop me and kim.roe@westbury.ac.example pls", NOVEMBER,
                      subject="furniture", sender="o.brandt@westbury.ac.example")
    assert not confident(got, Intent.REGISTER, "furniture-2025")


# A change turned down in favour of another of a different kind in the same sentence: "rather
# than cancel - Kim can go in my place, could you swap it to her?" leaves nothing in doubt.

CONFIRMED_FOOD = ThreadContext("confirmed", ("food-2025",), SENDER)


def test_rather_than_cancel_a_colleague_in_my_place_is_a_firm_substitute() -> None:
    got = at_the_desk(
        "Please cancel my place for the food webinar, I've got a clash.\n\nActually, rather than "
        "cancel - Kim Roe (kim.roe@camden-council.example) says she can go in my place, so "
        "could you swap it to her?\n\nThanks\nJo", JUNE, CONFIRMED_FOOD,
        subject="Re: Place confirmed: Food")
    assert confident(got, Intent.SUBSTITUTE, "food-2025")
    assert got.substitute is not None and got.substitute.email == "kim.roe@camden-council.example"


def test_control_a_negated_cancel_beside_a_cancel_still_asks() -> None:
    got = at_the_desk("Please don't cancel the food one yet - but cancel it if nobody can go in "
                      "my place.", JUNE, CONFIRMED_FOOD, subject="Re: Place confirmed: Food")
    assert got.is_unclear


# "I'll come back to you about the others": what is still to decide is the other sessions,
# beside the one asked for now.


def test_a_booking_with_the_others_left_for_later_is_firm() -> None:
    got = read("So I'd like to register for the food webinar please.\n\nI'll come back to you "
               "about the others once I've got my head above water.\n\nJo", now=JUNE)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_control_a_booking_to_come_back_on_is_still_undecided() -> None:
    got = read("I'd like to register for the food webinar, but I'll come back to you once I've "
               "checked my diary.\n\nJo", now=JUNE)
    assert got.is_unclear


# "Checking I'm down for the rest of the year? If not, please book me on ...": whether the
# sender holds a place, which the booking itself answers.

SEPTEMBER = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)


def test_checking_i_am_down_then_if_not_book_me_is_answered_by_the_booking() -> None:
    got = read("Checking I'm down for the rest of the year? If not, please book me on the "
               "remaining ones - textiles and furniture.\n\nThanks\nJo", now=SEPTEMBER)
    assert confident(got, Intent.REGISTER, "textiles-2025", "furniture-2025")


def test_control_a_question_on_what_a_session_is_still_waits() -> None:
    got = read("Is the furniture one more advanced than textiles? If not, please book me on "
               "textiles and furniture.\n\nThanks\nJo", now=SEPTEMBER)
    assert got.is_unclear


# "Is it possible to still join the food webinar on 25 June?": asking to come, with no "I".


def test_is_it_possible_to_still_join_a_session_is_a_booking() -> None:
    got = read("Dear Jo, is it possible to still join the food webinar on 25 June? Kind "
               "regards, Sam", now=JUNE)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_control_is_it_possible_to_get_the_slides_books_nothing() -> None:
    got = read("Dear Jo, is it possible to get the slides from the food webinar? Kind regards, "
               "Sam", now=JUNE)
    assert got.intent is not Intent.REGISTER


# "Unfortunately I now can't - an inspection has been scheduled": in reply to the confirmation,
# the bare can't after a word of regret gives the place up.


def test_unfortunately_i_now_cant_in_reply_to_a_confirmation_cancels() -> None:
    got = at_the_desk("Unfortunately I now can't - an inspection has been scheduled for that "
                      "week.\n\nSorry to mess you about.\n\nRhys", JUNE, CONFIRMED_FOOD,
                      subject="Re: Place confirmed: Food")
    assert confident(got, Intent.CANCEL, "food-2025")


def test_control_but_unfortunately_i_cant_find_the_link_cancels_nothing() -> None:
    got = at_the_desk("I tried to join but unfortunately I can't find the link - could you "
                      "resend it?", JUNE, CONFIRMED_FOOD, subject="Re: Place confirmed: Food")
    assert got.intent is not Intent.CANCEL
