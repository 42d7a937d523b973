"""Where fresh set 16 showed the desk sending a clear answer in its own thread to the
coordinator (issue 9, round 17): what the desk itself wrote, quoted back, is no member's word.
Each reading a behaviour, beside a control that still asks."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import EVENTS, confident, mail, offered

from mailflow.model import Intent, Request, ThreadContext
from mailflow.understanding import understand

JUNE = datetime(2025, 6, 16, 9, 0, tzinfo=UTC)
# Our offer's subject, quoted back: the hold ends on Wed 18 Jun, the session is on 25 June.
OFFER_SUBJECT = (
    "Re: Place available: Food (including frozen imported seafood) - please reply by Wed 18 Jun"
)


# 1. The subject of a reply in a thread the desk started is our own subject: the hold's
# reply-by date in it is no session date the member gave.

def test_yes_under_our_offer_subject_with_its_reply_by_date_accepts() -> None:
    got = understand(mail("Yes please! Thank you", OFFER_SUBJECT), EVENTS, JUNE, offered())
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_no_under_our_offer_subject_with_its_reply_by_date_declines() -> None:
    got = understand(mail("No thanks, offer it to the next person.", OFFER_SUBJECT),
                     EVENTS, JUNE, offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_the_same_subject_on_a_new_mail_is_the_members_and_its_date_still_asks() -> None:
    got = understand(mail("Please book me on this.", "Food webinar - Wed 18 Jun"), EVENTS, JUNE)
    assert got.is_unclear


def test_a_wrong_date_in_the_members_own_words_in_the_thread_still_asks() -> None:
    got = understand(mail("Yes please, I'll take the place on Wed 18 Jun.", OFFER_SUBJECT),
                     EVENTS, JUNE, offered())
    assert got.is_unclear


# 2. "Yes please. I'm also on the October list - you can take me off that now": the desk told
# to make a second change beside the yes, two changes in one mail: the desk asks.

def test_yes_and_you_can_take_me_off_another_list_asks() -> None:
    got = understand(mail("Yes please.\n\nI'm also on the waiting list for the October one - "
                          "you can take me off that now so someone else gets a go.",
                          "Re: Place available: Evidence skills training workshop (May)"),
                     EVENTS, datetime(2025, 5, 22, 9, 0, tzinfo=UTC),
                     offered("evidence-skills-may-2025"))
    assert got.is_unclear


def test_yes_alone_under_the_same_subject_accepts() -> None:
    got = understand(mail("Yes please.", "Re: Place available: Evidence skills training "
                          "workshop (May) - please reply by Sat 24 May"),
                     EVENTS, datetime(2025, 5, 22, 9, 0, tzinfo=UTC),
                     offered("evidence-skills-may-2025"))
    assert confident(got, Intent.ACCEPT_OFFER, "evidence-skills-may-2025")


# 3. A shared mailbox answering our offer to a colleague, for them by name ("Claire has asked
# me to reply - yes"): the place is the one we offered her, not an unnamed attendee's.

CLAIRE = "claire.dunmore@westbury.ac.example"
OCTOBER = datetime(2025, 10, 20, 10, 0, tzinfo=UTC)


def test_shared_mailbox_answering_for_the_one_we_offered_accepts_for_them() -> None:
    got = understand(mail("Claire has asked me to reply - yes, she would like the place please.",
                          "RE: Place available: Evidence skills training workshop (October)",
                          sender="procurement-office@westbury.ac.example"),
                     EVENTS, OCTOBER, offered("evidence-skills-oct-2025", CLAIRE))
    assert confident(got, Intent.ACCEPT_OFFER, "evidence-skills-oct-2025")
    assert [p.email for p in got.people] == [CLAIRE]


def test_shared_mailbox_saying_yes_without_saying_for_whom_still_asks() -> None:
    got = understand(mail("Yes please.",
                          "RE: Place available: Evidence skills training workshop (October)",
                          sender="procurement-office@westbury.ac.example"),
                     EVENTS, OCTOBER, offered("evidence-skills-oct-2025", CLAIRE))
    assert got.is_unclear


# 4. "I'd still very much like the place": a yes, in the words of a wish for the place itself.

def test_still_very_much_like_the_place_accepts() -> None:
    got = understand(mail("Apologies for the slow reply, I was on leave. I'd still very much "
                          "like the place if nobody else has taken it.", OFFER_SUBJECT),
                     EVENTS, JUNE, offered())
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_like_the_place_but_an_obstacle_still_asks() -> None:
    got = understand(mail("I'd really like the place but I'm on leave that week.",
                          OFFER_SUBJECT), EVENTS, JUNE, offered())
    assert not confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_like_the_place_if_my_manager_agrees_still_asks() -> None:
    got = understand(mail("I'd still like the place if my manager agrees to it.",
                          OFFER_SUBJECT), EVENTS, JUNE, offered())
    assert got.is_unclear


# 5. "James has left Camden, so please cancel his place" in reply to our confirmation listing
# "James Lyle (james.lyle@...)": the one person our quoted mail lists by that first name.

TOM = "t.okafor@camden-council.example"
JAMES = "james.lyle@camden-council.example"
CONFIRMED_OCT = ThreadContext("confirmed", ("evidence-skills-oct-2025",), TOM)
QUOTED_CONFIRMATION = (
    "\n\nFrom: Knowledge Building Series <registrations@lupc.example>\n"
    "Sent: Tuesday, September 30, 2025 10:00 AM\n"
    f"To: Tom Okafor <{TOM}>\nSubject: Confirmed: Evidence skills training workshop (October)\n\n"
    f"Dear Tom,\n\nPlaces are confirmed for you and for James Lyle ({JAMES}):\n\n"
    "Evidence skills training workshop (October)\nWednesday 29 October 2025, 10:00-11:30\n"
)


def _reply(text: str) -> Request:
    return understand(mail(text + QUOTED_CONFIRMATION, "RE: Confirmed: Evidence skills "
                           "training workshop (October)", sender=TOM),
                      EVENTS, OCTOBER, CONFIRMED_OCT)


def test_cancel_his_place_names_the_colleague_our_confirmation_lists() -> None:
    got = _reply("James has left Camden, so please cancel his place. I'm still coming.")
    assert confident(got, Intent.CANCEL, "evidence-skills-oct-2025")
    assert [p.email for p in got.people] == [JAMES]


def test_cancel_his_place_for_someone_our_confirmation_does_not_list_still_asks() -> None:
    got = _reply("Dean has left Camden, so please cancel his place.")
    assert got.is_unclear


# 6. "Hypothetically, if I book May and can't make it, could I transfer to October? Not asking
# you to change anything yet": the mail says itself it asks no change: a question.

def test_hypothetical_transfer_saying_no_change_yet_is_a_question() -> None:
    got = understand(mail("Hypothetically, if I book the May evidence workshop and then can't "
                          "make it, could I transfer to the October one rather than lose out? "
                          "Not asking you to change anything yet, just planning.",
                          "evidence workshops - transfer?"), EVENTS, datetime(2025, 3, 3, 9,
                          tzinfo=UTC))
    assert got.intent is Intent.QUESTION and got.is_unclear


def test_a_plain_transfer_request_is_not_taken_for_a_question() -> None:
    got = understand(mail("I can't make the May evidence workshop, could you transfer me to the "
                          "October one please?", "evidence workshops - transfer"), EVENTS,
                     datetime(2025, 3, 3, 9, tzinfo=UTC))
    assert got.intent is not Intent.QUESTION


# 7. Our own mail quoted back with no marker the cleaner knows ("Jo\n\nDear Jo,\n\nA place has
# come up ... held for you until ..."): the member's words end where our salutation opens it;
# its "Reply YES ... or NO", its hold date and its header lines are none of theirs.

OUR_OFFER = (
    "Dear Jo,\n\nA place has come up on Food (including frozen imported seafood) on 25 June "
    "2025. It is held for you until Wednesday 18 June 2025 09:00.\nReply YES to take it, or NO "
    "if you no longer want it.\n\nSuzanne Picken\nKnowledge Building Series registrations"
)


def test_yes_above_our_unmarked_quoted_offer_accepts() -> None:
    got = understand(mail("Yes please, I'll take it.\n\nJo\n\n" + OUR_OFFER,
                          "Re: Place available"), EVENTS, JUNE, offered())
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_no_above_our_quoted_offer_under_bare_header_lines_declines() -> None:
    got = understand(mail("Sorry, I can't make it after all.\n\nJo\n\nFrom: Knowledge Building "
                          "Series\nSent: 16 June 2025 09:00\n" + OUR_OFFER,
                          "Re: Place available"), EVENTS, JUNE, offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_a_salutation_in_a_new_mail_is_not_taken_for_a_quote() -> None:
    got = understand(mail("Please book me on the food webinar.\n\nDear Jo, the 18 June one.",
                          "Booking"), EVENTS, JUNE)
    assert got.is_unclear


def test_wont_need_the_place_above_our_quoted_offer_declines() -> None:
    # (Its no was once read from our own quoted "Reply YES ..., or NO"; now from the member's.)
    got = understand(mail("Sorry for the slow reply - I won't need the place after all.\n\n"
                          "Jo\n\n" + OUR_OFFER, "Re: Place available"), EVENTS, JUNE, offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")
