"""A notification of a submission to the desk's own web form or CRM: the submitter's mail.

"New form submission: Register your interest ... Name / Ewa Kowalczyk / Email / ewa@... /
Session / Webinar 2 - Logistics": the words are the submitter's, sent by the desk's own site
under its no-reply address. A coordinator reads it as the submitter's mail: from the address in
its Email field, asking what its message says (and, on a registration form, for the session
chosen). Nothing else that a machine sends is read so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from email.utils import getaddresses

from mailflow.clean import EMAIL, display_name
from mailflow.model import InboundMail, Person

# The labels of the fields read, by what they hold.
_LABELS = {
    "name": "name", "full name": "name", "your name": "name", "contact name": "name",
    "email": "email", "e-mail": "email", "email address": "email", "your email": "email",
    "organisation": "org", "organization": "org", "company": "org", "employer": "org",
    "session": "session", "event": "session", "event of interest": "session",
    "session of interest": "session", "webinar": "session", "workshop": "session",
    "message": "message", "your message": "message", "comments": "message",
    "comment": "message", "enquiry": "message", "details": "message", "notes": "message",
    "additional information": "message", "anything else": "message",
    # A CRM's fields: "First name: Chris / Last name: Doyle", "Which session?: Textiles".
    "first name": "first", "last name": "last", "surname": "last",
    "which session": "session", "which event": "session", "which webinar": "session",
    # "Enquiry type: Cancel a booking": what the submission asks, chosen on the form.
    "enquiry type": "type", "type of enquiry": "type", "request type": "type",
    "inquiry type": "type", "reason for contact": "type",
}
_FIELD = re.compile(
    r"^[ \t]*(?P<label>[A-Za-z][A-Za-z -]{0,28}?)\??[ \t]*(?::[ \t]*(?P<value>\S.*?))?[ \t]*$",
    re.MULTILINE,
)
# A form that registers: "Register your interest", "Book a place", "Sign up" (not "Contact
# the registrations team": whom the form writes to).
_REGISTRATION_FORM = re.compile(
    r"\b(?:regist\w*|book\w*|sign[ -]?up|enrol\w*|reserv\w*)\b"
    r"(?<!\bregistrations)(?<!\bbookings)",
    re.IGNORECASE,
)
# An enquiry type that gives a place up or changes one: "Cancel a booking" asks for none.
_GIVES_UP = re.compile(r"\b(?:cancel\w*|withdraw\w*|change|amend\w*|transfer\w*)\b",
                      re.IGNORECASE)
# The header and subject of a notification: "New form submission", "New enquiry logged".
_NOTIFICATION = re.compile(
    r"\b(?:new\s+(?:form\s+)?(?:submission|entry|enquiry|inquiry|response)|form\s+submission"
    r"|enquiry\s+(?:has\s+been\s+)?logged)\b",
    re.IGNORECASE,
)
_FORM_NAME = re.compile(r"(?:submission|entry|enquiry|inquiry|response|logged)\s*[:–-]\s*(.+)$",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Submission:
    """The submitter, and their submission read as a mail of their own."""

    submitter: Person
    mail: InboundMail


def _fields(text: str) -> dict[str, str]:
    """The first value of each field read: "Label: value", or a label alone on its line over
    its value on the next line that holds words."""
    fields: dict[str, str] = {}
    lines = [line.strip() for line in text.splitlines()]
    for n, line in enumerate(lines):
        found = _FIELD.match(line)
        if found is None or (kind := _LABELS.get(found.group("label").lower())) is None:
            continue
        value = found.group("value")
        if value is None:
            value = next((v for v in lines[n + 1 : n + 3] if v), "")
            if _LABELS.get(value.rstrip(":").lower()):
                value = ""  # a label over a label: this field is empty
        fields.setdefault(kind, value)
    return fields


def _organisation(address: str) -> str:
    return ".".join(address.rpartition("@")[2].lower().split(".")[-2:])


_MACHINE_SENDER = re.compile(r"(?:no-?reply|do-?not-?reply|crm-noreply|forms?|notifications?)\b")


def _from_our_own_system(mail: InboundMail) -> bool:
    """Sent by a machine (Auto-Submitted, a no-reply address) at the organisation the mail is
    addressed to: the desk's own web site or CRM, not a third party's."""
    machine = mail.header("auto-submitted").strip().lower() not in ("", "no") or bool(
        _MACHINE_SENDER.match(mail.sender)
    )
    if not machine or not mail.sender:
        return False  # most mail: no need to read the To line (every message is asked, twice)
    ours = {_organisation(a) for _, a in getaddresses(mail.header_all("to")) if a}
    return _organisation(mail.sender) in ours


def form_submission(mail: InboundMail) -> Submission | None:
    """The submitter's own mail, when the mail notifies a submission to the desk's own form:
    one Name and one Email field (no other address in its Reply-To), and a message or a
    session chosen. None otherwise."""
    if not _from_our_own_system(mail) or not (
        _NOTIFICATION.search(mail.subject) or _NOTIFICATION.search(mail.text[:300])
    ):
        return None
    fields = _fields(mail.text[:4000])
    if "name" not in fields and fields.get("first"):
        fields["name"] = f"{fields['first']} {fields.get('last', '')}".strip()
    address = EMAIL.fullmatch(fields.get("email", ""))
    if address is None or not fields.get("name"):
        return None
    email = address.group(0).lower()
    replies = {a.lower() for _, a in getaddresses(mail.header_all("reply-to")) if a}
    if replies - {email}:
        return None
    session, words = fields.get("session", ""), fields.get("message", "")
    if not (session or words):
        return None
    form = _FORM_NAME.search(mail.subject)
    lines = []
    chosen = fields.get("type") or (form.group(1) if form else mail.subject)
    if session and _REGISTRATION_FORM.search(chosen) and not _GIVES_UP.search(chosen):
        # A registration form's submission asks for the session chosen on it (a contact form's,
        # what its enquiry type says: "Cancel a booking" asks no place).
        lines.append(f"I would like to register for {session}.")
    if words:
        lines.append(words)
    name = display_name(fields["name"])
    signature = "\n".join(v for v in (name, fields.get("org", "")) if v)
    submitter = Person(email, name)
    own = replace(
        mail, sender=email, sender_name=name, subject=session or (form.group(1) if form else ""),
        text="\n\n".join(lines) + f"\n\nRegards,\n{signature}\n",
        headers=tuple((k, v) for k, v in mail.headers if k != "auto-submitted"),
    )
    return Submission(submitter, own)
