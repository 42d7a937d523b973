"""Whose place an answer in a thread changes: the person our message went to, or the sender."""

from __future__ import annotations

import re
from collections.abc import Sequence
from email.utils import getaddresses

from mailflow.model import SEAT_CHANGING, Intent, Person
from mailflow.understanding.clauses import Role
from mailflow.understanding.literals import guarded
from mailflow.understanding.message import HELD_OUTCOMES, Doubt, Message
from mailflow.understanding.others import for_another
from mailflow.understanding.people import OWN_PLACE, people_in

# Speaking of the person our message went to: "her place", "on his behalf", "she won't be able".
_THEIR_PLACE = guarded(
    r"\b(?:her|his|their) (?:place|booking|seat|registration|behalf)\b"
    r"|\b(?:she|he)(?:'s| is| will| would)? (?:won't|will not|can't|cannot|unable|not able"
    r"|no longer|away|on leave|off sick)\b"
)
_BEHALF = guarded(r"\bon ([a-z]+)'s behalf\b|\bon behalf of ([a-z]+)\b")
# "Richard has asked me to reply on his behalf", "replying on behalf of our Director, Sam
# Okonjo": said for someone, whose name is then looked for in the text.
_PRONOUN_BEHALF = guarded(
    r"\bon (?:his|her|their) behalf\b|\bfor (?:him|her|them)\b|\bon behalf of\b"
    r"|\basked me to (?:reply|respond|answer|say|confirm|accept|decline|let you know|tell you"
    r"|thank you|pass on)\b"
    # Who keeps their diary: "I manage Dr Ellison's diary", "PA to the Director".
    r"|\b(?:manage|look after|run|keep)\s+(?:[a-z.]+\s+){0,2}[a-z]+'s\s+(?:diary|calendar|inbox"
    r"|e-?mails?)\b|\b(?:pa|assistant|secretary)\s+to\b"
    # "she asked me to keep an eye on her inbox": minding their mail while they are away.
    r"|\b(?:keep an eye on|look after|mind|cover|check|monitor)\s+(?:his|her|their)\s+(?:inbox"
    r"|e-?mails?|mail)\b"
    # The answer said as theirs: "she is happy to accept the place", "he'd like to take it".
    r"|\b(?:she|he)(?:'s|'d| is| would| will)?\s+(?:be\s+)?(?:(?:very\s+)?(?:happy|glad|pleased"
    r"|delighted)|like|love)\s+to\s+(?:accept|take)\b"
    # "yes please, she'll take the place"
    r"|\b(?:she|he)(?:'ll| will)\s+(?:(?:happily|gladly)\s+)?(?:take|accept)\s+(?:it|the place"
    r"|the offer|this place|that place)\b"
)


def _address_words(address: str) -> list[str]:
    """"r.singh@..." -> ["r", "singh"]: the parts of an address's local part."""
    return [w for w in re.split(r"[._+-]", address.partition("@")[0].lower()) if w]


def _same_person(sender: Person, recipient: str) -> bool:
    """"Raj Singh <rajsingh1984@gmail...>" answering our message to r.singh@...: the person
    we wrote to, from another address (their name fits the address we wrote to)."""
    names = [w for w in re.split(r"[\s.'’-]+", sender.name.lower()) if w]
    parts = _address_words(recipient)
    if len(names) < 2 or not parts:
        return False
    first, last = names[0], names[-1]
    return last in parts and any(p == first or p == first[0] for p in parts if p != last)


def _names_in_headers(headers: Sequence[tuple[str, str]], address: str) -> frozenset[str]:
    """The words of the name the mail's own To and Cc give an address ("Angela Thorne
    <athorne@...>" in Cc), lower case: how the writer may call that person."""
    values = [v for k, v in headers if k in ("to", "cc")]
    return frozenset(
        w for name, addr in getaddresses(values) if addr.lower() == address.lower()
        for w in re.split(r"[\s,.'’()-]+", name.lower()) if len(w) > 1
    )


def _on_their_behalf(text: str, recipient: str, named: frozenset[str] = frozenset()) -> bool:
    """"Replying on Andrew's behalf" to our message to andrew.whitely@...: their answer. named:
    the words of the recipient's name as the mail's headers give it ("Mrs Thorne has asked me
    to decline", Angela Thorne <athorne@...> copied in)."""
    parts = {p for p in _address_words(recipient) if len(p) > 1} | named
    if any((found.group(1) or found.group(2)) in parts for found in _BEHALF.finditer(text)):
        return True
    # "Richard ... has asked me to reply on his behalf": the pronoun's person named.
    return bool(_PRONOUN_BEHALF.search(text)) and any(
        re.search(rf"\b{re.escape(p)}\b", text) for p in parts
    )


def _named_as_theirs(text: str, recipient: str, named: frozenset[str], giving_up: bool) -> bool:
    """The person our message went to, named as the one who answers or cannot come: "Dr Nwosu
    is happy to accept the place", "Jess is off sick this week so won't be able to take the
    place", "Dan has left Camden so please cancel this place"."""
    parts = {p for p in _address_words(recipient) if len(p) > 2} | {w for w in named if len(w) > 2}
    if not parts:
        return False
    who = "|".join(re.escape(p) for p in sorted(parts))
    said = _NAMED_CANNOT if giving_up else _NAMED_ACCEPTS
    if re.search(rf"\b(?:{who})\b(?:'s|\s+is|\s+has|\s+will|\s+would)?\s+{said}", text):
        return True
    # "Thank you for the offer for Cllr Moss - he will have to decline": named, then the no
    # said of them by a pronoun.
    return giving_up and bool(re.search(rf"\b(?:{who})\b", text)) and bool(
        _PRONOUN_DECLINES.search(text)
    )


_PRONOUN_DECLINES = re.compile(
    r"\b(?:he|she)(?:'ll|\s+will|\s+would|\s+must|\s+has to|'s)?\s+(?:have to\s+|need to\s+)?"
    r"(?:decline|say no|pass on (?:it|this|the offer)|turn (?:it|this|the offer) down)\b"
)


# The header lines of a quoted mail: "From: Our Series <registrations@...>".
_HEADER_LINE = re.compile(
    r"^[ \t>]*(?:from|to|cc|sent|date|subject|von|an|gesendet|betreff|de|envoy[ée]|objet)[ \t]*:"
    r".*$", re.IGNORECASE | re.MULTILINE
)


def _listed_by_us(msg: Message, sender: Person) -> Person | None:
    """"James has left Camden, so please cancel his place" in reply to our confirmation "Places
    are confirmed for you and for James Lyle (james.lyle@...)": the one person our quoted
    message lists with an address whose first name the member's own words give."""
    context = msg.context
    if context is None or context.outcome not in HELD_OUTCOMES or not msg.clean.quoted:
        return None
    quoted = _HEADER_LINE.sub("", msg.clean.quoted[:2000])
    listed = people_in(quoted, {sender.email, context.recipient})
    words = set(re.findall(r"[\w'’-]+", msg.own_body))
    named = [p for p in listed if p.name and p.name.split()[0] in words]
    return named[0] if len(named) == 1 else None


def holder_of_our_forward(msg: Message, sender: Person) -> Person | None:
    """"Forwarding Jo's confirmation below - Jo has left, so please cancel her place" over our
    own message forwarded (from the address this mail was sent to): the one person it was
    addressed to, when the member's own words name them (a word of their address). ("Okafor,
    Tom <tom.okafor@...>" unquoted reads as two addresses, one of them no address at all.)"""
    ours = msg.sent_to
    words = {w.lower() for w in re.findall(r"[\w'’-]+", msg.own_body)}
    holders = {
        a.lower() for part in msg.forwarded if part.sender.lower() in ours
        for _, a in getaddresses([part.addressed]) if "@" in a and a.lower() not in ours
    } - {sender.email.lower()}
    if len(holders) != 1:
        return None
    holder = holders.pop()
    if not {w for w in _address_words(holder) if len(w) > 1} & words:
        return None
    return Person(holder, "")


# "... is off sick", "has left Camden", "won't be able to", "can no longer make it".
_NAMED_CANNOT = (
    r"(?:(?:been\s+)?(?:off sick|on leave|away|unwell|ill)\b|left\s+(?!(?:a|the)\s+message)"
    r"|(?:now\s+)?leaving\b|no longer\s+(?:works?|with|able|attend|make|come)\b"
    r"|(?:not|n't|unable|no longer)\s+(?:be\s+)?able\b|(?:can't|cannot|won't|will not)\s+"
    r"(?:make|attend|come|take|be)\b)"
)
# "... is happy to accept the place", "would be delighted to take it", "would like to accept
# the place", "will take it".
_NAMED_ACCEPTS = (
    r"(?:(?:be\s+)?(?:very\s+)?(?:happy|glad|pleased|delighted|keen)\s+to\s+(?:accept|take)\b"
    r"|(?:very\s+much\s+|really\s+)?(?:like|love)s?\s+to\s+(?:accept|take)\b"
    r"|(?:gladly\s+|happily\s+)?(?:accepts?|takes?)\s+(?:it|the\s+(?:place|offer|seat))\b)"
)


_CANNOT = guarded(r"\b(?:can't|cannot|can not|unable|won't be able|not able|couldn't)\b")


def whose_place(
    msg: Message,
    intent: Intent,
    sender: Person,
    people: list[Person],
    evidence: list[str],
    doubt: Doubt,
) -> list[Person]:
    """Doubts about whose place changes, once the people are known."""
    context = msg.context
    recipient = context.recipient if context is not None else ""
    if recipient and recipient != sender.email and not people and intent in SEAT_CHANGING:
        # A reply to our message to someone else: the place in the thread is theirs.
        named = _names_in_headers(msg.mail.headers, recipient)
        giving_up = intent in (Intent.CANCEL, Intent.DECLINE_OFFER)
        if giving_up and _THEIR_PLACE.search(msg.own.text):
            evidence.append(f"for {recipient}: our message in the thread was to them")
            return [Person(recipient, "")]
        if intent is not Intent.REGISTER and not _same_person(sender, recipient) and (
            _named_as_theirs(msg.own.text, recipient, named, giving_up)
        ):
            evidence.append(f"for {recipient}: names them as the one who answers")
            return [Person(recipient, "")]
        if intent is not Intent.REGISTER and _same_person(sender, recipient):
            evidence.append(f"{sender.email} signs as {recipient}, our message's recipient")
        elif intent is not Intent.REGISTER and _on_their_behalf(msg.own.text, recipient, named):
            evidence.append(f"for {recipient}: answers on their behalf")
            return [Person(recipient, "")]
        elif intent is not Intent.REGISTER:
            doubt.lower(0.3, f"answers our message to {recipient} for them: whose place?")
    elif intent is Intent.CANCEL and not people and (
        # "cancel her place", "please cancel my colleague's place", "it's my manager's booking"
        for_another(msg.own.text, msg.own.role_text(Role.REQUEST), giving_up=True)
    ) and not OWN_PLACE.search(msg.own.text):
        if (listed := _listed_by_us(msg, sender)) is not None:
            evidence.append(f"for {listed.email}: named, and listed in our message in the thread")
            return [listed]
        if (holder := holder_of_our_forward(msg, sender)) is not None:
            evidence.append(f"for {holder.email}: named, and our forwarded message was to them")
            return [holder]
        # "Dean can no longer make it - please cancel his place": not the sender's place, and
        # the mail gives no address for whose it is.
        doubt.lower(0.3, "cancels someone else's place without their address")
    others = [p for p in people if p.email != sender.email]
    phrases = msg.source.phrases(Intent.CANCEL)
    if (
        intent is Intent.CANCEL
        and len(others) > 1
        and phrases
        and all(_CANNOT.search(p) for p in phrases)
    ):
        # "Four from my team for the furniture webinar please - I can't make it."
        doubt.lower(0.3, "says someone cannot come but names several people: who is cancelled?")
    return people
