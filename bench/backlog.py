"""How a backlog drains into a database that already holds a season of bookings.

Starts a private Dovecot, an aiosmtpd sink and (when available) PostgreSQL (tests/servers/),
then for each backlog size N (default 1,000 and 10,000):
  floor  — imapclient alone fetching BODY.PEEK[] of the N messages in batches of 50 and
           MOVEing them, plus smtplib sending N messages over one connection: the I/O
           mailflow cannot avoid, measured in the same run, just before each database's poll
           (sending the replies' bytes instead, ten times the requests', was within the
           noise of it: 1,000 each, 1.2-1.6 against 1.0-1.2 ms/msg);
  poll   — one `poll_once` (parse, understand, decide, store, compose, outbox, send), then
           sending until the outbox is empty (a pass sends at most 500), in a
           child process, over a database preloaded with 5,000 bookings across 50 sessions,
           on SQLite and PostgreSQL.
Requests: 90% registrations naming one session (half the sessions are full, so those wait),
10% cancellations by people already booked (which offer the freed place onward).
Prints ms/message, the floor, the ratio, the cost of the last 1,000 messages handled over
the first 1,000, and the child's peak RSS (VmHWM: only mailflow, the servers run elsewhere).

Usage: .venv/bin/python bench/backlog.py [N ...] [--sqlite-only | --pg-only] [--profile FILE]
(--profile writes one cProfile file per run: FILE.sqlite.N and FILE.postgresql.N)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import smtplib
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from servers import Dovecot, Postgres, SmtpSink, postgres_available  # noqa: E402
from support import mail, write_config  # noqa: E402

SESSIONS = 50
BOOKED_PER_SESSION = 100  # 5,000 bookings before the backlog arrives
ROOMY_CAPACITY = 10_000  # even sessions: every registration is confirmed (with an invite)
WINDOW = 1_000  # first/last window for the growth ratio
DOMAIN = "camden-council.example"


def events(now: datetime) -> str:
    """50 webinars ahead of `now`; odd ones are already full."""
    rows = []
    for s in range(SESSIONS):
        day = (now + timedelta(days=40 + s)).date()
        capacity = BOOKED_PER_SESSION if s % 2 else ROOMY_CAPACITY
        rows.append(f"""
[[events]]
id = "s{s:02d}"
title = "Seminar {s:02d}"
format = "webinar"
starts = {day}T10:00:00
ends = {day}T11:30:00
capacity = {capacity}
registration_deadline = {day - timedelta(days=8)}
keywords = ["theme{s:02d}"]
""")
    return "".join(rows)


def booker(session: int, k: int) -> str:
    return f"booked{session:02d}x{k:03d}@{DOMAIN}"


def requests(n: int) -> list[bytes]:
    raws = []
    for i in range(n):
        s = (i * 7) % SESSIONS
        if i % 10 == 5:
            who = booker(s, (i // 10 // SESSIONS) % BOOKED_PER_SESSION)
            body = f"Hello,\n\nPlease cancel my place at the theme{s:02d} webinar.\n\nThanks"
            raws.append(mail(who, "Cancellation", body))
        else:
            body = (f"Hello,\n\nPlease register me for the theme{s:02d} webinar.\n\n"
                    f"Thanks,\nMember {i}")
            raws.append(mail(f"member{i:05d}@{DOMAIN}", "Booking", body))
    return raws


def append_all(server: Dovecot, user: str, raws: list[bytes]) -> None:
    """APPEND over one connection (Dovecot.append in tests/servers/ logs in once per message)."""
    with server.client(user) as client:
        for raw in raws:
            client.append("INBOX", raw)
        client.logout()


def floor(server: Dovecot, sink: SmtpSink, raws: list[bytes]) -> float:
    user = server.add_user(f"floor{time.monotonic_ns()}", "pw")
    append_all(server, user, raws)
    started = time.perf_counter()
    with server.client(user) as client:
        client.select_folder("INBOX")
        uids = client.search(["ALL"])
        client.create_folder("Floor")
        for i in range(0, len(uids), 50):
            client.fetch(uids[i:i + 50], ["BODY.PEEK[]"])
            client.move(uids[i:i + 50], "Floor")
    with smtplib.SMTP(sink.host, sink.port) as smtp:
        for raw in raws:
            smtp.sendmail("registrations@lupc.example", [f"x@{DOMAIN}"], raw)
    return time.perf_counter() - started


def preload(db_url: str, config: Path, now: datetime) -> None:
    """Schema, config sync and 5,000 confirmed bookings, in one bulk insert."""
    from mailflow.app import open_store
    from mailflow.config import load_settings
    from mailflow.store import PlaceRow

    settings = load_settings(config, {"MAILFLOW_TEST_IMAP_PASSWORD": "pw"})
    engine = open_store(settings)
    rows = [dict(event_id=f"s{s:02d}", email=booker(s, k), name=f"Booked {s} {k}",
                 organisation="London Borough of Camden", status="confirmed",
                 joined_at=now - timedelta(days=10), queue=float(k + 1), offer_expires=None,
                 forced=False, updated_at=now - timedelta(days=10))
            for s in range(SESSIONS) for k in range(BOOKED_PER_SESSION)]
    with engine.begin() as conn:
        conn.execute(PlaceRow.__table__.insert(), rows)  # type: ignore[attr-defined]
    engine.dispose()


def peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM).

    Not getrusage's ru_maxrss: Linux carries that across exec from the forking process, so
    a child started by this bench reported the bench's own high water mark (it holds the
    whole backlog's messages), which grows with the backlog whatever mailflow does.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(config: Path, profile: str) -> None:
    """Run one timed poll in this (fresh) process and print its figures as JSON."""
    import mailflow
    from mailflow.app import build_desk
    from mailflow.config import load_settings
    from mailflow.mailbox import ImapMailbox
    from mailflow.poll import poll_once, send_outbox
    from mailflow.smtp import SmtpSender

    settings = load_settings(config, {"MAILFLOW_TEST_IMAP_PASSWORD": "pw"})
    desk = build_desk(settings)
    stamps: list[float] = []
    cpu: list[float] = []
    handle = desk.handle

    def timed(*args: object, **kw: object) -> object:
        result = handle(*args, **kw)  # type: ignore[arg-type]
        stamps.append(time.perf_counter())
        cpu.append(time.process_time())
        return result

    desk.handle = timed  # type: ignore[method-assign]
    profiler = None
    if profile:
        import cProfile
        profiler = cProfile.Profile(time.process_time)  # CPU: the machine is shared
        profiler.enable()
    started, cpu_started = time.perf_counter(), time.process_time()
    with SmtpSender(settings.smtp) as sender:
        report = poll_once(desk, lambda: ImapMailbox(settings.mailbox), sender)
        # One pass sends at most 500; the backlog is drained when every reply is out.
        while True:
            before = report.sent
            send_outbox(desk, sender, report)
            if report.sent == before:
                break
    secs, cpu_secs = time.perf_counter() - started, time.process_time() - cpu_started
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(profile)
    gaps = [b - a for a, b in zip([started, *stamps], stamps, strict=False)]
    cpu_gaps = [b - a for a, b in zip([cpu_started, *cpu], cpu, strict=False)]
    window = min(WINDOW, len(gaps) // 2) or 1
    print(json.dumps({
        "secs": secs, "summary": report.summary(), "handled": len(stamps),
        "handling": (stamps[-1] if stamps else started) - started,
        "first": sum(gaps[:window]), "last": sum(gaps[-window:]), "cpu": cpu_secs,
        "cpu_first": sum(cpu_gaps[:window]), "cpu_last": sum(cpu_gaps[-window:]),
        "rss_mb": peak_rss_mb(),
        "code": str(Path(mailflow.__file__).parent),
    }))


def run_poll(server: Dovecot, sink: SmtpSink, raws: list[bytes], db_url: str,
             workdir: Path, profile: str) -> dict[str, object]:
    user = server.add_user(f"bench{time.monotonic_ns()}", "pw")
    append_all(server, user, raws)
    now = datetime.now(UTC)
    rig = write_config(workdir, imap_host=server.host, imap_port=server.port, username=user,
                       password="pw", smtp_port=sink.port, db_url=db_url,
                       extra_mailbox=f"first_run_limit = {len(raws) + 1}", events=events(now))
    preload(db_url, rig.path, now)
    out = subprocess.run([sys.executable, __file__, "--child", str(rig.path),
                          "--profile", profile], capture_output=True, text=True,
                         env={**os.environ, **rig.env}, check=False)
    if out.returncode != 0:
        raise SystemExit(f"child failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def report(db: str, n: int, floor_s: float, r: dict[str, object]) -> None:
    secs = float(r["secs"])  # type: ignore[arg-type]
    growth = float(r["last"]) / float(r["first"])  # type: ignore[arg-type]
    cpu = float(r["cpu"])  # type: ignore[arg-type]
    cpu_growth = float(r["cpu_last"]) / float(r["cpu_first"])  # type: ignore[arg-type]
    handling = float(r["handling"])  # type: ignore[arg-type]
    print(f"{db:10s} n={n:6d}  {secs / n * 1000:7.2f} ms/msg  floor {floor_s / n * 1000:5.2f} "
          f"ms/msg  ratio {secs / floor_s:5.1f}x  last/first {growth:4.2f}  "
          f"peak RSS {float(r['rss_mb']):6.1f} MB  [{r['summary']}]\n"
          f"{'':10s}          mailflow CPU {cpu / n * 1000:6.2f} ms/msg, CPU last/first "
          f"{cpu_growth:4.2f}; wall to the last message handled {handling / n * 1000:5.2f} "
          f"ms/msg, after it {(secs - handling) / n * 1000:5.2f}; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000])
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--pg-only", action="store_true")
    parser.add_argument("--profile", default="", help="cProfile stats file (child process)")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child), args.profile)
        return
    with Dovecot(ssl=False) as server, SmtpSink() as sink:
        pg = None if args.sqlite_only or postgres_available() is not None else Postgres()
        try:
            if pg is not None:
                pg.__enter__()
            for n in args.sizes:
                raws = requests(n)
                # The floor just before each database's run: the shared machine's load drifts
                # over a 10,000-message run, and one floor for both compared each with a
                # moment it was not measured in.
                if not args.pg_only:
                    floor_s = floor(server, sink, raws)
                    with tempfile.TemporaryDirectory() as tmp:
                        r = run_poll(server, sink, raws, f"sqlite:///{tmp}/bench.db", Path(tmp),
                                     args.profile and f"{args.profile}.sqlite.{n}")
                    print(f"code under test: {r['code']}")
                    report("SQLite", n, floor_s, r)
                if pg is not None:
                    floor_s = floor(server, sink, raws)
                    with tempfile.TemporaryDirectory() as tmp:
                        url = pg.create_database(f"bench{time.monotonic_ns()}")
                        r = run_poll(server, sink, raws, url, Path(tmp),
                                     args.profile and f"{args.profile}.postgresql.{n}")
                    print(f"code under test: {r['code']}")
                    report("PostgreSQL", n, floor_s, r)
        finally:
            if pg is not None:
                pg.__exit__(None, None, None)


if __name__ == "__main__":
    main()
