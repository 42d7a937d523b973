"""Where fresh set 17 showed replies in the desk's threads that change nothing misread (round 18,
offer22): each rule a behaviour, beside a control that must keep its reading."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk

from mailflow.model import Intent, ThreadContext

SEPTEMBER = datetime(2025, 9, 10, 12, 0, tzinfo=UTC)
WAITLISTED = ThreadContext("waitlisted", ("textiles-2025",), SENDER)
CONFIRMED = ThreadContext("confirmed", ("furniture-2025",), SENDER)


# 1. "No problem - fingers crossed something comes up!": in reply to our message, the news taken
# in good part is an acknowledgement; outside any thread of ours it acknowledges nothing.


def test_news_taken_in_good_part_in_our_thread_is_an_acknowledgement() -> None:
    for text in ("No worries - fingers crossed a place comes up!", "Fingers crossed then!",
                 "Understood, I'll wait to hear."):
        got = at_the_desk(text, SEPTEMBER, WAITLISTED, "Re: Textiles - waiting list")
        assert got.intent is Intent.ACKNOWLEDGEMENT, (text, got)


def test_no_problem_outside_our_threads_acknowledges_nothing() -> None:
    got = at_the_desk("No problem - fingers crossed for the bid.", SEPTEMBER, None, "Tender")
    assert got.intent is Intent.UNKNOWN


# 2. A calendar's answer whose body only says its tag again ("Accepted: <title>") is the
# calendar's own words: an acceptance of our invitation, as "has accepted this meeting" is.


def test_calendar_tag_said_again_in_the_body_is_an_acknowledgement() -> None:
    got = at_the_desk("Accepted: Knowledge Building Series: Furniture", SEPTEMBER, CONFIRMED,
                      "Accepted: Knowledge Building Series: Furniture - place confirmed")
    assert got.intent is Intent.ACKNOWLEDGEMENT, got


def test_words_of_their_own_under_an_accepted_tag_are_still_read() -> None:
    got = at_the_desk("Accepted: I can't make it after all, please cancel my place.", SEPTEMBER,
                      CONFIRMED, "Accepted: Knowledge Building Series: Furniture")
    assert got.intent is Intent.CANCEL, got
