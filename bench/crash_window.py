"""Duplicates and stuck mail when `mailflow poll` is SIGKILLed while it sends a backlog.

Starts an aiosmtpd sink (tests/servers/), queues N outbox rows in a SQLite database, then
K times starts a real `mailflow poll` (its mailbox unreachable, so it only sends), waits until
it is sending and kills it with SIGKILL at a random moment; a last poll then runs to the end.
It prints how many messages the sink received more than once (same Message-ID) and how many
rows were left unsent, and, measured in this same run with the same code in-process:
  floor  — the share of each message's sending time that lies between the client reading the
           server's 250 and the commit recording it: the part of the crash window that is the
           client's. Expected repeats from it = kills × that share; the ratio compares. What
           is left over is the protocol's own window (the server has stored the message and
           not yet been heard answering 250), which no SMTP client can close; a repeat keeps
           its Message-ID, and a crash repeats at most the one message on the wire.
Usage: .venv/bin/python bench/crash_window.py [N] [K]
"""

from __future__ import annotations

import email
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from sqlmodel import select  # noqa: E402

from mailflow.store import OutboxRow, unit_of_work  # noqa: E402

from servers import SmtpSink, free_port  # noqa: E402
from support import write_config  # noqa: E402


def queue_rows(engine: object, n: int, prefix: str) -> None:
    now = datetime.now(UTC)
    with unit_of_work(engine) as uow:  # type: ignore[arg-type]
        uow.session.add_all([
            OutboxRow(message_id=f"<{prefix}{i}@lupc.example>", kind="notice",
                      recipient=f"member{i}@camden-council.example", subject="Notice",
                      raw=(f"Message-ID: <{prefix}{i}@lupc.example>\r\nSubject: Notice\r\n\r\n"
                           f"Hello {i}\r\n").encode(), created_at=now, next_attempt_at=now)
            for i in range(n)])
        uow.commit()


def window_share(sink: SmtpSink, workdir: Path, n: int = 300) -> float | None:
    """In-process: time in send() versus time recording the 250, over n messages."""
    from mailflow import outbox
    try:
        from mailflow.outbox_claims import Recorder as recorder
    except ImportError:
        try:
            recorder = outbox._Recorder  # type: ignore[attr-defined]  # noqa: SLF001 - before outbox_claims
        except AttributeError:
            return None  # code from before the window was made one statement
    from mailflow.smtp import SmtpSender

    rig = write_config(workdir, imap_host="127.0.0.1", imap_port=free_port(), username="u",
                       password="p", smtp_port=sink.port, db_url=f"sqlite:///{workdir}/w.db")
    desk = rig.desk()
    queue_rows(desk.engine, n, "w")
    timings = {"send": 0.0, "mark": 0.0}
    real_sent = recorder.sent

    def timed_mark(self: object, row_id: int, now: datetime) -> None:
        started = time.perf_counter()
        real_sent(self, row_id, now)  # type: ignore[arg-type]
        timings["mark"] += time.perf_counter() - started

    class TimedSender(SmtpSender):
        def send(self, sender: str, recipient: str, raw: bytes) -> None:
            started = time.perf_counter()
            super().send(sender, recipient, raw)
            timings["send"] += time.perf_counter() - started

    recorder.sent = timed_mark  # type: ignore[method-assign]
    try:
        with TimedSender(desk.settings.smtp) as sender:
            outbox.deliver(desk.engine, sender, desk.settings.smtp.from_address, desk.clock)
    finally:
        recorder.sent = real_sent  # type: ignore[method-assign]
    print(f"in-process: {n} messages, {timings['send'] / n * 1000:.2f} ms sending each, "
          f"{timings['mark'] / n * 1000:.2f} ms from 250 to the recorded mark")
    return timings["mark"] / (timings["send"] + timings["mark"])


def campaign(sink: SmtpSink, workdir: Path, n: int, kills: int) -> tuple[int, int, int, int]:
    rig = write_config(workdir, imap_host="127.0.0.1", imap_port=free_port(), username="u",
                       password="p", smtp_port=sink.port, db_url=f"sqlite:///{workdir}/c.db")
    desk = rig.desk()
    queue_rows(desk.engine, n, "c")
    command = [sys.executable, "-c", "from mailflow.cli import main; main()",
               "--config", str(rig.path), "poll"]
    env = {**os.environ, **rig.env}
    rng = random.Random(15)
    landed = 0
    for _ in range(kills):
        before = len(sink.messages)
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while len(sink.messages) == before and proc.poll() is None \
                and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0.0, 0.4))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            landed += 1
        proc.wait()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=600, check=False)
    ids = Counter(email.message_from_bytes(m.data)["Message-ID"] for m in sink.messages
                  if b"@lupc.example>" in m.data and b"<c" in m.data)
    repeats = sum(c - 1 for c in ids.values())
    with unit_of_work(desk.engine) as uow:
        unsent = sum(1 for status in uow.session.exec(select(OutboxRow.status))
                     if status != "sent")
    return landed, repeats, unsent, len(ids)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    kills = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    workdir = Path(tempfile.mkdtemp(prefix="mailflow-crash-"))
    with SmtpSink() as sink:
        share = window_share(sink, workdir)
        sink.clear()
        landed, repeats, unsent, distinct = campaign(sink, workdir, n, kills)
    print(f"campaign: {n} queued, {landed} SIGKILLs while sending; {distinct} distinct "
          f"messages delivered, {repeats} delivered twice, {unsent} left unsent")
    if share is not None:
        expected = landed * share
        print(f"floor: {share * 100:.1f}% of sending time lies between reading 250 and the "
              f"mark, so {expected:.2f} repeats expected from it; measured/expected = "
              f"{repeats / expected if expected else float('nan'):.2f}")


if __name__ == "__main__":
    main()
