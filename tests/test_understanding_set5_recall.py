"""The recall classes fresh set 5 showed (issue 9, round 5): requests read as such, each in a
wording of its own (small hand-written mail, not the corpus files)."""

from __future__ import annotations

from test_understanding_classes import SENDER, confident, read

from mailflow.model import Intent, ThreadContext


def held(*event_ids: str, state: str = "confirmed") -> ThreadContext:
    return ThreadContext(state, event_ids, SENDER)


# Requests in the words of members whose first language is not English.

def test_asking_for_places_in_so_many_words_is_a_booking() -> None:
    got = read("Good morning. I write to ask one place for the webinar on furniture, please.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_inscribing_someone_is_registering_them() -> None:
    got = read("Is it possible to inscribe me to the textiles webinar of September?")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_asking_for_a_place_only_later_is_no_booking_yet() -> None:
    got = read("Will the furniture webinar have slides? I'd like to know before I ask for a place.")
    assert got.intent is not Intent.REGISTER


def test_deleting_me_from_a_list_cancels() -> None:
    got = read("Kindly delete me from the list for the logistics webinar, it is not my area now.",
               context=held("logistics-2025", state="waitlisted"))
    assert confident(got, Intent.CANCEL, "logistics-2025")


def test_giving_a_place_up_with_the_particle_after_it_cancels() -> None:
    got = read("Sorry - I need to give my seat up for this one, a tender deadline moved.",
               context=held("food-2025"))
    assert confident(got, Intent.CANCEL, "food-2025")


# A yes/no question asking for the asker's own place is the request.

def test_would_i_be_able_to_join_is_a_booking() -> None:
    got = read("Would we be able to join the logistics webinar in March?")
    assert confident(got, Intent.REGISTER, "logistics-2025")


def test_is_there_a_place_for_me_is_a_booking() -> None:
    got = read("I've just taken over our uniforms contract. Is there still a place for me on "
               "the textiles one?")
    assert confident(got, Intent.REGISTER, "textiles-2025")


def test_an_organisation_sending_one_person_books_that_person() -> None:
    got = read("Our trust would like to send one person to the furniture webinar - that's me.")
    assert confident(got, Intent.REGISTER, "furniture-2025")


def test_me_please_with_the_session_after_it_books_that_session() -> None:
    got = read("me pls: furniture")
    assert confident(got, Intent.REGISTER, "furniture-2025")


# Substitutions in other shapes.

def test_giving_it_to_a_colleague_instead_is_a_substitution() -> None:
    got = read("My place on the food webinar: could you pass it on to Sam Reid "
               "(sam.reid@camden-council.example) instead?")
    assert confident(got, Intent.SUBSTITUTE, "food-2025")
    assert got.substitute is not None and got.substitute.email == "sam.reid@camden-council.example"


def test_swapping_one_addressed_colleague_for_another_names_both() -> None:
    got = read("Please swap Kim Lowe (kim.lowe@camden-council.example) for Sam Reid "
               "(sam.reid@camden-council.example) on the furniture webinar.")
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025")
    assert [p.email for p in got.people] == ["kim.lowe@camden-council.example"]
    assert got.substitute is not None and got.substitute.email == "sam.reid@camden-council.example"


def test_a_colleague_taking_my_named_sessions_place_is_a_substitution() -> None:
    got = read("Could Sam Reid (sam.reid@camden-council.example) have my furniture place?")
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025")


def test_swapping_in_a_colleague_is_a_substitution() -> None:
    got = read("Could you swap in my colleague Sam Reid <sam.reid@camden-council.example>?",
               context=held("food-2025"))
    assert confident(got, Intent.SUBSTITUTE, "food-2025")
