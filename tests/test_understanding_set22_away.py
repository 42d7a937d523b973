"""Readings a careful coordinator would take (round 22, the member away on a session's date):
when, after the request, the member's own words say they cannot come in the month, on the day
or in the week of one of the sessions asked for, that session is not booked on their word
alone: the desk asks, naming it. Each rule beside a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent

MARCH_1 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def asks_about(text: str, session: str) -> bool:
    got = at_the_desk(text, MARCH_1)
    return got.intent is Intent.REGISTER and got.is_unclear and session in got.reason


def test_away_in_the_month_of_one_session_asked_for_makes_the_desk_ask() -> None:
    assert asks_about("Please book me on food and textiles. Sorry, just realised I'm away in "
                      "September.", "textiles-2025")
    assert asks_about("Please book me on the food and furniture webinars. I'm on holiday in "
                      "December.", "furniture-2025")


def test_a_month_that_is_no_good_after_the_request_makes_the_desk_ask() -> None:
    assert asks_about("Book me on both evidence workshops. May is no good for me after all.",
                      "evidence-skills-may-2025")


def test_a_day_or_week_the_member_cannot_do_makes_the_desk_ask() -> None:
    assert asks_about("Please book me on food and textiles. I can't do the 24th.",
                      "textiles-2025")
    assert asks_about("Please book me on food and textiles. I'm on leave the week of 24 "
                      "September.", "textiles-2025")


def test_control_away_when_only_a_session_not_asked_for_runs_books_the_one_asked() -> None:
    got = at_the_desk("Please book me on food. I'm away in September so I'll miss textiles.",
                      MARCH_1)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_control_away_in_another_month_books_the_session() -> None:
    got = at_the_desk("Book me on textiles; I'm away in August but back by then", MARCH_1)
    assert confident(got, Intent.REGISTER, "textiles-2025")
    got = at_the_desk("Please book me on food and textiles. I'm away in August.", MARCH_1)
    assert confident(got, Intent.REGISTER, "food-2025", "textiles-2025")


def test_control_an_absence_told_before_the_request_or_past_is_no_doubt() -> None:
    got = at_the_desk("I was away in May so missed it - please book me on October", MARCH_1)
    assert "cannot come when" not in got.reason
    got = at_the_desk("Please book me on textiles. I was away in September last year.", MARCH_1)
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_control_a_colleagues_absence_is_not_the_members() -> None:
    got = at_the_desk("Please book me on the furniture webinar. Two colleagues can't make 10 "
                      "December; is there a recording for them?", MARCH_1)
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_control_a_cancel_told_with_the_absence_is_read_as_before() -> None:
    got = at_the_desk("Please cancel my place on the textiles webinar. I'm away in September.",
                      MARCH_1)
    assert "cannot come when" not in got.reason


def test_control_a_correction_that_gives_the_absence_as_its_reason_is_applied() -> None:
    got = at_the_desk("Please book me on the May evidence workshop. Sorry, I meant October not "
                      "May - I'm on leave the whole last week of May.", MARCH_1)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_a_month_right_after_whom_a_booking_is_for_names_that_session() -> None:
    got = at_the_desk("Please book me on October.", MARCH_1)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_an_absence_told_as_past_is_background_and_the_month_asked_for_stands() -> None:
    got = at_the_desk("I was away in May so missed it - please book me on October", MARCH_1)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_a_month_after_on_that_is_not_a_booking_names_no_session() -> None:
    got = at_the_desk("We build on May's work. Please book me on the food webinar.", MARCH_1)
    assert confident(got, Intent.REGISTER, "food-2025")
