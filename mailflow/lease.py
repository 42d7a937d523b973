"""The worker lease: one row in the settings table so two `mailflow run` never act at once."""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from mailflow.store import Setting, unit_of_work

LEASE_KEY = "worker.lease"


@dataclass(frozen=True)
class Holder:
    owner: str  # unique per process: host, pid and a random token
    host: str
    pid: int
    expires: datetime

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}"


class LeaseHeld(Exception):
    """Another worker holds the lease and it has not expired."""

    def __init__(self, holder: Holder) -> None:
        super().__init__(f"another mailflow worker ({holder.describe()}) is already running "
                         f"against this database; its lease runs until "
                         f"{holder.expires:%Y-%m-%d %H:%M:%S %Z}")
        self.holder = holder


class LeaseLost(Exception):
    """Our lease expired and another worker took it: this one must stop acting."""


def new_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


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
    """Take, renew and give back the lease. The row lock (or SQLite's write lock) serialises."""

    engine: Engine
    ttl: timedelta
    owner: str

    def acquire(self, now: datetime) -> None:
        """Take the lease, or raise LeaseHeld naming the live holder."""
        self._write(now, renewing=False)

    def renew(self, now: datetime) -> None:
        """Push our expiry on; raise LeaseLost if someone else took it meanwhile."""
        self._write(now, renewing=True)

    def _write(self, now: datetime, renewing: bool) -> None:
        try:
            with unit_of_work(self.engine) as uow:
                row = uow.session.get(Setting, LEASE_KEY, with_for_update=True)
                holder = _decode(row.value) if row is not None else None
                mine = holder is not None and holder.owner == self.owner
                if renewing and not mine:
                    raise LeaseLost("the worker lease was taken by "
                                    f"{holder.describe() if holder else 'nobody'}")
                if holder is not None and not mine and holder.expires > now:
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
        """Give the lease back at a clean stop, so a restart need not wait for expiry."""
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
