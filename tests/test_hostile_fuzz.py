"""Hostile input: generated MIME trees, injected headers and random bytes never crash readers."""

from __future__ import annotations

import base64

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mailflow.authenticity import sanitise_header, sender_verdict
from mailflow.bounces import find_bounces
from mailflow.hygiene import automated_reason, is_bounce
from mailflow.model import InboundMail
from mailflow.parse import parse_message, synthetic_message_id

OWN = "registrations@lupc.ac.uk"
TRUSTED = "mx.lupc.ac.uk"
VERDICTS = {"pass", "fail", "none"}

# --- the invariants every input must keep -------------------------------------------------------


def _single_line(value: str) -> bool:
    return "\r" not in value and "\n" not in value


def _storable(value: str) -> bool:
    """Encodable as UTF-8 (no lone surrogates): a database or SMTP server will take it."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_everything(raw: bytes) -> InboundMail:
    mail = parse_message(raw)
    single = [
        mail.message_id,
        mail.sender,
        mail.sender_name,
        mail.subject,
        mail.in_reply_to,
        mail.return_path or "",
        *mail.references,
        *(v for _, v in mail.headers),
        *(k for k, _ in mail.headers),
    ]
    for value in single:
        assert _single_line(value), value[:200]
        assert _storable(value), value[:200]
    assert _storable(mail.text)
    assert mail.message_id.startswith("<") and mail.message_id.endswith(">")

    reason = automated_reason(mail, OWN)
    assert reason is None or (_single_line(reason) and len(reason) < 200)
    assert isinstance(is_bounce(mail), bool)
    for bounce in find_bounces(raw, mail):
        assert _single_line(bounce.recipient) and _single_line(bounce.diagnostic)
        assert _single_line(bounce.original_message_id)
    assert sender_verdict(mail, TRUSTED) in VERDICTS
    assert sender_verdict(mail, "") == "none"
    for value in (mail.subject, mail.sender_name):
        assert _single_line(sanitise_header(value))

    # Same bytes, same identity: the synthetic Message-ID is a function of the bytes.
    again = parse_message(raw)
    assert again.message_id == mail.message_id
    if not any(k == "message-id" and "<" in v and ">" in v for k, v in mail.headers):
        assert mail.message_id == synthetic_message_id(raw)
    return mail


# --- generators --------------------------------------------------------------------------------

CHARSETS = [
    "utf-8",
    "UTF-8",
    "iso-8859-1",
    "windows-1252",
    "koi8-r",
    "shift_jis",
    "utf-16",
    "utf-7",
    "x-unknown-charset",
    "",
    '"utf-8',
    "unknown-8bit",
    "../../etc",
]
INJECTIONS = [
    "\r\nBcc: victim@example.com",
    "\nX-Injected: 1",
    "\r\n\r\nbody starts here",
    "\r",
    "\x00",
    "\u2028",
    "\u202e",
    "\udcff",
]
HEADER_NAMES = [
    "From",
    "Sender",
    "Reply-To",
    "To",
    "Subject",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Return-Path",
    "Date",
    "Auto-Submitted",
    "Precedence",
    "List-Id",
    "List-Unsubscribe",
    "X-Autoreply",
    "X-Auto-Response-Suppress",
    "X-Failed-Recipients",
    "Authentication-Results",
    "Content-Type",
    "Content-Transfer-Encoding",
    "MIME-Version",
]
ADDRESSES = [
    "s.lee@kcl.ac.uk",
    "MAILER-DAEMON@mx.example",
    OWN,
    "no-reply@zoom.us",
    "<>",
    "",
    "not an address",
    "a@b@c",
    '"quoted\\"name" <q@x.example>',
    "@",
    "<mailflow.abc@lupc.ac.uk>",
]

small_text = st.text(max_size=40)
# Line lengths: 100 kB lines are kept but rare, so 2000 examples fit in well under a minute.
size = st.sampled_from([0, 1, 10, 80, 200, 998, 2_000] * 3 + [100_000])


@st.composite
def encoded_word(draw: st.DrawFn) -> str:
    charset = draw(st.sampled_from(CHARSETS))
    payload = draw(st.binary(max_size=30)) + draw(st.sampled_from([b"", b"\r\n", b"\x00", b"\n"]))
    if draw(st.booleans()):
        body = base64.b64encode(payload).decode()
        if draw(st.booleans()):
            body = body[:-1]  # broken padding
        return f"=?{charset}?B?{body}?="
    quoted = "".join(f"={b:02X}" if b < 33 or b > 126 or b in b"=?_" else chr(b) for b in payload)
    return f"=?{charset}?Q?{quoted}?="


@st.composite
def header_value(draw: st.DrawFn) -> str:
    pieces = draw(
        st.lists(
            st.one_of(
                small_text,
                encoded_word(),
                st.sampled_from(INJECTIONS),
                st.sampled_from(ADDRESSES),
                size.map(lambda n: "x" * n),
            ),
            max_size=4,
        )
    )
    value = " ".join(pieces)
    if draw(st.booleans()):
        name = draw(st.one_of(small_text, encoded_word()))
        value = f'"{name}{draw(st.sampled_from(INJECTIONS))}" <{draw(st.sampled_from(ADDRESSES))}>'
    return value


@st.composite
def header_lines(draw: st.DrawFn, with_from: bool, with_id: bool) -> list[str]:
    lines: list[str] = []
    if with_from:
        lines.append(f"From: {draw(header_value())}")
    if with_id:
        lines.append(
            "Message-ID: "
            + draw(st.sampled_from(["<a@b>", "<>", "garbage", "<mailflow.x@lupc.ac.uk>"]))
        )
    for _ in range(draw(st.integers(0, 6))):
        name = draw(
            st.one_of(
                st.sampled_from(HEADER_NAMES), st.from_regex(r"[A-Za-z-]{1,20}", fullmatch=True)
            )
        )
        lines.append(f"{name}: {draw(header_value())}")
    return lines


LEAF_TYPES = [
    "text/plain",
    "text/html",
    "message/delivery-status",
    "message/rfc822",
    "text/rfc822-headers",
    "application/octet-stream",
    "image/png",
    "text/calendar",
]
ENCODINGS = ["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "binary", "bogus"]


@st.composite
def leaf(draw: st.DrawFn) -> bytes:
    ctype = draw(st.sampled_from(LEAF_TYPES))
    charset = draw(st.sampled_from(CHARSETS))
    cte = draw(st.sampled_from(ENCODINGS))
    body = draw(
        st.one_of(
            st.binary(max_size=120),
            st.sampled_from(
                [
                    b"Final-Recipient: rfc822; x@y.example\r\nAction: failed\r\nStatus: 5.1.1\r\n",
                    b"Reporting-MTA: dns; mx\r\n\r\nFinal-Recipient: <>\r\nAction: failed\r\n",
                    b"Message-ID: <mailflow.q@lupc.ac.uk>\r\nFrom: x@y\r\n\r\nhi",
                    b"<html><body><p>Please <b>register</b> me</p><script>x</script>",
                    b"=\r\n=XX=0",
                    b"SGVsbG8=====",
                ]
            ),
            size.map(lambda n: b"y" * n),
        )
    )
    head = f"Content-Type: {ctype}; charset={charset}\r\nContent-Transfer-Encoding: {cte}\r\n"
    if draw(st.booleans()):
        head += "Content-Disposition: attachment; filename*=utf-8''%E2%80%AE.txt\r\n"
    return head.encode("utf-8", "surrogateescape") + b"\r\n" + body


def multipart(children: st.SearchStrategy[list[bytes]]) -> st.SearchStrategy[bytes]:
    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        subtype = draw(st.sampled_from(["mixed", "alternative", "report", "related", "digest"]))
        boundary = draw(st.sampled_from(["b", "==b==", "", '"quoted"', "a" * 80]))
        parts = draw(children)
        head = f"Content-Type: multipart/{subtype}; boundary={boundary}"
        if subtype == "report":
            head += "; report-type=delivery-status"
        out = head.encode() + b"\r\n\r\npreamble\r\n"
        for part in parts:
            out += f"--{boundary}\r\n".encode() + part + b"\r\n"
        if draw(st.booleans()):  # sometimes never closed
            out += f"--{boundary}--\r\n".encode()
        return out

    return build()


mime_tree = st.recursive(leaf(), lambda inner: multipart(st.lists(inner, max_size=4)), max_leaves=5)


@st.composite
def message(draw: st.DrawFn) -> bytes:
    lines = draw(header_lines(draw(st.booleans()), draw(st.booleans())))
    head = "\r\n".join(lines).encode("utf-8", "surrogateescape")
    if draw(st.booleans()):  # raw 8-bit in headers, as some mailers send
        head += b"\r\nSubject: " + draw(st.binary(max_size=40)).replace(b"\n", b" ")
    tree = draw(mime_tree)
    depth = draw(st.sampled_from([0, 0, 0, 5, 40]))
    for level in range(depth):  # deep nesting around the tree
        tree = (
            f"Content-Type: multipart/mixed; boundary=n{level}\r\n\r\n--n{level}\r\n".encode()
            + tree
        )
    return head + b"\r\n" + tree


# --- the tests ---------------------------------------------------------------------------------


@settings(
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(message())
def test_generated_messages_never_crash(raw: bytes) -> None:
    check_everything(raw)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_crash(raw: bytes) -> None:
    check_everything(raw)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_after_real_headers(tail: bytes) -> None:
    head = (
        b"From: Sam <s.lee@kcl.ac.uk>\r\nContent-Type: multipart/report; boundary=x\r\n\r\n--x\r\n"
    )
    check_everything(head + tail)


def test_missing_message_id_is_stable_and_synthetic() -> None:
    raw = b"From: s.lee@kcl.ac.uk\r\nSubject: hi\r\n\r\nPlease register me."
    first, second = parse_message(raw), parse_message(raw)
    assert first.message_id == second.message_id == synthetic_message_id(raw)
    assert parse_message(raw + b"!").message_id != first.message_id


def test_crlf_injection_in_display_name_and_encoded_word() -> None:
    raw = (
        b'From: "Evil\\r\\nBcc: v@x" <e@x.example>\r\n'
        b"Subject: =?utf-8?B?" + base64.b64encode(b"Hi\r\nBcc: victim@example.com") + b"?=\r\n"
        b"Reply-To: =?utf-8?Q?a=0D=0AX-Injected:_1?= <r@x.example>\r\n\r\nbody"
    )
    mail = check_everything(raw)
    assert "Bcc: victim@example.com" in mail.subject  # kept as text, on one line


def test_hundred_kilobyte_header_and_body_lines() -> None:
    raw = b"From: a@b.example\r\nSubject: " + b"s" * 100_000 + b"\r\n\r\n" + b"b" * 100_000
    check_everything(raw)


def test_very_deep_nesting() -> None:
    for top in ("mixed", "report"):
        raw = f"From: a@b.example\r\nContent-Type: multipart/{top}; boundary=b0\r\n\r\n"
        raw += "".join(
            f"--b{i}\r\nContent-Type: multipart/{top}; boundary=b{i + 1}\r\n\r\n"
            for i in range(1200)
        )
        check_everything(raw.encode())


def test_empty_and_header_only_input() -> None:
    for raw in (b"", b"\r\n", b"From:\r\n", b"\x00" * 50, b"Content-Type: multipart/mixed\r\n\r\n"):
        mail = check_everything(raw)
        assert mail.sender == ""
