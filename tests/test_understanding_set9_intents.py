"""Where fresh sets 9 and 10 read the wrong intent or the wrong session (issue 9, round 13): each
class a behaviour, in wording of its own."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from test_understanding_classes import EVENTS, confident, mail, read

from mailflow.model import SEAT_CHANGING, Intent, ThreadContext
from mailflow.understanding import understand

JULY = datetime(2025, 7, 2, 9, 0, tzinfo=UTC)
APRIL = datetime(2025, 4, 1, 9, 0, tzinfo=UTC)


# A question about who may attend that says "can't attend" asks; it gives up no place.


def test_does_that_mean_we_cant_attend_is_a_question_not_a_cancellation() -> None:
    got = read("We're an affiliate of the consortium. Does this mean our buyers can't attend "
               "any of the webinars, or is there some other route for us?")
    assert got.intent is Intent.QUESTION


def test_an_alternative_inside_the_eligibility_question_books_nothing() -> None:
    got = read("Places are for full members, I see - does that mean we cannot attend at all, or "
               "could we join the waiting list in case places go unclaimed?")
    assert got.intent is Intent.QUESTION


def test_cant_attend_with_a_question_tag_is_a_question() -> None:
    got = read("Our associate staff can't attend the sessions, can they?")
    assert got.intent not in SEAT_CHANGING


def test_may_we_attend_with_a_booking_that_waits_on_the_answer_is_a_question() -> None:
    got = read("Are associate members eligible for the furniture webinar? We'd love to come if "
               "so.")
    assert got.intent is Intent.QUESTION


def test_a_member_who_cannot_attend_still_cancels() -> None:
    got = read("I can't attend the furniture webinar now, please cancel my place.")
    assert confident(got, Intent.CANCEL, "furniture-2025")


def test_a_plain_may_i_attend_still_books() -> None:
    got = read("Can I attend the textiles webinar please?")
    assert confident(got, Intent.REGISTER, "textiles-2025")


# A phone's booking with no verb: the sender, another person, a session and a please.


def test_me_plus_a_colleague_for_a_session_please_books_both() -> None:
    got = read("me + sam ode (sam.ode@camden-council.example) for textiles pls. thx")
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert [p.email for p in got.people] == [
        "jo.bloggs@camden-council.example", "sam.ode@camden-council.example"
    ]


# A session given relative to another: "the one after it", "the second one".


def test_the_one_after_a_session_missed_is_the_next_session() -> None:
    got = read("I missed the food webinar last week but I'd like to get on the one after it. "
               "Please book me in.", now=JULY)
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_the_one_after_the_named_one_books_only_the_later_session() -> None:
    got = read("Could I have a place on the one after the logistics one?")
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_a_session_and_the_one_after_it_books_both() -> None:
    got = read("Please book me on the food webinar and the one after it.")
    assert confident(got, Intent.REGISTER, "food-2025", "textiles-2025")


def test_the_second_one_after_naming_a_series_counts_that_series() -> None:
    got = read("The May evidence skills workshop is no good for me, but I'd really like a place "
               "on the second one.", now=APRIL)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


# What the member takes for granted, or works out, beside or instead of a request.


def test_an_assumption_checked_in_passing_leaves_the_booking_standing() -> None:
    got = read("Please book me onto both evidence skills workshops. I presume the two cover "
               "different ground?")
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025", "evidence-skills-oct-2025")
    assert got.question


def test_working_out_whether_to_nominate_is_no_nomination() -> None:
    got = read("Are there many places left on the furniture webinar? I'm working out whether "
               "to nominate two more of my team.")
    assert got.intent is Intent.QUESTION


def test_a_cancellation_pointing_back_takes_the_session_before_it() -> None:
    got = read("I'd meant to join the construction webinar on the 29th, but our audit has moved "
               "onto that day. So please release my place on that one. I'm still keen on the "
               "textiles and furniture ones, so leave those.")
    assert confident(got, Intent.CANCEL, "construction-2025")


# Mail that asks no change of place.


def test_an_empty_calendar_acceptance_in_a_confirmed_thread_is_an_acknowledgement() -> None:
    context = ThreadContext("confirmed", ("food-2025",), "jo.bloggs@camden-council.example")
    got = understand(mail("", subject="Accepted: Your place: Food"), EVENTS, JULY, context)
    assert got.intent is Intent.ACKNOWLEDGEMENT


def test_leaving_a_mailing_list_cancels_no_place() -> None:
    got = read("Please remove me from your mailing list - I've moved to a finance role.")
    assert got.intent is Intent.UNKNOWN


def test_a_newsletter_sent_to_subscribers_asks_nothing() -> None:
    newsletter = replace(
        mail("MONTHLY DIGEST\n- Textiles: new uniform pledge\nRegister for our own summit at "
             "digest.example/summit\nUnsubscribe: https://digest.example/u/1",
             subject="This month: textiles and more"),
        sender="news@digest.example",
        headers=(("list-unsubscribe", "<https://digest.example/u/1>"), ("precedence", "bulk")),
    )
    got = understand(newsletter, EVENTS, JULY)
    assert got.intent is Intent.UNKNOWN


def test_a_post_through_a_discussion_list_is_still_read() -> None:
    post = replace(
        mail("Please book me on the textiles webinar."),
        headers=(("list-unsubscribe", "<https://lists.example/u>"), ("precedence", "list"),
                 ("list-post", "<mailto:network@lists.example>")),
    )
    got = understand(post, EVENTS, JULY)
    assert got.intent is Intent.REGISTER


def test_a_forward_meant_for_a_colleague_offering_documents_asks_nothing() -> None:
    got = read(
        "Sam - see below, can you deal with this before Friday's panel?\n\nJo\n\n"
        "From: Fresh Fish Ltd <bids@freshfish.example>\nSent: 1 July 2025 10:00\n"
        "To: Jo Bloggs\nSubject: Seafood lot\n\nDear Jo,\n\nWe confirm our supply chain. We can "
        "provide certificates on request.\n\nRegards,\nBid Team",
        subject="FW: Seafood lot", now=JULY,
    )
    assert got.intent is Intent.UNKNOWN


def test_have_they_gone_out_after_naming_the_slides_is_a_question() -> None:
    got = read("I attended the logistics webinar but haven't had the slides. Have they gone out "
               "yet?", now=APRIL)
    assert got.intent is Intent.QUESTION
