"""Pieces the phrase patterns share: who is booked, what a place is called, cannot."""

from __future__ import annotations

WHO = (
    r"(?:me|myself|us|both of us|him|her|them|my colleagues?|my team|my manager"
    r"|[a-z]+ and (?:me|myself|i))"
)
PLACE = r"(?:place|seat|spot|space|booking|registration|ticket)s?"
# A place the member holds, as they speak of it: "my booking", "our places".
OWN_PLACE = rf"\b(?:my|our) {PLACE}\b"
# The same, of the person our message went to: "her place", "their bookings".
THEIR_PLACE = rf"\b(?:her|his|their) {PLACE}\b"
CANT = (
    r"(?:can't|cant|cannot|can not|won't|wont|will not|unable to|not able to|no longer able to|"
    r"not be able to|no longer be able to|not going to be able to|not going to|no longer|"
    r"am not able to|not be attending|not attend|not make)"
)
# "off your mailing list", "from this newsletter": the mail, left; no place.
OFF_THE_MAIL = (
    r"(?:off|from|out of)\s+(?:the\s+|your\s+|this\s+|our\s+|all\s+)?(?:[a-z]+\s+)?"
    r"(?:mailing|distribution|e-?mail|contact|circulation|newsletter|database|records?|system"
    r"|crm)\b"
)

# A session named a little further on ("... to the workshop on evidence skills"): what some
# wordings need before they ask for a place rather than for a newsletter or a supplier list.
SESSION_AHEAD = (
    r"(?:[^.?!]|\.(?=\S)){0,120}?\b(?:one|ones|webinars?|workshops?|sessions?|events?|training)\b"
)
