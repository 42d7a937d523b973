"""Where fresh set 9 sent clear requests to the coordinator as unclear (issue 9, round 9):
each class a behaviour, in wording of its own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_understanding_classes import EVENTS, SENDER, confident, mail, read

from mailflow.model import Intent, Request, ThreadContext
from mailflow.understanding import understand

OFFER_FOOD = ThreadContext("offered", ("food-2025",), SENDER)
WAITING_TEXTILES = ThreadContext("waitlisted", ("textiles-2025",), SENDER)
JUNE = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


# Answers to an offer in other languages: a yes or a no, whatever the language.


@pytest.mark.parametrize(
    "text",
    [
        "Oui, merci ! Je serai ravie de venir.",
        "Bonjour, je la prends volontiers.",
        "Ja, gerne! Vielen Dank.",
        "Guten Tag, ich nehme den Platz gerne an.",
        "¡Sí, claro! Gracias.",
        "Buenos días: acepto, muchas gracias.",
        "Sì, volentieri, grazie mille.",
        "Ie, diolch yn fawr!",
    ],
)
def test_a_yes_to_an_offer_in_another_language_accepts_it(text: str) -> None:
    got = read(text, subject="Re: A place is available: Food", context=OFFER_FOOD, now=JUNE)
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


@pytest.mark.parametrize(
    "text",
    [
        "Merci, mais malheureusement je ne pourrai pas venir ce jour-là.",
        "Non, merci - donnez-la à quelqu'un d'autre.",
        "Danke, aber leider bin ich an dem Tag verhindert.",
        "Nein, danke. Ich bin im Urlaub.",
        "Lo siento, no puedo ese día. Ofrézcala a otra persona.",
        "Grazie, ma purtroppo non posso partecipare.",
        "Dim diolch, mae gen i gyfarfod.",
    ],
)
def test_a_no_to_an_offer_in_another_language_declines_it(text: str) -> None:
    got = read(text, subject="Re: A place is available: Food", context=OFFER_FOOD, now=JUNE)
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_a_yes_with_a_but_in_another_language_is_no_plain_yes() -> None:
    got = read(
        "Oui, mais je ne suis pas sûre d'être libre : je vous redis demain.",
        subject="Re: A place is available: Food",
        context=OFFER_FOOD,
        now=JUNE,
    )
    assert not confident(got, Intent.ACCEPT_OFFER, "food-2025")


@pytest.mark.parametrize(
    "text",
    [
        "Per favore mi tolga dalla lista d'attesa, grazie.",
        "Bitte nehmen Sie mich von der Warteliste.",
        "Pouvez-vous me retirer de la liste d'attente ? Merci.",
    ],
)
def test_being_taken_off_the_waiting_list_in_another_language_cancels(text: str) -> None:
    got = read(text, subject="Re: Waiting list: Textiles", context=WAITING_TEXTILES, now=JUNE)
    assert confident(got, Intent.CANCEL, "textiles-2025")


def test_not_being_able_to_attend_in_another_language_cancels_a_held_place() -> None:
    got = read(
        "Leider kann ich am 24. September doch nicht teilnehmen.",
        subject="Re: Confirmed: Textiles",
        context=ThreadContext("confirmed", ("textiles-2025",), SENDER),
        now=JUNE,
    )
    assert confident(got, Intent.CANCEL, "textiles-2025")


# Sessions named by a date written in another language.


@pytest.mark.parametrize(
    "text",
    [
        "Je voudrais participer au webinaire du 25 juin, merci.",
        "Me gustaría inscribirme en el seminario del 25 de junio.",
        "Ich möchte mich für das Webinar am 25. Juni anmelden.",
        "Vorrei iscrivermi al webinar del 25 giugno.",
    ],
)
def test_a_date_written_in_another_language_names_its_session(text: str) -> None:
    got = read(text, subject="Webinar", now=JUNE)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_a_date_in_another_language_tells_two_sessions_of_one_keyword_apart() -> None:
    got = read(
        "Me gustaría inscribirme en el taller de evidence skills del 29 de octubre.",
        subject="Inscripción",
        now=JUNE,
    )
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


# Sessions by a run of the timetable's numbers, and a number with a please.

JANUARY = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)


def test_a_run_of_numbers_takes_every_session_the_timetable_numbers_in_it() -> None:
    got = read("Could you put me down for sessions 2 to 4 please?", now=JANUARY)
    assert confident(
        got, Intent.REGISTER, "logistics-2025", "evidence-skills-may-2025", "food-2025"
    )


def test_a_run_of_webinar_numbers_takes_in_the_workshop_numbered_between_them() -> None:
    got = read("Please book me on webinars 1-3.", now=JANUARY)
    assert confident(
        got, Intent.REGISTER, "construction-2025", "logistics-2025", "evidence-skills-may-2025"
    )


def test_a_session_number_and_a_please_after_a_dash_is_a_booking() -> None:
    got = read("Morning, sorry, I forget whether I asked already - workshop 3 pls.", now=JANUARY)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


# A subject that is a label naming the session, under a resend that says nothing else.


def test_a_resend_under_a_subject_labelling_the_booking_is_that_booking() -> None:
    got = read(
        "Hi - sending this again in case it went astray, I've had no confirmation.",
        subject="RESEND: Logistics webinar registration",
        now=JANUARY,
    )
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_a_sentence_about_keeping_a_booking_is_no_booking_label() -> None:
    got = read(
        "Please cancel my place on the May evidence workshop. I'll keep my food webinar booking.",
        now=JANUARY,
    )
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025")


# A colleague at another full member is a member's staff: the desk books them as its own.

FULL_MEMBERS = ("camden-council.example", "westbury.ac.example")


def _with_members(text: str) -> Request:
    return understand(
        mail(text, "Logistics webinar"), EVENTS, JANUARY, full_member_domains=FULL_MEMBERS
    )


def test_a_colleague_at_another_full_member_is_booked_beside_the_sender() -> None:
    got = _with_members(
        "Please book me on the logistics webinar, and my counterpart at Westbury, "
        "Kerstin Ludwig (k.ludwig@westbury.ac.example), would like to attend too."
    )
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert [p.email for p in got.people] == [SENDER, "k.ludwig@westbury.ac.example"]


def test_a_colleague_at_an_organisation_that_is_no_full_member_is_asked_about() -> None:
    got = _with_members(
        "Please book me on the logistics webinar, and my counterpart at Islington, "
        "Sam Reid (sam.reid@islington.example), would like to attend too."
    )
    assert got.intent is Intent.REGISTER and got.is_unclear


# A request put as a question, and a wish whose subject is left out.

MARCH = datetime(2025, 3, 20, 9, 0, tzinfo=UTC)


def test_is_it_too_late_to_get_onto_a_session_asks_for_a_place_on_it() -> None:
    got = read("Hi, is it too late to get onto the freight one next week?", now=MARCH)
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_a_wish_for_a_place_after_a_but_books_even_without_its_subject() -> None:
    got = read(
        "Saw the flyer for the food webinar and would love a place on it.",
        now=JANUARY,
    )
    assert confident(got, Intent.REGISTER, "food-2025")


def test_deferring_a_further_session_leaves_the_firm_booking_firm() -> None:
    got = read(
        "Please book me on the logistics webinar. I may also want the food one later but "
        "I'll come back to you on that.",
        now=JANUARY,
    )
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_coming_back_to_us_about_the_booking_itself_still_asks() -> None:
    got = read("Pop me down for logistics - I'll come back to you to confirm.", now=JANUARY)
    assert got.intent is Intent.REGISTER and got.is_unclear


# "Probably" that judges worth, not the request.


def test_probably_more_useful_for_the_colleague_is_no_hedge_on_the_handover() -> None:
    got = read(
        "My colleague Sam Reid (sam.reid@camden-council.example) will go in my place on the "
        "furniture webinar - it's probably more relevant to his work anyway.",
        now=JANUARY,
    )
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025")


def test_probably_best_to_cancel_is_still_a_hedge() -> None:
    got = read("Probably best to cancel my furniture place, I'll confirm next week.", now=JANUARY)
    assert got.is_unclear


# "Us" as the organisation, when the sender then asks for their own place alone.


def test_sign_us_up_then_add_me_is_the_senders_own_place() -> None:
    got = read(
        "My director asked me to sign us up for the furniture webinar - could you add me?",
        now=JANUARY,
    )
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert got.people == ()


def test_book_us_with_no_one_named_still_asks_who() -> None:
    got = read("Could you book us onto the furniture webinar please?", now=JANUARY)
    assert got.intent is Intent.REGISTER and got.is_unclear
