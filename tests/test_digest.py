"""The coordinator's digest: its content, once a day across restarts, and a DST-proof schedule."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from mailflow.coordinator import change_seat
from mailflow.digest import queue_digest, render_digest
from mailflow.handle import Desk
from mailflow.store import AuditEntry, OutboxRow, PersonRow, unit_of_work
from mailflow.worker_jobs import digest_trigger

from support import Rig, future_series, mail, write_config

LONDON = ZoneInfo("Europe/London")
CAMDEN = "camden-council.example"
START = datetime(2027, 1, 6, 8, 0, tzinfo=LONDON)  # a Wednesday morning


def make_rig(tmp_path: Path, smtp_port: int = 1, capacity: int = 2,
             hold_hours: float = 24) -> Rig:
    made = write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                        password="p", smtp_port=smtp_port,
                        db_url=f"sqlite:///{tmp_path}/m.db",
                        events=future_series(capacity, now=START.astimezone(UTC)))
    made.path.write_text(made.path.read_text().replace(
        "offer_hold_hours = 48", f"offer_hold_hours = {hold_hours:g}"))
    return made


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def register(desk: Desk, who: str, uid: int, body: str = "Please register me for the "
             "construction webinar.", subject: str = "Construction webinar") -> bytes:
    raw = mail(f"{who.title()} Example <{who}@{CAMDEN}>", subject, body)
    desk.handle(raw, 1, uid)
    return raw


@pytest.fixture
def busy(tmp_path: Path) -> tuple[Desk, Clock]:
    """A day with registrations, a waiting list, an offer, a question, a bounce, an overbooking."""
    clock = Clock(START - timedelta(hours=20))
    desk = make_rig(tmp_path).desk(clock=clock)
    register(desk, "alice", 1)
    register(desk, "bob", 2)
    register(desk, "carol", 3)  # waitlisted: capacity 2
    register(desk, "dan", 4, "Hello, will the slides from the webinar be shared afterwards?")
    change_seat(desk, "remove", f"alice@{CAMDEN}", "construction",
                command="mailflow remove alice construction")  # carol is offered the place
    change_seat(desk, "add", f"erin@{CAMDEN}", "food", command="mailflow add erin food")
    change_seat(desk, "add", f"frank@{CAMDEN}", "construction", force=True,
                command="mailflow add frank construction --force")  # overbooked
    with unit_of_work(desk.engine) as uow:  # what a bounce of our mail to bob records
        bob = uow.session.get(PersonRow, f"bob@{CAMDEN}")
        assert bob is not None
        bob.hard_bounces, bob.last_bounce, bob.last_bounce_at = 1, "5.1.1 user unknown", clock()
        uow.session.add(bob)
        uow.audit(AuditEntry(at=clock(), email=f"bob@{CAMDEN}", action="bounced",
                             actor="mail", cause="<dsn@mx.example>",
                             detail="5.1.1 user unknown"))
        uow.commit()
    clock.at = START
    return desk, clock


def test_digest_puts_what_needs_her_first_with_the_commands(busy: tuple[Desk, Clock]) -> None:
    desk, _ = busy
    digest = render_digest(desk)
    text = digest.text
    needs, rest = text.split("Sessions", 1)
    with unit_of_work(desk.engine) as uow:
        question_id = uow.attention()[0].id
    # The question, why it is here, what they said, and how to close it.
    assert f"[{question_id}] dan@{CAMDEN}" in needs
    assert "asks a question" in needs
    assert "will the slides from the webinar be shared afterwards?" in needs
    assert f'mailflow resolve {question_id} --note "…"' in needs
    # The bounce, with the places that address holds.
    assert f"Mail to bob@{CAMDEN} bounced" in needs and "5.1.1 user unknown" in needs
    assert f"mailflow remove bob@{CAMDEN} construction" in needs
    # The overbooking, with the latest booking to take off.
    assert "The Construction Industry (including materials) is overbooked" in needs
    assert f"mailflow remove frank@{CAMDEN} construction" in needs
    # Carol's offer lapses within a day (24-hour hold, made 20 hours ago).
    assert f"carol@{CAMDEN}'s offer" in needs and f"mailflow add carol@{CAMDEN} construction" \
        in needs
    assert needs.count("\n1. ") == 1 and "4. " in needs and "5. " not in needs

    sessions, changes = rest.split("Since yesterday", 1)
    assert "2/2 confirmed + 1 offered (OVERBOOKED), 0 waiting, registration open until" \
        in sessions
    assert f"offer out: carol@{CAMDEN} until" in sessions
    assert "1/2 confirmed, 0 waiting" in sessions  # food: erin
    assert f"registered: alice@{CAMDEN}, bob@{CAMDEN}" in changes
    assert f"joined the waiting list: carol@{CAMDEN}" in changes
    assert f"removed by you: alice@{CAMDEN}" in changes
    assert f"offered a place: carol@{CAMDEN}" in changes
    assert f"added by you: frank@{CAMDEN}" in changes
    assert f"added by you: erin@{CAMDEN}" in changes
    assert digest.subject == "Registrations digest, Wednesday 6 January 2027: 4 things for you"
    assert "<code" in digest.html and "OVERBOOKED".lower() in digest.html.lower()


def test_digest_goes_once_a_day_and_reports_changes_since_the_last(
        busy: tuple[Desk, Clock]) -> None:
    desk, clock = busy
    first = queue_digest(desk)
    assert first is not None
    assert queue_digest(desk) is None  # same day: nothing more
    clock.at += timedelta(hours=3)
    assert queue_digest(desk) is None  # still the same day (as a restarted worker would see)
    msg = email.message_from_bytes(first.raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg["To"].addresses[0].addr_spec == "suzanne.picken@lupc.example"
    assert msg["X-Mailflow-Outcome"] == "digest"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg.get_body(preferencelist=("html",)) is not None
    with unit_of_work(desk.engine) as uow:
        assert uow.get_setting("digest.last_date") == "2027-01-06"
        rows = uow.session.exec(select(OutboxRow).where(OutboxRow.kind == "digest")).all()
        assert len(rows) == 1

    clock.at = START + timedelta(days=1)
    # (A subject naming another session than the body would make the desk ask.)
    register(desk, "gina", 10, "Please register me for the food webinar.", "Food webinar")
    second = render_digest(desk)
    changes = second.text.split("Since the last digest", 1)[1]
    assert f"registered: gina@{CAMDEN}" in changes
    assert "alice" not in changes  # reported yesterday
    assert queue_digest(desk) is not None


def test_a_quiet_day_still_gets_a_short_digest(tmp_path: Path) -> None:
    desk = make_rig(tmp_path).desk(clock=Clock(START))
    digest = render_digest(desk)
    assert "A quiet day: nothing needs you" in digest.text
    assert digest.subject.endswith("nothing needs you")
    assert len(digest.text.splitlines()) < 15


def test_digest_command_prints_and_sends(tmp_path: Path, smtp_sink: Any) -> None:
    rig = make_rig(tmp_path, smtp_port=smtp_sink.port)
    shown = rig.cli("digest")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("Hello Suzanne,")
    sent = rig.cli("digest", "--send")
    assert sent.returncode == 0, sent.stderr
    assert "Digest sent to suzanne.picken@lupc.example" in sent.stdout
    (msg,) = smtp_sink.parsed()
    assert msg["X-Mailflow-Outcome"] == "digest"
    assert msg["Subject"].startswith("Registrations digest")


@pytest.mark.parametrize("first_day", ["2027-03-25", "2027-10-28"])
def test_digest_fires_at_eight_local_across_the_clock_change(tmp_path: Path,
                                                             first_day: str) -> None:
    trigger = digest_trigger(make_rig(tmp_path).settings())
    fire: datetime | None = datetime.fromisoformat(first_day).replace(hour=12, tzinfo=LONDON)
    local, utc = [], []
    next_time: Callable[..., datetime | None] = trigger.get_next_fire_time
    for _ in range(6):  # Friday to Wednesday, over the last Sunday of the month
        fire = next_time(fire, fire + timedelta(seconds=1))  # type: ignore[operator]
        assert fire is not None
        local.append(fire.astimezone(LONDON).strftime("%a %H:%M"))
        utc.append(fire.astimezone(UTC).hour)
    assert [t.split()[1] for t in local] == ["08:00"] * 6
    assert local[0].startswith("Fri") and local[-1].startswith("Wed")
    assert utc == ([8, 8, 7, 7, 7, 7] if first_day.startswith("2027-03") else [7, 7, 8, 8, 8, 8])


def test_digest_greets_the_coordinator_by_first_name_not_title(tmp_path: Path) -> None:
    made = make_rig(tmp_path)
    made.path.write_text(made.path.read_text().replace('name = "Suzanne Picken"',
                                                       'name = "Dr Amara Okafor"'))
    digest = render_digest(made.desk(clock=Clock(START)))
    assert digest.text.startswith("Hello Amara,")
