"""Where fresh set 11 showed the desk asking the coordinator about a request a careful
coordinator would have read alone (issue 9, round 12): each class a behaviour, in wording of
its own."""

from __future__ import annotations

from test_understanding_classes import SENDER, confident, read

from mailflow.model import Intent, ThreadContext


def offered(event_id: str = "food-2025") -> ThreadContext:
    return ThreadContext("offered", (event_id,), SENDER)


# A no to an offer beside a question about another year's run: the no stands.


def test_a_decline_with_a_question_about_next_year_declines() -> None:
    got = read("Sorry, I have to decline - I'm on leave that week. Will the food webinar be "
               "on again next year? I'd be interested.", context=offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")
    assert "next year" in got.question


def test_a_decline_hanging_on_another_time_of_this_session_still_asks() -> None:
    got = read("I can't do the morning. Is there an afternoon repeat? If not I'll leave it.",
               context=offered())
    assert got.is_unclear


# "Maybe next time": a hope for a later occasion, no condition on the answer given.


def test_maybe_next_time_after_a_no_is_no_condition() -> None:
    got = read("Thanks, but I must decline - I'm at a conference that day. Maybe next time.",
               context=offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_perhaps_another_year_after_a_booking_is_no_hedge() -> None:
    got = read("Please book me on the textiles webinar. Perhaps another year I'll do them all.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_maybe_on_the_request_itself_still_hedges() -> None:
    got = read("Maybe book me on the textiles webinar? Not decided.")
    assert got.is_unclear


# Who may come at all: a question for the desk, not mail for nobody.


def test_a_non_member_asking_how_to_take_part_is_a_question() -> None:
    got = read("We aren't members as far as I know - is there any way for us to take part, "
               "for example by paying, or must we join first?")
    assert got.intent is Intent.QUESTION


def test_asking_whether_associates_may_attend_any_session_is_a_question_about_none() -> None:
    got = read("Just so I understand - are associate members not able to attend any of the "
               "sessions, or only when they're full? Is there a way for us to upgrade?",
               subject="RE: Textiles webinar - booking")
    assert got.intent is Intent.QUESTION and got.event_ids == ()
