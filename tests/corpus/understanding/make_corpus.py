"""Write the understanding corpus: realistic member mail (.eml) and expected readings (.json).

Run from the repository root: .venv/bin/python tests/corpus/understanding/make_corpus.py
Deterministic: the same script writes the same files. Every person and organisation is fictional.
"""

from __future__ import annotations

import html
import json
import random
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email import charset as email_charset
from email.header import Header
from email.mime.message import MIMEMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
OUT = HERE / "messages"
DESK = ("Knowledge Building Series", "registrations@lupc-events.example")

C, L, EM, F, T, EO, FU = (
    "construction-2025",
    "logistics-2025",
    "evidence-skills-may-2025",
    "food-2025",
    "textiles-2025",
    "evidence-skills-oct-2025",
    "furniture-2025",
)


@dataclass(frozen=True)
class P:
    name: str
    email: str
    role: str
    org: str
    display: str = ""  # how their client shows the name, e.g. "Shah, Priya"


PEOPLE = {
    "priya": P(
        "Priya Shah",
        "priya.shah@camden-council.example",
        "Procurement Officer",
        "Camden Council",
        "Shah, Priya",
    ),
    "tom": P(
        "Tom Reed", "tom.reed@camden-council.example", "Head of Procurement", "Camden Council"
    ),
    "aisha": P(
        "Aisha Okafor",
        "a.okafor@camden-council.example",
        "Category Manager - Construction & FM",
        "Camden Council",
    ),
    "daniel": P(
        "Daniel Hughes",
        "daniel.hughes@camden-council.example",
        "Contracts Officer",
        "Camden Council",
    ),
    "helen": P(
        "Helen Marsh",
        "h.marsh@westbury.ac.example",
        "Head of Responsible Procurement",
        "Westbury University",
        "Dr Helen Marsh",
    ),
    "owen": P(
        "Owen Price", "o.price@westbury.ac.example", "Buyer (Estates)", "Westbury University"
    ),
    "kwame": P(
        "Kwame Asante",
        "kwame.asante@westbury.ac.example",
        "Sustainability Lead",
        "Westbury University",
    ),
    "lucy": P(
        "Lucy Fairbairn",
        "l.fairbairn@westbury.ac.example",
        "Procurement Assistant",
        "Westbury University",
        "Fairbairn, Lucy",
    ),
    "sarah": P(
        "Sarah O'Neill",
        "sarah.oneill@nhs-north-london.example",
        "Senior Buyer - Textiles & Linen",
        "NHS North London Procurement",
    ),
    "rajesh": P(
        "Rajesh Kumar",
        "rajesh.kumar@nhs-north-london.example",
        "Category Lead, Facilities",
        "NHS North London Procurement",
        "KUMAR, Rajesh (NHS NORTH LONDON)",
    ),
    "megan": P(
        "Megan Doyle",
        "megan.doyle@nhs-north-london.example",
        "Procurement Graduate Trainee",
        "NHS North London Procurement",
    ),
    "femi": P(
        "Femi Adeyemi",
        "femi.adeyemi@nhs-north-london.example",
        "Ethical Sourcing Manager",
        "NHS North London Procurement",
    ),
    "gareth": P(
        "Gareth Lloyd",
        "g.lloyd@kingsgate-college.example",
        "Finance & Procurement Manager",
        "Kingsgate College",
    ),
    "zofia": P(
        "Zofia Nowak",
        "zofia.nowak@kingsgate-college.example",
        "Purchasing Officer",
        "Kingsgate College",
    ),
    "chloe": P(
        "Chloé Martin",
        "chloe.martin@kingsgate-college.example",
        "Estates Buyer",
        "Kingsgate College",
    ),
    "ben": P(
        "Ben Ashworth",
        "b.ashworth@kingsgate-college.example",
        "Catering Manager",
        "Kingsgate College",
    ),
    "hannah": P(
        "Hannah Wright",
        "hannah.wright@riverside-housing.example",
        "Procurement Partner",
        "Riverside Housing",
    ),
    "imran": P(
        "Imran Siddiqui",
        "imran.siddiqui@riverside-housing.example",
        "Asset Manager",
        "Riverside Housing",
    ),
    "jamie": P("Jamie Turner", "jamie.t1987@gmail.test", "", ""),
    "mark": P(
        "Mark Ellis",
        "mark.ellis@random-supplier.example",
        "Business Development Director",
        "Random Supplier Ltd",
    ),
    "siobhan": P(
        "Siobhán Byrne",
        "siobhan.byrne@camden-council.example",
        "Social Value Officer",
        "Camden Council",
    ),
    "efua": P(
        "Efua Mensah",
        "efua.mensah@westbury.ac.example",
        "Category Manager - ICT & Furniture",
        "Westbury University",
    ),
}

DISCLAIMERS = [
    "This email and any attachments are confidential and intended solely for the addressee. If you"
    " have "
    "received this email in error please notify the sender and delete it. Camden Council may"
    " monitor "
    "email traffic. Any views expressed in this message are those of the individual sender.",
    "DISCLAIMER: The information contained in this message may be privileged and confidential. It"
    " is "
    "intended only for the use of the recipient(s) named above. If you are not the intended"
    " recipient, "
    "you are hereby notified that any dissemination, distribution or copying of this communication"
    " is "
    "strictly prohibited.\n\nNHS North London Procurement, Suite 4, 12 Example Row, London N1"
    " 0XX.\n"
    "Please consider the environment before printing this email.",
    "********************************************************************\nCONFIDENTIALITY NOTICE\n"
    "This e-mail is intended for the named recipient only. It may contain privileged information.\n"
    "Westbury University is an exempt charity.\n"
    "********************************************************************",
]

OFFER = (
    "Good news: a place has come up on {title} on {date}, 10:00-11:30.\n\n"
    'We are holding it for you until 10:00 on {hold}. Reply "yes" to take it, or "no" to pass '
    "it on "
    "to the next person on the waiting list.\n\nKnowledge Building Series registrations"
)
CONFIRM = (
    "You're booked on {title} on {date}, 10:00-11:30 (online).\n\nJoining instructions will follow"
    " a "
    "week before. If you can no longer attend, just reply to this email so your place can go to"
    " someone "
    "on the waiting list.\n\nKnowledge Building Series registrations"
)
WAITLIST = (
    "{title} on {date} is full, so we have put you on the waiting list (position {pos}). We'll"
    " email you "
    "if a place comes up.\n\nKnowledge Building Series registrations"
)
ANNOUNCEMENT = (
    "Knowledge Building Series 2025\n\nConstruction (including materials) - 29 January\n"
    "Logistics (including freight transport, warehouses) - 28 March\nEvidence skills training"
    " workshop - "
    "28 May\nFood (including frozen imported seafood) - 25 June\nTextiles (including uniforms,"
    " linen) - "
    "24 September\nEvidence skills training workshop - 29 October\nFurniture - 10 December\n\n"
    "15 places are available for full members on each 1.5-hour webinar. Reply to this email to"
    " register."
)
TITLES = {
    C: ("Construction (including materials)", "Wednesday 29 January 2025"),
    L: ("Logistics (including freight transport, warehouses)", "Friday 28 March 2025"),
    EM: ("Evidence skills training workshop", "Wednesday 28 May 2025"),
    F: ("Food (including frozen imported seafood)", "Wednesday 25 June 2025"),
    T: ("Textiles (including uniforms, linen)", "Wednesday 24 September 2025"),
    EO: ("Evidence skills training workshop", "Wednesday 29 October 2025"),
    FU: ("Furniture", "Wednesday 10 December 2025"),
}


@dataclass
class Case:
    name: str
    who: str
    subject: str
    body: str
    intent: str
    events: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    substitute: str | None = None
    unclear: bool = False
    context: dict[str, Any] | None = None  # ThreadContext fields
    quote: str = ""  # "offer" | "confirm" | "waitlist" | "announcement" | "member" | ""
    forward: dict[str, str] | None = None  # {"who", "subject", "body", "style"}
    now: str | None = None
    layout: str = ""  # forced client: outlook | gmail | apple | iphone | android | plain
    mime: str = ""  # forced: plain | html | alt
    charset: str = ""  # forced: utf-8 | cp1252 | latin1-mislabel | qp | base64 | utf8-as-latin1
    sig: bool = True


CASES: list[Case] = []


def case(
    name: str,
    who: str,
    subject: str,
    body: str,
    intent: str,
    events: list[str] | None = None,
    **kw: Any,
) -> None:
    CASES.append(Case(name, who, subject, body, intent, events or [], **kw))


def ctx(outcome: str, *ids: str, who: str = "") -> dict[str, Any]:
    return {
        "outcome": outcome,
        "event_ids": list(ids),
        "recipient": PEOPLE[who].email if who else "",
    }


def define_cases() -> None:  # noqa: PLR0915 - a long, flat list is the readable form here
    # --- Registrations, the sender only -------------------------------------------------------
    case(
        "reg-textiles-24th",
        "priya",
        "Textiles webinar",
        "Hi Suzanne,\n\nCould you book me onto the textiles one on the 24th?",
        "register",
        [T],
    )
    case(
        "reg-construction-plain",
        "tom",
        "Registration - Construction webinar 29 January",
        "Dear Sir/Madam,\n\nI would like to register for the Construction webinar on 29 January"
        " 2025.",
        "register",
        [C],
    )
    case(
        "reg-seafood-one",
        "ben",
        "food webinar",
        "Hiya, can I grab a place on the seafood one please? Our catering contracts are up for"
        " renewal "
        "so the timing is perfect.",
        "register",
        [F],
    )
    case(
        "reg-uniforms",
        "sarah",
        "Uniforms session",
        "Hello,\n\nWe're retendering our staff uniforms contract this year, so I'd be really keen"
        " to attend the "
        "session that covers uniforms and linen. Please put me down for it.",
        "register",
        [T],
    )
    case(
        "reg-logistics-freight",
        "rajesh",
        "Freight & warehousing webinar",
        "Good morning,\n\nPlease register me for the freight and warehousing webinar in March.",
        "register",
        [L],
    )
    case(
        "reg-furniture-sig-construction",
        "aisha",
        "Furniture webinar - 10/12",
        "Please could you book me on the furniture webinar on 10/12? Thank you.",
        "register",
        [FU],
    )
    case(
        "reg-sept-24th",
        "owen",
        "Booking",
        "Hi there, please can you sign me up for Sept 24th? Thanks.",
        "register",
        [T],
    )
    case(
        "reg-24-09",
        "kwame",
        "Place on 24/09 webinar",
        "Morning - I'd like a place on the 24/09 webinar if there's still room.",
        "register",
        [T],
    )
    case(
        "reg-wednesday-24th",
        "lucy",
        "Wednesday 24th",
        "Dear Knowledge Building team,\n\nCould I please attend on Wednesday 24th (textiles)?",
        "register",
        [T],
    )
    case(
        "reg-wednesday-24th-no-topic",
        "zofia",
        "webinar",
        "Please book me in for Wednesday 24th September. Many thanks in advance.",
        "register",
        [T],
    )
    case(
        "reg-webinar-1",
        "gareth",
        "Webinar 1",
        "Hi, please register me for webinar 1. Regards",
        "register",
        [C],
    )
    case(
        "reg-first-webinar-words",
        "femi",
        "Registration",
        "Dear Suzanne\n\nI'd like to book onto the first webinar of the series please"
        " (construction).",
        "register",
        [C],
    )
    case(
        "reg-two-events",
        "helen",
        "Textiles and furniture",
        "Dear colleagues,\n\nI would be grateful if you could register me for both the textiles"
        " webinar and "
        "the furniture one in December.",
        "register",
        [T, FU],
    )
    case(
        "reg-three-events",
        "megan",
        "Registering for 3 sessions",
        "Hello! I'm new to the procurement team and would love to attend the food, textiles and"
        " furniture "
        "webinars. Please could you book me onto all three?",
        "register",
        [F, T, FU],
    )
    case(
        "reg-may-workshop",
        "efua",
        "May workshop",
        "Hi, could you please book me onto the May workshop on evidence skills?",
        "register",
        [EM],
    )
    case(
        "reg-october-workshop-date",
        "chloe",
        "Atelier / workshop 29 Oct",
        "Bonjour Suzanne,\n\nI’d like to register for the evidence workshop on the 29th October. "
        "Merci d’avance!",
        "register",
        [EO],
        charset="cp1252",
    )
    case(
        "reg-workshop-29th",
        "daniel",
        "Workshop on the 29th",
        "Can I come to the workshop on the 29th?",
        "register",
        [EO],
    )
    case(
        "reg-iso-date",
        "imran",
        "Registration request 2025-06-25",
        "Please register me for the session on 2025-06-25. Thanks.",
        "register",
        [F],
    )
    case(
        "reg-building-materials",
        "aisha",
        "Building materials",
        "Hello,\n\nWe're about to let a big refurbishment contract and I would like to join the"
        " building "
        "materials webinar.",
        "register",
        [C],
    )
    case(
        "reg-linen",
        "sarah",
        "Linen webinar",
        "Hi - is there space on the linen webinar? If so please book me in.",
        "register",
        [T],
    )
    case(
        "reg-subject-only",
        "owen",
        "Please book me on the Textiles webinar (24 Sept)",
        "",
        "register",
        [T],
    )
    case(
        "reg-subject-only-2",
        "kwame",
        "Register me - Furniture webinar",
        "Sent from my iPhone",
        "register",
        [FU],
        sig=False,
        layout="iphone",
    )
    case(
        "reg-html-outlook",
        "rajesh",
        "Food (including frozen imported seafood) webinar",
        "Dear Suzanne,\n\nI would like to attend the food webinar on 25 June. Please can you"
        " reserve a "
        "place for me?",
        "register",
        [F],
        mime="html",
        layout="outlook",
    )
    case(
        "reg-html-gmail",
        "jamie",
        "seafood webinar",
        "hi, can i join the seafood webinar? thx",
        "register",
        [F],
        mime="html",
        layout="gmail",
    )
    case(
        "reg-supplier",
        "mark",
        "Registration for Furniture webinar",
        "Dear Sir or Madam,\n\nAs a supplier to several London universities we would like to attend"
        " the "
        "Furniture webinar on 10 December. Please register me.",
        "register",
        [FU],
    )
    case(
        "reg-associate",
        "hannah",
        "Construction webinar",
        "Hi, please could you add me to the list for the construction webinar? Thanks very much.",
        "register",
        [C],
    )
    case(
        "reg-curly-cp1252",
        "siobhan",
        "Textiles – 24 September",
        "Hi Suzanne,\n\nI’d love to attend the “Textiles” webinar on 24 September – could you book"
        " me "
        "on please?",
        "register",
        [T],
        charset="cp1252",
    )
    case(
        "reg-latin1-mislabel",
        "chloe",
        "Furniture webinar",
        "Hello, I’d like to sign up for the furniture session – it’s very relevant to our estates"
        " work.",
        "register",
        [FU],
        charset="latin1-mislabel",
    )
    case(
        "reg-utf8-as-latin1",
        "siobhan",
        "Food webinar",
        "Hi – I’d like to book a place on the food webinar please. Go raibh maith agat!",
        "register",
        [F],
        charset="utf8-as-latin1",
    )
    case(
        "reg-qp",
        "femi",
        "Evidence skills workshop (October)",
        "Hello,\n\nPlease could I have a place on the October evidence skills workshop? I attended"
        " the "
        "construction one and found it really useful.",
        "register",
        [EO],
        charset="qp",
    )
    case(
        "reg-base64",
        "zofia",
        "Logistics webinar booking",
        "Dear Team,\n\nI am writing to book a place for the logistics webinar (28 March).\n\nBest"
        " wishes",
        "register",
        [L],
        charset="base64",
    )
    case(
        "reg-reply-to-announcement",
        "lucy",
        "Re: Knowledge Building Series 2025",
        "Yes please - could you book me on the textiles one?",
        "register",
        [T],
        quote="announcement",
    )
    case(
        "reg-reply-to-announcement-outlook",
        "rajesh",
        "RE: Knowledge Building Series 2025",
        "Hi Suzanne, please register me for Logistics and Food. Thanks, Raj",
        "register",
        [L, F],
        quote="announcement",
        layout="outlook",
    )
    case(
        "reg-past-reference",
        "tom",
        "Next one",
        "I went to the construction webinar in January, which was excellent. I'd like to attend the"
        " "
        "logistics one as well please.",
        "register",
        [L],
    )
    case(
        "reg-next-one",
        "helen",
        "Next session",
        "Please book me on the next one.",
        "register",
        [L],
        now="2025-02-10T09:00:00+00:00",
    )
    case(
        "reg-next-workshop",
        "owen",
        "next workshop",
        "Can you put me down for the next workshop please?",
        "register",
        [EO],
        now="2025-06-02T09:00:00+00:00",
    )
    case(
        "reg-next-webinar",
        "megan",
        "Upcoming webinar",
        "Hi! Can I register for the upcoming webinar?",
        "register",
        [C],
    )
    case(
        "reg-all-remaining",
        "femi",
        "All sessions",
        "We've just made modern slavery a priority for the year. Please book me onto all of the"
        " remaining "
        "sessions.",
        "register",
        [L, EM, F, T, EO, FU],
        now="2025-02-03T09:00:00+00:00",
    )
    case(
        "reg-both-workshops",
        "gareth",
        "Evidence workshops",
        "Please could you register me for both workshops?",
        "register",
        [EM, EO],
    )
    case(
        "reg-interested",
        "daniel",
        "Furniture",
        "Hi, I'm interested in attending the furniture webinar on 10 December.",
        "register",
        [FU],
    )
    case(
        "reg-register-interest",
        "kwame",
        "Textiles",
        "I'd like to register my interest for the textiles session please.",
        "register",
        [T],
    )
    case(
        "reg-ordinal-session-7",
        "efua",
        "Session 7",
        "Please book me for session 7 (furniture).",
        "register",
        [FU],
    )
    case(
        "reg-capital-subject",
        "imran",
        "RE: [External] Logistics",
        "Please can you register me on to the logistics webinar, 28th March. Many thanks",
        "register",
        [L],
    )
    case(
        "reg-external-tag",
        "sarah",
        "[EXTERNAL] Request: food webinar place",
        "Good afternoon, I'd like to request a place on the food webinar on 25/06/2025.",
        "register",
        [F],
    )
    case(
        "reg-mobile-terse",
        "ben",
        "Food",
        "Book me on food pls",
        "register",
        [F],
        layout="android",
        sig=False,
    )
    case(
        "reg-long-chatty",
        "helen",
        "Knowledge building series",
        "Dear Suzanne,\n\nI hope you had a lovely break. We've been asked by our Vice-Chancellor to"
        " look "
        "much harder at modern slavery risk in our estates supply chain this year, and a colleague "
        "recommended the Electronics Watch series.\n\nWith that in mind I'd like to attend the"
        " construction "
        "webinar at the end of January. I'm afraid I can't do the March one as it clashes with our"
        " audit "
        "committee, but I'll look out for the later dates.",
        "register",
        [C],
        unclear=True,
    )
    case(
        "reg-with-question-benign",
        "zofia",
        "Textiles",
        "Is there still space on the textiles webinar? If so please could you book me on.",
        "register",
        [T],
    )
    case(
        "reg-textiles-typo-date",
        "owen",
        "Textiles 23rd Sept",
        "Please book me onto the textiles webinar on the 23rd September.",
        "register",
        [T],
        unclear=True,
    )
    case(
        "reg-two-places-unnamed",
        "ben",
        "Food webinar - 2 places",
        "Could you reserve two places on the food webinar for our team?",
        "register",
        [F],
        unclear=True,
    )

    # --- Registrations with colleagues --------------------------------------------------------
    case(
        "reg-me-and-colleague",
        "priya",
        "Textiles webinar",
        "Hi Suzanne,\n\nPlease register me and my colleague Daniel Hughes"
        " (daniel.hughes@camden-council.example) "
        "for the textiles webinar on 24 September.",
        "register",
        [T],
        people=["priya.shah@camden-council.example", "daniel.hughes@camden-council.example"],
    )
    case(
        "reg-colleague-only",
        "tom",
        "Place for a colleague",
        "Hello, could you book my colleague Aisha Okafor <a.okafor@camden-council.example> onto the"
        " "
        "construction webinar? She leads on our building works.",
        "register",
        [C],
        people=["a.okafor@camden-council.example"],
    )
    case(
        "reg-two-colleagues-list",
        "helen",
        "Registrations - Furniture",
        "Dear Suzanne,\n\nPlease could you register the following colleagues for the furniture"
        " webinar:\n\n"
        "Owen Price - o.price@westbury.ac.example\nEfua Mensah -"
        " efua.mensah@westbury.ac.example\n\n"
        "I won't be attending myself.",
        "register",
        [FU],
        people=["o.price@westbury.ac.example", "efua.mensah@westbury.ac.example"],
    )
    case(
        "reg-us-both",
        "rajesh",
        "Food webinar x2",
        "Hi, can you book both of us onto the food webinar - me and Megan Doyle"
        " (megan.doyle@nhs-north-london.example)?",
        "register",
        [F],
        people=["rajesh.kumar@nhs-north-london.example", "megan.doyle@nhs-north-london.example"],
    )
    case(
        "reg-colleague-no-address",
        "gareth",
        "Construction",
        "Please book me and my colleague Zofia onto the construction webinar.",
        "register",
        [C],
        unclear=True,
    )
    case(
        "reg-along-with",
        "sarah",
        "Textiles",
        "I'd like to attend the textiles webinar along with my colleague Femi Adeyemi "
        "(femi.adeyemi@nhs-north-london.example).",
        "register",
        [T],
        people=["sarah.oneill@nhs-north-london.example", "femi.adeyemi@nhs-north-london.example"],
    )
    case(
        "reg-colleague-html",
        "kwame",
        "Places for the evidence workshop (May)",
        "Hi,\n\nPlease register Lucy Fairbairn (l.fairbairn@westbury.ac.example) for the May"
        " evidence skills "
        "workshop.",
        "register",
        [EM],
        people=["l.fairbairn@westbury.ac.example"],
        mime="alt",
    )
    case(
        "reg-cc-manager-not-attendee",
        "megan",
        "Food webinar",
        "Hi, please book me onto the food webinar. I've copied my manager Rajesh "
        "(rajesh.kumar@nhs-north-london.example) for info.",
        "register",
        [F],
    )

    # --- Forwards -----------------------------------------------------------------------------
    case(
        "fwd-outlook-priya",
        "tom",
        "FW: Textiles webinar",
        "Hi Suzanne,\n\nPlease sort this for Priya below.",
        "register",
        [T],
        people=["priya.shah@camden-council.example"],
        forward={
            "who": "priya",
            "subject": "Textiles webinar",
            "style": "outlook",
            "body": "Hi Tom,\n\nCould you ask LUPC to register me for the textiles one? I think you"
            " have "
            "the contact.\n\nThanks\nPriya",
        },
    )
    case(
        "fwd-gmail-register-me",
        "helen",
        "Fwd: Furniture webinar",
        "Suzanne - see below, could you help?",
        "register",
        [FU],
        people=["efua.mensah@westbury.ac.example"],
        forward={
            "who": "efua",
            "subject": "Furniture webinar",
            "style": "gmail",
            "body": "Hi Helen,\n\nWould it be possible to register me for the furniture webinar on"
            " 10 "
            "December? I'd need your sign-off.\n\nThanks,\nEfua",
        },
    )
    case(
        "fwd-apple",
        "femi",
        "Fwd: Logistics session",
        "FYI - please register Megan for this one.",
        "register",
        [L],
        people=["megan.doyle@nhs-north-london.example"],
        forward={
            "who": "megan",
            "subject": "Logistics session",
            "style": "apple",
            "body": "Hi Femi, I'd love to attend the logistics webinar in March if there's room."
            " Megan",
        },
    )
    case(
        "fwd-attached-rfc822",
        "tom",
        "FW: Construction webinar",
        "Please see the request below from Daniel.",
        "register",
        [C],
        people=["daniel.hughes@camden-council.example"],
        forward={
            "who": "daniel",
            "subject": "Construction webinar",
            "style": "rfc822",
            "body": "Tom - can I go on the construction webinar on the 29th? Please book me if"
            " OK.\n\nDan",
        },
    )
    case(
        "fwd-manager-adds-self",
        "rajesh",
        "FW: food webinar",
        "Please book Sarah as below, and me as well please.",
        "register",
        [F],
        people=["rajesh.kumar@nhs-north-london.example", "sarah.oneill@nhs-north-london.example"],
        forward={
            "who": "sarah",
            "subject": "food webinar",
            "style": "outlook",
            "body": "Raj, could you get me onto the food webinar on 25 June? Thanks Sarah",
        },
    )
    case(
        "fwd-announcement-register-me",
        "zofia",
        "FW: Knowledge Building Series 2025",
        "Hi, please register me for the furniture one.",
        "register",
        [FU],
        forward={
            "who": "gareth",
            "subject": "Knowledge Building Series 2025",
            "style": "outlook",
            "body": "FYI - worth a look.\n\n" + ANNOUNCEMENT,
        },
    )
    case(
        "fwd-announcement-no-choice",
        "ben",
        "Fwd: Knowledge Building Series 2025",
        "Please sign me up.",
        "register",
        unclear=True,
        forward={
            "who": "gareth",
            "subject": "Knowledge Building Series 2025",
            "style": "gmail",
            "body": ANNOUNCEMENT,
        },
    )
    case(
        "fwd-cancel-for-colleague",
        "helen",
        "FW: Textiles webinar - can't make it",
        "Please action the below.",
        "cancel",
        [T],
        people=["kwame.asante@westbury.ac.example"],
        forward={
            "who": "kwame",
            "subject": "Textiles webinar - can't make it",
            "style": "outlook",
            "body": "Helen, I'm afraid I can no longer attend the textiles webinar on the 24th -"
            " could "
            "you let them know?\n\nKwame",
        },
    )
    case(
        "fwd-exchange-no-address",
        "tom",
        "FW: Food webinar",
        "Please sort this for Daniel.",
        "register",
        [F],
        unclear=True,
        forward={
            "who": "daniel",
            "subject": "Food webinar",
            "style": "outlook-noaddr",
            "body": "Can you get me on the food one please?",
        },
    )
    case(
        "fwd-chain-two-deep",
        "femi",
        "Fwd: FW: Logistics",
        "Hi Suzanne, could you sort this for Rajesh?",
        "register",
        [L],
        people=["rajesh.kumar@nhs-north-london.example"],
        forward={
            "who": "rajesh",
            "subject": "FW: Logistics",
            "style": "gmail",
            "body": "Femi - please can you get me on this logistics webinar (28/03)? Raj",
        },
    )

    # --- Cancellations ------------------------------------------------------------------------
    case(
        "cancel-reply-confirm",
        "owen",
        "Re: You're booked: Textiles (including uniforms, linen)",
        "I'm afraid something has come up and I won't be able to make it.",
        "cancel",
        [T],
        context=ctx("confirmed", T, who="owen"),
        quote="confirm",
    )
    case(
        "cancel-reply-after-all",
        "lucy",
        "Re: You're booked: Furniture",
        "So sorry - can't make it after all.",
        "cancel",
        [FU],
        context=ctx("confirmed", FU, who="lucy"),
        quote="confirm",
        layout="iphone",
    )
    case(
        "cancel-fresh-named",
        "sarah",
        "Cancellation - Food webinar",
        "Hi, please cancel my place on the food webinar on 25 June - I'm on leave that week.",
        "cancel",
        [F],
    )
    case(
        "cancel-fresh-no-event",
        "rajesh",
        "Cancel my place",
        "Please cancel my booking, thank you.",
        "cancel",
    )
    case(
        "cancel-withdraw",
        "helen",
        "Withdrawal - construction webinar",
        "Dear Suzanne,\n\nI need to withdraw from the construction webinar on 29 January. Apologies"
        " for "
        "the short notice.",
        "cancel",
        [C],
    )
    case(
        "cancel-remove-me",
        "gareth",
        "Logistics",
        "Could you take me off the list for the logistics session? Thanks.",
        "cancel",
        [L],
    )
    case(
        "cancel-release-place",
        "femi",
        "Textiles webinar place",
        "Please release my place on the textiles webinar so someone on the waiting list can have"
        " it.",
        "cancel",
        [T],
    )
    case(
        "cancel-no-longer-able",
        "kwame",
        "Re: You're booked: Evidence skills training workshop",
        "Unfortunately I'm no longer able to attend. Please give my place to someone else.",
        "cancel",
        [EM],
        context=ctx("confirmed", EM, who="kwame"),
        quote="confirm",
        layout="outlook",
    )
    case(
        "cancel-outlook-html",
        "chloe",
        "RE: You're booked: Furniture",
        "Hello,\n\nI am sorry but I cannot attend on 10 December any more. Please cancel.",
        "cancel",
        [FU],
        context=ctx("confirmed", FU, who="chloe"),
        quote="confirm",
        mime="html",
        layout="outlook",
    )
    case(
        "cancel-waitlist",
        "daniel",
        "Re: Waiting list: Textiles",
        "Please take me off the waiting list, thanks - I've found a recording from another"
        " provider.",
        "cancel",
        [T],
        context=ctx("waitlisted", T, who="daniel"),
        quote="waitlist",
    )
    case(
        "cancel-colleague-named",
        "tom",
        "Cancellation for Aisha",
        "Hi Suzanne, Aisha Okafor (a.okafor@camden-council.example) can't make the construction"
        " webinar "
        "now - please cancel her place.",
        "cancel",
        [C],
        people=["a.okafor@camden-council.example"],
    )
    case(
        "cancel-drop-out-mobile",
        "megan",
        "Food",
        "Hi sorry I need to drop out of the food webinar, got a clash",
        "cancel",
        [F],
        layout="android",
    )
    case(
        "cancel-two-events",
        "zofia",
        "Cancel textiles and furniture",
        "Please cancel my places on the textiles and furniture webinars. Our priorities have"
        " changed.",
        "cancel",
        [T, FU],
    )
    case(
        "cancel-the-24th",
        "siobhan",
        "24th",
        "I can’t make the 24th now, sorry – please cancel me.",
        "cancel",
        [T],
        charset="cp1252",
    )
    case(
        "cancel-tentative",
        "owen",
        "Textiles",
        "I might have to cancel the textiles webinar - I'll confirm next week.",
        "cancel",
        [T],
        unclear=True,
    )
    case(
        "cancel-then-register",
        "imran",
        "Swap sessions",
        "I can't make logistics any more but could you book me on food instead?",
        "cancel",
        unclear=True,
    )
    case(
        "cancel-reply-two-events",
        "helen",
        "Re: You're booked",
        "Sorry, I can't make it after all.",
        "cancel",
        unclear=True,
        context=ctx("confirmed", T, FU, who="helen"),
        quote="confirm",
    )
    case("cancel-subject-only", "efua", "Cancel - furniture webinar", "", "cancel", [FU])

    # --- Substitutions ------------------------------------------------------------------------
    case(
        "sub-in-my-place",
        "priya",
        "Textiles webinar",
        "Hi Suzanne,\n\nCould my colleague Siobhán Byrne (siobhan.byrne@camden-council.example)"
        " attend "
        "the textiles webinar in my place?",
        "substitute",
        [T],
        substitute="siobhan.byrne@camden-council.example",
    )
    case(
        "sub-reply-confirm",
        "rajesh",
        "RE: You're booked: Food (including frozen imported seafood)",
        "I can't make this now. Could Megan Doyle attend instead? Her email is "
        "megan.doyle@nhs-north-london.example",
        "substitute",
        [F],
        substitute="megan.doyle@nhs-north-london.example",
        context=ctx("confirmed", F, who="rajesh"),
        quote="confirm",
        layout="outlook",
    )
    case(
        "sub-transfer",
        "helen",
        "Transfer of place",
        "Dear Suzanne, please transfer my place on the furniture webinar to Owen Price "
        "<o.price@westbury.ac.example>.",
        "substitute",
        [FU],
        substitute="o.price@westbury.ac.example",
    )
    case(
        "sub-no-address",
        "gareth",
        "Construction",
        "I can't make the construction webinar - can Ben go in my place?",
        "substitute",
        [C],
        unclear=True,
    )
    case(
        "sub-no-event-no-context",
        "daniel",
        "Swap",
        "Could my colleague Tom Reed (tom.reed@camden-council.example) take my place please?",
        "substitute",
        # No session named: the decision step uses the sender's only place, or asks.
        substitute="tom.reed@camden-council.example",
    )
    case(
        "sub-send-instead",
        "femi",
        "Logistics - change of attendee",
        "Hi, I've been pulled into a tender. I'll send Sarah O'Neill"
        " (sarah.oneill@nhs-north-london.example) "
        "instead - can you update the logistics booking?",
        "substitute",
        [L],
        substitute="sarah.oneill@nhs-north-london.example",
    )
    case(
        "sub-apple-reply",
        "kwame",
        "Re: You're booked: Evidence skills training workshop",
        "Would it be OK for Lucy Fairbairn (l.fairbairn@westbury.ac.example) to come instead of"
        " me?",
        "substitute",
        [EM],
        substitute="l.fairbairn@westbury.ac.example",
        context=ctx("confirmed", EM, who="kwame"),
        quote="confirm",
        layout="apple",
    )

    # --- Offers -------------------------------------------------------------------------------
    case(
        "offer-yes-please",
        "owen",
        "Re: A place has come up: Textiles (including uniforms, linen)",
        "Yes please!",
        "accept-offer",
        [T],
        context=ctx("offered", T, who="owen"),
        quote="offer",
        layout="iphone",
        sig=False,
    )
    case(
        "offer-yes-outlook",
        "rajesh",
        "RE: A place has come up: Food (including frozen imported seafood)",
        "Yes, I'll take it - thank you.",
        "accept-offer",
        [F],
        context=ctx("offered", F, who="rajesh"),
        quote="offer",
        layout="outlook",
    )
    case(
        "offer-yes-html",
        "chloe",
        "RE: A place has come up: Furniture",
        "Oui - yes please, I would love to come.",
        "accept-offer",
        [FU],
        context=ctx("offered", FU, who="chloe"),
        quote="offer",
        mime="html",
        layout="outlook",
    )
    case(
        "offer-brilliant",
        "lucy",
        "Re: A place has come up: Logistics",
        "Brilliant, count me in!",
        "accept-offer",
        [L],
        context=ctx("offered", L, who="lucy"),
        quote="offer",
    )
    case(
        "offer-still-keen",
        "megan",
        "Re: A place has come up: Food",
        "Hi, I'm still keen - please confirm my place.",
        "accept-offer",
        [F],
        context=ctx("offered", F, who="megan"),
        quote="offer",
        layout="gmail",
    )
    case(
        "offer-no-thanks",
        "zofia",
        "Re: A place has come up: Textiles",
        "No thanks, please offer it to someone else.",
        "decline-offer",
        [T],
        context=ctx("offered", T, who="zofia"),
        quote="offer",
    )
    case(
        "offer-cant-make",
        "daniel",
        "RE: A place has come up: Construction",
        "Unfortunately I can't make it now, but thanks for thinking of me.",
        "decline-offer",
        [C],
        context=ctx("offered", C, who="daniel"),
        quote="offer",
        layout="outlook",
    )
    case(
        "offer-decline-word",
        "imran",
        "Re: A place has come up: Furniture",
        "I'll have to decline this time. Thanks anyway.",
        "decline-offer",
        [FU],
        context=ctx("offered", FU, who="imran"),
        quote="offer",
    )
    case(
        "offer-thanks-only",
        "kwame",
        "Re: A place has come up: Evidence skills training workshop",
        "Thanks!",
        "question",
        [EO],
        unclear=True,
        context=ctx("offered", EO, who="kwame"),
        quote="offer",
    )
    case(
        "offer-fresh-accept",
        "sarah",
        "Place offered - textiles",
        "Hi, I'd like to accept the place you offered me on the textiles webinar.",
        "accept-offer",
        [T],
    )
    case(
        "offer-fresh-take-place",
        "ben",
        "Food place",
        "I'll take the place on the food webinar please.",
        "accept-offer",
        [F],
    )
    case(
        "offer-fresh-decline",
        "gareth",
        "Offer",
        "Please pass on the offer - I don't need the place any more.",
        "decline-offer",
    )
    case(
        "offer-yes-but-other-event",
        "helen",
        "Re: A place has come up: Food",
        "Yes please - and could you also book me onto the textiles webinar?",
        "accept-offer",
        unclear=True,
        context=ctx("offered", F, who="helen"),
        quote="offer",
    )
    case(
        "offer-yes-no-mixed",
        "owen",
        "Re: A place has come up: Logistics",
        "Yes - oh wait, no, I can't make the 28th. Sorry!",
        "accept-offer",
        unclear=True,
        context=ctx("offered", L, who="owen"),
        quote="offer",
    )

    # --- Acknowledgements ---------------------------------------------------------------------
    case(
        "ack-thanks",
        "priya",
        "Re: You're booked: Textiles (including uniforms, linen)",
        "Thanks!",
        "acknowledgement",
        context=ctx("confirmed", T, who="priya"),
        quote="confirm",
        sig=False,
    )
    case(
        "ack-great-thank-you",
        "tom",
        "RE: You're booked: Construction (including materials)",
        "Great, thank you. See you there.",
        "acknowledgement",
        context=ctx("confirmed", C, who="tom"),
        quote="confirm",
        layout="outlook",
    )
    case(
        "ack-fresh",
        "sarah",
        "Re: Knowledge Building Series",
        "Many thanks for sorting that out, much appreciated.",
        "acknowledgement",
    )
    case(
        "ack-waitlist",
        "daniel",
        "Re: Waiting list: Food",
        "Ok, thanks for letting me know.",
        "acknowledgement",
        context=ctx("waitlisted", F, who="daniel"),
        quote="waitlist",
        layout="android",
    )
    case(
        "ack-html",
        "helen",
        "RE: You're booked: Furniture",
        "Lovely - thank you!",
        "acknowledgement",
        context=ctx("confirmed", FU, who="helen"),
        quote="confirm",
        mime="html",
        layout="outlook",
    )
    case(
        "ack-cheers",
        "ben",
        "Re: You're booked: Food",
        "cheers",
        "acknowledgement",
        context=ctx("confirmed", F, who="ben"),
        quote="confirm",
        sig=False,
        layout="iphone",
    )
    case(
        "ack-noted",
        "femi",
        "RE: You're booked: Logistics",
        "Noted, thanks. Looking forward to it.",
        "acknowledgement",
        context=ctx("confirmed", L, who="femi"),
        quote="confirm",
    )

    # --- Questions ----------------------------------------------------------------------------
    case(
        "q-recording",
        "owen",
        "Textiles webinar",
        "Hi, will the textiles webinar be recorded? I have a clash but would watch it afterwards.",
        "question",
        unclear=True,
    )
    case(
        "q-slides",
        "megan",
        "Slides",
        "Hello, could you send me the slides from the construction webinar please?",
        "question",
        unclear=True,
    )
    case(
        "q-joining-link",
        "rajesh",
        "Re: You're booked: Food",
        "What's the joining link? I can't find it anywhere.",
        "question",
        unclear=True,
        context=ctx("confirmed", F, who="rajesh"),
        quote="confirm",
    )
    case(
        "q-space",
        "lucy",
        "Furniture webinar",
        "Is there still space on the furniture webinar?",
        "question",
        unclear=True,
    )
    case(
        "q-am-i-booked",
        "imran",
        "Am I registered?",
        "Hi, can you tell me whether I'm registered for the logistics webinar? I can't find a"
        " confirmation.",
        "question",
        unclear=True,
    )
    case(
        "q-cpd",
        "kwame",
        "CPD",
        "Do the webinars count towards CIPS CPD hours?",
        "question",
        unclear=True,
    )
    case(
        "q-in-person",
        "zofia",
        "Evidence workshop",
        "Is the evidence skills workshop in person or online, and where is it?",
        "question",
        unclear=True,
    )
    case(
        "q-register-and-ask",
        "helen",
        "Textiles",
        "Please book me on the textiles webinar. Also, will slides be shared afterwards?",
        "register",
        [T],
        unclear=True,
    )
    case(
        "q-leave-early",
        "tom",
        "Re: You're booked: Construction (including materials)",
        "I may need to leave early at 11 - is that OK?",
        "question",
        unclear=True,
        context=ctx("confirmed", C, who="tom"),
        quote="confirm",
    )
    case(
        "q-html-outlook",
        "sarah",
        "Question about the food webinar",
        "Hello,\n\nWill the food webinar cover catering contracts as well as frozen seafood? I'm"
        " trying to "
        "decide who from our team should come.",
        "question",
        unclear=True,
        mime="html",
        layout="outlook",
    )
    case(
        "q-wondering",
        "siobhan",
        "Workshops",
        "I was wondering what the difference is between the May and October workshops.",
        "question",
        unclear=True,
    )

    # --- Ambiguous sessions -------------------------------------------------------------------
    case(
        "amb-the-workshop",
        "owen",
        "Workshop",
        "Please register me for the workshop.",
        "register",
        unclear=True,
    )
    case(
        "amb-evidence-workshop",
        "femi",
        "Evidence skills",
        "Could I book onto the evidence skills workshop?",
        "register",
        unclear=True,
    )
    case(
        "amb-the-28th",
        "gareth",
        "28th",
        "Please book me in for the 28th.",
        "register",
        unclear=True,
    )
    case(
        "amb-the-29th",
        "daniel",
        "the 29th",
        "Can I come on the 29th please?",
        "register",
        unclear=True,
    )
    case(
        "amb-webinar-4",
        "lucy",
        "Webinar 4",
        "Please register me for webinar 4.",
        "register",
        unclear=True,
    )
    case(
        "amb-the-webinar",
        "hannah",
        "Webinar",
        "Hi, I'd like to attend the webinar please.",
        "register",
        unclear=True,
    )
    case(
        "amb-no-event",
        "imran",
        "Booking",
        "Please book me a place. Thanks!",
        "register",
        unclear=True,
    )
    case(
        "amb-next-closed",
        "kwame",
        "Next one",
        "Can you book me on the next one?",
        "register",
        unclear=True,
        now="2025-03-25T09:00:00+00:00",
    )
    case(
        "amb-wrong-date",
        "chloe",
        "Booking",
        "Please register me for the session on 12 November.",
        "register",
        unclear=True,
    )
    case(
        "amb-weekday-mismatch",
        "zofia",
        "Furniture",
        "Can I come to the furniture webinar on Thursday 10th?",
        "register",
        unclear=True,
    )
    case(
        "amb-october-unclear-topic",
        "ben",
        "October",
        "Could I have a place on the 30th October one?",
        "register",
        unclear=True,
    )
    case(
        "amb-negated",
        "helen",
        "Textiles",
        "Please don't book me on the textiles one yet - I need to check my diary first.",
        "unknown",
        unclear=True,
    )

    # --- Unknown / other ----------------------------------------------------------------------
    case(
        "unk-ooo-like",
        "rajesh",
        "Out of the office",
        "I am out of the office until 13 January with limited access to email. For urgent"
        " procurement "
        "matters please contact the team inbox.",
        "unknown",
        unclear=True,
    )
    case("unk-empty", "jamie", "", "", "unknown", unclear=True, sig=False)
    case(
        "unk-newsletter",
        "mark",
        "Our new ethical furniture range",
        "Dear procurement colleague,\n\nWe are delighted to launch our new range of ethically"
        " sourced "
        "office furniture, certified to the highest standards. Contact us for a catalogue.",
        "unknown",
        unclear=True,
    )
    case("unk-signature-only", "efua", "Re: Knowledge Building Series", "", "unknown", unclear=True)


# More varied registrations, cancellations and replies in many voices.
def define_more() -> None:  # noqa: PLR0915
    more = [
        (
            "reg-m1",
            "daniel",
            "Construction webinar",
            "Morning Suzanne, hope you're well! Any chance you could squeeze me onto the"
            " construction webinar "
            "at the end of the month? Cheers, Dan",
            "register",
            [C],
        ),
        (
            "reg-m2",
            "efua",
            "Furniture - 10 Dec",
            "Hi Suzanne\n\nFurniture is my category so I'd really like to join on 10 Dec. Could you"
            " book me "
            "in?",
            "register",
            [FU],
        ),
        (
            "reg-m3",
            "gareth",
            "Registration",
            "Good afternoon,\n\nI would like to reserve a place on the 'Logistics (including"
            " freight transport, "
            "warehouses)' webinar.\n\nYours faithfully",
            "register",
            [L],
        ),
        (
            "reg-m4",
            "imran",
            "Evidence skills training workshop - 28 May",
            "Please can I be registered for this? Thanks",
            "register",
            [EM],
        ),
        (
            "reg-m5",
            "lucy",
            "textiles",
            "hello could you please book me onto the uniforms and linen webinar. thank you",
            "register",
            [T],
        ),
        (
            "reg-m6",
            "kwame",
            "Seafood",
            "Hi both, I'd like to come along to the session on frozen seafood in June.",
            "register",
            [F],
        ),
        (
            "reg-m7",
            "sarah",
            "Re: Knowledge Building Series",
            "Hi Suzanne, can you put my name down for the October evidence workshop? Ta, Sarah",
            "register",
            [EO],
        ),
        (
            "reg-m8",
            "priya",
            "Warehouse webinar",
            "I'd like to sign up to the warehouse one in March please.",
            "register",
            [L],
        ),
        ("reg-m9", "tom", "Book me in", "Please book me in for 25 June.", "register", [F]),
        ("reg-m10", "owen", "June 25th", "Can I register for June 25th?", "register", [F]),
        (
            "reg-m11",
            "zofia",
            "Textiles webinar - Weds 24 Sept",
            "Hello, please add me to the attendee list for Weds 24 Sept. Kind regards, Zofia",
            "register",
            [T],
        ),
        (
            "reg-m12",
            "megan",
            "December webinar",
            "Hi, can I join the December webinar please?",
            "register",
            [FU],
        ),
        (
            "reg-m13",
            "hannah",
            "logistics & construction",
            "Hi, please could you book me onto both the construction and logistics webinars?"
            " Thanks!",
            "register",
            [C, L],
        ),
        (
            "reg-m14",
            "femi",
            "Places",
            "I'd like places on the second workshop and on the furniture webinar.",
            "register",
            [EO, FU],
        ),
        (
            "reg-m15",
            "helen",
            "Workshop (October)",
            "Dear Suzanne, could I please register for the workshop in October? With thanks, Helen",
            "register",
            [EO],
        ),
        ("reg-m16", "daniel", "Food 25/06", "Hiya - pls book me on 25/06. ta", "register", [F]),
        (
            "reg-m17",
            "aisha",
            "Re: [EXT] Construction",
            "Yes I'd like to attend the construction one please - building materials is exactly"
            " what we need.",
            "register",
            [C],
        ),
        (
            "reg-m18",
            "chloe",
            "Inscription – Textiles",
            "Bonjour, je voudrais… sorry – I would like to book the textiles webinar please!",
            "register",
            [T],
        ),
        (
            "reg-m19",
            "rajesh",
            "AW: Food webinar",
            "Please register me for the food webinar. Regards, Raj",
            "register",
            [F],
        ),
        (
            "reg-m20",
            "siobhan",
            "Evidence workshop 28/05",
            "Hi, could I have a place on the evidence workshop on 28/05 please? Thanks a million",
            "register",
            [EM],
        ),
        (
            "cancel-m1",
            "efua",
            "Re: You're booked: Furniture",
            "Apologies, a procurement deadline has moved and I won't be able to attend. Please"
            " cancel my place.",
            "cancel",
            [FU],
            "confirmed",
        ),
        (
            "cancel-m2",
            "owen",
            "Can't make logistics",
            "Sorry, I can't attend the logistics webinar on 28 March after all. Please free up my"
            " place.",
            "cancel",
            [L],
            None,
        ),
        (
            "cancel-m3",
            "priya",
            "Re: You're booked: Food",
            "Hi - unfortunately I have to pull out, I've got a tender evaluation that day.",
            "cancel",
            [F],
            "confirmed",
        ),
        (
            "cancel-m4",
            "ben",
            "Cancellation",
            "Please can you cancel me from the food webinar. thanks ben",
            "cancel",
            [F],
            None,
        ),
        (
            "cancel-m5",
            "hannah",
            "Construction webinar",
            "Hi, I won't be able to make the construction webinar now - please remove me. Thanks.",
            "cancel",
            [C],
            None,
        ),
        (
            "cancel-m6",
            "zofia",
            "RE: You're booked: Logistics",
            "Something urgent has come up, so I'll have to give up my place. Sorry for the late"
            " notice.",
            "cancel",
            [L],
            "confirmed",
        ),
        (
            "cancel-m7",
            "megan",
            "Re: You're booked: Textiles",
            "Hi, my manager needs me at a supplier visit on the 24th so I can't attend. Sorry!",
            "cancel",
            [T],
            "confirmed",
        ),
        (
            "cancel-m8",
            "rajesh",
            "Deregister - furniture",
            "Please deregister me from the furniture webinar.",
            "cancel",
            [FU],
            None,
        ),
        (
            "ack-m1",
            "owen",
            "Re: You're booked: Logistics",
            "Perfect, thanks very much!",
            "acknowledgement",
            [],
            "confirmed",
        ),
        (
            "ack-m2",
            "zofia",
            "RE: Your place: cancelled",
            "Thank you for confirming.",
            "acknowledgement",
            [],
            "cancelled",
        ),
        (
            "ack-m3",
            "lucy",
            "Re: You're booked: Textiles",
            "Thanks Suzanne, see you on the 24th!",
            "acknowledgement",
            [],
            "confirmed",
        ),
        (
            "q-m1",
            "kwame",
            "Re: You're booked: Food",
            "Thanks - will there be a recording for colleagues who can't make it?",
            "question",
            [],
            "confirmed",
        ),
        (
            "q-m2",
            "femi",
            "Furniture",
            "Who are the speakers at the furniture webinar?",
            "question",
            [],
            None,
        ),
        (
            "q-m3",
            "hannah",
            "Eligibility",
            "As an associate member, are we able to attend any of the sessions?",
            "question",
            [],
            None,
        ),
        (
            "offer-m1",
            "femi",
            "Re: A place has come up: Furniture",
            "Yes please, that's great news.",
            "accept-offer",
            [FU],
            "offered",
        ),
        (
            "offer-m2",
            "siobhan",
            "Re: A place has come up: Logistics",
            "Sadly not - I'm away that week. Please pass it on.",
            "decline-offer",
            [L],
            "offered",
        ),
        (
            "offer-m3",
            "megan",
            "RE: A place has come up: Construction",
            "Yes! I can make it. Thanks so much.",
            "accept-offer",
            [C],
            "offered",
        ),
        (
            "offer-m4",
            "ben",
            "Re: A place has come up: Textiles",
            "yep",
            "accept-offer",
            [T],
            "offered",
        ),
    ]
    for item in more:
        name, who, subject, body, intent, events = item[:6]
        outcome = item[6] if len(item) > 6 else None
        kwargs: dict[str, Any] = {}
        if outcome:
            kwargs["context"] = ctx(outcome, *(events or [T]), who=who)
            kwargs["quote"] = {
                "confirmed": "confirm",
                "offered": "offer",
                "cancelled": "confirm",
            }.get(outcome, "")
        if intent in ("question",):
            kwargs["unclear"] = True
        if intent == "acknowledgement":
            events = []
        case(name, who, subject, body, intent, events, **kwargs)
    # Context-only sessions: acknowledgements/questions carry no event expectation.
    for c in CASES:
        if c.intent in ("acknowledgement", "question", "unknown"):
            c.events = [] if c.intent == "acknowledgement" else c.events


# ------------------------------------------------------------------------------------------------
# Rendering.

LAYOUTS = ["outlook", "gmail", "apple", "iphone", "android", "plain"]
MAILERS = {
    "outlook": ("X-Mailer", "Microsoft Outlook 16.0"),
    "gmail": ("X-Gm-Message-State", "AOJu0Yw"),
    "apple": ("X-Mailer", "Apple Mail (2.3774.500.171.1.1)"),
    "iphone": ("X-Mailer", "iPhone Mail (21F90)"),
    "android": ("User-Agent", "Android"),
    "plain": ("User-Agent", "Mozilla Thunderbird"),
}


def signature(p: P, rng: random.Random, layout: str) -> str:
    first = p.name.split()[0]
    if layout in ("iphone", "android") and rng.random() < 0.6:
        return rng.choice([f"{first}", f"Thanks\n{first}", ""])
    styles = [
        f"Kind regards,\n\n{p.name}\n{p.role}\n{p.org}\nT: 020 7946 0{rng.randint(100, 999)}",
        f"Best wishes,\n{first}",
        f"Many thanks\n\n{p.name} | {p.role} | {p.org}",
        f"Regards\n{p.name}\n{p.role}, {p.org}",
        f"-- \n{p.name}\n{p.role}\n{p.org}\nMob: 07700 900{rng.randint(100, 999)}",
        f"Thanks,\n{first}",
        f"Best,\n{p.name}\n\n{p.org} - working towards a fairer supply chain",
    ]
    if not p.org:
        return rng.choice([f"Thanks\n{first}", f"{first}", ""])
    return rng.choice(styles)


def quoted_desk_message(kind: str, c: Case) -> str:
    ids = (c.context or {}).get("event_ids") or [T]
    title, when = TITLES[ids[0]]
    if kind == "offer":
        return OFFER.format(title=title, date=when, hold="Thursday 19 June")
    if kind == "waitlist":
        return WAITLIST.format(title=title, date=when, pos=3)
    if kind == "announcement":
        return ANNOUNCEMENT
    return CONFIRM.format(title=title, date=when)


def quote_block(layout: str, text: str, sent: datetime, subject: str, to: P) -> str:
    name, addr = DESK
    when = format_datetime(sent)
    if layout == "outlook":
        return (
            f"\n\n________________________________\nFrom: {name} <{addr}>\n"
            f"Sent: {sent.strftime('%A, %d %B %Y %H:%M')}\nTo: {to.display or to.name}"
            f" <{to.email}>\n"
            f"Subject: {subject}\n\n{text}\n"
        )
    if layout in ("apple", "iphone"):
        quoted = "\n".join("> " + line if line else ">" for line in text.split("\n"))
        on = f"On {sent.strftime('%-d %b %Y')}, at {sent.strftime('%H:%M')}, {name} <{addr}> wrote:"
        return f"\n\n> {on}\n>\n{quoted}\n"
    if layout == "plain":
        return (
            f"\n\n-----Original Message-----\nFrom: {name} [mailto:{addr}]\nSent: {when}\n"
            f"To: {to.email}\nSubject: {subject}\n\n{text}\n"
        )
    quoted = "\n".join("> " + line if line else ">" for line in text.split("\n"))
    return (
        f"\n\nOn {sent.strftime('%a, %-d %b %Y')} at {sent.strftime('%H:%M')}, {name} <\n{addr}>"
        f" wrote:\n\n"
        f"{quoted}\n"
    )


def forward_block(fwd: dict[str, str], sent: datetime, to: P) -> str:
    p = PEOPLE[fwd["who"]]
    style = fwd["style"]
    if style in ("outlook", "outlook-noaddr"):
        sender = (
            f"{p.display or p.name} <{p.email}>" if style == "outlook" else (p.display or p.name)
        )
        return (
            f"\n\nFrom: {sender}\nSent: {sent.strftime('%d %B %Y %H:%M')}\nTo: {to.name}"
            f" <{to.email}>\n"
            f"Subject: {fwd['subject']}\n\n{fwd['body']}\n"
        )
    if style == "apple":
        return (
            f"\n\nBegin forwarded message:\n\nFrom: {p.name} <{p.email}>\nSubject:"
            f" {fwd['subject']}\n"
            f"Date: {sent.strftime('%-d %B %Y at %H:%M:%S GMT')}\nTo: {to.name}"
            f" <{to.email}>\n\n{fwd['body']}\n"
        )
    return (
        f"\n\n---------- Forwarded message ---------\nFrom: {p.name} <{p.email}>\n"
        f"Date: {sent.strftime('%a, %-d %b %Y at %H:%M')}\nSubject: {fwd['subject']}\n"
        f"To: {to.name} <{to.email}>\n\n\n{fwd['body']}\n"
    )


def to_html(text: str, layout: str) -> str:
    paragraphs = text.split("\n\n")
    if layout == "outlook":
        parts = []
        for para in paragraphs:
            lines = [html.escape(line) for line in para.split("\n")]
            lines = [
                f"<b>{line[: line.index(':') + 1]}</b>{line[line.index(':') + 1 :]}"
                if line.split(":")[0] in ("From", "Sent", "To", "Subject") and ":" in line
                else line
                for line in lines
            ]
            parts.append("<p class=MsoNormal>" + "<br>\n".join(lines) + "<o:p></o:p></p>")
        body = "\n".join(parts)
        return (
            '<html xmlns:o="urn:schemas-microsoft-com:office:office">'
            "<head><meta http-equiv=Content-Type "
            'content="text/html; charset=utf-8"><style><!-- p.MsoNormal {margin:0cm; '
            "font-size:11.0pt;"
            'font-family:"Calibri",sans-serif;} --></style></head><body lang=EN-GB link="#0563C1">'
            f"<div class=WordSection1>{body}</div></body></html>"
        )
    out = []
    quote_lines: list[str] = []
    for line in text.split("\n"):
        if line.startswith(">"):
            quote_lines.append(html.escape(line[1:].lstrip()))
            continue
        out.append(html.escape(line) + "<br>")
    quoted = ""
    if quote_lines:
        quoted = (
            '<blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid '
            'rgb(204,204,204);padding-left:1ex">' + "<br>".join(quote_lines) + "</blockquote>"
        )
    return f'<div dir="ltr">{"".join(out)}</div>{quoted}'


def encode_text(text: str, subtype: str, charset: str) -> MIMEText:
    if charset == "qp":
        cs = email_charset.Charset("utf-8")
        cs.body_encoding = email_charset.QP
        part = MIMEText(text, subtype, cs)  # type: ignore[arg-type]
    elif charset == "base64":
        part = MIMEText(text, subtype, "utf-8")
    elif charset in ("cp1252", "latin1-mislabel", "utf8-as-latin1"):
        part = MIMEText("", subtype, "utf-8")
        raw = text.encode("utf-8" if charset == "utf8-as-latin1" else "cp1252", errors="replace")
        label = "windows-1252" if charset == "cp1252" else "iso-8859-1"
        del part["Content-Transfer-Encoding"]
        part.set_payload(raw.decode("ascii", "surrogateescape"))
        part.set_param("charset", label)
        part["Content-Transfer-Encoding"] = "8bit"
    else:
        cs = email_charset.Charset("utf-8")
        cs.body_encoding = None  # 8bit
        part = MIMEText(text, subtype, cs)  # type: ignore[arg-type]
    return part


def render(c: Case, rng: random.Random, number: int) -> bytes:
    p = PEOPLE[c.who]
    layout = c.layout or rng.choice(LAYOUTS)
    mime = c.mime or rng.choices(["plain", "alt", "html"], [5, 3, 1])[0]
    charset = c.charset or rng.choices(["utf-8", "qp", "base64", "cp1252"], [4, 2, 2, 1])[0]
    now = datetime.fromisoformat(c.now) if c.now else datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
    sent = now - timedelta(minutes=rng.randint(5, 600))
    body = c.body
    if c.sig and body:
        sig = signature(p, rng, layout)
        if sig:
            body += "\n\n" + sig
        if p.org and layout in ("outlook", "plain") and rng.random() < 0.5:
            body += "\n\n" + rng.choice(DISCLAIMERS)
    if layout == "iphone" and "Sent from my iPhone" not in body:
        body += "\n\nSent from my iPhone"
    elif layout == "android" and rng.random() < 0.7:
        body += "\n\n" + rng.choice(
            ["Get Outlook for Android", "Sent from my Galaxy", "Sent from Outlook for Android"]
        )
    if c.forward and c.forward["style"] != "rfc822":
        body += forward_block(c.forward, sent - timedelta(hours=3), p)
    if c.quote:
        desk_subject = c.subject.split(":", 1)[1].strip() if ":" in c.subject else c.subject
        body += quote_block(
            layout, quoted_desk_message(c.quote, c), sent - timedelta(days=2), desk_subject, p
        )

    if mime == "plain" or (c.forward and c.forward["style"] == "rfc822"):
        part: Any = encode_text(body, "plain", charset)
    elif mime == "html":
        part = encode_text(
            to_html(body, layout), "html", charset if charset != "cp1252" else "utf-8"
        )
    else:
        part = MIMEMultipart("alternative")
        part.attach(encode_text(body, "plain", charset))
        part.attach(encode_text(to_html(body, layout), "html", "utf-8"))
    if c.forward and c.forward["style"] == "rfc822":
        inner_p = PEOPLE[c.forward["who"]]
        inner = encode_text(c.forward["body"], "plain", "utf-8")
        inner["From"] = f"{inner_p.name} <{inner_p.email}>"
        inner["To"] = f"{p.name} <{p.email}>"
        inner["Subject"] = c.forward["subject"]
        inner["Date"] = format_datetime(sent - timedelta(hours=5))
        inner["Message-ID"] = f"<inner-{number}@{inner_p.email.split('@')[1]}>"
        outer = MIMEMultipart("mixed")
        outer.attach(part)
        attached = MIMEMessage(inner)
        attached.add_header("Content-Disposition", "attachment", filename="request.eml")
        outer.attach(attached)
        part = outer

    shown = p.display or p.name
    if not shown.isascii():
        part["From"] = f"{Header(shown, 'utf-8').encode()} <{p.email}>"
    elif "," in shown or "(" in shown:
        part["From"] = f'"{shown}" <{p.email}>'
    else:
        part["From"] = f"{shown} <{p.email}>"
    part["To"] = f"{DESK[0]} <{DESK[1]}>"
    part["Subject"] = Header(c.subject, "utf-8").encode() if not c.subject.isascii() else c.subject
    part["Date"] = format_datetime(sent)
    part["Message-ID"] = f"<{number:04d}.{rng.randint(10**8, 10**9)}@{p.email.split('@')[1]}>"
    if c.context or c.quote:
        ref = f"<out-{number:04d}@lupc-events.example>"
        part["In-Reply-To"] = ref
        part["References"] = f"<req-{number:04d}@{p.email.split('@')[1]}> {ref}"
    # Fixed boundaries keep the generated files identical from run to run.
    for i, sub in enumerate(part.walk()):
        if sub.is_multipart():
            sub.set_boundary(f"----=_Part_{number}_{i}")
    header, value = MAILERS[layout]
    part[header] = value
    if "MIME-Version" not in part:
        part["MIME-Version"] = "1.0"
    return bytes(
        part.as_bytes(policy=part.policy.clone(linesep="\r\n" if layout == "outlook" else "\n"))
    )


# Some cases are worth seeing in a second client/charset/sender: replays with variations.
REPLAYS = [
    ("reg-textiles-24th", "lucy", "gmail", "alt", "qp"),
    ("reg-seafood-one", "daniel", "outlook", "html", "utf-8"),
    ("reg-two-events", "gareth", "apple", "plain", "base64"),
    ("cancel-reply-confirm", "sarah", "gmail", "alt", "utf-8"),
    ("offer-yes-please", "femi", "outlook", "html", "utf-8"),
    ("offer-no-thanks", "efua", "iphone", "plain", "qp"),
    ("sub-in-my-place", "femi", "plain", "plain", "cp1252"),
    ("ack-thanks", "gareth", "outlook", "html", "utf-8"),
    ("q-recording", "aisha", "outlook", "alt", "base64"),
    ("amb-the-workshop", "imran", "iphone", "plain", "utf-8"),
    ("fwd-outlook-priya", "tom", "outlook", "html", "utf-8"),
    ("fwd-gmail-register-me", "helen", "gmail", "alt", "qp"),
    ("reg-me-and-colleague", "priya", "outlook", "alt", "base64"),
    ("cancel-fresh-named", "efua", "apple", "alt", "utf-8"),
    ("reg-webinar-1", "megan", "android", "plain", "utf-8"),
    ("reg-may-workshop", "femi", "outlook", "html", "utf-8"),
    ("cancel-withdraw", "zofia", "outlook", "alt", "qp"),
    ("reg-logistics-freight", "hannah", "gmail", "html", "utf-8"),
    ("reg-uniforms", "siobhan", "outlook", "plain", "latin1-mislabel"),
    ("offer-cant-make", "owen", "gmail", "alt", "base64"),
    ("ack-great-thank-you", "priya", "apple", "plain", "utf-8"),
    ("cancel-remove-me", "kwame", "outlook", "html", "utf-8"),
    ("reg-sept-24th", "sarah", "outlook", "html", "utf-8"),
    ("amb-the-28th", "tom", "gmail", "alt", "utf-8"),
    ("reg-next-one", "rajesh", "outlook", "alt", "qp"),
    ("q-slides", "ben", "gmail", "html", "utf-8"),
]


def replay(c: Case, who: str, layout: str, mime: str, charset: str) -> Case:
    old, new = PEOPLE[c.who], PEOPLE[who]
    swap = {old.email: new.email}

    def people(emails: list[str]) -> list[str]:
        return [swap.get(e, e) for e in emails]

    body = c.body.replace(old.name.split()[0], new.name.split()[0]) if c.who != who else c.body
    context = dict(c.context, recipient=new.email) if c.context else None
    return Case(
        f"{c.name}--{layout}-{mime}-{charset}",
        who,
        c.subject,
        body,
        c.intent,
        list(c.events),
        people(c.people),
        c.substitute,
        c.unclear,
        context,
        c.quote,
        c.forward,
        c.now,
        layout,
        mime,
        charset,
        c.sig,
    )


def main() -> None:
    define_cases()
    define_more()
    by_name = {c.name: c for c in CASES}
    cases = CASES + [replay(by_name[n], *rest) for n, *rest in REPLAYS]
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    rng = random.Random(20250106)
    for number, c in enumerate(cases, start=1):
        raw = render(c, rng, number)
        stem = f"{number:03d}-{c.name}"
        (OUT / f"{stem}.eml").write_bytes(raw)
        expect = {
            "intent": c.intent,
            "event_ids": c.events,
            "people": c.people,
            "substitute": c.substitute,
            "unclear": c.unclear,
            "context": c.context,
            "now": c.now,
        }
        (OUT / f"{stem}.expect.json").write_text(
            json.dumps(expect, indent=2) + "\n", encoding="utf-8"
        )
    print(f"wrote {len(cases)} messages to {OUT}")


if __name__ == "__main__":
    main()
