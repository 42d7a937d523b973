"""Where fresh set 17 showed the desk missing whose place a reply changes (round 18, offer22):
each rule a behaviour, in wording of its own, beside a control that must keep its reading."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from test_understanding_classes import EVENTS, at_the_desk, confident, mail

from mailflow.model import Intent, Request, ThreadContext
from mailflow.understanding import understand

from series import desk_options

OCTOBER = datetime(2025, 10, 20, 8, 0, tzinfo=UTC)
SENDER = "jo.bloggs@kingsgate-college.example"
CONFIRMED = ThreadContext("confirmed", ("evidence-skills-oct-2025",), SENDER)


def at_desk(text: str, context: ThreadContext | None = CONFIRMED,
            subject: str = "Re: Place confirmed: Evidence skills training workshop (October)",
            now: datetime = OCTOBER) -> Request:
    return at_the_desk(text, now, context, subject, SENDER)


# 1. A signature's lines that give an office or an assistant to write to ("PA: ... address",
# "Finance office: address") are signature, not a table of attendees: the one colleague the
# mail names takes the place.


def test_assistant_and_office_addresses_in_the_signature_are_no_takers() -> None:
    got = at_desk("I can't make the 29th after all. Please give my place to Sam Kerr "
                  "(sam.kerr@kingsgate-college.example).\n\nJo\n\nJo Bloggs\nDirector of "
                  "Finance\nKingsgate College\nPA: Joy Lam jlam@kingsgate-college.example\n"
                  "Finance office: finance@kingsgate-college.example\nM: 07700 900789")
    assert confident(got, Intent.SUBSTITUTE, "evidence-skills-oct-2025"), got.reason
    assert got.substitute is not None and got.substitute.email == (
        "sam.kerr@kingsgate-college.example"
    )


def test_a_table_of_attendees_under_the_senders_name_still_lists_them() -> None:
    got = at_desk("Please book these two on the October evidence workshop:\n\nJo Bloggs\n"
                  "jo.bloggs@kingsgate-college.example\nSam Kerr\n"
                  "sam.kerr@kingsgate-college.example", context=None, subject="Booking")
    assert "sam.kerr@kingsgate-college.example" in {p.email for p in got.people}, got


# 2. Our own message forwarded back (from the desk's address, to one colleague), with "X has
# left, please cancel her place": the place is the one our message was addressed to, when the
# member's words name them.

JUNE = datetime(2025, 6, 11, 13, 0, tzinfo=UTC)
DESK = "registrations@lupc.example"
OUR_CONFIRMATION = (
    "\n\n---------- Forwarded message ---------\nFrom: Knowledge Building Series <{desk}>\n"
    "Date: Tue, 3 Jun 2025 at 10:14\nSubject: Booking confirmed: Food\nTo: <{to}>\n\n"
    "Dear Jo,\n\nYou are booked on Food (including frozen imported seafood) on 25 June 2025."
)


def forwarding(note: str, to: str, desk: str = DESK) -> Request:
    text = note + OUR_CONFIRMATION.format(desk=desk, to=to)
    got = replace(mail(text, "Fwd: Booking confirmed: Food", SENDER), headers=(("to", DESK),))
    return understand(got, EVENTS, JUNE, None, **desk_options())


def test_cancel_her_place_over_our_forwarded_confirmation_cancels_its_recipient() -> None:
    got = forwarding("Forwarding Jo's booking below - Jo has left us, so please cancel her "
                     "place.", "jo.harper@kingsgate-college.example")
    assert confident(got, Intent.CANCEL, "food-2025"), got.reason
    assert [p.email for p in got.people] == ["jo.harper@kingsgate-college.example"]


def test_her_place_over_a_forward_naming_someone_else_still_asks() -> None:
    got = forwarding("Forwarding the booking below - Priya has left us, so please cancel her "
                     "place.", "jo.harper@kingsgate-college.example")
    assert got.intent is Intent.CANCEL and got.is_unclear


def test_her_place_over_a_colleagues_forward_still_asks() -> None:
    got = forwarding("Forwarding Jo's note below - Jo has left us, so please cancel her place.",
                     "jo.harper@kingsgate-college.example",
                     desk="sam.kerr@kingsgate-college.example")
    assert got.intent is Intent.CANCEL and got.is_unclear
