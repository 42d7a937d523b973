"""Where fresh set 17 showed the desk changing a seat a careful coordinator would have asked about
(round 18): each class a behaviour, in wording of its own, beside a control that still books."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext

APRIL = datetime(2025, 4, 7, 9, 0, tzinfo=UTC)


def at_desk(text: str, now: datetime = APRIL, context: ThreadContext | None = None,
            subject: str = "Booking", sender: str = SENDER) -> Request:
    return at_the_desk(text, now, context, subject, sender)


# 1. A mail that corrects itself in words the desk does not apply: the coordinator asks.


# (A correction plain about what replaces what, a session, a colleague or an address, is
# applied since round 19: test_understanding_set18_corrections.py, with the controls that ask.)


def test_an_earlier_cancellation_taken_back_asks() -> None:
    got = at_desk("Please disregard my last email about cancelling the logistics webinar - I "
                  "can come after all.")
    assert got.is_unclear


def test_a_correction_naming_the_session_again_in_the_request_still_books() -> None:
    got = at_desk("Please register me for the food webinar - actually no, scrap that, make it "
                  "the textiles webinar.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_an_apology_for_a_late_reply_is_no_correction() -> None:
    got = at_desk("Sorry, I meant to write last week. Please book me onto the food webinar.")
    assert confident(got, Intent.REGISTER, "food-2025")


# 2. A booking for a colleague the sender doubts can come: the coordinator asks.


def test_a_colleague_the_sender_is_not_sure_is_free_asks() -> None:
    got = at_desk("My manager Ann Hale (ann.hale@camden-council.example) wants the furniture "
                  "webinar. I don't know if she's free that day, but please book her.")
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "not sure the colleague booked can come" in got.reason


def test_a_colleague_the_sender_knows_is_free_still_books() -> None:
    got = at_desk("My manager Ann Hale (ann.hale@camden-council.example) wants the furniture "
                  "webinar. I've checked and she's free that day, so please book her.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


# 3. A cancel from a personal address by someone who cannot get into their work mail: a member
# claim, the coordinator's to check.


def test_a_cancel_from_home_without_work_mail_is_a_member_claim() -> None:
    got = at_desk("Writing from home as I can't get into my work email - please cancel my place "
                  "on the textiles webinar. Tom Ward, Kingsgate", sender="tom.w@btinternet.example")
    assert got.intent is Intent.CANCEL and got.is_unclear and got.member_claim


def test_a_cancel_from_a_member_s_address_still_cancels() -> None:
    got = at_desk("Please cancel my place on the textiles webinar, I'm moving jobs.")
    assert confident(got, Intent.CANCEL, "textiles-2025")


def test_an_offer_answer_changing_its_mind_is_read_not_asked() -> None:
    got = at_desk("Yes please - oh wait, no, I'm on leave that week. Sorry!",
                  subject="Re: Place available",
                  context=ThreadContext("offered", ("furniture-2025",), SENDER))
    assert not got.reason.startswith("corrects itself")
