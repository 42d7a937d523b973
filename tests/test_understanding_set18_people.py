"""Where fresh set 17 showed the desk missing whose place a reply changes (round 18, offer22):
each rule a behaviour, in wording of its own, beside a control that must keep its reading."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import at_the_desk, confident

from mailflow.model import Intent, Request, ThreadContext

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
