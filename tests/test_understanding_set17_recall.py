"""Where fresh set 17 showed the desk sending a clear request to the coordinator (round 18,
recall22): each class a behaviour, in wording of its own, beside a control that still asks."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext

APRIL = datetime(2025, 4, 7, 9, 0, tzinfo=UTC)


def at_desk(text: str, now: datetime = APRIL, context: ThreadContext | None = None,
            subject: str = "Booking", sender: str = SENDER) -> Request:
    return at_the_desk(text, now, context, subject, sender)


# 1. "the colleagues I’ve copied in": a contracted pronoun (curly or straight apostrophe) after
# "colleagues" is the sender speaking, not a colleague named without an address.


def test_colleagues_i_have_copied_in_with_addresses_books() -> None:
    for apostrophe in ("\u2019", "'"):
        got = at_desk(f"I{apostrophe}d like to register for the furniture webinar, and so would "
                      f"the two colleagues I{apostrophe}ve copied in (Kwame and Lily). Please "
                      "book all three of us.\n\nKwame: kwame.asante@camden-council.example\n"
                      "Lily: lily.chen@camden-council.example")
        assert confident(got, Intent.REGISTER, "furniture-2025"), got.reason
        assert {p.email for p in got.people} >= {"kwame.asante@camden-council.example",
                                                 "lily.chen@camden-council.example"}


def test_colleagues_named_without_addresses_still_asks() -> None:
    got = at_desk("I'd like to register for the furniture webinar, and so would my colleagues "
                  "Kwame and Lily. Please book all three of us.")
    assert got.intent is Intent.REGISTER and got.is_unclear


# 2. A place asked for in the form of a question: space "for me and Tom", "could I add the
# October workshop", "would you mind popping me on the list" are requests; a question about
# space for nobody in particular is still a question.


def test_is_there_space_for_me_and_a_colleague_books_both() -> None:
    got = at_desk("Is there any space left on the furniture webinar for me and Tom "
                  "(tom.bright@camden-council.example)?")
    assert confident(got, Intent.REGISTER, "furniture-2025"), got.reason
    assert "tom.bright@camden-council.example" in {p.email for p in got.people}


def test_could_i_add_a_session_books_it() -> None:
    got = at_desk("I'm already on logistics. Could I add the furniture webinar too?")
    assert confident(got, Intent.REGISTER, "furniture-2025"), got.reason


def test_would_you_mind_popping_me_on_books() -> None:
    got = at_desk("Would you mind popping me on the list for the furniture webinar? Thanks")
    assert confident(got, Intent.REGISTER, "furniture-2025"), got.reason


def test_is_there_space_left_for_nobody_named_is_a_question() -> None:
    got = at_desk("Is there any space left on the furniture webinar?")
    assert got.intent is Intent.QUESTION


# 3. In an answer to an offer, "No need to reply" and "No, I don't mind the short notice" refuse
# nothing: the yes beside them stands. A plain no still declines.


def _offered() -> ThreadContext:
    return ThreadContext(outcome="offered", event_ids=("furniture-2025",), recipient=SENDER)


def test_a_yes_with_no_need_to_reply_accepts() -> None:
    got = at_desk("Yes, I'll take it - thanks.\n\nI may be a few minutes late. No need to reply.",
                  context=_offered())
    assert confident(got, Intent.ACCEPT_OFFER, "furniture-2025"), got.reason


def test_no_i_dont_mind_the_short_notice_then_yes_accepts() -> None:
    got = at_desk("No, I don't mind the short notice at all - yes please book me in.",
                  context=_offered())
    assert confident(got, Intent.ACCEPT_OFFER, "furniture-2025"), got.reason


def test_a_plain_no_still_declines() -> None:
    got = at_desk("No, sorry - I can't make that date after all.", context=_offered())
    assert got.intent is Intent.DECLINE_OFFER


# 4. A bare day two sessions share ("the 28th": 28 March logistics, 28 May evidence skills) under a
# subject that names one of them: read together, that one. A subject naming neither still asks.


def test_the_28th_under_a_logistics_subject_is_logistics() -> None:
    got = at_desk("Aisha will go instead of me on the 28th (aisha.karim@camden-council.example).",
                  now=datetime(2025, 3, 21, 12, 0, tzinfo=UTC), subject="Fwd: logistics thing")
    assert confident(got, Intent.SUBSTITUTE, "logistics-2025"), got.reason


def test_the_28th_under_a_subject_naming_no_session_still_asks() -> None:
    got = at_desk("Aisha will go instead of me on the 28th (aisha.karim@camden-council.example).",
                  now=datetime(2025, 3, 21, 12, 0, tzinfo=UTC), subject="Fwd: quick one")
    assert got.is_unclear
