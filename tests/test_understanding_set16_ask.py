"""Where fresh set 16 showed the desk changing a seat a careful coordinator would have asked about
(issue 9, round 17): each class a behaviour, in wording of its own, beside a control that still
books."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext

APRIL = datetime(2025, 4, 7, 9, 0, tzinfo=UTC)
SUPPLIER = "sam.baker@acme-furnishings.example"
ASSOCIATE = "kim.lee@riverside-housing.example"


def at_desk(text: str, now: datetime = APRIL, context: ThreadContext | None = None,
            subject: str = "Booking", sender: str = SENDER) -> Request:
    return at_the_desk(text, now, context, subject, sender)


# 1. Someone who is no full member's staff asks a place for a full member's staff: that person
# has not asked, and nobody at their organisation vouches for it.


def test_a_supplier_booking_a_member_s_buyer_asks() -> None:
    got = at_desk("We supply Westbury's halls. Could you book their buyer, Dev Patel "
                  "(dev.patel@westbury.ac.example), onto the furniture webinar?", sender=SUPPLIER)
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "from outside the full members" in got.reason


def test_an_associate_booking_a_full_member_s_officer_asks() -> None:
    got = at_desk("Could you register Ann Hale (ann.hale@camden-council.example) for the "
                  "furniture webinar? She leads our joint contract.", sender=ASSOCIATE)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_member_booking_a_colleague_at_another_full_member_still_books() -> None:
    got = at_desk("Could you register Ann Hale (ann.hale@westbury.ac.example) for the "
                  "furniture webinar? She leads our joint contract.")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert [p.email for p in got.people] == ["ann.hale@westbury.ac.example"]


# 2. A consultant or secondee at an address elsewhere who says they work in a full member's team
# under a contract: a member claim, the coordinator's to check (Request.member_claim).


def test_a_consultant_on_contract_with_a_member_is_a_member_claim() -> None:
    got = at_desk("I'm an interim category specialist, currently on a six-month contract with "
                  "Westbury University's estates team. Please book me on the furniture webinar.",
                  sender="lee.cho@cho-associates.example")
    assert got.intent is Intent.REGISTER and got.is_unclear and got.member_claim


def test_my_member_manager_suggesting_it_is_a_member_claim() -> None:
    got = at_desk("My Kingsgate line manager suggested I come along. Could you book me onto the "
                  "furniture webinar?", sender="lee.cho@cho-associates.example")
    assert got.is_unclear and got.member_claim


def test_a_supplier_holding_a_contract_with_a_member_makes_no_claim() -> None:
    got = at_desk("We hold the furniture contract with Westbury University. Please book me on "
                  "the furniture webinar.", sender="lee.cho@cho-associates.example")
    assert not got.member_claim


# 3. A sender who says they are a student: places are for members' staff, and whether a member's
# student counts is the coordinator's call, even from an address under the member's domain.


def test_a_student_on_a_member_s_subdomain_asks() -> None:
    got = at_desk("I'm a PhD student in the business school researching supply chains. Could "
                  "you register me for the furniture webinar?",
                  sender="s1234567@students.westbury.ac.example")
    assert got.intent is Intent.REGISTER and got.is_unclear
    assert "student" in got.reason


def test_a_member_s_staff_in_student_services_still_books() -> None:
    got = at_desk("I'm a buyer for our student services team. Could you register me for the "
                  "furniture webinar?", sender="ann.hale@westbury.ac.example")
    assert confident(got, Intent.REGISTER, "furniture-2025")


# 4. A place asked about, not asked for: the sender's chances on the waiting list, or whether it
# is too late, beside words that say they only want to know.


def waitlisted(event_id: str) -> ThreadContext:
    return ThreadContext("waitlisted", (event_id,), SENDER)


def test_asking_your_chances_on_the_waiting_list_is_a_question() -> None:
    got = at_desk("Honestly, do you reckon I'll get a place on this one? I need to plan the week.",
                  context=waitlisted("furniture-2025"))
    assert got.intent is Intent.QUESTION


def test_any_chance_i_could_get_a_place_still_asks_for_it() -> None:
    got = at_desk("Any chance I could get a place on the furniture webinar?")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_is_it_too_late_only_to_find_out_is_a_question() -> None:
    got = at_desk("Is it still possible to register for the furniture webinar? I just wanted to "
                  "know whether it's worth raising with my manager.")
    assert got.intent is Intent.QUESTION


def test_is_it_too_late_with_please_book_me_still_books() -> None:
    got = at_desk("Is it too late to register for the furniture webinar? Just want to know "
                  "whether to clear my diary. If not, please book me in.")
    assert got.intent is Intent.REGISTER and got.event_ids == ("furniture-2025",)


# 5. A past verb's reach stops where the ask begins: "I enjoyed yesterday's workshop - can you
# book me on the June one as well?" asks for June, and yesterday's session is only background.

MAY_29 = datetime(2025, 5, 29, 10, 0, tzinfo=UTC)


def test_the_month_asked_for_after_a_dash_wins_over_yesterday_s_session() -> None:
    got = at_desk("Loved yesterday's workshop - could you put me down for the June one too?",
                  now=MAY_29)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_a_session_named_inside_the_past_sentence_is_still_background() -> None:
    got = at_desk("I enjoyed the June one last year very much. Please book me on the furniture "
                  "webinar.", now=MAY_29)
    assert confident(got, Intent.REGISTER, "furniture-2025")


# 6. The would-be taker, not the holder, asks for a colleague's place: a substitution the holder
# should confirm, not the holder's cancellation.

NHS = "ellie.ward@nhs-north-london.example"


def test_asking_for_a_colleague_s_place_the_sender_would_have_asks() -> None:
    got = at_desk("My colleague Omar Said (omar.said@nhs-north-london.example) is booked on the "
                  "furniture webinar but can't go now. He's fine for me to go.", sender=NHS)
    assert got.is_unclear and "someone else's place" in got.reason


def test_could_i_take_her_place_asks() -> None:
    got = at_desk("Amy Cole (amy.cole@nhs-north-london.example) can't make the furniture webinar "
                  "any more. Could I take her place?", sender=NHS)
    assert got.is_unclear


def test_cancelling_a_colleague_s_place_for_them_still_cancels() -> None:
    got = at_desk("My colleague Omar Said (omar.said@nhs-north-london.example) is booked on the "
                  "furniture webinar but can't go now. Please cancel his place.", sender=NHS)
    assert confident(got, Intent.CANCEL, "furniture-2025")
    assert [p.email for p in got.people] == ["omar.said@nhs-north-london.example"]


# 7. Declining an offer but asking a list place on "the next one": which session is the
# coordinator's to ask; "keep me in mind for the next one" asks nothing, and a named session is
# named.


def offer_of(event_id: str) -> ThreadContext:
    return ThreadContext("offered", (event_id,), SENDER)


def test_declining_with_a_list_place_for_the_next_one_asks() -> None:
    got = at_desk("No, not this time, thanks - but do keep me on the list for the next one.",
                  context=offer_of("furniture-2025"))
    assert got.intent is Intent.DECLINE_OFFER and got.is_unclear
    assert "does not name" in got.reason


def test_declining_with_keep_me_in_mind_for_the_next_one_still_declines() -> None:
    got = at_desk("Sorry, I can't do that date. Keep me in mind for the next one though!",
                  context=offer_of("furniture-2025"))
    assert confident(got, Intent.DECLINE_OFFER, "furniture-2025")
