"""Where fresh sets 7 and 8 sent clear requests to the coordinator as unclear (issue 9, round 8):
each class a behaviour, in wording of its own."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, confident, read

from mailflow.model import Intent, ThreadContext

MONDAY_BEFORE_LOGISTICS = datetime(2025, 3, 24, 10, 0, tzinfo=UTC)


def test_a_place_for_a_weekday_names_that_weeks_session() -> None:
    got = read(
        "Hello, please could you cancel my booking for Friday? Something has come up.",
        now=MONDAY_BEFORE_LOGISTICS,
    )
    assert confident(got, Intent.CANCEL, "logistics-2025")


def test_a_weekday_after_place_with_no_session_that_day_names_nothing() -> None:
    got = read("Please cancel my place for Tuesday.", now=MONDAY_BEFORE_LOGISTICS)
    assert got.is_unclear


def test_a_request_that_refers_back_takes_the_session_of_the_question_it_answers() -> None:
    got = read(
        "Morning, is it too late to get on the webinar this Friday? If not please book me in.",
        now=MONDAY_BEFORE_LOGISTICS,
    )
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_a_request_that_refers_back_but_names_its_own_session_keeps_its_own() -> None:
    got = read("Is there still room on the textiles webinar? If not, please book me on food.")
    assert got.event_ids == ("food-2025",)


THE_DAY_AFTER_CONSTRUCTION = datetime(2025, 1, 30, 9, 0, tzinfo=UTC)


def test_yesterdays_session_is_the_one_held_yesterday_and_the_desk_says_it_is_over() -> None:
    got = read(
        "So sorry - I couldn't make yesterday's webinar in the end. Please cancel my place.",
        now=THE_DAY_AFTER_CONSTRUCTION,
    )
    assert confident(got, Intent.CANCEL, "construction-2025")


def test_yesterdays_session_as_background_leaves_the_session_asked_for() -> None:
    got = read(
        "Following yesterday's webinar, please book me on the logistics one.",
        now=THE_DAY_AFTER_CONSTRUCTION,
    )
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_i_wrote_yesterday_names_no_session() -> None:
    got = read("I wrote yesterday but heard nothing. Please cancel my booking.",
               now=THE_DAY_AFTER_CONSTRUCTION)
    assert got.event_ids == ()


def test_any_chance_i_could_still_get_on_to_the_webinar_then_book_me_is_a_booking() -> None:
    got = read(
        "I know I've missed the deadline but is there any chance I could still get on to the "
        "logistics webinar? Please book me if you can."
    )
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_taking_a_named_colleague_with_address_off_a_session_cancels_their_place() -> None:
    got = read(
        "Hi, please can you take Sam Dawson (sam.dawson@camden-council.example) off the "
        "logistics webinar list? I'm still coming."
    )
    assert confident(got, Intent.CANCEL, "logistics-2025")
    assert [p.email for p in got.people] == ["sam.dawson@camden-council.example"]


def test_putting_members_of_the_team_forward_for_a_session_books_them() -> None:
    got = read(
        "I'd like to put two of my team forward for the textiles webinar:\n\n"
        "- Niamh Doyle - niamh.doyle@camden-council.example\n"
        "- Colin Baxter - colin.baxter@camden-council.example\n\n"
        "I won't be attending myself."
    )
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert len(got.people) == 2


OFFERED_TEXTILES = ThreadContext("offered", ("textiles-2025",), SENDER)
TEXTILES_OFFER_WEEK = datetime(2025, 9, 18, 10, 0, tzinfo=UTC)


def test_a_no_with_a_remark_after_but_about_another_session_declines_the_offer() -> None:
    got = read(
        "Thanks Suzanne, I'll have to say no to this one - but please keep me in mind for the "
        "furniture one in December.",
        subject="RE: Place available: Textiles", context=OFFERED_TEXTILES,
        now=TEXTILES_OFFER_WEEK,
    )
    assert confident(got, Intent.DECLINE_OFFER, "textiles-2025")


def test_still_keen_on_another_session_beside_a_no_is_no_yes() -> None:
    got = read(
        "Thanks for the offer but I'll have to say no this time - the date clashes with a "
        "board meeting. I'm still keen on the furniture one in December though.",
        subject="RE: Place available: Textiles", context=OFFERED_TEXTILES,
        now=TEXTILES_OFFER_WEEK,
    )
    assert confident(got, Intent.DECLINE_OFFER, "textiles-2025")


def test_a_no_taken_back_with_actually_wait_yes_accepts_the_offer() -> None:
    got = read(
        "No sorry - actually wait, yes I can! Just moved my meeting. Please book me in.",
        subject="Re: Place available: Textiles", context=OFFERED_TEXTILES,
        now=TEXTILES_OFFER_WEEK,
    )
    assert confident(got, Intent.ACCEPT_OFFER, "textiles-2025")


def test_a_booking_asked_for_another_session_beside_a_no_still_asks() -> None:
    got = read(
        "Thanks, but I'll have to say no to this one. Could you book me on the furniture "
        "webinar in December instead though?",
        subject="Re: Place available: Textiles", context=OFFERED_TEXTILES,
        now=TEXTILES_OFFER_WEEK,
    )
    assert got.is_unclear


def test_here_are_our_names_for_a_session_above_a_list_books_them() -> None:
    got = read(
        "Sorry for the delay - here are our names for the October evidence workshop:\n\n"
        "Helen Foster  helen.foster@camden-council.example\n"
        "Oliver Grant  oliver.grant@camden-council.example\n\n"
        "I'm not coming myself this time."
    )
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")
    assert len(got.people) == 2


def test_cancel_one_but_keep_me_on_another_then_a_reason_cancels_the_one() -> None:
    got = read(
        "Please cancel me from the furniture webinar in December but keep me on textiles - "
        "furniture has moved to a colleague's portfolio."
    )
    assert confident(got, Intent.CANCEL, "furniture-2025")



def test_could_you_make_sure_im_on_it_asks_for_the_place() -> None:
    got = read(
        "I think I registered for the construction webinar last month but never got a "
        "confirmation. Could you make sure I'm on it please?"
    )
    assert confident(got, Intent.REGISTER, "construction-2025")


def test_a_day_flagged_as_a_guess_does_not_contradict_the_month_and_topic() -> None:
    got = read(
        "Could I book the October evidence skills session please (I think it's the 28th)?",
        now=datetime(2025, 9, 3, 9, 0, tzinfo=UTC),
    )
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_a_day_said_firmly_that_is_no_session_of_that_month_still_asks() -> None:
    got = read(
        "Could I book the October evidence skills session on the 28th please?",
        now=datetime(2025, 9, 3, 9, 0, tzinfo=UTC),
    )
    assert got.is_unclear


def test_the_last_one_before_christmas_is_the_latest_session_before_it() -> None:
    got = read(
        "Hi Suzanne, could I grab a spot on the last one before Christmas?",
        now=datetime(2025, 11, 3, 13, 0, tzinfo=UTC),
    )
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_the_last_webinar_before_the_summer_is_the_latest_webinar_before_june() -> None:
    got = read(
        "Please book me on the last webinar before the summer.",
        now=datetime(2025, 2, 3, 9, 0, tzinfo=UTC),
    )
    assert confident(got, Intent.REGISTER, "logistics-2025")
