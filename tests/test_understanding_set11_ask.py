"""Where fresh set 11 showed the desk changing a seat a careful coordinator would have asked about
(issue 9, round 12): each class a behaviour, in wording of its own."""

from __future__ import annotations

from test_understanding_classes import SENDER, confident, offered, read

from mailflow.model import Intent


def emails(got: object) -> list[str]:
    return [p.email for p in getattr(got, "people", ())]


# A team's shared mailbox given as the one to book is no person.


def test_a_shared_team_mailbox_given_for_the_places_asks() -> None:
    got = read("Please book our buyers onto the furniture webinar, all of them on "
               "procurement.team@camden-council.example.")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_a_colleague_s_own_address_still_books() -> None:
    got = read("Please book my colleague Sam Reid (sam.reid@camden-council.example) onto the "
               "furniture webinar.")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert "sam.reid@camden-council.example" in emails(got)


# A place asked for while someone's approval is still awaited.


def test_a_booking_still_waiting_on_a_manager_s_approval_asks() -> None:
    got = read("I'd like a place on the food webinar, though I'm still waiting on my manager's "
               "approval - can you hold one for me?")
    assert got.is_unclear


def test_a_booking_pending_sign_off_asks() -> None:
    got = read("Book me onto the textiles webinar please, pending sign-off from my director.")
    assert got.is_unclear


def test_a_booking_the_manager_has_approved_still_books() -> None:
    got = read("My manager has approved it, so please book me onto the food webinar.")
    assert confident(got, Intent.REGISTER, "food-2025")


# "prob", the phone's "probably", hedges what it stands before.


def test_prob_before_a_second_session_asks() -> None:
    got = read("can u book me on food and prob textiles too")
    assert got.is_unclear


def test_no_probs_is_no_hedge() -> None:
    got = read("Please book me on the food webinar, no probs if it's a Teams call.")
    assert confident(got, Intent.REGISTER, "food-2025")


# "If so, book me - if not, no worries": the request is let go should there be no space.


def test_if_not_no_worries_after_asking_for_space_asks() -> None:
    got = read("Are there still places on the textiles webinar? If so please book me - if not, "
               "no worries.")
    assert got.is_unclear


def test_if_not_dont_worry_asks() -> None:
    got = read("Any room left on the food webinar? If so I'd like to come; if not, don't "
               "worry.")
    assert got.is_unclear


def test_asking_for_space_then_if_so_book_me_still_books() -> None:
    got = read("Are there still places on the textiles webinar? If so please book me.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


# A no to an offer that holds only should the coordinator's answer to a condition be no.


def test_a_decline_only_if_a_condition_fails_asks() -> None:
    got = read("I'd love it but I would have to join at 10.15. If that's a problem please pass "
               "it on to someone else.", context=offered())
    assert got.is_unclear


def test_a_cancel_only_if_an_arrangement_is_not_ok_asks() -> None:
    got = read("I'll need to leave the food webinar at 11. If that isn't ok, please cancel my "
               "place.")
    assert got.is_unclear


def test_sorry_if_that_s_a_problem_is_still_a_plain_no() -> None:
    got = read("Sorry if that's a problem, but I can't take it - please give it to someone "
               "else.", context=offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


# An offered place passed to someone the member names.


def test_an_offer_passed_to_a_named_colleague_asks() -> None:
    got = read("I can't make Wednesday, but could you offer it to Priya in my team? She would "
               "get a lot out of it.", context=offered())
    assert got.is_unclear


def test_an_offer_handed_to_a_colleague_asks() -> None:
    got = read("No, I can't do that date. Please pass the place to my deputy.",
               context=offered())
    assert got.is_unclear


def test_an_offer_given_back_to_the_list_is_a_plain_no() -> None:
    got = read("I can't make it - please give it to someone else on the list.",
               context=offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


# A held place switched to a colleague is a substitution.


def test_switch_my_place_to_my_colleague_is_a_substitution() -> None:
    got = read("I can't make the textiles webinar now - could you switch my place to my "
               "colleague Ben Cole (ben.cole@camden-council.example)?")
    assert confident(got, Intent.SUBSTITUTE, "textiles-2025")
    assert got.substitute is not None and got.substitute.email == "ben.cole@camden-council.example"


def test_switch_my_place_to_a_colleague_on_a_personal_address_asks() -> None:
    got = read("I can't make the textiles webinar now - could you switch my place to my "
               "colleague Ben? His work email isnt set up yet, so use ben.cole@gmail.example.")
    assert got.is_unclear


def test_move_my_place_to_another_session_is_no_substitution() -> None:
    got = read("Could you move my place to the October workshop?")
    assert got.intent is not Intent.SUBSTITUTE


# A place asked for "her" or "him" with no address for them.


def test_booking_her_in_with_no_address_asks() -> None:
    got = read("Our head of estates has asked me to get her onto the furniture webinar. Could "
               "you book her in?")
    assert got.intent is Intent.REGISTER and got.is_unclear


def test_booking_her_with_her_address_books_her() -> None:
    got = read("Our head of estates, Ann Lee (ann.lee@camden-council.example), asked me to book "
               "her onto the furniture webinar.")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert emails(got) == ["ann.lee@camden-council.example"]


# "cc me": the sender is the one copied, not the address beside it.


def test_an_address_in_a_sentence_asking_to_cc_me_is_the_one_booked() -> None:
    got = read("Writing for my director, who would like to attend the food webinar. His address "
               "is raj.patel@camden-council.example - please send him the details and cc me.")
    assert confident(got, Intent.REGISTER, "food-2025")
    assert emails(got) == ["raj.patel@camden-council.example"]


def test_a_colleague_copied_for_information_is_still_not_booked() -> None:
    got = read("Please book me on the food webinar. I've cc'd my manager, "
               "sam.reid@camden-council.example, for info.")
    assert confident(got, Intent.REGISTER, "food-2025")
    assert "sam.reid@camden-council.example" not in emails(got)


# A resent request of the sender's own: its attendees are still the request's.


def test_a_resent_own_request_keeps_its_colleagues() -> None:
    got = read(
        "Sending this again as I've had no reply yet.\n\n"
        "---------- Forwarded message ---------\n"
        f"From: Jo Bloggs <{SENDER}>\n"
        "Date: Mon, 2 Jun 2025 at 10:00\n"
        "Subject: Food webinar\n"
        "To: <registrations@lupc.example>\n\n"
        "Please register me and two colleagues for the food webinar:\n\n"
        "- Sam Reid  sam.reid@camden-council.example\n"
        "- Ann Lee  ann.lee@camden-council.example\n\n"
        "Thanks\nJo\n",
        subject="Fwd: Food webinar",
    )
    assert confident(got, Intent.REGISTER, "food-2025")
    assert {"sam.reid@camden-council.example", "ann.lee@camden-council.example"} <= set(
        emails(got)
    )


# A session's number beside a name that disagrees, with a courtesy between.


def test_a_number_please_then_another_session_s_name_asks() -> None:
    got = read("Could I have workshop 6 please - the May one?")
    assert got.is_unclear


def test_a_number_please_then_its_own_name_still_books() -> None:
    got = read("Could I have workshop 6 please - the October one?")
    assert confident(got, Intent.REGISTER, "evidence-skills-oct-2025")
