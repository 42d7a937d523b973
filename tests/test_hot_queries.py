"""Every query handling mail and sending replies makes is answered from an index, not a scan."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, text
from sqlmodel import select

from mailflow.handle import Desk
from mailflow.outbox import deliver
from mailflow.store import OutboxRow, unit_of_work

from support import mail, write_config

ADDR = "camden-council.example"


class Inbox:
    """An SMTP stand-in for the outbox: it keeps what it is given."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes]] = []

    def send(self, sender: str, recipient: str, raw: bytes) -> None:
        self.sent.append((recipient, raw))


def hot_path(desk: Desk) -> list[tuple[str, Any]]:
    """The statements a realistic run makes: bookings, a full session's waiting list, a
    cancellation passing the place on, an in-thread yes to the offer, a question, sending."""
    seen: list[tuple[str, Any]] = []
    looking = [False]  # the test's own look-up is not the hot path

    def capture(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any,
                executemany: bool) -> None:
        if not looking[0] and statement.lstrip().upper().startswith(
                ("SELECT", "UPDATE", "DELETE")):
            seen.append((statement, parameters[0] if executemany else parameters))

    event.listen(desk.engine, "before_cursor_execute", capture)
    try:
        uid = iter(range(1, 100))
        for who in ("ann", "bob", "cat", "dan"):  # capacity 2: cat and dan wait
            desk.handle(mail(f"{who}@{ADDR}", "Booking",
                             "Please register me for the construction webinar."), 7, next(uid))
        # Names the session: a cancel naming none and answering nothing of ours is asked about.
        desk.handle(mail(f"ann@{ADDR}", "Cancel",
                         "Please cancel my place on the construction webinar, I can't come."),
                    7, next(uid))
        looking[0] = True
        with unit_of_work(desk.engine) as uow:
            offer = uow.session.exec(select(OutboxRow.message_id).where(
                OutboxRow.kind == "offer")).one()
        looking[0] = False
        desk.handle(mail(f"cat@{ADDR}", "Re: offer", "Yes please, I'll take it.",
                         in_reply_to=offer), 7, next(uid))
        desk.handle(mail(f"eve@{ADDR}", "Parking", "Is there parking near the venue?"),
                    7, next(uid))
        deliver(desk.engine, Inbox(), desk.settings.smtp.from_address, desk.clock)
    finally:
        event.remove(desk.engine, "before_cursor_execute", capture)
    return seen


def desk_on(db_url: str, tmp_path: Path) -> Desk:
    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                       password="pw", smtp_port=1, db_url=db_url, capacity=2)
    return rig.desk(clock=lambda: datetime.now(UTC))


SCAN = re.compile(r"\bSCAN (\w+)(?! USING (?:COVERING )?INDEX)")


def test_hot_queries_search_an_index_on_sqlite(tmp_path: Path) -> None:
    desk = desk_on(f"sqlite:///{tmp_path}/m.db", tmp_path)
    statements = hot_path(desk)
    assert len(statements) >= 15  # a run with every kind of read (fewer as reads are folded)
    # The combined reads (a sender's row with today's replies; places with counts) are here.
    assert sum("UNION ALL" in statement for statement, _ in statements) >= 2
    scans = []
    with desk.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        for statement, params in statements:
            plan = " / ".join(row[3] for row in raw.execute(
                f"EXPLAIN QUERY PLAN {statement}", params).fetchall())
            # A temporary B-tree is a sort or grouping no index serves: a scan in disguise.
            if (SCAN.search(plan) and "SCAN CONSTANT ROW" not in plan) or "TEMP B-TREE" in plan:
                scans.append(f"{plan}\n    {statement}")
    assert not scans, "full scans on the hot path:\n" + "\n".join(scans)


def test_hot_queries_can_use_an_index_on_postgresql(pg_url: str, tmp_path: Path) -> None:
    desk = desk_on(pg_url, tmp_path)
    statements = hot_path(desk)
    assert len(statements) >= 15  # a run with every kind of read (fewer as reads are folded)
    # The combined reads (a sender's row with today's replies; places with counts) are here.
    assert sum("UNION ALL" in statement for statement, _ in statements) >= 2
    scans = []
    engine: Engine = desk.engine
    with engine.connect() as conn:
        # Tiny tables are cheaper to scan, so the planner would say Seq Scan regardless;
        # with scans priced out, a Seq Scan in the plan means no index can answer.
        conn.execute(text("SET enable_seqscan = off"))
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for statement, params in statements:
            if "pg_advisory" in statement:
                continue
            cursor.execute(f"EXPLAIN {statement}", params)
            plan = " / ".join(row[0] for row in cursor.fetchall())
            if "Seq Scan" in plan:
                scans.append(f"{plan}\n    {statement}")
    assert not scans, "sequential scans on the hot path:\n" + "\n".join(scans)


PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# An equality an index scan checks after reading the row: the index did not answer it, so the
# scan reads rows it throws away, as many as the history holds (a session's every invite,
# every pending reply), and the cost per message grows with it.
FILTERED = re.compile(r"^\s*Filter: .*(?: = |= ANY)")


def generic_plan(cursor: Any, name: str, statement: str, params: dict[str, Any]) -> list[str]:
    """The plan PostgreSQL caches for a statement once it is prepared (psycopg prepares what
    a connection runs five times): made with its parameters unknown, as "$1"."""
    from psycopg import sql

    order: list[str] = []

    def number(m: re.Match[str]) -> str:
        if m.group(1) not in order:
            order.append(m.group(1))
        return f"${order.index(m.group(1)) + 1}"

    cursor.execute(f"PREPARE {name} AS " + PLACEHOLDER.sub(number, statement).replace("%%", "%"))
    args = sql.SQL(", ").join(sql.Literal(params[k]) for k in order)
    cursor.execute(sql.SQL("EXPLAIN EXECUTE {}" + ("({})" if order else "")).format(
        sql.Identifier(name), args))
    plan = [row[0] for row in cursor.fetchall()]
    cursor.execute(f"DEALLOCATE {name}")
    return plan


def test_hot_queries_cached_plans_answer_every_equality_from_an_index(
        pg_url: str, tmp_path: Path) -> None:
    """The plans a long run actually uses are generic ones, made early, while the tables are
    nearly empty (as in this test): each must still reach its rows through an index that
    answers every equality the statement asks, or it reads more with every message handled."""
    desk = desk_on(pg_url, tmp_path)
    statements = hot_path(desk)
    wrong = []
    with desk.engine.connect() as conn:
        conn.execute(text("SET plan_cache_mode = force_generic_plan"))
        conn.execute(text("SET enable_seqscan = off"))
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        done = set()
        for n, (statement, params) in enumerate(statements):
            if "pg_advisory" in statement or statement in done or not isinstance(params, dict):
                continue
            done.add(statement)
            plan = generic_plan(cursor, f"hot{n}", statement, params)
            if any("Seq Scan" in line or FILTERED.search(line) for line in plan):
                wrong.append("\n".join(plan) + f"\n    {statement}")
    assert len(done) >= 10
    assert not wrong, "cached plans that read rows they throw away:\n" + "\n\n".join(wrong)
