"""Ownership that dies with its process: a liveness lock per process, and the worker lease."""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import logging
import os
import socket
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from mailflow.store import Setting, unit_of_work

log = logging.getLogger("mailflow.lease")

LEASE_KEY = "worker.lease"
ADVISORY_CLASS = 0x6D666C77  # "mflw": keeps our PostgreSQL advisory locks apart from others'


# ---- liveness: an OS-level lock held for the life of the process ----------------------------

TOKEN_LENGTH = 12  # mailflow before liveness locks used 8: those owners are told by time


def new_owner() -> str:
    """host:pid:token; the token names the process's lock (file or advisory key)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:TOKEN_LENGTH]}"


def _parts(owner: str) -> tuple[str, int, str] | None:
    """host, pid, token of an owner that holds a liveness lock; None for older owners."""
    try:
        host, pid, token = owner.rsplit(":", 2)
        int(token, 16)
        if len(token) != TOKEN_LENGTH:
            return None
        return host, int(pid), token
    except ValueError:
        return None


def _advisory_key(token: str) -> int:
    return int(token, 16) & 0x7FFFFFFF


def owners_dir(engine: Engine) -> Path | None:
    """The folder beside a SQLite database where each process keeps its lock file."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database + "-owners")


class ProcessLock:
    """This process's proof of life for one database: released by the kernel when it dies.

    SQLite: an flock on OWNERS/TOKEN.lock beside the database. PostgreSQL: a session advisory
    lock on a connection kept open, which the server drops when the connection goes.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.owner = new_owner()
        self.token = self.owner.rsplit(":", 1)[1]
        self._fd: int | None = None
        self._keeper: Connection | None = None
        self._lock = threading.Lock()
        self._take()

    def _take(self) -> None:
        folder = owners_dir(self.engine)
        if folder is not None:
            folder.mkdir(exist_ok=True)
            # Locked under a temporary name, then renamed: nobody ever sees it unlocked.
            temp = folder / f".{self.token}.tmp"
            fd = os.open(temp, os.O_RDWR | os.O_CREAT, 0o644)
            fcntl.flock(fd, fcntl.LOCK_EX)
            os.write(fd, self.owner.encode())
            os.replace(temp, folder / f"{self.token}.lock")
            self._fd = fd
        elif self.engine.dialect.name == "postgresql":
            self._keeper = self.engine.connect()
            self._keeper.execute(text("SELECT pg_advisory_lock(:c, :o)"),
                                 {"c": ADVISORY_CLASS, "o": _advisory_key(self.token)})
            self._keeper.commit()

    def check(self) -> None:
        """Re-take the advisory lock if the database server dropped our connection."""
        if self._keeper is None:
            return
        with self._lock:
            try:
                self._keeper.execute(text("SELECT 1")).all()
                self._keeper.commit()
            except SQLAlchemyError:
                with contextlib.suppress(Exception):
                    self._keeper.close()
                log.warning("the database connection holding this process's lock was lost; "
                            "taking the lock again")
                self._take()

    def close(self) -> None:
        if self._fd is not None:
            folder = owners_dir(self.engine)
            if folder is not None:
                with contextlib.suppress(OSError):
                    (folder / f"{self.token}.lock").unlink()
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None
        if self._keeper is not None:
            with contextlib.suppress(Exception):
                self._keeper.close()
            self._keeper = None


_locks: dict[str, ProcessLock] = {}
_locks_guard = threading.Lock()


def _engine_key(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def process_owner(engine: Engine) -> str:
    """This process's owner id for a database, taking its liveness lock on first use."""
    key = _engine_key(engine)
    with _locks_guard:
        lock = _locks.get(key)
        if lock is None:
            if not _locks:
                atexit.register(_close_all)
            lock = _locks[key] = ProcessLock(engine)
    lock.check()
    return lock.owner


def _close_all() -> None:
    with _locks_guard:
        for lock in _locks.values():
            lock.close()
        _locks.clear()


def owner_alive(engine: Engine, owner: str) -> bool | None:
    """Whether the process named by `owner` still runs: True, False, or None for "cannot tell"
    (an owner from before liveness locks, or a SQLite owner on another host)."""
    parts = _parts(owner)
    if parts is None:
        return None
    host, _pid, token = parts
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            held = conn.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "AND classid::bigint = :c AND objid::bigint = :o AND objsubid = 2"),
                {"c": ADVISORY_CLASS, "o": _advisory_key(token)}).scalar_one()
        return bool(held)
    folder = owners_dir(engine)
    if folder is None or host != socket.gethostname():
        return None
    path = folder / f"{token}.lock"
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False  # its lock file goes only when it stops (or was found dead)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    with contextlib.suppress(OSError):
        path.unlink()  # dead: tidy its file away
    return False


# ---- the worker lease ------------------------------------------------------------------------

@dataclass(frozen=True)
class Holder:
    owner: str  # unique per process: host, pid and a random token
    host: str
    pid: int
    expires: datetime

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}"


class LeaseHeld(Exception):
    """Another worker holds the lease and its process is alive."""

    def __init__(self, holder: Holder) -> None:
        super().__init__(f"another mailflow worker ({holder.describe()}) is already running "
                         f"against this database")
        self.holder = holder


class LeaseLost(Exception):
    """Another worker took our lease: this one must stop acting."""


def _decode(value: str) -> Holder | None:
    try:
        data = json.loads(value)
        return Holder(owner=str(data["owner"]), host=str(data["host"]), pid=int(data["pid"]),
                      expires=datetime.fromisoformat(str(data["expires"])))
    except (ValueError, KeyError, TypeError):
        return None  # unreadable: treat as free rather than block forever


def _encode(owner: str, expires: datetime) -> str:
    host, pid, _token = owner.rsplit(":", 2)
    return json.dumps({"owner": owner, "host": host, "pid": int(pid),
                       "expires": expires.isoformat()})


@dataclass
class Lease:
    """Take, renew and give back the lease. The row lock (or SQLite's write lock) serialises.

    A holder whose process is gone (its liveness lock is free) is replaced at once; the expiry
    only matters when liveness cannot be told (an old-format or other-host SQLite holder).
    """

    engine: Engine
    ttl: timedelta
    owner: str

    def acquire(self, now: datetime) -> None:
        """Take the lease, or raise LeaseHeld naming the live holder."""
        self._write(now, renewing=False)

    def renew(self, now: datetime) -> None:
        """Push our expiry on; raise LeaseLost if someone else took it meanwhile."""
        self._write(now, renewing=True)

    def _live(self, holder: Holder, now: datetime) -> bool:
        alive = owner_alive(self.engine, holder.owner)
        if alive is None:
            return holder.expires > now
        if not alive:
            log.info("the previous worker (%s) is no longer running: taking over",
                     holder.describe())
        return alive

    def _write(self, now: datetime, renewing: bool) -> None:
        try:
            with unit_of_work(self.engine) as uow:
                row = uow.session.get(Setting, LEASE_KEY, with_for_update=True)
                holder = _decode(row.value) if row is not None else None
                mine = holder is not None and holder.owner == self.owner
                if renewing and not mine:
                    raise LeaseLost("the worker lease was taken by "
                                    f"{holder.describe() if holder else 'nobody'}")
                if holder is not None and not mine and self._live(holder, now):
                    raise LeaseHeld(holder)
                uow.put_setting(LEASE_KEY, _encode(self.owner, now + self.ttl), now)
                uow.commit()
        except IntegrityError:
            # Two first-ever workers inserted the row at once (PostgreSQL): the other won.
            with unit_of_work(self.engine) as uow:
                value = uow.get_setting(LEASE_KEY)
            holder = _decode(value or "")
            if holder is None:
                raise
            raise LeaseHeld(holder) from None

    def release(self, now: datetime) -> None:
        """Give the lease back at a clean stop."""
        with unit_of_work(self.engine) as uow:
            row = uow.session.get(Setting, LEASE_KEY, with_for_update=True)
            holder = _decode(row.value) if row is not None else None
            if row is not None and holder is not None and holder.owner == self.owner:
                uow.session.delete(row)
                uow.commit()

    def holder(self) -> Holder | None:
        with unit_of_work(self.engine) as uow:
            value = uow.get_setting(LEASE_KEY)
        return None if value is None else _decode(value)
