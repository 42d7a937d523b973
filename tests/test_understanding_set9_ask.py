"""Where fresh set 9 showed the desk changing a seat a careful coordinator would have asked about
(issue 9, round 9): each class a behaviour, in wording of its own."""

from __future__ import annotations

from test_understanding_classes import SENDER, confident, read

from mailflow.model import Intent, ThreadContext


def waitlisted(event_id: str = "food-2025") -> ThreadContext:
    return ThreadContext("waitlisted", (event_id,), SENDER)


# A request for a place that says to do nothing if the session is full: not the waiting list.

def test_a_place_only_if_there_is_room_and_no_worry_if_full_asks() -> None:
    got = read("If there's a place left on the textiles webinar I'd like to come - if it's "
               "full, don't worry.")
    assert got.is_unclear


def test_please_do_not_worry_if_it_is_full_asks() -> None:
    got = read("If there's space on the furniture webinar I'd be grateful for a place, but "
               "please don't worry if it's full.")
    assert got.is_unclear


def test_no_worries_if_there_is_no_space_asks() -> None:
    got = read("If there isn't space on the furniture webinar, no worries - otherwise I'd love "
               "to come.")
    assert got.is_unclear


def test_understanding_if_it_is_full_still_books() -> None:
    got = read("Can I still get on the furniture webinar? I understand if it's full.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


# A request withdrawn in advance should its condition fail: "completely understand if not".

def test_a_request_let_go_if_its_condition_fails_asks() -> None:
    got = read("If it isn't too late, could you book me on the furniture webinar? Totally "
               "understand if not.")
    assert got.is_unclear


def test_a_late_request_that_accepts_the_waiting_list_still_books() -> None:
    got = read("I know the deadline has passed - could you still book me on the furniture "
               "webinar? Happy to go on the waiting list if it's full.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


# A change that waits on how another request turns out (the waiting list's answer).

def test_a_move_only_if_the_waiting_list_does_not_come_through_asks() -> None:
    got = read("Thanks. If food doesn't work out, could you move me to the textiles one "
               "instead?", context=waitlisted())
    assert got.is_unclear


def test_a_move_off_the_waiting_list_said_outright_still_books() -> None:
    got = read("Thanks. Could you move me to the textiles one in September instead? Happy to "
               "come off the food list.", context=waitlisted())
    assert confident(got, Intent.REGISTER, "textiles-2025")


# A swap whose cancelled place is named only as "that one": a cancellation and a booking.

def test_a_swap_naming_only_the_new_session_asks() -> None:
    got = read("I'm booked on the food webinar but that's now clashing with a board meeting. "
               "Could you take me off that one and put me on the furniture webinar instead?")
    assert got.is_unclear


def test_a_cancellation_with_an_other_plan_instead_still_cancels() -> None:
    got = read("Please cancel my place on the furniture webinar - I'll watch the slides "
               "instead.")
    assert confident(got, Intent.CANCEL, "furniture-2025")


# Someone joined to a booking by name and team, with no address: who is to be booked?

def test_a_colleague_named_with_their_team_and_no_address_asks() -> None:
    got = read("I'd like to come to the furniture webinar, and Priya in our estates team would "
               "like to come too.")
    assert got.is_unclear


def test_an_address_the_sender_still_has_to_find_asks() -> None:
    got = read("Please book these onto the furniture webinar:\n- me\n- Ann Lee - "
               "ann.lee@camden-council.example\n- Tom from the estates services team (I'll dig "
               "out his address)")
    assert got.is_unclear


# "Both of my places" counts the places given up: the two named one by one, not a wider span.

def test_both_places_named_by_date_cancel_those_two_not_the_rest_of_the_year() -> None:
    got = read("I'm on secondment for the rest of the year, so please cancel both of my "
               "workshop places (28 May and 29 October).")
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025", "evidence-skills-oct-2025")


def test_both_our_places_on_one_named_session_still_cancels_it() -> None:
    got = read("Neither I nor Ann Lee (ann.lee@camden-council.example) can attend the furniture "
               "webinar now. Please cancel both our places.")
    assert got.intent is Intent.CANCEL and got.event_ids == ("furniture-2025",)


# A new booking naming its session only by a day of the month: is the date the one meant?

def test_a_booking_named_only_by_a_day_of_the_month_asks() -> None:
    got = read("Is there still room on the session on the 10th? If so I'd like to register.")
    assert got.is_unclear


def test_a_day_of_the_month_beside_the_session_s_name_still_books() -> None:
    got = read("Is there still room on the furniture webinar on the 10th? If so I'd like to "
               "register.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


# A booking asked as a move from a place held: a cancellation beside it, two changes.

def test_a_move_from_a_place_held_to_another_session_asks() -> None:
    got = read("I'm booked on the food webinar. Could you switch me to the furniture one "
               "instead?")
    assert got.is_unclear


def test_a_move_from_the_waiting_list_said_plainly_still_books() -> None:
    got = read("Position 4 doesn't sound promising. Could you move me across to the furniture "
               "webinar instead? Happy to come off the food list.", context=waitlisted())
    assert confident(got, Intent.REGISTER, "furniture-2025")
