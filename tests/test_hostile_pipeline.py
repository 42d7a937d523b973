"""Hostile input through Desk.handle: bounces, injection, bad MIME and crashes end as outcomes."""

from __future__ import annotations

import base64
import email
import email.policy
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from mailflow.app import build_desk
from mailflow.handle import Desk
from mailflow.parse import parse_message, synthetic_message_id
from mailflow.reply import default_templates_dir
from mailflow.store import (
    HARD_BOUNCES_BEFORE_SILENCE,
    HandledMessage,
    OutboxRow,
    PersonRow,
    PlaceRow,
    UnitOfWork,
    unit_of_work,
)

from support import FROM, mail, write_config

CORPUS = Path(__file__).parent / "corpus" / "hygiene"
NGOZI = "ngozi.okafor@camden-council.example"
DISPOSITIONS = {"handled", "ignored", "bounce", "attention", "error"}
# Headers mailflow writes on outgoing mail; anything else in one would have been injected.
OUR_HEADERS = {"from", "to", "subject", "date", "message-id", "in-reply-to", "references",
               "auto-submitted", "x-auto-response-suppress", "x-mailflow-outcome", "reply-to",
               "mime-version",
               "content-type", "content-transfer-encoding"}


def make_desk(directory: Path, **kw: Any) -> Desk:
    rig = write_config(directory, imap_host="127.0.0.1", imap_port=1, username="u",
                       password="p", smtp_port=1, db_url=f"sqlite:///{directory}/m.db")
    return build_desk(rig.settings(), **kw)


@contextmanager
def reading(desk: Desk) -> Iterator[UnitOfWork]:
    with unit_of_work(desk.engine) as uow:
        yield uow
        uow.session.expunge_all()  # rows stay readable after the session closes


def outbox(desk: Desk) -> list[OutboxRow]:
    with reading(desk) as uow:
        return list(uow.session.exec(select(OutboxRow).order_by(OutboxRow.id)).all())  # type: ignore[arg-type]


def handled(desk: Desk, message_id: str) -> HandledMessage:
    with reading(desk) as uow:
        return uow.session.exec(select(HandledMessage).where(
            HandledMessage.message_id == message_id)).one()


def check_outgoing(row: OutboxRow) -> email.message.EmailMessage:
    """The queued bytes are one well-formed message with only our headers, once each."""
    head = row.raw.split(b"\r\n\r\n", 1)[0]
    assert b"\n" not in head.replace(b"\r\n", b""), "bare LF in the header block"
    msg = email.message_from_bytes(row.raw, policy=email.policy.default)
    names = [k.lower() for k in msg]
    assert set(names) <= OUR_HEADERS, names
    assert len(names) == len(set(names)), names
    assert msg.defects == []
    assert [a.addr_spec for a in msg["To"].addresses] == [row.recipient]
    return msg  # type: ignore[return-value]


# --- bounces of our own replies -----------------------------------------------------------


def readdress(name: str, old_recipient: str, old_id: str, recipient: str, our_id: str,
              bounce_id: str) -> bytes:
    """A corpus bounce re-addressed to one of our replies, with a fresh Message-ID of its own."""
    raw = (CORPUS / name).read_bytes()
    raw = raw.replace(old_recipient.encode(), recipient.encode())
    raw = raw.replace(old_id.encode(), our_id.encode()).replace(b"lupc.ac.uk", b"lupc.example")
    return re.sub(rb"(?im)^message-id:[ \t]*<[^>]+>", b"Message-ID: " + bounce_id.encode(),
                  raw, count=1)


BOUNCES = [
    ("exchange_ndr.eml", "t.old@ucl.ac.uk", "<mailflow.c0ffee01@lupc.ac.uk>"),
    ("postfix_dsn.eml", "r.brown@lse.ac.uk", "<mailflow.5e1f0a@lupc.ac.uk>"),
    ("exim_text_bounce.eml", "k.patel@city.ac.uk", "<mailflow.off3r77@lupc.ac.uk>"),
]


def test_hard_bounces_of_our_replies_silence_the_address(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    desk.handle(mail(NGOZI, "Food", "Please register me for the food webinar."))
    [reply] = outbox(desk)

    for n, (name, old_recipient, old_id) in enumerate(BOUNCES):
        bounce = readdress(name, old_recipient, old_id, NGOZI, reply.message_id,
                           f"<bounce{n}@mx.example>")
        result = desk.handle(bounce)
        assert (result.disposition, result.folder) == ("bounce", "processed"), name
        assert NGOZI in result.reason and "not counted" not in result.reason
        with reading(desk) as uow:
            person = uow.session.get(PersonRow, NGOZI)
            assert person is not None and person.hard_bounces == n + 1
            assert person.last_bounce.startswith("5.")
    assert len(BOUNCES) == HARD_BOUNCES_BEFORE_SILENCE

    # Still handled (seats change), but no more mail goes to an address that bounces.
    result = desk.handle(mail(NGOZI, "Construction", "Please register me for construction."))
    assert result.outcome == "construction=confirmed"
    assert len(outbox(desk)) == 1
    with reading(desk) as uow:
        assert any(e.action == "bounced" for e in uow.history(NGOZI))


def test_a_bounce_of_mail_we_never_sent_counts_against_nobody(tmp_path: Path) -> None:
    # Backscatter of spam that forged our address, or a forged bounce meant to silence a member.
    desk = make_desk(tmp_path)
    desk.handle(mail(NGOZI, "Food", "Please register me for the food webinar."))
    [reply] = outbox(desk)
    forged = [
        readdress("postfix_dsn.eml", "r.brown@lse.ac.uk", "<mailflow.5e1f0a@lupc.ac.uk>",
                  NGOZI, "<mailflow.0000dead@lupc.example>", "<f1@mx.example>"),
        readdress("exchange_ndr.eml", "t.old@ucl.ac.uk", "<mailflow.c0ffee01@lupc.ac.uk>",
                  "tom.reilly@camden-council.example", reply.message_id, "<f2@mx.example>"),
    ]
    for raw in forged:
        result = desk.handle(raw)
        assert result.disposition == "bounce" and "not counted" in result.reason
    with reading(desk) as uow:
        person = uow.session.get(PersonRow, NGOZI)
        assert person is not None and person.hard_bounces == 0
        assert uow.session.get(PersonRow, "tom.reilly@camden-council.example") is None


# --- hostile messages, each a recorded outcome ------------------------------------------------


def test_header_injection_never_reaches_an_outgoing_header(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    subject = base64.b64encode("Food\r\nBcc: victim@example.com\u2028X-A: 1\x85X-B: 2".encode())
    raw = (
        b"From: =?utf-8?Q?Ngozi=0D=0ABcc:_v@evil.example?= <" + NGOZI.encode() + b">\r\n"
        b"Subject: =?utf-8?B?" + subject + b"?=\r\n"
        b"Message-ID: <inj1@camden-council.example>\r\n"
        b"References: <a@b>\r\n\tBcc: victim@example.com\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
        b"Please register me for the food webinar.\r\n"
    )
    result = desk.handle(raw)

    assert result.outcome == "food=confirmed"
    [row] = outbox(desk)
    msg = check_outgoing(row)
    assert msg["Subject"].startswith("Re: Food Bcc: victim@example.com")
    assert b"\r\nBcc:" not in row.raw and b"\r\nX-A:" not in row.raw


def test_member_text_in_replies_is_escaped_and_limited(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    name = "<script>alert(1)</script>" + "A" * 5000
    raw = mail(f'"{name}" <{NGOZI}>', "<b>Food</b> " + "x" * 5000,
               "Please register me for the food webinar.")
    desk.handle(raw)

    [row] = outbox(desk)
    msg = check_outgoing(row)
    assert len(msg["Subject"]) <= 200 and len(msg["To"].addresses[0].display_name) <= 100
    html = msg.get_body(preferencelist=("html",))
    text = msg.get_body(preferencelist=("plain",))
    assert html is not None and text is not None
    assert "<script" not in html.get_content() and "&lt;script&gt;" in html.get_content()
    assert "A" * 100 not in text.get_content() and "A" * 100 not in html.get_content()
    assert len(row.raw) < 40_000


HOSTILE: dict[str, bytes] = {
    "malformed MIME": (
        b"From: p1@camden-council.example\r\nMessage-ID: <h1@x>\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"never\"\r\n\r\n--wrong\r\n"
        b"Content-Type: text/plain; charset=\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"%%%not base64%%%\r\n--never\r\nContent-Type: text/html\r\n\r\n<p>Please <b>register"),
    "unknown charset": (
        b"From: p2@camden-council.example\r\nMessage-ID: <h2@x>\r\n"
        b"Subject: =?x-klingon?Q?Food=FF?=\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\n"
        b"Please register me for the food webinar \xff\xfe\r\n"),
    "missing From": (
        b"Message-ID: <h3@x>\r\nSubject: Food\r\n\r\nPlease register me for food.\r\n"),
    "missing Message-ID": (
        b"From: p4@camden-council.example\r\nSubject: Food\r\n\r\n"
        b"Please register me for food.\r\n"),
    "deep nesting": (
        b"From: p5@camden-council.example\r\nMessage-ID: <h5@x>\r\n"
        b"Content-Type: multipart/mixed; boundary=b0\r\n\r\n"
        + b"".join(f"--b{i}\r\nContent-Type: multipart/mixed; boundary=b{i + 1}\r\n\r\n".encode()
                   for i in range(1500))),
    "100 kB lines": (
        b"From: p6@camden-council.example\r\nMessage-ID: <h6@x>\r\nSubject: " + b"s" * 100_000
        + b"\r\nX-Long: " + b"h" * 100_000 + b"\r\n\r\nPlease register me for food. "
        + b"b" * 100_000 + b"\r\n"),
    "NUL bytes and bare CR": (
        b"From: p7@camden-council.example\x00\rBcc: x@y\r\nMessage-ID: <h7@x>\r\n"
        b"Subject: a\x00b\rc\r\n\r\n\x00\x00Please register me\r for food.\r\n"),
    "8-bit in the address": (
        b"From: p8@camden-council.example\x80\r\nMessage-ID: <h8@x>\r\n\r\n"
        b"Please register me for food.\r\n"),
    "empty": b"",
    "a huge Message-ID": (
        b"From: p9@camden-council.example\r\nMessage-ID: <" + b"i" * 50_000 + b"@x>\r\n\r\nhi"),
}


def test_hostile_messages_each_end_as_a_recorded_outcome(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    for case, raw in HOSTILE.items():
        result = desk.handle(raw)
        assert result.disposition in DISPOSITIONS - {"error"}, (case, result)
        row = handled(desk, result.message_id)
        assert row.disposition == result.disposition, case
        assert len(row.message_id) < 1000, case
    assert handled(desk, synthetic_message_id(HOSTILE["missing Message-ID"])).sender
    no_sender = handled(desk, "<h3@x>")
    assert no_sender.needs_attention and "no usable sender" in no_sender.reason
    for queued in outbox(desk):
        check_outgoing(queued)


def test_a_missing_message_id_is_stable_so_redelivery_is_a_duplicate(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    raw = HOSTILE["missing Message-ID"]
    first, again = desk.handle(raw), desk.handle(raw)
    assert first.message_id == again.message_id == synthetic_message_id(raw)
    assert first.disposition == "handled" and again.disposition == "duplicate"
    assert len(outbox(desk)) == 1


# --- a message whose handling raises -----------------------------------------------------------


def test_a_crash_in_one_message_is_rolled_back_and_the_poll_goes_on(
    tmp_path: Path, imap_user: Any, smtp_sink: Any
) -> None:
    rig = write_config(tmp_path, imap_host=imap_user.host, imap_port=imap_user.port,
                       username=imap_user.username, password=imap_user.password,
                       smtp_port=smtp_sink.port, db_url=f"sqlite:///{tmp_path}/m.db")
    # The coordinator's wording lacks the not-eligible paragraph: composing that reply raises
    # (jinja2 TemplatesNotFound), after the seat book was already read inside the transaction.
    templates = tmp_path / "templates"
    shutil.copytree(default_templates_dir(), templates)
    (templates / "outcome" / "not-eligible.txt.j2").unlink()
    desk = build_desk(rig.settings(), templates_dir=templates)
    imap_user.append("INBOX", mail(NGOZI, "Food", "Please register me for the food webinar."))
    imap_user.append("INBOX", mail("someone@not-a-member.example", "Food",
                                   "Please register me for the food webinar.",
                                   message_id="<broken@not-a-member.example>"))
    imap_user.append("INBOX", mail("tom.reilly@westbury.ac.example", "Food",
                                   "Please book me onto the food webinar."))

    report = rig.poll(desk)

    assert report.dispositions == {"handled": 2, "error": 1}
    assert sorted(m.rcpt_tos[0] for m in smtp_sink.messages) == [
        NGOZI, "tom.reilly@westbury.ac.example"]
    row = handled(desk, "<broken@not-a-member.example>")
    assert row.disposition == "error" and row.needs_attention
    assert "TemplatesNotFound" in row.reason and "not-eligible" in row.evidence
    with reading(desk) as uow:
        assert uow.session.exec(select(func.count()).select_from(PlaceRow)).one() == 2
    with imap_user.client() as client:
        client.select_folder("Needs Attention", readonly=True)
        [uid] = client.search(["ALL"])
        fetched = client.fetch([uid], ["BODY.PEEK[]"])[uid]
        assert b"<broken@not-a-member.example>" in fetched[b"BODY[]"]
        client.select_folder("INBOX", readonly=True)
        assert client.search(["ALL"]) == []


# --- fuzz: generated MIME trees, headers and bytes through the whole pipeline -----------------

SENDERS = [NGOZI, "tom.reilly@westbury.ac.example", "p.kaur@kingsgate-college.example",
           "lee@riverside-housing.example", "stranger@gmail.example", FROM,
           "MAILER-DAEMON@mx.example", "no-reply@zoom.example", "", "not an address", "a@b@c"]
NAMES = ["", "Ngozi", '"Okafor, Ngozi"', "=?utf-8?Q?Evil=0D=0ABcc:_v@x.example?=",
         "=?utf-8?B?PHNjcmlwdD4=?=", "<script>alert(1)</script>", "\u202egnp.exe",
         "=?x-unknown?Q?=FF?=", "A" * 300]
SUBJECTS = ["Food", "Construction webinar", "Re: Your place", "Automatic reply: Food",
            "Undeliverable: Food", "=?utf-8?B?Rm9vZA0KQmNjOiB2QHguZXhhbXBsZQ==?=",
            "Cancel", "x" * 2000, "\u2028Bcc: v@x.example", ""]
BODIES = ["Please register me for the food webinar.",
          "Please cancel my place on the construction webinar.",
          "Yes please, I'd like the place.", "Thanks!", "Will the slides be shared?",
          "Please register me and my colleague Tom Reilly (tom.reilly@westbury.ac.example) "
          "for construction.", "I can't come; please give my place to p.kaur@kingsgate-college"
          ".example", ""]
EXTRA = ["Auto-Submitted: auto-replied", "Precedence: bulk", "List-Id: <l.example>",
         "Return-Path: <>", "X-Autoreply: yes", "In-Reply-To: <mailflow.x@lupc.example>",
         "Authentication-Results: mx.lupc.example; dmarc=fail header.from=x",
         "Content-Transfer-Encoding: base64", "X-Failed-Recipients: a@b.example",
         "Message-ID: <dup@x.example>", "Message-ID: garbage", "From: second@x.example"]
CHARSETS = ["utf-8", "iso-8859-1", "x-unknown", "utf-16", "", '"utf-8']
ENCODINGS = ["7bit", "8bit", "base64", "quoted-printable", "bogus"]


@st.composite
def leaf(draw: st.DrawFn) -> bytes:
    ctype = draw(st.sampled_from(["text/plain", "text/html", "message/rfc822",
                                  "message/delivery-status", "application/octet-stream"]))
    body = draw(st.one_of(st.sampled_from(BODIES).map(str.encode), st.binary(max_size=60),
                          st.sampled_from([b"Final-Recipient: rfc822; x@y\r\nAction: failed\r\n",
                                           b"From: a@b\r\nMessage-ID: <mailflow.q@x>\r\n\r\nhi",
                                           b"<p>Please <b>register</b> me for food</p>"])))
    return (f"Content-Type: {ctype}; charset={draw(st.sampled_from(CHARSETS))}\r\n"
            f"Content-Transfer-Encoding: {draw(st.sampled_from(ENCODINGS))}\r\n\r\n"
            ).encode() + body


def _multipart(parts: list[bytes], subtype: str, closed: bool) -> bytes:
    out = f"Content-Type: multipart/{subtype}; boundary=zz\r\n\r\n".encode()
    for part in parts:
        out += b"--zz\r\n" + part + b"\r\n"
    return out + (b"--zz--\r\n" if closed else b"")


mime_tree = st.recursive(
    leaf(),
    lambda inner: st.builds(_multipart, st.lists(inner, max_size=3),
                            st.sampled_from(["mixed", "alternative", "report"]), st.booleans()),
    max_leaves=4)


@st.composite
def pipeline_message(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=400))
    lines: list[str] = []
    sender = draw(st.sampled_from(SENDERS))
    if draw(st.integers(0, 9)):
        name = draw(st.sampled_from(NAMES))
        lines.append(f"From: {name} <{sender}>" if name else f"From: {sender}")
    lines.append(f"Subject: {draw(st.sampled_from(SUBJECTS))}")
    if draw(st.integers(0, 4)):
        lines.append(f"Message-ID: <f{draw(st.integers(0, 400))}@fuzz.example>")
    lines += draw(st.lists(st.sampled_from(EXTRA), max_size=3))
    head = "\r\n".join(lines).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        head += b"\r\nX-Raw: " + draw(st.binary(max_size=30)).replace(b"\n", b"")
    return head + b"\r\n" + draw(mime_tree)


def test_fuzzed_messages_through_the_pipeline(tmp_path: Path) -> None:
    desk = make_desk(tmp_path)
    # A message is one message by Message-ID, sender and Date: a reused Message-ID on
    # different mail is handled, not dropped as a duplicate.
    ids: set[tuple[object, ...]] = set()
    checked: set[int] = set()
    started = time.perf_counter()

    @settings(max_examples=2000, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(pipeline_message())
    def run(raw: bytes) -> None:
        result = desk.handle(raw)  # must not raise
        assert result.disposition in DISPOSITIONS | {"duplicate"}, result
        parsed = parse_message(raw)
        identity = (parsed.message_id, parsed.sender, parsed.date)
        assert (result.disposition == "duplicate") == (identity in ids), result
        ids.add(identity)
        assert result.disposition != "error", result.reason
        for row in outbox(desk):
            if row.id not in checked:
                check_outgoing(row)
                checked.add(row.id or 0)

    run()
    with reading(desk) as uow:
        rows = uow.session.exec(select(HandledMessage)).all()
    assert len(rows) == len({r.message_id for r in rows}) == len(ids)
    assert all(r.disposition in DISPOSITIONS for r in rows)
    print(f"fuzz: {len(ids)} distinct messages, {len(checked)} replies, "
          f"{time.perf_counter() - started:.1f} s")
