"""Booking words that ask no place (round 23): whether one may come without registering, the
noun "book", the bookings asked to be sent as a record; and "everything that's left" as every
session ahead. Each rule beside a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import SEAT_CHANGING, Intent, Request

MARCH = datetime(2025, 3, 10, 10, 0, tzinfo=UTC)
AHEAD = ("logistics-2025", "evidence-skills-may-2025", "food-2025", "textiles-2025",
         "evidence-skills-oct-2025", "furniture-2025")


def at_desk(text: str) -> Request:
    return at_the_desk(text, MARCH, None, "Booking", SENDER)


def changes_no_seat(got: Request) -> bool:
    return got.intent not in SEAT_CHANGING or got.is_unclear


# 1. Whether one may attend without registering asks for nothing.


@pytest.mark.parametrize("text", [
    "can I attend the logistics webinar without registering? I'd only want to listen in",
    "Is it ok if I join the food webinar without booking?",
    "Could I come to the textiles webinar without a booking?",
    "Can we attend the furniture webinar without signing up first?",
    "May I join the logistics webinar without registering in advance?",
])
def test_attending_without_registering_asked_about_books_nothing(text: str) -> None:
    assert changes_no_seat(at_desk(text))


@pytest.mark.parametrize("text", [
    "Could I attend the logistics webinar without my camera on?",
    "Please book me on the logistics webinar without delay.",
])
def test_a_place_asked_with_another_without_is_still_booked(text: str) -> None:
    assert confident(at_desk(text), Intent.REGISTER, "logistics-2025")


# 2. "a book on ...": the noun, not the verb.


@pytest.mark.parametrize("text", [
    "One of the panellists in the construction webinar recommended a book on forced labour in "
    "brick kilns - do you know the title?",
    "Is there a good book on ethical sourcing of textiles you'd recommend after the textiles "
    "webinar?",
    "I read this book on supply chain audits before the food webinar.",
    "Could you recommend a book for the logistics webinar?",
])
def test_the_noun_book_books_nothing(text: str) -> None:
    assert changes_no_seat(at_desk(text))


@pytest.mark.parametrize("text", [
    "Please book me on the logistics webinar.",
    "Is there a way to book on the logistics webinar?",
])
def test_the_verb_book_still_books(text: str) -> None:
    got = at_desk(text)
    assert got.intent is Intent.REGISTER and got.event_ids == ("logistics-2025",)


# 3. The registrations asked to be sent as a record: no place.


@pytest.mark.parametrize("text", [
    "Could you please send us the list of LUPC registrations for the Food webinar",
    "Please could you share the registrations for the textiles webinar with us?",
    "Can you send me the bookings for the logistics webinar?",
])
def test_registrations_asked_to_be_sent_book_nothing(text: str) -> None:
    assert changes_no_seat(at_desk(text))


def test_a_registration_asked_for_is_still_booked() -> None:
    assert confident(at_desk("Registration for the food webinar please"), Intent.REGISTER,
                     "food-2025")


# 4. "everything that's left this year": every session still to come.


@pytest.mark.parametrize("text", [
    "could you put me down for everything that's left this year? Both workshops included.",
    "Please book me on everything that's left this year",
    "Sign me up for everything still to come please",
    "put me down for everything remaining this year, both workshops too",
    "book me on everything left in the series",
])
def test_everything_left_books_every_session_ahead(text: str) -> None:
    assert confident(at_desk(text), Intent.REGISTER, *AHEAD)


def test_both_workshops_alone_still_books_the_two() -> None:
    assert confident(at_desk("Please book me on both workshops."), Intent.REGISTER,
                     "evidence-skills-may-2025", "evidence-skills-oct-2025")


def test_everything_after_a_session_is_still_a_range() -> None:
    assert confident(at_desk("Please book me on everything after the food one."),
                     Intent.REGISTER, "textiles-2025", "evidence-skills-oct-2025",
                     "furniture-2025")


@pytest.mark.parametrize("text", [
    "can I listen in to the food webinar without registering, or do I need a place?",
    "Could we have a copy of the list of bookings for the food webinar?",
])
def test_a_place_weighed_beside_without_or_a_record_asked_books_nothing(text: str) -> None:
    assert changes_no_seat(at_desk(text))


def test_a_list_of_registrations_sent_to_us_is_still_booked() -> None:
    got = at_desk("Please find below the list of registrations for the food webinar: "
                  "Jo Bloggs jo@westbury.ac.example")
    assert got.intent is Intent.REGISTER and got.event_ids == ("food-2025",)
