"""The coordinator's own hand: add, remove, move, resolve, and the outbox (list and retry)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Annotated

import typer

from mailflow.cli.common import (
    FAILED,
    OK,
    WRONG,
    Json,
    app,
    command_line,
    emit_json,
    print_table,
    settings,
)
from mailflow.coordinator import CommandResult

if TYPE_CHECKING:
    from mailflow.handle import Desk


def _finish(result: CommandResult) -> None:
    """Say what happened; a command that found nothing to change is no failure."""
    typer.echo(result.message)
    if result.ok or result.declined == "no-op":
        raise typer.Exit(OK)
    raise typer.Exit(WRONG if result.declined == "invalid" else FAILED)


def _seat(action: str, email: str, event_id: str, **kw: object) -> None:
    from mailflow.app import build_desk
    from mailflow.coordinator import change_seat

    desk = build_desk(settings(secrets=False))
    _finish(change_seat(desk, action, email, event_id, command=command_line(),
                        **kw))  # type: ignore[arg-type]


Quiet = Annotated[bool, typer.Option("--quiet", help="do not mail the member")]


@app.command()
def add(email: str, event_id: str,
        force: Annotated[bool, typer.Option("--force", help="book even over capacity, "
                                            "after the session started, or someone not at a "
                                            "full member organisation")] = False,
        quiet: Quiet = False) -> None:
    """Book someone onto a session (past the deadline; over capacity with --force)."""
    _seat("add", email, event_id, force=force, quiet=quiet)


@app.command()
def remove(email: str, event_id: str, quiet: Quiet = False) -> None:
    """Take someone off a session; a freed place is offered to the waiting list."""
    _seat("remove", email, event_id, quiet=quiet)


@app.command()
def move(email: str, event_id: str,
         to_position: Annotated[int, typer.Option("--to-position", min=1)],
         quiet: Quiet = False) -> None:
    """Move someone on a session's waiting list (1 = next in line)."""
    _seat("move", email, event_id, position=to_position, quiet=quiet)


@app.command()
def resolve(message_id: Annotated[str, typer.Argument(
                help="the number `mailflow attention` shows, or the Message-ID")],
            note: Annotated[str, typer.Option("--note")] = "") -> None:
    """Mark a message from the attention list as dealt with."""
    from mailflow.app import build_desk
    from mailflow.coordinator import resolve as resolve_message

    _finish(resolve_message(build_desk(settings(secrets=False)), message_id, note,
                            command_line()))


outbox_app = typer.Typer(rich_markup_mode=None,
                         help="Mail waiting to go, or that could not go, and why.",
                         invoke_without_command=True, no_args_is_help=False)
app.add_typer(outbox_app, name="outbox")


@outbox_app.callback()
def outbox(ctx: typer.Context,
           failed: Annotated[bool, typer.Option("--failed", help="only mail that was given "
                                                "up on")] = False,
           as_json: Json = False) -> None:
    """List pending and failed mail with the reason, its age and the attempts made."""
    if ctx.invoked_subcommand is not None:
        return
    from mailflow.app import open_store, system_clock
    from mailflow.store import unit_of_work
    from mailflow.views import outbox_data

    s = settings(secrets=False)
    with unit_of_work(open_store(s)) as uow:
        rows = outbox_data(uow, system_clock(), failed_only=failed)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        typer.echo("No failed mail." if failed else "The outbox is empty: everything was sent.")
        return
    print_table(["id", "status", "to", "subject", "age", "attempts", "reason"],
                [[r["id"], r["status"], r["to"], r["subject"], r["age"], r["attempts"],
                  r["reason"] or "-"] for r in rows])
    if any(r["status"] == "failed" for r in rows):  # the hint only where it can help
        typer.echo("`mailflow outbox retry ID` (or `--all`) tries failed mail again.")


@outbox_app.command("retry")
def outbox_retry(row_id: Annotated[int | None, typer.Argument(
                     metavar="ID", help="the id `mailflow outbox` shows")] = None,
                 every: Annotated[bool, typer.Option("--all", help="every failed "
                                                      "message")] = False) -> None:
    """Try failed mail again now (attempts start again from zero); --all also lifts a sending
    pause and tries the mail it held."""
    from mailflow.app import build_desk
    from mailflow.coordinator import retry_mail

    if (row_id is None) == (not every):
        typer.echo("mailflow: give one ID, or --all (not both).", err=True)
        raise typer.Exit(WRONG)
    desk = build_desk(settings(secrets=False))
    result = retry_mail(desk, row_id, command_line())
    if result.ok:
        result = dataclasses.replace(result, message=result.message + " " + _send_now(desk))
    _finish(result)


def _send_now(desk: Desk) -> str:
    """One send pass now, so a retry is seen to work (or why not) at once."""
    from mailflow.config import ConfigError, load_settings
    from mailflow.outbox import deliver
    from mailflow.smtp import SmtpSender

    try:
        smtp = load_settings(desk.settings.path, secrets=True).smtp
    except ConfigError as exc:  # e.g. the password's env var is unset in this shell
        return f"Not sent now ({exc}); the worker or `mailflow poll` will send it."
    try:
        with SmtpSender(smtp) as sender:
            report = deliver(desk.engine, sender, desk.settings.smtp.from_address, desk.clock)
    except OSError as exc:  # the server is unreachable: the worker or poll tries later
        return f"Not sent yet ({exc}); the worker or `mailflow poll` will try again."
    if report.paused:
        return f"Sending paused again: {report.paused}"
    held = f"; {report.deferred} held up, {report.failed} failed" \
        if report.deferred or report.failed else ""
    return f"Sent {report.sent}{held} (`mailflow outbox` lists what is left)."
