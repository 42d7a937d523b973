"""find_bounces over real-looking DSNs and text bounces: recipient, status, our Message-ID."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailflow.bounces import find_bounces
from mailflow.parse import parse_message

CORPUS = Path(__file__).parent / "corpus" / "hygiene"


@pytest.mark.parametrize(
    ("name", "recipient", "status", "original"),
    [
        ("exchange_ndr.eml", "t.old@ucl.ac.uk", "5.1.10", "<mailflow.c0ffee01@lupc.ac.uk>"),
        ("postfix_dsn.eml", "r.brown@lse.ac.uk", "5.1.1", "<mailflow.5e1f0a@lupc.ac.uk>"),
        ("exim_text_bounce.eml", "k.patel@city.ac.uk", "5.2.1", "<mailflow.off3r77@lupc.ac.uk>"),
        ("exim_old_no_header.eml", "m.okafor@soas.ac.uk", "5.1.1", "<mailflow.t3xt1le@lupc.ac.uk>"),
        ("qmail_bounce.eml", "a.jones@rvc.ac.uk", "5.1.1", "<mailflow.qm41l@lupc.ac.uk>"),
    ],
)
def test_bounce_found(name: str, recipient: str, status: str, original: str) -> None:
    raw = (CORPUS / name).read_bytes()
    (bounce,) = find_bounces(raw, parse_message(raw))
    assert bounce.recipient == recipient
    assert bounce.status == status
    assert bounce.is_hard
    assert bounce.original_message_id == original
    assert "\n" not in bounce.diagnostic and "  " not in bounce.diagnostic
    assert len(bounce.diagnostic) <= 300


def test_exim_diagnostic_is_the_remote_reason() -> None:
    raw = (CORPUS / "exim_text_bounce.eml").read_bytes()
    (bounce,) = find_bounces(raw, parse_message(raw))
    assert "Mailbox disabled" in bounce.diagnostic
    assert "copy of the message" not in bounce.diagnostic


def test_exchange_ndr_in_reply_to_is_used_when_no_headers_returned() -> None:
    raw = (CORPUS / "exchange_ndr.eml").read_bytes()
    cut = (
        raw.split(b"Content-Type: text/rfc822-headers")[0]
        + b"--2a3b4c5d-6e7f-8091-a2b3-c4d5e6f70819--\n"
    )
    (bounce,) = find_bounces(cut, parse_message(cut))
    assert bounce.original_message_id == "<mailflow.c0ffee01@lupc.ac.uk>"


def test_our_message_id_preferred_over_other_ids() -> None:
    # The returned original carries our ID and an In-Reply-To of the member's; ours is chosen.
    raw = (CORPUS / "postfix_dsn.eml").read_bytes()
    (bounce,) = find_bounces(raw, parse_message(raw))
    assert bounce.original_message_id.startswith("<mailflow.")


@pytest.mark.parametrize(
    "name",
    [
        "thunderbird_human.eml",
        "human_subject_undeliverable.eml",  # mentions a bounce, is not one
        "outlook_auto_reply_en.eml",
        "mailing_list_digest.eml",
    ],
)
def test_no_bounces_in_ordinary_mail(name: str) -> None:
    raw = (CORPUS / name).read_bytes()
    assert find_bounces(raw, parse_message(raw)) == ()


def test_delayed_dsn_is_not_a_bounce() -> None:
    raw = (CORPUS / "postfix_dsn.eml").read_bytes().replace(b"Action: failed", b"Action: delayed")
    raw = raw.replace(b"Status: 5.1.1", b"Status: 4.4.1")
    bounces = find_bounces(raw, parse_message(raw))
    assert all(b.is_hard for b in bounces)


def test_never_raises_on_garbage() -> None:
    raw = (CORPUS / "qmail_bounce.eml").read_bytes()
    parsed = parse_message(raw)
    for junk in (b"", b"\x00\xff" * 100, b"Content-Type: multipart/report; boundary=\n\n--\n"):
        assert isinstance(find_bounces(junk, parsed), tuple)


def test_detector_crash_does_not_hide_later_detectors() -> None:
    # Without a From header flufl.bounce's Yale detector raises IndexError; all_failures()
    # would give up there, before SimpleMatch recognises this old Exim text.
    raw = (CORPUS / "exim_old_no_header.eml").read_bytes()
    raw = raw.replace(b"From: Mail Delivery System <Mailer-Daemon@smtp.soas.ac.uk>\n", b"", 1)
    assert b"Mailer-Daemon@smtp" not in raw.split(b"\n\n", 1)[0]
    (bounce,) = find_bounces(raw, parse_message(raw))
    assert bounce.recipient == "m.okafor@soas.ac.uk"
