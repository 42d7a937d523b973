"""A group as the attendees: "book me and the team", "sign us up", "the same people as last
time". Without a list of who is in it, the desk asks who."""

from __future__ import annotations

import re

from mailflow.understanding.literals import guarded

# A group as the attendees: "book me and the team", "register our procurement team", "places
# for everyone". Without a list of who is in it, the desk asks.
_GROUP = (
    # "the whole of the soft fm procurement team", "me + 2 from my team".
    r"(?:(?:the|my|our)\s+(?:whole\s+(?:of\s+(?:the|my|our)\s+)?|entire\s+|wider\s+)?"
    r"(?:[a-z-]+\s+){0,3}?(?:team|department"
    r"|staff|unit|group|section|office)(?!\s*(?:meeting|leader|lead|manager)\b)"
    r"|everyone|everybody|all of us|the rest of (?:us|the team|my team|our team)"
    r"|(?:\d+|two|three|four|five|a few|some)\s+(?:others?\s+|more\s+|people\s+)?(?:from|of|in)"
    r"\s+(?:my|our|the)\s+(?:team|department|office|unit)"
    # "the same people as last time", "the usual group": people the desk is to remember.
    r"|the same (?:people|names|group|team|attendees|colleagues|ones|lot)"
    r"|the usual (?:people|names|group|team|attendees|crowd|suspects|lot))"
)
# "same people as we sent to logistics please": the attendees of an earlier booking, unnamed.
SAME_PEOPLE = (r"(?:the\s+)?same\s+(?:people|names|group|team|attendees|colleagues|delegates"
               r"|lot)\s+as\b")
_BOOKS_A_GROUP = guarded(
    rf"\b(?:book|register|sign up|enrol|put down|add|include)\s+(?:(?:me|myself)\s+(?:and|&"
    rf"|\+|plus)\s+)?{_GROUP}\b"
    rf"|\b(?:me|myself)\s+(?:and|&|\+|plus)\s+{_GROUP}\b|\b{_GROUP}\s+and\s+(?:i|me|myself)\b"
    # "a place for our team": one place, for whoever of the team is free, is no attendee either.
    rf"|\b(?:places?|seats?|spaces?|spots?)\s+for\s+(?:(?:me|myself)\s+and\s+)?{_GROUP}\b"
    # "we'd both like to come", "book us onto logistics": more than the sender, unnamed
    r"|\b(?:both of us|the two of us|the (?:three|four|five) of us|we(?:'d| would| are|'re)? both"
    r"|us both)\b|\b(?:book|register|sign|enrol|add|put)\s+us\b"
    rf"|\b{SAME_PEOPLE}"
    # "please cancel our places": more than one place, and whose?
    r"|\b(?:our|both our|all our) (?:places|bookings|seats|registrations)\b"
)


# "asked me to sign us up ... please could you add me to it?": "us" is the organisation, and
# the one place asked for is the sender's own.
_US = re.compile(r"(?:book|register|sign|enrol|add|put)\s+us")
_JUST_ME = guarded(r"\b(?:add|book|register|sign|put|enrol)\s+me\b(?!\s+(?:and|&|\+|plus)\b)")


# "A few of us went to the construction one", "the two of us found it really useful": people
# counted in what already happened, or in their view of it, ask for no places.
DID_TOGETHER = guarded(
    r"\s+(?:all\s+|both\s+)?(?:went|attended|came|enjoyed|joined|were at|have been|had|found"
    r"|thought|loved|liked|learned|learnt|benefited|benefitted)\b"
)


def books_a_group(text: str) -> bool:
    """The places asked for are a group's (who is in it unnamed): not when the only group is
    "us" and the sender then asks for their own place alone, nor a group said to have been to
    a session before."""
    found = [
        m.group(0) for m in _BOOKS_A_GROUP.finditer(text) if not DID_TOGETHER.match(text, m.end())
    ]
    if found and all(_US.fullmatch(f) for f in found) and _JUST_ME.search(text):
        return False
    return bool(found)
