"""Sender authenticity from trusted Authentication-Results (RFC 8601), and header hygiene."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from mailflow.model import InboundMail

# Bidirectional overrides/isolates can make a display name read differently from what it is.
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r'([^\s=;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s;]*)')


def sanitise_header(value: str, limit: int = 200) -> str:
    """One line, no control or bidi-override characters, whitespace collapsed, at most limit."""
    cleaned = "".join(
        " " if (unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in _BIDI) else ch
        for ch in str(value or "")
    )
    return _SPACES.sub(" ", cleaned).strip()[: max(limit, 0)]


@dataclass(frozen=True)
class _Result:
    method: str  # "dkim", "spf", "dmarc", ...
    result: str  # "pass", "fail", ...
    props: dict[str, str] = field(default_factory=dict)


def _strip_comments(value: str) -> str:
    """Drop RFC 5322 comments (nested parentheses) outside quoted strings."""
    out: list[str] = []
    depth = 0
    quoted = False
    escaped = False
    for ch in value:
        if escaped:
            escaped = False
            if depth == 0:
                out.append(ch)
            continue
        if ch == "\\":
            escaped = True
            if depth == 0:
                out.append(ch)
            continue
        if ch == '"' and depth == 0:
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
            continue
        elif not quoted and ch == ")" and depth:
            depth -= 1
            continue
        if depth == 0:
            out.append(ch)
    return "".join(out)


def _parse(value: str) -> tuple[str, list[_Result]]:
    """authserv-id and the results of one Authentication-Results header value."""
    chunks = _strip_comments(value).split(";")
    head = chunks[0].split()
    # Exchange Online omits the authserv-id and starts with "spf=..."; such a header has no id.
    authserv_id = head[0].lower() if head and "=" not in head[0] else ""
    results: list[_Result] = []
    for chunk in chunks[1:] if authserv_id else chunks:
        pairs = _TOKEN.findall(chunk)
        if not pairs:
            continue
        method = pairs[0][0].split("/", 1)[0].lower()
        result = pairs[0][1].strip('"').lower()
        props = {k.lower(): v.strip('"').lower() for k, v in pairs[1:]}
        results.append(_Result(method, result, props))
    return authserv_id, results


def _aligned(domain: str, from_domain: str) -> bool:
    """Relaxed alignment without a public-suffix list: equal, or one a parent of the other."""
    domain = domain.strip().strip(".").lower()
    if "@" in domain:
        domain = domain.rsplit("@", 1)[1]
    if not domain or not from_domain:
        return False
    if domain == from_domain:
        return True
    shorter, longer = sorted((domain, from_domain), key=len)
    # A bare top-level domain ("com") is a parent of everything; it never aligns.
    return "." in shorter and longer.endswith("." + shorter)


def sender_verdict(mail: InboundMail, trusted_authserv_id: str) -> str:
    """ "pass" | "fail" | "none" for the From address, believing only our own server's results.

    Anyone can add an Authentication-Results header; only those naming trusted_authserv_id count
    (the receiving server is expected to remove forged ones with its id, RFC 8601 section 5).
    A fail anywhere in DMARC beats a pass, so a forged pass beside a real fail gains nothing.
    """
    trusted = trusted_authserv_id.strip().lower()
    if not trusted:
        return "none"
    try:
        results: list[_Result] = []
        for value in mail.header_all("authentication-results"):
            authserv_id, found = _parse(value)
            if authserv_id == trusted:
                results.extend(found)
    except Exception:  # noqa: BLE001 - a header we cannot read proves nothing
        return "none"
    from_domain = mail.sender.rsplit("@", 1)[1].lower() if "@" in mail.sender else ""

    dmarc = [r for r in results if r.method == "dmarc"]
    if any(r.result == "fail" for r in dmarc):
        return "fail"
    for r in dmarc:
        # A pass evaluated for a different From than ours says nothing about this one.
        header_from = r.props.get("header.from", "")
        if r.result == "pass" and header_from in ("", from_domain):
            return "pass"
    for r in results:
        if r.result != "pass":
            continue
        if r.method == "dkim" and any(
            _aligned(r.props.get(k, ""), from_domain) for k in ("header.d", "header.i")
        ):
            return "pass"
        if r.method == "spf" and _aligned(r.props.get("smtp.mailfrom", ""), from_domain):
            return "pass"
    if any(r.result == "fail" and r.method in ("dkim", "spf", "dmarc") for r in results):
        return "fail"
    return "none"
