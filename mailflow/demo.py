"""`mailflow demo`: real IMAP (pymap) and SMTP (aiosmtpd) servers, SQLite, and member mail."""

from __future__ import annotations

import email
import email.policy
import email.utils
import logging
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from imapclient import IMAPClient

from mailflow.app import build_desk
from mailflow.config import Settings, settings_from_dict
from mailflow.digest import render_digest
from mailflow.mailbox import ImapMailbox
from mailflow.model import EventInfo
from mailflow.names import given_name
from mailflow.poll import poll_once
from mailflow.smtp import SmtpSender
from mailflow.store import unit_of_work
from mailflow.views import roster_data, status_data

MAILBOX_USER = "desk@demo.example"  # the throwaway server's login, not the desk's address
MAILBOX_PASSWORD = "demo-password"  # a throwaway in-memory server's password
FOLDER = "Registrations"

DEMO_CAPACITY = 2  # the first session, so the waiting list and an offer show


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the demo IMAP server did not start on port {port}")


def shipped_config() -> dict[str, Any]:
    """The worked example next to templates/: the demo borrows its series and coordinator."""
    path = Path(__file__).resolve().parent.parent / "config.toml"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def demo_settings(imap_port: int, smtp_port: int, db_path: Path, today: date) -> Settings:
    """The shipped worked example (series, coordinator, members, sessions), its sessions moved
    on whole years of weeks so every one is ahead, pointed at the demo's own servers."""
    shipped = shipped_config()
    if not shipped.get("events"):
        raise RuntimeError("the demo borrows the sessions of the shipped config.toml, next to "
                           "templates/, and found none")
    rows = sorted(shipped["events"], key=lambda e: str(e["starts"]))
    first = _as_datetime(rows[0]["starts"])
    # Whole 52-week steps keep every session on its weekday (no webinar on a Sunday).
    steps = -(-((today + timedelta(days=30)) - first.date()).days // 364)
    shift = timedelta(weeks=52 * steps)
    events = []
    for n, row in enumerate(rows):
        starts = _as_datetime(row["starts"]) + shift
        ends = _as_datetime(row["ends"]) + shift
        slug = re.sub(r"-\d{4}$", "", str(row["id"]))
        deadline = date.fromisoformat(str(row["registration_deadline"])[:10]) + shift
        events.append({
            **{k: v for k, v in row.items() if k not in ("starts", "ends")},
            "id": f"{slug}-{starts.year}", "starts": starts, "ends": ends,
            "registration_deadline": deadline,
            # The first session is small in the demo, so the waiting list and an offer show.
            "capacity": DEMO_CAPACITY if n == 0 else row["capacity"],
        })
    data: dict[str, Any] = {
        "series": shipped.get("series", {}),
        "mailbox": {"host": "127.0.0.1", "port": imap_port, "ssl": False,
                    "username": MAILBOX_USER, "password_env": "MAILFLOW_DEMO_IMAP_PASSWORD",
                    "folder": FOLDER},
        "smtp": {"host": "127.0.0.1", "port": smtp_port,
                 "from_address": shipped.get("smtp", {}).get("from_address", MAILBOX_USER)},
        "database": {"url": f"sqlite:///{db_path}"},
        "coordinator": shipped["coordinator"],
        "policy": shipped.get("policy", {}),
        "members": shipped["members"],
        "events": events,
    }
    return settings_from_dict(data, Path("<demo>"),
                              {"MAILFLOW_DEMO_IMAP_PASSWORD": MAILBOX_PASSWORD})


def _as_datetime(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


@dataclass
class Captured:
    """The demo's SMTP server: it keeps every message it is given."""

    messages: list[bytes] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            self.messages.append(bytes(envelope.original_content or envelope.content))
        return "250 OK"


def member_mail(sender: str, subject: str, body: str, *, when: datetime,
                in_reply_to: str = "", html: bool = False, extra: str = "") -> bytes:
    msg_id = email.utils.make_msgid(domain=sender.split("@")[-1].rstrip(">"))
    headers = [f"From: {sender}", f"To: {MAILBOX_USER}", f"Subject: {subject}",
               f"Date: {email.utils.format_datetime(when)}", f"Message-ID: {msg_id}",
               "MIME-Version: 1.0"]
    if in_reply_to:
        headers += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    if extra:
        headers.append(extra)
    ctype = "text/html" if html else "text/plain"
    headers.append(f"Content-Type: {ctype}; charset=utf-8")
    headers.append("Content-Transfer-Encoding: 8bit")
    return ("\r\n".join(headers) + "\r\n\r\n" + body.replace("\n", "\r\n")).encode()


def show_in(raw: bytes) -> None:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    print(f"  → in   {msg['From']}\n         “{msg['Subject']}”")


def show_out(raw: bytes, full: bool) -> str:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    print(f"  ← out  to {msg['To']}  [{msg['X-Mailflow-Outcome']}]\n         “{msg['Subject']}”")
    body = msg.get_body(preferencelist=("plain",))
    text = body.get_content() if body is not None else ""
    if full:
        print(textwrap.indent(text.strip(), "         | "))
    return str(msg["Message-ID"])


def run_demo(keep: Path | None = None) -> int:
    # The story is told on stdout; routine log lines would only get in its way.
    logging.getLogger("mailflow").setLevel(logging.WARNING)
    workdir = Path(tempfile.mkdtemp(prefix="mailflow-demo-"))
    db_dir = keep or workdir
    db_dir.mkdir(parents=True, exist_ok=True)
    db_path = db_dir / "mailflow-demo.db"
    if db_path.exists():
        db_path.unlink()
    pymap = shutil.which("pymap") or str(Path(sys.executable).with_name("pymap"))
    imap_port, smtp_port = free_port(), free_port()
    server = subprocess.Popen(
        [pymap, "--host", "127.0.0.1", "--port", str(imap_port), "--no-tls", "dict",
         "--demo-data", "--demo-user", MAILBOX_USER, "--demo-password", MAILBOX_PASSWORD],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    captured = Captured()
    controller = Controller(captured, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        wait_for_port(imap_port)
        return _story(demo_settings(imap_port, smtp_port, db_path, date.today()), captured)
    finally:
        controller.stop()
        server.kill()
        server.wait(timeout=5)
        if keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"\nThe demo database is kept at {db_path}")


class _Stage:
    """The demo's desk, its mailbox and its SMTP server: mail in, a poll, mail out, shown."""

    def __init__(self, settings: Settings, captured: Captured) -> None:
        self.settings = settings
        self.captured = captured
        self.desk = build_desk(settings)
        self.client = IMAPClient("127.0.0.1", port=settings.mailbox.port, ssl=False)
        self.client.login(MAILBOX_USER, MAILBOX_PASSWORD)
        self.client.create_folder(FOLDER)
        self.now = datetime.now(UTC)

    def deliver(self, *messages: bytes) -> None:
        for raw in messages:
            self.client.append(FOLDER, raw)
            show_in(raw)

    def poll(self, full: str = "") -> list[str]:
        """One `mailflow poll`; shows what went out (in full to `full`), returns Message-IDs."""
        before = len(self.captured.messages)
        with SmtpSender(self.settings.smtp) as sender:
            report = poll_once(self.desk, lambda: ImapMailbox(self.settings.mailbox), sender)
        print(f"\n  mailflow poll: {report.summary()}")
        ids = []
        for raw in self.captured.messages[before:]:
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            ids.append(show_out(raw, full=bool(full) and full in str(msg["To"])))
        return ids

    def close(self) -> None:
        self.client.logout()


def _story(settings: Settings, captured: Captured) -> int:
    stage = _Stage(settings, captured)
    construction = {e.id.rsplit("-", 1)[0]: e for e in settings.events}["construction"]
    print(f"mailflow demo — the {settings.series.name} registrations desk\n"
          f"(IMAP: pymap on 127.0.0.1:{settings.mailbox.port}; SMTP: aiosmtpd on "
          f"127.0.0.1:{settings.smtp.port}; SQLite: {settings.database_url})\n"
          f"{construction.title} has {DEMO_CAPACITY} places in this demo so the waiting "
          "list shows.\n")
    ngozi_reply = _members_write_in(stage, construction)
    offer_id = _ngozi_cancels(stage, ngozi_reply)
    _priya_accepts(stage, construction, offer_id)
    print("\n4. A poll with no new mail changes nothing and sends nothing")
    stage.poll()
    _print_roster_and_status(stage, construction)
    _print_digest(stage.desk)
    stage.close()
    print(f"\n{len(captured.messages)} messages sent in all.")
    return 0


def _members_write_in(stage: _Stage, construction: EventInfo) -> str:
    """Six first letters: a booking, a booking for two, a non-member, one named by its
    keyword, an out-of-office and a question. Returns the Message-ID of Ngozi's answer."""
    now, coordinator = stage.now, stage.settings.coordinator
    print("1. Members write in")
    stage.deliver(
        member_mail("Ngozi Okafor <ngozi.okafor@camden-council.example>",
                    "Construction webinar",
                    "Hello,\n\nPlease could you register me for the construction webinar on "
                    f"{construction.starts:%-d %B}?\n\nMany thanks,\nNgozi\n\n"
                    "Ngozi Okafor | Category Manager | London Borough of Camden",
                    when=now),
        member_mail("Tom Reilly <tom.reilly@westbury.ac.example>", "Booking request",
                    f"<html><body><p>Hi {given_name(coordinator.name, 'there')},</p>"
                    "<p>Could you book me and my colleague "
                    "Priya Shah (priya.shah@westbury.ac.example) onto the construction one?"
                    "</p><p>Thanks,<br>Tom</p><p style='font-size:9px'>This email and any "
                    "attachments are confidential.</p></body></html>", when=now, html=True),
        member_mail("Dave Mills <dave.mills1982@freemail.example>",
                    "Food webinar",
                    "Hi, I'd like to attend the food webinar please. Dave", when=now),
        member_mail("Mark Evans <m.evans@kingsgate-college.example>",
                    "Seafood session",
                    "Morning! Could I have a place on the seafood one in June? Mark",
                    when=now),
        member_mail("Ola Nowak <ola.nowak@camden-council.example>",
                    f"Automatic reply: {stage.settings.series.name}",
                    "I am out of the office until Monday.", when=now,
                    extra="Auto-Submitted: auto-replied"),
        member_mail("Sam Patel <sam.patel@westbury.ac.example>", "Slides",
                    "Hello, will the slides from the webinars be shared afterwards? Sam",
                    when=now),
    )
    out = stage.poll(full="ngozi")
    return out[0] if out else ""


def _ngozi_cancels(stage: _Stage, ngozi_reply: str) -> str:
    """Ngozi cancels in her confirmation's thread; returns the Message-ID of Priya's offer."""
    print("\n2. Ngozi can no longer come — she answers her confirmation")
    stage.deliver(member_mail("Ngozi Okafor <ngozi.okafor@camden-council.example>",
                              "Re: Construction webinar",
                              "I'm afraid something has come up and I can't make it after "
                              "all. Sorry!\n\nNgozi", when=stage.now, in_reply_to=ngozi_reply))
    out = stage.poll(full="priya")
    sent = stage.captured.messages[-len(out):]
    return next((i for i, raw in zip(out, sent, strict=False)
                 if b"priya" in raw.lower() and b"offered" in raw), "")


def _priya_accepts(stage: _Stage, construction: EventInfo, offer_id: str) -> None:
    print("\n3. Priya says yes to the offer, in its thread")
    stage.deliver(member_mail("Priya Shah <priya.shah@westbury.ac.example>",
                              f"Re: A place has come up: {construction.title}",
                              "Yes please, I'd love to come!\n\nPriya\n\nSent from my iPhone",
                              when=stage.now, in_reply_to=offer_id))
    stage.poll(full="priya")


def _print_roster_and_status(stage: _Stage, construction: EventInfo) -> None:
    settings = stage.settings
    with unit_of_work(stage.desk.engine) as uow:
        roster = roster_data(uow, settings, construction.id)
        status = status_data(uow, settings, stage.desk.clock())
    print(f"\n5. Roster for {construction.id}")
    for p in (roster or {}).get("confirmed", []):
        print(f"   confirmed   {p['email']:<40} {p['organisation']}")
    for p in (roster or {}).get("offered", []):
        print(f"   offered     {p['email']:<40} until {p['expires_at']}")
    for p in (roster or {}).get("waitlist", []):
        print(f"   waiting #{p['position']}  {p['email']}")
    print("\n6. Status")
    for e in status["events"]:
        print(f"   {e['id']:<26} {e['confirmed']:>2}/{e['capacity']:<2} confirmed, "
              f"{e['offered']} offered, {e['waitlisted']} waiting")
    print(f"   needs attention: {status['needs_attention']}")


def _print_digest(desk: Any) -> None:
    print("\n7. The coordinator's digest")
    text = render_digest(desk).text
    print(textwrap.indent(text.strip(), "   | "))

