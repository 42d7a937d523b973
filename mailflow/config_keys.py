"""The configuration's keys, section by section: one table, and the check for misspelt keys."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mailflow.config_auth import OAUTH_KEYS


class ConfigError(Exception):
    """A configuration problem, phrased for the person who edits config.toml."""


# Every key the file may hold, section by section: the one place to add a key (then read it in
# config._Reader). A key not listed here is a typo and stops the load with the nearest valid one.
# "members" and "events" are arrays of tables: the keys are those of each entry.
_PASSWORD_KEYS = ("username", "password_env")
KNOWN_KEYS: dict[str, tuple[str, ...]] = {
    "": ("series", "mailbox", "smtp", "database", "coordinator", "policy", "worker",
         "members", "events"),
    "series": ("name", "signature", "reply_to", "website"),
    "mailbox": ("host", "port", "ssl", "starttls", *_PASSWORD_KEYS, "folder",
                "processed_folder", "attention_folder", "since", "first_run_limit",
                "trusted_authserv_id", "max_message_bytes", *OAUTH_KEYS),
    "smtp": ("host", "port", "ssl", "starttls", *_PASSWORD_KEYS, "from_address",
             *OAUTH_KEYS),
    "database": ("url", "url_env"),
    "coordinator": ("name", "email", "digest_time", "timezone"),
    "policy": ("offer_hold_hours", "reminder_days_before", "max_auto_replies_per_day"),
    "worker": ("poll_seconds", "idle", "auth_backoff_seconds"),
    "members": ("name", "domains", "membership"),
    "events": ("id", "number", "title", "format", "starts", "ends", "capacity",
               "registration_deadline", "keywords", "join_url", "joining_instructions"),
}
# Keys that are known but must never be written, with what to do instead.
FORBIDDEN_KEYS: dict[str, str] = {
    "password": "password must not be written in the file; set password_env to the name of "
                "an environment variable.",
}


def check_keys(data: Mapping[str, Any], path: Path) -> None:
    """Reject a key the schema does not know, naming the nearest valid one."""
    def check(table: Mapping[str, Any], section: str, where: str) -> None:
        known = KNOWN_KEYS[section]
        for key in table:
            if key in FORBIDDEN_KEYS and section in ("mailbox", "smtp"):
                raise ConfigError(f"{path}: [{where}] {FORBIDDEN_KEYS[key]}")
            if key in known:
                continue
            near = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f" did you mean `{near[0]}`?" if near else \
                f" Valid keys here: {', '.join(known)}."
            label = f"[{where}] " if where else ""
            kind = "section" if not section else "key"
            raise ConfigError(f"{path}: {label}unknown {kind} `{key}`;{hint}")

    check(data, "", "")
    for section in KNOWN_KEYS:
        value = data.get(section) if section else None
        if isinstance(value, Mapping):
            check(value, section, section)
        elif isinstance(value, list):
            for i, row in enumerate(value, start=1):
                if isinstance(row, Mapping):
                    name = row.get("id") or row.get("name")
                    check(row, section, f"{section} \"{name}\"" if isinstance(name, str)
                          else f"{section} #{i}")
