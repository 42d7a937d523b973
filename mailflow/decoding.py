"""Bytes and header values -> text: charsets, RFC 2047 encoded words, one-line header values."""

from __future__ import annotations

import codecs
import contextlib
import re
from email.header import Header
from email.header import decode_header as _rfc2047_words
from email.message import Message

# Everything str.splitlines() breaks on (C1 NEL, U+2028/9 too): the email package refuses
# such a header value outright, so one left in would fail the reply, not just look odd.
_CRLF = re.compile(r"[\r\n\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]+")
_SURROGATES = re.compile("[\ud800-\udfff]")


def one_line(value: object) -> str:
    """A header value safe to store and to reuse in outgoing headers: no control characters."""
    # Lone surrogates (undecodable 8-bit smuggled through surrogateescape) cannot be encoded
    # again, so storing or sending them would fail far from here.
    text = str(value or "")
    if text.isascii() and text.isprintable():
        return text.strip()  # most values: no control character or surrogate to replace
    text = _SURROGATES.sub("\ufffd", text)
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


def decode_header(value: object) -> str:
    """Decode RFC 2047 encoded words; tolerate unknown charsets and raw 8-bit."""
    if value is None:
        return ""
    if isinstance(value, Header):
        # compat32 wraps raw 8-bit (e.g. UTF-8, RFC 6532) headers in a Header whose str() is
        # U+FFFD; its chunks keep the bytes, which decode_bytes can read.
        try:
            return "".join(
                decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk
                for chunk, charset in _rfc2047_words(value)
            )
        except Exception:  # noqa: BLE001 - fall back to the lossy text
            return str(value)
    text = str(value)
    if "=?" not in text:
        return text
    try:
        pieces = []
        for chunk, charset in _rfc2047_words(text):
            if isinstance(chunk, bytes):
                pieces.append(decode_bytes(chunk, charset))
            else:
                pieces.append(chunk)
        return "".join(pieces)
    except Exception:  # noqa: BLE001 - malformed encoded words stay as written
        return text
