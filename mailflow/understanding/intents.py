"""What a text asks for: one named rule group per intent (pattern, strength)."""

from __future__ import annotations

import re
from functools import lru_cache

from mailflow.understanding import languages
from mailflow.understanding.groups import SAME_PEOPLE
from mailflow.understanding.intents_cancel import CANCEL as _CANCEL
from mailflow.understanding.intents_cancel import STRIKE_OUT as _STRIKE_OUT
from mailflow.understanding.intents_offer import ACCEPT, ACCEPT_IN_REPLY, DECLINE, DECLINE_IN_REPLY
from mailflow.understanding.intents_substitute import SUBSTITUTE as _SUBSTITUTE
from mailflow.understanding.literals import required_words
from mailflow.understanding.phrases import PLACE as _PLACE
from mailflow.understanding.phrases import SESSION_AHEAD as _SESSION_AHEAD
from mailflow.understanding.phrases import WHO as _WHO

# Phrases. Matched against lower-cased text with straight quotes; (pattern, strength).

# "my furniture booking", "our textiles registration": one word between the possessive and
# the noun (a lookbehind per word length, as a lookbehind has one width).
_OWN_NAMED_BOOKING = "".join(
    rf"(?<!{whose} [a-z-]{{{n}}} )" for whose in ("my", "our", "his", "her") for n in range(3, 15)
)
# A verb of giving up a place, which no booking without a verb of its own takes in ("could you
# drop the food one please"); not "drop in", "a drop-in session", "stop by". "Pull", "strike"
# and "withdraw" only give up with a particle or alone, so they join the test but not the group.
_GIVING_UP = (rf"\b(?:{_STRIKE_OUT}|pull|strike|withdraw)\b"
              r"(?![- ](?:in|by)\b)")

# "Suzanne, me pls", "hi suzanne, me and ... for logistics pls": a greeting or the name of whom
# the mail is written to, before a booking with no verb.
_ADDRESSED = r"(?:(?:hi|hello|hey|dear|morning|afternoon)\s+)?(?:[a-z]+\s*,\s*)?"
_REGISTER: tuple[tuple[str, float], ...] = (
    # "any chance I could join the furniture one?", "is it ok if I come along?", "is it possible
    # to still join the furniture webinar?"
    (
        r"\b(?:any chance|is it (?:ok|okay|alright|all right|possible|fine))"
        r" (?:(?:that |if )?(?:i|we) (?:could |can |might |may )?|to )"
        r"(?:also |still )?(?:attend|join|come|have a place"
        r"|get a place|get on(?:to| to)?|book|register|sign up|take part)\b",
        1.0,
    ),
    # "any chance of a place on the seafood one?", "book our team on the construction webinar"
    # ("is there any possibility of a place on next Wednesday's workshop?": the same.)
    (r"\bany (?:chance|possibility) (?:of|for) (?:a |getting a |me getting a |us getting )?"
     r"(?:place|seat|spot|space)s?\b", 1.0),
    # "any chance of squeezing me in?", "any possibility of fitting us onto the food one?"
    (r"\bany (?:chance|possibility|way) of (?:squeezing|fitting|slotting|popping|getting|adding"
     r"|booking|putting)\s+(?:me|us|myself)\s+(?:in|on|onto|on to|into)\b", 1.0),
    # A place asked for as a question: "is there any space left on logistics for me and tom?",
    # "could i add the october workshop too?", "would you mind popping me on the list for it?"
    (rf"\b(?:is there|are there|do you have|have you got)\s+(?:still\s+)?(?:any\s+|a\s+)?"
     rf"(?:{_PLACE}|room)\s+(?:left\s+|free\s+|available\s+)?[^.?!]{{0,50}}?\bfor\s+(?:me|us"
     rf"|myself|both of us)\b", 1.0),
    (r"\b(?:can|could|may)\s+(?:i|we)\s+(?:please\s+|also\s+)?add\s+(?:on\s+)?(?:the\s+|a\s+)?"
     r"(?:[a-z0-9'-]+\s+){0,4}?(?:webinar|workshop|session|one)s?\b", 1.0),
    (r"\b(?:would|do) you mind\s+(?:(?:just|also)\s+)?(?:booking|registering|adding|signing"
     r"|putting|popping|sticking|enrolling|reserving|including|pencilling|squeezing|fitting"
     r"|slotting|getting)\s+(?:me|us|myself|him|her|them)\b", 1.0),
    (r"\b(?:book|register|sign up|enrol|put down)\s+(?:our|my)\s+(?:whole\s+)?(?:team|staff"
     r"|department|group|unit)\b", 1.0),
    (rf"\b(?:book|register|enrol+|enroll|reserve|secure|save|include)\s+{_WHO}\b", 1.0),
    (
        r"\b(?:book|register|enrol+|enroll)(?:\s+(?:me|us|myself|him|her|them))?\s+(?:in|on|onto"
        r"|on to|into|for)\b",
        1.0,
    ),
    (r"\bsign\s+(?:me|us|myself|him|her|them|[a-z]+)?\s*up\b", 1.0),
    (
        r"\b(?:put|pop|stick|jot|pencil)\s+(?:me|us|my name|our names|him|her|them|[a-z]+)"
        r"\s+down\b",
        1.0,
    ),
    # "could my colleague Megan (megan@...) come along too?"
    (
        r"\b(?:can|could|may|might)\s+(?:my|our)\s+[^?!]{0,100}?\b(?:attend|join|come|come along"
        r"|take part|be (?:booked|registered|added))\b",
        1.0,
    ),
    # (Neither it nor the dates-and-a-please below takes in a verb of giving up.)
    # A bare "<session> one pls" from a phone: naming a session and asking is a booking; so is
    # the same after a "but" that turns from one left out ("I'm not interested in the furniture
    # one (we don't buy much), but the linen/uniforms one please").
    (
        rf"(?:^|(?<=\bbut ))(?![a-z0-9'/ -]{{0,30}}?{_GIVING_UP})"
        r"(?:the\s+)?[a-z0-9'/ -]{2,30}\b(?:one|webinar|workshop|session)s?"
        r"\s+(?:please|pls|plz)\b(?!\s+(?:keep|leave|hold|don't|do not)\b)",
        0.8,
    ),
    # "webinar 7 please", "sorry, can't remember if I asked - workshop 3 pls": a session by
    # its number and a please, opening the sentence or the part after a dash or colon.
    (
        r"(?:^|(?<=\s-\s)|(?<=[:;]\s)|(?<=\s-)|(?<=[:;]))(?:the\s+)?(?:webinar|workshop"
        r"|session)s?\s*(?:no\.?\s*"
        r"|number\s+|#\s*)?[1-7](?:\s*(?:,|and|&|\+|-|to)\s*[1-7])*\s*,?\s*(?:please|pls|plz)\b",
        0.8,
    ),
    # "Same again for the next one please": the booking of before, asked for again.
    (rf"\bsame again\b(?={_SESSION_AHEAD})", 0.8),
    # "All seven please!", "both of them pls": every session of a kind, and a please.
    (
        r"^(?:all|both|every one)\s+(?:of\s+)?(?:the\s+|them\s+)?[a-z0-9' -]{0,40}?"
        r"(?:please|pls|plz)\b",
        0.8,
    ),
    # "could I have my place back?": booking again after a cancellation.
    (rf"\b(?:have|get|give me|put me)\s+(?:my|our)\s+{_PLACE}\s+back\b", 1.0),
    # "could you please reinstate my place", "restore my booking", "put me back on it".
    (rf"\b(?:reinstate|re-instate|restore)\s+(?:me|us|myself|my|our)\b(?:\s+{_PLACE})?", 1.0),
    (r"\b(?:put|add|book)\s+(?:me|us)\s+back\s+(?:on|onto|in|into|down)\b", 1.0),
    # "we'd like three of us from procurement on the first two sessions": places asked for.
    (
        r"\b(?:i|we)(?:'d| would)\s+(?:also\s+)?like\s+(?:(?:two|three|four|five|six|[2-9])"
        r"\s+(?:of us|places|seats|spaces)|a place|places)\b[^.?!]{0,60}?\b(?:on|for|at|in)\b",
        1.0,
    ),
    # "I would like two members of my team to attend": places for others.
    (
        r"\b(?:i|we)(?:'d| would)\s+(?:also\s+)?like\s+(?:[a-z]+\s+){1,6}?to\s+(?:go|attend|join"
        r"|come|be booked|be registered|have (?:a )?places?)\b",
        1.0,
    ),
    # "me pls", "me too please": under a subject that names the session.
    (rf"^{_ADDRESSED}(?:me|myself|me too|me as well|and me)\s*(?:please|pls|plz)?\W*$", 0.8),
    # "me please - construction", "me pls: the food one", "me please - both of the evidence
    # skills workshops (may and october)": the same, naming the session after.
    (rf"^{_ADDRESSED}(?:me|myself|me too|me as well|and me)\s*(?:please|pls|plz)\s*[-:,]\s*"
     r"[a-z0-9' ]{2,40}(?:\([a-z0-9' ,&/+-]{2,40}\))?\W*$", 0.8),
    # "me + jo marsh (jo@...) for furniture pls": the sender and others by address, a session,
    # a please; a phone's booking with no verb.
    (rf"^{_ADDRESSED}(?:me|myself)\s*(?:\+|&|,|and|plus)\s*[^?!\n]{{0,80}}?@"
     r"[^?!\n]{2,80}?\bfor\s+(?:the\s+)?"
     r"[a-z0-9' -]{2,40}?\s*,?\s*(?:please|pls|plz)\b", 0.8),
    # "food webinar 25/6 - me + sam.lee@... please", "furniture x2 - me and mo@... pls": the
    # same with the session first, then a dash and whom it is for.
    (rf"^(?![a-z0-9'/. -]{{0,40}}?{_GIVING_UP})[a-z0-9'/. -]{{2,40}}?\s*[-:]\s*(?:me|myself)"
     r"\s*(?:\+|&|,|and|plus)\s*[^?!\n]{0,80}?@[^?!\n]{2,80}?\s*,?\s*(?:please|pls|plz)\b", 0.8),
    # "29.1. and 10.12. please": dates or session words and a please, nothing else.
    (
        # (Not "drop textiles and the food one please": a verb of giving up is no booking.)
        r"^(?=[^a-z]*\d|.*\b(?:webinar|workshop|session|one)s?\b)"
        rf"(?![a-z0-9'./&, -]{{0,50}}?{_GIVING_UP})[a-z0-9'./&, -]{{2,50}}?"
        r"\s*(?:please|pls|plz)\W*$",
        0.8,
    ),
    # A subject that is a form label: "Register: Logistics 28 March".
    (r"^(?:registration|register|booking|book me)\s*[:-]", 0.8),
    # ... or names the session first: "Food webinar registration", "RESEND: Logistics webinar
    # booking" (a label, not "I'll keep my food webinar booking").
    (
        r"(?:^|(?<=: )|(?<=:))(?![^\n]*\b(?:i|me|my|we|us|our|you|your|his|her|their|keep"
        r"|cancel\w*|change|not|no)\b)"
        r"(?:the\s+)?[a-z0-9 ()&/+-]{2,50}?\b(?:webinar|workshop|session)s?\s+"
        r"(?:registration|booking|sign-?up)s?(?:\s+request)?\W*$",
        0.8,
    ),
    (r"\b(?:add|include)\s+(?:me|us|my name|our names|myself)\b", 1.0),
    (r"\bcount\s+(?:me|us)\s+in\b", 1.0),
    (
        r"\b(?:grateful for|happy to|glad to|delighted to|pleased to)\s+"
        r"(?:attend|join|come|take part|have a (?:place|seat|spot)|a (?:place|seat|spot))\b",
        1.0,
    ),
    (r"\b(?:put|add)\s+(?:me|us|my name)\s+(?:on|to)\s+the\s+(?:waiting ?list|wait-?list)\b", 1.0),
    (
        rf"\b(?:book|reserve|secure|save|request|grab|hold|like|want|need|have|get)\s+(?:me\s+"
        rf"|us\s+)?"
        rf"(?:a|one|two|three|\d|a further|another)\s+{_PLACE}",
        1.0,
    ),
    (
        r"\b(?:i|we)(?:'d| would| am|'m| are|'re| will|'ll)?\s+(?:very |really |also |both )?"
        r"(?:like|love|keen|hoping|hope|want|wish|interested|eager|planning|plan|looking)\s+"
        r"(?:to\s+|in\s+|on\s+|forward to\s+)?(?:attend|attending|join|joining|come|coming|register"
        r"|"
        r"registering|book|booking|participate|participating|take part|taking part|sign up|be there"
        r"|enrol)\b",
        1.0,
    ),
    (
        r"\b(?:can|could|may|might)\s+(?:i|we)\s+(?:please\s+|also\s+|still\s+)?(?:attend|join|come|register"
        r"|book|"
        r"have|get|reserve|sign up|grab|take|go on|go to|be (?:registered|booked|added"
        r"|signed up))\b",
        1.0,
    ),
    # (Not "I want to get them in the new academic year diary": the sessions, into a diary.)
    (
        r"\b(?:squeeze|fit|slot|get|pop)\s+(?:me|us|him|her|them)\s+(?:in|on|onto|on to|into"
        r"|a place)\b(?!\s+(?:the\s+|my\s+|our\s+|your\s+)?(?:[a-z-]+\s+){0,3}?(?:diary"
        r"|diaries|calendars?|planner|schedule)\b)",
        1.0,
    ),
    (
        r"\b(?:be|get|been)\s+(?:registered|booked|signed up|enrolled|added|put down|pencilled in"
        r"|penciled in)\s+(?:on|onto|for|to"
        r"|in)\b",
        1.0,
    ),
    (
        # ("could you please also add ...": its courtesy words in any number)
        r"\b(?:could|can|would|will)\s+you\s+(?:(?:please|kindly|also|just)\s+){0,3}(?:book"
        r"|register|add|sign|"
        r"put|pop|stick|enrol|reserve|include|secure|save|pencil|squeeze|fit|slot|get)\b",
        1.0,
    ),
    # "could I please ask you to register these two colleagues:", "may I ask you to book me"
    (
        r"\bask\s+you\s+(?:(?:please|kindly|also)\s+){0,2}(?:if you could\s+|to\s+)(?:please\s+)?"
        r"(?:book|register|add|sign|put|enrol|reserve|include)\b",
        1.0,
    ),
    (
        r"\b(?:please|pls|kindly)\s+(?:could you\s+|can you\s+)?(?:book|register|add|sign|put|enrol"
        r"|"
        r"reserve|include|secure|save|pencil)\b",
        1.0,
    ),
    # ... "I can't do May but would love a place on the second one": the subject left out.
    (r"(?:\b(?:i|we)(?:'d| would)|(?:(?<=\bbut )|(?<=\band )|(?<=\bso ))would)\s+"
     r"(?:really\s+)?(?:like|love|welcome|appreciate|value)\s+(?:a\s+)?(?:place|seat"
     r"|spot)s?\b", 1.0),
    # "Both the textiles and the furniture sessions for me please".
    (r"\b(?:one|ones|webinars?|workshops?|sessions?)\s+for (?:me|us|myself|both of us)\s*,?\s*"
     r"(?:please|pls|plz)\b", 0.8),
    # "Definitely food for me please": a session's word or two alone, opening the sentence.
    (r"^(?:(?:definitely|just|only|so)\s+)?(?:the\s+)?[a-z-]+(?:\s+[a-z-]+)?\s+for (?:me|us"
     r"|myself)\s*,?\s*(?:please|pls|plz)\b", 0.8),
    # "... and would love to attend the food webinar": the wish, whoever its subject. (Not
    # "I'll leave it to them to get in touch if they'd like to come along": a wish supposed.)
    (
        r"(?<!\bif they)(?<!\bif they )(?<!\bif she)(?<!\bif she )(?<!\bif he)(?<!\bif he )"
        r"(?<!\bif you)(?<!\bif you )"
        r"\b(?:would|'d)\s+(?:really\s+|very much\s+|also\s+|both\s+|all\s+)?(?:love|like"
        r"|be keen|be glad"
        r"|be happy|be delighted)\s+to\s+(?:attend|join|come|go to|go on|register|book"
        r"|take part|participate|do (?=the|both|this|that|all|each)\b)"
        # "... and would be interested in attending the logistics webinar on 28 March"
        r"|\b(?:would|'d)\s+(?:really\s+|very\s+|also\s+)?be\s+(?:very\s+)?interested\s+in\s+"
        r"(?:attending|joining|registering|taking part|participating)\b",
        1.0,
    ),
    (r"\bregister (?:my|our) interest\b", 0.8),
    (rf"\b{SAME_PEOPLE}[^.?!]{{0,60}}?\b(?:please|pls|plz)\b", 0.8),  # the group asks who
    # Attendees sent: "Please find attached the names from our team for the furniture webinar",
    # "Here are our bookings for the summer sessions:" before the rows that list them.
    (r"\b(?:attached|enclosed)\s+(?:are\s+|is\s+)?(?:the\s+|our\s+|my\s+)?(?:names|nominations"
     r"|attendees|delegates|list of (?:names|attendees|delegates|staff|people))\b[^.?!]{0,60}?"
     r"\bfor\b|\b(?:here are|here's|here is|below are|these are)\s+(?:our|my|the)\s+(?:[a-z]+\s+)?"
     r"(?:bookings|registrations|nominations|attendees|delegates)\s+for\b", 0.8),
    # "I write you to ask for my registration in the session about textiles": a place asked.
    (r"\b(?:ask|asking|request|requesting)\s+(?:you\s+)?for\s+(?:my|our|a|an)\s+(?:registration"
     r"|inscription|enrolment|enrollment)s?\s+(?:in|on|onto|for|to|at)\b", 1.0),
    # "booking for" names a new booking, not "cancel my booking for ...", nor "my furniture
    # booking for December" (a booking of one's own, named).
    (
        r"\b(?<!my )(?<!our )(?<!the )(?<!remaining )(?<!existing )(?<!current )(?<!these )"
        + _OWN_NAMED_BOOKING +
        # "bookings from the procurement office for webinar 1:": whose bookings, then for what.
        r"(?:registration|booking)s?(?: request)?(?: from (?:the|our|my) (?:[a-z-]+ ){0,3}?"
        r"(?:office|team|department|unit|service|group|section))? for\b",
        0.8,
    ),
    (r"\bi(?: will| shall|'ll) (?:attend|join|be attending|be joining|be coming to)\b", 0.8),
    # "I wonder if I might join the food webinar?": a polite booking, not a question.
    (
        r"\b(?:wonder|wondering|wondered) (?:if|whether) (?:i|we) (?:could|might|may|can)"
        r" (?:please |also )?(?:attend|join|come|register|book|have|get|sign up"
        r"|be (?:booked|registered|added))\b",
        1.0,
    ),
    # "Four from my team for the furniture webinar please": places counted, and a please.
    (
        r"\b(?:two|three|four|five|six|seven|eight|[2-9]|1[0-5])\s+(?:of us\s+|people\s+"
        r"|colleagues\s+|staff\s+)?(?:from|in|of)\s+(?:my|our)\s+(?:team|department|office|unit"
        r"|service)\b[^.?!]{0,60}?\b(?:please|pls|plz)\b"
        # "Five from Camden for the logistics webinar please:": counted from the organisation.
        r"|\b(?:two|three|four|five|six|seven|eight|[2-9]|1[0-5])\s+(?:people\s+|colleagues\s+"
        r"|staff\s+)?from\s+(?!the\b)(?:[a-z&'-]+\s+){1,3}?for\s+(?:the\s+)?(?:[a-z0-9&()'-]+\s+)"
        r"{0,6}?(?:webinar|workshop|session|one)s?\b[^.?!]{0,20}?\b(?:please|pls|plz)\b",
        1.0,
    ),
    # "Names for the Food (frozen seafood) webinar in June below.": the list that follows is
    # of those to book.
    (rf"^\W*(?:the\s+|our\s+)?(?:names|nominations|nominees|attendees|delegates)\s+for\b"
     rf"(?={_SESSION_AHEAD})[^.?!]{{0,80}}?\b(?:below|as follows|are:|:\s*$)", 1.0),
    # "Am I able to attend the furniture webinar?", "are we allowed to join?"
    (
        r"\b(?:am i|are we|would i be|would we be|is it ok(?:ay)? for (?:me|us) to|am i allowed"
        r"|are we allowed)\s+(?:able|allowed|welcome|ok|okay)?\s*to\s+(?:attend|join|come|register"
        r"|book|take part|participate)\b(?!\s+(?:for\s+|in\s+|on\s+)?(?:any|all|these|those|them"
        r"|such|webinars|workshops|sessions|events|the series)\b)",
        1.0,
    ),
    # "Would it be OK for me to go to the LUPC textiles webinar?" (to a manager, forwarded on),
    # "would be great if we could both go": the asker's own place, asked or wished for.
    (
        r"\b(?:would it be|is it) (?:ok|okay|alright|all right|fine) (?:for (?:me|us) to "
        r"|if (?:i|we) (?:could |can |might )?)(?:go|attend|join|come)(?: along)? (?:to|on)\b"
        rf"(?={_SESSION_AHEAD})"
        r"|\b(?:would|'d) be (?:great|lovely|good|brilliant|fantastic|ideal) if (?:i|we) (?:could"
        r"|can) (?:both |all )?(?:go|attend|join|come)\b",
        1.0,
    ),
    # "Would I be able to join the textiles webinar?", "is there a place for me?": a yes/no
    # question that asks for the asker's own place is the request itself.
    (
        r"\b(?:would|will|could|can|might)\s+(?:i|we)\s+(?:still\s+|also\s+)?be\s+able\s+to\s+"
        r"(?:attend|join|come|register|book|have a place|get a place|take part|participate)\b"
        r"(?!\s+(?:for\s+|in\s+|on\s+)?(?:any|all|these|those|them|such|webinars|workshops|sessions"
        r"|events|the series)\b)",
        1.0,
    ),
    (
        r"\b(?:is|are|would|will) there (?:be )?(?:still )?(?:a|any|one|room|space)\s*"
        r"(?:place|seat|spot|space)?s?"
        r"\s+(?:left\s+|available\s+|free\s+|going\s+)?for (?:me|us|myself)\b",
        1.0,
    ),
    # "I am writing to ask two places for the webinar", "I ask for a place on...".
    (
        rf"(?:\b(?:write|writing|like|want|wish) to"
        rf"|(?<!before )(?<!until )(?<!when )(?<!once )(?<!if )\b(?:i|we)(?: kindly)?"
        rf"|\b(?:i'm|i am|we are|we're))\s+(?:ask|asking|request|requesting)"
        rf"\s+(?:you\s+)?(?:for\s+)?(?:a|one|two|three|four|\d)\s+{_PLACE}\b(?={_SESSION_AHEAD})",
        1.0,
    ),
    # "Is it too late to get onto next week's session?": asks for the place itself.
    (
        r"\b(?:too late|still (?:time|possible)|any chance)\s+(?:for (?:me|us)\s+)?to\s+get"
        rf"\s+(?:on|onto|on to|into|in on|a {_PLACE} on)\b(?={_SESSION_AHEAD})",
        1.0,
    ),
    # "Is it too late to add my colleague? omar@...": asks for the colleague's place itself.
    (rf"\b(?:too late|still (?:time|possible))\s+to\s+(?:add|book|register|include|squeeze in)"
     rf"\s+{_WHO}\b", 1.0),
    # "Is it too late to book the evidence workshop on the 29th?": the session itself, booked.
    (r"\b(?:too late|still (?:time|possible))\s+to\s+(?:book|register|sign up|enrol)\s+"
     r"(?:(?:on|onto|on to|for|into|in)\s+)?(?:the|this|that|next|tomorrow's|[a-z]+day's)\s+"
     r"(?:(?!(?:for|to|at|of|after|before|with)\s)[a-z0-9'-]+\s+){0,4}?"
     r"(?:one|webinar|workshop|session|event|training)s?\b", 1.0),
    # "I know the deadline was the 21st but is there any way I can still get onto the
    # construction webinar?": a late request is a request; the deadline is the desk's business.
    # (Not "is there any way we could attend, as non-members?": whether they may, asked.)
    (
        r"\bany (?:way|chance|possibility)\s+(?:that\s+)?(?:i|we)\s+(?:can|could|might|may)\s+"
        r"still\s+(?:attend|join|come|register|book|have a place|get a place"
        rf"|get (?:on|onto|on to|into|in on)\b(?={_SESSION_AHEAD}))\b",
        1.0,
    ),
    # "+ my deputy Matt Reid matt.reid@... Same session.": one more person, with an address,
    # added to a booking (a "+" before a name; not "+44 20 ...", a telephone number).
    (r"^\W{0,3}\+\s*(?:(?:and|also|plus)\s+)?[a-z][^.?!@]{0,50}?[a-z0-9._%+-]+@[a-z0-9-]+\.",
     1.0),
    # "I'd like to nominate Sam for the furniture webinar".
    # "I'd like to put two of my team forward for the textiles webinar".
    (rf"\b(?:nominate|put (?:[a-z]+ ){{0,5}}?forward)\b(?={_SESSION_AHEAD})", 1.0),
    # "Could you make sure I'm on it please?": a place asked for, if not already held.
    (r"\b(?:make sure|ensure)\s+(?:that\s+)?(?:i'm|i am|we're|we are)\s+(?:still\s+)?"
     r"(?:on|booked|registered|down|signed up)\b", 1.0),
    # "Here are our names for the October evidence workshop:" above a list of attendees.
    (rf"\bhere (?:are|is) (?:our|the|my) (?:names?|nominations?|nominees?|attendees?|delegates?"
     rf"|people)\s+for\b(?={_SESSION_AHEAD})", 1.0),
    # "asked me to send our nominations as CSV, so here they are for the October workshop".
    (rf"\b(?:nominations?|nominees?|attendees?|delegates?)\b[^.?!]{{0,80}}?\bhere (?:they|it)"
     rf" (?:are|is)\s+for\b(?={_SESSION_AHEAD})", 1.0),
    # "inscribe me and my colleague", "subscribe me to": the words of other languages' clients.
    (rf"\b(?:inscribe|subscribe|enlist)\s+{_WHO}\b(?={_SESSION_AHEAD})", 1.0),
    # "Riverside Housing would like to send one person to the food webinar".
    (
        r"\b(?:would|'d) (?:like|love|want) to send (?:one|two|three|four|\d|a|someone|somebody"
        r"|a colleague|a member)\b[^.?!]{0,40}?\bto\s+(?:the\s+|your\s+|this\s+|that\s+)?"
        r"(?:[a-z0-9-]+\s+){0,3}(?:one|webinar|workshop|session|event)s?\b",
        1.0,
    ),
    # "Is it possible for me to register?", "would it be possible to book two places?",
    # "would it be possible for my colleague Raj Patel (raj@...) to come along too?"
    (
        r"\b(?:is it|would it (?:still )?be|will it (?:still )?be|is there any way it(?:'s| is))"
        r" (?:still )?possible"
        r" (?:for (?:me|us"
        r"|[a-z]+|(?:my|our) (?:[^.?!]|\.(?=\S)){1,100}?) )?to (?:register|attend|join|book|come"
        r"|have a place|participate|take part"
        r"|get a place|reserve"
        r"|be (?:booked|registered|added)"
        # "is it possible to get onto tomorrow's webinar?" (a session, not a mailing list)
        rf"|get (?:on|onto|on to|into|in on)\b(?={_SESSION_AHEAD}))\b",
        1.0,
    ),
    # "I am interesting for the food webinar, it is possible to participate?": the same question
    # in a word order other languages give it, asked (a "?" ends the sentence).
    (r"\bit is (?:still )?possible (?:for (?:me|us) )?to (?:register|attend|join|participate"
     r"|take part|come)\b(?=[^.?!]*\?)", 1.0),
    # "move me from the May workshop to the October one": a change of session. Read as a
    # booking here and a cancellation below, so the desk asks (two kinds of change).
    # (Not "a change of role", nor "can't swap, so please offer it to the next person": the
    # noun, and words that run on past a comma or a bracket, name no move.)
    (r"\b(?:move|switch|swap|transfer|change)\b(?!\s+of\b)[^.?!,;:()]{0,80}?\bto\s+(?:the|a)\b",
     1.0),
)
# (pattern, strength, words one of which any match holds), and every such word of the group:
# which words a sentence holds is tested once, as plain substrings, before any pattern.
Rules = tuple[tuple[tuple[re.Pattern[str], float, frozenset[str]], ...], frozenset[str]]


@lru_cache(maxsize=1)
def compiled_groups() -> dict[str, Rules]:
    """Each phrase group's patterns, compiled once, with the words a match cannot lack.
    (Trying them one by one is cheaper than one alternation of all of them as a first test:
    measured on the external corpus. Most sentences hold none of a pattern's words, and a
    substring test costs a small part of a search.)"""

    def comp(rules: tuple[tuple[str, float], ...]) -> Rules:
        compiled = tuple((re.compile(p), s, frozenset(required_words(p))) for p, s in rules)
        return compiled, frozenset().union(*(words for _, _, words in compiled))

    return {
        # Other languages' words after English's: a sentence in English is read by its own.
        "register": comp(_REGISTER + languages.REGISTER),
        "cancel": comp(_CANCEL + languages.CANCEL),
        "substitute": comp(_SUBSTITUTE),
        "accept": comp(ACCEPT),
        "accept_reply": comp(ACCEPT_IN_REPLY + languages.ACCEPT_IN_REPLY),
        "decline": comp(DECLINE),
        "decline_reply": comp(DECLINE_IN_REPLY + languages.DECLINE_IN_REPLY),
    }
