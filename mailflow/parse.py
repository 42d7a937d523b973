"""Raw RFC 5322 bytes -> InboundMail: headers, sender, plain text from any MIME shape or charset."""

from __future__ import annotations

import email.parser
import email.policy
import email.utils
import hashlib
import re
from datetime import UTC, datetime
from email.errors import InvalidHeaderDefect
from email.message import Message

from mailflow.decoding import decode_header, one_line, part_text
from mailflow.htmltext import MAX_HTML, html_to_text
from mailflow.model import ForwardedMail, InboundMail
from mailflow.reports import delivery_failures, feedback_type

_MSGID = re.compile(r"<[^<>\s]+>")
_MAX_PARTS = 200  # a message with more parts than this is hostile; the rest is ignored
_MAX_SCAN_NESTING = 5_000_000  # bytes searched for multipart headers
_MAX_TEXT = 200_000  # characters of body text kept for understanding


def _walk(msg: Message, depth: int = 0) -> tuple[list[str], list[str], list[Message]]:
    """Plain parts, HTML parts and attached messages of one message (not descending into those)."""
    plain: list[str] = []
    html: list[str] = []
    attached: list[Message] = []
    stack: list[tuple[Message, int]] = [(msg, depth)]
    seen = 0
    while stack and seen < _MAX_PARTS:
        part, level = stack.pop(0)
        seen += 1
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                attached.append(inner[0])
            continue
        if part.is_multipart():
            if level > 20:
                continue
            children = part.get_payload()
            if isinstance(children, list):
                stack[0:0] = [(c, level + 1) for c in children if isinstance(c, Message)]
            continue
        if part.get_content_disposition() == "attachment":
            continue
        if ctype == "text/plain":
            plain.append(part_text(part))
        elif ctype == "text/html":
            html.append(part_text(part))
    return plain, html, attached


# Address-like characters. Address patterns downstream (clean.EMAIL) try every start position
# of such a run, so one 100 kB run took ~30 s to read; no address part is longer than 254.
_ADDRESS_RUN = re.compile(r"[A-Za-z0-9._%+'-]{254}(?=[A-Za-z0-9._%+'-])")


def _break_runs(text: str) -> str:
    """Space out runs of address characters too long to be (part of) an address."""
    return _ADDRESS_RUN.sub(r"\g<0> ", text)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _is_binary(text: str) -> bool:
    """Control characters all through it: a binary file (an Outlook .msg) read as text."""
    head = text[:4096]
    return len(_CONTROL.findall(head)) > len(head) // 10


def body_text(msg: Message) -> tuple[str, bool, list[Message]]:
    """The readable text of a message, whether it was HTML-only, and attached messages."""
    plain, html, attached = _walk(msg)
    if any(p.strip() for p in plain):
        text = "\n".join(plain)
        html_only = False
    elif html:
        # Convert within one budget: the first part in full (up to MAX_HTML), later ones
        # only while the budget lasts (they are alternatives or layout, rarely new words).
        pieces: list[str] = []
        budget = MAX_HTML
        for part in html:
            if budget <= 0:
                break
            pieces.append(html_to_text(part, budget))
            budget -= len(part)
        text = "\n".join(pieces)
        html_only = True
    else:
        text, html_only = "", False
    if _is_binary(text):  # nobody's words: reading it would only cost time
        text = ""
    return _break_runs(text[:_MAX_TEXT]), html_only, attached


_MAX_ADDRESS = 254  # RFC 5321's limit for a path; anything longer is not a mailbox
_MAX_PARSED_FROM = 8_000
# An address we can answer: printable ASCII, one @, a host name (a non-ASCII or broken
# address would fail composing the reply, so it is treated as no address at all).
_MAILBOX = re.compile(r"[!-?A-~]+@[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?")
_ENCODED_WORD = re.compile(r"=\?[^?\s]*\?[A-Za-z]\?[^?\s]*\?=")
_MAX_MESSAGE_ID = 900  # keeps the unique index usable (PostgreSQL: ~2700 bytes a key)
# The From most mail has, "local@domain" or "Given Family <local@domain>" in plain atoms
# (without "=" and "?", so no encoded word can hide in it): read without the RFC 5322
# parser, which gives these the same reading at five times the cost (test_parse holds
# the two readings equal).
_ATOM = r"[A-Za-z0-9!#$%&'*+/^_`{|}~-]+"
_DOT_ATOMS = rf"{_ATOM}(?:\.{_ATOM})*@{_ATOM}(?:\.{_ATOM})*"
_PLAIN_FROM = re.compile(rf"(?:((?:{_ATOM} )*{_ATOM}) <({_DOT_ATOMS})>|({_DOT_ATOMS}))")


_CALENDAR_TYPES = frozenset({"text/calendar", "application/ics", "text/x-vcalendar"})


def calendar_parts(msg: Message) -> tuple[tuple[str, str], ...]:
    """(method parameter, text) of every calendar part, inline or attached (RFC 6047 iMIP)."""
    found: list[tuple[str, str]] = []
    for n, part in enumerate(msg.walk()):
        if n >= _MAX_PARTS:
            break
        if part.get_content_type() in _CALENDAR_TYPES or (
                not part.is_multipart() and _filename(part).lower().endswith(".ics")):
            method = str(part.get_param("method") or "")
            found.append((one_line(method).upper(), part_text(part)))
    return tuple(found)


def _filename(part: Message) -> str:
    """`part.get_filename()` or "": read only when a header could name a file, since every
    form of the parameter (filename, name, their RFC 2231 pieces) holds the word "name"."""
    if not any("name" in str(part.get(h, "")).lower()
               for h in ("content-disposition", "content-type")):
        return ""
    return part.get_filename() or ""


def _recovered_mailbox(text: str) -> tuple[str, str] | None:
    """mail-parser's structural recovery of a From header the RFC 5322 parser calls invalid.

    The one place mail-parser reads better than the stdlib (bench/parsers.py): the angle
    address wins over an address-like or bracketed display name, and an empty "<>" before a
    real mailbox is skipped. It leaves encoded words undecoded and refuses an ambiguous angle
    address, so nothing inside an encoded word can pose as the address here either.
    """
    from mailparser.utils import get_addresses

    try:
        found = get_addresses(text)
    except Exception:  # noqa: BLE001 - then the stdlib's reading stands
        return None
    for name, addr in found:
        if addr:
            return decode_header(name), addr
    return None


def _address(value: object) -> tuple[str, str]:
    """Display name and address of a From-like header, the address read before decoding.

    Encoded words may only appear in the display name. Decoding first would let
    `=?utf-8?Q?<member@camden.example>?= <attacker@elsewhere.example>` pass as the member,
    with DMARC passing for the attacker's own domain.
    """
    # compat32 keeps a raw 8-bit header as a Header; decoding that leaves encoded words alone.
    text = one_line(value if isinstance(value, str) else decode_header(value))
    plain = _PLAIN_FROM.fullmatch(text) if len(text) <= _MAX_ADDRESS * 2 else None
    if plain is not None:
        name, addr = plain.group(1) or "", plain.group(2) or plain.group(3)
    else:
        name, addr = _parsed_address(text)
    addr = one_line(addr).lower()
    if len(addr) > _MAX_ADDRESS or not _MAILBOX.fullmatch(addr):
        addr = ""
    return one_line(name), addr


def _parsed_address(text: str) -> tuple[str, str]:
    """The RFC 5322 parser's reading of a From header, with mail-parser's where it fails."""
    name, addr = "", ""
    try:
        # The RFC 5322 parser finds the structure first and decodes words inside the phrase
        # only; it slows down on huge phrases, which no person writes.
        if len(text) > _MAX_PARSED_FROM:
            raise ValueError("From header too long for the structured parser")
        parsed = email.policy.default.header_factory("from", text)
        found = parsed.addresses  # type: ignore[attr-defined]
        if found:
            name, addr = found[0].display_name, found[0].addr_spec
        if any(isinstance(d, InvalidHeaderDefect) for d in parsed.defects):
            # On an invalid list it takes the first word for the address (measured: "a@x
            # <b@y>" gave a@x, "Foo [x] <b@y>" gave nothing): recover the structure instead.
            name, addr = _recovered_mailbox(text) or (name, addr)
        if addr and not name:  # "s.lee@kcl.ac.uk (Sam Lee)": the old comment form
            old_name, old_addr = email.utils.parseaddr(text)
            name = decode_header(old_name) if old_addr.lower() == addr.lower() else ""
    except Exception:  # noqa: BLE001 - e.g. CR/LF decoded into the name; hostile anyway
        # Mask the encoded words so nothing inside them can pose as the address.
        _, addr = email.utils.parseaddr(_ENCODED_WORD.sub("x", text))
    return name, addr


def synthetic_message_id(raw: bytes) -> str:
    return f"<{hashlib.sha256(raw).hexdigest()[:32]}@mailflow.synthetic>"


def _read_structure(raw: bytes) -> Message:
    """The stdlib's message tree; headers only when the multiparts nest too deep to read."""
    try:
        if raw[:_MAX_SCAN_NESTING].lower().count(b"multipart/") > _MAX_PARTS:
            # Hundreds of nested multiparts: the parser recurses until it gives up, which
            # takes seconds; no person writes this, so read the headers only.
            raise RecursionError("too many multiparts")
        # mail-parser's parse_from_bytes() is this call plus field extraction mailflow
        # never read (a third of the parse time on large messages).
        return email.message_from_bytes(raw)
    except RecursionError:
        # Multiparts nested deeper than the stdlib parser can recurse: keep the headers,
        # leave the body unread (a human never writes such a message).
        return email.parser.BytesHeaderParser().parsebytes(raw)


def _utc_date(value: str) -> datetime | None:
    """The Date header in UTC (a date without a zone taken as UTC); None when unreadable."""
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value)
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return parsed.astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _message_id(value: str, raw: bytes) -> str:
    """The message's own id, or one made from its bytes when it has none (or an absurd one)."""
    found = _MSGID.search(value)
    message_id = found.group(0) if found else synthetic_message_id(raw)
    if len(message_id.encode("utf-8")) > _MAX_MESSAGE_ID:
        # Still stable for the same id, so a redelivery is recognised as a duplicate.
        message_id = synthetic_message_id(message_id.encode("utf-8"))
    return message_id


def _forwarded(attached: list[Message]) -> tuple[ForwardedMail, ...]:
    """Sender, subject and text of the first few messages attached as message/rfc822."""
    forwarded: list[ForwardedMail] = []
    for inner in attached[:5]:
        fname, faddr = _address(inner.get("From", ""))
        ftext, _, _ = body_text(inner)
        forwarded.append(
            ForwardedMail(
                sender=faddr,
                sender_name=fname,
                subject=one_line(decode_header(inner.get("Subject", ""))),
                text=ftext,
                addressed=one_line(decode_header(inner.get("To", ""))),
            )
        )
    return tuple(forwarded)


def parse_message(raw: bytes) -> InboundMail:
    """Parse raw message bytes. Never raises on bad input: what cannot be read is left empty."""
    msg = _read_structure(raw)
    headers = tuple((str(key).lower(), one_line(decode_header(value)))
                    for key, value in msg.items())

    def first(name: str) -> str:
        return next((value for key, value in headers if key == name), "")

    # The address is read before any encoded word is decoded (see _address).
    sender_name, sender = _address(msg.get("From", ""))
    in_reply_to = _MSGID.search(first("in-reply-to"))
    return_path: str | None = None
    if any(k == "return-path" for k, _ in headers):
        rp = first("return-path").strip()
        return_path = "" if rp in ("<>", "") else rp.strip("<>").lower()
    text, html_only, attached = body_text(msg)
    ctype = msg.get_content_type()
    is_report = ctype == "multipart/report" and any(
        p.get_content_type() == "message/delivery-status" for p in msg.walk()
    )
    feedback = feedback_type(msg) if ctype == "multipart/report" else None
    return InboundMail(
        message_id=_message_id(first("message-id"), raw),
        sender=sender,
        sender_name=sender_name,
        subject=first("subject"),
        date=_utc_date(first("date")),
        in_reply_to=in_reply_to.group(0) if in_reply_to else "",
        references=tuple(_MSGID.findall(" ".join(v for k, v in headers if k == "references"))),
        text=text,
        headers=headers,
        return_path=return_path,
        content_type=ctype,
        is_html_only=html_only,
        forwarded=_forwarded(attached),
        bounces=tuple(delivery_failures(msg)) if is_report else (),
        is_delivery_report=is_report,
        is_feedback_report=feedback is not None,
        feedback_type=feedback or "",
        size=len(raw),
        sha256=hashlib.sha256(raw).hexdigest(),
        defects=tuple(type(d).__name__ for d in getattr(msg, "defects", [])),
        calendar_parts=calendar_parts(msg),
    )
