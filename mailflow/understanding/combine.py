"""The reading of one message: intents, sessions and people combined into a Request."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from mailflow.clean import display_name
from mailflow.hygiene import is_bounce
from mailflow.model import (
    SEAT_CHANGING,
    EventInfo,
    InboundMail,
    Intent,
    Person,
    Request,
    ThreadContext,
)
from mailflow.understanding.answers import (
    remarks_on_another,
    revised_answer,
    set_aside_after_yes,
)
from mailflow.understanding.asks import asks, only_asks, subject_disagrees
from mailflow.understanding.clauses import Role
from mailflow.understanding.doubts import attends_another, doubts, kept_sessions
from mailflow.understanding.index import EventIndex, event_index
from mailflow.understanding.literals import guarded
from mailflow.understanding.mentions import keyword_ids
from mailflow.understanding.message import HELD_OUTCOMES, Doubt, Message, message
from mailflow.understanding.nochange import machine_sent, no_change
from mailflow.understanding.ordinals import number_and_name_disagree
from mailflow.understanding.places import people_for
from mailflow.understanding.reading import Reading
from mailflow.understanding.requester import from_a_list, list_poster
from mailflow.understanding.sessions import Sessions, resolve_events
from mailflow.understanding.source import choose_source, intents_of
from mailflow.understanding.text import norm_text
from mailflow.understanding.whose import whose_place

# "could you send the joining details to her?": the confirmation carries them.
# A question about the session itself, not about the place: whether it is recorded, whether
# slides go round, how the joining link comes. The booking stands; the coordinator answers.
_SIDE_QUESTION = guarded(
    r"\b(?:record(?:ed|ing)?|slides?|handouts?|briefing note|materials|recording|notes"
    r"|joining (?:link|details|instructions)|the link|(?:teams|zoom) link|certificate|cpd"
    r"|agenda|circulated|sent round|sent out afterwards|shared afterwards)\b"
    # "Is it still 10-11.30?", "what time does it start?": the session's time.
    r"|\b(?:what time|start time|finish time|end time|timings?)\b|\bis it still (?:at |from )?\d"
    # "Is the June session online, or in person?", "is the third one the workshop format?":
    # how it is held (HOW_HELD).
    r"|\b(?:online|in person|in-person|face to face|face-to-face|format|venue)\b"
)
_ASKS_THE_CHANGE = guarded(
    r"\W*(?:so\s+|and\s+)?(?:could|can|would|will) you (?:please |kindly )?(?:swap|switch|change"
    r"|transfer|sort|arrange|do|make) (?:us|that|this|it|the change|the swap)(?: over| round)?"
    r"(?: (?:please|for me|for us))?\W*$"
    # "Could you update the booking please?" after naming who goes instead.
    r"|\W*(?:so\s+|and\s+)?(?:could|can|would|will) you (?:please |kindly )?(?:update|amend"
    r"|change) (?:the|my|his|her|their|our) (?:booking|registration|records?|details)"
    r"(?: (?:please|for me|for us|accordingly))?\W*$"
)
_SIDE = 'side question: "'
_ANSWERED_BY_CONFIRMATION = guarded(
    r"\b(?:send|resend|re-send|forward|share|pass on|e-?mail)\b[^.?!]{0,40}"
    r"\b(?:joining (?:details|instructions|link)|the link|(?:teams|zoom) link|calendar invite"
    r"|an invite|the invite|confirmation|(?:the )?details\b(?! (?:of|about|on)))"
)




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
    asking, before_but = _asking_after_contrast(
        own, msg.offered and intent in (Intent.ACCEPT_OFFER, Intent.DECLINE_OFFER)
    )
    asking, retracted = _after_correction(asking, index, now)
    before_but += retracted
    referred = _referred_back(own)
    if referred and not _named_in(asking, index, now):
        asking = referred + "\n" + asking
    background = own.role_text(Role.BACKGROUND, Role.QUESTION, Role.COURTESY) + before_but
    texts = [asking, subject]
    if msg.source_fwd is not None:
        fwd = msg.source_fwd
        texts = [asking, norm_text(fwd.text), norm_text(fwd.subject), subject]
    elif msg.from_subject:
        texts = [subject, asking]
    context_ids = msg.context_ids
    found = resolve_events(texts, index, now, context_ids, background)
    if not found.ids and intent is Intent.REGISTER:
        # "Can you book Joe onto this please?" above his mail naming the 28 May workshop: the
        # forwarded mail's one session, even when the subject alone leaves two.
        found = _the_forwarded_one(msg, asking, index, now) or found
    evidence.extend(found.evidence)
    if found.problem:
        doubt.lower(0.3, found.problem)
    elif not found.ids and intent is Intent.REGISTER:
        # A substitution may leave the session to the decision step, which knows whether the
        # sender holds exactly one place.
        doubt.lower(0.3, "does not say which session")
    elif not found.ids and intent is Intent.SUBSTITUTE and msg.context is None:
        # Out of the blue, a place passed on without naming its session: the sender may hold
        # several, and a substitution is not undone by a reply either.
        doubt.lower(0.3, "does not say which session's place is passed on")
    elif not found.ids and intent is Intent.CANCEL and msg.context is None:
        # "Please cancel my booking", out of the blue: a member holding several places, or
        # one booked long ago, may mean any of them; cancelling is not undone by a reply.
        doubt.lower(0.3, "does not say which booking to cancel")
    if intent is Intent.REGISTER and msg.context is None and found.ids and found.day_only:
        # A new booking out of the blue with only a day number to go on: a careful coordinator
        # checks the date is the session meant before booking it.
        doubt.lower(0.4, f"names the session only by a day of the month ({found.day_only})")
    if msg.offered and found.ids and context_ids and not set(found.ids) <= set(context_ids):
        doubt.lower(0.4, "names a different session from the one offered")
    if msg.offered and intent is Intent.SUBSTITUTE:
        # An offer goes to the head of the waiting list; handing it to a colleague instead
        # passes over the others waiting, which is the coordinator's call (most writers agree).
        doubt.lower(0.4, "asks for the place offered to them to go to someone else")
    # Our own subject naming every place of the thread says nothing of which the member means.
    if intent in (Intent.CANCEL, Intent.SUBSTITUTE) and len(context_ids) > 1 and not (
        _EVERY_PLACE.search(own.text)
    ) and not (found.mentioned and (
        not msg.mail.subject or _named_in(asking + "\n" + background, index, now)
    )):
        doubt.lower(0.4, "does not say which of the thread's sessions it means")
    return _new_places(msg, intent, found.ids, evidence)


# "cancel both", "all my places": every place of the thread.
_EVERY_PLACE = guarded(
    r"\b(?:both|every|everything|any of (?:them|the sessions)|either|the lot"
    r"|all (?:of|my|our|the|two|three|four|those|these|them))\b"
)
_BUT = guarded(r"[,;-]?\s+but\s+")


# "Is it too late to get on the webinar this Friday? If not, please book me in": a request
# that refers back to the question it answers.
_REFERS_BACK = guarded(r"\W*(?:if not|if so|if yes|if it isn't|if it's not|if there is|if there's"
                       r"|if there are|in that case)\b")


def _referred_back(own: Reading) -> str:
    """The questions that a request clause right after them answers ("... this Friday? If not,
    please book me in"): read for the session when the request itself names none."""
    return "\n".join(
        before.text
        for before, clause in zip(own.clauses, own.clauses[1:], strict=False)
        if clause.role is Role.REQUEST and before.role is not Role.REQUEST
        and before.text.endswith("?") and _REFERS_BACK.match(clause.text)
    )


def _asking_after_contrast(own: Reading, answer: bool) -> tuple[str, str]:
    """The request clauses' text, and what stands before a "but" that the request follows:
    "textiles and food will be on my radar later, but for now I'd like to book construction"
    asks for construction; the sessions before the "but" are background."""
    asking: list[str] = []
    background = ""
    for number, clause in enumerate(own.clauses):
        if clause.role is not Role.REQUEST:
            continue
        parts = _BUT.split(clause.text)
        phrases = [p for found in own.found.values() for p, _, n in found if n == number]
        if len(parts) > 1 and phrases and all(p in parts[-1] for p in phrases):
            asking.append(parts[-1])
            background += "\n" + " ".join(parts[:-1])
        elif answer and len(parts) > 1 and phrases and all(p in parts[0] for p in phrases):
            # "I'll have to say no to this one - but please keep me in mind for the furniture
            # one": the answer is the offer's; what follows the "but" is a remark.
            asking.append(parts[0])
            background += "\n" + " ".join(parts[1:])
        else:
            asking.append(clause.text)
    return "\n".join(asking), background


# "the March webinar - actually no, scrap that ... make it the May workshop": a correction
# takes back what came before it.
_CORRECTION = guarded(
    r"\b(?:actually,? no|no,? wait|scrap that|scratch that|ignore that|forget that"
    r"|sorry,? i mean[t]?|on second thoughts?)\b"
)


def _after_correction(asking: str, index: EventIndex, now: datetime) -> tuple[str, str]:
    """The asking words after the last correction that names a session, and those it took
    back (background now)."""
    for found in reversed(list(_CORRECTION.finditer(asking))):
        if _named_in(asking[found.end():], index, now):
            return asking[found.end():], "\n" + asking[: found.start()]
    return asking, ""


def _named_in(text: str, index: EventIndex, now: datetime) -> frozenset[str]:
    """Sessions a few words name ("keep me booked on the October workshop"), any way named."""
    found = resolve_events([text], index, now, ())
    return frozenset(found.ids) if not found.problem else keyword_ids(text, index)


# "Please book me on this one" above a forwarded announcement: the session it forwards.
_THIS_ONE = re.compile(
    r"\b(?:this|that)(?: one| session| webinar| workshop| event)?\b(?!\s+(?:e-?mail|mail|message"
    r"|week|month|year|morning|afternoon|time))|\b(?:the )?(?:one|session|webinar|event) below\b"
)
FORWARD_READ_FOR_SESSION = 4_000  # characters of a forwarded announcement read for its session


def _the_forwarded_one(
    msg: Message, asking: str, index: EventIndex, now: datetime
) -> Sessions | None:
    """The session a forwarded mail names, when the asking words point at it ("this one") and
    it names exactly one: an announcement listing several leaves the desk to ask."""
    if not msg.forwarded or msg.source_fwd is not None or not _THIS_ONE.search(asking):
        return None
    fwd = msg.forwarded[0]
    text = norm_text(fwd.text[:FORWARD_READ_FOR_SESSION])
    found = resolve_events([text, norm_text(fwd.subject)], index, now, ())
    if len(found.ids) != 1 or found.problem:
        return None
    found.evidence.append(f"{found.ids[0]}: the session of the forwarded mail")
    return found


def _new_places(
    msg: Message, intent: Intent, ids: tuple[str, ...], evidence: list[str]
) -> tuple[str, ...]:
    """In a reply to our confirmation or waiting-list message, the thread's sessions are the
    member's already: "fingers crossed for logistics - could you also put me down for May?"
    books May only."""
    context = msg.context
    if intent is not Intent.REGISTER or context is None or context.outcome not in HELD_OUTCOMES:
        return ids
    held = set(context.event_ids)
    new = tuple(i for i in ids if i not in held)
    if not new or len(new) == len(ids):
        return ids
    evidence.append(f"already holds or waits for {', '.join(i for i in ids if i in held)}")
    return new


def _kept_and_added(
    msg: Message, intent: Intent, event_ids: tuple[str, ...], index: EventIndex, now: datetime,
    evidence: list[str], doubt: Doubt,
) -> tuple[str, ...]:
    """Places the member says stay ("keep me on logistics but drop me from construction": only
    construction goes), and a session they will go to beside the one given up."""
    def named(text: str) -> frozenset[str]:
        return _named_in(text, index, now)

    keep = kept_sessions(msg.own.text, intent, named, event_ids)
    if keep and keep != set(event_ids):
        event_ids = tuple(i for i in event_ids if i not in keep)
        evidence.append(f"keeps {', '.join(sorted(keep))}")
    elif keep:
        doubt.lower(0.3, "keeps every place it names: which goes?")
    if intent in (Intent.CANCEL, Intent.SUBSTITUTE) and event_ids:
        also = attends_another(msg.own.text, named)
        if also:
            doubt.lower(0.3, also)
    return event_ids


def _through_a_list(
    mail: InboundMail, intent: Intent, poster: Person | None, people: list[Person],
    evidence: list[str], doubt: Doubt,
) -> list[Person]:
    """A mail sent through a mailing list: the places are the poster's, or the desk asks."""
    if poster is not None and intent in SEAT_CHANGING and not people:
        # The list is no attendee: the places are the member's who wrote through it.
        evidence.append(f"for {poster.email}: wrote through the list {mail.sender}")
        return [poster]
    if poster is None and from_a_list(mail):
        doubt.lower(0.3, f"came through the mailing list {mail.sender}: for whom?")
    return people


def _a_question(
    msg: Message, intent: Intent, index: EventIndex, now: datetime, evidence: list[str],
    why: str,
) -> Request:
    """A request for a place that is a question for the coordinator (asks.only_asks)."""
    context = msg.context
    ids = context.event_ids if context is not None else _sessions(
        msg, intent, index, now, evidence, Doubt()
    )
    return Request(Intent.QUESTION, event_ids=ids, confidence=0.5, evidence=tuple(evidence),
                   reason=why)


def _structural(
    msg: Message, intent: Intent, event_ids: tuple[str, ...], people: Sequence[Person],
    substitute: Person | None, index: EventIndex, now: datetime, doubt: Doubt,
) -> None:
    """What about the request's shape leaves a careful coordinator asking (asks.py)."""
    attached = msg.mail.content_type.startswith("multipart/mixed")
    waiting = msg.context is not None and msg.context.outcome == "waitlisted"
    for why in asks(msg.own.text, intent, event_ids, people, substitute, attached, waiting):
        doubt.lower(0.3, why)
    if intent is Intent.SUBSTITUTE and msg.context is not None and (
        msg.context.outcome == "waitlisted"
    ):
        # A place on the waiting list is a turn, not a seat: whether a colleague may have it
        # is the coordinator's call.
        doubt.lower(0.3, "hands on a waiting-list turn, not a place held")
    mismatch = number_and_name_disagree(
        msg.own.text, lambda t: _named_in(t, index, now), index.events
    )
    if mismatch:
        doubt.lower(0.3, mismatch)
    if msg.context is None and not msg.from_subject and not msg.forwarded and not (
        msg.mail.in_reply_to or msg.mail.references
    ):
        # A subject naming a topic, read whole: "the session after logistics" names May, and
        # "Next one" (over "I went to construction") names no session by itself.
        why = subject_disagrees(
            norm_text(msg.subject_text), intent, event_ids,
            lambda t: _named_in(t, index, now) if keyword_ids(t, index) else frozenset(),
        )
        if why:
            doubt.lower(0.3, why)


def understand(
    mail: InboundMail,
    events: Sequence[EventInfo],
    now: datetime,
    context: ThreadContext | None = None,
    *,
    series_name: str = "",
    full_member_domains: Sequence[str] = (),
) -> Request:
    """Interpret one message. Pure: same mail, events, time and context give the same Request.

    series_name is the configured series' own name: a mail mentioning it names no session by it.
    full_member_domains are the full members' mail domains: a colleague of another full member
    named for a place is a member's staff, whose place the desk books as it would the sender's.
    """
    if mail.is_delivery_report or mail.bounces or is_bounce(mail):
        # A failed-delivery report asks nothing of the desk; told by hygiene's own rules, a
        # Postfix bounce is not read at all (reading its attachment as a forward cost 5 ms).
        return Request(Intent.UNKNOWN, confidence=0.0, reason="a delivery report, not a request")
    msg = message(mail, context)
    msg.full_member_domains = tuple(d.lower() for d in full_member_domains)
    if (machine := machine_sent(msg)) is not None:
        return machine
    evidence: list[str] = []
    if context is not None:
        evidence.append(
            f"reply to our '{context.outcome}' message for "
            f"{', '.join(context.event_ids) or 'no session'}"
        )
    choose_source(msg)
    index = event_index(tuple(events), series_name)
    aside = set_aside_after_yes(msg, lambda text: _named_in(text, index, now))
    remarks_on_another(msg, lambda text: _named_in(text, index, now))
    intents = revised_answer(msg, intents_of(msg, index), mail.sender)
    if not intents:
        return no_change(msg, index, now, evidence)
    doubt = Doubt()
    intent = _weigh(msg, intents, evidence, doubt)
    if aside and not any(e.startswith(_SIDE) for e in evidence):
        evidence.append(f'{_SIDE}{aside[:120]}"')
    asked = only_asks(msg, intent, lambda t: _named_in(t, index, now))
    if asked:
        return _a_question(msg, intent, index, now, evidence, asked)
    event_ids = _sessions(msg, intent, index, now, evidence, doubt)
    event_ids = _kept_and_added(msg, intent, event_ids, index, now, evidence, doubt)
    sender = Person(mail.sender, display_name(mail.sender_name) or msg.clean.signature_name)
    poster = list_poster(mail)
    people, substitute = people_for(msg, intent, poster or sender, index, evidence, doubt)
    people = whose_place(msg, intent, poster or sender, people, evidence, doubt)
    people = _through_a_list(mail, intent, poster, people, evidence, doubt)
    _structural(msg, intent, event_ids, people, substitute, index, now, doubt)
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
