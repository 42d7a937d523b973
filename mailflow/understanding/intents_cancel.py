"""A place given up: the words people use (pattern, strength), and the verbs of giving up."""

from __future__ import annotations

from mailflow.understanding.phrases import CANT as _CANT
from mailflow.understanding.phrases import OFF_THE_MAIL
from mailflow.understanding.phrases import PLACE as _PLACE

# Verbs of giving up, in two groups whose words differ because their meaning does:
# STRIKE_OUT gives up the thing it takes as object ("drop the food one", "scrap my booking");
# TAKE_OFF needs its "off"/"from"/"out of" to give anything up ("take me off", "cross him off
# the list": "take the food one" or "cross the road" alone is no giving up, so neither take,
# cross nor scratch is a verb of striking out).
STRIKE_OUT = r"(?:drop|scrap|ditch|axe|remove|delete|erase)"
TAKE_OFF = r"(?:remove|take|delete|strike|cross|scratch|drop|erase|pull)"

CANCEL: tuple[tuple[str, float], ...] = (
    (r"\bcancel(?:l?ing|lation)?\b", 1.0),
    (rf"\b{_PLACE}\s+(?:to be\s+|be\s+)?cancell?ed\b", 1.0),
    (
        rf"\b{_CANT}\s+(?:be\s+able\s+to\s+|be\s+)?(?:make|attend|come|join|be there|go|"
        r"be available|attending|coming|joining|participate|take part|do)\b"
        # "I won't be attending myself" (while booking colleagues) is no cancellation.
        # Nor is "he cannot attend himself" (while suggesting someone else goes).
        r"(?!\s+(?:myself|personally|himself|herself|themselves))",
        1.0,
    ),
    # "Feeling rough, won't be on tomorrow": on the call (not "on leave", "on the list", "on
    # time": where the sender will be, or how).
    (rf"\b{_CANT}\s+be\s+on\b(?=\s*(?:$|[.,;:!?-]|tomorrow\b|today\b|on\b|this\b|then\b"
     r"|it\b|that\b|the (?:day|call|webinar|session|workshop|training)\b))", 1.0),
    (r"\bsomething(?: urgent| else)? (?:has |'s |had )?(?:come|cropped) up\b", 1.0),
    (r"\b(?:withdraw|pull out|drop out|back out)\b", 1.0),
    (r"\bcount\s+(?:me|us)\s+out\b", 1.0),
    (
        rf"\b{TAKE_OFF}\s+(?:me|my name|myself"
        rf"|us|him|her|them|[a-z]+)\s+(?!{OFF_THE_MAIL})(?:off|from|out of)\b",
        1.0,
    ),
    # "please can you take Sam Dawson (sam.dawson@...) off the logistics list?": a person named
    # with their address between the verb and "off".
    (rf"\b{TAKE_OFF}\s+(?:[a-z'-]+\s+){{1,3}}\([^()\s]+@[^()\s]+\)"
     r"\s+(?:off|from|out of)\b", 1.0),
    # "could you drop the food session for me please?", "scrap the textiles one": a session
    # given up by a verb of giving up and its kind word (not "drop me a line", "drop in").
    (rf"\b{STRIKE_OUT}\s+(?:the|my|our)\s+"
     r"[a-z0-9' ]{0,30}?\b(?:webinar|workshop|session|one|course|event)s?\b", 1.0),
    # "could you remove my booking?"
    (rf"\b{STRIKE_OUT}\s+(?:my|our)\s+(?:[a-z]+\s+)?{_PLACE}", 1.0),
    # "I'll have to give my place up", "hand my seat back": the particle after the place.
    (rf"\b(?:give|hand)\s+(?:my|our|his|her|their)\s+{_PLACE}\s+(?:up|back)\b", 1.0),
    (rf"\bplease remove\b(?!\s+(?:me|us|myself|my name|my (?:e-?mail\s+)?(?:address|details))"
     rf"\s+{OFF_THE_MAIL})", 1.0),
    # "please release the furniture places for Liam and Dan": a session's word or two between.
    (
        rf"\b(?:release|give up|free up|give back|relinquish|hand back|vacate|forfeit)\s+(?:my|our"
        rf"|his|"
        rf"her|the|their|this|that)\s+(?:[a-z-]+\s+){{0,2}}?{_PLACE}",
        1.0,
    ),
    (rf"\bno longer\s+(?:need|require|want)\s+(?:my|the|a|our)\s+{_PLACE}", 1.0),
    # "No need to keep me on the waiting list any more": the place or the wait given up.
    (rf"\bno (?:need|point) (?:to|in) (?:keep|hold|holding|keeping)\s+(?:me|us|my\s+{_PLACE}"
     r"|our\s+places?)\b", 1.0),
    (r"\b(?:un|de)-?register\b", 1.0),
    (
        rf"\b(?:offer|give|pass|release)\s+(?:my|the"
        rf"|our)\s+{_PLACE}\b[^.?!]{{0,50}}?\bto\s+(?:someone|"
        r"somebody|the next|another|anyone|whoever|the waiting)",
        1.0,
    ),
    (r"\bclash(?:es|ing)? with\b", 0.75),
    (
        r"\b(?:move|switch|swap|transfer|change)\s+(?:me\s+|us\s+|my\s+(?:place|booking"
        r"|registration)\s+)?(?:from|off)\b",
        1.0,
    ),
    (r"^(?:cancellation|cancel)\s*[:-]", 0.8),
    # "can you let someone else have my place?", "... so someone else can have my place":
    # given up, to nobody named.
    (
        rf"\b(?:let|allow|give)\s+(?:someone|somebody|another person|the next person)(?: else)?"
        rf"\s+(?:to\s+)?(?:have|take|use)\s+(?:my|our)\s+{_PLACE}"
        rf"|\bso(?: that)?\s+(?:someone|somebody|another person|the next person)(?: else)?\s+"
        rf"(?:can|could|may|might|gets?)\s+(?:have\s+|take\s+|use\s+)?(?:my|our)\s+{_PLACE}",
        1.0,
    ),
    # "Please annul my registration", "I renounce my place": other languages' words for it.
    (
        rf"\b(?:annul|revoke|rescind|renounce|retract|void|scrap)\s+(?:my|our|the)\s+(?:[a-z]+\s+)?"
        rf"(?:{_PLACE}|participation|attendance|reservation)",
        1.0,
    ),
    # "Unfortunately I now can't - Ofsted inspection has been scheduled": the bare can't after a
    # word of regret, its clause ending there (not "but unfortunately I can't find the link").
    (r"(?<!\bbut )\b(?:unfortunately|sadly|regrettably|i'm afraid),?\s+i\s+(?:now\s+)?"
     r"(?:can't|cannot|can not|won't be able to)(?:\s+(?:now|any more|anymore))?\s*(?:[.;!-]|$)",
     1.0),
    # "I'm no longer available that day": the sender cannot come, put another way.
    (r"\b(?:i'm|i am|we're|we are|i'll be|i will be)\s+(?:no longer|not|now not)\s+(?:available"
     r"|free)\b", 1.0),
)
