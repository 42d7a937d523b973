"""MIME bytes for composed mail: the stdlib generator's exact output, written directly."""

from __future__ import annotations

import functools
import random
import re
import sys
from email.message import Message
from email.policy import Policy

_NEWLINES = re.compile(r"\r\n|\r|\n")


def boundary() -> str:
    """A multipart boundary in the stdlib's form. Composed parts are quoted-printable or
    base64, which never hold a run of '=', so it cannot collide with their text."""
    return "=" * 15 + f"{random.randrange(sys.maxsize):019d}" + "=="


def flatten(msg: Message, policy: Policy) -> bytes:
    """`msg.as_bytes(policy=policy)`, without the generator's per-message machinery.

    Header folding is the policy's own (cached: most header lines repeat from one message to
    the next). Anything outside the composed shape (no boundary set, a preamble, 8-bit
    payloads) goes to the generator, so the output is always the generator's.
    """
    out: list[bytes] = []
    if not _write(msg, policy, out):
        return msg.as_bytes(policy=policy)
    return b"".join(out)


@functools.lru_cache(maxsize=4096)
def _header(policy: Policy, name: str, value: str) -> bytes:
    return policy.fold_binary(name, value)


def _write(msg: Message, policy: Policy, out: list[bytes]) -> bool:
    if msg.preamble is not None or msg.epilogue is not None:
        return False
    for name, value in msg.raw_items():
        if not isinstance(value, str):
            return False
        out.append(_header(policy, name, value))
    linesep = policy.linesep.encode()
    out.append(linesep)
    payload = msg.get_payload()
    if msg.is_multipart():
        edge = msg.get_boundary()
        if not edge or not isinstance(payload, list):
            return False
        dash = b"--" + edge.encode("ascii")
        for n, part in enumerate(payload):
            out.append((linesep if n else b"") + dash + linesep)
            if not _write(part, policy, out):
                return False
        out.append(linesep + dash + b"--" + linesep)
        return True
    if payload is None:
        return True
    if not isinstance(payload, str) or not payload.isascii():
        return False
    out.append(policy.linesep.join(_NEWLINES.split(payload)).encode("ascii"))
    return True
