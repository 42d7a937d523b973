"""Replies inside the desk's own threads (round 21): words written between quoted lines, a yes
with a question about part of the session, a calendar's yes to an offer, a holding reply, a
waiting-list turn kept, a cancellation by "won't be on", a PA's yes for the one offered, and an
offer taken with a colleague asked in too; each rule beside a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_decide import context as desk_context
from test_decide import event, statuses
from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.clean import clean_body
from mailflow.decide import Context, decide
from mailflow.model import Intent, Person, Request, ThreadContext
from mailflow.seats import Status

FEB = datetime(2025, 2, 12, 9, 0, tzinfo=UTC)
SEPT = datetime(2025, 9, 17, 9, 0, tzinfo=UTC)
OCT = datetime(2025, 10, 21, 9, 0, tzinfo=UTC)


def confirmed(event_id: str, recipient: str = SENDER) -> ThreadContext:
    return ThreadContext("confirmed", (event_id,), recipient)


def offered(event_id: str, recipient: str = SENDER) -> ThreadContext:
    return ThreadContext("offered", (event_id,), recipient)


# 1. Words written between quoted lines (the quote's closing left below them) are the member's.

_INTERLEAVED = (
    "On Tue, 11 Feb 2025 at 10:15, Series <registrations@lupc.example> wrote:\n"
    "> Dear Jo,\n>\n> Your place is confirmed on Logistics, 28 March 2025.\n>\n"
    "> If you can no longer attend, please reply to this email.\n\n"
    "Thanks. Could you also book me on the food one in June?\n\nCheers,\nJo\n\n"
    "> Kind regards,\n>\n> Suzanne\n> Series registrations\n"
)


def test_words_between_quoted_lines_are_the_member_s_own() -> None:
    clean = clean_body(_INTERLEAVED)
    assert clean.own == "Thanks. Could you also book me on the food one in June?"
    assert clean.closing == "Cheers,"
    got = at_the_desk(_INTERLEAVED, FEB, confirmed("logistics-2025"), "Re: Confirmed")
    assert confident(got, Intent.REGISTER, "food-2025")


def test_a_quoted_line_wrapped_by_the_client_stays_in_the_quote() -> None:
    # The unquoted line glued to the quoted one above it is that line's tail, not a reply.
    text = (
        "On Tue, 11 Feb 2025 at 10:15, Series <registrations@lupc.example> wrote:\n"
        "> Your place is confirmed. If you can no longer attend, please reply to\n"
        "this email so that we can offer your place to someone else.\n"
        "> Kind regards,\n> Suzanne\n"
    )
    assert clean_body(text).own == ""


def test_a_top_posted_reply_with_a_signature_and_quoted_tail_is_unchanged() -> None:
    text = (
        "Please cancel my place, something has come up.\n\nKind regards,\nJo Bloggs\n"
        "Procurement Officer\n\n"
        "On Tue, 11 Feb 2025 at 10:15, Series <registrations@lupc.example> wrote:\n"
        "> Your place is confirmed.\n\nsome wrapped tail\n> Kind regards,\n> Suzanne\n"
    )
    clean = clean_body(text)
    assert clean.own == "Please cancel my place, something has come up."
    assert clean.signature == "Jo Bloggs\nProcurement Officer"


# 2. A yes that asks leave to attend part of the session: the yes stands, the question rides.

def test_a_yes_asking_to_stay_only_the_first_hour_takes_the_place() -> None:
    got = at_the_desk("Yes - I'll take it. I can only stay for the first hour though, is that "
                      "OK?\n\nMarcus", SEPT, offered("textiles-2025"), "RE: Place available")
    assert confident(got, Intent.ACCEPT_OFFER, "textiles-2025")
    assert "first hour" in got.question


def test_a_yes_with_a_question_about_something_else_still_asks() -> None:
    got = at_the_desk("Yes - I'll take it. Could my manager come instead next time?",
                      SEPT, offered("textiles-2025"), "RE: Place available")
    assert got.is_unclear


def test_an_alternative_to_cancelling_is_no_side_question() -> None:
    # "or I could join for the first half." asks nothing: it offers another way.
    got = at_the_desk("I might have to cancel Wednesday's textiles webinar, or I could join for "
                      "the first half.", SEPT)
    assert got.question == ""


# 3. A calendar's "Accepted:" to an offer is a yes to it; to a confirmation it is thanks.

_CALENDAR = "Accepted: Place available: Textiles, 24 September 2025\n\nJo Bloggs has accepted.\n"


def test_a_calendar_accepting_our_offer_takes_the_place() -> None:
    got = at_the_desk(_CALENDAR, SEPT, offered("textiles-2025"),
                      "Accepted: Place available: Textiles, 24 September 2025")
    assert confident(got, Intent.ACCEPT_OFFER, "textiles-2025")


def test_a_calendar_accepting_our_confirmation_is_thanks() -> None:
    got = at_the_desk(_CALENDAR.replace("Place available", "Confirmed"), SEPT,
                      confirmed("textiles-2025"), "Accepted: Confirmed: Textiles")
    assert got.intent is Intent.ACKNOWLEDGEMENT


def test_words_under_a_calendar_tag_in_an_offer_thread_are_read_as_words() -> None:
    got = at_the_desk("Accepted: Place available: Textiles\n\nJo Bloggs has accepted.\n"
                      "But could my colleague go instead?", SEPT, offered("textiles-2025"),
                      "Accepted: Place available: Textiles")
    assert not confident(got, Intent.ACCEPT_OFFER, "textiles-2025")


# 4. A holding reply to an offer: the answer promised, the offer left open.

@pytest.mark.parametrize("text", [
    "Thanks Suzanne - I'll check my diary and get back to you shortly.",
    "Thanks - let me check my diary and I'll come back to you later today.",
])
def test_thanks_with_the_answer_promised_are_an_acknowledgement(text: str) -> None:
    got = at_the_desk(text, OCT, offered("evidence-skills-oct-2025"), "RE: A place is available")
    assert got.intent is Intent.ACKNOWLEDGEMENT


@pytest.mark.parametrize("text", [
    "Thanks for this - let me check with my line manager and get back to you.",
    "Thank you! Probably yes - I'll get back to you once I've checked.",
    "Thanks!",
])
def test_an_answer_that_hangs_on_another_or_bare_thanks_go_to_the_coordinator(text: str) -> None:
    got = at_the_desk(text, OCT, offered("evidence-skills-oct-2025"), "RE: A place is available")
    assert got.intent is Intent.QUESTION


# 5. On the waiting list, "keep me on the list, still keen" keeps the turn: nothing changes.

def test_keep_me_on_the_waiting_list_is_an_acknowledgement() -> None:
    got = at_the_desk("Yes please keep me on the list, still keen!\n\nGemma", OCT,
                      ThreadContext("waitlisted", ("evidence-skills-oct-2025",), SENDER),
                      "Re: Waiting list")
    assert got.intent is Intent.ACKNOWLEDGEMENT


def test_taking_me_off_the_waiting_list_is_still_a_cancellation() -> None:
    got = at_the_desk("Please take me off the list, I'm no longer keen.", OCT,
                      ThreadContext("waitlisted", ("evidence-skills-oct-2025",), SENDER),
                      "Re: Waiting list")
    assert got.intent is Intent.CANCEL


# 6. "Won't be on tomorrow" in a confirmation's thread gives the place up.

def test_won_t_be_on_tomorrow_cancels_the_thread_s_session() -> None:
    got = at_the_desk("Feeling rough, won't be on tomorrow. Sorry\nTom",
                      datetime(2025, 9, 23, 7, 0, tzinfo=UTC), confirmed("textiles-2025"),
                      "Re: Your place: Textiles")
    assert confident(got, Intent.CANCEL, "textiles-2025")


@pytest.mark.parametrize("text", [
    "Thanks - I won't be on leave that week after all, so see you then.",
    "Thanks, I won't be on time for the start but will join shortly after.",
])
def test_won_t_be_on_leave_or_on_time_gives_nothing_up(text: str) -> None:
    got = at_the_desk(text, datetime(2025, 9, 23, 7, 0, tzinfo=UTC), confirmed("textiles-2025"),
                      "Re: Your place: Textiles")
    assert got.intent is not Intent.CANCEL


# 7. A PA naming the one offered as the one who would like to accept: their yes.

_HEAD = "gareth.lloyd@camden-council.example"


def test_a_pa_saying_her_head_would_like_to_accept_answers_for_him() -> None:
    got = at_the_desk("Good morning Suzanne,\n\nGareth would like to accept the place, thank "
                      "you. I've put it in his diary.\n\nKind regards,\nJanet Osei",
                      OCT, offered("evidence-skills-oct-2025", _HEAD), "RE: Place available",
                      "janet.osei@camden-council.example")
    assert confident(got, Intent.ACCEPT_OFFER, "evidence-skills-oct-2025")
    assert [p.email for p in got.people] == [_HEAD]


def test_a_pa_naming_someone_else_as_accepting_still_asks() -> None:
    got = at_the_desk("Good morning Suzanne,\n\nPriya would like to accept the place, thank "
                      "you.\n\nKind regards,\nJanet Osei",
                      OCT, offered("evidence-skills-oct-2025", _HEAD), "RE: Place available",
                      "janet.osei@camden-council.example")
    assert got.is_unclear


# 8. An offer taken with a colleague asked in too: the reading names her (and still asks, as
#    two changes in one mail), and the desk hands a yes for someone else's offer to the coordinator.

EMMA = "emma.clarke@camden-council.example"


def test_an_offer_taken_with_a_colleague_asked_in_names_the_colleague() -> None:
    got = at_the_desk(f"Yes please - and can my colleague Emma Clarke ({EMMA}) come too?",
                      OCT, offered("evidence-skills-oct-2025"), "RE: Place available")
    assert got.intent is Intent.ACCEPT_OFFER
    assert [p.email for p in got.people] == [EMMA]


def _offer_to(email: str, capacity: int = 1) -> Context:
    ctx = desk_context(event("textiles", capacity=capacity))
    roster = ctx.rosters["textiles"]
    roster.register("a.first@westbury.ac.example", "", "Westbury University", ctx.now, ctx.hold)
    roster.register(email, "", "London Borough of Camden", ctx.now, ctx.hold)
    roster.cancel("a.first@westbury.ac.example", ctx.now, ctx.hold)
    assert statuses(ctx, "textiles")[email] is Status.OFFERED
    return ctx


def test_the_desk_still_hands_a_yes_for_someone_else_s_offer_to_the_coordinator() -> None:
    ctx = _offer_to(_HEAD)
    answer = Request(Intent.ACCEPT_OFFER, event_ids=("textiles",), people=(Person(_HEAD),),
                     confidence=0.95)
    decision = decide(answer, Person("janet.osei@camden-council.example"), ctx)
    assert decision.needs_attention
    assert statuses(ctx, "textiles")[_HEAD] is Status.OFFERED


# 9. In reply to our confirmation, "here are the others:" and their addresses: the rest of the
#    party, booked on the thread's session.

_OTHERS = ("Thanks Suzanne, here are the others:\n\nsiobhan.kelly@camden-council.example\n"
           "daniel.reyes@camden-council.example\n\nMark")


def test_the_others_addresses_sent_on_are_booked_on_the_thread_s_session() -> None:
    got = at_the_desk(_OTHERS, SEPT, confirmed("textiles-2025"), "RE: Your place: Textiles")
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert [p.email for p in got.people] == ["siobhan.kelly@camden-council.example",
                                             "daniel.reyes@camden-council.example"]


def test_the_others_addresses_with_a_question_still_ask() -> None:
    got = at_the_desk(_OTHERS.replace("\n\nMark", "\n\nIs there a limit per organisation?"),
                      SEPT, confirmed("textiles-2025"), "RE: Your place: Textiles")
    assert not confident(got, Intent.REGISTER, "textiles-2025")


def test_the_others_addresses_outside_a_confirmation_thread_book_nothing() -> None:
    got = at_the_desk(_OTHERS, SEPT, offered("textiles-2025"), "RE: Place available")
    assert not confident(got, Intent.REGISTER, "textiles-2025")
    got = at_the_desk(_OTHERS, SEPT, None, "Addresses")
    assert not confident(got, Intent.REGISTER, "textiles-2025")
