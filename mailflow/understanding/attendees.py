"""Whose places a request changes, all told: the people its words name (places.people_for),
whose place an answer in a thread changes (whose.whose_place), a mailing list's poster, an
address the member took back, a web form's submitter."""

from __future__ import annotations

from mailflow.clean import display_name
from mailflow.model import SEAT_CHANGING, InboundMail, Intent, Person
from mailflow.understanding.forms import Submission
from mailflow.understanding.index import EventIndex
from mailflow.understanding.message import Doubt, Message
from mailflow.understanding.places import people_for
from mailflow.understanding.requester import from_a_list, list_poster
from mailflow.understanding.whose import whose_place


def attendees(
    msg: Message, intent: Intent, form: Submission | None, index: EventIndex,
    evidence: list[str], doubt: Doubt,
) -> tuple[list[Person], Person | None]:
    """Whose places change and who takes one over: the people the mail names, the holder of
    the place it answers for, a mailing list's poster, an address taken back, a form's
    submitter."""
    mail = msg.mail
    sender = Person(mail.sender, display_name(mail.sender_name) or msg.clean.signature_name)
    poster = list_poster(mail)
    people, substitute = people_for(msg, intent, poster or sender, index, evidence, doubt)
    people = whose_place(msg, intent, poster or sender, people, evidence, doubt)
    people = _through_a_list(mail, intent, poster, people, evidence, doubt)
    people = _address_corrected(msg, people, evidence, doubt)
    if form is not None and intent in SEAT_CHANGING and not people:
        # The form's notification comes from the site: the places are the submitter's.
        evidence.append(f"for {form.submitter.email}: submitted the web form")
        people = [form.submitter]
    return people, substitute


def _address_corrected(
    msg: Message, people: list[Person], evidence: list[str], doubt: Doubt
) -> list[Person]:
    """A colleague or address the member took back, once the one that replaces it is read."""
    fix = msg.correction
    if not fix.dropped:
        return people
    emails = {p.email.lower() for p in people}
    if fix.dropped not in emails or fix.added not in emails:
        doubt.lower(0.3, f"corrects itself: {fix.evidence.partition(': ')[2]}")
        return people
    evidence.append(f"{fix.evidence}: not {fix.dropped}")
    return [p for p in people if p.email.lower() != fix.dropped]


def _through_a_list(
    mail: InboundMail, intent: Intent, poster: Person | None, people: list[Person],
    evidence: list[str], doubt: Doubt,
) -> list[Person]:
    """A mail sent through a mailing list: the places are the poster's, or the desk asks."""
    if poster is not None and intent in SEAT_CHANGING and not people:
        # The list is no attendee: the places are the member's who wrote through it.
        evidence.append(f"for {poster.email}: wrote through the list {mail.sender}")
        return [poster]
    if poster is None and from_a_list(mail):
        doubt.lower(0.3, f"came through the mailing list {mail.sender}: for whom?")
    return people
