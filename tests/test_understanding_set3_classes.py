"""The classes of reading fresh set 3 showed (issue 9, round 3), each in a wording of its own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_understanding_classes import EVENTS, SENDER, confident, mail, read

from mailflow.model import InboundMail, Intent, ThreadContext
from mailflow.understanding import understand
from mailflow.understanding.clauses import sentences

COLLEAGUE = "someone.else@camden-council.example"
APRIL = datetime(2025, 4, 20, 9, 0, tzinfo=UTC)


def offered(*event_ids: str, recipient: str = SENDER) -> ThreadContext:
    return ThreadContext("offered", event_ids, recipient)


# Seat changes fresh3 made wrongly.

@pytest.mark.parametrize("text", [
    "Please sign me up for the March webinar and the one after the summer holidays.",
    "Could I have a place on the autumn one?",
])
def test_a_season_naming_several_sessions_is_asked_about(text: str) -> None:
    assert read(text, "Booking").is_unclear


def test_a_season_beside_a_session_it_contains_narrows_nothing_away() -> None:
    got = read("Could I book the 2nd evidence workshop please (the autumn one)?", "Workshop")
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_an_ordinal_beside_another_sessions_topic_is_asked_about() -> None:
    assert read("Please register me for webinar 1 on food.", "Booking").is_unclear
    got = read("Please register me for webinar 5 on textiles.", "Booking")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_a_session_already_held_beside_upcoming_ones_is_context() -> None:
    got = read("The logistics webinar was excellent, so please register me for all the "
               "remaining sessions.", "Rest of the series", now=APRIL)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025", "food-2025",
                     "textiles-2025", "evidence-skills-oct-2025", "furniture-2025")


def test_a_booking_in_a_waiting_list_thread_leaves_the_waited_for_session_alone() -> None:
    waiting = ThreadContext("waitlisted", ("food-2025",), SENDER)
    got = read("Thanks, hoping a food place comes up. Meanwhile could you also put me down for "
               "the textiles webinar?", "Re: Waiting list: Food", waiting)
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_a_cancel_that_says_another_place_still_stands_cancels_only_the_one_named() -> None:
    held = ThreadContext("confirmed", ("logistics-2025", "food-2025"), SENDER)
    got = read("I'm still happy with logistics, but please cancel my place on the food "
               "webinar.", "Re: Booking confirmed", held)
    assert confident(got, Intent.CANCEL, "food-2025")


@pytest.mark.parametrize("text", [
    "Yes - as long as it's fine for me to leave at 11?",
    "Yes if it's recorded.",
])
def test_a_yes_with_a_condition_the_desk_must_answer_is_asked_about(text: str) -> None:
    got = read(text, "Re: A place has come up", offered("food-2025"))
    assert got.intent is Intent.ACCEPT_OFFER and got.is_unclear


def test_a_yes_with_a_condition_that_only_informs_is_an_acceptance() -> None:
    got = read("Yes, if it's online - I can't travel that week.", "Re: A place has come up",
               offered("food-2025"))
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_a_yes_and_a_no_if_the_condition_fails_is_asked_about() -> None:
    got = read("Yes please. If that's a problem then let it go to someone who can stay.",
               "Re: A place has come up", offered("food-2025"))
    assert got.is_unclear


# Genuine requests fresh3 sent to the coordinator.

def test_not_being_able_to_come_to_one_session_is_the_reason_for_booking_another() -> None:
    got = read("Could I book the textiles webinar? I can't do the food one in June.", "Textiles")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_not_coming_yourself_while_booking_colleagues_is_no_cancellation() -> None:
    got = read("I can't make the furniture webinar myself but could you please register "
               "Sam Hale (sam.hale@camden-council.example)?", "Furniture")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert [p.email for p in got.people] == ["sam.hale@camden-council.example"]


@pytest.mark.parametrize("text", [
    "I can't make logistics but could you book me on food?",
    "I can't make logistics any more, could you book me on food instead?",
])
def test_an_inability_naming_another_session_or_a_held_place_is_asked_about(text: str) -> None:
    assert read(text, "Sessions").is_unclear


def test_others_who_cannot_come_give_up_no_place() -> None:
    got = read("Are the webinars recorded? Some of my team can't make Wednesdays.", "Recording")
    assert got.intent is Intent.QUESTION


def test_asking_whether_one_may_register_is_a_booking() -> None:
    got = read("Is it possible for me to register for the food webinar?", "Food")
    assert confident(got, Intent.REGISTER, "food-2025")


def test_asking_to_send_the_substitute_the_details_is_answered_by_the_confirmation() -> None:
    got = read("I can't make the food webinar; my colleague Ravi Shah "
               "(ravi.shah@camden-council.example) will go in my place. Could you send him "
               "the details?", "Food")
    assert confident(got, Intent.SUBSTITUTE, "food-2025")


def test_a_question_about_the_sessions_time_is_a_side_question() -> None:
    got = read("Please register me for the textiles webinar. Is it still 10-11.30?", "Textiles")
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert got.question


def test_asking_to_update_the_booking_asks_the_change_again() -> None:
    got = read("Sam Hale (sam.hale@camden-council.example) is booked on the textiles webinar "
               "but is away. Ravi Shah (ravi.shah@camden-council.example) will attend in his "
               "place. Could you update the booking please?", "Textiles")
    assert confident(got, Intent.SUBSTITUTE, "textiles-2025")


@pytest.mark.parametrize("text", [
    "Unfortunately no, I'm away that week.",
    "Not for me this time, thanks - I hope someone else can use it.",
])
def test_a_polite_no_declines_the_offer(text: str) -> None:
    got = read(text, "Re: A place has come up", offered("food-2025"))
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_a_no_said_of_the_person_offered_declines_for_them() -> None:
    got = read("She's on leave that week so won't be able to take this place - please pass "
               "it on.", "Re: A place has come up", offered("food-2025", recipient=COLLEAGUE))
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")
    assert [p.email for p in got.people] == [COLLEAGUE]


def test_a_resent_request_of_the_senders_own_is_theirs() -> None:
    got = read("Resending as I haven't heard back.\n\n-----Original Message-----\nFrom: Jo "
               "Bloggs\nSent: 03 March 2025 10:00\nTo: registrations@lupc.example\nSubject: "
               "Food webinar\n\nPlease book me on the food webinar.\n", "FW: Food webinar")
    assert confident(got, Intent.REGISTER, "food-2025")
    assert got.people == ()


def test_taking_over_a_colleagues_place_in_their_thread_substitutes_the_sender() -> None:
    held = ThreadContext("confirmed", ("textiles-2025",), COLLEAGUE)
    got = read("Sam is away that week, so I'll attend in his place.", "Re: Booking confirmed",
               held)
    assert confident(got, Intent.SUBSTITUTE, "textiles-2025")
    assert [p.email for p in got.people] == [COLLEAGUE]
    assert got.substitute is not None and got.substitute.email == SENDER


def test_a_colleague_who_only_suggested_it_is_nobody_to_book() -> None:
    got = read("My colleague Priya recommended this - please book me on the food webinar.",
               "Food")
    assert confident(got, Intent.REGISTER, "food-2025")


def test_passing_someones_place_on_by_name_is_a_substitution() -> None:
    got = read("Sam Hale can no longer attend the food webinar. Please could her place go to "
               "Ravi Shah (ravi.shah@camden-council.example) instead?", "Food")
    # Sam's address is not in the mail: whose place goes is the coordinator's to check.
    assert got.intent is Intent.SUBSTITUTE and got.is_unclear


# Other misses.

def test_an_invoice_query_sent_to_the_desk_by_mistake_asks_it_nothing() -> None:
    got = read("Please find attached the remittance for invoice 4411. Could you confirm "
               "receipt?", "Invoice 4411")
    assert got.intent is Intent.UNKNOWN


def test_a_question_referring_back_to_the_joining_link_is_the_desks() -> None:
    got = read("I haven't received the joining link for the food webinar yet. Could you "
               "resend it?", "Joining link")
    assert got.intent is Intent.QUESTION


def test_an_example_given_with_eg_does_not_end_the_sentence() -> None:
    assert sentences("Could associates attend, e.g. if places are left over?") == [
        "Could associates attend, e.g. if places are left over?"
    ]


def test_a_bounce_with_the_returned_request_attached_is_not_read() -> None:
    bounce = InboundMail(
        message_id="<b1@mx.example>", sender="MAILER-DAEMON@mx.example", sender_name="",
        subject="Undelivered Mail Returned to Sender", date=APRIL, in_reply_to="",
        references=(), text="I'm sorry to have to inform you that your message could not be "
        "delivered.\n\nPlease book me on the food webinar.",
    )
    got = understand(bounce, EVENTS, APRIL)
    assert got.intent is Intent.UNKNOWN and got.confidence == 0.0


def test_a_booking_with_a_colleague_who_would_also_like_to_attend_books_both() -> None:
    sender = "sam.hale@member.example"
    got = understand(
        mail("I'd like to register for the food webinar. My colleague Jo Bloggs "
             "(jo@member.example) would also like to attend.\n\nThanks\nSam", "Food webinar",
             sender),
        EVENTS, datetime(2025, 1, 6, 9, 0, tzinfo=UTC),
    )
    assert confident(got, Intent.REGISTER, "food-2025")
    assert [p.email for p in got.people] == [sender, "jo@member.example"]


def test_swap_one_colleague_for_another_names_who_gives_the_place_up() -> None:
    got = read("Please swap Sam for Ravi on the food webinar.\nsam.hale@camden-council.example "
               "-> ravi.shah@camden-council.example", "Food swap")
    assert confident(got, Intent.SUBSTITUTE, "food-2025")
    assert [p.email for p in got.people] == ["sam.hale@camden-council.example"]
    assert got.substitute is not None and got.substitute.email == "ravi.shah@camden-council.example"


def test_the_colleague_put_in_someones_place_takes_it() -> None:
    got = read("Sam (sam.hale@camden-council.example) is on leave, so please put Ravi Shah "
               "(ravi.shah@camden-council.example) in his place for the textiles webinar.",
               "Textiles")
    assert confident(got, Intent.SUBSTITUTE, "textiles-2025")
    assert got.substitute is not None and got.substitute.email == "ravi.shah@camden-council.example"


def test_a_wish_that_someone_from_the_team_attends_the_series_does_not_pass_the_offer_on() -> None:
    got = read("Sorry for the slow reply. My director is keen for someone from our estates team "
               "to attend the series.\n\nSo yes, I'd love to take the place.",
               "Re: A place has come up", offered("food-2025"))
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")
    asked = read("Could someone from my team have it instead?", "Re: A place has come up",
                 offered("food-2025"))
    assert asked.is_unclear


def test_a_signature_with_pronouns_and_a_working_days_note_is_not_the_members_words() -> None:
    held = ThreadContext("confirmed", ("furniture-2025",), SENDER)
    got = read("Lovely, looking forward to it.\n\nJo Bloggs (she/her)\nProcurement Officer | "
               "Camden\nPlease note my working days are Tuesday-Friday.", "Re: Confirmed", held)
    assert got.intent is Intent.ACKNOWLEDGEMENT


def test_a_sales_approach_is_no_question_for_the_desk() -> None:
    got = read("We supply audited uniforms. Could we have 15 minutes to present to your "
               "members, or sponsor the textiles session?", "Partnership")
    assert got.intent is Intent.UNKNOWN


def test_an_invoice_query_naming_a_topic_word_is_still_the_accounts_desks() -> None:
    got = read("Attached the invoice from our catering contractor - can you check the credit "
               "note was applied?", "Invoice")
    assert got.intent is Intent.UNKNOWN


def test_asking_how_a_non_member_would_book_is_the_desks_question() -> None:
    got = read("We're not members. Is the series open to non-member councils, and if so how "
               "would we book?", "Non-members")
    assert got.intent is Intent.QUESTION


def test_this_one_above_a_forwarded_announcement_books_the_session_it_forwards() -> None:
    forward = ("Please book me on this one.\n\n---------- Forwarded message ---------\nFrom: LUPC "
               "News <news@lupc.example>\nDate: 20 December 2024\nSubject: LUPC News\nTo: Jo "
               "Bloggs <jo.bloggs@camden-council.example>\n\nWebinar 4: Food 25 June 2025 - "
               "10.00-11.30\n\nRegister here by 18 June 2025.\n")
    assert confident(read(forward, "Fwd: LUPC News"), Intent.REGISTER, "food-2025")
    several = forward.replace("Webinar 4: Food 25 June 2025", "Webinar 4: Food 25 June 2025\n"
                              "Webinar 5: Textiles 24 September 2025")
    assert read(several, "Fwd: LUPC News").is_unclear


def test_a_booking_already_sent_is_reported_not_made_again() -> None:
    got = read("I sent a booking for the logistics webinar last month but have no "
               "confirmation. Could you check whether I'm registered?", "Am I registered?")
    assert got.intent is Intent.QUESTION


def test_someone_who_may_take_the_place_later_changes_nothing_now() -> None:
    got = read("I'm down for logistics, food and the October evidence workshop - please cancel "
               "all three. Someone from the team may book in my place later.", "Cancelling",
               now=datetime(2025, 3, 1, 9, 0, tzinfo=UTC))
    assert confident(got, Intent.CANCEL, "logistics-2025", "food-2025",
                     "evidence-skills-oct-2025")


def test_places_counted_from_the_team_with_a_please_are_a_booking() -> None:
    got = read("Two from my team for the furniture webinar please. I can't make it myself.\n\n"
               "sam.hale@camden-council.example\nravi.shah@camden-council.example", "Furniture")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert len(got.people) == 2
