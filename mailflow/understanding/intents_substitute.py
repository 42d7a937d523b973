"""A place passed on to someone else: the words people use (pattern, strength)."""

from __future__ import annotations

from mailflow.understanding.phrases import PLACE as _PLACE
from mailflow.understanding.phrases import SESSION_AHEAD as _SESSION_AHEAD

SUBSTITUTE: tuple[tuple[str, float], ...] = (
    (r"\bin my (?:place|stead)\b", 1.0),
    # "Priya will go in his place": someone else's place passed on by whoever writes.
    (
        r"\b(?:go|attend|come|join|be|put (?:[^.?!]|\.(?=\S)){1,80}?)\s+in (?:his|her|their)"
        r" (?:place|stead)\b",
        1.0,
    ),
    (r"\binstead of me\b", 1.0),
    # "please put me down instead of Tom": the sender takes the place of the one named.
    (r"\b(?:put|book|register|sign|add|have)\s+me\s+(?:down\s+|in\s+|up\s+|on\s+)?"
     r"(?:[^.?!\n]{0,40}?\s)?(?:instead of|in place of)\s+(?!me\b|myself\b|us\b)", 1.0),
    # "Please could her place go to Ben Okoro instead?"
    (
        r"\b(?:my|her|his|their) (?:place|seat|booking|spot) (?:could |can |should |to |may )?"
        r"(?:go|goes|be given|be passed|be transferred|pass(?:es)?) (?:on |over )?to\b",
        1.0,
    ),
    (rf"\b(?:take|have|use|fill|take over)\s+my\s+(?:[a-z]+\s+)?{_PLACE}(?!\s+back)", 1.0),
    # "Lina will take over all my places in the series - I'm booked on textiles, the October
    # workshop and furniture": every place, when the sentence goes on to name the sessions.
    (rf"\b(?:take|have|take over)\s+(?:all|both)\s+(?:of\s+)?my\s+{_PLACE}"
     rf"(?={_SESSION_AHEAD})", 1.0),
    # "Fola will take her place instead": a colleague's place passed on by whoever writes.
    (rf"\b(?:take|have|use|fill|take over)\s+(?:her|his|their)\s+{_PLACE}\b", 1.0),
    (r"\b(?:go|attend|come|join)\s+instead of (?:her|him|them)\b", 1.0),
    (rf"\btransfer\s+(?:my|the|our)\s+(?:[a-z]+\s+)?{_PLACE}", 1.0),
    # "Please change the name on my booking to Sam Reid".
    (
        r"\b(?:change|update|amend|switch)\s+(?:the\s+)?(?:name|attendee|delegate|person)\s+(?:on|for"
        r"|of)\s+(?:my|the|our)\s+(?:[a-z]+\s+)?(?:booking|registration|place|seat)\b",
        1.0,
    ),
    # "swap Ana Silva (ana.silva@...) for Peter": an address inside does not end the phrase.
    (r"\bswap\b(?:[^.?!]|\.(?=\S)){0,40}\b(?:place|with|for)\b", 1.0),
    (r"\bswap\b\s+(?:[a-z]+\s+){1,3}\((?:[^.?!()]|\.(?=\S)){3,80}\)\s+(?:for|with)\b", 1.0),
    # "please replace Sam Oduya (sam@...) with Jade", "replace him with Ruth": one named person's
    # place goes to another (not "replace the May date with October": a session word).
    (r"\breplace\s+(?!me\b|my\b|myself\b|it\b|this\b|that\b|the\b)(?:[^.?!]|\.(?=\S)){1,80}?"
     r"\bwith\b(?![^.?!]{0,30}\b(?:one|webinar|workshop|session|date)s?\b)", 1.0),
    # "Bea Moss (bea@...) will replace Ali Khan on the food webinar": the one named after it
    # gives the place up.
    (r"\b(?:will|'ll|to|can|could|is going to)\s+(?:be\s+)?replac(?:e|ing)\s+(?!me\b|my\b"
     r"|myself\b|it\b|this\b|that\b|the\b|him\b|her\b|them\b)[a-z]+\b", 1.0),
    # "could you swap in my colleague Ben": one person swapped in for the writer.
    (r"\b(?:swap|switch|sub)\s+in\s+(?:my|our|[a-z]+)\b", 1.0),
    # "My place on the 29 Oct workshop - please give it to Hannah (h@...) instead."
    (r"\b(?:give|pass|hand|transfer)\s+it\s+(?:over\s+|on\s+)?to\b[^?!]{0,80}?\binstead\b", 1.0),
    (r"\b(?:attend|go|come|join)\s+(?:on my behalf|instead)\b", 1.0),
    # "please cancel my October and furniture places - Lily Chen will take them instead": the
    # places held go to the one named (not "I'll take it instead": the writer).
    # (Nor "I checked whether Kasia could use it instead": a question, and no longer asked.)
    # ("Lily Chen (l.chen@...) will take it instead": after her address.)
    (r"(?:\b(?!(?:i|we|i'll|we'll)\b)[a-z]+|\))(?:\s+(?:will|is going to)|'ll)\s+(?:take|have)\s+"
     r"(?:it|them|those|both|the places?)\s+(?:over\s+)?instead\b", 1.0),
    # "Could you switch my place to my colleague Dan?": a held place moved to a colleague (not
    # "move my place to the October one": a session).
    (
        rf"\b(?:switch|move|change|swap)\s+(?:my|her|his|their)\s+{_PLACE}\s+(?:over\s+)?to\s+"
        r"(?:my|our|a)\s+(?:new\s+)?(?:colleague|team ?mate|manager|deputy|assistant|boss"
        r"|co-?worker|replacement|successor)\b",
        1.0,
    ),
    (r"\bsend(?:ing)?\s+(?:[^.?!]|\.(?=\S)){1,80}?\binstead\b", 1.0),
    (r"\b(?:replace me|replacing me|as my replacement|in my absence)\b", 1.0),
    # "please replace my name with my colleague Sam's".
    (r"\b(?:replace|swap|switch)\s+(?:me|my name|myself)\b[^.?!]{0,40}?\b(?:with|for)\b"
     r"(?![^.?!]{0,30}\b(?:one|webinar|workshop|session|date)s?\b)", 1.0),
    (
        rf"\b(?:give|giving|pass|passing|offer|offering|hand|handing)\s+(?:my|the|her|his|their)"
        rf"\s+{_PLACE}\s+(?:over\s+|on\s+)?"
        rf"to\s+"
        rf"(?!(?:whoever|someone|somebody|anyone|anybody|the|next|another|others?)\b)(?:my|our"
        rf"|[a-z]+)\b"
        r"(?! (?:else|on the|person))",
        0.9,
    ),
)
