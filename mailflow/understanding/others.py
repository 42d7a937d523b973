"""A place wanted by someone other than the sender: "it's my colleague who wants the textiles
one", "it's actually for my manager", "not for me but for my deputy", "I'm writing on behalf of
our director", "I won't attend myself", "please cancel my colleague's place".

One rule, read here: when the member's own words say the place asked for (or given up) is
someone else's, the sender's own place does not change. With that person's address they are
the one booked (or cancelled); without it the desk cannot know whose place it is, and asks.
Where the words also put the sender among those coming ("me and my colleague", "a place for my
deputy too"), the sender's place changes as well. Some words say it outright, whatever else the
mail asks ("it's my colleague who wants it", "not for me"); others only where the mail asks no
place of the sender's own ("I'm writing on behalf of my director", "a place for a colleague").
sender_included weighs, beside colleagues named with addresses, whether the sender is one of
them; places.py (bookings), whose.py (cancellations) and asks.py apply what this module reads.
"""

from __future__ import annotations

from mailflow.model import Intent, Person
from mailflow.understanding.clauses import Role
from mailflow.understanding.doubts import keeps_own_place
from mailflow.understanding.index import EventIndex, keyword_ids
from mailflow.understanding.literals import guarded
from mailflow.understanding.message import Message
from mailflow.understanding.people import AND_I, LISTED_ME, OWN_PLACE
from mailflow.understanding.phrases import CANT, PLACE
from mailflow.understanding.unaddressed import listed_by_name

# Someone the sender works with, by role: "my colleague", "our finance director", "a new
# starter in my team", "one of our buyers".
_ROLE = (
    r"(?:colleague|manager|boss|deputy|director|head|team ?mate|co-?worker|assistant|pa"
    r"|supervisor|starter|recruit|intern|apprentice|trainee|officer|buyer|lead|report|team"
    r"|staff|member of (?:my|our|the) team)s?"
)
_OTHER = (
    rf"(?:(?:my|our|a|one of (?:my|our|the))\s+(?:[a-z-]+\s+){{0,2}}?{_ROLE}\b"
    r"|(?:someone|somebody)\s+(?:else|from|in|on)\b)"
)
# Wanting a place, said of someone: "who wants", "who'd like to come", "who'll be attending".
_WANTS = (
    r"(?:wants|would like|needs|is keen|is hoping|is interested|wishes|hopes"
    r"|will be (?:attending|going|coming|joining)|will (?:attend|go|come|join)"
    r"|is (?:attending|going|coming|joining))\b"
)
# Words that say outright the place is someone else's, whatever else the mail asks.
_SAID_OUTRIGHT = guarded(
    # "it's actually for my manager", "the place is for my colleague", "this one is for our
    # new starter"
    rf"\b(?:it's|it is|this is|that's|that is|(?:the|this|that) (?:one|{PLACE}|request) is)\s+"
    rf"(?:actually\s+|really\s+|in fact\s+|just\s+|only\s+)?(?:for|on behalf of)\s+{_OTHER}"
    # "it's my colleague who wants the textiles one", "it's my manager who'll be attending"
    rf"|\b(?:it's|it is)\s+(?:actually\s+|really\s+)?{_OTHER}(?:\s+[a-z]+)?,?\s+(?:who|that)"
    rf"(?:\s+{_WANTS}|'(?:ll|d)\b)"
    # "not for me but for my deputy", "not me - my colleague"
    r"|\bnot (?:for )?(?:me|myself)\b,?\s*(?:but|-|,)\s*(?:for\s+|rather\s+)?"
    rf"(?:{_OTHER}|[a-z]+(?=\s*(?:[.,;!?(]|$|who\b|will\b|would\b|is\b)))"
    # "booking for Sam not me", "for my colleague, not for me"
    r"|\bfor\s+(?:[a-z'-]+[ ,]+){1,3}?(?:and\s+|but\s+)?not\s+(?:for\s+)?(?:me|myself)\b"
    # "the attendee will be my colleague", "my colleague is the one who wants to go"
    rf"|\b(?:the\s+)?(?:attendee|delegate|participant|person attending)s?\s*(?:will be|is|:)\s*"
    rf"{_OTHER}|\b{_OTHER}(?:\s+[a-z]+)?\s+(?:is|will be)\s+the one\b"
    # "please book me on food, and a place for my colleague too": someone else as well
    rf"|\b(?:for|on behalf of)\s+{_OTHER}(?:\s+[a-z]+)?\s+(?:too|as well)\b"
    # "my colleague will be attending rather than me"
    r"|\b(?:attending|going|coming|attend|go|come|join|joining)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:rather than|instead of)\s+(?:me|myself)\b"
)
# "He'd really like to come along too", "she would like a place on the food webinar", "my
# colleague is keen to attend": someone else wants a place, beside the sender or not.
_WANTS_A_PLACE = guarded(
    rf"\b(?:he|she|{_OTHER})(?:'d| would| will|'ll|'s| is)?\s+(?:really\s+|also\s+"
    r"|very much\s+|be\s+)?(?:like|love|want|wish|keen|interested|hoping)\s+(?:to\s+)?"
    r"(?:come|attend|join|go|be there|a (?:place|seat|spot)|in\s+(?:attending|joining|coming"
    r"|going|a (?:place|seat|spot)|this|that|it|the)\b)\b"
)
# Words that make the place someone else's where the mail asks none of the sender's own.
_SAID_OF_ANOTHER = guarded(
    # "I'm writing on behalf of my director", "I'm booking for our new starter", "please book
    # food - on behalf of my line manager" (not "thanks on behalf of the team")
    r"\b(?:writing|emailing|e-mailing|asking|booking|enquiring|registering|requesting"
    rf"|contacting you|reaching out)\s+(?:this\s+)?(?:on behalf of|for)\s+{_OTHER}"
    rf"|(?<!thanks )(?<!thank you )\bon behalf of\s+{_OTHER}"
    # "this is on behalf of Priya - food webinar please": someone named by one name
    r"|(?<!thanks )(?<!thank you )\bon behalf of\s+(?!(?:my|our|the|a|an|all|everyone|us|me"
    r"|myself)\b)[a-z'-]+(?=\s*(?:[-,.;:!?(]|$))"
)
# Whose the place is, said outright of a place given up: "my colleague's textiles booking",
# "her place on the food webinar", "it's my manager's".
_THEIR_PLACE = guarded(
    rf"\b(?:(?:my|our)\s+(?:[a-z-]+\s+)?{_ROLE}'s|her|his|their)\s+(?:[a-z-]+\s+){{0,2}}?"
    rf"{PLACE}\b"
    rf"|\b(?:it's|it is)\s+(?:actually\s+|really\s+)?(?:my|our)\s+(?:[a-z-]+\s+)?{_ROLE}'s\b"
)
# Words that make the place someone else's, of a place given up: "cancel the food webinar for
# my colleague", "my colleague can't make it after all".
_ANOTHERS_PLACE = guarded(
    rf"\bcancel\b[^.?!\n]{{0,60}}?\b(?:on behalf of|for)\s+{_OTHER}"
    rf"|\b{_OTHER}(?:\s+[a-z]+)?\s+(?:is\s+|has\s+|has been\s+|'s\s+)?(?:{CANT}|off sick|unwell"
    r"|on leave|left\b|leaving\b|double[ -]booked)"
)
# "I won't attend myself but ...", "I'm not able to come personally": the sender not coming.
NOT_MYSELF = guarded(
    r"(?:\bnot|n't|\bunable to|\bcannot)\b[^.?!;,]{0,25}?\b(?:attend|attending|join|joining"
    r"|come|coming|go|going|make it|be there)\s+(?:myself|personally)\b"
)
# "could you book a place on food for a colleague?": a place asked, by the words that ask,
# for someone the sender names by role.
_BOOKED_FOR = guarded(
    r"\b(?:book|register|reserve|enrol+|sign up|secure|get)\b[^.?!\n]{0,60}?\bfor\s+"
    rf"(?!(?:me|myself|us)\b){_OTHER}"
    # "food webinar please, for my director"
    rf"|,\s*for\s+{_OTHER}(?=\s*(?:[.!]|$))"
    # "please put my manager down for textiles", "get our new buyer onto it"
    rf"|\b(?:book|register|enrol+|sign up|sign|put|add|get|pop)\s+(?:in\s+|up\s+)?{_OTHER}"
)
# The sender asking a change of their own place: "book me on it", "places for us", "I'd like
# to come", "cancel me", "I can't make it", "I'm off sick".
_MINE = guarded(
    r"\b(?:book|register|sign|put|add|enrol+|reserve|include|count|cancel|remove|withdraw|take"
    r"|drop|strike)\s+(?:me|myself|us)\b"
    r"|\b(?:places?|seats?|spots?) for (?:me|us|myself)\b|\bfor myself\b"
    r"|\b(?:i|we)(?:'d| would)\s+(?:also |both |really )?(?:like|love)\s+to\s+(?:attend|join"
    r"|come|go|be there)\b"
    r"|\b(?:i|we)(?:'ll| will)\s+(?:also |both |still )?(?:attend|join|come|go|be there"
    r"|be attending|be coming|be joining)\b"
    r"|\b(?:i|we)(?:'m| am|'re| are)\s+(?:also |both |still )?(?:keen|hoping|planning"
    r"|interested|attending|coming|joining|going)\b"
)
# The sender unable to come, which makes a place given up their own: "I can't make it", "I'm
# off sick".
_I_CANNOT = guarded(
    r"\b(?:i|i'm|i am|i've|i have|i'll|i will|we|we're|we are)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:" + CANT + r"|off sick|unwell|on leave|away|double[ -]booked)"
)
# The sender among those coming beside someone else: "me and my colleague", "my manager and
# I", "the two of us", "a place for my deputy too".
_SENDER_TOO = guarded(
    r"\b(?:and i|i and|and me|me and|and myself|myself and|both of us|we both|we'd both"
    r"|the two of us|as well as me|along with me|with me|me too|me as well|me also"
    r"|(?:me|myself) included|including (?:me|myself)|too|as well|also)\b"
    r"|\band (?:for )?(?:me|myself)\b"
)
# "Please book Priya (priya@...) onto it. I'll be attending too.": the sender coming as well.
_COMING_TOO = guarded(
    r"\b(?:i'll|i will|i'm|i am|i'd|i would)\s+(?:also\s+)?(?:be\s+)?(?:like\s+to\s+)?"
    r"(?:attend|attending|come|coming|join|joining|go|going|be there)\b[^.?!\n]{0,20}?"
    r"\b(?:too|as well)\b"
)
_NOT_ME = guarded(r"\bnot (?:for )?(?:me|myself)\b|\b(?:rather than|instead of) (?:me|myself)\b")


def for_another(text: str, asking: str = "", giving_up: bool = False) -> str:
    """The words that say the place is someone else's, in the member's own words (normalised),
    or "". asking: the clauses that ask, where "book a place for a colleague" is said.
    giving_up: the mail gives a place up, which "I can't come myself" makes the sender's."""
    found = _SAID_OUTRIGHT.search(text) or (_THEIR_PLACE.search(text) if giving_up else None)
    if found is None and not _MINE.search(text) and not (giving_up and _I_CANNOT.search(text)):
        found = (
            _SAID_OF_ANOTHER.search(text) or _BOOKED_FOR.search(asking)
            or (_ANOTHERS_PLACE.search(text) if giving_up else NOT_MYSELF.search(text))
        )
    return found.group(0) if found else ""


def said_outright(text: str) -> str:
    """The words that say outright the place is someone else's ("it's actually for my
    colleague, not me"), whatever else the mail says, or "": an offer taken for them."""
    found = _SAID_OUTRIGHT.search(text)
    return found.group(0) if found else ""


def wanted_by_another(text: str) -> bool:
    """Someone else wants a place ("she would like a place", "my colleague is keen to come"),
    whatever the sender asks for themselves: without their address, the desk asks."""
    return bool(_WANTS_A_PLACE.search(text))


def instead_of_the_sender(text: str, asking: str = "", giving_up: bool = False) -> str:
    """The words that say the place is someone else's and not the sender's too, or "": "it's
    for my colleague (kim@...), not me" (not "a place for my colleague kim@... too")."""
    found = for_another(text, asking, giving_up)
    if found and _SENDER_TOO.search(text) and not _NOT_ME.search(found):
        return ""
    return found


def sender_included(msg: Message, intent: Intent, sender: Person, index: EventIndex) -> bool:
    """Beside colleagues named, whether the sender's own place changes too: "register me and
    Sam", "cancel my place and Sam's", the sender listed (not "I'm still coming, but please
    cancel Jo's place")."""
    own = msg.own
    if intent is Intent.REGISTER and NOT_MYSELF.search(own.text):
        return False  # "I am not able to attend myself, but could you register these two"
    if intent is Intent.CANCEL and keeps_own_place(own.text, lambda t: keyword_ids(t, index)):
        return False
    # Where the mail asks: "Sam and I were both booked" before "please cancel Sam's place"
    # only says how things stand.
    asking = own.role_text(Role.REQUEST) if intent is Intent.CANCEL else own.text
    own_place = intent is not Intent.REGISTER and OWN_PLACE.search(asking)
    listed = sender.email and (
        LISTED_ME.search(msg.own_body) or listed_address(msg.own_body, sender.email)
        or listed_by_name(msg.own_body, sender)
    )
    if not listed and not own_place and instead_of_the_sender(
        own.text, own.role_text(Role.REQUEST), giving_up=intent is not Intent.REGISTER
    ):
        return False  # "it's for my colleague (kim@...), not me": the sender's place stays
    return bool(msg.source.first_person or own_place or AND_I.search(asking) or listed or (
        intent is Intent.REGISTER and _COMING_TOO.search(own.text)
    ))


def listed_address(body: str, address: str) -> bool:
    """The sender's own address among the attendees' ("• Sam – sam@...", a table row): the
    body has lost its signature, so an address of theirs left in it lists them."""
    return address in body.lower()
