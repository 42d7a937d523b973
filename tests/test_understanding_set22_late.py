"""Readings a careful coordinator would take (round 22, late requests and relative dates): a
request made after registration closed is read plainly as the request it is (the deadline is
the desk's business, answered 'deadline passed'), never sent to the coordinator as a question.
Each rule beside a control that must not change."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from test_understanding_classes import EVENTS, at_the_desk, confident, mail

from mailflow.model import Intent, Request
from mailflow.understanding import understand

from series import desk_options

MAY_21 = datetime(2025, 5, 21, 11, 15, tzinfo=UTC)
SEPT_17 = datetime(2025, 9, 17, 8, 30, tzinfo=UTC)
OCT_22 = datetime(2025, 10, 22, 10, 0, tzinfo=UTC)
DEC_3 = datetime(2025, 12, 3, 10, 45, tzinfo=UTC)


def not_a_booking(text: str, now: datetime) -> bool:
    got = at_the_desk(text, now)
    return got.intent is not Intent.REGISTER or got.is_unclear


# 1. Late requests, asked as questions, are requests.

def test_any_possibility_of_a_place_is_a_request() -> None:
    got = at_the_desk("Hi Suzanne,\n\nI realise registration closed yesterday but is there any "
                      "possibility of a place on next Wednesday's evidence skills workshop? My "
                      "manager has only just approved it.\n\nMany thanks,\nEilidh", MAY_21)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_control_any_possibility_of_the_slides_asks_no_place() -> None:
    assert not_a_booking("Hi Suzanne, is there any possibility of the slides from next "
                         "Wednesday's evidence skills workshop being shared? Eilidh", MAY_21)


def test_would_it_still_be_possible_to_join_is_a_request() -> None:
    got = at_the_desk("Hello Suzanne,\n\nI missed the deadline yesterday for the textiles "
                      "webinar. Would it still be possible to join? We're about to buy new lab "
                      "coats.\n\nBest regards\nRene", SEPT_17,
                      subject="Textiles webinar - still possible?")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_control_would_it_still_be_possible_to_get_the_recording_asks_no_place() -> None:
    assert not_a_booking("Hello Suzanne,\n\nI missed the textiles webinar. Would it still be "
                         "possible to get the recording?\n\nBest regards\nRene", SEPT_17)


def test_too_late_to_book_the_session_is_a_request() -> None:
    got = at_the_desk("Dear Suzanne\n\nIs it too late to book the evidence workshop on the 29th? "
                      "I know the closing date was yesterday.\n\nRegards\nMaureen", OCT_22)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_control_too_late_to_book_a_hotel_for_the_session_asks_no_place() -> None:
    assert not_a_booking("Dear Suzanne\n\nIs it too late to book a hotel room for the evidence "
                         "workshop on the 29th?\n\nRegards\nMaureen", OCT_22)


def test_any_chance_of_squeezing_me_in_is_a_request() -> None:
    got = at_the_desk("Hi Suzanne, I'm back from leave and just saw the furniture webinar. "
                      "Registration closed yesterday I think but any chance of squeezing me in?"
                      "\n\nLucy", DEC_3)
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_control_any_chance_of_squeezing_in_a_question_asks_no_place() -> None:
    assert not_a_booking("Hi Suzanne, I'm booked on the furniture webinar. Any chance of "
                         "squeezing in a question about chairs at the end?\n\nLucy", DEC_3)


# 2. A mail speaks from the day it was sent: "tomorrow" in a mail sent at night and read the
# next morning is the day after it was sent. A Date header after now, or weeks old, is not
# trusted. "tomorrows workshop", "tmrws one": the possessive without its apostrophe.

SENT_EVENING = datetime(2025, 5, 27, 18, 20, tzinfo=UTC)
READ_MORNING = datetime(2025, 5, 28, 7, 20, tzinfo=UTC)


def sent(text: str, when: datetime, now: datetime) -> Request:
    return understand(replace(mail(text, "Re: tomorrow"), date=when), EVENTS, now,
                      **desk_options())


def test_tomorrow_counts_from_the_day_the_mail_was_sent() -> None:
    got = sent("So sorry suzanne, ive come down with a stomach bug and wont make tomorrows "
               "workshop. please cancel me. Leanne", SENT_EVENING, READ_MORNING)
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025")


def test_control_a_weeks_old_date_header_is_not_trusted() -> None:
    old = datetime(2025, 5, 13, 18, 20, tzinfo=UTC)
    got = sent("Sorry Suzanne, I won't make tomorrow's workshop after all. Please cancel me. "
               "Leanne", old, datetime(2025, 5, 27, 18, 30, tzinfo=UTC))
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025")


def test_control_a_date_header_after_now_is_not_trusted() -> None:
    future = datetime(2025, 5, 30, 9, 0, tzinfo=UTC)
    got = sent("Sorry Suzanne, I won't make tomorrow's workshop after all. Please cancel me. "
               "Leanne", future, datetime(2025, 5, 27, 18, 30, tzinfo=UTC))
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025")


def test_control_a_weekday_plural_with_no_session_after_names_none() -> None:
    got = sent("I'm only in the office on fridays, so please book me on the food webinar. Jo",
               datetime(2025, 3, 27, 9, 0, tzinfo=UTC), datetime(2025, 3, 27, 9, 30, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "food-2025")


# 3. "Richard said he'd booked me for the evidence one at the end of the month, but I don't
# think I got a confirmation? Can you add me if I'm not on it.": a request to be added unless
# already booked is firm (the answer tells which); the doubt whether the place is held is
# answered by the booking's reply; "on it" points back at the session the question named.

MAY_10 = datetime(2025, 5, 10, 8, 0, tzinfo=UTC)
NOT_SURE_BOOKED = ("Hi Suzanne - Richard said he'd booked me for the evidence one at the end of "
                   "the month, but I don't think I got a confirmation? Can you add me if I'm not "
                   "on it.\n\nThanks\nPawel")


def test_add_me_if_not_on_it_is_a_firm_booking_of_the_session_asked_about() -> None:
    got = at_the_desk(NOT_SURE_BOOKED, MAY_10, subject="evidence session")
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_control_if_i_am_ignore_this_sets_out_both_outcomes_and_asks() -> None:
    got = at_the_desk("Hi Suzanne - Richard said he'd booked me for the evidence one at the end "
                      "of the month. Can you add me if I'm not on it? If I am, ignore this!\n\n"
                      "Pawel", MAY_10, subject="evidence session")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_control_if_i_am_not_a_member_still_hedges() -> None:
    got = at_the_desk("Hi Suzanne - can you add me to the evidence one at the end of the month "
                      "if I'm not a member?\n\nPawel", MAY_10, subject="evidence session")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_control_on_it_after_a_question_naming_two_sessions_asks() -> None:
    got = at_the_desk(NOT_SURE_BOOKED.replace("at the end of the month", "and the food one"),
                      MAY_10, subject="sessions")
    assert got.intent is Intent.REGISTER and got.is_unclear
