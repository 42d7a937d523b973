"""A reply in our confirmation's thread that completes the booking it confirmed: "Thanks, here
are the others:" and their addresses, the rest of the party sent on for the same session."""

from __future__ import annotations

from mailflow.model import Intent
from mailflow.understanding.literals import guarded
from mailflow.understanding.message import Message
from mailflow.understanding.people import people_in

# "Here are the others:", "please find below the rest of the team", "these are my colleagues'
# addresses": the party's other members, introduced as a list that follows.
_THE_OTHERS = guarded(
    r"\b(?:here (?:are|is)|please find(?: below| attached)?|below (?:are|is)|these are)\s+"
    r"(?:the\s+)?(?:others|other (?:names|people|colleagues|attendees|delegates|addresses)"
    r"|rest(?: of (?:the|my|our) (?:team|group|party|colleagues))?"
    r"|(?:my|our) (?:colleagues|team)(?:'|’|'s|’s)?(?: (?:e-?mail )?(?:addresses|details))?)\b"
    r"[^.?!\n]{0,40}[:\n]"
)
_CONFIRMED = frozenset({"confirmed", "already-registered"})


def the_others_sent_on(msg: Message, sender: str) -> dict[Intent, float]:
    """In reply to our confirmation, the others' addresses introduced as the rest of the party
    ("here are the others:") and nothing else asked: a booking of them on the thread's session.
    Empty when the mail asks anything, names no one, or is not such a reply."""
    context = msg.context
    if context is None or context.outcome not in _CONFIRMED or len(context.event_ids) != 1:
        return {}
    if msg.source is not msg.own or msg.forwarded or msg.own.questions:
        return {}
    if not _THE_OTHERS.search(msg.own.text):
        return {}
    if not people_in(msg.own_body, {sender, context.recipient}):
        return {}
    return {Intent.REGISTER: 1.0}
