"""Who asks: the sender, or the member whose mail a mailing list passed on under its own name."""

from __future__ import annotations

import re
from email.utils import getaddresses

from mailflow.clean import display_name
from mailflow.model import InboundMail, Person

_VIA = re.compile(r"\s+via\s+", re.IGNORECASE)
_MAILTO = re.compile(r"mailto:([^>\s,]+)", re.IGNORECASE)


def list_poster(mail: InboundMail) -> Person | None:
    """The member a list mail is from: "Chidi Okonkwo via Procurement Network" <list@...>
    with Reply-To: Chidi's own address. Only when the From is the list itself (its List-Post
    address, or a "via" name beside a List-Id) and Reply-To names one other address; a member
    writing from their own address with a Reply-To elsewhere is still the sender."""
    if not mail.header("list-id").strip() or not mail.sender:
        return None
    posts = {a.lower() for a in _MAILTO.findall(mail.header("list-post"))}
    if mail.sender not in posts and not _VIA.search(mail.sender_name):
        return None
    replies = [(n, a.lower()) for n, a in getaddresses(mail.header_all("reply-to")) if a]
    if len(replies) != 1 or replies[0][1] in (mail.sender, *posts):
        return None
    name, address = replies[0]
    return Person(address, display_name(name) or _VIA.split(mail.sender_name)[0].strip())
