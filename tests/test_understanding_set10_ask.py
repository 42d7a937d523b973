"""Where fresh set 10 showed the desk changing a seat a careful coordinator would have asked about
(issue 9, round 10): each class a behaviour, in wording of its own."""

from __future__ import annotations

from test_understanding_classes import SENDER, confident, read

from mailflow.model import Intent, ThreadContext


def lapsed(event_id: str = "food-2025") -> ThreadContext:
    return ThreadContext("offer-expired", (event_id,), SENDER)

# A member asking to move themself from a held place to another: a cancellation beside the booking.


def test_could_i_move_to_another_session_instead_asks() -> None:
    got = read("I'm booked on the furniture webinar but can't make it now. Could I move to the "
               "textiles one instead?")
    assert got.is_unclear


def test_we_switch_over_to_another_session_asks() -> None:
    got = read("Can we switch over to the textiles webinar? We are on "
               "furniture at the moment.")
    assert got.is_unclear


def test_a_plain_booking_without_a_move_still_books() -> None:
    got = read("Could I book onto the textiles webinar please?")
    assert confident(got, Intent.REGISTER, "textiles-2025")


# A month named as a session's in which there is none: a session asked for that does not exist.


def test_two_months_listed_where_one_has_no_session_asks() -> None:
    got = read("Please book me onto the September and November webinars.")
    assert got.is_unclear


def test_a_month_s_webinar_when_that_month_has_none_asks() -> None:
    got = read("Could I have a place on the August webinar please?")
    assert got.is_unclear


def test_two_months_listed_that_both_have_sessions_still_book() -> None:
    got = read("Please book me onto the June and September webinars.")
    assert confident(got, Intent.REGISTER, "food-2025", "textiles-2025")


# A session's number beside a date naming another: number and date disagree.


def test_a_number_beside_the_date_of_another_session_asks() -> None:
    got = read("Please book me onto webinar 4 on 24 September.")
    assert got.is_unclear


def test_workshop_number_beside_the_other_workshop_s_date_asks() -> None:
    got = read("Could I have a place on workshop 3 on 29 October?")
    assert got.is_unclear


def test_a_number_beside_its_own_date_still_books() -> None:
    got = read("Please book me onto webinar 5 on 24 September.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


# A reply to a lapsed offer: the place has gone, so a "no" declines nothing.


def test_no_worries_after_a_lapsed_offer_is_an_acknowledgement() -> None:
    got = read("No worries, I was on leave last week. Thanks anyway.", context=lapsed())
    assert got.intent is Intent.ACKNOWLEDGEMENT


def test_a_plain_no_after_a_lapsed_offer_changes_no_seat() -> None:
    got = read("No, that's fine - I couldn't have made it anyway.", context=lapsed())
    assert got.intent is not Intent.DECLINE_OFFER


def test_a_no_to_an_open_offer_still_declines() -> None:
    got = read("No thank you, I can't make it now.",
               context=ThreadContext("offered", ("food-2025",), SENDER))
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


# A colleague set beside their role without an address, asked a place for.


def test_a_colleague_named_beside_their_role_without_an_address_asks() -> None:
    got = read("Could our new finance officer, Marguerite, also come along to the food webinar?")
    assert got.is_unclear


def test_a_colleague_beside_their_role_in_a_confirmed_thread_asks() -> None:
    got = read("Thanks! Could my deputy, Tomasz, attend as well?",
               context=ThreadContext("confirmed", ("food-2025",), SENDER))
    assert got.is_unclear


def test_a_colleague_beside_their_role_with_an_address_still_books() -> None:
    got = read("Could our new finance officer, Marguerite Lin, also come along to the food "
               "webinar? Her address is marguerite.lin@camden-council.example.")
    assert got.intent is Intent.REGISTER and not got.is_unclear


# A correction of an earlier request: the session asked for before is dropped too.


def test_a_correction_of_an_earlier_request_to_another_session_asks() -> None:
    got = read("Sorry, I emailed earlier asking for the food webinar but I meant textiles. Could "
               "you put me on textiles instead?")
    assert got.is_unclear


def test_a_booking_with_instead_and_no_earlier_request_still_books() -> None:
    got = read("I can't get to the conference, so could you book me on the textiles webinar "
               "please?")
    assert confident(got, Intent.REGISTER, "textiles-2025")
