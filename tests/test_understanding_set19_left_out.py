"""Sessions left out (fresh set 18, round 19): what the sentence leaving a session out goes on
to say of it does not bring it back, and "not X, but the Y one please" asks for Y. Each rule
beside a control that must not change its reading."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent, Request

MARCH = datetime(2025, 3, 25, 15, 0, tzinfo=UTC)
AUGUST = datetime(2025, 8, 6, 10, 0, tzinfo=UTC)


def at_desk(text: str, now: datetime = MARCH) -> Request:
    return at_the_desk(text, now)


# 1. A keyword of the session left out, later in the same sentence, explains; it books nothing.


def test_keyword_of_session_left_out_later_in_its_sentence_books_nothing() -> None:
    got = at_desk("Could you reserve me a place on the textiles webinar in September please - "
                  "not the food one, we have a separate catering team who I've told about "
                  "that.\n\nDavid")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_keyword_of_session_left_out_in_a_later_background_sentence_books_nothing() -> None:
    got = at_desk("Could you reserve me a place on the textiles webinar please - not the food "
                  "one. We have a separate catering team.\n\nDavid")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_control_session_asked_for_again_after_an_and_book_is_still_asked_for() -> None:
    # "but please book ... on food": the sentence asks again, so food is named as a target.
    got = at_desk("Please book me on textiles, not the food one, but please book my catering "
                  "colleague on food.\n\nDavid")
    assert "food-2025" in got.event_ids


def test_control_keyword_of_another_session_in_the_same_sentence_still_counts() -> None:
    got = at_desk("Please book me on the textiles webinar, not the food one, and the furniture "
                  "one too.\n\nDavid")
    assert set(got.event_ids) >= {"textiles-2025", "furniture-2025"}
    assert "food-2025" not in got.event_ids


# 2. "I'm not interested in the furniture one, but the linen/uniforms one please": the session
# after the "but" is asked for.


def test_session_after_a_but_turning_from_one_left_out_is_booked() -> None:
    got = at_desk("My manager asked me to look at the series. I'm not interested in the "
                  "furniture one to be honest (we don't buy much), but the linen/uniforms one "
                  "please.\n\nRavi", AUGUST)
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_control_a_but_with_thanks_for_a_session_books_nothing() -> None:
    got = at_desk("I'm not interested in the furniture one to be honest, but thanks for the "
                  "textiles one.\n\nRavi", AUGUST)
    assert got.intent is not Intent.REGISTER
