"""The decision step with plain data: eligibility, colleagues, own-place rules, authenticity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mailflow.decide import Context, Directory, decide, outcome_header
from mailflow.model import EventInfo, Intent, Member, Person, Request
from mailflow.seats import Notice, Roster, Status

NOW = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
HOLD = timedelta(hours=48)
DIRECTORY = Directory((
    Member("London Borough of Camden", ("camden-council.example",), "full"),
    Member("Westbury University", ("westbury.ac.example",), "full"),
    Member("Riverside Housing Association", ("riverside-housing.example",), "associate"),
))
NGOZI = Person("ngozi@camden-council.example", "Ngozi Okafor")


def event(event_id: str, capacity: int = 15, days_ahead: int = 30) -> EventInfo:
    starts = NOW + timedelta(days=days_ahead)
    return EventInfo(id=event_id, title=event_id.title(), format="webinar", starts=starts,
                     ends=starts + timedelta(minutes=90), capacity=capacity,
                     registration_closes=starts - timedelta(days=7))


def context(*events: EventInfo, verdict: str = "none") -> Context:
    return Context(rosters={e.id: Roster(e) for e in events}, directory=DIRECTORY, now=NOW,
                   hold=HOLD, sender_verdict=verdict)


def register(*ids: str, people: tuple[Person, ...] = ()) -> Request:
    return Request(Intent.REGISTER, event_ids=ids, people=people, confidence=0.95)


def statuses(ctx: Context, event_id: str) -> dict[str, Status]:
    return {p.email: p.status for p in ctx.rosters[event_id].places}


def test_member_of_full_organisation_is_confirmed() -> None:
    ctx = context(event("food"))
    decision = decide(register("food"), NGOZI, ctx)
    assert [(n.outcome, n.email) for n in decision.reply] == [("confirmed", NGOZI.email)]
    assert decision.outcome == "food=confirmed"
    assert statuses(ctx, "food") == {NGOZI.email: Status.CONFIRMED}


def test_subdomain_of_a_member_domain_is_eligible() -> None:
    ctx = context(event("food"))
    decision = decide(register("food"), Person("a.b@finance.camden-council.example"), ctx)
    assert decision.outcome == "food=confirmed"


def test_lookalike_domain_is_not_eligible() -> None:
    ctx = context(event("food"))
    decision = decide(register("food"), Person("x@evilcamden-council.example"), ctx)
    assert decision.outcome == "not-eligible"
    assert statuses(ctx, "food") == {}


def test_associate_member_is_not_eligible_and_nothing_changes() -> None:
    ctx = context(event("food"))
    decision = decide(register("food"), Person("sam@riverside-housing.example"), ctx)
    assert decision.outcome == "not-eligible"
    assert not decision.needs_attention
    assert statuses(ctx, "food") == {}


def test_associate_members_refusal_names_their_organisation_and_strangers_do_not() -> None:
    ctx = context(event("food"))
    (associate,) = decide(register("food"), Person("sam@riverside-housing.example"), ctx).reply
    assert (associate.role, associate.other_name) == ("associate",
                                                      "Riverside Housing Association")
    (stranger,) = decide(register("food"), Person("dave@freemail.example"), ctx).reply
    assert (stranger.role, stranger.other_name) == ("", "")


def test_registering_a_colleague_tells_both_and_books_both() -> None:
    ctx = context(event("food"))
    priya = Person("priya@camden-council.example", "Priya Shah")
    decision = decide(register("food", people=(NGOZI, priya)), NGOZI, ctx)
    assert [(n.outcome, n.email) for n in decision.reply] == [
        ("confirmed", NGOZI.email), ("confirmed", priya.email)]
    [colleague_mail] = decision.notify
    assert colleague_mail.email == priya.email and colleague_mail.role == "booked-by"
    assert colleague_mail.other == NGOZI.email
    assert decision.outcome == "food=confirmed"


def test_colleague_outside_the_membership_is_refused_alone() -> None:
    ctx = context(event("food"))
    outsider = Person("pat@freemail.example")
    decision = decide(register("food", people=(NGOZI, outsider)), NGOZI, ctx)
    assert [(n.outcome, n.email) for n in decision.reply] == [
        ("confirmed", NGOZI.email), ("not-eligible", outsider.email)]
    assert statuses(ctx, "food") == {NGOZI.email: Status.CONFIRMED}


def test_several_sessions_in_one_mail_get_one_outcome_each() -> None:
    ctx = context(event("food"), event("textiles", capacity=0))
    decision = decide(register("food", "textiles"), NGOZI, ctx)
    assert decision.outcome == "food=confirmed; textiles=waitlisted"


def test_cancel_naming_no_session_cancels_the_only_place_held() -> None:
    ctx = context(event("food"), event("textiles"))
    decide(register("food"), NGOZI, ctx)
    decision = decide(Request(Intent.CANCEL, confidence=0.9), NGOZI, ctx)
    assert decision.outcome == "food=cancelled"


def test_cancel_naming_no_session_with_two_places_asks_the_coordinator() -> None:
    ctx = context(event("food"), event("textiles"))
    decide(register("food", "textiles"), NGOZI, ctx)
    decision = decide(Request(Intent.CANCEL, confidence=0.9), NGOZI, ctx)
    assert decision.needs_attention and decision.outcome == "unclear"
    assert set(statuses(ctx, "food").values()) == {Status.CONFIRMED}


def test_cancelling_someone_elses_place_is_for_the_coordinator() -> None:
    ctx = context(event("food"))
    priya = Person("priya@camden-council.example")
    decide(register("food"), priya, ctx)
    decision = decide(Request(Intent.CANCEL, event_ids=("food",), people=(priya,),
                              confidence=0.9), NGOZI, ctx)
    assert decision.outcome == "unclear"
    assert statuses(ctx, "food") == {priya.email: Status.CONFIRMED}


def test_failed_sender_authentication_blocks_a_cancellation_but_not_a_registration() -> None:
    ctx = context(event("food"), verdict="fail")
    assert decide(register("food"), NGOZI, ctx).outcome == "food=confirmed"
    decision = decide(Request(Intent.CANCEL, event_ids=("food",), confidence=0.9), NGOZI, ctx)
    assert decision.needs_attention and "authentication" in decision.reason
    assert statuses(ctx, "food") == {NGOZI.email: Status.CONFIRMED}


def test_acknowledgement_is_silent() -> None:
    decision = decide(Request(Intent.ACKNOWLEDGEMENT), NGOZI, context(event("food")))
    assert decision.silent and not decision.reply and not decision.needs_attention


def test_unclear_request_changes_nothing_and_flags_it() -> None:
    ctx = context(event("food"))
    decision = decide(Request(Intent.REGISTER, event_ids=("food",), confidence=0.4,
                              reason="two sessions match"), NGOZI, ctx)
    assert decision.needs_attention and decision.reason == "two sessions match"
    assert [n.outcome for n in decision.reply] == ["unclear"]
    assert statuses(ctx, "food") == {}


def test_substitute_from_another_organisation_is_flagged() -> None:
    ctx = context(event("food"))
    decide(register("food"), NGOZI, ctx)
    decision = decide(Request(Intent.SUBSTITUTE, event_ids=("food",),
                              substitute=Person("tom@westbury.ac.example"), confidence=0.9),
                      NGOZI, ctx)
    assert decision.outcome == "unclear" and decision.needs_attention
    assert statuses(ctx, "food") == {NGOZI.email: Status.CONFIRMED}


def test_substitute_from_same_organisation_takes_the_place_without_touching_waitlist() -> None:
    ctx = context(event("food", capacity=1))
    decide(register("food"), NGOZI, ctx)
    waiting = Person("w@westbury.ac.example")
    decide(register("food"), waiting, ctx)
    jo = Person("jo@camden-council.example", "Jo Bloggs")
    decision = decide(Request(Intent.SUBSTITUTE, event_ids=("food",), substitute=jo,
                              confidence=0.9), NGOZI, ctx)
    assert decision.outcome == "food=substituted"
    assert [n.email for n in decision.notify] == [jo.email]
    assert statuses(ctx, "food") == {NGOZI.email: Status.SUBSTITUTED,
                                     waiting.email: Status.WAITLISTED,
                                     jo.email: Status.CONFIRMED}


def test_outcome_header_puts_the_requesters_own_outcomes_first() -> None:
    notices = [Notice("confirmed", "food", "a@x"), Notice("waitlisted", "food", "b@x")]
    assert outcome_header(notices, "b@x") == "food=waitlisted"
    assert outcome_header(notices, "c@x") == "food=confirmed; food=waitlisted"
    assert outcome_header([Notice("not-eligible", "", "a@x")], "a@x") == "not-eligible"


def test_substitution_naming_no_session_uses_the_senders_only_place() -> None:
    ctx = context(event("food"), event("textiles"))
    decide(register("food"), NGOZI, ctx)
    jo = Person("jo@camden-council.example", "Jo Bloggs")
    decision = decide(Request(Intent.SUBSTITUTE, substitute=jo, confidence=0.9), NGOZI, ctx)
    assert decision.outcome == "food=substituted"
    assert statuses(ctx, "food")[jo.email] == Status.CONFIRMED


def test_substitution_naming_no_session_with_two_places_asks_the_coordinator() -> None:
    ctx = context(event("food"), event("textiles"))
    decide(register("food", "textiles"), NGOZI, ctx)
    jo = Person("jo@camden-council.example", "Jo Bloggs")
    decision = decide(Request(Intent.SUBSTITUTE, substitute=jo, confidence=0.9), NGOZI, ctx)
    assert decision.outcome == "unclear" and decision.needs_attention
    assert jo.email not in statuses(ctx, "food")


def test_non_member_asking_for_a_place_is_not_eligible_even_when_the_details_are_unclear() -> None:
    ctx = context(event("food"))
    unsure = Request(Intent.REGISTER, event_ids=(), confidence=0.3,
                     reason="does not say which session")
    decision = decide(unsure, Person("sam@riverside-housing.example"), ctx)
    assert decision.outcome == "not-eligible"
    assert not decision.needs_attention
    assert statuses(ctx, "food") == {}


def test_non_members_question_still_goes_to_the_coordinator() -> None:
    question = Request(Intent.QUESTION, confidence=0.0, reason="asks about membership")
    decision = decide(question, Person("jo@consultancy.example"), context(event("food")))
    assert decision.outcome == "unclear" and decision.needs_attention


def test_members_unclear_request_is_still_unclear() -> None:
    unsure = Request(Intent.REGISTER, event_ids=(), confidence=0.3,
                     reason="does not say which session")
    decision = decide(unsure, NGOZI, context(event("food")))
    assert decision.outcome == "unclear"
