"""Failed recipients of a bounce: RFC 3464 reports plus flufl.bounce's older-format detectors."""

from __future__ import annotations

import email
import re
from email.message import Message

from flufl.bounce import _scan, all_failures

from mailflow.authenticity import sanitise_header
from mailflow.decoding import one_line
from mailflow.hygiene import is_bounce, is_complaint
from mailflow.model import Bounce, InboundMail
from mailflow.reports import ADDRESS

_MSGID_LINE = re.compile(r"(?im)^[ \t>]*message-id:[ \t]*(<[^<>\s]+>)")
_MSGID = re.compile(r"<[^<>\s]+>")
_STATUS = re.compile(r"\b([245]\.\d{1,3}\.\d{1,3})\b")
_SMTP_CODE = re.compile(r"\b([45]\d\d)[ -]")
_MAX_SCAN = 2_000_000  # bytes of a bounce handed to the heuristic detectors
_RETURNED_MARKERS = re.compile(
    r"(?im)^.*(?:copy of the (?:original )?message|original message follows|returned message"
    r"|below this line|message headers follow|original message headers|returned mail follows"
    r"|undelivered message|headers of the original).*$"
)


def _text_of(msg: Message) -> str:
    """All textual leaf content of the bounce, decoded leniently."""
    pieces: list[str] = []
    for part in msg.walk():
        if part.get_content_type() == "message/delivery-status":
            blocks = part.get_payload()
            if isinstance(blocks, list):  # its fields, as text for _pasted_failures
                pieces.append("\n\n".join(b.as_string() for b in blocks
                                           if isinstance(b, Message)))
            continue
        if part.is_multipart():
            continue
        try:
            payload = part.get_payload(decode=True)
        except Exception:  # noqa: BLE001 - broken transfer encodings are input
            payload = None
        if isinstance(payload, bytes):
            pieces.append(payload.decode("utf-8", errors="replace"))
        elif isinstance(part.get_payload(), str):
            pieces.append(str(part.get_payload()))
    return "\n".join(pieces)


def _returned_message_ids(msg: Message, text: str) -> list[str]:
    """Message-IDs of the original message included in the bounce, first found first."""
    ids: list[str] = []
    for part in msg.walk():
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                found = _MSGID.search(one_line(inner[0].get("Message-ID", "")))
                if found:
                    ids.append(found.group(0))
    # Text-only bounces (Exim, qmail) paste the original after a marker line; the bounce's own
    # Message-ID is in its top-level headers, never in this text.
    marker = _RETURNED_MARKERS.search(text)
    tail = text[marker.start() :] if marker else text
    ids.extend(m.group(1) for m in _MSGID_LINE.finditer(tail))
    return ids


def _original_message_id(msg: Message, text: str, mail: InboundMail) -> str:
    candidates = _returned_message_ids(msg, text)
    # Exchange NDRs thread themselves onto the original with In-Reply-To/References.
    fallbacks = [i for i in (mail.in_reply_to, *mail.references) if i]
    for candidate in [*candidates, *fallbacks]:
        if candidate.lower().startswith("<mailflow."):
            return candidate
    return (candidates or fallbacks or [""])[0]


def _details(text: str, recipient: str, permanent: bool) -> tuple[str, str]:
    """Status code and diagnostic near where the text names the recipient."""
    lines = text.splitlines()
    lowered = recipient.lower()
    for index, line in enumerate(lines):
        if lowered not in line.lower():
            continue
        # The explanation follows on the next lines, up to the paragraph's end.
        block: list[str] = []
        for line_after in lines[index : index + 5]:
            if not line_after.strip():
                break
            block.append(line_after)
        window = sanitise_header(" ".join(block), 300)
        status_match = _STATUS.search(window)
        if status_match:
            status = status_match.group(1)
        else:
            code = _SMTP_CODE.search(window)
            status = f"{code.group(1)[0]}.0.0" if code else ""
        if status:
            return status, window
    return ("5.0.0" if permanent else "4.0.0"), ""


# RFC 3464 per-recipient fields pasted as text (gateways attach them as deliverystatus.txt).
_RECIPIENT_FIELD = re.compile(
    r"(?im)^[ \t]*(final|original)-recipient:[ \t]*(?:rfc822[ \t]*;)?[ \t]*([^\r\n]+)"
)
_PARAGRAPH = re.compile(r"\r?\n[ \t]*\r?\n")
_ACTION_FAILED = re.compile(r"(?im)^[ \t]*action:[ \t]*failed\b")
_DELAY_WORDS = re.compile(
    r"(?i)\b(?:delay(?:ed)?|warning|will (?:be )?retr(?:y|ied)|still trying|not yet been delivered"
    r"|temporar(?:y|ily))\b"
)
# Exim/qmail/gateway text: a sentence announcing the list, then the addresses, one a line.
_LIST_INTRO = re.compile(
    r"(?i)(?:following\s+address(?:es|\(es\))?\s+failed|addresses\s+failed"
    r"|following\s+recipients?\s+(?:was|were|has\s+been|have\s+been)\s+aborted"
    r"|addresses\s+had\s+(?:permanent\s+fatal\s+errors|delivery\s+problems)"
    r"|could\s+not\s+be\s+delivered\s+to\s+the\s+following"
    r"|following\s+recipients?\s+could\s+not)[^\n]*"
)
_HEADER_PARTS = ("text/rfc822-headers", "text/rfc822-header", "message/rfc822-headers")
# The bounce's own sentence naming who failed, as MTAs and gateways word it; read only in the
# bounce's words (before the returned copy), where an address is the recipient's.
_A = r"<?(?P<addr>[^\s<>;\"'(),\[\]|/:]+@[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9])>?"
_STATED = (
    re.compile(r"(?i)(?:error delivering your mail to|delivery failed:|returned permanent "
               r"errors?:|rejected recipient|could not be reached:|recipient address:"
               r"|^[ \t]*recipient:|could not be delivered to|couldn't be delivered to"
               r"|not delivered to|unable to deliver (?:your message )?to)[ \t]*" + _A, re.M),
    # "kijitora@example.co.jp [User unknown]", "addr: 550 ...", "554 <addr>... Host unknown"
    re.compile(r"(?m)^[ \t]*" + _A + r"[ \t]*(?:\[[^\]\r\n]*\]|:[ \t]*[45]\d\d\b|\.\.\.)"),
    re.compile(r"(?m)^[ \t]*[45]\d\d[ \t]+" + _A + r"\.\.\."),
    # Exchange 2003: "kijitora@example.com on 4/29/01 11:34:45 PM"
    re.compile(r"(?m)^[ \t]*" + _A + r" on \d{1,2}/\d{1,2}/\d{2,4}"),
)
# Last resorts, when no sentence names anyone: a line holding only an address (m-FILTER,
# Mimecast, MailMarshal), then the RCPT TO of a pasted SMTP transcript.
_LONE_ADDRESS = re.compile(r"(?m)^[ \t]*(?:--[ \t]*)?" + _A + r"[ \t]*$")
_RCPT_TO = re.compile(r"(?im)^[ \t>]*rcpt to:[ \t]*" + _A)
_STATED_HEAD = 6_000  # characters of a bounce read when it has no returned-copy marker
_MAX_FIELD_TEXT = 200_000  # characters of bounce text searched for pasted DSN fields


def _decode_address(value: bytes | str) -> str:
    """The address in a recipient field, or "" (pipes and file paths are no address)."""
    text = value.decode("utf-8", errors="ignore") if isinstance(value, bytes) else str(value)
    found = ADDRESS.search(one_line(text))
    return found.group(0).strip(".").lower() if found else ""


def _pasted_failures(text: str) -> list[str]:
    """Final- (else Original-) Recipient of each paragraph that says Action: failed.

    Read from text, not parsed fields: gateways paste the fields into text parts, and broken
    continuation lines leave them in the body of a message/delivery-status block.
    """
    found: list[str] = []
    for paragraph in _PARAGRAPH.split(text[:_MAX_FIELD_TEXT]):
        if "ecipient" not in paragraph or not _ACTION_FAILED.search(paragraph):
            continue
        fields = {kind.lower(): value for kind, value in _RECIPIENT_FIELD.findall(paragraph)}
        addr = _decode_address(fields.get("final") or fields.get("original") or "")
        if addr and addr not in found:
            found.append(addr)
    return found


def _listed_failures(text: str) -> list[str]:
    """Addresses listed under an Exim-style "The following address(es) failed:" line."""
    found: list[str] = []
    for intro in _LIST_INTRO.finditer(text[:_MAX_FIELD_TEXT]):
        lines = text[intro.end() :].lstrip("\r\n").splitlines()
        for line in lines[:12]:
            if not line.strip():
                if found:
                    break
                continue
            for addr in ADDRESS.findall(line):
                if addr.lower() not in found:
                    found.append(addr.lower())
    return found


def _stated_failures(text: str, mail: InboundMail) -> list[str]:
    """Addresses the bounce's own words give as failed (Sendmail, Exim-like, gateways)."""
    marker = _RETURNED_MARKERS.search(text[:_MAX_FIELD_TEXT])
    head = text[: marker.start()] if marker else text[:_STATED_HEAD]
    ours = {a.lower() for a in ADDRESS.findall(" ".join(
        [*mail.header_all("to"), *mail.header_all("from")]))}
    for patterns in (_STATED, (_LONE_ADDRESS,), (_RCPT_TO,)):
        found: list[str] = []
        for pattern in patterns:
            for match in pattern.finditer(head):
                addr = match.group("addr").strip(".").lower()
                if addr not in ours and addr not in found:
                    found.append(addr)
        if found:
            return found
    return []


def _header_failures(mail: InboundMail) -> list[str]:
    """X-Failed-Recipients as parse.py decoded it (encoded words included)."""
    found: list[str] = []
    for value in mail.header_all("x-failed-recipients"):
        for piece in value.split(","):
            addr = _decode_address(piece)
            if addr and addr not in found:
                found.append(addr)
    return found


def _returned_recipient(msg: Message, text: str = "") -> str:
    """The single To of the returned original, the last resort when a bounce names nobody.

    mailflow writes to one person per message, so the bounced copy's To is who failed;
    a message to several people leaves it unknown.
    """
    for part in msg.walk():
        ctype = part.get_content_type()
        inner = part.get_payload()
        headers: Message | None = None
        if ctype == "message/rfc822" and isinstance(inner, list) and inner:
            headers = inner[0] if isinstance(inner[0], Message) else None
        elif ctype in _HEADER_PARTS and isinstance(inner, str):
            headers = email.message_from_string(inner)
        if headers is not None:
            to = ADDRESS.findall(one_line(headers.get("To", "")))
            return to[0].lower() if len(to) == 1 else ""
    # Text-only bounces paste the original's headers after a marker line.
    marker = _RETURNED_MARKERS.search(text[:_MAX_FIELD_TEXT])
    if marker:
        tail = text[marker.end() : marker.end() + 20_000]
        pasted = re.findall(r"(?im)^to:[ \t]*([^\r\n]+)", tail)
        to = ADDRESS.findall(pasted[0]) if pasted else []
        return to[0].lower() if len(to) == 1 else ""
    return ""


def _permanent_failures(msg: Message) -> frozenset[bytes]:
    """flufl.bounce's permanent failures, surviving a detector that trips on odd input.

    all_failures() re-raises the first detector exception, which would hide what the later
    detectors (e.g. SimpleMatch after Yale) find; so run them one by one, in flufl's order,
    stopping at the first that finds anything, as all_failures() does.
    """
    detectors = getattr(_scan, "_DETECTORS", None)
    if not detectors:  # flufl.bounce reorganised: the public call is second best
        try:
            return frozenset(all_failures(msg)[1])
        except Exception:  # noqa: BLE001 - a detector tripping on odd input is not our failure
            return frozenset()
    for detector in detectors:
        try:
            temporary, permanent = detector().process(msg)
        except Exception:  # noqa: BLE001
            continue
        if temporary or permanent:
            return frozenset(permanent)
    return frozenset()


def find_bounces(raw: bytes, mail: InboundMail) -> tuple[Bounce, ...]:
    """Every failed recipient the bounce names, with status and the Message-ID that bounced.

    RFC 3464 reports come from parse.py (mail.bounces); flufl.bounce adds Exim, qmail, old
    Exchange and other text formats. Heuristic detectors would invent failures in ordinary
    mail, so they only run on mail hygiene already calls a bounce. Temporary failures (delays)
    are left out, as parse.py does: the message may still arrive. Never raises.
    """
    known = list(mail.bounces)
    if not is_bounce(mail):
        return tuple(known)
    try:
        msg = email.message_from_bytes(raw[:_MAX_SCAN])
        text = _text_of(msg)
        original_id = _original_message_id(msg, text, mail)
    except Exception:  # noqa: BLE001 - hostile structure: keep what parse.py found
        return tuple(known)

    found: list[Bounce] = [
        Bounce(
            b.recipient,
            b.status,
            sanitise_header(b.diagnostic, 300),
            b.original_message_id or original_id,
        )
        for b in known
    ]
    seen = {b.recipient for b in found}
    permanent = _permanent_failures(msg)
    stated: list[bytes | str] = [
        *_header_failures(mail), *_pasted_failures(text), *_listed_failures(text)
    ]
    # A delivery-status report that names nobody as failed has said so (delays), and a
    # delay warning names who is still being tried: neither is a failure to record.
    settled = mail.is_delivery_report or bool(_DELAY_WORDS.search(mail.subject))
    if not stated and not permanent and not found and not settled:
        stated = list(_stated_failures(text, mail))
    for value in [*stated, *sorted(permanent)]:
        recipient = _decode_address(value)
        if "@" not in recipient or recipient in seen:
            continue
        seen.add(recipient)
        status, diagnostic = _details(text, recipient, permanent=True)
        found.append(Bounce(recipient, status, diagnostic, original_id))
    if not found and not settled:
        recipient = _returned_recipient(msg, text)
        if recipient:
            status, diagnostic = _details(text, recipient, permanent=True)
            found.append(Bounce(recipient, status, diagnostic, original_id))
    return tuple(found)


def complained_addresses(raw: bytes, mail: InboundMail) -> tuple[str, ...]:
    """Who marked our mail as spam: Original-Rcpt-To of the feedback report, else the
    reported message's To (providers often redact it; then nobody). Never raises."""
    if not is_complaint(mail):
        return ()
    try:
        msg = email.message_from_bytes(raw[:_MAX_SCAN])
        for part in msg.walk():
            if part.get_content_type() != "message/feedback-report":
                continue
            payload = part.get_payload()
            text = payload if isinstance(payload, str) else "\n".join(
                p.as_string() for p in payload if isinstance(p, Message)
            ) if isinstance(payload, list) else ""
            found = re.search(r"(?im)^original-rcpt-to:[ \t]*(.+)$", str(text))
            if found and _decode_address(found.group(1)):
                return (_decode_address(found.group(1)),)
        recipient = _returned_recipient(msg)
    except Exception:  # noqa: BLE001 - hostile structure: no address to act on
        return ()
    return (recipient,) if recipient else ()
