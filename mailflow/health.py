"""`mailflow health`: is the desk working? Last pass, mailbox and SMTP logins, failed mail."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from mailflow.filing import filing_state
from mailflow.login_watch import load
from mailflow.outbox_state import delivery_state
from mailflow.poll import LAST_POLL
from mailflow.store import unit_of_work


@dataclass(frozen=True)
class Check:
    name: str  # last-pass | mailbox | smtp | failed-mail | filing
    ok: bool
    detail: str


@dataclass
class Health:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def as_dict(self) -> dict[str, Any]:
        return {"healthy": self.ok, "checks": [asdict(c) for c in self.checks]}


def default_max_age(poll_seconds: float) -> timedelta:
    """How old the last pass may be: three missed polls, and never under ten minutes."""
    return max(timedelta(minutes=10), timedelta(seconds=3 * poll_seconds))


def last_pass_check(engine: Engine, now: datetime, max_age: timedelta) -> Check:
    with unit_of_work(engine) as uow:
        value = uow.get_setting(LAST_POLL)
    if not value:
        return Check("last-pass", False, "no pass has read the mailbox yet (run `mailflow "
                                         "poll`, or start `mailflow run`)")
    last = datetime.fromisoformat(value)
    old = now - last
    minutes = old.total_seconds() / 60
    if old > max_age:
        return Check("last-pass", False, f"the last pass was {minutes:.0f} min ago "
                                         f"(at {value}), more than the "
                                         f"{max_age.total_seconds() / 60:.0f} min allowed")
    return Check("last-pass", True, f"{minutes:.1f} min ago ({value})")


def failed_mail_check(engine: Engine) -> Check:
    """Mail given up on, or sending paused by server trouble: both need someone."""
    state = delivery_state(engine)
    if state.failed:
        return Check("failed-mail", False, f"{len(state.failed)} message(s) could not be sent "
                                           f"(last: {state.failed[-1].reason}); see "
                                           "`mailflow outbox --failed`")
    if state.paused is not None:
        return Check("failed-mail", False, f"sending is paused since "
                                           f"{state.paused.since:%Y-%m-%d %H:%M} "
                                           f"({state.pending} waiting): {state.paused.reason}")
    return Check("failed-mail", True, "no failed mail")


def refused_login_check(engine: Engine, what: str) -> Check | None:
    """The worker's record of a login the server keeps refusing, or None if there is none.

    While one is recorded, health reports it instead of logging in again: a health check run
    every minute must not be what locks the account.
    """
    with unit_of_work(engine) as uow:
        refusal = load(uow, what)
    if refusal is None:
        return None
    return Check(what, False, refusal.line())


def filing_check(engine: Engine) -> Check:
    """A folder the server refuses: mail is handled but piles up unfiled."""
    troubles = filing_state(engine)
    if troubles:
        t = troubles[0]
        return Check("filing", False, f"handled mail cannot be moved into {t.folder!r} since "
                                      f"{t.since:%Y-%m-%d %H:%M}: {t.reason}")
    return Check("filing", True, "handled mail is filed")


def login_check(name: str, login: Callable[[], object], describe: Callable[[Exception], str],
                accepted: str = "login accepted") -> Check:
    """Log in for real (or just connect, when no login is configured: `accepted` says which);
    any trouble is worded by `describe`."""
    try:
        login()
    except Exception as exc:  # noqa: BLE001 - every failure is a health finding, not a crash
        return Check(name, False, describe(exc))
    return Check(name, True, accepted)
