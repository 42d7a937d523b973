"""Where fresh set 11 showed the desk asking the coordinator about a request a careful
coordinator would have read alone (issue 9, round 12): each class a behaviour, in wording of
its own."""

from __future__ import annotations

from datetime import UTC, datetime

from test_decide import context as desk_context
from test_decide import event, statuses
from test_understanding_classes import SENDER, confident, offered, read

from mailflow.decide import decide
from mailflow.model import Intent, Person, Request, ThreadContext
from mailflow.seats import Status

# A no to an offer beside a question about another year's run: the no stands.


def test_a_decline_with_a_question_about_next_year_declines() -> None:
    got = read("Sorry, I have to decline - I'm on leave that week. Will the food webinar be "
               "on again next year? I'd be interested.", context=offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")
    assert "next year" in got.question


def test_a_decline_hanging_on_another_time_of_this_session_still_asks() -> None:
    got = read("I can't do the morning. Is there an afternoon repeat? If not I'll leave it.",
               context=offered())
    assert got.is_unclear


# "Maybe next time": a hope for a later occasion, no condition on the answer given.


def test_maybe_next_time_after_a_no_is_no_condition() -> None:
    got = read("Thanks, but I must decline - I'm at a conference that day. Maybe next time.",
               context=offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_perhaps_another_year_after_a_booking_is_no_hedge() -> None:
    got = read("Please book me on the textiles webinar. Perhaps another year I'll do them all.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_maybe_on_the_request_itself_still_hedges() -> None:
    got = read("Maybe book me on the textiles webinar? Not decided.")
    assert got.is_unclear


# Who may come at all: a question for the desk, not mail for nobody.


def test_a_non_member_asking_how_to_take_part_is_a_question() -> None:
    got = read("We aren't members as far as I know - is there any way for us to take part, "
               "for example by paying, or must we join first?")
    assert got.intent is Intent.QUESTION


def test_asking_whether_associates_may_attend_any_session_is_a_question_about_none() -> None:
    got = read("Just so I understand - are associate members not able to attend any of the "
               "sessions, or only when they're full? Is there a way for us to upgrade?",
               subject="RE: Textiles webinar - booking")
    assert got.intent is Intent.QUESTION and got.event_ids == ()


# A session named by the time it falls in: a one-day holiday, a month without its apostrophe.


def test_the_one_after_easter_is_the_first_session_after_easter_sunday() -> None:
    # Easter 2025 is 20 April: the first session after it is the 28 May workshop.
    got = read("Can I get a place on the one after Easter please?",
               now=datetime(2025, 4, 9, 12, 0, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_the_one_after_christmas_is_next_year_s_first_when_none_is_left() -> None:
    got = read("Please book me on the webinar after Christmas.",
               now=datetime(2025, 11, 1, 12, 0, tzinfo=UTC))
    assert not confident(got, Intent.REGISTER, "furniture-2025")


def test_the_one_after_the_summer_still_asks() -> None:
    got = read("Could you put me on the one after the summer please?")
    assert got.is_unclear


def test_next_months_webinar_without_an_apostrophe_is_next_month_s() -> None:
    got = read("Hi can I book on next months webinar please",
               now=datetime(2025, 8, 20, 12, 0, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "textiles-2025")


# Two sessions said, then "both": the two said.


def test_cancel_both_after_naming_the_two_workshops_cancels_both() -> None:
    got = read("I'm leaving procurement in May, so I won't need my places on the two evidence "
               "skills workshops. Please cancel both.")
    assert confident(got, Intent.CANCEL, "evidence-skills-may-2025", "evidence-skills-oct-2025")


def test_cancel_both_after_naming_more_than_two_still_asks() -> None:
    got = read("I'm booked on the evidence workshop and furniture. Please cancel both.")
    assert got.is_unclear


def test_the_second_of_the_two_workshops_never_books_both() -> None:
    got = read("I'd like to book the second of the two evidence skills workshops please.")
    assert got.event_ids != ("evidence-skills-may-2025", "evidence-skills-oct-2025")


# A span's two ends ("from the May workshop through to furniture") are no topic and date at odds.


def test_all_remaining_sessions_from_one_through_to_another_books_them_all() -> None:
    got = read("Could you book me onto all the remaining sessions - from the May workshop "
               "through to furniture in December?",
               now=datetime(2025, 4, 8, 12, 0, tzinfo=UTC))
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025", "food-2025",
                     "textiles-2025", "evidence-skills-oct-2025", "furniture-2025")


def test_a_topic_beside_another_session_s_date_still_asks() -> None:
    got = read("Please book me on the textiles webinar on 25 June.")
    assert got.is_unclear


# "Could you please also add my colleague ...": a request, whatever its courtesy words.


def test_could_you_please_also_add_a_colleague_books_them() -> None:
    got = read("Thanks, understood. Could you please also add my colleague Kevin Murphy "
               "(kevin.murphy@camden-council.example) to the waiting list for the same webinar?",
               context=ThreadContext("waitlisted", ("food-2025",), SENDER))
    assert confident(got, Intent.REGISTER, "food-2025")
    assert [p.email for p in got.people] == ["kevin.murphy@camden-council.example"]


# A booking with no verb, after the name of whom the mail is written to.


def test_name_then_me_and_a_colleague_for_a_session_books_both() -> None:
    got = read("Suzanne, me and Tom Ashworth (t.ashworth@camden-council.example) for the "
               "logistics one pls. We manage the courier contracts.")
    assert confident(got, Intent.REGISTER, "logistics-2025")
    assert "t.ashworth@camden-council.example" in [p.email for p in got.people]


# One colleague named, one address given further on that spells the name: addressed.


def test_one_colleague_with_an_address_that_spells_the_name_is_booked() -> None:
    got = read("Could you register my colleague Julien for the textiles webinar? He's a visiting "
               "fellow with us this term, see the note below from him. His address is "
               "j.moreau@camden-council.example.")
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert [p.email for p in got.people] == ["j.moreau@camden-council.example"]


def test_an_address_that_does_not_spell_the_name_still_asks() -> None:
    got = read("Could you register my colleague Julien for the textiles webinar? He's a visiting "
               "fellow with us this term from the University of Lyon. His address is "
               "k.moreau@camden-council.example.")
    assert got.is_unclear


def test_two_names_and_one_address_still_asks() -> None:
    got = read("Please register my colleagues Jack and James for the textiles webinar. Their "
               "addresses: j.smith@camden-council.example")
    assert got.is_unclear


# What another person is only reported as perhaps doing is no request of the sender's.


def test_am_i_booked_beside_a_colleague_who_might_hand_on_her_place_is_a_question() -> None:
    got = read("Can you confirm whether I'm booked on the food webinar next week? Agnieszka "
               "mentioned she might hand her place over to me but I haven't heard anything.")
    assert got.intent is Intent.QUESTION and got.event_ids == ("food-2025",)


def test_a_colleague_handing_her_place_on_is_still_a_substitution() -> None:
    got = read("Agnieszka can't make the food webinar and would like to hand her place over to "
               "me. Please update.")
    assert got.intent is Intent.SUBSTITUTE


# An assistant's yes for the person the offer went to: read as theirs; the desk leaves it to
# the coordinator (decide: a change for someone else), and the seat waits as offered.

RUTH = "r.ellison@westbury.ac.example"


def test_an_assistant_accepting_for_the_person_offered_reads_as_their_yes() -> None:
    got = read("I manage Dr Ellison's diary. She is happy to accept the place on the textiles "
               "webinar on Wednesday and I have blocked out the time.",
               context=ThreadContext("offered", ("textiles-2025",), RUTH))
    assert confident(got, Intent.ACCEPT_OFFER, "textiles-2025")
    assert [p.email for p in got.people] == [RUTH]


def test_the_desk_hands_an_assistant_s_yes_to_the_coordinator_and_keeps_the_offer() -> None:
    ctx = desk_context(event("textiles", capacity=1))
    roster = ctx.rosters["textiles"]
    roster.register("a.first@westbury.ac.example", "", "Westbury University", ctx.now, ctx.hold)
    roster.register(RUTH, "", "Westbury University", ctx.now, ctx.hold)
    roster.cancel("a.first@westbury.ac.example", ctx.now, ctx.hold)
    assert statuses(ctx, "textiles")[RUTH] is Status.OFFERED
    answer = Request(Intent.ACCEPT_OFFER, event_ids=("textiles",), people=(Person(RUTH),),
                     confidence=0.95)
    decision = decide(answer, Person("m.santos@westbury.ac.example", "Maria Santos"), ctx)
    assert decision.needs_attention
    assert statuses(ctx, "textiles")[RUTH] is Status.OFFERED


def test_a_colleague_saying_she_is_happy_with_no_name_of_ours_still_asks() -> None:
    got = read("She is happy to accept the place on the textiles webinar.",
               context=ThreadContext("offered", ("textiles-2025",), RUTH))
    assert got.is_unclear
