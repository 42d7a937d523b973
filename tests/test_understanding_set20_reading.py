"""Readings a careful coordinator would take (round 20): a cancellation tried and not managed,
for a session gone by, is the past reported; "the one after next" is the second session still to come. Each rule beside a control that must not change."""

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


# 2. "The session after next": the second still to come, counted from now.

FEB = datetime(2025, 2, 4, 11, 40, tzinfo=UTC)


def test_session_after_next_is_the_second_still_to_come() -> None:
    got = at_the_desk("Hi Suzanne,\n\nCould you put me down for the session after next? The "
                      "March one clashes with\nour year-end close so that's out, "
                      "unfortunately.\n\nCheers\nTom", FEB)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_one_after_next_counts_from_now() -> None:
    got = at_the_desk("Hi Suzanne,\n\nCan you book me on the one after next? Thanks!\n\nChloe",
                      datetime(2025, 7, 22, 8, 50, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_workshop_after_next_counts_the_workshops() -> None:
    got = at_the_desk("Hi,\n\nCould you put me down for the workshop after next?\n\nTom", FEB)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_control_the_next_one_is_still_the_next() -> None:
    got = at_the_desk("Hi,\n\nCan you book me on the next one? Thanks!\n\nChloe",
                      datetime(2025, 7, 22, 8, 50, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "textiles-2025")
