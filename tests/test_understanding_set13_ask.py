"""Where fresh set 13 showed the desk changing a seat a careful coordinator would have asked about
(issue 9, round 14), and misreads that changed no seat: each class a behaviour, in wording of
its own, beside a control that still books."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import EVENTS, SENDER, at_the_desk, confident, offered, read

from mailflow.model import Intent, Request, ThreadContext
from mailflow.parse import parse_message
from mailflow.understanding import understand

from series import desk_options

JANUARY = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
FEBRUARY = datetime(2025, 2, 10, 9, 0, tzinfo=UTC)
MARCH = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)
DESK = "registrations@lupc.example"
SAM = "sam.reid@camden-council.example"


def emails(got: Request) -> list[str]:
    return [p.email for p in got.people]


def at_desk(text: str, sender: str = SENDER, now: datetime = FEBRUARY,
            context: ThreadContext | None = None) -> Request:
    return at_the_desk(text, now, context, "Booking", sender)


def raw_mail(body: str, subject: str = "Booking", sender: str = SENDER,
             now: datetime = MARCH) -> Request:
    """A whole message, parsed as the poller parses one, read at the desk."""
    raw = (
        f"From: Jo Bloggs <{sender}>\r\nTo: Knowledge Building Series <{DESK}>\r\n"
        f"Subject: {subject}\r\nDate: Mon, 03 Mar 2025 09:00:00 +0000\r\n"
        "Message-ID: <t13@camden-council.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n")
    ).encode()
    return understand(parse_message(raw), EVENTS, now, None, **desk_options())


# 1. A sender at no full member who says they work at one, typed on a phone.


def test_im_at_a_member_without_the_apostrophe_from_a_personal_address_asks() -> None:
    got = at_desk("pls put me on the furniture webinar. Im in the estates team at Kingsgate",
                  sender="sam.jones@icloud.example")
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "says they work at Kingsgate College" in got.reason


def test_im_at_a_member_from_the_member_address_books() -> None:
    got = at_desk("pls put me on the furniture webinar. Im in the estates team at Kingsgate",
                  sender="sam.jones@kingsgate-college.example")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_a_member_named_only_as_someone_elses_workplace_is_no_claim() -> None:
    got = at_desk("A friend who works at Westbury sent me your flyer. Could I have a place "
                  "on the furniture webinar?", sender="sam.jones@icloud.example")
    assert "say they work at" not in got.reason and "says they work at" not in got.reason


# 2. An answer in the thread of our message to a member's address, from an address elsewhere.


def test_a_yes_from_a_personal_address_to_an_offer_made_to_a_work_address_asks() -> None:
    got = at_desk("yes please, I'll take it - on the train, no access to my work inbox. Jo",
                  sender="jobloggs.home@gmail.example", context=offered("food-2025", SENDER))
    assert got.intent is Intent.ACCEPT_OFFER and got.is_unclear


def test_the_same_yes_from_the_address_the_offer_went_to_books() -> None:
    got = at_desk("yes please, I'll take it - on the train today. Jo",
                  sender=SENDER, context=offered("food-2025", SENDER))
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


# 3. A request read from an earlier mail resent: the newest words may hedge it.


_RESENT = (
    "________________________________\n"
    f"From: Jo Bloggs <{SENDER}>\n"
    "Sent: 10 February 2025 11:05\n"
    f"To: Knowledge Building Series <{DESK}>\n"
    "Subject: Booking\n\n"
    "Hello,\n\nCould you register me for the logistics webinar (28 March)?\n\nThanks,\nJo\n"
)


def test_a_resent_request_whose_new_note_hedges_another_session_asks() -> None:
    got = raw_mail(
        "Hi Suzanne,\n\nSending my earlier note again as I heard nothing back. Maybe the food "
        "webinar as well, though I'll confirm that after I talk to my manager.\n\nJo\n\n"
        + _RESENT, subject="FW: Booking",
    )
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_resent_request_whose_new_note_is_firm_books() -> None:
    got = raw_mail(
        "Hi Suzanne,\n\nSending my earlier note again as I heard nothing back.\n\nJo\n\n"
        + _RESENT, subject="FW: Booking",
    )
    assert confident(got, Intent.REGISTER, "logistics-2025")


# 4. A list of people pasted as text, some rows without an address.


def test_a_pasted_table_with_a_row_lacking_an_address_asks() -> None:
    got = read(
        "Please book the people below on the logistics webinar.\n\n"
        "Name  Team  Email\n"
        "Amy Lee  Fleet  amy.lee@camden-council.example\n"
        "Ben Cole  Estates  ben.cole@camden-council.example\n"
        "Cara Dunn  Facilities\n"
        "Dev Patel  Finance  dev.patel@camden-council.example\n",
        now=FEBRUARY,
    )
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "Cara Dunn" in got.reason


def test_a_pasted_table_with_every_address_books_everyone() -> None:
    got = read(
        "Please book the people below on the logistics webinar.\n\n"
        "Name  Team  Email\n"
        "Amy Lee  Fleet  amy.lee@camden-council.example\n"
        "Ben Cole  Estates  ben.cole@camden-council.example\n",
        now=FEBRUARY,
    )
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert {"amy.lee@camden-council.example", "ben.cole@camden-council.example"} <= set(
        emails(got)
    )


def test_not_having_their_addresses_yet_says_the_addresses_are_to_come() -> None:
    got = read("Please book me on the logistics webinar, plus the two new starters in my "
               "team - I don't have their addresses yet.", now=FEBRUARY)
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert got.reason == "says an attendee's address is still to come"


# 5. Someone named beside the sender without capitals, and no address.


def test_me_and_a_lowercase_name_without_an_address_asks() -> None:
    got = read("can u put me and priya on the food webinar thx", now=FEBRUARY)
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "priya" in got.reason


def test_me_and_my_team_lowercase_is_no_name() -> None:
    got = read("can u put me and also on the food webinar thx", now=FEBRUARY)
    assert "without an email address" not in got.reason


def test_me_and_a_lowercase_name_with_the_address_books() -> None:
    got = read(f"can u put me and sam on the food webinar thx - sam is {SAM}", now=FEBRUARY)
    assert confident(got, Intent.REGISTER, "food-2025")
    assert SAM in emails(got)


# 6. A yes to an offer that also asks a place for a colleague, address in brackets.


def test_a_yes_that_asks_for_a_colleague_with_the_address_in_brackets_asks() -> None:
    got = read(f"Yes please! Could my colleague Sam Reid ({SAM}) join too?",
               context=offered("textiles-2025"))
    assert got.intent is Intent.ACCEPT_OFFER and got.is_unclear


def test_a_plain_yes_to_an_offer_books() -> None:
    got = read("Yes please, I'll take the place.", context=offered("textiles-2025"))
    assert confident(got, Intent.ACCEPT_OFFER, "textiles-2025")


# 7. A substitution on one session beside a cancellation of another.


def test_a_substitution_and_a_cancellation_of_another_session_ask() -> None:
    got = read(f"Two things: Sam Reid ({SAM}) will take my place on the construction webinar. "
               "Also please remove me from the logistics webinar.", now=JANUARY)
    assert got.is_unclear and "more than one kind of change" in got.reason


def test_a_substitution_with_the_reason_it_is_needed_books() -> None:
    got = read(f"I can't make the logistics webinar any more. Sam Reid ({SAM}) will take my "
               "place on the logistics webinar.", now=FEBRUARY)
    assert confident(got, Intent.SUBSTITUTE, "logistics-2025")
    assert got.substitute is not None and got.substitute.email == SAM


# 8. A mail that tells the reader to disregard it asks nothing.


def test_an_unrelated_reminder_saying_ignore_this_is_not_a_question() -> None:
    got = read("This is a reminder that your parking permit renews on 1 May. If you have "
               "already renewed, please ignore this reminder.")
    assert got.intent is Intent.UNKNOWN


def test_a_question_about_places_is_still_a_question() -> None:
    got = read("Are there still places on the food webinar?")
    assert got.intent is Intent.QUESTION


# 9. Weighing whether to tell others to book asks no place.


def test_whether_to_tell_colleagues_to_sign_up_is_a_question() -> None:
    got = read("Is the furniture webinar filling up? Two of my team are interested and I'd "
               "like to know whether to tell them to sign up.", now=FEBRUARY)
    assert got.intent is Intent.QUESTION


def test_asking_to_sign_up_after_the_question_books() -> None:
    got = read("Is the furniture webinar filling up? If there's space please sign me up.",
               now=FEBRUARY)
    assert got.intent is Intent.REGISTER


# 10. Our own message forwarded back to us by mistake.


def _forward_of(sender: str) -> str:
    return (
        "________________________________\n"
        f"From: Someone <{sender}>\n"
        "Sent: 02 March 2025 10:00\n"
        "To: Jo Bloggs <jo.bloggs@camden-council.example>\n"
        "Subject: Your place\n\n"
        "Your place on the logistics webinar on 28 March is confirmed. If you can no longer "
        "attend, please reply so the place can go to someone else.\n"
    )


def test_our_own_confirmation_forwarded_to_a_colleague_asks_nothing() -> None:
    got = raw_mail("Hi Ben - the one I mentioned, see below.\n\nJo\n\n" + _forward_of(DESK),
                   subject="FW: Your place")
    assert got.intent is Intent.UNKNOWN


def test_a_colleagues_request_forwarded_to_us_books() -> None:
    body = (
        "Please could you sort this for Sam below.\n\nJo\n\n"
        "________________________________\n"
        f"From: Sam Reid <{SAM}>\n"
        "Sent: 02 March 2025 10:00\n"
        "To: Jo Bloggs <jo.bloggs@camden-council.example>\n"
        "Subject: Logistics\n\n"
        "Jo, could you get me registered for the logistics webinar on 28 March?\n\nSam\n"
    )
    got = raw_mail(body, subject="FW: Logistics")
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert SAM in emails(got)
