"""How fast one `poll` drains a full mailbox, against bare IMAP fetch+move and SMTP send.

Starts a private Dovecot and an aiosmtpd sink (tests/servers/), APPENDs N registration
requests, and times:
  floor  — imapclient alone: fetch BODY.PEEK[] of every message, MOVE them, and smtplib
           sending N small messages over one connection (the I/O mailflow cannot avoid);
  poll   — mailflow's poll_once over the same mailbox (parse, understand, decide, store,
           compose, outbox, send), on SQLite and, when PostgreSQL is available, on PostgreSQL.
Usage: .venv/bin/python bench/poll_throughput.py [N]
"""

from __future__ import annotations

import smtplib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from servers import Dovecot, Postgres, SmtpSink, postgres_available  # noqa: E402
from support import mail, write_config  # noqa: E402


def requests(n: int) -> list[bytes]:
    topics = ["construction", "food"]
    return [mail(f"member{i:04d}@camden-council.example", "Booking",
                 f"Hello,\n\nPlease register me for the {topics[i % 2]} webinar.\n\nThanks,\n"
                 f"Member {i}") for i in range(n)]


def floor(server: Dovecot, sink: SmtpSink, user: str, raws: list[bytes]) -> float:
    for raw in raws:
        server.append(user, "INBOX", raw)
    started = time.perf_counter()
    with server.client(user) as client:
        client.select_folder("INBOX")
        uids = client.search(["ALL"])
        for i in range(0, len(uids), 50):
            client.fetch(uids[i:i + 50], ["BODY.PEEK[]"])
        client.create_folder("Floor")
        client.move(uids, "Floor")
    with smtplib.SMTP(sink.host, sink.port) as smtp:
        for raw in raws:
            smtp.sendmail("registrations@lupc.example", ["x@camden-council.example"], raw)
    return time.perf_counter() - started


def timed_poll(server: Dovecot, sink: SmtpSink, raws: list[bytes], db_url: str,
               workdir: Path) -> tuple[float, str]:
    user = server.add_user(f"bench{time.monotonic_ns()}", "pw")
    for raw in raws:
        server.append(user, "INBOX", raw)
    rig = write_config(workdir, imap_host=server.host, imap_port=server.port, username=user,
                       password="pw", smtp_port=sink.port, db_url=db_url,
                       capacity=len(raws), extra_mailbox=f"first_run_limit = {len(raws) + 1}")
    desk = rig.desk()  # schema and config sync happen here, outside the timing
    started = time.perf_counter()
    report = rig.poll(desk)
    return time.perf_counter() - started, report.summary()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    raws = requests(n)
    with Dovecot(ssl=False) as server, SmtpSink() as sink:
        floor_user = server.add_user("floor", "pw")
        floor_s = floor(server, sink, floor_user, raws)
        print(f"messages: {n}")
        print(f"floor (imapclient fetch+move, smtplib send): {floor_s:.3f} s "
              f"({n / floor_s:.0f} msg/s)")
        with tempfile.TemporaryDirectory() as tmp:
            secs, summary = timed_poll(server, sink, raws, f"sqlite:///{tmp}/bench.db",
                                       Path(tmp))
        print(f"poll on SQLite: {secs:.3f} s ({n / secs:.0f} msg/s, {secs / n * 1000:.2f} "
              f"ms/msg, {secs / floor_s:.1f}x floor)  [{summary}]")
        if postgres_available() is None:
            with Postgres() as pg, tempfile.TemporaryDirectory() as tmp:
                url = pg.create_database("bench")
                secs, summary = timed_poll(server, sink, raws, url, Path(tmp))
            print(f"poll on PostgreSQL: {secs:.3f} s ({n / secs:.0f} msg/s, "
                  f"{secs / n * 1000:.2f} ms/msg, {secs / floor_s:.1f}x floor)  [{summary}]")
        else:
            print("poll on PostgreSQL: skipped (no PostgreSQL binaries)")


if __name__ == "__main__":
    main()
