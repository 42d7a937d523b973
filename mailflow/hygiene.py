"""Mail hygiene: small named predicates deciding whether a human wrote a message, and why not."""

from __future__ import annotations

import re
from collections.abc import Callable

from mailflow.authenticity import sanitise_header
from mailflow.model import InboundMail
from mailflow.parse import one_line

# Message-IDs mailflow puts on its own outgoing mail: <mailflow.TOKEN@DOMAIN>.
_OWN_ID_PREFIX = "mailflow."
_TOKEN_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_FALLBACK_DOMAIN = "mailflow.invalid"  # keeps both sides agreeing when own_address has no domain

_DAEMON_LOCALPARTS = frozenset(
    {
        "mailer-daemon",
        "mailer_daemon",
        "mailerdaemon",
        "mail-daemon",
        "maildaemon",
        "postmaster",
        "post_master",
        "post-master",
        "mail.delivery.subsystem",
        "mdaemon",
    }
)
_NOREPLY_LOCALPART = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|noresponse|no[-_.]?response)"
    r"(?:[-+_.].*)?$"
)

# Subjects auto-responders put on their replies, anchored at the start and followed by a colon
# (or nothing): a human writing "Out of office next week, please register me" is not matched.
_AUTO_REPLY_PHRASES = (
    r"automatic reply",
    r"automatic response",
    r"auto[- ]?reply",
    r"auto[- ]?response",
    r"auto[- ]?respond(?:er)?",
    r"auto[- ]?respons",
    r"abwesenheit",
    r"abwesenheitsmeldung",
    r"nicht im b[üu]ro",
    r"absent(?:e)? du bureau",
    r"afwezigheidsbericht",
    r"afwezig",
    r"niet aanwezig",
    r"fuera de (?:la )?oficina",
    r"ausente",
    r"fuori ufficio",
    r"assente",
    r"nieobecno[śs][ćc]",
    r"aus[êe]ncia",
    r"fora do escrit[óo]rio",
    r"自动答复",
    r"不在办公室",
    r"自動返信",
    r"不在通知",
    r"不在のお知らせ",
    r"out of (?:the )?office(?: auto ?reply| reply)?",
    r"out-of-office(?: reply)?",
    r"ooo",
    r"vacation (?:reply|response|auto ?reply)",
    r"abwesenheitsnotiz",
    r"automatische antwort",
    r"automatische abwesenheitsnotiz",
    r"r[ée]ponse automatique",
    r"r[ée]ponse automatique d'absence",
    r"message d'absence",
    r"absence du bureau",
    r"risposta automatica",
    r"risposta automatica fuori sede",
    r"respuesta autom[áa]tica",
    r"fuera de la oficina",
    r"resposta autom[áa]tica",
    r"automatisch antwoord",
    r"autosvar",
    r"automatisk svar",
    r"automatisch svar",
    r"automaattinen vastaus",
    r"automatyczna odpowied[źz]",
    r"automatick[áa] odpov[ěe][ďd]",
    r"automatikus v[áa]lasz",
    r"自动回复",
    r"自動回覆",
    r"自動応答",
    r"자동 회신",
)
_PHRASE = "(?:" + "|".join(_AUTO_REPLY_PHRASES) + ")"
_AUTO_REPLY_SUBJECT = re.compile(
    rf"^\s*(?:\[\s*{_PHRASE}\s*\]|{_PHRASE}\s*(?:[:：]|$))",
    re.IGNORECASE,
)
# Weaker hints, only believed together with X-Auto-Response-Suppress (see that predicate).
_AWAY_SUBJECT = re.compile(
    r"\b(?:away|on (?:annual )?leave|on holiday|on vacation|abwesend|absent|absence|afwezig"
    r"|fuori (?:sede|ufficio)|ausente|fr[åa]nvarande|frav[æa]rende)\b",
    re.IGNORECASE,
)

_NDR_SUBJECT = re.compile(
    r"^\s*(?:undeliverable\b|undelivered mail\b|delivery status notification\b"
    r"|mail delivery failed\b|delivery failure\b|returned mail\b|failure notice\b"
    r"|mail system error\b|delivery status\b|delivery has failed\b|message not delivered\b"
    r"|non[- ]delivery\b"
    r"|unzustellbar\b|nicht zustellbar\b|non remis\b|non distribuable\b|non recapitabile\b"
    r"|no se puede entregar\b|onbestelbaar\b|kan inte levereras\b|unable to deliver\b)",
    re.IGNORECASE,
)
# Failure words a gateway puts anywhere in its subject ("RE: ... non remis (delivery failed)"),
# believed only from a sender that is no person's mailbox or on mail that is not a forward.
_FAILURE_ANYWHERE = re.compile(
    r"\b(?:delivery (?:has )?failed|delivery failure|could not be delivered|error during delivery"
    r"|returned mail|undeliverable|undelivered mail|non[- ]remis|delivery status notification"
    r"|non[- ]delivery|user unknown"
    r"|mail delivery (?:failed|warning)|failure notice|unzustellbar|nicht zustellbar"
    r"|non recapitabile|non distribuable|error sending your mail|delivery notification)\b",
    re.IGNORECASE,
)
_FORWARD_PREFIX = re.compile(r"^\s*(?:fwd?|wg|tr|i|rv|doorst)\s*:", re.IGNORECASE)
_AUTO_GENERATED_TAG = re.compile(r"\[\s*auto[- ]?generated\s*\]", re.IGNORECASE)
_LIST_ROBOT_LOCALPART = re.compile(r"-(?:request|bounces?|owner|admin)(?:\+.*)?$")
_FML_HEADERS = ("x-mlserver", "x-ml-info", "x-ml-name", "mailing-list", "x-ml-count")
_LOOP_ALERT_SUBJECT = re.compile(r"^\s*loop alert\b", re.IGNORECASE)
_HOTMAIL_COMPLAINT_SUBJECT = re.compile(r"^\s*complaint about message from\b", re.IGNORECASE)
_MAILER_DAEMON_LOCALPARTS = frozenset({"mailer-daemon", "mailer_daemon", "mailerdaemon"})
_SUPPRESS_AUTOREPLY_TOKENS = frozenset({"all", "oof", "autoreply"})
_FALSE_VALUES = frozenset({"", "no", "false", "0", "off"})


def _localpart(address: str) -> str:
    return address.rsplit("@", 1)[0].strip().lower() if "@" in address else ""


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[1].strip().strip(">").lower() if "@" in address else ""


def _own_domain(own_address: str) -> str:
    return _domain(one_line(own_address)) or _FALLBACK_DOMAIN


def make_message_id(own_address: str, token: str) -> str:
    """The Message-ID mailflow puts on outgoing mail, recognisable when it comes back."""
    safe = _TOKEN_UNSAFE.sub("-", token).strip("-.")
    if not safe:
        raise ValueError("a Message-ID token needs at least one letter or digit")
    return f"<{_OWN_ID_PREFIX}{safe}@{_own_domain(own_address)}>"


def is_own_message_id(message_id: str, own_address: str) -> bool:
    """Whether a Message-ID is one mailflow itself minted (see make_message_id)."""
    value = one_line(message_id).strip().lower()
    if not (value.startswith("<" + _OWN_ID_PREFIX) and value.endswith(">")):
        return False
    local, sep, domain = value[1:-1].rpartition("@")
    return bool(sep) and len(local) > len(_OWN_ID_PREFIX) and domain == _own_domain(own_address)


# --- the predicates, one rule each ------------------------------------------------------------


def is_from_own_address(mail: InboundMail, own_address: str) -> bool:
    own = one_line(own_address).strip().lower()
    return bool(own) and mail.sender.strip().lower() == own


def is_own_message_looped(mail: InboundMail, own_address: str) -> bool:
    """Our own outgoing message came back in (its Message-ID is ours).

    Only the message's own Message-ID counts: a human reply *refers* to our IDs in In-Reply-To.
    """
    return is_own_message_id(mail.message_id, own_address)


def is_mailflow_outcome_header(mail: InboundMail) -> bool:
    """Mail stamped by a mailflow (this or another instance): answering it would ping-pong."""
    return mail.has_header("x-mailflow-outcome")


def is_delivery_report(mail: InboundMail) -> bool:
    return mail.is_delivery_report or (
        mail.content_type == "multipart/report" and not is_feedback_report(mail)
    )


def is_failed_recipients_header(mail: InboundMail) -> bool:
    """Exim names the failed addresses of a bounce in X-Failed-Recipients."""
    return bool(mail.header("x-failed-recipients").strip())


def is_daemon_sender(mail: InboundMail) -> bool:
    return _localpart(mail.sender) in _DAEMON_LOCALPARTS


def is_ndr_subject(mail: InboundMail) -> bool:
    return bool(_NDR_SUBJECT.match(mail.subject))


def is_ndr_from_daemon(mail: InboundMail) -> bool:
    """A non-delivery subject only counts from a daemon or with the null sender."""
    return is_ndr_subject(mail) and (
        is_daemon_sender(mail) or mail.return_path == "" or not mail.sender
    )


def is_empty_return_path(mail: InboundMail) -> bool:
    """Return-Path <> is used by bounces and (RFC 3834) by auto-responders."""
    return mail.return_path == ""


def is_auto_submitted(mail: InboundMail) -> bool:
    """RFC 3834: any Auto-Submitted value but "no". An empty header carries no claim."""
    value = mail.header("auto-submitted").split(";", 1)[0].strip().lower()
    return value not in ("", "no")


def is_x_autoreply(mail: InboundMail) -> bool:
    values = [
        *mail.header_all("x-autoreply"),
        *mail.header_all("x-autogenerated"),
        *mail.header_all("x-mail-autoreply"),
    ]
    return any(v.strip().lower() not in _FALSE_VALUES for v in values)


def is_x_autorespond(mail: InboundMail) -> bool:
    values = mail.header_all("x-autorespond")
    return any(v.strip().lower() not in _FALSE_VALUES for v in values)


def is_bulk_precedence(mail: InboundMail) -> bool:
    value = mail.header("precedence").strip().lower()
    return value in ("bulk", "junk", "list", "auto_reply", "auto-reply")


def is_list_id(mail: InboundMail) -> bool:
    return bool(mail.header("list-id").strip())


def is_list_unsubscribe(mail: InboundMail) -> bool:
    return bool(mail.header("list-unsubscribe").strip())


def is_noreply_sender(mail: InboundMail) -> bool:
    return bool(_NOREPLY_LOCALPART.match(_localpart(mail.sender)))


def is_auto_reply_subject(mail: InboundMail) -> bool:
    """Out-of-office subjects in common languages; the subject, not the body, decides."""
    return bool(_AUTO_REPLY_SUBJECT.match(mail.subject))


def is_suppress_with_away_subject(mail: InboundMail) -> bool:
    """X-Auto-Response-Suppress naming OOF/AutoReply/All, *and* an away-ish subject.

    Outlook sets X-Auto-Response-Suppress (often "All") on ordinary mail it sends, e.g. meeting
    requests and mail from some add-ins, so the header alone says nothing about who wrote the
    message. Exchange does set it on its own automatic replies, so it counts when the subject
    (or the Exchange inbox-rule loop marker) corroborates it.
    """
    tokens = {
        t.strip().lower()
        for v in mail.header_all("x-auto-response-suppress")
        for t in re.split(r"[,\s]+", v)
    }
    if not tokens & _SUPPRESS_AUTOREPLY_TOKENS:
        return False
    return bool(_AWAY_SUBJECT.search(mail.subject)) or mail.has_header(
        "x-ms-exchange-inbox-rules-loop"
    )


def is_auto_generated_subject(mail: InboundMail) -> bool:
    """A subject tagged "[AUTO GENERATED]" (Discourse's and others' system mail)."""
    return bool(_AUTO_GENERATED_TAG.search(mail.subject))


def is_mailman_robot(mail: InboundMail) -> bool:
    """Mailman digests and notices: X-Mailman-Version from a list's -request/-bounces address."""
    return mail.has_header("x-mailman-version") and bool(
        _LIST_ROBOT_LOCALPART.search(_localpart(mail.sender))
    )


def is_fml_list(mail: InboundMail) -> bool:
    """fml (a Japanese list manager) marks its mail with X-MLServer/X-ML-Info/Mailing-List."""
    return any(mail.has_header(name) for name in _FML_HEADERS) or (
        bool(_LOOP_ALERT_SUBJECT.match(mail.subject)) and mail.has_header("x-ml-name")
    )


def is_mailer_daemon_return_path_failure(mail: InboundMail) -> bool:
    """Return-Path <MAILER-DAEMON@host> with a failure subject: a gateway's bounce."""
    return (
        _localpart(mail.return_path or "") in _MAILER_DAEMON_LOCALPARTS
        or (mail.return_path or "").strip().lower() in _MAILER_DAEMON_LOCALPARTS
    ) and bool(_FAILURE_ANYWHERE.search(mail.subject))


def is_gateway_failure_subject(mail: InboundMail) -> bool:
    """Failure words anywhere in the subject from a bare machine address (gateways, scanners).

    Gateways send from an address with no display name ("E500_SMTP_Mail_Service@..."); a
    person's client puts their name on it, and a person forwarding a bounce writes
    "Fwd: Returned mail": both are theirs to explain, so neither counts.
    """
    return (
        bool(_FAILURE_ANYWHERE.search(mail.subject))
        and not mail.sender_name.strip()
        and not _FORWARD_PREFIX.match(mail.subject)
    )


def is_feedback_report(mail: InboundMail) -> bool:
    """An ARF report (RFC 5965): multipart/report; report-type=feedback-report."""
    return mail.is_feedback_report or (
        mail.content_type == "multipart/report"
        and "feedback-report" in mail.header("content-type").lower()
    )


def is_spam_complaint_report(mail: InboundMail) -> bool:
    """An ARF report of a person's own doing: abuse (marked as spam) or opt-out.

    auth-failure (DMARC), fraud and virus reports are about the mail, not the member's wish.
    """
    return is_feedback_report(mail) and mail.feedback_type in ("abuse", "opt-out", "")


def is_hotmail_complaint(mail: InboundMail) -> bool:
    """Hotmail's older complaint format: staff@hotmail.com, "complaint about message from"."""
    return mail.sender == "staff@hotmail.com" and bool(
        _HOTMAIL_COMPLAINT_SUBJECT.match(mail.subject)
    )


def is_complaint(mail: InboundMail) -> bool:
    """A provider telling us a member marked our mail as spam: stop writing to them."""
    return is_spam_complaint_report(mail) or is_hotmail_complaint(mail)


def is_bounce(mail: InboundMail) -> bool:
    """A non-delivery notice (recorded against the recipient, unlike an auto-reply).

    Postmaster senders count too: gateways (Exchange 2003, McAfee, Mimecast, Trend Micro)
    send their bounces from postmaster@ with nothing else to tell them by.
    """
    return not is_complaint(mail) and (
        is_delivery_report(mail)
        or is_failed_recipients_header(mail)
        or is_ndr_from_daemon(mail)
        or is_daemon_sender(mail)
        or is_mailer_daemon_return_path_failure(mail)
        or is_gateway_failure_subject(mail)
    )


# --- the table --------------------------------------------------------------------------------

_Check = Callable[[InboundMail, str], bool]
_Reason = Callable[[InboundMail], str]


def _quote(value: str, limit: int = 60) -> str:
    return sanitise_header(value, limit)


# First match wins, so the most specific (and for the pipeline most useful) reason comes first.
RULES: tuple[tuple[_Check, _Reason], ...] = (
    (is_from_own_address, lambda m: "own address"),
    (is_own_message_looped, lambda m: "loop: our own Message-ID"),
    (lambda m, _: is_mailflow_outcome_header(m), lambda m: "loop: X-Mailflow-Outcome header"),
    (lambda m, _: is_complaint(m), lambda m: "complaint: feedback report"),
    (
        lambda m, _: is_feedback_report(m),
        lambda m: f"feedback report: {_quote(m.feedback_type or 'no type')}",
    ),
    (lambda m, _: is_delivery_report(m), lambda m: "bounce: delivery status report"),
    (
        lambda m, _: is_failed_recipients_header(m),
        lambda m: "bounce: X-Failed-Recipients",
    ),
    (
        lambda m, _: is_ndr_from_daemon(m),
        lambda m: f"bounce: non-delivery subject '{_quote(m.subject, 40)}'",
    ),
    (lambda m, _: is_daemon_sender(m), lambda m: f"bounce: daemon sender {_quote(m.sender)}"),
    (
        lambda m, _: is_mailer_daemon_return_path_failure(m),
        lambda m: f"bounce: MAILER-DAEMON Return-Path, subject '{_quote(m.subject, 40)}'",
    ),
    (
        lambda m, _: is_gateway_failure_subject(m),
        lambda m: f"bounce: failure subject '{_quote(m.subject, 40)}'",
    ),
    (
        lambda m, _: is_auto_submitted(m),
        lambda m: f"auto-reply: Auto-Submitted: {_quote(m.header('auto-submitted'))}",
    ),
    (lambda m, _: is_x_autoreply(m), lambda m: "auto-reply: X-Autoreply"),
    (lambda m, _: is_x_autorespond(m), lambda m: "auto-reply: X-Autorespond"),
    (
        lambda m, _: is_auto_generated_subject(m),
        lambda m: f"auto-generated: subject '{_quote(m.subject, 40)}'",
    ),
    (
        lambda m, _: is_auto_reply_subject(m),
        lambda m: f"auto-reply: subject '{_quote(m.subject, 40)}'",
    ),
    (
        lambda m, _: is_suppress_with_away_subject(m),
        lambda m: "auto-reply: X-Auto-Response-Suppress with an away subject",
    ),
    (
        lambda m, _: is_bulk_precedence(m),
        lambda m: f"bulk: Precedence: {_quote(m.header('precedence'))}",
    ),
    (lambda m, _: is_list_id(m), lambda m: "mailing list: List-Id"),
    (lambda m, _: is_mailman_robot(m), lambda m: f"mailing list: Mailman {_quote(m.sender)}"),
    (lambda m, _: is_fml_list(m), lambda m: "mailing list: fml headers"),
    (lambda m, _: is_list_unsubscribe(m), lambda m: "mailing list: List-Unsubscribe"),
    (lambda m, _: is_empty_return_path(m), lambda m: "null sender: empty Return-Path"),
    (lambda m, _: is_noreply_sender(m), lambda m: f"no-reply sender {_quote(m.sender)}"),
)


def automated_reason(mail: InboundMail, own_address: str) -> str | None:
    """Why no human wrote this message (so it must get no reply), or None when one did.

    Headers, sender and subject decide; the body never does, so an out-of-office note from a
    human that also asks for a place is answered as long as it carries no automation marks.
    """
    for check, reason in RULES:
        if check(mail, own_address):
            return reason(mail)
    return None
