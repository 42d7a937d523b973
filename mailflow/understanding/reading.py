"""Reading one text clause by clause: what each clause asks for, and its role."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from mailflow.model import Intent
from mailflow.understanding import languages
from mailflow.understanding.beside import asks_beside
from mailflow.understanding.clauses import Clause, Role, is_fragment, sentences, without_courtesy
from mailflow.understanding.conditions import (
    ANOTHER_INSTEAD,
    DEFERRAL,
    MAYBE_ANOTHER,
    OTHERWISE,
    SUBCLAUSE,
    TOPIC_QUESTION,
    hedged,
)
from mailflow.understanding.literals import guarded
from mailflow.understanding.not_asking import Taken, taken
from mailflow.understanding.prefilter import prefilter
from mailflow.understanding.text import WORD, norm_text
from mailflow.understanding.within import within_a_cancellation

_BULLET = re.compile(r"\s*(?:[-•*–]|\d+[.)])\s+")
_GREETING_OR_THANKS = re.compile(
    r"^\W*(?:hi|hello|hey|dear|morning|afternoon|good (?:morning|afternoon)|hope (?:you|all)"
    r"|i hope|thanks|thank you|many thanks|cheers|best|regards|kind regards)\b"
)
_ASKS_FOR_TOPIC = guarded(
    r"\b(?:send|share|forward|e-?mail|tell|let me know|advise|give)\s+(?:me|us|her|him|them)\b"
)
_WANTS = guarded(
    r"\b(?:please|pls|could|can|would|will you|need|send|share|forward|let me know|wondering"
    r"|i'd like|we'd like|i would like|we would like)\b"
)
# "Is it too late to book?": a question whose hoped-for "no" the next sentence builds on.
_TOO_LATE = guarded(
    r"\b(?:too late|still (?:time|possible|open)|past the deadline|missed the deadline)\b[^.]*\?"
)
# "If not, no worries": the other branch holds only a courtesy, no second outcome (whether
# the request hangs on a condition is asks.py's to say).
_ONLY_A_COURTESY = guarded(
    r"\W*(?:if not|otherwise),?\s+(?:then\s+)?(?:no worries|no problem|never mind|don't worry"
    r"|do not worry|that's fine|that is fine|that's ok|that's okay)\W*$"
)
_FIRST_PERSON_ATTEND = guarded(
    r"\b(?:book|register|sign|put|add|enrol+|enroll|reserve|include|count)\s+(?:me|myself|us)\b"
    # "me and Sam", "me + jo marsh": the sender listed first
    r"|\b(?:me|myself)(?: and\b|\s*[+&]\s*(?=[a-z]))"
    r"|\band (?:me|myself)\b|\bboth of us\b|\bme (?:too|as well|also)\b"
    r"|\b(?:as well as|along with|together with|with) (?:me|myself)\b"
    r"|\b(?:i|we)(?:'d| would| am|'m| are|'re)?\s+(?:also |both |really )?(?:like|love|keen|hoping"
    r"|want|wish|"
    r"planning|interested)\s+(?:to\s+|in\s+)?(?:attend|join|come|be there|attending|joining"
    r"|coming|sign up|signing up|take part|taking part|participate)\b"
    r"|\b(?:can|could|may) (?:i|we) (?:also )?(?:attend|join|come|have|get)\b"
    # "Could I book for the textiles webinar, and could my manager come too?": a place of
    # their own (not "could I book my colleague on ...").
    r"|\b(?:can|could|may) (?:i|we) (?:please |also )?(?:book|register|sign up|enrol+)"
    r"(?: myself| me)? (?:for|on|onto|in|into) (?!(?:my|our|his|her|their|him|them)\b)"
    # "could I please book a place on the construction webinar?" (not "... a place for Sam")
    r"|\b(?:can|could|may) (?:i|we) (?:please |also )?(?:book|reserve|have|get) (?:a|one)"
    r" (?:place|seat|spot|space) (?:on|onto|at|in|for (?:the|this|that|webinar|workshop"
    r"|session)\b)"
    # "I'd like to register for the food webinar" (not "... to register my colleague").
    r"|\b(?:i|we)(?:'d| would)\s+(?:also |really )?like\s+to\s+(?:register|book|enrol+|sign up)"
    r"\s+(?:myself\b|me\b|(?:for|on|onto|in|into)\s+(?!(?:my|our|his|her|their|him|them)\b))"
    r"|\b(?:along|together) with (?:my|our)\b|\bwe (?:would|'d) (?:both |all )?like\b"
    r"|\b(?:places|seats) for (?:me|us|myself)\b|\bfor (?:me|myself) and\b"
)
_DELEGATION = guarded(
    r"\b(?:sort|deal with|action|handle|process|arrange|see to|help with|look after)\b[^.?!]{0,40}"
    r"\b(?:this|below|request|her|him|them|these)\b"
    r"|\bsee (?:below|attached|the (?:request|email|message) below|request below|email below"
    r"|trail below)\b"
    r"|\bfyi\b|\bforwarding\b|\bforwarded\b|\bon behalf of\b|\b(?:request|email|message"
    r"|note) (?:below|from)\b"
    r"|\bas (?:per |requested |asked )?below\b|\bbelow (?:request|email)\b|\bplease see\b"
)
ACK_WORDS = re.compile(
    r"\b(?:thanks|thank you|thankyou|thx|ta|cheers|great|perfect|brilliant|lovely|wonderful|noted|"
    r"received|got it|much appreciated|appreciated|excellent|fab|fabulous|fantastic|super|ok|okay|"
    r"see you|look(?:ing)? forward|confirmed|that's great|amazing|marvellous|grand|cool"
    # The thanks of other languages.
    rf"|{languages.THANKS})\b"
)
_BENIGN_QUESTION = guarded(
    r"\b(?:is there|are there|any|do you (?:still )?have|have you (?:still )?got|is it still)\b"
    r"[^.?!]{0,40}"
    r"\b(?:space|spaces|room|places?|seats?|spots?|availability|available|open)\b"
    r"|\bhow are (?:you|things)\b|\bhope (?:you|all|this|everyone)\b"
    r"|\bis (?:that|this|it) (?:ok|okay|alright|all right|possible|fine)\b"
    r"|\bwould (?:that|this) be (?:ok|okay|alright|possible|fine)\b|\b(?:does|will) that work\b"
    r"|\bif (?:so|possible|not|there is|there's)\b"
    r"|\b(?:can|could) you (?:please )?(?:confirm|let me know)\b"
    r"|\bwould you (?:mind|be able)\b|\bplease confirm\b|\blet me know if\b"
    r"|\b(?:is it|am i|are we|is this) (?:too late|too early|too soon|still in time"
    r"|not too late)\b"
    # "is the seafood one still open?", "are places still available?": the booking answers it
    # (a full session puts the member on the waiting list).
    r"|\bstill (?:open|available|running|going ahead|on|free|possible|bookable)\b"
    # "is the logistics one in March open yet?", "has registration opened?": whether booking
    # has begun, which the booking's own answer tells too.
    r"|\b(?:open|opened|bookable|live) (?:yet|already|for (?:booking|bookings|registration"
    r"|registrations))\b"
    r"|\b(?:is|are|has|have) (?:booking|bookings|registration|registrations) (?:open|opened"
    r"|live)\b"
)
_QUESTION_LEAD = re.compile(
    r"^(?:i was wondering|i wondered|do you know|could you (?:tell|advise)|can you (?:tell|advise)|"
    r"(?:i|we)(?: would|'d) like to ask|(?:i|we) wanted to ask|may i ask|"
    r"please (?:let me know|advise)|i'd like to know|i would like to know|just checking"
    r"|quick question|"
    r"what|when|where|why|how|who|which|is|are|will|would|does|do|did|has|have|can|could|should)\b"
)
# "I would like to ask if the workshop is online": a question put as a statement.
_ASKS_IF = re.compile(
    r"^(?:i|we)(?: would|'d) like to (?:ask|know|enquire|inquire)(?: you)?(?: a clarification)?"
    r"\W*(?:if|whether|what|when|where|how|which|who)\b"
    r"|^(?:i|we) (?:wanted|want) to (?:ask|know|check) (?:if|whether)\b"
)
# "I'll forward the joining details to them": what the sender will do, not what they ask for;
# "we can provide certificates on request": what the writer offers.
_OWN_DOING = re.compile(
    r"^(?:i|we)(?:'ll| will| shall|'ve| have| am going to|'m going to)\s+(?:then\s+|also\s+)?"
    r"(?:forward|pass|share|send|circulate|add|put|save|print|cascade|distribute|let)\b"
    r"|^(?:i|we)\s+(?:can|could)\s+(?:also\s+)?(?:provide|supply|offer|send|share|arrange)\b"
    # "Please find attached invoice INV-20417": what the writer sends, not asks for.
    r"|^(?:please\s+)?find\s+(?:attached|enclosed)\b"
)
# "I look forward to receiving the joining details" mentions a topic but asks nothing.
_PLEASANTRY = guarded(
    r"^(?:i|we)?\s*(?:look|am looking|are looking|'m looking)? ?forward to\b"
    r"|^looking forward to\b|^(?:i|we) (?:await|will look out for)\b"
)


@dataclass
class Reading:
    text: str
    found: dict[Intent, list[tuple[str, float, int]]] = field(default_factory=dict)
    questions: list[str] = field(default_factory=list)
    hedged: str = ""
    negated: str = ""
    negated_as: tuple[Intent, int] | None = None  # the first negated phrase's intent, and where
    delegation: bool = False
    first_person: bool = False
    ack: bool = False
    words: int = 0
    clauses: list[Clause] = field(default_factory=list)
    asides: list[str] = field(default_factory=list)  # questions a seat change would answer

    def best(self, intent: Intent) -> float:
        return max((s for _, s, _ in self.found.get(intent, [])), default=0.0)

    def phrases(self, intent: Intent) -> list[str]:
        return [p for p, _, _ in self.found.get(intent, [])]

    def role_text(self, *roles: Role) -> str:
        """The clauses of these roles, one a line."""
        return "\n".join(c.text for c in self.clauses if c.role in roles)

    def role_raw(self, *roles: Role) -> str:
        """The clauses of these roles as written, one a line."""
        return "\n".join(c.raw for c in self.clauses if c.role in roles)


def _match(
    sentence: str, groups: list[tuple[Intent, str]], reading: Reading, number: int
) -> bool:
    """Record the first phrase of each intent group found in one sentence that asks for its
    change (not_asking.taken)."""
    words = prefilter(tuple(group for _, group in groups))
    present = words.present(sentence)
    matched = False
    for intent, group in groups:
        # Only the patterns whose words the sentence holds: another would find nothing.
        for pattern, strength in words.candidates(group, present):
            found = pattern.search(sentence)
            if not found:
                continue
            what = taken(intent, sentence, found)
            if what is Taken.NEGATED and not reading.negated:
                reading.negated, reading.negated_as = sentence, (intent, number)
            if what is not Taken.ASKS:
                continue
            reading.found.setdefault(intent, []).append((found.group(0), strength, number))
            matched = True
            if hedged(sentence, found.start()):
                reading.hedged = reading.hedged or sentence
            break
    within_a_cancellation(reading, number, sentence)
    return matched


# Clauses read per text: a request sits near the top; a pasted report of 300 lines asks nothing.
CLAUSE_LIMIT = 14
SENTENCE_LIMIT = 300  # characters of one sentence: a longer one is a pasted paragraph


def read(text: str, offered: bool, clause_limit: int = CLAUSE_LIMIT) -> Reading:
    """Read one text clause by clause: what each asks for, and its role."""
    norm = norm_text(text)
    reading = Reading(text=norm)
    groups: list[tuple[Intent, str]] = [
        (Intent.REGISTER, "register"),
        (Intent.CANCEL, "cancel"),
        (Intent.SUBSTITUTE, "substitute"),
        (Intent.ACCEPT_OFFER, "accept"),
        (Intent.DECLINE_OFFER, "decline"),
    ]
    if offered:
        groups += [(Intent.ACCEPT_OFFER, "accept_reply"), (Intent.DECLINE_OFFER, "decline_reply")]
    previous = Role.COURTESY
    listing = False  # under a request that ends with a colon, its list
    for number, raw in enumerate(sentences(text)[:clause_limit]):
        sentence = norm_text(raw[:SENTENCE_LIMIT])
        spoken = without_courtesy(sentence)
        matched_here = _match(spoken, groups, reading, number)
        about = _topic_asked(sentence)
        asks = "?" in sentence or bool(_QUESTION_LEAD.match(sentence) and about) or bool(
            _ASKS_IF.match(sentence)
        )
        topic = "@" not in sentence and about
        if topic and "?" in sentence and matched_here:
            matched_here = asks_beside(reading, number, sentence, spoken)
        role = _role(sentence, spoken, matched_here, asks, bool(topic), previous)
        if role is Role.BACKGROUND and listing and "@" in sentence and "?" not in sentence:
            # "Could you book:" over "Fatima Khan (fatima@...) - food webinar, 25 June (she
            # manages our canteen contract)": each line with an address is an item asked for.
            role = Role.REQUEST
        listing = role is Role.REQUEST and (listing or sentence.rstrip().endswith(":"))
        if matched_here and topic and _ASKS_FOR_TOPIC.search(sentence):
            # "book me on food and send me the slides afterwards": the booking stands, and
            # what else it asks for is the coordinator's.
            reading.questions.append(sentence)
        if role is Role.QUESTION:
            reading.questions.append(sentence)
        elif asks and role is not Role.REQUEST:
            reading.asides.append(sentence)
        _hedges(reading, sentence, role, previous)
        if role is Role.REQUEST and reading.clauses and _is_heading(reading.clauses[-1]):
            # "Food webinar, 25 June. Please register me.": a heading names what is asked.
            reading.clauses[-1] = replace(reading.clauses[-1], role=Role.REQUEST)
        reading.clauses.append(Clause(sentence, role, raw))
        previous = role
    reading.delegation = bool(_DELEGATION.search(norm))
    reading.first_person = bool(_FIRST_PERSON_ATTEND.search(norm))
    reading.words = len(WORD.findall(norm))
    reading.ack = bool(ACK_WORDS.search(norm))
    return reading


def _hedges(reading: Reading, sentence: str, role: Role, previous: Role) -> None:
    """A clause that defers the change, or the other branch of the request before it, hedges."""
    if role is not Role.REQUEST and DEFERRAL.search(sentence) and not MAYBE_ANOTHER.search(
        sentence
    ) and not (Intent.CANCEL in reading.found and ANOTHER_INSTEAD.search(sentence)):
        reading.hedged = reading.hedged or sentence
    if previous is Role.REQUEST and OTHERWISE.match(sentence) and not (
        role is Role.REQUEST and _TOO_LATE.search(reading.clauses[-1].text)
    ) and not _ONLY_A_COURTESY.match(sentence):
        # (Not "Is it too late to book on it? If not please sign me up": the answer the
        # question hopes for, and the same request again.)
        # "Cancel my place if nobody wants it. Otherwise I'll come.": one of two outcomes.
        reading.hedged = reading.hedged or reading.clauses[-1].text


# "saw the newsletter", "I got your reminder": how the sender came to write.
_HOW_THEY_HEARD = guarded(
    r"^\W*(?:(?:hi|hello|hey|morning)\b[^-;]{0,30}?,\s*)?(?:(?:i|we)(?:'ve| have)?\s+)?(?:just\s+)?"
    r"(?:saw|seen|read|got|received|noticed|spotted|found|heard about)\b"
)


def _topic_asked(sentence: str) -> bool:
    """A topic the desk cannot answer that the sentence asks about or for; not one named only
    in a remark on how the sender came to write ("saw the newsletter - can I get a place on
    the third one?"), a part that neither asks nor wants anything."""
    if not TOPIC_QUESTION.search(sentence):
        return False
    return any(
        TOPIC_QUESTION.search(part) and not _remark(part) for part in SUBCLAUSE.split(sentence)
    )


def _remark(part: str) -> bool:
    text = part.strip()
    return bool(_HOW_THEY_HEARD.match(text)) and "?" not in text and not _WANTS.search(text)


def _is_heading(clause: Clause) -> bool:
    return clause.role is Role.BACKGROUND and "?" not in clause.text and is_fragment(clause.text)


# "please ignore this reminder", "kindly disregard this email": the mail's own disclaimer.
_DISREGARD_THIS = guarded(
    r"\b(?:please\s+|kindly\s+|just\s+)?(?:ignore|disregard)\s+this\s+(?:reminder|e-?mail"
    r"|message|notice|letter|notification)\b"
)


def _role(
    sentence: str, spoken: str, matched: bool, asks: bool, topic: bool, previous: Role
) -> Role:
    if matched:
        return Role.REQUEST
    if _DELEGATION.search(sentence):
        # "please sort this for Priya below" passes the forwarded request along; the sessions
        # it names are read from the forward, so here it only explains.
        return Role.BACKGROUND
    if previous is Role.REQUEST and is_fragment(sentence):
        return Role.REQUEST  # "- Food (25 June)" under "please book me on:"
    bullet = _BULLET.match(sentence)
    if previous is Role.REQUEST and bullet and is_fragment(
        SUBCLAUSE.split(sentence[bullet.end():])[0]
    ):
        # "- the food one in June - we've had questions about it": an item, then why.
        return Role.REQUEST
    if _PLEASANTRY.search(sentence) and "?" not in sentence:
        return Role.COURTESY
    # A topic the desk cannot answer with a seat change, asked about or asked for ("please send
    # the slides"); "I've shared the briefing note with my team" only tells.
    # ("If you have already paid, please ignore this reminder": told to disregard the mail
    # itself, the reader is asked nothing.)
    wants = _WANTS.search(sentence) and not _OWN_DOING.match(sentence) and not (
        _DISREGARD_THIS.search(sentence)
    )
    if (topic and (asks or wants)) or (
        asks and not _BENIGN_QUESTION.search(sentence)
    ):
        return Role.QUESTION
    if not spoken.strip() or _GREETING_OR_THANKS.match(sentence):
        return Role.COURTESY
    return Role.BACKGROUND
