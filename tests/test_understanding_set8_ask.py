"""Where fresh set 8 (and fresh 7's x036) showed the desk changing a seat a careful coordinator
would have asked about (issue 9, round 8): each class a behaviour, in wording of its own."""

from __future__ import annotations

from dataclasses import replace

from test_understanding_classes import SENDER, confident, mail, offered, read

from mailflow.model import ForwardedMail, Intent
from mailflow.understanding import understand

from series import DEFAULT_NOW, series_2025


def test_a_yes_then_telling_the_desk_to_make_a_second_change_asks() -> None:
    got = read("Yes please, I'll take it. While I'm at it, could you also put me on the "
               "furniture waiting list?", context=offered())
    assert got.is_unclear


def test_a_yes_then_asking_whether_another_place_is_possible_still_accepts() -> None:
    got = read("Yes please, I'll take it. Is there any chance of a place on furniture too?",
               context=offered())
    assert confident(got, Intent.ACCEPT_OFFER, "food-2025")


def test_a_count_of_people_above_the_addresses_given_asks() -> None:
    got = read("Please book these three onto the food webinar: Ann Lee "
               "(ann.lee@camden-council.example), Bob Ray (bob.ray@camden-council.example), "
               "Cy Day.")
    assert got.is_unclear


def test_a_count_matching_the_addresses_given_books() -> None:
    got = read("Please book these two onto the food webinar: Ann Lee "
               "(ann.lee@camden-council.example), Bob Ray (bob.ray@camden-council.example).")
    assert confident(got, Intent.REGISTER, "food-2025")


def test_the_same_people_as_last_time_names_nobody_and_asks() -> None:
    got = read("Could you book the same people as last time on the textiles webinar please?")
    assert got.is_unclear


def test_a_place_for_a_team_without_names_asks() -> None:
    got = read("Please reserve a place for our team on the textiles webinar.")
    assert got.is_unclear


def test_a_booking_from_a_shared_mailbox_naming_nobody_asks() -> None:
    request = mail("Please book me on the textiles webinar.",
                   sender="procurement@camden-council.example")
    got = understand(request, series_2025(), DEFAULT_NOW)
    assert got.is_unclear


def test_a_number_disagreeing_with_the_timetable_number_of_the_name_asks() -> None:
    # Food is number 4 in the announcement, though the third webinar counted.
    got = read("Please register me for Webinar 3 (Food).")
    assert got.is_unclear


def test_a_number_agreeing_with_the_name_books() -> None:
    got = read("Please register me for Webinar 4 (Food).")
    assert confident(got, Intent.REGISTER, "food-2025")


def test_a_colleague_known_only_from_the_quoted_mail_added_if_possible_asks() -> None:
    quoted = ForwardedMail(sender="klaus.becker@camden-council.example",
                           sender_name="Klaus Becker", subject="Textiles",
                           text="Could you sign us up for the textiles webinar?")
    request = mail("Please register me for the textiles webinar, and Klaus too if possible.")
    got = understand(replace(request, forwarded=(quoted,)), series_2025(), DEFAULT_NOW)
    assert got.is_unclear


def test_a_place_passed_to_someone_at_another_organisation_asks() -> None:
    got = read("I can't make the food webinar any more - Mike Dunn "
               "(mike@dunn-procurement.example), our consultant, will attend in my place.")
    assert got.is_unclear
    assert "outside the sender's organisation" in got.reason


def test_a_place_passed_to_a_colleague_of_the_same_organisation_is_a_substitution() -> None:
    colleague = SENDER.replace(SENDER.split("@")[0], "hannah.lee")
    got = read(f"I can't make the food webinar any more - Hannah Lee ({colleague}) will attend "
               "in my place.")
    assert confident(got, Intent.SUBSTITUTE, "food-2025")
    assert got.substitute is not None and got.substitute.email == colleague
