"""`mailflow run` as a real subprocess on Dovecot and aiosmtpd: replies, stops, outages, lease."""

from __future__ import annotations

import dataclasses
import email
import email.policy
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import pytest

from mailflow.courier import Courier
from mailflow.lease import Lease, LeaseHeld, LeaseLost
from mailflow.store import create_schema, make_engine
from mailflow.worker_jobs import digest_missed_today

from support import Rig, far_digest, mail, write_config

WORKER = "[worker]\npoll_seconds = 0.5\nidle = true\n"
CAMDEN = "camden-council.example"


# ---- helpers ------------------------------------------------------------------------------

def wait_until(what: str, predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(0.05)


class Running:
    """One `mailflow -v run` subprocess with its stderr in a file."""

    def __init__(self, rig: Rig, log_path: Path) -> None:
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from mailflow.cli import main; main()",
             "--config", str(rig.path), "-v", "run"],
            env={**os.environ, **rig.env}, stdout=self._log, stderr=subprocess.STDOUT)

    def ready(self) -> Running:
        wait_until("the worker to start", lambda: "worker started" in self.log())
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def terminate(self, timeout: float = 20.0) -> int:
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            self._log.close()

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._log.close()


@pytest.fixture
def rig(tmp_path: Path, imap_user: Any, smtp_sink: Any) -> Rig:
    made = write_config(tmp_path, imap_host=imap_user.host, imap_port=imap_user.port,
                        username=imap_user.username, password=imap_user.password,
                        smtp_port=smtp_sink.port, db_url=f"sqlite:///{tmp_path}/mailflow.db",
                        capacity=200, extra_mailbox="first_run_limit = 500", extra=WORKER)
    return far_digest(made)


@pytest.fixture
def workers(tmp_path: Path, rig: Rig) -> Iterator[Callable[[], Running]]:
    started: list[Running] = []

    def start() -> Running:
        running = Running(rig, tmp_path / f"worker-{len(started)}.log")
        started.append(running)
        return running.ready()

    yield start
    for running in started:
        running.kill()


def request(n: int) -> bytes:
    return mail(f"Member {n} <member{n}@{CAMDEN}>", "Construction webinar",
                "Hello,\n\nPlease register me for the construction webinar.\n\nThanks")


def parsed(smtp_sink: Any) -> list[email.message.EmailMessage]:
    return smtp_sink.parsed()  # type: ignore[no-any-return]


def folder_count(imap_user: Any, folder: str) -> int:
    with imap_user.client() as client:
        if not client.folder_exists(folder):
            return 0
        client.select_folder(folder, readonly=True)
        return len(client.search(["ALL"]))


# ---- integration ------------------------------------------------------------------------

def test_worker_replies_and_a_second_worker_refuses_to_start(
        rig: Rig, imap_user: Any, smtp_sink: Any, workers: Callable[[], Running]) -> None:
    first = workers()
    raw = request(1)
    imap_user.append("INBOX", raw)
    smtp_sink.wait_for(1, timeout=20)
    reply = parsed(smtp_sink)[0]
    assert reply["To"].addresses[0].addr_spec == f"member1@{CAMDEN}"
    assert reply["X-Mailflow-Outcome"] == "construction=confirmed"
    assert reply["Auto-Submitted"] == "auto-replied"
    assert any(p.get_content_type() == "text/calendar" for p in reply.walk())  # inline iMIP

    second = rig.cli("run", timeout=30)
    assert second.returncode == 1
    assert "another mailflow worker" in second.stderr
    assert f"pid {first.proc.pid}" in second.stderr

    status = json.loads(rig.cli("status", "--json").stdout)
    assert status["worker"]["last_poll"] is not None
    assert status["outbox"] == {"pending": 0, "failed": 0}
    assert first.terminate() == 0
    assert "worker stopped" in first.log()


def test_sigterm_mid_run_loses_nothing_and_sends_nothing_twice(
        rig: Rig, imap_user: Any, smtp_sink: Any, workers: Callable[[], Running]) -> None:
    total = 60
    requests = [request(n) for n in range(total)]
    with imap_user.client() as client:
        for raw in requests:
            client.append("INBOX", raw)
    first = workers()
    smtp_sink.wait_for(1, timeout=20)
    assert first.terminate() == 0  # stops cleanly, after the message in hand
    after_stop = len(smtp_sink.messages)

    second = workers()
    smtp_sink.wait_for(total, timeout=30)
    wait_until("the folder to empty", lambda: folder_count(imap_user, "INBOX") == 0)
    assert second.terminate() == 0

    replies = Counter(m["In-Reply-To"] for m in parsed(smtp_sink))
    asked = {email.message_from_bytes(r)["Message-ID"] for r in requests}
    assert set(replies) == asked  # every request answered …
    assert max(replies.values()) == 1  # … exactly once
    assert folder_count(imap_user, "Processed") == total
    # Not a timing claim: shows whether this run really stopped part-way (it usually does).
    print(f"{after_stop} of {total} replies were sent before SIGTERM")


def test_worker_rides_out_a_dovecot_outage(
        rig: Rig, dovecot: Any, imap_user: Any, smtp_sink: Any,
        workers: Callable[[], Running]) -> None:
    running = workers()
    imap_user.append("INBOX", request(1))
    smtp_sink.wait_for(1, timeout=20)
    try:
        dovecot.stop()
        wait_until("the outage to be logged and retried twice",
                   lambda: running.log().count("still unavailable") >= 2)
    finally:
        dovecot.start()
    imap_user.append("INBOX", request(2))
    smtp_sink.wait_for(2, timeout=20)
    log = running.log()
    assert log.count("WARNING mailflow.worker: mailbox") == 1  # logged once, however long
    assert " is back after " in log
    assert running.terminate() == 0

    # And a plain restart (every connection dropped at once) is just as harmless.
    again = workers()
    dovecot.restart()
    imap_user.append("INBOX", request(3))
    smtp_sink.wait_for(3, timeout=20)
    assert again.terminate() == 0
    assert [m["To"].addresses[0].username for m in parsed(smtp_sink)] == \
        ["member1", "member2", "member3"]


def test_offer_lapses_on_time_and_passes_on(
        rig: Rig, imap_user: Any, smtp_sink: Any, workers: Callable[[], Running]) -> None:
    # One place, a hold of ~3 s: the lapse is only seen in time if the worker planned a sweep
    # for the exact expiry (its interval sweep runs once a minute).
    text = rig.path.read_text()
    text = text.replace("capacity = 200", "capacity = 1", 1)
    rig.path.write_text(text.replace("offer_hold_hours = 48", "offer_hold_hours = 0.0008"))
    running = workers()
    for n in (1, 2, 3):
        imap_user.append("INBOX", request(n))
        smtp_sink.wait_for(n, timeout=20)
    confirmation = parsed(smtp_sink)[0]
    imap_user.append("INBOX", mail(f"Member 1 <member1@{CAMDEN}>",
                                   "Re: Construction webinar",
                                   "I'm afraid I can't make it after all, please cancel.",
                                   in_reply_to=confirmation["Message-ID"]))
    # cancelled (to 1), offered (to 2), then at expiry: offer-expired (2), offered (3)
    smtp_sink.wait_for(7, timeout=25)
    outcomes = [(m["To"].addresses[0].username, m["X-Mailflow-Outcome"])
                for m in parsed(smtp_sink)[3:]]
    assert ("member1", "construction=cancelled") in outcomes
    assert outcomes[-2:] == [("member2", "construction=offer-expired"),
                             ("member3", "construction=offered")], outcomes
    assert running.terminate() == 0


# ---- in-process pieces against real servers ---------------------------------------------------

def test_smtp_outage_is_logged_once_and_recovers(
        rig: Rig, smtp_sink: Any, caplog: pytest.LogCaptureFixture) -> None:
    from mailflow.smtp import SmtpSender

    now = [datetime.now(UTC)]
    desk = rig.desk(clock=lambda: now[0])
    desk.handle(request(1), 1, 1)
    courier = Courier(desk, lambda: SmtpSender(desk.settings.smtp, timeout=5))
    smtp_sink.fail_next(2)
    with caplog.at_level(logging.DEBUG, logger="mailflow"):
        assert courier.flush().deferred == 1
        now[0] += timedelta(minutes=2)  # past the outbox's own backoff
        assert courier.flush().deferred == 1
        now[0] += timedelta(minutes=5)
        assert courier.flush().sent == 1
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "SMTP server unavailable" in warnings[0].getMessage()
    assert any("SMTP server is back" in r.getMessage() for r in caplog.records)
    courier.close()
    assert len(smtp_sink.messages) == 1


# ---- pure logic ---------------------------------------------------------------------------

def test_lease_refuses_a_live_holder_and_lapses_for_a_dead_one(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path}/lease.db")
    create_schema(engine)
    now = datetime(2027, 1, 1, 9, tzinfo=UTC)
    ttl = timedelta(seconds=45)
    first = Lease(engine, ttl, "host-a:100:aaaa")
    second = Lease(engine, ttl, "host-b:200:bbbb")
    first.acquire(now)
    with pytest.raises(LeaseHeld, match="pid 100 on host-a"):
        second.acquire(now + timedelta(seconds=30))
    first.renew(now + timedelta(seconds=30))
    with pytest.raises(LeaseHeld):
        second.acquire(now + timedelta(seconds=60))  # renewed: still live
    second.acquire(now + timedelta(seconds=80))  # first stopped renewing: stale, taken over
    with pytest.raises(LeaseLost):
        first.renew(now + timedelta(seconds=81))  # the old worker learns it must stop
    second.release(now + timedelta(seconds=90))
    first.acquire(now + timedelta(seconds=91))  # a clean stop frees it at once


def test_digest_catch_up_only_on_the_day_and_only_once(rig: Rig) -> None:
    settings = dataclasses.replace(rig.settings(), coordinator=dataclasses.replace(
        rig.settings().coordinator, digest_time=clock_time(8, 0)))
    london = settings.coordinator.timezone
    at = datetime(2027, 7, 1, 9, 30, tzinfo=london)
    assert digest_missed_today(settings, at, "2027-06-30")
    assert not digest_missed_today(settings, at, "2027-07-01")  # already sent today
    assert not digest_missed_today(settings, at.replace(hour=7), "2027-06-30")  # not yet due
    assert not digest_missed_today(settings, at.replace(hour=20), "2027-06-30")  # too late
