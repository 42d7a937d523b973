"""Whether a phrase found in a sentence asks for the change it names: the words around it may
report it, weigh it, put it off, negate it or say it of someone else. reading._match asks this of
every phrase it finds."""

from __future__ import annotations

import re
from enum import Enum

from mailflow.model import Intent
from mailflow.understanding.conditions import RATHER_NOT, promised_later, supposed
from mailflow.understanding.text import GONE_BY_DAY, PAST
from mailflow.understanding.whether import MAY_THEIR_KIND


class Taken(Enum):
    """What a phrase found does: asks for its change, asks for nothing, or is negated."""

    ASKS = "asks"
    NOTHING = "nothing"
    NEGATED = "negated"


_ALREADY = re.compile(
    r"\b(?:i've|i have|we've|we have|i|we)\s+(?:already\s+)?(?:managed|been able)\s+to\s+$"
    r"|\balready\s+(?:have\s+|got\s+)?$"
    # "I sent a booking for the logistics webinar before Christmas" reports one already made.
    r"|\b(?:i|we)\s+(?:already\s+)?(?:sent|made|submitted|put in|emailed)\s+(?:in\s+)?"
    r"(?:a|my|our)\s+$"
    # "Martin said he'd put me down for it": someone else's word that it was done or will be.
    r"|\b(?:said|told me|mentioned|promised|thought)\s+(?:that\s+)?(?:he|she|they|you)"
    r"(?:'d|'ll| would| will| had|'s| has)?\s+(?:already\s+)?$"
)
# "I've been booked onto the workshop by my director", "we have been registered for it": a
# booking already made, told (or asked about: "have I been added to it?"); it asks for none.
_MADE_ALREADY = re.compile(r"been\b")
# "Reply STOP to cancel future emails", "cancel your subscription": mail given up, no place.
# ("cancel the reminder emails for textiles", "cancel anytime": a subscription's words.)
_MAILINGS = re.compile(
    r"\s+(?:anytime|any time|at any time)\b"
    r"|\s+(?:(?:my|your|our|the|these|this|all|any|future|further|marketing|promotional)\s+)*"
    r"(?:(?!(?:place|places|booking|seat|spot|registration|and|or)\b)[a-z-]+\s+){0,2}"
    r"(?:e-?mails?|messages?|newsletters?|subscriptions?|mailings?|mailing list|notifications?"
    r"|alerts?|texts?|sms|marketing|updates|communications?|reminders?)\b"
)
# "My line manager put me down for the food webinar", "HR has signed me up": a booking someone
# else made, told (not "could my manager put me down": no subject opens that clause).
_DONE_BY_ANOTHER = re.compile(
    r"(?:^|[,;:]\s*|\band\s+)\W*(?:my|our|the)\s+(?:[a-z-]+\s+){0,2}(?:manager|director|boss|pa"
    r"|team|admin|hr|colleague|head|lead|assistant|secretary|office|department)\s+"
    r"(?:(?:has|had|already|just|kindly|very kindly)\s+)*$"
)
# "Want more registrations for your food webinar?": a seller's pitch, no place asked for.
_MORE_SIGNUPS = re.compile(r"\b(?:more|extra|increase|boost|grow|drive|double|triple)\s+$")
_NOT_A_PLACE = re.compile(
    r"\s+(?:in\s+)?(?:a |an |some |\d+ |fifteen |ten |twenty |thirty |a few |a quick |a short )?"
    # "I shall be attending a board meeting that day": a meeting of theirs, no session
    r"(?:(?<=a )(?:board|team|planning|project|staff|management|governors'?|council|client)\s+)?"
    r"(?:minutes?|mins?|call|meeting|chat|demo|catch-up|slot to|time to (?:talk|chat|speak))\b"
)
# How someone joins a session they hold, not whether: "join from my phone", "join the call late".
# "To cancel your subscription or book additional hours, log in to your account": how the
# reader may do a thing themselves, the boilerplate of a supplier's mail; it asks nothing.
_TO_DO_IT = re.compile(r"(?:^|[.!?]\s+)\W*(?:to|if you (?:wish|want|would like|need) to)\s+$")
_DO_IT_THUS = re.compile(
    r"[^.?!]{0,80}?,\s*(?:please\s+|simply\s+|just\s+)?(?:log ?in|sign in|click|visit|go to|use"
    r"|follow|see|call|reply to this|contact (?:us|your|customer))\b"
)
_HOW_TO_JOIN = re.compile(
    r"\s+(?:the (?:call|meeting|teams|zoom)\s+)?(?:from (?:my|the|a|home|work|the car)|via|using"
    r"|by (?:phone|mobile)|remotely|late|early|on (?:my|a) (?:phone|mobile|laptop|tablet|ipad))\b"
)
# A question about booking, not a booking: "what's the deadline to register", "how do I book".
_ABOUT_BOOKING = re.compile(
    r"\b(?:deadline|cut-?off|closing date|last (?:day|date)|latest)\s+(?:date\s+)?(?:to|for)\s+$"
    r"|\bhow (?:do|can|should) (?:i|we|people|colleagues)\s+$"
    # "Do I also have to register on the website, or is emailing enough?": what booking takes.
    r"|\b(?:do|does|would|will)\s+(?:i|we|they|he|she|people|colleagues|everyone)\s+(?:also\s+"
    r"|still\s+|first\s+|then\s+|just\s+)?(?:have|need)\s+to\s+$"
    # ("... or is emailing this address enough to get a place?": what it takes, not a place.)
    r"|\b(?:enough|sufficient|in order|needed|required|necessary)\s+(?:for (?:me|us) )?to\s+$"
)
# "Trying to decide whether to sign up", "working out whether to nominate two more", "I need to
# decide whether to swap a clinic session for it": the choice is still to be made, whatever
# change it weighs.
_UNDECIDED_CHOICE = re.compile(
    r"\b(?:decide|deciding|decided|choose|choosing|wondering|unsure|not sure|work out"
    r"|working out|figure out|figuring out|weigh up|weighing up|know)\s+(?:whether|if)"
    r"\s+(?:or not\s+)?(?:to|i should|we should|i'll|we'll)\s+"
    # "I want to know whether to tell them to sign up": whether others are to book, undecided.
    r"(?:(?:tell|ask|encourage|advise|get|invite|let)\s+(?:them|him|her|people|colleagues"
    r"|staff|my team|the team|everyone)\s+(?:to\s+)?)?$"
)
# "Before I say yes - is this one interactive?": the answer waits on what is asked first.
_NOT_YET = re.compile(r"\b(?:before|until)\s+(?:i|we)\s+(?:can\s+|could\s+)?$")
_NEGATION = re.compile(
    r"\b(?:don't|do not|please don't|no need to|not to|never|didn't|did not"
    r"|rather than|(?:i'm|i am|we're|we are|i'll|i will|we'll|we will) not)\s+(?:\w+\s+){0,2}$"
)
# "I never did cancel that one", "I didn't cancel it": what was not done, reported.
_NOT_DONE = re.compile(r"\b(?:didn't|did not|never)\s+(?:\w+\s+){0,2}$")
# "I wasn't able to cancel in time for last week's webinar and ended up missing it": a
# cancellation tried and not managed, for a session gone by: the past, reported.
_NOT_MANAGED = re.compile(
    r"\b(?:wasn't|was not|weren't|were not|couldn't|could not)\s+(?:able\s+)?(?:to\s+)?$"
    r"|\b(?:didn't|did not) (?:manage|get (?:a )?chance|get round) to\s+$"
    r"|\b(?:failed|forgot|neglected) to\s+$"
)
# ("I couldn't cancel in time online - can you do it for me?": asked of us after all.)
_ASKED_OF_US = re.compile(r"\b(?:can|could|would|will) you\b|\bplease\b")
_GONE_BY = re.compile(rf"\b(?:{GONE_BY_DAY}|missed|missing)\b")
_NOT_FOR_ME = re.compile(r"\s*(?:myself|personally|for myself|for me)\b")
_UNABLE = re.compile(
    r"\b(?:won't|wont|will not|can't|cant|cannot|can not|unable to|not able to|not be able to"
    r"|no longer able to)\s+(?:be able to\s+)?$"
)
# "It wouldn't be fair to take the place when someone else could use it": the reason for a no.
_WOULD_BE_WRONG = re.compile(
    r"\b(?:wouldn't|would not|won't|will not|doesn't|does not|isn't|is not|it's not|it is not)\s+"
    r"(?:be\s+|seem\s+|feel\s+)?(?:fair|right|appropriate|sensible|make sense|feel right)\s+"
    r"(?:(?:for|of) me\s+)?to\s+$"
    r"|\b(?:unfair|wrong|selfish)\s+(?:(?:for|of) me\s+)?to\s+$"
)
_SOMEONE_LATER = re.compile(
    r"\b(?:someone|somebody|anyone|a colleague|another colleague)\b[^.?!]{0,30}"
    r"\b(?:may|might)\b[^.?!]{0,30}$"
)
# "Agnieszka mentioned she might hand her place over to me": what another said they may do,
# reported; nobody asks for it here.
_REPORTED_MAYBE = re.compile(
    r"\b(?:mentioned|said|told me|says|suggested|thinks|thought|reckons|hinted)\s+(?:that\s+)?"
    r"(?:she|he|they)\s+(?:may|might|could|would)\s+(?:(?:be able|want|like) to\s+)?$"
)
_ANYONE = re.compile(
    r"\b(?:someone|somebody|anyone|another person|the next person|whoever)(?: else)?"
    r"(?: on the (?:waiting )?list)?\s+(?:can |could |may |might |to |will )?$"
)
# "I regret that nobody of my team is available to replace me": no one takes the place.
_NOBODY = re.compile(
    r"\b(?:nobody|no one|no-one|noone|none of (?:my|our|the) \w+|no colleague"
    r"|(?:isn't|is not|wasn't|was not|there's not) (?:anyone|anybody))\b"
    # (not "nobody else is free, so Sam will replace me": someone does after all)
    r"(?:(?!\b(?:so|but|and|then|instead|though|although)\b)[^.?!;,]){0,50}$"
)
# "I would love to attend the textiles session later in the year, but I will write nearer the
# time": a wish whose asking is put off to a later mail.
_ASKS_LATER = re.compile(
    r"[^.?!]{0,80}?\b(?:but|and)\s+(?:i|we)(?:'ll| will| shall)\s+(?:write|e-?mail|be in touch"
    r"|get in touch|get back to you|come back to you|contact you)(?: again)?\b"
    r"[^.?!]{0,30}?\b(?:nearer the time|closer to the (?:time|date)|nearer the date|in due course"
    r"|later(?: on)?|in the new year|once|when)\b"
)
_WISH = re.compile(r"\b(?:like|love|keen|hoping|hope|want|interested)\b")
_OTHERS = re.compile(r"\b(?:who|those|anyone|people|colleagues|others)\s+$")
# "We're associate members - does that mean we can't attend at all, or can we go on the waiting
# list?": what the rules allow, asked about. Nothing after it gives up or asks for a place.
_ASKS_WHAT_IT_MEANS = re.compile(
    r"\b(?:does|do|would|will|did)\s+(?:that|this|it|the announcement|the rule)\s+mean\b"
    r"|\b(?:is it|is that|am i right|am i correct)\s+(?:true|right|correct|the case)?\s*(?:that|in"
    r" thinking)\b"
)
# "Our associates can't attend, can they?": the inability put as a question by its tag.
_TAG_QUESTION = re.compile(
    r"[^.?!]{0,60},\s*(?:can|could|may|is|are|do|does)(?:n't)?\s+(?:they|we|i|he|she|it|you)\s*\?"
)
# "A few of my team work compressed hours and can't do Fridays": others who cannot come,
# a reason given for a question; no place of the sender's is given up.
_GROUP_SUBJECT = re.compile(
    r"\b(?:(?:some|a few|a couple|several|many|most|half|all|none|one|two|three|four)\s+"
    r"(?:of\s+)?(?:my\s+|our\s+|the\s+)?|(?:my|our)\s+(?:whole\s+)?)"
    # "a couple of our fleet team": a word may say which team
    r"(?:[a-z-]+\s+)?(?:team|colleagues|people|staff|members)\b"
    r"(?P<rest>(?:\s+[a-z']+){0,5}\s+)$"
)
_FIRST_PERSON = re.compile(r"\b(?:i|we|me|us|myself)\b")
# "Can I attend the logistics webinar without registering?": whether a place is needed at all,
# asked; no place is asked for.
_WITHOUT_BOOKING = re.compile(
    r"\bwithout\s+(?:first\s+|actually\s+|formally\s+)?(?:registering|booking"
    r"|signing up|enrolling|(?:a|any)\s+(?:place|booking|registration|ticket))\b"
)
# "a copy of the list of", "the number of", "the full names of": a record of the bookings.
_RECORD_OF = (
    r"(?:a\s+copy\s+of\s+)?(?:the\s+)?(?:full\s+|complete\s+|current\s+|latest\s+)?"
    r"(?:list|number|names|numbers|details|total)\s+of"
)
# "could we have a copy of the list of bookings": a record asked for, no place.
_A_RECORD = re.compile(rf"\s+{_RECORD_OF}\b")
# "recommended a book on forced labour", "this book on audits": the noun, no booking.
_THE_NOUN = re.compile(
    r"\b(?:a|the|this|that|which|what|any|good|great|new|useful|excellent|interesting|recent"
    r"|recommended)\s+$"
)
_BOOK = re.compile(r"book\b")
# "could you send us the list of registrations for the food webinar", "may we see the number
# of bookings for it": the bookings as a record asked for, not a place.
_RECORD_ASKED = re.compile(
    r"\b(?:send|share|forward|email|e-mail|give|pass on|provide)\s+(?:me|us)\s+(?:with\s+)?"
    r"(?:[a-z'-]+\s+){0,6}$"
    rf"|\b(?:have|get|see|receive|view|need|want)\s+{_RECORD_OF}\s+(?:[a-z'-]+\s+){{0,3}}$"
)
_BOOKINGS = re.compile(r"(?:registration|booking)s?\b")

_GIVING_UP = frozenset({Intent.CANCEL, Intent.DECLINE_OFFER})


def _asks_whether_allowed(before: str, sentence: str, end: int, intent: Intent) -> bool:
    """A question about who may attend, not a change asked for: "does that mean associates
    can't attend, or can we go on a waiting list?", "our associates can't attend, can they?",
    "are associate members able to register?"."""
    if _ASKS_WHAT_IT_MEANS.search(before) or (
        intent is Intent.REGISTER and MAY_THEIR_KIND.search(before)
    ):
        return True
    return intent is Intent.CANCEL and bool(_TAG_QUESTION.match(sentence, end))


def _not_a_booking(sentence: str, found: re.Match[str], before: str) -> bool:
    """Booking words that ask no place: whether one may come without a place, the noun "book",
    or the bookings as a record asked to be sent."""
    phrase = found.group(0)
    return bool(
        _WITHOUT_BOOKING.search(sentence)
        or _A_RECORD.match(sentence, found.end())
        or (_BOOK.match(phrase) and _THE_NOUN.search(before))
        or (_BOOKINGS.match(phrase) and _RECORD_ASKED.search(before))
    )


def _others_cannot(before: str) -> bool:
    found = _GROUP_SUBJECT.search(before)
    return found is not None and not _FIRST_PERSON.search(found.group("rest"))


def taken(intent: Intent, sentence: str, found: re.Match[str]) -> Taken:
    """What the phrase `found` of `intent`'s group does in `sentence`."""
    before = sentence[: found.start()]
    if _reports_or_weighs(intent, sentence, found, before):
        return Taken.NOTHING
    negated = _NEGATION.search(before) is not None
    if negated and _NOT_FOR_ME.match(sentence, found.end()):
        return Taken.NOTHING  # "I don't need a place myself": the sender is not among those booked
    if negated or RATHER_NOT.search(before):
        return Taken.NEGATED
    if intent in (Intent.REGISTER, Intent.CANCEL) and _TO_DO_IT.search(
        before) and _DO_IT_THUS.match(sentence, found.end()):
        return Taken.NOTHING  # "to cancel your subscription, log in to your account" instructs
    if intent in _GIVING_UP and supposed(before):
        return Taken.NOTHING  # "completely understand if it's gone to someone else" supposes
    if intent is Intent.CANCEL and promised_later(before, sentence, found.end()):
        return Taken.NOTHING  # "put me down and I'll cancel if it doesn't work out" asks none
    if intent is Intent.CANCEL and (
        (PAST.search(before + found.group(0)) and "can't" not in found.group(0))
        or _OTHERS.search(before)
        or _others_cannot(before)
    ):
        return Taken.NOTHING
    return Taken.ASKS


def _reports_or_weighs(intent: Intent, sentence: str, found: re.Match[str], before: str) -> bool:
    """The phrase reports what was done or said, weighs or puts off the change, asks about
    booking or what the rules allow, or is said of someone else: it asks for nothing."""
    end = found.end()
    if _ALREADY.search(before):
        return True  # "I've managed to get a spot elsewhere" reports; it asks nothing
    if intent is Intent.CANCEL and _MAILINGS.match(sentence, end):
        return True  # "reply STOP to cancel future emails" gives up mail, not a place
    if intent is Intent.REGISTER and _MADE_ALREADY.match(found.group(0)):
        return True  # "I've been booked onto the May workshop by my director" reports
    if intent is Intent.REGISTER and (_DONE_BY_ANOTHER.search(before) or (
        _MORE_SIGNUPS.search(before) and found.group(0).startswith("registrations")
    )):
        return True  # "my line manager put me down for it"; "want more registrations for it?"
    if intent is Intent.REGISTER and _ABOUT_BOOKING.search(before):
        return True  # "when's the deadline to book for the food one?" asks about booking
    if _UNDECIDED_CHOICE.search(before) or _NOT_YET.search(before):
        return True  # "deciding whether to sign up" asks for nothing yet
    if intent is Intent.REGISTER and _HOW_TO_JOIN.match(sentence, end):
        return True  # "is it ok if I join from my phone?" asks how, not for a place
    if intent is Intent.REGISTER and _WISH.search(found.group(0)) and _ASKS_LATER.match(
        sentence, end
    ):
        return True  # "I'd love to attend food later, but I'll write nearer the time"
    if intent is Intent.REGISTER and _not_a_booking(sentence, found, before):
        return True  # "a book on forced labour", "send us the registrations for it"
    if intent is Intent.REGISTER and _NOT_A_PLACE.match(sentence, end):
        return True  # "could we book 15 minutes for a call?" is no place at a session
    if intent is Intent.SUBSTITUTE and (_ANYONE.search(before) or _NOBODY.search(before)):
        return True  # "let someone else have my place" names nobody to take it
    if _SOMEONE_LATER.search(before) or _REPORTED_MAYBE.search(before):
        return True  # "someone from the team may book in my place later" asks nothing now
    if _asks_whether_allowed(before, sentence, end, intent):
        return True  # "does that mean we can't attend?" asks what the rules allow
    if intent is Intent.ACCEPT_OFFER and (
        _UNABLE.search(before) or _WOULD_BE_WRONG.search(before)
    ):
        return True  # "she won't be able to take this place" is the no, read as such
    if intent is Intent.CANCEL and _NOT_DONE.search(before) and PAST.search(
        before + found.group(0)
    ):
        return True  # "I missed the June one (I never did cancel it)": the past, reported
    # "I couldn't cancel in time and missed it": the past, reported.
    return intent is Intent.CANCEL and bool(_NOT_MANAGED.search(before)) and bool(
        _GONE_BY.search(sentence, end)
    ) and not _ASKED_OF_US.search(sentence, end)
