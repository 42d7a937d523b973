"""How people's names are written in mail: capitals, list lines, words that are no one's name."""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata

from mailflow.model import Person

# A name: capitalised words, accented letters included ("Lucía Romero", "Siân").
CAP = r"[A-ZÀ-ÖØ-Þ][^\W\d_'’-]*(?:['’-][^\W\d_]+)*"

# "- Ben Akintola (new starter)": one line of a list of attendees.
LIST_ITEM = re.compile(r"^[ \t]*(?:[-•*–]|\d+[.)])[ \t]*(?P<item>\S.*)$", re.MULTILINE)
FULL_NAME = re.compile(rf"{CAP}(?:[ \t]+{CAP}){{1,3}}")

NOT_PEOPLE = frozenset(
    w.lower() for w in (*calendar.month_name, *calendar.day_name) if w
) | {"me", "myself", "us", "in", "on", "the", "webinar", "workshop", "session", "i"}

NOT_NAMES = frozenset(
    [
        "Hi",
        "Hello",
        "Dear",
        "Thanks",
        "Thank",
        "Please",
        "Could",
        "Can",
        "Many",
        "Kind",
        "Best",
        "Regards",
        "From",
        "Sent",
        "To",
        "Subject",
        "Email",
        "Mail",
        "Her",
        "His",
        "Their",
        "Our",
        "My",
        "The",
        "Yes",
        "No",
        "And",
        "Cc",
        "Tel",
        # "Im in the estates team": "I'm" typed on a phone.
        "Im",
        "Ive",
        "Mobile",
        "Phone",
        # Titles: "Mrs" names nobody; the name after it does.
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Mx",
        "Dr",
        "Prof",
        "Professor",
        # "Bookings from the estates team for ...": the words for what is asked, nobody.
        "Bookings",
        "Booking",
        "Registrations",
        "Registration",
        "Nominations",
        "Places",
        "Attendees",
    ]
)


@functools.cache
def folded_not_names() -> frozenset[str]:
    """NOT_NAMES as fold() gives them, folded once rather than on every mail."""
    return frozenset(fold(w) for w in NOT_NAMES)


def fold(text: str) -> str:
    """Lower case without accents: "Lucía" and "lucia.fernandez@" name one person."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def first_word(person: Person) -> str:
    """The first word of a person's name, or of their address's local part, folded."""
    word = person.name.split()[0] if person.name else re.split(r"[._-]", person.email)[0]
    return fold(word) if len(word) > 1 else ""


def first_name(person: Person) -> str:
    """The first word of a person's name, or of their address's local part ("raj.mehta"),
    lower-cased (not folded, as first_word is) to match the text places and takers read."""
    word = person.name.split()[0] if person.name else re.split(r"[._-]", person.email)[0]
    return word.lower() if len(word) > 1 else ""
