"""Where fresh set 7 showed the desk changing seats a careful coordinator would ask about first
(issue 9, round 7): each class a behaviour, in wording of its own."""

from __future__ import annotations

from dataclasses import replace

from test_understanding_classes import EVENTS, confident, mail, read

from mailflow.model import Intent, ThreadContext
from mailflow.understanding import understand

from series import DEFAULT_NOW


def offered(*event_ids: str) -> ThreadContext:
    return ThreadContext("offered", event_ids, "jo.bloggs@camden-council.example")


# A machine's reply in a thread: its words were written for every sender.

def test_an_auto_submitted_reply_to_an_offer_changes_no_seat() -> None:
    away = replace(
        mail("I am away until 3 October. Yes, I will see your message when I am back.",
             subject="Re: Place available: Furniture"),
        headers=(("auto-submitted", "auto-replied"),),
    )
    got = understand(away, EVENTS, DEFAULT_NOW, offered("furniture-2025"))
    assert got.intent is Intent.UNKNOWN and not got.people


def test_an_automatic_reply_subject_mentioning_cancelling_changes_no_seat() -> None:
    got = read("Thanks for your mail. To cancel or move a meeting with me please ask my "
               "assistant.", subject="Automatic reply: Your place on the furniture webinar",
               context=ThreadContext("confirmed", ("furniture-2025",), "x@y.example"))
    assert got.intent is Intent.UNKNOWN


def test_a_member_saying_they_are_away_while_cancelling_is_still_read() -> None:
    got = read("I'm on leave until June so please cancel my place on the furniture webinar.")
    assert confident(got, Intent.CANCEL, "furniture-2025")


# Who: a person named by first name and team, a team with no list, names promised later.

def test_a_colleague_named_with_their_team_but_no_address_is_asked_about() -> None:
    got = read("Please book me on the furniture webinar. Priya from our Facilities team would "
               "like to come too, could you add her?")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_colleague_named_from_a_department_in_a_list_is_asked_about() -> None:
    got = read("Please register these for the construction webinar:\n"
               "sam.reid@camden-council.example\nTom from Highways\n\nJo")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_number_from_my_team_with_every_address_is_booked() -> None:
    got = read("Two from my team for the furniture webinar please.\n\n"
               "sam.reid@camden-council.example\namir.khan@camden-council.example\n\nJo")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_a_whole_named_team_without_a_list_is_asked_about() -> None:
    got = read("Could you book the whole of the street lighting maintenance team onto the "
               "construction webinar?")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_me_plus_others_whose_names_are_to_follow_is_asked_about() -> None:
    got = read("pls book me + 3 from my team on the furniture one, will send names")
    assert got.intent is Intent.REGISTER and got.is_unclear


# Firmness: a hedge on a colleague, a refused waiting list, a condition on a yes.

def test_probably_a_colleague_too_whose_name_is_to_come_is_asked_about() -> None:
    got = read("can i book on the furniture webinar. prob my colleague too but ill confirm who")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_dont_bother_with_the_waiting_list_puts_a_condition_on_the_booking() -> None:
    got = read("Please book me on the furniture webinar. If it's full, don't bother putting me "
               "on the waiting list.")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_yes_as_long_as_my_manager_approves_is_not_yet_a_yes() -> None:
    got = read("Yes, as long as my director approves it.", subject="Re: Place available",
               context=offered("furniture-2025"))
    assert got.is_unclear


def test_a_yes_taken_back_with_actually_no_is_a_no() -> None:
    got = read("Yes - actually no, sorry, I have a board meeting that morning.",
               subject="Re: Place available", context=offered("furniture-2025"))
    assert confident(got, Intent.DECLINE_OFFER, "furniture-2025")


def test_a_no_that_hangs_on_unless_it_is_recorded_is_asked_about() -> None:
    got = read("Yes - actually no, I'm away that day. Unless it's recorded? In which case I'd "
               "take it.", subject="Re: Place available", context=offered("furniture-2025"))
    assert got.intent is Intent.DECLINE_OFFER and got.is_unclear


# Which session: a number and a name that point at different sessions.

def test_a_session_number_and_a_name_that_disagree_are_asked_about() -> None:
    got = read("Please register me for webinar 1, the furniture one.")
    assert got.intent is Intent.REGISTER and got.is_unclear


# Whose place: a manager passing one of their staff's places to another.

def test_a_manager_giving_a_staff_members_place_to_another_is_a_substitution() -> None:
    got = read("Sam Reid (sam.reid@camden-council.example) can no longer attend the furniture "
               "webinar; please give his place to Amir Khan (amir.khan@camden-council.example).")
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025")
    assert got.substitute is not None and got.substitute.email == "amir.khan@camden-council.example"


def test_a_wait_listed_member_handing_their_turn_to_a_colleague_is_asked_about() -> None:
    got = read("I'm away that day now, so if a place comes up could it go to my colleague Amir "
               "Khan (amir.khan@camden-council.example) instead of me?",
               subject="RE: Waiting list: Furniture",
               context=ThreadContext("waitlisted", ("furniture-2025",), "x@y.example"))
    assert got.intent is Intent.SUBSTITUTE and got.is_unclear


def test_a_session_and_the_one_after_it_books_both() -> None:
    got = read("Please book me on the construction webinar and the one after it.")
    assert confident(got, Intent.REGISTER, "construction-2025", "logistics-2025")
