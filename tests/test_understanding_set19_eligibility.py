"""Where fresh set 18 showed questions of who may attend misread (round 19, two23): each rule a
behaviour, beside a control that must keep its reading."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk

from mailflow.model import Intent

MARCH = datetime(2025, 3, 5, 10, 59, tzinfo=UTC)
JULY = datetime(2025, 7, 24, 16, 10, tzinfo=UTC)
ASSOCIATE = "anne.fletcher@riverside-housing.example"


# 1. "Could you tell me whether we're allowed to send someone from our facilities team?": whether
# a person may be sent along is a question about attendance, the desk's to answer.


def test_whether_someone_may_be_sent_along_is_a_question_for_the_desk() -> None:
    for text in ("Could you tell me whether we're allowed to send someone from our facilities "
                 "team who isn't in procurement? They manage the warehouse contract day to day. "
                 "I don't want to book them if the series is only meant for procurement staff."
                 "\n\nThanks\nChris",
                 "Can we bring a colleague from estates who isn't in procurement?",
                 "Are we permitted to nominate someone from outside procurement?"):
        got = at_the_desk(text, MARCH, subject="Quick question about attendees")
        assert got.intent is Intent.QUESTION, (text, got)


def test_sending_something_else_is_not_about_the_sessions() -> None:
    for text in ("Could you tell me whether we're allowed to send invoices by post?",
                 "Could you send someone to fix the printer?"):
        got = at_the_desk(text, MARCH, subject="Quick question")
        assert got.intent is Intent.UNKNOWN, (text, got)


# 2. "I tried to book on the logistics webinar in February and didn't hear anything. Can I check
# whether associate members are able to attend at all?": the booking tried before is only told;
# what the mail asks now is whether they may attend, and the coordinator answers it.


def test_a_booking_tried_before_beside_whether_we_may_attend_is_a_question() -> None:
    got = at_the_desk("I tried to book on the logistics webinar back in February and didn't hear "
                      "anything. Can I check whether associate members like Riverside Housing "
                      "are able to attend the series at all? If not, no problem, I'll stop "
                      "pestering you!\n\nBest wishes\nAnne", JULY,
                      subject="Are associate members eligible?", sender=ASSOCIATE)
    assert got.intent is Intent.QUESTION, got


def test_a_booking_asked_now_beside_the_same_question_is_still_a_booking() -> None:
    got = at_the_desk("I tried to book on the textiles webinar but the form wouldn't load. Could "
                      "you book me on it please? Are associate members eligible?", JULY,
                      subject="Textiles", sender=ASSOCIATE)
    assert got.intent is Intent.REGISTER, got


def test_a_booking_tried_before_without_a_question_is_still_a_booking() -> None:
    got = at_the_desk("I tried to book on the textiles webinar in June and didn't hear anything.",
                      JULY, subject="Textiles", sender=ASSOCIATE)
    assert got.intent is Intent.REGISTER, got
