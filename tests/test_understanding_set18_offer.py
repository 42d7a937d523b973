"""Where fresh set 17 showed replies in the desk's own threads misread (round 18, offer22):
each rule a behaviour, in wording of its own, beside a control that must keep its reading."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext

OCTOBER = datetime(2025, 10, 16, 9, 0, tzinfo=UTC)


def at_desk(text: str, context: ThreadContext | None = None, subject: str = "Booking",
            now: datetime = OCTOBER, sender: str = SENDER) -> Request:
    return at_the_desk(text, now, context, subject, sender)


def offered(event_id: str) -> ThreadContext:
    return ThreadContext("offered", (event_id,), SENDER)


# 1. A yes that hangs on which session the offer is ("if it's October then yes"): the offer in
# the thread settles it, and the question of which it is needs no answer.


def test_yes_on_condition_the_offer_meets_accepts() -> None:
    got = at_desk("Was this for the October workshop or the May one? I was waitlisted for both."
                  " If it is October, then yes - I'll take it.",
                  offered("evidence-skills-oct-2025"))
    assert confident(got, Intent.ACCEPT_OFFER, "evidence-skills-oct-2025"), got.reason


def test_yes_on_condition_of_another_session_asks() -> None:
    got = at_desk("Was this for the October workshop or the May one? If it's May, then yes "
                  "please.", offered("evidence-skills-oct-2025"))
    assert got.intent is Intent.ACCEPT_OFFER and got.is_unclear


def test_which_session_asked_with_a_plain_yes_still_asks() -> None:
    got = at_desk("Is this the October one or May? Yes please.",
                  offered("evidence-skills-oct-2025"))
    assert got.is_unclear


# 2. An answer to an offer written only in the subject, over an empty body: the member's words
# added to our subject are the answer.


def test_yes_added_to_our_subject_over_an_empty_body_accepts() -> None:
    got = at_desk("", offered("furniture-2025"),
                  subject="RE: A place is available: Furniture - yes, I'll take it")
    assert confident(got, Intent.ACCEPT_OFFER, "furniture-2025"), got.reason


def test_no_added_to_our_subject_declines() -> None:
    got = at_desk("", offered("food-2025"),
                  subject="Re: Place available: Food (including frozen imported seafood) - no"
                          " thanks")
    assert confident(got, Intent.DECLINE_OFFER, "food-2025"), got.reason


def test_our_subject_quoted_back_over_an_empty_body_asks_nothing() -> None:
    got = at_desk("", offered("furniture-2025"),
                  subject="Re: A place is available: Furniture - please reply by Wed 3 Dec")
    assert got.intent is Intent.UNKNOWN


def test_a_yes_in_the_subject_of_a_confirmation_thread_changes_nothing() -> None:
    got = at_desk("", ThreadContext("confirmed", ("furniture-2025",), SENDER),
                  subject="Re: Your place is confirmed: Furniture - yes")
    assert got.intent is Intent.UNKNOWN


# 3. "So no to this one": a no said of the offer itself, beside a remark on another list.


def test_no_to_this_one_declines_the_offer() -> None:
    got = at_desk("Thanks, but I think there's been a mix-up: I was on the list for food, not "
                  "textiles. So it's no to this one, but please keep me on the food list.",
                  offered("textiles-2025"))
    assert confident(got, Intent.DECLINE_OFFER, "textiles-2025"), got.reason


def test_would_not_say_no_to_this_one_is_no_decline() -> None:
    got = at_desk("I wouldn't say no to this one - yes please!", offered("textiles-2025"))
    assert confident(got, Intent.ACCEPT_OFFER, "textiles-2025"), got.reason


# 4. "On leave until the 15th": a day of the month that bounds the member's own time names no
# session, so it contradicts none (a day asked for that no session has still does).

DECEMBER = datetime(2025, 12, 4, 11, 0, tzinfo=UTC)
COLLEAGUE = "rachel.fox@camden-council.example"


def test_day_of_an_absence_does_not_contradict_the_offer() -> None:
    got = at_desk("Rachel is away until the 15th so she can't take this one - please offer it "
                  "to the next person.", ThreadContext("offered", ("furniture-2025",), COLLEAGUE),
                  now=DECEMBER)
    assert confident(got, Intent.DECLINE_OFFER, "furniture-2025"), got.reason


def test_a_day_asked_for_that_no_session_has_still_asks() -> None:
    got = at_desk("Yes please - is that the one on the 15th?",
                  ThreadContext("offered", ("furniture-2025",), SENDER), now=DECEMBER)
    assert got.is_unclear and "does not match a session date" in got.reason
