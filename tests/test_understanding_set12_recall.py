"""Where fresh set 12 showed the desk asking the coordinator about a request a careful
coordinator would have read alone (issue 9, round 13): each class a behaviour, in wording of
its own."""

from __future__ import annotations

from test_understanding_classes import SENDER, confident, offered, read

from mailflow.model import Intent, Request, ThreadContext

AMY = "amy.lee@camden-council.example"
BEN = "ben.cole@camden-council.example"


def _thread(outcome: str, event_id: str) -> ThreadContext:
    return ThreadContext(outcome, (event_id,), SENDER)


def _emails(got: Request) -> set[str]:
    return {p.email for p in got.people}


# Which address writes: a mail that says it comes from the work address is from it.


def test_resending_from_the_work_address_is_not_a_mail_from_another_address() -> None:
    got = read("Sending this again from my work email in case the one from my home address "
               "went astray. Please book me on the textiles webinar.")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_writing_from_a_personal_address_still_asks_which_is_booked() -> None:
    got = read("I'm writing from my personal email as my work laptop has died. Please book me "
               "on the textiles webinar.")
    assert got.is_unclear


# Hedging is about the request: doubt about the reader's memory hedges nothing.


def test_not_sure_you_remember_me_is_no_hedge() -> None:
    got = read("Not sure whether you'll remember me from the spring forum. Could you book me "
               "on the furniture webinar?")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_not_sure_about_coming_still_hedges() -> None:
    got = read("I'm not sure if I can make it yet, but book me on the furniture webinar.")
    assert got.is_unclear


# A move is a verb, within one clause: "a change of job", "can't swap, so ..." move nothing.


def test_a_change_of_job_beside_a_cancellation_is_no_move() -> None:
    got = read("I've had a change of job (moving to the estates team), so please cancel my "
               "place on the food webinar.")
    assert confident(got, Intent.CANCEL, "food-2025")


def test_cannot_swap_so_offer_it_on_declines_the_offer() -> None:
    got = read("Sorry, I'm on call that day and can't swap, so please offer it to the next "
               "person.", context=offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


def test_cancelling_two_named_workshops_is_one_cancellation() -> None:
    got = read("New job, so please take me off both evidence skills workshops, May and "
               "October.")
    assert got.intent is Intent.CANCEL and not got.is_unclear
    assert set(got.event_ids) == {"evidence-skills-may-2025", "evidence-skills-oct-2025"}


# In a thread, "this place" is the thread's session; the reason after a dash names none.


def test_giving_up_this_place_in_reply_to_a_confirmation_cancels_it() -> None:
    got = read("Sorry, I'll have to give up this place - I've been asked to give evidence at "
               "an inquiry that morning.", context=_thread("confirmed", "construction-2025"))
    assert confident(got, Intent.CANCEL, "construction-2025")


# "I no longer need a place": the booking words are the cancellation's.


def test_no_longer_needing_a_place_declines_the_offer() -> None:
    got = read("Thanks, but I no longer need a place: my manager is passing her notes on to "
               "me.", context=offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")


# The writer's own role names nobody else to book.


def test_the_writers_own_role_names_nobody_else() -> None:
    got = read("As our new category lead I'd like to attend the food webinar.")
    assert confident(got, Intent.REGISTER, "food-2025")
    assert _emails(got) <= {SENDER}


def test_a_colleague_by_role_to_come_still_asks_for_an_address() -> None:
    got = read("My manager would like to attend the food webinar too, please book me as well.")
    assert got.is_unclear


# People counted with their view of a past session ask for no places.


def test_people_counted_who_found_a_past_session_useful_ask_no_places() -> None:
    got = read("The two of us found the logistics session really useful. Could you also put "
               "me down for the furniture webinar?", context=_thread("confirmed",
                                                                    "logistics-2025"))
    assert confident(got, Intent.REGISTER, "furniture-2025")


# An apology for a muddle asks nothing: "sorry about the confusion with the cancellations".


def test_an_apology_for_a_mix_up_over_a_cancellation_is_no_cancellation() -> None:
    got = read("Yes please, I'll take it - sorry for the mix-up earlier over the cancellation.",
               context=offered())
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_a_late_cancellation_apologised_for_still_cancels() -> None:
    got = read("Sorry for the late cancellation, but please cancel my place on the food "
               "webinar.")
    assert confident(got, Intent.CANCEL, "food-2025")


# A late request is a request: the deadline is the desk's business.


def test_any_way_to_still_get_onto_a_session_books_it() -> None:
    got = read("I realise bookings have closed, but is there any way I could still join the "
               "furniture webinar?")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_any_way_we_could_attend_as_non_members_asks_no_place() -> None:
    got = read("We're not LUPC members. Is there any way we could attend the furniture "
               "webinar, and what does membership cost?")
    assert got.intent is not Intent.REGISTER


# A list under a request that ends with a colon: each line with an address is an item.


def test_address_lines_under_could_you_register_colon_are_its_items() -> None:
    got = read("Could you register:\n\n"
               f"Amy Lee ({AMY}) - furniture webinar, 10 December (she runs our office moves)\n"
               f"Ben Cole ({BEN}) - textiles, 24 Sept\n\n"
               "I won't be coming to these myself.")
    assert got.intent is Intent.REGISTER and not got.is_unclear
    assert set(got.event_ids) == {"furniture-2025", "textiles-2025"}
    assert {AMY, BEN} <= _emails(got)


def test_bookings_from_a_team_for_a_session_over_a_bullet_list_books_them() -> None:
    got = read("Bookings from the estates team for the furniture webinar:\n\n"
               f" * {AMY}\n * {BEN}\n\nThank you.")
    assert got.intent is Intent.REGISTER and not got.is_unclear
    assert got.event_ids == ("furniture-2025",)
    assert {AMY, BEN} <= _emails(got)


# A change still being weighed is asked for by no intent.


def test_deciding_whether_to_swap_something_for_a_waited_place_is_a_question() -> None:
    got = read("How likely is it my turn comes up? I have to decide whether to swap my rota "
               "for it.", context=_thread("waitlisted", "food-2025"))
    assert got.intent is Intent.QUESTION


def test_before_i_say_yes_with_questions_is_a_question() -> None:
    got = read("Before I say yes - will there be group work? And how long is the pre-reading?",
               context=offered())
    assert got.intent is Intent.QUESTION


# "+ name address": one more person added to the booking.


def test_plus_a_named_colleague_with_address_adds_them() -> None:
    got = read(f"+ my colleague Amy Lee {AMY}. Same session please.", subject="RE: Furniture")
    assert got.intent is Intent.REGISTER and not got.is_unclear
    assert got.event_ids == ("furniture-2025",)
    assert AMY in _emails(got)


def test_a_telephone_number_after_a_plus_adds_nobody() -> None:
    got = read("Please book me on the furniture webinar.\n+44 20 7946 0000")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert AMY not in _emails(got)


# A clear yes wins over words that only look like a no: "No problem, I'll take it".


def test_no_problem_before_a_yes_accepts_the_offer() -> None:
    got = read("No problem at all, I'll take it - see you on the day.", context=offered())
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_a_plain_no_to_an_offer_still_declines() -> None:
    got = read("No, sorry - I'm on leave that week.", context=offered())
    assert confident(got, Intent.DECLINE_OFFER, "food-2025")
