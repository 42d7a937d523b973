"""Every part of every kind of mail mailflow sends keeps the RFC line limits and MIME hygiene."""

from __future__ import annotations

import email
import email.policy
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mailflow.decide import Decision
from mailflow.digest import compose_digest, render_digest
from mailflow.parse import parse_message
from mailflow.reply import Outgoing
from mailflow.seats import Notice

from calendar_checks import read_entry
from support import FROM, Rig, mail, write_config

# Words long enough that any line not wrapped by its encoding shows up.
LONG = ("Please note this registration concerns a long and winding request about the "
        "construction webinar, which my whole department — Planning, Building Control, "
        "Environmental Health — would like to attend together, ") * 4


@pytest.fixture
def rig(tmp_path: Path) -> Rig:
    return write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                        password="p", smtp_port=1, db_url=f"sqlite:///{tmp_path}/m.db",
                        extra='reminder_days_before = 2')


def every_kind(rig: Rig) -> list[Outgoing]:
    desk = rig.desk()
    composer, now = desk.composer, datetime.now(UTC)
    member = "ngozi.okafor@camden-council.example"
    request = parse_message(mail(f"Ngozi Okafor-Åström <{member}>",
                                 "Ré: " + LONG[:240], LONG,
                                 message_id="<" + "x" * 200 + "@outlook.example>"))
    calendar = {"confirmed", "reminder", "cancelled", "updated", "session-cancelled",
                "substituted"}
    out: list[Outgoing] = []
    for path in sorted((Path(__file__).parent.parent / "templates" / "outcome").glob("*.txt.j2")):
        outcome = path.name.removesuffix(".txt.j2")
        event = "" if outcome in ("unclear", "not-eligible", "rate-limited") else "construction"
        n = Notice(outcome, event, member, "Ngozi Okafor-Åström", position=3,
                   offer_expires=now + timedelta(hours=48), other="tom@camden-council.example",
                   other_name="Tom", role="received" if outcome == "substituted" else "",
                   sequence=4 if outcome in calendar else None,
                   changes=("starts", "join_url") if outcome == "updated" else ())
        out.append(composer.notice(n, now))
        reply = composer.reply(request, Decision(reply=(n,)), now)
        assert reply is not None
        out.append(reply)
    # The digest, with an attention item quoting the long message.
    desk.handle(mail(f"Ngozi <{member}>", "A question", LONG + " What time does it end?"))
    out.append(compose_digest(desk, render_digest(desk), now))
    return out


def test_every_outgoing_part_keeps_rfc_line_limits(rig: Rig) -> None:
    sent = every_kind(rig)
    kinds = {m.kind for m in sent}
    assert {"reply", "notice", "offer", "reminder", "update", "digest"} <= kinds
    assert sum(b"text/calendar" in m.raw for m in sent) >= 12
    for out in sent:
        raw = out.raw
        assert b"\n" not in raw.replace(b"\r\n", b""), f"{out.outcome}: bare LF"
        # RFC 5322 2.1.1: no line over 998 octets, anywhere.
        assert max(len(x) for x in raw.split(b"\r\n")) <= 998, out.outcome
        head = raw.partition(b"\r\n\r\n")[0].decode("ascii")
        subject = head[head.index("\r\nSubject:") + 2:].split("\r\n")
        subject = subject[:1] + [x for x in itertools.takewhile(
            lambda x: x[:1] in (" ", "\t"), subject[1:])]
        assert all(len(x) <= 78 for x in subject), subject  # SHOULD, and folding is safe there
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        assert msg["X-Auto-Response-Suppress"] == "OOF, NRN, AutoReply, RN"
        assert msg["MIME-Version"] == "1.0"
        assert msg.defects == []
        for part in msg.walk():
            if part is not msg:
                assert "MIME-Version" not in part, (out.outcome, part.get_content_type())
            if part.is_multipart():
                continue
            cte = str(part.get("Content-Transfer-Encoding", "7bit")).lower()
            body = part.as_bytes(policy=email.policy.SMTP).partition(b"\r\n\r\n")[2]
            limit = 76 if cte in ("quoted-printable", "base64") else 998
            longest = max((len(x) for x in body.split(b"\r\n")), default=0)
            assert longest <= limit, (out.kind, out.outcome, part.get_content_type(), cte,
                                      longest)
            assert part.defects == []
            if part.get_content_type() in ("text/calendar", "application/ics"):
                data = part.get_payload(decode=True)
                assert isinstance(data, bytes)
                read_entry(data, FROM)  # vobject reads it, with what iMIP requires


def test_a_long_subject_is_folded_without_touching_the_msg_ids(rig: Rig) -> None:
    sent = [m for m in every_kind(rig) if m.kind == "reply"]
    raw = sent[0].raw
    head = raw.partition(b"\r\n\r\n")[0].decode()
    subject = head[head.index("\r\nSubject:") + 2:].split("\r\n")
    assert len(subject) > 1 and subject[1].startswith(" ")  # folded over several lines
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert str(msg["Subject"]).startswith("Re: Ré: Please note")
    assert msg["In-Reply-To"] == "<" + "x" * 200 + "@outlook.example>"  # one unbroken line
    assert f"\r\nIn-Reply-To: <{'x' * 200}@outlook.example>\r\n" in head
