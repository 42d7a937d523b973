"""A session's counts by status, kept beside its places, are the places' own count, whoever
writes them and whenever the database was made."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from mailflow.model import EventInfo, Member
from mailflow.store import PlaceRow, create_schema, make_engine, sync_config
from mailflow.tables import SessionCount

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MEMBERS = (Member("Member Org", ("x.example",), "full"),)
EVENTS = tuple(
    EventInfo(id=eid, title=eid, format="webinar", starts=NOW + timedelta(days=30 + n),
              ends=NOW + timedelta(days=30 + n, hours=1), capacity=2,
              registration_closes=NOW + timedelta(days=20 + n))
    for n, eid in enumerate(["alpha", "beta", "gamma"]))

_P = PlaceRow.__table__  # type: ignore[attr-defined]
_C = SessionCount.__table__  # type: ignore[attr-defined]


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Engine:
    url = (f"sqlite:///{tmp_path}/counts.db" if request.param == "sqlite"
           else request.getfixturevalue("pg_url"))
    made = make_engine(url)
    create_schema(made)
    sync_config(made, EVENTS, MEMBERS)
    return made


def counted(engine: Engine) -> dict[tuple[str, str], int]:
    with engine.connect() as conn:
        return {(e, s): n for e, s, n in conn.execute(select(_C.c.event_id, _C.c.status, _C.c.n))
                if n}


def recounted(engine: Engine) -> dict[tuple[str, str], int]:
    with engine.connect() as conn:
        return {(e, s): n for e, s, n in conn.execute(
            select(_P.c.event_id, _P.c.status, func.count()).group_by(_P.c.event_id,
                                                                      _P.c.status))}


def place(event_id: str, email: str, status: str) -> dict[str, object]:
    return dict(event_id=event_id, email=email, name="", organisation="", status=status,
                joined_at=NOW, queue=1.0, offer_expires=None, forced=False, updated_at=NOW)


def test_counts_follow_inserts_status_changes_moves_and_deletes(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(_P.insert(), [place("alpha", f"p{i}@x.example", s) for i, s in
                                   enumerate(["confirmed", "confirmed", "waitlisted",
                                              "offered", "waitlisted"])])
    assert counted(engine) == {("alpha", "confirmed"): 2, ("alpha", "waitlisted"): 2,
                               ("alpha", "offered"): 1}
    with engine.begin() as conn:
        conn.execute(_P.update().where(_P.c.email == "p3@x.example")
                     .values(status="confirmed"))
        conn.execute(_P.update().where(_P.c.email == "p2@x.example").values(event_id="beta"))
        conn.execute(_P.update().where(_P.c.email == "p0@x.example").values(name="same count"))
        conn.execute(_P.delete().where(_P.c.email == "p1@x.example"))
    assert counted(engine) == recounted(engine) == {
        ("alpha", "confirmed"): 2, ("alpha", "waitlisted"): 1, ("beta", "waitlisted"): 1}
    with engine.begin() as conn:
        conn.execute(_P.delete())
    assert counted(engine) == {}


def test_a_rolled_back_change_leaves_the_counts_as_they_were(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(_P.insert(), [place("gamma", "a@x.example", "confirmed")])
    conn = engine.connect()
    try:
        with conn.begin() as transaction:
            conn.execute(_P.insert(), [place("gamma", "b@x.example", "confirmed")])
            transaction.rollback()
    finally:
        conn.close()
    assert counted(engine) == {("gamma", "confirmed"): 1}


def test_a_database_made_before_the_counts_gains_them_from_its_places(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(_P.insert(), [place(e.id, f"{e.id}{i}@x.example", s)
                                   for e in EVENTS for i, s in enumerate(
                                       ["confirmed", "waitlisted", "waitlisted", "cancelled"])])
    # As an older mailflow left it: places, and neither the triggers nor the counts.
    with engine.begin() as conn:
        for name in ("places_count_insert", "places_count_delete", "places_count_update"):
            conn.execute(text(f"DROP TRIGGER {name}"
                              + (" ON places" if engine.dialect.name == "postgresql" else "")))
        conn.execute(_C.delete())
    create_schema(engine)
    assert counted(engine) == recounted(engine)
    assert counted(engine)[("alpha", "waitlisted")] == 2
    with engine.begin() as conn:  # and keeps them from then on
        conn.execute(_P.insert(), [place("alpha", "late@x.example", "waitlisted")])
    assert counted(engine)[("alpha", "waitlisted")] == 3
    create_schema(engine)  # a second start changes nothing
    assert counted(engine) == recounted(engine)


def test_handling_mail_keeps_the_counts(tmp_path: Path) -> None:
    from support import mail, write_config

    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                       password="pw", smtp_port=1, db_url=f"sqlite:///{tmp_path}/m.db",
                       capacity=2)
    desk = rig.desk(clock=lambda: datetime.now(UTC) - timedelta(minutes=1))
    for n, who in enumerate(("ann", "bob", "cat", "dan")):
        desk.handle(mail(f"{who}@camden-council.example", "Booking",
                         "Please register me for the construction webinar."), 7, n + 1)
    desk.handle(mail("ann@camden-council.example", "Cancel",
                     "Please cancel my place on the construction webinar."), 7, 9)
    desk.sweep()
    assert counted(desk.engine) == recounted(desk.engine)
    assert sum(counted(desk.engine).values()) == 4
