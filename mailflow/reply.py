"""Notices -> outgoing mail: Jinja2 templates from templates/, threaded headers, MIME bytes."""

from __future__ import annotations

import email.utils
import functools
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.header import Header
from email.message import Message
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
import jinja2.runtime
from markupsafe import Markup

from mailflow import mime
from mailflow.decide import Decision, outcome_header
from mailflow.hygiene import make_message_id
from mailflow.mime import Attachment
from mailflow.model import EventInfo, InboundMail
from mailflow.names import given_name
from mailflow.parse import one_line
from mailflow.seats import Notice

MAX_REFERENCES = 12
MAX_SUBJECT = 200
FOLD_AT = 78  # RFC 5322 2.1.1: lines SHOULD be at most 78 characters
# Exchange then sends no out-of-office, read or delivery receipts for our mail (MS-OXCMAIL).
AUTO_RESPONSE_SUPPRESS = "OOF, NRN, AutoReply, RN"


def default_templates_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Outgoing:
    """One composed message, ready to be written to the outbox."""

    kind: str  # reply | offer | notice | digest | reminder
    recipient: str
    subject: str
    outcome: str
    event_ids: tuple[str, ...]
    in_reply_to: str
    message_id: str
    raw: bytes


@dataclass(frozen=True)
class Letterhead:
    """Who mail comes from and how times read: everything composing needs from settings."""

    from_address: str
    coordinator_name: str
    coordinator_email: str
    timezone: ZoneInfo
    hold_hours: float
    events: Mapping[str, EventInfo]
    series_name: str = ""
    signature: tuple[str, ...] = ()
    reply_to: str = ""
    website: str = ""

    @property
    def display_name(self) -> str:
        """The From display name: the coordinator, for the series when it has a name."""
        if self.series_name:
            return f"{self.coordinator_name} ({self.series_name})"
        return self.coordinator_name

    @property
    def series(self) -> dict[str, Any]:
        """What templates know of the series: {{ series.name }}, .signature, .website."""
        return {"name": self.series_name,
                "signature": list(self.signature) or [self.coordinator_name],
                "website": self.website}


class _Template(jinja2.Template):
    """A template whose render context starts from a plain copy of its globals.

    Jinja copies them out of a ChainMap (the template's over the environment's) on every
    render, two thirds of a short template's cost; nothing here changes the globals after a
    template is loaded, and a template re-read after an edit is a new object.
    """

    _flat_globals: dict[str, Any] | None = None

    def new_context(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Mapping[str, Any] | None = None) -> jinja2.runtime.Context:
        if shared or locals:
            return super().new_context(vars, shared, locals)
        if self._flat_globals is None:
            self._flat_globals = dict(self.globals)
        # Jinja's own parent dict, dict(globals, **vars), built without walking the ChainMap.
        return jinja2.runtime.new_context(self.environment, self.name, self.blocks,
                                          {**self._flat_globals, **(vars or {})}, True,
                                          self.globals, None)


class Templates:
    """The coordinator's wording: plain-text and HTML environments over templates/.

    Jinja compiles each template once and re-reads it when its file changes; which of a
    wording's names exists is remembered until a file is added to or removed from its
    folder (a missing HTML wording costs a failed lookup otherwise, on every reply).
    """

    def __init__(self, directory: Path, tz: ZoneInfo) -> None:
        self.directory = directory
        loader = jinja2.FileSystemLoader(str(directory))
        common: dict[str, Any] = {"loader": loader, "undefined": jinja2.StrictUndefined,
                                  "keep_trailing_newline": False}
        self.text = jinja2.Environment(autoescape=False, **common)  # noqa: S701 - plain text
        self.html = jinja2.Environment(autoescape=True, **common)
        self.text.template_class = self.html.template_class = _Template
        filters = _date_filters(tz)
        for env in (self.text, self.html):
            env.filters.update(filters)
        self._picked: dict[tuple[bool, tuple[str, ...]], tuple[int, str]] = {}

    def render(self, name: str, html: bool, **values: Any) -> str:
        env = self.html if html else self.text
        return env.get_template(name).render(**values).strip()

    def _select(self, html: bool, names: tuple[str, ...]) -> jinja2.Template:
        """`select_template(names)`, remembering which name it found while the folder stays
        the same (its mtime changes when a file is added, removed or renamed into it)."""
        env = self.html if html else self.text
        try:
            stamp = os.stat(os.path.join(self.directory, os.path.dirname(names[0]))).st_mtime_ns
        except OSError:
            return env.select_template(names)
        key = (html, names)
        picked = self._picked.get(key)
        if picked is not None and picked[0] == stamp:
            return env.get_template(picked[1])
        template = env.select_template(names)
        # A folder changed in the last seconds may change again within the clock's
        # granularity without a new mtime: remember only what has been still for a while.
        if time.time_ns() - stamp > _SETTLED_NS:
            self._picked[key] = (stamp, template.name or names[-1])
        return template

    def paragraph(self, outcome: str, html: bool, **values: Any) -> str:
        base = f"outcome/{outcome}"
        # An HTML-specific wording wins when the coordinator has written one.
        names = (f"{base}.html.j2", f"{base}.txt.j2") if html else (f"{base}.txt.j2",)
        return self._select(html, names).render(**values).strip()

    def subject(self, outcome: str, **values: Any) -> str:
        template = self._select(False, (f"subject/{outcome}.txt.j2", "subject/default.txt.j2"))
        return one_line(template.render(**values))[:MAX_SUBJECT]


_SETTLED_NS = 2_000_000_000


def _date_filters(tz: ZoneInfo) -> dict[str, Callable[[datetime], str]]:
    """{{ d|longdate }}, |hhmm, |longdatetime in the series' time zone; a session's times
    recur in every letter about it, so each is formatted once."""
    def local(pattern: str) -> Callable[[datetime], str]:
        return functools.lru_cache(maxsize=1024)(lambda d: _local(d, tz).strftime(pattern))
    return {"longdate": local("%A %-d %B %Y"), "hhmm": local("%H:%M"),
            "longdatetime": local("%H:%M on %A %-d %B %Y")}


@functools.lru_cache(maxsize=1024)
def folded_subject(value: str) -> str:
    """A Subject folded at whitespace (or between encoded words) to lines of <= 78.

    Only the Subject is folded here: it carries no msg-id, whereas folding inside
    In-Reply-To or References would break threading in Outlook.
    """
    charset = "us-ascii" if value.isascii() else "utf-8"
    return Header(value, charset, maxlinelen=FOLD_AT, header_name="Subject").encode(
        linesep="\r\n")


@functools.lru_cache(maxsize=16)
def _from_header(display_name: str, address: str) -> str:
    return email.utils.formataddr((display_name, address), charset="utf-8")


def no_inner_mime_version(msg: Message) -> None:
    """RFC 2045 4: MIME-Version belongs in the message header only, not in each part."""
    for part in msg.walk():
        if part is not msg:
            del part["MIME-Version"]


def _local(value: datetime, tz: ZoneInfo) -> datetime:
    return value.astimezone(tz)


def reply_subject(original: str, fallback: str = "") -> str:
    """"Re: <original subject>"; `fallback` (the series name) when the original had none."""
    subject = one_line(original)
    while subject.lower().startswith(("re:", "re :")):
        subject = subject.split(":", 1)[1].strip()
    return ("Re: " + (subject or fallback or "your registration"))[:MAX_SUBJECT]


def first_name(name: str, email: str) -> str:
    name = one_line(name).strip().strip('"')
    if "," in name:  # "Okafor, Ngozi" as Outlook shows it
        name = name.split(",", 1)[1].strip()
    return given_name(name, "colleague")[:60]


@dataclass
class Composer:
    """Builds replies and notices. Pure apart from the clock and ids, which are passed in."""

    templates: Templates
    head: Letterhead
    new_token: Callable[[], str]
    ics: Callable[[Notice, datetime], Attachment | None] | None = field(default=None)

    def _values(self, n: Notice, reader: str, names: Mapping[str, str]) -> dict[str, Any]:
        event = n.session or (self.head.events.get(n.event_id) if n.event_id else None)
        who_name = n.name or names.get(n.email, "")
        return {
            "n": n,
            "event": event,
            "you": n.email == reader,
            "who": f"{who_name} ({n.email})" if who_name else n.email,
            "other": (f"{n.other_name} ({n.other})" if n.other_name else n.other)[:200],
            "by": (n.other_name or n.other)[:100] if n.role == "booked-by" else "",
            # Registration closes at the start of the day after the deadline day.
            "deadline": event.registration_closes - timedelta(days=1) if event else None,
            "hold_hours": f"{self.head.hold_hours:g}",
            "coordinator": {"name": self.head.coordinator_name,
                            "email": self.head.coordinator_email},
            "series": self.head.series,
        }

    def _build(self, *, kind: str, to: str, to_name: str, subject: str, notices: Sequence[Notice],
               reader: str, outcome: str, now: datetime, in_reply_to: str = "",
               references: Sequence[str] = (), auto: str = "auto-generated",
               names: Mapping[str, str] | None = None) -> Outgoing:
        names = names or {}
        values = [(n.outcome, self._values(n, reader, names)) for n in notices]
        text_paras = [self.templates.paragraph(o, False, **v) for o, v in values]
        html_paras = [Markup(self.templates.paragraph(o, True, **v)) for o, v in values]
        common = {"greeting": first_name(to_name, to),
                  "coordinator": {"name": self.head.coordinator_name,
                                  "email": self.head.coordinator_email},
                  "series": self.head.series}
        text = self.templates.render("letter.txt.j2", False, paragraphs=text_paras, **common)
        html = self.templates.render("letter.html.j2", True, paragraphs=html_paras, **common)
        message_id = make_message_id(self.head.from_address, self.new_token())
        alternative = mime.boundary()
        attachments = [a for n in notices if n.email == to and self.ics is not None
                       and (a := self.ics(n, now)) is not None]
        edges = (alternative, mime.boundary() if attachments else "")
        headers = [("From", _from_header(self.head.display_name, self.head.from_address)),
                   ("To", email.utils.formataddr((one_line(to_name)[:100], to), charset="utf-8")),
                   ("Subject", folded_subject(subject)),
                   ("Date", email.utils.format_datetime(now)),
                   ("Message-ID", message_id)]
        if in_reply_to:
            refs = [r for r in references if r != in_reply_to][-(MAX_REFERENCES - 1):]
            headers += [("In-Reply-To", in_reply_to),
                        ("References", " ".join([*refs, in_reply_to]))]
        headers += [("Auto-Submitted", auto),
                    ("X-Auto-Response-Suppress", AUTO_RESPONSE_SUPPRESS),
                    ("X-Mailflow-Outcome", outcome),
                    ("Reply-To", self.head.reply_to or self.head.from_address)]
        raw = mime.letter(headers, text + "\n", html + "\n", attachments, edges)
        event_ids = tuple(dict.fromkeys(n.event_id for n in notices if n.event_id))
        return Outgoing(kind=kind, recipient=to, subject=subject, outcome=outcome,
                        event_ids=event_ids, in_reply_to=in_reply_to, message_id=message_id,
                        raw=raw)

    def reply_heading(self, mail: InboundMail, decision: Decision) -> tuple[str, str] | None:
        """The outcome and subject `reply` would give, without composing it (None: no reply)."""
        if decision.silent or not decision.reply or not mail.sender:
            return None
        return (outcome_header(decision.reply, mail.sender),
                reply_subject(mail.subject, self.head.series_name))

    def reply(self, mail: InboundMail, decision: Decision, now: datetime,
              names: Mapping[str, str] | None = None) -> Outgoing | None:
        """The answer to a request, in the member's own thread (RFC 3834 auto-replied)."""
        if decision.silent or not decision.reply or not mail.sender:
            return None
        return self._build(
            kind="reply", to=mail.sender, to_name=mail.sender_name,
            subject=reply_subject(mail.subject, self.head.series_name),
            notices=decision.reply, reader=mail.sender,
            outcome=outcome_header(decision.reply, mail.sender), now=now,
            in_reply_to=mail.message_id, references=mail.references, auto="auto-replied",
            names=names)

    def notice(self, n: Notice, now: datetime, name: str = "") -> Outgoing:
        """Mail to someone who did not write: an offer, a colleague's booking, an expiry,
        a reminder."""
        event = n.session or self.head.events.get(n.event_id)
        kind = {"offered": "offer", "reminder": "reminder", "updated": "update",
                "session-cancelled": "update"}.get(n.outcome, "notice")
        return self._build(
            kind=kind, to=n.email, to_name=n.name or name,
            subject=self.templates.subject(n.outcome, event=event, n=n,
                                           series=self.head.series), notices=(n,),
            reader=n.email, outcome=outcome_header((n,), n.email), now=now)
