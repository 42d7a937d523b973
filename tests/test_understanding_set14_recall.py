"""Where fresh set 14 showed the desk sending a clear request to the coordinator as unclear
(issue 9, round 15): each reading a behaviour, in wording of its own, beside a control that
still asks."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from test_understanding_classes import EVENTS, SENDER, at_the_desk, confident, mail, offered

from mailflow.model import Intent, Request, ThreadContext
from mailflow.parse import parse_message
from mailflow.understanding import understand

from series import desk_options

FEBRUARY = datetime(2025, 2, 10, 9, 0, tzinfo=UTC)
JUNE = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
DESK = "registrations@lupc.example"
PRIYA = "priya.shah@camden-council.example"
OWEN = "owen.hart@camden-council.example"


def emails(got: Request) -> list[str]:
    return [p.email for p in got.people]


def at_desk(text: str, sender: str = SENDER, now: datetime = FEBRUARY,
            context: ThreadContext | None = None, subject: str = "Booking") -> Request:
    return at_the_desk(text, now, context, subject, sender)


def raw_mail(body: str, subject: str = "Booking", sender: str = SENDER,
             now: datetime = FEBRUARY, cc: str = "", sender_name: str = "Jo Bloggs") -> Request:
    """A whole message, parsed as the poller parses one, read at the desk."""
    raw = (
        f"From: {sender_name} <{sender}>\r\nTo: Knowledge Building Series <{DESK}>\r\n"
        + (f"Cc: {cc}\r\n" if cc else "")
        + f"Subject: {subject}\r\nDate: Mon, 10 Feb 2025 09:00:00 +0000\r\n"
        "Message-ID: <t14@camden-council.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n")
    ).encode()
    return understand(parse_message(raw), EVENTS, now, None, **desk_options())


# 1. "FYI, can you book ...": an FYI that opens a request is said to the reader, not a sign the
# copied colleagues are copied only to know.

CC_TWO = f"Priya Shah <{PRIYA}>, Owen Hart <{OWEN}>"


def test_fyi_opening_a_request_books_the_copied_colleagues_it_names() -> None:
    got = raw_mail("Hi,\n\nFYI, could you book Priya and Owen onto the logistics webinar on "
                   "28 March? Both copied in.\n\nThanks\nJo", cc=CC_TWO)
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert emails(got) == [PRIYA, OWEN]


def test_fyi_opening_a_request_books_the_sender_and_the_copied_colleague() -> None:
    got = raw_mail("Suzanne - FYI, can you book me and Priya (cc'd) onto the logistics webinar?",
                   cc=f"Priya Shah <{PRIYA}>")
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert PRIYA in emails(got)


def test_a_colleague_copied_fyi_is_still_not_booked() -> None:
    got = raw_mail("Could you book me onto the logistics webinar? Priya copied FYI.",
                   cc=f"Priya Shah <{PRIYA}>")
    assert PRIYA not in emails(got)


# 2. "Weds 28th March" for the Friday 28 March session: a weekday slip, when the weekday points at
# no other session that week.


def test_a_wrong_weekday_beside_the_sessions_date_and_topic_books() -> None:
    got = at_desk("I would like to register for the logistics webinar on Weds 28th March.")
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_a_wrong_weekday_with_a_date_that_another_topic_names_asks() -> None:
    got = at_desk("I would like to register for the food webinar on Weds 28th March.")
    assert got.is_unclear


def test_a_weekday_pointing_at_another_session_that_week_asks() -> None:
    # A construction webinar moved to Wednesday 26 March: "Weds 28th March" may mean either.
    events = tuple(
        replace(e, starts=e.starts.replace(month=3, day=26)) if e.id == "construction-2025" else e
        for e in EVENTS
    )
    got = understand(mail("Please book me on the webinar on Weds 28th March."), events,
                     FEBRUARY, None, **desk_options())
    assert got.is_unclear


# 3. "w/c 23rd June": the week that opens on that date.


def test_week_commencing_names_the_session_in_that_week() -> None:
    got = at_desk("Can you book me onto the food webinar w/c 23rd June?", now=JUNE)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_week_beginning_a_date_with_no_session_that_week_asks() -> None:
    got = at_desk("Can you book me onto the food webinar week beginning 9 June?", now=JUNE)
    assert got.is_unclear


def test_the_bare_date_of_no_session_still_asks() -> None:
    got = at_desk("Can you book me onto the food webinar on 23rd June?", now=JUNE)
    assert got.is_unclear


# 4. A notification of a submission to the desk's own web form or CRM is the submitter's mail:
# from the address in its Email field, asking what its message (and registration form) says.

EWA = "ewa.kowalczyk@nhs-north-london.example"


def form_mail(fields: str, subject: str = "New form submission: Register your interest",
              sender: str = "noreply@forms.lupc.example", auto: bool = True) -> Request:
    raw = (
        f"From: LUPC Website <{sender}>\r\nTo: {DESK}\r\nSubject: {subject}\r\n"
        "Date: Mon, 10 Feb 2025 09:00:00 +0000\r\nMessage-ID: <f14@forms.lupc.example>\r\n"
        + ("Auto-Submitted: auto-generated\r\n" if auto else "")
        + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        + ("New form submission\n\n" + fields).replace("\n", "\r\n")
    ).encode()
    return understand(parse_message(raw), EVENTS, FEBRUARY, None, **desk_options())


def test_a_registration_form_submission_books_its_submitter_on_the_session_chosen() -> None:
    got = form_mail(f"Name\nEwa Kowalczyk\n\nEmail\n{EWA}\n\nSession\nWebinar 2 - Logistics "
                    "(28 March 2025)\n\nComments\nLooking forward to it.\n")
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert emails(got) == [EWA]


def test_a_crm_enquiry_asking_to_register_books_the_submitter() -> None:
    got = form_mail(f"Name: Ewa Kowalczyk\nEmail: {EWA}\nEvent of interest: Furniture "
                    "(10/12/2025)\nMessage: Please register me for this webinar.\n",
                    subject="New enquiry logged: Knowledge Building Series",
                    sender="crm-noreply@lupc.example")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert emails(got) == [EWA]


def test_a_contact_form_question_is_a_question_not_a_booking() -> None:
    got = form_mail(f"Name: Ewa Kowalczyk\nEmail: {EWA}\nMessage: Which platform will the "
                    "logistics webinar be on?\n", subject="New form submission: Contact us")
    assert got.intent is not Intent.REGISTER or got.is_unclear


def test_a_form_submission_from_a_personal_address_claiming_a_member_asks() -> None:
    got = form_mail("Name: Darren Pike\nEmail: darren84@gmail.example\nOrganisation: LB Camden"
                    "\nSession: Textiles (24 September)\nComments: using my own address\n")
    assert got.is_unclear


def test_a_third_partys_automatic_notification_is_still_not_read_as_a_request() -> None:
    got = form_mail(f"Name: Ewa Kowalczyk\nEmail: {EWA}\nSession: Webinar 2 - Logistics\n",
                    sender="noreply@eventsite.example")
    assert got.intent is Intent.UNKNOWN


# 5. "I must withdraw ... nobody of my team is available to replace me": no one takes the place;
# the place is given up.

CONFIRMED_OCT = ThreadContext("confirmed", ("evidence-skills-oct-2025",), SENDER)


def test_withdrawing_with_nobody_to_replace_me_cancels() -> None:
    got = at_desk("I am sorry but I must withdraw from this workshop. I regret that nobody of "
                  "my team is available to replace me.", context=CONFIRMED_OCT)
    assert confident(got, Intent.CANCEL, "evidence-skills-oct-2025")


def test_a_colleague_who_will_replace_me_is_still_a_substitution() -> None:
    got = at_desk("I must withdraw from this workshop. Nobody else is free, so Priya "
                  f"({PRIYA}) will replace me.", context=CONFIRMED_OCT)
    assert got.intent is Intent.SUBSTITUTE


# 6. "Regrettably I cannot accept as I shall be attending a board meeting": a meeting of theirs
# attended, no place asked for; the no stands.


def test_attending_a_board_meeting_is_the_reason_for_a_no_not_a_booking() -> None:
    got = at_desk("Thank you for the kind offer. Regrettably I will not be able to accept it as "
                  "I shall be attending a board meeting on that date. Kindly offer it to the "
                  "next colleague on the list.", context=offered("food-2025", SENDER))
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_attending_the_webinar_is_still_a_booking() -> None:
    got = at_desk("I shall be attending the food webinar - please put me down.")
    assert confident(got, Intent.REGISTER, "food-2025")


# 7. "Could you register me for food, and could you tell me also whether it will be recorded?":
# the booking stands; the question beside it is the coordinator's.


def test_a_booking_with_a_second_ask_about_the_recording_books_and_keeps_the_question() -> None:
    got = at_desk("Could you please register me for the Food webinar on 25 June, and could you "
                  "tell me also whether it will be recorded?")
    assert confident(got, Intent.REGISTER, "food-2025")
    assert "recorded" in got.question


def test_a_question_about_the_recording_for_those_who_cannot_come_books_nothing() -> None:
    got = at_desk("Will there be a recording of the food webinar for those who can't make it?")
    assert got.intent is not Intent.CANCEL


# 8. "A colleague mentioned it and I'd be keen to attend": who told the sender, nobody to book.


def test_a_colleague_who_mentioned_the_session_is_no_one_to_book() -> None:
    got = at_desk("Is it still possible to get a place on the food webinar? A colleague "
                  "mentioned it and I'd be keen to attend.")
    assert confident(got, Intent.REGISTER, "food-2025")
    assert emails(got) == []


def test_a_colleague_who_suggested_it_and_would_like_to_come_asks() -> None:
    got = at_desk("Could I get a place on the food webinar? My colleague suggested it and "
                  "would like to come too.")
    assert got.is_unclear


# 9. A manager minding an away colleague's inbox answers our offer to them: "she'll take the
# place" is the colleague's yes.

AISHA = "aisha.rahman@camden-council.example"


def test_a_yes_said_as_the_away_recipients_own_takes_the_place_for_them() -> None:
    got = understand(
        mail("Aisha's on leave until Monday but she asked me to keep an eye on her inbox for "
             "exactly this - yes please, she'll take the place.", "RE: Place available"),
        EVENTS, FEBRUARY, offered("food-2025", AISHA), **desk_options())
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")
    assert emails(got) == [AISHA]


def test_a_yes_to_an_offer_made_to_someone_else_without_saying_whose_still_asks() -> None:
    got = understand(mail("yes please, I'll take the place.", "RE: Place available"),
                     EVENTS, FEBRUARY, offered("food-2025", AISHA), **desk_options())
    assert got.is_unclear


# 10. A substitute named by first name whose address is elsewhere in the mail: in the signature
# ("Deputy: Rob Finch, ..., rob.finch@...") or in the header of the forward they wrote.

ROB = "rob.finch@camden-council.example"


def test_a_substitute_whose_address_is_in_the_signature_takes_the_place() -> None:
    got = raw_mail("Hi Suzanne,\n\nI can no longer make the food webinar. Rob, my deputy "
                   "(details below), will take my place instead.\n\nThanks\nJo\n\nJo Bloggs\n"
                   f"Contracts Manager\nLondon Borough of Camden\nDeputy: Rob Finch, {ROB}\n",
                   now=JUNE)
    assert confident(got, Intent.SUBSTITUTE, "food-2025")
    assert got.substitute is not None and got.substitute.email == ROB


def test_a_substitute_not_the_one_in_the_signature_still_asks() -> None:
    got = raw_mail("Hi Suzanne,\n\nI can no longer make the food webinar. Sam will take my place "
                   "instead.\n\nThanks\nJo\n\nJo Bloggs\nContracts Manager\nLondon Borough of "
                   f"Camden\nDeputy: Rob Finch, {ROB}\n", now=JUNE)
    assert got.is_unclear


def test_a_substitute_who_wrote_the_forwarded_mail_takes_the_place() -> None:
    got = raw_mail("Hi Suzanne,\n\nI can't make the food webinar after all. Priya has kindly "
                   "agreed to go in my place - see below. Could you swap us over?\n\nThanks\nJo\n\n"
                   f"---------- Forwarded message ---------\nFrom: Priya Shah <{PRIYA}>\n"
                   "Date: 17 June 2025\nSubject: Re: Food webinar\nTo: Jo Bloggs <"
                   f"{SENDER}>\n\nYes happy to - just let the organisers know.\n",
                   subject="Fwd: Food webinar", now=JUNE)
    assert confident(got, Intent.SUBSTITUTE, "food-2025")
    assert got.substitute is not None and got.substitute.email == PRIYA


# 11. "asked me to send our nominations as CSV, so here they are for the October workshop": the
# rows below are the attendees asked for.

OSEI = "b.osei@camden-council.example"


def test_nominations_sent_as_csv_rows_book_the_rows() -> None:
    got = raw_mail("Dear Suzanne,\n\nOur L&D team asked me to send our nominations as CSV, so "
                   "here they are for the October evidence skills workshop (29 October).\n\n"
                   f"surname,forename,email\nShah,Priya,{PRIYA}\nOsei,Ben,{OSEI}\n\nBest,\nJo\n",
                   subject="Nominations", now=JUNE)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")
    assert emails(got) == [PRIYA, OSEI]


def test_rows_sent_only_for_information_book_nothing() -> None:
    got = raw_mail("Dear Suzanne,\n\nFor your records, here is who attended the logistics "
                   f"webinar.\n\nsurname,forename,email\nShah,Priya,{PRIYA}\n\nBest,\nJo\n",
                   subject="Attendance", now=JUNE)
    assert got.intent is not Intent.REGISTER or got.is_unclear


# 12. "Kasia and I would like to follow the two workshops, on 28 May and 29 October. Could you
# register us both for both dates?": "both dates" points back at the two the clause before names.


def test_both_dates_points_back_at_the_two_sessions_named_before() -> None:
    got = raw_mail(f"Dear Suzanne,\n\nMy colleague Priya Shah ({PRIYA}) and I would both like "
                   "to follow the two evidence skills workshops, on 28 May and on 29 October. "
                   "Could you register us both for both dates?\n\nPieter\n")
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025", "evidence-skills-oct-2025")
    assert emails(got)[-1] == PRIYA


def test_both_dates_with_no_two_sessions_before_still_asks() -> None:
    got = raw_mail("Dear Suzanne,\n\nWe'd like to come along. Could you register me for both "
                   "dates?\n\nPieter\n")
    assert got.is_unclear


# 13. A long mail: "I would love to attend the textiles and food sessions later in the year,
# but I will write nearer the time" puts those off; "could I please ask you to register these two
# colleagues" is the request.

OSEI_NHS = "e.osei@nhs-north-london.example"


def test_a_wish_put_off_to_a_later_mail_is_background_and_ask_you_to_register_asks() -> None:
    got = raw_mail("Dear Suzanne,\n\nI would love to attend the textiles and food sessions later "
                   "in the year, but I will write nearer the time when I know the tender dates. "
                   "The construction webinar on 29 January looks ideal for our Estates team. I "
                   "am not able to attend myself, but could I please ask you to register this "
                   f"colleague:\n\nEmmanuel Osei - {OSEI_NHS}\n\nWarm regards,\nSiobhan\n",
                   sender="siobhan.kelly@nhs-north-london.example",
                   subject="Construction webinar for our Estates colleagues",
                   now=datetime(2025, 1, 14, 9, 0, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "construction-2025")
    assert emails(got) == [OSEI_NHS]


def test_a_wish_to_attend_with_no_later_mail_promised_still_books() -> None:
    got = at_desk("I would love to attend the textiles session, and I hope the slides are "
                  "shared too.", now=JUNE)
    assert got.intent is Intent.REGISTER


def test_i_cannot_attend_myself_keeps_the_sender_off_beside_a_wish_told_elsewhere() -> None:
    got = raw_mail("Dear Suzanne,\n\nI would love to attend the construction webinar one day. I "
                   "am not able to attend myself that morning, but could you register this "
                   f"colleague:\n\nEmmanuel Osei - {OSEI_NHS}\n\nSiobhan\n",
                   sender="siobhan.kelly@nhs-north-london.example",
                   now=datetime(2025, 1, 14, 9, 0, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "construction-2025")
    assert emails(got) == [OSEI_NHS]


def test_the_sender_who_would_love_to_come_with_a_colleague_is_booked_too() -> None:
    got = raw_mail("Dear Suzanne,\n\nI would love to attend the construction webinar, and could "
                   f"you register this colleague too:\n\nEmmanuel Osei - {OSEI_NHS}\n\nSiobhan\n",
                   sender="siobhan.kelly@nhs-north-london.example",
                   now=datetime(2025, 1, 14, 9, 0, tzinfo=UTC))
    assert emails(got) == ["siobhan.kelly@nhs-north-london.example", OSEI_NHS]


def test_a_wrong_weekday_beside_a_date_alone_asks() -> None:
    got = at_desk("I would like to register for the webinar on Weds 28th March.")
    assert got.is_unclear
