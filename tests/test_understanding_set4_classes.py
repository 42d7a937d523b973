"""The classes of reading fresh set 4 showed (issue 9, round 4), each in a wording of its own."""

from __future__ import annotations

import pytest
from test_understanding_classes import SENDER, confident, read

from mailflow.model import Intent, ThreadContext


def held(*event_ids: str, state: str = "confirmed") -> ThreadContext:
    return ThreadContext(state, event_ids, SENDER)


# Seat changes fresh4 made wrongly.

def test_a_numbered_webinar_is_the_session_the_timetable_numbers_so() -> None:
    got = read("Could you put me down for webinar 4, please?", "Booking")
    assert confident(got, Intent.REGISTER, "food-2025")
    got = read("I'd like places on webinars 2, 4 and 5.", "Booking")
    assert confident(got, Intent.REGISTER, "logistics-2025", "food-2025", "textiles-2025")


def test_a_numbered_webinar_whose_number_is_a_workshop_is_asked_about() -> None:
    assert read("Please book me on webinar 3.", "Booking").is_unclear


def test_a_number_beside_another_sessions_topic_is_asked_about() -> None:
    assert read("Can I join webinar 4 (the textiles one)?", "Booking").is_unclear


def test_counting_within_a_kind_still_counts() -> None:
    got = read("Please book me onto the second workshop.", "Booking")
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")
