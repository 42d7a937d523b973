"""Test support: a config.toml pointing at the test servers, and member mail as raw bytes."""

from __future__ import annotations

import email.utils
import itertools
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from mailflow.app import build_desk
from mailflow.config import Settings, load_settings
from mailflow.handle import Desk
from mailflow.mailbox import ImapMailbox
from mailflow.model import InboundMail
from mailflow.parse import parse_message
from mailflow.poll import PollReport, poll_once
from mailflow.smtp import SmtpSender

PASSWORD_ENV = "MAILFLOW_TEST_IMAP_PASSWORD"
FROM = "registrations@lupc.example"
_ids = itertools.count(1)

MEMBERS = """
[[members]]
name = "London Borough of Camden"
domains = ["camden-council.example"]
membership = "full"

[[members]]
name = "Westbury University"
domains = ["westbury.ac.example"]
membership = "full"

[[members]]
name = "Kingsgate College"
domains = ["kingsgate-college.example"]
membership = "full"

[[members]]
name = "Riverside Housing Association"
domains = ["riverside-housing.example"]
membership = "associate"
"""


def future_series(capacity: int = 15, now: datetime | None = None) -> str:
    """Two sessions comfortably ahead of `now`, as [[events]] tables."""
    base = (now or datetime.now(UTC)) + timedelta(days=60)
    rows = []
    for n, (slug, title, keywords) in enumerate([
        ("construction", "The Construction Industry (including materials)",
         '["construction", "building materials"]'),
        ("food", "Food (including frozen imported seafood)", '["food", "seafood"]'),
    ]):
        day = (base + timedelta(days=30 * n)).date()
        rows.append(f"""
[[events]]
id = "{slug}"
title = "{title}"
format = "webinar"
starts = {day}T10:00:00
ends = {day}T11:30:00
capacity = {capacity}
registration_deadline = {day - timedelta(days=8)}
keywords = {keywords}
""")
    return "".join(rows)


@dataclass(frozen=True)
class Rig:
    """A config file on disk pointing at the test servers, with the env it needs."""

    path: Path
    env: dict[str, str]

    def settings(self) -> Settings:
        return load_settings(self.path, self.env)

    def desk(self, clock: object | None = None) -> Desk:
        if clock is None:
            return build_desk(self.settings())
        return build_desk(self.settings(), clock=clock)  # type: ignore[arg-type]

    def poll(self, desk: Desk | None = None) -> PollReport:
        desk = desk or self.desk()
        settings = desk.settings
        with SmtpSender(settings.smtp) as sender:
            return poll_once(desk, lambda: ImapMailbox(settings.mailbox), sender)

    def cli(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        """Run the real `mailflow` command in a subprocess with this config."""
        return subprocess.run(
            [sys.executable, "-c", "from mailflow.cli import main; main()",
             "--config", str(self.path), *args],
            env={**_base_env(), **self.env}, capture_output=True, text=True, timeout=timeout)


def _base_env() -> dict[str, str]:
    return dict(os.environ)


def write_config(directory: Path, *, imap_host: str, imap_port: int, username: str,
                 password: str, smtp_port: int, db_url: str, capacity: int = 15,
                 extra_mailbox: str = "", extra: str = "", events: str | None = None) -> Rig:
    path = directory / "config.toml"
    path.write_text(f"""
[mailbox]
host = "{imap_host}"
port = {imap_port}
ssl = false
username = "{username}"
password_env = "{PASSWORD_ENV}"
folder = "INBOX"
{extra_mailbox}

[smtp]
host = "127.0.0.1"
port = {smtp_port}
from_address = "{FROM}"

[database]
url = "{db_url}"

[coordinator]
name = "Suzanne Picken"
email = "suzanne.picken@lupc.example"
digest_time = "08:00"
timezone = "Europe/London"

[policy]
offer_hold_hours = 48
{extra}
{MEMBERS}
{events if events is not None else future_series(capacity)}
""", encoding="utf-8")
    return Rig(path=path, env={PASSWORD_ENV: password})


def far_digest(rig: Rig) -> Rig:
    """Twelve hours away, so neither the daily digest nor its catch-up lands mid-test.

    A worker started between digest_time and six hours later sends today's digest at once, so a
    test that starts `mailflow run` with the default 08:00 would pass or fail by the time of day.
    """
    far = (datetime.now(ZoneInfo("Europe/London")) + timedelta(hours=12)).strftime("%H:%M")
    rig.path.write_text(rig.path.read_text().replace('digest_time = "08:00"',
                                                     f'digest_time = "{far}"'))
    return rig


def rig_for(directory: Path, imap_user: Any, smtp_port: int, db_url: str = "",
            **options: Any) -> Rig:
    """write_config for the `imap_user` fixture's account; SQLite in `directory` by default."""
    return write_config(directory, imap_host=imap_user.host, imap_port=imap_user.port,
                        username=imap_user.username, password=imap_user.password,
                        smtp_port=smtp_port, db_url=db_url or f"sqlite:///{directory}/m.db",
                        **options)


def mail(sender: str, subject: str, body: str, *, message_id: str | None = None,
         in_reply_to: str = "", headers: dict[str, str] | None = None,
         html: bool = False) -> bytes:
    """A member's message as raw bytes, the way a mail client would send it."""
    message_id = message_id or f"<m{next(_ids)}.{datetime.now(UTC).timestamp()}@test.example>"
    lines = [f"From: {sender}", f"To: {FROM}", f"Subject: {subject}",
             f"Date: {email.utils.format_datetime(datetime.now(UTC))}",
             f"Message-ID: {message_id}", "MIME-Version: 1.0"]
    if in_reply_to:
        lines += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    for key, value in (headers or {}).items():
        lines.append(f"{key}: {value}")
    lines.append(f"Content-Type: text/{'html' if html else 'plain'}; charset=utf-8")
    return ("\r\n".join(lines) + "\r\n\r\n" + body.replace("\n", "\r\n") + "\r\n").encode()


def parsed_mail(*headers: str, body: str = "Please register me for the Food webinar.\n",
                message_id: str = "<abc123@kcl.ac.uk>") -> InboundMail:
    """Parse a small message; From/Subject/Message-ID defaults are added unless given."""
    given = {h.split(":", 1)[0].lower() for h in headers}
    lines = list(headers)
    if "from" not in given:
        lines.append("From: Sam Lee <s.lee@kcl.ac.uk>")
    if "subject" not in given:
        lines.append("Subject: Food webinar")
    if "message-id" not in given:
        lines.append(f"Message-ID: {message_id}")
    raw = "\r\n".join([*lines, "Content-Type: text/plain; charset=utf-8", "", body])
    return parse_message(raw.encode("utf-8"))


def wait_until(what: str, predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    """Poll the predicate every 50 ms; TimeoutError naming what never happened."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        time.sleep(0.05)
