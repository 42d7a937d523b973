"""Hygiene predicates one by one, and automated_reason over a corpus of real-looking messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailflow import hygiene
from mailflow.hygiene import automated_reason, is_own_message_id, make_message_id
from mailflow.parse import parse_message

from support import parsed_mail

OWN = "registrations@lupc.ac.uk"
CORPUS = Path(__file__).parent / "corpus" / "hygiene"


mail = parsed_mail


HUMAN = mail()


# --- Message-ID round trip --------------------------------------------------------------------


def test_make_message_id_shape_and_recognised() -> None:
    mid = make_message_id(OWN, "a1b2c3")
    assert mid == "<mailflow.a1b2c3@lupc.ac.uk>"
    assert is_own_message_id(mid, OWN)
    assert is_own_message_id(mid.upper(), "Registrations@LUPC.AC.UK")


def test_make_message_id_cleans_token() -> None:
    mid = make_message_id(OWN, "a b<c>\r\n@d")
    assert "\r" not in mid and " " not in mid and mid.count("@") == 1
    assert is_own_message_id(mid, OWN)
    with pytest.raises(ValueError):
        make_message_id(OWN, "<>@ ")


@pytest.mark.parametrize(
    "mid",
    [
        "<mailflow.x@other.example>",  # another domain's mailflow
        "<mailflow.@lupc.ac.uk>",  # no token
        "<abc@lupc.ac.uk>",
        "<xmailflow.abc@lupc.ac.uk>",
        "mailflow.abc@lupc.ac.uk",  # no brackets
        "<mailflow.abc@lupc.ac.uk.evil.example>",
        "",
    ],
)
def test_not_own_message_id(mid: str) -> None:
    assert not is_own_message_id(mid, OWN)


# --- one test per predicate: positive and negative ----------------------------------------------


def test_is_from_own_address() -> None:
    assert hygiene.is_from_own_address(mail("From: Us <REGISTRATIONS@lupc.ac.uk>"), OWN)
    assert not hygiene.is_from_own_address(HUMAN, OWN)
    assert not hygiene.is_from_own_address(mail("From: nobody"), "")


def test_is_own_message_looped() -> None:
    assert hygiene.is_own_message_looped(mail("Message-ID: <mailflow.zz9@lupc.ac.uk>"), OWN)
    # A human reply refers to our ID; that is the normal case, not a loop.
    reply = mail("In-Reply-To: <mailflow.zz9@lupc.ac.uk>", "References: <mailflow.zz9@lupc.ac.uk>")
    assert not hygiene.is_own_message_looped(reply, OWN)


def test_is_mailflow_outcome_header() -> None:
    assert hygiene.is_mailflow_outcome_header(mail("X-Mailflow-Outcome: food-2025=confirmed"))
    assert not hygiene.is_mailflow_outcome_header(HUMAN)


def test_is_delivery_report() -> None:
    raw = (CORPUS / "postfix_dsn.eml").read_bytes()
    assert hygiene.is_delivery_report(parse_message(raw))
    assert not hygiene.is_delivery_report(HUMAN)


def test_is_failed_recipients_header() -> None:
    assert hygiene.is_failed_recipients_header(mail("X-Failed-Recipients: a@b.example"))
    assert not hygiene.is_failed_recipients_header(mail("X-Failed-Recipients:  "))


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("MAILER-DAEMON@mx.example.org", True),
        ("Mailer-Daemon@mx1.city.ac.uk", True),
        ("postmaster@ucl.ac.uk", True),
        ("mail-daemon@x.example", True),
        ("s.lee@kcl.ac.uk", False),
        ("postmaster.team.lead@x.example", False),
        ("daemon.fan@x.example", False),
    ],
)
def test_is_daemon_sender(sender: str, expected: bool) -> None:
    assert hygiene.is_daemon_sender(mail(f"From: {sender}")) is expected


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Undeliverable: Your place", True),
        ("Delivery Status Notification (Failure)", True),
        ("Mail delivery failed: returning message to sender", True),
        ("Undelivered Mail Returned to Sender", True),
        ("failure notice", True),
        ("Returned mail: see transcript for details", True),
        ("Unzustellbar: Ihre Anmeldung", True),
        ("Non remis : Inscription", True),
        ("Re: Undeliverable: Your place", False),
        ("Food webinar", False),
    ],
)
def test_is_ndr_subject(subject: str, expected: bool) -> None:
    assert hygiene.is_ndr_subject(mail(f"Subject: {subject}")) is expected


def test_is_ndr_from_daemon_needs_daemon_or_null_sender() -> None:
    subject = "Subject: Undeliverable: Your place"
    assert hygiene.is_ndr_from_daemon(mail(subject, "From: postmaster@ucl.ac.uk"))
    assert hygiene.is_ndr_from_daemon(mail(subject, "Return-Path: <>"))
    assert not hygiene.is_ndr_from_daemon(mail(subject))  # a human chose that subject


def test_is_empty_return_path() -> None:
    assert hygiene.is_empty_return_path(mail("Return-Path: <>"))
    assert not hygiene.is_empty_return_path(mail("Return-Path: <s.lee@kcl.ac.uk>"))
    assert not hygiene.is_empty_return_path(HUMAN)  # absent is not empty


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("auto-replied", True),
        ("auto-generated", True),
        ("auto-notified; owner-email=x@y.example", True),
        ("AUTO-REPLIED", True),
        ("no", False),
        ("No", False),
        ("no; comment", False),
    ],
)
def test_is_auto_submitted(value: str, expected: bool) -> None:
    assert hygiene.is_auto_submitted(mail(f"Auto-Submitted: {value}")) is expected


def test_is_auto_submitted_absent() -> None:
    assert not hygiene.is_auto_submitted(HUMAN)


def test_is_x_autoreply() -> None:
    assert hygiene.is_x_autoreply(mail("X-Autoreply: yes"))
    assert hygiene.is_x_autoreply(mail("X-Autogenerated: Reply"))
    assert not hygiene.is_x_autoreply(mail("X-Autoreply: no"))
    assert not hygiene.is_x_autoreply(HUMAN)


def test_is_x_autorespond() -> None:
    assert hygiene.is_x_autorespond(mail("X-Autorespond: helpdesk"))
    assert not hygiene.is_x_autorespond(mail("X-Autorespond: false"))
    assert not hygiene.is_x_autorespond(HUMAN)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("bulk", True), ("junk", True), ("list", True), ("BULK", True), ("first-class", False)],
)
def test_is_bulk_precedence(value: str, expected: bool) -> None:
    assert hygiene.is_bulk_precedence(mail(f"Precedence: {value}")) is expected


def test_is_list_id() -> None:
    assert hygiene.is_list_id(mail("List-Id: <members.lists.example.ac.uk>"))
    assert not hygiene.is_list_id(HUMAN)


def test_is_list_unsubscribe() -> None:
    assert hygiene.is_list_unsubscribe(mail("List-Unsubscribe: <mailto:leave@x.example>"))
    assert not hygiene.is_list_unsubscribe(HUMAN)


@pytest.mark.parametrize(
    ("sender", "expected"),
    [
        ("no-reply@zoom.us", True),
        ("noreply@github.com", True),
        ("do-not-reply@ucl.ac.uk", True),
        ("donotreply@kcl.ac.uk", True),
        ("no_reply@x.example", True),
        ("noreply+abc123@x.example", True),
        ("noreply-notifications@x.example", True),
        ("nora.reply@x.example", False),
        ("replyhere@x.example", False),
        ("s.lee@kcl.ac.uk", False),
    ],
)
def test_is_noreply_sender(sender: str, expected: bool) -> None:
    assert hygiene.is_noreply_sender(mail(f"From: {sender}")) is expected


@pytest.mark.parametrize(
    "subject",
    [
        "Automatic reply: Construction webinar",
        "Automatic reply",
        "Auto reply: Food",
        "Auto-Reply: Food",
        "AutoReply: Food",
        "Out of Office: Re: Food webinar",
        "Out of Office AutoReply: Food webinar",
        "Out of the office",
        "[Auto-Reply] Food",
        "Abwesenheitsnotiz: AW: Anmeldung",
        "Automatische Antwort: Anmeldung",
        "Réponse automatique : Inscription",
        "Réponse automatique\u00a0: Inscription",
        "Risposta automatica: Iscrizione",
        "Respuesta automática: Inscripción",
        "Automatisch antwoord: Aanmelding",
        "Autosvar: Anmälan",
        "Automatisk svar: Påmelding",
        "Automaattinen vastaus: Ilmoittautuminen",
        "Automatyczna odpowiedź: Rejestracja",
        "自动回复: 注册",
    ],
)
def test_is_auto_reply_subject(subject: str) -> None:
    assert hygiene.is_auto_reply_subject(mail(f"Subject: {subject}"))


@pytest.mark.parametrize(
    "subject",
    [
        "Out of office next week - please book me on the Food webinar",
        "Automatic reply settings stopped me getting your mail?",
        "Re: Automatic reply: Construction webinar",  # a human answering an auto-reply
        "My autoreply is broken",
        "Food webinar",
        "",
    ],
)
def test_is_not_auto_reply_subject(subject: str) -> None:
    assert not hygiene.is_auto_reply_subject(mail(f"Subject: {subject}"))


def test_is_suppress_with_away_subject() -> None:
    away = "Subject: Away until Monday"
    assert hygiene.is_suppress_with_away_subject(mail("X-Auto-Response-Suppress: All", away))
    assert hygiene.is_suppress_with_away_subject(mail("X-Auto-Response-Suppress: OOF, DR", away))
    assert hygiene.is_suppress_with_away_subject(
        mail("X-Auto-Response-Suppress: All", "X-MS-Exchange-Inbox-Rules-Loop: s.lee@kcl.ac.uk")
    )
    # Outlook puts the header on ordinary mail: alone, or with a non-away subject, it is nothing.
    assert not hygiene.is_suppress_with_away_subject(mail("X-Auto-Response-Suppress: All"))
    assert not hygiene.is_suppress_with_away_subject(mail(away))
    assert not hygiene.is_suppress_with_away_subject(mail("X-Auto-Response-Suppress: DR", away))


def test_is_bounce() -> None:
    for name in (
        "exchange_ndr",
        "postfix_dsn",
        "exim_text_bounce",
        "exim_old_no_header",
        "qmail_bounce",
    ):
        assert hygiene.is_bounce(parse_message((CORPUS / f"{name}.eml").read_bytes())), name
    assert hygiene.is_bounce(mail("X-Failed-Recipients: a@b.example"))
    assert not hygiene.is_bounce(HUMAN)
    # An auto-reply with a null Return-Path is not a bounce: it says nothing about delivery.
    assert not hygiene.is_bounce(mail("Return-Path: <>", "Auto-Submitted: auto-replied"))
    for name in ("outlook_auto_reply_en", "gmail_vacation", "human_subject_undeliverable"):
        assert not hygiene.is_bounce(parse_message((CORPUS / f"{name}.eml").read_bytes())), name


# --- the entry point ------------------------------------------------------------------------------


def test_human_mail_has_no_reason() -> None:
    assert automated_reason(HUMAN, OWN) is None


def test_body_never_decides() -> None:
    body = "Automatic reply: I am out of the office.\nAuto-Submitted: auto-replied\n"
    assert automated_reason(mail(body=body), OWN) is None


def test_reason_has_no_control_characters() -> None:
    reason = automated_reason(mail("Subject: Automatic reply:\u202e evil\x07"), OWN)
    assert reason is not None
    assert all(ch.isprintable() for ch in reason)


def test_first_rule_wins_own_address_before_auto_submitted() -> None:
    looped = mail(f"From: {OWN}", "Auto-Submitted: auto-replied")
    assert automated_reason(looped, OWN) == "own address"


CORPUS_EXPECTED: dict[str, str | None] = {
    # automatic replies
    "outlook_auto_reply_en.eml": "auto-reply: Auto-Submitted: auto-replied",
    "outlook_auto_reply_de.eml": "auto-reply: subject 'Abwesenheitsnotiz: AW: Anmeldung Webinar'",
    "outlook_auto_reply_fr.eml": "auto-reply: subject 'Réponse automatique : Inscription à l'at'",
    "gmail_vacation.eml": "auto-reply: Auto-Submitted: auto-replied",
    "outlook_suppress_away_subject.eml": (
        "auto-reply: X-Auto-Response-Suppress with an away subject"
    ),
    "x_autoreply_vacation.eml": "auto-reply: X-Autoreply",
    "x_autorespond_helpdesk.eml": "auto-reply: X-Autorespond",
    "null_return_path_autoresponder.eml": "null sender: empty Return-Path",
    # bounces
    "exchange_ndr.eml": "bounce: delivery status report",
    "postfix_dsn.eml": "bounce: delivery status report",
    "exim_text_bounce.eml": "bounce: X-Failed-Recipients",
    "exim_old_no_header.eml": (
        "bounce: non-delivery subject 'Mail delivery failed: returning message '"
    ),
    "qmail_bounce.eml": "bounce: non-delivery subject 'failure notice'",
    # lists, bulk, notifications
    "mailing_list_digest.eml": "bulk: Precedence: list",
    "list_post_no_precedence.eml": "mailing list: List-Id",
    "newsletter_list_unsubscribe.eml": "mailing list: List-Unsubscribe",
    "spam_precedence_bulk.eml": "bulk: Precedence: bulk",
    "noreply_notification.eml": "no-reply sender no-reply@zoom.us",
    # loops
    "own_address.eml": "own address",
    "own_message_id_via_alias.eml": "loop: our own Message-ID",
    # people
    "human_ooo_subject_with_request.eml": None,
    "human_body_looks_automatic.eml": None,
    "human_automatic_reply_settings_question.eml": None,
    "human_subject_undeliverable.eml": None,
    "human_reply_to_our_message.eml": None,
    "outlook_human_suppress_all.eml": None,
    "thunderbird_human.eml": None,
    "apple_mail_human.eml": None,
    "gmail_human.eml": None,
}


def test_corpus_table_covers_every_file() -> None:
    assert {p.name for p in CORPUS.glob("*.eml")} == set(CORPUS_EXPECTED)


@pytest.mark.parametrize(("name", "expected"), sorted(CORPUS_EXPECTED.items()))
def test_corpus_reason(name: str, expected: str | None) -> None:
    parsed = parse_message((CORPUS / name).read_bytes())
    assert automated_reason(parsed, OWN) == expected
