"""Replies inside the desk's own threads (round 22): a calendar's "Declined:" to an offer, answers
written between quoted lines under a greeting or a pointer ("one question inline below"), the
bare "I'm afraid I can't" to an offer, and a PA's no for the one offered said by a pronoun;
each rule beside a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import EVENTS, SENDER, at_the_desk, confident, desk_options

from mailflow.clean import clean_body
from mailflow.model import SEAT_CHANGING, InboundMail, Intent, Person, Request, ThreadContext
from mailflow.understanding import understand

FEB = datetime(2025, 1, 11, 18, 0, tzinfo=UTC)
SEPT = datetime(2025, 9, 19, 14, 0, tzinfo=UTC)
OCT = datetime(2025, 10, 16, 17, 0, tzinfo=UTC)
MOSS = "david.moss@camden-council.example"


def offered(event_id: str, recipient: str = SENDER) -> ThreadContext:
    return ThreadContext("offered", (event_id,), recipient)


def waitlisted(event_id: str) -> ThreadContext:
    return ThreadContext("waitlisted", (event_id,), SENDER)


def confirmed(event_id: str) -> ThreadContext:
    return ThreadContext("confirmed", (event_id,), SENDER)


# 1. A calendar's "Declined:" to our offer, with nothing written: a no.

_OFFER_QUOTED = (
    "\n\n________________________________\n"
    "From: Series <registrations@lupc.example>\nSent: Thursday, 18 September 2025 11:58\n"
    "To: Jo Bloggs <jo@example>\nSubject: Place available: Textiles\n\n"
    "Dear Jo,\n\nGood news: a place has come up on Textiles. Reply \"yes\" to take it, or \"no\".\n"
)


def test_a_calendar_declining_our_offer_declines_it() -> None:
    got = at_the_desk(_OFFER_QUOTED, SEPT, offered("textiles-2025"),
                      "Declined: Place available: Textiles")
    assert confident(got, Intent.DECLINE_OFFER, "textiles-2025")


def test_a_calendar_declined_tag_outside_an_offer_thread_declines_nothing() -> None:
    got = at_the_desk(_OFFER_QUOTED.replace("Place available", "Confirmed"), SEPT,
                      confirmed("textiles-2025"), "Declined: Confirmed: Textiles")
    assert got.intent is not Intent.DECLINE_OFFER


def test_words_under_a_declined_tag_are_read_as_words() -> None:
    got = at_the_desk("Actually yes please, I'll take it." + _OFFER_QUOTED, SEPT,
                      offered("textiles-2025"), "Declined: Place available: Textiles")
    assert got.intent is not Intent.DECLINE_OFFER


# 2. Answers written between the quoted lines under a greeting or a pointer to them.

_INLINE = (
    "Hi Suzanne, one question inline below.\n\nNaomi\n\n"
    "-----Original Message-----\nFrom: Series <registrations@lupc.example>\n"
    "Sent: Friday, 10 January 2025 16:29\nTo: Naomi <naomi@example>\nSubject: Confirmed\n\n"
    "> Dear Naomi,\n>\n> You have a place on the construction webinar.\n>\n"
    "> Joining link: https://meet.example/x\n\n"
    "[Naomi] Our firewall blocks most meeting platforms - is there a dial-in for the webinar?\n\n"
    "> Join from a laptop if you can.\n"
)
_GREETED = (
    "Hi Suzanne,\n\nOn Thu, 16 Oct 2025 at 12:04, Series <registrations@lupc.example> wrote:\n\n"
    "> All 15 places are now taken, so we have added you to the waiting list.\n\n"
    "Is it realistic that places come up on the workshop?\n\n"
    "> If a place comes up we will email you straight away.\n\nWould you email or phone?\n\n"
    "Thanks\nTariq\n"
)


def test_an_answer_inline_below_a_pointer_is_the_member_s_own() -> None:
    own = clean_body(_INLINE).own
    assert "firewall" in own and "Naomi\n" not in own
    got = at_the_desk(_INLINE, FEB, confirmed("construction-2025"), "RE: Confirmed")
    assert got.intent is Intent.QUESTION


def test_answers_between_quoted_lines_under_a_greeting_are_the_member_s_own() -> None:
    own = clean_body(_GREETED).own
    assert "realistic" in own and "email or phone" in own
    got = at_the_desk(_GREETED, OCT, waitlisted("evidence-skills-oct-2025"), "Re: Waiting list")
    assert got.intent is Intent.QUESTION


def test_a_top_posted_reply_over_an_interleaved_quote_keeps_only_its_own_words() -> None:
    text = _INLINE.replace("Hi Suzanne, one question inline below.",
                           "Hi Suzanne, please cancel my place, something has come up.")
    own = clean_body(text).own
    assert own.startswith("Hi Suzanne, please cancel my place") and "firewall" not in own


# 3. "I'm afraid I can't" to an offer: the bare can't answers its question.

def test_a_bare_i_can_t_to_an_offer_declines_it() -> None:
    got = at_the_desk("I’m afraid I can’t – thanks so much for thinking of me though.\n\nNiamh",
                      OCT, offered("evidence-skills-oct-2025"), "RE: Place available")
    assert confident(got, Intent.DECLINE_OFFER, "evidence-skills-oct-2025")


def test_i_can_t_wait_or_i_can_t_but_a_colleague_declines_nothing() -> None:
    got = at_the_desk("I can't wait!", OCT, offered("evidence-skills-oct-2025"), "RE: Place")
    assert got.intent is not Intent.DECLINE_OFFER
    got = at_the_desk("I can't believe my luck, yes please!", OCT,
                      offered("evidence-skills-oct-2025"), "RE: Place")
    assert confident(got, Intent.ACCEPT_OFFER, "evidence-skills-oct-2025")


# 4. A PA's no for the one offered, said of them by a pronoun after naming them.

_PA = ("Hi Suzanne,\n\nThank you for the offer for Cllr Moss - unfortunately he has a committee "
       "meeting that morning, so he will have to decline.\n\nKind regards\nPriti Shah")


def test_a_pa_declining_for_the_named_recipient_declines_their_offer() -> None:
    got = at_the_desk(_PA, OCT, offered("evidence-skills-oct-2025", MOSS), "RE: Place available",
                      "priti.shah@camden-council.example")
    assert confident(got, Intent.DECLINE_OFFER, "evidence-skills-oct-2025")
    assert got.people == (Person(MOSS, ""),)


def test_a_pa_declining_for_someone_else_still_asks() -> None:
    got = at_the_desk(_PA.replace("Cllr Moss", "Priya"), OCT,
                      offered("evidence-skills-oct-2025", MOSS), "RE: Place available",
                      "priti.shah@camden-council.example")
    assert got.confidence < 0.5


# 5. Dutch: "graag mij van de wachtlijst halen" (the verb last) takes the member off the list.

def test_dutch_take_me_off_the_waiting_list_cancels() -> None:
    got = at_the_desk("Hoi Suzanne,\n\nGraag mij van de wachtlijst halen, ik kan op 28 mei toch "
                      "niet.\n\nGroet,\nSanne", datetime(2025, 5, 15, 12, 0, tzinfo=UTC),
                      waitlisted("evidence-skills-may-2025"), "RE: Waiting list")
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025")


def test_dutch_keep_me_on_the_waiting_list_cancels_nothing() -> None:
    got = at_the_desk("Hoi Suzanne,\n\nGraag mij op de wachtlijst houden, bedankt!\n\nGroet,\n"
                      "Sanne", datetime(2025, 5, 15, 12, 0, tzinfo=UTC),
                      waitlisted("evidence-skills-may-2025"), "RE: Waiting list")
    assert got.intent is not Intent.CANCEL


# 6. Thanks that open the mail, with the question under them: no closing over a signature.

def test_a_question_under_opening_thanks_is_the_member_s_own() -> None:
    text = ("Thanks Suzanne.\n\nCould you please also book me onto the October evidence workshop?"
            " Same format I assume.\n\nGraham\n\nGraham Little\nFinance Officer")
    assert "October evidence workshop" in clean_body(text).own
    got = at_the_desk(text, datetime(2025, 5, 10, 18, 0, tzinfo=UTC),
                      confirmed("evidence-skills-may-2025"), "RE: Confirmed")
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_thanks_over_a_signature_with_a_link_stay_a_closing() -> None:
    clean = clean_body("Please cancel my place.\n\nThanks\nJo Bloggs\nhttps://x.example/?a=1")
    assert clean.own == "Please cancel my place." and clean.closing == "Thanks"


# 7. "Cancel my furniture booking for December": a booking of one's own, named, is no new one.

def test_cancelling_my_named_booking_for_a_month_only_cancels() -> None:
    got = at_the_desk("Thanks Suzanne. While I'm here, please cancel my furniture booking for "
                      "December - we've moved our framework review.\n\nWendy",
                      datetime(2025, 10, 12, 18, 0, tzinfo=UTC),
                      confirmed("evidence-skills-oct-2025"), "Re: Confirmed")
    assert confident(got, Intent.CANCEL, "furniture-2025")


def test_making_a_named_booking_for_a_month_still_books() -> None:
    got = at_the_desk("Could I make a furniture booking for December please?",
                      datetime(2025, 10, 12, 18, 0, tzinfo=UTC), None, "Booking")
    assert got.intent is Intent.REGISTER


# 8. A yes with a question the thread answers or that asks no change: the yes stands.

def test_a_yes_asking_to_stay_on_another_waiting_list_takes_the_place() -> None:
    got = at_the_desk("Yes please! And can I stay on the waiting list for furniture too?\n\n"
                      "Freddie", SEPT, offered("textiles-2025"), "Re: Place available")
    assert confident(got, Intent.ACCEPT_OFFER, "textiles-2025")
    assert "waiting list" in got.question


def test_a_yes_asking_to_come_off_another_waiting_list_still_asks() -> None:
    got = at_the_desk("Yes please! And can you take me off the waiting list for furniture?\n\n"
                      "Freddie", SEPT, offered("textiles-2025"), "Re: Place available")
    assert got.is_unclear


def test_a_yes_asking_which_day_it_is_under_a_condition_still_asks() -> None:
    # (The condition's weekday or month is not checked against the session: the question
    # keeps it with the coordinator.)
    got = at_the_desk("Which day is this again? If it's a Thursday then yes",
                      datetime(2025, 6, 18, 16, 0, tzinfo=UTC), offered("food-2025"),
                      "Re: Place available")
    assert got.is_unclear


def test_a_yes_asking_to_move_to_another_day_still_asks() -> None:
    got = at_the_desk("Yes please. Could I do the other day instead though?",
                      datetime(2025, 6, 18, 16, 0, tzinfo=UTC), offered("food-2025"),
                      "Re: Place available")
    assert got.is_unclear


# 9. Our offer forwarded to a colleague (the desk copied) and put to them: nothing decided yet.

def _forwarded_to(to: str) -> Request:
    mail = InboundMail(
        message_id="<m1@camden-council.example>", sender=SENDER, sender_name="Jo Bloggs",
        subject="FW: Place available: Logistics", date=datetime(2025, 3, 21, 14, 0, tzinfo=UTC),
        in_reply_to="", references=(), text="Kemi - fancy this? I can't do that Friday. Have a "
        "think.\n\nOwen", headers=(("to", to), ("cc", "registrations@lupc.example")),
    )
    return understand(mail, EVENTS, datetime(2025, 3, 21, 14, 0, tzinfo=UTC),
                      offered("logistics-2025"), **desk_options())


def test_an_offer_put_to_the_colleague_it_is_forwarded_to_declines_nothing() -> None:
    got = _forwarded_to("Kemi Ade <kemi.ade@camden-council.example>")
    assert got.intent not in SEAT_CHANGING


def test_the_same_words_to_the_desk_alone_still_decline() -> None:
    got = _forwarded_to("registrations@lupc.example")
    assert got.intent is Intent.DECLINE_OFFER


# 10. "I'm passing my place to you" To one colleague of the sender's own organisation.

def _passed_on(to: str) -> Request:
    mail = InboundMail(
        message_id="<m2@camden-council.example>", sender=SENDER, sender_name="Jo Bloggs",
        subject="Fwd: Confirmed: Textiles", date=SEPT, in_reply_to="", references=(),
        text="Hi Raj,\n\nhere's the confirmation - I'm passing my place to you as I'll be on "
        "leave that week. Suzanne, copying you so you can update the list.\n\nH",
        headers=(("to", to), ("cc", "registrations@lupc.example")),
    )
    return understand(mail, EVENTS, datetime(2025, 9, 6, 22, 0, tzinfo=UTC),
                      confirmed("textiles-2025"), **desk_options())


def test_a_place_passed_to_the_colleague_written_to_is_theirs() -> None:
    got = _passed_on("Raj Mehta <raj.mehta@camden-council.example>")
    assert confident(got, Intent.SUBSTITUTE, "textiles-2025")
    assert got.substitute is not None and got.substitute.email == "raj.mehta@camden-council.example"


def test_a_place_passed_to_you_written_outside_the_organisation_still_asks() -> None:
    assert _passed_on("Raj Mehta <raj@elsewhere.example>").is_unclear
    assert _passed_on("raj@camden-council.example, sam@camden-council.example").is_unclear
