"""The reading of one message: intents, sessions and people combined into a Request."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mailflow.clean import CleanText, clean_body, clean_subject, display_name
from mailflow.model import (
    SEAT_CHANGING,
    EventInfo,
    ForwardedMail,
    InboundMail,
    Intent,
    Person,
    Request,
    ThreadContext,
)
from mailflow.understanding.clauses import Role, split_signature
from mailflow.understanding.index import event_index
from mailflow.understanding.intents import ACK_WORDS, read
from mailflow.understanding.people import (
    OWN_PLACE,
    SEVERAL_PLACES,
    colleagues_without_address,
    people_in,
)
from mailflow.understanding.sessions import resolve_events
from mailflow.understanding.text import norm_text


def _forwarded_parts(mail: InboundMail, clean: CleanText) -> list[ForwardedMail]:
    parts = list(clean.forwarded)
    for attached in mail.forwarded:
        inner = clean_body(attached.text)
        text = "\n".join(p for p in (inner.own, inner.closing) if p)
        parts.append(
            ForwardedMail(
                attached.sender,
                attached.sender_name or inner.signature_name,
                clean_subject(attached.subject).text,
                text,
            )
        )
        parts.extend(inner.forwarded)
    return parts


_OFFER_OUTCOMES = frozenset({"offered", "offer-expired"})
_HELD_OUTCOMES = frozenset(
    {"confirmed", "already-registered", "substituted", "waitlisted", "already-waitlisted"}
)


def understand(
    mail: InboundMail,
    events: Sequence[EventInfo],
    now: datetime,
    context: ThreadContext | None = None,
) -> Request:
    """Interpret one message. Pure: same mail, events, time and context give the same Request."""
    subject = clean_subject(mail.subject)
    clean = clean_body(mail.text, forward=subject.is_forward)
    forwarded = _forwarded_parts(mail, clean)
    offered = context is not None and context.outcome in _OFFER_OUTCOMES
    context_ids = context.event_ids if context is not None else ()
    evidence: list[str] = []
    if context is not None:
        evidence.append(
            f"reply to our '{context.outcome}' message for {', '.join(context_ids) or 'no session'}"
        )

    names = frozenset(
        w.lower().strip(".") for w in f"{mail.sender_name} {clean.signature_name}".split() if w
    )
    own_body, _signature = split_signature(clean.own, names)
    own = read(own_body, offered)
    source = own
    source_fwd: ForwardedMail | None = None
    # A forwarding note ("please sort this for Priya below") passes the request along:
    # read the forwarded mail when the note itself asks for nothing.
    own_intents = {i for i in own.found if i in SEAT_CHANGING}
    for part in forwarded:
        reading = read(part.text, offered)
        fwd_intents = {i for i in reading.found if i in SEAT_CHANGING}
        if not fwd_intents:
            continue
        if not own_intents:
            source, source_fwd = reading, part
        elif fwd_intents & own_intents and (own.delegation or not own.first_person):
            # "please book Sarah as below": the note asks, the forward says for whom. A note
            # asking only for the sender's own place ("I'd like the food one from the list
            # below") uses the forward as reference, not as a request from its sender.
            source_fwd = part
        break
    subject_reading = read(subject.text, False)
    from_subject = False
    if (
        not any(i in SEAT_CHANGING for i in source.found)
        and not own.questions
        and any(i in SEAT_CHANGING for i in subject_reading.found)
        and not (offered and own.words)
    ):
        source, from_subject = subject_reading, True

    intents = {i: source.best(i) for i in source.found if i in SEAT_CHANGING}
    confidence = 0.95
    reason = ""

    def lower(value: float, why: str) -> None:
        nonlocal confidence, reason
        if value < confidence:
            confidence = value
        reason = reason or why

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
        and context.outcome in _HELD_OUTCOMES
        and Intent.DECLINE_OFFER in intents
    ):
        intents[Intent.CANCEL] = max(
            intents.pop(Intent.DECLINE_OFFER), intents.get(Intent.CANCEL, 0)
        )
    # "I can't make it, could Sam go in my place?" is one request: a substitution.
    if Intent.SUBSTITUTE in intents:
        intents.pop(Intent.CANCEL, None)
        intents.pop(Intent.REGISTER, None)
    # "I'll take the place, please book me in" is one acceptance.
    if Intent.ACCEPT_OFFER in intents:
        intents.pop(Intent.REGISTER, None)
    if Intent.DECLINE_OFFER in intents and not offered and Intent.CANCEL in intents:
        intents.pop(Intent.DECLINE_OFFER)

    sender = Person(mail.sender, display_name(mail.sender_name) or clean.signature_name)
    index = event_index(tuple(events))

    if not intents:
        text_for_ack = own.text if own.words else norm_text(clean.closing)
        if own.questions or (
            forwarded and source is own and read(forwarded[0].text, offered).questions
        ):
            questions = own.questions or ["(forwarded question)"]
            return Request(
                Intent.QUESTION,
                event_ids=resolve_events(
                    [own.text, norm_text(subject.text)], index, now, context_ids
                ).ids,
                confidence=0.0,
                evidence=(*evidence, f'asks: "{questions[0][:120]}"'),
                reason="asks a question rather than for a change of place",
            )
        if (own.ack or ACK_WORDS.search(text_for_ack)) and own.words <= 30 and not forwarded:
            if offered:
                return Request(
                    Intent.QUESTION,
                    event_ids=context_ids,
                    confidence=0.0,
                    evidence=(*evidence, f'says: "{text_for_ack[:80]}"'),
                    reason="thanks us for the offer without saying whether they will take it",
                )
            return Request(
                Intent.ACKNOWLEDGEMENT,
                confidence=0.9,
                evidence=(*evidence, f'says: "{text_for_ack[:80]}"'),
            )
        why = "no request found" if own.words or forwarded else "empty message"
        if own.negated:
            why = f'says not to: "{own.negated[:100]}"'
        return Request(Intent.UNKNOWN, confidence=0.0, evidence=tuple(evidence), reason=why)

    ranked = sorted(intents.items(), key=lambda kv: (-kv[1], kv[0].value))
    intent, strength = ranked[0]
    for phrase in source.phrases(intent)[:3]:
        evidence.append(f'{intent.value}: "{phrase}"' + (" (subject)" if from_subject else ""))
    if len(ranked) > 1:
        others = ", ".join(i.value for i, _ in ranked)
        lower(0.3, f"asks for more than one kind of change ({others})")
    if strength < 1.0:
        lower(0.75, "")
    if from_subject:
        lower(0.75, "")
    if source.hedged:
        lower(0.45, f'sounds tentative: "{source.hedged[:100]}"')
    questions = own.questions + (source.questions if source is not own else [])
    if questions:
        lower(0.4, f'also asks: "{questions[0][:100]}"')
        evidence.append(f'asks: "{questions[0][:120]}"')
    if source.negated and source.negated != own.text:
        lower(0.4, f'a phrase is negated: "{source.negated[:100]}"')

    # Sessions: the clauses that ask first, then the subject, then the forwarded mail; the
    # clauses that only give background last.
    asking = own.role_text(Role.REQUEST)
    background = own.role_text(Role.BACKGROUND, Role.QUESTION, Role.COURTESY)
    texts = [asking, norm_text(subject.text)]
    if source_fwd is not None:
        texts = [
            asking,
            norm_text(source_fwd.text),
            norm_text(source_fwd.subject),
            norm_text(subject.text),
        ]
    elif from_subject:
        texts = [norm_text(subject.text), asking]
    found_events = resolve_events(texts, index, now, context_ids, background)
    evidence.extend(found_events.evidence)
    event_ids = found_events.ids
    if found_events.problem:
        lower(0.3, found_events.problem)
    elif not event_ids and intent is Intent.REGISTER:
        # A substitution, like a cancellation, may leave the session to the decision step,
        # which knows whether the sender holds exactly one place.
        lower(0.3, "does not say which session")
    if offered and event_ids and context_ids and not set(event_ids) <= set(context_ids):
        lower(0.4, "names a different session from the one offered")
    if intent is Intent.CANCEL and not found_events.mentioned and len(context_ids) > 1:
        lower(0.4, "does not say which of their sessions to cancel")

    # People.
    exclude = {sender.email} if sender.email else set()
    people: list[Person] = []
    substitute: Person | None = None
    # A note that names its attendees with addresses makes the forward background: its
    # sender is not who the places are for.
    fwd = source_fwd
    if fwd is not None and source is own and people_in(own_body, exclude):
        fwd = None
    if fwd is not None and fwd.sender and fwd.sender != sender.email:
        requester = Person(fwd.sender, fwd.sender_name)
        evidence.append(f"for {requester.email}: forwarded request")
        colleagues = people_in(fwd.text, exclude | {requester.email})
        if intent is Intent.SUBSTITUTE:
            people = [requester]
            substitute = colleagues[0] if len(colleagues) == 1 else None
        else:
            people = [requester, *colleagues]
        if own.first_person and intent is Intent.REGISTER:
            people.insert(0, sender)
    elif fwd is not None and not fwd.sender:
        lower(0.3, "forwarded request without the original sender's address")
        people = []
    else:
        own_original = own_body
        colleagues = people_in(own_original, exclude)
        missing = colleagues_without_address(own_original, colleagues)
        if intent is Intent.SUBSTITUTE:
            if len(colleagues) == 1:
                substitute = colleagues[0]
                evidence.append(f"substitute {substitute.email}: named in the message")
            elif not colleagues:
                lower(0.3, "names no colleague with an email address to take the place")
            else:
                lower(0.3, "names several colleagues; which one takes the place?")
        elif colleagues:
            evidence.extend(f"for {p.email}: named in the message" for p in colleagues)
            people = list(colleagues)
            # "Register me and Sam" / "cancel my place and Sam's" include the sender too.
            own_place = intent is not Intent.REGISTER and OWN_PLACE.search(own.text)
            if source.first_person or own_place:
                people.insert(0, sender)
        if (
            missing
            and intent in (Intent.REGISTER, Intent.SUBSTITUTE, Intent.CANCEL)
            and substitute is None
        ):
            lower(0.4, f"names {missing[0]} without an email address")
        if intent is Intent.REGISTER and SEVERAL_PLACES.search(own.text) and not colleagues:
            lower(0.4, "asks for several places without naming who they are for")
    if intent is Intent.SUBSTITUTE and substitute is None:
        lower(0.3, "does not say who takes the place (with an email address)")
    if people == [sender]:
        people = []
    if intent in (Intent.ACCEPT_OFFER, Intent.DECLINE_OFFER):
        # An offer belongs to whoever it was made to: only a forwarded reply names someone else.
        people = [p for p in people if p != sender] if source_fwd is not None else []

    return Request(
        intent=intent,
        event_ids=event_ids,
        people=tuple(people),
        substitute=substitute,
        confidence=round(confidence, 2),
        evidence=tuple(evidence),
        reason=reason,
    )
