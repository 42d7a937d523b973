"""A message that asks for no change of place: a question, thanks, or nothing for this desk."""

from __future__ import annotations

import re
from datetime import datetime

from mailflow.hygiene import is_auto_reply_subject, is_auto_submitted, is_list_unsubscribe
from mailflow.model import InboundMail, Intent, Request
from mailflow.understanding.clauses import Role, is_fragment
from mailflow.understanding.conditions import TOPIC_QUESTION
from mailflow.understanding.index import EventIndex
from mailflow.understanding.literals import guarded
from mailflow.understanding.message import Message
from mailflow.understanding.phrases import OFF_THE_MAIL
from mailflow.understanding.reading import ACK_WORDS
from mailflow.understanding.sessions import our_subject, resolve_events
from mailflow.understanding.text import norm_text

# "Thank you for your email. I am out of the office until Monday": thanks nobody meant.
_AUTO_REPLY = guarded(
    r"\b(?:i am|i'm|i will be|i'll be)\s+(?:currently\s+)?(?:out of (?:the )?office|on (?:annual |"
    r"parental |maternity |study )?leave|away from (?:the|my) (?:office|desk)|on holiday"
    r"|travell?ing)\b[^.]{0,80}\b(?:until|and will (?:return|be back))\b"
    r"|\b(?:limited|no) access to (?:my )?e-?mails?\b"
    # What only an automatic reply says: "I will respond on my return", "I no longer work at".
    r"|\b(?:i will|i'll|i shall) (?:respond|reply|get back to you|deal with (?:it|your \w+))"
    r"[^.]{0,40}\b(?:on my return|when i return|when i am back|when i'm back|on my next working"
    r" day)\b"
    r"|\b(?:i|she|he) (?:no longer works?|has left|have left) (?:at|for|the)\b"
    r"|\bis no longer with (?:the|our)\b"
)
# A thumbs-up or a smile for an answer: thanks without words.
_ACK_EMOJI = re.compile(
    "[\U0001F44D\U0001F44C\U0001F64F\U0001F60A\U0001F642\u2705\U0001F44F\u263A]"
)
# A read receipt ("Your message ... was read on 2 June"), by its words or its subject's tag.
_READ_RECEIPT = guarded(
    r"\bwas read on\b|\bwurde (?:am [^\n]{0,40})?gelesen\b|\ba (?:é|e)t(?:é|e) lu\b"
)
_READ_SUBJECT = re.compile(
    r"^\s*(?:read|gelesen|lu|le(?:í|i)do|letto|gelezen|läst)\s*:", re.IGNORECASE
)
# A calendar's answer to the joining invitation ("Tom Reeve has accepted this meeting."): the
# client's own words, or its subject's tag, for a yes already given.
_CALENDAR_ACCEPT = guarded(r"\bhas accepted (?:this|the|your) (?:meeting|invitation|event)\b")
# The client's line under the tag, alone: "Raj Mehta has accepted."
_HAS_ACCEPTED = re.compile(r"^[\w'’. -]{1,60}\bhas accepted\W*$", re.IGNORECASE)
_ACCEPTED_SUBJECT = re.compile(
    r"^\s*(?:accepted|angenommen|accept(?:é|e)|aceptado|accettato|geaccepteerd)\s*:", re.IGNORECASE
)
# The calendar's no: "Declined: Place available: Textiles", "Raj Mehta has declined."
_DECLINED_SUBJECT = re.compile(
    r"^\s*(?:declined|abgelehnt|refus(?:é|e)|rechazado|rifiutato|geweigerd|afgewezen)\s*:", re.I
)
_HAS_DECLINED = re.compile(r"^[\w'’. -]{1,60}\bhas declined\W*$", re.IGNORECASE)
# A question for this desk names a session, the series, places or what comes with them;
# "are we still on for lunch thursday?" sent here by mistake asks this desk nothing.
_ABOUT_THE_DESK = guarded(
    r"\b(?:places?|seats?|spots?|spaces?)\s+(?:(?:are|is)\s+(?:there\s+)?(?:still\s+)?)?(?:on|for|at"
    r"|left|available|remaining|free)\b|\b(?:on|in) the list\b"
    r"|\b(?:a|my|our|any|some)\s+(?:places?|seats?|spots?)\b"
    r"|\b(?:webinars?|workshops?|sessions?|series|training|events?"
    r"|registration|registered|register|registering|attend\w*|waiting ?list|wait-?list"
    r"|slides|record\w*|briefing|certificates?|cpd|joining|booked|booking|book|eligib\w*"
    r"|non-?members?|open to)\b"
    # Who may come: "is there any way for us to take part?", "can associate members attend?".
    r"|\b(?:take part|taking part|participat\w*|membership|(?:full|associate) members?"
    r"|members only)\b"
    # "are we allowed to send someone from our facilities team?", "could I bring a colleague
    # who isn't in procurement?": who may come, asked of a person sent along.
    r"|\b(?:allowed|permitted|eligible|ok|okay|fine|possible|(?:can|could|may)\s+(?:i|we))\s+"
    r"(?:for\s+(?:me|us)\s+)?(?:to\s+)?(?:also\s+)?(?:send|bring|nominate)\s+(?:along\s+)?"
    r"(?:someone|somebody|anyone|anybody|people|staff|colleagues?|a colleague|a member|members"
    r"|one of|(?:a|an|our|my|one|two)\s+(?:[a-z-]+\s+){0,2}?(?:colleague|manager|officer"
    r"|contractor|member|person|people|staff|assistant|deputy)s?)\b"
)
# A supplier selling to the members ("could we have 15 minutes to present to your members, or
# sponsor the session?") asks the desk for no place and no answer about the sessions.
_SALES = guarded(
    r"\b(?:sponsor(?:ship|ing)?|present (?:it |this |our \w+ )?to your (?:members|audience)"
    r"|(?:a|an)\s+(?:quick\s+|short\s+|brief\s+)?\d+[- ]?(?:minute|min)s?\s+(?:call|chat|demo|slot)"
    # "would you have 15 minutes next week for a quick demo?"
    r"|\d+[- ]?(?:minutes?|mins?)\b[^.?!]{0,30}\bfor (?:a |an )?(?:quick |short |brief )?(?:call"
    r"|chat|demo|introduction|intro)"
    r"|(?:book|arrange|schedule) a (?:call|demo|meeting) with (?:me|us)|our (?:platform|solution"
    r"|software|product|services) (?:can|could|helps?|would)|exhibit(?:ion)? (?:stand|space))\b"
)




# "Please remove me from this mailing list": the mail is left, and no place or session asked about.
_LEAVES_THE_MAIL = guarded(
    rf"\b(?:remove|take|delete|drop|unsubscribe)\s+(?:me|us|myself|my name|my (?:e-?mail\s+)?"
    rf"(?:address|details))\s+{OFF_THE_MAIL}|\bunsubscribe\b"
)


# "are associate members not able to attend any of the sessions?": asked of the series as a
# whole, not of the session the subject names.
_EVERY_SESSION = guarded(
    r"\b(?:any|all|each|every) (?:one )?(?:of )?(?:the |our |your )?(?:[\w-]+ ){0,3}"
    r"(?:sessions|webinars|workshops|events)\b"
)


def _about_every_session(text: str) -> bool:
    return bool(_EVERY_SESSION.search(text))


def _asked_without_change(msg: Message) -> list[str]:
    """A sentence read as a request that is asked ("are associate members not able to attend
    any of the sessions?") when no change was found in the mail after all: a question."""
    return [c.text for c in msg.own.clauses if c.role is Role.REQUEST and "?" in c.text]


def _desk_questions(questions: list[str], index: EventIndex) -> list[str]:
    return [
        q
        for q in questions
        if not _LEAVES_THE_MAIL.search(q) and _ABOUT_THE_DESK.search(q)
        or (not _LEAVES_THE_MAIL.search(q) and not _ACCOUNTS.search(q) and (
            TOPIC_QUESTION.search(q) or _keyword_in(q, index)
        ))
    ]


def _keyword_in(question: str, index: EventIndex) -> bool:
    return bool(index.keyword_re and index.keyword_re.search(question))


def _refers_back(msg: Message, questions: list[str], index: EventIndex) -> list[str]:
    """"I haven't received the joining link for Wednesday's webinar. Could you resend it?": a
    question about what the mail says before it is this desk's when that names a session or
    what comes with a place (the link, the slides, a recording)."""
    if not msg.own.questions:
        return []
    before = msg.own.role_text(Role.BACKGROUND, Role.COURTESY)
    # "A supplier asked if they could join the textiles webinar - is that allowed?": the
    # question is about what the sentence before it names (a session, places, what comes with
    # them).
    about = TOPIC_QUESTION.search(before) or _ABOUT_THE_DESK.search(before) or _keyword_in(
        before, index
    )
    topic = about and not _ACCOUNTS.search(before)
    if topic and any(_BACK_REFERENCE.search(q) for q in questions):
        return questions
    return []




# An invoice, a remittance, a purchase order: the accounts desk's, not this one's, unless the
# question also names a session or places.
_ACCOUNTS = re.compile(r"\b(?:invoices?|remittance|po|purchase order|vat|credit note|payment)\b")
# ("Is there anything we should prepare beforehand?": before the session just named.)
# ("Do you know?", "any idea?": a question with no object of its own asks about the sentence
# before it. "Is there any difference from the May one I did?": a comparison with the session
# named before.)
_BACK_REFERENCE = re.compile(
    r"\b(?:it|this|that|them|they|these|those|beforehand)\b"
    r"|^\W*(?:do you know|would you know|do you happen to know|any idea|any ideas)\W*$"
    r"|\b(?:any |the )?difference (?:from|between|to)\b"
)


def no_change(
    msg: Message, index: EventIndex, now: datetime, evidence: list[str]
) -> Request:
    """A message that asks for no change of place: a question, thanks, or nothing for us."""
    own, clean = msg.own, msg.clean
    text_for_ack = own.text if own.words else norm_text(clean.closing)
    asked_here = own.questions + own.asides + _asked_without_change(msg)
    # In a reply to our own message, a question is about what we wrote ("what time does it
    # start?"); elsewhere it must be about sessions or places to be this desk's.
    questions = asked_here if msg.context is not None else _desk_questions(asked_here, index)
    questions = questions or _refers_back(msg, asked_here, index)
    forwarded_question = (
        msg.forwarded
        and msg.source is own
        and _desk_questions(msg.read_forward(msg.forwarded[0]).questions, index)
    )
    if msg.context is None and _SALES.search(own.text):
        return _unknown(evidence, "reads as a sales approach, not a question about the sessions")
    if questions or forwarded_question:
        asked = questions or ["(forwarded question)"]
        return Request(
            Intent.QUESTION,
            event_ids=resolve_events(
                [own.text] if _about_every_session(own.text) else
                [own.text, _subject(msg, index, now)], index, now, msg.context_ids
            ).ids,
            confidence=0.0,
            evidence=(*evidence, f'asks: "{asked[0][:120]}"'),
            reason="asks a question rather than for a change of place",
        )
    if own.questions and not questions:
        return _unknown([*evidence, f'asks: "{own.questions[0][:120]}"'],
                        "asks something that is not about the sessions or places")
    machine = _machine_reply(msg)
    if machine:
        return _unknown(evidence, machine)
    # Lines of a signature the splitter left (a banner's alt text above the name, a job title)
    # are fragments: they say nothing more than the thanks.
    said = [c for c in own.clauses if c.role is Role.BACKGROUND and not is_fragment(c.text)]
    thanks = _thanks(msg, text_for_ack)
    if (like_before := asks_like_before(msg, evidence)) is not None:
        return like_before
    if thanks and len(said) <= 3 and own.words <= 80 and not msg.forwarded:
        return _thanked(msg, text_for_ack, evidence)
    why = "no request found" if own.words or msg.forwarded else "empty message"
    if msg.context is not None and msg.context.outcome == "confirmed" and _KEEP_IT.search(
        own.negated
    ):
        # "I got two confirmations ... No need to cancel anything as long as I'm only counted
        # once": under our confirmation, the place kept, said outright; nothing to change.
        return Request(Intent.ACKNOWLEDGEMENT, confidence=0.9,
                       evidence=(*evidence, f'says not to: "{own.negated[:80]}"'))
    if own.negated:
        why = f'says not to: "{own.negated[:100]}"'
    return _unknown(evidence, why)


def _thanked(msg: Message, text_for_ack: str, evidence: list[str]) -> Request:
    """A short mail of thanks: an acknowledgement, or a question where it answers an offer."""
    # A lapsed offer leaves nothing to take: thanks there are thanks. (Thanks with the
    # answer promised, "I'll check my diary and get back to you", leave the offer open
    # as it stands: nothing to do until the answer comes, unless it hangs on another.)
    if msg.context is not None and msg.context.outcome == "offered" and not _holding(msg.own.text):
        return Request(
            Intent.QUESTION,
            event_ids=msg.context_ids,
            confidence=0.0,
            evidence=(*evidence, f'says: "{text_for_ack[:80]}"'),
            reason="thanks us for the offer without saying whether they will take it",
        )
    # (Nothing written under a calendar's "Accepted:" subject: the subject is what it says.)
    said_it = text_for_ack or norm_text(msg.mail.subject)
    return Request(
        Intent.ACKNOWLEDGEMENT,
        confidence=0.9,
        evidence=(*evidence, f'says: "{said_it[:80]}"'),
    )


# A place given up, said not to be: "no need to cancel anything", "please don't cancel me".
_KEEP_IT = guarded(
    r"\b(?:no need to|(?:please )?(?:don't|do not))\s+(?:\w+\s+){0,2}?(?:cancel|remove|drop)"
    r"\b(?![^.?!]*\b(?:but|instead)\b)"
)


# "Same as last time please for me and the team": places asked for by pointing at an earlier
# booking, or "please" said for people, with no word of what to book. (Not "thanks for me and
# the team": thanks.)
_ASKS_LIKE_BEFORE = guarded(
    r"\b(?:same|as) (?:as )?(?:last time|before|usual|last year|previously|the last one)\b"
    r"[^.?!\n]{0,30}\bplease\b"
    r"|\bplease\b[^.?!\n]{0,30}\b(?:same|as) (?:as )?(?:last time|before|usual|last year"
    r"|previously|the last one)\b"
    r"|\bplease (?:for|to) (?:me|us|myself)(?: and (?:my|the|our) (?:team|colleagues?|staff))?\b"
)


def asks_like_before(msg: Message, evidence: list[str]) -> Request | None:
    """A request for places that names none of what to book ("same as last time please for me
    and the team"): a registration, asked of the coordinator, who knows what last time was."""
    found = _ASKS_LIKE_BEFORE.search(msg.own.text)
    if found is None or msg.offered:
        return None
    return Request(
        Intent.REGISTER,
        confidence=0.3,
        evidence=(*evidence, f'register: "{found.group(0)[:80]}"'),
        reason="asks for places as before without saying which sessions or for whom",
    )


# "Declining this one only because it's a duplicate ... I'm still coming!": the place stands,
# said for the desk's information.
_STILL_COMING = guarded(
    r"\b(?:i'm|i am|we're|we are|i'll|i will|we'll|we will)\s+still\s+(?:be\s+)?(?:coming"
    r"|attending|joining|going|there)\b"
)

# "Yes please keep me on the list, still keen!": in reply to our waiting-list message, the turn
# kept as it is; nothing to change.
_STAYS_ON_THE_LIST = guarded(
    r"\b(?:keep|leave)\s+(?:me|us|my name|our names?)\s+on\s+(?:the|your)\s+(?:waiting\s+)?"
    r"(?:list|waitlist)\b|\bstill\s+(?:very\s+)?(?:keen|interested)\b"
)


def _still_waiting(msg: Message) -> bool:
    return msg.context is not None and msg.context.outcome == "waitlisted" and bool(
        _STAYS_ON_THE_LIST.search(msg.own.text)
    )


# "No problem - fingers crossed something comes up!": in reply to our message, the news taken
# in good part; an acknowledgement as thanks are.
_TAKEN_IN_GOOD_PART = guarded(
    r"^\W*(?:no problem|no worries|no probs|understood|fair enough|fingers crossed)\b"
)


# "I'll check my diary and get back to you shortly", "will come back to you by tomorrow": in
# reply to an offer, the answer promised, not given.
_ANSWER_TO_FOLLOW = guarded(
    r"\b(?:i'll|i will|will|i shall|i'll try to|let me)\s+(?:\w+\s+){0,6}?(?:get|come)\s+back"
    r"\s+to\s+you\b|\b(?:i'll|i will|will)\s+let\s+you\s+know\b"
)

# "Let me check with my line manager", "probably yes - I need to ask the team": the answer
# hangs on someone else, or leans one way already; the coordinator may want to chase it.
_ANSWER_NOT_THEIRS = guarded(
    r"\b(?:check|ask|speak|talk|clear it|run it)\s+(?:it\s+)?(?:with|by)\b|\bask (?:my|our|the)\b"
    r"|\b(?:probably|possibly|maybe|likely|hopefully)\b"
)


def _holding(text: str) -> bool:
    """A holding reply to an offer: the answer promised, and the sender's own to give."""
    return bool(_ANSWER_TO_FOLLOW.search(text)) and not _ANSWER_NOT_THEIRS.search(text)


def _thanks(msg: Message, text_for_ack: str) -> bool:
    """Thanks, in words or an emoji, or what stands for them in reply to our own message (a
    calendar's accept, "I'm still coming", "keep me on the list", "no problem")."""
    own = msg.own
    return own.ack or bool(ACK_WORDS.search(text_for_ack)) or bool(
        _ACK_EMOJI.search(msg.own_body[:40])
    ) or _calendar_accepted(msg) or bool(_STILL_COMING.search(own.text)) or _still_waiting(
        msg
    ) or (msg.context is not None and bool(_TAKEN_IN_GOOD_PART.search(own.text)))


def _calendar_accepted(msg: Message) -> bool:
    """A calendar's answer to our invitation, a yes already given: its own words ("has accepted
    this meeting"), its tag said again as the one line of the body ("Accepted: Furniture"), or
    no words at all, under its subject's "Accepted:" tag."""
    if not _ACCEPTED_SUBJECT.match(msg.mail.subject):
        return False
    body = msg.own_body.strip()
    return not msg.own.words or bool(_CALENDAR_ACCEPT.search(msg.own.text)) or (
        "\n" not in body and bool(_ACCEPTED_SUBJECT.match(body))
    )


def calendar_yes_to_offer(msg: Message) -> bool:
    """Our offer answered by the sender's calendar ("Accepted: Place available: Textiles",
    "Raj Mehta has accepted."): in an offer's thread the client's yes is a yes to the offer
    (in a confirmation's thread it is thanks: the place is already theirs)."""
    if not msg.offered or msg.source is not msg.own or msg.forwarded:
        return False
    return _calendar_accepted(msg) or bool(msg.own_body.strip()) and _only_the_calendars(
        msg, _ACCEPTED_SUBJECT, _HAS_ACCEPTED
    ) and _ACCEPTED_SUBJECT.match(msg.mail.subject) is not None


def calendar_no_to_offer(msg: Message) -> bool:
    """Our offer answered no by the sender's calendar: nothing written (or only its own line,
    "Emma Clarke has declined.") under a "Declined:" subject in the offer's own thread."""
    if not msg.offered or msg.source is not msg.own or msg.forwarded or (
        _DECLINED_SUBJECT.match(msg.mail.subject) is None
    ):
        return False
    return not msg.own.words or _only_the_calendars(msg, _DECLINED_SUBJECT, _HAS_DECLINED)


def _only_the_calendars(msg: Message, tag: re.Pattern[str], own_line: re.Pattern[str]) -> bool:
    """The body holds no more than the client's few lines: its subject's tag said again
    ("Accepted: Textiles") or its own line ("Raj Mehta has accepted.")."""
    lines = [line.strip() for line in msg.own_body.strip().split("\n") if line.strip()]
    return len(lines) <= 3 and all(tag.match(line) or own_line.match(line) for line in lines)


def machine_sent(msg: Message) -> Request | None:
    """A mail its headers or subject mark as a machine's reply (RFC 3834 Auto-Submitted, an
    "Automatic reply:" subject): its words ("yes, your message will be read", "to cancel a
    meeting contact my PA") were written for every sender, so they change no seat."""
    if is_auto_submitted(msg.mail) or is_auto_reply_subject(msg.mail):
        return _unknown([], "reads as an automatic out-of-office reply")
    if msg.context is None and _one_way_mailing(msg.mail):
        return _unknown([], "reads as a newsletter sent to its subscribers, not a request")
    return None


def _one_way_mailing(mail: InboundMail) -> bool:
    """A newsletter or announcement list (RFC 2369): an unsubscribe link or bulk precedence, and
    no address to post to. Its words ("register for our conference") were written for every
    subscriber. A discussion list's post (List-Post) may still be a member's own request."""
    if not (is_list_unsubscribe(mail) or mail.header("precedence").strip().lower() in _BULK):
        return False
    post = mail.header("list-post").strip().lower()
    return not post or post == "no"


_BULK = frozenset({"bulk", "junk"})


def _machine_reply(msg: Message) -> str:
    """Why the mail reads as a machine's (a read receipt, an out-of-office reply), or ""."""
    if _READ_RECEIPT.search(msg.own.text) or _READ_SUBJECT.match(msg.mail.subject):
        return "reads as a read receipt"
    if (
        _AUTO_REPLY.search(msg.own.text)
        or is_auto_submitted(msg.mail)
        or is_auto_reply_subject(msg.mail)
    ):
        return "reads as an automatic out-of-office reply"
    return ""


def _subject(msg: Message, index: EventIndex, now: datetime) -> str:
    subject = norm_text(msg.subject_text)
    return our_subject(subject, index, now, msg.context_ids) if msg.subject_ours else subject


def _unknown(evidence: list[str], why: str) -> Request:
    return Request(Intent.UNKNOWN, confidence=0.0, evidence=tuple(evidence), reason=why)


