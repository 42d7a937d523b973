"""Configuration: the shipped file loads, and every mistake is one clear line naming the key."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailflow.config import ConfigError, load_settings

ROOT = Path(__file__).resolve().parent.parent
ENV = {"MAILFLOW_IMAP_PASSWORD": "imap-secret", "MAILFLOW_SMTP_PASSWORD": "smtp-secret"}
LONDON = ZoneInfo("Europe/London")


def shipped() -> str:
    return (ROOT / "config.toml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str, env: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), ENV if env is None else env)
    return str(caught.value)


def test_shipped_config_holds_the_2025_series() -> None:
    settings = load_settings(ROOT / "config.toml", ENV)
    assert [e.id for e in settings.events] == [
        "construction-2025", "logistics-2025", "evidence-skills-may-2025", "food-2025",
        "textiles-2025", "evidence-skills-oct-2025", "furniture-2025"]
    assert all(e.capacity == 15 for e in settings.events)
    first = settings.events[0]
    assert first.starts == datetime(2025, 1, 29, 10, 0, tzinfo=LONDON)
    assert (first.ends - first.starts).total_seconds() == 90 * 60
    # "Register by 21 January" closes at the end of that day, London time.
    assert first.registration_closes == datetime(2025, 1, 22, 0, 0, tzinfo=LONDON)
    assert [e.ordinal for e in settings.events] == [1, 2, 3, 4, 5, 6, 7]
    assert settings.mailbox.password == "imap-secret"
    assert settings.smtp.password == "smtp-secret"
    assert "secret" not in repr(settings.mailbox)


def test_missing_key_names_the_file_section_and_key(tmp_path: Path) -> None:
    message = error_for(tmp_path, shipped().replace('host = "imap.example.org"\n', ""))
    assert "config.toml" in message and "[mailbox]" in message and "host is missing" in message


def test_bad_date_is_reported_with_the_event(tmp_path: Path) -> None:
    message = error_for(tmp_path, shipped().replace("registration_deadline = 2025-01-21",
                                                    'registration_deadline = "21st Jan"'))
    assert 'events "construction-2025"' in message and "registration_deadline" in message


def test_unknown_membership_is_refused(tmp_path: Path) -> None:
    message = error_for(tmp_path, shipped().replace('membership = "associate"',
                                                    'membership = "partner"'))
    assert "membership" in message and "partner" in message


def test_duplicate_event_id_is_refused(tmp_path: Path) -> None:
    message = error_for(tmp_path, shipped().replace('id = "logistics-2025"',
                                                    'id = "construction-2025"'))
    assert "construction-2025" in message and "two events" in message


def test_unset_password_variable_is_named(tmp_path: Path) -> None:
    message = error_for(tmp_path, shipped(), env={"MAILFLOW_SMTP_PASSWORD": "x"})
    assert "MAILFLOW_IMAP_PASSWORD" in message and "not set" in message


def test_password_written_in_the_file_is_refused(tmp_path: Path) -> None:
    message = error_for(tmp_path, shipped().replace('password_env = "MAILFLOW_IMAP_PASSWORD"',
                                                    'password_env = "MAILFLOW_IMAP_PASSWORD"\n'
                                                    'password = "hunter2"'))
    assert "must not be written" in message


def test_commands_without_mail_do_not_need_passwords() -> None:
    settings = load_settings(ROOT / "config.toml", {}, secrets=False)
    assert settings.mailbox.password == ""


def test_broken_config_stops_the_cli_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, shipped().replace("capacity = 15", "capacity = \"fifteen\"", 1))
    result = subprocess.run([sys.executable, "-c", "from mailflow.cli import main; main()",
                             "--config", str(path), "status"],
                            capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"},
                            timeout=60)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "capacity must be a whole number" in lines[0]


def test_shipped_config_numbers_the_sessions_as_the_announcement_does() -> None:
    settings = load_settings(ROOT / "config.toml", ENV)
    assert [e.number for e in settings.events] == [1, 2, 3, 4, 5, 6, 7]


def test_event_number_must_be_a_whole_number_from_one(tmp_path: Path) -> None:
    message = error_for(tmp_path, shipped().replace("number = 2\n", "number = 0\n"))
    assert 'events "logistics-2025"' in message and "number" in message
    message = error_for(tmp_path, shipped().replace("number = 2\n", 'number = "two"\n'))
    assert "number must be a whole number" in message


def test_event_number_is_optional(tmp_path: Path) -> None:
    text = "\n".join(line for line in shipped().split("\n") if not line.startswith("number ="))
    assert all(e.number == 0 for e in load_settings(write(tmp_path, text), ENV).events)


def test_an_unknown_time_zone_suggests_the_nearest_zoneinfo_names(tmp_path: Path) -> None:
    text = shipped().replace('timezone = "Europe/London"', 'timezone = "London"', 1)
    said = error_for(tmp_path, text)
    assert "timezone 'London' is not a known time zone; did you mean Europe/London?" in said
