"""The kinds of automated mail the external corpus showed, each by its own predicate."""

from __future__ import annotations

import functools

import pytest

from mailflow import hygiene
from mailflow.hygiene import automated_reason
from mailflow.model import InboundMail
from mailflow.parse import parse_message

from support import parsed_mail

OWN = "registrations@lupc.ac.uk"


mail = functools.partial(parsed_mail, message_id="<wild1@kcl.ac.uk>")


HUMAN = mail()


def test_auto_generated_subject_tag() -> None:
    assert hygiene.is_auto_generated_subject(mail("Subject: [AUTO GENERATED] Some subject"))
    assert hygiene.is_auto_generated_subject(mail("Subject: Re: [auto-generated] report"))
    assert not hygiene.is_auto_generated_subject(mail("Subject: Is the reminder auto generated?"))


def test_mailman_robot_needs_the_header_and_a_list_robot_sender() -> None:
    digest = mail("From: ppp-request@zzz.org", "X-Mailman-Version: 2.0.4",
                  "Subject: Ppp digest, Vol 1 #2 - 5 msgs")
    assert hygiene.is_mailman_robot(digest)
    assert automated_reason(digest, OWN) == "mailing list: Mailman ppp-request@zzz.org"
    # A member posting through a Mailman list keeps their own From: List-Id decides that.
    assert not hygiene.is_mailman_robot(mail("X-Mailman-Version: 2.1.6"))


@pytest.mark.parametrize("header", ["X-MLServer: fml [fml 4.0.3]", "X-ML-Info: contact admin",
                                    "Mailing-List: contact nyaan-help@example.org"])
def test_fml_list_headers(header: str) -> None:
    assert hygiene.is_fml_list(mail(header))
    assert not hygiene.is_fml_list(HUMAN)


@pytest.mark.parametrize("sender", ["post_master@vtext.example.com", "MDaemon@webmail.example"])
def test_more_daemon_senders_are_bounces(sender: str) -> None:
    assert hygiene.is_daemon_sender(mail(f"From: {sender}", "Subject: Re:Test message"))
    assert hygiene.is_bounce(mail(f"From: {sender}", "Subject: Re:Test message"))


def test_mailer_daemon_return_path_with_a_failure_subject() -> None:
    gateway = mail("Return-Path: <MAILER-DAEMON@sb7.example.com>", "From: imss@kviv.example",
                   "Subject: Mail could not be delivered")
    assert hygiene.is_mailer_daemon_return_path_failure(gateway) and hygiene.is_bounce(gateway)
    assert not hygiene.is_mailer_daemon_return_path_failure(
        mail("Return-Path: <MAILER-DAEMON@sb7.example.com>", "Subject: Food webinar"))


@pytest.mark.parametrize("subject", [
    "Returned Mail - Error During Delivery",
    "Delivery failure notification",
    "RE: Your message to GPC-talk awaits moderator approval : non remis (delivery failed)",
    "Non-Delivery: Your message awaits moderator approval",
])
def test_gateway_failure_subject_from_a_bare_address(subject: str) -> None:
    gateway = mail("From: Symantec_AntiVirus_for_SMTP_Gateways@csri.example",
                   f"Subject: {subject}")
    assert hygiene.is_gateway_failure_subject(gateway) and hygiene.is_bounce(gateway)


@pytest.mark.parametrize("headers", [
    # A person's client puts their name on the From.
    ("From: Pedro Costa <p.costa@ucl.ac.uk>", "Subject: Undeliverable address for my colleague"),
    # A person forwarding a bounce explains it themselves.
    ("From: p.costa@ucl.ac.uk", "Subject: Fwd: Returned mail: see transcript for details"),
])
def test_gateway_failure_subject_not_from_a_person(headers: tuple[str, str]) -> None:
    assert not hygiene.is_gateway_failure_subject(mail(*headers))


@pytest.mark.parametrize("subject", [
    "Abwesenheitsnotiz: Food webinar", "Réponse automatique : Food webinar",
    "Afwezigheidsbericht: Food", "Respuesta automática: Food", "Fuori ufficio: Food",
    "Automatyczna odpowiedź: Food", "Resposta automática: Food", "Ausência: Food",
    "自动回复: Food", "自動返信: Food", "AutoRespons :Nyaan?",
])
def test_auto_reply_subjects_in_the_corpus_languages(subject: str) -> None:
    assert hygiene.is_auto_reply_subject(mail(f"Subject: {subject}"))


def _report(feedback_type: str) -> InboundMail:
    raw = (
        "From: fbl@provider.example\r\nTo: registrations@lupc.ac.uk\r\nSubject: report\r\n"
        "Message-ID: <r1@provider.example>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=feedback-report; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nA report.\r\n"
        f"--b\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: {feedback_type}\r\n"
        "Version: 1\r\n\r\n--b--\r\n"
    )
    return parse_message(raw.encode())


def test_arf_abuse_report_is_a_complaint_not_a_bounce() -> None:
    report = _report("abuse")
    assert report.feedback_type == "abuse"
    assert hygiene.is_complaint(report) and not hygiene.is_bounce(report)
    assert automated_reason(report, OWN) == "complaint: feedback report"


def test_arf_auth_failure_report_is_only_automated() -> None:
    report = _report("auth-failure")
    assert not hygiene.is_complaint(report) and not hygiene.is_bounce(report)
    assert automated_reason(report, OWN) == "feedback report: auth-failure"


def test_hotmail_complaint_without_the_report_part() -> None:
    old = mail("From: staff@hotmail.com", "Subject: complaint about message from 192.0.2.222")
    assert hygiene.is_hotmail_complaint(old) and hygiene.is_complaint(old)
    assert not hygiene.is_complaint(mail("From: staff@hotmail.com", "Subject: Food webinar"))
