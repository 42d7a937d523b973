"""Where fresh set 14 showed the desk changing a seat a careful coordinator would have asked about
(issue 9, round 15), and misreads that changed no seat: each class a behaviour, in wording of
its own, beside a control that still books."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from test_understanding_classes import EVENTS, SENDER, confident, mail, offered

from mailflow.model import Intent, Request, ThreadContext
from mailflow.understanding import understand

from series import desk_options

FEBRUARY = datetime(2025, 2, 10, 9, 0, tzinfo=UTC)
MARCH = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
JUNE = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def at_desk(text: str, now: datetime = FEBRUARY, context: ThreadContext | None = None,
            subject: str = "Booking", attached: bool = False) -> Request:
    """Read as handle.py reads it: with the shipped config's full members (domains and names)."""
    got = mail(text, subject, SENDER)
    if attached:
        got = replace(got, content_type="multipart/mixed")
    return understand(got, EVENTS, now, context, **desk_options())


def confirmed(event_id: str) -> ThreadContext:
    return ThreadContext("confirmed", (event_id,), SENDER)


# 1. Words to a colleague copied to the desk: "can you book yourself on?"


def test_telling_a_colleague_to_book_themselves_asks() -> None:
    got = at_desk("Sam - this furniture webinar looks relevant to the refit. Could you register "
                  "yourself for it if you have the time? I have copied the desk in.")
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "book themselves" in got.reason


def test_asking_the_desk_to_book_me_on_it_books() -> None:
    got = at_desk("Could you register me for the furniture webinar please?")
    assert confident(got, Intent.REGISTER, "furniture-2025")


# 2. "Change it to" a session, said of a place held: a move, never a second booking.


def test_changing_the_confirmed_place_to_another_session_asks() -> None:
    got = at_desk("Thanks. Could you change that to the textiles webinar rather than this one? "
                  "We have an audit that week.", now=JUNE, context=confirmed("food-2025"))
    assert not (got.intent in (Intent.REGISTER, Intent.CANCEL) and not got.is_unclear)


def test_a_plain_request_for_another_session_in_a_confirmed_thread_books() -> None:
    got = at_desk("Thanks! Could you also book me onto the textiles webinar please?", now=JUNE,
                  context=confirmed("food-2025"))
    assert confident(got, Intent.REGISTER, "textiles-2025")


# 3. An attached list of attendees the desk does not read.


def test_an_attached_list_of_attendees_asks_even_when_something_is_attached() -> None:
    got = at_desk("Please see the attached list of our buyers who would like to attend the "
                  "furniture webinar on 10 December.", attached=True)
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "attachment" in got.reason


def test_an_attached_list_also_pasted_in_the_mail_books_the_people_pasted() -> None:
    got = at_desk("Please book the two colleagues below on the furniture webinar (list attached "
                  "too):\n\nAmy Cole - amy.cole@camden-council.example\nBen Ross - "
                  "ben.ross@camden-council.example", attached=True)
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert [p.email for p in got.people] == ["amy.cole@camden-council.example",
                                             "ben.ross@camden-council.example"]


# 4. A yes to an offer that also asks a place for a colleague: two changes.


def test_a_yes_that_also_asks_a_place_for_a_colleague_asks() -> None:
    got = at_desk("Yes, I'll take it, thanks. Could you book Amy Cole (amy.cole@camden-council."
                  "example) on it as well?", now=JUNE, context=offered("food-2025"))
    assert got.intent is Intent.ACCEPT_OFFER and got.is_unclear
    assert "as well" in got.reason


def test_a_yes_copying_a_colleague_without_asking_a_place_books() -> None:
    got = at_desk("Yes please, I'll take it. I've let my manager Amy Cole "
                  "(amy.cole@camden-council.example) know.", now=JUNE, context=offered("food-2025"))
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


# 5. "I think I can come" to an offer: a guess at being free, not a yes.


def test_i_think_i_can_make_it_to_an_offer_asks() -> None:
    got = at_desk("Oh thank you! I think I can make it, though I have a site visit that morning.",
                  now=JUNE, context=offered("food-2025"))
    assert got.is_unclear


def test_i_can_make_it_to_an_offer_books() -> None:
    got = at_desk("Oh thank you! Yes, I can make it.", now=JUNE, context=offered("food-2025"))
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


# 6. "The following two webinars:" points at the list after it, not at the next two sessions.


def test_the_following_two_webinars_before_a_list_books_only_the_listed() -> None:
    got = at_desk("Please could you book me onto the following two webinars:\n\n- Webinar 5 - "
                  "Textiles, 24 September\n- Webinar 7 - Furniture, 10 December")
    assert confident(got, Intent.REGISTER, "textiles-2025", "furniture-2025")


def test_the_following_two_webinars_said_alone_are_the_next_two() -> None:
    got = at_desk("Please could you book me onto the following two webinars in the series.",
                  now=MARCH)
    assert got.intent is Intent.REGISTER
    assert set(got.event_ids) == {"logistics-2025", "food-2025"}


# 7. "The second workshop" from a writer who may call every session a workshop.


def test_the_second_workshop_alone_while_session_two_is_ahead_asks() -> None:
    got = at_desk("Hi, please put me down for the second workshop. Thanks", now=FEBRUARY)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_the_second_workshop_beside_a_webinar_is_the_october_workshop() -> None:
    got = at_desk("Hi, please put me down for the second workshop and the furniture webinar.",
                  now=FEBRUARY)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025", "furniture-2025")


def test_the_second_workshop_once_session_two_is_over_is_the_october_workshop() -> None:
    got = at_desk("Hi, please put me down for the second workshop. Thanks", now=JUNE)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


# 8. Questions put as requests: whether an earlier request arrived, how many may book, and a
# change offered as the coordinator's choice.


def test_asking_whether_an_earlier_registration_went_through_is_a_question() -> None:
    got = at_desk("I wrote last week to book the logistics webinar but have heard nothing. Could "
                  "you check it went through?")
    assert got.intent is Intent.QUESTION


def test_an_earlier_request_repeated_as_a_request_books() -> None:
    got = at_desk("I wrote last week about the logistics webinar but have heard nothing. Could "
                  "you book me on it please?")
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_am_i_in_the_list_is_a_question_about_places() -> None:
    got = at_desk("I sent my registration for the food webinar last month. Could you tell me if "
                  "I am in the list?", now=JUNE)
    assert got.intent is Intent.QUESTION


def test_how_many_from_one_organisation_may_book_is_a_question() -> None:
    got = at_desk("Before I forward the flyer round the office: how many people from one council "
                  "can book onto each webinar?")
    assert got.intent is Intent.QUESTION


def test_offering_the_place_up_as_the_coordinators_choice_is_a_question() -> None:
    got = at_desk("I can only stay for the first half hour of the food webinar. Should I cancel "
                  "my place so someone on the waiting list can have it?", now=JUNE)
    assert got.intent is Intent.QUESTION


def test_cancelling_for_the_waiting_list_is_a_cancel() -> None:
    got = at_desk("I can only stay for the first half hour of the food webinar, so please cancel "
                  "my place so someone on the waiting list can have it.", now=JUNE)
    assert confident(got, Intent.CANCEL, "food-2025")


# 9. "He'd like to come too" of someone the mail gives no address for.


def test_a_colleague_who_would_like_to_come_without_an_address_asks() -> None:
    got = at_desk("Thanks for this. Can I pass the link to our caterer? She'd love to come along "
                  "too.", now=JUNE, context=confirmed("food-2025"))
    assert not (got.intent is Intent.REGISTER and not got.is_unclear)


def test_a_colleague_who_would_like_to_come_with_an_address_books_them() -> None:
    got = at_desk("Could you book my colleague Amy Cole (amy.cole@camden-council.example) on the "
                  "food webinar? She'd love to come.", now=JUNE)
    assert confident(got, Intent.REGISTER, "food-2025")


# 10. Misreads that changed no seat: a booking in a learner's English, names sent as an
# attachment, a declined duplicate invitation.


def test_asking_for_my_registration_in_a_session_is_a_booking() -> None:
    got = at_desk("Dear Suzanne, I write to ask for my registration in the session about "
                  "furniture of 10 of December. Thank you very much.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_asking_about_my_registration_is_no_booking() -> None:
    got = at_desk("Dear Suzanne, I write to ask about my registration in the session about "
                  "furniture. Has it arrived? Thank you very much.")
    assert not (got.intent is Intent.REGISTER and not got.is_unclear)


def test_names_sent_as_an_attachment_for_a_session_ask() -> None:
    got = at_desk("Hi, please find attached the names of our buyers for the furniture webinar.",
                  attached=True)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_declined_duplicate_invitation_while_still_coming_is_an_acknowledgement() -> None:
    got = at_desk("Declining this copy only because the invite came twice - I'm still coming!",
                  now=JUNE, context=confirmed("food-2025"),
                  subject="Declined: Webinar 4: Food")
    assert got.intent is Intent.ACKNOWLEDGEMENT


# 11. Pasted rows giving a session by number and name: a row where the two disagree asks.


def test_pasted_rows_whose_number_and_name_disagree_ask() -> None:
    got = at_desk("Here are our bookings for the autumn:\n\nname,email,session\nAmy Cole,"
                  "amy.cole@camden-council.example,5 - Textiles\nBen Ross,"
                  "ben.ross@camden-council.example,5 - Furniture\n\nCheers", now=JUNE)
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "disagree" in got.reason


def test_pasted_rows_whose_number_and_name_agree_book() -> None:
    got = at_desk("Here are our bookings for the autumn:\n\nname,email,session\nAmy Cole,"
                  "amy.cole@camden-council.example,5 - Textiles\nBen Ross,"
                  "ben.ross@camden-council.example,5 - Textiles\n\nCheers", now=JUNE)
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert [p.email for p in got.people] == ["amy.cole@camden-council.example",
                                             "ben.ross@camden-council.example"]


def test_a_list_numbered_by_the_writer_is_no_session_number() -> None:
    got = at_desk("Please book me on the following:\n1 - Food, 25 June\n2 - Textiles, 24 "
                  "September", now=JUNE)
    assert confident(got, Intent.REGISTER, "food-2025", "textiles-2025")


def test_a_cancel_followed_by_a_question_for_the_coordinator_cancels() -> None:
    got = at_desk("Please cancel my place on the food webinar - do you need anything else from "
                  "me?", now=JUNE)
    assert got.intent is Intent.CANCEL


def test_a_yes_that_asks_to_book_a_colleague_without_saying_too_asks() -> None:
    got = at_desk("Yes please, I'll take it. Could you book Amy Cole (amy.cole@camden-council."
                  "example) on it?", now=JUNE, context=offered("food-2025"))
    assert got.intent is Intent.ACCEPT_OFFER and got.is_unclear
