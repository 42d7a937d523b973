"""Round 22, fresh20's ml misses read in general form: a cancellation the sender says they will
make themselves later, a correction that names the session taken back again to say why, and a
supplier's boilerplate ("to cancel your subscription, log in"; "please find attached invoice").
Each rule with a control that must not change."""

from __future__ import annotations

from test_understanding_classes import DEFAULT_NOW, SENDER, at_the_desk, confident

from mailflow.model import Intent, ThreadContext

NOW = DEFAULT_NOW


# "Put me down and I'll cancel if it doesn't work out": the sender's own later act, under a
# condition, asks no cancellation now (reading.py, conditions.promised_later).

def test_own_cancellation_promised_later_is_no_cancellation() -> None:
    got = at_the_desk("Hi,\n\nPlease book me on the furniture webinar and I'll cancel if it "
                      "doesn't work out.\n\nJo", NOW)
    assert got.intent is Intent.REGISTER


def test_let_you_know_if_i_have_to_drop_out_is_no_cancellation() -> None:
    got = at_the_desk("Hi,\n\nPlease book me on the furniture webinar. I'll let you know if I "
                      "have to drop out.\n\nJo", NOW)
    assert got.intent is Intent.REGISTER


def test_own_cancellation_with_a_polite_if_still_cancels() -> None:
    # (control: "I'll cancel, if that's ok" is a cancellation, asked politely)
    got = at_the_desk("Hi,\n\nI'll cancel my furniture place if that's ok - something has "
                      "come up.\n\nJo", NOW)
    assert got.intent is Intent.CANCEL


# "Book me on furniture. Actually no - I meant textiles. Furniture is my colleague's area":
# the session taken back, named again only to say why, is not asked for (corrections.py), and
# a subject repeating the first ask does not contradict the body (combine.py).

def test_correction_naming_the_session_taken_back_books_the_one_meant() -> None:
    got = at_the_desk("Hi,\n\nPlease can you book me on furniture.\n\nActually no - I meant "
                      "textiles, the uniforms one. Furniture is my colleague's area. Just "
                      "textiles please.\n\nThanks!\nImogen", NOW, subject="Booking: furniture")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_correction_meaning_one_more_still_does_not_swap() -> None:
    # (control: "I meant textiles as well" adds a session; it does not replace one)
    got = at_the_desk("Hi,\n\nPlease can you book me on furniture.\n\nActually no - I meant "
                      "textiles as well as furniture.\n\nThanks!\nImogen", NOW,
                      subject="Booking: furniture")
    assert not confident(got, Intent.REGISTER, "textiles-2025")


def test_subject_naming_another_session_without_correction_still_asks() -> None:
    # (control: no correction in the body, the subject's other session still makes the desk ask)
    got = at_the_desk("Hi,\n\nPlease can you book me on textiles.\n\nThanks!\nImogen", NOW,
                      subject="Booking: furniture")
    assert got.is_unclear


# A supplier's boilerplate asks nothing (reading.py).

INVOICE = ("Dear customer,\n\nPlease find attached invoice INV-20417 for webinar hosting "
           "(Logistics, 28/03/2025), amount GBP 240.00, due within 30 days.\n\nTo cancel your "
           "subscription or book additional hours, log in to your account.\n\nStreamline AV Ltd")


def test_supplier_invoice_with_how_to_cancel_boilerplate_asks_nothing() -> None:
    got = at_the_desk(INVOICE, NOW, subject="Invoice INV-20417",
                      sender="accounts@streamline-av.example")
    assert got.intent is Intent.UNKNOWN


def test_to_cancel_my_place_please_still_cancels() -> None:
    # (control: "to cancel" with no instruction after it is the sender's own request)
    got = at_the_desk("Hi,\n\nI'm writing to cancel my place on the logistics webinar, please."
                      "\n\nJo", NOW)
    assert got.intent is Intent.CANCEL


# A question whose object is the sentence before it is the desk's (nochange.py): "Do you know?"
# after what the member is trying to work out about a session, "any difference from the May one
# I did?" after the session the member is booked on.

def test_bare_do_you_know_after_a_session_content_sentence_is_a_question() -> None:
    got = at_the_desk("Hi,\n\nI'm trying to work out whether the construction webinar goes into "
                      "site-level labour agency checks or stays at the supply chain level. Do "
                      "you know? It would help me decide who should go.\n\nFiona", NOW)
    assert got.intent is Intent.QUESTION


def test_bare_do_you_know_after_no_session_is_not_the_desks() -> None:
    # (control: nothing before it names a session or a place)
    got = at_the_desk("Hi,\n\nI'm trying to work out whether our new canteen supplier is "
                      "cheaper. Do you know?\n\nFiona", NOW)
    assert got.intent is not Intent.QUESTION


def test_difference_from_another_session_after_a_booked_one_is_a_question() -> None:
    got = at_the_desk("Hi,\n\nI'm booked on the October evidence workshop. Can you tell me "
                      "whether there's any difference from the May one I did? I'm not "
                      "cancelling, just curious.\n\nHarry", NOW)
    assert got.intent is Intent.QUESTION


# "I'll not register for October": the sender's own no, read as a negation (reading.py).

def test_ill_not_register_is_no_booking() -> None:
    got = at_the_desk("Hello,\n\nAre the May and October evidence skills workshops the same "
                      "content? If it's the same I'll not register for October.\n\nGrace", NOW)
    assert got.intent is not Intent.REGISTER


def test_ill_register_for_october_still_books() -> None:
    # (control: "I'd like to register for October" is a booking)
    got = at_the_desk("Hello,\n\nI'd like to register for the October evidence skills workshop "
                      "please.\n\nGrace", NOW)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


# "Definitely food for me please, and textiles too if there's room": a session's word alone,
# opening the sentence, with "for me please" (intents.py); the part on room is the waiting
# list's, no hedge.

def test_session_word_for_me_please_books_both_parts() -> None:
    got = at_the_desk("Hi,\n\nDefinitely food for me please, and textiles too if there's room "
                      "- if textiles is full don't worry about the waiting list.\n\nAlfie", NOW)
    assert confident(got, Intent.REGISTER, "food-2025", "textiles-2025")


def test_thanks_for_me_please_names_no_session() -> None:
    # (control: no session word, no booking)
    got = at_the_desk("Hi,\n\nSame again for me please.\n\nAlfie", NOW)
    assert not got.event_ids


# Under our confirmation, "no need to cancel anything": the place kept, said outright, is an
# acknowledgement (nochange.py).

CONFIRMED = ThreadContext("confirmed", ("food-2025",), SENDER)


def test_no_need_to_cancel_under_a_confirmation_is_an_acknowledgement() -> None:
    got = at_the_desk("Hi,\n\nI got two confirmations for the food webinar - I only want the "
                      "one place! No need to cancel anything as long as I'm only counted once."
                      "\n\nChris", NOW, CONFIRMED, subject="Re: food webinar")
    assert got.intent is Intent.ACKNOWLEDGEMENT and not got.is_unclear


def test_dont_want_to_attend_under_a_confirmation_is_no_acknowledgement() -> None:
    # (control: a negated wish to come is no place kept)
    got = at_the_desk("Hi,\n\nI don't want to attend any more.\n\nChris", NOW, CONFIRMED,
                      subject="Re: food webinar")
    assert got.intent is not Intent.ACKNOWLEDGEMENT


# "I might be able to make the construction one - diary is a mess - but please put me down and
# I'll cancel if it doesn't work out": the doubt conceded before "but please", and the
# condition on the sender's own later cancellation, leave the ask firm (doubts.py,
# conditions.hedged).

def test_might_be_able_but_please_put_me_down_books() -> None:
    got = at_the_desk("Hi,\n\nI might be able to make the construction one - diary is a mess - "
                      "but please put me down and I'll cancel if it doesn't work out.\n\nYasmin",
                      NOW)
    assert confident(got, Intent.REGISTER, "construction-2025")


def test_might_be_able_to_make_it_alone_still_asks() -> None:
    # (control: the doubt with no firm ask after it)
    got = at_the_desk("Hi,\n\nI might be able to make the construction one - diary is a mess. "
                      "I'll let you know.\n\nYasmin", NOW)
    assert not confident(got, Intent.REGISTER, "construction-2025")


def test_book_me_if_my_leave_doesnt_work_out_still_asks() -> None:
    # (control: the condition on the booking itself, not on a later cancellation)
    got = at_the_desk("Hi,\n\nPlease put me down for the construction one if my leave doesn't "
                      "work out.\n\nYasmin", NOW)
    assert not confident(got, Intent.REGISTER, "construction-2025")
