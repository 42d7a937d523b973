"""Where fresh set 13 showed the desk asking the coordinator about a request a careful
coordinator would have read alone (issue 9, round 14): each class a behaviour, in wording of
its own."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from test_understanding_classes import EVENTS, SENDER, confident, mail, offered, read

from mailflow.model import InboundMail, Intent, Request, ThreadContext
from mailflow.understanding import understand

from series import DEFAULT_NOW


def _emails(got: Request) -> set[str]:
    return {p.email for p in got.people}


# A title before a name ("Mrs", "Dr") is no person: the name after it is, with its address.


def test_a_titled_name_whose_address_spells_it_is_booked() -> None:
    got = read("Would you please register Dr Priya Shah, Director of Estates, for the furniture "
               "webinar on 10 December? Her address is pshah@camden-council.example.")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert _emails(got) == {"pshah@camden-council.example"}


def test_a_titled_name_without_any_address_still_asks() -> None:
    got = read("Would you please register Mrs Priya Shah for the furniture webinar?")
    assert got.is_unclear


def test_a_titled_name_beside_an_address_that_is_not_theirs_still_asks() -> None:
    got = read("Would you please register Mrs Priya Shah, Director of Estates, for the furniture "
               "webinar on 10 December? The address to use is treid@camden-council.example.")
    assert got.is_unclear


# An assistant answering our offer for its holder: the holder called by title and surname is
# known by the name the mail's own Cc gives their address.

PRIYA = "pshah@camden-council.example"


def _from_assistant(text: str, cc: str = "") -> InboundMail:
    return replace(mail(text, "RE: A place has come up"), headers=(("cc", cc),) if cc else ())


def test_an_assistant_declining_for_the_holder_copied_in_declines_their_offer() -> None:
    got = understand(
        _from_assistant("Thank you for your email to Mrs Shah. She has asked me to thank you "
                        "for the offer, but she must decline as she is chairing a board that "
                        "morning.", cc=f"Priya Shah <{PRIYA}>"),
        EVENTS, DEFAULT_NOW, offered(recipient=PRIYA),
    )
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")
    assert _emails(got) == {PRIYA}


def test_an_answer_for_someone_the_mail_never_names_still_asks_whose_place() -> None:
    got = understand(
        _from_assistant("Thank you for your email to Mrs Khan. She has asked me to thank you "
                        "for the offer, but she must decline.", cc=f"Priya Shah <{PRIYA}>"),
        EVENTS, DEFAULT_NOW, offered(recipient=PRIYA),
    )
    assert got.is_unclear


# A colleague the writer already asked, who cannot take the offered place either, is told as
# what happened: the answer is a plain no.


def test_a_colleague_checked_and_unable_leaves_a_plain_decline() -> None:
    got = read("Thanks, but I'll have to decline - I'm away that week. I did check whether my "
               "colleague Sam could use it instead, but he is on leave too, so please offer it "
               "to the next person.", context=offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_a_colleague_proposed_politely_still_brings_someone_in() -> None:
    got = read("Thanks, but I'll have to decline. I wondered if my colleague Sam could use it "
               "instead, but only if that is fair on your waiting list.", context=offered())
    assert got.is_unclear


# A request put as a question about what is possible is the request itself.


def test_asking_whether_a_named_colleague_may_come_too_books_them() -> None:
    got = read("I'm already booked on the textiles webinar. Would it be possible for my "
               "colleague Ben Cole (ben.cole@camden-council.example) to come along too?",
               subject="Textiles webinar - a colleague too?")
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert _emails(got) == {"ben.cole@camden-council.example"}


def test_asking_whether_a_colleague_may_have_the_slides_books_nobody() -> None:
    got = read("Would it be possible for my colleague Ben Cole (ben.cole@camden-council.example) "
               "to have a copy of the textiles webinar slides?")
    assert got.intent is not Intent.REGISTER


# After our cancellation, asking for the place back is a booking.


def test_reinstating_a_cancelled_place_books_it_again() -> None:
    got = read("The meeting that clashed has been called off after all, so could you please "
               "reinstate my place on the food webinar?",
               context=ThreadContext("cancelled", ("food-2025",), SENDER))
    assert confident(got, Intent.REGISTER, "food-2025")


# "The first three", "the last two": sessions counted from one end of the series.


def test_the_first_three_are_the_first_three_sessions_of_the_series() -> None:
    got = read("hi can you put me down for the first three pls")
    assert confident(got, Intent.REGISTER, "construction-2025", "logistics-2025",
                     "evidence-skills-may-2025")


def test_the_last_two_webinars_count_only_webinars() -> None:
    got = read("Could you book me on the last two webinars please?")
    assert confident(got, Intent.REGISTER, "textiles-2025", "furniture-2025")


def test_the_first_three_when_some_are_over_asks_which() -> None:
    got = read("hi can you put me down for the first three pls",
               now=datetime(2025, 4, 2, 9, 0, tzinfo=UTC))
    assert got.is_unclear


def test_having_missed_the_first_two_names_no_session_to_book() -> None:
    got = read("I missed the first two, but please book me on the food webinar.")
    assert confident(got, Intent.REGISTER, "food-2025")


def test_the_first_two_weeks_of_a_month_are_no_sessions() -> None:
    got = read("I'm away for the first two weeks of June, but please book me on the furniture "
               "webinar.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


# A forwarded announcement is no request from its writer: the member asks for their own place.

_ANNOUNCEMENT = (
    "\n\n-----Original Message-----\n"
    "From: LUPC News <news@lupc.example>\n"
    "Sent: 16 January 2025 12:00\n"
    "To: Kevin Doyle <kevin.doyle@camden-council.example>\n"
    "Subject: Knowledge Building Series - places for full members\n\n"
    "15 places are available via LUPC for its full members on each webinar.\n\n"
    "Webinar 1: The Construction Industry 29 January 2025 - 10.00-11.30\n"
)


def test_booking_a_place_for_oneself_over_a_forwarded_announcement_books_the_sender() -> None:
    got = read("A colleague forwarded this to me. We're LUPC members - could I please book a "
               "place on the Construction webinar on 29 January?" + _ANNOUNCEMENT,
               subject="FW: Knowledge Building Series")
    assert confident(got, Intent.REGISTER, "construction-2025")
    assert _emails(got) <= {SENDER}


def test_could_i_book_a_place_beside_a_colleague_books_the_sender_too() -> None:
    got = read("Could I please book a place on the food webinar? My colleague Ben Cole "
               "(ben.cole@camden-council.example) would like to come too.")
    assert confident(got, Intent.REGISTER, "food-2025")
    assert _emails(got) == {SENDER, "ben.cole@camden-council.example"}


def test_could_i_book_a_place_for_a_colleague_does_not_book_the_sender() -> None:
    got = read("Could I book a place for Ben Cole (ben.cole@camden-council.example) on the "
               "food webinar?")
    assert _emails(got) == {"ben.cole@camden-council.example"}
