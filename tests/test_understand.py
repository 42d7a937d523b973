"""Behaviour of the request interpreter, one reading per test."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from mailflow.model import ForwardedMail, InboundMail, Intent, Person, Request, ThreadContext
from mailflow.parse import parse_message
from mailflow.understanding import understand

from series import DEFAULT_NOW, corpus_cases, series_2025, series_name

EVENTS = series_2025()
SENDER = "jo.bloggs@camden-council.example"


def mail(text: str, subject: str = "Knowledge Building Series", **fields: object) -> InboundMail:
    values: dict[str, object] = {
        "message_id": "<m1@camden-council.example>",
        "sender": SENDER,
        "sender_name": "Jo Bloggs",
        "subject": subject,
        "date": DEFAULT_NOW,
        "in_reply_to": "",
        "references": (),
        "text": text,
    }
    values.update(fields)
    return InboundMail(**values)  # type: ignore[arg-type]


def read(
    text: str,
    subject: str = "Knowledge Building Series",
    context: ThreadContext | None = None,
    now: datetime = DEFAULT_NOW,
    **fields: object,
) -> Request:
    return understand(mail(text, subject, **fields), EVENTS, now, context)


def confident(request: Request, intent: Intent, *event_ids: str) -> None:
    assert not request.is_unclear, (request.reason, request.evidence)
    assert request.intent is intent
    assert request.event_ids == event_ids


# --- registering ---------------------------------------------------------------------------------


def test_book_me_onto_textiles_on_the_24th_registers_sender_for_textiles() -> None:
    request = read("Could you book me onto the textiles one on the 24th?")
    confident(request, Intent.REGISTER, "textiles-2025")
    assert request.people == ()


def test_synonym_keywords_resolve_their_sessions() -> None:
    confident(read("Please sign me up for the seafood one."), Intent.REGISTER, "food-2025")
    confident(
        read("I'd like to join the session on staff uniforms."), Intent.REGISTER, "textiles-2025"
    )
    confident(
        read("Put me down for the warehousing webinar please"), Intent.REGISTER, "logistics-2025"
    )


@pytest.mark.parametrize(
    "when",
    [
        "24 September",
        "24/09",
        "24/9/2025",
        "Sept 24th",
        "Wednesday 24th",
        "September 24",
        "the 24th of Sept",
    ],
)
def test_uk_date_forms_resolve_the_textiles_session(when: str) -> None:
    confident(read(f"Please could you register me for {when}?"), Intent.REGISTER, "textiles-2025")


def test_webinar_one_is_the_first_in_the_series() -> None:
    confident(read("Please register me for webinar 1."), Intent.REGISTER, "construction-2025")


def test_several_sessions_in_one_mail_are_all_registered_in_series_order() -> None:
    request = read("Please book me on furniture, and also the logistics webinar in March.")
    confident(request, Intent.REGISTER, "logistics-2025", "furniture-2025")


def test_the_workshop_is_unclear_when_there_are_two_workshops() -> None:
    request = read("Please register me for the workshop.")
    assert request.is_unclear
    assert "workshop" in request.reason


def test_the_workshop_with_a_month_is_that_workshop() -> None:
    confident(
        read("Please register me for the October workshop."),
        Intent.REGISTER,
        "evidence-skills-oct-2025",
    )


def test_the_next_one_resolves_to_the_next_open_session() -> None:
    now = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)
    confident(
        read("Can you book me on the next one?", now=now),
        Intent.REGISTER,
        "evidence-skills-may-2025",
    )


def test_the_next_one_is_unclear_when_the_next_session_has_closed() -> None:
    now = datetime(2025, 1, 25, 9, 0, tzinfo=UTC)  # construction's registration closed on 21 Jan
    assert read("Can you book me on the next one?", now=now).is_unclear


def test_a_date_that_is_no_session_is_unclear() -> None:
    request = read("Please book me on the webinar on 3 April.")
    assert request.is_unclear
    assert "3 april" in request.reason


def test_a_nearby_wrong_date_with_a_topic_is_unclear_not_guessed() -> None:
    assert read("Please book me onto the textiles webinar on 25 September.").is_unclear


def test_registration_without_a_session_is_unclear() -> None:
    request = read("Hi, please book me a place, thanks.")
    assert request.intent is Intent.REGISTER
    assert request.is_unclear


def test_sender_and_named_colleague_are_both_registered() -> None:
    request = read(
        "Please register me and my colleague Sam Patel (sam.patel@camden-council.example) "
        "for the food webinar."
    )
    confident(request, Intent.REGISTER, "food-2025")
    assert request.people == (
        Person(SENDER, "Jo Bloggs"),
        Person("sam.patel@camden-council.example", "Sam Patel"),
    )


def test_colleague_alone_is_registered_without_the_sender() -> None:
    request = read(
        "Could you book Sam Patel <sam.patel@camden-council.example> onto the furniture webinar?"
    )
    confident(request, Intent.REGISTER, "furniture-2025")
    assert [p.email for p in request.people] == ["sam.patel@camden-council.example"]


def test_colleague_named_without_address_is_unclear() -> None:
    assert read("Please book me and my colleague Sam onto the food webinar.").is_unclear


def test_copied_manager_is_not_registered() -> None:
    request = read(
        "Please book me on textiles. I've cc'd my manager Ann Lee (ann.lee@camden-council.example)."
    )
    confident(request, Intent.REGISTER, "textiles-2025")
    assert request.people == ()


def test_manager_forwarding_a_colleagues_request_registers_the_colleague() -> None:
    text = (
        "Suzanne - please sort this for Priya below.\n\nTom\n\n"
        "From: Shah, Priya <Priya.Shah@camden-council.example>\nSent: 06 January 2025 09:12\n"
        "To: Reed, Tom <tom.reed@camden-council.example>\nSubject: Textiles\n\n"
        "Hi Tom, please could you get me registered for the textiles webinar?\n\nPriya"
    )
    request = read(text, subject="FW: Textiles")
    confident(request, Intent.REGISTER, "textiles-2025")
    assert request.people == (Person("priya.shah@camden-council.example", "Priya Shah"),)


def test_attached_forwarded_request_registers_its_sender() -> None:
    fwd = ForwardedMail(
        "dan@camden-council.example",
        "Dan Hughes",
        "Logistics",
        "Could I go on the logistics webinar please?\n\nDan",
    )
    request = read("See the request below.", subject="FW: Logistics", forwarded=(fwd,))
    confident(request, Intent.REGISTER, "logistics-2025")
    assert [p.email for p in request.people] == ["dan@camden-council.example"]


def test_forwarded_announcement_does_not_register_for_every_session() -> None:
    announcement = (
        "Construction - 29 January\nLogistics - 28 March\nFood - 25 June\nTextiles - 24 September\n"
        "Furniture - 10 December"
    )
    text = (
        f"Please register me.\n\n---------- Forwarded message ---------\nFrom: News"
        f" <news@lupc.example>\n"
        f"Subject: Series\n\n{announcement}"
    )
    assert read(text, subject="Fwd: Series").is_unclear


def test_past_session_mentioned_in_passing_is_not_booked() -> None:
    request = read(
        "I attended the construction webinar and found it useful, so please book me on furniture."
    )
    confident(request, Intent.REGISTER, "furniture-2025")


# --- cancelling and substituting -----------------------------------------------------------------


def test_cant_make_it_after_all_in_reply_to_a_confirmation_cancels_that_event() -> None:
    context = ThreadContext("confirmed", ("food-2025",), SENDER)
    confident(
        read("Sorry, I can't make it after all.", "Re: You're booked", context),
        Intent.CANCEL,
        "food-2025",
    )


def test_something_has_come_up_cancels() -> None:
    context = ThreadContext("confirmed", ("textiles-2025",), SENDER)
    confident(
        read("I'm afraid something has come up.", "Re: You're booked", context),
        Intent.CANCEL,
        "textiles-2025",
    )


def test_cancellation_naming_no_session_out_of_the_blue_is_asked_about() -> None:
    # Cancelling is not undone by a reply: a member may hold places they have forgotten.
    request = read("Please cancel my booking.")
    assert request.intent is Intent.CANCEL and request.is_unclear and request.event_ids == ()
    assert "which booking" in request.reason


def test_tentative_cancellation_is_unclear() -> None:
    assert read("I may have to cancel the food webinar, I'll let you know.").is_unclear


def test_cancel_one_and_book_another_is_unclear() -> None:
    request = read("I can't make textiles any more - could you book me on furniture instead?")
    assert request.is_unclear
    assert "more than one" in request.reason


def test_colleague_in_my_place_is_a_substitution() -> None:
    request = read(
        "Could my colleague Sam Patel (sam.patel@camden-council.example) attend the food webinar "
        "in my place?"
    )
    confident(request, Intent.SUBSTITUTE, "food-2025")
    assert request.substitute == Person("sam.patel@camden-council.example", "Sam Patel")


def test_substitute_without_address_is_unclear() -> None:
    assert read("Can Sam go in my place on the food webinar?").is_unclear


def test_giving_the_place_to_the_waiting_list_is_a_cancellation_not_a_substitution() -> None:
    confident(
        read("Please give my place on the textiles webinar to someone on the waiting list."),
        Intent.CANCEL,
        "textiles-2025",
    )


# --- offers --------------------------------------------------------------------------------------


def test_reply_yes_to_offer_accepts_that_offer() -> None:
    context = ThreadContext("offered", ("furniture-2025",), SENDER)
    confident(
        read("yes please", "Re: A place has come up", context),
        Intent.ACCEPT_OFFER,
        "furniture-2025",
    )


def test_reply_no_to_offer_declines_that_offer() -> None:
    context = ThreadContext("offered", ("furniture-2025",), SENDER)
    confident(
        read("No thanks, pass it on.", "Re: A place has come up", context),
        Intent.DECLINE_OFFER,
        "furniture-2025",
    )


def test_cant_make_it_in_reply_to_an_offer_declines_it() -> None:
    context = ThreadContext("offered", ("food-2025",), SENDER)
    confident(
        read("Sadly I can't make that date.", "Re: A place has come up", context),
        Intent.DECLINE_OFFER,
        "food-2025",
    )


def test_thanks_to_an_offer_is_unclear_not_an_acceptance() -> None:
    context = ThreadContext("offered", ("food-2025",), SENDER)
    request = read("Thanks!", "Re: A place has come up", context)
    assert request.is_unclear and request.intent is Intent.QUESTION


def test_fresh_mail_taking_the_place_accepts_without_a_session() -> None:
    request = read("I'll take the place, thank you.")
    assert request.intent is Intent.ACCEPT_OFFER and not request.is_unclear


def test_bare_yes_without_context_is_not_an_acceptance() -> None:
    assert read("Yes").intent is not Intent.ACCEPT_OFFER


# --- acknowledgements, questions, noise ----------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Thanks!", "Great, thank you.", "Many thanks\n\nJo", "Cheers, see you there"]
)
def test_thanks_is_an_acknowledgement(text: str) -> None:
    context = ThreadContext("confirmed", ("food-2025",), SENDER)
    assert read(text, "Re: You're booked", context).intent is Intent.ACKNOWLEDGEMENT


def test_question_about_recording_goes_to_the_coordinator() -> None:
    request = read("Will the textiles webinar be recorded?")
    assert request.intent is Intent.QUESTION and request.is_unclear
    assert "recorded" in " ".join(request.evidence)


def test_recording_question_mentioning_cant_make_it_is_not_a_cancellation() -> None:
    context = ThreadContext("confirmed", ("food-2025",), SENDER)
    request = read(
        "Will there be a recording for colleagues who can't make it?", "Re: You're booked", context
    )
    assert request.intent is Intent.QUESTION


def test_request_with_a_real_question_is_handed_over() -> None:
    request = read("Please book me on textiles. Is there a charge for members?")
    assert request.is_unclear
    assert "asks" in request.reason


def test_availability_question_with_request_still_registers() -> None:
    confident(
        read("Is there space on the furniture webinar? If so please book me in."),
        Intent.REGISTER,
        "furniture-2025",
    )


def test_negated_request_is_not_acted_on() -> None:
    assert read("Please don't book me on the food webinar yet.").is_unclear


def test_quoted_history_is_ignored() -> None:
    text = (
        "Please book me on the food one.\n\nOn Mon, 6 Jan 2025 at 09:14, Desk <d@lupc.example>"
        " wrote:\n"
        "> Textiles - 24 September\n> Please cancel if you can't make it.\n"
    )
    confident(read(text), Intent.REGISTER, "food-2025")


def test_signature_job_title_does_not_name_a_session() -> None:
    text = (
        "Please book me on the furniture webinar.\n\n"
        "Kind regards,\n\nJo Bloggs\nCategory Manager - Construction"
    )
    confident(read(text), Intent.REGISTER, "furniture-2025")


def test_subject_names_the_session_when_the_body_does_not() -> None:
    confident(
        read("Please register me.", subject="RE: [External] Textiles webinar"),
        Intent.REGISTER,
        "textiles-2025",
    )


def test_sender_name_falls_back_to_the_signature() -> None:
    request = read(
        "Please register me and Sam Patel (sam.patel@camden-council.example) for food.\n\n"
        "Kind regards\nJo Bloggs",
        sender_name="",
    )
    assert request.people[0] == Person(SENDER, "Jo Bloggs")


def test_evidence_names_phrases_and_matches() -> None:
    request = read("Could you book me onto the textiles one on the 24th?")
    joined = " | ".join(request.evidence)
    assert 'register: "book me' in joined and 'textiles-2025: keyword "textiles"' in joined
    assert 'textiles-2025: day "the 24th"' in joined


def test_html_only_outlook_mail_with_disclaimer_is_read() -> None:
    raw = (
        "From: Jo Bloggs <jo.bloggs@camden-council.example>\r\nTo: desk@lupc.example\r\nSubject:"
        " Food\r\n"
        "Message-ID: <h1@camden-council.example>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=windows-1252\r\n\r\n"
        "<html><body><p class=MsoNormal>I\x92d like a place on the \x93seafood\x94 webinar,"
        " please.</p>"
        "<p class=MsoNormal>Kind regards<br>Jo</p><p>This email and any attachments are"
        " confidential. "
        "If you have received it in error, tell us.</p></body></html>\r\n"
    ).encode("latin-1")
    request = understand(parse_message(raw), EVENTS, DEFAULT_NOW)
    confident(request, Intent.REGISTER, "food-2025")


def test_understand_is_deterministic() -> None:
    text = (
        "Please book me and Sam Patel (sam.patel@camden-council.example) on textiles and furniture."
    )
    assert read(text) == read(text)


@pytest.mark.parametrize(
    ("text", "intent", "event_id"),
    [
        (
            "Hi, I'd be grateful for a seat at the logistics session.",
            Intent.REGISTER,
            "logistics-2025",
        ),
        (
            "Happy to attend the furniture webinar if there's space",
            Intent.REGISTER,
            "furniture-2025",
        ),
        ("Put me on the waiting list for textiles please", Intent.REGISTER, "textiles-2025"),
        ("I won't be attending the food webinar.", Intent.CANCEL, "food-2025"),
        ("Count me out of the construction one, sorry", Intent.CANCEL, "construction-2025"),
        ("I'd like to register for the 10th of December.", Intent.REGISTER, "furniture-2025"),
    ],
)
def test_everyday_phrasings_are_read(text: str, intent: Intent, event_id: str) -> None:
    confident(read(text), intent, event_id)


def test_several_places_for_unnamed_people_is_unclear() -> None:
    assert read("Can we get 3 spaces for furniture?").is_unclear


def test_booking_colleagues_while_not_attending_oneself_is_not_a_cancellation() -> None:
    request = read(
        "Please register Sam Patel (sam.patel@camden-council.example) for the food webinar. "
        "I won't be attending myself."
    )
    confident(request, Intent.REGISTER, "food-2025")
    assert [p.email for p in request.people] == ["sam.patel@camden-council.example"]


# --- generalised after the held-out corpus ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "intent", "event_id"),
    [
        ("registr me for the construction webinar pls", Intent.REGISTER, "construction-2025"),
        (
            "Could you reigster me for the contruction webinar?",
            Intent.REGISTER,
            "construction-2025",
        ),
        ("I'd like to registre for the furnature webinar", Intent.REGISTER, "furniture-2025"),
        ("cancell my place for the logistcs one", Intent.CANCEL, "logistics-2025"),
    ],
)
def test_one_letter_misspellings_are_read(text: str, intent: Intent, event_id: str) -> None:
    confident(read(text), intent, event_id)


def test_real_words_next_to_keywords_are_not_corrected() -> None:
    # "looking" is one letter from "booking", "fright" from "freight" (logistics).
    request = read("I'm looking forward to it. I had a fright! Please book me on textiles.")
    confident(request, Intent.REGISTER, "textiles-2025")


@pytest.mark.parametrize(
    "text",
    [
        "Could you pop me down for the food webinar?",
        "Stick me down for the seafood one please",
        "food one pls x",
    ],
)
def test_informal_bookings_are_read(text: str) -> None:
    confident(read(text), Intent.REGISTER, "food-2025")


def test_a_form_label_subject_with_an_empty_body_registers() -> None:
    confident(read("", subject="Register: Logistics 28 March"), Intent.REGISTER, "logistics-2025")


def test_a_colleague_asked_for_in_a_reply_to_a_confirmation_is_registered() -> None:
    request = read(
        "Could my colleague Sam Lee (sam.lee@camden-council.example) come along too?",
        context=ThreadContext("confirmed", ("textiles-2025",), SENDER),
    )
    confident(request, Intent.REGISTER, "textiles-2025")
    assert [p.email for p in request.people] == ["sam.lee@camden-council.example"]


def test_relative_week_names_the_session_in_it() -> None:
    now = datetime(2025, 5, 19, 9, 0, tzinfo=UTC)
    request = read(
        "Is there room on the evidence workshop next week? If so please add me.", now=now
    )
    confident(request, Intent.REGISTER, "evidence-skills-may-2025")


def test_relative_week_with_no_session_in_it_is_unclear() -> None:
    assert read(
        "Can I come to the one next week?", now=datetime(2025, 7, 10, 9, tzinfo=UTC)
    ).is_unclear


def test_an_ambiguous_topic_means_the_one_still_to_come() -> None:
    now = datetime(2025, 7, 1, 9, 0, tzinfo=UTC)
    confident(
        read("I'd like to attend the evidence skills workshop please.", now=now),
        Intent.REGISTER,
        "evidence-skills-oct-2025",
    )
    assert read("I'd like to attend the evidence skills workshop please.").is_unclear


def test_a_topic_and_a_date_naming_different_sessions_is_unclear() -> None:
    request = read("Please register me for the textiles webinar on 25 June.")
    assert request.is_unclear and "different sessions" in request.reason
    both = read("Please register me for construction and the logistics webinar on 28 March.")
    confident(both, Intent.REGISTER, "construction-2025", "logistics-2025")


def test_a_note_asking_for_ones_own_place_does_not_book_the_forwarder() -> None:
    text = (
        "I'd like to sign up for the Food one from the list below please.\n\n"
        "________________________________\nFrom: Tom Reed <tom.reed@camden-council.example>\n"
        "Sent: 04 January 2025 06:54\nTo: Jo Bloggs <jo.bloggs@camden-council.example>\n"
        "Subject: Knowledge Building Series 2025\n\nFYI - worth going to one of these. Register"
        " here. If you are no longer able to attend, please contact Suzanne.\n"
    )
    request = read(text, subject="FW: Knowledge Building Series 2025")
    confident(request, Intent.REGISTER, "food-2025")
    assert request.people == ()


def test_passing_on_news_of_a_colleagues_cancellation_is_not_tentative() -> None:
    request = read(
        "Sam Lee (sam.lee@camden-council.example) has asked me to let you know she can't attend"
        " the furniture webinar - please cancel her place."
    )
    confident(request, Intent.CANCEL, "furniture-2025")
    assert [p.email for p in request.people] == ["sam.lee@camden-council.example"]


def test_looking_forward_to_joining_details_is_not_a_question() -> None:
    request = read(
        "I would be grateful if you could reserve a place for me on the Logistics webinar.\n\n"
        "I look forward to receiving the joining details."
    )
    confident(request, Intent.REGISTER, "logistics-2025")


def test_go_on_then_accepts_an_offer() -> None:
    request = read(
        "Go on then, yes.", context=ThreadContext("offered", ("logistics-2025",), SENDER)
    )
    confident(request, Intent.ACCEPT_OFFER, "logistics-2025")


def test_register_me_and_my_colleague_without_an_address_asks_rather_than_drops_them() -> None:
    request = read("Please register me and my colleague for the furniture one.")
    assert request.is_unclear
    assert "colleague" in request.reason


def test_a_colleague_mentioned_in_passing_does_not_stop_a_booking() -> None:
    request = read("Please register me for the furniture one. My colleague went last year.")
    confident(request, Intent.REGISTER, "furniture-2025")


def test_the_series_own_name_is_not_a_session_keyword() -> None:
    # A coordinator's config may well list "building" for the construction session; a
    # forwarded "Knowledge Building Series" announcement must not then book construction.
    events = tuple(replace(e, keywords=(*e.keywords, "building")) for e in EVENTS)
    [case] = [c for c in corpus_cases() if c.name == "064-fwd-announcement-no-choice"]
    request = understand(parse_message(case.raw), events, case.now, case.context,
                         series_name=series_name())
    assert request.is_unclear and not request.event_ids
    said = " ".join([*request.evidence, request.reason]).lower()
    assert "building" not in said


def test_a_changed_programme_is_read_with_its_own_sessions() -> None:
    # The keyword index is reused while the configuration is the same object; a reloaded
    # configuration (a session dropped, then back) must be read afresh each time.
    text = "Could you book me onto the textiles one on the 24th?"
    without = tuple(e for e in EVENTS if e.id != "textiles-2025")
    assert understand(mail(text), without, DEFAULT_NOW).event_ids == ()
    confident(understand(mail(text), EVENTS, DEFAULT_NOW), Intent.REGISTER, "textiles-2025")
    assert understand(mail(text), without, DEFAULT_NOW).event_ids == ()
