"""Where fresh set 6 showed the desk sending clear requests to the coordinator, or misreading
them (issue 9, round 6): each class a behaviour, in wording of its own."""

from __future__ import annotations

from dataclasses import replace

from test_understanding_classes import EVENTS, SENDER, confident, mail, offered, read

from mailflow.model import ForwardedMail, Intent, ThreadContext
from mailflow.understanding import understand

from series import DEFAULT_NOW

PA = "amy.cole@camden-council.example"
DIRECTOR = "raj.mehta@camden-council.example"


# A place passed from one named person to another.

def test_replacing_one_named_colleague_with_another_is_a_substitution() -> None:
    got = read("Hi, please replace Ali Khan (ali.khan@camden-council.example) with Bea Moss "
               "(bea.moss@camden-council.example) on the logistics webinar. Ali has left.")
    assert confident(got, Intent.SUBSTITUTE, "logistics-2025")
    assert [p.email for p in got.people] == ["ali.khan@camden-council.example"]
    assert got.substitute is not None and got.substitute.email == "bea.moss@camden-council.example"


def test_replacing_him_with_a_named_colleague_is_a_substitution() -> None:
    got = read("Ali Khan (ali.khan@camden-council.example) is on leave that week, so please "
               "replace him with Bea Moss (bea.moss@camden-council.example) for food.")
    assert confident(got, Intent.SUBSTITUTE, "food-2025")
    assert got.substitute is not None and got.substitute.email == "bea.moss@camden-council.example"


def test_a_colleague_who_will_replace_another_takes_that_colleagues_place() -> None:
    got = read("Bea Moss (bea.moss@camden-council.example) will replace Ali Khan "
               "(ali.khan@camden-council.example) on the food webinar.")
    assert confident(got, Intent.SUBSTITUTE, "food-2025")
    assert [p.email for p in got.people] == ["ali.khan@camden-council.example"]
    assert got.substitute is not None and got.substitute.email == "bea.moss@camden-council.example"


def test_replacing_a_named_colleague_without_their_address_is_asked_about() -> None:
    got = read("Please replace Ali Khan with Bea Moss (bea.moss@camden-council.example) on the "
               "food webinar.")
    assert got.intent is Intent.SUBSTITUTE and got.is_unclear


# Answers to an offer.

def test_keen_on_later_sessions_beside_a_no_is_a_decline() -> None:
    got = read("Sorry, that date no longer works so I'll pass on this one. Still interested in "
               "the other sessions later in the year though.", context=offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_a_colleague_saying_yes_on_the_recipients_behalf_accepts_for_them() -> None:
    text = ("Raj is at a conference this week and asked me to say yes to this on his behalf - "
            "please confirm the place for him.")
    got = understand(mail(text, "RE: Place available", sender=PA), EVENTS, DEFAULT_NOW,
                     offered(recipient=DIRECTOR))
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")
    assert [p.email for p in got.people] == [DIRECTOR]


def test_a_pa_replying_on_behalf_of_a_titled_recipient_answers_for_them() -> None:
    text = ("I am replying on behalf of our Head of Service, Raj Mehta, who is out today. Raj "
            "would like to accept the place.")
    got = understand(mail(text, "RE: Place available", sender=PA), EVENTS, DEFAULT_NOW,
                     offered(recipient=DIRECTOR))
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")
    assert [p.email for p in got.people] == [DIRECTOR]


def test_a_yes_beside_a_question_the_confirmation_answers_is_a_yes() -> None:
    got = read("Yes please - and will the teams link come with the confirmation?",
               context=offered())
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")
    assert got.question


def test_a_yes_then_a_request_for_another_session_accepts_and_leaves_the_rest_aside() -> None:
    got = read("Yes, I'll take it, thank you. Also, could I get a place on the furniture webinar "
               "in December?", context=offered())
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")
    assert "furniture" in got.question


def test_a_yes_then_more_about_the_offered_session_is_not_set_aside() -> None:
    got = read("Yes, I'll take it. Could my colleague come to the food webinar too?",
               context=offered())
    assert got.is_unclear


def test_a_yes_beside_a_question_only_the_coordinator_answers_goes_to_the_coordinator() -> None:
    got = read("Yes please - will the slides be circulated afterwards?", context=offered())
    assert got.is_unclear


# A request with a side question, or a word about someone else, is still the request.

def test_a_question_about_how_another_session_is_held_is_beside_a_cancellation() -> None:
    got = read("1. Please cancel my place on the construction webinar.\n"
               "2. Will the October workshop be held online or in person?")
    assert confident(got, Intent.CANCEL, "construction-2025")
    assert "online" in got.question


def test_asking_if_it_is_too_late_then_to_be_signed_up_is_one_booking() -> None:
    got = read("Is it too late to register for the furniture webinar? If not, please book me.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_asking_for_one_session_and_if_not_another_is_asked_about() -> None:
    assert read("Can I book the food webinar? If not, please book me on textiles.").is_unclear


def test_a_booking_that_waits_on_how_the_session_is_held_is_asked_about() -> None:
    assert read("Is it online? If so, please sign me up for the food webinar.").is_unclear


def test_a_colleague_who_may_come_too_later_leaves_the_senders_booking_firm() -> None:
    got = read("Please register me for the food webinar. A colleague may want to join as well "
               "but is on leave - I'll let you know.")
    assert confident(got, Intent.REGISTER, "food-2025")
    assert got.people == ()


def test_colleagues_counted_who_cannot_come_ask_for_no_places() -> None:
    got = read("Please book me on the furniture webinar. Two colleagues can't make 10 December; "
               "is there a recording for them?")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert got.people == ()


def test_counted_colleagues_who_cannot_come_booked_elsewhere_are_asked_about() -> None:
    got = read("Two colleagues can't make the food webinar, so please book them on textiles.")
    assert got.is_unclear


# Forwards.

def _forwarded(note: str, part: ForwardedMail, subject: str = "FW: webinar") -> object:
    return understand(replace(mail(note, subject), forwarded=(part,)), EVENTS, DEFAULT_NOW)


def test_booking_a_colleague_onto_this_above_their_mail_books_only_them_on_its_session() -> None:
    part = ForwardedMail("lee.park@camden-council.example", "Lee Park", "Evidence workshop",
                         "Hi Jo, would it be OK for me to go on the evidence skills workshop on "
                         "29 October? Lee")
    got = _forwarded("Could you book Lee onto this please? She's new in the team and I think the "
                     "October workshop would be a good start for her.", part,
                     "FW: Evidence workshop")
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")  # type: ignore[arg-type]
    assert [p.email for p in got.people] == ["lee.park@camden-council.example"]  # type: ignore[attr-defined]


def test_a_note_booking_only_the_sender_reads_the_forward_as_reference() -> None:
    part = ForwardedMail("", "", "Re: webinaire",
                         "Bonjour, pour le webinaire les membres doivent s'inscrire auprès de "
                         "Suzanne.")
    got = _forwarded("Our contact suggested I register through you (see below). Could you book "
                     "me onto the textiles webinar please?", part)
    assert confident(got, Intent.REGISTER, "textiles-2025")  # type: ignore[arg-type]
    assert got.people == ()  # type: ignore[attr-defined]


# Machines.

def test_a_calendar_acceptance_of_the_joining_invitation_is_an_acknowledgement() -> None:
    got = read("Jo Bloggs has accepted this meeting.", subject="Accepted: Food webinar",
               context=ThreadContext("confirmed", ("food-2025",), SENDER))
    assert got.intent is Intent.ACKNOWLEDGEMENT
