"""Structural reasons to ask before a seat change: who is missing, conditions, mixed signals."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from mailflow.model import Intent, Person
from mailflow.understanding.clauses import Role
from mailflow.understanding.conditions import HANGS_ON_THE_ANSWER
from mailflow.understanding.literals import guarded
from mailflow.understanding.message import REFUSED_OUTCOMES, Message
from mailflow.understanding.moves import MOVE_ME
from mailflow.understanding.others import wanted_by_another
from mailflow.understanding.whether import HOW_MANY_MAY, finds_out, waits_on_how_many

# A session said to be full: "it's booked up", "there's no space left".
_FULL = (
    r"(?:(?:it's|it is|the session is|they're|they are)\s+(?:already\s+)?(?:full|fully booked"
    r"|booked up|oversubscribed)|there(?:'s| is) no (?:space|room|place)|there (?:isn't|is not)"
    r" (?:any )?(?:space|room|a place))\b"
)
# "if it's full please don't put me on the waiting list": the desk's answer to a full session is
# the waiting list, so a mail refusing it puts a condition on the booking only a person can keep.
_NO_WAITING_LIST = guarded(
    r"\b(?:don't|do not|not|rather not|no need to|never)\s+(?:bother\s+(?:with\s+)?|want to be\s+"
    r"|be\s+)?(?:put|add|place"
    r"|keep|wait-?list)\w*\s+(?:me\s+|us\s+|him\s+|her\s+|them\s+)?(?:on|onto|to)\s+(?:the|a|any)"
    r"\s+wait(?:ing)?[- ]?list\b"
    r"|\bno wait(?:ing)?[- ]?list\b|\bnot (?:be )?wait-?listed\b"
    # "if it's full please don't worry", "no worries if it's full": nothing wanted if it is full
    # (not "I understand if it's full", which leaves the desk's answer to it).
    rf"|\b(?:if|when)\s+{_FULL}[^.?!,;\n]{{0,40}}?,?\s+(?:then\s+)?(?:please\s+)?"
    r"(?:(?:don't|do not|no need to)\s+(?:worry|bother)|no worries|no problem)\b"
    r"|\b(?:(?:please\s+)?(?:don't|do not)\s+(?:worry|bother)|no worries|no problem)\s+if\s+"
    rf"{_FULL}"
)
# "If it's not too late, could you possibly register me? Completely understand if not.": the
# request is withdrawn in advance should its condition fail, which is the coordinator's to weigh
# (the desk would only refuse or wait-list it).
_LET_GO_IF_NOT = guarded(
    r"\b(?:(?:i\s+)?(?:completely|totally|fully|quite|perfectly)\s+understand|no worries"
    r"|no problem|(?:please\s+)?(?:don't|do not)\s+worry|(?:that's|that is) (?:fine|ok|okay))"
    r"\s+if\s+not\b"
    # "If so I'd like to come - if not, don't worry, I'll catch the slides": the same, after.
    r"|\bif\s+not\b,?\s+(?:then\s+)?(?:please\s+)?(?:(?:don't|do not)\s+(?:worry|bother)"
    r"|no worries|no problem|never mind|(?:that's|that is) (?:fine|ok|okay))\b"
)
# The condition "if not" turns on, said: "if there's space", "if it's not too late", "if you can
# still squeeze me in", "if so". (With none, "any chance of a place on Wednesday's? If not no
# worries" closes a plain request politely: nothing is asked only on a condition.)
_STATED_CONDITION = guarded(
    r"\b(?:if|provided|providing|assuming|as long as|so long as)\b(?!\s+not\b)"
)
# "either the logistics or the food webinar, whichever has space", "just the May one, in which
# case": one of two outcomes, and the member leaves the choice to the desk.
_ALTERNATIVE = guarded(
    r"\bwhichever\b(?!\s+is\s+(?:the\s+)?(?:next|first|earliest|soonest))"
    r"|\bin which case\b|\bone or the other\b"
    r"|\beither\b(?!\s+(?:of them|one|way|is fine))[^.?!\n]{0,60}\bor\b"
    # "could she come too, or instead of me?": a second place or a handover, still undecided.
    r"|\b(?:too|as well|also),?\s+or\s+(?:else\s+)?(?:instead|in (?:my|his|her|their) place)\b"
)
# "the food waiting list, or else the textiles one", "food or, failing that, textiles": a second
# branch inside the sentence that asks. (Not the waiting list's: "otherwise the waiting list".)
_OTHER_BRANCH = guarded(
    r"(?:,|;|\s-|\bor,?)\s*(?:or\s+)?(?:else|otherwise|failing that|alternatively|if not"
    r"|if (?:that|it|this)(?:'s| is) (?:full|not possible|booked up))\b,?"
    r"(?P<rest>[^.?!;\n]{0,80})"
)
# "If that's full, textiles instead", "food - or textiles if food is full": what to do should a
# session be full, which the desk answers with its waiting list unless the member says otherwise.
_IF_FULL = guarded(
    r"\bif\s+[^,.?!;\n]{0,30}?(?:'s|'re|\s(?:is|are|gets|has)(?:\s+been)?)\s+(?:already\s+)?"
    r"(?:full|fully booked|booked up|oversubscribed|filled up)\b"
    r"|\bif\s+there(?:'s| is| are)\s+no\s+(?:more\s+)?(?:space|room|places?|seats?)\b"
)
_WAITING_LIST = guarded(r"\b(?:waiting ?list|wait-?list)\b")


def other_branch(clause: str) -> str:
    """The words of a second branch inside a clause ("..., or else the textiles one", "if
    that's full, textiles instead", "or textiles if food is full"), or "": the caller reads
    whether they name a session. The waiting list is no other branch."""
    branches = [m.group("rest") for m in _OTHER_BRANCH.finditer(clause)]
    for found in _IF_FULL.finditer(clause):
        before = clause[: found.start()]
        branches += [clause[found.end():], before.rpartition(" or ")[2] if " or " in before else ""]
    return next((b for b in branches if re.search(r"\w", b) and not _WAITING_LIST.search(b)), "")


# "and possibly Sam as well - I'll check with him": someone else is added only perhaps.
_MAYBE_SOMEONE = guarded(
    r"\b(?:and|plus|also|with)\s+(?:possibly|maybe|perhaps|potentially)\b"
    r"|\b(?:i'll|i will|i need to|i have to)\s+(?:check|confirm)\s+with\s+(?:him|her|them)\b"
    # "prob my colleague too but i'll confirm who": a hedge on someone not yet named.
    r"|\b(?:possibly|maybe|perhaps|potentially|prob(?:ably)?)\s+(?:my|our|a|one|two|some)\s+"
    r"(?:[a-z]+\s+)?(?:coll?e?a?gues?|collegues?|manager|team|boss|deputy|assistant|staff)\b"
    r"|\b(?:i'll|ill|i will|we'll)\s+(?:confirm|let you know|check)\s+(?:who|which|their|the "
    r"names?)\b"
)
# The mail itself says an attendee's address is not there: "not sure of her email yet", "she
# doesn't have her email set up yet", "email to follow".
_ADDRESS_TO_COME = guarded(
    r"\b(?:not sure of|don't (?:yet )?have|doesn't (?:yet )?have|do not have|does not have"
    r"|haven't got|hasn't got|no)\s+(?:his|her|their|an?)\s+(?:council |work |new )?"
    # ("I don't have their addresses to hand yet": several.)
    r"(?:e-?mails?|address(?:es)?)\b"
    r"|\b(?:e-?mail|address)\s+(?:to follow|(?:isn't|isnt|is not|not) (?:yet )?(?:set up|working"
    r"|live))"
    # "will send names", "I'll get his email to you": who, or where to write, comes later.
    r"|\b(?:will|i'll|i will|we'll|to)\s+(?:send|get|forward|pass on|confirm)\s+(?:you\s+)?"
    r"(?:the\s+|their\s+|his\s+|her\s+)?(?:names|e-?mails?|addresses|details)\b"
    # "(I'll dig out his address)", "I'll find her email": the address is still to be found.
    r"|\b(?:will|i'll|i will|we'll|to)\s+(?:dig out|dig up|find|look up|chase|track down|hunt"
    r" down|send on|send over|forward on)\s+(?:his|her|their|the)\s+(?:e-?mail|address|details)"
    r"|\b(?:names|e-?mails|addresses)\s+to follow\b"
)
# "the colleagues on the attached list": a list the mail points at is not in its words.
_ATTACHED_LIST = guarded(
    r"\b(?:attached|enclosed)\s+(?:list|spreadsheet|sheet|names|file|document|form)\b"
    r"|\b(?:list|names|spreadsheet|details)\s+(?:is\s+|are\s+)?(?:attached|enclosed)\b"
    r"|\bsee (?:the )?attached\b"
    r"|\bfind (?:attached|enclosed) (?:the |our |my )?(?:names|nominations|attendees|delegates)\b"
)
# "my four category managers", "three of my buyers": people counted by role, not named.
# (Not "we supply office furniture to several LUPC members": whom something goes to.)
_COUNTED_ROLES = guarded(
    r"(?<!\bto )(?<!\bamong )"
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|several|a few|[2-9]|1[0-9])\s+"
    r"(?:of\s+(?:my|our)\s+)?(?:[a-z-]+\s+){0,2}?(?:managers|officers|buyers|staff|members"
    r"|leads|advisers|advisors|analysts|specialists|assistants|colleagues|people|team ?mates"
    r"|coordinators|partners|directors|heads)\b"
    # "a few people recommended it", "three colleagues went last year", "two colleagues can't
    # make it": not who is to come.
    r"(?!\s+(?:have\s+|had\s+)?(?:went|attended|came|recommended|said|told|enjoyed|were|found"
    r"|suggested|mentioned|can't|cannot|can not|won't|will not|couldn't|are unable|aren't)\b)"
)
# "could our catering services manager attend too?": someone named by role, not by address.
# (Not "my line manager has asked me to attend": who sends the sender.)
_ROLE_TO_COME = guarded(
    # (Not "as our new responsible procurement lead I'd like to attend": the writer's own role.)
    r"(?<!\bas )\b(?:my|our)\s+(?:[a-z-]+\s+){0,3}?(?:manager|officer|colleague|director"
    r"|assistant|buyer|lead|head|specialist|adviser|advisor|coordinator|deputy|boss)\s+"
    r"(?!(?:i|i'd|i'm|i'll|i've|we|we'd|we're|we'll)\s)"
    # (Nor "my colleague might want to come too - I'll let you know": a later request.)
    r"(?!(?:has |had |who )?(?:asked|wants|suggested|told|would like me|is keen for me|might"
    r"|may))"
    r"(?:[a-z']+\s+){0,3}?(?:attend|come|join|go|be booked|have a place)\b"
)
# The two halves of a swap: "take me off logistics and put me on the food one instead".
_AND_BOOK = guarded(
    r"\b(?:put|book|move|switch|swap|register|add|transfer)\s+(?:me|us)\s+(?:on|onto|to|into|for"
    r"|over)\b|\binstead\b|\b(?:move|switch|swap|transfer)\s+(?:me|us|my place)\s+from\b"
)
# "take me off that one and put me on the October workshop instead": the booking half of a swap
# said outright, even where the place given up is named only as "that one".
_BOOK_ME_ON = guarded(
    r"\b(?:put|book|move|switch|swap|transfer|register|add|sign)\s+(?:me|us)\s+(?:up\s+|down\s+)?"
    r"(?:on|onto|to|into|for)\s+(?!(?:the\s+|a\s+|your\s+)?wait(?:ing)?[- ]?list)"
    r"[^.?!\n]{0,60}?\binstead\b"
)
# "I emailed yesterday asking for ...": an earlier request of the sender's.
_ASKED_BEFORE = guarded(
    r"\b(?:i|we)\s+(?:emailed|e-mailed|wrote|messaged)\s+(?:yesterday|earlier|last week|before)"
    r"[^.?!\n]{0,20}?\b(?:asking|to ask|requesting|to request|about)\b"
)
# "Lucy - can you book yourself on if you think it's worth it?": the writer tells a colleague
# to book; the desk, copied in, is asked for nothing yet.
_BOOK_YOURSELF = guarded(
    r"\b(?:book|register|sign|put|enrol)\s+(?:yourself|yourselves)\b"
)
# An offer accepted for someone else on a guess: "I'm sure she'd want the place".
_GUESSES_FOR = guarded(
    r"\b(?:i'm sure|i am sure|i think|i expect|i assume|i imagine|presumably)\s+(?:she|he|they)"
    r"(?:'d| would| will|'ll)\b"
)
# A free mail provider: an address not of a member's organisation.
_PERSONAL_DOMAIN = re.compile(
    r"@(?:gmail|googlemail|hotmail|outlook|live|yahoo|icloud|me|aol|btinternet|protonmail)\."
)
_SUBJECT_CANCEL = guarded(r"\b(?:cancel\w*|withdraw\w*|can't attend|cannot attend)\b")


def asks(
    text: str, intent: Intent, event_ids: Sequence[str], people: Sequence[Person],
    substitute: Person | None, has_attachment: bool, waiting: bool = False,
) -> list[str]:
    """Every structural reason to ask found in the member's own words (normalised); waiting:
    the mail answers our waiting-list message."""
    reasons = []
    if intent is Intent.REGISTER and not waiting and MOVE_ME.search(text):
        reasons.append("a move: gives up one place for another")
    elif (intent is Intent.REGISTER and not waiting and _BOOK_ME_ON.search(text)
          and _ASKED_BEFORE.search(text)):
        # "I emailed yesterday asking for textiles ... put me on furniture instead": a
        # correction of an earlier request drops the place it asked for as well.
        reasons.append("corrects an earlier request: drops one place for another")
    if intent is Intent.REGISTER and _NO_WAITING_LIST.search(text):
        reasons.append("puts a condition on the booking: not the waiting list if it is full")
    # (_STATED_CONDITION refuses "if not": the letting go is no condition stated.)
    if intent is Intent.REGISTER and _LET_GO_IF_NOT.search(text) and _STATED_CONDITION.search(text):
        reasons.append("lets the request go if its condition is not met")
    if intent in (Intent.REGISTER, Intent.SUBSTITUTE) and _ALTERNATIVE.search(text):
        reasons.append("leaves a choice between outcomes to the desk")
    if intent is Intent.REGISTER and _MAYBE_SOMEONE.search(text):
        reasons.append("adds someone only perhaps")
    if intent in (Intent.REGISTER, Intent.SUBSTITUTE) and _ADDRESS_TO_COME.search(text):
        reasons.append("says an attendee's address is still to come")
    if intent is Intent.REGISTER and _ATTACHED_LIST.search(text):
        if not has_attachment:
            reasons.append("points at an attached list that is not there")
        elif not people:
            # "Please see the attached list of officers": who comes is only in the attachment.
            reasons.append("its list of attendees is in an attachment, not in the mail")
    if intent is Intent.REGISTER and not people and wanted_by_another(text):
        reasons.append("someone else wants a place, and the mail gives no address for them")
    if intent is Intent.REGISTER and _BOOK_YOURSELF.search(text):
        reasons.append("tells someone else to book themselves")
    if intent is Intent.REGISTER and not people and _COUNTED_ROLES.search(text):
        reasons.append("counts people it does not name with addresses")
    if intent is Intent.REGISTER and not people and _ROLE_TO_COME.search(text):
        reasons.append("names someone by role without an address")
    if intent is Intent.CANCEL and (
        (len(event_ids) > 1 and _AND_BOOK.search(text)) or (event_ids and _BOOK_ME_ON.search(text))
    ):
        reasons.append("a swap: a cancellation and a booking in one mail")
    if intent is Intent.ACCEPT_OFFER and people and _GUESSES_FOR.search(text):
        reasons.append("accepts an offer for someone else on a guess")
    if substitute is not None and _PERSONAL_DOMAIN.search("@" + substitute.email.split("@")[-1]):
        reasons.append("the one taking the place writes from a personal address")
    return reasons


def subject_disagrees(
    subject: str, intent: Intent, event_ids: Sequence[str],
    named: Callable[[str], frozenset[str]],
) -> str:
    """A new mail whose subject names another session, or a cancellation over a booking."""
    if intent is Intent.REGISTER and _SUBJECT_CANCEL.search(subject):
        return "the subject says cancel, the body asks for a place"
    in_subject = named(subject)
    if event_ids and in_subject and in_subject.isdisjoint(event_ids):
        return f"the subject names {', '.join(sorted(in_subject))}, the body another session"
    return ""


# "Do I just email you or is there a form?": how to book, so this mail is not the booking.
_HOW_TO_BOOK = guarded(
    r"\bis there (?:a|an) (?:form|online form|portal|booking link|registration link)\b"
    r"|\bdo (?:i|we) (?:just )?(?:e-?mail|reply to|write to) you\b"
    r"|\bhow (?:do|can|should|would) (?:i|we) (?:go about )?(?:register|book|sign up|apply|enrol)"
    r"|\bwhat(?:'s| is) the (?:process|procedure) (?:for|to)\b"
)


# "Hypothetically, if I book May and can't make it, could I transfer? Not asking you to change
# anything yet": the mail says itself that it asks no change.
_NO_CHANGE_YET = guarded(
    r"\bhypothetically\b"
    r"|\b(?:not|n't|am not|i'm not)\s+(?:asking|wanting|requesting)\s+(?:you\s+)?to\s+(?:change"
    r"|cancel|book|move|swap|do)\s+anything\b"
    r"|\b(?:no need|don't need you|you don't need)\s+to\s+(?:change|do)\s+anything"
    r"\s+(?:yet|now|for now)\b"
    r"|\b(?:please\s+)?(?:don't|do not)\s+(?:change|do)\s+anything\s+(?:yet|for now)\b"
)
# "I emailed last Tuesday to register for the logistics webinar": a request made before.
_ASKED_EARLIER = guarded(
    r"\b(?:i|we)\s+(?:already\s+)?(?:emailed|e-mailed|wrote|sent|messaged|registered|signed up"
    r"|applied|filled in|submitted)\b[^.?!\n]{0,60}?\b(?:to register|to book|to sign up"
    r"|registration|booking|asking|form|for)\b"
)
# "... whether it went through?", "haven't had anything back", "did not find any confirmation":
# the member asks whether that request was received.
_DID_IT_ARRIVE = guarded(
    r"\b(?:went through|gone through|got through|arrived|reached you|been received|was received"
    r"|anything back|heard back|(?:any|a|no) confirmation|(?:on|in) the list|am i (?:booked"
    r"|registered|on)|(?:i am|i'm) (?:booked|registered|on it))\b"
)
# "Is that OK, or would you prefer me to give my place to someone who can do it all?": the
# change offered as the coordinator's choice.
_YOUR_CHOICE = guarded(
    r"\b(?:would|do|will) you (?:prefer|rather|like|want|need)\b[^.?!]*\?"
    r"|\b(?:should|shall) (?:i|we)\b[^.?!]*\?"
    r"|\bwould it be (?:better|fairer|best)\b[^.?!]*\?"
)


def only_asks(
    msg: Message, intent: Intent, named: Callable[[str], frozenset[str]]
) -> str:
    """Why a request for a place is a question for the coordinator, or "": an appeal of our
    refusal, or a question about how to book. named reads which sessions words name."""
    context = msg.context
    requests = [c.text for c in msg.own.clauses if c.role is Role.REQUEST]
    if _NO_CHANGE_YET.search(msg.own.text):
        return "says it asks for no change yet"
    if intent in (Intent.CANCEL, Intent.SUBSTITUTE) and _left_to_the_desk(
        requests, msg.own.phrases(intent)
    ):
        return "asks whether the coordinator would rather they gave the place up"
    if intent is not Intent.REGISTER:
        return ""
    if requests and all(_ASKED_EARLIER.search(c) for c in requests) and (
        _DID_IT_ARRIVE.search(msg.own.text)
    ):
        return "asks whether an earlier request arrived"
    if requests and all(HOW_MANY_MAY.search(c) for c in requests):
        return "asks how many may book"
    if waits_on_how_many(msg.own.clauses, [n for _, _, n in msg.own.found.get(intent, [])]):
        return "asks how many may book before booking a number of people"
    if why := finds_out(msg.own.clauses, msg.own.text):
        return why
    if context is not None and context.outcome in REFUSED_OUTCOMES and (
        named(msg.own.text) <= set(context.event_ids)
    ):
        # (Asking for another session instead, "then book me on the food one", is a request.)
        # "Is there really no way to squeeze me in?" after our "registration has closed": an
        # appeal against the desk's answer, which only the coordinator can grant.
        return f"asks again for a place our '{context.outcome}' answer refused"
    if context is not None and context.outcome == "confirmed" and msg.own.questions and (
        requests and all(_ATTENDING_AS_BOOKED.search(c) for c in requests)
        and named(msg.own.text) <= set(context.event_ids)
    ):
        # "I confirm I will attend. Do we need to prepare anything?" under our confirmation:
        # the place is held already; what the mail asks is the question.
        return "says again it will attend the place confirmed, and asks something"
    if _HOW_TO_BOOK.search(msg.own.text):
        return "asks how to book, so this mail is not the booking"
    if _waits_on_eligibility(msg):
        return "asks whether they may attend; the booking waits on the answer"
    return ""


# "I confirm I will attend", "we'll be there": attendance at a place held, said again.
_ATTENDING_AS_BOOKED = guarded(
    r"\b(?:i|we)\s+(?:(?:can\s+)?confirm\s+(?:that\s+)?(?:i|we)\s+)?(?:will|'ll|shall)\s+"
    r"(?:still\s+|definitely\s+)?(?:be\s+)?(?:attend|attending|there|join|joining|come|coming)\b"
    r"|\b(?:i|we) (?:can )?confirm (?:my|our) (?:attendance|place)\b"
)


def _left_to_the_desk(requests: list[str], phrases: list[str]) -> bool:
    """Every clause asking the change puts it as the coordinator's choice: the change's words
    come after "would you prefer", "should I" in a question ("Please cancel my place - do you
    need anything else?" asks the change itself)."""
    holding = [c for c in requests if any(p in c for p in phrases)]

    def offered(clause: str) -> bool:
        found = _YOUR_CHOICE.search(clause)
        return found is not None and any(p in clause[found.start():] for p in phrases)

    return bool(holding) and all(offered(c) for c in holding)


# "Can associate members attend the textiles webinar?", "are non-members eligible?": who may
# come, asked.
_MAY_WE_ATTEND = guarded(
    r"\b(?:associates?|associate members?|associate organisations?|non-?members?|affiliates?"
    r"|affiliate members?)\b[^.?!]{0,60}\b(?:attend|join|come|eligible|allowed|welcome|book"
    r"|register|take part)\b[^.?!]*\?"
    r"|\b(?:open to|eligible|eligibility)\b[^.?!]*\?"
)
# "We'd be keen to join if so": the booking hangs on the answer.
_IF_ALLOWED = guarded(
    r"\bif (?:so|yes|we can|we are|we're|it is|it's|that's (?:ok|okay|possible|allowed|the case)"
    r"|(?:we're|we are) (?:eligible|allowed))\b"
)


# "I tried to book on the logistics webinar back in February and didn't hear anything": a
# booking tried before, told; what the mail asks now is the question beside it.
_TRIED_BEFORE = guarded(
    r"\b(?:i|we)\s+(?:already\s+|did\s+)?(?:tried|attempted)\s+to\s+(?:book|register|sign up"
    r"|enrol|get a place|get on)\b"
)


def _waits_on_eligibility(msg: Message) -> bool:
    """A question whether the sender's organisation may attend, and every request in the mail
    hanging on its answer ("Can associate members attend? We'd be keen to join if so"), or one
    made before, only told ("I tried to book on the logistics webinar in February")."""
    clauses = msg.own.clauses
    if not any(c.role is Role.QUESTION and _MAY_WE_ATTEND.search(c.text) for c in clauses):
        return False
    requests = [c for c in clauses if c.role is Role.REQUEST]
    return bool(requests) and all(
        _IF_ALLOWED.search(c.text) or HANGS_ON_THE_ANSWER.match(c.text)
        or _TRIED_BEFORE.search(c.text) or _ASKED_EARLIER.search(c.text) for c in requests
    )
