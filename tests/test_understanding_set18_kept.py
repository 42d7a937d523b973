"""Sessions named only to be kept, left out, or as past context (fresh set 17, round 19): a
cancellation gives up only its target. Each rule beside a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext

MARCH = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
SEPTEMBER = datetime(2025, 9, 17, 9, 0, tzinfo=UTC)


def at_desk(text: str, now: datetime = MARCH, context: ThreadContext | None = None,
            subject: str = "Cancellation", sender: str = SENDER) -> Request:
    return at_the_desk(text, now, context, subject, sender)


# 1. "Keep me on X": a session named to stay is no target of the cancellation.


def test_a_session_the_member_keeps_is_not_cancelled() -> None:
    got = at_desk("Please cancel me from the May evidence workshop but keep me on food - I "
                  "still want that one.")
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025")


def test_two_sessions_cancelled_without_a_keep_are_both_cancelled() -> None:
    got = at_desk("Please cancel me from the May evidence workshop and the food webinar.")
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025", "food-2025")


# 2. "Not the X": the words leaving a session out leave out all they name.


def test_a_session_left_out_by_not_is_not_cancelled() -> None:
    got = at_desk("Please cancel my place on the 28th - the March one, not the May workshop.")
    assert confident(got, Intent.CANCEL, "logistics-2025")


def test_two_sessions_left_out_by_one_not_are_neither_cancelled() -> None:
    got = at_desk("Please cancel the May workshop, not the food webinar or textiles.")
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025")


def test_a_session_asked_for_after_the_left_out_one_is_cancelled() -> None:
    got = at_desk("Please cancel the May workshop, not the food webinar, and cancel textiles "
                  "too.")
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025", "textiles-2025")


def test_all_places_but_one_cancels_every_other() -> None:
    got = at_desk("Please cancel all my places except the May workshop.")
    assert "evidence-skills-may-2025" not in got.event_ids
    assert "evidence-skills-oct-2025" in got.event_ids


# 3. A cancellation not made, reported of a session gone by, is no "don't cancel".


def test_a_past_session_never_cancelled_is_background_to_the_cancellation() -> None:
    got = at_desk("I missed the food webinar in June (sorry, I never did cancel that one). For "
                  "textiles next week I need to cancel properly - I'll be on leave.",
                  now=SEPTEMBER)
    assert confident(got, Intent.CANCEL, "textiles-2025")


def test_a_cancellation_the_member_says_not_to_make_still_asks() -> None:
    got = at_desk("I missed the food webinar in June. Please don't cancel textiles though, "
                  "and cancel furniture.", now=SEPTEMBER)
    assert got.is_unclear
