"""Commands that touch the servers: poll (and its dry run), run, adopt, digest, health."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from mailflow.cli.common import FAILED, OK, Json, app, emit_json, fail, mailbox_trouble, settings

if TYPE_CHECKING:
    from mailflow.rehearse import Rehearsal, WouldSend


class HealthCheck(StrEnum):
    last_pass = "last-pass"
    mailbox = "mailbox"
    smtp = "smtp"
    failed_mail = "failed-mail"
    filing = "filing"


@app.command()
def poll(dry_run: Annotated[bool, typer.Option(
             "--dry-run", help="read the mailbox and show what would be done and sent; "
                               "change nothing (no database write, no move, no mail)")] = False,
         as_json: Json = False) -> None:
    """One pass: handle new mail, expire offers, send pending mail."""
    from mailflow.app import build_desk
    from mailflow.mailbox import ImapMailbox

    s = settings()
    if dry_run:
        from mailflow.rehearse import rehearse
        from mailflow.store import make_engine

        # Not open_store: even creating tables or syncing the sessions waits for the
        # rehearsal's transaction, which is rolled back.
        trial = build_desk(s, engine=make_engine(s.database_url))
        with mailbox_trouble(s), ImapMailbox(s.mailbox) as mailbox:
            rehearsal = rehearse(trial, mailbox)
        if as_json:
            emit_json(rehearsal.as_dict())
        else:
            _show_rehearsal(rehearsal)
        return

    from mailflow.login_notice import queue_login_notice
    from mailflow.login_watch import MAILBOX, guarded, mailbox_credentials, watch
    from mailflow.poll import poll_once
    from mailflow.smtp import SmtpSender

    desk = build_desk(s)
    # Run from cron, a refused login must not be tried every minute: poll keeps the
    # worker's back-off (and tells the coordinator once, with this pass's sending).
    login = watch(desk.engine, MAILBOX, s.mailbox.username, s.worker.auth_backoff_seconds,
                  desk.clock, notify=lambda r: queue_login_notice(desk, r) is not None,
                  credentials=mailbox_credentials(s.mailbox))
    with SmtpSender(s.smtp) as sender, mailbox_trouble(s):
        report = poll_once(desk, guarded(login, lambda: ImapMailbox(s.mailbox)), sender)
    if as_json:
        emit_json({**asdict(report), "summary": report.summary()})
    else:
        typer.echo(report.summary())
    if report.failed:
        typer.echo("mailflow: some mail could not be sent; `mailflow outbox --failed` says why.",
                   err=True)


DONE = {"handled": "handled", "attention": "put to you", "ignored": "ignored",
        "bounce": "read as a bounce", "error": "put to you (handling failed)",
        "duplicate": "skipped as already handled"}


def _show_rehearsal(r: Rehearsal) -> None:
    def sends(items: list[WouldSend], indent: str = "   ") -> None:
        for w in items:
            typer.echo(f"{indent}would send {w.kind} to {w.recipient} [{w.outcome}]: "
                       f"“{w.subject}”")

    typer.echo("Dry run: nothing is recorded, moved or sent.")
    if r.blocked:
        typer.echo(r.blocked)
    typer.echo(f"{len(r.messages)} new message(s); {r.already_handled} already handled "
               "(a real pass would only move them).")
    for m in r.messages:
        typer.echo(f"\n[uid {m.uid}] {m.sender}  “{m.subject}”")
        why = f" ({m.reason})" if m.reason else ""
        done = DONE.get(m.disposition, m.disposition)
        # "ignored: ignored" says it twice; the outcome only when it adds something.
        said = "" if m.outcome in ("", m.disposition) else f": {m.outcome}"
        typer.echo(f"   would be {done}{said}{why}; moved to “{m.folder}”")
        sends(m.sends)
        if not m.sends:
            typer.echo("   would send nothing")
    if r.sweep:
        typer.echo("\nOffers lapsing or passed on, and calendar updates:")
        sends(r.sweep)
    if r.queued:
        typer.echo(f"\nAlready waiting in the outbox ({len(r.queued)}), would be sent too:")
        sends(r.queued)


@app.command()
def run() -> None:
    """The long-running worker: mail as it arrives, offers, reminders, the daily digest."""
    from mailflow.lease import LeaseHeld
    from mailflow.worker import Worker

    worker = Worker.from_settings(settings())
    try:
        code = worker.run()
    except LeaseHeld as exc:
        fail(f"not starting: {exc}. Stop that worker first (a worker that crashed is "
             "replaced at once).")
    raise typer.Exit(code)


@app.command()
def digest(send: Annotated[bool, typer.Option("--send", help="queue it and send it now, "
                                               "instead of printing it")] = False,
           as_json: Json = False) -> None:
    """The coordinator's digest: print it, or send it to the coordinator now."""
    from mailflow.app import build_desk
    from mailflow.digest import queue_digest, render_digest

    s = settings(secrets=send)
    desk = build_desk(s)
    if not send:
        shown = render_digest(desk)
        if as_json:
            emit_json({"subject": shown.subject, "text": shown.text})
        else:
            typer.echo(shown.text, nl=False)
        return
    from mailflow.outbox import deliver
    from mailflow.smtp import SmtpSender

    queue_digest(desk, force=True)
    with SmtpSender(s.smtp) as sender:
        report = deliver(desk.engine, sender, s.smtp.from_address, desk.clock)
    if report.deferred or report.failed or report.paused:
        held = report.paused or f"{report.deferred} deferred, {report.failed} failed"
        fail(f"the digest is queued but could not be sent yet ({held}); `mailflow outbox` "
             "says why, and the worker or `mailflow poll` will retry.")
    typer.echo(f"Digest sent to {s.coordinator.email}.")


@app.command()
def adopt(as_json: Json = False) -> None:
    """Record every message already in the folder as handled, without replying."""
    from mailflow.app import build_desk
    from mailflow.mailbox import ImapMailbox
    from mailflow.poll import adopt as adopt_all

    s = settings()
    desk = build_desk(s)
    with mailbox_trouble(s), ImapMailbox(s.mailbox) as mailbox:
        count = adopt_all(desk, mailbox)
    if as_json:
        emit_json({"adopted": count})
    else:
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
            fail(f"[{section}] sign-in failed: {exc}")


@app.command()
def health(as_json: Json = False,
           max_age: Annotated[float | None, typer.Option(
               "--max-age", min=0.1, help="minutes the last pass may be old (default: "
                                          "3 × poll_seconds, at least 10)")] = None,
           offline: Annotated[bool, typer.Option(
               "--no-login", help="skip the mailbox and SMTP logins")] = False,
           only: Annotated[HealthCheck | None, typer.Option(
               "--only", help="run just this check")] = None) -> None:
    """Exit 0 if the desk is working, 1 if not: for cron, systemd and container checks."""
    from mailflow.app import open_store, system_clock
    from mailflow.health import (
        Health,
        default_max_age,
        failed_mail_check,
        filing_check,
        last_pass_check,
        login_check,
        refused_login_check,
    )
    from mailflow.mailbox import ImapMailbox
    from mailflow.smtp import SmtpSender
    from mailflow.troubles import mailbox_error

    offline = offline or only in (HealthCheck.last_pass, HealthCheck.failed_mail,
                                  HealthCheck.filing)
    s = settings(secrets=not offline)
    engine = open_store(s)
    allowed = timedelta(minutes=max_age) if max_age else default_max_age(s.worker.poll_seconds)
    result = Health([last_pass_check(engine, system_clock(), allowed)])
    if not offline:
        m = s.mailbox

        def imap_login() -> None:
            ImapMailbox(m, timeout=15).close()

        def smtp_login() -> None:
            with SmtpSender(s.smtp, timeout=15) as sender:
                sender.check()

        result.checks.append(refused_login_check(engine, "mailbox") or login_check(
            "mailbox", imap_login, lambda e: mailbox_error(e, m.host, m.port, m.username,
                                                         m.folder)))
        no_login = not s.smtp.username and s.smtp.oauth is None
        result.checks.append(login_check(
            "smtp", smtp_login, str,
            "smtp reachable, no login configured" if no_login else "login accepted"))
    result.checks.append(failed_mail_check(engine))
    result.checks.append(filing_check(engine))
    if only is not None:
        result.checks = [c for c in result.checks if c.name == only.value]
    if as_json:
        emit_json(result.as_dict())
    else:
        for c in result.checks:
            typer.echo(f"{'ok  ' if c.ok else 'FAIL'}  {c.name:<12} {c.detail}")
        typer.echo("healthy" if result.ok else "NOT healthy")
    raise typer.Exit(OK if result.ok else FAILED)
