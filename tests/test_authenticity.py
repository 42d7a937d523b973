"""sender_verdict believes only the trusted server's Authentication-Results; sanitise_header."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailflow.authenticity import sanitise_header, sender_verdict
from mailflow.model import InboundMail
from mailflow.parse import parse_message

TRUSTED = "mx.lupc.ac.uk"
CORPUS = Path(__file__).parent / "corpus" / "hygiene"


def mail(*results: str, sender: str = "s.lee@kcl.ac.uk") -> InboundMail:
    lines = [f"Authentication-Results: {r}" for r in results]
    raw = "\r\n".join(
        [
            *lines,
            f"From: Sam Lee <{sender}>",
            "Subject: Please cancel my place",
            "Message-ID: <x1@kcl.ac.uk>",
            "",
            "Please cancel my place on the Food webinar.",
        ]
    )
    return parse_message(raw.encode())


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        # DMARC decides when present.
        ([f"{TRUSTED}; dmarc=pass header.from=kcl.ac.uk"], "pass"),
        ([f"{TRUSTED}; dmarc=fail (p=reject) header.from=kcl.ac.uk"], "fail"),
        ([f"{TRUSTED}; dkim=pass header.d=kcl.ac.uk; dmarc=fail header.from=kcl.ac.uk"], "fail"),
        # A DMARC pass for another From domain says nothing about ours.
        ([f"{TRUSTED}; dmarc=pass header.from=evil.example"], "none"),
        # No DMARC: aligned DKIM or SPF.
        ([f"{TRUSTED}; dkim=pass header.d=kcl.ac.uk header.s=sel"], "pass"),
        ([f"{TRUSTED}; dkim=pass header.i=@kcl.ac.uk"], "pass"),
        ([f"{TRUSTED}; dkim=pass header.d=mail.kcl.ac.uk"], "pass"),  # subdomain of From's
        ([f"{TRUSTED}; spf=pass smtp.mailfrom=bounces@kcl.ac.uk"], "pass"),
        ([f"{TRUSTED}; spf=pass smtp.mailfrom=kcl.ac.uk"], "pass"),
        ([f"{TRUSTED}; dkim=pass header.d=mailchimp.example"], "none"),  # unaligned
        ([f"{TRUSTED}; dkim=pass header.d=uk"], "none"),  # a bare TLD aligns with nothing
        ([f"{TRUSTED}; dkim=pass header.d=notkcl.ac.uk"], "none"),
        ([f"{TRUSTED}; spf=fail smtp.mailfrom=kcl.ac.uk"], "fail"),
        ([f"{TRUSTED}; dkim=fail header.d=kcl.ac.uk; spf=none"], "fail"),
        ([f"{TRUSTED}; dkim=fail header.d=kcl.ac.uk; spf=pass smtp.mailfrom=kcl.ac.uk"], "pass"),
        ([f"{TRUSTED}; spf=softfail smtp.mailfrom=kcl.ac.uk"], "none"),
        ([f"{TRUSTED}; none"], "none"),
        ([], "none"),
        # Results split over several headers from our server (milters each add one).
        ([f"{TRUSTED}; spf=none", f"{TRUSTED}; dkim=pass header.d=kcl.ac.uk"], "pass"),
        # Case, version numbers, comments and quoting.
        (["MX.LUPC.AC.UK 1; DKIM=Pass (good sig) header.d=KCL.AC.UK"], "pass"),
        ([f'{TRUSTED}; dkim=pass header.d="kcl.ac.uk"'], "pass"),
        ([f"{TRUSTED} (comment; with; semicolons); dmarc=pass header.from=kcl.ac.uk"], "pass"),
        ([f"{TRUSTED}; dkim=pass (header.d=kcl.ac.uk) header.d=evil.example"], "none"),
    ],
)
def test_trusted_results(results: list[str], expected: str) -> None:
    assert sender_verdict(mail(*results), TRUSTED) == expected


def test_untrusted_authserv_id_is_ignored() -> None:
    forged = mail("evil.example; dmarc=pass header.from=kcl.ac.uk; dkim=pass header.d=kcl.ac.uk")
    assert sender_verdict(forged, TRUSTED) == "none"
    # Lookalike ids are not ours either.
    assert sender_verdict(mail("mx.lupc.ac.uk.evil.example; dmarc=pass"), TRUSTED) == "none"


def test_forged_pass_beside_real_fail_is_fail() -> None:
    both = mail(
        f"{TRUSTED}; dmarc=fail header.from=kcl.ac.uk",
        f"{TRUSTED}; dmarc=pass header.from=kcl.ac.uk",
    )
    assert sender_verdict(both, TRUSTED) == "fail"


def test_exchange_online_header_without_authserv_id_is_ignored() -> None:
    no_id = mail(
        "spf=pass (sender IP is 1.2.3.4) smtp.mailfrom=kcl.ac.uk; dmarc=pass header.from=kcl.ac.uk"
    )
    assert sender_verdict(no_id, TRUSTED) == "none"


def test_no_trusted_id_configured_means_none() -> None:
    assert sender_verdict(mail(f"{TRUSTED}; dmarc=fail header.from=kcl.ac.uk"), "") == "none"
    assert sender_verdict(mail(f"{TRUSTED}; dmarc=pass header.from=kcl.ac.uk"), "  ") == "none"


def test_missing_from_cannot_align() -> None:
    assert (
        sender_verdict(mail(f"{TRUSTED}; dkim=pass header.d=kcl.ac.uk", sender="x"), TRUSTED)
        == "none"
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("gmail_human.eml", "pass"),
        ("outlook_human_suppress_all.eml", "pass"),
        ("thunderbird_human.eml", "none"),
    ],
)
def test_corpus_verdicts(name: str, expected: str) -> None:
    assert sender_verdict(parse_message((CORPUS / name).read_bytes()), TRUSTED) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Plain name", "Plain name"),
        ("Evil\r\nBcc: victim@example.com", "Evil Bcc: victim@example.com"),
        ("tab\tand  spaces\u00a0here", "tab and spaces here"),
        ("nul\x00bell\x07esc\x1b", "nul bell esc"),
        ("line\u2028separator\u2029para", "line separator para"),
        ("right\u202eto left\u2066", "right to left"),
        ("  padded  ", "padded"),
        ("", ""),
    ],
)
def test_sanitise_header(value: str, expected: str) -> None:
    assert sanitise_header(value) == expected


def test_sanitise_header_limit() -> None:
    assert sanitise_header("x" * 1000) == "x" * 200
    assert sanitise_header("abcdef", limit=3) == "abc"
    assert sanitise_header("abc", limit=-1) == ""
