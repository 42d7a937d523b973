"""Where fresh set 15 showed the desk changing a seat a careful coordinator would have asked about
(issue 9, round 16), and a request read as thanks: each class a behaviour, in wording of its
own, beside a control that still books."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import EVENTS, SENDER, confident, mail, offered

from mailflow.model import Intent, Request, ThreadContext
from mailflow.understanding import understand

from series import desk_options

MARCH = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
APRIL = datetime(2025, 4, 7, 9, 0, tzinfo=UTC)
JUNE = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
SEPTEMBER = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)


def at_desk(text: str, now: datetime = APRIL, context: ThreadContext | None = None,
            subject: str = "Booking", sender: str = SENDER) -> Request:
    """Read as handle.py reads it: with the shipped config's full members (domains and names)."""
    return understand(mail(text, subject, sender), EVENTS, now, context, **desk_options())


def confirmed(event_id: str) -> ThreadContext:
    return ThreadContext("confirmed", (event_id,), SENDER)


# 1. "All the webinars": with workshops still to come, the loose word may take them in.


def test_all_the_webinars_with_workshops_still_to_come_asks() -> None:
    got = at_desk("Could you put me down for all the webinars please?")
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "workshops too" in got.reason


def test_all_the_webinars_beside_the_word_workshop_books_the_webinars() -> None:
    got = at_desk("Could you put me down for all the webinars please? Not the workshops.")
    assert confident(got, Intent.REGISTER, "food-2025", "textiles-2025", "furniture-2025")


def test_all_the_remaining_webinars_and_workshops_books_both_kinds() -> None:
    got = at_desk("Please sign me up for all the remaining webinars and workshops.", now=JUNE)
    assert confident(got, Intent.REGISTER, "food-2025", "textiles-2025",
                     "evidence-skills-oct-2025", "furniture-2025")


# 2. A weekday beside a day with no month that passes over the nearer such day still to come.


def test_a_weekday_passing_over_this_month_s_28th_asks() -> None:
    got = at_desk("Hello, please could you book me onto Wednesday the 28th?", now=MARCH)
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "day of the month" in got.reason


def test_a_weekday_that_is_this_month_s_28th_books_it() -> None:
    got = at_desk("Hello, please could you book me onto Friday the 28th?", now=MARCH)
    assert confident(got, Intent.REGISTER, "logistics-2025")
