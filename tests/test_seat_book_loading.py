"""Loading only the places a message can touch decides exactly as loading the whole book does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from mailflow.decide import Context, Decision, Directory, decide
from mailflow.handle import touched_rosters
from mailflow.model import EventInfo, Intent, Member, Person, Request
from mailflow.seats import Status
from mailflow.store import PlaceRow, UnitOfWork, create_schema, make_engine, sync_config

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
HOLD = timedelta(hours=48)
DOMAIN = "member.example"
MEMBERS = (Member("Member Org", (DOMAIN,), "full"),)
EVENTS = tuple(
    EventInfo(id=eid, title=eid, format="webinar", starts=NOW + timedelta(days=30 + n),
              ends=NOW + timedelta(days=30 + n, hours=1), capacity=cap,
              registration_closes=NOW + timedelta(days=20 + n))
    for n, (eid, cap) in enumerate([("alpha", 2), ("beta", 3), ("gamma", 1)]))
PEOPLE = [f"p{i}@{DOMAIN}" for i in range(8)]

# Mostly the statuses that hold or wait for a place, so full sessions with a queue are common.
STATUSES = [*[Status.CONFIRMED] * 4, *[Status.WAITLISTED] * 4, *[Status.OFFERED] * 2,
            *Status]
books = st.lists(  # per session: which people hold a place, with what status
    st.dictionaries(st.sampled_from(range(len(PEOPLE))), st.sampled_from(STATUSES),
                    max_size=7),
    min_size=len(EVENTS), max_size=len(EVENTS))
requests = st.builds(
    lambda intent, events, sender, people, sub: (
        Request(intent=intent, event_ids=tuple(events),
                people=tuple(Person(PEOPLE[p]) for p in people),
                substitute=Person(PEOPLE[sub]) if intent is Intent.SUBSTITUTE else None),
        Person(PEOPLE[sender])),
    st.sampled_from([Intent.REGISTER, Intent.CANCEL, Intent.ACCEPT_OFFER, Intent.DECLINE_OFFER,
                     Intent.SUBSTITUTE]),
    st.lists(st.sampled_from([e.id for e in EVENTS]), max_size=2, unique=True),
    st.sampled_from(range(len(PEOPLE))),
    st.lists(st.sampled_from(range(len(PEOPLE))), max_size=2, unique=True),
    st.sampled_from(range(len(PEOPLE))))


def fill(engine: Engine, book: list[dict[int, Status]], order: list[int]) -> None:
    with engine.begin() as conn:
        conn.execute(PlaceRow.__table__.delete())  # type: ignore[attr-defined]
        rows = []
        for event, places in zip(EVENTS, book, strict=True):
            for person, status in places.items():
                n = order.index(person)
                rows.append(dict(
                    event_id=event.id, email=PEOPLE[person], name=f"P{person}",
                    organisation="Member Org", status=status.value,
                    joined_at=NOW - timedelta(hours=10 - n), queue=float(n + 1),
                    offer_expires=NOW + HOLD if status is Status.OFFERED else None,
                    forced=False, updated_at=NOW))
        if rows:
            conn.execute(PlaceRow.__table__.insert(), rows)  # type: ignore[attr-defined]


def outcome(engine: Engine, request: Request, sender: Person,
            partial: bool) -> tuple[Decision, list[tuple[object, ...]]]:
    """The decision and the book after it, rolled back afterwards."""
    uow = UnitOfWork(engine)
    try:
        rosters = (touched_rosters(uow, EVENTS, request, sender) if partial
                   else uow.lock_rosters(EVENTS))
        ctx = Context(rosters=rosters, directory=Directory(MEMBERS), now=NOW, hold=HOLD)
        decision = decide(request, sender, ctx)
        uow.save_rosters(rosters, NOW)
        uow.session.flush()
        t = PlaceRow.__table__.c  # type: ignore[attr-defined]
        book = [tuple(r) for r in uow.session.execute(
            select(t.event_id, t.email, t.status, t.queue, t.joined_at, t.offer_expires)
            .order_by(t.event_id, t.email)).all()]
        return decision, book
    finally:
        uow.close()


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    directory = tmp_path_factory.mktemp("book")
    made = make_engine(f"sqlite:///{directory}/book.db")
    create_schema(made)
    sync_config(made, EVENTS, MEMBERS)
    return made


@settings(max_examples=200, deadline=None)
@given(book=books, order=st.permutations(range(len(PEOPLE))), asked=requests)
def test_a_decision_on_the_touched_places_equals_one_on_the_whole_book(
        engine: Engine, book: list[dict[int, Status]], order: list[int],
        asked: tuple[Request, Person]) -> None:
    request, sender = asked
    fill(engine, book, order)
    assert outcome(engine, request, sender, partial=True) == \
        outcome(engine, request, sender, partial=False)
