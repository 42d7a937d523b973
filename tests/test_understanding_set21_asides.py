"""Readings a careful coordinator would take (round 21, asides): a sign-off in two languages
ends the member's words; a hedge on the reason beside a request leaves the request firm; a
question the conditional booking after it answers is no question for the coordinator; questions
about who may register, or what must be done, are questions. Each rule beside a control that
must not change."""

from __future__ import annotations

from datetime import UTC, datetime

from test_understanding_classes import SENDER, at_the_desk, confident

from mailflow.model import Intent, ThreadContext

FEB = datetime(2025, 2, 25, 8, 0, tzinfo=UTC)
MARCH_END = datetime(2025, 3, 27, 7, 12, tzinfo=UTC)


# 1. "Met vriendelijke groet / Kind regards,": a closing in two languages ends the own words.

def test_closing_in_two_languages_ends_the_members_words() -> None:
    got = at_the_desk("Hi Suzanne,\n\nSorry, I need to cancel my place on the logistics webinar."
                      "\n\nMet vriendelijke groet / Kind regards,\n\nMarieke van Dijk\nContract "
                      "Manager Facilities\nKingsgate College", FEB)
    assert confident(got, Intent.CANCEL, "logistics-2025")


def test_control_a_colleague_named_without_address_before_the_closing_still_asks() -> None:
    got = at_the_desk("Hi Suzanne,\n\nPlease book me and my colleague Tom Hardy on the logistics "
                      "webinar.\n\nMet vriendelijke groet / Kind regards,\n\nMarieke van Dijk",
                      FEB)
    assert got.intent is Intent.REGISTER and got.is_unclear
