"""The issue-15 fault figures, measured with the real commands against real servers.

Uses only the command line and the oldest stable functions (write_config, poll_once,
deliver), so the same script measures code from before the fixes (run it with that code first
on PYTHONPATH, from outside the repository) and after. Each figure is printed beside the floor
it is compared with, measured in this same run:
  restart  — SIGKILL `mailflow run`, start another at once: seconds until it starts
             (floor: a plain first start);
  orphan   — SIGKILL `mailflow run` while its reply is on the wire, restart: seconds until the
             reply goes out;
  wake-up  — APPEND while the worker is in a pass (poll_seconds = 60): seconds to the reply
             (floor: Dovecot's IDLE notification delay, ~0.5 s, plus one pass);
  relay    — a relay answering 554 to everyone, then recovering: mail failed / sent once;
  backlog  — 2,000 queued mails, one poll: how many it sent;
  folder   — the server refuses CREATE Processed: messages handled by a second poll, and
             warnings `run` logs in 5 s.
Usage: .venv/bin/python bench/faults.py   (cap: CAP seconds per wait, default 70)
"""

from __future__ import annotations

import inspect
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from sqlmodel import select  # noqa: E402

from mailflow.outbox import deliver  # noqa: E402
from mailflow.smtp import SmtpSender  # noqa: E402
from mailflow.store import OutboxRow, unit_of_work  # noqa: E402

from servers import Dovecot, HoldingSink, LockableDovecot, MisconfiguredRelay, SmtpSink  # noqa: E402
from support import Rig, mail, write_config  # noqa: E402

CAP = float(os.environ.get("CAP", "70"))


def request(n: int) -> bytes:
    return mail(f"Member {n} <member{n}@camden-council.example>", "Construction webinar",
                "Hello,\n\nPlease register me for the construction webinar.\n\nThanks")


def rig(workdir: Path, server: Dovecot, user: str, smtp_port: int, poll: float = 0.5) -> Rig:
    return write_config(workdir, imap_host=server.host, imap_port=server.port, username=user,
                        password="pw", smtp_port=smtp_port,
                        db_url=f"sqlite:///{workdir}/m.db", capacity=200,
                        extra=f"[worker]\npoll_seconds = {poll}\nidle = true\n")


def start(r: Rig, log: Path) -> subprocess.Popen[bytes]:
    out = open(log, "ab")  # noqa: SIM115 - the child keeps it
    return subprocess.Popen([sys.executable, "-c", "from mailflow.cli import main; main()",
                             "--config", str(r.path), "-v", "run"],
                            env={**os.environ, **r.env}, stdout=out, stderr=subprocess.STDOUT)


def wait(predicate: Callable[[], bool], cap: float = CAP) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < cap:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.02)
    return None


def fmt(seconds: float | None) -> str:
    return f"> {CAP:g} s (gave up)" if seconds is None else f"{seconds:.2f} s"


def workdir() -> Path:
    return Path(tempfile.mkdtemp(prefix="mailflow-faults-"))


def restart_and_orphan(server: Dovecot) -> None:
    sink = HoldingSink()
    d = workdir()
    user = server.add_user(f"f{uuid.uuid4().hex[:8]}", "pw")
    r = rig(d, server, user, sink.port)
    log = d / "w0.log"
    spawned = time.monotonic()
    first = start(r, log)
    wait(lambda: "worker started" in log.read_text())
    plain = time.monotonic() - spawned
    server.append(user, "INBOX", request(1))
    wait(sink.arrived.is_set, 20)
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed = time.monotonic()
    sink.release.set()
    # Under systemd Restart=on-failure: start again each time it gives up.
    n, started_at, refusals = 0, None, 0
    while time.monotonic() - killed < CAP and started_at is None:
        n += 1
        wlog = d / f"w{n}.log"
        proc = start(r, wlog)
        while proc.poll() is None and "worker started" not in wlog.read_text():
            time.sleep(0.02)
        if "worker started" in wlog.read_text():
            started_at = time.monotonic() - killed
        else:
            refusals += 1
            time.sleep(0.5)
    replied = wait(lambda: len(sink.messages) >= 1, max(0.1, CAP - (time.monotonic() - killed)))
    print(f"restart: started {fmt(started_at)} after SIGKILL ({refusals} refusal(s)); "
          f"floor (plain start) {plain:.2f} s")
    print(f"orphan:  reply claimed by the killed worker sent "
          f"{fmt(None if replied is None else time.monotonic() - killed)} after SIGKILL")
    proc.send_signal(signal.SIGKILL)
    sink.stop()


def wake_up(server: Dovecot) -> None:
    with SmtpSink() as sink:
        d = workdir()
        user = server.add_user(f"f{uuid.uuid4().hex[:8]}", "pw")
        r = rig(d, server, user, sink.port, poll=60)
        log = d / "w.log"
        proc = start(r, log)
        wait(lambda: "worker started" in log.read_text())
        with server.client(user) as client:
            for n in range(12):
                client.append("INBOX", request(n))
        wait(lambda: len(sink.messages) >= 1, 20)
        server.append(user, "INBOX", request(99))
        took = wait(lambda: any(m.rcpt_tos == ["member99@camden-council.example"]
                                for m in sink.messages))
        print(f"wake-up: mail appended during a pass answered in {fmt(took)} "
              f"(floor: Dovecot's IDLE delay ~0.5 s and one pass)")
        proc.send_signal(signal.SIGKILL)


def relay(server: Dovecot) -> None:
    d = workdir()
    user = server.add_user(f"f{uuid.uuid4().hex[:8]}", "pw")
    box = MisconfiguredRelay("rcpt", 1.5)
    try:
        desk = rig(d, server, user, box.port).desk()
        for n in range(20):
            desk.handle(request(n), 1, n + 1)
        deadline = time.monotonic() + 15
        # A short pause for the bench, where the code has one (it is 30 s, doubling).
        fast = ({"pause_first": timedelta(seconds=0.2)}
                if "pause_first" in inspect.signature(deliver).parameters else {})
        with SmtpSender(desk.settings.smtp) as sender:
            while time.monotonic() < deadline:
                deliver(desk.engine, sender, desk.settings.smtp.from_address, desk.clock,
                        **fast)  # type: ignore[arg-type]
                with unit_of_work(desk.engine) as uow:
                    if not uow.session.exec(select(OutboxRow).where(
                            OutboxRow.status == "pending")).first():
                        break
                time.sleep(0.2)
        with unit_of_work(desk.engine) as uow:
            failed = len(uow.session.exec(select(OutboxRow).where(
                OutboxRow.status == "failed")).all())
    finally:
        box.stop()
    print(f"relay:   554 to everyone for 1.5 s: {failed} of 20 failed, "
          f"{len({m.rcpt_tos[0] for m in box.messages})} sent after recovery "
          f"({len(box.messages)} deliveries)")


def backlog(server: Dovecot) -> None:
    with SmtpSink() as sink:
        d = workdir()
        user = server.add_user(f"f{uuid.uuid4().hex[:8]}", "pw")
        r = rig(d, server, user, sink.port)
        desk = r.desk()
        now = datetime.now(UTC)
        with unit_of_work(desk.engine) as uow:
            uow.session.add_all([OutboxRow(
                message_id=f"<b{i}@lupc.example>", kind="notice",
                recipient=f"m{i}@camden-council.example", subject="Notice",
                raw=f"Message-ID: <b{i}@lupc.example>\r\n\r\nhi\r\n".encode(),
                created_at=now, next_attempt_at=now) for i in range(2000)])
            uow.commit()
        started = time.monotonic()
        r.poll(desk)
        print(f"backlog: one poll sent {len(sink.messages)} of 2000 "
              f"({time.monotonic() - started:.1f} s)")


def folder() -> None:
    with LockableDovecot(ssl=False) as server, SmtpSink() as sink:
        user = server.add_user(f"f{uuid.uuid4().hex[:8]}", "pw")
        with server.client(user) as client:
            client.select_folder("INBOX")
        server.refuse_new_folders(user, True)
        d = workdir()
        r = rig(d, server, user, sink.port)
        for n in range(3):
            server.append(user, "INBOX", request(n))
        first = r.cli("poll")
        for n in range(3, 5):
            server.append(user, "INBOX", request(n))
        second = r.cli("poll")
        handled = sum(1 for m in sink.messages)
        print(f"folder:  poll 1 exit {first.returncode}, poll 2 exit {second.returncode}; "
              f"{handled} of 5 requests answered")
        log = d / "run.log"
        proc = start(r, log)
        wait(lambda: "worker started" in log.read_text(), 20)
        server.append(user, "INBOX", request(7))
        time.sleep(5)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        text = log.read_text()
        warnings = sum(1 for line in text.splitlines() if " WARNING " in line)
        print(f"folder:  `run` for 5 s: {warnings} warning line(s), "
              f"{text.count('still unavailable') + text.count('unavailable:')} reconnect "
              f"line(s); answered {len(sink.messages) - handled} of 1 new request")


def main() -> None:
    with Dovecot(ssl=False) as server:
        restart_and_orphan(server)
        wake_up(server)
        relay(server)
        backlog(server)
    folder()


if __name__ == "__main__":
    main()
