"""Shared fixtures: private Dovecot/PostgreSQL/SMTP servers, per-test users and databases."""

from __future__ import annotations

import itertools
import os
import re
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import pytest
from imapclient import IMAPClient

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servers import (  # noqa: E402
    Dovecot,
    Postgres,
    SmtpSink,
    dovecot_available,
    postgres_available,
)

IN_CI = os.environ.get("CI", "").lower() == "true"

# In CI a skip whose reason names one of these means a real server (or a tool scripts/test
# installs) never ran: treat as failure.
_SERVER_SKIP = re.compile(r"server|dovecot|postgres|psycopg|strace is not installed",
                          re.IGNORECASE)

# Tests that use these fixtures get the "integration" marker, so `-m "not integration"` works.
_INTEGRATION_FIXTURES = {
    "dovecot", "imap_user", "smtp_sink", "smtp_auth_sink", "postgres", "pg_url"
}

try:  # Timing on a shared 2-core CI box is noisy; a per-example deadline only adds flakes there.
    from hypothesis import settings as _hyp_settings

    _hyp_settings.register_profile("ci", deadline=None, print_blob=True)
    if IN_CI:
        _hyp_settings.load_profile("ci")
except ImportError:
    pass


def pytest_configure(config: pytest.Config) -> None:
    # Also declared in pyproject; repeated here so the markers exist whatever config is used.
    config.addinivalue_line(
        "markers", "integration: needs a real server (Dovecot, aiosmtpd, PostgreSQL)"
    )
    config.addinivalue_line("markers", "postgres: runs against PostgreSQL")
    # The AUTH-without-TLS sink is deliberate; aiosmtpd warns on every connection to it.
    config.addinivalue_line(
        "filterwarnings", "ignore:Requiring AUTH while not requiring TLS:UserWarning"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & _INTEGRATION_FIXTURES:
            item.add_marker(pytest.mark.integration)
        if names & {"postgres", "pg_url"}:
            item.add_marker(pytest.mark.postgres)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = _skip_reason(report.longrepr)
        if _SERVER_SKIP.search(reason):
            # Never let CI go green with the real-server tests silently skipped.
            report.outcome = "failed"
            report.longrepr = f"CI=true forbids skipping for a missing server: {reason}"
    return report


def _skip_reason(longrepr: Any) -> str:
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def _unavailable(what: str, reason: str) -> NoReturn:
    message = f"{what} server unavailable: {reason}"
    if IN_CI:
        pytest.fail(f"CI=true, so this is a failure, not a skip: {message}", pytrace=False)
    banner = "!" * 20
    pytest.skip(f"{banner} SKIPPED: {message} — run `bash scripts/test` to install it {banner}")


Server = TypeVar("Server", Dovecot, Postgres, SmtpSink)


def _serve(what: str, start: Callable[[], Server], missing: str | None = None) -> Iterator[Server]:
    """Start a server for a fixture, or skip loudly (fail in CI) saying why it could not."""
    if missing is not None:
        _unavailable(what, missing)
    try:
        server = start()
    except Exception as exc:
        _unavailable(what, f"failed to start: {exc}")
    with server:
        yield server


# --------------------------------------------------------------------------- IMAP


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    """One private Dovecot for the whole session (plain port, plus an imaps port if openssl)."""
    yield from _serve("Dovecot IMAP", Dovecot, dovecot_available())


@dataclass(frozen=True)
class ImapUser:
    """A fresh IMAP account on the session Dovecot."""

    server: Dovecot
    username: str
    password: str

    @property
    def host(self) -> str:
        return self.server.host

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def ssl_port(self) -> int | None:
        return self.server.ssl_port

    def client(self, *, ssl: bool = False) -> IMAPClient:
        """A logged-in IMAPClient for this user (close it, or use it in a with block)."""
        return self.server.client(self.username, ssl=ssl)

    def append(self, folder: str, raw: bytes, flags: tuple[str, ...] = ()) -> int | None:
        """APPEND a raw message (creating the folder if needed); returns the UID."""
        return self.server.append(self.username, folder, raw, flags)

    def reset(self) -> None:
        self.server.reset_user(self.username)


_user_numbers = itertools.count(1)


@pytest.fixture
def imap_user(dovecot: Dovecot) -> ImapUser:
    """A new user with an empty mailbox for each test: cheaper and cleaner than resetting one."""
    name = f"t{next(_user_numbers)}-{uuid.uuid4().hex[:8]}"
    password = uuid.uuid4().hex
    login = dovecot.add_user(name, password)
    return ImapUser(dovecot, login, password)


# --------------------------------------------------------------------------- SMTP


@pytest.fixture
def smtp_sink(request: pytest.FixtureRequest) -> Iterator[SmtpSink]:
    """An aiosmtpd sink per test; parametrize indirectly with {"require_auth": True} for AUTH."""
    options: dict[str, Any] = getattr(request, "param", None) or {}
    yield from _serve("aiosmtpd SMTP", lambda: SmtpSink(**options))


@pytest.fixture
def smtp_auth_sink() -> Iterator[SmtpSink]:
    """A sink that demands AUTH as SmtpSink.USER / SmtpSink.PASSWORD."""
    yield from _serve("aiosmtpd SMTP", lambda: SmtpSink(require_auth=True))


# --------------------------------------------------------------------------- SQL


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    """One private PostgreSQL cluster for the whole session."""
    yield from _serve("PostgreSQL", Postgres, postgres_available())


@pytest.fixture
def pg_url(postgres: Postgres) -> Iterator[str]:
    """SQLAlchemy URL of a new, empty database, dropped after the test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    url = postgres.create_database(name)
    try:
        yield url
    finally:
        postgres.drop_database(name)


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=[pytest.mark.postgres, pytest.mark.integration]),
    ]
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database URL, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/mailflow.db"
    url: str = request.getfixturevalue("pg_url")
    return url


# Handy for tests that build their own servers (e.g. a second Dovecot) with the same policy.
server_unavailable: Callable[[str, str], NoReturn] = _unavailable
