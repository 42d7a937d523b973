"""Readings a careful coordinator would take (round 23, a condition on when the session is):
"if it's a Thursday then yes" to a Wednesday session, or "as long as it's in April" for a March one,
waits on a fact that is false, so the desk asks; a condition the session meets stands. Each rule
beside a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext

JUNE_20 = datetime(2025, 6, 20, 9, 0, tzinfo=UTC)  # the food webinar is Wednesday 25 June
FEB_3 = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)  # the logistics webinar is Friday 28 March
SENDER = "jo.bloggs@camden-council.example"
OFFER = ThreadContext("offered", ("food-2025",), SENDER)


def answer(text: str) -> Request:
    return at_the_desk(text, JUNE_20, OFFER, subject="Re: A place has come up", sender=SENDER)


def test_a_yes_on_condition_of_a_weekday_the_session_is_not_on_asks() -> None:
    for text in ("If it's a Thursday then yes please.", "If it's on a Thursday, yes I'll take it."):
        got = answer(text)
        assert got.intent is Intent.ACCEPT_OFFER and got.is_unclear, text
        assert "thursday" in got.reason


def test_a_yes_on_condition_of_the_weekday_the_session_is_on_stands() -> None:
    got = answer("Yes please, as long as it's a Wednesday")
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_a_yes_on_condition_of_a_month_the_session_is_not_in_asks() -> None:
    got = answer("If it's in July, yes please.")
    assert got.intent is Intent.ACCEPT_OFFER and got.is_unclear
    assert confident(answer("Yes please, as long as it's in June"), Intent.ACCEPT_OFFER,
                     "food-2025")


def test_a_day_of_the_members_own_is_no_condition_on_the_session() -> None:
    got = answer("Yes please! I'm off on Thursday but that's fine.")
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_a_booking_on_condition_of_when_the_session_is_asks_only_when_it_is_false() -> None:
    book = "Please book me on the logistics webinar "
    assert confident(at_the_desk(book + "if it's on a Friday.", FEB_3), Intent.REGISTER,
                     "logistics-2025")
    assert confident(at_the_desk(book + "as long as it's in March.", FEB_3), Intent.REGISTER,
                     "logistics-2025")
    assert at_the_desk(book + "if it's on a Tuesday.", FEB_3).is_unclear
    assert at_the_desk(book + "as long as it's in April.", FEB_3).is_unclear
