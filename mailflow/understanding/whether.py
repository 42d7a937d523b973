"""A place asked for only to find out about one: the sender's chances, whether a place may still
be had, or whether what the request would do is allowed at all. The coordinator answers these;
the booking, if any, comes in a later mail."""

from __future__ import annotations

import re
from collections.abc import Sequence

from mailflow.understanding.clauses import Clause, Role
from mailflow.understanding.literals import guarded

# "Are associate members able to register for any of the sessions?", "can non-members book?":
# whether a kind of organisation may come, asked; nobody is booked by it.
MAY_THEIR_KIND = re.compile(
    r"\b(?:are|can|could|may|will|would|do|is)\s+(?:an?\s+)?(?:associates?|associate members?"
    r"|associate organisations?|non-?members?|affiliates?|affiliate members?)\s+(?:also\s+"
    r"|still\s+)?(?:be\s+)?(?:able to|allowed to|eligible to|permitted to|welcome to)?\s*$"
)

# "Realistically do you think I'll get a place?", "what are my chances?": the sender's odds on
# the waiting list, asked (not "any chance I could get a place?": a place asked for).
_CHANCES = guarded(
    r"\b(?:do you think|do you reckon|realistically|likely|chances?|odds)\b[^.?!]{0,40}?"
    r"\b(?:i'll|i will|we'll|we will|i'd|we'd)\s+(?:actually\s+|ever\s+)?(?:get|be offered"
    r"|make it|move up)\b"
    r"|\bwhat are (?:my|our) chances\b|\bhow likely is it\b"
)
# "Is it too late to register for construction?" beside "just want to know whether it's worth
# asking my manager": whether a place may still be had, asked before deciding to ask for it.
_WHETHER_ONE_MAY = guarded(
    r"\b(?:is it|would it be)\s+(?:still\s+)?(?:too late|possible|allowed)\b"
    r"|\bam i (?:still )?(?:in time|too late)\b|\bcan (?:i|we) still\b"
)
_FINDING_OUT = guarded(
    r"\bjust (?:want|wanted|wanting|need|needed) to (?:know|check|find out) (?:whether|if)\b"
    r"|\b(?:i'm|i am|we're|we are) (?:deciding|trying to decide|weighing up|working out)"
    r" whether\b|\bwhether it(?:'s| is| would be) worth\b"
    r"|\bbefore (?:i|we) (?:ask|check with|speak to|approach|go to) (?:my|our)\b"
)
# "Could I ...?", "would it be possible to ...?", "can we ...?": a place asked for as a question,
# which may ask for the place or only whether it may be had.
_ASKED_AS_A_QUESTION = guarded(
    r"\b(?:can|could|may|might)\s+(?:i|we)\b|\b(?:would|is)\s+it\s+(?:be\s+)?possible\b"
    r"|\b(?:would|will)\s+(?:i|we)\s+be\s+able\b|\b(?:am i|are we)\s+able\b"
)
# "Could I register two people, or is it one place per organisation?", "could I sign up on the
# day or do I need to register in advance?", "... my personal email? Or does it have to be my
# council address?": the other branch of the question asks what the rules require, so the
# first asks whether it is allowed. (Not "..., or is it full?" nor "or is it too late?": the
# desk's own answer, a place or the waiting list, settles those.)
_OR_WHAT_IS_REQUIRED = guarded(
    r"\bor\s+(?:(?:is|would)\s+it\s+(?:be\s+)?(?!(?:already\s+|now\s+)?(?:full|fully booked"
    r"|booked up|oversubscribed|too late|closed|past)\b)"
    r"|(?:do|would|will)\s+(?:i|we|they|you|she|he)\s+(?:need|have)\s+to"
    r"|(?:does|would|will)\s+(?:it|she|he|that|this)\s+(?:need|have)\s+to"
    r"|(?:has|have)\s+(?:it|they|she|he)\s+(?:got\s+)?to"
    r"|(?:must|should)\s+(?:i|we|it|they|she|he)"
    r"|are\s+(?:they|places|the places|the sessions)\s+(?:only|just|strictly))\b"
)
# "How would that work?", "is that allowed?": the rule behind the request asked about.
_HOW_IT_WOULD_WORK = guarded(
    r"\bhow\s+(?:would|does|will|do|could)\s+(?:that|this|it)\s+work\b"
    r"|\b(?:is|would)\s+(?:that|this)\s+(?:be\s+)?(?:allowed|permitted|acceptable)\b"
)
# "Not booking yet, just checking whether they'd be eligible", "Just checking before I send you
# her details": the mail says of itself that it only checks, and the booking is for later. (Not
# "just checking you got my registration", "just checking I'm booked": about a place asked for.)
_ONLY_CHECKING = guarded(
    r"\bnot\s+(?:booking|registering|signing\s+(?:\w+\s+)?up|asking\s+for\s+(?:a\s+|any\s+)?"
    r"places?)(?:\s+(?:anyone|anybody|anything|her|him|them))?\s+(?:just\s+)?(?:yet|for now)\b"
    r"|\bjust\s+checking\b(?=\s*(?:[.!,;)]|$|(?:first|before)\b|(?:whether|if)\s+(?:she|he|they"
    r"|we|i|it|that|this)(?:'d|'s|'re|'m|\s+would|\s+is|\s+are|\s+am|\s+can|\s+could|\s+will)?"
    r"\s+(?:be\s+)?(?:eligible|allowed|ok|okay|possible|able|fine|welcome)\b))"
    r"|\bbefore\s+(?:i|we)\s+(?:send|pass on|forward|give)\s+(?:you\s+)?(?:her|his|their|the"
    r"|any|my|our)\s+(?:\w+\s+)?(?:details|names?|addresses|e-?mail addresses)\b"
)


def finds_out(clauses: Sequence[Clause], text: str) -> str:
    """Every clause that seemed to ask for a place is a question about one: the sender's
    chances, whether it may still be had beside words that say they only want to know, or
    whether what it asks is allowed."""
    # ("Not booking yet, just checking.", read as part of the request before it, asks nothing.)
    requests = [c.text for c in clauses if c.role is Role.REQUEST
                and not _ONLY_CHECKING.search(c.text)]
    if not requests or not all("?" in c for c in requests):
        return ""
    if all(_CHANCES.search(c) for c in requests):
        return "asks about their chances of a place, not for one"
    if all(_WHETHER_ONE_MAY.search(c) for c in requests) and _FINDING_OUT.search(text):
        return "asks whether a place may still be had, only to find out"
    if not all(_ASKED_AS_A_QUESTION.search(c) for c in requests):
        return ""
    if any(_OR_WHAT_IS_REQUIRED.search(_with_its_other_branch(clauses, i))
           for i, c in enumerate(clauses) if c.role is Role.REQUEST):
        return "asks whether the booking is allowed, beside what the rules require instead"
    if _ONLY_CHECKING.search(text) or any(
        c.role is Role.QUESTION and _HOW_IT_WOULD_WORK.search(c.text) for c in clauses
    ):
        return "asks whether the booking is allowed; the mail only checks"
    return ""


def _with_its_other_branch(clauses: Sequence[Clause], i: int) -> str:
    """A request clause, with the next when that one goes on with "Or ...?"."""
    text = clauses[i].text
    after = clauses[i + 1].text if i + 1 < len(clauses) else ""
    return f"{text} {after}" if after.startswith("or ") else text


# "Is there a limit on how many people from one organisation can book?": how many may come.
HOW_MANY_MAY = guarded(
    r"\b(?:is there|are there)\s+(?:a\s+|any\s+)?(?:limit|cap|maximum|max|restriction)s?\s+"
    r"(?:on|to)\b"
    r"|\bhow many (?:people|places|staff|colleagues|of us|attendees|delegates|officers)\b"
    r"[^.?!]{0,60}\b(?:can|could|may|are allowed to)\b[^.?!]*\?"
)
# "about six of us", "five people": a number of places for people not named.
_COUNT_UNNAMED = guarded(
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|a few|several|[2-9]|1[0-9])\s+"
    r"(?:of us|people|colleagues|staff|members of (?:my|our) team)\b"
)


def waits_on_how_many(clauses: Sequence[Clause], asking: Sequence[int]) -> bool:
    """"Is there a limit on how many people from one organisation can attend? I'd like to book
    about six of us onto textiles": a question of how many may come, and every clause holding
    the words that ask (asking: their numbers, not a name line read on from them) counts places
    for people it does not name. How many to book waits on the answer."""
    texts = [clauses[n].text for n in asking]
    return bool(texts) and all(_COUNT_UNNAMED.search(t) and "@" not in t for t in texts) and any(
        c.role is Role.QUESTION and HOW_MANY_MAY.search(c.text) for c in clauses
    )
