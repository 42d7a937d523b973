"""What every command shares: the app, options, settings read once, exit codes, output."""

from __future__ import annotations

import json
import logging
import shlex
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from mailflow.config import ConfigError, Settings, default_config_path, load_settings

# Exit codes (docs/commands.md): 0 done, or nothing needed doing; 1 something failed while
# running (a server, the database, mail not sent, unhealthy, a rule said no);
# 2 the command or the configuration is wrong (bad option, unknown session or id, bad config).
OK, FAILED, WRONG = 0, 1, 2

# rich_markup_mode=None: typer's rich help labels every flag "<bool>" (even --help), as if
# it took a value; the plain help shows flags as flags.
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="A registrations desk for a seminar series: reads the registrations "
                       "mailbox, keeps the seat book, answers members, tells the coordinator.",
                  epilog="Exit codes: 0 done (or nothing to do), 1 something failed while "
                         "running, 2 the command or configuration is wrong. "
                         "docs/commands.md has every command.")

_state: dict[str, object] = {}


class LogFormat(StrEnum):
    text = "text"
    json = "json"


Json = Annotated[bool, typer.Option("--json", help="print JSON instead of text")]


def _version(value: bool) -> None:
    if value:
        try:
            typer.echo(f"mailflow {version('mailflow')}")
        except PackageNotFoundError:
            typer.echo("mailflow (not installed)")
        raise typer.Exit(OK)


@app.callback()
def _main(
    config: Annotated[Path | None, typer.Option("--config", help="config.toml to use "
                      "(default: $MAILFLOW_CONFIG, else ./config.toml)")] = None,
    log_format: Annotated[LogFormat, typer.Option("--log-format", help="how log lines "
                          "look on stderr")] = LogFormat.text,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="debug logging")] = False,
    _show_version: Annotated[bool, typer.Option("--version", callback=_version,
                             is_eager=True, help="print the version and exit")] = False,
) -> None:
    _state["config"] = config or default_config_path()
    from mailflow.logs import setup_logging

    setup_logging(log_format.value, logging.DEBUG if verbose else logging.INFO)


def config_path() -> Path:
    return Path(str(_state.get("config") or default_config_path()))


def settings(secrets: bool = True) -> Settings:
    """Read the configuration once per command; a problem ends the command with one line."""
    try:
        return load_settings(config_path(), secrets=secrets)
    except ConfigError as exc:
        fail(str(exc), WRONG)


def fail(message: str, code: int = FAILED) -> NoReturn:
    """One line on stderr, then the exit code: never a traceback for expected trouble."""
    typer.echo(f"mailflow: {message}", err=True)
    raise typer.Exit(code)


def emit_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def command_line() -> str:
    return "mailflow " + " ".join(shlex.quote(a) for a in sys.argv[1:])


@contextmanager
def mailbox_trouble(s: Settings) -> Iterator[None]:
    """An unreachable server, a refused login or a missing folder ends the command in one line."""
    from imapclient.exceptions import IMAPClientError

    from mailflow.oauth import AuthRejected
    from mailflow.troubles import mailbox_error

    try:
        yield
    except (OSError, IMAPClientError, AuthRejected) as exc:
        m = s.mailbox
        fail(f"cannot use the mailbox: {mailbox_error(exc, m.host, m.port, m.username, m.folder)}")


def on_terminal() -> bool:
    return sys.stdout.isatty()


def print_table(columns: Sequence[str], rows: Sequence[Sequence[object]], title: str = "",
                caption: str = "") -> None:
    """A readable table (Rich): boxed on a terminal, plain aligned text through a pipe."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    terminal = on_terminal()
    table = Table(title=title or None, caption=caption or None,
                  box=box.SIMPLE_HEAD if terminal else box.ASCII2, show_edge=terminal)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console(width=None if terminal else 200, highlight=False).print(table)
