"""A mail that corrects itself (fresh set 18, round 19): "on second thoughts, make that the
October one" puts the October session in the place of the one asked for. Each rule beside a
control that must not change its reading."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent, Request

APRIL = datetime(2025, 4, 11, 15, 0, tzinfo=UTC)


def at_desk(text: str) -> Request:
    return at_the_desk(text, APRIL)


def test_make_that_after_second_thoughts_replaces_the_session_asked_for() -> None:
    got = at_desk("Please book me on the May evidence skills workshop.\n\nActually, on second "
                  "thoughts, make that the October one - I've just remembered May is when our "
                  "year-end contract reviews land and I won't be able to focus. October "
                  "please!\n\nThanks,\nRachel")
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_control_make_that_one_as_well_is_one_more_so_the_desk_asks() -> None:
    got = at_desk("Please book me on the May evidence skills workshop.\n\nOn second thoughts, "
                  "make that the October one as well.\n\nRachel")
    assert got.is_unclear


def test_control_a_correction_with_a_choice_left_open_still_asks() -> None:
    got = at_desk("Please book me on the May evidence skills workshop.\n\nOn second thoughts, "
                  "make it May or October.\n\nRachel")
    assert got.is_unclear
