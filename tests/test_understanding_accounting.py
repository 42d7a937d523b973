"""A reading is confident only when every clause that asks for, conditions or hedges a seat change
is accounted for (accounting.py; issue 9, the structural step after fresh set 10): each clause
left over makes the desk ask, with its words as evidence."""

from __future__ import annotations

from test_understanding_classes import SENDER, confident, read

from mailflow.model import Intent, ThreadContext

SAM = "sam.reid@camden-council.example"


def waiting(event_id: str = "food-2025") -> ThreadContext:
    return ThreadContext("waitlisted", (event_id,), SENDER)


# A request that is one branch of a choice hanging on a question only the desk can answer.


def test_a_booking_in_the_if_not_branch_of_a_recording_question_asks() -> None:
    got = read("Will the textiles webinar be recorded? If so I'll catch up later. "
               "If not, please book me on.")
    assert got.is_unclear
    assert got.reason.startswith("asks on a condition:")


def test_a_booking_waiting_on_whether_the_session_is_online_asks() -> None:
    got = read("Is the textiles webinar online? If it is, I'll watch from home. "
               "If not, please book me.")
    assert got.is_unclear


def test_a_booking_after_asking_whether_there_is_space_still_books() -> None:
    got = read("Is there still space on textiles? If so please book me.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_a_booking_after_asking_whether_already_booked_still_books() -> None:
    got = read("Can you confirm I'm on the textiles webinar? If not please book me.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


# A clause going on from a request that puts a condition on it.


def test_a_condition_said_after_the_request_asks() -> None:
    got = read("Please book me on textiles. Provided my manager agrees.")
    assert got.is_unclear
    assert "provided my manager agrees" in got.reason


def test_only_if_another_place_falls_through_asks() -> None:
    got = read("Could you book me onto textiles instead? Only if the food place doesn't "
               "come through.", context=waiting())
    assert got.is_unclear


def test_if_nothing_comes_up_on_the_waiting_list_asks() -> None:
    got = read("If nothing turns up on food, could you book me onto textiles instead?",
               context=waiting())
    assert got.is_unclear


def test_a_listed_session_on_a_condition_asks() -> None:
    got = read("Please book me on:\n- textiles\n- food, depending on my leave")
    assert got.is_unclear


def test_a_listed_session_if_possible_still_books() -> None:
    got = read("Please book me on textiles and food.\n- textiles (if possible)\n- food")
    assert confident(got, Intent.REGISTER, "food-2025", "textiles-2025")


def test_a_remark_on_how_a_colleague_attends_still_books() -> None:
    got = read(f"Please book Sam Reid ({SAM}) and me onto textiles. Sam may need to leave early.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


# A second branch inside the request: a choice between sessions left to the desk.


def test_one_session_or_else_another_asks() -> None:
    got = read("Could you put me on the food waiting list, or else book me onto textiles?")
    assert got.is_unclear
    assert got.reason.startswith("leaves a choice between sessions:")


def test_one_session_or_failing_that_another_asks() -> None:
    got = read("Please book me on the food webinar or, failing that, the textiles one.")
    assert got.is_unclear


def test_a_session_otherwise_the_waiting_list_still_books() -> None:
    got = read("Please book me on the textiles webinar, otherwise the waiting list is fine.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_another_session_should_the_first_be_full_asks() -> None:
    got = read("Book me on food. If food is full, then textiles please.")
    assert got.is_unclear
    assert got.reason.startswith("leaves a choice between sessions:")


def test_or_another_session_if_the_first_is_full_asks() -> None:
    got = read("Please book me on food - or textiles if food is full.")
    assert got.is_unclear


def test_the_waiting_list_should_the_session_be_full_still_books() -> None:
    got = read("Could I book onto food? If it's full, please put me on the waiting list.")
    assert confident(got, Intent.REGISTER, "food-2025")


def test_happy_to_wait_should_the_session_be_full_still_books() -> None:
    got = read("Please book me onto food - if it's full I'm happy to wait.")
    assert confident(got, Intent.REGISTER, "food-2025")


# Someone booked beside the sender who only might come.


def test_a_colleague_who_may_also_want_to_come_asks() -> None:
    got = read(f"Please book me onto textiles. Sam Reid ({SAM}) may also want to come - "
               "he's checking his diary.")
    assert got.is_unclear
    assert got.reason == f'names {SAM} only perhaps: "may also want"'


def test_a_colleague_who_would_like_to_come_is_booked() -> None:
    got = read(f"Please book me onto textiles. My colleague Sam Reid ({SAM}) would like to "
               "come too.")
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert SAM in {p.email for p in got.people}


def test_a_polite_could_you_possibly_still_books_both() -> None:
    got = read(f"Could you possibly book me and Sam Reid ({SAM}) onto textiles?")
    assert confident(got, Intent.REGISTER, "textiles-2025")
