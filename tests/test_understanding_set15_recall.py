"""Where fresh set 15 showed the desk sending a clear request to the coordinator as unclear
(issue 9, round 16): each reading a behaviour, in wording of its own, beside a control that
still asks."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import EVENTS, SENDER, at_the_desk, confident, offered

from mailflow.model import Intent, Request, ThreadContext
from mailflow.parse import parse_message
from mailflow.understanding import understand

from series import desk_options

FEBRUARY = datetime(2025, 2, 10, 9, 0, tzinfo=UTC)
JUNE = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
DESK = "registrations@lupc.example"


def emails(got: Request) -> list[str]:
    return [p.email for p in got.people]


def at_desk(text: str, sender: str = SENDER, now: datetime = FEBRUARY,
            context: ThreadContext | None = None, subject: str = "Booking") -> Request:
    return at_the_desk(text, now, context, subject, sender)


def raw_mail(body: str, subject: str = "Booking", sender: str = SENDER,
             now: datetime = FEBRUARY, cc: str = "", sender_name: str = "Jo Bloggs",
             context: ThreadContext | None = None) -> Request:
    """A whole message, parsed as the poller parses one, read at the desk."""
    raw = (
        f"From: {sender_name} <{sender}>\r\nTo: Knowledge Building Series <{DESK}>\r\n"
        + (f"Cc: {cc}\r\n" if cc else "")
        + f"Subject: {subject}\r\nDate: Mon, 10 Feb 2025 09:00:00 +0000\r\n"
        "Message-ID: <t15@camden-council.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n")
    ).encode()
    return understand(parse_message(raw), EVENTS, now, context, **desk_options())


# 1. A change asked outright, then at a dash a question of its own about the session: the
# change stands and the question goes beside it.

def test_a_booking_then_a_question_after_a_dash_books() -> None:
    got = at_desk("Hi, please could you register me for the logistics webinar - and is it "
                  "going to be recorded?\n\nJo")
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_an_explicit_yes_then_a_question_after_a_dash_accepts() -> None:
    got = at_desk("Yes, I'll take the place - will the slides be shared afterwards?\n\nJo",
                  now=JUNE, context=offered("food-2025"), subject="Re: A place is available")
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_a_bare_yes_running_into_its_question_still_asks() -> None:
    got = at_desk("Yes please - will the slides be shared afterwards?\n\nJo",
                  now=JUNE, context=offered("food-2025"), subject="Re: A place is available")
    assert got.is_unclear


def test_a_booking_then_a_question_about_cost_after_a_dash_still_asks() -> None:
    got = at_desk("Please could you register me for the logistics webinar - and how much "
                  "does it cost?\n\nJo")
    assert got.is_unclear


# 2. "Is it too late to add my colleague? (address)": asks for the colleague's place itself.

OMAR = "omar.khan@camden-council.example"


def test_too_late_to_add_a_colleague_with_an_address_books_them() -> None:
    got = at_desk(f"Thanks, see you then. Is it too late to book my colleague? {OMAR} - he "
                  "started this week.\n\nJo", now=datetime(2025, 5, 26, 9, 0, tzinfo=UTC),
                  context=ThreadContext("confirmed", ("evidence-skills-may-2025",), SENDER))
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")
    assert emails(got) == [OMAR]


def test_too_late_to_add_a_colleague_without_an_address_still_asks() -> None:
    got = at_desk("Thanks, see you then. Is it too late to add my colleague?\n\nJo",
                  now=datetime(2025, 5, 26, 9, 0, tzinfo=UTC),
                  context=ThreadContext("confirmed", ("evidence-skills-may-2025",), SENDER))
    assert got.is_unclear


# 3. "I am interesting for the food webinar, it is possible to participate?": a place asked for
# in another language's word order, and "participate" among the verbs of "is it possible to".

def test_it_is_possible_to_participate_asked_is_a_booking() -> None:
    got = at_desk("Good morning,\n\nI am interesting for the logistics webinar, it is possible "
                  "to participate?\n\nThank you")
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_is_it_possible_to_take_part_is_a_booking() -> None:
    got = at_desk("Hello, is it possible to take part in the logistics webinar?\n\nJo")
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_it_is_possible_to_register_said_as_a_statement_books_nothing() -> None:
    got = at_desk("Hello, my manager says it is possible to register online for the logistics "
                  "webinar. Thanks\n\nJo")
    assert got.intent is not Intent.REGISTER or got.is_unclear


# 4. Questions the booking's own answer settles, or put as asked in passing.

def test_did_my_registration_go_through_if_not_book_me_books() -> None:
    got = at_desk("Hi - did my registration for logistics go through? I sent the form a "
                  "while ago and heard nothing. If not please book me!\n\nJo")
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_out_of_interest_question_beside_a_yes_accepts() -> None:
    got = at_desk("Yes, I'd love to take it, thanks!\n\nOut of interest, how long is the "
                  "waiting list?\n\nJo", now=JUNE, context=offered("food-2025"),
                  subject="Re: A place is available")
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_out_of_interest_could_a_colleague_come_still_asks() -> None:
    got = at_desk("Yes, I'd love to take it, thanks!\n\nOut of interest, could my colleague "
                  "come too?\n\nJo", now=JUNE, context=offered("food-2025"),
                  subject="Re: A place is available")
    assert got.is_unclear


# 5. A CRM's or contact form's notification: "First name / Last name / Which session?" fields,
# a "notifications@" sender at the desk's own organisation, and an enquiry type that says what
# is asked ("Contact the registrations team" is no registration form).

def notification(body: str, subject: str, sender: str = "notifications@crm.lupc.example",
                 now: datetime = FEBRUARY) -> Request:
    raw = (
        f"From: LUPC Connect <{sender}>\r\nTo: Knowledge Building Series <{DESK}>\r\n"
        f"Subject: {subject}\r\nDate: Mon, 10 Feb 2025 09:00:00 +0000\r\n"
        "Message-ID: <crm15@crm.lupc.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n")
    ).encode()
    return understand(parse_message(raw), EVENTS, now, None, **desk_options())


CRM = ("Jo Bloggs submitted KBS Registration 2025\n\nFirst name: Jo\nLast name: Bloggs\n"
       f"Email: {SENDER}\nOrganisation: Camden Council\n"
       "Which session?: Logistics - 28 March\nAnything else?: looking forward to it\n")


def test_a_crm_submission_with_first_and_last_name_books_the_submitter() -> None:
    got = notification(CRM, "New submission: KBS Registration 2025 - Jo Bloggs")
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert emails(got) == [SENDER]


def test_the_same_fields_from_another_organisations_notifier_are_not_the_submitters() -> None:
    got = notification(CRM, "New submission: KBS Registration 2025 - Jo Bloggs",
                       sender="notifications@crm-vendor.example")
    assert emails(got) != [SENDER] or got.is_unclear


CONTACT = ("Contact the registrations team\n\nName\n\nJo Bloggs\n\nEmail\n\n"
           f"{SENDER}\n\nEnquiry type\n\nCancel a booking\n\nSession\n\nLogistics (28 March)\n\n"
           "Message\n\nclash with a board meeting, sorry - please give my place to someone "
           "else\n")


def test_a_contact_forms_cancel_enquiry_cancels_and_asks_no_place() -> None:
    got = notification(CONTACT, "New form entry: Contact the registrations team",
                       sender="no-reply@lupc.example")
    assert confident(got, Intent.CANCEL, "logistics-2025")


def test_a_contact_forms_booking_enquiry_still_books() -> None:
    got = notification(CONTACT.replace("Cancel a booking", "Book a place").replace(
        "clash with a board meeting, sorry - please give my place to someone else",
        "looking forward to it"), "New form entry: Contact the registrations team",
        sender="no-reply@lupc.example")
    assert confident(got, Intent.REGISTER, "logistics-2025")


# 6. A no in a Romance language's words ("I must renounce to the place"); "tmrw" for tomorrow;
# "the one at the end of the month".

def test_renounce_to_the_place_declines_the_offer() -> None:
    got = at_desk("Dear Suzanne,\n\nthank you for the offer but in that day I am travelling, "
                  "so I must renounce to the place.\n\nBest regards\nJo", now=JUNE,
                  context=offered("food-2025"), subject="Re: A place is available")
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_cant_make_tmrw_cancels_tomorrows_session() -> None:
    got = at_desk("sorry cant make tmrw, pls cancel me", subject="tomorrow",
                  now=datetime(2025, 6, 24, 18, 30, tzinfo=UTC))
    assert confident(got, Intent.CANCEL, "food-2025")


def test_cant_make_tmrw_when_no_session_is_tomorrow_still_asks() -> None:
    got = at_desk("sorry cant make tmrw, pls cancel me", subject="tomorrow",
                  now=datetime(2025, 6, 20, 18, 30, tzinfo=UTC))
    assert got.is_unclear


def test_the_one_at_the_end_of_the_month_is_this_months_late_session() -> None:
    got = at_desk("can you add me for the one at the end of the month? cheers",
                  subject="", now=datetime(2025, 9, 2, 8, 15, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_the_one_at_the_start_of_a_month_whose_session_is_late_still_asks() -> None:
    got = at_desk("can you add me for the one at the start of the month? cheers",
                  subject="", now=datetime(2025, 9, 2, 8, 15, tzinfo=UTC))
    assert got.is_unclear


# 7. "I'm on leave in the week of 23 June": a week named by its first day, which holds the
# offered session; no date of another session.

def test_a_no_for_leave_in_the_week_of_the_offered_session_declines() -> None:
    got = at_desk("Hi Suzanne,\n\nthank you, but I have to say no - I'm on leave in the week of "
                  "23 June. Please give it to the next person.\n\nJo", now=JUNE,
                  context=offered("food-2025"), subject="Re: A place is available")
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_a_booking_for_a_week_holding_no_session_still_asks() -> None:
    got = at_desk("Hi, please book me on the webinar in the week of 7 July.\n\nJo", now=JUNE)
    assert got.is_unclear


# 8. A list of attendees under a heading that says who it is for: "Names for the food webinar
# below.", "Five from Camden for the logistics webinar please:".

ROWS = ("Tom Reid\ttom.reid@camden-council.example\n"
        "Ola Ade\tola.ade@camden-council.example\n")
TWO = ["tom.reid@camden-council.example", "ola.ade@camden-council.example"]


def test_names_for_a_session_below_books_the_rows() -> None:
    got = at_desk("Hello,\n\nNames for the logistics webinar in March below. I'm not attending "
                  f"myself.\n\nName\tEmail\n{ROWS}\nMany thanks\nJo")
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert emails(got) == TWO


def test_two_from_the_organisation_for_a_session_please_books_the_rows() -> None:
    got = at_desk(f"Hi Suzanne,\n\nTwo from Camden for the logistics webinar please:\n\n{ROWS}"
                  "\nJo")
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert emails(got) == TWO


def test_names_for_a_session_told_as_a_past_event_books_nobody() -> None:
    got = at_desk("Hello,\n\nThe names for the logistics webinar were sent by my manager last "
                  "week, so nothing from me.\n\nJo")
    assert got.intent is not Intent.REGISTER or got.is_unclear


# 9. The colleagues copied in, asked for as such: "me and the two colleagues copied in", "me
# plus jo@... and pat@... (both cc'd)"; their names taken from the Cc line.

PRIYA = "priya.shah@camden-council.example"
OWEN = "owen.hart@camden-council.example"
CC_TWO = f"Priya Shah <{PRIYA}>, Owen Hart <{OWEN}>"


def test_me_and_the_two_colleagues_copied_in_books_all_three() -> None:
    got = raw_mail("Hi,\n\nCould you book me and the two colleagues copied in onto the logistics "
                   "webinar please?\n\nThanks\nJo", cc=CC_TWO)
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert emails(got) == [SENDER, PRIYA, OWEN]
    assert [p.name for p in got.people][1:] == ["Priya Shah", "Owen Hart"]


def test_the_three_colleagues_on_copy_when_two_are_copied_still_asks() -> None:
    got = raw_mail("Hi,\n\nplease add me and the three colleagues on copy to the logistics "
                   "webinar. Ta, Jo", cc=CC_TWO)
    assert got.is_unclear


def test_addresses_noted_as_copied_in_the_request_are_booked() -> None:
    got = raw_mail(f"Dear Suzanne,\n\nPlease could you register me plus {PRIYA} and {OWEN} (both "
                   "cc'd) for the logistics webinar?\n\nBest wishes\nJo", cc=CC_TWO)
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert emails(got) == [SENDER, PRIYA, OWEN]


def test_a_colleague_copied_for_information_is_not_booked() -> None:
    got = raw_mail("Hi,\n\nCould you book me onto the logistics webinar please? I've copied in "
                   f"my manager Priya ({PRIYA}) for information.\n\nThanks\nJo",
                   cc=f"Priya Shah <{PRIYA}>")
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert PRIYA not in emails(got)


# 10. In our thread with someone else, the writer names that person as the one who answers or
# cannot come ("Dr Nwosu is happy to accept the place", "Jess is off sick ... offer it to the
# next person", "Dan has left, so please cancel this place"): the place is theirs. "This place"
# beside another session named is the thread's session too.

JESS = "jess.ward@camden-council.example"
MANAGER = "pete.hale@camden-council.example"


def test_a_manager_declining_for_the_named_holder_declines_their_offer() -> None:
    got = raw_mail("Hi,\n\nJess is off sick this week so won't be able to take the place - "
                   "thanks anyway. Please offer it to the next person.\n\nPete",
                   sender=MANAGER, sender_name="Pete Hale", now=JUNE,
                   context=offered("food-2025", JESS), subject="RE: A place is available")
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")
    assert emails(got) == [JESS]


def test_a_pa_accepting_for_the_named_holder_accepts_their_offer() -> None:
    got = raw_mail("Good morning,\n\nDr Ward is happy to accept the place - please send the "
                   "joining details to her directly.\n\nKind regards\nJanet",
                   sender=MANAGER, sender_name="Janet Hale", now=JUNE,
                   context=offered("food-2025", JESS), subject="RE: A place is available",
                   cc=f"Dr Jess Ward <{JESS}>")
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")
    assert emails(got) == [JESS]


def test_a_colleague_declining_without_naming_the_holder_still_asks() -> None:
    got = raw_mail("Hi,\n\nSorry, won't be able to take the place. Please offer it to the next "
                   "person.\n\nPete", sender=MANAGER, sender_name="Pete Hale", now=JUNE,
                   context=offered("food-2025", JESS), subject="RE: A place is available")
    assert got.is_unclear


def test_a_manager_cancelling_this_place_and_another_for_a_leaver_cancels_both() -> None:
    got = raw_mail("Suzanne - Jess has left Camden so please cancel this place. She was also "
                   "down for the furniture webinar in December - please cancel that one too."
                   "\n\nPete", sender=MANAGER, sender_name="Pete Hale",
                   now=datetime(2025, 10, 1, 9, 0, tzinfo=UTC),
                   context=ThreadContext("confirmed", ("evidence-skills-oct-2025",), JESS),
                   subject="RE: Confirmed: Evidence skills training workshop (October)")
    assert confident(got, Intent.CANCEL, "evidence-skills-oct-2025", "furniture-2025")
    assert emails(got) == [JESS]


# 11. "... and would be interested in attending the logistics webinar on 28 March. Please let me
# know if I can register.": a place asked for (whether they may have it is the desk's answer).

def test_would_be_interested_in_attending_a_named_session_is_a_booking() -> None:
    got = at_desk("Dear Sir/Madam,\n\nI am an independent consultant and would be interested in "
                  "attending the logistics webinar on 28 March. Please let me know if I can "
                  "register.\n\nYours faithfully\nAlan Brookes", sender="alan.b@btinternet.com")
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_would_be_interested_in_hearing_about_sessions_books_nothing() -> None:
    got = at_desk("Dear Sir/Madam,\n\nI would be interested in hearing about future webinars "
                  "in the series.\n\nYours faithfully\nAlan Brookes",
                  sender="alan.b@btinternet.com")
    assert got.intent is not Intent.REGISTER or got.is_unclear


# 12. "Lina Costa (address) will take over all my places in the series - I'm booked on textiles,
# the October workshop and furniture": every place named passes to her.

LINA = "lina.costa@camden-council.example"


def test_a_colleague_taking_over_all_my_named_places_substitutes_on_each() -> None:
    got = at_desk(f"Dear Suzanne,\n\nI'm leaving Camden at the end of July. Lina Costa ({LINA}) "
                  "will take over all my places in the series - I'm booked on textiles, the "
                  "October workshop and furniture.\n\nThanks\nJo",
                  now=datetime(2025, 7, 21, 8, 0, tzinfo=UTC))
    assert got.intent is Intent.SUBSTITUTE and not got.is_unclear
    assert set(got.event_ids) == {"textiles-2025", "evidence-skills-oct-2025", "furniture-2025"}
    assert got.substitute is not None and got.substitute.email == LINA


def test_a_colleague_taking_over_all_my_places_unnamed_changes_no_seat() -> None:
    got = at_desk(f"Dear Suzanne,\n\nI'm leaving Camden. Lina Costa ({LINA}) will take over all "
                  "my places.\n\nThanks\nJo", now=datetime(2025, 7, 21, 8, 0, tzinfo=UTC))
    assert got.intent is not Intent.SUBSTITUTE or got.is_unclear


# 13. "please book Ana and Kwame (below)" over a reply chain where each volunteered: every
# writer the note names by first name, from the chain's own headers.

ANA = "ana.ribeiro@camden-council.example"
KWAME = "kwame.asante@camden-council.example"


def chain(ana_says: str) -> Request:
    return raw_mail(
        "Hi Suzanne - please book Ana and Kwame (below) onto logistics. Thanks, Jo\n\n"
        "-----Original Message-----\n"
        f"From: Kwame Asante <{KWAME}>\nSent: 07 February 2025 10:02\nTo: Jo Bloggs <{SENDER}>\n"
        "Subject: RE: Logistics webinar - anyone?\n\nYes please, I'll go.\n\n"
        "-----Original Message-----\n"
        f"From: Ana Ribeiro <{ANA}>\nSent: 07 February 2025 09:41\nTo: Jo Bloggs <{SENDER}>\n"
        f"Subject: RE: Logistics webinar - anyone?\n\n{ana_says}\n",
        subject="FW: Logistics webinar - anyone?")


def test_a_chain_of_two_volunteers_named_in_the_note_books_both() -> None:
    got = chain("Me! The freight retender is mine this year.")
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert sorted(emails(got)) == sorted([ANA, KWAME])


def test_a_volunteer_who_only_said_maybe_is_not_booked_from_the_chain() -> None:
    got = chain("Maybe - depends if I'm covering reception that week. I'll let you know.")
    assert ANA not in emails(got) or got.is_unclear
