"""Every session of a kind still to come, named after the word ("every webinar that's left"),
and the webinars alone when the mail names the workshops apart (fresh set 17, round 19)."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent

MAY = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)  # logistics held; May workshop to come
WEBINARS_LEFT = ("food-2025", "textiles-2025", "furniture-2025")


def test_every_webinar_that_is_left_beside_the_workshops_left_out_books_the_webinars() -> None:
    got = at_the_desk("The evidence workshops aren't for me, but could you put me down for each "
                      "topic webinar still to come?", MAY)
    assert confident(got, Intent.REGISTER, *WEBINARS_LEFT)


def test_every_session_that_is_left_takes_in_the_workshops() -> None:
    got = at_the_desk("Please sign me up for every session that's left this year.", MAY)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025", "food-2025",
                     "textiles-2025", "evidence-skills-oct-2025", "furniture-2025")


def test_every_webinar_left_from_words_that_never_say_workshop_asks() -> None:
    # Control: "webinar" may be the loose word for every session of the series.
    got = at_the_desk("Please sign me up for every webinar that's left this year.", MAY)
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "the webinars only, or the workshops too?" in got.reason


def test_every_colleague_that_is_left_names_no_session() -> None:
    # Control: only a session's word, counted after "every", is every session still to come.
    got = at_the_desk("Please book me on the food webinar; every one of the team that's left "
                      "is on leave that week.", MAY)
    assert confident(got, Intent.REGISTER, "food-2025")
