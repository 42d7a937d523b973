"""Sessions named by dates, weekdays, ordinals and seasons (round 21); each rule beside a
control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
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


# 2. "Wednesday week", "a week on Wednesday", "Wednesday next week": the Wednesday of next week.

MONDAY_1_DECEMBER = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("said", [
    "Afraid I'll have to cancel Wednesday week - budget-setting has landed on the same morning.",
    "Afraid I'll have to cancel a week on Wednesday, sorry.",
    "Please cancel my place for Wednesday next week.",
])
def test_a_weekday_a_week_on_names_the_session_of_next_week(said: str) -> None:
    got = at_the_desk(said, MONDAY_1_DECEMBER)
    assert confident(got, Intent.CANCEL, "furniture-2025")


@pytest.mark.parametrize("said", [
    "Afraid I'll have to cancel Wednesday - budget-setting has landed on the same morning.",
    "Please cancel my place for Wednesday this week.",
])
def test_the_coming_weekday_with_no_session_still_asks(said: str) -> None:
    assert at_the_desk(said, MONDAY_1_DECEMBER).is_unclear


def test_a_day_given_to_me_for_names_the_session_that_day() -> None:
    got = at_the_desk("Please cancel me for next Wednesday, sorry.", MONDAY_1_DECEMBER)
    assert confident(got, Intent.CANCEL, "furniture-2025")


def test_a_day_said_of_something_else_names_no_session() -> None:
    got = at_the_desk("Please cancel me. I'll ring you next Wednesday.", MONDAY_1_DECEMBER)
    assert got.is_unclear


# 3. "The Friday one": the one session still to come on that weekday; several, and it asks.

MARCH = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def test_the_only_session_on_a_weekday_is_the_weekday_one() -> None:
    got = at_the_desk("I'd like to come to the Friday one please - the others are all on "
                      "Wednesdays, which is my team meeting day.", MARCH)
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_a_weekday_several_sessions_share_still_asks() -> None:
    got = at_the_desk("I'd like to come to the Wednesday one please.", MARCH)
    assert got.is_unclear


# 4. "Late spring", "early autumn": that end of the season, its month (and a week either side).

APRIL = datetime(2025, 4, 4, 10, 0, tzinfo=UTC)


def test_late_spring_is_the_session_in_may() -> None:
    got = at_the_desk("Is there still space on the one in late spring? I'd like to come if so.",
                      APRIL, subject="Late spring session")
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_spring_alone_takes_in_its_edges_and_asks() -> None:
    # The whole of spring, with its edges, holds the May workshop and the late-June webinar.
    got = at_the_desk("Is there still space on the one in spring? I'd like to come if so.",
                      APRIL, subject="Spring session")
    assert got.is_unclear


# 5. The date a member leaves their job is their own, no session's: it contradicts nothing.

FEBRUARY = datetime(2025, 2, 17, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("said", [
    "I'm leaving Camden on 28 February, so please cancel my place on the March logistics "
    "webinar so it can go to someone else.",
    "My last day is 28 February, so please cancel my place on the logistics webinar.",
    "I'm joining another trust from 3 March, so please cancel my place on the logistics webinar.",
])
def test_the_day_a_member_leaves_is_no_session_date(said: str) -> None:
    assert confident(at_the_desk(said, FEBRUARY), Intent.CANCEL, "logistics-2025")


def test_a_date_given_to_the_session_itself_still_asks() -> None:
    got = at_the_desk("Please cancel my place on the logistics webinar on 28 February.", FEBRUARY)
    assert got.is_unclear


# 6. Whether booking is open, asked beside the booking itself: the booking's answer tells.

LATE_FEBRUARY = datetime(2025, 2, 26, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("said", [
    "hi suzanne - is it too early to book the december one? if not please put me down. ta",
    "Is the December one open yet? If so please put me down for that one.",
])
def test_asking_whether_booking_is_open_beside_put_me_down_is_a_booking(said: str) -> None:
    assert confident(at_the_desk(said, LATE_FEBRUARY), Intent.REGISTER, "furniture-2025")


@pytest.mark.parametrize("said", [
    "hi suzanne - is it too early to book the december one?",
    "Is the December one open yet?",
])
def test_asking_whether_booking_is_open_alone_books_nothing(said: str) -> None:
    got = at_the_desk(said, LATE_FEBRUARY)
    assert got.is_unclear and got.intent is not Intent.REGISTER


# 7. A session already held, asked for by name in one list with others, is asked for too (the
# desk answers that it is over); named in passing, it is context.

EARLY_MARCH = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("said", [
    "hi suzanne can you book me on construction, logistics and textiles pls. thx",
    "Hi, pls book me on the textiles one and the construction one. Thanks",
])
def test_a_held_session_listed_with_others_is_asked_for(said: str) -> None:
    got = at_the_desk(said, EARLY_MARCH)
    assert got.intent is Intent.REGISTER and not got.is_unclear
    assert "construction-2025" in got.event_ids and "textiles-2025" in got.event_ids


@pytest.mark.parametrize("said", [
    "Following the construction webinar (which was great), please book me on logistics and "
    "textiles.",
    "I missed construction, but please book me on logistics and textiles.",
])
def test_a_held_session_named_in_passing_is_left_out(said: str) -> None:
    got = at_the_desk(said, EARLY_MARCH)
    assert confident(got, Intent.REGISTER, "logistics-2025", "textiles-2025")
