"""Failed recipients of a bounce: RFC 3464 reports plus flufl.bounce's older-format detectors."""

from __future__ import annotations

import email
import re
from email.message import Message

from flufl.bounce import _scan, all_failures

from mailflow.authenticity import sanitise_header
from mailflow.hygiene import is_bounce
from mailflow.model import Bounce, InboundMail
from mailflow.parse import one_line

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


def _decode_address(value: bytes | str) -> str:
    text = value.decode("ascii", errors="ignore") if isinstance(value, bytes) else str(value)
    return one_line(text).strip("<>").lower()


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
    for value in sorted(permanent):
        recipient = _decode_address(value)
        if "@" not in recipient or recipient in seen:
            continue
        seen.add(recipient)
        status, diagnostic = _details(text, recipient, permanent=True)
        found.append(Bounce(recipient, status, diagnostic, original_id))
    return tuple(found)
