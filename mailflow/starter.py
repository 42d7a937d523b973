"""`mailflow init`: a starter config.toml for a new series, from the coordinator's answers."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date, timedelta


@dataclass(frozen=True)
class Starter:
    """What a new desk needs to know before it can load; every field is one question."""

    series: str
    coordinator: str
    coordinator_email: str
    desk_address: str  # the registrations mailbox's address, mail goes out from it
    imap_host: str
    smtp_host: str
    member: str  # one member organisation, to start the list
    member_domain: str
    timezone: str = "Europe/London"
    imap_security: str = "ssl"  # "ssl" | "starttls" | "none"
    imap_port: int = 993
    smtp_security: str = "starttls"
    smtp_port: int = 587
    smtp_login: bool = True  # False: the server takes mail from this machine without a login


SECURITY = ("ssl", "starttls", "none")
IMAP_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
SMTP_PORTS = {"ssl": 465, "starttls": 587, "none": 25}


QUESTIONS = {
    "series": "Name of the series (signs every letter)",
    "coordinator": "Your name (the coordinator)",
    "coordinator_email": "Your own email address (the daily digest goes here)",
    "desk_address": "The registrations mailbox's address (replies come from it)",
    "imap_host": "IMAP server of that mailbox",
    "smtp_host": "SMTP server to send through",
    "member": "One member organisation (add the rest to the file later)",
    "member_domain": "That organisation's email domain",
    "timezone": "Time zone of the sessions",
    "imap_security": "IMAP security: ssl, starttls or none",
    "imap_port": "IMAP port",
    "smtp_security": "SMTP security: ssl, starttls or none",
    "smtp_port": "SMTP port",
    "smtp_login": "Does the SMTP server need a login (username and password)?",
}


def field_names() -> list[str]:
    return [f.name for f in fields(Starter)]


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a TOML basic string


def _security(kind: str) -> str:
    return (f"ssl = {str(kind == 'ssl').lower()}\n"
            f"starttls = {str(kind == 'starttls').lower()}")


def _smtp_login(a: Starter) -> str:
    if a.smtp_login:
        return f'username = {_q(a.desk_address)}\npassword_env = "MAILFLOW_SMTP_PASSWORD"'
    return ("# No login: the server takes mail from this machine without one. To log in, add\n"
            f'# username = {_q(a.desk_address)}\n# password_env = "MAILFLOW_SMTP_PASSWORD"')


def starter_config(a: Starter, today: date, database_url: str = "sqlite:///mailflow.db") -> str:
    """The text of a config.toml that loads as is: one sample session a few weeks ahead."""
    return f"""# mailflow configuration for {a.series}, written by `mailflow init`.
# docs/configuration.md describes every key; `mailflow check` loads this file and shows
# what it understood (sessions, members, warnings) without touching any server.
# Passwords are never written here: *_env keys name environment variables that hold them.

[series]
name = {_q(a.series)}
signature = [{_q(a.coordinator)}, {_q(a.series + " registrations")}]
# reply_to = {_q(a.coordinator_email)}   # where members' replies go (default: the desk)
# website = "https://…"

{_servers(a, database_url)}
[coordinator]
name = {_q(a.coordinator)}
email = {_q(a.coordinator_email)}
digest_time = "08:00"
timezone = {_q(a.timezone)}

[policy]
offer_hold_hours = 48
reminder_days_before = 2
max_auto_replies_per_day = 10

[worker]
poll_seconds = 60
idle = true

[[members]]
name = {_q(a.member)}
domains = [{_q(a.member_domain)}]
membership = "full"

{_sample_session(today)}"""


def _servers(a: Starter, database_url: str) -> str:
    """The mailbox read, the SMTP server sent through, and the database."""
    return f"""[mailbox]
host = {_q(a.imap_host)}
port = {a.imap_port}
{_security(a.imap_security)}
username = {_q(a.desk_address)}
password_env = "MAILFLOW_IMAP_PASSWORD"
folder = "INBOX"
processed_folder = "Processed"
attention_folder = "Needs Attention"
first_run_limit = 50

[smtp]
host = {_q(a.smtp_host)}
port = {a.smtp_port}
{_security(a.smtp_security)}
{_smtp_login(a)}
from_address = {_q(f"{a.series} <{a.desk_address}>")}

[database]
url = {_q(database_url)}
"""


def _sample_session(today: date) -> str:
    """One session six weeks ahead, registration closing a week before it."""
    starts = today + timedelta(days=42)
    deadline = starts - timedelta(days=7)
    return f"""# One sample session: change it, and add one [[events]] table per session.
[[events]]
id = "first-session-{starts.year}"
title = "First session"
format = "webinar"
starts = {starts.isoformat()}T10:00:00
ends = {starts.isoformat()}T11:30:00
capacity = 15
registration_deadline = {deadline.isoformat()}
keywords = ["first session"]
# join_url = "https://…"
"""
