"""Where fresh set 18 showed a cancellation's own words read as a booking (round 19, two23):
each rule a behaviour, beside a control that must keep its reading."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk

from mailflow.model import Intent, ThreadContext

JUNE = datetime(2025, 6, 20, 10, 5, tzinfo=UTC)
MARCH = datetime(2025, 3, 5, 11, 0, tzinfo=UTC)
BOTH = ThreadContext("confirmed", ("food-2025", "textiles-2025"), SENDER)


def _firm(got: object, intent: Intent, *event_ids: str) -> bool:
    return (got.intent is intent and not got.is_unclear  # type: ignore[attr-defined]
            and got.event_ids == event_ids)  # type: ignore[attr-defined]


# 1. "Could you cancel the food one for me please?": the session named after the cancelling
# verb, and a please, is what is cancelled; the words are no booking without a verb of their own.


def test_session_and_please_after_a_cancelling_verb_are_the_cancellation() -> None:
    for text in ("Could you cancel the food one for me please but keep me on textiles? I'm on "
                 "annual leave that week after all.",
                 "Could you cancel the food webinar please but keep me on textiles?",
                 "Could you cancel the food one for me please?"):
        got = at_the_desk(text, JUNE, BOTH, "RE: Your places are confirmed")
        assert _firm(got, Intent.CANCEL, "food-2025"), (text, got)


def test_a_session_asked_after_a_break_is_still_a_second_request() -> None:
    # "cancel textiles, and the food one for me please": a cancellation and a booking.
    for text in ("Please cancel textiles, and the food one for me please.",
                 "Cancel textiles and the food one please"):
        got = at_the_desk(text, JUNE, BOTH, "RE: Your places are confirmed")
        assert got.is_unclear, (text, got)


def test_sessions_for_me_please_without_a_cancellation_still_books() -> None:
    got = at_the_desk("Both the textiles and the furniture sessions for me please", JUNE)
    assert got.intent is Intent.REGISTER and set(got.event_ids) >= {"furniture-2025"}, got


# 2. "the workshop one" is the one that is a workshop, not workshop number one.


def test_the_workshop_one_is_no_ordinal() -> None:
    got = at_the_desk("Hi, I need to cancel the workshop one please. Thanks Jonas", MARCH)
    assert got.intent is Intent.CANCEL and got.is_unclear and got.event_ids == (), got


def test_workshop_one_without_the_is_still_the_first_workshop() -> None:
    got = at_the_desk("Please book me on workshop one", MARCH)
    assert _firm(got, Intent.REGISTER, "evidence-skills-may-2025"), got


# 3. "Can you take Marcus off the June one?": the place given up is a colleague's, and without
# an address the desk cannot tell whose; the sender's own place stays.


def test_taking_a_named_colleague_off_without_an_address_asks() -> None:
    got = at_the_desk("Can you take Marcus off the June one please? He's on leave that week.\n\n"
                      "Thanks\nBev", JUNE)
    assert got.intent is Intent.CANCEL and got.is_unclear, got
    assert "Marcus" in got.reason


def test_taking_oneself_or_an_addressed_colleague_off_is_firm() -> None:
    assert _firm(at_the_desk("Can you take me off the June one please?", JUNE),
                 Intent.CANCEL, "food-2025")
    got = at_the_desk("Can you take Marcus (marcus.jones@camden-council.example) off the June "
                      "one please?", JUNE)
    assert _firm(got, Intent.CANCEL, "food-2025"), got
    assert [p.email for p in got.people] == ["marcus.jones@camden-council.example"]
