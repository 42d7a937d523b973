"""Moves and hand-overs (round 21): one's own places handed to a named successor with an
address is a substitution; each rule beside a control that must not change."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent, Request

OCTOBER = datetime(2025, 10, 6, 9, 45, tzinfo=UTC)
SUCCESSOR = "l.chen@westbury.ac.example"
SENDER = "h.morgan@westbury.ac.example"


def at_desk(text: str, subject: str = "Change of attendee") -> Request:
    return at_the_desk(text, OCTOBER, None, subject, SENDER)


# 1. "Cancel my places - Lily Chen will take them instead: l.chen@...": a hand-over.


def test_places_handed_to_a_named_successor_with_an_address_are_substituted() -> None:
    got = at_desk("I'm starting a new role next month so can you cancel my October evidence "
                  f"and furniture places - Lily Chen will take them instead: {SUCCESSOR}\n\nHelen")
    assert confident(got, Intent.SUBSTITUTE, "evidence-skills-oct-2025", "furniture-2025")
    assert got.substitute is not None and got.substitute.email == SUCCESSOR


def test_one_place_handed_to_a_successor_who_will_take_it_is_substituted() -> None:
    got = at_desk("Please cancel my furniture place - Lily Chen "
                  f"({SUCCESSOR}) will take it instead.\n\nHelen")
    assert confident(got, Intent.SUBSTITUTE, "furniture-2025")


def test_the_writer_taking_another_session_instead_is_no_hand_over() -> None:
    """Control: "I'll take the furniture one instead" is the writer's own."""
    got = at_desk("Please cancel my October evidence place - I'll take it instead of the "
                  "furniture one later.\n\nHelen")
    assert got.intent is not Intent.SUBSTITUTE or got.is_unclear


def test_a_colleague_only_wondered_about_takes_nothing_over() -> None:
    """Control: "I checked whether Kasia could use it instead" asks nothing of the desk."""
    got = at_desk("Please cancel my furniture place. I did check whether my colleague Kasia "
                  "could use it instead, but she has an audit that day.\n\nHelen")
    assert got.intent is not Intent.SUBSTITUTE
