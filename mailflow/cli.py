"""The `mailflow` command line: thin wrappers that load settings once and call the pipeline."""

from __future__ import annotations

import csv
import json
import logging
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from mailflow.config import ConfigError, Settings, default_config_path, load_settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="A registrations desk for a seminar series.")

_state: dict[str, object] = {}


@app.callback()
def _main(
    config: Annotated[Path | None, typer.Option("--config", help="config.toml to use "
                      "(default: $MAILFLOW_CONFIG, else ./config.toml)")] = None,
    log_format: Annotated[str, typer.Option("--log-format", help="text or json")] = "text",
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    _state["config"] = config or default_config_path()
    from mailflow.logs import setup_logging

    setup_logging(log_format, logging.DEBUG if verbose else logging.INFO)


def settings(secrets: bool = True) -> Settings:
    """Read the configuration once per command; a problem ends the command with one line."""
    try:
        return load_settings(Path(str(_state["config"])), secrets=secrets)
    except ConfigError as exc:
        typer.echo(f"mailflow: {exc}", err=True)
        raise typer.Exit(2) from exc


@contextmanager
def _mailbox_trouble(s: Settings) -> Iterator[None]:
    """An unreachable server, a refused login or a missing folder ends the command in one line."""
    from imapclient.exceptions import IMAPClientError

    from mailflow.oauth import AuthRejected

    try:
        yield
    except (OSError, IMAPClientError, AuthRejected) as exc:
        typer.echo(f"mailflow: cannot use the mailbox {s.mailbox.host}:{s.mailbox.port} "
                   f"({s.mailbox.username}): {exc}", err=True)
        raise typer.Exit(1) from exc


def _command_line() -> str:
    return "mailflow " + " ".join(shlex.quote(a) for a in sys.argv[1:])


@app.command()
def poll() -> None:
    """One pass: handle new mail, expire offers, send pending mail."""
    from mailflow.app import build_desk
    from mailflow.mailbox import ImapMailbox
    from mailflow.poll import poll_once
    from mailflow.smtp import SmtpSender

    s = settings()
    desk = build_desk(s)
    with SmtpSender(s.smtp) as sender, _mailbox_trouble(s):
        report = poll_once(desk, lambda: ImapMailbox(s.mailbox), sender)
    typer.echo(report.summary())


@app.command()
def run() -> None:
    """The long-running worker: mail as it arrives, offers, reminders, the daily digest."""
    from mailflow.lease import LeaseHeld
    from mailflow.worker import Worker

    worker = Worker.from_settings(settings())
    try:
        code = worker.run()
    except LeaseHeld as exc:
        typer.echo(f"mailflow: not starting: {exc}. Stop that worker first (a worker "
                   "that crashed is replaced at once).", err=True)
        raise typer.Exit(1) from exc
    raise typer.Exit(code)


@app.command()
def digest(send: Annotated[bool, typer.Option("--send", help="queue it and send it now, "
                                               "instead of printing it")] = False) -> None:
    """The coordinator's digest: print it, or send it to the coordinator now."""
    from mailflow.app import build_desk
    from mailflow.digest import queue_digest, render_digest

    s = settings(secrets=send)
    desk = build_desk(s)
    if not send:
        typer.echo(render_digest(desk).text, nl=False)
        return
    from mailflow.outbox import deliver
    from mailflow.smtp import SmtpSender

    queue_digest(desk, force=True)
    with SmtpSender(s.smtp) as sender:
        report = deliver(desk.engine, sender, s.smtp.from_address, desk.clock)
    if report.deferred or report.failed or report.paused:
        typer.echo(f"mailflow: the digest is queued but could not be sent yet "
                   f"({report.paused or f'{report.deferred} deferred, {report.failed} failed'}"
                   "); the worker or "
                   "`mailflow poll` will retry.", err=True)
        raise typer.Exit(1)
    typer.echo(f"Digest sent to {s.coordinator.email}.")


@app.command()
def adopt() -> None:
    """Record every message already in the folder as handled, without replying."""
    from mailflow.app import build_desk
    from mailflow.mailbox import ImapMailbox
    from mailflow.poll import adopt as adopt_all

    s = settings()
    desk = build_desk(s)
    with _mailbox_trouble(s), ImapMailbox(s.mailbox) as mailbox:
        count = adopt_all(desk, mailbox)
    typer.echo(f"Recorded {count} existing message(s) as handled; none were answered.")


@app.command()
def login() -> None:
    """Sign in to Microsoft 365 as a person (device code, once), or check app sign-ins."""
    from mailflow.config import OAuthSettings
    from mailflow.oauth import AuthRejected, MicrosoftUser, TokenUnavailable, build_provider

    s = settings()
    signins: dict[int, tuple[str, OAuthSettings]] = {}
    for section, oauth in (("mailbox", s.mailbox.oauth), ("smtp", s.smtp.oauth)):
        if oauth is not None:
            signins.setdefault(id(oauth), (section, oauth))  # same-as-mailbox: one sign-in
    if not signins:
        typer.echo("Both [mailbox] and [smtp] use passwords: there is nothing to sign in to.")
        return
    for section, oauth in signins.values():
        try:
            if oauth.provider == "microsoft" and oauth.flow == "user":
                who = MicrosoftUser(oauth).login(typer.echo)
                typer.echo(f"[{section}] signed in as {who}; the refresh token is kept in "
                           f"{oauth.token_cache} (mode 0600).")
                if who.lower() != oauth.user.lower():
                    typer.echo(f"mailflow: warning: [{section}] username is {oauth.user}, but "
                               f"the sign-in was as {who}.", err=True)
            else:
                build_provider(oauth).token()
                typer.echo(f"[{section}] {oauth.provider} sign-in for {oauth.user} works "
                           "(a token was issued).")
        except (AuthRejected, TokenUnavailable) as exc:
            typer.echo(f"mailflow: [{section}] sign-in failed: {exc}", err=True)
            raise typer.Exit(1) from exc


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Fill per session and how many messages need a human."""
    from mailflow.app import open_store, system_clock
    from mailflow.store import unit_of_work
    from mailflow.views import status_data

    s = settings(secrets=False)
    with unit_of_work(open_store(s)) as uow:
        data = status_data(uow, s, system_clock())
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    for e in data["events"]:
        state = "open" if e["registration_open"] else "closed"
        typer.echo(f"{e['id']:<28} {e['confirmed']:>3}/{e['capacity']:<3} offered "
                   f"{e['offered']:<2} waiting {e['waitlisted']:<3} {state}")
    typer.echo(f"needs attention: {data['needs_attention']}; outbox pending: "
               f"{data['outbox']['pending']}, failed: {data['outbox']['failed']}; "
               f"last poll: {data['worker']['last_poll'] or 'never'}")
    updates = data["calendar_updates"]
    if updates:
        typer.echo(f"calendar updates (session changes): {updates.get('sent', 0)} sent, "
                   f"{sum(n for k, n in updates.items() if k != 'sent')} not yet sent")
    for refused in data["logins_refused"].values():
        typer.echo(f"LOGIN REFUSED: {refused['summary']}")


@app.command()
def roster(event_id: str,
           fmt: Annotated[str, typer.Option("--format", help="json or csv")] = "json") -> None:
    """Who is confirmed, offered and waiting for one session."""
    from mailflow.app import open_store
    from mailflow.store import unit_of_work
    from mailflow.views import roster_data, roster_rows

    s = settings(secrets=False)
    with unit_of_work(open_store(s)) as uow:
        data = roster_data(uow, s, event_id)
    if data is None:
        typer.echo(f"mailflow: no session with id {event_id!r}", err=True)
        raise typer.Exit(2)
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=["status", "email", "name",
                                                        "organisation", "registered_at",
                                                        "expires_at", "position",
                                                        "calendar"])
        writer.writeheader()
        writer.writerows(roster_rows(data))
    elif fmt == "json":
        typer.echo(json.dumps(data, indent=2))
    else:
        typer.echo("mailflow: --format must be json or csv", err=True)
        raise typer.Exit(2)


def _coordinator(action: str, email: str, event_id: str, **kw: object) -> None:
    from mailflow.app import build_desk
    from mailflow.coordinator import change_seat

    desk = build_desk(settings(secrets=False))
    result = change_seat(desk, action, email, event_id, command=_command_line(),
                         **kw)  # type: ignore[arg-type]
    typer.echo(result.message)
    if not result.ok:
        raise typer.Exit(1)


Quiet = Annotated[bool, typer.Option("--quiet", help="do not mail the member")]


@app.command()
def add(email: str, event_id: str,
        force: Annotated[bool, typer.Option("--force", help="book even over capacity")] = False,
        quiet: Quiet = False) -> None:
    """Book someone onto a session (past the deadline; over capacity with --force)."""
    _coordinator("add", email, event_id, force=force, quiet=quiet)


@app.command()
def remove(email: str, event_id: str, quiet: Quiet = False) -> None:
    """Take someone off a session; a freed place is offered to the waiting list."""
    _coordinator("remove", email, event_id, quiet=quiet)


@app.command()
def move(email: str, event_id: str,
         to_position: Annotated[int, typer.Option("--to-position", min=1)],
         quiet: Quiet = False) -> None:
    """Move someone on a session's waiting list (1 = next in line)."""
    _coordinator("move", email, event_id, position=to_position, quiet=quiet)


@app.command()
def attention() -> None:
    """Messages mailflow could not handle alone, with why and what to do."""
    from mailflow.app import open_store
    from mailflow.store import unit_of_work

    s = settings(secrets=False)
    with unit_of_work(open_store(s)) as uow:
        rows = uow.attention()
        # Detach them: closing this read-only unit rolls back, which expires loaded rows.
        uow.session.expunge_all()
    if not rows:
        typer.echo("Nothing needs your attention.")
        return
    for row in rows:
        typer.echo(f"[{row.id}] {row.received_at or row.handled_at:%d %b %H:%M}  "
                   f"{row.sender or '(no sender)'}  “{row.subject}”")
        typer.echo(f"    why: {row.reason or row.outcome}")
        if row.evidence and row.evidence.startswith("{"):
            ev = json.loads(row.evidence)
            typer.echo(f"    read as: {ev.get('intent')} {', '.join(ev.get('events', []))} "
                       f"(confidence {ev.get('confidence')}); evidence: "
                       f"{'; '.join(ev.get('evidence', []))[:200]}")
        excerpt = " ".join(row.excerpt.split())[:200]
        if excerpt:
            typer.echo(f"    said: {excerpt}")
        typer.echo(f"    then: mailflow add|remove {row.sender or 'EMAIL'} EVENT_ID, and "
                   f"mailflow resolve {row.id} --note \"…\"")


@app.command()
def resolve(message_id: Annotated[str, typer.Argument(
                help="the number `mailflow attention` shows, or the Message-ID")],
            note: Annotated[str, typer.Option("--note")] = "") -> None:
    """Mark a message from the attention list as dealt with."""
    from mailflow.app import build_desk
    from mailflow.coordinator import resolve as resolve_message

    result = resolve_message(build_desk(settings(secrets=False)), message_id, note,
                             _command_line())
    typer.echo(result.message)
    if not result.ok:
        raise typer.Exit(1)


@app.command()
def history(email: str) -> None:
    """Every change for one person, and what caused it."""
    from mailflow.app import open_store
    from mailflow.store import unit_of_work

    s = settings(secrets=False)
    with unit_of_work(open_store(s)) as uow:
        entries = uow.history(email.strip().lower())
        # Detach them: closing this read-only unit rolls back, which expires loaded rows.
        uow.session.expunge_all()
    if not entries:
        typer.echo(f"No history for {email}.")
        return
    tz = s.coordinator.timezone
    for e in entries:
        typer.echo(f"{e.at.astimezone(tz):%Y-%m-%d %H:%M}  {e.event_id or '-':<26} "
                   f"{e.action:<15} by {e.actor}  ({e.cause}){'  ' + e.detail if e.detail else ''}")


@app.command()
def demo(keep: Annotated[Path | None, typer.Option(
        "--keep", help="keep the demo's database in this folder")] = None) -> None:
    """A self-contained demonstration: member mail in, replies out, roster and digest."""
    from mailflow.demo import run_demo

    raise typer.Exit(run_demo(keep))


def main() -> None:
    from sqlalchemy.exc import OperationalError

    try:
        app()
    except OperationalError as exc:
        # The database server is down or unreachable, or SQLite stayed locked too long.
        reason = str(exc.orig or exc).strip().splitlines()
        typer.echo(f"mailflow: the database could not be used: "
                   f"{reason[0] if reason else type(exc).__name__}", err=True)
        sys.exit(1)
