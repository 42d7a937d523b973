"""Seat changes a careful coordinator would not make (probes, round 19): a verb of giving up is
no booking, and a session kept after a "but" is no target of the cancellation. Each rule beside
a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext

MARCH = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
FOOD_AND_TEXTILES = ThreadContext("confirmed", ("food-2025", "textiles-2025"), SENDER)
TEXTILES_AND_FURNITURE = ThreadContext("confirmed", ("furniture-2025", "textiles-2025"), SENDER)


def at_desk(text: str, context: ThreadContext | None = FOOD_AND_TEXTILES,
            subject: str = "Re: Your bookings") -> Request:
    return at_the_desk(text, MARCH, context, subject, SENDER)


def no_booking(request: Request) -> bool:
    return request.is_unclear or request.intent is not Intent.REGISTER


# 1. A verb of giving up: a cancellation where the words name the session, never a booking.


@pytest.mark.parametrize("text", [
    "Could you drop the food session for me please",
    "Could you scrap the food one please",
    "Please pull me out of the food session",
    "Please remove me from the food session",
])
def test_a_session_given_up_by_its_verb_is_cancelled(text: str) -> None:
    assert confident(at_desk(text), Intent.CANCEL, "food-2025")


def test_the_same_session_asked_for_without_a_verb_is_still_booked() -> None:
    got = at_desk("the food one please", context=None, subject="Booking")
    assert confident(got, Intent.REGISTER, "food-2025")


def test_two_sessions_given_up_without_their_article_book_nothing() -> None:
    got = at_desk("drop textiles and the food one please")
    assert no_booking(got)
    assert got.is_unclear or got.intent is not Intent.CANCEL or len(got.event_ids) == 2


@pytest.mark.parametrize("text", [
    "Thanks, drop me a line when the food session is open",
    "I'll drop in to the food session",
    "Is the food session a drop-in session?",
])
def test_drop_in_or_a_line_is_no_cancellation(text: str) -> None:
    got = at_desk(text)
    assert got.is_unclear or got.intent is not Intent.CANCEL


# 2. "But the X one, please keep": the session kept after a "but" is not cancelled.


def test_a_session_left_as_it_is_after_but_is_not_cancelled() -> None:
    got = at_desk("Please cancel textiles but the furniture one please leave as it is",
                  context=TEXTILES_AND_FURNITURE)
    assert confident(got, Intent.CANCEL, "textiles-2025")


@pytest.mark.parametrize("text", [
    "Please cancel food, but the textiles one please keep",
    "Please cancel food, but the textiles one leave it",
])
def test_a_session_kept_after_but_is_not_cancelled(text: str) -> None:
    assert confident(at_desk(text), Intent.CANCEL, "food-2025")


def test_keep_me_posted_keeps_no_session() -> None:
    got = at_desk("Please cancel textiles, and please keep me posted")
    assert confident(got, Intent.CANCEL, "textiles-2025")


def test_keep_me_on_the_list_beside_both_cancels_both() -> None:
    got = at_desk("Please cancel both, but please keep me on the list for next year")
    assert confident(got, Intent.CANCEL, "food-2025", "textiles-2025")
