"""A refused login is not an outage: back off to 30 min, say so once, record it for status."""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import Engine

from mailflow.config import MailboxSettings
from mailflow.oauth import AuthRejected
from mailflow.store import UnitOfWork, unit_of_work
from mailflow.troubles import refusal_words

log = logging.getLogger("mailflow.login")

AUTH_BACKOFF_FIRST = 60.0  # seconds before the second try; [worker] auth_backoff_seconds
AUTH_BACKOFF_MAX = 1800.0  # never more than 30 minutes between tries
MAILBOX = "mailbox"
SMTP = "smtp"
_KEY = "login.{}"  # the store's setting holding the current refusal, if any


@dataclass(frozen=True)
class Refusal:
    """One login that servers keep refusing: what status and health show."""

    what: str  # MAILBOX or SMTP
    account: str
    reason: str
    since: datetime
    attempts: int
    next_attempt: datetime
    notified: bool = False
    credentials: str = ""  # a salted hash of what was refused: a change is tried at once

    def to_json(self) -> str:
        data = asdict(self)
        data["since"], data["next_attempt"] = self.since.isoformat(), \
            self.next_attempt.isoformat()
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> Refusal | None:
        try:
            data = json.loads(text)
            data["since"] = datetime.fromisoformat(data["since"])
            data["next_attempt"] = datetime.fromisoformat(data["next_attempt"])
            return cls(**data)
        except (ValueError, TypeError, KeyError):
            return None

    def line(self) -> str:
        return (f"{self.what} login for {self.account} refused since "
                f"{self.since:%Y-%m-%d %H:%M} UTC ({self.attempts} attempt(s); next at "
                f"{self.next_attempt:%H:%M:%S}): {self.reason}")


def fingerprint(parts: Sequence[str], salt: str = "") -> str:
    """A salted hash of credentials, to tell later whether they changed (never the secret)."""
    salt = salt or secrets.token_hex(8)
    digest = hashlib.sha256("\x00".join([salt, *parts]).encode()).hexdigest()[:32]
    return f"{salt}${digest}"


def same_credentials(stored: str, parts: Sequence[str]) -> bool:
    salt, _, _ = stored.partition("$")
    return bool(stored) and fingerprint(parts, salt) == stored


def mailbox_credentials(m: MailboxSettings) -> list[str]:
    """What a mailbox login depends on; a fix to any of it ends the wait for the next try."""
    parts = [m.host, str(m.port), m.username, m.password]
    o = m.oauth
    if o is not None:
        cache = o.token_cache
        stamp = str(cache.stat().st_mtime_ns) if cache is not None and cache.exists() else ""
        parts += [o.provider, o.flow, o.tenant, o.client_id, o.client_secret, o.key_file,
                  o.authority, o.token_uri, stamp]  # stamp: `mailflow login` rewrote it
    return parts


def next_delay(attempts: int, first: float, cap: float = AUTH_BACKOFF_MAX) -> float:
    """first, 2×first, 4×first … seconds after the 1st, 2nd, 3rd refusal, capped."""
    return min(cap, first * 2 ** max(0, attempts - 1))


class LoginWatch:
    """Counts the refusals of one login, says how long to wait, and logs each change once."""

    def __init__(self, what: str, account: str, first: float, clock: Callable[[], datetime],
                 save: Callable[[Refusal | None], None] = lambda _r: None,
                 notify: Callable[[Refusal], bool] = lambda _r: False,
                 previous: Refusal | None = None, credentials: Sequence[str] = ()) -> None:
        self.what = what
        self.account = account
        self.first = first
        self.clock = clock
        self.save = save
        self.notify = notify
        self.credentials = list(credentials)
        # A later process (a restart, the next cron poll) carries the count, the back-off and
        # the "coordinator told" mark on, unless the credentials changed: then it tries at once.
        self.current = previous if previous and previous.account == account else None
        if self.current is not None and \
                not same_credentials(self.current.credentials, self.credentials):
            self.current = replace(self.current, next_attempt=clock())

    def refused(self, reason: str) -> float:
        """Record one refusal; returns the seconds to wait before the next try."""
        now = self.clock()
        old = self.current
        attempts = (old.attempts if old else 0) + 1
        delay = next_delay(attempts, self.first)
        kept = old.credentials if old and same_credentials(old.credentials, self.credentials) \
            else fingerprint(self.credentials)
        refusal = Refusal(self.what, self.account, reason, old.since if old else now, attempts,
                          now + timedelta(seconds=delay), old.notified if old else False, kept)
        if old is None or old.reason != reason:
            log.warning("%s login refused for %s: %s; not retrying for %g s (backing off "
                        "to at most %g min; a wrong password or revoked token needs a fix)",
                        self.what, self.account, reason, delay, AUTH_BACKOFF_MAX / 60)
        else:
            log.debug("%s login still refused (attempt %d); next try in %g s", self.what,
                      attempts, delay)
        if not refusal.notified and self.notify(refusal):
            refusal = replace(refusal, notified=True)
        self.current = refusal
        self.save(refusal)
        return delay

    def accepted(self) -> None:
        if self.current is None:
            return
        log.info("%s login for %s accepted again after %d refusal(s)", self.what,
                 self.account, self.current.attempts)
        self.current = None
        self.save(None)

    def waiting(self) -> bool:
        """Whether the last refusal's back-off is still running."""
        return self.current is not None and self.clock() < self.current.next_attempt


# --------------------------------------------------------------------------- the store


def load(uow: UnitOfWork, what: str) -> Refusal | None:
    text = uow.get_setting(_KEY.format(what))
    return Refusal.from_json(text) if text else None


def refusals(uow: UnitOfWork) -> dict[str, Refusal]:
    """Logins currently refused, for `status` and `health`."""
    found = {what: load(uow, what) for what in (MAILBOX, SMTP)}
    return {what: r for what, r in found.items() if r is not None}


def saver(engine: Engine, what: str, clock: Callable[[], datetime]
          ) -> Callable[[Refusal | None], None]:
    def save(refusal: Refusal | None) -> None:
        with unit_of_work(engine) as uow:
            uow.put_setting(_KEY.format(what), refusal.to_json() if refusal else "", clock())
            uow.commit()

    return save


def watch(engine: Engine, what: str, account: str, first: float,
          clock: Callable[[], datetime],
          notify: Callable[[Refusal], bool] = lambda _r: False,
          credentials: Sequence[str] = ()) -> LoginWatch:
    """A LoginWatch that keeps its state in the store, picking up a previous run's."""
    with unit_of_work(engine) as uow:
        previous = load(uow, what)
    return LoginWatch(what, account, first, clock, saver(engine, what, clock), notify,
                      previous, credentials)


Opened = TypeVar("Opened")


def guarded(login: LoginWatch, open_: Callable[[], Opened]) -> Callable[[], Opened]:
    """`open_`, but not tried while a refusal's back-off runs, and its refusals recorded."""
    def open_guarded() -> Opened:
        if login.waiting() and login.current is not None:
            raise AuthRejected(f"not trying: {login.current.line()}")
        try:
            opened = open_()
        except AuthRejected as exc:
            login.refused(refusal_words(exc))
            raise
        login.accepted()
        return opened

    return open_guarded
