"""The durability barrier: what the servers are told is done is on disk first.

SQLite commits under synchronous=NORMAL (no sync per message); before each IMAP MOVE of
handled mail (a barrier of its own) and before each outbox batch is sent (its claim), one
commit under FULL syncs the WAL, and with it every earlier commit. A crash of the machine
cannot be simulated here; what can be observed is: the barrier syncs and ordinary commits
do not (strace), it runs before every MOVE and every send with what those act on already
committed, and a process killed with SIGKILL at the barrier or just after it loses no
handled message and sends no reply twice.
"""

from __future__ import annotations

import email
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from mailflow import filing, outbox, outbox_claims, store_engine
from mailflow.store import (
    HandledMessage,
    OutboxRow,
    create_schema,
    make_durable,
    make_engine,
    unit_of_work,
)
from mailflow.store_engine import DURABLE_KEY

from support import Rig, mail, rig_for


def _requests(imap_user: Any, n: int) -> list[str]:
    senders = [f"member{i}@camden-council.example" for i in range(n)]
    for i, sender in enumerate(senders):
        imap_user.append("INBOX", mail(f"Member {i} <{sender}>", "Construction webinar",
                                       "Hello,\n\nPlease register me for the construction "
                                       f"webinar.\n\nThanks,\nMember {i}"))
    return senders


def _folder(imap_user: Any, folder: str) -> list[int]:
    with imap_user.client() as client:
        if not client.folder_exists(folder):
            return []
        client.select_folder(folder, readonly=True)
        return list(client.search(["ALL"]))


# ---- the barrier itself, on a real SQLite file -----------------------------------------------

_TRACED = textwrap.dedent("""
    import os, sys
    from datetime import UTC, datetime
    from mailflow.outbox_claims import claim
    from mailflow.store import OutboxRow, create_schema, make_durable, make_engine, unit_of_work

    engine = make_engine(f"sqlite:///{sys.argv[1]}")
    create_schema(engine)

    def commit(i):
        with unit_of_work(engine) as uow:
            uow.put_setting("k", str(i), datetime.now(UTC))
            uow.commit()

    def phase(name):  # a system call strace shows between the phases
        os.path.exists(f"/nonexistent/phase-{name}")

    commit(0)
    phase("ordinary")
    for i in range(5):
        commit(i)
    phase("barrier")
    make_durable(engine)
    phase("after")
    for i in range(5):
        commit(i)
    with unit_of_work(engine) as uow:
        now = datetime.now(UTC)
        uow.session.add(OutboxRow(message_id="<r1@lupc.example>", kind="reply",
                                  recipient="m@camden-council.example", subject="Re: x",
                                  raw=b"Subject: Re: x\\r\\n\\r\\nHello\\r\\n", created_at=now,
                                  next_attempt_at=now))
        uow.commit()
    phase("claim")
    assert len(claim(engine, "me", datetime.now(UTC), 100)) == 1
    phase("empty-claim")
    assert claim(engine, "me", datetime.now(UTC), 100) == []
    phase("end")
""")


def _syncs_by_phase(trace: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    phase = ""
    for line in trace.splitlines():
        if "/nonexistent/phase-" in line:
            phase = line.split("/nonexistent/phase-", 1)[1].split('"', 1)[0]
        elif ("fsync(" in line or "fdatasync(" in line) and phase:
            counts[phase] = counts.get(phase, 0) + 1
    return counts


def test_ordinary_commits_do_not_sync_and_the_barrier_and_a_claim_sync_once(tmp_path: Path) -> None:
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed: the syncs cannot be counted")
    script = tmp_path / "traced.py"
    script.write_text(_TRACED)
    out = subprocess.run(["strace", "-f", "-e", "trace=fsync,fdatasync,newfstatat,stat",
                          sys.executable, str(script), str(tmp_path / "m.db")],
                         capture_output=True, text=True, timeout=60, check=False)
    if out.returncode != 0 and "ptrace" in out.stderr:
        pytest.skip(f"strace cannot trace here: {out.stderr.strip()[:200]}")
    assert out.returncode == 0, out.stderr[-2000:]
    syncs = _syncs_by_phase(out.stderr)
    assert syncs.get("ordinary", 0) == 0  # five commits under NORMAL: no sync
    assert syncs.get("barrier", 0) == 1  # the barrier: one sync of the WAL
    assert syncs.get("after", 0) == 0  # and NORMAL again afterwards
    assert syncs.get("claim", 0) == 1  # an outbox batch's claim is its barrier
    assert syncs.get("empty-claim", 0) == 0  # a claim of nothing writes and syncs nothing


def test_the_barrier_records_when_it_ran_and_leaves_commits_unsynced(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/m.db")
    create_schema(engine)
    make_durable(engine)
    with unit_of_work(engine) as uow:
        stamp = uow.get_setting(DURABLE_KEY)
    assert stamp is not None and datetime.fromisoformat(stamp) <= datetime.now(UTC)
    with engine.connect() as conn:
        mode = conn.connection.dbapi_connection.execute(  # type: ignore[union-attr]
            "PRAGMA synchronous").fetchone()
    assert mode == (1,)  # NORMAL: the barrier's FULL was for its own commit only
    engine.dispose()


@pytest.mark.postgres
@pytest.mark.integration
def test_on_postgresql_the_barrier_writes_only_when_commits_are_not_durable_already(
        pg_url: str) -> None:
    database = pg_url.rsplit("/", 1)[1]
    for mode, writes in (("off", True), ("on", False), ("local", False)):
        engine = make_engine(pg_url)
        create_schema(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DELETE FROM settings WHERE key = '{DURABLE_KEY}'")
            conn.exec_driver_sql(f"ALTER DATABASE {database} SET synchronous_commit = {mode}")
        engine.dispose()  # new sessions take the database's setting
        engine = make_engine(pg_url)
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SHOW synchronous_commit").scalar() == mode
        make_durable(engine)
        with unit_of_work(engine) as uow:
            assert (uow.get_setting(DURABLE_KEY) is not None) is writes, mode
        engine.dispose()


# ---- the order: barrier, then MOVE; barrier, then send --------------------------------------


class _Witness:
    """What was committed (read from a second connection) as each durable transaction ended
    (the barrier before a MOVE, an outbox batch's claim), and what each MOVE and each send
    acted on."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.events: list[tuple[str, set[Any]]] = []
        self.real = store_engine.durable_transaction

    def committed(self) -> set[Any]:
        conn = sqlite3.connect(self.db)
        try:
            uids = {r[0] for r in conn.execute("SELECT uid FROM handled_messages")}
            ids = {r[0] for r in conn.execute("SELECT message_id FROM outbox")}
        finally:
            conn.close()
        return uids | ids

    @contextmanager
    def durable_transaction(self, engine: Any) -> Iterator[tuple[Any, bool]]:
        with self.real(engine) as inside:
            yield inside
        self.events.append(("barrier", self.committed()))


def test_handled_mail_is_made_durable_before_it_is_moved_and_before_its_reply_is_sent(
        tmp_path: Path, imap_user: Any, smtp_sink: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    rig = rig_for(tmp_path, imap_user, smtp_sink.port)
    witness = _Witness(tmp_path / "m.db")
    monkeypatch.setattr(store_engine, "durable_transaction", witness.durable_transaction)
    monkeypatch.setattr(outbox_claims, "durable_transaction", witness.durable_transaction)
    real_move = filing.Filing.move

    def move(self: filing.Filing, mailbox: Any, uids: Sequence[int], folder: str) -> bool:
        class Watched:
            def move(self, moving: Sequence[int], to: str) -> None:
                witness.events.append(("move", set(moving)))
                mailbox.move(moving, to)
        return real_move(self, Watched(), uids, folder)

    monkeypatch.setattr(filing.Filing, "move", move)
    real_send = outbox._send_one  # noqa: SLF001

    def send(engine: Any, recorder: Any, sender: Any, *rest: Any) -> str:
        class Watched:
            def send(self, frm: str, to: str, raw: bytes) -> None:
                message_id = email.message_from_bytes(raw)["Message-ID"]
                witness.events.append(("send", {message_id}))
                sender.send(frm, to, raw)
        return real_send(engine, recorder, Watched(), *rest)

    monkeypatch.setattr(outbox, "_send_one", send)
    senders = _requests(imap_user, 4)

    report = rig.poll()

    assert report.dispositions == {"handled": 4} and report.sent == 4
    kinds = [kind for kind, _ in witness.events]
    # The barrier, the MOVE; the claim (durable), the four sends; the last claim finds none.
    assert kinds == ["barrier", "move", "barrier", "send", "send", "send", "send", "barrier"]
    durable: set[Any] = set()
    for kind, what in witness.events:
        if kind == "barrier":
            durable = what
        else:  # every message moved, every reply sent, was committed before the last barrier
            assert what <= durable, (kind, what - durable)
    assert sorted(m.rcpt_tos[0] for m in smtp_sink.messages) == sorted(senders)


# ---- SIGKILL at the barrier, or just after it ------------------------------------------------

_KILLED_AT_BARRIER = textwrap.dedent("""
    import contextlib, os, signal, sys
    import mailflow.outbox_claims, mailflow.store, mailflow.store_engine

    which, when = int(sys.argv[1]), sys.argv[2]
    real = mailflow.store_engine.durable_transaction
    calls = [0]

    @contextlib.contextmanager
    def durable_transaction(engine):
        calls[0] += 1
        if calls[0] == which and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        with real(engine) as inside:
            yield inside
        if calls[0] == which and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)

    for module in (mailflow.store, mailflow.store_engine, mailflow.outbox_claims):
        module.durable_transaction = durable_transaction
    from mailflow.cli import main
    sys.argv = ["mailflow", *sys.argv[3:]]
    main()
""")


def _poll(rig: Rig, script: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    code = [str(script), *args] if script else ["-c", "from mailflow.cli import main; main()"]
    return subprocess.run([sys.executable, *code, "--config", str(rig.path), "poll"],
                          env={**os.environ, **rig.env}, capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize(("barrier", "when"), [
    (1, "before"), (1, "after"),  # the barrier before the MOVE
    (2, "before"), (2, "after"),  # the outbox batch's claim, before the first send
])
def test_a_poll_killed_at_the_barrier_loses_no_handled_mail_and_sends_no_reply_twice(
        tmp_path: Path, imap_user: Any, smtp_sink: Any, barrier: int, when: str) -> None:
    rig = rig_for(tmp_path, imap_user, smtp_sink.port)
    senders = _requests(imap_user, 5)
    script = tmp_path / "killed.py"
    script.write_text(_KILLED_AT_BARRIER)

    killed = _poll(rig, script, str(barrier), when)
    assert killed.returncode == -9, killed.stderr[-2000:]
    moved_before = _folder(imap_user, "Processed")
    assert len(moved_before) == (0 if barrier == 1 else 5)
    assert smtp_sink.messages == []  # killed before anything was sent

    again = _poll(rig, None)

    assert again.returncode == 0, again.stderr[-2000:]
    assert _folder(imap_user, "INBOX") == []
    assert len(_folder(imap_user, "Processed")) == 5
    engine = make_engine(f"sqlite:///{tmp_path}/m.db")
    with unit_of_work(engine) as uow:
        handled = list(uow.session.exec(select(HandledMessage.sender)).all())
        statuses = list(uow.session.exec(select(OutboxRow.status)).all())
    engine.dispose()
    assert sorted(handled) == sorted(senders)  # each handled once
    assert statuses == ["sent"] * 5
    ids = Counter(email.message_from_bytes(m.data)["Message-ID"] for m in smtp_sink.messages)
    assert len(ids) == 5 and set(ids.values()) == {1}  # one reply each, none twice
    assert sorted(m.rcpt_tos[0] for m in smtp_sink.messages) == sorted(senders)
