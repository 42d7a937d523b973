"""MIME bytes for composed mail: the stdlib generator's exact output, written directly."""

from __future__ import annotations

import binascii
import email.charset
import email.encoders
import email.policy
import email.quoprimime
import functools
import random
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.text import MIMEText

# Headers are never folded inside a Message-ID: Outlook's long ids would break threading.
# compat32 with hand-encoded headers composes ~10x faster than the modern policy.
POLICY = email.policy.compat32.clone(linesep="\r\n", max_line_length=998)
UTF8_QP = email.charset.Charset("utf-8")
UTF8_QP.body_encoding = email.charset.QP
CRLF = b"\r\n"
_NEWLINES = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar; method=REQUEST"
    data: bytes


def boundary() -> str:
    """A multipart boundary in the stdlib's form. Composed parts are quoted-printable or
    base64, which never hold a run of '=', so it cannot collide with their text."""
    return "=" * 15 + f"{random.randrange(sys.maxsize):019d}" + "=="


def header(name: str, value: str) -> bytes:
    """One header line as POLICY folds it.

    compat32 leaves a printable ASCII value that fits on one line exactly as it is, so only
    the others go through its folding (cached: most of those repeat from one mail to the next).
    """
    if value.isascii() and value.isprintable() and len(name) + 2 + len(value) <= 998:
        return f"{name}: {value}\r\n".encode("ascii")
    return _folded(name, value)


@functools.lru_cache(maxsize=4096)
def _folded(name: str, value: str) -> bytes:
    return POLICY.fold_binary(name, value)


def _head(part: Message) -> bytes:
    """A part's header block; RFC 2045 4: MIME-Version belongs to the message header only."""
    return b"".join(header(name, str(value)) for name, value in part.raw_items()
                    if name != "MIME-Version") + CRLF


@functools.lru_cache(maxsize=8)
def _text_head(subtype: str) -> bytes:
    return _head(MIMEText("", subtype, UTF8_QP))  # type: ignore[arg-type]


@functools.lru_cache(maxsize=8192)
def _qp_line(line: str) -> bytes:
    # Quoted-printable encodes each line on its own (the stdlib escapes every control
    # character but CR and LF first), so the lines of a letter, which repeat from one
    # reply to the next, are encoded once.
    return email.quoprimime.body_encode(line.encode("utf-8").decode("latin-1"),
                                        eol="\r\n").encode("ascii")


def quoted_printable(text: str) -> bytes:
    """`MIMEText(text, subtype, UTF8_QP)`'s payload as the generator writes it (CRLF lines)."""
    return CRLF.join(_qp_line(line) for line in _NEWLINES.split(text))


def _base64(data: bytes) -> bytes:
    """`email.encoders.encode_base64`'s payload as the generator writes it (CRLF lines).

    That is base64.encodebytes: 76 characters (57 bytes) a line. Encoded whole and cut
    into lines, as 57 bytes make whole groups of three, padding only ever ends the last.
    """
    encoded = binascii.b2a_base64(data, newline=False)
    return b"".join(encoded[i:i + 76] + CRLF for i in range(0, len(encoded), 76))


@functools.lru_cache(maxsize=256)
def _calendar_head(content_type: str, filename: str, inline: bool) -> bytes:
    """The iMIP part: inline as an alternative (Outlook shows its meeting bar only for that
    form, RFC 6047 2.4), or as an .ics attachment for clients that import files."""
    part = MIMEBase(*(("text", "calendar") if inline else ("application", "ics")))
    _, _, rest = content_type.partition(";")
    for param in rest.split(";"):
        key, _, value = param.strip().partition("=")
        if key and (inline or key.lower() != "charset"):
            part.set_param(key, value)
    part.set_payload(b"")
    email.encoders.encode_base64(part)
    if not inline:
        part.set_param("name", filename)
        part.add_header("Content-Disposition", "attachment", filename=filename)
    return _head(part)


def _multipart(subtype: str, edge: str, parts: Sequence[bytes], head: bytes = CRLF) -> bytes:
    """A multipart entity: its Content-Type, `head` (more headers and the blank line), parts."""
    dash = b"--" + edge.encode("ascii")
    out = [header("Content-Type", f'multipart/{subtype}; boundary="{edge}"'), head]
    for n, part in enumerate(parts):
        out.append((CRLF if n else b"") + dash + CRLF)
        out.append(part)
    out.append(CRLF + dash + b"--" + CRLF)
    return b"".join(out)


def letter(headers: Sequence[tuple[str, str]], text: str, html: str,
           calendars: Sequence[Attachment] = (), edges: tuple[str, str] | None = None) -> bytes:
    """A letter's bytes: multipart/alternative of the plain text and HTML (quoted-printable).

    With calendars, the first also joins the alternatives inline (one message is one iTIP
    transaction to Outlook) and the whole goes in a multipart/mixed carrying each calendar
    as a file, so a reply about two sessions still brings both. Byte for byte what the
    generator writes for the same email.message tree, with `edges` (the alternative's and
    the mixed part's boundaries) chosen up front.
    """
    alternative, mixed = edges or (boundary(), boundary())
    parts = [_text_head("plain") + quoted_printable(text),
             _text_head("html") + quoted_printable(html)]
    # The first calendar goes in twice (inline and as a file): encoded once.
    encoded = [_base64(c.data) for c in calendars]
    if calendars:
        first = calendars[0]
        parts.append(_calendar_head(first.content_type, first.filename, True) + encoded[0])
    top = b"MIME-Version: 1.0\r\n" + b"".join(header(k, v) for k, v in headers) + CRLF
    if not calendars:
        return _multipart("alternative", alternative, parts, top)
    files = [_calendar_head(c.content_type, c.filename, False) + data
             for c, data in zip(calendars, encoded, strict=True)]
    return _multipart("mixed", mixed, [_multipart("alternative", alternative, parts), *files],
                      top)
