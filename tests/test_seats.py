"""The seat-book rules, one behaviour per test, on plain data (no database, no clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mailflow.model import EventInfo
from mailflow.seats import Notice, Roster, Status

STARTS = datetime(2027, 1, 29, 10, 0, tzinfo=UTC)
NOW = datetime(2027, 1, 1, 9, 0, tzinfo=UTC)
HOLD = timedelta(hours=48)
ORG = "London Borough of Camden"


def event(
    capacity: int = 2, starts: datetime = STARTS, closes: datetime | None = None
) -> EventInfo:
    return EventInfo(
        id="construction-2027",
        title="The Construction Industry",
        format="webinar",
        starts=starts,
        ends=starts + timedelta(minutes=90),
        capacity=capacity,
        registration_closes=closes or starts - timedelta(days=7),
    )


def addr(name: str) -> str:
    return f"{name}@camden-council.example"


def book(capacity: int = 2, *names: str, now: datetime = NOW) -> Roster:
    """A roster with `names` registered in that order (the first `capacity` confirmed)."""
    roster = Roster(event(capacity))
    for n, name in enumerate(names):
        roster.register(addr(name), name.title(), ORG, now + timedelta(minutes=n), HOLD)
    return roster


def status(roster: Roster, name: str) -> Status | None:
    place = roster.place(addr(name))
    return place.status if place else None


def outcomes(notices: list[Notice]) -> list[tuple[str, str]]:
    return [(n.email.split("@")[0], n.outcome) for n in notices]


def waiting(roster: Roster) -> list[str]:
    return [p.email.split("@")[0] for p in roster.waitlist]


# ---- registering -----------------------------------------------------------------------


def test_free_place_confirms_member() -> None:
    roster = Roster(event(2))
    notices = roster.register(addr("ann"), "Ann", ORG, NOW, HOLD)
    assert outcomes(notices) == [("ann", "confirmed")]
    assert status(roster, "ann") == Status.CONFIRMED


def test_full_session_puts_member_on_waitlist() -> None:
    roster = book(2, "ann", "bob")
    notices = roster.register(addr("cat"), "Cat", ORG, NOW + timedelta(hours=1), HOLD)
    assert outcomes(notices) == [("cat", "waitlisted")]
    assert notices[0].position == 1


def test_waitlist_reply_gives_position_in_arrival_order() -> None:
    roster = book(1, "ann", "bob", "cat")
    notices = roster.register(addr("dan"), "Dan", ORG, NOW + timedelta(hours=1), HOLD)
    assert notices[0].position == 3
    assert waiting(roster) == ["bob", "cat", "dan"]
    assert roster.position(addr("cat")) == 2


def test_registering_twice_says_already_registered_without_change() -> None:
    roster = book(2, "ann")
    assert outcomes(roster.register(addr("ann"), "Ann", ORG, NOW, HOLD)) == [
        ("ann", "already-registered")
    ]
    assert len(roster.places) == 1


def test_registering_again_while_waiting_repeats_position() -> None:
    roster = book(1, "ann", "bob", "cat")
    notices = roster.register(addr("cat"), "Cat", ORG, NOW + timedelta(hours=2), HOLD)
    assert outcomes(notices) == [("cat", "already-waitlisted")]
    assert notices[0].position == 2
    assert waiting(roster) == ["bob", "cat"]


def test_registration_after_deadline_is_refused() -> None:
    roster = Roster(event(2, closes=STARTS - timedelta(days=7)))
    late = STARTS - timedelta(days=3)
    assert outcomes(roster.register(addr("ann"), "Ann", ORG, late, HOLD)) == [
        ("ann", "deadline-passed")
    ]
    assert roster.places == []


def test_registration_after_start_is_event_over() -> None:
    roster = Roster(event(2))
    assert outcomes(roster.register(addr("ann"), "Ann", ORG, STARTS, HOLD)) == [
        ("ann", "event-over")
    ]
    assert roster.places == []


# ---- the offer cycle -------------------------------------------------------------------


def test_cancellation_offers_place_to_first_waitlisted() -> None:
    roster = book(2, "ann", "bob", "cat", "dan")
    notices = roster.cancel(addr("ann"), NOW + timedelta(hours=1), HOLD)
    assert outcomes(notices) == [("ann", "cancelled"), ("cat", "offered")]
    assert notices[1].offer_expires == NOW + timedelta(hours=1) + HOLD
    assert status(roster, "cat") == Status.OFFERED
    assert waiting(roster) == ["dan"]


def test_offered_seat_is_held_against_new_registrations() -> None:
    roster = book(2, "ann", "bob", "cat")
    roster.cancel(addr("ann"), NOW + timedelta(hours=1), HOLD)
    notices = roster.register(addr("eve"), "Eve", ORG, NOW + timedelta(hours=2), HOLD)
    assert outcomes(notices) == [("eve", "waitlisted")]
    assert roster.taken == roster.event.capacity


def test_cancelling_with_empty_waitlist_just_frees_the_place() -> None:
    roster = book(2, "ann", "bob")
    assert outcomes(roster.cancel(addr("ann"), NOW, HOLD)) == [("ann", "cancelled")]
    assert roster.free == 1


def test_accepting_offer_confirms() -> None:
    roster = book(1, "ann", "bob")
    roster.cancel(addr("ann"), NOW, HOLD)
    notices = roster.accept(addr("bob"), NOW + timedelta(hours=3), HOLD)
    assert outcomes(notices) == [("bob", "confirmed")]
    assert status(roster, "bob") == Status.CONFIRMED
    assert roster.place(addr("bob")).offer_expires is None  # type: ignore[union-attr]


def test_registering_while_holding_offer_takes_it() -> None:
    roster = book(1, "ann", "bob")
    roster.cancel(addr("ann"), NOW, HOLD)
    notices = roster.register(addr("bob"), "Bob", ORG, NOW + timedelta(hours=1), HOLD)
    assert outcomes(notices) == [("bob", "confirmed")]


def test_declining_offer_removes_from_list_and_offers_onward() -> None:
    roster = book(1, "ann", "bob", "cat")
    roster.cancel(addr("ann"), NOW, HOLD)
    notices = roster.decline(addr("bob"), NOW + timedelta(hours=1), HOLD)
    assert outcomes(notices) == [("bob", "offer-declined"), ("cat", "offered")]
    assert status(roster, "bob") == Status.DECLINED
    assert roster.position(addr("bob")) is None


def test_cancelling_while_holding_offer_is_declining_it() -> None:
    roster = book(1, "ann", "bob", "cat")
    roster.cancel(addr("ann"), NOW, HOLD)
    notices = roster.cancel(addr("bob"), NOW + timedelta(hours=1), HOLD)
    assert outcomes(notices) == [("bob", "offer-declined"), ("cat", "offered")]


def test_leaving_the_waitlist_is_not_called_a_cancelled_place() -> None:
    roster = book(1, "ann", "bob", "cat")
    notices = roster.cancel(addr("bob"), NOW, HOLD)
    assert outcomes(notices) == [("bob", "cancelled")]
    assert notices[0].role == "left-waitlist"
    assert waiting(roster) == ["cat"]


def test_no_thanks_from_confirmed_member_is_unclear_and_changes_nothing() -> None:
    roster = book(1, "ann", "bob")
    assert outcomes(roster.decline(addr("ann"), NOW, HOLD)) == [("ann", "unclear")]
    assert status(roster, "ann") == Status.CONFIRMED


def test_silence_past_the_hold_expires_offer_and_offers_onward() -> None:
    roster = book(1, "ann", "bob", "cat")
    roster.cancel(addr("ann"), NOW, HOLD)
    assert roster.expire_offers(NOW + HOLD - timedelta(seconds=1), HOLD) == []
    later = NOW + HOLD
    notices = roster.expire_offers(later, HOLD)
    assert outcomes(notices) == [("bob", "offer-expired"), ("cat", "offered")]
    assert status(roster, "bob") == Status.EXPIRED
    assert roster.position(addr("bob")) is None
    assert notices[1].offer_expires == later + HOLD


def test_offer_hold_never_outlives_session_start() -> None:
    roster = book(1, "ann", "bob")
    near = STARTS - timedelta(hours=5)
    notices = roster.cancel(addr("ann"), near, HOLD)
    assert notices[1].offer_expires == STARTS
    assert roster.place(addr("bob")).offer_expires == STARTS  # type: ignore[union-attr]


def test_offer_lapses_at_the_start_and_nothing_is_offered_after() -> None:
    roster = book(1, "ann", "bob", "cat")
    roster.cancel(addr("ann"), STARTS - timedelta(hours=5), HOLD)
    notices = roster.expire_offers(STARTS, HOLD)
    assert outcomes(notices) == [("bob", "offer-expired")]
    assert notices[0].offer_expires == STARTS  # the wording says it lapsed at the start
    assert status(roster, "cat") == Status.WAITLISTED


def test_no_offers_after_session_start() -> None:
    roster = book(1, "ann", "bob")
    roster.event = event(3)  # capacity raised, but too late
    assert roster.offer_free_places(STARTS + timedelta(minutes=1), HOLD) == []
    assert outcomes(roster.cancel(addr("ann"), STARTS, HOLD)) == [("ann", "event-over")]
    assert status(roster, "ann") == Status.CONFIRMED


def test_several_free_places_offered_at_once_in_waitlist_order() -> None:
    roster = book(3, "ann", "bob", "cat", "dan", "eve", "fay")
    roster.cancel(addr("ann"), NOW, HOLD)
    roster.accept(addr("dan"), NOW, HOLD)
    roster.event = event(5)  # two more places in the config
    notices = roster.offer_free_places(NOW + timedelta(hours=1), HOLD)
    assert outcomes(notices) == [("eve", "offered"), ("fay", "offered")]
    assert roster.taken == 5


def test_lowering_capacity_never_removes_confirmed_people() -> None:
    roster = book(3, "ann", "bob", "cat", "dan")
    roster.event = event(1)
    assert roster.offer_free_places(NOW, HOLD) == []
    assert roster.expire_offers(NOW, HOLD) == []
    assert len(roster.with_status(Status.CONFIRMED)) == 3
    # A cancellation on an overbooked session frees no place to offer.
    assert outcomes(roster.cancel(addr("ann"), NOW, HOLD)) == [("ann", "cancelled")]
    assert waiting(roster) == ["dan"]


def test_accepting_just_after_hold_but_before_sweep_still_confirms() -> None:
    roster = book(1, "ann", "bob")
    roster.cancel(addr("ann"), NOW, HOLD)
    assert outcomes(roster.accept(addr("bob"), NOW + HOLD + timedelta(minutes=5), HOLD)) == [
        ("bob", "confirmed")
    ]


def test_accepting_after_start_is_event_over() -> None:
    roster = book(1, "ann", "bob")
    roster.cancel(addr("ann"), STARTS - timedelta(hours=1), HOLD)
    assert outcomes(roster.accept(addr("bob"), STARTS, HOLD)) == [("bob", "event-over")]
    assert outcomes(roster.decline(addr("bob"), STARTS, HOLD)) == [("bob", "event-over")]


# ---- late answers ----------------------------------------------------------------------


def test_late_acceptance_confirms_when_place_free_and_nobody_waits() -> None:
    roster = book(1, "ann", "bob")
    roster.cancel(addr("ann"), NOW, HOLD)
    roster.expire_offers(NOW + HOLD, HOLD)
    notices = roster.accept(addr("bob"), NOW + HOLD + timedelta(hours=1), HOLD)
    assert outcomes(notices) == [("bob", "confirmed")]
    assert roster.taken == 1


def test_late_acceptance_goes_to_back_of_waitlist_when_others_wait() -> None:
    roster = book(1, "ann", "bob", "cat", "dan")
    roster.cancel(addr("ann"), NOW, HOLD)
    roster.expire_offers(NOW + HOLD, HOLD)  # bob lapses, cat is offered
    notices = roster.accept(addr("bob"), NOW + HOLD + timedelta(hours=1), HOLD)
    assert outcomes(notices) == [("bob", "waitlisted")]
    assert notices[0].position == 2
    assert waiting(roster) == ["dan", "bob"]


def test_late_acceptance_after_start_is_event_over() -> None:
    roster = book(1, "ann", "bob")
    roster.cancel(addr("ann"), STARTS - timedelta(hours=1), HOLD)
    roster.expire_offers(STARTS, HOLD)
    assert outcomes(roster.accept(addr("bob"), STARTS + timedelta(hours=1), HOLD)) == [
        ("bob", "event-over")
    ]


def test_acceptance_after_declining_is_a_late_acceptance() -> None:
    roster = book(1, "ann", "bob")
    roster.cancel(addr("ann"), NOW, HOLD)
    roster.decline(addr("bob"), NOW, HOLD)
    assert outcomes(roster.accept(addr("bob"), NOW + timedelta(hours=1), HOLD)) == [
        ("bob", "confirmed")
    ]


def test_yes_after_coordinator_removal_does_not_rebook() -> None:
    roster = book(2, "ann")
    roster.remove(addr("ann"), NOW, HOLD)
    assert outcomes(roster.accept(addr("ann"), NOW, HOLD)) == [("ann", "not-registered")]
    assert status(roster, "ann") == Status.REMOVED


def test_yes_from_someone_never_offered_is_not_registered() -> None:
    roster = book(2, "ann")
    assert outcomes(roster.accept(addr("zed"), NOW, HOLD)) == [("zed", "not-registered")]
    assert roster.place(addr("zed")) is None


def test_rejoining_after_expiry_goes_to_back_of_waitlist() -> None:
    roster = book(1, "ann", "bob", "cat")
    roster.cancel(addr("ann"), NOW, HOLD)
    roster.expire_offers(NOW + HOLD, HOLD)
    roster.register(addr("bob"), "Bob", ORG, NOW + HOLD + timedelta(hours=1), HOLD)
    assert waiting(roster) == ["bob"]
    assert len([p for p in roster.places if p.email == addr("bob")]) == 1


# ---- substitution ----------------------------------------------------------------------


def test_substitution_keeps_seat_for_colleague_and_tells_both() -> None:
    roster = book(1, "ann", "bob")
    notices = roster.substitute(addr("ann"), addr("jo"), "Jo Bloggs", NOW)
    assert outcomes(notices) == [("ann", "substituted"), ("jo", "substituted")]
    assert [n.role for n in notices] == ["gave", "received"]
    assert notices[0].other == addr("jo") and notices[1].other == addr("ann")
    assert status(roster, "ann") == Status.SUBSTITUTED
    assert status(roster, "jo") == Status.CONFIRMED
    assert roster.place(addr("jo")).organisation == ORG  # type: ignore[union-attr]


def test_substitution_never_touches_the_waitlist() -> None:
    roster = book(1, "ann", "bob", "cat")
    roster.substitute(addr("ann"), addr("jo"), "Jo", NOW)
    assert waiting(roster) == ["bob", "cat"]
    assert roster.with_status(Status.OFFERED) == []


def test_substitution_to_someone_already_on_the_list_is_unclear() -> None:
    roster = book(1, "ann", "bob")
    notices = roster.substitute(addr("ann"), addr("bob"), "Bob", NOW)
    assert outcomes(notices) == [("ann", "unclear")]
    assert status(roster, "ann") == Status.CONFIRMED


def test_substitution_needs_a_confirmed_place() -> None:
    roster = book(1, "ann", "bob")
    assert outcomes(roster.substitute(addr("bob"), addr("jo"), "Jo", NOW)) == [
        ("bob", "not-registered")
    ]


def test_substitution_after_start_is_event_over() -> None:
    roster = book(1, "ann")
    assert outcomes(roster.substitute(addr("ann"), addr("jo"), "Jo", STARTS)) == [
        ("ann", "event-over")
    ]


# ---- the coordinator's hand --------------------------------------------------------------


def test_add_books_past_the_deadline() -> None:
    roster = Roster(event(2))
    late = STARTS - timedelta(days=2)
    assert outcomes(roster.add(addr("ann"), "Ann", ORG, late, force=False)) == [
        ("ann", "confirmed")
    ]


def test_add_without_force_on_full_session_waitlists() -> None:
    roster = book(1, "ann", "bob")
    notices = roster.add(addr("cat"), "Cat", ORG, NOW, force=False)
    assert outcomes(notices) == [("cat", "waitlisted")]
    assert notices[0].position == 2


def test_add_with_force_overbooks_and_marks_it() -> None:
    roster = book(1, "ann", "bob")
    notices = roster.add(addr("cat"), "Cat", ORG, NOW, force=True)
    assert outcomes(notices) == [("cat", "confirmed")]
    assert roster.place(addr("cat")).forced  # type: ignore[union-attr]
    assert len(roster.with_status(Status.CONFIRMED)) == 2


def test_forcing_a_waitlisted_person_confirms_them() -> None:
    roster = book(1, "ann", "bob", "cat")
    roster.add(addr("cat"), "Cat", ORG, NOW, force=True)
    assert status(roster, "cat") == Status.CONFIRMED
    assert waiting(roster) == ["bob"]


def test_add_confirms_a_held_offer_without_overbooking() -> None:
    roster = book(1, "ann", "bob")
    roster.cancel(addr("ann"), NOW, HOLD)
    assert outcomes(roster.add(addr("bob"), "Bob", ORG, NOW, force=False)) == [("bob", "confirmed")]
    assert not roster.place(addr("bob")).forced  # type: ignore[union-attr]


def test_add_after_start_needs_force() -> None:
    roster = Roster(event(2))
    assert outcomes(roster.add(addr("ann"), "Ann", ORG, STARTS, force=False)) == [
        ("ann", "event-over")
    ]
    assert outcomes(roster.add(addr("ann"), "Ann", ORG, STARTS, force=True)) == [
        ("ann", "confirmed")
    ]


def test_remove_frees_place_and_offers_it() -> None:
    roster = book(1, "ann", "bob")
    notices = roster.remove(addr("ann"), NOW, HOLD)
    assert outcomes(notices) == [("ann", "cancelled"), ("bob", "offered")]
    assert status(roster, "ann") == Status.REMOVED


def test_removing_forced_extra_frees_no_place() -> None:
    roster = book(1, "ann", "bob")
    roster.add(addr("cat"), "Cat", ORG, NOW, force=True)
    assert outcomes(roster.remove(addr("cat"), NOW, HOLD)) == [("cat", "cancelled")]
    assert waiting(roster) == ["bob"]


def test_remove_of_unknown_person_is_not_registered() -> None:
    assert outcomes(Roster(event(1)).remove(addr("zed"), NOW, HOLD)) == [("zed", "not-registered")]


def test_move_puts_person_at_requested_position() -> None:
    roster = book(1, "ann", "bob", "cat", "dan")
    notices = roster.move(addr("dan"), 1)
    assert outcomes(notices) == [("dan", "waitlisted")]
    assert notices[0].position == 1
    assert waiting(roster) == ["dan", "bob", "cat"]


def test_move_past_the_end_puts_person_last() -> None:
    roster = book(1, "ann", "bob", "cat", "dan")
    assert roster.move(addr("bob"), 99)[0].position == 3
    assert waiting(roster) == ["cat", "dan", "bob"]


def test_new_arrival_waits_behind_explicit_moves() -> None:
    roster = book(1, "ann", "bob", "cat")
    roster.move(addr("cat"), 1)
    roster.register(addr("dan"), "Dan", ORG, NOW + timedelta(hours=1), HOLD)
    assert waiting(roster) == ["cat", "bob", "dan"]


def test_moved_person_gets_the_next_offer() -> None:
    roster = book(1, "ann", "bob", "cat")
    roster.move(addr("cat"), 1)
    assert outcomes(roster.cancel(addr("ann"), NOW, HOLD)) == [
        ("ann", "cancelled"),
        ("cat", "offered"),
    ]


def test_move_of_someone_not_waiting_is_not_registered() -> None:
    roster = book(1, "ann")
    assert outcomes(roster.move(addr("ann"), 1)) == [("ann", "not-registered")]
