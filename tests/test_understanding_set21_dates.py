"""Sessions named by dates, weekdays, ordinals and seasons (round 21); each rule beside a
control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent

# 1. A weekday and a day of the month name the coming such date.


def test_weekday_and_day_name_the_near_session_on_them() -> None:
    # 13 January: Wednesday 29 January (construction) is near, Wednesday 29 October far.
    got = at_the_desk("Can I book on to the session on Wednesday 29th pls?",
                      datetime(2025, 1, 13, 8, 0, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "construction-2025")


def test_weekday_and_day_far_off_still_ask() -> None:
    # 1 November of the year before: the nearer Wednesday 29th is three months away, too far
    # for a day with no month to name it over the October one.
    got = at_the_desk("Can I book on to the session on Wednesday 29th pls?",
                      datetime(2024, 11, 1, 8, 0, tzinfo=UTC))
    assert got.is_unclear


def test_weekday_passing_over_the_nearer_day_still_asks() -> None:
    # 5 March: the 28th this month is a Friday; Wednesday 28 May is the workshop.
    got = at_the_desk("Could you register me for Wednesday the 28th?",
                      datetime(2025, 3, 5, 10, 0, tzinfo=UTC))
    assert got.is_unclear
