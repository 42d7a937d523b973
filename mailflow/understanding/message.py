"""One message split into what is read: the member's own words, forwards, the subject."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import getaddresses
from functools import cached_property

from mailflow.clean import CleanText, clean_body, clean_subject
from mailflow.model import ForwardedMail, InboundMail, ThreadContext
from mailflow.understanding.clauses import split_signature
from mailflow.understanding.corrections import NOTHING, Applied
from mailflow.understanding.reading import Reading, read

# What the interpreter reads. The request is in the first few kilobytes of the member's own
# words; a 165 kB body (a binary .msg read as text) must not cost a second.
BODY_LIMIT = 8_000  # characters of the raw body handed to the cleaner
ATTACHED_LIMIT = 2_000  # characters of an attached message handed to the cleaner
OWN_LIMIT = 1_200  # characters of the member's own words read for rules
FORWARD_LIMIT = 800  # characters of each forwarded message read for rules
FORWARDS_READ = 2  # forwarded messages looked at for a request
FORWARD_CLAUSES = 8  # clauses of each read


def _forwarded_parts(mail: InboundMail, clean: CleanText) -> list[ForwardedMail]:
    parts = list(clean.forwarded)
    for attached in mail.forwarded:
        inner = clean_body(attached.text[:ATTACHED_LIMIT])
        text = "\n".join(p for p in (inner.own, inner.closing) if p)[:FORWARD_LIMIT]
        parts.append(
            ForwardedMail(
                attached.sender,
                attached.sender_name or inner.signature_name,
                clean_subject(attached.subject).text,
                text,
                addressed=attached.addressed,
            )
        )
        parts.extend(inner.forwarded)
    return parts



OFFER_OUTCOMES = frozenset({"offered", "offer-expired"})
# Our answers that refused a place: a reply asking for it again appeals the refusal.
REFUSED_OUTCOMES = frozenset({"deadline-passed", "not-eligible"})
HELD_OUTCOMES = frozenset(
    {"confirmed", "already-registered", "substituted", "waitlisted", "already-waitlisted"}
)



def of_a_full_member(email: str, domains: Sequence[str]) -> bool:
    """An address at (or under) a full member's domain."""
    domain = email.rpartition("@")[2].lower()
    return any(domain == d or domain.endswith("." + d) for d in domains)


@dataclass
class Doubt:
    """The confidence of a reading and the first reason it was lowered."""

    confidence: float = 0.95
    reason: str = ""
    # The sender says they are a member's staff from an address at no member (Request.member_claim).
    member_claim: bool = False

    def lower(self, value: float, why: str) -> None:
        if value < self.confidence:
            self.confidence = value
        self.reason = self.reason or why


@dataclass
class Message:
    """One message split into what is read: the member's words, forwards, the subject."""

    mail: InboundMail
    subject_text: str
    clean: CleanText
    own_body: str
    own: Reading
    forwarded: list[ForwardedMail]
    context: ThreadContext | None
    offered: bool
    source: Reading = field(init=False)
    source_fwd: ForwardedMail | None = None
    from_subject: bool = False
    # "Re: Place available: Food - please reply by Wed 18 Jun" in a thread the desk started:
    # the subject is our own, quoted back, not the member's words.
    subject_ours: bool = False
    # The full members' mail domains: a colleague at one of them is a member's staff too.
    full_member_domains: tuple[str, ...] = ()
    # Their names: "I work at Camden" from a gmail address claims a member's staff.
    full_member_names: tuple[str, ...] = ()
    # A correction of the member's own that the reading applies (corrections.py).
    correction: Applied = NOTHING
    _forward_readings: dict[int, Reading] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.source = self.own

    def read_forward(self, part: ForwardedMail) -> Reading:
        """A forwarded message's reading, read once per message."""
        key = id(part)
        if key not in self._forward_readings:
            self._forward_readings[key] = read(
                part.text[:FORWARD_LIMIT], self.offered, FORWARD_CLAUSES
            )
        return self._forward_readings[key]

    @cached_property
    def sent_to(self) -> frozenset[str]:
        """The addresses this mail was sent to (its To and Cc), lower-cased: ours, in our thread."""
        return frozenset(a.lower() for _, a in getaddresses(
            [*self.mail.header_all("to"), *self.mail.header_all("cc")]
        ) if a)

    @property
    def context_ids(self) -> tuple[str, ...]:
        return self.context.event_ids if self.context is not None else ()


# Our own mail quoted back with no marker the cleaner knows ("Dorota\n\nDear Dorota,\n\nA place
# has come up ..."): a salutation line after the member's words opens it, under any header lines
# ("From: Our Series", "Sent: ...") or rule above it.
_LATER_SALUTATION = re.compile(r"\n[ \t]*Dear [A-Z][^\n,]{0,40},?[ \t]*(?:\n|$)")
_ABOVE_THE_QUOTE = re.compile(
    r"^\s*(?:(?:from|sent|to|cc|date|subject)\s*:.*|[-_=*]{3,})?\s*$", re.IGNORECASE
)


def _before_our_quote(own: str) -> str:
    """In a reply in a thread the desk started, the member's words before our quoted mail."""
    found = _LATER_SALUTATION.search(own)
    if found is None:
        return own
    lines = own[: found.start()].split("\n")
    while lines and _ABOVE_THE_QUOTE.match(lines[-1]):
        lines.pop()
    return "\n".join(lines)


def message(mail: InboundMail, context: ThreadContext | None) -> Message:
    subject = clean_subject(mail.subject)
    clean = clean_body(mail.text[:BODY_LIMIT], forward=subject.is_forward)
    offered = context is not None and context.outcome in OFFER_OUTCOMES
    names = frozenset(
        w.lower().strip(".") for w in f"{mail.sender_name} {clean.signature_name}".split() if w
    )
    own = clean.own[:OWN_LIMIT]
    own_body, _signature = split_signature(
        _before_our_quote(own) if context is not None else own, names
    )
    return Message(
        mail=mail,
        subject_text=subject.text,
        clean=clean,
        own_body=own_body,
        own=read(own_body, offered),
        forwarded=_forwarded_parts(mail, clean),
        context=context,
        offered=offered,
        subject_ours=context is not None and subject.is_reply and not subject.is_forward,
    )


