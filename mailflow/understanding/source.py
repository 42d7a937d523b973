"""Which text asks (own words, a forward, the subject) and the changes it asks for."""

from __future__ import annotations

from mailflow.model import SEAT_CHANGING, Intent
from mailflow.understanding.message import FORWARDS_READ, HELD_OUTCOMES, Message
from mailflow.understanding.reading import read


def choose_source(msg: Message) -> None:
    """Which text asks: the member's own words, a forward they pass along, or the subject."""
    own = msg.own
    # A forwarding note ("please sort this for Priya below") passes the request along:
    # read the forwarded mail when the note itself asks for nothing.
    own_intents = {i for i in own.found if i in SEAT_CHANGING}
    for part in msg.forwarded[:FORWARDS_READ]:
        reading = msg.read_forward(part)
        fwd_intents = {i for i in reading.found if i in SEAT_CHANGING}
        if not fwd_intents:
            continue
        if not own_intents:
            msg.source, msg.source_fwd = reading, part
        elif fwd_intents & own_intents and (own.delegation or not own.first_person):
            # "please book Sarah as below": the note asks, the forward says for whom. A note
            # asking only for the sender's own place ("I'd like the food one from the list
            # below") uses the forward as reference, not as a request from its sender.
            msg.source_fwd = part
        break
    # The subject of a reply to our own message is our words, not the member's request.
    if msg.context is not None:
        return
    subject_reading = read(msg.subject_text, False)
    if (
        not any(i in SEAT_CHANGING for i in msg.source.found)
        and not own.questions
        and any(i in SEAT_CHANGING for i in subject_reading.found)
    ):
        msg.source, msg.from_subject = subject_reading, True


def intents_of(msg: Message) -> dict[Intent, float]:
    """Seat-changing intents found, as the thread makes them mean."""
    context, offered = msg.context, msg.offered
    intents = {i: msg.source.best(i) for i in msg.source.found if i in SEAT_CHANGING}
    # Threading: a reply to our own message carries its meaning.
    if offered:
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
    # "I can't make it, could Sam go in my place?" is one request: a substitution.
    if Intent.SUBSTITUTE in intents:
        intents.pop(Intent.CANCEL, None)
        intents.pop(Intent.REGISTER, None)
    # "Will the webinars be recorded? 10am clashes with our team meeting": a clash given as the
    # reason for a question, in a mail answering nothing of ours, asks for no cancellation.
    clashes = msg.source.phrases(Intent.CANCEL)
    if (
        context is None
        and msg.own.questions
        and clashes
        and all(p.startswith("clash") for p in clashes)
        and set(intents) == {Intent.CANCEL}
    ):
        intents.pop(Intent.CANCEL)
    # "I'll take the place, please book me in" is one acceptance.
    if Intent.ACCEPT_OFFER in intents:
        intents.pop(Intent.REGISTER, None)
    if Intent.DECLINE_OFFER in intents and not offered and Intent.CANCEL in intents:
        intents.pop(Intent.DECLINE_OFFER)
    return intents
