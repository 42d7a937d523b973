"""Reading our own outgoing calendar mail back: from the outbox, with a second parser (vobject)."""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import vobject
from sqlalchemy import Engine
from sqlmodel import col, select

from mailflow.store import OutboxRow, unit_of_work


@dataclass(frozen=True)
class Sent:
    """One outbox row, parsed."""

    outcome: str
    kind: str
    msg: EmailMessage
    raw: bytes

    def calendars(self) -> list[tuple[str, bytes]]:
        """(where, data) of each calendar part: "inline" in the alternative or "file"."""
        found = []
        for part in self.msg.walk():
            ctype = part.get_content_type()
            if ctype not in ("text/calendar", "application/ics"):
                continue
            data = part.get_payload(decode=True)
            assert isinstance(data, bytes)
            found.append(("file" if part.get_content_disposition() == "attachment"
                          else "inline", data))
        return found


def outbox(engine: Engine, recipient: str | None = None) -> list[Sent]:
    with unit_of_work(engine) as uow:
        query = select(OutboxRow).order_by(col(OutboxRow.id))
        if recipient is not None:
            query = query.where(OutboxRow.recipient == recipient)
        rows = [(r.outcome, r.kind, r.raw) for r in uow.session.exec(query).all()]
    out = []
    for outcome, kind, raw in rows:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        out.append(Sent(outcome, kind, msg, raw))
    return out


@dataclass(frozen=True)
class Entry:
    """A calendar as vobject reads it: what the checks look at."""

    method: str
    uid: str
    sequence: int
    attendee: str
    rsvp: str
    partstat: str
    organizer: str
    dtstamp: Any
    dtstart: Any
    summary: str
    status: str


def read_entry(data: bytes, organizer: str) -> Entry:
    """Parse with vobject and check what every iMIP REQUEST/CANCEL must carry (RFC 5546)."""
    text = data.decode("utf-8")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n")), "unfolded line"
    cal = vobject.readOne(text)
    children = [c.name for c in cal.getChildren()]
    assert "VTIMEZONE" in children and "VEVENT" in children
    assert children.index("VTIMEZONE") < children.index("VEVENT"), children
    event = cal.vevent
    method = cal.method.value
    assert method in ("REQUEST", "CANCEL")
    assert event.organizer.value.lower() == f"mailto:{organizer}"
    attendee = event.attendee
    params = {k.upper(): v[0] for k, v in attendee.params.items()}
    if method == "REQUEST":
        assert params.get("RSVP") == "TRUE" and params.get("PARTSTAT") == "NEEDS-ACTION"
    assert event.dtstamp.value.tzinfo is not None
    assert event.dtstart.value.tzinfo is not None
    return Entry(method=method, uid=event.uid.value, sequence=int(event.sequence.value),
                 attendee=attendee.value.lower().removeprefix("mailto:"),
                 rsvp=params.get("RSVP", ""), partstat=params.get("PARTSTAT", ""),
                 organizer=event.organizer.value, dtstamp=event.dtstamp.value,
                 dtstart=event.dtstart.value, summary=event.summary.value,
                 status=event.status.value)


def entries(engine: Engine, recipient: str, organizer: str) -> list[tuple[str, Entry]]:
    """(outcome, entry) for every calendar mail to one person, oldest first; the inline part
    and the attached file must agree."""
    found = []
    for sent in outbox(engine, recipient):
        parts = sent.calendars()
        if not parts:
            continue
        assert [w for w, _ in parts][:2] == ["inline", "file"], parts
        inline = read_entry(parts[0][1], organizer)
        assert read_entry(parts[1][1], organizer) == inline
        found.append((sent.outcome, inline))
    return found
