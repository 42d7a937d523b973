"""Readings a careful coordinator would take (round 20): a cancellation tried and not managed,
for a session gone by, is the past reported. Each rule beside a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent

JUNE_END = datetime(2025, 6, 30, 10, 0, tzinfo=UTC)


# 1. "I wasn't able to cancel in time ... and ended up missing it": no cancellation.

def test_cancel_not_managed_for_a_missed_session_is_the_past_reported() -> None:
    got = at_the_desk("Hi Suzanne,\n\nI wasn't able to cancel in time for last week's food "
                      "webinar and ended up missing it, sorry. Will I still get the briefing "
                      "note?\n\nGreg", JUNE_END)
    assert got.intent is Intent.QUESTION


def test_forgot_to_cancel_and_missed_it_cancels_nothing() -> None:
    got = at_the_desk("Hi,\n\nI forgot to cancel the food webinar and missed it, apologies. "
                      "Is there a recording?\n\nGreg", JUNE_END)
    assert got.intent is not Intent.CANCEL


def test_control_cancel_not_managed_online_asked_of_us_still_cancels() -> None:
    got = at_the_desk("Hi,\n\nI wasn't able to cancel online for the textiles webinar, could "
                      "you cancel my place please?\n\nGreg", JUNE_END)
    assert confident(got, Intent.CANCEL, "textiles-2025")


def test_control_could_not_cancel_then_please_cancel_still_cancels() -> None:
    got = at_the_desk("Hi,\n\nI couldn't cancel on the website, so please cancel my place on "
                      "the textiles webinar.\n\nGreg", JUNE_END)
    assert confident(got, Intent.CANCEL, "textiles-2025")
