"""The `mailflow` command line: thin commands, split by meaning, that load settings once."""

from __future__ import annotations

import sys

import typer

from mailflow.cli import book, hand, mail, setup  # noqa: F401 - each module adds its commands
from mailflow.cli.common import FAILED, WRONG, app

__all__ = ["app", "main"]


def main() -> None:
    from sqlalchemy.exc import OperationalError

    from mailflow.config import ConfigError

    try:
        app()
    except ConfigError as exc:
        # Found after the settings loaded: a sign-in library that is there but will not import.
        typer.echo(f"mailflow: {exc}", err=True)
        sys.exit(WRONG)
    except OperationalError as exc:
        # The database server is down or unreachable, or SQLite stayed locked too long.
        reason = str(exc.orig or exc).strip().splitlines()
        typer.echo(f"mailflow: the database could not be used: "
                   f"{reason[0] if reason else type(exc).__name__}", err=True)
        sys.exit(FAILED)
