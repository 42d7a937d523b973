"""A refused login is not an outage: `mailflow run` backs off, tells the coordinator once, and
`status` shows it; OAuth2 logins refresh a token that expires under the worker."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import server_unavailable

from mailflow.courier import Courier
from mailflow.login_watch import AUTH_BACKOFF_MAX, LoginWatch, Refusal, fingerprint, next_delay
from mailflow.mailbox import ImapMailbox
from mailflow.oauth import RefreshingProvider
from mailflow.outbox_state import delivery_state
from mailflow.smtp import SmtpSender
from mailflow.store import unit_of_work
from mailflow.token_sources import Token
from mailflow.views import status_data
from mailflow.worker import Worker

from oauth_servers import (
    APP_CLIENT,
    APP_SECRET,
    OAuthDovecot,
    OAuthSmtpSink,
    TokenAuthority,
    running_authority,
)
from servers import dovecot_available
from support import PASSWORD_ENV, Rig, far_digest, mail, wait_until, write_config

WINDOW = 4.0  # seconds of refusals counted; with a 1 s back-off base: tries at 0, 1 and 3 s
WORKER = "[worker]\npoll_seconds = 0.5\nidle = true\nauth_backoff_seconds = 1\n"


# ---- pure: the back-off and what is said -------------------------------------------------

def test_backoff_doubles_from_the_base_and_stops_at_30_minutes() -> None:
    assert [next_delay(n, 60) for n in range(1, 8)] == [60, 120, 240, 480, 960, 1800, 1800]
    assert AUTH_BACKOFF_MAX == 30 * 60


def test_a_refusal_is_logged_once_per_change_and_the_coordinator_told_once(
        caplog: pytest.LogCaptureFixture) -> None:
    now = [datetime(2026, 1, 5, 9, 0, tzinfo=UTC)]
    saved: list[Refusal | None] = []
    told: list[Refusal] = []
    login = LoginWatch("mailbox", "desk@example.test", 60, lambda: now[0], saved.append,
                       lambda r: told.append(r) or True)
    with caplog.at_level(logging.DEBUG, logger="mailflow.login"):
        delays = []
        for reason in ("bad password", "bad password", "bad password", "token revoked"):
            delays.append(login.refused(reason))
            assert login.waiting()
            now[0] += timedelta(seconds=delays[-1])
            assert not login.waiting()
        login.accepted()
        login.accepted()
    assert delays == [60, 120, 240, 480]
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2 and "bad password" in warnings[0] and "revoked" in warnings[1]
    assert sum("accepted again after 4 refusal(s)" in r.getMessage()
               for r in caplog.records) == 1
    assert len(told) == 1
    last = saved[-2]
    assert last is not None and last.attempts == 4 and last.notified
    assert saved[-1] is None and login.current is None


def test_a_restart_waits_out_the_backoff_unless_the_credentials_changed() -> None:
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    told: list[Refusal] = []
    same = ["imap.example", "993", "desk@example.test", "wrong"]
    before = Refusal("mailbox", "desk@example.test", "bad password", now, 3,
                     now + timedelta(minutes=4), notified=True, credentials=fingerprint(same))
    assert "wrong" not in before.to_json()  # only a salted hash is kept

    def restarted(credentials: list[str]) -> LoginWatch:
        return LoginWatch("mailbox", "desk@example.test", 60, lambda: now,
                          notify=lambda r: told.append(r) or True, previous=before,
                          credentials=credentials)

    # A restart (or the next cron poll) with the same credentials keeps waiting …
    assert restarted(same).waiting()
    # … a fixed password is tried at once, and a refusal then counts on, told no one again.
    fixed = restarted([*same[:3], "right?"])
    assert not fixed.waiting()
    assert fixed.refused("bad password") == 480
    assert told == []
    assert Refusal.from_json(before.to_json()) == before


# ---- SMTP: the courier waits out the back-off ---------------------------------------------

class Fixed:
    def __init__(self, *values: str) -> None:
        self.values = list(values)

    def fetch(self, force: bool) -> Token:
        return Token(self.values.pop(0), time.time() + 3600)


@pytest.fixture(scope="module")
def authority() -> Iterator[TokenAuthority]:
    yield from running_authority()


def test_a_refused_smtp_login_pauses_sending_instead_of_trying_each_mail(
        tmp_path: Path, authority: TokenAuthority, imap_user: Any) -> None:
    sink = OAuthSmtpSink(authority)
    try:
        rig = write_config(tmp_path, imap_host=imap_user.host, imap_port=imap_user.port,
                           username=imap_user.username, password=imap_user.password,
                           smtp_port=sink.port, db_url=f"sqlite:///{tmp_path}/m.db")
        now = [datetime.now(UTC)]
        desk = rig.desk(clock=lambda: now[0])
        settings = dataclasses.replace(desk.settings.smtp, oauth=_oauth("desk@example.test"))
        tokens = RefreshingProvider("desk@example.test", Fixed(*[f"bad{n}" for n in range(9)]))
        courier = Courier(desk, lambda: SmtpSender(settings, tokens=tokens))
        for n in range(3):  # three replies queued one after another
            desk.handle(mail(f"M{n} <m{n}@camden-council.example>", "Construction webinar",
                             "Please register me for the construction webinar."), 1, n + 1)
            courier.flush()
            now[0] += timedelta(seconds=10)
        assert sink.xoauth2_attempts == 2  # one login, one refreshed token, then it waited
        paused = delivery_state(desk.engine).paused
        assert paused is not None and "XOAUTH2 login refused" in paused.reason
        now[0] += timedelta(minutes=2)
        courier.flush()
        assert sink.xoauth2_attempts == 4  # after the pause: one more try (and refresh)
        assert sink.messages == []
        courier.close()
    finally:
        sink.stop()


def _oauth(user: str) -> Any:
    from mailflow.config import OAuthSettings

    return OAuthSettings(provider="microsoft", flow="app", user=user, client_id=APP_CLIENT,
                         client_secret=APP_SECRET, authority="https://127.0.0.1/unused")


# ---- `mailflow run` against real servers ---------------------------------------------------

class Running:
    """One `mailflow -v run` subprocess with its output in a file."""

    def __init__(self, rig: Rig, log_path: Path, env: dict[str, str] | None = None) -> None:
        self.log_path = log_path
        self._log = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from mailflow.cli import main; main()",
             "--config", str(rig.path), "-v", "run"],
            env={**os.environ, **rig.env, **(env or {})}, stdout=self._log,
            stderr=subprocess.STDOUT)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 20.0) -> float:
        wait_until(f"{text!r} in the worker's log", lambda: text in self.log(), timeout)
        return time.monotonic()

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
        return self.proc.returncode


def dovecot_failed_logins(log_path: Path, user: str) -> int:
    text = log_path.read_text(errors="replace")
    return sum(1 for line in text.splitlines()
               if "auth failed" in line and f"user=<{user}>" in line)


class InProcess:
    """The real worker (mail thread, scheduler, courier) in this process: no start-up cost."""

    def __init__(self, rig: Rig) -> None:
        self.worker = Worker.from_settings(rig.settings())

    def __enter__(self) -> Worker:
        self.worker.start()
        return self.worker

    def __exit__(self, *exc: object) -> None:
        self.worker.shutdown()


def refused_warnings(caplog: pytest.LogCaptureFixture) -> int:
    return sum(1 for r in caplog.records if r.levelno == logging.WARNING
               and r.getMessage().startswith("mailbox login refused"))


def test_worker_backs_off_a_wrong_password_and_tells_the_coordinator_once(
        tmp_path: Path, dovecot: Any, imap_user: Any, smtp_sink: Any,
        caplog: pytest.LogCaptureFixture) -> None:
    rig = far_digest(write_config(
        tmp_path, imap_host=imap_user.host, imap_port=imap_user.port,
        username=imap_user.username, password="not-the-password", smtp_port=smtp_sink.port,
        db_url=f"sqlite:///{tmp_path}/m.db", extra=WORKER))
    with caplog.at_level(logging.INFO, logger="mailflow"), InProcess(rig) as worker:
        wait_until("the first refusal", lambda: refused_warnings(caplog) == 1)
        started = time.monotonic()
        time.sleep(WINDOW)
        logins = dovecot_failed_logins(dovecot.log_path, imap_user.username)
        notices = smtp_sink.wait_for(1)
        with unit_of_work(worker.desk.engine) as uow:
            status = status_data(uow, worker.desk.settings, worker.desk.clock())
    print(f"failed logins Dovecot saw in {time.monotonic() - started:.1f} s with a 1 s "
          f"back-off base: {logins} (the network-error retry at poll_seconds = 0.5 would "
          "try every 0.5 s)")
    assert 2 <= logins <= 4, logins
    assert refused_warnings(caplog) == 1
    assert [m.rcpt_tos for m in notices] == [["suzanne.picken@lupc.example"]]
    assert "refuses its login" in smtp_sink.parsed()[0]["Subject"]
    refused = status["logins_refused"]["mailbox"]
    assert refused["account"] == imap_user.username and refused["coordinator_told"]
    # Dovecot logs a refusal before it answers (after its auth failure delay), so a try still
    # in flight when the log was read is counted there but not yet recorded by the worker.
    assert logins - 1 <= refused["attempts"] <= logins, (refused["attempts"], logins)
    # health reports the recorded refusal without logging in again itself.
    before = dovecot_failed_logins(dovecot.log_path, imap_user.username)
    health = rig.cli("health", "--json")
    checks = {c["name"]: c for c in json.loads(health.stdout)["checks"]}
    assert health.returncode == 1 and not checks["mailbox"]["ok"]
    assert "refused since" in checks["mailbox"]["detail"]
    assert dovecot_failed_logins(dovecot.log_path, imap_user.username) == before


@pytest.fixture
def oauth_world(authority: TokenAuthority) -> Iterator[tuple[OAuthDovecot, OAuthSmtpSink]]:
    missing = dovecot_available()
    if missing:
        server_unavailable("Dovecot IMAP", missing)
    try:
        server = OAuthDovecot(authority.introspection_url, ssl=False)
        sink = OAuthSmtpSink(authority)
    except Exception as exc:
        server_unavailable("Dovecot IMAP", f"failed to start: {exc}")
    with server, sink:
        yield server, sink


def oauth_rig(tmp_path: Path, authority: TokenAuthority, server: OAuthDovecot,
              sink: OAuthSmtpSink, user: str) -> Rig:
    rig = write_config(tmp_path, imap_host=server.host, imap_port=server.port, username=user,
                       password="unused", smtp_port=sink.port,
                       db_url=f"sqlite:///{tmp_path}/m.db", capacity=50, extra=WORKER)
    text = rig.path.read_text().replace(
        f'password_env = "{PASSWORD_ENV}"\n',
        f'auth = "microsoft"\nauthority = "{authority.authority}"\nclient_id = "{APP_CLIENT}"'
        '\nclient_secret_env = "TEST_MS_SECRET"\n').replace(
        'from_address = ', 'auth = "same-as-mailbox"\nfrom_address = ')
    rig.path.write_text(text)
    far_digest(rig)
    return Rig(rig.path, {"TEST_MS_SECRET": APP_SECRET,
                          "REQUESTS_CA_BUNDLE": str(authority.cert_path)})


def test_worker_signs_in_with_oauth_and_refreshes_a_token_that_expires_under_it(
        tmp_path: Path, authority: TokenAuthority,
        oauth_world: tuple[OAuthDovecot, OAuthSmtpSink], monkeypatch: pytest.MonkeyPatch) -> None:
    server, sink = oauth_world
    user = server.add_user(f"desk-{uuid.uuid4().hex[:6]}")
    authority.state.app_mailbox[APP_CLIENT] = user
    monkeypatch.setattr(authority.state, "lifetime", 1.0)  # tokens that expire mid-run
    rig = oauth_rig(tmp_path, authority, server, sink, user)
    request = mail("A <a@camden-council.example>", "Construction webinar",
                   "Please register me for the construction webinar.")
    running = Running(rig, tmp_path / "worker.log")
    try:
        running.wait_for("worker started")
        server.append(user, "INBOX", request)
        sink.wait_for(1, timeout=20)
        first_logins = imap_logins(server, user)
        time.sleep(1.1)  # every token issued so far has now expired
        server.append(user, "INBOX", request.replace(b"Message-ID: <", b"Message-ID: <x"))
        sink.wait_for(2, timeout=20)
    finally:
        assert running.stop() == 0
    log = running.log()
    # The worker logged in again by itself as each token ran out (Exchange would otherwise
    # end the session with BYE), each time with a new token, never with an expired one.
    assert "logging in again with a new one" in log
    assert imap_logins(server, user) > first_logins >= 1
    assert [ok for u, ok in authority.state.introspections if u == user and not ok] == []
    assert "WARNING mailflow.worker: mailbox" not in log  # never seen as an outage
    assert sink.auth_logins and set(sink.auth_logins) == {user}
    desk = rig.desk()
    with unit_of_work(desk.engine) as uow:
        assert status_data(uow, desk.settings, desk.clock())["logins_refused"] == {}


def imap_logins(server: OAuthDovecot, user: str) -> int:
    """XOAUTH2/OAUTHBEARER logins Dovecot accepted for this user."""
    text = server.log_path.read_text(errors="replace")
    return sum(1 for line in text.splitlines() if f"Login: user=<{user}>, method=" in line
               and ("XOAUTH2" in line or "OAUTHBEARER" in line))


def test_mailflow_login_prints_the_device_code_once_and_caches_the_sign_in(
        tmp_path: Path, authority: TokenAuthority,
        oauth_world: tuple[OAuthDovecot, OAuthSmtpSink], monkeypatch: pytest.MonkeyPatch) -> None:
    server, sink = oauth_world
    user = server.add_user(f"me-{uuid.uuid4().hex[:6]}")
    rig = oauth_rig(tmp_path, authority, server, sink, user)
    rig.path.write_text(rig.path.read_text().replace(
        'client_secret_env = "TEST_MS_SECRET"', 'token_cache = "tokens/me.json"'))
    monkeypatch.setattr(authority.state, "approve_devices_as", user)
    result = rig.cli("login")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("enter the code ABCD-EFGH") == 1
    assert f"[mailbox] signed in as {user}" in result.stdout
    cache = tmp_path / "tokens" / "me.json"
    assert cache.stat().st_mode & 0o777 == 0o600
    for name, value in rig.env.items():
        monkeypatch.setenv(name, value)
    settings = rig.settings()
    assert settings.smtp.oauth is settings.mailbox.oauth  # same-as-mailbox: one sign-in
    with ImapMailbox(settings.mailbox):  # a later run: no prompt, the cache is enough
        pass


def test_worker_backs_off_a_revoked_app_and_counts_each_try_once_refreshed(
        tmp_path: Path, authority: TokenAuthority,
        oauth_world: tuple[OAuthDovecot, OAuthSmtpSink], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    server, sink = oauth_world
    user = server.add_user(f"desk-{uuid.uuid4().hex[:6]}")
    authority.state.app_mailbox[APP_CLIENT] = "someone-else@example.test"  # consent moved
    rig = oauth_rig(tmp_path, authority, server, sink, user)
    for name, value in rig.env.items():
        monkeypatch.setenv(name, value)
    with caplog.at_level(logging.INFO, logger="mailflow"), InProcess(rig):
        wait_until("the first refusal", lambda: refused_warnings(caplog) == 1)
        started = time.monotonic()
        time.sleep(WINDOW)
        tries = sum(1 for u, _ok in authority.state.introspections
                    if u == "someone-else@example.test")
    print(f"IMAP logins with a token the server refuses, in {time.monotonic() - started:.1f} "
          f"s: {tries} (each try is one login plus one with a refreshed token)")
    assert 4 <= tries <= 8 and tries % 2 == 0, tries
    assert refused_warnings(caplog) == 1


def test_worker_rides_out_a_token_login_the_server_cannot_check_and_tells_no_one(
        tmp_path: Path, authority: TokenAuthority,
        oauth_world: tuple[OAuthDovecot, OAuthSmtpSink], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    server, sink = oauth_world
    user = server.add_user(f"desk-{uuid.uuid4().hex[:6]}")
    authority.state.app_mailbox[APP_CLIENT] = user
    rig = oauth_rig(tmp_path, authority, server, sink, user)
    for name, value in rig.env.items():
        monkeypatch.setenv(name, value)
    # Dovecot cannot reach its token introspection: it answers NO [UNAVAILABLE].
    monkeypatch.setattr(authority.state, "introspection_down", True)
    asked = authority.state.unchecked
    with caplog.at_level(logging.INFO, logger="mailflow"), InProcess(rig) as worker:
        wait_until("three logins Dovecot could not check",
                   lambda: authority.state.unchecked >= asked + 3)
        authority.state.introspection_down = False
        server.append(user, "INBOX", mail("A <a@camden-council.example>", "Construction webinar",
                                          "Please register me for the construction webinar."))
        sink.wait_for(1, timeout=20)  # the member's answer: the outage was ridden out
        with unit_of_work(worker.desk.engine) as uow:
            status = status_data(uow, worker.desk.settings, worker.desk.clock())
    outages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
               and r.getMessage().startswith(f"mailbox {server.host}:{server.port} unavailable")]
    assert len(outages) == 1 and "[UNAVAILABLE]" in outages[0], outages
    assert refused_warnings(caplog) == 0
    assert status["logins_refused"] == {}
    assert [m.rcpt_tos for m in sink.messages] == [["a@camden-council.example"]]  # no notice


def test_poll_from_cron_waits_out_a_refused_login_and_tells_the_coordinator_once(
        tmp_path: Path, dovecot: Any, imap_user: Any, smtp_sink: Any) -> None:
    from typer.testing import CliRunner

    from mailflow.cli import app

    rig = far_digest(write_config(
        tmp_path, imap_host=imap_user.host, imap_port=imap_user.port,
        username=imap_user.username, password="not-the-password", smtp_port=smtp_sink.port,
        db_url=f"sqlite:///{tmp_path}/m.db", extra=WORKER.replace("= 1\n", "= 60\n")))
    runner = CliRunner()
    results = [runner.invoke(app, ["--config", str(rig.path), "poll"], env=rig.env)
               for _ in range(3)]  # cron, three minutes in a row
    assert [r.exit_code for r in results] == [1, 1, 1]
    assert "refused the login" in results[0].output
    assert all("not trying" in r.output and "next at" in r.output for r in results[1:])
    assert dovecot_failed_logins(dovecot.log_path, imap_user.username) == 1
    assert [m.rcpt_tos for m in smtp_sink.wait_for(1)] == [["suzanne.picken@lupc.example"]]
    # The password is put right: the next poll tries at once, and gets in.
    fixed = runner.invoke(app, ["--config", str(rig.path), "poll"],
                          env={PASSWORD_ENV: imap_user.password})
    assert fixed.exit_code == 0, fixed.output
    assert dovecot_failed_logins(dovecot.log_path, imap_user.username) == 1
    desk = rig.desk()
    with unit_of_work(desk.engine) as uow:
        assert status_data(uow, desk.settings, desk.clock())["logins_refused"] == {}
