"""mailflow.parse against mail-parser on every fixture: subject, From name/address, body text."""

from __future__ import annotations

import codecs
import contextlib
import email
import email.policy
import logging
import re
import signal
import sys
import time
import unicodedata
from collections import Counter
from email.errors import InvalidHeaderDefect
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from mailflow.parse import parse_message  # noqa: E402

CORPORA = [ROOT.parent / "shared" / "external-corpus", *sorted((ROOT / "tests" / "corpus").glob(
    "*/messages"))]
SKIP_SUFFIXES = (".json", ".md", ".py", ".toml")
# Signs that text was decoded wrongly: U+FFFD, UTF-8 read as Latin-1/cp1252, encoded words
# left undecoded, control characters.
_MOJIBAKE = re.compile("[\ufffd]|[ÃÂâ][\x80-\xbf\u0152-\u2122]|=\\?[^?\\s]+\\?[bBqQ]\\?|"
                       "[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _fixtures() -> list[Path]:
    found: list[Path] = []
    for corpus in CORPORA:
        found.extend(sorted(p for p in corpus.rglob("*")
                            if p.is_file() and p.suffix not in SKIP_SUFFIXES))
    return found


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _bad(text: str) -> int:
    return len(_MOJIBAKE.findall(text))


def _classes(raw: bytes) -> set[str]:
    """Which hard classes a message belongs to: raw 8-bit headers, unknown charsets, defects."""
    head = raw.split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    kinds = {"all"}
    if not head.isascii():
        kinds.add("8-bit headers")
    with contextlib.suppress(Exception):
        msg = email.message_from_bytes(raw)
        parsed = email.policy.default.header_factory("from", str(msg.get("From", "")))
        if any(isinstance(d, InvalidHeaderDefect) for d in parsed.defects):
            kinds.add("invalid From")
        if msg.defects or any(p.defects for p in msg.walk()):
            kinds.add("defects")
        for part in msg.walk():
            charset = part.get_content_charset()
            if charset:
                try:
                    codecs.lookup(charset)
                except LookupError:
                    kinds.add("unknown charset")
    return kinds


class _Slow(Exception):
    pass


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise _Slow


def _mail_parser(raw: bytes) -> tuple[str, str, str, str] | None:
    import mailparser

    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(10)
    try:
        m: Any = mailparser.parse_from_bytes(raw)
        sender = m.from_[0] if m.from_ else ("", "")
        return (str(m.subject or ""), str(sender[0] or ""), str(sender[1] or "").lower(),
                "\n".join(m.text_plain))
    except (_Slow, Exception):  # noqa: BLE001 - a parser that gives up is a figure too
        return None
    finally:
        signal.alarm(0)


def main() -> None:
    try:
        import mailparser  # noqa: F401
    except ImportError:
        print("mail-parser is not installed: pip install mail-parser to compare")
        return
    logging.disable(logging.WARNING)  # mail-parser logs every MIME type it does not handle
    fixtures = _fixtures()
    seen: Counter[str] = Counter()
    fields = ("subject", "from name", "from address", "body")
    differ: Counter[tuple[str, str]] = Counter()
    ours_better: Counter[tuple[str, str]] = Counter()
    theirs_better: Counter[tuple[str, str]] = Counter()
    examples: dict[tuple[str, str], str] = {}
    theirs_failed = 0
    t_ours = t_theirs = 0.0
    for path in fixtures:
        raw = path.read_bytes()
        kinds = _classes(raw)
        seen.update(kinds)
        start = time.perf_counter()
        mail = parse_message(raw)
        t_ours += time.perf_counter() - start
        start = time.perf_counter()
        theirs = _mail_parser(raw)
        t_theirs += time.perf_counter() - start
        if theirs is None:
            theirs_failed += 1
            continue
        # mailflow's body may be converted HTML; mail-parser has no HTML text, so the body is
        # compared only where the message had a plain part (mailflow's is_html_only false).
        ours = (mail.subject, mail.sender_name, mail.sender,
                "" if mail.is_html_only else mail.text)
        for field, a, b in zip(fields, ours, theirs, strict=True):
            if field == "body" and mail.is_html_only:
                continue
            if _norm(a) == _norm(b):
                continue
            for kind in kinds:
                differ[(kind, field)] += 1
                # Better: fewer signs of wrong decoding; then text where the other has none.
                if _bad(a) < _bad(b) or (_bad(a) == _bad(b) and a.strip() and not b.strip()):
                    ours_better[(kind, field)] += 1
                elif _bad(b) < _bad(a) or (_bad(a) == _bad(b) and b.strip() and not a.strip()):
                    theirs_better[(kind, field)] += 1
                    examples.setdefault((kind, field), f"{path.relative_to(ROOT.parent)}")
    print(f"{len(fixtures)} fixtures; mail-parser gave up (error or >10 s) on {theirs_failed}")
    print(f"parse time: mailflow {t_ours:.2f} s, mail-parser {t_theirs:.2f} s "
          f"(ratio {t_theirs / max(t_ours, 1e-9):.2f})")
    print(f"{'class':<16} {'n':>5} {'field':<13} {'differ':>6} {'mailflow better':>16} "
          f"{'mail-parser better':>19}")
    for kind in ("all", "8-bit headers", "unknown charset", "defects", "invalid From"):
        for field in fields:
            key = (kind, field)
            print(f"{kind:<16} {seen[kind]:>5} {field:<13} {differ[key]:>6} "
                  f"{ours_better[key]:>16} {theirs_better[key]:>19}")
    for key, where in sorted(examples.items()):
        print(f"mail-parser better, {key[0]} / {key[1]}: e.g. {where}")


if __name__ == "__main__":
    main()
