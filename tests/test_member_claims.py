"""A sender on an address at no full member who says they are a member's staff is told what any
non-member is (not-eligible, whose wording asks for the work address) and the coordinator is asked
to check; no place is booked under the unverified address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from test_hostile_pipeline import handled, make_desk, outbox
from test_understanding_classes import EVENTS
from test_understanding_classes import mail as parsed

from mailflow.decide import Context, Directory, decide
from mailflow.model import Intent, Member, Person, Request
from mailflow.seats import Roster
from mailflow.understanding import understand

from series import desk_options
from support import mail

NOW = datetime(2025, 2, 10, 9, 0, tzinfo=UTC)
CAMDEN = Member("London Borough of Camden", ("camden-council.example",), "full")


def context() -> Context:
    event = next(e for e in EVENTS if e.id == "food-2025")
    return Context(rosters={event.id: Roster(event)}, directory=Directory((CAMDEN,)), now=NOW,
                   hold=timedelta(hours=48))


def at_desk(text: str, sender: str) -> Request:
    return understand(parsed(text, "Booking", sender), EVENTS, NOW, None, **desk_options())


def test_saying_you_work_at_a_member_from_a_personal_address_marks_a_member_claim() -> None:
    got = at_desk("I'm in the catering team at Camden - please book me on the food webinar.",
                  "sam.jones@hotmail.example")
    assert got.intent is Intent.REGISTER and got.is_unclear and got.member_claim


def test_calling_it_your_personal_address_from_outside_the_members_is_a_member_claim() -> None:
    got = at_desk("Writing from my personal address as I'm off sick - please book me on the "
                  "food webinar.", "sam.jones@hotmail.example")
    assert got.is_unclear and got.member_claim


def test_naming_a_member_only_as_someone_else_s_is_no_claim() -> None:
    got = at_desk("A colleague at Camden passed on your announcement. Please book me onto the "
                  "food webinar.", "sam.jones@islington-council.example")
    assert not got.member_claim


def test_a_member_claim_is_not_eligible_and_goes_to_the_coordinator_too() -> None:
    claim = Request(Intent.REGISTER, event_ids=("food-2025",), confidence=0.3, member_claim=True,
                    reason="writes from hotmail.example but says they work at Camden")
    ctx = context()
    decision = decide(claim, Person("sam.jones@hotmail.example"), ctx)
    assert decision.outcome == "not-eligible" and decision.needs_attention
    assert "says they work at Camden" in decision.reason
    assert ctx.rosters["food-2025"].places == []


def test_without_a_claim_a_non_member_is_told_not_eligible_and_nobody_is_asked() -> None:
    unsure = Request(Intent.REGISTER, event_ids=("food-2025",), confidence=0.3,
                     reason="does not say which session")
    decision = decide(unsure, Person("sam.jones@hotmail.example"), context())
    assert decision.outcome == "not-eligible" and not decision.needs_attention


def test_the_desk_answers_a_member_claim_and_flags_it_end_to_end(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    raw = mail("sam.jones@hotmail.example", "Food webinar",
               "Hello, I work in the catering team at Camden but I'm writing from home. Please "
               "book me on the food webinar.", message_id="<claim@hotmail.example>")
    result = desk.handle(raw)
    assert result.outcome == "not-eligible"
    row = handled(desk, "<claim@hotmail.example>")
    assert row.needs_attention and "says they work at" in row.reason
    [reply] = outbox(desk)
    assert reply.recipient == "sam.jones@hotmail.example"
    assert reply.outcome == "not-eligible"
