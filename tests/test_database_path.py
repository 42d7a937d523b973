"""The database path of one message: few round trips, yet all or nothing, and no lost mail."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import event as sa_event
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import select

from mailflow.handle import Desk
from mailflow.outbox import deliver
from mailflow.parse import parse_message
from mailflow.seats import Roster
from mailflow.store import AuditEntry, HandledMessage, OutboxRow, PlaceRow, unit_of_work

from support import mail, write_config

ADDR = "camden-council.example"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def desk_on(db_url: str, tmp_path: Path, capacity: int = 15,
            clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> Desk:
    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                       password="pw", smtp_port=1, db_url=db_url, capacity=capacity)
    return rig.desk(clock=clock)


def slow_clock() -> datetime:
    """A clock that takes its time: the desk asks it between deciding on the seats and
    committing, so two desks' transactions overlap there as a busy machine's would."""
    time.sleep(0.01)
    return datetime.now(UTC)


def handled_row(message_id: str) -> dict[str, object]:
    return dict(message_id=message_id, sender=f"ann@{ADDR}", handled_at=NOW,
                disposition="handled", outcome="confirmed")


def outbox_row(message_id: str) -> dict[str, object]:
    return dict(message_id=message_id, kind="reply", recipient=f"ann@{ADDR}", subject="Re: x",
                raw=b"Subject: x\r\n\r\nx\r\n", created_at=NOW, next_attempt_at=NOW)


def test_a_unit_whose_record_clashes_at_commit_writes_none_of_its_rows(
        db_url: str, tmp_path: Path) -> None:
    engine = desk_on(db_url, tmp_path).engine
    with unit_of_work(engine) as uow:
        uow.record(handled_row("<m1@x>"))
        uow.queue(outbox_row("<r1@x>"))
        uow.commit()
    with unit_of_work(engine) as uow, pytest.raises(IntegrityError):
        # Another worker recorded <m1@x> first: its reply and audit entry must not go out.
        uow.queue(outbox_row("<r2@x>"))
        uow.audit(dict(at=NOW, email=f"ann@{ADDR}", event_id="", action="confirmed",
                       actor=f"ann@{ADDR}"))
        uow.record(handled_row("<m1@x>"))
        uow.commit()
    with unit_of_work(engine) as uow:
        assert uow.session.exec(select(OutboxRow.message_id)).all() == ["<r1@x>"]
        assert uow.session.exec(select(AuditEntry)).all() == []
        assert len(uow.session.exec(select(HandledMessage)).all()) == 1
    # The connection the failed commit used is fit for the next unit.
    with unit_of_work(engine) as uow:
        uow.record(handled_row("<m2@x>"))
        uow.commit()
    with unit_of_work(engine) as uow:
        assert len(uow.session.exec(select(HandledMessage)).all()) == 2


def test_a_message_after_the_server_dropped_every_connection_is_handled_not_flagged(
        pg_url: str, tmp_path: Path) -> None:
    desk = desk_on(pg_url, tmp_path)
    first = desk.handle(mail(f"ann@{ADDR}", "Booking",
                             "Please register me for the construction webinar."), 7, 1)
    assert first.outcome == "construction=confirmed"
    # What a server restart or an idle timeout does to the connections the pool keeps.
    url = desk.engine.url
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname="postgres",
                         autocommit=True) as admin:
        ended = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = %s", (url.database,)).fetchone()
    assert ended is not None and ended[0] >= 1

    second = desk.handle(mail(f"bob@{ADDR}", "Booking",
                              "Please register me for the construction webinar."), 7, 2)

    assert (second.disposition, second.outcome) == ("handled", "construction=confirmed")
    with unit_of_work(desk.engine) as uow:
        rows = uow.session.exec(select(HandledMessage)).all()
        assert [(r.sender, r.needs_attention) for r in rows] == [
            (f"ann@{ADDR}", False), (f"bob@{ADDR}", False)]
        assert len(uow.session.exec(select(PlaceRow)).all()) == 2
        assert len(uow.session.exec(select(OutboxRow)).all()) == 2


def test_two_desks_at_once_keep_a_session_within_capacity_and_each_message_once(
        pg_url: str, tmp_path: Path) -> None:
    desks = [desk_on(pg_url, tmp_path, 3, slow_clock), desk_on(pg_url, tmp_path, 3, slow_clock)]
    booking = "Please register me for the construction webinar."
    work: list[list[tuple[bytes, int]]] = [[], []]
    for n in range(24):  # capacity 3: both desks count the free places at the same time
        work[n % 2].append((mail(f"new{n:02d}@{ADDR}", "Booking", booking), 100 + n))
    for side in (0, 1):  # two of the first booked cancel, freeing places while others book
        work[side].insert(6, (mail(f"new{side:02d}@{ADDR}", "Cancel",
                                   "Please cancel my place on the construction webinar."),
                              200 + side))
    shared = [mail(f"dup{n}@{ADDR}", "Booking", booking) for n in range(4)]
    for side in (0, 1):  # the same four messages reach both desks (same UIDs too)
        work[side][2:2] = [(raw, 300 + n) for n, raw in enumerate(shared)]
    start = threading.Barrier(2)
    results: list[list[str]] = [[], []]

    def run(side: int) -> None:
        start.wait()
        for raw, uid in work[side]:
            results[side].append(desks[side].handle(raw, 7, uid).disposition)

    threads = [threading.Thread(target=run, args=(side,)) for side in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    assert "error" not in results[0] + results[1]
    assert sorted(results[0] + results[1]).count("duplicate") == 4
    with unit_of_work(desks[0].engine) as uow:
        places = {p.email: p.status for p in uow.session.exec(select(PlaceRow)).all()}
        handled = uow.session.exec(select(HandledMessage.message_id)).all()
        replies = uow.session.exec(select(OutboxRow.cause).where(OutboxRow.kind == "reply")).all()
    holding = [s for s in places.values() if s in ("confirmed", "offered")]
    assert len(holding) == 3  # the freed places were passed on, and never more than 3 held
    assert places[f"new00@{ADDR}"] == places[f"new01@{ADDR}"] == "cancelled"
    assert len(handled) == len(set(handled)) == 24 + 2 + 4
    assert sorted(replies) == sorted(handled)  # one answer per message, none twice


def test_a_place_saved_twice_in_one_unit_is_written_once_as_last_saved(
        db_url: str, tmp_path: Path) -> None:
    desk = desk_on(db_url, tmp_path, capacity=2)
    event = desk.settings.event("construction")
    assert event is not None
    hold = desk.hold
    with unit_of_work(desk.engine) as uow:
        rosters = uow.load_rosters([event], {f"ann@{ADDR}"})
        rosters["construction"].register(f"ann@{ADDR}", "Ann", "Camden", NOW, hold)
        uow.save_rosters(rosters, NOW)
        rosters["construction"].cancel(f"ann@{ADDR}", NOW, hold)  # not yet written: held
        uow.save_rosters(rosters, NOW)
        # A read of the book writes what is held first, so what it loads is current ...
        again = uow.load_rosters([event], {f"ann@{ADDR}", f"bob@{ADDR}"})
        again["construction"].register(f"bob@{ADDR}", "Bob", "Camden", NOW, hold)
        uow.save_rosters(again, NOW)
        # ... and a place written then is updated by a later save, not inserted again.
        rosters["construction"].register(f"ann@{ADDR}", "Ann", "Camden", NOW, hold)
        uow.save_rosters(rosters, NOW)
        uow.commit()
    with unit_of_work(desk.engine) as uow:
        places = {p.email: p.status for p in uow.session.exec(select(PlaceRow)).all()}
    assert places == {f"ann@{ADDR}": "confirmed", f"bob@{ADDR}": "confirmed"}


def test_replies_read_with_the_sender_count_those_queued_since_as_a_fresh_read_does(
        db_url: str, tmp_path: Path) -> None:
    engine = desk_on(db_url, tmp_path).engine
    ann = f"ann@{ADDR}"
    with unit_of_work(engine) as uow:
        uow.queue(dict(outbox_row("<r1@x>"), outcome="unclear", subject="Re: one"))
        uow.commit()
    with unit_of_work(engine) as uow:
        uow.know_sender(ann, NOW)
        assert [r.subject for r in uow.replies_today(ann, NOW)] == ["Re: one"]
        assert not uow.is_silenced(ann)
        uow.queue(dict(outbox_row("<r2@x>"), outcome="unclear", subject="Re: two"))
        uow.queue(dict(outbox_row("<n1@x>"), kind="notice", subject="A notice"))
        uow.queue(dict(outbox_row("<r0@x>"), subject="Re: yesterday",
                       created_at=NOW - timedelta(days=1)))
        cached = [r.subject for r in uow.replies_today(ann, NOW)]
        uow.commit()
    with unit_of_work(engine) as uow:
        fresh = [r.subject for r in uow.replies_today(ann, NOW)]
    assert sorted(cached) == sorted(fresh) == ["Re: one", "Re: two"]


def test_the_seat_book_read_with_a_message_s_first_read_is_what_a_fresh_read_loads(
        db_url: str, tmp_path: Path) -> None:
    desk = desk_on(db_url, tmp_path, capacity=2)
    booking = "Please register me for the construction webinar."
    for n, who in enumerate(("ann", "bob", "cat", "dan", "fay")):  # cat, dan and fay wait
        desk.handle(mail(f"{who}@{ADDR}", "Booking", booking), 7, n + 1)
    event = desk.settings.event("construction")
    assert event is not None
    people = {f"ann@{ADDR}", f"dan@{ADDR}", f"eve@{ADDR}"}

    def loaded(roster: Roster) -> tuple[object, ...]:
        return (sorted((p.email, p.status.value, p.queue) for p in roster.places), roster.rest)

    with unit_of_work(desk.engine) as uow:
        fresh = loaded(uow.load_rosters([event], people)["construction"])
    with unit_of_work(desk.engine) as uow:
        eve = parse_message(mail(f"eve@{ADDR}", "Booking", booking))
        assert uow.record_key(eve, 7, 99, sender_since=NOW, book=([event], people)) is not None
        ahead = uow.load_rosters([event], people)
        assert loaded(ahead["construction"]) == fresh
        ahead["construction"].register(f"eve@{ADDR}", "Eve", "Camden", NOW, desk.hold)
        uow.save_rosters(ahead, NOW)
        # Read again after a change: the book as it is now, not as read ahead.
        again = uow.load_rosters([event], people)["construction"]
        assert f"eve@{ADDR}" in {p.email for p in again.places}
    # Ann's and dan's places, and the head of the list as long as the places they could free.
    assert [email for email, _, _ in fresh[0]] == [f"{who}@{ADDR}" for who in
                                                   ("ann", "cat", "dan", "fay")]


def test_calendar_entries_read_with_a_message_s_first_read_are_what_a_fresh_read_finds(
        db_url: str, tmp_path: Path) -> None:
    desk = desk_on(db_url, tmp_path)
    booking = "Please register me for the construction webinar."
    desk.handle(mail(f"ann@{ADDR}", "Booking", booking), 7, 1)  # confirmed: she has an entry
    event = desk.settings.event("construction")
    assert event is not None
    ann, bob = f"ann@{ADDR}", f"bob@{ADDR}"
    with unit_of_work(desk.engine) as uow:
        uow.queue(dict(outbox_row("<earlier@x>"), recipient=bob,
                       outcome="construction=confirmed"))
        uow.commit()
    with unit_of_work(desk.engine) as uow:
        fresh = {who: (uow.invite_for("construction", who), uow.mailed_to(who))
                 for who in (ann, bob)}
    asked: list[str] = []

    def listener(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        asked.append(statement)

    sa_event.listen(desk.engine, "before_cursor_execute", listener)
    try:
        for n, who in enumerate((ann, bob)):
            with unit_of_work(desk.engine) as uow:
                message = parse_message(mail(who, "Booking", booking))
                assert uow.record_key(message, 7, 50 + n, sender_since=NOW,
                                      book=([event], {who})) is not None
                opened = len(asked)
                entry = uow.invite_for("construction", who)
                assert len(asked) == opened, "the entry was read with the first read"
                mailed = uow.mailed_to(who)
                assert (entry, mailed) == fresh[who]
    finally:
        sa_event.remove(desk.engine, "before_cursor_execute", listener)
    assert fresh[ann][0] is not None and fresh[bob][0] is None
    assert [m.message_id for m in fresh[bob][1]] == ["<earlier@x>"]


def test_mail_whose_sent_mark_was_lost_with_the_connection_is_not_sent_again(
        pg_url: str, tmp_path: Path) -> None:
    desk = desk_on(pg_url, tmp_path)
    for n, who in enumerate(("ann", "bob", "cat")):
        desk.handle(mail(f"{who}@{ADDR}", "Booking",
                         "Please register me for the construction webinar."), 7, n + 1)
    url = desk.engine.url
    sent: list[str] = []

    class DroppingSender:
        """Takes each mail; after the second, the server ends every connection (a restart)."""

        def send(self, sender: str, recipient: str, raw: bytes) -> None:
            sent.append(recipient)
            if len(sent) == 2:
                with psycopg.connect(host=url.host, port=url.port, user=url.username,
                                     dbname="postgres", autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = %s", (url.database,))

    # Noticed when the mark's answer is read (the next mark), or when it cannot be sent.
    with pytest.raises(OperationalError):
        deliver(desk.engine, DroppingSender(), desk.settings.smtp.from_address, desk.clock)
    desk.engine.dispose()  # the pool's connections are gone too
    again = deliver(desk.engine, DroppingSender(), desk.settings.smtp.from_address, desk.clock)
    # Each mail went once: the marks the server took stand, the lost ones are recorded now.
    assert again.resent == 0
    assert sorted(sent) == [f"{who}@{ADDR}" for who in ("ann", "bob", "cat")]
    with unit_of_work(desk.engine) as uow:
        assert {r.status for r in uow.session.exec(select(OutboxRow))} == {"sent"}


def test_a_sent_mark_prepared_on_a_connection_that_lost_it_is_prepared_again(
        pg_url: str, tmp_path: Path) -> None:
    """psycopg ends a ROLLBACK with DEALLOCATE ALL once it has prepared statements of its own:
    a pooled connection's prepared mark is gone after some unit rolled back on it."""
    desk = desk_on(pg_url, tmp_path)
    sent: list[str] = []

    class Sender:
        def send(self, sender: str, recipient: str, raw: bytes) -> None:
            sent.append(recipient)

    def ask(who: str, uid: int) -> None:
        desk.handle(mail(f"{who}@{ADDR}", "Booking",
                         "Please register me for the construction webinar."), 7, uid)

    ask("ann", 1)
    deliver(desk.engine, Sender(), desk.settings.smtp.from_address, desk.clock)
    ask("bob", 2)
    ask("cat", 3)

    def forget(dbapi_conn: psycopg.Connection[object], *_: object) -> None:
        dbapi_conn.pgconn.exec_(b"DEALLOCATE ALL")  # as psycopg's own, after a ROLLBACK

    sa_event.listen(desk.engine, "checkout", forget)
    try:
        again = deliver(desk.engine, Sender(), desk.settings.smtp.from_address, desk.clock)
    finally:
        sa_event.remove(desk.engine, "checkout", forget)
    assert again.sent == 2 and sorted(sent) == [f"{who}@{ADDR}" for who in ("ann", "bob", "cat")]
    with unit_of_work(desk.engine) as uow:
        assert {r.status for r in uow.session.exec(select(OutboxRow))} == {"sent"}
