"""A private PostgreSQL cluster for integration tests (trust auth, no fsync)."""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from servers.host import LOCALHOST, free_port, private_dir, tail, user_exists


def _pg_version_key(path: str) -> tuple[int, ...]:
    match = re.search(r"/postgresql/(\d+(?:\.\d+)?)/", path)
    return tuple(int(x) for x in match.group(1).split(".")) if match else (0,)


def postgres_bindir() -> Path | None:
    """Find a directory holding initdb, pg_ctl and postgres."""
    candidates: list[str] = []
    if env := os.environ.get("PG_BINDIR"):
        candidates.append(env)
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=False
            )
            candidates.append(out.stdout.strip())
    candidates += sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=_pg_version_key, reverse=True
    )
    if initdb := shutil.which("initdb"):
        candidates.append(str(Path(initdb).resolve().parent))
    for cand in candidates:
        needed = ("initdb", "pg_ctl", "postgres")
        if cand and all(os.access(Path(cand, b), os.X_OK) for b in needed):
            return Path(cand)
    return None


def postgres_available() -> str | None:
    """Return None when a private PostgreSQL cluster can be started here, else the reason."""
    if postgres_bindir() is None:
        return "PostgreSQL binaries initdb/pg_ctl/postgres not found (apt-get install postgresql)"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    if os.geteuid() == 0:
        if not user_exists("postgres"):
            return "running as root but there is no 'postgres' user to run initdb as"
        if shutil.which("runuser") is None:
            return "running as root but runuser is missing"
    return None


class Postgres:
    """A private PostgreSQL cluster on 127.0.0.1, trust auth, superuser postgres."""

    def __init__(self, *, start: bool = True, options: str = "") -> None:
        """`options`: more server settings (`-c name=value ...`), e.g. for a bench."""
        reason = postgres_available()
        if reason is not None:
            raise RuntimeError(reason)
        self.bindir: Path = postgres_bindir()  # type: ignore[assignment]
        self.dir = private_dir("mailflow-pg-")
        self.data_dir = self.dir / "data"
        self.log_path = self.dir / "postgres.log"
        self.host = LOCALHOST
        self.port = free_port()
        # initdb refuses root, so the cluster belongs to postgres.
        self._as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as_user:
            shutil.chown(self.dir, "postgres", "postgres")
        self._started = False
        self._options = options
        atexit.register(self.stop)
        self._initdb()
        if start:
            self.start()

    def _run(self, *args: str, timeout: float = 60) -> None:
        out_path = self.dir / "commands.out"
        with open(out_path, "ab") as out:
            # Never pipes: pg_ctl leaves a daemon that would inherit them and hang the read.
            result = subprocess.run(
                [*self._as_user, *args],
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        if result.returncode != 0:
            raise RuntimeError(
                f"{Path(args[0]).name} failed ({result.returncode})\n{tail(out_path)}\n"
                f"--- {self.log_path}\n{tail(self.log_path)}"
            )

    def _initdb(self) -> None:
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data_dir), "-U", "postgres",
            "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8",
            # No fsync: a test cluster is thrown away, and syncing costs most of initdb's time.
            "--no-sync",
        )

    def start(self) -> None:
        if self._started:
            return
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses={self.host} "
            # Durability is pointless for throwaway data and slows CREATE DATABASE and commits.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200 " + self._options
        )
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.log_path),
            "-w", "-t", "60", "-o", options, "start",
        )
        self._started = True

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run(
                str(self.bindir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate",
                "-w", "stop",
            )

    def close(self) -> None:
        """Stop and delete the cluster's files."""
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Postgres:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def conninfo(self, db: str = "postgres") -> str:
        return f"host={self.host} port={self.port} user=postgres dbname={db}"

    def url(self, db: str = "postgres") -> str:
        """SQLAlchemy URL for psycopg 3."""
        return f"postgresql+psycopg://postgres@{self.host}:{self.port}/{db}"

    def _admin(self, statement: Any) -> None:
        import psycopg

        # CREATE/DROP DATABASE cannot run inside a transaction block.
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(statement)

    def create_database(self, name: str) -> str:
        """Create an empty database; returns its SQLAlchemy URL."""
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            if conn.info.server_version >= 150000:
                # 15's default WAL_LOG strategy takes ~150 ms for an empty database, FILE_COPY
                # ~35 ms (its checkpoint is cheap with fsync off); this runs once per test.
                statement = sql.SQL("{} STRATEGY FILE_COPY").format(statement)
            conn.execute(statement)
        return self.url(name)

    def drop_database(self, name: str) -> None:
        from psycopg import sql

        # FORCE ends connections a test's engine pool may still hold.
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
