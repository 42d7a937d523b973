"""A coordinator runs the desk alone: she sees each pass, failed mail and why, and can rehearse."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect
from sqlmodel import select
from typer.testing import CliRunner, Result

from mailflow.cli import app
from mailflow.config import load_settings
from mailflow.health import last_pass_check
from mailflow.poll import LAST_POLL
from mailflow.store import (
    AuditEntry,
    HandledMessage,
    OutboxRow,
    PlaceRow,
    make_engine,
    unit_of_work,
)

import support
from servers import free_port

RUNNER = CliRunner()


def run(rig: support.Rig, *args: str, code: int = 0) -> Result:
    result = RUNNER.invoke(app, ["--config", str(rig.path), *args], env=rig.env)
    assert result.exit_code == code, (args, result.exit_code, result.output)
    return result


def offline_rig(tmp_path: Path, smtp_port: int | None = None) -> support.Rig:
    """A config whose mailbox is nowhere: for what must work without any server."""
    return support.write_config(tmp_path, imap_host="127.0.0.1", imap_port=free_port(),
                                username="u", password="p", smtp_port=smtp_port or free_port(),
                                db_url=f"sqlite:///{tmp_path}/m.db")


def with_smtp_login(rig: support.Rig) -> support.Rig:
    """The same config, logging in to SMTP (which the plain test sink does not offer)."""
    text = rig.path.read_text(encoding="utf-8").replace(
        f'from_address = "{support.FROM}"',
        f'from_address = "{support.FROM}"\nusername = "desk"\npassword_env = "SMTP_PW"')
    rig.path.write_text(text, encoding="utf-8")
    return support.Rig(rig.path, {**rig.env, "SMTP_PW": "pw"})


def booking(name: str = "ngozi") -> bytes:
    return support.mail(f"Ngozi Okafor <{name}@camden-council.example>", "Construction webinar",
                        "Please could you register me for the construction webinar?")


def outbox_rows(rig: support.Rig) -> list[OutboxRow]:
    with unit_of_work(rig.desk().engine) as uow:
        rows = list(uow.session.exec(select(OutboxRow)).all())
        uow.session.expunge_all()  # closing the read-only unit rolls back, expiring rows
        return rows


# ---- conventions --------------------------------------------------------------------------
def test_version_and_choices_for_formats(tmp_path: Path) -> None:
    rig = offline_rig(tmp_path)
    assert run(rig, "--version").output.startswith("mailflow ")
    assert "yaml" in run(rig, "roster", "construction", "--format", "yaml", code=2).output
    assert run(rig, "--log-format", "xml", "status", code=2).exit_code == 2
    assert "json" in RUNNER.invoke(app, ["status", "--help"]).output


def test_check_shows_sessions_members_and_warnings_without_any_server_or_password(
        tmp_path: Path) -> None:
    rig = offline_rig(tmp_path)
    result = RUNNER.invoke(app, ["--config", str(rig.path), "check"], env={})
    assert result.exit_code == 0, result.output
    assert "construction" in result.output and "Westbury University" in result.output
    data = json.loads(RUNNER.invoke(app, ["--config", str(rig.path), "check", "--json"],
                                    env={}).stdout)
    assert [s["id"] for s in data["sessions"]] == ["construction", "food"]
    assert data["from"] == support.FROM and len(data["members"]) == 4
    shipped = RUNNER.invoke(app, ["--config", str(support_root() / "config.toml"), "check",
                                  "--json"], env={})
    warnings = json.loads(shipped.stdout)["warnings"]
    assert any("construction-2025" in w and "ended" in w for w in warnings)


def support_root() -> Path:
    return Path(__file__).resolve().parent.parent


def test_init_writes_a_config_that_check_loads_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "mine.toml"
    flags = ["--series", "Harbour Lectures", "--coordinator", "Ada Quist",
             "--coordinator-email", "ada@harbour.example",
             "--desk-address", "lectures@harbour.example", "--imap-host", "imap.harbour.example",
             "--smtp-host", "smtp.harbour.example", "--member", "Harbour College",
             "--member-domain", "harbour-college.example"]
    made = RUNNER.invoke(app, ["init", str(target), *flags])
    assert made.exit_code == 0, made.output
    settings = load_settings(target, secrets=False)
    assert settings.series.name == "Harbour Lectures"
    assert settings.smtp.from_address == "lectures@harbour.example"
    assert settings.series.signature == ("Ada Quist", "Harbour Lectures registrations")
    assert settings.database_url == f"sqlite:///{tmp_path.resolve()}/mailflow.db"
    checked = RUNNER.invoke(app, ["--config", str(target), "check"])
    assert checked.exit_code == 0 and "First session" in checked.output
    again = RUNNER.invoke(app, ["init", str(target), *flags])
    assert again.exit_code == 2 and "already exists" in again.output
    missing = RUNNER.invoke(app, ["init", str(tmp_path / "other.toml"), "--series", "X"])
    assert missing.exit_code == 2 and "--coordinator is needed" in missing.output


def test_sessions_roster_table_and_export_of_the_whole_series(tmp_path: Path) -> None:
    rig = offline_rig(tmp_path)
    desk = rig.desk()
    desk.handle(booking())
    sessions = json.loads(run(rig, "sessions", "--json").stdout)
    assert [(s["id"], s["confirmed"], s["registration_open"]) for s in sessions] == [
        ("construction", 1, True), ("food", 0, True)]
    table = run(rig, "roster", "construction", "--format", "table").output
    assert "Ngozi Okafor" in table and "ngozi@camden-council.example" in table
    assert json.loads(run(rig, "roster", "construction").stdout)["confirmed"][0]["name"] == \
        "Ngozi Okafor"  # through a pipe the default stays JSON, as scripts expect
    assert json.loads(run(rig, "export", "--json").stdout)[0]["event"] == "construction"
    rows = list(csv.DictReader(io.StringIO(run(rig, "export").stdout)))
    assert [(r["event"], r["status"], r["email"], r["name"]) for r in rows] == [
        ("construction", "confirmed", "ngozi@camden-council.example", "Ngozi Okafor")]


def test_roster_shows_when_people_on_the_waiting_list_joined_it(tmp_path: Path) -> None:
    rig = support.write_config(tmp_path, imap_host="127.0.0.1", imap_port=free_port(),
                               username="u", password="p", smtp_port=free_port(),
                               db_url=f"sqlite:///{tmp_path}/m.db", capacity=1)
    desk = rig.desk()
    desk.handle(booking("ngozi"))
    desk.handle(booking("tom"))
    [waiting] = json.loads(run(rig, "roster", "construction").stdout)["waitlist"]
    assert waiting["email"] == "tom@camden-council.example" and waiting["registered_at"]
    [row] = [line for line in run(rig, "roster", "construction", "--format", "table")
             .output.splitlines() if "tom@camden-council.example" in line]
    assert waiting["registered_at"][:10] in row


def test_a_no_op_coordinator_action_exits_0_and_notices_use_known_names(tmp_path: Path) -> None:
    rig = offline_rig(tmp_path)
    rig.desk().handle(support.mail("Sam Patel <sam@westbury.ac.example>", "Slides",
                                   "Will the slides be shared afterwards?"))
    attention = json.loads(run(rig, "attention", "--json").stdout)
    assert attention[0]["from"] == "Sam Patel <sam@westbury.ac.example>"
    run(rig, "add", "sam@westbury.ac.example", "food")
    [notice] = [r for r in outbox_rows(rig)
                if r.recipient == "sam@westbury.ac.example" and r.kind == "notice"]
    assert b"Dear Sam," in notice.raw  # her book had no name for him; his own mail did
    assert "already has a place" in run(rig, "add", "sam@westbury.ac.example", "food").output
    assert run(rig, "add", "sam@westbury.ac.example", "nope", code=2).exit_code == 2
    assert json.loads(run(rig, "history", "sam@westbury.ac.example", "--json").stdout)[
        "name"] == "Sam Patel"


# ---- failed mail is visible --------------------------------------------------------------
@pytest.mark.integration
def test_smtp_without_auth_is_worded_so_and_shown_in_status_outbox_and_digest(
        tmp_path: Path, smtp_sink: Any) -> None:
    rig = with_smtp_login(offline_rig(tmp_path, smtp_sink.port))
    desk = rig.desk()
    desk.handle(booking())
    from mailflow.outbox import deliver
    from mailflow.smtp import SmtpSender

    with SmtpSender(desk.settings.smtp) as sender:
        assert deliver(desk.engine, sender, support.FROM, desk.clock).deferred == 1
    no_auth = "offers no login (AUTH)"
    [row] = json.loads(run(rig, "outbox", "--json").stdout)
    assert row["status"] == "pending" and row["attempts"] == 1
    assert no_auth in row["reason"]
    assert "cannot reach" not in row["reason"]  # it did reach the server
    status = run(rig, "status").output
    assert "sending paused since" in status and no_auth in status
    assert "after 1 attempt(s)" in status
    data = json.loads(run(rig, "status", "--json").stdout)
    assert data["undelivered"][0]["id"] == row["id"]
    assert no_auth in data["sending_paused"]["reason"]
    digest = run(rig, "digest").output
    first, second = digest.split("\n1. ", 1)[1].split("\n2. ", 1)
    assert first.startswith("Sending is paused since") and no_auth in first
    assert second.startswith("Mail to ngozi@camden-council.example is held up")
    assert "sending is paused" in run(rig, "health", "--no-login", code=1).output


@pytest.mark.integration
def test_retry_all_during_a_sending_pause_lifts_it_and_sends_the_held_mail_now(
        tmp_path: Path, smtp_sink: Any) -> None:
    plain = offline_rig(tmp_path, smtp_sink.port)
    without_login = plain.path.read_text(encoding="utf-8")
    rig = with_smtp_login(plain)
    desk = rig.desk()
    desk.handle(booking())
    from mailflow.outbox import deliver
    from mailflow.smtp import SmtpSender

    with SmtpSender(desk.settings.smtp) as sender:  # the sink offers no AUTH: paused
        assert deliver(desk.engine, sender, support.FROM, desk.clock).deferred == 1
    assert "retry --all` lifts the pause" in run(rig, "status").output
    rig.path.write_text(without_login, encoding="utf-8")  # she fixes the config
    said = run(rig, "outbox", "retry", "--all").output
    assert "Sending pause lifted" in said and "Sent 1" in said
    assert smtp_sink.wait_for(1)[0].rcpt_tos == ["ngozi@camden-council.example"]
    assert "sending paused" not in run(rig, "status").output


@pytest.mark.integration
def test_failed_mail_is_listed_retried_and_makes_health_fail(
        tmp_path: Path, smtp_sink: Any, imap_user: Any) -> None:
    rig = support.rig_for(tmp_path, imap_user, smtp_sink.port)
    desk = rig.desk()
    desk.handle(booking())
    with unit_of_work(desk.engine) as uow:  # what eight refusals leave behind
        row = uow.session.exec(select(OutboxRow)).one()
        row.status, row.attempts, row.last_error = "failed", 8, "recipient refused: 550 no"
        uow.session.add(row)
        uow.commit()
    run(rig, "poll")
    [failed] = json.loads(run(rig, "outbox", "--failed", "--json").stdout)
    assert (failed["reason"], failed["attempts"]) == ("recipient refused: 550 no", 8)
    health = json.loads(run(rig, "health", "--json", code=1).stdout)
    assert {c["name"]: c["ok"] for c in health["checks"]} == {
        "last-pass": True, "mailbox": True, "smtp": True, "failed-mail": False,
        "filing": True}
    assert "1 message(s) could not be sent" in run(rig, "health", code=1).output
    assert "1 message(s) will be tried again" in run(rig, "outbox", "retry", str(row.id)).output
    assert smtp_sink.wait_for(1)[0].rcpt_tos == ["ngozi@camden-council.example"]  # at once
    assert "No failed mail to retry" in run(rig, "outbox", "retry", "--all").output
    run(rig, "poll")
    assert smtp_sink.wait_for(1)[0].rcpt_tos == ["ngozi@camden-council.example"]
    assert run(rig, "outbox", "--failed").output.startswith("No failed mail")
    run(rig, "health")  # healthy again: exit 0
    with unit_of_work(desk.engine) as uow:
        assert [e.action for e in uow.session.exec(select(AuditEntry)).all()
                if e.action == "mail-retried"] == ["mail-retried"]


# ---- every pass is recorded; health ------------------------------------------------------
@pytest.mark.integration
def test_poll_records_its_pass_so_status_and_health_see_it(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    rig = support.rig_for(tmp_path, imap_user, smtp_sink.port)
    assert "no pass has read the mailbox yet" in run(rig, "health", code=1).output
    assert "last poll: never" in run(rig, "status").output
    summary = json.loads(run(rig, "poll", "--json").stdout)
    assert (summary["found"], summary["summary"]) == (0, "0 new message(s), 0 sent")
    assert "last poll: never" not in run(rig, "status").output
    report = json.loads(run(rig, "health", "--json").stdout)
    assert report["healthy"] is True
    # No SMTP login is configured: health says the server is reachable, not "login accepted".
    assert {c["name"]: c["detail"] for c in report["checks"]}["smtp"] == \
        "smtp reachable, no login configured"


@pytest.mark.integration
def test_health_fails_when_the_mailbox_login_is_refused(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    rig = support.rig_for(tmp_path, imap_user, smtp_sink.port)
    run(rig, "poll")
    wrong = support.Rig(rig.path, {support.PASSWORD_ENV: "not-the-password"})
    result = run(wrong, "health", code=1)
    assert "FAIL  mailbox" in result.output and "refused the login" in result.output
    # Each line gives the reason once, as the server's words (not a bytes repr).
    for line in run(wrong, "poll", code=1).output.splitlines():
        assert "b'[" not in line and line.lower().count("refused") <= 1, line


# ---- poll --dry-run ----------------------------------------------------------------------
@pytest.mark.integration
def test_dry_run_shows_what_would_happen_and_changes_nothing(
        tmp_path: Path, imap_user: Any, smtp_sink: Any, db_url: str) -> None:
    rig = support.rig_for(tmp_path, imap_user, smtp_sink.port, db_url, capacity=1)
    imap_user.append("INBOX", booking("ngozi"))
    imap_user.append("INBOX", booking("tom"))
    with imap_user.client() as client:
        before = client.select_folder("INBOX")[b"EXISTS"]
    shown = run(rig, "poll", "--dry-run").output
    assert "mailflow.handle: would handle <" in shown  # its log reads as what would be done
    assert "handled <" not in shown
    assert inspect(make_engine(db_url)).get_table_names() == []  # not even the tables
    assert "Dry run" in shown and "2 new message(s)" in shown
    assert "would send reply to ngozi@camden-council.example [construction=confirmed]" in shown
    assert "would send reply to tom@camden-council.example [construction=waitlisted]" in shown
    data = json.loads(run(rig, "poll", "--dry-run", "--json").stdout)
    assert [m["outcome"] for m in data["messages"]] == ["handled", "handled"] or \
        [m["disposition"] for m in data["messages"]] == ["handled", "handled"]
    # Nothing kept: no handled message, no place, no mail; both still in the INBOX.
    with unit_of_work(rig.desk().engine) as uow:
        assert uow.session.exec(select(HandledMessage)).all() == []
        assert uow.session.exec(select(PlaceRow)).all() == []
        assert uow.session.exec(select(OutboxRow)).all() == []
    with imap_user.client() as client:
        assert client.select_folder("INBOX")[b"EXISTS"] == before == 2
        assert not client.folder_exists("Processed")
    assert smtp_sink.messages == []
    # The real pass then does exactly what the rehearsal said.
    assert "2 new message(s), 2 handled, 2 sent" in run(rig, "poll").output


def test_init_asks_on_a_terminal_for_what_the_flags_left_out(tmp_path: Path) -> None:
    target = tmp_path / "asked.toml"
    master, slave = pty.openpty()
    answers = ["Harbour Lectures", "Ada Quist", "ada@harbour.example",
               "lectures@harbour.example", "imap.harbour.example", "", "",  # ssl, 993
               "smtp.harbour.example", "ssl", "", "n",  # port 465 follows ssl; no login
               "Harbour College", "harbour-college.example", ""]  # "" keeps Europe/London
    os.write(master, ("\n".join(answers) + "\n").encode())
    done = subprocess.run([str(Path(sys.executable).with_name("mailflow")), "init",
                           str(target)], stdin=slave, capture_output=True, text=True, timeout=60)
    os.close(slave)
    os.close(master)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Name of the series" in done.stdout and "Time zone" in done.stdout
    settings = load_settings(target, secrets=False)
    assert (settings.series.name, settings.coordinator.email, settings.members[0].domains) == (
        "Harbour Lectures", "ada@harbour.example", ("harbour-college.example",))
    assert settings.coordinator.timezone.key == "Europe/London"
    assert "SMTP port" in done.stdout and "need a login" in done.stdout
    assert (settings.mailbox.port, settings.mailbox.ssl) == (993, True)
    assert (settings.smtp.port, settings.smtp.ssl, settings.smtp.starttls,
            settings.smtp.username) == (465, True, False, "")


def test_init_sets_ports_security_and_whether_smtp_logs_in(tmp_path: Path) -> None:
    target = tmp_path / "ports.toml"
    flags = ["--series", "S", "--coordinator", "Ada Quist", "--coordinator-email",
             "ada@harbour.example", "--desk-address", "desk@harbour.example",
             "--imap-host", "imap.example", "--imap-security", "starttls", "--imap-port", "1143",
             "--smtp-host", "relay.example", "--smtp-security", "none", "--no-smtp-login",
             "--member", "Harbour College", "--member-domain", "harbour-college.example"]
    made = RUNNER.invoke(app, ["init", str(target), *flags])
    assert made.exit_code == 0, made.output
    s = load_settings(target, secrets=False)
    assert (s.mailbox.port, s.mailbox.ssl, s.mailbox.starttls) == (1143, False, True)
    assert (s.smtp.port, s.smtp.ssl, s.smtp.starttls, s.smtp.username) == (25, False, False, "")
    bad = RUNNER.invoke(app, ["init", str(tmp_path / "bad.toml"), *flags,
                              "--smtp-security", "tls"])
    assert bad.exit_code == 2 and "--smtp-security must be one of ssl, starttls, none" in \
        bad.output


def test_status_warns_about_sessions_already_over(tmp_path: Path) -> None:
    rig = offline_rig(tmp_path)
    text = rig.path.read_text(encoding="utf-8")
    past = (
        '\n[[events]]\nid = "old"\ntitle = "An old session"\nstarts = 2020-03-04T10:00:00\n'
        'ends = 2020-03-04T11:00:00\ncapacity = 10\nregistration_deadline = 2020-03-01\n'
        'keywords = ["old session"]\n')
    rig.path.write_text(text + past, encoding="utf-8")
    assert "warning: session 'old' ended on 2020-03-04" in run(rig, "status").output
    assert any("'old' ended" in w for w in json.loads(run(rig, "status", "--json").stdout)[
        "warnings"])


def test_health_fails_when_the_last_pass_is_older_than_allowed(tmp_path: Path) -> None:
    rig = offline_rig(tmp_path)
    desk = rig.desk()
    now = datetime.now(UTC)
    with unit_of_work(desk.engine) as uow:
        uow.put_setting(LAST_POLL, (now - timedelta(minutes=30)).isoformat(), now)
        uow.commit()
    stale = last_pass_check(desk.engine, now, timedelta(minutes=10))
    assert not stale.ok and "30 min ago" in stale.detail and "10 min allowed" in stale.detail
    assert last_pass_check(desk.engine, now, timedelta(minutes=45)).ok
    result = run(rig, "health", "--only", "last-pass", "--max-age", "10", code=1)
    assert "FAIL  last-pass" in result.output
    run(rig, "health", "--only", "last-pass", "--max-age", "45")


def test_an_ignored_message_is_not_said_to_be_ignored_twice(
        tmp_path: Path, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    from mailflow.cli.mail import _show_rehearsal
    from mailflow.rehearse import Rehearsal, WouldHandle

    auto = support.mail("Ngozi Okafor <ngozi@camden-council.example>", "Out of office",
                        "I am away until Monday.").replace(
        b"Subject:", b"Auto-Submitted: auto-replied\r\nSubject:", 1)
    with caplog.at_level("INFO", logger="mailflow.handle"):
        done = offline_rig(tmp_path).desk().handle(auto)
    assert (done.disposition, done.outcome) == ("ignored", "ignored")
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("handled")]
    assert ": ignored (" in line and "ignored ignored" not in line
    _show_rehearsal(Rehearsal(messages=[WouldHandle(1, "n@x.example", "Out of office",
                                                    "ignored", "ignored", "Processed",
                                                    done.reason)]))
    shown = capsys.readouterr().out
    assert "would be ignored (" in shown and "ignored: ignored" not in shown


def test_help_shows_flags_as_flags_not_as_taking_a_bool() -> None:
    for command in (["poll", "--help"], ["outbox", "retry", "--help"], ["--help"]):
        shown = RUNNER.invoke(app, command)
        assert shown.exit_code == 0 and "--help" in shown.output
        assert "<bool>" not in shown.output, (command, shown.output)


def test_outbox_gives_the_retry_hint_only_when_something_failed(tmp_path: Path) -> None:
    rig = offline_rig(tmp_path)
    rig.desk().handle(booking())  # a reply waits: pending, nothing failed
    listed = run(rig, "outbox").output
    assert "pending" in listed and "outbox retry" not in listed
    with unit_of_work(rig.desk().engine) as uow:
        row = uow.session.exec(select(OutboxRow)).one()
        row.status, row.last_error = "failed", "recipient refused: 550 no"
        uow.session.add(row)
        uow.commit()
    assert "outbox retry" in run(rig, "outbox").output
