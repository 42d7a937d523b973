"""Where fresh set 5 showed the desk acting on mail a careful coordinator would ask about or read
otherwise (issue 9, round 5): each class a behaviour, in wording of its own."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import confident, read

from mailflow.model import Intent

FEBRUARY = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)
MAY_DAY = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
JUNE = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


# Which session: a reference the configuration does not settle is asked about.

def test_a_kind_and_number_that_disagree_with_the_timetable_are_asked_about() -> None:
    # Number 1 is a webinar; the first workshop is another session, and both are to come.
    assert read("Can you put me down for workshop 1?").is_unclear


def test_a_kind_and_number_the_timetable_agrees_with_are_read() -> None:
    got = read("Can you put me down for workshop 3?", now=FEBRUARY)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_an_ordinal_of_a_topic_counts_that_topics_sessions() -> None:
    got = read("Having done the first one, I'd like to register for the second evidence skills "
               "session too.", now=JUNE)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_an_ordinal_past_a_topics_sessions_is_asked_about() -> None:
    assert read("Please book me on the second furniture session.").is_unclear


def test_the_next_webinar_when_a_workshop_comes_first_is_asked_about() -> None:
    assert read("Could you register me for the next webinar?", now=MAY_DAY).is_unclear


def test_the_next_webinar_when_it_is_the_next_session_is_read() -> None:
    got = read("Could you register me for the next webinar?", now=JUNE)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_everything_after_a_named_session_is_each_later_session() -> None:
    got = read("I'm moving jobs in the summer, so please cancel all my places after the "
               "textiles webinar.", now=JUNE)
    assert confident(got, Intent.CANCEL, "evidence-skills-oct-2025", "furniture-2025")


def test_everything_from_a_named_session_onwards_includes_it() -> None:
    got = read("Please take me off everything from the October workshop onwards.", now=JUNE)
    assert confident(got, Intent.CANCEL, "evidence-skills-oct-2025", "furniture-2025")


def test_a_month_in_a_sentence_that_only_explains_names_no_booking_to_cancel() -> None:
    got = read("Could you cancel my registration? I retire at the end of September.", now=JUNE)
    assert got.intent is Intent.CANCEL and got.is_unclear
