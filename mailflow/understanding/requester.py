"""Who asks: the sender, or the member whose mail a mailing list passed on under its own name;
and whether the one who asks may ask for the people named."""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.utils import getaddresses

from mailflow.clean import display_name
from mailflow.model import InboundMail, Person
from mailflow.understanding.message import Message, of_a_full_member

_VIA = re.compile(r"\s+via\s+", re.IGNORECASE)
_MAILTO = re.compile(r"mailto:([^>\s,]+)", re.IGNORECASE)
# Words of a mailbox a team shares rather than a person's: procurement@, training-team@.
_ROLE_WORDS = frozenset({
    "procurement", "purchasing", "sourcing", "team", "teams", "office", "admin", "administration",
    "info", "enquiries", "inquiries", "training", "bookings", "booking", "contracts", "commercial",
    "finance", "accounts", "hr", "reception", "general", "estates", "facilities", "catering",
    "operations", "hello", "contact", "mail", "secretary", "secretariat", "services", "dept",
    "department", "unit", "group", "shared", "central", "support", "staff",
})


def _list_addresses(mail: InboundMail) -> set[str]:
    return {a.lower() for a in _MAILTO.findall(mail.header("list-post"))}


def from_a_list(mail: InboundMail) -> bool:
    """The From is a mailing list itself (its List-Post address, or "Chidi Okonkwo via
    Procurement Network" beside a List-Id), not a member writing from their own address."""
    if not mail.header("list-id").strip() or not mail.sender:
        return False
    return mail.sender in _list_addresses(mail) or bool(_VIA.search(mail.sender_name))


def list_poster(mail: InboundMail) -> Person | None:
    """The member a list mail is from: the one address in its Reply-To, other than the list's;
    None when the mail is not from a list or the Reply-To does not name one member."""
    if not from_a_list(mail):
        return None
    replies = [(n, a.lower()) for n, a in getaddresses(mail.header_all("reply-to")) if a]
    if len(replies) != 1 or replies[0][1] in (mail.sender, *_list_addresses(mail)):
        return None
    name, address = replies[0]
    return Person(address, display_name(name) or _VIA.split(mail.sender_name)[0].strip())


def shared_mailbox(address: str) -> bool:
    """An address a team shares (procurement@, training-team@), not one person's: a place
    "for me" from it is for nobody the desk can name."""
    local = address.partition("@")[0].lower()
    words = [w for w in re.split(r"[._+-]+", local) if w and not w.isdigit()]
    return bool(words) and all(w in _ROLE_WORDS for w in words)


def booked_from_outside(sender: str, booked: Sequence[str], domains: Sequence[str]) -> str:
    """A sender who is no full member's staff (an associate, a consultant, a supplier) asking
    a place for, or cancelling one of, a full member's staff: that person has not asked, and
    nobody at their organisation vouches for the change, so the coordinator checks with them
    first. The reason, or "". (A member's staff booking a colleague at another full member is
    a member's word.)"""
    if not sender or not domains or of_a_full_member(sender, domains):
        return ""
    for address in booked:
        if of_a_full_member(address, domains):
            return (f"asks for a full member's staff ({address}) from outside the full "
                    "members: the coordinator checks with them")
    return ""


def desk_addresses(msg: Message) -> set[str]:
    """The desk's own addresses a reply in our thread was sent to: those of its To and Cc at the
    domain of the message it answers (ours). The desk is never a colleague or a substitute,
    whoever a quoted header gives it for."""
    if msg.context is None or not msg.mail.thread_ids:
        return set()
    domain = msg.mail.thread_ids[0].strip("<> ").rpartition("@")[2].lower()
    if not domain:
        return set()
    return {a for a in msg.sent_to if a.rpartition("@")[2] == domain}


def organisation(email: str) -> str:
    """The last two labels of an address's domain: procurement.camden.example -> camden.example."""
    return ".".join(email.rpartition("@")[2].lower().split(".")[-2:])
