"""Readings a careful coordinator would take (round 21, asides): a sign-off in two languages
ends the member's words; a hedge on the reason beside a request leaves the request firm; a
question the conditional booking after it answers is no question for the coordinator; questions
about who may register, or what must be done, are questions. Each rule beside a control that
must not change."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, ThreadContext

FEB = datetime(2025, 2, 25, 8, 0, tzinfo=UTC)
MARCH_END = datetime(2025, 3, 27, 7, 12, tzinfo=UTC)


# 1. "Met vriendelijke groet / Kind regards,": a closing in two languages ends the own words.

def test_closing_in_two_languages_ends_the_members_words() -> None:
    got = at_the_desk("Hi Suzanne,\n\nSorry, I need to cancel my place on the logistics webinar."
                      "\n\nMet vriendelijke groet / Kind regards,\n\nMarieke van Dijk\nContract "
                      "Manager Facilities\nKingsgate College", FEB)
    assert confident(got, Intent.CANCEL, "logistics-2025")


def test_control_a_colleague_named_without_address_before_the_closing_still_asks() -> None:
    got = at_the_desk("Hi Suzanne,\n\nPlease book me and my colleague Tom Hardy on the logistics "
                      "webinar.\n\nMet vriendelijke groet / Kind regards,\n\nMarieke van Dijk",
                      FEB)
    assert got.intent is Intent.REGISTER and got.is_unclear


# 2. "I'm off sick today and probably tomorrow too so please cancel": the reason is hedged, not
# the request.

def test_likelihood_in_the_reason_before_so_leaves_the_cancel_firm() -> None:
    got = at_the_desk("Hi Suzanne, I'm off sick today and probably tomorrow too so please cancel "
                      "my place on the logistics webinar tomorrow. Sorry! Zoe", MARCH_END)
    assert confident(got, Intent.CANCEL, "logistics-2025")


def test_likelihood_in_a_concession_before_but_leaves_the_ask_firm() -> None:
    got = at_the_desk("Hi,\n\nI know I've probably missed the deadline but is there any chance "
                      "of a place on the logistics webinar?\n\nThanks, Lucy", MARCH_END)
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_control_likely_free_before_so_is_still_tentative() -> None:
    got = at_the_desk("Hi,\n\nI'm probably free that morning so please book me on the logistics "
                      "webinar.\n\nThanks, Lucy", MARCH_END)
    assert got.is_unclear


def test_control_maybe_another_session_before_but_is_still_tentative() -> None:
    got = at_the_desk("Hi,\n\nMaybe the food one too, but please book me on the logistics "
                      "webinar.\n\nThanks, Lucy", MARCH_END)
    assert got.is_unclear


# 3. "Is the logistics one open yet? If so please put me down": the booking answers the question.

WAITLISTED = ThreadContext("waitlisted", ("construction-2025",), SENDER)
JAN = datetime(2025, 1, 16, 11, 25, tzinfo=UTC)
MAY = datetime(2025, 5, 6, 11, 11, tzinfo=UTC)


def test_whether_a_session_is_open_then_if_so_book_me_is_a_booking() -> None:
    got = at_the_desk("Thanks - no worries. Is the logistics one in March open yet? If so please "
                      "put me down for that one.\n\nZoe", JAN, WAITLISTED)
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_whether_already_booked_then_book_me_if_not_is_a_booking() -> None:
    got = at_the_desk("Hi Suzanne,\n\nI know I'm booked on the food one in June but I can't "
                      "remember if I did the May evidence workshop too? Could you check and book "
                      "me if not please.\n\nJenny", MAY, subject="May workshop?")
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_control_what_a_session_is_pitched_at_still_waits_for_the_coordinator() -> None:
    got = at_the_desk("Hi Suzanne,\n\nIs the May evidence workshop pitched at beginners? If so "
                      "please book me.\n\nJenny", MAY)
    assert got.is_unclear


# 4. "all of the category webinars apart from furniture - so construction, logistics, food and
# textiles": the sessions asked for as a whole, then spelled out.

def test_all_the_webinars_but_one_spelled_out_is_a_clear_list() -> None:
    got = at_the_desk("Morning,\n\nCould I please register for all of the category webinars "
                      "apart from furniture - so construction, logistics, food and textiles.\n\n"
                      "Thanks\nClaire", JAN)
    assert confident(got, Intent.REGISTER, "construction-2025", "logistics-2025", "food-2025",
                     "textiles-2025")


def test_control_four_keywords_without_all_still_asks() -> None:
    got = at_the_desk("Morning,\n\nCould I please register for the construction, logistics, food "
                      "and textiles work we do.\n\nThanks\nClaire", JAN)
    assert got.is_unclear


# 5. From outside the full members, places for someone unnamed are not-eligible all the same:
# who they are for is no reason to ask.

ASSOCIATE = "paul.garner@riverside-housing.example"
FEB_START = datetime(2025, 2, 5, 8, 21, tzinfo=UTC)
TWO_PLACES = ("Hi,\n\nCould I book two places on the logistics webinar in March - one for me and "
              "one for a colleague in our asset management team?\n\nRegards\nPaul")


def test_associate_asking_places_for_an_unnamed_colleague_is_no_unclear_booking() -> None:
    got = at_the_desk(TWO_PLACES, FEB_START, sender=ASSOCIATE)
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_control_member_asking_places_for_an_unnamed_colleague_still_asks() -> None:
    got = at_the_desk(TWO_PLACES, FEB_START)
    assert got.intent is Intent.REGISTER and got.is_unclear


# 6. Questions read as requests: whether a kind of organisation may register, what booking
# takes, and a change the writer would rather not make.

def test_whether_associate_members_may_register_is_a_question() -> None:
    got = at_the_desk("Hello,\n\nAre associate members able to register for any of the Knowledge "
                      "Building sessions, or is it full members only? If it's full members only, "
                      "is there any way we can get the slides?\n\nJenny", FEB_START,
                      sender=ASSOCIATE)
    assert got.intent is Intent.QUESTION


def test_control_an_associate_asking_to_register_still_asks_for_a_place() -> None:
    got = at_the_desk("Hello,\n\nCould I register for the logistics webinar please? We are "
                      "associate members.\n\nJenny", FEB_START, sender=ASSOCIATE)
    assert got.intent is Intent.REGISTER


def test_whether_one_must_also_register_elsewhere_is_a_question() -> None:
    got = at_the_desk("Hi,\n\nQuick question - do I also have to register on the Electronics "
                      "Watch website, or is emailing this address enough to get a place?\n\n"
                      "Grace", FEB_START)
    assert got.intent is Intent.QUESTION


def test_control_a_booking_with_a_question_about_what_else_is_needed_still_books() -> None:
    got = at_the_desk("Hi,\n\nPlease register me for the logistics webinar. Is there anything "
                      "else I need to do?\n\nGrace", FEB_START)
    assert got.intent is Intent.REGISTER and got.event_ids == ("logistics-2025",)


def test_a_cancel_the_writer_would_rather_not_have_to_make_is_no_cancel() -> None:
    got = at_the_desk("Dear Suzanne,\n\nBefore I ask my team to register - is there a limit on "
                      "how many of us can attend from one organisation? I'd rather not book five "
                      "people and then have to cancel three of them later if there's a cap.\n\n"
                      "Aisha", FEB_START)
    assert got.intent is Intent.QUESTION


def test_control_rather_not_waste_a_place_so_cancel_still_cancels() -> None:
    got = at_the_desk("Dear Suzanne,\n\nI'd rather not waste a place someone else could use, so "
                      "please cancel my place on the logistics webinar.\n\nAisha", FEB_START)
    assert confident(got, Intent.CANCEL, "logistics-2025")


# 7. "Is there a limit on how many from one organisation can attend? I'd like to book about six
# of us": how many to book waits on the answer.

AUG = datetime(2025, 8, 5, 11, 30, tzinfo=UTC)


def test_how_many_may_come_before_booking_a_number_of_people_is_a_question() -> None:
    got = at_the_desk("Hi Suzanne,\n\nIs there a limit on how many people from one organisation "
                      "can attend? I'd like to book about six of us onto the textiles webinar but "
                      "don't want to hog all 15 places.\n\nStefan", AUG)
    assert got.intent is Intent.QUESTION


def test_control_how_many_may_come_beside_booking_oneself_still_books() -> None:
    got = at_the_desk("Hi Suzanne,\n\nIs there a limit on how many people from one organisation "
                      "can attend? In the meantime please book me onto the textiles webinar.\n\n"
                      "Stefan", AUG)
    assert got.intent is Intent.REGISTER
