"""The words and names automated mail uses: daemon senders, auto-reply and failure subjects."""

from __future__ import annotations

import re

DAEMON_LOCALPARTS = frozenset(
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
NOREPLY_LOCALPART = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|dont[-_.]?reply|noresponse|no[-_.]?response)"
    r"(?:[-+_.].*)?$"
)

# Subjects auto-responders put on their replies, anchored at the start and followed by a colon
# (or nothing): a human writing "Out of office next week, please register me" is not matched.
AUTO_REPLY_PHRASES = (
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
PHRASE = "(?:" + "|".join(AUTO_REPLY_PHRASES) + ")"
AUTO_REPLY_SUBJECT = re.compile(
    rf"^\s*(?:\[\s*{PHRASE}\s*\]|{PHRASE}\s*(?:[:：]|$))",
    re.IGNORECASE,
)
# Weaker hints, only believed together with X-Auto-Response-Suppress (see that predicate).
AWAY_SUBJECT = re.compile(
    r"\b(?:away|on (?:annual )?leave|on holiday|on vacation|abwesend|absent|absence|afwezig"
    r"|fuori (?:sede|ufficio)|ausente|fr[åa]nvarande|frav[æa]rende)\b",
    re.IGNORECASE,
)

NDR_SUBJECT = re.compile(
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
FAILURE_ANYWHERE = re.compile(
    r"\b(?:delivery (?:has )?failed|delivery failure|could not be delivered|error during delivery"
    r"|returned mail|undeliverable|undelivered mail|non[- ]remis|delivery status notification"
    r"|non[- ]delivery|user unknown"
    r"|mail delivery (?:failed|warning)|failure notice|unzustellbar|nicht zustellbar"
    r"|non recapitabile|non distribuable|error sending your mail|delivery notification)\b",
    re.IGNORECASE,
)
FORWARD_PREFIX = re.compile(r"^\s*(?:fwd?|wg|tr|i|rv|doorst)\s*:", re.IGNORECASE)
AUTO_GENERATED_TAG = re.compile(r"\[\s*auto[- ]?generated\s*\]", re.IGNORECASE)
LIST_ROBOT_LOCALPART = re.compile(r"-(?:request|bounces?|owner|admin)(?:\+.*)?$")
FML_HEADERS = ("x-mlserver", "x-ml-info", "x-ml-name", "mailing-list", "x-ml-count")
LOOP_ALERT_SUBJECT = re.compile(r"^\s*loop alert\b", re.IGNORECASE)
HOTMAIL_COMPLAINT_SUBJECT = re.compile(r"^\s*complaint about message from\b", re.IGNORECASE)
MAILER_DAEMON_LOCALPARTS = frozenset({"mailer-daemon", "mailer_daemon", "mailerdaemon"})
SUPPRESS_AUTOREPLY_TOKENS = frozenset({"all", "oof", "autoreply"})
FALSE_VALUES = frozenset({"", "no", "false", "0", "off"})
