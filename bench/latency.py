"""Reply latency of `mailflow run` on IMAP IDLE: APPEND to reply at the SMTP server, vs the floor.

The floor is how long Dovecot takes to tell an idling client about an APPEND (a bare
imapclient IDLE, measured in the same run); the worker cannot answer sooner than that.
Run: .venv/bin/python bench/latency.py [--count 50]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

TESTS = Path(__file__).resolve().parent.parent / "tests"
sys.path.insert(0, str(TESTS))

from servers import Dovecot, SmtpSink  # noqa: E402
from support import mail, write_config  # noqa: E402


class TimedSink(SmtpSink):
    """The test sink, noting when each message arrives (same clock as the bench)."""

    def __init__(self) -> None:
        self.arrivals: list[float] = []
        self.arrived = threading.Condition()
        super().__init__()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        at = time.perf_counter()
        answer = await super().handle_DATA(server, session, envelope)
        with self.arrived:
            self.arrivals.append(at)
            self.arrived.notify_all()
        return answer

    def wait_count(self, count: int, timeout: float = 30.0) -> float:
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.arrivals) >= count, timeout):
                raise TimeoutError(f"only {len(self.arrivals)} of {count} replies arrived")
            return self.arrivals[count - 1]


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return (f"p50 {statistics.median(ordered) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms   "
            f"max {ordered[-1] * 1000:7.1f} ms")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def measure_floor(dovecot: Dovecot, count: int) -> list[float]:
    """APPEND from one connection, time until a second connection's IDLE hears EXISTS."""
    user = dovecot.add_user("floor", "floor-secret")
    writer, watcher = dovecot.client(user), dovecot.client(user)
    watcher.select_folder("INBOX")
    times = []
    for n in range(count):
        watcher.idle()
        started = time.perf_counter()
        writer.append("INBOX", mail(f"m{n} <m{n}@camden-council.example>", "x", "x"))
        while True:
            responses = watcher.idle_check(timeout=5)
            if any(len(r) > 1 and r[1] == b"EXISTS" for r in responses):
                break
            if not responses:
                raise TimeoutError("IDLE heard nothing within 5 s")
        times.append(time.perf_counter() - started)
        watcher.idle_done()
    writer.logout()
    watcher.logout()
    return times


def start_worker(config: Path, env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    log = open(log_path, "ab")  # noqa: SIM115 - the worker holds it until it exits
    proc = subprocess.Popen(
        [sys.executable, "-c", "from mailflow.cli import main; main()", "--config", str(config),
         "run"], env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while "worker started" not in log_path.read_text(errors="replace"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"worker did not start:\n{log_path.read_text()}")
        time.sleep(0.05)
    return proc


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mailflow-bench-"))
    dovecot = Dovecot(ssl=False)
    sink = TimedSink()
    worker: subprocess.Popen[bytes] | None = None
    try:
        floor = measure_floor(dovecot, args.count)
        user = dovecot.add_user("registrations", "bench-secret")
        rig = write_config(work, imap_host=dovecot.host, imap_port=dovecot.port, username=user,
                           password="bench-secret", smtp_port=sink.port,
                           db_url=f"sqlite:///{work}/bench.db", capacity=1000,
                           extra="[worker]\npoll_seconds = 60\nidle = true\n")
        # The digest twelve hours away, so it cannot land in the middle of the run.
        far = (datetime.now(ZoneInfo("Europe/London")) + timedelta(hours=12)).strftime("%H:%M")
        rig.path.write_text(rig.path.read_text().replace('digest_time = "08:00"',
                                                         f'digest_time = "{far}"'))
        worker = start_worker(rig.path, rig.env, work / "worker.log")
        writer = dovecot.client(user)
        # One warm-up request (imports, first SMTP connection), not counted.
        writer.append("INBOX", mail("Warm Up <warm@camden-council.example>",
                                    "Construction webinar", "Please register me for the "
                                    "construction webinar."))
        sink.wait_count(1)
        time.sleep(0.5)  # let the worker go back to IDLE
        latencies = []
        for n in range(args.count):
            raw = mail(f"Member {n} <member{n}@camden-council.example>", "Construction webinar",
                       "Hello,\n\nPlease register me for the construction webinar.\n\nThanks")
            started = time.perf_counter()
            writer.append("INBOX", raw)
            latencies.append(sink.wait_count(n + 2) - started)
            time.sleep(0.2)  # one at a time: the worker is back in IDLE before the next
        writer.logout()
        print(f"mailflow run (IMAP IDLE), {args.count} requests one at a time, APPEND -> reply "
              "at the SMTP server")
        print(f"  floor (bare IDLE hears the APPEND): {summary(floor)}")
        print(f"  worker reply latency:               {summary(latencies)}")
        gap = p95(latencies) - statistics.median(floor)
        print(f"  p95 minus floor p50: {gap * 1000:.1f} ms (goal: within 300 ms) -> "
              f"{'met' if gap <= 0.3 else 'NOT met'}")
        return 0
    finally:
        if worker is not None:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)
        sink.stop()
        dovecot.close()


if __name__ == "__main__":
    raise SystemExit(main())
