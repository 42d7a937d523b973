"""The reading of one message: intents, sessions and people combined into a Request."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime

from mailflow.clean import display_name
from mailflow.model import (
    SEAT_CHANGING,
    EventInfo,
    InboundMail,
    Intent,
    Person,
    Request,
    ThreadContext,
)
from mailflow.understanding.clauses import Role
from mailflow.understanding.doubts import doubts, kept_sessions
from mailflow.understanding.index import EventIndex, event_index
from mailflow.understanding.message import FORWARDS_READ, HELD_OUTCOMES, Doubt, Message, message
from mailflow.understanding.nochange import no_change
from mailflow.understanding.people import (
    AND_I,
    LISTED_ME,
    OWN_PLACE,
    SEVERAL_PLACES,
    colleagues_without_address,
    people_in,
)
from mailflow.understanding.reading import read
from mailflow.understanding.sessions import keyword_ids, resolve_events
from mailflow.understanding.text import norm_text

# "could you send the joining details to her?": the confirmation carries them.
# A question about the session itself, not about the place: whether it is recorded, whether
# slides go round, how the joining link comes. The booking stands; the coordinator answers.
_SIDE_QUESTION = re.compile(
    r"\b(?:record(?:ed|ing)?|slides?|handouts?|briefing note|materials|recording|notes"
    r"|joining (?:link|details|instructions)|the link|(?:teams|zoom) link|certificate|cpd"
    r"|agenda|circulated|sent round|sent out afterwards|shared afterwards)\b"
)
_LIST_ITEM = re.compile(r"[ \t]*(?:\d+[.)]|[-•*–])\s")
_BOOKS_A_GROUP = re.compile(
    r"\b(?:book|register|sign up|enrol|put down)\s+(?:our|my)\s+(?:whole\s+)?(?:team|staff"
    r"|department|group|unit)\b"
)
_ASKS_THE_CHANGE = re.compile(
    r"\W*(?:so\s+|and\s+)?(?:could|can|would|will) you (?:please |kindly )?(?:swap|switch|change"
    r"|transfer|sort|arrange|do|make) (?:us|that|this|it|the change|the swap)(?: over| round)?"
    r"(?: (?:please|for me|for us))?\W*$"
)
_SIDE = 'side question: "'
_ANSWERED_BY_CONFIRMATION = re.compile(
    r"\b(?:send|resend|re-send|forward|share|pass on|e-?mail)\b[^.?!]{0,40}"
    r"\b(?:joining (?:details|instructions|link)|the link|(?:teams|zoom) link|calendar invite"
    r"|an invite|the invite|confirmation)"
)


def _choose_source(msg: Message) -> None:
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


def _intents(msg: Message) -> dict[Intent, float]:
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




def _weigh(
    msg: Message, intents: dict[Intent, float], evidence: list[str], doubt: Doubt
) -> Intent:
    """The main intent, and what about its wording makes the desk less sure."""
    own, source = msg.own, msg.source
    ranked = sorted(intents.items(), key=lambda kv: (-kv[1], kv[0].value))
    intent, strength = ranked[0]
    for phrase in source.phrases(intent)[:3]:
        evidence.append(f'{intent.value}: "{phrase}"' + (" (subject)" if msg.from_subject else ""))
    if len(ranked) > 1:
        others = ", ".join(i.value for i, _ in ranked)
        doubt.lower(0.3, f"asks for more than one kind of change ({others})")
    if strength < 1.0:
        doubt.lower(0.75, "")
    if msg.from_subject:
        doubt.lower(0.75, "")
    if source.hedged:
        doubt.lower(0.45, f'sounds tentative: "{source.hedged[:100]}"')
    questions = own.questions + (source.questions if source is not own else [])
    if intent is not Intent.CANCEL and intent is not Intent.DECLINE_OFFER:
        questions = [q for q in questions if not _ANSWERED_BY_CONFIRMATION.search(q)]
    # "Could you swap us over?" after "Neil would like to go in my place": the request again.
    questions = [q for q in questions if not _ASKS_THE_CHANGE.match(q)]
    side = [q for q in questions if _SIDE_QUESTION.search(q)]
    questions = [q for q in questions if q not in side]
    if side:
        evidence.append(f'{_SIDE}{side[0][:120]}"')
    if questions:
        doubt.lower(0.4, f'also asks: "{questions[0][:100]}"')
        evidence.append(f'asks: "{questions[0][:120]}"')
    if source.negated and source.negated != own.text:
        doubt.lower(0.4, f'a phrase is negated: "{source.negated[:100]}"')
    for why in doubts(own.text, intent):
        doubt.lower(0.3, why)
    return intent


def _sessions(
    msg: Message,
    intent: Intent,
    index: EventIndex,
    now: datetime,
    evidence: list[str],
    doubt: Doubt,
) -> tuple[str, ...]:
    """Sessions: the clauses that ask first, then the subject, then the forwarded mail; the
    clauses that only give background last."""
    own, subject = msg.own, norm_text(msg.subject_text)
    asking = own.role_text(Role.REQUEST)
    background = own.role_text(Role.BACKGROUND, Role.QUESTION, Role.COURTESY)
    texts = [asking, subject]
    if msg.source_fwd is not None:
        fwd = msg.source_fwd
        texts = [asking, norm_text(fwd.text), norm_text(fwd.subject), subject]
    elif msg.from_subject:
        texts = [subject, asking]
    context_ids = msg.context_ids
    found = resolve_events(texts, index, now, context_ids, background)
    evidence.extend(found.evidence)
    if found.problem:
        doubt.lower(0.3, found.problem)
    elif not found.ids and intent is Intent.REGISTER:
        # A substitution may leave the session to the decision step, which knows whether the
        # sender holds exactly one place.
        doubt.lower(0.3, "does not say which session")
    elif not found.ids and intent is Intent.CANCEL and msg.context is None:
        # "Please cancel my booking", out of the blue: a member holding several places, or
        # one booked long ago, may mean any of them; cancelling is not undone by a reply.
        doubt.lower(0.3, "does not say which booking to cancel")
    if msg.offered and found.ids and context_ids and not set(found.ids) <= set(context_ids):
        doubt.lower(0.4, "names a different session from the one offered")
    if intent is Intent.CANCEL and not found.mentioned and len(context_ids) > 1:
        doubt.lower(0.4, "does not say which of their sessions to cancel")
    return found.ids


def _people(
    msg: Message,
    intent: Intent,
    sender: Person,
    index: EventIndex,
    evidence: list[str],
    doubt: Doubt,
) -> tuple[list[Person], Person | None]:
    """Whose places change, and who takes one over."""
    own, source = msg.own, msg.source
    exclude = {sender.email} if sender.email else set()
    people: list[Person] = []
    substitute: Person | None = None
    # A note that names its attendees with addresses makes the forward background: its
    # sender is not who the places are for.
    fwd = msg.source_fwd
    if fwd is not None and source is own and people_in(msg.own_body, exclude):
        fwd = None
    if fwd is not None and fwd.sender and fwd.sender != sender.email:
        requester = Person(fwd.sender, fwd.sender_name)
        evidence.append(f"for {requester.email}: forwarded request")
        if _organisation(requester.email) != _organisation(sender.email):
            # Eligibility is the sender's; a place for someone from elsewhere is the
            # coordinator's call.
            doubt.lower(0.3, f"forwards a request from outside the sender's organisation "
                             f"({requester.email})")
        colleagues = people_in(fwd.text, exclude | {requester.email})
        if intent is Intent.SUBSTITUTE:
            people = [requester]
            substitute = colleagues[0] if len(colleagues) == 1 else None
        else:
            people = [requester, *colleagues]
        if own.first_person and intent is Intent.REGISTER:
            people.insert(0, sender)
    elif fwd is not None and not fwd.sender:
        doubt.lower(0.3, "forwarded request without the original sender's address")
    else:
        people, substitute = _own_people(msg, intent, sender, exclude, index, evidence, doubt)
    if intent is Intent.SUBSTITUTE and substitute is None:
        doubt.lower(0.3, "does not say who takes the place (with an email address)")
    if people == [sender]:
        people = []
    if intent in (Intent.ACCEPT_OFFER, Intent.DECLINE_OFFER):
        # An offer belongs to whoever it was made to: only a forwarded reply names someone else.
        people = [p for p in people if p != sender] if msg.source_fwd is not None else []
    return people, substitute


def _own_people(
    msg: Message,
    intent: Intent,
    sender: Person,
    exclude: set[str],
    index: EventIndex,
    evidence: list[str],
    doubt: Doubt,
) -> tuple[list[Person], Person | None]:
    """People named in the member's own words."""
    own = msg.own
    people: list[Person] = []
    substitute: Person | None = None
    colleagues = people_in(msg.own_body, exclude)
    # A colleague named without an address matters where the mail asks, not in its background.
    missing = colleagues_without_address(
        own.role_raw(Role.REQUEST), colleagues, msg.own_body, _names_a_session(index)
    )
    if intent is Intent.SUBSTITUTE:
        people, substitute = _substitution(msg, colleagues, evidence, doubt)
    elif colleagues:
        evidence.extend(f"for {p.email}: named in the message" for p in colleagues)
        people = list(colleagues)
        # "Register me and Sam" / "cancel my place and Sam's" include the sender too.
        own_place = intent is not Intent.REGISTER and OWN_PLACE.search(own.text)
        listed = sender.email and (
            LISTED_ME.search(msg.own_body) or _listed_address(msg.own_body, sender.email)
        )
        if msg.source.first_person or own_place or AND_I.search(own.text) or listed:
            people.insert(0, sender)
    outside = [p.email for p in colleagues if _organisation(p.email) != _organisation(sender.email)]
    if outside and intent is Intent.REGISTER and sender.email:
        # Places are for members' staff: a contractor on a personal address is the
        # coordinator's call, as a forwarded request from elsewhere is.
        doubt.lower(0.3, f"names someone from outside the sender's organisation ({outside[0]})")
    if missing and intent in (Intent.REGISTER, Intent.SUBSTITUTE, Intent.CANCEL) and not substitute:
        doubt.lower(0.4, f"names {missing[0]} without an email address")
    if intent is Intent.REGISTER and _BOOKS_A_GROUP.search(own.text) and not colleagues:
        doubt.lower(0.4, "asks for places for a group without naming who is in it")
    if intent is Intent.REGISTER and SEVERAL_PLACES.search(own.text) and not colleagues:
        doubt.lower(0.4, "asks for several places without naming who they are for")
    return people, substitute


def _listed_address(body: str, address: str) -> bool:
    """The sender's own address on a line of a list of attendees ("• Sam – sam@...")."""
    # Line by line rather than a pattern built per sender: nothing is compiled per message.
    return any(
        _LIST_ITEM.match(line) and address in line.lower() for line in body.splitlines()
    )


def _names_a_session(index: EventIndex) -> Callable[[str], bool]:
    """Whether a word is a session's keyword ("book Food for me" names no person)."""
    pattern = index.keyword_re
    return lambda word: bool(pattern and pattern.fullmatch(word))


def _organisation(email: str) -> str:
    """The last two labels of an address's domain: procurement.camden.example -> camden.example."""
    return ".".join(email.rpartition("@")[2].lower().split(".")[-2:])


_THIRD_PARTY = re.compile(r"\b(?:her|his|their|them|him)\b")


def _substitution(
    msg: Message, colleagues: list[Person], evidence: list[str], doubt: Doubt
) -> tuple[list[Person], Person | None]:
    """Who gives up a place and who takes it.

    The colleague named in the clause that passes the place on takes it; a second colleague
    named elsewhere ("Rachel is booked but on leave. Gemma will go instead.") is the one
    giving it up. "Daniel will go instead of her" passes on someone else's place: without
    that person's address the desk must ask.
    """
    source = msg.source
    clauses = {n for _, _, n in source.found.get(Intent.SUBSTITUTE, [])}
    passing = " ".join(c.raw for n, c in enumerate(source.clauses) if n in clauses).lower()
    phrases = " ".join(source.phrases(Intent.SUBSTITUTE))
    takers = [p for p in colleagues if p.email in passing]
    if len(colleagues) == 2 and len(takers) == 1:
        holder = next(p for p in colleagues if p is not takers[0])
        evidence.append(f"substitute {takers[0].email} for {holder.email}: named in the message")
        return [holder], takers[0]
    if len(colleagues) == 1:
        if _THIRD_PARTY.search(phrases):
            doubt.lower(0.3, "passes on a colleague's place without that colleague's address")
            return [], None
        evidence.append(f"substitute {colleagues[0].email}: named in the message")
        return [], colleagues[0]
    if not colleagues:
        doubt.lower(0.3, "names no colleague with an email address to take the place")
    else:
        doubt.lower(0.3, "names several colleagues; which one takes the place?")
    return [], None


_THEIR_PLACE = re.compile(r"\b(?:her|his|their) (?:place|booking|seat|registration)\b")
_CANNOT = re.compile(r"\b(?:can't|cannot|can not|unable|won't be able|not able|couldn't)\b")


def _whose_place(
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
        if intent is Intent.CANCEL and _THEIR_PLACE.search(msg.own.text):
            evidence.append(f"for {recipient}: our message in the thread was to them")
            return [Person(recipient, "")]
        if intent is not Intent.REGISTER:
            doubt.lower(0.3, f"answers our message to {recipient} for them: whose place?")
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


def understand(
    mail: InboundMail,
    events: Sequence[EventInfo],
    now: datetime,
    context: ThreadContext | None = None,
    *,
    series_name: str = "",
) -> Request:
    """Interpret one message. Pure: same mail, events, time and context give the same Request.

    series_name is the configured series' own name: a mail mentioning it names no session by it.
    """
    if mail.is_delivery_report or mail.bounces:
        # A mail system's report on a failed delivery asks nothing of the desk (hygiene and
        # bounces handle it before this step; read on its own it must still change no seat).
        return Request(Intent.UNKNOWN, confidence=0.0, reason="a delivery report, not a request")
    msg = message(mail, context)
    evidence: list[str] = []
    if context is not None:
        evidence.append(
            f"reply to our '{context.outcome}' message for "
            f"{', '.join(context.event_ids) or 'no session'}"
        )
    _choose_source(msg)
    intents = _intents(msg)
    index = event_index(tuple(events), series_name)
    if not intents:
        return no_change(msg, index, now, evidence)
    doubt = Doubt()
    intent = _weigh(msg, intents, evidence, doubt)
    event_ids = _sessions(msg, intent, index, now, evidence, doubt)
    keep = kept_sessions(msg.own.text, intent, lambda t: keyword_ids(t, index), event_ids)
    if keep and keep != set(event_ids):
        # "keep me on logistics but drop me from construction": only construction goes.
        event_ids = tuple(i for i in event_ids if i not in keep)
        evidence.append(f"keeps {', '.join(sorted(keep))}")
    elif keep:
        doubt.lower(0.3, "keeps every place it names: which goes?")
    sender = Person(mail.sender, display_name(mail.sender_name) or msg.clean.signature_name)
    people, substitute = _people(msg, intent, sender, index, evidence, doubt)
    people = _whose_place(msg, intent, sender, people, evidence, doubt)
    return Request(
        intent=intent,
        event_ids=event_ids,
        people=tuple(people),
        substitute=substitute,
        confidence=round(doubt.confidence, 2),
        evidence=tuple(evidence),
        reason=doubt.reason,
        question=next(
            (e.removeprefix(_SIDE).removesuffix('"') for e in evidence if e.startswith(_SIDE)), ""
        ),
    )

