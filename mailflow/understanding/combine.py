"""The reading of one message: intents, sessions and people combined into a Request."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

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
from mailflow.understanding.accounting import answered_by_the_booking, unaccounted
from mailflow.understanding.answers import (
    remarks_on_another,
    revised_answer,
    set_aside_after_yes,
    settled_by_the_offer,
)
from mailflow.understanding.asked_sessions import named_in, sessions_asked
from mailflow.understanding.asks import asks, only_asks, subject_disagrees
from mailflow.understanding.attendees import attendees
from mailflow.understanding.clauses import Role
from mailflow.understanding.conditions import ABOUT_CONTENT, ABOUT_LATER_RUNS
from mailflow.understanding.corrections import applied_correction, corrects_itself
from mailflow.understanding.doubts import (
    attends_another,
    claims_a_member,
    doubts,
    hesitant_forward,
    kept_sessions,
    other_address,
)
from mailflow.understanding.follow_ups import the_others_sent_on
from mailflow.understanding.forms import Submission, form_submission
from mailflow.understanding.index import EventIndex, event_index
from mailflow.understanding.literals import guarded
from mailflow.understanding.mentions import keyword_ids
from mailflow.understanding.message import Doubt, Message, message, of_a_full_member
from mailflow.understanding.moves import move_unclear, moved_from
from mailflow.understanding.nochange import (
    calendar_no_to_offer,
    calendar_yes_to_offer,
    machine_sent,
    no_change,
)
from mailflow.understanding.ordinals import number_and_name_disagree
from mailflow.understanding.reading import Reading
from mailflow.understanding.source import choose_source, intents_of
from mailflow.understanding.text import norm_text
from mailflow.understanding.weekdays import written_at

# "could you send the joining details to her?": the confirmation carries them.
# A question about the session itself, not about the place: whether it is recorded, whether
# slides go round, how the joining link comes. The booking stands; the coordinator answers.
_SIDE_QUESTION = guarded(
    r"\b(?:record(?:ed|ing)?|slides?|handouts?|briefing note|materials|recording|notes"
    r"|joining (?:link|details|instructions)|the link|(?:teams|zoom) link|certificate|cpd"
    # "do you issue attendance certificates?" (not "his GCSE certificates": someone's own).
    r"|(?:attendance|cpd|participation) certificates|certificates of (?:attendance|participation)"
    r"|agenda|circulated|sent round|sent out afterwards|shared afterwards)\b"
    # "Is it still 10-11.30?", "what time does it start?": the session's time.
    r"|\b(?:what time|start time|finish time|end time|timings?)\b|\bis it still (?:at |from )?\d"
    # "And can I stay on the waiting list for furniture too?": a turn kept asks no change.
    r"|\b(?:stay|remain|still be)\s+on\s+the\s+(?:waiting\s*list|wait-?list|list)\b"
    # "Is the June session online, or in person?", "is the third one the workshop format?":
    # how it is held (HOW_HELD).
    r"|\b(?:online|in person|in-person|face to face|face-to-face|format|venue)\b"
    # "They're listed separately so I'm assuming they're different content?": what the member
    # takes for granted, checked in passing; the booking does not wait on it.
    r"|\b(?:i'm assuming|i am assuming|i assume|i presume|i take it|presumably)\b[^?]*\?\W*$"
    # "I can only stay for the first hour though, is that OK?": part of the session, asked
    # leave for; the place is taken all the same, and the coordinator says whether it suits.
    r"|\b(?:(?:only (?:stay|be there|attend|make|join|be online)|leave|drop off|join|arrive"
    r"|log on)\b[^.?!]{0,30}\b(?:first|last|second) (?:hour|half|part|\d+ minutes)"
    r"|(?:leave|drop off|log off|slip away) (?:a (?:bit|little) )?early"
    r"|(?:join|arrive|log on|dial in) (?:a (?:bit|little|few minutes) )?late)\b[^?]*\?"
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
_ABOUT_COST = guarded(
    r"\b(?:fees?|charges?|costs?|price|pay|payment|free of charge|how much)\b|\bis it free\b"
)
_SIDE = 'side question: "'
# The sessions a few words name, for one mail's index and time (asked_sessions.named_in).
Named = Callable[[str], frozenset[str]]

# "Out of interest, is the waiting list long?": a question put as asked in passing, about
# something other than a place ("out of interest, could Sam come too?" still asks).
_IN_PASSING = guarded(
    r"^\W*(?:(?:just\s+)?out of (?:interest|curiosity)|(?:just\s+)?curious)\b"
    r"(?![^?]*\b(?:book|register|place|seat|attend|come|join|instead|cancel)\b)"
)
_ANSWERED_BY_CONFIRMATION = guarded(
    r"\b(?:send|resend|re-send|forward|share|pass on|e-?mail)\b[^.?!]{0,40}"
    r"\b(?:joining (?:details|instructions|link)|the link|(?:teams|zoom) link|calendar invite"
    r"|an invite|the invite|confirmation|(?:the )?details\b(?! (?:of|about|on)))"
    # "Did my registration for textiles go through? ... If not pls book me": the booking's
    # answer (confirmed, or already booked) tells.
    r"|\b(?:did|has|have|was)\s+(?:my|our)\s+(?:registration|booking|request|form|sign-?up)\b"
    r"[^.?!]{0,40}?\b(?:go|gone|get|got|come|been)\s+(?:through|received)\b"
    # "he'd booked me, but I don't think I got a confirmation?", "am I on it?": whether the
    # place is held, which the answer to the booking (confirmed, or already booked) tells.
    r"|\b(?:(?:don't|do not|didn't|did not)\s+(?:think\s+(?:i|we)\s+)?(?:got|get|have|had"
    r"|receive|received|see|seen)|(?:haven't|have not|never)\s+(?:had|got|received|seen))\s+"
    r"(?:a\s+|any\s+|the\s+|my\s+|our\s+)?confirmation\b"
    r"|\b(?:am i|are we)\s+(?:already\s+)?(?:booked|registered|on)\b(?!\s+(?:the\s+)?wait)"
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
    # A request read from a forward or an earlier mail resent: the newest words, the sender's
    # own, may hedge it ("possibly also the May workshop, but I'll confirm that").
    hedge = source.hedged or (own.hedged if source is not own else "")
    if hedge:
        doubt.lower(0.45, f'sounds tentative: "{hedge[:100]}"')
    questions = own.questions + (source.questions if source is not own else [])
    if intent is not Intent.CANCEL and intent is not Intent.DECLINE_OFFER:
        questions = [q for q in questions if not _ANSWERED_BY_CONFIRMATION.search(q)]
    # "Could you swap us over?" after "Neil would like to go in my place": the request again.
    questions = [q for q in questions if not _ASKS_THE_CHANGE.match(q)]
    if msg.full_member_domains and not of_a_full_member(msg.mail.sender, msg.full_member_domains):
        # "Is there a fee?" from outside the members: the answer to their booking (not
        # eligible) answers what it would cost them too.
        questions = [q for q in questions if not _ABOUT_COST.search(q)]
    # "Scrap that - can you do textiles instead?": a correction applied is the request again.
    said = {own.clauses[n].text for n in msg.correction.clauses}
    # "Is the logistics one open yet? If so please put me down": the booking answers it.
    said |= answered_by_the_booking(own)
    questions = [q for q in questions if q not in said]
    side = [q for q in questions if _SIDE_QUESTION.search(q) or ABOUT_CONTENT.search(q)
            or ABOUT_LATER_RUNS.search(q) or _IN_PASSING.search(q)]
    questions = [q for q in questions if q not in side]
    if side:
        evidence.append(f'{_SIDE}{side[0][:120]}"')
    if questions:
        doubt.lower(0.4, f'also asks: "{questions[0][:100]}"')
        evidence.append(f'asks: "{questions[0][:120]}"')
    if source.negated and source.negated != own.text and not _negation_chooses(source, intent):
        doubt.lower(0.4, f'a phrase is negated: "{source.negated[:100]}"')
    for why in doubts(own.text, intent):
        doubt.lower(0.3, why)
    return intent


def _negation_chooses(source: Reading, intent: Intent) -> bool:
    """"Rather than cancel - Priya can go in my place, could you swap it to her?": the change
    turned down is of another kind than the one asked for in the same sentence; the negation
    chooses between them and leaves nothing in doubt."""
    if source.negated_as is None:
        return False
    negated, number = source.negated_as
    return negated is not intent and any(n == number for _, _, n in source.found.get(intent, []))


def _kept_and_added(
    msg: Message, intent: Intent, event_ids: tuple[str, ...], named: Named,
    evidence: list[str], doubt: Doubt,
) -> tuple[str, ...]:
    """Places the member says stay ("keep me on logistics but drop me from construction": only
    construction goes), and a session they will go to beside the one given up."""
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


def _a_question(
    msg: Message, intent: Intent, index: EventIndex, now: datetime, evidence: list[str],
    why: str,
) -> Request:
    """A request for a place that is a question for the coordinator (asks.only_asks)."""
    context = msg.context
    ids = context.event_ids if context is not None else sessions_asked(
        msg, intent, index, now, evidence, Doubt()
    )
    return Request(Intent.QUESTION, event_ids=ids, confidence=0.5, evidence=tuple(evidence),
                   reason=why)


def _structural(
    msg: Message, intent: Intent, event_ids: tuple[str, ...], people: Sequence[Person],
    substitute: Person | None, index: EventIndex, named: Named, doubt: Doubt,
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
    if intent in SEAT_CHANGING:
        # Every clause that asks, conditions or hedges the change must be one the reading took in.
        others = [p for p in people if p.email != msg.mail.sender]
        for why in unaccounted(msg.own, others, named):
            doubt.lower(0.3, why)
    if intent is Intent.REGISTER and msg.forwarded and (why := hesitant_forward(
        msg.forwarded, lambda f: msg.read_forward(f).hedged, msg.own.text,
        [p.email for p in people],
    )):
        doubt.lower(0.4, why)
    if intent in SEAT_CHANGING:
        claim = claims_a_member(
            msg.clean.own, msg.clean.signature, msg.mail.sender, msg.full_member_domains,
            msg.full_member_names, msg.context.recipient if msg.context is not None else "",
        )
        if claim:
            doubt.lower(0.3, claim)
            doubt.member_claim = True
        elif not of_a_full_member(msg.mail.sender, msg.full_member_domains) and other_address(
            msg.own.text, intent
        ):
            # "This is my personal address": from outside the members, a claim to be one's staff.
            doubt.member_claim = True
    if intent in SEAT_CHANGING and (why := corrects_itself(
        msg.own, named,
        intent in (Intent.ACCEPT_OFFER, Intent.DECLINE_OFFER), msg.correction.clauses,
    )):
        doubt.lower(0.3, why)
    mismatch = number_and_name_disagree(
        msg.own.text, named, index.events
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
            lambda t: named(t) if keyword_ids(t, index) else frozenset(),
        )
        if why and not _taken_back_in_body(msg, named):
            doubt.lower(0.3, why)


def _taken_back_in_body(msg: Message, named: Named) -> bool:
    """"Booking: furniture" over "book me on furniture. Actually no - I meant textiles": the
    subject repeats the first ask, which the member's own correction (applied) takes back."""
    if not msg.correction.asking:
        return False
    subject = named(norm_text(msg.subject_text))
    return bool(subject) and subject <= named(msg.own.role_text(Role.REQUEST))


def _moved(
    msg: Message, intent: Intent, event_ids: tuple[str, ...], people: Sequence[Person],
    evidence: list[str], doubt: Doubt,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The sessions asked for and the places a move gives up for them (moves.py)."""
    releases = moved_from(msg, intent, event_ids, people)
    if releases:
        # The place given up is not one asked for.
        evidence.append(f"moves from {', '.join(releases)}: the place our message was about")
        return tuple(e for e in event_ids if e not in releases), releases
    if why := move_unclear(msg, intent, event_ids):
        doubt.lower(0.3, why)
    return event_ids, ()


def _naming(index: EventIndex, now: datetime) -> Named:
    """The sessions a few words name, by this mail's index and time: one function for every
    step of the reading (asked_sessions.named_in keeps what the last texts named)."""
    return lambda text: named_in(text, index, now)


def _thread_evidence(context: ThreadContext | None) -> list[str]:
    """The evidence list, opened with which of our messages a reply answers."""
    if context is None:
        return []
    return [
        f"reply to our '{context.outcome}' message for "
        f"{', '.join(context.event_ids) or 'no session'}"
    ]


def understand(
    mail: InboundMail,
    events: Sequence[EventInfo],
    now: datetime,
    context: ThreadContext | None = None,
    *,
    series_name: str = "",
    full_member_domains: Sequence[str] = (),
    full_member_names: Sequence[str] = (),
) -> Request:
    """Interpret one message. Pure: same mail, events, time and context give the same Request.

    series_name is the configured series' own name: a mail mentioning it names no session by it.
    full_member_domains are the full members' mail domains: a colleague of another full member
    named for a place is a member's staff, whose place the desk books as it would the sender's.
    full_member_names are their names: a sender elsewhere who says they work at one is asked.
    """
    if mail.is_delivery_report or mail.bounces or is_bounce(mail):
        # A failed-delivery report asks nothing of the desk; told by hygiene's own rules, a
        # Postfix bounce is not read at all (reading its attachment as a forward cost 5 ms).
        return Request(Intent.UNKNOWN, confidence=0.0, reason="a delivery report, not a request")
    msg, form = _message_of(mail, context, full_member_domains, full_member_names)
    now = written_at(mail.date, now)
    if (machine := machine_sent(msg)) is not None:
        return machine
    evidence = _thread_evidence(context)
    choose_source(msg)
    index = event_index(tuple(events), series_name)
    named = _naming(index, now)
    aside = set_aside_after_yes(msg, named)
    remarks_on_another(msg, named)
    intents = _intents(msg, index, evidence)
    if not intents:
        return no_change(msg, index, now, evidence)
    msg.correction = applied_correction(msg.own, named, msg.mail.sender.lower())
    doubt = Doubt()
    if (other := settled_by_the_offer(msg, named)):
        doubt.lower(0.3, other)
    intent = _weigh(msg, intents, evidence, doubt)
    if aside and not any(e.startswith(_SIDE) for e in evidence):
        evidence.append(f'{_SIDE}{aside[:120]}"')
    if asked := only_asks(msg, intent, named):
        return _a_question(msg, intent, index, now, evidence, asked)
    event_ids = sessions_asked(msg, intent, index, now, evidence, doubt)
    event_ids = _kept_and_added(msg, intent, event_ids, named, evidence, doubt)
    people, substitute = attendees(msg, intent, form, index, evidence, doubt)
    event_ids, releases = _moved(msg, intent, event_ids, people, evidence, doubt)
    _structural(msg, intent, event_ids, people, substitute, index, named, doubt)
    return Request(
        intent=intent,
        event_ids=event_ids,
        people=tuple(people),
        substitute=substitute,
        releases=releases,
        confidence=round(doubt.confidence, 2),
        evidence=tuple(evidence),
        reason=doubt.reason,
        member_claim=doubt.member_claim,
        question=_side_question(evidence),
    )


def _message_of(
    mail: InboundMail, context: ThreadContext | None, full_member_domains: Sequence[str],
    full_member_names: Sequence[str],
) -> tuple[Message, Submission | None]:
    """The mail as read, with who the full members are; a submission to the desk's own web
    form is read as the submitter's mail."""
    form = form_submission(mail)
    msg = message(form.mail if form is not None else mail, context)
    msg.full_member_domains = tuple(d.lower() for d in full_member_domains)
    msg.full_member_names = tuple(full_member_names)
    return msg, form


def _intents(msg: Message, index: EventIndex, evidence: list[str]) -> dict[Intent, float]:
    """The changes the mail asks for, by strength: its phrases (an answer revised), else a
    calendar's "Accepted:" or "Declined:" to our offer, else the others' addresses sent on in
    our thread."""
    sender = msg.mail.sender
    intents = revised_answer(msg, intents_of(msg, index), sender)
    if not intents and calendar_yes_to_offer(msg):
        intents = {Intent.ACCEPT_OFFER: 1.0}
        evidence.append('accept-offer: the calendar\'s "Accepted:"')
    if not intents and calendar_no_to_offer(msg):
        intents = {Intent.DECLINE_OFFER: 1.0}
        evidence.append('decline-offer: the calendar\'s "Declined:"')
    if not intents and (intents := the_others_sent_on(msg, sender.lower())):
        evidence.append("register: the others' addresses, sent on in our confirmation's thread")
    return intents


def _side_question(evidence: list[str]) -> str:
    """The question asked beside the change, as the evidence quotes it, or ""."""
    return next(
        (e.removeprefix(_SIDE).removesuffix('"') for e in evidence if e.startswith(_SIDE)), ""
    )
