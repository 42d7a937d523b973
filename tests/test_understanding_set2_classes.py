"""The classes of reading fresh set 2 showed (issue 9), each on a mail of its own wording."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_understanding_classes import SENDER, confident, read

from mailflow.model import Intent, ThreadContext

ALL_2025 = ("construction-2025", "logistics-2025", "evidence-skills-may-2025", "food-2025",
            "textiles-2025", "evidence-skills-oct-2025", "furniture-2025")


@pytest.mark.parametrize("text,subject", [
    ("Could you pencil me in for the furniture webinar?", "Furniture"),
    ("I may be able to make the food one - can I get back to you next week?", "Food"),
    ("Please cancel my place, I can't come.", "Cancel"),
    ("Please book me and Al Rix (al.rix@hotmail.example) on the textiles webinar.", "Textiles"),
    ("Can I come to the workshop on 25 June?", "Workshop 25 June"),
])
def test_a_mail_that_leaves_the_change_open_is_asked_about(text: str, subject: str) -> None:
    assert read(text, subject).is_unclear


def test_an_offer_answered_by_someone_it_was_not_made_to_is_asked_about() -> None:
    offer = ThreadContext("offered", ("food-2025",), "someone.else@camden-council.example")
    assert read("Yes please, I'll take the place myself.", "Re: Place available", offer).is_unclear
    assert confident(read("Yes please, I'll take the place.", "Re: Place available",
                          ThreadContext("offered", ("food-2025",), SENDER)),
                     Intent.ACCEPT_OFFER, "food-2025")


def test_a_colleague_going_in_someones_place_is_a_substitution() -> None:
    got = read("Sam Hale (sam.hale@camden-council.example) can't attend the food webinar. "
               "Ravi Shah (ravi.shah@camden-council.example) will go in his place.", "Food")
    assert confident(got, Intent.SUBSTITUTE, "food-2025")
    assert [p.email for p in got.people] == ["sam.hale@camden-council.example"]
    assert got.substitute is not None and got.substitute.email == "ravi.shah@camden-council.example"


@pytest.mark.parametrize("text,subject,ids", [
    ("All seven please!", "Webinars", ALL_2025),
    ("Could you put me down for the rest of the year's sessions?", "Sessions", ALL_2025),
    ("Can I book the one in March?", "march", ("logistics-2025",)),
    ("- the food one in June - we've had questions about seafood.", "Webinars", ()),
])
def test_sessions_named_by_count_span_or_month(
    text: str, subject: str, ids: tuple[str, ...]
) -> None:
    if not ids:  # a list item under a request belongs to it
        got = read("I'd like to register for two sessions please:\n- Logistics (28 March)\n"
                   + text, subject)
        assert confident(got, Intent.REGISTER, "logistics-2025", "food-2025")
    else:
        assert confident(read(text, subject), Intent.REGISTER, *ids)


def test_a_weekday_that_is_the_named_sessions_weekday_agrees_with_it() -> None:
    assert confident(read("cancel me off textiles pls, cant do weds", "textiles"),
                     Intent.CANCEL, "textiles-2025")


def test_the_sender_listed_among_the_attendees_is_booked_too() -> None:
    got = read("Please book three places on the furniture webinar:\n1. Me\n"
               "2. Ann Lee - ann.lee@camden-council.example\n"
               "3. Bo Kim - bo.kim@camden-council.example", "Furniture")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert [p.email for p in got.people] == [SENDER, "ann.lee@camden-council.example",
                                             "bo.kim@camden-council.example"]


def test_a_question_about_the_deadline_to_book_is_a_question() -> None:
    assert read("When's the deadline to book for the food one?", "Food").intent is Intent.QUESTION


def test_an_offer_passed_on_in_so_many_words_is_declined() -> None:
    offer = ThreadContext("offered", ("food-2025",), SENDER)
    for text in ("Thanks for thinking of me but I can't do that date - pass it on.",
                 "Thank you for the offer. On reflection I'll have to pass on this one."):
        assert confident(read(text, "Re: Place available", offer), Intent.DECLINE_OFFER,
                         "food-2025")


def test_texting_shorthand_and_places_asked_for_are_bookings() -> None:
    assert confident(read("hiya cn i get on the food one in june? ta", "webinar"),
                     Intent.REGISTER, "food-2025")
    got = read("We'd like three of us on the furniture webinar:\n"
               "- me\n- Ann Lee ann.lee@camden-council.example\n"
               "- Bo Kim bo.kim@camden-council.example", "Furniture")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert len(got.people) == 3


def test_a_cancel_that_keeps_one_session_cancels_only_the_other() -> None:
    got = read("Small change: please keep me on logistics but drop me from the construction "
               "one - I can't do the 29th after all.", "change to my bookings")
    assert confident(got, Intent.CANCEL, "construction-2025")


def test_hoping_an_offer_goes_to_someone_who_can_use_it_is_a_plain_no() -> None:
    offer = ThreadContext("offered", ("food-2025",), SENDER)
    got = read("Regrettably I'll have to say no this time. I hope the place goes to someone who "
               "can use it.", "Re: Place available", offer)
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_cancel_all_my_remaining_bookings_cancels_every_session_still_to_come() -> None:
    got = read("I'm leaving at the end of the month, so please cancel all my remaining bookings "
               "for the series.", "Leaving")
    assert confident(got, Intent.CANCEL, *ALL_2025)


@pytest.mark.parametrize("text", [
    "I can't attend the logistics webinar on Friday week - Ann Lee (ann.lee@camden-council."
    "example) will go in my place.",
    "I can't attend the logistics webinar next Friday - Ann Lee (ann.lee@camden-council.example)"
    " will go in my place.",
])
def test_a_weekday_beside_the_kind_of_session_is_read_with_it(text: str) -> None:
    got = read(text, "Logistics")
    assert confident(got, Intent.SUBSTITUTE, "logistics-2025")


def test_the_deadline_s_date_is_no_session_date() -> None:
    got = read("I know the deadline was the 21st, apologies - could I still register for next "
               "Wednesday's construction webinar?", "Late registration",
               now=datetime(2025, 1, 22, 9, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "construction-2025")


def test_any_chance_of_a_place_is_a_booking_and_our_team_unnamed_is_asked_about() -> None:
    assert confident(read("Any chance of a place on the seafood one?", "Food"),
                     Intent.REGISTER, "food-2025")
    got = read("Suzanne - book our team on the construction webinar pls. Thx", "construction")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_clash_given_as_the_reason_for_a_question_cancels_nothing() -> None:
    got = read("Hi, will the webinars be recorded? 10am clashes with our weekly team meeting so "
               "I'd rather watch back.", "Recording?")
    assert got.intent is Intent.QUESTION
