"""Reasons a careful coordinator would ask before changing a seat, each a named rule."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from mailflow.model import ForwardedMail, Intent
from mailflow.understanding.literals import guarded
from mailflow.understanding.names import fold
from mailflow.understanding.people import own_other_addresses
from mailflow.understanding.text import norm_text

# "writing from my personal email as my work laptop has died": which address is to be booked?
_OTHER_ADDRESS = guarded(
    r"\b(?:my|a|this)\s+(?:personal|private|home|own|gmail|hotmail|yahoo)\s+(?:e-?mail|address"
    r"|account|mail|inbox)\b"
    r"|\b(?:my|our)\s+(?:work|office|usual|normal)\s+(?:e-?mail|laptop|account|mailbox|address"
    r"|pc|computer)\s+(?:is|has|'s|isn't|is not)\s+(?:down|died|broken|not working|locked"
    r"|unavailable|playing up)"
    r"|\bour\s+(?:e-?mail|mail|system|network)\s+is\s+(?:down|not working)\b"
    # "writing from home as I can't get into work email"
    r"|\b(?:can't|cannot|can not|unable to)\s+(?:get into|access|log ?in to|get to)\s+(?:my\s+)?"
    r"(?:work|office)\s+(?:e-?mail|account|inbox|mailbox)\b"
    r"|\bno access to\s+(?:my\s+)?(?:work|office)\s+(?:e-?mail|account|inbox|mailbox)\b"
)
# "can you swap me to another one?": a move to a session the mail does not name.
_MOVE_UNNAMED = guarded(
    r"\b(?:swap|switch|move|transfer|change|put)\s+(?:me|us|my (?:place|booking|registration))"
    r"\s+(?:over\s+)?(?:to|onto|into|on|for)\s+(?:another|a different|a later|an other"
    r"|some other|the next available)\b"
)
# In reply to an offer: "my colleague could take it instead", "could someone from my team have
# it?" The offer was made to one person; who else may have it is the coordinator's call.
_OFFER_TO_SOMEONE_ELSE = guarded(
    r"\b(?:my|our)\s+(?:colleague|team(?:mate)?|deputy|assistant)\b[^?!\n]{0,80}?"
    r"\b(?:could|can|would|might|may|will)\s+(?:take|have|go|attend|use"
    # "my colleague Priya (priya@..., cc'd) would like the place if that's ok?"
    r"|(?:like|love|want)\s+(?:it|the place|the spot|this one|to (?:take|have|go|attend)))\b"
    # "Helen in our contracts team is keen, could she have it instead?", "please put her in
    # instead": the place asked for someone the words point at.
    r"|\b(?:could|can|may|might)\s+(?:she|he|they)\s+(?:please\s+)?(?:have|take|use)\s+(?:it"
    r"|the place|this|that|my place)\b|\b(?:could|can)\s+(?:she|he|they)\s+go\s+instead\b"
    r"|\b(?:put|book|register|sign|add|enrol+|pop)\s+(?:her|him|them)\s+(?:(?:in|on|up|down)\s+)?"
    r"(?:instead|in my place|in my stead)\b"
    # "could someone from my team have it?" (not "my manager is keen for someone from our
    # team to attend": the series, not this place)
    r"|\b(?:someone|somebody|one)\s+(?:from|in|on|of)\s+(?:my|our)\b[^.?!\n]{0,60}?"
    r"\b(?:take|have|use|go|attend|come)\b(?:\s+(?:it|this|that|the place|instead|in my place)\b"
    r"|[^.!\n]{0,30}\?)"
    # ("could my colleague Tom Hughes (tom.hughes@...) come too?": an address in brackets
    # beside the name counts as one word.)
    r"|\b(?:could|can|may|might)\s+(?:my|our)\s+(?:colleague|team(?:mate)?|manager|deputy"
    r"|assistant)\b(?:[^?!\n(]|\([^)\n]{0,80}\)){0,40}?\b(?:come|attend|join|have|take|go)\b"
    # "Yes - can I bring my colleague too?": a second place beside the one offered.
    r"|\b(?:bring|add|include)\s+(?:my|our|a)\s+(?:colleague|manager|team ?mate|deputy"
    r"|assistant|boss)s?\b"
    # "could you offer it to Lena in my team instead?": the place passed to someone named (not
    # "please give it to someone else", "pass it on to the next person": a plain no).
    r"|\b(?:offer|give|pass|hand|send|transfer)\s+(?:it|the place|this place|the spot|this one)"
    r"\s+(?:on\s+|over\s+)?to\s+(?!(?:someone|somebody|anyone|anybody|another|the next|next"
    r"|whoever|others?|other people|people|those|the (?:waiting|wait) ?list|the list)\b)[a-z]"
    # "Sam could have it" (not "I hope it goes to someone who can use it": that is a no).
    r"|\b(?!who\b|someone\b|somebody\b|anyone\b|i\b|else\b)[a-z]+\s+(?:could|can|may|might)\s+"
    r"(?:take|have|use)\s+it\b"
)
# The answer itself is still to come: "can I get back to you on Monday?", "I'd need to check
# with my manager", "pencil me in", "I might be able to do it", "will know nearer the time".
_UNDECIDED = guarded(
    r"\b(?:get|come) back to you\b"
    r"|\b(?:i'd|i would|i'll|i will|i) (?:need|have) to (?:check|ask|see|confirm)\b"
    r"|\bpencil(?:led)? (?:me|us|him|her|them) in\b"
    r"|\b(?:i|we) (?:might|may) be able to\b"
    r"|\b(?:will|should|'ll) know (?:nearer|closer|nearer to|closer to) the\b"
)
# "keep me on logistics but drop me from construction": one place stays, another goes.
_KEEP = guarded(
    r"\b(?:keep|leave) (?:me|us|my (?:place|booking)s?)\b|\bstill (?:come|attend|do)\b"
    # "I'm still fine for the evidence workshop, but please cancel the food one"
    r"|\b(?:i'm|i am|we're|we are) still (?:fine|ok|okay|good|happy|on|going|attending|coming"
    r"|booked|planning)\b"
)
_OFFER_ANSWERS = frozenset({Intent.ACCEPT_OFFER, Intent.DECLINE_OFFER})


# "Resending from my work address in case the one from my personal email got lost": this mail
# comes from the usual address; the other one named is where an earlier mail came from.
_FROM_USUAL = guarded(
    r"\b(?:writing|resending|re-sending|sending (?:this|it)(?: again)?|sent this|emailing)\s+"
    r"(?:again\s+)?from\s+(?:my|our)\s+(?:work|office|usual|normal|proper|main|nhs|council"
    r"|university|college)\s+(?:e-?mail|address|account|mailbox)\b"
)


def other_address(text: str, intent: Intent) -> str:
    if _OTHER_ADDRESS.search(text) and not _FROM_USUAL.search(text):
        return "says it writes from an address that is not their usual one: which is to be booked?"
    return ""


# "Not this time but keep me on the list for the next one?": a list place for a session the mail
# does not name (the next workshop? the next webinar?). Not "keep me in mind for the next one",
# which asks nothing, nor "keep me on the waiting list for the food webinar", which names it.
_LIST_FOR_UNNAMED = guarded(
    r"\b(?:keep|put|leave|add|have|pop)\s+(?:me|us)\s+(?:on|onto|in)\s+(?:the|your)\s+"
    r"(?:waiting\s+|wait\s+)?list\s+for\s+(?:the\s+)?(?:next|another|a later|a future"
    r"|the following|any future|future)\s+(?:one|ones|time|session|sessions|date|dates|round)\b"
)


def list_for_unnamed(text: str, intent: Intent) -> str:
    found = _LIST_FOR_UNNAMED.search(text)
    if found:
        return f'asks for a list place on a session it does not name: "{found.group(0)}"'
    return ""


def move_to_unnamed(text: str, intent: Intent) -> str:
    found = _MOVE_UNNAMED.search(text)
    if found:
        return f'asks to move to a session it does not name: "{found.group(0)}"'
    return ""


# "I did check whether my colleague could use it instead, but she has an audit that day": who
# else was asked, and could not, told as what happened; nobody is proposed. (Not "I wondered
# if my colleague could have it, but ...": a proposal put politely.)
_CHECKED_BUT = guarded(
    r"\b(?:checked|(?:did|have|had|'ve|'d)\s+(?:already\s+)?check(?:ed)?|asked|tried|enquired"
    r"|looked into)\s+(?:[a-z]+\s+){0,2}?(?:whether|if)\b[^.?!;\n]{0,120}?\bbut\b"
)


def offer_to_someone_else(text: str, intent: Intent) -> str:
    if intent not in _OFFER_ANSWERS:
        return ""
    checked = [m.span() for m in _CHECKED_BUT.finditer(text)]
    for found in _OFFER_TO_SOMEONE_ELSE.finditer(text):
        if not any(start < found.start() < end for start, end in checked):
            return "brings someone else into the answer to an offer made to the sender"
    return ""


# "I might also want the May workshop - let me come back to you on that one": what is still
# to be decided is a further session, beside the one asked for now; so are "the others" in
# "I'll come back to you about the others once I've got my head above water".
_ANOTHER_TO_DECIDE = guarded(
    r"\b(?:might|may|could) also\b|\balso (?:want|like|fancy|be interested)\b"
    r"|\b(?:about|on|regarding|re)\s+the\s+(?:others|other ones|other sessions|rest|remaining"
    r" ones|remaining sessions)\b"
)


# "I might be able to make the construction one - diary is a mess - but please put me down":
# the doubt conceded, the ask after "but" is firm.
_ASKS_ANYWAY = re.compile(
    r"[^.?!]{0,80}?\bbut\s+(?:please|pls|could you|can you|do)\s+(?:please\s+)?(?:put|book"
    r"|register|add|sign)\b(?![^.?!]*\b(?:provisionally|for now|tentatively)\b)"
)


def undecided(text: str, intent: Intent) -> str:
    for found in _UNDECIDED.finditer(text):
        # The sentence it stands in (a wrapped line goes on with it).
        begin = max(text.rfind(c, 0, found.start()) for c in ".?!") + 1
        ends = [i for i in (text.find(c, found.end()) for c in ".?!") if i >= 0]
        if _ANOTHER_TO_DECIDE.search(text[begin : min(ends, default=len(text))]):
            continue
        if _ASKS_ANYWAY.match(text, found.end()):
            continue
        return f'has not decided yet: "{found.group(0)}"'
    return ""


# Where the words of what is kept end: "keep me on textiles - furniture has moved to a
# colleague" keeps textiles only.
_KEEP_ENDS = re.compile(r" but |\s[-\u2013\u2014]\s|[;.?!\n]")


def kept_sessions(text: str, intent: Intent, kept: Callable[[str], frozenset[str]],
                  event_ids: Sequence[str]) -> frozenset[str]:
    """Sessions a cancellation says to keep ("keep me on logistics but drop construction").

    kept reads which sessions a stretch of text names; only the words right after "keep me
    on" count, and only when a cancel names more than one session.
    """
    if intent is not Intent.CANCEL or len(event_ids) < 2:
        return frozenset()
    return kept_named(text, kept) & set(event_ids)


def kept_named(text: str, kept: Callable[[str], frozenset[str]]) -> frozenset[str]:
    """The sessions the words keeping a place name ("... and leave me on logistics")."""
    found: frozenset[str] = frozenset()
    for match in _KEEP.finditer(text):
        found |= kept(_KEEP_ENDS.split(text[match.end() : match.end() + 40])[0])
    return found


# "Can Sam take my place at logistics? I'll go to the food one instead": the sender also means
# to attend another session, a second change beside the one asked ("I'll still be at the food
# webinar", "as planned", only keep a place they hold).
_ATTENDS = guarded(
    r"\b(?:i'll|i will|i'd like to|i would like to|i'm going to|i am going to)\s+"
    r"(?:go|attend|come|join)\b(?P<rest>[^.?!\n]{0,50})"
)
_AS_HELD = guarded(r"\b(?:still|as (?:planned|booked|arranged|before)|already)\b")


def attends_another(text: str, named: Callable[[str], frozenset[str]]) -> str:
    """A session the sender says they will attend, beside a place given up or passed on: a
    second change (or, if it is the same session, a contradiction)."""
    for found in _ATTENDS.finditer(text):
        rest = found.group("rest")
        sessions = named(rest)
        if sessions and not _AS_HELD.search(rest):
            return f"also says they will attend {', '.join(sorted(sessions))}"
    return ""


def keeps_own_place(text: str, named: Callable[[str], frozenset[str]]) -> bool:
    """"I'm still coming, but please cancel Jo's place": the sender keeps their own place. A
    keep that names a session ("keep me on logistics") only says which of theirs stays."""
    return any(
        not named(text[m.end() : m.end() + 40].split(" but ")[0]) for m in _KEEP.finditer(text)
    )


# Words of an organisation's name that say what kind of body it is, or where, not which one:
# "Camden" names the London Borough of Camden, "London" or "University" names no member.
_GENERIC_ORG_WORDS = frozenset({
    "london", "borough", "council", "city", "county", "district", "university", "college",
    "school", "partners", "partnership", "trust", "foundation", "group", "services", "housing",
    "association", "north", "south", "east", "west", "central", "royal", "national", "health",
    "hospital", "limited", "the", "and",
})


def _claims(name: str) -> list[str]:
    """What in a member's name says a writer works there: the whole name, and each word of
    it that is the member's own (not "London", "Council", "University")."""
    words = [w for w in re.findall(r"[a-z][a-z'-]+", name.lower())]
    own = [w for w in words if len(w) > 3 and w not in _GENERIC_ORG_WORDS]
    return [" ".join(words), *own]


# "I work in procurement at NHS North London Partners", "I'm in the transport team at Camden",
# "Paddy Nolan here (Camden fleet team)": the writer says where they work. (Not "a colleague at
# Camden passed on your announcement", nor "I advise several councils, including Camden".)
_SAYS_WORKS_AT = (
    # ("Im in procurement at Westbury": a phone drops the apostrophe.)
    r"\b(?:(?:i|we)(?:\s+|')(?:work|am|m|are|re|'m|'re)|im|iam)\b[^.?!\n]{{0,60}}?"
    r"\b(?:at|for|in|with|from)\s+(?:the\s+)?{org}\b"
    r"|\bhere\s*(?:\(|,|-|–)\s*(?:from\s+|at\s+)?(?:the\s+)?{org}\b"
    # "on leave & no access to my Westbury email": an address at the member called their own.
    r"|\bmy\s+(?:work\s+)?{org}\s+(?:e-?mail|address|account|inbox|mailbox)\b"
    # "I'm a consultant on a 12-month contract with the London Borough of Camden", "seconded to
    # Westbury", "my Camden manager suggested I attend": working there without being its staff
    # on paper, which is the coordinator's to weigh. (Not "we hold a contract with Camden".)
    r"|\b(?:on\s+(?:a|an)\s+(?:[\w-]+\s+){{0,3}}?(?:contract|secondment|placement|assignment)"
    r"|contracted|seconded|on\s+secondment|on\s+placement|on\s+loan)\s+(?:with|to|at|for|in"
    r"|into)\s+(?:the\s+)?{org}\b"
    r"|\bmy\s+{org}\s+(?:line\s+)?(?:manager|boss|supervisor|team|colleagues)\b"
)


def claims_a_member(
    text: str, signature: str, sender: str, domains: Sequence[str], names: Sequence[str],
    recipient: str = "",
) -> str:
    """A sender whose address is at no full member who says they work at one ("I'm in the
    transport team at Camden", a signature at NHS North London Partners, "my work address is
    jo@camden-council..."): the place is a
    member's staff's only if it is booked under their work address, which is the coordinator's
    to find. So is a reply in the thread of our message to a member's address (recipient).
    The reason, or "". A writer who says no such thing (or names a member only as
    someone else's, "a colleague at Camden passed this on") is simply not eligible."""
    domain = sender.rpartition("@")[2].lower()
    if not domain or any(domain == d or domain.endswith("." + d) for d in domains):
        return ""
    at = recipient.rpartition("@")[2].lower()
    if at and any(at == d or at.endswith("." + d) for d in domains):
        # An answer in the thread of our message to a member's address: written as that
        # member's staff (themselves from home, or someone for them).
        return (f"writes from {domain} in reply to our message to {recipient.lower()}: which "
                "address is to be booked?")
    for address in own_other_addresses(text):
        at = address.rpartition("@")[2]
        if any(at == d or at.endswith("." + d) for d in domains):
            return (f"writes from {domain} but gives {address} as their own: which address is to "
                    "be booked?")
    text, signature = text.lower(), signature.lower()
    for name in names:
        orgs = "|".join(re.escape(c) for c in _claims(name))
        if re.search(rf"\b(?:{orgs})\b", signature) or re.search(
            _SAYS_WORKS_AT.format(org=f"(?:{orgs})"), text
        ):
            return (f"writes from {domain} but says they work at {name}: which address is to be "
                    "booked?")
    return ""


# "Maybe - depends if I'm covering reception that week": a forwarded answer that is no yes.
_OPENS_UNSURE = guarded(r"^\W*(?:maybe|perhaps|possibly|not sure|depends|it depends)\b")


def hesitant_forward(
    forwards: Sequence[ForwardedMail], hedge: Callable[[ForwardedMail], str], asking: str,
    booked: Sequence[str],
) -> str:
    """"Can you put Jen and José down? See below." over José's "Maybe - I'll let you know": a
    colleague booked (by address, or by first name in the asking words) whose own forwarded
    mail has not said yes. hedge gives a forwarded mail's hedged sentence (its reading, dear:
    asked only of a mail whose writer is booked)."""
    words = set(re.findall(r"[a-z]+", fold(asking)))
    for part in forwards:
        address, name = part.sender, part.sender_name
        first = fold(name.split()[0]) if name.split() else ""
        if (address in booked or first in words) and (
            hedge(part) or _OPENS_UNSURE.search(norm_text(part.text))
        ):
            return f"{address}'s own mail, forwarded, only says maybe"
    return ""


# "I am an MSc Sustainable Supply Chains student at Westbury", "as a PhD student": places are
# for members' staff, and whether a member's student counts (the address may well be under the
# member's domain) is the coordinator's to decide. (Not "our student services team".)
_A_STUDENT = guarded(
    r"\b(?:i'm|i am|im|as)\s+(?:a|an)\s+(?:[\w-]+\s+){0,5}?student\b(?!\s+(?:services|union"
    r"|experience|support|records|accommodation|recruitment|finance|administration)\b)"
)


def says_a_student(text: str, intent: Intent) -> str:
    if intent not in (Intent.REGISTER, Intent.ACCEPT_OFFER):
        return ""
    found = _A_STUDENT.search(text)
    if found:
        return f'says they are a student, not a member\'s staff: "{found.group(0)}"'
    return ""


# "I'm honestly not sure she's free on the 10th, but could you book her anyway?": the sender
# doubts the colleague they book can come; whether to hold a seat is the coordinator's to ask.
_UNSURE_THEY_CAN = guarded(
    r"\b(?:not sure|unsure|no idea|don't know|do not know|can't say|not certain)\s+(?:if\s+"
    r"|whether\s+)?(?:she|he|they)(?:'s|'re|'ll| is| are| will| would| can| could)\s+"
    r"(?:be\s+)?(?:free|available|able to (?:come|make it|attend|join|do it)|make it|around)\b"
)


def unsure_they_can_come(text: str, intent: Intent) -> str:
    if intent not in (Intent.REGISTER, Intent.ACCEPT_OFFER, Intent.SUBSTITUTE):
        return ""
    found = _UNSURE_THEY_CAN.search(text)
    if found:
        return f'not sure the colleague booked can come: "{found.group(0)}"'
    return ""


# "Priya - can you take this instead of me? Let me know and I'll tell Suzanne": the place asked
# of the colleague, who has not yet said yes; the desk is not yet asked for anything.
_ASKED_OF_THE_COLLEAGUE = guarded(
    r"\b(?:can|could|would|will) you (?:please |possibly )?(?:take|have|go|attend|do|use|go to)"
    r"(?: (?:this|it|that|my place|my seat|my spot|the place|the session|the webinar))?"
    r"[^.?!\n]{0,30}?\b(?:instead|in my place|in my stead)\b"
    r"|\b(?:do|would) you (?:want|like) to (?:take|have|go)\b[^.?!\n]{0,30}?\binstead\b"
)

# "Suzanne - Marcus Bell will attend in my place", "please put her down instead": the desk is
# told the substitution as settled, beside the words to the colleague.
_TOLD_THE_DESK = guarded(
    r"\b(?:will|is going to|'ll) (?:now )?(?:attend|go|come|join"
    r"|take (?:it|this|my place|the place)|be (?:going|attending|coming))\b"
    r"|\bplease (?:put|book|register|transfer|swap|switch|change|move|add)\b"
)


def asked_of_the_colleague(text: str, intent: Intent) -> str:
    if intent is not Intent.SUBSTITUTE:
        return ""
    found = _ASKED_OF_THE_COLLEAGUE.search(text)
    if found and not _TOLD_THE_DESK.search(text):
        return f'asks the colleague, who has not yet agreed: "{found.group(0)}"'
    return ""


# Each rule reads the member's own words (normalised) and the intent found; a reason or "".
RULES: tuple[Callable[[str, Intent], str], ...] = (
    other_address,
    move_to_unnamed,
    list_for_unnamed,
    offer_to_someone_else,
    undecided,
    says_a_student,
    unsure_they_can_come,
    asked_of_the_colleague,
)


def doubts(text: str, intent: Intent) -> list[str]:
    """Every reason to ask, in rule order."""
    return [why for rule in RULES if (why := rule(text, intent))]
