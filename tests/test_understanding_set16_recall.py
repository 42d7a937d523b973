"""Where fresh set 16 sent a clear request to the coordinator (issue 9, round 17, recall21):
each class a behaviour, in wording of its own, beside a control that still asks or books."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import EVENTS, SENDER, at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext
from mailflow.parse import parse_message
from mailflow.understanding import understand

from series import desk_options

MARCH = datetime(2025, 3, 5, 9, 0, tzinfo=UTC)
MAY = datetime(2025, 5, 12, 9, 0, tzinfo=UTC)
AUGUST = datetime(2025, 8, 20, 9, 0, tzinfo=UTC)
OCTOBER = datetime(2025, 10, 27, 9, 0, tzinfo=UTC)
NOVEMBER = datetime(2025, 11, 12, 9, 0, tzinfo=UTC)


def at_desk(text: str, now: datetime = MARCH, context: ThreadContext | None = None,
            subject: str = "Booking", sender: str = SENDER) -> Request:
    return at_the_desk(text, now, context, subject, sender)


def raw_mail(body: str, to: str, cc: str = "", now: datetime = MAY,
             subject: str = "Booking") -> Request:
    """A whole message with its To (and Cc) lines, parsed as the poller parses one."""
    raw = (
        f"From: Jo Bloggs <{SENDER}>\r\nTo: {to}\r\n" + (f"Cc: {cc}\r\n" if cc else "")
        + f"Subject: {subject}\r\nDate: Mon, 12 May 2025 09:00:00 +0100\r\n"
        "Message-ID: <t16r@camden-council.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n")
    ).encode()
    return understand(parse_message(raw), EVENTS, now, None, **desk_options())


def emails(request: Request) -> set[str]:
    return {p.email for p in request.people}


# 1. "Release the furniture places for A and B": a session's word between "the" and "places".


def test_release_the_session_places_for_two_named_colleagues_cancels_theirs() -> None:
    got = at_desk("Please release the furniture places for Ann Lee (ann.lee@camden-council.example)"
                  " and Bo Kim (bo.kim@camden-council.example) - they're on leave. I'm still "
                  "coming.", now=NOVEMBER)
    assert confident(got, Intent.CANCEL, "furniture-2025")
    assert emails(got) == {"ann.lee@camden-council.example", "bo.kim@camden-council.example"}


def test_release_my_place_still_cancels_the_senders_own() -> None:
    got = at_desk("Please release my place on the furniture webinar.", now=NOVEMBER)
    assert confident(got, Intent.CANCEL, "furniture-2025") and not got.people


# 2. "... to get them in the diary": the sessions put in a diary, no place asked for.


def test_getting_the_sessions_in_the_diary_asks_no_place() -> None:
    got = at_desk("Could you tell me which sessions I'm booked onto? I want to get them in the "
                  "team diary.", now=AUGUST)
    assert got.intent is Intent.QUESTION


def test_get_me_in_on_a_session_still_books() -> None:
    got = at_desk("Could you get me in on the textiles webinar please?", now=AUGUST)
    assert confident(got, Intent.REGISTER, "textiles-2025")


# 3. "I'll leave it to them to get in touch if they'd like to come": a wish supposed, not asked.


def test_a_wish_supposed_of_others_beside_a_cancellation_is_no_booking() -> None:
    got = at_desk("I'm leaving at the end of the month, so please take me off the logistics "
                  "webinar. My successor can get in touch if they'd like to come along.")
    assert confident(got, Intent.CANCEL, "logistics-2025")


def test_a_colleague_who_would_like_to_come_is_still_a_booking() -> None:
    got = at_desk("My colleague Ann Lee (ann.lee@camden-council.example) would like to come "
                  "along to the logistics webinar.")
    assert confident(got, Intent.REGISTER, "logistics-2025")


# 4. "Not sure whether it went through": doubt about an earlier mail's delivery, not the request.


def test_not_sure_an_earlier_mail_went_through_hedges_nothing() -> None:
    got = at_desk("Sorry if this is a duplicate - I'm not sure whether my email went through "
                  "yesterday. Please book me on the logistics webinar.")
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_not_sure_whether_i_can_come_still_asks() -> None:
    got = at_desk("I'm not sure whether I can make it, but please book me on the logistics "
                  "webinar.")
    assert got.intent is Intent.REGISTER and got.is_unclear


# 5. "Jury service from 26 May": a date of the member's own absence, no session's.


def test_an_absence_from_a_date_contradicts_no_session() -> None:
    got = at_desk("I've been called up for jury service from 26 May, so I won't be able to "
                  "attend the evidence skills workshop on the 28th. Please cancel my place.",
                  now=MAY)
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025")


def test_a_wrong_date_for_the_session_still_asks() -> None:
    got = at_desk("Please cancel my place on the evidence skills workshop on 26 May.", now=MAY)
    assert got.is_unclear


# 6. "Do you issue attendance certificates?": what comes with a place, asked beside a booking.


def test_attendance_certificates_asked_beside_a_booking_is_a_side_question() -> None:
    got = at_desk("Please book me onto the textiles webinar. Also - do you issue attendance "
                  "certificates? I need evidence of CPD hours.", now=AUGUST)
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_someones_own_certificates_are_no_side_question_about_the_session() -> None:
    got = at_desk("Please book me onto the textiles webinar. Do you need a copy of my GCSE "
                  "certificates?", now=AUGUST)
    assert got.is_unclear


# 7. "We supply furniture to several LUPC members": whom something goes to, no places counted.


def test_a_count_after_to_is_whom_something_goes_to_not_attendees() -> None:
    got = at_desk("We supply office furniture to several LUPC members through the framework and "
                  "would be keen to attend the furniture webinar. Please register me.",
                  now=NOVEMBER)
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_several_colleagues_to_come_without_addresses_still_asks() -> None:
    got = at_desk("Please register me and several colleagues for the furniture webinar.",
                  now=NOVEMBER)
    assert got.is_unclear


# 8. A colleague "copied in" or "in copy" whose address is in To beside the desk, or in Cc.

DESK = "Knowledge Building Series <registrations@lupc.example>"
ZAINAB = "zainab.hussain@camden-council.example"


def test_a_colleague_copied_in_by_to_takes_the_place() -> None:
    got = raw_mail("I'm at a conference on the 28th, so Zainab (copied in) will attend the "
                   "evidence skills workshop instead of me.\n\nJo", f"{DESK}, Zainab Hussain "
                   f"<{ZAINAB}>")
    assert confident(got, Intent.SUBSTITUTE, "evidence-skills-may-2025")
    assert got.substitute is not None and got.substitute.email == ZAINAB


def test_a_colleague_in_copy_is_booked_beside_the_sender() -> None:
    got = raw_mail("Could you book Renée (in copy) and me onto the evidence skills workshop on "
                   "the 28th?\n\nJo", DESK, "Renée Dubois <renee.dubois@camden-council.example>")
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")
    assert emails(got) == {SENDER, "renee.dubois@camden-council.example"}


def test_a_colleague_in_to_not_named_as_coming_is_not_booked() -> None:
    got = raw_mail("Please book me onto the evidence skills workshop on the 28th. Copying my "
                   "manager for info.\n\nJo", f"{DESK}, Zainab Hussain <{ZAINAB}>")
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")
    assert ZAINAB not in emails(got)


# 9. "The one on the 10th next month": a day with its month given relative to today.


def test_a_day_next_month_is_a_whole_date() -> None:
    got = at_desk("Is there still space on the one on the 10th next month? If so I'd like to "
                  "come along please.", now=NOVEMBER)
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_a_day_next_month_with_no_session_on_it_asks() -> None:
    got = at_desk("Could I come to the one on the 28th next month please?", now=NOVEMBER)
    assert got.is_unclear


def test_a_bare_day_of_the_month_still_asks() -> None:
    got = at_desk("Is there still space on the one on the 10th? If so I'd like to come along.",
                  now=NOVEMBER)
    assert got.is_unclear


# 10. "Not this time - I did the May one": a session done before, named as the reason only.


def test_a_session_done_before_beside_a_no_to_an_offer_is_the_reason_only() -> None:
    context = ThreadContext("offered", ("evidence-skills-oct-2025",), SENDER)
    got = at_desk("Unfortunately not this time, thanks - I did the May one.", now=OCTOBER,
                  context=context)
    assert confident(got, Intent.DECLINE_OFFER, "evidence-skills-oct-2025")


def test_a_session_asked_for_beside_a_no_to_an_offer_still_asks() -> None:
    context = ThreadContext("offered", ("evidence-skills-oct-2025",), SENDER)
    got = at_desk("Unfortunately not this time - could I have the furniture one instead?",
                  now=OCTOBER, context=context)
    assert got.is_unclear


# 11. A manager forwards a colleague's "would it be OK for me to go?" / "so someone else can
# have my place" / "would be great if we could both go": the forward asks, for its writer.

LIAM = "liam.okoro@camden-council.example"


def _forward(note: str, words: str, subject: str) -> str:
    return (f"{note}\n\nJo\n\n-----Original Message-----\nFrom: Liam Okoro <{LIAM}>\n"
            f"Sent: 19 August 2025 17:02\nTo: Jo Bloggs <{SENDER}>\nSubject: {subject}\n\n"
            f"{words}\nLiam")


def test_a_forwarded_would_it_be_ok_for_me_to_go_books_its_writer() -> None:
    got = raw_mail(_forward("Can you sort this please? Happy for Liam to go.", "Hi Jo, would it "
                            "be OK for me to go to the textiles webinar on 24 Sept? Thanks,",
                            "textiles webinar?"), DESK, now=AUGUST, subject="FW: textiles")
    assert confident(got, Intent.REGISTER, "textiles-2025") and emails(got) == {LIAM}


def test_a_forwarded_so_someone_else_can_have_my_place_cancels_its_writers() -> None:
    got = raw_mail(_forward("Can you sort this - Liam won't be at the logistics webinar.",
                            "GP has signed me off so I'll miss the logistics webinar on Friday "
                            "28th. Could you let the organisers know so someone else can have my"
                            " place?", "next week"), DESK, now=MARCH, subject="FW: next week")
    assert confident(got, Intent.CANCEL, "logistics-2025") and emails(got) == {LIAM}


def test_a_forwarded_wish_on_the_28th_under_the_sessions_subject_books_both() -> None:
    got = raw_mail(_forward("Approved. Can you sort this for Liam and me please?", "Yes, the one"
                            " on the 28th. Would be great if we could both go.",
                            "Re: May evidence workshop"), DESK,
                   subject="Fwd: Re: May evidence workshop")
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")
    assert emails(got) == {LIAM, SENDER}


def test_a_bare_day_under_a_subject_of_the_same_bare_day_still_asks() -> None:
    got = at_desk("Is there still room on the session on the 29th? If so I'd like to register.",
                  now=OCTOBER.replace(day=2), subject="Session on the 29th")
    assert got.is_unclear


# 12. "Sam's going instead of Kieran" over Kieran's forwarded mail, Cc Sam: the copied taker.


def _forward_cc(note: str) -> str:
    return (f"{note}\n\nJo\n\n-----Original Message-----\nFrom: Liam Okoro <{LIAM}>\n"
            f"Sent: 23 October 2025 15:50\nTo: Jo Bloggs <{SENDER}>\n"
            "Cc: Sam Reid <sam.reid@camden-council.example>\nSubject: October workshop\n\n"
            "Jo, I've got an inspection on the 29th so can't do the evidence workshop. Sam said "
            "he's happy to go in my place.\nLiam")


def test_a_colleague_copied_on_the_forward_and_named_takes_the_writers_place() -> None:
    got = raw_mail(_forward_cc("Can you sort this? Sam's going instead of Liam."), DESK,
                   now=OCTOBER.replace(day=23), subject="FW: October workshop")
    assert confident(got, Intent.SUBSTITUTE, "evidence-skills-oct-2025")
    assert emails(got) == {LIAM}
    assert got.substitute is not None and got.substitute.email == "sam.reid@camden-council.example"


def test_a_copied_colleague_nobody_names_takes_no_place() -> None:
    body = _forward_cc("Can you sort this? Someone will go instead of Liam.").replace(
        "Sam said he's happy to go in my place.", "Someone could go in my place.")
    got = raw_mail(body, DESK, now=OCTOBER.replace(day=23), subject="FW: October workshop")
    assert got.is_unclear and got.substitute is None


# 13. "I'm attending Wednesday's workshop. Is there anything we should prepare beforehand?"


def test_a_question_about_preparing_beforehand_for_a_named_session_is_the_desks() -> None:
    got = at_desk("I'm attending Wednesday's workshop in Kwame's place. Is there anything we "
                  "should read beforehand?", now=MAY.replace(day=23))
    assert got.intent is Intent.QUESTION


def test_a_question_beforehand_about_nothing_of_the_desks_is_not() -> None:
    got = at_desk("We're meeting the auditors next week. Is there anything we should read "
                  "beforehand?", now=MAY.replace(day=23))
    assert got.intent is Intent.UNKNOWN


# 14. "The 12/10 session" in November: 12 October is past and no session's; 10 December is one.


def test_a_slash_date_only_the_us_order_makes_a_session_to_come_reads_that_way() -> None:
    got = at_desk("Hi again - one more: can I get on the 12/10 session too? Thanks!",
                  now=NOVEMBER.replace(day=20))
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_a_slash_date_still_ahead_in_uk_order_keeps_it() -> None:
    got = at_desk("Can I get on the 10/12 session please?", now=NOVEMBER.replace(day=20))
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_a_slash_date_no_order_makes_a_session_asks() -> None:
    got = at_desk("Can I get on the 11/10 session please?", now=NOVEMBER.replace(day=20))
    assert got.is_unclear
