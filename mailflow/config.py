"""Read config.toml once into typed, validated settings; every problem names file, key and fix."""

from __future__ import annotations

import email.utils
import functools
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mailflow.config_auth import OAuthSettings, auth_kind, oauth_settings

# The key table and ConfigError live in config_keys (one obvious place to add a key).
from mailflow.config_keys import (  # noqa: F401 - re-exported for callers
    FORBIDDEN_KEYS,
    KNOWN_KEYS,
    ConfigError,
    check_keys,
)
from mailflow.config_sessions import read_events, read_members, session_warnings, to_date
from mailflow.model import EventInfo, Member


@dataclass(frozen=True)
class SeriesSettings:
    """The series' own words: the name on every letter, the signature, where replies go."""

    name: str = ""
    signature: tuple[str, ...] = ()
    reply_to: str = ""
    website: str = ""


@dataclass(frozen=True)
class MailboxSettings:
    host: str
    port: int
    ssl: bool
    starttls: bool
    username: str
    password: str = field(repr=False)
    folder: str = "INBOX"
    processed_folder: str = "Processed"
    attention_folder: str = "Needs Attention"
    since: date | None = None
    first_run_limit: int = 50
    trusted_authserv_id: str = ""
    max_message_bytes: int = 10 * 1024 * 1024
    oauth: OAuthSettings | None = None  # None: log in with username and password


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    ssl: bool
    starttls: bool
    from_address: str  # the bare address, lower-cased: envelope, own-address checks, ids
    username: str = ""
    password: str = field(default="", repr=False)
    from_name: str = ""  # the display name written in from_address, if any
    oauth: OAuthSettings | None = None  # None: username/password AUTH, or none at all


@dataclass(frozen=True)
class CoordinatorSettings:
    name: str
    email: str
    digest_time: time
    timezone: ZoneInfo


@dataclass(frozen=True)
class PolicySettings:
    offer_hold_hours: float = 48.0
    reminder_days_before: int = 2
    max_auto_replies_per_day: int = 10


@dataclass(frozen=True)
class WorkerSettings:
    poll_seconds: float = 60.0
    idle: bool = True
    auth_backoff_seconds: float = 60.0  # first wait after a refused login; doubles to 30 min


@dataclass(frozen=True)
class Settings:
    path: Path
    mailbox: MailboxSettings
    smtp: SmtpSettings
    database_url: str
    coordinator: CoordinatorSettings
    policy: PolicySettings
    worker: WorkerSettings
    members: tuple[Member, ...]
    events: tuple[EventInfo, ...]
    series: SeriesSettings = SeriesSettings()

    def event(self, event_id: str) -> EventInfo | None:
        return self._events_by_id.get(event_id)

    @functools.cached_property
    def _events_by_id(self) -> dict[str, EventInfo]:
        """Sessions by id, made once: handling looks several up for every message."""
        by_id: dict[str, EventInfo] = {}
        for e in self.events:
            by_id.setdefault(e.id, e)  # the first of a repeated id, as a scan finds it
        return by_id


def default_config_path() -> Path:
    return Path(os.environ.get("MAILFLOW_CONFIG") or "config.toml")


def load_settings(path: Path, environ: Mapping[str, str] | None = None, *,
                  secrets: bool = True) -> Settings:
    """Load and validate a config file. Raises ConfigError with one clear sentence.

    With secrets=False (commands that touch neither IMAP nor SMTP) passwords are not read.
    """
    env = os.environ if environ is None else environ
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the configuration file ({exc.strerror}).") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}.") from exc
    return settings_from_dict(data, path, env, secrets=secrets)


def settings_from_dict(data: Mapping[str, Any], path: Path, env: Mapping[str, str], *,
                       secrets: bool = True) -> Settings:
    check_keys(data, path)
    r = _Reader(path, env, secrets)
    coordinator = r.coordinator(r.table(data, "coordinator"))
    tz = coordinator.timezone
    members = read_members(r, data.get("members", []))
    events = read_events(r, data.get("events", []), tz)
    mailbox = r.mailbox(r.table(data, "mailbox"))
    smtp = r.smtp(r.table(data, "smtp"), mailbox)
    return Settings(
        path=path,
        mailbox=mailbox,
        smtp=smtp,
        series=r.series(data.get("series", {}), smtp, coordinator),
        database_url=r.database(data.get("database", {})),
        coordinator=coordinator,
        policy=r.policy(data.get("policy", {})),
        worker=r.worker(data.get("worker", {})),
        members=members,
        events=events,
    )


class _Reader:
    """Validating accessors that turn every mistake into a ConfigError naming the key."""

    def __init__(self, path: Path, env: Mapping[str, str], secrets: bool) -> None:
        self.path = path
        self.env = env
        self.secrets = secrets

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}: [{key}] {problem}")

    def table(self, data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        value = data.get(name)
        if not isinstance(value, Mapping):
            raise ConfigError(f"{self.path}: the [{name}] section is missing.")
        return value

    def required(self, table: Mapping[str, Any], section: str, key: str, kind: type) -> Any:
        if key not in table:
            raise self.fail(section, f"{key} is missing.")
        return self._typed(table[key], section, key, kind)

    def optional(self, table: Mapping[str, Any], section: str, key: str, kind: type,
                 default: Any = None) -> Any:
        if key not in table:
            return default
        return self._typed(table[key], section, key, kind)

    def _typed(self, value: Any, section: str, key: str, kind: type) -> Any:
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if kind is int and isinstance(value, bool):
            raise self.fail(section, f"{key} must be a whole number, not {value!r}.")
        if not isinstance(value, kind):
            raise self.fail(section, f"{key} must be a {_kind_name(kind)}, not {value!r}.")
        return value

    def secret(self, table: Mapping[str, Any], section: str, required: bool) -> str:
        name = self.optional(table, section, "password_env", str)
        if not name:
            if required:
                raise self.fail(section, "password_env is missing: name the environment "
                                         "variable that holds the password.")
            return ""
        if "password" in table:
            raise self.fail(section, "password must not be written in the file; set "
                                     "password_env to the name of an environment variable.")
        value = self.env.get(name)
        if not self.secrets:
            return ""
        if value is None:
            raise self.fail(section, f"password_env names ${name}, but that environment "
                                     "variable is not set.")
        return value

    def mailbox(self, t: Mapping[str, Any]) -> MailboxSettings:
        s = "mailbox"
        since = self.optional(t, s, "since", object)
        kind = auth_kind(self, t, s)
        username = self.required(t, s, "username", str)
        return MailboxSettings(
            host=self.required(t, s, "host", str),
            port=self.required(t, s, "port", int),
            ssl=self.optional(t, s, "ssl", bool, False),
            starttls=self.optional(t, s, "starttls", bool, False),
            username=username,
            password=self.secret(t, s, required=True) if kind == "password" else "",
            folder=self.optional(t, s, "folder", str, "INBOX"),
            processed_folder=self.optional(t, s, "processed_folder", str, "Processed"),
            attention_folder=self.optional(t, s, "attention_folder", str, "Needs Attention"),
            since=None if since is None else to_date(self, since, s, "since"),
            first_run_limit=self.optional(t, s, "first_run_limit", int, 50),
            trusted_authserv_id=self.optional(t, s, "trusted_authserv_id", str, ""),
            max_message_bytes=self.optional(t, s, "max_message_bytes", int, 10 * 1024 * 1024),
            oauth=None if kind == "password" else oauth_settings(self, t, s, kind, username),
        )

    def smtp(self, t: Mapping[str, Any], mailbox: MailboxSettings) -> SmtpSettings:
        s = "smtp"
        name, address = self.address(t, s, "from_address", required=True)
        kind = auth_kind(self, t, s, extra=("same-as-mailbox",))
        if kind == "same-as-mailbox":
            if "username" in t or "password_env" in t:
                raise self.fail(s, "username and password_env are not used with auth = "
                                   "\"same-as-mailbox\"; remove them.")
            username, password, oauth = mailbox.username, mailbox.password, mailbox.oauth
        elif kind == "password":
            username = self.optional(t, s, "username", str, "")
            password, oauth = self.secret(t, s, required=False), None
        else:
            username = self.required(t, s, "username", str)
            password, oauth = "", oauth_settings(self, t, s, kind, username)
        return SmtpSettings(
            host=self.required(t, s, "host", str),
            port=self.required(t, s, "port", int),
            ssl=self.optional(t, s, "ssl", bool, False),
            starttls=self.optional(t, s, "starttls", bool, False),
            from_address=address,
            from_name=name,
            username=username,
            password=password,
            oauth=oauth,
        )

    def database(self, t: Mapping[str, Any]) -> str:
        """The database URL; url_env names a variable holding it, when it carries a password
        (a PostgreSQL server), so the password stays out of the file."""
        s = "database"
        name = self.optional(t, s, "url_env", str, "")
        if name and "url" in t:
            raise self.fail(s, "set url or url_env, not both.")
        if not name:
            return str(self.optional(t, s, "url", str, "") or "sqlite:///mailflow.db")
        value = self.env.get(name, "")
        if not value:
            raise self.fail(s, f"url_env names ${name}, but that environment variable is not "
                               "set; set it to the database URL, e.g. "
                               "postgresql+psycopg://mailflow:PASSWORD@db/mailflow.")
        return value

    def address(self, t: Mapping[str, Any], section: str, key: str,
                required: bool = False) -> tuple[str, str]:
        """'Name <address>' or a bare address, parsed once into (name, lower-cased address)."""
        raw = self.required(t, section, key, str) if required else \
            self.optional(t, section, key, str, "")
        if not raw and not required:
            return "", ""
        name, address = email.utils.parseaddr(raw)
        local, at, domain = address.rpartition("@")
        if not at or not local or "." not in domain or " " in address:
            raise self.fail(section, f"{key} must be an email address, written "
                                     f"\"Name <address>\" or as a bare address, not {raw!r}.")
        return name.strip(), address.lower()

    def series(self, t: Any, smtp: SmtpSettings,
               coordinator: CoordinatorSettings) -> SeriesSettings:
        s = "series"
        if not isinstance(t, Mapping):
            raise ConfigError(f"{self.path}: [series] must be a table.")
        name = self.optional(t, s, "name", str, "") or smtp.from_name
        signature = self.optional(t, s, "signature", list, None)
        if signature is None:
            # Without one, letters are signed by the coordinator for the desk.
            signature = [coordinator.name] + ([f"{name} registrations"] if name else [])
        if not all(isinstance(line, str) for line in signature):
            raise self.fail(s, "signature must be a list of lines (strings).")
        _, reply_to = self.address(t, s, "reply_to")
        return SeriesSettings(name=name, signature=tuple(signature), reply_to=reply_to,
                              website=self.optional(t, s, "website", str, ""))

    def coordinator(self, t: Mapping[str, Any]) -> CoordinatorSettings:
        s = "coordinator"
        tz_name = self.optional(t, s, "timezone", str, "Europe/London")
        try:
            tz = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise self.fail(s, f"timezone {tz_name!r} is not a known time zone"
                               f"{_nearest_zones(tz_name)}.") from exc
        raw_time = self.optional(t, s, "digest_time", object, "08:00")
        try:
            digest_time = raw_time if isinstance(raw_time, time) else time.fromisoformat(
                str(raw_time))
        except ValueError as exc:
            raise self.fail(s, f"digest_time must look like \"08:00\", not {raw_time!r}.") from exc
        return CoordinatorSettings(
            name=self.required(t, s, "name", str),
            email=self.required(t, s, "email", str).lower(),
            digest_time=digest_time,
            timezone=tz,
        )

    def policy(self, t: Mapping[str, Any]) -> PolicySettings:
        s = "policy"
        hold = self.optional(t, s, "offer_hold_hours", float, 48.0)
        if hold <= 0:
            raise self.fail(s, "offer_hold_hours must be more than 0.")
        return PolicySettings(
            offer_hold_hours=hold,
            reminder_days_before=self.optional(t, s, "reminder_days_before", int, 2),
            max_auto_replies_per_day=self.optional(t, s, "max_auto_replies_per_day", int, 10),
        )

    def worker(self, t: Mapping[str, Any]) -> WorkerSettings:
        s = "worker"
        seconds = self.optional(t, s, "poll_seconds", float, 60.0)
        if seconds <= 0:
            raise self.fail(s, "poll_seconds must be more than 0.")
        backoff = self.optional(t, s, "auth_backoff_seconds", float, 60.0)
        if backoff <= 0:
            raise self.fail(s, "auth_backoff_seconds must be more than 0.")
        return WorkerSettings(poll_seconds=seconds, idle=self.optional(t, s, "idle", bool, True),
                              auth_backoff_seconds=backoff)


def config_warnings(settings: Settings, now: datetime) -> list[str]:
    """Things that load but are probably not what the coordinator meant (shown, not fatal)."""
    return session_warnings(settings.events, now)


def _kind_name(kind: type) -> str:
    return {str: "string", int: "whole number", float: "number", bool: "true/false",
            list: "list"}.get(kind, kind.__name__)


def _nearest_zones(name: str) -> str:
    """'; did you mean Europe/London?' for 'London': zoneinfo names ending in, or close to, it."""
    import difflib
    from zoneinfo import available_timezones

    zones = sorted(available_timezones())
    wanted = name.strip().replace(" ", "_").lower()
    found = [z for z in zones if z.lower().rsplit("/", 1)[-1] == wanted]
    if not found:
        by_city = {z.lower().rsplit("/", 1)[-1]: z for z in zones}
        found = [by_city[c] for c in difflib.get_close_matches(wanted, list(by_city), 3, 0.75)]
    if not found:
        found = difflib.get_close_matches(name, zones, 3, 0.6)
    return f"; did you mean {' or '.join(found[:3])}?" if found else \
        " (use a zoneinfo name such as Europe/London)"

