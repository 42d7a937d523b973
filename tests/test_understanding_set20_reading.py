"""Readings a careful coordinator would take (round 20): a cancellation tried and not managed,
for a session gone by, is the past reported; "the one after next" is the second session still to
come; "I will attend" under our confirmation, with a question, is the question. Each rule beside
a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, ThreadContext

JUNE_END = datetime(2025, 6, 30, 10, 0, tzinfo=UTC)


# 1. "I wasn't able to cancel in time ... and ended up missing it": no cancellation.

def test_cancel_not_managed_for_a_missed_session_is_the_past_reported() -> None:
    got = at_the_desk("Hi Suzanne,\n\nI wasn't able to cancel in time for last week's food "
                      "webinar and ended up missing it, sorry. Will I still get the briefing "
                      "note?\n\nGreg", JUNE_END)
    assert got.intent is Intent.QUESTION


def test_forgot_to_cancel_and_missed_it_cancels_nothing() -> None:
    got = at_the_desk("Hi,\n\nI forgot to cancel the food webinar and missed it, apologies. "
                      "Is there a recording?\n\nGreg", JUNE_END)
    assert got.intent is not Intent.CANCEL


def test_control_cancel_not_managed_online_asked_of_us_still_cancels() -> None:
    got = at_the_desk("Hi,\n\nI wasn't able to cancel online for the textiles webinar, could "
                      "you cancel my place please?\n\nGreg", JUNE_END)
    assert confident(got, Intent.CANCEL, "textiles-2025")


def test_control_could_not_cancel_then_please_cancel_still_cancels() -> None:
    got = at_the_desk("Hi,\n\nI couldn't cancel on the website, so please cancel my place on "
                      "the textiles webinar.\n\nGreg", JUNE_END)
    assert confident(got, Intent.CANCEL, "textiles-2025")


# 2. "The session after next": the second still to come, counted from now.

FEB = datetime(2025, 2, 4, 11, 40, tzinfo=UTC)


def test_session_after_next_is_the_second_still_to_come() -> None:
    got = at_the_desk("Hi Suzanne,\n\nCould you put me down for the session after next? The "
                      "March one clashes with\nour year-end close so that's out, "
                      "unfortunately.\n\nCheers\nTom", FEB)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_one_after_next_counts_from_now() -> None:
    got = at_the_desk("Hi Suzanne,\n\nCan you book me on the one after next? Thanks!\n\nChloe",
                      datetime(2025, 7, 22, 8, 50, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_workshop_after_next_counts_the_workshops() -> None:
    got = at_the_desk("Hi,\n\nCould you put me down for the workshop after next?\n\nTom", FEB)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_control_the_next_one_is_still_the_next() -> None:
    got = at_the_desk("Hi,\n\nCan you book me on the next one? Thanks!\n\nChloe",
                      datetime(2025, 7, 22, 8, 50, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "textiles-2025")


# 3. Under our confirmation, "I will attend" with a question: the place is held; a question.

MAY_CONFIRMED = ThreadContext("confirmed", ("evidence-skills-may-2025",), SENDER)
MAY_WAITLISTED = ThreadContext("waitlisted", ("evidence-skills-may-2025",), SENDER)
MID_MAY = datetime(2025, 5, 12, 8, 40, tzinfo=UTC)
CONFIRMED_SUBJECT = "RE : Confirmed: Evidence skills training workshop (May), 28 May 2025"


def test_will_attend_under_confirmation_with_a_question_is_the_question() -> None:
    got = at_the_desk("Bonjour Suzanne,\n\nSorry for the late reply - I was away. I confirm I "
                      "will attend. Could you tell me\nif we need to prepare anything beforehand "
                      "(e.g. bring a supplier statement to\nreview)?\n\nFrancois", MID_MAY,
                      MAY_CONFIRMED, CONFIRMED_SUBJECT)
    assert got.intent is Intent.QUESTION


def test_control_will_attend_another_session_is_still_a_booking() -> None:
    got = at_the_desk("Hi,\n\nI will attend the food webinar too. Is there anything to "
                      "prepare?\n\nF", MID_MAY, MAY_CONFIRMED, CONFIRMED_SUBJECT)
    assert got.intent is Intent.REGISTER and got.event_ids == ("food-2025",)


def test_control_will_attend_under_waiting_list_is_not_read_as_held() -> None:
    got = at_the_desk("Hi,\n\nI will attend. Could you tell me if we need to prepare anything "
                      "beforehand?\n\nF", MID_MAY, MAY_WAITLISTED, CONFIRMED_SUBJECT)
    assert "place confirmed" not in got.reason
