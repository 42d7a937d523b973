"""A 300-message mailbox, a third automated or hostile, drained by one `mailflow poll`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from test_hostile_pipeline import HOSTILE

from mailflow.store import HandledMessage, unit_of_work

from support import mail, write_config

pytestmark = pytest.mark.integration

CORPUS = Path(__file__).parent / "corpus" / "hygiene"
HUMAN = re.compile(r"human|thunderbird|apple_mail|gmail_human")
DOMAINS = ["camden-council.example", "westbury.ac.example", "kingsgate-college.example",
           "riverside-housing.example", "elsewhere.example"]
BODIES = [
    ("Food", "Please register me for the food webinar."),
    ("Construction", "Could you book me a place on the construction webinar please?"),
    ("Both", "I'd like to attend both the construction and the food webinars."),
    ("Cancel", "Please cancel my place on the food webinar."),
    ("Slides", "Hello, will the slides be shared after the webinars?"),
    ("Thanks", "Thanks!"),
]


def automated(copy: int) -> list[tuple[str, bytes]]:
    """Every automated corpus message, with a Message-ID of its own for this copy."""
    out = []
    for path in sorted(CORPUS.glob("*.eml")):
        if HUMAN.search(path.stem):
            continue
        raw = re.sub(rb"(?i)lupc\.ac\.uk", b"lupc.example", path.read_bytes())
        match = re.search(rb"(?im)^message-id:[ \t]*<([^>]+)>", raw)
        assert match is not None, path.name
        old = match.group(1).decode()
        # A looped copy of our own mail keeps looking like ours.
        new = (f"mailflow.drain{copy}x{old[9:]}" if old.startswith("mailflow.")
               else f"drain{copy}.{old}")
        raw = raw[:match.start(1)] + new.encode() + raw[match.end(1):]
        out.append((f"<{new}>", raw))
    return out


def hostile(copy: int) -> list[bytes]:
    # Ids of their own; a header of its own keeps a synthetic Message-ID unique too.
    return [f"X-Drain: {copy}-{n}\r\n".encode() + raw.replace(b"@x>", f"@x{copy}>".encode())
            for n, raw in enumerate(HOSTILE.values()) if raw]


def test_three_hundred_mixed_messages_drain_in_one_poll(
    tmp_path: Path, imap_user: Any, smtp_sink: Any
) -> None:
    rig = write_config(tmp_path, imap_host=imap_user.host, imap_port=imap_user.port,
                       username=imap_user.username, password=imap_user.password,
                       smtp_port=smtp_sink.port, db_url=f"sqlite:///{tmp_path}/m.db",
                       extra_mailbox="first_run_limit = 1000")
    messages: list[bytes] = []
    machine_ids: set[str] = set()
    copy = 0
    while len(messages) < 100:
        for message_id, raw in automated(copy):
            machine_ids.add(message_id)
            messages.append(raw)
        messages.extend(hostile(copy))
        copy += 1
    for n in range(300 - len(messages)):
        subject, body = BODIES[n % len(BODIES)]
        messages.append(mail(f"Person {n} <p{n}@{DOMAINS[n % len(DOMAINS)]}>", subject, body,
                             message_id=f"<genuine{n}@drain.example>"))
    assert len(messages) == 300
    with imap_user.client() as client:
        for raw in messages:
            client.append("INBOX", raw)

    result = rig.cli("poll", timeout=120)

    assert result.returncode == 0, result.stderr[-2000:]
    print(result.stdout.strip())
    with imap_user.client() as client:
        client.select_folder("INBOX", readonly=True)
        assert client.search(["ALL"]) == []
        filed = {}
        for folder in ("Processed", "Needs Attention"):
            client.select_folder(folder, readonly=True)
            filed[folder] = len(client.search(["ALL"]))
    assert sum(filed.values()) == 300

    desk = rig.desk()
    with unit_of_work(desk.engine) as uow:
        rows = uow.session.exec(select(HandledMessage)).all()
        assert len(rows) == len({r.message_id for r in rows}) == 300
        assert {r.disposition for r in rows} <= {"handled", "ignored", "bounce", "attention"}, [
            (r.message_id, r.disposition, r.reason) for r in rows if r.disposition == "error"]
        flagged = sum(1 for r in rows if r.needs_attention)
        by_id = {r.message_id: r for r in rows}
        uow.session.expunge_all()  # rows stay readable after the session closes
    assert machine_ids <= by_id.keys()
    assert {by_id[i].disposition for i in machine_ids} <= {"ignored", "bounce"}, [
        (i, by_id[i].reason, by_id[i].outcome) for i in machine_ids
        if by_id[i].disposition not in ("ignored", "bounce")]
    assert filed["Needs Attention"] == flagged
    status = json.loads(rig.cli("status", "--json").stdout)
    assert status["needs_attention"] == flagged

    # Zero replies to automated mail: nothing answers one, nothing goes to one's sender.
    machine_senders = {by_id[i].sender for i in machine_ids} - {""}
    sent = smtp_sink.parsed()
    assert sent, "genuine requests were answered"
    for reply in sent:
        assert reply["In-Reply-To"] not in machine_ids
        assert not machine_senders & {a.addr_spec.lower() for a in reply["To"].addresses}
    # ...and every reply answers a genuine or hostile message that was handled.
    assert {r["In-Reply-To"] for r in sent if r["In-Reply-To"]} <= by_id.keys()
