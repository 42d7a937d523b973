"""Read a member's mail as a careful coordinator would: what, for which sessions, for whom."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from mailflow.clean import EMAIL, CleanText, clean_body, clean_subject, display_name
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

# ---------------------------------------------------------------------------------------------
# Phrases. Matched against lower-cased text with straight quotes; (pattern, strength).

_WHO = (
    r"(?:me|myself|us|both of us|him|her|them|my colleagues?|my team|my manager"
    r"|[a-z]+ and (?:me|myself|i))"
)
_PLACE = r"(?:place|seat|spot|space|booking|registration|ticket)s?"
_CANT = (
    r"(?:can't|cant|cannot|can not|won't|wont|will not|unable to|not able to|no longer able to|"
    r"not be able to|no longer be able to|not going to be able to|not going to|no longer|"
    r"am not able to|not be attending|not attend|not make)"
)

_REGISTER: tuple[tuple[str, float], ...] = (
    (rf"\b(?:book|register|enrol+|enroll|reserve|secure|save|include)\s+{_WHO}\b", 1.0),
    (
        r"\b(?:book|register|enrol+|enroll)(?:\s+(?:me|us|myself|him|her|them))?\s+(?:in|on|onto"
        r"|on to|into|for)\b",
        1.0,
    ),
    (r"\bsign\s+(?:me|us|myself|him|her|them|[a-z]+)?\s*up\b", 1.0),
    (
        r"\b(?:put|pop|stick|jot|pencil)\s+(?:me|us|my name|our names|him|her|them|[a-z]+)"
        r"\s+down\b",
        1.0,
    ),
    # "could my colleague Megan (megan@...) come along too?"
    (
        r"\b(?:can|could|may|might)\s+(?:my|our)\s+[^?!]{0,100}?\b(?:attend|join|come|come along"
        r"|take part|be (?:booked|registered|added))\b",
        1.0,
    ),
    # A bare "<session> one pls" from a phone: naming a session and asking is a booking.
    (
        r"^(?:the\s+)?[a-z0-9' -]{2,30}\b(?:one|webinar|workshop|session)\s+(?:please|pls|plz)\b",
        0.8,
    ),
    # A subject that is a form label: "Register: Logistics 28 March".
    (r"^(?:registration|register|booking|book me)\s*[:-]", 0.8),
    (r"\b(?:add|include)\s+(?:me|us|my name|our names|myself)\b", 1.0),
    (r"\bcount\s+(?:me|us)\s+in\b", 1.0),
    (
        r"\b(?:grateful for|happy to|glad to|delighted to|pleased to)\s+"
        r"(?:attend|join|come|take part|have a (?:place|seat|spot)|a (?:place|seat|spot))\b",
        1.0,
    ),
    (r"\b(?:put|add)\s+(?:me|us|my name)\s+(?:on|to)\s+the\s+(?:waiting ?list|wait-?list)\b", 1.0),
    (
        rf"\b(?:book|reserve|secure|save|request|grab|hold|like|want|need|have|get)\s+(?:me\s+"
        rf"|us\s+)?"
        rf"(?:a|one|two|three|\d|a further|another)\s+{_PLACE}",
        1.0,
    ),
    (
        r"\b(?:i|we)(?:'d| would| am|'m| are|'re| will|'ll)?\s+(?:very |really |also |both )?"
        r"(?:like|love|keen|hoping|hope|want|wish|interested|eager|planning|plan|looking)\s+"
        r"(?:to\s+|in\s+|on\s+|forward to\s+)?(?:attend|attending|join|joining|come|coming|register"
        r"|"
        r"registering|book|booking|participate|take part|sign up|be there|enrol)\b",
        1.0,
    ),
    (
        r"\b(?:can|could|may|might)\s+(?:i|we)\s+(?:please\s+|also\s+)?(?:attend|join|come|register"
        r"|book|"
        r"have|get|reserve|sign up|grab|take|go on|go to|be (?:registered|booked|added"
        r"|signed up))\b",
        1.0,
    ),
    (
        r"\b(?:squeeze|fit|slot|get|pop)\s+(?:me|us|him|her|them)\s+(?:in|on|onto|on to|into"
        r"|a place)\b",
        1.0,
    ),
    (
        r"\b(?:be|get|been)\s+(?:registered|booked|signed up|enrolled|added)\s+(?:on|onto|for|to"
        r"|in)\b",
        1.0,
    ),
    (
        r"\b(?:could|can|would|will)\s+you\s+(?:please\s+|kindly\s+|also\s+)?(?:book|register|add"
        r"|sign|"
        r"put|pop|stick|enrol|reserve|include|secure|save|pencil|squeeze|fit|slot|get)\b",
        1.0,
    ),
    (
        r"\b(?:please|pls|kindly)\s+(?:could you\s+|can you\s+)?(?:book|register|add|sign|put|enrol"
        r"|"
        r"reserve|include|secure|save|pencil)\b",
        1.0,
    ),
    (r"\b(?:i|we)(?:'d| would)\s+like\s+(?:a\s+)?(?:place|seat|spot)s?\b", 1.0),
    (r"\bregister (?:my|our) interest\b", 0.8),
    # "booking for" names a new booking, not "cancel my booking for ...".
    (r"\b(?<!my )(?<!our )(?<!the )(?:registration|booking)s?(?: request)? for\b", 0.8),
    (r"\bi (?:will|shall|'ll) (?:attend|join|be attending)\b", 0.8),
)
_CANCEL: tuple[tuple[str, float], ...] = (
    (r"\bcancel(?:l?ing|lation)?\b", 1.0),
    (rf"\b{_PLACE}\s+(?:to be\s+|be\s+)?cancell?ed\b", 1.0),
    (
        rf"\b{_CANT}\s+(?:be\s+able\s+to\s+|be\s+)?(?:make|attend|come|join|be there|go|"
        r"be available|attending|coming|joining|participate|take part|do)\b"
        # "I won't be attending myself" (while booking colleagues) is no cancellation.
        r"(?!\s+(?:myself|personally))",
        1.0,
    ),
    (r"\bsomething(?: urgent| else)? (?:has |'s |had )?(?:come|cropped) up\b", 1.0),
    (r"\b(?:withdraw|pull out|drop out|back out)\b", 1.0),
    (r"\bcount\s+(?:me|us)\s+out\b", 1.0),
    (r"\b(?:remove|take)\s+(?:me|my name|myself|us|him|her|them|[a-z]+)\s+(?:off|from)\b", 1.0),
    (r"\bplease remove\b", 1.0),
    (
        rf"\b(?:release|give up|free up|give back|relinquish|hand back|vacate|forfeit)\s+(?:my|our"
        rf"|his|"
        rf"her|the|their)\s+{_PLACE}",
        1.0,
    ),
    (rf"\bno longer\s+(?:need|require|want)\s+(?:my|the|a|our)\s+{_PLACE}", 1.0),
    (r"\b(?:un|de)-?register\b", 1.0),
    (
        rf"\b(?:offer|give|pass|release)\s+(?:my|the"
        rf"|our)\s+{_PLACE}\b[^.?!]{{0,50}}?\bto\s+(?:someone|"
        r"somebody|the next|another|anyone|whoever|the waiting)",
        1.0,
    ),
    (r"\bclash(?:es|ing)? with\b", 0.75),
    (r"^(?:cancellation|cancel)\s*[:-]", 0.8),
)
_SUBSTITUTE: tuple[tuple[str, float], ...] = (
    (r"\bin my (?:place|stead)\b", 1.0),
    (r"\binstead of me\b", 1.0),
    (rf"\b(?:take|have|use|fill|take over)\s+my\s+{_PLACE}", 1.0),
    (rf"\btransfer\s+(?:my|the|our)\s+{_PLACE}", 1.0),
    (r"\bswap\b[^.?!]{0,40}\b(?:place|with|for)\b", 1.0),
    (r"\b(?:attend|go|come|join)\s+(?:on my behalf|instead)\b", 1.0),
    (r"\bsend\s+(?:[^.?!]|\.(?=\S)){1,80}?\binstead\b", 1.0),
    (r"\b(?:replace me|as my replacement|in my absence)\b", 1.0),
    (
        rf"\b(?:give|pass|offer|hand)\s+(?:my|the)\s+{_PLACE}\s+(?:over\s+)?to\s+(?:my|our"
        rf"|[a-z]+)\b"
        r"(?! (?:else|on the|person))",
        0.9,
    ),
)
_ACCEPT: tuple[tuple[str, float], ...] = (
    (rf"\b(?:accept|take up|take)\s+(?:the|your|this|that|up the)\s+(?:offer|{_PLACE})", 1.0),
    (
        rf"\bi(?:'ll| will| would like to| would love to|'d love to|'d like to) take (?:it"
        rf"|the {_PLACE}|that|up)",
        1.0,
    ),
    (r"\b(?:happy|delighted|pleased|glad)\s+to\s+(?:accept|take)\b", 1.0),
)
# Only in reply to an offer: the short answers people give.
_ACCEPT_IN_REPLY: tuple[tuple[str, float], ...] = (
    (
        r"^\W*(?:yes|yep|yeah|yea|yup|absolutely|definitely|certainly|of course|sure|great news|"
        r"oh yes|ooh yes|fantastic|wonderful|brilliant)\b(?!,? thanks? (?:but|though))",
        1.0,
    ),
    (r"\byes,? please\b", 1.0),
    (r"^\W*go on then\b", 1.0),
    (r"\b(?:yes|yep)\W*$", 1.0),
    (r"\bi(?:'ll| will) (?:have|take) (?:it|that|the place|the seat)\b", 1.0),
    (r"\bi can (?:still )?(?:make|attend|come|do|join)\b", 1.0),
    (r"\bstill (?:keen|interested|want|available|able)\b", 1.0),
    (r"\b(?:please )?(?:confirm|book) (?:me|my place|it)\b", 1.0),
    (r"\b(?:i'd|i would) (?:love|like) (?:it|that|to)\b", 0.9),
)
_DECLINE: tuple[tuple[str, float], ...] = (
    (r"\bdecline\b", 1.0),
    (
        rf"\b(?:no longer|not|don't|do not)\s+(?:need|want|require)\s+(?:the|this|that)\s+(?:offer"
        rf"|{_PLACE})",
        1.0,
    ),
    (r"\bturn(?:ing)? (?:it |the offer |this )?down\b", 1.0),
    (r"\bpass on (?:the|this|that)\s+(?:offer|place)\b", 1.0),
)
_DECLINE_IN_REPLY: tuple[tuple[str, float], ...] = (
    (r"^\W*(?:no|nope|sadly not|unfortunately not)\b", 1.0),
    (r"\bno,? thank", 1.0),
    (r"\bnot this time\b", 1.0),
    (r"\b(?:give|offer|pass) it (?:on )?to\b", 1.0),
    (r"\b(?:someone|somebody) else\b", 1.0),
    (r"\bi'll pass\b", 1.0),
)

_SERIES_NAME = re.compile(r"\bknowledge[\s-]+building(?:[\s-]+series)?\b", re.IGNORECASE)
_HEDGE = re.compile(
    r"\b(?:might|may (?:have|need|not)|possibly|probably|not (?:yet )?sure|not certain|"
    r"(?:i'm|i am|we're|we are) (?:thinking|considering)|tbc|to be confirmed|provisional(?:ly)?"
    r"|tentative(?:ly)?|in case|wondering whether|"
    # "to let you know she can't attend" informs; "I'll let you know" defers.
    r"(?:i'll|i will|we'll|we will|i can|can i|could i) let you know|will confirm|i'll confirm"
    r"|depending|if (?:i|we) can)\b"
)
_NEGATION = re.compile(
    r"\b(?:don't|do not|please don't|no need to|not to|never|didn't|did not"
    r"|rather than)\s+(?:\w+\s+){0,2}$"
)
_OTHERS = re.compile(r"\b(?:who|those|anyone|people|colleagues|others)\s+$")
_PAST = re.compile(
    r"\b(?:attended|enjoyed|went to|was at|were at|missed|loved|liked|last time|came to|"
    r"couldn't make|could not make)\b[^.?!]{0,60}$"
)
_FIRST_PERSON_ATTEND = re.compile(
    r"\b(?:book|register|sign|put|add|enrol+|enroll|reserve|include|count)\s+(?:me|myself|us)\b"
    r"|\b(?:me|myself) and\b|\band (?:me|myself)\b|\bboth of us\b|\bme (?:too|as well|also)\b"
    r"|\b(?:as well as|along with|together with|with) (?:me|myself)\b"
    r"|\b(?:i|we)(?:'d| would| am|'m| are|'re)?\s+(?:also |both |really )?(?:like|love|keen|hoping"
    r"|want|wish|"
    r"planning|interested)\s+(?:to\s+|in\s+)?(?:attend|join|come|be there|attending|joining"
    r"|coming|sign up|signing up|take part|taking part|participate)\b"
    r"|\b(?:can|could|may) (?:i|we) (?:also )?(?:attend|join|come|have|get)\b"
    r"|\b(?:along|together) with (?:my|our)\b|\bwe (?:would|'d) (?:both |all )?like\b"
    r"|\b(?:places|seats) for (?:me|us|myself)\b|\bfor (?:me|myself) and\b"
)
_DELEGATION = re.compile(
    r"\b(?:sort|deal with|action|handle|process|arrange|see to|help with|look after)\b[^.?!]{0,40}"
    r"\b(?:this|below|request|her|him|them|these)\b"
    r"|\bsee (?:below|attached|the (?:request|email|message) below|request below|email below"
    r"|trail below)\b"
    r"|\bfyi\b|\bforwarding\b|\bforwarded\b|\bon behalf of\b|\b(?:request|email|message"
    r"|note) (?:below|from)\b"
    r"|\bas (?:per |requested |asked )?below\b|\bbelow (?:request|email)\b|\bplease see\b"
)
_CC_SENTENCE = re.compile(
    r"\b(?:cc'?d|cc|copied|copying|for (?:info|information|visibility)|bcc)\b"
)
_ACK_WORDS = re.compile(
    r"\b(?:thanks|thank you|thankyou|thx|ta|cheers|great|perfect|brilliant|lovely|wonderful|noted|"
    r"received|got it|much appreciated|appreciated|excellent|fab|fabulous|fantastic|super|ok|okay|"
    r"see you|look(?:ing)? forward|confirmed|that's great|amazing|marvellous|grand|cool)\b"
)
_BENIGN_QUESTION = re.compile(
    r"\b(?:is there|are there|any|do you have|have you got|is it still)\b[^.?!]{0,40}"
    r"\b(?:space|spaces|room|places?|seats?|spots?|availability|available|open)\b"
    r"|\bhow are (?:you|things)\b|\bhope (?:you|all|this|everyone)\b"
    r"|\bis (?:that|this|it) (?:ok|okay|alright|all right|possible|fine)\b"
    r"|\bwould (?:that|this) be (?:ok|okay|alright|possible|fine)\b|\b(?:does|will) that work\b"
    r"|\bif (?:so|possible|not|there is|there's)\b"
    r"|\b(?:can|could) you (?:please )?(?:confirm|let me know)\b"
    r"|\bwould you (?:mind|be able)\b|\bplease confirm\b|\blet me know if\b"
)
# Asks something a seat change does not answer: hand it to the coordinator.
_TOPIC_QUESTION = re.compile(
    r"\b(?:record(?:ed|ing)s?|slides|joining (?:link|instructions|details)|the link|teams link|zoom"
    r"|cpd|"
    r"certificates?|invoice|cost|charge|fees?|free of charge|in person|in-person|venue|location|"
    r"agenda|materials from|leave early|join late|arrive late|the first (?:half|hour)"
    r"|part of the session|"
    r"the whole session|full session|accessib\w+|captions?|speakers?|presentations?|briefing note|"
    r"guidance notes?|newsletter|mailing list|calendar invite|reminder)\b"
)
_QUESTION_LEAD = re.compile(
    r"^(?:i was wondering|i wondered|do you know|could you (?:tell|advise)|can you (?:tell|advise)|"
    r"please (?:let me know|advise)|i'd like to know|i would like to know|just checking"
    r"|quick question|"
    r"what|when|where|why|how|who|which|is|are|will|would|does|do|did|has|have|can|could|should)\b"
)
# "I look forward to receiving the joining details" mentions a topic but asks nothing.
_PLEASANTRY = re.compile(
    r"^(?:i|we)?\s*(?:look|am looking|are looking|'m looking)? ?forward to\b"
    r"|^looking forward to\b|^(?:i|we) (?:await|will look out for)\b"
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.?!])\s+|\n+")
_WORD = re.compile(r"[a-z0-9']+")
_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "`": "'",
        "\u00b4": "'",
    }
)

# ---------------------------------------------------------------------------------------------
# Misspellings ("registr", "cancell", "furnature"): a word one edit away from a word that matters.

# The request verbs, with the inflections the phrase patterns rely on, so those are never
# "corrected" into another form.
# "booking" is left out: "looking" and "cooking" are one letter away.
_VERBS = frozenset(
    {
        *("register", "registered", "registering", "registration", "registrations"),
        *("cancel", "cancelled", "cancelling", "canceled", "canceling", "cancellation"),
        *("attend", "attending", "attended", "attendance", "withdraw", "withdrawn"),
        *("webinar", "webinars", "workshop", "workshops", "session", "sessions"),
    }
)
# Real words one edit from a word that matters (here or in a session's keywords).
_REAL_WORDS = frozenset({"cancer", "canter", "fright"})
_TYPO_TOKEN = re.compile(r"(?<![\w@.'-])[a-z]{6,14}(?![\w@'-])")


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Optimal string alignment distance of at most one (one insertion, deletion, substitution
    or swap of neighbours)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@lru_cache(maxsize=16)
def _typo_table(vocabulary: frozenset[str]) -> dict[str, frozenset[str]]:
    """Each word and each of its one-letter deletions, to the words it may stand for."""
    table: dict[str, set[str]] = {}
    for word in vocabulary:
        for key in {word, *_deletions(word)}:
            table.setdefault(key, set()).add(word)
    return {k: frozenset(v) for k, v in table.items()}


@lru_cache(maxsize=4096)
def _correct(token: str, vocabulary: frozenset[str]) -> str:
    if token in vocabulary or token in _REAL_WORDS:
        return token
    table = _typo_table(vocabulary)
    candidates: set[str] = set(table.get(token, ()))
    for key in _deletions(token):
        candidates.update(table.get(key, ()))
    fits = {w for w in candidates if _one_edit(token, w)}
    # Only an unambiguous correction: "textile" vs "textiles" both fit some typos, and that
    # is fine only when they name the same thing, so leave a tie alone.
    return fits.pop() if len(fits) == 1 else token


def _fix_typos(text: str, vocabulary: frozenset[str]) -> str:
    """Lower-cased text with near-misses of the vocabulary replaced by the word meant."""
    return _TYPO_TOKEN.sub(lambda m: _correct(m.group(0), vocabulary), text)


# ---------------------------------------------------------------------------------------------
# Events: dates, ordinals, kinds, "next", "all".

_MONTHS = {
    "jan": 1,
    "january": 1,
    "feb": 2,
    "february": 2,
    "mar": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "may": 5,
    "jun": 6,
    "june": 6,
    "jul": 7,
    "july": 7,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "oct": 10,
    "october": 10,
    "nov": 11,
    "november": 11,
    "dec": 12,
    "december": 12,
}
_MONTH = (
    r"(?P<month>january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_WEEKDAY = (
    r"(?:(?P<weekday>mon|tue|tues|wed|weds|thu|thur|thurs|fri|sat|sun)"
    r"(?:day|nesday|sday|rsday|urday)?,?\s+(?:the\s+)?)"
)
_WEEKDAYS = {
    "mon": 0,
    "tue": 1,
    "tues": 1,
    "wed": 2,
    "weds": 2,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "fri": 4,
    "sat": 5,
    "sun": 6,
}
_DATE_DAY_MONTH = re.compile(
    rf"\b{_WEEKDAY}?(?P<day>\d{{1,2}})(?:st|nd|rd"
    rf"|th)?(?:\s+of)?[\s-]+{_MONTH}(?:,?\s+(?P<year>20\d\d))?\b"
)
_DATE_MONTH_DAY = re.compile(
    rf"\b{_WEEKDAY}?{_MONTH}\s+(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd"
    rf"|th)?\b(?:,?\s+(?P<year>20\d\d))?(?!:)"
)
_DATE_ISO = re.compile(r"\b(?P<year>20\d\d)-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_DATE_NUMERIC = re.compile(
    r"(?<![\d/.:£$-])(?P<day>\d{1,2})(?P<sep>[/.])(?P<month>\d{1,2})(?:(?P=sep)(?P<year>\d{4}"
    r"|\d{2}))?"
    r"(?![\d/:]|\.\d|\s*(?:am|pm|hrs?|h\b))"
)
_DATE_DAY_ONLY = re.compile(
    rf"\b{_WEEKDAY}?(?:the\s+)?(?P<day>\d{{1,2}})(?P<suffix>st|nd|rd|th)\b"
    rf"|\b(?P<weekday2>mon|tue|tues|wed|weds|thu|thur|thurs|fri)(?:day|nesday|sday"
    rf"|rsday)?\s+(?P<day2>\d{{1,2}})\b(?!:)"
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "1st": 1,
    "2nd": 2,
    "3rd": 3,
    "4th": 4,
    "5th": 5,
    "6th": 6,
    "7th": 7,
}
_ORDINAL_AFTER = re.compile(
    r"\b(?P<kind>webinar|workshop|session|event|part|module)\s*(?:no\.?\s*|number\s+|#\s*)?"
    r"(?P<n>[1-7]|one|two|three|four|five|six|seven)\b(?!\s*(?:people|places|colleagues|of us|seats"
    r"|:\d))"
)
_ORDINAL_BEFORE = re.compile(
    r"\b(?P<n>first|second|third|fourth|fifth|sixth|seventh|1st|2nd|3rd|4th|5th|6th|7th)\s+"
    r"(?:(?:evidence(?: skills)?|training)\s+)?(?P<kind>webinar|workshop|session|event|one)\b"
)
_NEXT = re.compile(
    r"\b(?:next|upcoming|forthcoming|coming|following)\s+(?:(?:evidence(?: skills)?|training)\s+)?"
    r"(?P<kind>one|session|webinar|workshop|event|date|training)\b"
)
_ALL = re.compile(
    r"\b(?:all|every|each)\s+(?:of\s+)?(?:the\s+|your\s+)?(?:remaining\s+|upcoming\s+|future\s+"
    r"|seven\s+|"
    r"7\s+|other\s+|rest of the\s+)?(?P<kind>sessions|webinars|workshops|events|ones|dates"
    r"|of them)\b"
    r"|\bthe (?:whole|full|entire|complete) (?:series|programme|program)\b"
    r"|\bboth (?:of the )?(?:evidence(?: skills)? )?(?P<kind2>workshops)\b"
)
# "the workshop next week", "next month's food webinar": a session placed relative to today.
_RELATIVE = re.compile(
    r"\b(?:one|session|webinar|workshop|event|training)\s+(?:on\s+|in\s+)?(?:the\s+)?"
    r"(?P<which>this|next|coming)\s+(?P<unit>week|month)\b"
    r"|\b(?P<which2>this|next)\s+(?P<unit2>week|month)'s\b"
)
# Between a topic and a date that describe one session ("textiles on 25 June"); a conjunction
# means two sessions ("construction and the one on 28 March").
_JOINS_TWO = re.compile(r"\b(?:and|or|plus|also|then|as well as|both)\b|[,;&+\n]")
_KIND_WORD = re.compile(r"\b(?P<kind>webinar|workshop)\b(?!s)")
_MONTH_STRONG = re.compile(
    rf"\b{_MONTH}(?:'s)?\s+(?:evidence(?: skills)?\s+|training\s+)?"
    r"(?:one|session|webinar|workshop|event|training|date)\b"
)
_MONTH_WEAK = re.compile(
    rf"\b(?:in|for|during|of)\s+(?:late\s+|early\s+|mid-?\s*)?{_MONTH}(?!\s*\d)\b"
)
_TITLE_STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "including",
        "include",
        "of",
        "on",
        "in",
        "to",
        "a",
        "an",
        "webinar",
        "webinars",
        "workshop",
        "workshops",
        "session",
        "sessions",
        "training",
        "series",
        "industry",
        "knowledge",
        "building",
        "part",
        "introduction",
        "event",
        "events",
        "skills",
    ]
)
_KIND_PLURAL = {
    "sessions": "",
    "webinars": "webinar",
    "workshops": "workshop",
    "events": "",
    "ones": "",
    "dates": "",
    "of them": "",
    "one": "",
    "session": "",
    "event": "",
    "date": "",
    "training": "workshop",
    "webinar": "webinar",
    "workshop": "workshop",
}


@dataclass(frozen=True)
class _Mention:
    ids: frozenset[str]
    label: str
    exact: bool = False  # every id is meant ("all of them", a named session), not one of them
    weak: bool = False  # "in May": only used to narrow others or when nothing else names a session
    start: int = 0


@dataclass
class _Events:
    ids: tuple[str, ...] = ()
    evidence: list[str] = field(default_factory=list)
    problem: str = ""  # why the sessions meant cannot be told
    mentioned: bool = False


@dataclass(frozen=True)
class _EventIndex:
    events: tuple[EventInfo, ...]
    keyword_re: re.Pattern[str] | None
    keyword_ids: dict[str, frozenset[str]]
    by_month_day: dict[tuple[int, int], tuple[EventInfo, ...]]
    vocabulary: frozenset[str] = frozenset()  # one-word keywords long enough to misspell


@lru_cache(maxsize=16)
def _index(events: tuple[EventInfo, ...]) -> _EventIndex:
    """Keyword alternation and date lookup for one configuration (built once, reused per mail)."""
    keyword_ids: dict[str, set[str]] = {}
    for event in events:
        words = {k.lower().strip() for k in event.keywords if k.strip()}
        title = re.sub(r"\(|\)|,|:", " ", event.title.lower())
        words.update(w for w in _WORD.findall(title) if w not in _TITLE_STOPWORDS and len(w) > 3)
        for word in words:
            keyword_ids.setdefault(word, set()).add(event.id)
    alternatives = sorted(keyword_ids, key=len, reverse=True)
    keyword_re = None
    if alternatives:
        body = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in alternatives)
        keyword_re = re.compile(rf"\b(?P<kw>{body})(?:e?s)?\b")
    by_month_day: dict[tuple[int, int], list[EventInfo]] = {}
    for event in events:
        day = event.starts.date()
        by_month_day.setdefault((day.month, day.day), []).append(event)
    vocabulary = {k for k in keyword_ids if " " not in k and len(k) >= 6}
    # Plurals are words in their own right ("textiles"), not misspellings to correct.
    vocabulary |= {k + "s" for k in vocabulary}
    return _EventIndex(
        events=events,
        keyword_re=keyword_re,
        keyword_ids={k: frozenset(v) for k, v in keyword_ids.items()},
        by_month_day={k: tuple(v) for k, v in by_month_day.items()},
        vocabulary=frozenset(vocabulary),
    )


def _norm(text: str) -> str:
    return _fix_typos(text.translate(_QUOTES).lower(), _VERBS)


def _masked(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
    return "".join(chars)


def _is_past_reference(text: str, start: int) -> bool:
    sentence_start = max(
        text.rfind(".", 0, start), text.rfind("\n", 0, start), text.rfind("?", 0, start)
    )
    return bool(_PAST.search(text[sentence_start + 1 : start]))


def _date_mentions(
    text: str,
    index: _EventIndex,
    mentions: list[_Mention],
    unmatched: list[tuple[str, date | None]],
) -> str:
    """Add mentions for dates; return the text with dates blanked out for later patterns."""
    spans: list[tuple[int, int]] = []

    def add(
        found: re.Match[str],
        day: int,
        month: int,
        year: int | None,
        weekday: str | None,
        certain: bool,
    ) -> None:
        spans.append(found.span())
        phrase = found.group(0).strip()
        if _is_past_reference(text, found.start()):
            return
        matches = [
            e
            for e in index.by_month_day.get((month, day), ())
            if year is None or e.starts.year == year
        ]
        if weekday:
            wanted = _WEEKDAYS[weekday]
            if matches and all(e.starts.weekday() != wanted for e in matches):
                unmatched.append((phrase, None))
                return
        if matches:
            mentions.append(
                _Mention(frozenset(e.id for e in matches), f'date "{phrase}"', start=found.start())
            )
        elif certain:
            try:
                unmatched.append((phrase, date(year or 2000, month, day)))
            except ValueError:
                unmatched.append((phrase, None))

    for pattern in (_DATE_DAY_MONTH, _DATE_MONTH_DAY):
        for found in pattern.finditer(text):
            if any(s <= found.start() < e for s, e in spans):
                continue
            month = _MONTHS[found.group("month")]
            year = int(found.group("year")) if found.group("year") else None
            # "may 28" is a date; "may i" is not, and neither is "may 2 people".
            if (
                found.group("month") == "may"
                and pattern is _DATE_MONTH_DAY
                and not found.group("weekday")
            ):
                before = text[max(0, found.start() - 12) : found.start()]
                if not re.search(r"(?:on|of|the|for|from|\d)\s*$", before):
                    continue
            add(found, int(found.group("day")), month, year, found.group("weekday"), True)
    for found in _DATE_ISO.finditer(text):
        add(
            found,
            int(found.group("day")),
            int(found.group("month")),
            int(found.group("year")),
            None,
            True,
        )
    text = _masked(text, spans)
    spans = []
    for found in _DATE_NUMERIC.finditer(text):
        day, month = int(found.group("day")), int(found.group("month"))
        slash = found.group("sep") == "/"
        if slash and month > 12 and day <= 12:
            day, month = month, day  # US order: only possible reading
        if not (1 <= month <= 12 and 1 <= day <= 31):
            continue
        raw_year = found.group("year")
        year = None if not raw_year else int(raw_year) + (2000 if len(raw_year) == 2 else 0)
        if not slash and not raw_year and (month, day) not in index.by_month_day:
            continue  # "10.30" is a time, not 10 March
        add(found, day, month, year, None, slash)
    text = _masked(text, spans)
    spans = []
    for found in _DATE_DAY_ONLY.finditer(text):
        day = int(found.group("day") or found.group("day2"))
        weekday = found.group("weekday") or found.group("weekday2")
        if not 1 <= day <= 31:
            continue
        after = text[found.end() : found.end() + 20]
        ordinal_like = day <= 7 and not weekday
        if ordinal_like and re.match(
            r"\s+(?:webinar|workshop|session|event|one|time|person|people)", after
        ):
            continue  # "the 2nd workshop" is an ordinal, handled elsewhere
        spans.append(found.span())
        if _is_past_reference(text, found.start()):
            continue
        matches = [e for e in index.events if e.starts.day == day]
        if weekday:
            matches = [e for e in matches if e.starts.weekday() == _WEEKDAYS[weekday]]
        phrase = found.group(0).strip()
        if matches:
            mentions.append(
                _Mention(frozenset(e.id for e in matches), f'day "{phrase}"', start=found.start())
            )
        else:
            unmatched.append((phrase, None))
    return _masked(text, spans)


def _nth(events: Sequence[EventInfo], kind: str, n: int) -> EventInfo | None:
    same = [e for e in sorted(events, key=lambda e: e.starts) if not kind or e.format == kind]
    return same[n - 1] if 0 < n <= len(same) else None


def _by_ordinal(events: Sequence[EventInfo], n: int) -> EventInfo | None:
    for e in events:
        if e.ordinal == n:
            return e
    return _nth(events, "", n)


def _event_mentions(
    text: str, index: _EventIndex, now: datetime
) -> tuple[list[_Mention], list[tuple[str, date | None]], str]:
    """Sessions named in one text, dates that name none, and a topic/date contradiction."""
    mentions: list[_Mention] = []
    unmatched: list[tuple[str, date | None]] = []
    events = index.events
    text = _fix_typos(text, index.vocabulary)
    _relative_mentions(text, index, now, mentions, unmatched)
    text = _date_mentions(text, index, mentions, unmatched)

    spans: list[tuple[int, int]] = []
    for found in _ALL.finditer(text):
        kind = _KIND_PLURAL.get(found.group("kind") or found.group("kind2") or "", "")
        future = [e for e in events if e.starts > now and (not kind or e.format == kind)]
        if future:
            mentions.append(
                _Mention(frozenset(e.id for e in future), f'all "{found.group(0)}"', exact=True)
            )
        spans.append(found.span())
    for found in _NEXT.finditer(text):
        kind = _KIND_PLURAL.get(found.group("kind"), "")
        if "evidence" in found.group(0) or "training" in found.group(0):
            kind = "workshop"
        future = sorted(
            (e for e in events if e.starts > now and (not kind or e.format == kind)),
            key=lambda e: e.starts,
        )
        spans.append(found.span())
        if not future:
            unmatched.append((found.group(0), None))
            continue
        meant = {future[0].id}
        if future[0].registration_closes < now:
            # The next session has closed: "the next one" may mean it or the next open one.
            open_ones = [e for e in future if e.registration_closes >= now]
            meant.update(e.id for e in open_ones[:1])
            if len(meant) == 1:
                unmatched.append((found.group(0), None))
                continue
        mentions.append(_Mention(frozenset(meant), f'next "{found.group(0)}"', start=found.start()))
    for pattern in (_ORDINAL_BEFORE, _ORDINAL_AFTER):
        for found in pattern.finditer(text):
            if any(s <= found.start() < e for s, e in spans):
                continue
            spans.append(found.span())
            n = _NUMBER_WORDS.get(found.group("n")) or int(found.group("n"))
            kind = found.group("kind")
            candidates: set[str] = set()
            if kind in ("webinar", "workshop"):
                nth = _nth(events, kind, n)
                if nth:
                    candidates.add(nth.id)
                series = _by_ordinal(events, n)
                if series and (kind == "webinar" or series.format == kind):
                    candidates.add(series.id)
            else:
                series = _by_ordinal(events, n)
                if series:
                    candidates.add(series.id)
            if candidates and not _is_past_reference(text, found.start()):
                mentions.append(
                    _Mention(
                        frozenset(candidates), f'ordinal "{found.group(0)}"', start=found.start()
                    )
                )
    text = _masked(text, spans)
    # The series' own name is no session: "Knowledge Building Series" must not read as a
    # "building" keyword. Blanked to the same length so positions still line up.
    text = _SERIES_NAME.sub(lambda m: " " * len(m.group(0)), text)

    for found in _MONTH_STRONG.finditer(text):
        month = _MONTHS[found.group("month")]
        ids = frozenset(e.id for e in events if e.starts.month == month)
        if ids and not _is_past_reference(text, found.start()):
            mentions.append(_Mention(ids, f'month "{found.group(0)}"', start=found.start()))
    for found in _MONTH_WEAK.finditer(text):
        month = _MONTHS[found.group("month")]
        ids = frozenset(e.id for e in events if e.starts.month == month)
        if ids:
            mentions.append(
                _Mention(ids, f'month "{found.group(0)}"', weak=True, start=found.start())
            )
    if index.keyword_re is not None:
        for found in index.keyword_re.finditer(text):
            if _is_past_reference(text, found.start()):
                continue
            keyword = re.sub(r"\s+", " ", found.group("kw"))
            ids = index.keyword_ids.get(keyword, frozenset())
            if ids:
                mentions.append(_Mention(ids, f'keyword "{found.group(0)}"', start=found.start()))
    for found in _KIND_WORD.finditer(text):
        kind = found.group("kind")
        ids = frozenset(e.id for e in events if e.format == kind)
        if ids and not _is_past_reference(text, found.start()):
            mentions.append(_Mention(ids, f'kind "{kind}"', weak=len(ids) > 2, start=found.start()))
    return mentions, unmatched, _conflicts(text, mentions)


def _relative_mentions(
    text: str,
    index: _EventIndex,
    now: datetime,
    mentions: list[_Mention],
    unmatched: list[tuple[str, date | None]],
) -> None:
    if not index.events:
        return
    today = now.astimezone(index.events[0].starts.tzinfo).date()
    for found in _RELATIVE.finditer(text):
        which = found.group("which") or found.group("which2")
        unit = found.group("unit") or found.group("unit2")
        ahead = 0 if which == "this" else 1
        if unit == "week":
            first = today - timedelta(days=today.weekday()) + timedelta(weeks=ahead)
            last = first + timedelta(days=6)
            if which == "coming":  # "the coming week": the next seven days
                first, last = today, today + timedelta(days=7)
        else:
            month = today.month - 1 + ahead
            first = date(today.year + month // 12, month % 12 + 1, 1)
            last = date(first.year + first.month // 12, first.month % 12 + 1, 1) - timedelta(1)
        ids = frozenset(e.id for e in index.events if first <= e.starts.date() <= last)
        if ids:
            mentions.append(_Mention(ids, f'relative "{found.group(0)}"', start=found.start()))
        else:
            unmatched.append((found.group(0), None))


def _conflicts(text: str, mentions: Sequence[_Mention]) -> str:
    """A topic and a date side by side that name different sessions ("textiles on 25 June")."""
    dated = [m for m in mentions if not m.weak and m.label.split(" ")[0] in _DATED_LABELS]
    topics = [m for m in mentions if m.label.startswith("keyword")]
    for d in dated:
        for t in topics:
            lo, hi = sorted((d.start, t.start))
            if hi - lo > 45 or d.ids & t.ids:
                continue
            if not _JOINS_TWO.search(text[lo:hi]):
                return f"{t.label} and {d.label} are different sessions"
    return ""


_DATED_LABELS = frozenset({"date", "day", "month", "relative"})


def _resolve_events(
    texts: Sequence[str], index: _EventIndex, now: datetime, context_ids: tuple[str, ...]
) -> _Events:
    """Sessions meant, from the first text that names any (own words before subject/forward)."""
    result = _Events()
    mentions: list[_Mention] = []
    unmatched: list[tuple[str, date | None]] = []
    conflict = ""
    for text in texts:
        mentions, unmatched, conflict = _event_mentions(text, index, now)
        if any(not m.weak for m in mentions) or unmatched:
            break
    strong = [m for m in mentions if not m.weak]
    weak = [m for m in mentions if m.weak]
    resolved: set[str] = set()
    for m in strong:
        if m.exact or len(m.ids) == 1:
            resolved |= m.ids
    open_sets = [m for m in strong if not (m.exact or len(m.ids) == 1) and not (m.ids & resolved)]
    if open_sets:
        common = frozenset.intersection(*(m.ids for m in open_sets))
        for m in weak:
            if m.ids & common:
                common = common & m.ids
        if len(common) > 1 and set(context_ids) & common:
            common = common & frozenset(context_ids)
        if len(common) > 1:
            # "the evidence skills workshop" in July: only one of the two is still to come.
            upcoming = frozenset(e.id for e in index.events if e.id in common and e.starts > now)
            common = upcoming or common
        if len(common) == 1 or (common and common <= frozenset(context_ids)):
            resolved |= common
        else:
            labels = ", ".join(m.label for m in open_sets)
            result.problem = f"cannot tell which session is meant ({labels})"
    if not resolved and not open_sets and weak:
        common = frozenset.intersection(*(m.ids for m in weak))
        if len(common) == 1:
            resolved |= common
        elif common and context_ids and common & set(context_ids):
            resolved |= common & set(context_ids)
    if not resolved and not result.problem and context_ids:
        resolved = set(context_ids)
        result.evidence.append(f"sessions from the thread: {', '.join(context_ids)}")
    for phrase, when in unmatched:
        near = [
            e
            for e in index.events
            if e.id in resolved
            and when is not None
            and abs((e.starts.date() - when.replace(year=e.starts.year)).days) <= 14
        ]
        if not resolved or near or when is None:
            result.problem = result.problem or f"{phrase} does not match a session date"
    if conflict:
        result.problem = conflict
    result.mentioned = bool(mentions) or bool(unmatched)
    order = {e.id: (e.starts, e.id) for e in index.events}
    result.ids = tuple(sorted(resolved, key=lambda i: order.get(i, (now, i))))
    for m in mentions:
        if m.ids & resolved:
            result.evidence.append(f"{'/'.join(sorted(m.ids & resolved))}: {m.label}")
    if not result.problem and len(result.ids) >= 4 and not any(m.exact for m in strong):
        result.problem = f"names {len(result.ids)} sessions without asking for all of them"
    return result


# ---------------------------------------------------------------------------------------------
# Phrases found in one text.


@dataclass
class _Reading:
    text: str
    found: dict[Intent, list[tuple[str, float, int]]] = field(default_factory=dict)
    questions: list[str] = field(default_factory=list)
    hedged: str = ""
    negated: str = ""
    delegation: bool = False
    first_person: bool = False
    ack: bool = False
    words: int = 0

    def best(self, intent: Intent) -> float:
        return max((s for _, s, _ in self.found.get(intent, [])), default=0.0)

    def phrases(self, intent: Intent) -> list[str]:
        return [p for p, _, _ in self.found.get(intent, [])]


_Rules = tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], float], ...]]


@lru_cache(maxsize=1)
def _compiled() -> dict[str, _Rules]:
    """Each phrase group as one alternation (a cheap first test per sentence) plus its parts."""

    def comp(rules: tuple[tuple[str, float], ...]) -> _Rules:
        anyone = re.compile("|".join(f"(?:{p})" for p, _ in rules))
        return anyone, tuple((re.compile(p), s) for p, s in rules)

    return {
        "register": comp(_REGISTER),
        "cancel": comp(_CANCEL),
        "substitute": comp(_SUBSTITUTE),
        "accept": comp(_ACCEPT),
        "accept_reply": comp(_ACCEPT_IN_REPLY),
        "decline": comp(_DECLINE),
        "decline_reply": comp(_DECLINE_IN_REPLY),
    }


def _read(text: str, offered: bool) -> _Reading:
    norm = _norm(text)
    reading = _Reading(text=norm)
    rules = _compiled()
    groups: list[tuple[Intent, str]] = [
        (Intent.REGISTER, "register"),
        (Intent.CANCEL, "cancel"),
        (Intent.SUBSTITUTE, "substitute"),
        (Intent.ACCEPT_OFFER, "accept"),
        (Intent.DECLINE_OFFER, "decline"),
    ]
    if offered:
        groups += [(Intent.ACCEPT_OFFER, "accept_reply"), (Intent.DECLINE_OFFER, "decline_reply")]
    sentences = [s.strip() for s in _SENTENCE_SPLIT.split(norm) if s.strip()]
    for number, sentence in enumerate(sentences):
        matched_here = False
        for intent, group in groups:
            anyone, parts = rules[group]
            if not anyone.search(sentence):
                continue
            for pattern, strength in parts:
                found = pattern.search(sentence)
                if not found:
                    continue
                before = sentence[: found.start()]
                if _NEGATION.search(before):
                    reading.negated = reading.negated or sentence
                    continue
                if intent is Intent.CANCEL and (
                    (_PAST.search(before + found.group(0)) and "can't" not in found.group(0))
                    or _OTHERS.search(before)
                ):
                    continue
                reading.found.setdefault(intent, []).append((found.group(0), strength, number))
                matched_here = True
                if _HEDGE.search(sentence):
                    reading.hedged = reading.hedged or sentence
                break
        asks = "?" in sentence or bool(
            _QUESTION_LEAD.match(sentence) and _TOPIC_QUESTION.search(sentence)
        )
        topic = "@" not in sentence and _TOPIC_QUESTION.search(sentence)
        if topic and "?" in sentence and matched_here:
            # "will there be a recording for those who can't make it?" asks; it does not cancel.
            for intent in list(reading.found):
                reading.found[intent] = [f for f in reading.found[intent] if f[2] != number]
                if not reading.found[intent]:
                    del reading.found[intent]
            matched_here = False
        if matched_here or _DELEGATION.search(sentence):
            continue
        if _PLEASANTRY.search(sentence) and "?" not in sentence:
            continue
        if topic or (asks and not _BENIGN_QUESTION.search(sentence)):
            reading.questions.append(sentence)
    reading.delegation = bool(_DELEGATION.search(norm))
    reading.first_person = bool(_FIRST_PERSON_ATTEND.search(norm))
    reading.words = len(_WORD.findall(norm))
    reading.ack = bool(_ACK_WORDS.search(norm))
    return reading


# ---------------------------------------------------------------------------------------------
# People.

_SEVERAL_PLACES = re.compile(
    r"\b(?:two|three|four|five|six|several|a few|some|a couple of|[2-9]|1[0-5])\s+(?:more\s+)?"
    r"(?:places|seats|spots|spaces|tickets|people|colleagues|of us)\b"
)
_OWN_PLACE = re.compile(r"\b(?:my|our) (?:place|booking|seat|registration)")
_NAME_BEFORE = re.compile(
    r"([A-Z][A-Za-z'’-]+(?:[ \t]+[A-Z][A-Za-z'’-]+){0,3})[ \t]*[(<\[:,–-]?[ \t]*(?:on|at|-)?[ \t]*$"
)
_NAME_AFTER = re.compile(
    r"^[ \t]*[>)\]]?[ \t]*[(\[-–][ \t]*([A-Z][A-Za-z'’-]+(?:[ \t]+[A-Z][A-Za-z'’-]+){0,3})"
)
_NAMED_COLLEAGUE = re.compile(
    r"\b(?:[Cc]olleagues?|[Mm]anager|[Tt]eam ?mate|[Dd]eputy|[Aa]ssistant|[Bb]oss|[Dd]irector"
    r"|[Cc]o-?worker)"
    r"s?,?\s+(?P<name>[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?)"
)
_UNNAMED_COLLEAGUE = re.compile(
    r"(?i:\b(?:and|plus|with|also|for)\s+(?:my|a|our|one of my|two of my|some of my)\s+"
    r"(?:colleagues?|manager|team ?mates?|deputy|assistant|co-?workers?)\b)"
    r"(?!\s*,?\s*[A-Z][a-z])"
)
_NOT_NAMES = frozenset(
    [
        "Hi",
        "Hello",
        "Dear",
        "Thanks",
        "Thank",
        "Please",
        "Could",
        "Can",
        "Many",
        "Kind",
        "Best",
        "Regards",
        "From",
        "Sent",
        "To",
        "Subject",
        "Email",
        "Mail",
        "Her",
        "His",
        "Their",
        "Our",
        "My",
        "The",
        "Yes",
        "No",
        "And",
        "Cc",
        "Tel",
        "Mobile",
        "Phone",
    ]
)


def _people_in(text: str, exclude: set[str]) -> list[Person]:
    """Colleagues named with an address, in order; addresses in cc-ish sentences are skipped."""
    people: list[Person] = []
    seen = set(exclude)
    for found in EMAIL.finditer(text):
        addr = found.group(0).lower().strip(".'")
        if addr in seen:
            continue
        sentence_start = max(
            text.rfind("\n\n", 0, found.start()), text.rfind(". ", 0, found.start())
        )
        sentence_end = min(
            (i for i in (text.find("\n\n", found.end()), text.find(". ", found.end())) if i >= 0),
            default=len(text),
        )
        if _CC_SENTENCE.search(_norm(text[sentence_start + 1 : sentence_end])):
            continue
        seen.add(addr)
        name = ""
        before = _NAME_BEFORE.search(
            text[max(0, found.start() - 60) : found.start()].split("\n")[-1]
        )
        if before:
            words = [w for w in before.group(1).split() if w not in _NOT_NAMES]
            name = " ".join(words)
        if not name:
            after = _NAME_AFTER.match(text[found.end() : found.end() + 60])
            if after:
                name = after.group(1)
        people.append(Person(email=addr, name=display_name(name)))
    return people


def _colleagues_without_address(text: str, people: Sequence[Person]) -> list[str]:
    named = " ".join(p.name.lower() + " " + p.email for p in people)
    missing = []
    if not people and _UNNAMED_COLLEAGUE.search(text):
        # "Register me and my colleague": booking only the sender would quietly drop them.
        missing.append("a colleague")
    for found in _NAMED_COLLEAGUE.finditer(text):
        first = found.group("name").split()[0].lower()
        near_address = re.search(re.escape(first) + r"[^@\n]{0,40}@", text, re.IGNORECASE)
        if first not in named and found.group("name") not in _NOT_NAMES and not near_address:
            missing.append(found.group("name"))
    return missing


# ---------------------------------------------------------------------------------------------


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

    own = _read(clean.own, offered)
    source = own
    source_fwd: ForwardedMail | None = None
    # A forwarding note ("please sort this for Priya below") passes the request along:
    # read the forwarded mail when the note itself asks for nothing.
    own_intents = {i for i in own.found if i in SEAT_CHANGING}
    for part in forwarded:
        reading = _read(part.text, offered)
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
    subject_reading = _read(subject.text, False)
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
    index = _index(tuple(events))

    if not intents:
        text_for_ack = own.text if own.words else _norm(clean.closing)
        if own.questions or (
            forwarded and source is own and _read(forwarded[0].text, offered).questions
        ):
            questions = own.questions or ["(forwarded question)"]
            return Request(
                Intent.QUESTION,
                event_ids=_resolve_events(
                    [own.text, _norm(subject.text)], index, now, context_ids
                ).ids,
                confidence=0.0,
                evidence=(*evidence, f'asks: "{questions[0][:120]}"'),
                reason="asks a question rather than for a change of place",
            )
        if (own.ack or _ACK_WORDS.search(text_for_ack)) and own.words <= 30 and not forwarded:
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

    # Sessions: own words first, then the subject, then the forwarded mail.
    texts = [own.text, _norm(subject.text)]
    if source_fwd is not None:
        texts = [own.text, _norm(source_fwd.text), _norm(source_fwd.subject), _norm(subject.text)]
    elif from_subject:
        texts = [_norm(subject.text), own.text]
    found_events = _resolve_events(texts, index, now, context_ids)
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
    if fwd is not None and source is own and _people_in(clean.own, exclude):
        fwd = None
    if fwd is not None and fwd.sender and fwd.sender != sender.email:
        requester = Person(fwd.sender, fwd.sender_name)
        evidence.append(f"for {requester.email}: forwarded request")
        colleagues = _people_in(fwd.text, exclude | {requester.email})
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
        own_original = clean.own
        colleagues = _people_in(own_original, exclude)
        missing = _colleagues_without_address(own_original, colleagues)
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
            own_place = intent is not Intent.REGISTER and _OWN_PLACE.search(own.text)
            if source.first_person or own_place:
                people.insert(0, sender)
        if (
            missing
            and intent in (Intent.REGISTER, Intent.SUBSTITUTE, Intent.CANCEL)
            and substitute is None
        ):
            lower(0.4, f"names {missing[0]} without an email address")
        if intent is Intent.REGISTER and _SEVERAL_PLACES.search(own.text) and not colleagues:
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
