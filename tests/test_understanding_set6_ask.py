"""Where fresh set 6 showed the desk changing seats a careful coordinator would ask about first
(issue 9, round 6): each class a behaviour, in wording of its own."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from test_understanding_classes import EVENTS, SENDER, confident, mail, read

from mailflow.model import Intent, ThreadContext
from mailflow.parse import parse_message
from mailflow.understanding import understand

from series import DEFAULT_NOW

FEBRUARY = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)


def offered(*event_ids: str) -> ThreadContext:
    return ThreadContext("offered", event_ids, "ann.lee@camden-council.example")


# Who: people counted, listed or copied without one address each.

def test_people_counted_by_role_without_addresses_are_asked_about() -> None:
    got = read("Please could you save places on the food webinar for three of my senior buyers?")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_list_the_mail_says_is_attached_but_is_not_is_asked_about() -> None:
    got = read("Please register me and the people on the enclosed list for the logistics webinar.")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_an_attendee_whose_address_is_still_to_come_is_asked_about() -> None:
    got = read("For the food webinar please book:\nsam.reid@camden-council.example\n"
               "Amir Khan - he doesn't have his email address yet\n\nJo")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_attendees_listed_each_with_an_address_are_booked() -> None:
    got = read("For the food webinar please book:\nsam.reid@camden-council.example\n"
               "amir.khan@camden-council.example\n\nJo")
    assert confident(got, Intent.REGISTER, "food-2025")
    assert [p.email for p in got.people] == [
        "sam.reid@camden-council.example", "amir.khan@camden-council.example"
    ]


def test_a_substitute_on_a_personal_mail_address_is_asked_about() -> None:
    got = read("I can no longer make the food webinar; my colleague Dana will go instead, "
               "please use dana.w.1988@hotmail.com.")
    assert got.intent is Intent.SUBSTITUTE and got.is_unclear


def test_an_offer_accepted_for_someone_else_on_a_guess_is_asked_about() -> None:
    raw = (
        "From: Mark Lee <mark.lee@camden-council.example>\nTo: registrations@lupc.example\n"
        "Subject: RE: A place has come up: Food\nMessage-ID: <x1@camden-council.example>\n"
        "Content-Type: text/plain\n\nAnn forwarded me this while she is away - I expect she "
        "would want it, so yes for her please.\n\nMark\n\n________________________________\n"
        "From: Ann Lee <ann.lee@camden-council.example>\nSent: 21 March 2025 08:50\n"
        "To: Mark Lee <mark.lee@camden-council.example>\nSubject: FW: A place has come up: "
        "Food\n\nMark - can you deal with this?\n"
    )
    got = understand(parse_message(raw.encode()), EVENTS, DEFAULT_NOW, offered("food-2025"))
    assert got.intent is Intent.ACCEPT_OFFER and got.is_unclear


# Conditions: a booking that hangs on something the desk would have to settle.

def test_a_booking_that_refuses_the_waiting_list_is_asked_about() -> None:
    got = read("Please book me on the furniture webinar, but do not add me to the waiting list "
               "if there is no room.")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_booking_with_the_waiting_list_as_fallback_is_read() -> None:
    got = read("Please book me on the furniture webinar, or put me on the waiting list if full.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_a_choice_left_to_the_desk_is_asked_about() -> None:
    got = read("Could you book me on the construction webinar or the textiles one, whichever "
               "suits you better?")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_the_next_one_whichever_it_is_is_read() -> None:
    got = read("Please put me down for whichever is the next one.")
    assert confident(got, Intent.REGISTER, "construction-2025")


def test_a_second_person_added_only_perhaps_is_asked_about() -> None:
    got = read("Please register me for the logistics webinar. Possibly Priya as well, I'll "
               "check with her.")
    assert got.intent is Intent.REGISTER and got.is_unclear


# Mixed signals: a subject against the body, two changes in one.

def test_a_subject_naming_another_session_than_the_body_is_asked_about() -> None:
    got = understand(mail("Please book me on the furniture webinar.", "Construction webinar"),
                     EVENTS, DEFAULT_NOW)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_subject_saying_cancel_over_a_booking_is_asked_about() -> None:
    got = understand(mail("Please book me on the furniture webinar.", "Cancellation"),
                     EVENTS, DEFAULT_NOW)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_subject_naming_a_session_relative_to_another_is_read() -> None:
    got = understand(mail("Can I book the one after that please?", "The webinar after food"),
                     EVENTS, DEFAULT_NOW)
    assert confident(got, Intent.REGISTER, "textiles-2025")


@pytest.mark.parametrize("text", [
    "Please take me off the textiles webinar and put me on the furniture one.",
    "Could you move me from the textiles webinar to furniture?",
])
def test_a_swap_of_one_session_for_another_is_asked_about(text: str) -> None:
    got = read(text)
    assert got.intent is Intent.CANCEL and got.is_unclear


def test_two_people_named_together_with_only_one_copied_are_asked_about() -> None:
    copied = replace(
        mail("Could you book Nadia and Tomasz (copied) on the food webinar please?"),
        headers=(("cc", "Nadia Kaur <nadia.kaur@camden-council.example>"),),
    )
    got = understand(copied, EVENTS, DEFAULT_NOW)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_two_people_named_together_each_with_an_address_are_booked() -> None:
    got = read("Could you book Nadia and Tomasz on the food webinar? Nadia is "
               "nadia.k@camden-council.example and Tomasz is tomasz.b@camden-council.example.")
    assert confident(got, Intent.REGISTER, "food-2025")


# Which place: a reply over several places that does not say which goes.

def test_a_bare_cancellation_in_a_thread_of_several_places_is_asked_about() -> None:
    both = ThreadContext("confirmed", ("food-2025", "furniture-2025"), SENDER)
    got = read("I'm afraid my diary has filled up, please cancel.",
               subject="Re: Your places on Food and Furniture", context=both)
    assert got.intent is Intent.CANCEL and got.is_unclear


def test_a_cancellation_of_both_places_in_a_thread_is_read() -> None:
    both = ThreadContext("confirmed", ("food-2025", "furniture-2025"), SENDER)
    got = read("I'm afraid my diary has filled up, please cancel both.",
               subject="Re: Your places on Food and Furniture", context=both)
    assert confident(got, Intent.CANCEL, "food-2025", "furniture-2025")


# A correction in the mail takes back what came before it.

def test_a_session_taken_back_by_a_correction_is_not_booked() -> None:
    got = read("Please book me on the food webinar - no, wait, I'm away in June. Put me down "
               "for the textiles one instead.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


# Whose place: who passed a mail on, and a cancellation of a third person's place.

FORWARD = (
    "From: Leah Cohen <leah.cohen@camden-council.example>\nTo: registrations@lupc.example\n"
    "Subject: FW: Knowledge series\nMessage-ID: <x2@camden-council.example>\n"
    "Content-Type: text/plain\n\nHi Suzanne,\n\nPriya sent this round to the team - please "
    "could you book me onto the food webinar?\n\nLeah\n\n________________________________\n"
    "From: Priya Shah <priya.shah@camden-council.example>\nSent: 13 January 2025 14:20\n"
    "To: Procurement Team <team@camden-council.example>\nSubject: Knowledge series\n\n"
    "Worth a look if you buy food or catering.\n"
)


def test_who_passed_a_forwarded_mail_on_is_not_booked() -> None:
    got = understand(parse_message(FORWARD.encode()), EVENTS, DEFAULT_NOW)
    assert confident(got, Intent.REGISTER, "food-2025")
    assert [p.email for p in got.people] == []


def test_a_cancellation_of_his_place_without_his_address_is_asked_about() -> None:
    got = read("Omar is off sick for the month, so please cancel his place. I'll still be "
               "there.", subject="Re: Your places on Construction",
               context=ThreadContext("confirmed", ("construction-2025",), SENDER))
    assert got.intent is Intent.CANCEL and got.is_unclear


def test_someone_named_by_role_to_attend_without_an_address_is_asked_about() -> None:
    got = read("Please book me on the food webinar. Our catering services manager would like "
               "to come too.")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_manager_who_sends_the_sender_is_no_one_to_book() -> None:
    got = read("My line manager has asked me to attend the furniture webinar, please book me.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


# A question, not a booking: an appeal of our refusal, or how to book.

def test_asking_again_after_our_deadline_answer_is_a_question() -> None:
    closed = ThreadContext("deadline-passed", ("construction-2025",), SENDER)
    got = read("I do understand, but could you not fit me in anyway? I'd be very grateful.",
               subject="Re: Registration closed: Construction", context=closed)
    assert got.intent is Intent.QUESTION


def test_asking_how_to_book_is_a_question() -> None:
    got = read("I'd like to attend the furniture webinar - how do I go about registering? "
               "Is there a form?")
    assert got.intent is Intent.QUESTION


# Which session: a day of the month two sessions to come share, named with the loose word.

def test_the_webinar_on_a_day_a_webinar_and_a_workshop_share_is_asked_about() -> None:
    # 28 March is a webinar and 28 May a workshop; "webinar" is said of most sessions.
    assert read("Could you book me on the webinar on the 28th?", now=FEBRUARY).is_unclear


def test_the_workshop_on_a_day_a_webinar_and_a_workshop_share_is_read() -> None:
    # 29 January is a webinar and 29 October the workshop: "workshop" settles it.
    got = read("Could you book me on the workshop on the 29th?")
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_asking_for_another_session_after_our_deadline_answer_is_a_booking() -> None:
    closed = ThreadContext("deadline-passed", ("construction-2025",), SENDER)
    got = read("Shame - in that case please book me on the logistics webinar instead.",
               subject="Re: Registration closed: Construction", context=closed)
    assert confident(got, Intent.REGISTER, "logistics-2025")
