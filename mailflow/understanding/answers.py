"""Answers to an offer that change their mind or hand the place on: "yes! oh wait - no"."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from email.utils import getaddresses

from mailflow.model import Intent
from mailflow.understanding.clauses import Role
from mailflow.understanding.literals import guarded
from mailflow.understanding.message import Message
from mailflow.understanding.people import people_in

# "Yes! Oh wait - I'm on leave that day, so it's a no": the later words withdraw the yes.
_WITHDRAWN = guarded(
    r"\b(?:oh )?wait\b|\bactually\b|\bon second thoughts?\b|\bscratch that\b|\bhang on\b"
    r"|\bjust (?:checked|realised|realized|seen|noticed)\b"
)
# "Yes - actually no, sorry, I'm on leave": the yes taken back in the words that follow it.
_NO_AFTER_ALL = guarded(
    r"\b(?:actually|(?:oh )?wait|on second thoughts?|scratch that|hang on)\W+(?:it's a )?no\b"
)
# "No sorry - actually wait, yes I can!": the no taken back, and the last word stands.
_YES_AFTER_ALL = guarded(
    r"\b(?:actually|(?:oh )?wait|on second thoughts?|scratch that|hang on)\W+(?:it's a )?yes\b"
)
# "Yes please! Oh - actually I've just checked and I'm at a conference on the 24th. Sorry.":
# after the yes, the sender finds they are away that day, with no yes or no said again.
_AWAY_AFTER_ALL = guarded(
    r"\b(?:i'm|i am|i'll be|i will be|i'm going to be)\s+(?:now\s+)?(?:at an?\b|away\b"
    r"|on (?:annual |study )?leave\b|on holiday\b|off\b|out of\b|abroad\b|travelling\b"
    r"|booked\b|double[- ]booked\b|busy\b|not (?:free|around|available)\b)"
)
# "... unless it's recorded? In which case I'd take it": the no still hangs on an answer.
_STILL_OPEN = guarded(r"\bunless\b|\bin which case\b")
# "... could take it - is that ok?": asks the coordinator's leave, which is theirs to give.
_ASKS_LEAVE = re.compile(
    r"\b(?:is|would) (?:that|this|it) (?:be )?(?:ok|okay|alright|all right|possible|acceptable"
    r"|allowed|a problem)\b"
)
# "could you also put me on the textiles waiting list?", "please book me on furniture too": the
# desk told to make a second change, not asked whether one is possible ("is there any chance of
# a place on textiles too?", "could I get a place on furniture?"): two changes in one mail.
_TELLS_THE_DESK = re.compile(
    r"\b(?:could|can|would|will) you (?:please |kindly |also |then |just )*(?:put|book|add"
    r"|register|sign|enrol|cancel|remove|take|move|swap|switch|transfer|keep)\b"
    r"|\bplease (?:also |could you |can you )?(?:put|book|add|register|sign|enrol|cancel|remove"
    r"|take|move|swap|switch|transfer)\b"
    # "you can take me off that now so someone else gets a go": the desk told, not asked.
    r"|\byou (?:can|could|may) (?:now |also |just |then )*(?:take|remove|cancel|drop|put|book"
    r"|add|move|swap|switch|transfer) (?:me|us|my|our)\b"
)


# "Kemi - fancy this?", "Jen, interested?": the offer put to the one the mail is written to.
_PUT_TO = re.compile(
    r"^\W*(?P<name>[a-z]+)\s*[-,:]\s*(?:fancy|interested|keen|want|do you (?:want|fancy)"
    r"|would you (?:like|want)|any good)\b[^?.!]{0,30}\?"
)


def _put_to_the_addressee(msg: Message) -> bool:
    """A forward of our offer to a colleague (the desk copied) asking them whether they want
    it: nothing is decided yet, whatever the sender says of their own coming."""
    found = _PUT_TO.search(msg.own.text)
    if found is None:
        return False
    to = [a.lower() for _, a in getaddresses(msg.mail.header_all("to")) if a]
    return any(found["name"] in re.split(r"[._@-]", a.split("@")[0]) for a in to)


def revised_answer(msg: Message, intents: dict[Intent, float], sender: str) -> dict[Intent, float]:
    """An offer answer read as a whole: a yes withdrawn is a no; a colleague named with an
    address to take the place instead is a substitution (not a yes for the sender)."""
    if not msg.offered or msg.source is not msg.own:
        return intents
    if _put_to_the_addressee(msg):
        return {}
    found = msg.own.found
    accept = [n for _, _, n in found.get(Intent.ACCEPT_OFFER, [])]
    decline = [n for _, _, n in found.get(Intent.DECLINE_OFFER, [])]
    # Only words from the yes on take it back: "only just seen this" before it withdraws nothing.
    after_yes = " ".join(c.text for c in msg.own.clauses[min(accept, default=0):])
    if accept and decline and max(decline) > min(accept) and _WITHDRAWN.search(after_yes):
        return {Intent.DECLINE_OFFER: intents[Intent.DECLINE_OFFER]}
    after_no = " ".join(c.text for c in msg.own.clauses[min(decline, default=0):])
    taken_back = _YES_AFTER_ALL.search(after_no)
    if accept and decline and taken_back and max(accept) >= max(decline) and not (
        _NO_AFTER_ALL.search(after_no, taken_back.end())
    ):
        return {Intent.ACCEPT_OFFER: intents[Intent.ACCEPT_OFFER]}
    if accept and not decline and _NO_AFTER_ALL.search(after_yes):
        if _STILL_OPEN.search(after_yes):
            return {Intent.DECLINE_OFFER: 1.0, Intent.ACCEPT_OFFER: 0.5}
        return {Intent.DECLINE_OFFER: 1.0}
    withdrawn = _WITHDRAWN.search(after_yes) if accept and not decline else None
    if withdrawn and _AWAY_AFTER_ALL.search(after_yes, withdrawn.end()):
        # Yes and then no in all but words: the coordinator asks which it is.
        return {Intent.ACCEPT_OFFER: 1.0, Intent.DECLINE_OFFER: 0.9}
    handed_on = Intent.SUBSTITUTE in intents or Intent.DECLINE_OFFER in intents
    if handed_on and len(people_in(msg.own_body, {sender})) == 1:
        # "I can't make it, but my colleague Deepa (deepa@...) is keen - could she take it?"
        if _ASKS_LEAVE.search(msg.own.text):
            # A substitution the sender asks leave for: read as one, kept for the coordinator
            # (the no for themselves beside it makes it two kinds of answer).
            return {Intent.SUBSTITUTE: 1.0, Intent.DECLINE_OFFER: 0.9}
        return {Intent.SUBSTITUTE: 1.0}
    return intents


def set_aside_after_yes(msg: Message, named: Callable[[str], frozenset[str]]) -> str:
    """In reply to an offer, a yes first and then, in sentences of their own, a change for
    another session ("Yes please, I'll take it. And is there any chance of a place on textiles
    too?"): the yes answers the offer, and the rest is the coordinator's to act on beside it.
    Those sentences' text, or "". A second change the desk is told to make ("could you also
    put me on the textiles waiting list?") is not set aside: two changes, the desk asks.

    named reads which sessions a stretch of text names."""
    if not msg.offered or msg.source is not msg.own:
        return ""
    own = msg.own
    yes = [n for _, _, n in own.found.get(Intent.ACCEPT_OFFER, [])]
    later = {
        n for intent, found in own.found.items() if intent is not Intent.ACCEPT_OFFER
        for _, _, n in found
    }
    if not yes or not later or min(later) <= min(yes) or later & {min(yes)}:
        return ""
    rest = " ".join(own.clauses[n].text for n in sorted(later) if n < len(own.clauses))
    if _TELLS_THE_DESK.search(rest):
        return ""
    sessions = named(rest)
    if not sessions or sessions & set(msg.context_ids):
        return ""
    for intent in list(own.found):
        own.found[intent] = [f for f in own.found[intent] if f[2] not in later]
        if not own.found[intent]:
            del own.found[intent]
    for n in later:
        if n < len(own.clauses):
            own.clauses[n] = replace(own.clauses[n], role=Role.QUESTION)
    return rest


_WISH_OR_YES = (Intent.ACCEPT_OFFER,)  # not a booking asked for ("could you book me on ...")
_GIVING_UP = (Intent.DECLINE_OFFER, Intent.CANCEL)  # a cancellation, in an offer's thread, is a no


def remarks_on_another(msg: Message, named: Callable[[str], frozenset[str]]) -> None:
    """In reply to an offer, a no and, in a sentence of its own, a wish about another session
    ("No, I'll have to say no this time. I'm still keen on the furniture one in December
    though"): the no answers the offer; the wish is a remark, and its words are no yes.

    named reads which sessions a stretch of text names."""
    if not msg.offered or msg.source is not msg.own:
        return
    own = msg.own
    no = {n for i in _GIVING_UP for _, _, n in own.found.get(i, [])}
    wishes = {n for i in _WISH_OR_YES for _, _, n in own.found.get(i, []) if n not in no}
    if not no or not wishes:
        return
    offered = set(msg.context_ids)
    remarks = set()
    for n in wishes:
        sessions = named(own.clauses[n].text) if n < len(own.clauses) else frozenset()
        if sessions and not sessions & offered and not _TELLS_THE_DESK.search(
            own.clauses[n].text
        ):
            remarks.add(n)
    if remarks != wishes:
        return  # a yes to the offer itself beside the no: two answers, the desk asks
    for intent in _WISH_OR_YES:
        kept = [f for f in own.found.get(intent, []) if f[2] not in remarks]
        if kept:
            own.found[intent] = kept
        else:
            own.found.pop(intent, None)
    for n in remarks:
        own.clauses[n] = replace(own.clauses[n], role=Role.BACKGROUND)


# "If it's October then yes please", "if this is the May one, yes": a yes that hangs on which
# session we offered. The offer in the thread says which it is.
_IF_IT_IS = guarded(
    r"\bif (?:it's|it is|this is|this one is|that's|that is|it's the one|the (?:place|offer)"
    r" is)(?: for| on)? (?P<which>[^,.?!;:]{1,40}?)(?=\s*(?:[,:;]|\s-|\bthen\b|\byes\b))"
)
# "Is this the October one or May?": which session the offer is, asked of the thread's offer.
_WHICH_IS_IT = guarded(
    r"^\W*(?:is|was) (?:this|it|that|the (?:place|offer))(?: for| on)? (?:the )?[^?]{1,40}\bor\b"
)


def settled_by_the_offer(msg: Message, named: Callable[[str], frozenset[str]]) -> str:
    """In reply to an offer, a yes that hangs on which session it is ("Is this the October one
    or May? If it's October then yes please"): when the condition names the session offered,
    the thread meets it, and the question of which it is is answered (taken out of the
    reading's questions). A doubt, or "", when it names another session: the yes is for a
    place we did not offer.

    named reads which sessions a stretch of text names."""
    if not msg.offered or msg.source is not msg.own or Intent.ACCEPT_OFFER not in msg.own.found:
        return ""
    offered = set(msg.context_ids)
    met = False
    for found in _IF_IT_IS.finditer(msg.own.text):
        # "if it's October": the October one (a month alone names no session elsewhere).
        sessions = named(found["which"]) or named(f"the {found['which']} one")
        if sessions and not sessions & offered:
            return f'says yes only to another session: "{found.group(0)[:80]}"'
        met = met or bool(sessions) and sessions <= offered
    if met:
        msg.own.questions = [
            q for q in msg.own.questions if not (_WHICH_IS_IT.search(q) and named(q) & offered)
        ]
    return ""
