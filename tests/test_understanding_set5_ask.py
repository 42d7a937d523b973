"""Where fresh set 5 showed the desk acting on mail a careful coordinator would ask about or read
otherwise (issue 9, round 5): each class a behaviour, in wording of its own."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from test_understanding_classes import EVENTS, SENDER, confident, mail, read

from mailflow.model import ForwardedMail, Intent, ThreadContext
from mailflow.understanding import understand

from series import DEFAULT_NOW

FEBRUARY = datetime(2025, 2, 3, 9, 0, tzinfo=UTC)
MAY_DAY = datetime(2025, 5, 1, 9, 0, tzinfo=UTC)
JUNE = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)


def held(*event_ids: str, state: str = "confirmed") -> ThreadContext:
    return ThreadContext(state, event_ids, SENDER)


# Which session: a reference the configuration does not settle is asked about.

def test_a_kind_and_number_that_disagree_with_the_timetable_are_asked_about() -> None:
    # Number 1 is a webinar; the first workshop is another session, and both are to come.
    assert read("Can you put me down for workshop 1?").is_unclear


def test_a_kind_and_number_the_timetable_agrees_with_are_read() -> None:
    got = read("Can you put me down for workshop 3?", now=FEBRUARY)
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_an_ordinal_of_a_topic_counts_that_topics_sessions() -> None:
    got = read("Having done the first one, I'd like to register for the second evidence skills "
               "session too.", now=JUNE)
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")


def test_an_ordinal_past_a_topics_sessions_is_asked_about() -> None:
    assert read("Please book me on the second furniture session.").is_unclear


def test_a_topic_beside_a_month_that_is_not_its_month_is_asked_about() -> None:
    assert read("Please book me on the textiles webinar in October.").is_unclear


def test_a_month_that_narrows_a_topic_is_read() -> None:
    got = read("Please book me on the evidence webinar in May.")
    assert confident(got, Intent.REGISTER, "evidence-skills-may-2025")


def test_the_next_webinar_when_a_workshop_comes_first_is_asked_about() -> None:
    assert read("Could you register me for the next webinar?", now=MAY_DAY).is_unclear


def test_the_next_webinar_when_it_is_the_next_session_is_read() -> None:
    got = read("Could you register me for the next webinar?", now=JUNE)
    assert confident(got, Intent.REGISTER, "food-2025")


def test_everything_after_a_named_session_is_each_later_session() -> None:
    got = read("I'm moving jobs in the summer, so please cancel all my places after the "
               "textiles webinar.", now=JUNE)
    assert confident(got, Intent.CANCEL, "evidence-skills-oct-2025", "furniture-2025")


def test_everything_from_a_named_session_onwards_includes_it() -> None:
    got = read("Please take me off everything from the October workshop onwards.", now=JUNE)
    assert confident(got, Intent.CANCEL, "evidence-skills-oct-2025", "furniture-2025")


def test_from_a_month_onwards_includes_that_months_session() -> None:
    got = read("Please cancel all my bookings from September onwards.", now=JUNE)
    assert confident(got, Intent.CANCEL, "textiles-2025", "evidence-skills-oct-2025",
                     "furniture-2025")


def test_all_sessions_after_something_that_is_no_session_is_not_every_session() -> None:
    got = read("Please cancel me from all sessions after the summer.", now=JUNE)
    assert "food-2025" not in got.event_ids or got.is_unclear


def test_a_month_in_a_sentence_that_only_explains_names_no_booking_to_cancel() -> None:
    got = read("Could you cancel my registration? I retire at the end of September.", now=JUNE)
    assert got.intent is Intent.CANCEL and got.is_unclear


# Whom: every person a booking mentions needs an address, and the requester is who wrote it.

def test_a_booking_for_the_sender_and_a_group_without_a_list_is_asked_about() -> None:
    got = read("Could you register me and my whole department for the logistics webinar?")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_more_of_us_than_the_sender_unnamed_is_asked_about() -> None:
    for text in ("We'd both like to come to the textiles webinar.",
                 "Could you book us onto the logistics webinar please?",
                 "Please cancel both of us from the food webinar, sorry."):
        assert read(text).is_unclear, text


def test_a_colleague_booked_by_the_verb_without_a_name_is_asked_about() -> None:
    assert read("Please register my colleagues and me for the furniture webinar.").is_unclear
    assert read("Could you book my manager and me on textiles?").is_unclear


def test_a_list_of_attendees_with_an_address_missing_is_asked_about() -> None:
    got = read("Please book these three onto the furniture webinar:\n\n"
               "- Sam Reid  sam.reid@camden-council.example\n"
               "- Ann Lee  ann.lee@camden-council.example\n"
               "- Raj Patel (address to follow next week)\n\nThanks")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_name_without_an_address_among_those_with_one_is_asked_about() -> None:
    for text in ("Please book me, Sam Reid (sam.reid@camden-council.example) and Priya onto "
                 "furniture.",
                 "Please book Sam Reid (sam.reid@camden-council.example), Priya Shah and Tom Hill "
                 "onto furniture.",
                 "Please book Sam Reid (sam.reid@camden-council.example) onto furniture. Priya "
                 "Shah would also like to come."):
        assert read(text).is_unclear, text


def test_sessions_named_in_a_list_of_people_are_nobody_missing() -> None:
    got = read("Please book Sam Reid (sam.reid@camden-council.example) onto Furniture and "
               "Textiles.")
    assert confident(got, Intent.REGISTER, "textiles-2025", "furniture-2025")


def test_a_list_naming_the_sender_without_an_address_books_the_sender_too() -> None:
    got = read("Please book us onto the furniture webinar:\n\n- Jo Bloggs\n"
               "- Sam Reid  sam.reid@camden-council.example\n\nThanks")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert [p.email for p in got.people] == [SENDER, "sam.reid@camden-council.example"]


def test_a_colleague_joined_by_name_alone_is_asked_about() -> None:
    got = read("Please put me down for the food webinar, and Priya from our catering team too.")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_could_i_book_for_a_session_includes_the_sender_beside_a_colleague() -> None:
    text = "Could I book for the furniture webinar? Sam Reid (sam.reid@camden-council.example) too."
    got = read(text)
    assert [p.email for p in got.people] == [SENDER, "sam.reid@camden-council.example"]


def test_a_forward_asking_the_sender_to_go_is_no_request_from_its_writer() -> None:
    forward = ForwardedMail("ann.lee@camden-council.example", "Ann Lee", "Furniture webinar",
                            "Sam - this looks relevant to the office move. Could you attend?")
    got = understand(replace(mail("Ann has asked me to attend, so please register me for the "
                                  "furniture webinar.", "FW: Furniture webinar"),
                             forwarded=(forward,)), EVENTS, DEFAULT_NOW)
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert got.people == ()


ANN_CC = (("cc", "Ann Lee <ann.lee@camden-council.example>"),)


def test_a_colleague_copied_to_know_is_not_booked() -> None:
    for text in ("Ann Lee is copied for info. Please book me on the furniture webinar.",
                 "Please book me on furniture. I've copied my manager Ann so she knows.",
                 "My manager Ann (cc'd) has asked me to book myself onto the furniture webinar."):
        got = understand(replace(mail(text), headers=ANN_CC), EVENTS, DEFAULT_NOW)
        assert confident(got, Intent.REGISTER, "furniture-2025"), text
        assert got.people == (), text


def test_a_colleague_copied_and_asked_for_is_booked() -> None:
    text = "Could I book for the furniture webinar, and could my manager Ann come too? She's cc'd."
    got = understand(replace(mail(text), headers=ANN_CC), EVENTS, DEFAULT_NOW)
    assert [p.email for p in got.people] == [SENDER, "ann.lee@camden-council.example"]


def test_mail_a_list_passed_on_books_the_member_in_its_reply_to() -> None:
    headers = (("list-id", "Buyers <buyers.lists.camden-council.example>"),
               ("list-post", "<mailto:buyers@lists.camden-council.example>"),
               ("reply-to", "Jo Bloggs <jo.bloggs@camden-council.example>"))
    got = understand(replace(mail("Please book me on the textiles webinar.",
                                  sender="buyers@lists.camden-council.example"),
                             sender_name="Jo Bloggs via Buyers", headers=headers),
                     EVENTS, DEFAULT_NOW)
    assert confident(got, Intent.REGISTER, "textiles-2025")
    assert [p.email for p in got.people] == [SENDER]


def test_mail_a_list_passed_on_without_the_members_address_is_asked_about() -> None:
    headers = (("list-id", "Buyers <buyers.lists.camden-council.example>"),
               ("list-post", "<mailto:buyers@lists.camden-council.example>"))
    got = understand(replace(mail("Please book me on the textiles webinar.",
                                  sender="buyers@lists.camden-council.example"),
                             headers=headers), EVENTS, DEFAULT_NOW)
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_member_with_a_reply_to_elsewhere_is_still_the_sender() -> None:
    headers = (("list-id", "Buyers <buyers.lists.camden-council.example>"),
               ("reply-to", "Buyers <buyers@lists.camden-council.example>"))
    got = understand(replace(mail("Please book me on the textiles webinar."), headers=headers),
                     EVENTS, DEFAULT_NOW)
    assert got.people == ()


# What: a change that hangs on something, or comes with a second change, is asked about.

def test_a_cancellation_that_hangs_on_a_recording_is_asked_about() -> None:
    got = read("I'm down for the furniture webinar but have a board meeting now. If the slides "
               "are going to be shared afterwards, please cancel my place.")
    assert got.intent is Intent.CANCEL and got.is_unclear


def test_a_change_that_waits_on_the_answer_to_a_question_is_asked_about() -> None:
    got = read("Is the furniture webinar being recorded? If so I'll cancel my place and watch "
               "later.")
    assert got.intent is Intent.CANCEL and got.is_unclear


def test_if_so_after_asking_whether_there_is_space_is_a_booking() -> None:
    got = read("Is there still space on the furniture webinar? If so, please book me.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_not_joining_live_beside_a_question_about_a_recording_cancels_nothing() -> None:
    got = read("Will the furniture webinar be recorded? I'm booked on it but can't join live.")
    assert got.intent is Intent.QUESTION


def test_a_condition_put_on_the_change_after_a_comma_is_asked_about() -> None:
    got = read("Please cancel my furniture place, unless there's a recording, in which case "
               "keep it.")
    assert got.intent is Intent.CANCEL and got.is_unclear


def test_a_cancellation_beside_a_session_the_sender_will_come_to_is_asked_about() -> None:
    assert read("Please cancel my food place; I'll come to furniture instead.").is_unclear


def test_a_change_with_its_other_outcome_after_it_is_asked_about() -> None:
    got = read("Could you cancel my furniture place if nobody on the waiting list wants it? "
               "Otherwise I'll come.", context=held("furniture-2025"))
    assert got.intent is Intent.CANCEL and got.is_unclear


def test_the_waiting_list_as_the_other_outcome_is_no_condition() -> None:
    got = read("Please book me on the furniture webinar. If not possible, please put me on the "
               "waiting list.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_a_colleague_who_may_take_the_place_is_not_cancelled_unasked() -> None:
    got = read("Please cancel my furniture place; Sam Reid (sam.reid@camden-council.example) may "
               "want it, I'll ask him.", context=held("furniture-2025"))
    assert got.intent is Intent.CANCEL and got.is_unclear


def test_a_change_unless_something_happens_is_asked_about() -> None:
    got = read("Book me on the furniture webinar unless my board meeting moves to that day.")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_unless_it_is_full_leaves_the_booking_to_the_waiting_list() -> None:
    got = read("Please book me on the furniture webinar unless it's already full.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_a_condition_after_a_break_is_no_condition_on_the_change() -> None:
    got = read("Please book me on the furniture webinar - happy to pay if there's a fee.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_a_substitution_beside_a_session_the_sender_will_attend_is_asked_about() -> None:
    got = read("Could Sam Reid (sam.reid@camden-council.example) have my place on the textiles "
               "webinar? I'll join the furniture one in its place.")
    assert got.intent is Intent.SUBSTITUTE and got.is_unclear


def test_a_substitution_beside_a_place_asked_for_the_sender_is_asked_about() -> None:
    for text in ("Could Sam Reid (sam.reid@camden-council.example) take my place on textiles? "
                 "And could you move me to the furniture one?",
                 "I can't make textiles so Sam Reid (sam.reid@camden-council.example) will go in "
                 "my place, and can I have a place on furniture?"):
        assert read(text).is_unclear, text


def test_a_booking_for_the_substitute_is_the_substitution_itself() -> None:
    got = read("Sam Reid (sam.reid@camden-council.example) will go to textiles in my place. "
               "Could you book him in?")
    assert confident(got, Intent.SUBSTITUTE, "textiles-2025")


def test_a_session_the_sender_still_attends_is_no_second_change() -> None:
    got = read("Please cancel my place on the textiles webinar. I'll still be at the furniture "
               "one.")
    assert confident(got, Intent.CANCEL, "textiles-2025")


def test_cancelling_a_colleague_while_the_sender_stays_cancels_only_the_colleague() -> None:
    got = read("Sam and I are both down for furniture. I'm still attending, but please cancel "
               "Sam Reid (sam.reid@camden-council.example).", context=held("furniture-2025"))
    assert confident(got, Intent.CANCEL, "furniture-2025")
    assert [p.email for p in got.people] == ["sam.reid@camden-council.example"]


def test_saying_both_were_booked_before_cancelling_a_colleague_keeps_the_sender() -> None:
    got = read("Sam and I were both booked on furniture. Please cancel Sam Reid's place "
               "(sam.reid@camden-council.example), he has left.", context=held("furniture-2025"))
    assert confident(got, Intent.CANCEL, "furniture-2025")
    assert [p.email for p in got.people] == ["sam.reid@camden-council.example"]


def test_cancelling_our_places_without_naming_whose_is_asked_about() -> None:
    got = read("Our team can't make the furniture webinar, please cancel our places.")
    assert got.intent is Intent.CANCEL and got.is_unclear


def test_a_group_of_others_who_cannot_join_asks_no_cancellation() -> None:
    got = read("Will the furniture webinar be recorded? I'm booked on it, but some of our estates "
               "team can't join live.")
    assert got.intent is Intent.QUESTION


# Offers: the answer is read from the yes on, and a supposition is no answer.

def test_a_yes_that_brings_a_colleague_along_is_asked_about() -> None:
    got = read("Yes - but can I bring my colleague too?",
               context=held("furniture-2025", state="offered"))
    assert got.is_unclear


def test_words_before_the_yes_take_nothing_back() -> None:
    got = read("Sorry, only just seen this. Yes please, I'll take it. I'm afraid I can't make "
               "the earlier one though.", context=held("furniture-2025", state="offered"))
    assert got.intent is Intent.ACCEPT_OFFER


def test_supposing_the_place_has_gone_to_someone_else_is_no_decline() -> None:
    got = read("If the place is still free I'd love to take it! I'd understand if it has gone to "
               "someone else.", context=held("furniture-2025", state="offered"))
    assert confident(got, Intent.ACCEPT_OFFER, "furniture-2025")


def test_a_no_that_follows_the_yes_still_withdraws_it() -> None:
    got = read("Yes! Oh wait, I have just checked and I am away that week, so it is a no.",
               context=held("furniture-2025", state="offered"))
    assert got.intent is Intent.DECLINE_OFFER


def test_an_offered_place_handed_to_a_colleague_with_an_address_is_asked_about() -> None:
    # The offer is the next person's on the waiting list; passing it on skips the others.
    got = read("I can't make it after all, but my colleague Dana Ross (dana.ross@camden-council"
               ".example) could have the place instead of me?",
               context=held("furniture-2025", state="offered"))
    assert got.intent is Intent.SUBSTITUTE and got.is_unclear


def test_a_confirmed_place_handed_to_a_colleague_with_an_address_is_read() -> None:
    got = read("I can't make it after all; my colleague Dana Ross (dana.ross@camden-council"
               ".example) will take my place instead.", context=held("furniture-2025"))
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025")
