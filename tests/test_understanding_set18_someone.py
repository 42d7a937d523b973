"""A place asked for "someone" nobody names is not the sender's (round 19): the desk asks for
their address, beside controls where "someone" is only talked about."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent

MAY = datetime(2025, 5, 6, 9, 0, tzinfo=UTC)


def test_registering_someone_from_a_partner_asks_for_their_address() -> None:
    got = at_the_desk("Could you register someone from our partner organisation for the "
                      "textiles webinar?", MAY)
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "for someone else" in got.reason


def test_booking_someone_else_in_my_place_books_not_the_sender() -> None:
    got = at_the_desk("Please book someone else in my place on the food webinar.", MAY)
    assert got.is_unclear


def test_someone_only_talked_about_beside_a_booking_still_books() -> None:
    # Control: "someone" who may follow asks no place now.
    got = at_the_desk("Please book me on the textiles webinar - someone from my team may "
                      "follow.", MAY)
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_someone_who_recommended_the_session_books_the_sender() -> None:
    # Control: who recommended it is no one to book.
    got = at_the_desk("Could you book me on the textiles webinar? Someone from our estates "
                      "team recommended it.", MAY)
    assert confident(got, Intent.REGISTER, "textiles-2025")
