"""A move (one place given up for another) and a held offer handed to a colleague, decided
with plain data: the place given up goes only once the new one is held; an offer handed on
is the coordinator's call."""

from __future__ import annotations

from test_decide import NGOZI, context, event, register, statuses

from mailflow.decide import Context, decide
from mailflow.model import Intent, Person, Request
from mailflow.seats import Status


def move(to: str, gives_up: str) -> Request:
    return Request(Intent.REGISTER, event_ids=(to,), releases=(gives_up,), confidence=0.9)


def test_a_move_to_a_session_with_room_books_it_and_releases_the_place_given_up() -> None:
    ctx = context(event("may", capacity=1), event("october"))
    decide(register("may"), NGOZI, ctx)
    waiting = Person("w@westbury.ac.example", "Wendy")
    decide(register("may"), waiting, ctx)
    decision = decide(move("october", "may"), NGOZI, ctx)
    assert [(n.outcome, n.event_id) for n in decision.reply] == [
        ("confirmed", "october"), ("cancelled", "may")]
    assert decision.outcome == "october=confirmed; may=cancelled"
    # The freed place goes to the next person, as a cancel's does.
    assert [(n.outcome, n.email) for n in decision.notify] == [("offered", waiting.email)]
    assert statuses(ctx, "may") == {NGOZI.email: Status.CANCELLED,
                                    waiting.email: Status.OFFERED}
    assert statuses(ctx, "october") == {NGOZI.email: Status.CONFIRMED}


def test_a_move_to_a_full_session_waitlists_the_sender_and_keeps_the_place_held() -> None:
    ctx = context(event("may"), event("october", capacity=1))
    decide(register("may"), NGOZI, ctx)
    decide(register("october"), Person("o@westbury.ac.example"), ctx)
    decision = decide(move("october", "may"), NGOZI, ctx)
    assert [(n.outcome, n.event_id) for n in decision.reply] == [
        ("waitlisted", "october"), ("kept", "may")]
    assert decision.outcome == "october=waitlisted"
    assert not decision.notify
    assert statuses(ctx, "may") == {NGOZI.email: Status.CONFIRMED}


def test_a_move_already_held_at_its_target_still_releases_the_place_given_up() -> None:
    ctx = context(event("may"), event("october"))
    decide(register("may", "october"), NGOZI, ctx)
    decision = decide(move("october", "may"), NGOZI, ctx)
    assert [(n.outcome, n.event_id) for n in decision.reply] == [
        ("already-registered", "october"), ("cancelled", "may")]


def test_a_move_from_a_place_not_held_is_a_plain_booking() -> None:
    ctx = context(event("may"), event("october"))
    decision = decide(move("october", "may"), NGOZI, ctx)
    assert decision.outcome == "october=confirmed"
    assert statuses(ctx, "may") == {}


def test_a_plain_booking_releases_nothing() -> None:
    """Control: the same booking without a place given up leaves the May place alone."""
    ctx = context(event("may"), event("october"))
    decide(register("may"), NGOZI, ctx)
    decision = decide(register("october"), NGOZI, ctx)
    assert decision.outcome == "october=confirmed"
    assert statuses(ctx, "may") == {NGOZI.email: Status.CONFIRMED}


def test_a_move_of_someone_elses_places_asks_the_coordinator() -> None:
    ctx = context(event("may"), event("october"))
    jo = Person("jo@camden-council.example")
    decide(register("may", people=(jo,)), NGOZI, ctx)
    request = Request(Intent.REGISTER, event_ids=("october",), people=(jo,),
                      releases=("may",), confidence=0.9)
    decision = decide(request, NGOZI, ctx)
    assert decision.outcome == "unclear" and decision.needs_attention
    assert statuses(ctx, "may") == {jo.email: Status.CONFIRMED}


def test_a_move_off_a_waiting_list_to_a_full_session_keeps_the_waiting_place() -> None:
    ctx = context(event("may", capacity=1), event("october", capacity=1))
    decide(register("may"), Person("m@westbury.ac.example"), ctx)
    decide(register("october"), Person("o@westbury.ac.example"), ctx)
    decide(register("may"), NGOZI, ctx)
    decision = decide(move("october", "may"), NGOZI, ctx)
    kept = decision.reply[-1]
    assert (kept.outcome, kept.event_id, kept.role, kept.position) == (
        "kept", "may", "waiting", 1)
    assert statuses(ctx, "may")[NGOZI.email] == Status.WAITLISTED


def offered_to_ngozi() -> tuple[Context, Person]:
    ctx = context(event("food", capacity=1))
    holder = Person("h@westbury.ac.example")
    decide(register("food"), holder, ctx)
    decide(register("food"), NGOZI, ctx)
    later = Person("l@westbury.ac.example")
    decide(register("food"), later, ctx)
    decide(Request(Intent.CANCEL, event_ids=("food",), confidence=0.9), holder, ctx)
    assert statuses(ctx, "food")[NGOZI.email] == Status.OFFERED
    return ctx, later


def test_a_held_offer_handed_to_a_colleague_goes_to_the_coordinator() -> None:
    """Not "not registered": the place is held for the sender, but handing it on passes over
    the rest of the waiting list, which the coordinator decides."""
    ctx, later = offered_to_ngozi()
    jo = Person("jo@camden-council.example", "Jo Bloggs")
    decision = decide(Request(Intent.SUBSTITUTE, event_ids=("food",), substitute=jo,
                              confidence=0.9), NGOZI, ctx)
    assert decision.outcome == "unclear" and decision.needs_attention
    assert "waiting list" in decision.reason
    found = statuses(ctx, "food")
    assert found[NGOZI.email] == Status.OFFERED and jo.email not in found
    assert found[later.email] == Status.WAITLISTED


def test_a_held_offer_handed_over_naming_no_session_finds_the_offer_and_asks() -> None:
    ctx, _ = offered_to_ngozi()
    jo = Person("jo@camden-council.example")
    decision = decide(Request(Intent.SUBSTITUTE, substitute=jo, confidence=0.9), NGOZI, ctx)
    assert decision.outcome == "unclear" and "offered" in decision.reason


def test_a_confirmed_place_handed_to_a_colleague_still_changes_hands() -> None:
    """Control: a confirmed place is the sender's to pass on."""
    ctx = context(event("food"))
    decide(register("food"), NGOZI, ctx)
    jo = Person("jo@camden-council.example")
    decision = decide(Request(Intent.SUBSTITUTE, substitute=jo, confidence=0.9), NGOZI, ctx)
    assert decision.outcome == "food=substituted"


def test_a_waiting_place_cannot_be_handed_over() -> None:
    """Control: a place still only waited for is not the sender's to give."""
    ctx = context(event("food", capacity=1))
    decide(register("food"), Person("h@westbury.ac.example"), ctx)
    decide(register("food"), NGOZI, ctx)
    jo = Person("jo@camden-council.example")
    decision = decide(Request(Intent.SUBSTITUTE, event_ids=("food",), substitute=jo,
                              confidence=0.9), NGOZI, ctx)
    assert decision.outcome == "food=not-registered"
    assert statuses(ctx, "food")[NGOZI.email] == Status.WAITLISTED


def test_a_pa_accepting_for_her_head_does_not_take_her_own_offer() -> None:
    ctx = context(event("textiles", capacity=1))
    first, pa = Person("a@westbury.ac.example"), Person("janet.osei@camden-council.example")
    head = Person("priya.head@camden-council.example")
    for who in (first, pa, head):
        decide(register("textiles"), who, ctx)
    decide(Request(Intent.CANCEL, event_ids=("textiles",), confidence=0.9), first, ctx)
    decision = decide(Request(Intent.ACCEPT_OFFER, event_ids=("textiles",), people=(head,),
                              confidence=0.95), pa, ctx)
    assert decision.needs_attention
    assert statuses(ctx, "textiles")[pa.email] == Status.OFFERED
