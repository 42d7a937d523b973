"""Where fresh set 15 showed the desk changing a seat a careful coordinator would have asked about
(issue 9, round 16), and a request read as thanks: each class a behaviour, in wording of its
own, beside a control that still books."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import EVENTS, SENDER, at_the_desk, confident, offered

from mailflow.model import Intent, Request, ThreadContext
from mailflow.parse import parse_message
from mailflow.understanding import understand

from series import desk_options

MARCH = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
APRIL = datetime(2025, 4, 7, 9, 0, tzinfo=UTC)
JUNE = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
SEPTEMBER = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)


def at_desk(text: str, now: datetime = APRIL, context: ThreadContext | None = None,
            subject: str = "Booking", sender: str = SENDER) -> Request:
    return at_the_desk(text, now, context, subject, sender)


def raw_mail(body: str, subject: str = "Booking", now: datetime = APRIL) -> Request:
    """A whole message, parsed as the poller parses one, read at the desk."""
    raw = (
        f"From: Jo Bloggs <{SENDER}>\r\nTo: Knowledge Building Series <registrations@lupc."
        f"example>\r\nSubject: {subject}\r\nDate: Mon, 07 Apr 2025 09:00:00 +0100\r\n"
        "Message-ID: <t15@camden-council.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n")
    ).encode()
    return understand(parse_message(raw), EVENTS, now, None, **desk_options())


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


# 3. An offered place handed to someone else: the waiting list's next person has a claim.


def test_a_colleague_who_would_like_the_offered_place_asks() -> None:
    got = at_desk("I can't do that date now, but my colleague Ann Lee (ann.lee@camden-council."
                  "example, copied in) would like the place if that's alright?",
                  now=JUNE, context=offered("food-2025"))
    assert got.is_unclear and "someone else" in got.reason


def test_could_she_have_the_offered_place_instead_asks() -> None:
    got = at_desk("Sorry, I'm away then. Ann in our estates team is keen though - could she "
                  "have it instead?", now=JUNE, context=offered("food-2025"))
    assert got.is_unclear


def test_put_her_in_instead_of_me_asks() -> None:
    got = at_desk("I won't take it myself, Ann (copied) would get more out of it. Please put "
                  "her in instead.", now=JUNE, context=offered("food-2025"))
    assert got.is_unclear


def test_a_plain_no_to_an_offer_is_still_a_no() -> None:
    got = at_desk("Sorry, I can't do that date now - please give it to someone else.",
                  now=JUNE, context=offered("food-2025"))
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_a_plain_yes_to_an_offer_is_still_a_yes() -> None:
    got = at_desk("Yes please, I'll take it.", now=JUNE, context=offered("food-2025"))
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


# 4. A change that waits on what the sender will know later.


def test_a_substitution_the_sender_will_confirm_later_asks() -> None:
    got = at_desk("There's an audit that week. Could Ann Lee (ann.lee@camden-council.example) "
                  "take my place? I'll know for sure early next week and will confirm.",
                  now=SEPTEMBER, context=confirmed("textiles-2025"))
    assert got.intent is Intent.SUBSTITUTE and got.is_unclear


def test_a_firm_substitution_in_a_confirmed_thread_is_read_as_one() -> None:
    got = at_desk("I'm needed at an audit that day, so could Ann Lee "
                  "(ann.lee@camden-council.example) take my place please?", now=SEPTEMBER,
                  context=confirmed("textiles-2025"))
    assert confident(got, Intent.SUBSTITUTE, "textiles-2025")
    assert got.substitute is not None and got.substitute.email == "ann.lee@camden-council.example"


# 5. From a personal address, "my <member> email" claims a member's staff.


def test_a_cancel_from_gmail_naming_my_member_email_is_a_member_claim() -> None:
    got = at_desk("Off sick and can't get into my Camden email - please cancel my place on the "
                  "food webinar.", now=JUNE, sender="sam.jones.77@gmail.example")
    assert got.intent is Intent.CANCEL and got.is_unclear and got.member_claim


def test_a_cancel_from_the_member_address_cancels() -> None:
    got = at_desk("Off sick and can't get into my Camden laptop - please cancel my place on the "
                  "food webinar.", now=JUNE)
    assert confident(got, Intent.CANCEL, "food-2025") and not got.member_claim


# 6. All of a group or none of it: the desk would book some and wait-list the rest.


GROUP = ("\n\nAnn Lee <ann.lee@camden-council.example>\nRaj Shah <raj.shah@camden-council.example>"
         "\nTom Bell <tom.bell@camden-council.example>")


def test_places_for_all_of_us_or_none_asks() -> None:
    got = at_desk("If there's room for all three of them on the food webinar please book "
                  "them, otherwise leave it - they'd rather go together." + GROUP)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_all_three_or_none_asks() -> None:
    got = at_desk("Please book these three on the food webinar - all three or none, they "
                  "travel together." + GROUP)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_if_there_is_space_books_the_group() -> None:
    got = at_desk("If there's space, please book these three on the food webinar." + GROUP)
    assert confident(got, Intent.REGISTER, "food-2025")


# 7. A colleague booked from a forwarded chain whose own answer there is only "maybe".


def _chain(first_answer: str) -> str:
    return ("Suzanne - can you put Ann and Raj down for the food webinar? See below.\nJo\n\n"
            "---------- Forwarded message ---------\nFrom: Raj Shah <raj.shah@camden-council."
            f"example>\nDate: 7 April 2025\nSubject: Re: Food\nTo: Jo Bloggs <{SENDER}>\n\n"
            f"{first_answer}\n\n"
            "---------- Forwarded message ---------\nFrom: Ann Lee <ann.lee@camden-council."
            f"example>\nDate: 7 April 2025\nSubject: Re: Food\nTo: Jo Bloggs <{SENDER}>\n\n"
            "Yes count me in\n")


def test_a_colleague_whose_forwarded_answer_is_maybe_asks() -> None:
    got = raw_mail(_chain("Maybe - depends on the audit that week. I'll let you know."),
                   subject="Fwd: Food")
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "only says maybe" in got.reason


def test_colleagues_whose_forwarded_answers_are_yes_are_not_doubted() -> None:
    got = raw_mail(_chain("Yes please, I'll go."), subject="Fwd: Food")
    assert "only says maybe" not in got.reason


# 8. "A place for Marcus": someone named without an address; the signature may give it.

SIGNED = ("\n\nKind regards\nJo\n\nJo Bloggs\nPA to Marcus Oyelaran, Head of Procurement "
          "(marcus.oyelaran@camden-council.example)\nLondon Borough of Camden\n")


def test_a_place_for_someone_named_in_the_signature_books_them() -> None:
    got = raw_mail("Dear Suzanne,\n\nPlease could you reserve a place for Marcus on the "
                   "furniture webinar? He has asked me to book on his behalf." + SIGNED)
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert [p.email for p in got.people] == ["marcus.oyelaran@camden-council.example"]


def test_a_place_for_someone_named_without_any_address_asks() -> None:
    got = raw_mail("Dear Suzanne,\n\nPlease could you reserve a place for Marcus on the "
                   "furniture webinar? He has asked me to book on his behalf.\n\nThanks, Jo")
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "Marcus" in got.reason


# 9. "Same people as for logistics please": a booking for a group the desk is to remember.


def test_the_same_people_as_an_earlier_booking_asks_who() -> None:
    got = at_desk("Suzanne - same people as we sent to logistics please, for the food one. "
                  "Thanks, Jo")
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert got.event_ids == ("food-2025",)


def test_the_food_one_for_me_please_books() -> None:
    got = at_desk("Suzanne - the food one for me please. Thanks, Jo")
    assert confident(got, Intent.REGISTER, "food-2025")
