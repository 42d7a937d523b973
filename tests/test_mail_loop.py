"""Two mailflows answering each other plus an auto-responder: the exchange dies out at once."""

from __future__ import annotations

import email
import email.policy
import email.utils
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from mailflow.handle import Desk

from support import FROM, Rig, mail, write_config

pytestmark = pytest.mark.integration

A_ADDRESS = FROM  # registrations@lupc.example
B_ADDRESS = "desk@camden-council.example"  # a full member of A's series
RESPONDER = "away@westbury.ac.example"  # a full member of both
MAX_SECONDS = 60.0
MAX_ROUNDS = 40


def instance(directory: Path, dovecot: Any, sink: Any, from_address: str, extra: str) -> Rig:
    directory.mkdir()
    password = uuid.uuid4().hex
    login = dovecot.add_user(f"loop-{uuid.uuid4().hex[:8]}", password)
    rig = write_config(directory, imap_host=dovecot.host, imap_port=dovecot.port,
                       username=login, password=password, smtp_port=sink.port,
                       db_url=f"sqlite:///{directory}/m.db")
    text = rig.path.read_text().replace(f'from_address = "{FROM}"',
                                        f'from_address = "{from_address}"')
    rig.path.write_text(text + extra)
    return rig


def auto_reply(to: bytes) -> bytes:
    """What a vacation responder sends back: a new message, marked as automatic."""
    original = email.message_from_bytes(to, policy=email.policy.default)
    return (f"From: Away <{RESPONDER}>\r\nTo: {original['From']}\r\n"
            f"Subject: Automatic reply: {original['Subject']}\r\n"
            f"Message-ID: <{uuid.uuid4().hex}@westbury.ac.example>\r\n"
            f"In-Reply-To: {original['Message-ID']}\r\n"
            f"Date: {email.utils.formatdate()}\r\nAuto-Submitted: auto-replied\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "I am away until Monday and will read your message when I return.\r\n").encode()


def test_two_mailflows_and_an_auto_responder_do_not_loop(
    tmp_path: Path, dovecot: Any, smtp_sink: Any
) -> None:
    # Each instance's own address is a full member of the other's series, so each would
    # happily register the other if it mistook a reply for a request.
    lupc_member = ('\n[[members]]\nname = "LUPC"\ndomains = ["lupc.example"]\n'
                   'membership = "full"\n')
    a = instance(tmp_path / "a", dovecot, smtp_sink, A_ADDRESS, "")
    b = instance(tmp_path / "b", dovecot, smtp_sink, B_ADDRESS, lupc_member)
    desks: dict[str, tuple[Rig, Desk]] = {A_ADDRESS: (a, a.desk()), B_ADDRESS: (b, b.desk())}
    logins = {address: rig.settings().mailbox.username for address, (rig, _) in desks.items()}

    # A hears from B's address, B from the responder's: every answer lands where something
    # automatic (the other mailflow, the responder) could answer it back.
    dovecot.append(logins[A_ADDRESS], "INBOX", mail(
        B_ADDRESS, "Food", "Please register me for the food webinar."))
    dovecot.append(logins[B_ADDRESS], "INBOX", mail(
        RESPONDER, "Food", "Please register me for the food webinar.").replace(
            f"To: {FROM}".encode(), f"To: {B_ADDRESS}".encode()))

    exchanged = 0
    routed = 0
    started = time.monotonic()
    for _round in range(MAX_ROUNDS):
        for rig, desk in desks.values():
            rig.poll(desk)
        # Play the MTA: deliver what the sink accepted, and let the responder answer.
        captured = smtp_sink.messages[routed:]
        routed += len(captured)
        deliveries = [(rcpt, m.data) for m in captured for rcpt in m.rcpt_tos]
        for rcpt, data in list(deliveries):
            if rcpt == RESPONDER:
                answer = auto_reply(data)
                sender = email.message_from_bytes(data, policy=email.policy.default)
                deliveries.append((sender["From"].addresses[0].addr_spec, answer))
        sent_this_round = 0
        for rcpt, data in deliveries:
            sent_this_round += 1
            if rcpt in logins:
                dovecot.append(logins[rcpt], "INBOX", data)
        exchanged += sent_this_round
        if sent_this_round == 0 or time.monotonic() - started > MAX_SECONDS:
            break

    print(f"loop: {exchanged} message(s) exchanged in {_round + 1} round(s)")
    # A answers B, B answers the responder, the responder answers B: then silence.
    assert exchanged < 5
    assert exchanged == 3
    assert sent_this_round == 0, "the exchange was still going when the rounds ran out"
    replies = [email.message_from_bytes(m.data, policy=email.policy.default)
               for m in smtp_sink.messages]
    assert sorted(r["To"].addresses[0].addr_spec for r in replies) == [RESPONDER, B_ADDRESS]
    assert all(r["Auto-Submitted"] == "auto-replied" for r in replies)
