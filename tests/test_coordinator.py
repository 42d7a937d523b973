"""The coordinator's commands through the real CLI, against SQLite and a config in tmp_path."""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import TypeVar

import pytest
from sqlmodel import select
from typer.testing import CliRunner, Result

from mailflow.app import build_desk
from mailflow.cli import app
from mailflow.config import load_settings
from mailflow.store import AuditEntry, OutboxRow, make_engine, unit_of_work

import support

SECRETS = {support.PASSWORD_ENV: "imap-secret"}
YEAR = date.today().year + 1
EVENT = f"construction-{YEAR}"
PAST = f"textiles-{YEAR - 2}"
T = TypeVar("T", OutboxRow, AuditEntry)


def person(name: str) -> str:
    return f"{name}@camden-council.example"


def write_config(path: Path, db: Path, capacity: int = 2) -> None:
    """The shared test config (tests/support.py), with one session ahead and one long past."""
    starts = datetime(YEAR, 6, 10, 10, 0)
    past = datetime(YEAR - 2, 6, 10, 10, 0)
    events = f"""
[[events]]
id = "{EVENT}"
title = "The Construction Industry (including materials)"
starts = {starts.isoformat()}
ends = {(starts + timedelta(minutes=90)).isoformat()}
capacity = {capacity}
registration_deadline = {(starts - timedelta(days=8)).date().isoformat()}
keywords = ["construction"]

[[events]]
id = "{PAST}"
title = "Textiles"
starts = {past.isoformat()}
ends = {(past + timedelta(minutes=90)).isoformat()}
capacity = 15
registration_deadline = {(past - timedelta(days=8)).date().isoformat()}
keywords = ["textiles"]
"""
    rig = support.write_config(path.parent, imap_host="127.0.0.1", imap_port=1,
                               username="registrations@lupc.example",
                               password=SECRETS[support.PASSWORD_ENV], smtp_port=1,
                               db_url=f"sqlite:///{db}", events=events)
    assert rig.path == path


@dataclass
class Desk:
    """A config file, its database, and a way to run `mailflow …` against them."""

    config: Path
    db: Path
    run: Callable[..., Result]

    def rows(self, table: type[T]) -> list[T]:
        engine = make_engine(f"sqlite:///{self.db}")
        try:
            with unit_of_work(engine) as uow:
                found = list(uow.session.exec(select(table)).all())
                # Detached, so the read-only transaction's rollback leaves them readable.
                uow.session.expunge_all()
                return sorted(found, key=lambda r: r.id or 0)  # type: ignore[attr-defined]
        finally:
            engine.dispose()

    def outbox(self) -> list[OutboxRow]:
        return self.rows(OutboxRow)

    def audit(self) -> list[AuditEntry]:
        return self.rows(AuditEntry)

    def mail_to(self, name: str) -> list[EmailMessage]:
        return [email.message_from_bytes(r.raw, policy=email.policy.default)  # type: ignore[misc]
                for r in self.outbox() if r.recipient == person(name)]

    def roster(self) -> dict[str, list[str]]:
        data = json.loads(self.run("roster", EVENT, "--format", "json").stdout)
        return {k: [p["email"].split("@")[0] for p in data[k]]
                for k in ("confirmed", "offered", "waitlist")}


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Desk:
    config, db = tmp_path / "config.toml", tmp_path / "mailflow.db"
    write_config(config, db)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> Result:
        # The audit records the command line from sys.argv, as a real process would have it.
        monkeypatch.setattr(sys, "argv", ["mailflow", *args])
        result = runner.invoke(app, ["--config", str(config), *args], env=SECRETS)
        assert result.exit_code == code, (args, result.exit_code, result.output)
        return result

    return Desk(config, db, run)


def body(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    return " ".join(str(part.get_content() if part else "").split())


# ---- add ---------------------------------------------------------------------------------

def test_add_of_someone_not_at_a_full_member_warns_and_needs_force(desk: Desk) -> None:
    refused = desk.run("add", "sam@riverside-housing.example", EVENT, code=1).stdout
    assert "Riverside Housing Association is an associate member" in refused
    assert "--force" in refused and desk.audit() == []
    stranger = desk.run("add", "dave@freemail.example", EVENT, code=1).stdout
    assert "no member organisation has the domain 'freemail.example'" in stranger
    forced = desk.run("add", "sam@riverside-housing.example", EVENT, "--force").stdout
    assert f"sam@riverside-housing.example: confirmed on {EVENT}" in forced


def test_add_confirms_audits_and_queues_the_members_mail(desk: Desk) -> None:
    out = desk.run("add", person("ann"), EVENT).stdout
    assert f"{person('ann')}: confirmed on {EVENT}" in out
    [mail] = desk.mail_to("ann")
    assert mail["X-Mailflow-Outcome"] == f"{EVENT}=confirmed"
    assert mail["Auto-Submitted"] == "auto-generated"
    assert "You have a place at The Construction Industry" in body(mail)
    [entry] = desk.audit()
    assert (entry.email, entry.event_id, entry.action, entry.actor) == (
        person("ann"), EVENT, "confirmed", "coordinator")
    assert entry.cause == f"mailflow add {person('ann')} {EVENT}"
    assert [r.cause for r in desk.outbox()] == [entry.cause]


def test_add_on_a_full_session_waitlists_with_position(desk: Desk) -> None:
    desk.run("add", person("ann"), EVENT)
    desk.run("add", person("bob"), EVENT)
    out = desk.run("add", person("cat"), EVENT).stdout
    assert "waitlisted" in out and "(position 1)" in out
    [mail] = desk.mail_to("cat")
    assert mail["X-Mailflow-Outcome"] == f"{EVENT}=waitlisted"
    assert "on the waiting list, number 1" in body(mail)
    assert desk.roster() == {"confirmed": ["ann", "bob"], "offered": [], "waitlist": ["cat"]}


def test_add_force_books_over_capacity(desk: Desk) -> None:
    for name in ("ann", "bob", "cat"):
        desk.run("add", person(name), EVENT)
    refused = desk.run("add", person("cat"), EVENT).stdout  # nothing to do: exit 0
    assert "already on the waiting list" in refused and "--force" in refused
    desk.run("add", person("cat"), EVENT, "--force")
    assert desk.roster() == {"confirmed": ["ann", "bob", "cat"], "offered": [], "waitlist": []}
    status = json.loads(desk.run("status", "--json").stdout)
    [event] = [e for e in status["events"] if e["id"] == EVENT]
    assert (event["confirmed"], event["capacity"], event["waitlisted"]) == (3, 2, 0)
    assert [m["X-Mailflow-Outcome"] for m in desk.mail_to("cat")] == [
        f"{EVENT}=waitlisted", f"{EVENT}=confirmed"]


def test_add_quiet_changes_the_book_but_mails_nobody(desk: Desk) -> None:
    out = desk.run("add", person("ann"), EVENT, "--quiet").stdout
    assert "will be told" not in out
    assert desk.outbox() == []
    assert [e.action for e in desk.audit()] == ["confirmed"]
    assert desk.roster()["confirmed"] == ["ann"]


def test_add_twice_changes_nothing(desk: Desk) -> None:
    desk.run("add", person("ann"), EVENT)
    # Already so: nothing changes, and that is no failure (exit 0).
    assert "already has a place" in desk.run("add", person("ann"), EVENT).stdout
    assert len(desk.outbox()) == 1 and len(desk.audit()) == 1


def test_add_to_a_session_already_held_needs_force(desk: Desk) -> None:
    assert "already started" in desk.run("add", person("ann"), PAST, code=1).stdout
    assert desk.outbox() == []
    desk.run("add", person("ann"), PAST, "--force", "--quiet")
    assert [e.action for e in desk.audit()] == ["confirmed"]


def test_unknown_session_and_bad_address_are_refused(desk: Desk) -> None:
    assert "No session with id 'nope'" in desk.run("add", person("ann"), "nope", code=2).stdout
    assert "not an email address" in desk.run("add", "ann", EVENT, code=2).stdout
    assert desk.audit() == [] and desk.outbox() == []


# ---- remove ------------------------------------------------------------------------------

def test_remove_frees_the_place_and_offers_it_to_the_first_waitlisted(desk: Desk) -> None:
    for name in ("ann", "bob", "cat", "dan"):
        desk.run("add", person(name), EVENT)
    desk.run("remove", person("ann"), EVENT)
    assert desk.roster() == {"confirmed": ["bob"], "offered": ["cat"], "waitlist": ["dan"]}
    removal = desk.mail_to("ann")[-1]
    assert removal["X-Mailflow-Outcome"] == f"{EVENT}=cancelled"
    assert "Suzanne Picken has taken you off the list" in body(removal)
    offer = desk.mail_to("cat")[-1]
    assert offer["X-Mailflow-Outcome"] == f"{EVENT}=offered"
    assert offer["Auto-Submitted"] == "auto-generated"
    assert "reply “yes” to take it" in body(offer)
    [row] = [r for r in desk.outbox() if r.recipient == person("cat") and r.kind == "offer"]
    assert row.cause == f"mailflow remove {person('ann')} {EVENT}"
    history = desk.run("history", person("ann")).stdout.splitlines()
    assert [line.split()[3] for line in history] == ["confirmed", "removed"]
    assert "was confirmed" in history[-1] and "mailflow remove" in history[-1]
    assert "offered" in desk.run("history", person("cat")).stdout


def test_remove_quiet_still_offers_the_place_onward(desk: Desk) -> None:
    for name in ("ann", "bob", "cat"):
        desk.run("add", person(name), EVENT)
    before = len(desk.mail_to("ann"))
    desk.run("remove", person("ann"), EVENT, "--quiet")
    assert len(desk.mail_to("ann")) == before
    assert desk.mail_to("cat")[-1]["X-Mailflow-Outcome"] == f"{EVENT}=offered"


def test_remove_of_someone_not_booked_changes_nothing(desk: Desk) -> None:
    assert "holds no place" in desk.run("remove", person("zed"), EVENT).stdout
    assert desk.audit() == [] and desk.outbox() == []


# ---- move --------------------------------------------------------------------------------

def test_move_reorders_the_waitlist_and_tells_the_member(desk: Desk) -> None:
    for name in ("ann", "bob", "cat", "dan", "eve"):
        desk.run("add", person(name), EVENT)
    out = desk.run("move", person("eve"), EVENT, "--to-position", "1").stdout
    assert "(position 1)" in out
    assert desk.roster()["waitlist"] == ["eve", "cat", "dan"]
    assert "number 1" in body(desk.mail_to("eve")[-1])
    last = desk.run("history", person("eve")).stdout.splitlines()[-1]
    assert "moved" in last and "to waiting-list position 1" in last
    # The next freed place goes to the person moved to the front.
    desk.run("remove", person("ann"), EVENT)
    assert desk.roster()["offered"] == ["eve"]


def test_move_of_someone_not_waiting_is_refused(desk: Desk) -> None:
    desk.run("add", person("ann"), EVENT)
    out = desk.run("move", person("ann"), EVENT, "--to-position", "1", code=1).stdout
    assert "not on the waiting list" in out
    assert [e.action for e in desk.audit()] == ["confirmed"]


# ---- capacity changes --------------------------------------------------------------------

def test_raised_capacity_is_offered_before_a_command_acts(desk: Desk) -> None:
    for name in ("ann", "bob", "cat", "dan"):
        desk.run("add", person(name), EVENT)
    write_config(desk.config, desk.db, capacity=3)
    out = desk.run("add", person("eve"), EVENT).stdout
    # The new place went to cat, first in line, so eve queues behind dan.
    assert "waitlisted" in out and "(position 2)" in out
    assert desk.roster() == {"confirmed": ["ann", "bob"], "offered": ["cat"],
                             "waitlist": ["dan", "eve"]}
    assert desk.mail_to("cat")[-1]["X-Mailflow-Outcome"] == f"{EVENT}=offered"


def test_lowered_capacity_keeps_everyone_confirmed(desk: Desk) -> None:
    for name in ("ann", "bob", "cat"):
        desk.run("add", person(name), EVENT)
    write_config(desk.config, desk.db, capacity=1)
    desk.run("remove", person("ann"), EVENT)
    assert desk.roster() == {"confirmed": ["bob"], "offered": [], "waitlist": ["cat"]}


# ---- attention and resolve ---------------------------------------------------------------

def unclear_message(desk: Desk) -> int:
    """Hand the desk a question it cannot answer alone; returns its attention id."""
    settings = load_settings(desk.config, SECRETS)
    handler = build_desk(settings)
    raw = (f"From: Sam Patel <{person('sam')}>\r\nTo: registrations@lupc.example\r\n"
           "Subject: Slides\r\nMessage-ID: <slides-1@camden-council.example>\r\n"
           "Date: Mon, 04 Jan 2027 09:00:00 +0000\r\n\r\n"
           "Hello, will the slides from the webinars be shared afterwards? Sam\r\n").encode()
    result = handler.handle(raw, 1, 1)
    assert result.disposition == "attention", result
    with unit_of_work(handler.engine) as uow:
        [row] = uow.attention()
        assert row.id is not None
        return row.id


def test_resolve_clears_a_message_from_attention(desk: Desk) -> None:
    message = unclear_message(desk)
    listing = desk.run("attention").stdout
    assert f"[{message}]" in listing and person("sam") in listing and "slides" in listing
    assert json.loads(desk.run("status", "--json").stdout)["needs_attention"] == 1
    out = desk.run("resolve", str(message), "--note", "answered by phone").stdout
    assert "marked resolved" in out
    assert "Nothing needs your attention." in desk.run("attention").stdout
    assert json.loads(desk.run("status", "--json").stdout)["needs_attention"] == 0
    last = desk.run("history", person("sam")).stdout.splitlines()[-1]
    assert "resolved" in last and "answered by phone" in last
    assert f"mailflow resolve {message} --note" in last
    assert "already resolved" in desk.run("resolve", str(message)).stdout


def test_resolve_also_takes_the_message_id_the_contract_names(desk: Desk) -> None:
    unclear_message(desk)
    out = desk.run("resolve", "<slides-1@camden-council.example>").stdout
    assert "marked resolved" in out
    assert "Nothing needs your attention." in desk.run("attention").stdout


def test_resolve_of_unknown_message_is_refused(desk: Desk) -> None:
    assert "No message 999" in desk.run("resolve", "999", code=2).stdout


def test_history_of_someone_unknown_says_so(desk: Desk) -> None:
    assert "No history for" in desk.run("history", person("zed")).stdout


# ---- the real command ------------------------------------------------------------------

def test_real_mailflow_process_records_its_command_line(desk: Desk) -> None:
    exe = Path(sys.executable).with_name("mailflow")
    env = {**os.environ, **SECRETS}
    for args in (["add", person("ann"), EVENT, "--quiet"], ["history", person("ann")]):
        done = subprocess.run([str(exe), "--config", str(desk.config), *args], env=env,
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
    assert f"by coordinator  (mailflow --config {desk.config} add {person('ann')} {EVENT} " \
           "--quiet)" in done.stdout
