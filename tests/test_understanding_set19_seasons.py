"""A season named (fresh set 18, round 19): "it's the autumn one I'd like" under a subject naming
the evidence workshops is the one of that kind in the season. Each rule beside a control that
must not change its reading."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent, Request

SEPTEMBER = datetime(2025, 9, 15, 9, 0, tzinfo=UTC)


def at_desk(text: str, subject: str) -> Request:
    return at_the_desk(text, SEPTEMBER, None, subject)


# "It's the autumn one I'd like" under a subject naming the evidence workshops: the one of
# that kind in the season.


def test_season_read_with_the_subjects_kind_names_one_session() -> None:
    got = at_desk("I never replied to your question about which one - sorry! It's the autumn "
                  "one I'd like, please.\n\nPriya", "Fwd: evidence skills")
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_control_season_under_a_subject_naming_no_session_still_asks() -> None:
    got = at_desk("I never replied to your question about which one - sorry! It's the autumn "
                  "one I'd like, please.\n\nPriya", "Booking")
    assert got.is_unclear


def test_control_season_under_a_subject_naming_a_session_outside_it_still_asks() -> None:
    got = at_desk("I never replied to your question about which one - sorry! It's the autumn "
                  "one I'd like, please.\n\nPriya", "Fwd: logistics")
    assert got.is_unclear
