"""A mail that corrects itself (fresh set 17, round 19): a correction plain about what replaces
what is applied, as a careful coordinator would; one that leaves a choice open, or hedges, still
asks. Each rule beside a control that must not change its reading."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext

APRIL = datetime(2025, 4, 7, 9, 0, tzinfo=UTC)
OCTOBER = datetime(2025, 10, 6, 9, 0, tzinfo=UTC)


def at_desk(text: str, now: datetime = APRIL, context: ThreadContext | None = None,
            subject: str = "Booking", sender: str = SENDER) -> Request:
    return at_the_desk(text, now, context, subject, sender)


def people(got: Request) -> list[str]:
    return sorted(p.email for p in got.people if p.email != SENDER)


# 1. "I meant X not Y": the word meant takes the place of the one the request held once.


def test_a_word_meant_instead_of_another_books_the_corrected_session() -> None:
    got = at_desk("Could I book onto the evidence skills workshop in May?\n\nSorry, I meant "
                  "October not May - May is our year end.")
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")
    assert any(e.startswith("applies the correction") for e in got.evidence)


def test_a_session_meant_instead_of_another_books_it() -> None:
    got = at_desk("Could you book me onto the food webinar?\n\nSorry, I meant the textiles one, "
                  "not food.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_a_correction_leaving_both_open_still_asks() -> None:
    got = at_desk("Could I book onto the evidence skills workshop in May?\n\nSorry, I meant "
                  "October not May - or maybe both, if there's room.")
    assert got.is_unclear


def test_a_correction_of_a_word_the_request_does_not_hold_still_asks() -> None:
    got = at_desk("Could you book me onto the food webinar?\n\nSorry, I meant October not May.")
    assert got.is_unclear


# 2. "Scrap that - can you do X instead?": the words after the mark ask again for one session.


def test_a_request_scrapped_for_another_session_books_the_new_one() -> None:
    got = at_desk("Hi, please book me on the furniture webinar.\n\n(Checked my diary, I'm on "
                  "leave that week. Scrap that - could you do construction instead?)",
                  now=datetime(2025, 1, 6, 9, 0, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "construction-2025")


def test_a_session_meant_in_a_later_sentence_books_it() -> None:
    got = at_desk("Please book me on the food webinar.\n\nSorry, I meant textiles. Thanks, let me "
                  "know if you need anything else.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_a_session_meant_as_well_is_one_more_and_asks() -> None:
    got = at_desk("Please book me on the food webinar.\n\nSorry, I meant textiles as well.")
    assert got.is_unclear


def test_a_request_scrapped_for_a_colleague_without_an_address_still_asks() -> None:
    got = at_desk("Please register me for the food webinar.\n\nActually, scratch that - could "
                  "you make it my colleague Leah instead?")
    assert got.is_unclear


def test_a_request_scrapped_with_a_choice_left_open_still_asks() -> None:
    got = at_desk("Please register me for the textiles webinar.\n\nScrap that - can you do "
                  "furniture instead? Or both, if easier.")
    assert got.is_unclear


# 3. "Wrong date": a session named by name and a date that disagree, the name insisted on.


def test_a_wrong_date_corrected_books_the_session_named() -> None:
    got = at_desk("Please register me for the logistics webinar on 28th May.\n\nWait, sorry, "
                  "wrong date - logistics is 28 March, isn't it? Logistics is the one I want.",
                  now=datetime(2025, 2, 20, 9, 0, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_a_wrong_date_corrected_to_another_session_still_asks() -> None:
    got = at_desk("Please register me for the logistics webinar on 28th May.\n\nWait, sorry, "
                  "wrong date - it's the textiles one I want.",
                  now=datetime(2025, 2, 20, 9, 0, tzinfo=UTC))
    assert got.is_unclear


def test_a_wrong_date_naming_no_session_again_asks() -> None:
    got = at_desk("Book me on the furniture webinar. Wrong date, sorry - I'm away then.")
    assert got.is_unclear and "corrects itself" in got.reason


# 4. A colleague's address corrected, or a colleague named again in another's place.


def test_a_colleague_s_address_corrected_books_the_corrected_address() -> None:
    got = at_desk("Please book Raj onto the furniture webinar - raj@camden-council.example.\n\n"
                  "Sorry, typo: it's raj.shah@camden-council.example.")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert people(got) == ["raj.shah@camden-council.example"]


def test_a_typo_with_two_colleagues_named_still_asks() -> None:
    got = at_desk("Please book Raj (raj@camden-council.example) and Ann (ann.hale@camden-"
                  "council.example) onto the furniture webinar.\n\nSorry, typo: it's "
                  "raj.shah@camden-council.example.")
    assert got.is_unclear


def test_a_colleague_replaced_by_another_books_the_new_one() -> None:
    got = at_desk("Please book Ann Hale (ann.hale@camden-council.example) onto the October "
                  "evidence workshop.\n\nActually no - Ann's away then. Put Ben Ode on instead: "
                  "ben.ode@camden-council.example", now=OCTOBER)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")
    assert people(got) == ["ben.ode@camden-council.example"]


def test_a_colleague_added_after_a_correction_mark_still_asks() -> None:
    got = at_desk("Please book Ann Hale (ann.hale@camden-council.example) onto the October "
                  "evidence workshop.\n\nActually no - could you book Ben Ode too? "
                  "ben.ode@camden-council.example", now=OCTOBER)
    assert got.is_unclear


def test_a_replacement_that_names_nobody_earlier_still_asks() -> None:
    got = at_desk("Please book Ann Hale (ann.hale@camden-council.example) and Sam Cole "
                  "(sam.cole@camden-council.example) onto the October evidence workshop.\n\n"
                  "Actually no - one of them is away. Put Ben Ode on instead: "
                  "ben.ode@camden-council.example", now=OCTOBER)
    assert got.is_unclear


# 5. The marks the sessions are read past are the ones the desk then need not ask about.


def test_a_request_taken_back_with_hang_on_no_books_only_the_session_after_it() -> None:
    got = at_desk("Please book me onto furniture. Hang on, no - put me on the food one instead "
                  "please.")
    assert confident(got, Intent.REGISTER, "food-2025")


def test_oh_no_before_another_session_is_no_plain_correction_and_asks() -> None:
    got = at_desk("Please book me onto furniture. Oh no - put me on the food one instead please.")
    assert got.is_unclear
