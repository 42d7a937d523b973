"""Where fresh set 10 sent clear requests to the coordinator as unclear (issue 9, round 10):
each class a behaviour, in wording of its own."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import EVENTS, SENDER, confident, mail

from mailflow.model import Intent, Request, ThreadContext
from mailflow.understanding import understand

from series import DEFAULT_NOW, member_domains

MEMBERS = member_domains()
HOME = "pat.quinn.home@gmail.example"


def desk(text: str, sender: str = SENDER, context: ThreadContext | None = None,
         subject: str = "Webinars") -> Request:
    """Read as the desk reads: with the full members' domains beside the mail."""
    return understand(mail(text, subject, sender), EVENTS, DEFAULT_NOW, context,
                      full_member_domains=MEMBERS)


# 1. Writing from a personal address while saying one works at a member: which address is to be
# booked is the coordinator's to check (the labels of the same situation mostly say so), from a
# personal address or a member's; the work address the writer gives is theirs, no colleague.

PERSONAL = ("I'm at Camden but writing from my personal email as the VPN is down. "
            "Please book me on the furniture webinar.")


def test_a_booking_from_a_personal_address_claiming_a_member_is_asked_about() -> None:
    got = desk(PERSONAL, sender=HOME)
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert got.event_ids == ("furniture-2025",)


def test_a_member_address_saying_it_writes_from_another_is_asked_about() -> None:
    got = desk(PERSONAL, sender=SENDER)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_yes_to_an_offer_made_to_a_member_address_from_a_personal_one_is_asked_about() -> None:
    offer = ThreadContext("offered", ("food-2025",), SENDER)
    got = desk("Yes please! Writing from my personal email as I'm on leave.", sender=HOME,
               context=offer, subject="Re: A place is available: Food")
    assert got.intent is Intent.ACCEPT_OFFER and got.is_unclear


def test_the_writers_own_work_address_given_is_no_colleague_to_book() -> None:
    got = desk("Sending from my home account as my work email is down. Could I register for "
               "the furniture webinar? My work address is normally pat.quinn@camden-council"
               ".example", sender=HOME)
    assert got.intent is Intent.REGISTER and got.event_ids == ("furniture-2025",)
    assert got.people == ()


# 2. A question about what a session covers, or how to prepare, beside a clear request: the
# request stands and the question goes to the coordinator with it; a request that waits on the
# answer ("if it's different, I'd like to come") still asks.


def test_a_booking_beside_a_question_about_the_content_stays_a_booking() -> None:
    got = desk("Will the textiles webinar cover workwear laundering or only buying? Either "
               "way, please register me.")
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert "cover" in got.question


def test_a_yes_to_an_offer_beside_a_question_about_preparation_accepts_it() -> None:
    offer = ThreadContext("offered", ("food-2025",), SENDER)
    got = desk("Yes please, I'll take it. Is there anything I should prepare beforehand?",
               context=offer, subject="Re: A place is available: Food")
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025") and got.question


def test_a_booking_that_waits_on_the_answer_about_content_is_asked_about() -> None:
    got = desk("Does the food webinar cover the same topics as last year's? I went to that "
               "one. If it's different I'd like to come.")
    assert got.intent is Intent.REGISTER and got.is_unclear


# 3. Sessions named relative to another or to today, and a booking asked as a question.

APRIL = datetime(2025, 4, 14, 9, 0, tzinfo=UTC)
JUNE_24 = datetime(2025, 6, 24, 16, 0, tzinfo=UTC)
JULY = datetime(2025, 7, 21, 9, 0, tzinfo=UTC)
EARLY_MAY = datetime(2025, 5, 5, 9, 0, tzinfo=UTC)


def at(text: str, now: datetime, subject: str = "Webinars") -> Request:
    return understand(mail(text, subject), EVENTS, now, None, full_member_domains=MEMBERS)


def test_a_remark_on_how_the_sender_heard_is_no_question_beside_a_booking() -> None:
    got = at("Hi, spotted it in the newsletter - could I have a place on the third one?", APRIL)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_asking_whether_one_can_get_onto_a_session_is_a_booking() -> None:
    got = at("Is it possible to get onto tomorrow's webinar? Sorry for the short notice.",
             JUNE_24)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_the_next_one_after_a_topic_of_several_sessions_is_the_next_of_that_topic() -> None:
    got = at("I couldn't make the evidence skills workshop in May. Please can I book the next "
             "one?", JULY)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_the_next_one_after_a_single_past_session_is_the_series_next() -> None:
    got = at("I enjoyed the food webinar. Please can I book the next one?", JULY)
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_a_session_later_this_month_is_the_one_this_month() -> None:
    got = at("Please book me onto the workshop later this month.", EARLY_MAY)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


# 4. What stands beside a clear request without changing it.

JANUARY = datetime(2025, 1, 8, 9, 0, tzinfo=UTC)
MID_JUNE = datetime(2025, 6, 18, 17, 0, tzinfo=UTC)
DECEMBER = datetime(2025, 12, 3, 9, 0, tzinfo=UTC)


def test_a_decision_still_to_come_on_other_sessions_leaves_the_asked_ones_firm() -> None:
    got = at("Please book me on:\n- Logistics (28 March)\n- Food (25 June)\n\nI'll let you "
             "know about the remaining sessions once the budget is signed off.", JANUARY)
    assert confident(got, Intent.REGISTER, "logistics-2025", "food-2025")


def test_a_reason_after_a_dash_names_no_second_session() -> None:
    got = at("I have to give up my place on the food webinar next Wednesday - I'm giving "
             "evidence to a committee that morning.", MID_JUNE)
    assert confident(got, Intent.CANCEL, "food-2025")


def test_a_manager_who_passed_on_the_flyer_is_nobody_to_book() -> None:
    got = at("Sent the flyer by my manager - please can you register me for the food webinar?",
             JANUARY)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_me_please_naming_two_sessions_in_brackets_books_both() -> None:
    got = at("Me please - both of the evidence skills workshops (May and October).", JANUARY,
             subject="FW: Knowledge Building Series")
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025", "evidence-skills-oct-2025")


def test_saying_taking_the_offer_would_be_unfair_declines_it() -> None:
    offer = ThreadContext("offered", ("furniture-2025",), SENDER)
    got = understand(
        mail("Thanks for thinking of me. My role has changed, so it wouldn't be right to take "
             "the place when someone else could use it. I'll decline.",
             "Re: A place is available: Furniture"),
        EVENTS, DECEMBER, offer, full_member_domains=MEMBERS)
    assert confident(got, Intent.DECLINE_OFFER, "furniture-2025")
