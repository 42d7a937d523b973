"""What handling one message asks of the database: statements, round trips and time per message.

Runs backlog.py's requests through `Desk.handle` directly (no IMAP, no SMTP), over the same
preloaded book (5,000 bookings across 50 sessions), on SQLite and PostgreSQL, and prints per
message: wall and CPU time, SQL statements by kind (counted with SQLAlchemy's
before_cursor_execute, which sees executemany batches as one) and pool checkouts. The quick
loop for the database path; backlog.py is the figure that counts.

Usage: .venv/bin/python bench/statements.py [N] [--sqlite-only | --pg-only] [--show]
       [--profile FILE] [--pg-stats [--window W]]
(--pg-stats: PostgreSQL's own account of each statement, from pg_stat_statements: server
time per message executing and planning it, and the shared buffers it touched and dirtied;
with --window, for the first W messages and the last W apart, to see what grows with the
history, then the tables' dead rows, HOT updates and sizes)
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from backlog import events, preload, requests  # noqa: E402

from servers import Postgres, postgres_available  # noqa: E402
from support import write_config  # noqa: E402

_WORD = re.compile(r"\s*(\w+)(?:\s+(?:INTO|FROM)?\s*(\w+))?", re.IGNORECASE)


def kind(statement: str) -> str:
    """'SELECT places', 'INSERT outbox', 'SELECT pg_advisory_xact_lock' ..."""
    head = statement.lstrip()
    verb = head.split(None, 1)[0].upper() if head else "?"
    if verb == "SELECT":
        found = re.search(r"\bFROM\s+(\w+)", head, re.IGNORECASE)
        if "pg_advisory" in head:
            return "SELECT advisory lock"
        if found is None:
            return "SELECT " + head[7:40]
        return f"SELECT {found.group(1)}" + (" FOR UPDATE" if "FOR UPDATE" in head else "")
    if verb == "WITH":
        return "WITH ... " + " ".join(re.findall(r"\bFROM\s+(\w+)", head)[:4])
    m = _WORD.match(head)
    return f"{verb} {m.group(2) if m and m.group(2) else ''}".strip()


def mark(phase: str) -> None:
    """A system call that names the phase, for counting round trips with
    `strace -e trace=sendto,newfstatat` (see bench/roundtrips.sh)."""
    os.path.exists(f"/nonexistent/bench-phase-{phase}")


def server_cpu(data_dir: Path | None) -> float:
    """CPU seconds the PostgreSQL cluster's processes have used (live children and reaped),
    a steadier figure than wall time on a shared machine; 0 for SQLite."""
    if data_dir is None:
        return 0.0
    tick = os.sysconf("SC_CLK_TCK")
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])

    def fields(pid: int) -> list[str]:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2:].split()

    total = sum(int(x) for x in fields(postmaster)[11:15])  # utime stime cutime cstime
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                f = fields(int(proc.name))
            except (OSError, ValueError):
                continue
            if int(f[1]) == postmaster:
                total += int(f[11]) + int(f[12])
    return total / tick


def server_cpu_by_process(data_dir: Path) -> Counter[str]:
    """CPU seconds of each live process of the cluster, by its title ("postgres: walwriter",
    "postgres: postgres stmts... 127.0.0.1(...) idle" counted as "backend")."""
    tick = os.sysconf("SC_CLK_TCK")
    postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
    found: Counter[str] = Counter()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            title = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        f = stat[stat.rindex(")") + 2:].split()
        if int(f[1]) == postmaster:
            kind = "backend" if "(" in title else title.split(":", 1)[-1].strip()
            found[kind] += (int(f[11]) + int(f[12])) / tick
    return found


class ServerStats:
    """pg_stat_statements on the bench's cluster: reset before a phase, printed after it,
    with the CPU of the cluster's processes over the phase."""

    def __init__(self, db_url: str, data_dir: Path) -> None:
        import psycopg

        self.conn = psycopg.connect(db_url.replace("postgresql+psycopg", "postgresql"),
                                    autocommit=True)
        self.conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        self.data_dir = data_dir
        self.cpu: Counter[str] = Counter()

    def reset(self) -> None:
        self.conn.execute("SELECT pg_stat_statements_reset()")
        self.cpu = server_cpu_by_process(self.data_dir)

    def show(self, label: str, n: int) -> None:
        rows = self.conn.execute(
            "SELECT calls, total_exec_time, total_plan_time, rows, shared_blks_hit,"
            " shared_blks_dirtied, wal_bytes, query FROM pg_stat_statements"
            " WHERE query NOT LIKE '%pg_stat_statements%'"
            " ORDER BY total_exec_time + total_plan_time DESC").fetchall()
        total = sum(r[1] + r[2] for r in rows)
        print(f"{label}: server exec+plan {total / n:6.3f} ms/msg over {len(rows)} statements "
              "(per message: calls, exec ms, plan ms, rows, buffers hit, dirtied, WAL bytes)")
        for calls, exe, plan, nrows, hit, dirtied, wal, query in rows[:14]:
            print(f"  {calls / n:5.2f} {exe / n:6.3f} {plan / n:6.3f} {nrows / n:6.2f} "
                  f"{hit / n:7.1f} {dirtied / n:5.2f} {float(wal) / n:7.0f}  "
                  + " ".join(query.split())[:150])
        used = server_cpu_by_process(self.data_dir)
        used.subtract(self.cpu)
        print("  server CPU ms/msg by process: " + ", ".join(
            f"{kind} {secs * 1000 / n:.2f}" for kind, secs in used.most_common() if secs > 0))

    def tables(self) -> None:
        """Each table's live and dead rows, updates (HOT among them), vacuums, and sizes."""
        rows = self.conn.execute(
            "SELECT relname, n_live_tup, n_dead_tup, n_tup_upd, n_tup_hot_upd,"
            " autovacuum_count, autoanalyze_count,"
            " pg_size_pretty(pg_table_size(relid)), pg_size_pretty(pg_indexes_size(relid))"
            " FROM pg_stat_user_tables ORDER BY n_live_tup + n_dead_tup DESC").fetchall()
        print("  tables: live, dead, updates (HOT), autovacuums, autoanalyzes, size, indexes")
        for name, live, dead, upd, hot, vac, anl, size, isize in rows:
            print(f"    {name:17s} {live:7d} {dead:6d} {upd:6d} ({hot:6d}) {vac:3d} {anl:3d} "
                  f"{size:>8s} {isize:>8s}")


def _lap(stats: ServerStats, label: str, n: int, since: float) -> float:
    """Show the statements of the window just ended (label, over n messages), start another."""
    if label:
        stats.show(f"{label} ({(time.perf_counter() - since) / n * 1000:.2f} ms/msg wall)", n)
    stats.reset()
    return time.perf_counter()


def summary(outcomes: Counter[str]) -> str:
    """'confirmed 450, waitlisted 400, ...': outcomes without their session."""
    merged: Counter[str] = Counter()
    for outcome, n in outcomes.items():
        merged[outcome.split("=")[-1]] += n
    return ", ".join(f"{k} {v}" for k, v in merged.most_common())


def run(db_url: str, n: int, show: bool, profile: str,
        data_dir: Path | None = None, pg_stats: bool = False, window: int = 0) -> None:
    from sqlalchemy import event

    from mailflow.app import build_desk
    from mailflow.config import load_settings
    from mailflow.outbox import deliver

    with tempfile.TemporaryDirectory() as tmp:
        now = datetime.now(UTC)
        rig = write_config(Path(tmp), imap_host="127.0.0.1", imap_port=1, username="u",
                           password="pw", smtp_port=1, db_url=db_url, events=events(now))
        preload(db_url, rig.path, now)
        settings = load_settings(rig.path, {"MAILFLOW_TEST_IMAP_PASSWORD": "pw"})
        desk = build_desk(settings)
        raws = requests(n)
        counted: Counter[str] = Counter()
        checkouts = [0]
        texts: dict[str, str] = {}

        def capture(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
            k = kind(statement)
            counted[k] += 1
            texts.setdefault(k, statement)

        def checkout(*_: Any) -> None:
            checkouts[0] += 1

        event.listen(desk.engine, "before_cursor_execute", capture)
        event.listen(desk.engine, "checkout", checkout)
        stats = ServerStats(db_url, data_dir) if pg_stats and data_dir is not None else None
        if stats is not None:
            stats.reset()
        profiler = None
        if profile:
            import cProfile
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        mark("handle")
        started, cpu = time.perf_counter(), time.process_time()
        server = server_cpu(data_dir)
        outcomes: Counter[str] = Counter()
        window = min(window, n // 2) if stats is not None else 0
        lap = started
        for i, raw in enumerate(raws):
            if stats is not None and window and i == window:
                lap = _lap(stats, f"handle 1-{window}", window, lap)
            if stats is not None and window and i == n - window and i > window:
                lap = _lap(stats, "", window, lap)  # the middle is not shown
            outcomes[desk.handle(raw, 1, i + 1).outcome] += 1
        secs, cpu_secs = time.perf_counter() - started, time.process_time() - cpu
        server = server_cpu(data_dir) - server
        handled = counted.copy()
        counted.clear()
        checkouts_handling, checkouts[0] = checkouts[0], 0
        if stats is not None:
            if window:
                _lap(stats, f"handle {n - window + 1}-{n}", window, lap)
                stats.tables()
            else:
                stats.show("handle", n)
            stats.reset()
        mark("send")
        sending = time.perf_counter(), time.process_time(), server_cpu(data_dir)
        sent = 0
        while True:
            report = deliver(desk.engine, Discard(), settings.smtp.from_address, desk.clock)
            if not report.sent:
                break
            sent += report.sent
        send = (time.perf_counter() - sending[0], time.process_time() - sending[1],
                server_cpu(data_dir) - sending[2])
        mark("end")
        if stats is not None:
            stats.show("send", max(sent, 1))
            stats.conn.close()
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(profile)
        desk.engine.dispose()
    name = desk.engine.dialect.name
    print_counts(f"{name:10s} handle n={n}", secs, cpu_secs, server, n, handled,
                 checkouts_handling, show, texts)
    print(f"{'':10s} outcomes: {summary(outcomes)}")
    print_counts(f"{name:10s} send {sent}", *send, max(sent, 1), counted, checkouts[0],
                 show, texts)


class Discard:
    """An SMTP server that takes everything instantly: only the database's share is left."""

    def send(self, sender: str, recipient: str, raw: bytes) -> None:
        pass


def print_counts(label: str, secs: float, cpu_secs: float, server: float, n: int,
                 counted: Counter[str], checkouts: int, show: bool,
                 texts: dict[str, str]) -> None:
    total = sum(counted.values())
    print(f"{label}: {secs / n * 1000:6.2f} ms/msg, CPU {cpu_secs / n * 1000:6.2f} ms/msg, "
          f"server CPU {server / n * 1000:5.2f} ms/msg; {total / n:5.2f} statements/msg, "
          f"{checkouts / n:4.2f} checkouts/msg")
    for k, c in counted.most_common():
        print(f"    {c / n:5.2f}  {k}")
        if show:
            print("           " + " ".join(texts[k].split())[:300])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1_000)
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--pg-only", action="store_true")
    parser.add_argument("--show", action="store_true", help="print each kind's statement")
    parser.add_argument("--profile", default="", help="cProfile stats file (last database)")
    parser.add_argument("--pg-stats", action="store_true",
                        help="PostgreSQL's per-statement server time (pg_stat_statements)")
    parser.add_argument("--window", type=int, default=0,
                        help="with --pg-stats: the first and the last W messages apart")
    args = parser.parse_args()
    if not args.pg_only:
        with tempfile.TemporaryDirectory() as tmp:
            run(f"sqlite:///{tmp}/bench.db", args.n, args.show, args.profile)
    if args.sqlite_only:
        return
    reason = postgres_available()
    if reason is not None:
        raise SystemExit(reason)
    options = ("-c shared_preload_libraries=pg_stat_statements "
               "-c pg_stat_statements.track_planning=on" if args.pg_stats else "")
    with Postgres(options=options) as pg:
        run(pg.create_database(f"stmts{time.monotonic_ns()}"), args.n, args.show,
            args.profile, pg.data_dir, args.pg_stats, args.window)


if __name__ == "__main__":
    main()
