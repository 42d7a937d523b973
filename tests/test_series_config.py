"""The desk is the coordinator's: her [series], her address, and her typos caught by name."""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlmodel import select

from mailflow.app import build_desk
from mailflow.config import KNOWN_KEYS, ConfigError, config_warnings, load_settings
from mailflow.digest import compose_digest, render_digest
from mailflow.outbox import deliver
from mailflow.parse import parse_message
from mailflow.reply import Outgoing
from mailflow.store import OutboxRow, unit_of_work
from mailflow.understanding import understand

import support

ROOT = Path(__file__).resolve().parent.parent
ENV = {support.PASSWORD_ENV: "imap-secret"}
SERIES = """
[series]
name = "Harbour Lectures"
signature = ["Ada Quist", "Harbour Lectures desk"]
reply_to = "ada.quist@lupc.example"
website = "https://harbour.example/lectures"
"""


def config(tmp_path: Path, *, extra: str = "", from_address: str = support.FROM,
           events: str | None = None) -> Path:
    rig = support.write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                               password="p", smtp_port=1, db_url=f"sqlite:///{tmp_path}/m.db",
                               extra=extra, events=events)
    text = rig.path.read_text(encoding="utf-8").replace(
        f'from_address = "{support.FROM}"', f'from_address = "{from_address}"')
    rig.path.write_text(text, encoding="utf-8")
    return rig.path


def error_for(path: Path, old: str, new: str) -> str:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, ENV)
    return str(caught.value)


def parsed(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


# ---- misspelled keys ----------------------------------------------------------------------
@pytest.mark.parametrize(("old", "new", "section", "wrong", "right"), [
    ("keywords = [", "keyword = [", '[events "construction"]', "keyword", "keywords"),
    ("offer_hold_hours = 48", "offer_hold_hour = 48", "[policy]", "offer_hold_hour",
     "offer_hold_hours"),
    ('capacity = 15', 'capacity = 15\njoin_ur1 = "https://meet.example/x"',
     '[events "construction"]', "join_ur1", "join_url"),
    ("[policy]", "[polcy]", "", "polcy", "policy"),
    ('folder = "INBOX"', 'foldr = "INBOX"', "[mailbox]", "foldr", "folder"),
])
def test_a_misspelled_key_stops_the_load_naming_the_nearest_valid_one(
        tmp_path: Path, old: str, new: str, section: str, wrong: str, right: str) -> None:
    message = error_for(config(tmp_path), old, new)
    assert str(tmp_path / "config.toml") in message
    assert section in message and f"`{wrong}`" in message
    assert f"did you mean `{right}`?" in message


def test_a_key_like_nothing_lists_the_valid_keys(tmp_path: Path) -> None:
    message = error_for(config(tmp_path), "[policy]", "[policy]\nzzz = 1")
    assert "unknown key `zzz`" in message and "offer_hold_hours" in message


def test_the_key_table_knows_the_keys_other_work_adds() -> None:
    assert "number" in KNOWN_KEYS["events"]
    for section in ("mailbox", "smtp"):
        assert {"auth", "tenant", "client_id", "client_secret_env", "key_file_env",
                "token_cache"} <= set(KNOWN_KEYS[section])


def test_a_password_written_in_smtp_is_refused_even_without_password_env(
        tmp_path: Path) -> None:
    message = error_for(config(tmp_path), f'from_address = "{support.FROM}"',
                        f'from_address = "{support.FROM}"\npassword = "hunter2"')
    assert "[smtp] password must not be written" in message and "hunter2" not in message


# ---- impossible sessions ------------------------------------------------------------------
def test_capacity_below_one_is_refused(tmp_path: Path) -> None:
    message = error_for(config(tmp_path), "capacity = 15", "capacity = 0")
    assert '[events "construction"] capacity must be at least 1, not 0' in message


def test_a_deadline_after_the_start_is_refused(tmp_path: Path) -> None:
    path = config(tmp_path)
    start = load_settings(path, ENV).events[0].starts.date()
    message = error_for(path, "registration_deadline = ",
                        f"registration_deadline = {start + timedelta(days=3)}\n#")
    assert "registration_deadline" in message and "after the session starts" in message


def test_an_end_before_the_start_is_refused(tmp_path: Path) -> None:
    message = error_for(config(tmp_path), "T11:30:00", "T09:30:00")
    assert '[events "construction"] ends' in message and "must be after starts" in message


# ---- warnings (loads, but probably not meant) --------------------------------------------
def test_duplicate_keywords_and_past_sessions_are_warnings_not_errors(tmp_path: Path) -> None:
    events = """
[[events]]
id = "old"
title = "An old session"
starts = 2020-03-04T10:00:00
ends = 2020-03-04T11:00:00
capacity = 10
registration_deadline = 2020-03-01
keywords = ["evidence"]

[[events]]
id = "new"
title = "A new session"
starts = 2099-03-04T10:00:00
ends = 2099-03-04T11:00:00
capacity = 10
registration_deadline = 2099-03-01
keywords = ["Evidence", "skills"]
"""
    settings = load_settings(config(tmp_path, events=events), ENV)
    warnings = config_warnings(settings, datetime(2026, 1, 1, tzinfo=UTC))
    assert any("'evidence'" in w and "old, new" in w for w in warnings)
    assert any("'old' ended on 2020-03-04" in w for w in warnings)
    assert not any("'new'" in w and "ended" in w for w in warnings)


# ---- from_address "Name <address>" --------------------------------------------------------
def test_from_address_with_a_display_name_is_parsed_once(tmp_path: Path) -> None:
    settings = load_settings(config(tmp_path, from_address="Harbour Lectures "
                                    "<Registrations@LUPC.example>"), ENV)
    assert settings.smtp.from_address == "registrations@lupc.example"
    assert settings.smtp.from_name == "Harbour Lectures"
    assert settings.series.name == "Harbour Lectures"  # the default for [series] name


def test_a_from_address_that_is_no_address_is_refused(tmp_path: Path) -> None:
    message = error_for(config(tmp_path), f'from_address = "{support.FROM}"',
                        'from_address = "Harbour Lectures"')
    assert "[smtp] from_address must be an email address" in message


def test_the_desk_ignores_its_own_mail_when_from_address_carries_a_name(tmp_path: Path) -> None:
    desk = build_desk(load_settings(config(
        tmp_path, from_address="Harbour Lectures <registrations@lupc.example>"), ENV))
    # A copy of the desk's own announcement landed in the mailbox.
    own = support.mail("Harbour Lectures <registrations@lupc.example>", "Construction webinar",
                       "Please register for the construction webinar by replying.")
    result = desk.handle(own)
    assert result.disposition == "ignored"
    with unit_of_work(desk.engine) as uow:
        assert uow.session.exec(select(OutboxRow)).all() == []


def test_the_address_alone_goes_on_message_ids_and_the_envelope(tmp_path: Path) -> None:
    desk = build_desk(load_settings(config(
        tmp_path, from_address="Harbour Lectures <registrations@lupc.example>"), ENV))
    desk.handle(support.mail("Ngozi Okafor <ngozi@camden-council.example>",
                             "Construction", "Please book me onto the construction webinar."))

    class Recorder:
        envelopes: list[str] = []

        def send(self, sender: str, recipient: str, raw: bytes) -> None:
            self.envelopes.append(sender)
            msg = parsed(raw)
            assert str(msg["Message-ID"]).endswith("@lupc.example>")
            assert msg["From"].addresses[0].addr_spec == "registrations@lupc.example"

    recorder = Recorder()
    report = deliver(desk.engine, recorder, desk.settings.smtp.from_address, desk.clock)
    assert report.sent == 1 and recorder.envelopes == ["registrations@lupc.example"]


# ---- [series] everywhere ------------------------------------------------------------------
def reply_to_a_booking(tmp_path: Path) -> tuple[EmailMessage, Outgoing]:
    desk = build_desk(load_settings(config(tmp_path, extra=SERIES), ENV))
    desk.handle(support.mail("Ngozi Okafor <ngozi@camden-council.example>",
                             "Construction", "Please book me onto the construction webinar."))
    with unit_of_work(desk.engine) as uow:
        raw = uow.session.exec(select(OutboxRow)).one().raw
    return parsed(raw), compose_digest(desk, render_digest(desk), desk.clock())


def test_the_series_name_signs_every_letter_and_names_the_calendar(tmp_path: Path) -> None:
    msg, digest = reply_to_a_booking(tmp_path)
    sender = msg["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == ("Suzanne Picken (Harbour Lectures)",
                                                       "registrations@lupc.example")
    assert msg["Reply-To"] == "ada.quist@lupc.example"
    text = msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert text.replace("\r\n", "\n").rstrip().endswith("Ada Quist\nHarbour Lectures desk\n"
                                  "https://harbour.example/lectures")
    html = msg.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "Harbour Lectures desk" in html
    invite = next(p for p in msg.walk() if p.get_content_type() == "text/calendar")
    assert b"PRODID:-//Harbour Lectures//mailflow//EN" in invite.get_payload(decode=True)
    assert parsed(digest.raw)["From"].addresses[0].display_name == \
        "Harbour Lectures registrations"


def test_no_series_words_are_left_in_the_code() -> None:
    shipped = load_settings(ROOT / "config.toml", {"MAILFLOW_IMAP_PASSWORD": "x",
                                                    "MAILFLOW_SMTP_PASSWORD": "y"})
    words = [shipped.series.name, "Knowledge Building", shipped.coordinator.name]
    offenders = [f"{path.relative_to(ROOT)}: {word}"
                 for path in sorted((ROOT / "mailflow").rglob("*.py"))
                 for word in words
                 if word.lower() in path.read_text(encoding="utf-8").lower()
                 and path.name != "demo.py"]
    assert shipped.series.name == "Knowledge Building Series"
    assert offenders == []
    demo = (ROOT / "mailflow" / "demo.py").read_text(encoding="utf-8")
    assert "Knowledge Building" not in demo  # the demo borrows the shipped [series]


def test_no_word_of_the_series_name_is_in_the_code_in_any_spelling() -> None:
    """Not as a phrase, a regex ("knowledge[\\s-]+building") or a stopword list, in any case."""
    shipped = load_settings(ROOT / "config.toml", {}, secrets=False)
    words = {w.lower() for w in re.findall(r"[A-Za-z]+", shipped.series.name)} - {"series"}
    assert words == {"knowledge", "building"}
    offenders = [f"{path.relative_to(ROOT)}: {word}"
                 for path in sorted((ROOT / "mailflow").rglob("*"))
                 if path.is_file() and path.suffix in (".py", ".toml", ".txt", ".j2", ".html")
                 for word in sorted(words)
                 if re.search(rf"\b{word}\b", path.read_text(encoding="utf-8"), re.IGNORECASE)]
    assert offenders == []


@pytest.mark.parametrize("name", ["Knowledge Building Series", "Harbour Lectures"])
def test_a_mail_naming_only_the_configured_series_books_no_session_by_it(name: str) -> None:
    """The series' own name is masked from handle.py's settings: its words name no session."""
    shipped = load_settings(ROOT / "config.toml", {}, secrets=False)
    # A session whose keyword is a word of the series name, as a coordinator might configure.
    word = name.split()[-1 if name.endswith("Lectures") else 1].lower()
    events = tuple(replace(e, keywords=(*e.keywords, word)) if i == 0 else e
                   for i, e in enumerate(shipped.events))
    raw = (f"From: Ann Lee <ann.lee@member.example>\r\nTo: desk@example.org\r\n"
           f"Subject: {name}\r\nMessage-ID: <n1@member.example>\r\n\r\n"
           f"Please register me for the {name} furniture session, thanks.\r\nAnn\r\n").encode()
    mail = parse_message(raw)
    now = datetime(2025, 1, 6, 9, tzinfo=UTC)
    masked = understand(mail, events, now, series_name=name)
    assert (masked.intent.value, masked.event_ids, masked.is_unclear) == \
        ("register", ("furniture-2025",), False), masked
    unmasked = understand(mail, events, now)  # without the mask the word names a second session
    assert unmasked.event_ids != ("furniture-2025",) or unmasked.is_unclear, unmasked
