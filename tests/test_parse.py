"""Parsing raw mail: charsets (declared, mis-declared, unknown), MIME shapes, forwarded"
" attachments."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mailflow.decoding import decode_bytes
from mailflow.parse import _PLAIN_FROM, _address, parse_message

from external import CORPUS


def test_windows_1252_curly_quotes_declared_as_iso_8859_1_decode_as_cp1252() -> None:
    assert decode_bytes("I’d like “this”".encode("cp1252"), "iso-8859-1") == "I’d like “this”"


def test_utf8_bytes_declared_as_latin1_decode_as_utf8() -> None:
    assert decode_bytes("I’d like café".encode(), "iso-8859-1") == "I’d like café"


def test_unknown_charset_falls_back_to_utf8_then_cp1252() -> None:
    assert decode_bytes("naïve".encode(), "x-no-such-charset") == "naïve"
    assert decode_bytes(b"na\xefve", "x-no-such-charset") == "naïve"


def test_html_only_mail_is_converted_to_text() -> None:
    raw = (
        b"From: Jo <jo@camden-council.example>\nSubject: Food\nMIME-Version: 1.0\n"
        b"Content-Type: text/html; charset=utf-8\n\n<p>Please <b>book</b> me on food.</p><p>Jo</p>"
    )
    mail = parse_message(raw)
    assert mail.is_html_only
    assert "Please book me on food." in mail.text


def test_forwarded_rfc822_attachment_is_kept_apart() -> None:
    raw = (
        b"From: Tom <tom@camden-council.example>\nSubject: FW: Food\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/mixed; boundary=b\n\n"
        b"--b\nContent-Type: text/plain\n\nSee below.\n"
        b"--b\nContent-Type: message/rfc822\n\nFrom: Dan Hughes <Dan@camden-council.example>\n"
        b"Subject: Food webinar\n\nPlease book me on food.\n--b--\n"
    )
    mail = parse_message(raw)
    assert mail.text.strip() == "See below."
    (fwd,) = mail.forwarded
    assert (fwd.sender, fwd.sender_name, fwd.subject) == (
        "dan@camden-council.example",
        "Dan Hughes",
        "Food webinar",
    )
    assert "book me on food" in fwd.text


def test_garbage_bytes_do_not_raise() -> None:
    mail = parse_message(b"\x00\xff\xfe not a message \r\n\r\n\x80\x81")
    assert mail.message_id.startswith("<")


def test_a_binary_file_read_as_a_body_gives_no_text() -> None:
    # An Outlook .msg saved where a message was expected: OLE bytes, not anybody's words.
    raw = b"Subject: x\nContent-Type: text/plain\n\n" + b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + (
        b"\x00\x03\x00\xfe\xff\t\x00" * 600)
    assert parse_message(raw).text == ""


def _external(fixture: str) -> bytes:
    path = CORPUS / fixture
    if not path.is_file():
        if os.environ.get("CI") == "true":
            raise RuntimeError(f"the external corpus is missing at {CORPUS}; CI must provide it")
        pytest.skip(f"SKIPPED LOUDLY: no external corpus at {CORPUS}")
    return path.read_bytes()


@pytest.mark.parametrize(("fixture", "name", "address"), [
    # The display name looks like an address: the angle address is who sent it.
    ("mail-parser/mail_test_19", "alice@example.com", "bob@example.com"),
    ("discourse/invalid_from_1.eml", "Foo Bar [THIS IS INVALID]", "discourse@bar.com"),
    # An empty "<>" first, then the real mailbox.
    ("zammad/mail059.box", "LTD", "ly@example.com"),
])
def test_an_invalid_from_header_gives_its_angle_address(fixture: str, name: str,
                                                        address: str) -> None:
    mail = parse_message(_external(fixture))
    assert (mail.sender_name, mail.sender) == (name, address)


def test_an_address_in_an_encoded_display_name_never_becomes_the_sender() -> None:
    for header in (b"=?utf-8?Q?<member@camden.example>?= <attacker@elsewhere.example>",
                   b"=?utf-8?Q?member@camden.example?= <attacker@elsewhere.example>",
                   b"member@camden.example <attacker@elsewhere.example>"):
        mail = parse_message(b"From: " + header + b"\nSubject: hi\n\nhello\n")
        assert mail.sender in ("attacker@elsewhere.example", ""), header


def _full_reading(text: str) -> tuple[str, str]:
    """What _address gives when every From goes through the RFC 5322 parser."""
    from mailflow.parse import _MAILBOX, _parsed_address, one_line

    name, addr = _parsed_address(text)
    addr = one_line(addr).lower()
    return one_line(name), addr if len(addr) <= 254 and _MAILBOX.fullmatch(addr) else ""


@settings(max_examples=400, deadline=None)
@given(text=st.one_of(
    st.from_regex(_PLAIN_FROM, fullmatch=True),
    st.text(st.sampled_from("aZ9.@<>\" ,;:()=?'-_"), max_size=60)))
def test_a_plain_from_reads_as_the_rfc_5322_parser_reads_it(text: str) -> None:
    assert _address(text) == _full_reading(text)


@pytest.mark.parametrize("disposition", [
    'attachment; filename="reply.ics"',
    "attachment; FILENAME=reply.ICS",
    "attachment; filename*=utf-8''reply%2Eics",
    'attachment; filename*0="rep"; filename*1="ly.i"; filename*2="cs"',
])
def test_a_calendar_file_under_any_form_of_its_name_is_a_calendar_part(disposition: str) -> None:
    # The name is looked for only in headers that hold the word "name"; each form of the
    # parameter does, so none of them hides the file.
    raw = ("From: Jo <jo@camden.example>\r\nSubject: Accepted\r\nMIME-Version: 1.0\r\n"
           'Content-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
           "Content-Type: text/plain\r\n\r\nAccepted.\r\n--b\r\n"
           f"Content-Type: application/octet-stream\r\nContent-Disposition: {disposition}\r\n"
           "\r\nBEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nEND:VCALENDAR\r\n--b--\r\n").encode()
    plain = raw.replace(disposition.encode(), b"attachment")
    assert [text.split()[0] for _, text in parse_message(raw).calendar_parts] == [
        "BEGIN:VCALENDAR"]
    assert parse_message(plain).calendar_parts == ()
