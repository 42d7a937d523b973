"""A hope beside the request (fresh set 18, round 19): a hope to make another session instead,
beside a place given up, hedges nothing. Each rule beside a control that must not change its
reading."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent, Request

MAY = datetime(2025, 5, 22, 7, 0, tzinfo=UTC)


def at_desk(text: str, now: datetime = MAY, subject: str = "Booking") -> Request:
    return at_the_desk(text, now, None, subject)


# 1. "Hopefully I'll make the one in October instead, but I'll let you know": beside a
# cancellation, what waits is another session later; the cancellation is firm.


def test_hope_to_make_another_session_instead_leaves_a_cancellation_firm() -> None:
    got = at_desk("So sorry, I'm going to have to cancel my place on the May workshop - we've "
                  "had an inspection call.\n\nHopefully I'll make the one in October instead, "
                  "but I'll let you know nearer the time.\n\nLisa")
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025")


def test_control_the_same_hope_beside_a_booking_still_sounds_tentative() -> None:
    got = at_desk("Please book me on the May workshop.\n\nHopefully I'll make the one in "
                  "October instead, but I'll let you know nearer the time.\n\nLisa")
    assert got.is_unclear


def test_control_a_cancellation_deferred_with_no_other_session_still_asks() -> None:
    got = at_desk("I think I'll have to cancel my place on the May workshop, but I'll let you "
                  "know nearer the time.\n\nLisa")
    assert got.is_unclear
