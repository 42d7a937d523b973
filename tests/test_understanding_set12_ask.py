"""Where fresh set 12 showed the desk changing a seat a careful coordinator would have asked about
(issue 9, round 13): each class a behaviour, in wording of its own, beside a control that books."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk, confident, offered, read

from mailflow.model import Intent, Request

APRIL = datetime(2025, 4, 10, 9, 0, tzinfo=UTC)
FEBRUARY = datetime(2025, 2, 10, 9, 0, tzinfo=UTC)


def emails(got: Request) -> list[str]:
    return [p.email for p in got.people]


def at_desk(text: str, sender: str = SENDER, now: datetime = FEBRUARY) -> Request:
    return at_the_desk(text, now, None, "Booking", sender)


# 1. The timetable's number and a name beside it that names another session.


def test_a_number_joined_to_another_session_s_topic_by_a_preposition_asks() -> None:
    # Number 3 is the May evidence workshop; food is number 4.
    got = read("Could you put me down for webinar 3 about food, please?", now=APRIL)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_number_with_its_own_topic_beside_it_books() -> None:
    got = read("Could you put me down for webinar 4 on food, please?", now=APRIL)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_a_number_and_another_session_joined_by_and_books_both() -> None:
    got = read("Please book me on webinar 2 and the food webinar.", now=FEBRUARY)
    assert confident(got, Intent.REGISTER, "logistics-2025", "food-2025")


# 2. A sender at no full member who says they work at one.


def test_a_personal_address_from_someone_who_says_they_work_at_a_member_asks() -> None:
    got = at_desk("I work in the estates team at Westbury and would like a place on the "
                  "furniture webinar please.", sender="sam.jones@hotmail.example")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_cancellation_from_a_personal_address_introducing_a_member_asks() -> None:
    got = at_desk("Sam Jones here (Kingsgate estates) - please cancel my place on the "
                  "logistics webinar.", sender="sam.jones@hotmail.example")
    assert got.intent is Intent.CANCEL and got.is_unclear


def test_a_signature_at_a_member_under_a_personal_address_asks() -> None:
    got = at_desk("Please book me onto the logistics webinar.\n\nThanks,\nSam Jones\n"
                  "Buyer\nKingsgate College", sender="sam.jones@yahoo.example")
    assert got.is_unclear


def test_a_personal_address_giving_a_member_address_as_its_own_asks() -> None:
    got = at_desk("Please book me on the logistics webinar - my work email is "
                  "sam.jones@westbury.ac.example but I can't get into it today.",
                  sender="sam.jones@icloud.example")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_non_member_naming_a_member_only_as_someone_else_s_stays_a_request() -> None:
    # Not eligible is decide's answer: the interpreter stays sure of what was asked.
    got = at_desk("A colleague at Camden passed on your announcement. Please book me onto the "
                  "logistics webinar.", sender="sam.jones@islington-council.example")
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_a_member_s_own_address_saying_where_they_work_books() -> None:
    got = at_desk("I work in the transport team at Camden and would like a place on the "
                  "logistics webinar please.")
    assert confident(got, Intent.REGISTER, "logistics-2025")


# 3. An answer to an offer that leaves the place to the coordinator's preference.


def test_an_offer_answer_leaving_the_place_to_the_coordinator_s_preference_asks() -> None:
    got = read("I'd have to leave at half ten. If you'd prefer, pass it on to somebody who "
               "can stay for all of it - no problem.", context=offered())
    assert got.is_unclear


def test_an_offer_passed_to_the_next_person_still_declines() -> None:
    got = read("Thanks, but I can't make it now - please give it to the next person on the "
               "list.", context=offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


# 4. "Every remaining session" is every session still to come.


def test_every_remaining_session_from_a_session_onwards_is_every_one_after_it() -> None:
    got = read("Please sign me up for every remaining session in the series from the food "
               "webinar onwards.", now=APRIL)
    assert confident(got, Intent.REGISTER, "food-2025", "textiles-2025",
                     "evidence-skills-oct-2025", "furniture-2025")


def test_each_upcoming_workshop_is_every_workshop_still_to_come() -> None:
    got = read("Please book me on each upcoming workshop.", now=APRIL)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025", "evidence-skills-oct-2025")


def test_one_named_session_still_books_only_that_one() -> None:
    got = read("Please register me for the food webinar.", now=APRIL)
    assert confident(got, Intent.REGISTER, "food-2025")


# 5. A condition on someone else's sign-off, in any tense.


def test_a_booking_subject_to_a_manager_signing_it_off_asks() -> None:
    got = read("I'd like to come to the textiles webinar, subject to my line manager signing "
               "it off next week.")
    assert got.is_unclear


def test_a_booking_already_signed_off_books() -> None:
    got = read("My manager has signed it off, so please book me onto the textiles webinar.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


# 6. Every person a list or table of attendees names is one to account for.


def test_a_list_item_with_a_first_name_and_no_address_asks() -> None:
    got = read("Please register the following for the furniture webinar:\n\n"
               "1. Amy Patel - amy.patel@camden-council.example\n"
               "2. Ravi (facilities)\n")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_list_giving_every_address_books_them_all() -> None:
    got = read("Please register the following for the furniture webinar:\n\n"
               "1. Amy Patel - amy.patel@camden-council.example\n"
               "2. Ravi Shah - ravi.shah@camden-council.example\n")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert {"amy.patel@camden-council.example", "ravi.shah@camden-council.example"} <= set(
        emails(got)
    )


def test_a_table_of_names_without_addresses_asks() -> None:
    got = read("Please book these colleagues for the furniture webinar:\n\n"
               "Name | Team\nAmy Patel | Estates\nRavi Shah | Facilities\n")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_table_of_names_with_addresses_books_them() -> None:
    got = read("Please book these colleagues for the furniture webinar:\n\n"
               "Name | Email\nAmy Patel | amy.patel@camden-council.example\n"
               "Ravi Shah | ravi.shah@camden-council.example\n")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert {"amy.patel@camden-council.example", "ravi.shah@camden-council.example"} <= set(
        emails(got)
    )


# 7. A season's edges are the writer's own.


def test_the_one_in_the_summer_with_sessions_at_its_edges_asks() -> None:
    got = read("Could I book on the one in the summer?", now=APRIL)
    assert got.is_unclear


def test_the_autumn_workshop_is_the_one_workshop_in_the_autumn() -> None:
    got = read("Could I book on the autumn workshop?", now=APRIL)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


# 8. Places asked for by pointing at an earlier booking.


def test_same_as_last_time_please_is_a_registration_for_the_coordinator() -> None:
    got = read("Same as last time please, for me and two of the team.")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_thanks_for_me_and_the_team_is_still_thanks() -> None:
    got = read("Thanks very much from me and the team!")
    assert got.intent is Intent.ACKNOWLEDGEMENT
