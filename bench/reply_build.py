"""What one reply costs to build (templates, invite, MIME bytes) against a bare email.message build.

For each case, builds REPLIES replies to distinct people (so nothing per-person is reused)
over 50 sessions, as the backlog bench's desk does, and prints the best of ROUNDS rounds in
µs per reply, the floor measured in the same process and the ratio:
  floor      — an email.message.Message with the reply's headers and an ASCII body of the
               same length, flattened with as_bytes(): the least any MIME composition costs;
  confirmed  — the common reply: a confirmed place, text + HTML + inline and attached invite;
  waitlisted — a reply without a calendar part;
  offered    — a notice (no request to thread under) holding the time in the calendar;
  parse      — parse_message of a backlog request (what each reply answers).
Each checkout is measured in fresh processes (--repeat of them, best figure kept);
`--baseline DIR` also measures the mailflow checkout in DIR (e.g. /work/main), the two taking
turns, and prints both, so a before/after comparison shares one run.

Usage: .venv/bin/python bench/reply_build.py [--replies N] [--rounds R] [--repeat K]
                                             [--baseline DIR]
"""

from __future__ import annotations

import argparse
import dataclasses
import email.utils
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 1, 5, 9, 0, tzinfo=UTC)
SESSIONS = 50
FROM = "registrations@lupc.example"
clock = time.process_time  # CPU: the machine is shared


def _request(i: int) -> bytes:
    """A backlog request, as bench/backlog.py writes them."""
    return (f"From: member{i:05d}@camden-council.example\r\nTo: {FROM}\r\nSubject: Booking\r\n"
            f"Date: {email.utils.format_datetime(NOW)}\r\n"
            f"Message-ID: <m{i}.1767000000.5@test.example>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Hello,\r\n\r\nPlease register me for the theme{i % SESSIONS:02d} webinar.\r\n\r\n"
            f"Thanks,\r\nMember {i}\r\n").encode()


def _floor(raw_len: int) -> Callable[[int], bytes]:
    body = ("Dear Member,\n\n" + "x" * 70 + "\n") * max(1, raw_len // 86)

    def build(i: int) -> bytes:
        msg = Message()
        msg["From"] = f"Suzanne Picken <{FROM}>"
        msg["To"] = f"Member {i} <member{i:05d}@camden-council.example>"
        msg["Subject"] = "Re: Booking"
        msg["Date"] = email.utils.format_datetime(NOW)
        msg["Message-ID"] = f"<mailflow.{i}@lupc.example>"
        msg["Content-Type"] = "text/plain; charset=us-ascii"
        msg.set_payload(body)
        return msg.as_bytes()
    return build


def _cases() -> dict[str, Callable[[int], Any]]:
    from mailflow.decide import Decision
    from mailflow.invites import Invites
    from mailflow.model import EventInfo
    from mailflow.parse import parse_message
    from mailflow.reply import Composer, Letterhead, Templates, default_templates_dir
    from mailflow.seats import Notice

    events = {}
    for s in range(SESSIONS):
        day = NOW + timedelta(days=40 + s)
        starts = datetime(day.year, day.month, day.day, 10, 0, tzinfo=LONDON)
        events[f"s{s:02d}"] = EventInfo(
            id=f"s{s:02d}", title=f"Seminar {s:02d}", format="webinar", starts=starts,
            ends=starts + timedelta(minutes=90), capacity=15,
            registration_closes=starts - timedelta(days=7),
            join_url=f"https://meet.example/j/{s:02d}")
    tokens = iter(range(10**9))
    composer = Composer(
        Templates(default_templates_dir(), LONDON),
        Letterhead(from_address=FROM, coordinator_name="Suzanne Picken",
                   coordinator_email="suzanne@lupc.example", timezone=LONDON, hold_hours=48,
                   events=events, series_name="Knowledge Building Series",
                   signature=("Suzanne Picken", "Knowledge Building Series")),
        new_token=lambda: f"{next(tokens):032x}",
        ics=Invites(events=events, from_address=FROM, organiser_name="Suzanne Picken",
                    timezone=LONDON, series_name="Knowledge Building Series"))
    requests = [parse_message(_request(i)) for i in range(SESSIONS)]

    def reply(outcome: str, **extra: Any) -> Callable[[int], Any]:
        def build(i: int) -> Any:
            who = f"member{i:05d}@camden-council.example"
            mail = dataclasses.replace(requests[i % SESSIONS], sender=who,
                                       message_id=f"<m{i}.1767000000.5@test.example>")
            notice = Notice(outcome, f"s{i % SESSIONS:02d}", who, f"Member {i}", **extra)
            out = composer.reply(mail, Decision(reply=(notice,)), NOW)
            assert out is not None
            return out.raw
        return build

    def offered(i: int) -> Any:
        who = f"member{i:05d}@camden-council.example"
        return composer.notice(Notice("offered", f"s{i % SESSIONS:02d}", who, f"Member {i}",
                                      offer_expires=NOW + timedelta(hours=48), sequence=0),
                               NOW).raw

    return {"confirmed": reply("confirmed", sequence=0),
            "waitlisted": reply("waitlisted", position=3),
            "offered": offered,
            "parse": lambda i: parse_message(_request(i))}


def _best(build: Callable[[int], Any], replies: int, rounds: int) -> float:
    """Best round's CPU seconds per call (each round uses new people)."""
    best = float("inf")
    for r in range(rounds):
        base = (r + 1) * replies
        started = clock()
        for i in range(base, base + replies):
            build(i)
        best = min(best, (clock() - started) / replies)
    return best


def measure(replies: int, rounds: int) -> dict[str, Any]:
    import mailflow

    cases = _cases()
    sizes = len(cases["confirmed"](0))
    floor = _best(_floor(sizes), replies, rounds)
    figures = {name: _best(build, replies, rounds) for name, build in cases.items()}
    return {"code": str(Path(mailflow.__file__).parent), "floor": floor, "cases": figures,
            "confirmed_bytes": sizes}


def _print(label: str, r: dict[str, Any]) -> None:
    floor = float(r["floor"])
    print(f"{label}: {r['code']}  (a confirmed reply is {r['confirmed_bytes']} bytes)")
    print(f"  {'floor':11s} {floor * 1e6:8.1f} µs/msg")
    for name, secs in r["cases"].items():
        print(f"  {name:11s} {secs * 1e6:8.1f} µs/msg  ratio {secs / floor:5.1f}x", flush=True)


def _child(code: str, replies: int, rounds: int) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--child", code, "--replies", str(replies),
                          "--rounds", str(rounds)], capture_output=True, text=True, check=False,
                         env={**os.environ, "PYTHONPATH": code})
    if out.returncode != 0:
        raise SystemExit(f"{code} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _best_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    best = dict(runs[0])
    best["floor"] = min(r["floor"] for r in runs)
    best["cases"] = {name: min(r["cases"][name] for r in runs) for name in runs[0]["cases"]}
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=2, help="fresh processes per checkout")
    parser.add_argument("--baseline", default="", help="another mailflow checkout to compare")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, args.child)
        print(json.dumps(measure(args.replies, args.rounds)))
        return
    # Each checkout in fresh processes, taking turns, so a busy moment on the shared
    # machine does not land on one side only.
    codes = [c for c in (args.baseline, str(ROOT)) if c]
    runs: dict[str, list[dict[str, Any]]] = {c: [] for c in codes}
    for _ in range(args.repeat):
        for code in codes:
            runs[code].append(_child(code, args.replies, args.rounds))
    for code in codes:
        label = "code" if not args.baseline else "before" if code == args.baseline else "after"
        _print(label, _best_of(runs[code]))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
