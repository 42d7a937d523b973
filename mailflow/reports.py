"""Delivery reports (RFC 3464 DSN) and feedback reports (RFC 5965 ARF) -> what they say."""

from __future__ import annotations

import re
from email.message import Message

from mailflow.decoding import decode_header, one_line
from mailflow.model import Bounce

# An address as bounce texts write it: anything up to the @ but spaces, brackets and quotes.
ADDRESS = re.compile(r"[^\s<>;\"'(),\[\]|/]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


def _recipient_address(field: str) -> str:
    """The address of a Final-/Original-Recipient field ("rfc822; <a@b>"), or ""."""
    value = decode_header(one_line(field).split(";", 1)[-1])
    found = ADDRESS.search(value)
    return found.group(0).strip(".").lower() if found else ""


def delivery_failures(msg: Message) -> list[Bounce]:
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


def feedback_type(msg: Message) -> str | None:
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
