"""CPU per message of Desk.handle alone (parse to queued reply, on SQLite), without servers.

bench/backlog.py times the whole drain against the I/O floor, but on a shared 2-core machine
its wall-clock figures move by a third from run to run. This takes the same requests (90%
registrations, 10% cancellations) over the same preloaded book (5,000 bookings across 50
sessions) and counts only this process's CPU time in `Desk.handle`, so a change to the
per-message work shows through the noise:
  handle — CPU ms per message, the best of --repeat fresh processes;
  per step (--steps) — cProfile's cumulative share of parse, understand, compose, commit.
`--baseline DIR` also measures the mailflow checkout in DIR (e.g. /work/main), the two taking
turns, and prints both.

Usage: .venv/bin/python bench/handle_cpu.py [N] [--repeat K] [--baseline DIR] [--steps]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STEPS = {  # step: (file, function) whose cumulative time is the step's
    "parse": ("mailflow/parse.py", "parse_message"),
    "understand": ("mailflow/understanding/combine.py", "understand"),
    "compose": ("mailflow/reply.py", "_build"),
    "commit": ("mailflow/store_unit.py", "commit"),
}


def measure(n: int, steps: bool) -> dict[str, Any]:
    """Handle n backlog requests in this process; CPU ms per message (and step shares)."""
    sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]
    import backlog

    import mailflow
    from mailflow.app import build_desk
    from mailflow.config import load_settings

    from support import write_config

    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        now = datetime.now(UTC)
        db = f"sqlite:///{tmp}/bench.db"
        rig = write_config(Path(tmp), imap_host="127.0.0.1", imap_port=1, username="bench",
                           password="pw", smtp_port=1, db_url=db,
                           extra_mailbox=f"first_run_limit = {n + 1}", events=backlog.events(now))
        backlog.preload(db, rig.path, now)
        os.environ.update(rig.env)
        desk = build_desk(load_settings(rig.path, {"MAILFLOW_TEST_IMAP_PASSWORD": "pw"}))
        raws = backlog.requests(n)
        profiler = None
        if steps:
            import cProfile
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        started = time.process_time()
        for uid, raw in enumerate(raws, start=1):
            desk.handle(raw, 1, uid)
        cpu = time.process_time() - started
        if profiler is not None:
            profiler.disable()
    shares: dict[str, float] = {}
    if profiler is not None:
        import pstats
        stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
        total = sum(v[2] for v in stats.values())
        for step, (path, func) in STEPS.items():
            cum = sum(v[3] for (file, _, name), v in stats.items()
                      if file.endswith(path) and name == func)
            shares[step] = cum / total if total else 0.0
    return {"code": str(Path(mailflow.__file__).parent), "ms": cpu / n * 1000, "steps": shares}


def _child(code: str, n: int, steps: bool) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": code} if code != str(ROOT) else dict(os.environ)
    out = subprocess.run([sys.executable, __file__, str(n), "--child", code,
                          *(["--steps"] if steps else [])], capture_output=True, text=True,
                         check=False, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{code} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per checkout")
    parser.add_argument("--baseline", default="", help="another mailflow checkout to compare")
    parser.add_argument("--steps", action="store_true", help="cProfile shares (slower)")
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.n, args.steps)))
        return
    codes = [c for c in (args.baseline, str(ROOT)) if c]
    runs: dict[str, list[dict[str, Any]]] = {c: [] for c in codes}
    for _ in range(args.repeat):  # taking turns: a busy moment does not land on one side only
        for code in codes:
            runs[code].append(_child(code, args.n, steps=False))
    for code in codes:
        label = "code" if not args.baseline else "before" if code == args.baseline else "after"
        figures = sorted(r["ms"] for r in runs[code])
        print(f"{label}: {runs[code][0]['code']}  handle CPU {figures[0]:.3f} ms/msg best of "
              f"{len(figures)} (median {figures[len(figures) // 2]:.3f}), n={args.n}")
        if args.steps:
            shares = _child(code, args.n, steps=True)["steps"]
            print("  under cProfile: " + ", ".join(f"{k} {v:.0%}" for k, v in shares.items()))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
