"""Raw RFC 5322 bytes -> InboundMail: headers, sender, plain text from any MIME shape or charset."""

from __future__ import annotations

import codecs
import contextlib
import email.parser
import email.policy
import email.utils
import hashlib
import re
from datetime import UTC, datetime
from email.header import Header, decode_header
from email.message import Message

from mailflow.htmltext import MAX_HTML, html_to_text
from mailflow.model import Bounce, ForwardedMail, InboundMail

# Everything str.splitlines() breaks on (C1 NEL, U+2028/9 too): the email package refuses
# such a header value outright, so one left in would fail the reply, not just look odd.
_CRLF = re.compile(r"[\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]+")
_MSGID = re.compile(r"<[^<>\s]+>")
_SURROGATES = re.compile("[\ud800-\udfff]")
_MAX_PARTS = 200  # a message with more parts than this is hostile; the rest is ignored
_MAX_SCAN_NESTING = 5_000_000  # bytes searched for multipart headers
_MAX_TEXT = 200_000  # characters of body text kept for understanding


def one_line(value: object) -> str:
    """A header value safe to store and to reuse in outgoing headers: no control characters."""
    # Lone surrogates (undecodable 8-bit smuggled through surrogateescape) cannot be encoded
    # again, so storing or sending them would fail far from here.
    text = _SURROGATES.sub("\ufffd", str(value or ""))
    return _CRLF.sub(" ", text).strip()


_SINGLE_BYTE = frozenset({"cp1252", "ascii", "iso8859-15", "cp1250", "iso8859-2"})


def _looks_utf8(payload: bytes) -> bool:
    if payload.isascii():
        return False
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def decode_bytes(payload: bytes, declared: str | None) -> str:
    """Decode with the declared charset when it is real, else UTF-8, else windows-1252."""
    candidates: list[str] = []
    if declared:
        with contextlib.suppress(LookupError):
            candidates.append(codecs.lookup(declared.strip().strip('"')).name)
    # Mail declared as ISO-8859-1 is very often really windows-1252 (curly quotes).
    candidates = ["cp1252" if c == "latin-1" or c == "iso8859-1" else c for c in candidates]
    # ...and mail declared with a single-byte charset is sometimes really UTF-8: valid
    # multi-byte UTF-8 sequences almost never occur by chance in legacy text.
    if candidates and candidates[0] in _SINGLE_BYTE and _looks_utf8(payload):
        candidates.insert(0, "utf-8")
    for charset in [*candidates, "utf-8"]:
        try:
            return payload.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return payload.decode("cp1252", errors="replace")


def part_text(part: Message) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - a broken transfer encoding is input, not a bug
        payload = None
    if isinstance(payload, bytes):
        return decode_bytes(payload, part.get_content_charset())
    raw = part.get_payload()
    return raw if isinstance(raw, str) else ""


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


_CALENDAR_TYPES = frozenset({"text/calendar", "application/ics", "text/x-vcalendar"})


def calendar_parts(msg: Message) -> tuple[tuple[str, str], ...]:
    """(method parameter, text) of every calendar part, inline or attached (RFC 6047 iMIP)."""
    found: list[tuple[str, str]] = []
    for n, part in enumerate(msg.walk()):
        if n >= _MAX_PARTS:
            break
        filename = (part.get_filename() or "").lower()
        if part.get_content_type() in _CALENDAR_TYPES or (
                filename.endswith(".ics") and not part.is_multipart()):
            method = str(part.get_param("method") or "")
            found.append((one_line(method).upper(), part_text(part)))
    return tuple(found)


def _address(value: object) -> tuple[str, str]:
    """Display name and address of a From-like header, the address read before decoding.

    Encoded words may only appear in the display name. Decoding first would let
    `=?utf-8?Q?<member@camden.example>?= <attacker@elsewhere.example>` pass as the member,
    with DMARC passing for the attacker's own domain.
    """
    # compat32 keeps a raw 8-bit header as a Header; decoding that leaves encoded words alone.
    text = one_line(value if isinstance(value, str) else _decode_header(value))
    name, addr = "", ""
    try:
        # The RFC 5322 parser finds the structure first and decodes words inside the phrase
        # only; it slows down on huge phrases, which no person writes.
        if len(text) > _MAX_PARSED_FROM:
            raise ValueError("From header too long for the structured parser")
        found = email.policy.default.header_factory("from", text).addresses  # type: ignore[attr-defined]
        if found:
            name, addr = found[0].display_name, found[0].addr_spec
        if addr and not name:  # "s.lee@kcl.ac.uk (Sam Lee)": the old comment form
            old_name, old_addr = email.utils.parseaddr(text)
            name = _decode_header(old_name) if old_addr.lower() == addr.lower() else ""
    except Exception:  # noqa: BLE001 - e.g. CR/LF decoded into the name; hostile anyway
        # Mask the encoded words so nothing inside them can pose as the address.
        _, addr = email.utils.parseaddr(_ENCODED_WORD.sub("x", text))
    addr = one_line(addr).lower()
    if len(addr) > _MAX_ADDRESS or not _MAILBOX.fullmatch(addr):
        addr = ""
    return one_line(name), addr


_RECIPIENT = re.compile(r"[^\s<>;\"'(),\[\]|/]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


def _recipient_address(field: str) -> str:
    """The address of a Final-/Original-Recipient field ("rfc822; <a@b>"), or ""."""
    value = _decode_header(one_line(field).split(";", 1)[-1])
    found = _RECIPIENT.search(value)
    return found.group(0).strip(".").lower() if found else ""


def _delivery_status(msg: Message) -> list[Bounce]:
    """Failed recipients named in message/delivery-status parts (RFC 3464)."""
    bounces: list[Bounce] = []
    original_id = ""
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                original_id = one_line(inner[0].get("Message-ID", "")) or original_id
            elif isinstance(inner, str):
                found = re.search(r"(?im)^message-id:\s*(<[^>]+>)", inner)
                if found:
                    original_id = found.group(1)
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        payload = part.get_payload()
        blocks = payload if isinstance(payload, list) else []
        for block in blocks:
            if not isinstance(block, Message):
                continue
            recipient = block.get("Final-Recipient") or block.get("Original-Recipient") or ""
            action = str(block.get("Action", "")).split("(", 1)[0].strip().lower()
            if not recipient or action not in ("failed", "delayed", ""):
                continue
            if action == "delayed":
                continue
            addr = _recipient_address(str(recipient))
            if not addr:  # a pipe or a mailbox file, not an address
                continue
            bounces.append(
                Bounce(
                    recipient=addr,
                    status=one_line(block.get("Status", "")),
                    diagnostic=one_line(block.get("Diagnostic-Code", ""))[:300],
                    original_message_id=original_id,
                )
            )
    return bounces


def _feedback_type(msg: Message) -> str | None:
    """Feedback-Type of an ARF report's message/feedback-report part; None when there is none."""
    for part in msg.walk():
        if part.get_content_type() != "message/feedback-report":
            continue
        payload = part.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], Message):
            return one_line(payload[0].get("Feedback-Type", "")).lower()
        found = re.search(r"(?im)^feedback-type:[ \t]*(\S+)", str(payload))
        return found.group(1).lower() if found else ""
    return None


def synthetic_message_id(raw: bytes) -> str:
    return f"<{hashlib.sha256(raw).hexdigest()[:32]}@mailflow.synthetic>"


def parse_message(raw: bytes) -> InboundMail:
    """Parse raw message bytes. Never raises on bad input: what cannot be read is left empty."""
    digest = hashlib.sha256(raw).hexdigest()
    try:
        if raw[:_MAX_SCAN_NESTING].lower().count(b"multipart/") > _MAX_PARTS:
            # Hundreds of nested multiparts: both parsers recurse until they give up, which
            # takes seconds; no person writes this, so read the headers only.
            raise RecursionError("too many multiparts")
        # mail-parser's parse_from_bytes() is this call plus field extraction mailflow
        # never read (a third of the parse time on large messages).
        msg: Message = email.message_from_bytes(raw)
    except Exception:  # noqa: BLE001 - the parser gives up on some hostile input
        try:
            if raw[:_MAX_SCAN_NESTING].lower().count(b"multipart/") > _MAX_PARTS:
                raise RecursionError("too many multiparts")
            msg = email.message_from_bytes(raw)
        except RecursionError:
            # Multiparts nested deeper than the stdlib parser can recurse: keep the headers,
            # leave the body unread (a human never writes such a message).
            msg = email.parser.BytesHeaderParser().parsebytes(raw)

    headers: list[tuple[str, str]] = []
    for key, value in msg.items():
        headers.append((str(key).lower(), one_line(_decode_header(value))))

    def first(name: str) -> str:
        for key, value in headers:
            if key == name:
                return value
        return ""

    # Not mail-parser's from_: it decodes encoded words before finding the address.
    sender_name, sender = _address(msg.get("From", ""))

    found_id = _MSGID.search(first("message-id"))
    message_id = found_id.group(0) if found_id else synthetic_message_id(raw)
    if len(message_id.encode("utf-8")) > _MAX_MESSAGE_ID:
        # Still stable for the same id, so a redelivery is recognised as a duplicate.
        message_id = synthetic_message_id(message_id.encode("utf-8"))
    in_reply_to_match = _MSGID.search(first("in-reply-to"))
    references = tuple(_MSGID.findall(" ".join(v for k, v in headers if k == "references")))

    date: datetime | None = None
    try:
        parsed_date = email.utils.parsedate_to_datetime(first("date")) if first("date") else None
        if parsed_date is not None:
            if parsed_date.tzinfo is None:
                parsed_date = parsed_date.replace(tzinfo=UTC)
            date = parsed_date.astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        date = None

    return_path: str | None = None
    if any(k == "return-path" for k, _ in headers):
        rp = first("return-path").strip()
        return_path = "" if rp in ("<>", "") else rp.strip("<>").lower()

    text, html_only, attached = body_text(msg)
    forwarded: list[ForwardedMail] = []
    for inner in attached[:5]:
        fname, faddr = _address(inner.get("From", ""))
        ftext, _, _ = body_text(inner)
        forwarded.append(
            ForwardedMail(
                sender=faddr,
                sender_name=fname,
                subject=one_line(_decode_header(inner.get("Subject", ""))),
                text=ftext,
            )
        )

    ctype = msg.get_content_type()
    is_report = ctype == "multipart/report" and any(
        p.get_content_type() == "message/delivery-status" for p in msg.walk()
    )
    bounces = tuple(_delivery_status(msg)) if is_report else ()
    feedback = _feedback_type(msg) if ctype == "multipart/report" else None

    return InboundMail(
        message_id=message_id,
        sender=sender,
        sender_name=sender_name,
        subject=first("subject"),
        date=date,
        in_reply_to=in_reply_to_match.group(0) if in_reply_to_match else "",
        references=references,
        text=text,
        headers=tuple(headers),
        return_path=return_path,
        content_type=ctype,
        is_html_only=html_only,
        forwarded=tuple(forwarded),
        bounces=bounces,
        is_delivery_report=is_report,
        is_feedback_report=feedback is not None,
        feedback_type=feedback or "",
        size=len(raw),
        sha256=digest,
        defects=tuple(type(d).__name__ for d in getattr(msg, "defects", [])),
        calendar_parts=calendar_parts(msg),
    )


def _decode_header(value: object) -> str:
    """Decode RFC 2047 encoded words; tolerate unknown charsets and raw 8-bit."""
    if value is None:
        return ""
    if isinstance(value, Header):
        # compat32 wraps raw 8-bit (e.g. UTF-8, RFC 6532) headers in a Header whose str() is
        # U+FFFD; its chunks keep the bytes, which decode_bytes can read.
        try:
            return "".join(
                decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk
                for chunk, charset in decode_header(value)
            )
        except Exception:  # noqa: BLE001 - fall back to the lossy text
            return str(value)
    text = str(value)
    if "=?" not in text:
        return text
    try:
        pieces = []
        for chunk, charset in decode_header(text):
            if isinstance(chunk, bytes):
                pieces.append(decode_bytes(chunk, charset))
            else:
                pieces.append(chunk)
        return "".join(pieces)
    except Exception:  # noqa: BLE001 - malformed encoded words stay as written
        return text
