"""Setting a desk up: init (a starter config), check (load it, touch no server), demo."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from mailflow.cli.common import OK, WRONG, Json, app, config_path, emit_json, fail, print_table


def _opt(help_text: str) -> Any:
    return typer.Option(help=help_text, show_default=False)


@app.command()
def init(
    path: Annotated[Path | None, typer.Argument(help="where to write it (default: --config, "
                                                     "else ./config.toml)")] = None,
    series: Annotated[str | None, _opt("name of the series")] = None,
    coordinator: Annotated[str | None, _opt("your name")] = None,
    coordinator_email: Annotated[str | None, _opt("your own address (digest)")] = None,
    desk_address: Annotated[str | None, _opt("the registrations mailbox's address")] = None,
    imap_host: Annotated[str | None, _opt("its IMAP server")] = None,
    imap_security: Annotated[str | None, _opt("ssl | starttls | none (default ssl)")] = None,
    imap_port: Annotated[int | None, _opt("IMAP port (default 993 for ssl, else 143)")] = None,
    smtp_host: Annotated[str | None, _opt("the SMTP server")] = None,
    smtp_security: Annotated[str | None, _opt("ssl | starttls | none (default "
                                              "starttls)")] = None,
    smtp_port: Annotated[int | None, _opt("SMTP port (default 587 for starttls, 465 for "
                                          "ssl, 25 for none)")] = None,
    smtp_login: Annotated[bool | None, typer.Option(
        "--smtp-login/--no-smtp-login", show_default=False,
        help="whether the SMTP server needs a login (default: it does)")] = None,
    member: Annotated[str | None, _opt("one member organisation")] = None,
    member_domain: Annotated[str | None, _opt("its email domain")] = None,
    timezone: Annotated[str | None, _opt("time zone (default Europe/London)")] = None,
    force: Annotated[bool, typer.Option("--force", help="overwrite an existing file")] = False,
) -> None:
    """Write a starter config.toml for a new series, from the flags or by asking."""
    from mailflow.config import ConfigError, load_settings
    from mailflow.starter import Starter, starter_config

    target = path or config_path()
    if target.exists() and not force:
        fail(f"{target} already exists; use --force to replace it, or give another path.",
             WRONG)
    given: dict[str, object] = {
        "series": series, "coordinator": coordinator, "coordinator_email": coordinator_email,
        "desk_address": desk_address, "imap_host": imap_host, "imap_security": imap_security,
        "imap_port": imap_port, "smtp_host": smtp_host, "smtp_security": smtp_security,
        "smtp_port": smtp_port, "smtp_login": smtp_login, "member": member,
        "member_domain": member_domain, "timezone": timezone}
    answers: dict[str, Any] = {}
    for key, value in given.items():
        answers[key] = _answer(key, value, answers)
    # An absolute path: a relative sqlite URL would follow whichever folder mailflow runs in.
    database = f"sqlite:///{target.resolve().parent / 'mailflow.db'}"
    text = starter_config(Starter(**answers), date.today(), database)
    target.write_text(text, encoding="utf-8")
    try:
        load_settings(target, secrets=False)
    except ConfigError as exc:
        fail(f"wrote {target}, but it does not load: {exc}", WRONG)
    typer.echo(f"Wrote {target}. Next: edit the sessions and members in it, then "
               f"`export MAILFLOW_CONFIG={target.resolve()}` and `mailflow check`.")


def _answer(key: str, value: object, earlier: dict[str, Any]) -> Any:
    """One init answer: the flag, else (on a terminal) the question, else the default."""
    from mailflow.starter import IMAP_PORTS, QUESTIONS, SECURITY, SMTP_PORTS

    flag = f"--{key.replace('_', '-')}"
    defaults: dict[str, Any] = {
        "timezone": "Europe/London", "imap_security": "ssl", "smtp_security": "starttls",
        "imap_port": IMAP_PORTS.get(str(earlier.get("imap_security")), 993),
        "smtp_port": SMTP_PORTS.get(str(earlier.get("smtp_security")), 587),
        "smtp_login": True}
    default = defaults.get(key)
    if value is None:
        if not sys.stdin.isatty():
            if default is not None:
                return default
            fail(f"{flag} is needed ({QUESTIONS[key].lower()}); give it as a flag, or run "
                 "`mailflow init` in a terminal to be asked.", WRONG)
        if key == "smtp_login":
            return typer.confirm(QUESTIONS[key], default=True)
        value = typer.prompt(QUESTIONS[key], default=default,
                             type=int if key.endswith("_port") else str)
        while key.endswith("_security") and str(value).strip().lower() not in SECURITY:
            value = typer.prompt(f"Please answer {', '.join(SECURITY)}. {QUESTIONS[key]}",
                                 default=default)
        if isinstance(value, str):
            value = value.strip().lower() if key.endswith("_security") else value
    if key.endswith("_security") and value not in SECURITY:
        fail(f"{flag} must be one of {', '.join(SECURITY)}, not {value!r}.", WRONG)
    return value.strip() if isinstance(value, str) else value


@app.command()
def check(as_json: Json = False) -> None:
    """Load the configuration and show its sessions, members and warnings; no server."""
    from mailflow.app import system_clock
    from mailflow.cli.common import settings
    from mailflow.config import config_warnings

    s = settings(secrets=False)
    now = system_clock()
    warnings = config_warnings(s, now)
    sessions: list[dict[str, Any]] = [{
        "id": e.id, "number": e.ordinal, "title": e.title, "format": e.format,
        "starts": e.starts.isoformat(), "ends": e.ends.isoformat(), "capacity": e.capacity,
        "registration_deadline": (e.registration_closes - timedelta(days=1)).date().isoformat(),
        "keywords": list(e.keywords), "over": e.ends <= now,
    } for e in sorted(s.events, key=lambda e: e.starts)]
    members = [{"name": m.name, "domains": list(m.domains), "membership": m.membership}
               for m in s.members]
    desk = {"config": str(s.path), "series": s.series.name,
            "from": f"{s.series.name} <{s.smtp.from_address}>" if s.series.name
            else s.smtp.from_address,
            "reply_to": s.series.reply_to or s.smtp.from_address,
            "coordinator": f"{s.coordinator.name} <{s.coordinator.email}>",
            "mailbox": f"{s.mailbox.username} on {s.mailbox.host}:{s.mailbox.port}, folder "
                       f"{s.mailbox.folder!r}",
            "smtp": f"{s.smtp.host}:{s.smtp.port}",
            "database": _hide_password(s.database_url),
            "timezone": s.coordinator.timezone.key}
    if as_json:
        emit_json({**desk, "sessions": sessions, "members": members, "warnings": warnings})
        raise typer.Exit(OK)
    for key, value in desk.items():
        typer.echo(f"{key + ':':<13}{value}")
    typer.echo("")
    print_table(["#", "id", "title", "starts", "places", "register by", "keywords"],
                [[x["number"], x["id"], x["title"], x["starts"][:16].replace("T", " "),
                  x["capacity"], x["registration_deadline"], ", ".join(x["keywords"])]
                 for x in sessions], title=f"{len(sessions)} session(s)")
    print_table(["organisation", "domains", "membership"],
                [[m["name"], ", ".join(m["domains"]), m["membership"]] for m in members],
                title=f"{len(members)} member organisation(s)")
    for w in warnings:
        typer.echo(f"warning: {w}")
    said = f" with {len(warnings)} warning(s)" if warnings else ""
    typer.echo(f"The configuration loads{said}; no server was contacted.")


def _hide_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - shown for information only
        return url.split("@")[-1]


@app.command()
def demo(keep: Annotated[Path | None, typer.Option(
        "--keep", help="keep the demo's database in this folder")] = None) -> None:
    """A self-contained demonstration: member mail in, replies out, roster and digest."""
    try:
        from mailflow.demo import run_demo
    except ImportError as exc:
        fail(f"the demo needs its extra: pip install -e '.[demo]' ({exc.name} is missing)")
    raise typer.Exit(run_demo(keep))
