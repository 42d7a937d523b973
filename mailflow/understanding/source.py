"""Which text asks (own words, a forward, the subject) and the changes it asks for."""

from __future__ import annotations

import re
from dataclasses import replace

from mailflow.model import SEAT_CHANGING, Intent
from mailflow.understanding.clauses import Role
from mailflow.understanding.index import EventIndex
from mailflow.understanding.literals import guarded
from mailflow.understanding.mentions import keyword_ids
from mailflow.understanding.message import FORWARDS_READ, HELD_OUTCOMES, Message
from mailflow.understanding.moves import leaves_the_list
from mailflow.understanding.phrases import OWN_PLACE
from mailflow.understanding.reading import Reading, read

# "I can't do the May date", "May clashes with our board": saying one cannot come, with no
# word that gives a place up.
_INABILITY = guarded(
    r"^(?:can't|cant|cannot|can not|won't|wont|will not|unable|not |no longer|am not|clash)"
)
_BUT = re.compile(r"\b(?:but|so|though|however)\b")
# Words that say the member holds a place already, so an inability may be a move.
_HOLDS_A_PLACE = guarded(
    OWN_PLACE + r"|\b(?:i'm|i am|we're|we are|i was"
    r"|i've been|i have been) (?:already )?(?:booked|registered|down|signed up)\b"
    r"|\b(?:move|swap|switch|transfer)\b|\bany ?more\b|\bno longer\b"
)


# A booking phrase whose attendee is the sender: "book me", "move me to", "can I have (a
# place)", "I'd like to attend" (not "could you book him in", "I'd like Sam to go").
_FOR_THE_SENDER = re.compile(
    r"\b(?:me|myself)\b|\b(?:can|could|may) (?:i|we)\b"
    r"|\b(?:i|we)(?:'d| would)? (?:also )?(?:like|love|want) to (?:attend|join|come|register|book)"
)


def _books_the_sender(reading: Reading) -> bool:
    """A booking phrase for the sender themselves, read with the few words before it."""
    handing = [(p, n) for p, _, n in reading.found.get(Intent.SUBSTITUTE, [])]
    for phrase, _, n in reading.found.get(Intent.REGISTER, []):
        if any(m == n and phrase in p for p, m in handing):
            continue  # "put me down instead of Tom": the booking is the substitution's own words
        clause = reading.clauses[n].text if n < len(reading.clauses) else phrase
        at = clause.find(phrase)
        words = clause[max(0, at - 16) : at + len(phrase)] if at >= 0 else phrase
        if _FOR_THE_SENDER.search(words):
            return True
    return False


def choose_source(msg: Message) -> None:
    """Which text asks: the member's own words, a forward they pass along, or the subject."""
    own = msg.own
    # A forwarding note ("please sort this for Priya below") passes the request along:
    # read the forwarded mail when the note itself asks for nothing.
    own_intents = {i for i in own.found if i in SEAT_CHANGING}
    # A forward of a mail from the address this one was sent to is our own message come back
    # ("Hi Ben - this is the one I mentioned, details below" over our confirmation): its words
    # ("if you can no longer attend, please reply") are ours, and ask nothing of us.
    ours = msg.sent_to
    for part in msg.forwarded[:FORWARDS_READ]:
        if part.sender.lower() in ours:
            continue
        reading = msg.read_forward(part)
        fwd_intents = {i for i in reading.found if i in SEAT_CHANGING}
        if not fwd_intents:
            continue
        if not own_intents:
            msg.source, msg.source_fwd = reading, part
        elif fwd_intents & own_intents and (
            (own.delegation and not _books_the_sender(own)) or not own.first_person
        ):
            # "please book Sarah as below": the note asks, the forward says for whom. A note
            # asking only for the sender's own place ("I'd like the food one from the list
            # below", "X suggested I register via you (see below) - please book me") uses the
            # forward as reference, not as a request from its sender.
            msg.source_fwd = part
        break
    # The subject of a reply to our own message is our words, not the member's request;
    # except the answer to an offer written there alone, over no word of the body ("Re: A
    # place is available: Furniture - YES please"): the member's words added to ours.
    if msg.context is not None:
        if msg.offered and not own.words and not own_intents:
            answer = read(msg.subject_text, True)
            if set(answer.found) & {Intent.ACCEPT_OFFER, Intent.DECLINE_OFFER}:
                msg.source, msg.from_subject = answer, True
        return
    # The subject is read only when it could be the source.
    if any(i in SEAT_CHANGING for i in msg.source.found) or own.questions:
        return
    subject_reading = read(msg.subject_text, False)
    if any(i in SEAT_CHANGING for i in subject_reading.found):
        msg.source, msg.from_subject = subject_reading, True


def intents_of(msg: Message, index: EventIndex) -> dict[Intent, float]:
    """Seat-changing intents found, as the thread makes them mean."""
    context, offered = msg.context, msg.offered
    intents = {i: msg.source.best(i) for i in msg.source.found if i in SEAT_CHANGING}
    # Threading: a reply to our own message carries its meaning.
    if offered:
        if context is not None and context.outcome == "offer-expired":
            # The offer has lapsed and its place gone: a "no" there declines nothing ("No
            # worries, I was away"). A cancellation asked for outright still reads below.
            intents.pop(Intent.DECLINE_OFFER, None)
        if Intent.REGISTER in intents:
            intents[Intent.ACCEPT_OFFER] = max(
                intents.pop(Intent.REGISTER), intents.get(Intent.ACCEPT_OFFER, 0)
            )
        if Intent.CANCEL in intents:
            intents[Intent.DECLINE_OFFER] = max(
                intents.pop(Intent.CANCEL), intents.get(Intent.DECLINE_OFFER, 0)
            )
    elif (
        context is not None
        and context.outcome in HELD_OUTCOMES
        and Intent.DECLINE_OFFER in intents
    ):
        intents[Intent.CANCEL] = max(
            intents.pop(Intent.DECLINE_OFFER), intents.get(Intent.CANCEL, 0)
        )
    # "I can't make it, could Sam go in my place?" is one request: a substitution. A place
    # asked for the sender beside it ("... and could you move me to the food one?") is a
    # second change, and stays.
    if Intent.SUBSTITUTE in intents and not _cancels_another(msg.source, index):
        intents.pop(Intent.CANCEL, None)
    if Intent.SUBSTITUTE in intents and not _books_the_sender(msg.source):
        intents.pop(Intent.REGISTER, None)
    # "Will the webinars be recorded? 10am clashes with our team meeting", "... I'm booked on it
    # but can't join live": a clash or an inability given as the reason for a question, in a
    # mail answering nothing of ours, asks for no cancellation (the coordinator answers it).
    clashes = msg.source.phrases(Intent.CANCEL)
    if (
        context is None
        and msg.own.questions
        and clashes
        and all(_INABILITY.match(p) for p in clashes)
        and set(intents) == {Intent.CANCEL}
    ):
        intents.pop(Intent.CANCEL)
    if _inability_as_reason(msg, intents, index):
        intents.pop(Intent.CANCEL)
    # "Take me off the food list and book me on textiles instead" answering our waiting-list
    # message for food: one change, a move (moves.py).
    if leaves_the_list(msg, intents, lambda text: keyword_ids(text, index)):
        intents.pop(Intent.CANCEL)
    # "I'll take the place, please book me in" is one acceptance.
    if Intent.ACCEPT_OFFER in intents:
        intents.pop(Intent.REGISTER, None)
    if Intent.DECLINE_OFFER in intents and not offered and Intent.CANCEL in intents:
        intents.pop(Intent.DECLINE_OFFER)
    return intents


def _cancels_another(reading: Reading, index: EventIndex) -> bool:
    """"Replace me with Anna on construction. Please also take me off logistics.": a place
    given up in a clause of its own on a session the substitution does not name is a second
    change, not the place handed on."""
    def named(numbers: set[int]) -> frozenset[str]:
        return frozenset().union(
            *(keyword_ids(reading.clauses[n].text, index) for n in numbers
              if n < len(reading.clauses))
        )

    handed = {n for _, _, n in reading.found.get(Intent.SUBSTITUTE, [])}
    given_up = {n for _, _, n in reading.found.get(Intent.CANCEL, [])} - handed
    handed_on, cancelled = named(handed), named(given_up)
    return bool(handed_on) and bool(cancelled) and handed_on.isdisjoint(cancelled)


def _inability_as_reason(msg: Message, intents: dict[Intent, float], index: EventIndex) -> bool:
    """"Could I book the 2nd evidence workshop? I can't do the May date." / "I can't make it
    myself but please register two of my team": outside a thread, from a member who says
    nothing of holding a place, not being able to come is why they book what they book.
    The clauses that only say so become background, so the session they name is context."""
    source = msg.source
    if msg.context is not None or set(intents) != {Intent.REGISTER, Intent.CANCEL}:
        return False
    found = source.found[Intent.CANCEL]
    if not all(_INABILITY.match(p) for p, _, _ in found) or _HOLDS_A_PLACE.search(source.text):
        return False
    asking = {n for _, _, n in source.found[Intent.REGISTER]}
    for phrase, _, n in found:
        if n in asking and not _same_sessions(source.clauses[n].text, phrase, index):
            return False  # "I can't make logistics but book me on food": which is it?
    _to_background(source, {n for _, _, n in found} - asking)
    del source.found[Intent.CANCEL]
    return True


def _same_sessions(clause: str, phrase: str, index: EventIndex) -> bool:
    """In "I can't make the furniture webinar myself but please register my team", the part
    that cannot come names no session the part that asks does not (or the asking part names
    none: it goes on about the same one)."""
    at = clause.find(phrase)
    cut = next((m.start() for m in _BUT.finditer(clause) if m.start() > at), -1)
    if at < 0 or cut < 0:
        return False
    unable, asking = keyword_ids(clause[:cut], index), keyword_ids(clause[cut:], index)
    return not asking or unable <= asking


def _to_background(reading: Reading, numbers: set[int]) -> None:
    for n in numbers:
        if n < len(reading.clauses) and reading.clauses[n].role is Role.REQUEST:
            reading.clauses[n] = replace(reading.clauses[n], role=Role.BACKGROUND)
