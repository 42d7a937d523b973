"""Where fresh set 17 showed plain requests sent to the coordinator (round 18, offer22): each
rule a behaviour, in wording of its own, beside a control that still asks."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, Request

JANUARY = datetime(2025, 1, 25, 10, 0, tzinfo=UTC)


def at_desk(text: str, now: datetime = JANUARY, subject: str = "Booking",
            sender: str = SENDER) -> Request:
    return at_the_desk(text, now, None, subject, sender)


# 1. "Any chance of a place on Wednesday's construction webinar? If not no worries": with no
# condition stated on the request, "if not, no worries" closes it politely; the request is plain.
# Stated ("if there's space ... if not, no worries"), the condition still makes the desk ask.


def test_if_not_no_worries_after_a_plain_request_books() -> None:
    got = at_desk("I realise I've missed the deadline, but any chance of a place on the "
                  "construction webinar? If not, never mind.")
    assert confident(got, Intent.REGISTER, "construction-2025"), got.reason


def test_if_not_no_worries_after_a_stated_condition_still_asks() -> None:
    got = at_desk("If it's not too late, any chance of a place on the construction webinar? If "
                  "not, never mind.")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_otherwise_with_a_second_outcome_still_asks() -> None:
    got = at_desk("Any chance of a place on the construction webinar? If not, put me on the "
                  "logistics one instead.")
    assert got.is_unclear


# 2. "Book me on food; is there a fee?" from outside the full members: the answer to the booking
# (not eligible) answers what it would cost them too. From a member the fee is still asked.

JUNE = datetime(2025, 6, 10, 13, 0, tzinfo=UTC)
FOOD = "I'd like to book on the food webinar on 25 June. Is there a fee?"


def test_a_fee_asked_beside_a_booking_from_outside_the_members_is_no_doubt() -> None:
    got = at_desk(FOOD, JUNE, sender="m.tran@schools-trust.example")
    assert confident(got, Intent.REGISTER, "food-2025"), got.reason


def test_a_fee_asked_beside_a_members_booking_still_asks() -> None:
    got = at_desk(FOOD, JUNE)
    assert got.intent is Intent.REGISTER and got.is_unclear


# 3. "Any chance of a place on the 24th?": a day of the month the series gives one session alone,
# still to come this month, is that session's date. A day two sessions share (one of them over),
# or one whose session is months away, is still checked.

SEPTEMBER = datetime(2025, 9, 8, 8, 0, tzinfo=UTC)


def test_the_only_session_later_this_month_on_that_day_is_booked() -> None:
    got = at_desk("any chance of a place on the 24th? ta", SEPTEMBER, "Re: Knowledge Building")
    assert confident(got, Intent.REGISTER, "textiles-2025"), got.reason


def test_a_day_two_sessions_share_is_still_checked() -> None:
    got = at_desk("any chance of a place on the 29th? ta", datetime(2025, 10, 2, tzinfo=UTC),
                  "Re: Knowledge Building")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_session_months_away_on_that_day_is_still_checked() -> None:
    got = at_desk("any chance of a place on the 24th? ta", datetime(2025, 6, 2, tzinfo=UTC),
                  "Re: Knowledge Building")
    assert got.is_unclear
