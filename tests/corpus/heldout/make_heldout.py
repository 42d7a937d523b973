"""Write the held-out understanding corpus: member mail (.eml) and what a coordinator would do.

Run from the repository root: .venv/bin/python tests/corpus/heldout/make_heldout.py
Written without looking at the interpreter or the tuning corpus, to measure real accuracy.
Deterministic: the same script writes the same files. Every person and organisation is fictional.
"""

from __future__ import annotations

import html
import json
import random
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
OUT = HERE / "messages"
DESK = Address("Knowledge Building Series", "registrations", "lupc-events.example")
COORDINATOR = "Suzanne Picken"
DEFAULT_NOW = "2025-01-06T09:00:00+00:00"

C, L, EM, F, T, EO, FU = (
    "construction-2025",
    "logistics-2025",
    "evidence-skills-may-2025",
    "food-2025",
    "textiles-2025",
    "evidence-skills-oct-2025",
    "furniture-2025",
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
    "nadia": P(
        "Nadia Rahman",
        "nadia.rahman@camden-council.example",
        "Commercial Officer",
        "Camden Council",
    ),
    "siobhan": P(
        "Siobhán Byrne",
        "siobhan.byrne@camden-council.example",
        "Social Value Officer",
        "Camden Council",
    ),
    "agnieszka": P(
        "Agnieszka Wójcik",
        "a.wojcik@camden-council.example",
        "Contracts & Compliance Officer",
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
    "james": P(
        "James O'Brien",
        "j.obrien@westbury.ac.example",
        "Senior Buyer - Construction",
        "Westbury University",
        "O'Brien, James",
    ),
    "efua": P(
        "Efua Mensah",
        "efua.mensah@westbury.ac.example",
        "Category Manager - ICT & Furniture",
        "Westbury University",
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
    "olu": P(
        "Olumide Bakare",
        "olumide.bakare@nhs-north-london.example",
        "Contract Manager",
        "NHS North London Procurement",
    ),
    "megan": P(
        "Megan Doyle",
        "megan.doyle@nhs-north-london.example",
        "Procurement Graduate Trainee",
        "NHS North London Procurement",
    ),
    "gareth": P(
        "Gareth Lloyd",
        "g.lloyd@kingsgate-college.example",
        "Finance & Procurement Manager",
        "Kingsgate College",
    ),
    "fiona": P(
        "Fiona McGregor",
        "f.mcgregor@kingsgate-college.example",
        "Procurement Officer",
        "Kingsgate College",
    ),
    "zofia": P(
        "Zofia Nowak",
        "zofia.nowak@kingsgate-college.example",
        "Purchasing Officer",
        "Kingsgate College",
    ),
    "catherine": P(
        "Catherine Hale",
        "c.hale@kingsgate-college.example",
        "Head of Catering & Food Services",
        "Kingsgate College",
    ),
    "dev": P(
        "Dev Patel", "dev.patel@riverside-housing.example", "Procurement Lead", "Riverside Housing"
    ),
    "jamie": P("Jamie Turner", "jamie.t1987@gmail.test", "", ""),
    "mark": P(
        "Mark Ellis",
        "mark.ellis@random-supplier.example",
        "Business Development Director",
        "Random Supplier Ltd",
    ),
}

DISCLAIMERS = {
    "Camden Council": "This e-mail and any files transmitted with it are confidential and"
    " intended solely for the"
    " use of the individual or entity to whom they are addressed. If you have received this"
    " e-mail in error please notify the sender immediately and delete it. Camden Council"
    " reserves the right to monitor all e-mail communications.",
    "NHS North London Procurement": "NHS North London Procurement - Supporting patient care"
    " through better buying.\nThis message"
    " may contain confidential information. If you are not the intended recipient please inform"
    " the sender that you have received the message in error before deleting it. Please do not"
    " disclose, copy or distribute information in this e-mail or take any action in reliance on"
    " its contents: to do so is strictly prohibited and may be unlawful.",
    "Westbury University": "Westbury University is a charity registered in England. Emails"
    " may be monitored. If you"
    " are not the intended recipient, you must not use, forward or register this message;"
    " please cancel any copies and tell the sender.",
}
BANNER = (
    "CAUTION: This email originated from outside of the organisation. Do not click links or"
    " open attachments unless you recognise the sender and know the content is safe."
)

ANNOUNCEMENT = (
    "LUPC has signed up to Electronic Watch's Knowledge Building Series of webinars and"
    " workshops. 15 places are available via LUPC for its full members on each 1.5-hour"
    " webinar.\n\nWebinars and Workshops 2025 Timetable\n"
    "Construction (including materials) 29 January\n"
    "Logistics (including freight transport, warehouses) 28 March\n"
    "Evidence skills training workshop 28 May\n"
    "Food (including frozen imported seafood) 25 June\n"
    "Textiles (including uniforms, linen) 24 September\n"
    "Evidence skills training workshop 29 October\n"
    "Furniture 10 December\n\n"
    "Webinar 1: The Construction Industry 29 January 2025 - 10.00-11.30\n\n"
    "NB Only 15 places are available, once full, registrees will be added to a waiting list. If"
    " you are no longer able to attend, please contact Suzanne Picken as soon as possible, so"
    " your place can be allocated to someone on the waiting list.\n\n"
    "Register here by 21 January 2025."
)


def desk_text(kind: str, event_id: str, first: str) -> tuple[str, str]:
    """(subject, body) of mailflow's own mail being answered, as its templates write it."""
    title, when = TITLES[event_id]
    if kind == "confirmed":
        subject = f"Your place at {title}, {when}"
        para = (
            f"You have a place at {title} on {when}, 10:00–11:30. We will send the joining"
            " details a couple of days before."
        )
    elif kind == "waitlisted":
        subject = f"Waiting list: {title}, {when}"
        para = (
            f"{title} ({when}) is full at the moment, so you are on the waiting list,"
            " number 3. If a place comes up we will email you straight away and hold it for"
            " 48 hours."
        )
    elif kind == "offered":
        subject = f"A place has come up: {title}, {when}"
        para = (
            f"Good news: a place has come up at {title} on {when}, 10:00–11:30, and it is"
            " yours if you want it. We are holding it for you until Wednesday 8 January 2025"
            " at 09:00 (48 hours). Just reply “yes” to take it, or “no” to pass it on to the"
            " next person. If we do not hear from you by then, the place goes to the next"
            " person on the waiting list and you come off the list for this session."
        )
    elif kind == "cancelled":
        subject = f"Your place at {title} is cancelled"
        para = (
            f"Your place at {title} on {when} is cancelled. Thank you for letting us know —"
            " if anyone is waiting, it goes to the next person on the list."
        )
    else:
        raise ValueError(kind)
    body = (
        f"Dear {first},\n\n{para}\n\nWith best wishes,\n{COORDINATOR}\n"
        "Knowledge Building Series registrations"
    )
    return subject, body


@dataclass
class Case:
    name: str
    who: str
    subject: str
    body: str
    intent: str
    events: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)  # keys of PEOPLE
    substitute: str | None = None  # key of PEOPLE
    unclear: bool = False
    context: tuple[str, list[str]] | None = None  # (outcome, event ids) of mailflow's mail
    now: str | None = None
    layout: str = ""  # outlook | outlook-html | outlook-ios | gmail | iphone | android | plain
    forward: dict[str, str] | None = None  # {"who", "subject", "body", "style"}
    quote_announcement: bool = False
    sig: bool = True
    banner: bool = False
    extra_sig: str = ""  # appended after the signature (out-of-office notes, pronouns)


CASES: list[Case] = []


def add(
    name: str,
    who: str,
    subject: str,
    body: str,
    intent: str,
    events: list[str] | None = None,
    **kw: Any,
) -> None:
    CASES.append(Case(name, who, subject, body, intent, events or [], **kw))


def define_register() -> None:  # noqa: PLR0915 - a long, flat list is the readable form
    add(
        "reg-pop-me-down",
        "fiona",
        "Logistics webinar",
        "Hi there,\n\nCould you pop me down for the logistics webinar on 28th March please?\n\n"
        "Thanks",
        "register",
        [L],
    )
    add(
        "reg-put-my-name-down",
        "olu",
        "Textiles",
        "Morning,\n\nPlease put my name down for the textiles session in September.",
        "register",
        [T],
    )
    add(
        "reg-grateful-slash-date",
        "helen",
        "Registration - Food webinar 25/06",
        "Dear Suzanne,\n\nI'd be grateful if you could register me for the Food webinar on"
        " 25/06.\n\nBest wishes",
        "register",
        [F],
        layout="outlook",
    )
    add(
        "reg-grab-a-spot",
        "james",
        "spot?",
        "Hi - can I grab a spot on the furniture one in December? Cheers",
        "register",
        [FU],
        layout="gmail",
    )
    add(
        "reg-typo-registr",
        "megan",
        "construction",
        "registr me for the construction webinar pls",
        "register",
        [C],
        layout="iphone",
        sig=False,
    )
    add(
        "reg-typo-furnature",
        "gareth",
        "Furnature webinar",
        "Hello,\n\nI'd like to registre for the furnature webinar 10th Dec.\n\nRegards",
        "register",
        [FU],
        layout="plain",
    )
    add(
        "reg-date-slash-only",
        "nadia",
        "Booking",
        "Hi,\n\nPlease book me on the session on 29/01.\n\nMany thanks",
        "register",
        [C],
    )
    add(
        "reg-date-dots",
        "zofia",
        "Knowledge Building Series",
        "Dear Sir/Madam,\n\nI would like to attend the webinar on 28.03.2025.\n\nKind regards",
        "register",
        [L],
        layout="outlook-html",
    )
    add(
        "reg-month-first-date",
        "sarah",
        "Sept 24",
        "Hi! Put me down for Sept 24th please - textiles & uniforms is right up my street.",
        "register",
        [T],
        layout="iphone",
    )
    add(
        "reg-ordinal-of-month",
        "efua",
        "Evidence workshop",
        "Hello,\n\nI'd like to book onto the evidence skills workshop on the 29th of October.\n\n"
        "Thank you",
        "register",
        [EO],
    )
    add(
        "reg-two-topics",
        "tom",
        "Two sessions",
        "Hi,\n\nCan you register me for both the construction and the logistics webinars?\n\n"
        "Thanks, Tom",
        "register",
        [C, L],
        layout="outlook",
        sig=False,
    )
    add(
        "reg-both-evidence-workshops",
        "helen",
        "Evidence skills workshops",
        "Could you book me onto both evidence skills workshops (May and October)?",
        "register",
        [EM, EO],
    )
    add(
        "reg-frozen-seafood-outlook",
        "rajesh",
        "Frozen seafood webinar",
        "Please register me for the frozen seafood webinar. Thanks",
        "register",
        [F],
        layout="outlook-html",
        banner=True,
    )
    add(
        "reg-is-it-ok-to-sign-me-up",
        "owen",
        "Uniforms webinar",
        "Hiya, is it OK to sign me up to the one on uniforms & linen? Thanks!",
        "register",
        [T],
        layout="android",
    )
    add(
        "reg-colleague-only",
        "tom",
        "Booking for a colleague",
        "Hi Suzanne,\n\nCould you please register my colleague Nadia Rahman"
        " (nadia.rahman@camden-council.example) for the construction webinar on 29 January?"
        " She's leading on our new build framework.\n\nThanks",
        "register",
        [C],
        people=["nadia"],
        layout="outlook",
    )
    add(
        "reg-me-and-colleague",
        "sarah",
        "Textiles - 2 places",
        "Hello,\n\nCould I book two places on the textiles webinar please - one for me and one"
        " for my colleague Olumide Bakare, olumide.bakare@nhs-north-london.example.\n\n"
        "Many thanks",
        "register",
        [T],
        people=["sarah", "olu"],
    )
    add(
        "reg-team-list-not-me",
        "gareth",
        "Furniture - team booking",
        "Hi,\n\nPlease can you register the following for Furniture (10 Dec):\n\n"
        "- Fiona McGregor f.mcgregor@kingsgate-college.example\n"
        "- Zofia Nowak zofia.nowak@kingsgate-college.example\n\n"
        "I won't be attending myself.\n\nThanks",
        "register",
        [FU],
        people=["fiona", "zofia"],
        layout="outlook",
    )
    add(
        "reg-mobile-one-liner",
        "megan",
        "",
        "food one pls x",
        "register",
        [F],
        layout="iphone",
        sig=False,
    )
    add(
        "reg-subject-only",
        "james",
        "Register: Logistics 28 March",
        "",
        "register",
        [L],
        layout="outlook",
    )
    add(
        "reg-signature-says-food",
        "catherine",
        "Webinar",
        "Hi,\n\nPlease sign me up for the construction webinar - we're refurbishing the"
        " refectory next year.\n\nThanks",
        "register",
        [C],
        layout="outlook",
    )
    add(
        "reg-leave-note-in-signature",
        "priya",
        "Textiles",
        "Hi, please can I register for textiles?",
        "register",
        [T],
        extra_sig="I work Monday to Thursday. I'm on annual leave 24-28 March.",
    )
    add(
        "reg-external-banner",
        "olu",
        "Logistics session",
        "Please register me for logistics. Thanks",
        "register",
        [L],
        layout="outlook-html",
        banner=True,
    )
    add(
        "reg-next-months-food",
        "fiona",
        "Next month",
        "Hi, can I come to next month's food webinar? Thanks, Fiona",
        "register",
        [F],
        now="2025-05-02T09:00:00+00:00",
        sig=False,
    )
    add(
        "reg-workshop-next-week",
        "olu",
        "Workshop next week",
        "Is there still room on the evidence workshop next week? If so please add me.",
        "register",
        [EM],
        now="2025-05-19T09:00:00+00:00",
    )
    add(
        "reg-evidence-only-one-left",
        "sarah",
        "Evidence skills",
        "Hello,\n\nI'd like to attend the evidence skills workshop please.\n\nThanks",
        "register",
        [EO],
        now="2025-07-01T09:00:00+00:00",
    )
    add(
        "reg-weekday-short-date",
        "james",
        "Wed 10 Dec",
        "Pls register me for Wed 10 Dec webinar. ta",
        "register",
        [FU],
        layout="android",
        sig=False,
    )
    add(
        "reg-dash-date",
        "zofia",
        "Registration",
        "Hi, please put me on the 24-Sep-25 session. Thank you",
        "register",
        [T],
    )
    add(
        "reg-if-space",
        "efua",
        "Logistics",
        "Hello, if there's still space on the logistics webinar I'd love to join. Thank you!",
        "register",
        [L],
    )
    add(
        "reg-too-late-to-sign-up",
        "tom",
        "Construction 29th",
        "Is it too late to sign up for the construction one on the 29th?",
        "register",
        [C],
        now="2025-01-15T09:00:00+00:00",
        layout="outlook-ios",
    )
    add(
        "reg-all-remaining",
        "helen",
        "Remaining sessions",
        "Dear Suzanne,\n\nPlease register me for all the remaining sessions in the series.\n\n"
        "With thanks",
        "register",
        [EM, F, T, EO, FU],
        now="2025-04-01T09:00:00+00:00",
    )
    add(
        "reg-forwarded-announcement",
        "nadia",
        "FW: Knowledge Building Series 2025",
        "Hi,\n\nI'd like to sign up for the Food one from the list below please.\n\nThanks",
        "register",
        [F],
        layout="outlook",
        forward={
            "who": "tom",
            "subject": "Knowledge Building Series 2025",
            "body": "FYI - worth going to one of these.\n\n" + ANNOUNCEMENT,
            "style": "outlook",
        },
    )
    add(
        "reg-forwarded-colleague-ask",
        "tom",
        "FW: webinar",
        "Hi Suzanne,\n\nPlease see below - could you register Nadia? Thanks\n\nTom",
        "register",
        [T],
        people=["nadia"],
        layout="outlook",
        sig=False,
        forward={
            "who": "nadia",
            "subject": "webinar",
            "body": "Tom, could you get me on the textiles webinar in September? Not sure"
            " who to ask.\n\nNadia",
            "style": "outlook",
        },
    )
    add(
        "reg-formal-html",
        "rajesh",
        "Logistics webinar - Friday 28 March",
        "Dear Knowledge Building team,\n\nFurther to the LUPC newsletter, I would be grateful if"
        " you could reserve a place for me on the Logistics (freight transport, warehouses)"
        " webinar on Friday 28 March.\n\nI look forward to receiving the joining details.",
        "register",
        [L],
        layout="outlook-html",
    )
    add(
        "reg-personal-address",
        "jamie",
        "food webinar",
        "Hi, I work at Camden but this is my personal email - can I register for the food webinar?",
        "register",
        [F],
        layout="gmail",
    )
    add(
        "reg-supplier",
        "mark",
        "Textiles webinar attendance",
        "Good afternoon,\n\nWe'd like to attend the textiles webinar. We supply uniforms to"
        " several councils.\n\nBest regards",
        "register",
        [T],
        layout="outlook",
    )
    add(
        "reg-typo-contruction",
        "agnieszka",
        "webinar",
        "Could you reigster me for the contruction webinar please?",
        "register",
        [C],
    )
    add(
        "reg-sea-food",
        "megan",
        "June",
        "Can I get on the sea food webinar in June?",
        "register",
        [F],
        layout="android",
    )
    add(
        "reg-interested-in-attending",
        "owen",
        "Textiles webinar 24th September",
        "Hello,\n\nI'm interested in attending the Textiles webinar on 24th September.\n\n"
        "Best, Owen",
        "register",
        [T],
        sig=False,
    )
    add(
        "reg-count-me-in-announcement",
        "james",
        "Re: Knowledge Building Series 2025",
        "Count me in for furniture!",
        "register",
        [FU],
        quote_announcement=True,
        layout="gmail",
    )
    add(
        "reg-colleague-too-in-thread",
        "sarah",
        "",
        "Thanks Suzanne. Could my colleague Megan"
        " Doyle (megan.doyle@nhs-north-london.example) come along too?",
        "register",
        [T],
        people=["megan"],
        context=("confirmed", [T]),
    )
    add(
        "reg-another-in-thread",
        "priya",
        "",
        "Great, thanks. Could you also put me down for the logistics one?",
        "register",
        [L],
        context=("confirmed", [C]),
        layout="outlook",
    )
    add(
        "reg-chasing-own-mail",
        "megan",
        "FW: Logistics webinar",
        "Hi, just chasing this as I haven't heard back - thanks!",
        "register",
        [L],
        layout="outlook",
        forward={
            "who": "megan",
            "subject": "Logistics webinar",
            "body": "Hello, please register me for the logistics webinar in March. Thanks, Megan",
            "style": "outlook",
        },
    )
    add(
        "reg-manager-forwards-announcement",
        "helen",
        "FW: Webinar 1: The Construction Industry",
        "Suzanne - please book Owen Price (o.price@westbury.ac.example) onto the Construction"
        " session. Details forwarded below for reference.\n\nHelen",
        "register",
        [C],
        people=["owen"],
        sig=False,
        layout="gmail",
        forward={
            "who": "tom",
            "subject": "Webinar 1: The Construction Industry",
            "body": ANNOUNCEMENT,
            "style": "gmail",
        },
    )
    add(
        "reg-can-i-attend-december",
        "dev",
        "December webinar",
        "Hi, can I attend the December one? Thanks, Dev",
        "register",
        [FU],
        sig=False,
    )
    add(
        "reg-lowercase-month-abbrev",
        "zofia",
        "28 may",
        "hello, i want to register for the workshop on 28 may. thank you",
        "register",
        [EM],
        layout="android",
        sig=False,
    )
    add(
        "reg-save-me-a-place",
        "siobhan",
        "Textiles",
        "Hello,\n\nCould you save me a place on the textiles webinar please? Social value"
        " colleagues are keen.\n\nBest, Siobhán",
        "register",
        [T],
        sig=False,
    )
    add(
        "reg-book-in-for",
        "olu",
        "Construction 29/1",
        "Hi - please book me in for construction on 29/1. Ta, Olu",
        "register",
        [C],
        layout="outlook-ios",
        sig=False,
    )


def define_cancel() -> None:
    add(
        "cancel-drop-out",
        "james",
        "Logistics webinar",
        "Hi Suzanne,\n\nI'm afraid I'll have to drop out of the logistics webinar - it clashes"
        " with a tender evaluation. Sorry!\n\nJames",
        "cancel",
        [L],
        sig=False,
    )
    add(
        "cancel-typo-mobile",
        "megan",
        "food",
        "cancell my place for food pls, cant make it",
        "cancel",
        [F],
        layout="iphone",
        sig=False,
    )
    add(
        "cancel-in-thread-something-came-up",
        "olu",
        "",
        "Hi, something's come up and I won't be able to make this now. Please release my place.",
        "cancel",
        [FU],
        context=("confirmed", [FU]),
        layout="outlook",
    )
    add(
        "cancel-in-thread-one-liner",
        "nadia",
        "",
        "Can't make it anymore sorry",
        "cancel",
        [C],
        context=("confirmed", [C]),
        layout="iphone",
        sig=False,
    )
    add(
        "cancel-withdraw-date",
        "helen",
        "Workshop 28 May",
        "Please withdraw me from the 28 May workshop.",
        "cancel",
        [EM],
    )
    add(
        "cancel-leave-waitlist",
        "sarah",
        "",
        "No need to keep me on the waiting list - we've had training from elsewhere. Please"
        " take me off.",
        "cancel",
        [T],
        context=("waitlisted", [T]),
        layout="gmail",
    )
    add(
        "cancel-no-event-named",
        "zofia",
        "Webinar place",
        "Hi, unfortunately I can no longer attend. Please give my place to someone else.",
        "cancel",
        [],
    )
    add(
        "cancel-in-thread-outlook-html",
        "rajesh",
        "",
        "Apologies, I need to cancel - I'm now on leave that week.",
        "cancel",
        [T],
        context=("confirmed", [T]),
        layout="outlook-html",
    )
    add(
        "cancel-on-behalf-of-colleague",
        "gareth",
        "Furniture webinar - Fiona",
        "Hi,\n\nFiona McGregor (f.mcgregor@kingsgate-college.example) has asked me to let you"
        " know she can't attend the furniture webinar - please cancel her place.\n\nThanks",
        "cancel",
        [FU],
        people=["fiona"],
    )
    add(
        "cancel-not-able-after-all",
        "efua",
        "Textiles 24/9",
        "Unfortunately I'm not able to attend the textiles session on 24/9 after all.",
        "cancel",
        [T],
    )
    add(
        "cancel-free-up-seat",
        "tom",
        "29 Jan",
        "Please free up my seat on 29 Jan for someone on the waiting list - I'm double-booked.",
        "cancel",
        [C],
        layout="outlook-ios",
        sig=False,
    )
    add(
        "cancel-two-topics",
        "owen",
        "Cancellation",
        "Could you cancel me from both the food and textiles webinars? Workload, sadly.",
        "cancel",
        [F, T],
    )
    add(
        "cancel-forwarded-confirmation",
        "priya",
        "FW: Your place at Textiles",
        "Hi, I can no longer go to this one, sorry - please cancel.",
        "cancel",
        [T],
        layout="outlook",
        forward={"who": "desk-confirmed-T", "subject": "", "body": "", "style": "outlook"},
    )
    add(
        "cancel-in-thread-wont-be-joining",
        "sarah",
        "",
        "Sorry, won't be joining on Friday after all. Hope someone else can use the place.",
        "cancel",
        [L],
        context=("confirmed", [L]),
        now="2025-03-24T09:00:00+00:00",
    )
    add(
        "cancel-unable-to-make-html",
        "agnieszka",
        "Construction webinar",
        "Dear Suzanne,\n\nRegrettably I will be unable to make the construction webinar on"
        " 29 January due to a board meeting. Please remove me from the list.\n\nKind regards",
        "cancel",
        [C],
        layout="outlook-html",
    )
    add(
        "cancel-typo-logistcs",
        "dev",
        "logistcs",
        "pls cancel my booking for the logistcs webinar",
        "cancel",
        [L],
        sig=False,
        layout="android",
    )


def define_substitute() -> None:
    add(
        "sub-in-thread-go-in-my-place",
        "priya",
        "",
        "Hi Suzanne,\n\nI can't make this now, but my colleague Siobhán Byrne"
        " (siobhan.byrne@camden-council.example) would like to go in my place - is that OK?\n\n"
        "Priya",
        "substitute",
        [C],
        substitute="siobhan",
        context=("confirmed", [C]),
        layout="outlook",
        sig=False,
    )
    add(
        "sub-named-event",
        "owen",
        "Food webinar - change of attendee",
        "Hi, I'm booked on the food webinar but can't attend. Could James O'Brien take my place"
        " instead? His email is j.obrien@westbury.ac.example.",
        "substitute",
        [F],
        substitute="james",
    )
    add(
        "sub-transfer-my-place",
        "rajesh",
        "Transfer of place",
        "Please transfer my place on the Textiles webinar to Olumide Bakare"
        " <olumide.bakare@nhs-north-london.example>.",
        "substitute",
        [T],
        substitute="olu",
        layout="outlook-html",
    )
    add(
        "sub-no-event-no-thread",
        "fiona",
        "Change of attendee",
        "Hello, I'm no longer able to attend, but Zofia (zofia.nowak@kingsgate-college.example)"
        " will attend in my place.",
        "substitute",
        [],
        substitute="zofia",
    )
    add(
        "sub-in-thread-instead-of-me",
        "helen",
        "",
        "Efua Mensah, efua.mensah@westbury.ac.example, will attend instead of me.",
        "substitute",
        [EO],
        substitute="efua",
        context=("confirmed", [EO]),
        layout="gmail",
    )
    add(
        "sub-send-colleague-along",
        "sarah",
        "Logistics - swap",
        "Hi Suzanne, I can't make the logistics webinar any more - can I send my colleague Megan"
        " Doyle (megan.doyle@nhs-north-london.example) along instead?",
        "substitute",
        [L],
        substitute="megan",
    )
    add(
        "sub-no-email-given",
        "tom",
        "",
        "Can't do this now - could Nadia go instead?",
        "substitute",
        [L],
        context=("confirmed", [L]),
        unclear=True,
        layout="outlook-ios",
        sig=False,
    )


def define_offers() -> None:
    add(
        "offer-yes-please-mobile",
        "megan",
        "",
        "Yes please!!",
        "accept-offer",
        [F],
        context=("offered", [F]),
        layout="iphone",
        sig=False,
    )
    add(
        "offer-ill-take-it",
        "olu",
        "",
        "Brilliant - I'll take it, thank you.",
        "accept-offer",
        [T],
        context=("offered", [T]),
    )
    add(
        "offer-go-on-then",
        "james",
        "",
        "Go on then, yes.",
        "accept-offer",
        [L],
        context=("offered", [L]),
        layout="android",
        sig=False,
    )
    add(
        "offer-yes-with-question",
        "sarah",
        "",
        "Yes please - will the slides be sent round afterwards?",
        "accept-offer",
        [EO],
        context=("offered", [EO]),
        # Revised after the first run, to the house rule (the tuning corpus's "book me, and
        # will slides be shared?" case): a request carrying a question only a person can
        # answer goes to the coordinator, who takes the place and answers in one reply.
        unclear=True,
        layout="gmail",
    )
    add(
        "offer-accept-outlook-html",
        "rajesh",
        "",
        "Yes, I would like the place. Thank you.",
        "accept-offer",
        [C],
        context=("offered", [C]),
        layout="outlook-html",
    )
    add(
        "offer-pass",
        "fiona",
        "",
        "Thanks, but I'll pass - please offer it to the next person.",
        "decline-offer",
        [FU],
        context=("offered", [FU]),
    )
    add(
        "offer-decline-cant-make-date",
        "efua",
        "",
        "No thank you - I can't make that date now.",
        "decline-offer",
        [T],
        context=("offered", [T]),
        layout="outlook",
    )
    add(
        "offer-decline-typo",
        "zofia",
        "",
        "no thnks, cant do it",
        "decline-offer",
        [L],
        context=("offered", [L]),
        layout="iphone",
        sig=False,
    )
    add(
        "offer-yes-typo",
        "tom",
        "",
        "Yes pls, thnx",
        "accept-offer",
        [C],
        context=("offered", [C]),
        layout="outlook-ios",
        sig=False,
    )
    add(
        "offer-accept-formal",
        "helen",
        "",
        "Dear Suzanne,\n\nI am delighted to accept the place on the workshop.\n\nKind regards",
        "accept-offer",
        [EM],
        context=("offered", [EM]),
        now="2025-05-12T09:00:00+00:00",
    )
    add(
        "offer-maybe-later",
        "owen",
        "",
        "Possibly - can I let you know tomorrow?",
        "question",
        [F],
        context=("offered", [F]),
        unclear=True,
    )
    add(
        "offer-bare-yes",
        "nadia",
        "",
        "Yes",
        "accept-offer",
        [T],
        context=("offered", [T]),
        layout="iphone",
        sig=False,
    )
    add(
        "offer-sorry-cannot",
        "gareth",
        "",
        "Sorry, I can't make it now - thanks anyway.",
        "decline-offer",
        [FU],
        context=("offered", [FU]),
        layout="outlook",
    )
    add(
        "offer-absolutely",
        "siobhan",
        "",
        "Absolutely, count me in. Thanks for thinking of me!",
        "accept-offer",
        [F],
        context=("offered", [F]),
        layout="gmail",
    )


def define_other() -> None:
    add(
        "ack-thanks-so-much",
        "fiona",
        "",
        "Thanks so much!",
        "acknowledgement",
        context=("confirmed", [L]),
        layout="iphone",
        sig=False,
    )
    add(
        "ack-cheers-waitlist",
        "james",
        "",
        "Cheers, fingers crossed!",
        "acknowledgement",
        context=("waitlisted", [F]),
        layout="gmail",
        sig=False,
    )
    add(
        "ack-received-html",
        "rajesh",
        "",
        "Received with thanks.",
        "acknowledgement",
        context=("confirmed", [T]),
        layout="outlook-html",
    )
    add(
        "ack-see-you-then",
        "sarah",
        "",
        "Great, see you then.",
        "acknowledgement",
        context=("confirmed", [EO]),
    )
    add(
        "ack-joining-late-dont-cancel",
        "olu",
        "",
        "Thanks - just to let you know I may join 10 minutes late as I have a meeting until 10."
        " Please don't cancel my place!",
        "acknowledgement",
        context=("confirmed", [C]),
        layout="outlook",
    )
    add(
        "ack-after-cancel",
        "helen",
        "",
        "Thanks for sorting that.",
        "acknowledgement",
        context=("cancelled", [EM]),
        now="2025-05-02T09:00:00+00:00",
    )
    add(
        "q-recorded",
        "owen",
        "Textiles webinar",
        "Will the textiles webinar be recorded? I may not be able to attend live.",
        "question",
        [T],
        unclear=True,
    )
    add(
        "q-cost",
        "nadia",
        "Cost",
        "Hi, is there a charge for the workshops?",
        "question",
        unclear=True,
    )
    add(
        "q-am-i-registered",
        "efua",
        "Logistics - am I registered?",
        "Could you confirm whether I'm registered for logistics? I can't find the confirmation.",
        "question",
        [L],
        unclear=True,
    )
    add(
        "q-spaces-left",
        "megan",
        "Food webinar",
        "How many spaces are left on the food webinar?",
        "question",
        [F],
        unclear=True,
        layout="android",
    )
    add(
        "q-in-person-or-online",
        "gareth",
        "Workshops",
        "Are the evidence skills workshops in person or on Teams?",
        "question",
        unclear=True,
    )
    add(
        "q-joining-link-in-thread",
        "tom",
        "",
        "Hi, when will the joining link be sent?",
        "question",
        [C],
        context=("confirmed", [C]),
        unclear=True,
        layout="outlook-ios",
        sig=False,
    )
    add(
        "amb-which-evidence-workshop",
        "sarah",
        "Evidence skills workshop",
        "Please register me for the evidence skills workshop.",
        "register",
        unclear=True,
    )
    add(
        "amb-the-28th",
        "james",
        "Booking",
        "Could you book me on the session on the 28th?",
        "register",
        unclear=True,
    )
    add(
        "amb-topic-date-conflict",
        "priya",
        "Webinar registration",
        "Please register me for the textiles webinar on 25 June.",
        "register",
        unclear=True,
    )
    add(
        "amb-the-webinar",
        "zofia",
        "Webinar",
        "Please register me for the webinar.",
        "register",
        unclear=True,
    )
    add(
        "amb-maybe-later",
        "helen",
        "Furniture",
        "I might be interested in the furniture session - I'll confirm nearer the time.",
        "unknown",
        unclear=True,
    )
    add(
        "amb-swap-two-requests",
        "tom",
        "Change",
        "Please cancel my place on construction and book me onto logistics instead.",
        "cancel",
        unclear=True,
    )  # two requests in one: the coordinator does both by hand
    add(
        "amb-next-week-nothing-on",
        "fiona",
        "Next week",
        "Can I come to the one next week?",
        "register",
        unclear=True,
        now="2025-07-10T09:00:00+00:00",
    )
    add(
        "amb-colleague-without-address",
        "gareth",
        "Food webinar",
        "Could you book my colleague Ben onto the food webinar?",
        "register",
        [F],
        unclear=True,
    )
    add(
        "amb-no-such-session",
        "nadia",
        "ICT webinar",
        "Please register me for the ICT hardware webinar.",
        "register",
        unclear=True,
    )
    add(
        "unknown-newsletter-unsubscribe",
        "mark",
        "Partnership opportunity",
        "Dear team,\n\nI'd love to set up a call to discuss how our ethical audit platform could"
        " support your members.\n\nBest regards",
        "unknown",
        unclear=True,
        layout="outlook",
    )


LAYOUTS = ("outlook", "outlook-html", "outlook-ios", "gmail", "iphone", "android", "plain")
MAILERS = {
    "outlook": ("X-Mailer", "Microsoft Outlook 16.0"),
    "outlook-html": ("X-MS-Has-Attach", ""),
    "outlook-ios": ("X-Mailer", "Outlook for iOS"),
    "gmail": ("X-Gm-Gg", "ASbGncv"),
    "iphone": ("X-Mailer", "iPhone Mail (22B91)"),
    "android": ("User-Agent", "Android"),
    "plain": ("User-Agent", "Mozilla Thunderbird"),
}


def signature(p: P, rng: random.Random, layout: str) -> str:
    first = p.name.split()[0]
    if not p.org:
        return rng.choice([f"Cheers\n{first}", first])
    if layout in ("iphone", "android", "outlook-ios"):
        return rng.choice([first, f"Thanks, {first}", f"{p.name}\n{p.org}"])
    return rng.choice(
        [
            f"Kind regards\n\n{p.name} (she/her)\n{p.role}\n{p.org}\n"
            f"020 7946 {rng.randint(1000, 9999)}",
            f"Many thanks,\n{first}\n\n{p.name}\n{p.role} | {p.org}\n"
            "My working days are Tuesday to Friday.",
            f"Best wishes\n{p.name}\n{p.role}\n{p.org}\n"
            f"www.linkedin.com/in/{first.lower()}-example",
            f"Regards,\n{p.name}\n{p.role}, {p.org}",
            f"Thanks\n{first}\n--\n{p.name} | {p.role}\n{p.org}\n"
            f"M: 07700 900{rng.randint(100, 999)}",
        ]
    )


def reply_header(layout: str, sent: datetime, subject: str, to: P) -> tuple[str, bool]:
    """The attribution line(s) a client puts over quoted mail, and whether it quotes with >."""
    desk = f"{DESK.display_name} <{DESK.addr_spec}>"
    if layout in ("outlook", "outlook-html", "outlook-ios", "android"):
        if layout == "android":
            return (
                f"-------- Original message --------\nFrom: {desk}\n"
                f"Date: {sent.strftime('%d/%m/%Y %H:%M')} (GMT+00:00)\n"
                f"To: {to.email}\nSubject: {subject}",
                False,
            )
        return (
            "________________________________\n"
            f"From: {desk}\nSent: {sent.strftime('%A, %B %-d, %Y %-I:%M %p')}\n"
            f"To: {to.display or to.name} <{to.email}>\nSubject: {subject}",
            False,
        )
    if layout == "gmail":
        return (f"On {sent.strftime('%a, %-d %b %Y at %H:%M')}, {desk} wrote:", True)
    if layout == "iphone":
        return (
            f"On {sent.strftime('%-d %b %Y')}, at {sent.strftime('%H:%M')}, {desk} wrote:",
            True,
        )
    return (f"On {sent.strftime('%d/%m/%Y %H:%M')}, {DESK.display_name} wrote:", True)


def quoted(layout: str, sent: datetime, subject: str, to: P, text: str) -> str:
    head, angled = reply_header(layout, sent, subject, to)
    if angled:
        text = "\n".join("> " + line if line else ">" for line in text.split("\n"))
    return f"\n\n{head}\n\n{text}\n"


def forwarded(fwd: dict[str, str], sent: datetime, to: P) -> tuple[str, str]:
    """(block, subject) of an inline forward; who may be a person or mailflow's own mail."""
    if fwd["who"].startswith("desk-"):
        _, kind, key = fwd["who"].split("-")
        event = {"C": C, "L": L, "T": T, "F": F, "FU": FU}[key]
        subject, body = desk_text(kind, event, to.name.split()[0])
        sender = f"{DESK.display_name} <{DESK.addr_spec}>"
    else:
        p = PEOPLE[fwd["who"]]
        subject, body = fwd["subject"], fwd["body"]
        sender = f"{p.display or p.name} <{p.email}>"
    if fwd["style"] == "outlook":
        block = (
            "\n\n________________________________\n"
            f"From: {sender}\nSent: {sent.strftime('%d %B %Y %H:%M')}\n"
            f"To: {to.name} <{to.email}>\nSubject: {subject}\n\n{body}\n"
        )
    else:
        block = (
            "\n\n---------- Forwarded message ---------\n"
            f"From: {sender}\nDate: {sent.strftime('%a, %-d %b %Y at %H:%M')}\n"
            f"Subject: {subject}\nTo: {to.name} <{to.email}>\n\n\n{body}\n"
        )
    return block, subject


def outlook_html(text: str, banner: bool) -> str:
    """Word-generated HTML: one MsoNormal paragraph per line, quoted history under an <hr>."""
    own, sep, rest = text.partition("\n\n________________________________\n")
    paras = [
        "<p class=MsoNormal>" + (html.escape(line) or "&nbsp;") + "<o:p></o:p></p>"
        for line in own.split("\n")
    ]
    history = ""
    if sep:
        history = (
            '<div id="divRplyFwdMsg" dir="ltr"><hr style="display:inline-block;'
            'width:98%" tabindex="-1"><font face="Calibri, sans-serif">'
            + "<br>".join(html.escape(line) for line in rest.split("\n"))
            + "</font></div>"
        )
    top = ""
    if banner:
        top = (
            '<table border=0 cellpadding=0 style="background:#FFEB9C"><tr><td>'
            f"<p class=MsoNormal><b>{html.escape(BANNER)}</b></p></td></tr></table>"
        )
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta'
        ' http-equiv="Content-Type" content="text/html; charset=utf-8"><style><!--'
        ' p.MsoNormal {margin:0cm; font-size:11.0pt; font-family:"Aptos",sans-serif;}'
        ' --></style></head><body lang=EN-GB link="#467886" style="word-wrap:break-word">'
        f"{top}<div class=WordSection1>{''.join(paras)}</div>{history}</body></html>"
    )


def gmail_html(text: str) -> str:
    own: list[str] = []
    quote: list[str] = []
    for line in text.split("\n"):
        (quote if line.startswith(">") else own).append(html.escape(line.lstrip("> ")))
    body = '<div dir="ltr">' + "<br>".join(own) + "</div>"
    if quote:
        body += (
            '<div class="gmail_quote"><blockquote class="gmail_quote" style="margin:0px'
            ' 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">'
            + "<br>".join(quote)
            + "</blockquote></div>"
        )
    return body


def render(c: Case, rng: random.Random, number: int) -> bytes:
    p = PEOPLE[c.who]
    layout = c.layout or rng.choice(LAYOUTS)
    now = datetime.fromisoformat(c.now or DEFAULT_NOW)
    sent = now - timedelta(minutes=rng.randint(3, 240))
    body = c.body
    if c.sig:
        body += "\n\n" + signature(p, rng, layout)
    if c.extra_sig:
        body += "\n\n" + c.extra_sig
    if layout == "iphone":
        body += "\n\nSent from my iPhone"
    elif layout == "outlook-ios":
        body += "\n\nGet Outlook for iOS<https://aka.ms/o0ukef>"
    elif layout == "android":
        body += "\n\nSent from my Galaxy"
    disclaimer = DISCLAIMERS.get(p.org, "")
    if disclaimer and layout in ("outlook", "outlook-html") and rng.random() < 0.6:
        body += "\n\n" + disclaimer
    subject = c.subject
    if c.forward:
        block, inner_subject = forwarded(c.forward, sent - timedelta(days=2), p)
        body += block
        subject = subject or f"FW: {inner_subject}"
    if c.context:
        kind, ids = c.context
        desk_subject, desk_body = desk_text(kind, ids[0], p.name.split()[0])
        subject = subject or f"Re: {desk_subject}"
        body += quoted(layout, sent - timedelta(days=1), desk_subject, p, desk_body)
    elif c.quote_announcement:
        body += quoted(
            layout, sent - timedelta(days=3), "Knowledge Building Series 2025", p, ANNOUNCEMENT
        )
    if c.banner and layout != "outlook-html":
        body = BANNER + "\n\n" + body

    msg = EmailMessage()
    msg["From"] = Address(p.display or p.name, *p.email.split("@"))
    msg["To"] = DESK
    msg["Subject"] = subject
    msg["Date"] = format_datetime(sent)
    msg["Message-ID"] = f"<ho{number:04d}.{rng.randint(10**8, 10**9)}@{p.email.split('@')[1]}>"
    if c.context or c.quote_announcement:
        ref = f"<out-ho{number:04d}@lupc-events.example>"
        msg["In-Reply-To"] = ref
        msg["References"] = ref
    header, value = MAILERS[layout]
    msg[header] = value
    cte = rng.choice(["quoted-printable", "base64", "8bit"])
    if layout == "outlook-html":
        msg.set_content(outlook_html(body, c.banner), subtype="html", cte=cte)
    elif layout == "outlook":
        msg.set_content(body, cte=cte)
        msg.add_alternative(outlook_html(body, c.banner), subtype="html")
    elif layout == "gmail":
        msg.set_content(body, cte=cte)
        msg.add_alternative(gmail_html(body), subtype="html")
    else:
        msg.set_content(body, cte=cte)
    if msg.is_multipart():
        # Fixed boundaries keep the generated files identical from run to run.
        msg.set_boundary(f"000000000000ho{number:04d}")
    return msg.as_bytes()


def expectation(c: Case) -> dict[str, Any]:
    return {
        "intent": c.intent,
        "event_ids": c.events,
        "people": [PEOPLE[k].email for k in c.people],
        "substitute": PEOPLE[c.substitute].email if c.substitute else None,
        "unclear": c.unclear,
        "context": (
            {"outcome": c.context[0], "event_ids": c.context[1], "recipient": PEOPLE[c.who].email}
            if c.context
            else None
        ),
        "now": c.now,
    }


def main() -> None:
    CASES.clear()
    define_register()
    define_cancel()
    define_substitute()
    define_offers()
    define_other()
    names = [c.name for c in CASES]
    assert len(names) == len(set(names)), "case names must be unique"
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    rng = random.Random(20250106)
    for number, c in enumerate(CASES, start=1):
        stem = f"{number:03d}-{c.name}"
        (OUT / f"{stem}.eml").write_bytes(render(c, rng, number))
        (OUT / f"{stem}.expect.json").write_text(
            json.dumps(expectation(c), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    print(f"wrote {len(CASES)} held-out messages to {OUT}")


if __name__ == "__main__":
    main()
