"""Whether a request is firm: hedges, conditions on it, and places given up only in supposing."""

from __future__ import annotations

import re

from mailflow.understanding.literals import guarded

# "it's probably more useful for him anyway": a judgement of worth, no doubt about the request.
# (Not "probably best to cancel": that weighs the request itself.)
_NOT_A_COMPARISON = (
    r"(?!\s+(?:more|less)\s+(?:useful|relevant|helpful|valuable|suitable|appropriate"
    r"|interesting)\b)"
)
# "prob the food one too": the phone's short "probably" (not "no prob", "no probs": no problem).
_PROBABLY = rf"(?:probably|(?<!no )(?<!any )prob){_NOT_A_COMPARISON}"
# "still need sign-off from my line manager", "pending my manager's approval": the request
# waits on someone else's yes. (Not "I don't need approval".)
_APPROVAL_PENDING = (
    r"(?<!don't )(?<!do not )(?<!doesn't )(?<!no )\b(?:need|needs|needing|awaiting|await"
    r"|waiting for|waiting on|pending)\s+(?:(?:a|the|my|our|his|her|their|final|formal"
    r"|(?:line )?manager's|director's|boss's)\s+){0,2}(?:sign-?off|approval|authori[sz]ation"
    r"|permission|go-ahead)\b"
)
# "not sure if you remember me", "not sure whether you'll recall our chat": doubt about the
# reader's memory of the writer, which hedges nothing asked.
_NOT_MEMORY = (
    r"(?!\s+(?:you|u)(?:'ll| will| would|'d)?\s+(?:still\s+)?(?:remember|recall|know (?:me|us|who)"
    r"|recognise|recognize)\b)"
    # "I had a bounce-back and I'm not sure whether it went through": doubt about the delivery
    # of an earlier mail, which hedges nothing asked either.
    r"(?!\s+(?:if\s+|whether\s+)?(?:it|this|that|my (?:e-?mail|message|request|booking)|the"
    r" (?:e-?mail|message|request))\s+(?:ever\s+|actually\s+)?(?:went through|got through"
    r"|arrived|reached you|came through|was received|has arrived|has come through)\b)"
)
# Hedging anywhere in the sentence that asks: the request itself is not firm yet.
# "Maybe next time.", "perhaps another year": a hope for a later occasion, said beside a no or a
# yes; it puts no doubt on this one.
ANOTHER_OCCASION = (
    r"(?:maybe|perhaps|hopefully)\s+(?:at\s+|on\s+|for\s+)?(?:the\s+)?(?:next|another|some other"
    r"|a later|a future|other)\s+(?:time|year|occasion|run)s?\b"
)
_STRONG_HEDGE = re.compile(
    rf"\b(?!{ANOTHER_OCCASION})(?:maybe|perhaps|(?<!could i )(?<!can i )(?<!could you )"
    r"(?<!can you )(?<!would you )"
    rf"(?<!could we )possibly|{_PROBABLY}|provisional(?:ly)?|tentative(?:ly)?"
    rf"|not (?:yet )?sure{_NOT_MEMORY}"
    r"|tbc|to be confirmed|pencil(?:led)? (?:me|us|him|her|them) in (?:provisionally|for now)"
    r"|only if|on condition|on the condition)\b"
    rf"|{_APPROVAL_PENDING}"
    # "I think I can come, but I have a clinic visit that afternoon": a guess at being free.
    r"|\bi think (?:i|we)(?:'ll| will| can| could| should)(?: be able to)? (?:come|make|attend"
    r"|do|join|manage|be there|take)\b"
    # "Am I able to attend if I'm an associate member?": who they are is the condition.
    # ("add me if I'm not on it", "if we're not already booked": a place held already is the
    # desk's to tell, and it answers so; no hedge.)
    r"|\bif (?:i'm|i am|we're|we are|i was|we were) (?:an?|only|from|part of"
    r"|not(?! too late| (?:already )?(?:on|booked|registered|down|signed up|in)\b))\b"
    # A condition on something not yet decided: "if my manager OKs it", "if my leave gets
    # approved". ("if there's space" is no hedge: the waiting list answers it.)
    r"|\b(?:if|once|assuming|provided|pending|as long as|so long as|providing|subject to)\s+"
    r"(?:my|our|the|i|we|it|this|that|he|she|they)\b"
    r"[^.?!]{0,50}?\b(?:approv\w*|ok'?s|okays?|oks|agree\w*"
    # ("subject to my manager signing off the time": the same condition, in any tense.)
    r"|sign(?:s|ed|ing)? (?:it |this |that )?off|sign-off|allow\w*|permit\w*|go(?:es)? ahead"
    r"|confirm\w*|decide\w*|hear back|get back)\b"
    # "If you'd rather give it to someone who can do the whole thing, I understand": the
    # change is left to the coordinator's preference, not asked for.
    r"|\bif (?:you'd|you would|you) (?:rather|prefer)\b"
    # A condition on how another request turns out: "if May doesn't come through, move me to
    # October", "if I don't get a place on food": the change waits on the waiting list.
    r"|\b(?:if|in case|should)\s+[^.?!]{0,40}?\b(?:doesn't|does not|don't|do not|isn't|is not"
    r"|won't|will not)\s+(?:come through|work out|come off|come up|happen|get (?:a|the) place)\b"
    r"|\b(?:if|in case|should)\s+[^.?!]{0,40}?\bfalls? through\b"
    # "if nothing comes up on the food one", "only if the place doesn't materialise".
    r"|\b(?:if|in case|should)\s+nothing\s+(?:comes?|turns?|opens?|frees?)\s+(?:up|through)\b"
    r"|\b(?:if|in case|should)\s+[^.?!]{0,40}?\b(?:doesn't|does not|don't|do not|won't|will not)"
    r"\s+materiali[sz]e\b"
    # All or none: "if there's space for all four of us ... otherwise don't worry", "all three
    # or none of us". The desk would book some and put the rest on the waiting list.
    r"|\bif\b[^.?!]{0,30}\b(?:space|room|places|seats)\s+for\s+(?:all|each|every one)\b"
    r"|\ball\s+(?:(?:two|three|four|five|six|\d+)\s+)?(?:of us\s+)?or\s+(?:none|nothing|nobody"
    r"|no one|not at all)\b"
)
# Saying elsewhere in the mail that the decision is still to come: "I'll confirm once I've heard
# back", "should know in a couple of weeks", "not sure yet if I'll still be in this role".
DEFERRAL = guarded(
    # "I'll know for sure early next week and will confirm": the request waits on that.
    r"\b(?:i'll|i will|we'll|we will) (?:confirm|let you know|know(?: for (?:sure|certain)"
    r"| definitely)? (?:more|by|in|next|early|later|soon|tomorrow))\b|\band will confirm\b"
    r"|\b(?:should|will|won't|wont) (?:know|hear)(?: for sure)? (?:in|by|next|soon|later|more)\b"
    # (Not "I'm not sure if you remember me from the forum": the reader's memory, not the request.)
    rf"|\bnot (?:yet )?sure (?:yet )?(?:if|whether)\b{_NOT_MEMORY}|\b(?:don't|do not) know yet\b"
    r"|\b(?:waiting|still waiting) (?:to hear|for (?:approval|sign-off|confirmation))\b"
    rf"|{_APPROVAL_PENDING}"
)
# "My colleague might want to come too - I'll let you know": what waits is another place, later.
# "I'll let you know about the later ones once our budget is confirmed": other sessions wait,
# not the ones asked for.
MAYBE_ANOTHER = guarded(
    r"\b(?!i\b|we\b)[a-z]+\s+(?:may|might)\s+(?:also\s+(?:want|wish|like|be able)\s+to\s+"
    r"(?:come|attend|join)\b|(?:want|wish|like|be able)\s+to\s+(?:come|attend|join)\b"
    r"[^.?!]{0,10}?\b(?:too|as well|also)\b)"
    r"|\b(?:about|on|for|regarding|with)\s+(?:the\s+|any\s+)?(?:later|other|remaining|future"
    r"|rest of the|autumn|spring|summer|winter)\s+(?:ones|sessions|webinars|workshops|dates)\b"
    r"|\b(?:about|on|for|regarding|with)\s+the\s+(?:others|rest)\b"
)
# "So sorry, I have to cancel ... Hopefully I'll make the one in October instead, but I'll let you
# know nearer the time": beside a place given up, what waits is another session, taken in its
# place later; the cancellation itself is firm.
ANOTHER_INSTEAD = guarded(
    r"\b(?:make|come to|attend|join|do|catch|go to)\s+(?:it\s+to\s+)?(?:the\s+)?"
    r"[a-z0-9' ]{0,20}?\b(?:one|session|webinar|workshop)\b[^.?!]{0,30}?\binstead\b"
)
# A condition put on a yes or a request: "yes, as long as I can leave at 11?", "yes if it is
# recorded". One the coordinator must answer (asked as a question, or about a topic only the
# desk knows) leaves the answer open; "yes if it's online" (they are) or "as long as it's ok that
# I drop off at 11.15" only informs.
_CONDITION = guarded(
    r"\b(?:as long as|so long as|providing|provided that|only if)\b"
    r"|\b(?:yes|yep|yeah|happy to|i'll take it|i will take it)\b,?\s+(?:but\s+)?if\b"
)
_HEDGE = guarded(
    r"\b(?:might|may (?:have|need|not)|(?<!could i )(?<!can i )(?<!could you )(?<!can you )"
    rf"(?<!would you )(?<!could we )possibly|{_PROBABLY}"
    rf"|not (?:yet )?sure(?:\s+(?:if|whether))?{_NOT_MEMORY}"
    r"|not certain|"
    r"(?:i'm|i am|we're|we are) (?:thinking|considering)|tbc|to be confirmed|provisional(?:ly)?"
    r"|tentative(?:ly)?|in case|wondering whether|"
    # "to let you know she can't attend" informs; "I'll let you know" defers.
    r"(?:i'll|i will|we'll|we will|i can|can i|could i) let you know|will confirm|i'll confirm"
    r"|depending|if (?:i|we) can)\b"
)
# The parts of a sentence ("yes please - i may have to leave early"), and the words that put a
# condition on all of it ("..., if my manager agrees").
SUBCLAUSE = re.compile(r"\s+-\s+|;\s*|,\s+(?=(?:if|unless|provided|assuming|subject to"
                        r"|depending|pending|once)\b)")
_CONDITION_LEAD = re.compile(r"(?:if|unless|provided|assuming|subject to|depending|pending"
                             r"|once)\b")
# Asks something a seat change does not answer: hand it to the coordinator.
TOPIC_QUESTION = guarded(
    r"\b(?:record(?:ed|ing)s?|slides|joining (?:link|instructions|details)|the link|teams link|zoom"
    r"|cpd|"
    r"certificates?|invoice|cost|charge|fees?|free of charge|in person|in-person|venue|location|"
    r"agenda|materials from|leave early|join late|arrive late|the first (?:half|hour)"
    r"|part of the session|"
    r"the whole session|full session|accessib\w+|captions?|speakers?|presentations?|briefing note|"
    r"guidance notes?|newsletter|mailing list|calendar invite|reminder)\b"
)
# What our confirmation of a place carries: a question about it is answered by the yes.
CONFIRMATION_CARRIES = guarded(
    r"\b(?:joining (?:link|details|instructions)|the link|(?:teams|zoom) link|calendar invite"
    r"|an invite|the invite)\b"
)
# How a session is held: asked beside a change, a side question; asked before "if so, book me",
# a condition on it.
HOW_HELD = guarded(r"\b(?:online|in person|in-person|face to face|face-to-face|format|venue)\b")
# Whether the series runs again another year: "will there be another run of the furniture
# webinar next year?". Asked beside a change (a no to an offer above all), a side question: this
# year's place is settled either way. (Not "is there an afternoon repeat?": another time of this
# session, on which the answer may wait.)
ABOUT_LATER_RUNS = guarded(
    r"\b(?:next year(?:'s)?|the following year|another year|future years|next series"
    r"|another series|future series|next (?:year's )?(?:programme|cohort))\b"
)
# What a session covers and how to prepare for it: "is it going to cover office seating, or
# mostly timber?", "is there any pre-reading?". Asked beside a change, a side question; asked
# before "if so, book me", a condition on it. (Not "could Sam cover for me": a handover.)
ABOUT_CONTENT = guarded(
    r"\bcover(?:s|ed|ing)?\b(?!\s+(?:for|me|my|him|her|them|us|his|their)\b)"
    r"|\b(?:content|topics?|syllabus|pre-?reading|reading list|pre-?work|prep(?:are|aration)"
    r"|aimed at|case studies|examples)\b"
)
# "I'd rather not book five people and then have to cancel three of them later": what the
# writer would rather not do, and what would follow from it, supposed.
RATHER_NOT = re.compile(
    r"\b(?:rather|prefer(?: to)?) not\s+(?:to\s+)?(?:(?!\b(?:but|so|please)\b)[^,;]){0,60}$"
)


# A place given up inside a condition only supposes it: "understand if it's gone to someone
# else", "in case I can't make it". Not a polite ask ("if you could", "I wondered if I might").
_SUPPOSED = re.compile(
    r"\b(?:if|in case|unless)\b(?!\s+(?:you|possible|so|not|necessary|need be|needed"
    r"|(?:i|we) (?:could|might|may|can)|(?:it|that|this)(?:'s| is| would be| were) (?:at all )?"
    r"(?:possible|ok|okay|alright|all right|fine))\b)(?P<tail>[^,;:.?!]*)$"
)
# Where the condition has ended and the sentence's own ask begun: "sorry if this is short
# notice but I can't make it", "if that suits I'd like to cancel".
_MAIN_CLAUSE = re.compile(
    r"\b(?:but|so|then|i'd|i would|i'll|i will|i need|i have to|i must|please|could you|can you"
    r"|would you)\b|\s-\s"
)


def supposed(before: str) -> bool:
    """Whether the words before a phrase leave it inside an open condition. (The condition's own
    subject and verb, "I'll let you know if I have to drop out", "in case I need to cancel",
    open no main clause: only words after them do.)"""
    found = _SUPPOSED.search(before)
    if found is None:
        return False
    tail = found.group("tail").lstrip()
    return not any(m.start() > 0 for m in _MAIN_CLAUSE.finditer(tail))


# "Please put me down and I'll cancel if it doesn't work out": a change the sender says they
# will make themselves later, should something happen, asks nothing now. (Not "I'll cancel, if
# that's ok" nor "I will have to cancel if possible": a polite ask, firm.)
# The sender's own later act, its subject: "I'll (just)", "I can (always)".
_I_WILL = r"(?:i'll|i will|we'll|we will|i can)"
_MYSELF_LATER = r"\s+(?:just\s+|always\s+|simply\s+)?"
_OWN_LATER = re.compile(rf"\b(?:{_I_WILL}|we can){_MYSELF_LATER}$")
_LATER_IF = re.compile(
    r"\s+(?:(?:it|this|that|my place|me|us)\s+)?(?:later\s+)?(?:if|in case|should|unless)\b"
    r"(?!\s+(?:possible|necessary|needed|need be|you|(?:that|it|this)(?:'s| is| would be)"
    r" (?:ok|okay|alright|all right|fine|possible))\b)"
)


def promised_later(before: str, sentence: str, end: int) -> bool:
    """Whether the phrase ending at `end` is the sender's own later act, under a condition."""
    return bool(_OWN_LATER.search(before)) and bool(_LATER_IF.match(sentence, end))


# A condition only the desk can settle: "if it's going to be recorded, please cancel my place",
# "cancel me unless the slides are shared". ("if you could", "if possible" only ask politely.)
_IF = re.compile(
    r"\b(?:if|unless|provided|assuming|as long as)\b(?!\s+(?:you|possible|so|not|necessary"
    r"|need be|needed)\b)(?P<cond>[^,;.?!]{0,60})"
)
_BREAK = re.compile(r",|;|\s-\s")


def _on_a_desk_fact(sentence: str, at: int) -> bool:
    """The change asked at `at` hangs on something about the session (TOPIC_QUESTION): a
    condition before it in the sentence, or after it with no comma between."""
    for found in _IF.finditer(sentence):
        between = _BREAK.split(sentence[at : found.start()])
        if found.start() > at and len(between) > 1 and between[-1].strip():
            # "book me, and if there's a recording please send it", "- happy to pay if
            # there's a fee": a second clause, not a condition on the change ("cancel my
            # place, unless there's a recording" puts one on it)
            continue
        cond = _BREAK.split(found.group("cond"))[0]
        if found.start() < at < found.end():
            cond = sentence[found.start("cond") : at]
        if TOPIC_QUESTION.search(cond):
            return True
    return False


# "Book me on furniture unless my board meeting moves": the change waits on something. Not the
# waiting list's business ("unless it's full") nor a default ("unless I hear otherwise").
_UNLESS = guarded(r"\bunless\b(?P<tail>[^.?!]{0,40})")
_UNLESS_INFORMS = guarded(
    r"\b(?:full|fully booked|booked up|oversubscribed|no (?:space|room|places?)|too late"
    r"|necessary|otherwise)\b"
)


def _unless(sentence: str) -> bool:
    return any(not _UNLESS_INFORMS.search(m.group("tail")) for m in _UNLESS.finditer(sentence))


# The words that open a sentence after a question about the session: what follows waits on
# its answer.
HANGS_ON_THE_ANSWER = guarded(
    r"\W*(?:if so|if yes|if it is|if it will|if it isn't|if it won't|if not|if that's the case"
    r"|in that case|depending on)\b"
)


# A sentence after a request giving the other outcome: the request was one branch of two. (Not
# the waiting list's: "if not, please put me on the waiting list".)
OTHERWISE = guarded(
    r"\W*(?:otherwise|if not|failing that|or else|if that's not possible|if it isn't)\b"
    r"(?![^.?!]*\b(?:waiting ?list|wait-?list)\b)"
    # "... if I'm not on it, could you add me? If I am, ignore this!": both outcomes set out.
    r"|\W*if (?:i am|i'm|we are|we're|so)(?: already(?: on it| booked)?)?\b,?\s+(?:then\s+)?"
    r"(?:please\s+)?(?:just\s+)?(?:ignore|disregard)\b"
)


# The words that open one branch of a choice put before ("Will it be recorded? If so ... If not,
# please book me", "Book me on food. Otherwise ..."): what the sentence asks waits on it.
_BRANCH_LEAD = guarded(
    r"\W*(?:if so|if yes|if it is|if it will|if it isn't|if it won't|if it's not|if not"
    r"|if that's the case|in that case|depending on|otherwise|failing that|or else"
    r"|if that's not possible|if it does|if it doesn't|if they are|if they're|if it'll"
    # "If it's different material I'd like to come" (not "if it's not too late": a courtesy)
    r"|if it's(?!\s+(?:still\s+)?(?:too late|possible|ok|okay|alright|fine|open)))\b"
)


def opens_a_branch(sentence: str) -> bool:
    """The sentence is one branch of a choice put before it: "if so", "if not", "otherwise"."""
    return bool(_BRANCH_LEAD.match(sentence))


# A clause that is a condition and nothing else: "Only if the food place doesn't come through.",
# "Provided my manager agrees." It goes with the request before it.
_CONDITION_ONLY = guarded(
    r"\W*(?:only if|provided|providing|assuming|subject to|depending|pending|unless|if|once)\b"
)


def only_a_condition(clause: str) -> bool:
    """The clause opens with a condition word and asks nothing itself ("Provided my manager
    agrees."): it puts its condition on the request before it."""
    return bool(_CONDITION_ONLY.match(clause))


def condition_on(clause: str) -> str:
    """The condition or doubt a clause going on from a request puts on it, or "": a strong hedge
    ("only if ...", "provided my manager agrees") or a condition part ("- food, depending on my
    leave"). (Not "Sam may need to leave early": how someone comes, not whether; nor "If
    possible.", "if there's room": the waiting list answers that.)"""
    strong = _STRONG_HEDGE.search(clause)
    if strong:
        return strong.group(0)
    for part in SUBCLAUSE.split(clause):
        if _CONDITION_LEAD.match(part.strip()) and _HEDGE.search(part):
            return part.strip()
    return ""


def asks_a_desk_fact(question: str) -> bool:
    """A question about how the session is run (recorded, slides, online or in person) or what
    it covers (ABOUT_CONTENT): one only the desk can answer, so a request hanging on its answer
    waits for the coordinator. ("Is there still space?", "am I booked?" the booking itself
    answers.)"""
    return bool(
        TOPIC_QUESTION.search(question) or HOW_HELD.search(question)
        or ABOUT_CONTENT.search(question)
    )


# "I'd like it if I can leave at 11. If that's a problem, please give it to someone else": the
# change is asked only should the coordinator's answer to what came before be no. (Not "sorry if
# that's a problem": an apology.)
_IF_THAT_FAILS = re.compile(
    r"(?<!sorry )(?<!apologies )\bif (?:that|this|it)(?:(?:'s| is| would be| will be| were"
    r"| causes)\s+(?:(?:a|an|any)\s+(?:problem|issue|difficulty)|not (?:ok|okay|possible|allowed"
    r"|acceptable|feasible))|\s+(?:isn't|is not|wouldn't be|would not be|won't be)\s+(?:ok|okay"
    r"|possible|allowed|acceptable|feasible)|\s+(?:doesn't|does not|won't|will not)\s+work)\b"
    r"(?P<tail>[^.?!]*)$"
)


def on_a_failed_condition(before: str) -> bool:
    """Whether the words before a change make it the branch taken should something the
    coordinator must answer turn out badly ("if that's a problem, please cancel me")."""
    found = _IF_THAT_FAILS.search(before)
    return found is not None and " but " not in found.group("tail")


# "I'm off sick today and probably tomorrow too so please cancel my place", "I know I've
# probably missed the deadline but is there any chance of a place?": the likelihood is the
# reason's or the concession's, told before "so" or "but" opens the ask; the ask is firm.
_THEN_ASKS = re.compile(
    r"(?:,\s*|\s+)(?:and\s+)?(?:so|but)\s+(?=(?:please|pls|could|can|would|will you|is there"
    r"|any chance|i'd like|i would like|i need|i have to|i must)\b)"
)
_LIKELIHOOD = re.compile(rf"\b(?:{_PROBABLY}|maybe|perhaps|possibly)\b")
# The reason told is the sender's state ("I'm off sick", "I've missed the deadline"), not a wish
# or a doubt about coming ("I'm probably free so book me", "maybe food too, but ...": still
# tentative), nor a condition.
_STATE_TOLD = re.compile(r"\b(?:i|i'm|i am|i've|i have|i'll|i will|we|we're|we've|it's|it is)\b")
_NOT_A_STATE = re.compile(
    r"\b(?:want|wants|like|love|keen|come|coming|attend|attending|join|joining|book|register"
    r"|free|available|make it|be able|go|going|interested|also|as well|if|unless|provided"
    r"|only|as long as)\b"
)


def _reason_unhedged(sentence: str, at: int) -> str:
    """The sentence with the likelihood words of a reason told before the ask blanked out."""
    breaks = [m for m in _THEN_ASKS.finditer(sentence, 0, at) if m.end() <= at]
    if not breaks:
        return sentence
    cut = breaks[-1].start()
    before = sentence[:cut]
    if not _STATE_TOLD.search(before) or _NOT_A_STATE.search(_LIKELIHOOD.sub(" ", before)):
        return sentence
    return _LIKELIHOOD.sub(lambda m: " " * len(m.group(0)), before) + sentence[cut:]


# "... but please put me down and I'll cancel if it doesn't work out": after the ask, the
# sender's own later act and its condition, which put no doubt on the ask itself.
_OWN_LATER_ACT = re.compile(
    rf"\s(?:and\s+|-\s+)?{_I_WILL}{_MYSELF_LATER}(?:cancel|withdraw|drop out|pull out)\b[^.?!]*"
)


def hedged(sentence: str, at: int) -> bool:
    """Hedging in the clause that asks, or in a condition put on the whole sentence."""
    sentence = _reason_unhedged(sentence, at)
    later = _OWN_LATER_ACT.search(sentence, at)
    if later:
        sentence = sentence[: later.start()] + sentence[later.end():]
    if on_a_failed_condition(sentence[:at]):
        return True
    offset = 0
    for part in SUBCLAUSE.split(sentence):
        inside = offset <= at <= offset + len(part)
        offset += len(part) + 1
        if (inside or _CONDITION_LEAD.match(part.strip())) and _HEDGE.search(part):
            return True
    condition = _CONDITION.search(sentence)
    if condition and ("?" in sentence or TOPIC_QUESTION.search(sentence, condition.end())):
        return True
    if _on_a_desk_fact(sentence, at) or _unless(sentence):
        return True
    return bool(_STRONG_HEDGE.search(sentence))
