"""Whose places change: the people a request is for, and who takes a place over."""

from __future__ import annotations

import re
from collections.abc import Callable

from mailflow.model import SEAT_CHANGING, ForwardedMail, Intent, Person
from mailflow.understanding.clauses import Role
from mailflow.understanding.copied import copied_colleagues, with_copied_names
from mailflow.understanding.counts import counts_places, fewer_than_counted
from mailflow.understanding.forwarded_places import (
    forwarded_people,
    own_earlier_mail,
    sends_the_sender,
)
from mailflow.understanding.groups import books_a_group
from mailflow.understanding.index import EventIndex
from mailflow.understanding.literals import guarded
from mailflow.understanding.message import Doubt, Message, of_a_full_member
from mailflow.understanding.names import first_name, fold
from mailflow.understanding.others import for_another, said_outright, sender_included
from mailflow.understanding.people import (
    booked_by_pronoun,
    forwarded_named,
    people_in,
    signed_taker,
)
from mailflow.understanding.requester import (
    booked_from_outside,
    desk_addresses,
    organisation,
    shared_mailbox,
)
from mailflow.understanding.takers import (
    I_TAKE_OVER,
    asks_for_their_place,
    substitution,
)
from mailflow.understanding.unaddressed import colleagues_without_address


def _from_outside(msg: Message, sender: Person) -> bool:
    """The sender writes from no full member's address (when the members are known). Places
    asked from outside are not-eligible whoever they are for: who is left unnamed (a colleague
    without an address, a group, a count) gives the coordinator nothing to find."""
    return bool(msg.full_member_domains and sender.email) and not of_a_full_member(
        sender.email, msg.full_member_domains
    )


def people_for(
    msg: Message,
    intent: Intent,
    sender: Person,
    index: EventIndex,
    evidence: list[str],
    doubt: Doubt,
) -> tuple[list[Person], Person | None]:
    """Whose places change, and who takes one over."""
    own, source = msg.own, msg.source
    # The list a member wrote through is nobody to book either.
    exclude = {a for a in (sender.email, msg.mail.sender) if a} | desk_addresses(msg)
    people: list[Person] = []
    substitute: Person | None = None
    # A note that names its attendees with addresses makes the forward background: its
    # sender is not who the places are for.
    fwd = msg.source_fwd
    if fwd is not None and source is own and people_in(msg.own_body, exclude):
        fwd = None
    if fwd is not None and fwd.sender and fwd.sender != sender.email:
        people, substitute = forwarded_people(msg, fwd, intent, sender, exclude, evidence, doubt)
    elif fwd is not None and not fwd.sender and not own_earlier_mail(fwd, sender):
        doubt.lower(0.3, "forwarded request without the original sender's address")
    else:
        # What is left of a forward is the sender's own earlier mail, resent: its attendees are
        # the request's as much as the note's.
        people, substitute = _own_people(
            msg, intent, sender, exclude, index, evidence, doubt, resent=fwd
        )
    if intent in SEAT_CHANGING and (
        shared := [p.email for p in people if p.email != sender.email and shared_mailbox(p.email)]
    ):
        # "could you book everyone on commercial.team@...": a team's mailbox is nobody to book.
        doubt.lower(0.3, f"names a shared mailbox ({shared[0]}), not a person, for a place")
    if intent is Intent.SUBSTITUTE and substitute is None:
        doubt.lower(0.3, "does not say who takes the place (with an email address)")
    if people == [sender]:
        people = []
    # (A reply for the one our message in the thread went to: whose_place weighs it.)
    for_another = msg.context is not None and msg.context.recipient not in ("", sender.email)
    if intent in (Intent.REGISTER, Intent.ACCEPT_OFFER) and not people and (
        shared_mailbox(sender.email)
    ) and not (intent is Intent.ACCEPT_OFFER and for_another):
        doubt.lower(0.4, f"writes from a shared mailbox ({sender.email}) and names no attendee")
    if intent in (Intent.ACCEPT_OFFER, Intent.DECLINE_OFFER):
        if intent is Intent.ACCEPT_OFFER and msg.source_fwd is None and (
            brought := _brought_in(msg, people, sender)
        ):
            # "Yes please, I'll take it. Could Gareth (gareth@...) have a place too?": two
            # changes, the offer taken and a booking for someone else.
            doubt.lower(0.3, f"takes the offer and asks a place for {brought} as well")
            # The colleague stays in the reading: the coordinator sees whom the booking is for.
            return [p for p in people if p.email.lower() == brought], substitute
        if intent is Intent.ACCEPT_OFFER and (other := said_outright(msg.own.text)):
            # "Yes please - it's actually for my colleague, not me": not the sender's to take.
            doubt.lower(0.3, f'takes the offer for someone else ("{other}")')
        # An offer belongs to whoever it was made to: only a forwarded reply names someone else.
        people = [p for p in people if p != sender] if msg.source_fwd is not None else []
    return people, substitute


# "could you also book my colleague", "have a place on it too", "could you book Sam (...) on
# it?": someone else asked in as well.
_AS_WELL = guarded(
    r"\b(?:too|as well|also|additional|another|extra|book|register|sign|add|enrol|places?"
    r"|seats?|come|attend|join)\b"
)


def _brought_in(msg: Message, people: list[Person], sender: Person) -> str:
    """The address of someone besides the one the offer went to whom the answer asks a place
    for as well, or "" (a PA naming the boss the offer was made to brings nobody in)."""
    holder = msg.context.recipient.lower() if msg.context is not None else ""
    for person in people:
        if person.email.lower() in (sender.email.lower(), holder):
            continue
        said = [c.text for c in msg.own.clauses if person.email.lower() in c.text]
        if any(_AS_WELL.search(text) for text in said):
            return person.email
    return ""


def _sender_takes_over(msg: Message, sender: Person) -> Person | None:
    """In reply to our message to a colleague, "I'll attend in her place": the place is that
    colleague's, and the sender takes it."""
    context = msg.context
    recipient = context.recipient if context is not None else ""
    if not recipient or recipient == sender.email or not sender.email:
        return None
    found = I_TAKE_OVER.search(msg.own.text)
    if not found:
        return None
    named = found.group("holder")
    if named and named.lower() not in ("him", "her", "them") and fold(named) not in recipient:
        return None  # "instead of Sarah" in reply to our mail to Tom: not his place
    return Person(recipient, "")


def _colleagues(
    msg: Message, intent: Intent, sender: Person, exclude: set[str], holder: Person | None,
    doubt: Doubt, resent: ForwardedMail | None = None,
) -> list[Person]:
    """Colleagues the member's own words name with an address: in the body (or in their own
    earlier mail they resend), copied in, or writers of the mail they forward."""
    own = msg.own
    colleagues = with_copied_names(people_in(msg.own_body, exclude), msg.mail.headers)
    if resent is not None:
        colleagues += people_in(resent.text, exclude | {p.email for p in colleagues})
    if intent in (Intent.REGISTER, Intent.CANCEL) or (
        intent is Intent.SUBSTITUTE and holder is None
    ):
        # "My colleague, copied in, will go in my place": the taker's address is in Cc.
        colleagues += copied_colleagues(
            msg.mail.headers, msg.own_body, sender.email, colleagues, own.role_raw(Role.REQUEST)
        )
    taking = intent is Intent.SUBSTITUTE and holder is None and not colleagues
    if intent in (Intent.REGISTER, Intent.CANCEL) or taking:
        # "Priya has agreed to go in my place - see below": her address is the forward's.
        # (Not a writer who answered only "maybe - I'll let you know".)
        quoted = forwarded_named(
            msg.forwarded, own.role_raw(Role.REQUEST), sender.email, colleagues,
            lambda f: not sends_the_sender(msg, f) and not msg.read_forward(f).hedged,
        )
        colleagues += quoted
        hedged = [p for p in quoted if _only_if_possible(own.text, p)]
        if hedged:
            doubt.lower(0.4, f"adds {hedged[0].email}, known only from the quoted mail, "
                             "only if possible")
    if taking and not colleagues:
        # "Rob, my deputy (details in my signature), will take my place": his address is the
        # signature's.
        colleagues += signed_taker(msg.clean.signature, own.role_raw(Role.REQUEST), exclude)
    return colleagues


def _own_people(
    msg: Message,
    intent: Intent,
    sender: Person,
    exclude: set[str],
    index: EventIndex,
    evidence: list[str],
    doubt: Doubt,
    resent: ForwardedMail | None = None,
) -> tuple[list[Person], Person | None]:
    """People named in the member's own words (and in their own earlier mail, resent)."""
    own = msg.own
    people: list[Person] = []
    substitute: Person | None = None
    holder = _sender_takes_over(msg, sender) if intent is Intent.SUBSTITUTE else None
    colleagues = _colleagues(msg, intent, sender, exclude, holder, doubt, resent)
    # A colleague named without an address matters where the mail asks, not in its background.
    missing = colleagues_without_address(
        own.role_raw(Role.REQUEST), colleagues, msg.own_body, _names_a_session(index), sender
    )
    if intent is Intent.REGISTER and missing and not colleagues and (
        signed := signed_taker(msg.clean.signature, "\n".join(missing), exclude)
    ):
        # "a place for Marcus", signed "PA to Marcus Oyelaran (marcus.oyelaran@...)": his
        # address is the signature's.
        colleagues = signed
        missing = [m for m in missing if fold(m.split()[0]) not in signed[0].email]
    if holder is not None and not colleagues:
        evidence.append(f"substitute {sender.email} for {holder.email}: takes over their place")
        people, substitute = [holder], sender
    elif intent is Intent.SUBSTITUTE:
        people, substitute = substitution(msg, colleagues, evidence, doubt)
    elif colleagues:
        evidence.extend(f"for {p.email}: named in the message" for p in colleagues)
        people = list(colleagues)
        if sender_included(msg, intent, sender, index):
            people.insert(0, sender)
    _unsure_whom(msg, intent, sender, colleagues, missing, people, substitute, doubt)
    return people, substitute


def _unsure_whom(
    msg: Message, intent: Intent, sender: Person, colleagues: list[Person], missing: list[str],
    people: list[Person], substitute: Person | None, doubt: Doubt,
) -> None:
    """What about whom the member's own words name leaves the coordinator to ask: someone from
    outside the organisation, someone named without an address or by a pronoun, a colleague
    who may take the place, and the people not named at all (_unnamed)."""
    own = msg.own
    outside = [
        p.email for p in colleagues
        if organisation(p.email) != organisation(sender.email)
        and not of_a_full_member(p.email, msg.full_member_domains)
    ]
    if outside and intent is Intent.REGISTER and sender.email:
        # Places are for members' staff: a contractor on a personal address is the
        # coordinator's call, as a forwarded request from elsewhere is. A colleague at another
        # full member is a member's staff: the desk books them as their own organisation's.
        doubt.lower(0.3, f"names someone from outside the sender's organisation ({outside[0]})")
    if intent in (Intent.REGISTER, Intent.CANCEL) and not outside and (why := booked_from_outside(
        sender.email, [p.email for p in colleagues], msg.full_member_domains
    )):
        doubt.lower(0.3, why)
    if substitute is not None and intent is Intent.SUBSTITUTE and sender.email and (
        organisation(substitute.email) != organisation(sender.email)
    ):
        # A place passed outside the organisation is the coordinator's call (decide asks too).
        doubt.lower(0.3, f"passes the place outside the sender's organisation ({substitute.email})")
    who = intent is not Intent.REGISTER or not _from_outside(msg, sender)
    if missing and intent in (Intent.REGISTER, Intent.SUBSTITUTE, Intent.CANCEL) and who and (
        not substitute
    ):
        doubt.lower(0.4, f"names {missing[0]} without an email address")
    pronoun = booked_by_pronoun(own.role_raw(Role.REQUEST))
    if intent is Intent.REGISTER and not colleagues and not missing and pronoun and who:
        # "Our director has asked me to get her onto the textiles webinar": not the sender.
        doubt.lower(0.4, f'asks a place for someone else ("{pronoun}") without their address')
    if intent is Intent.CANCEL and any(_may_take(own.text, p) for p in colleagues):
        doubt.lower(0.3, "names someone who may take the place: a substitution?")
    if intent is Intent.CANCEL and people and sender.email not in {p.email for p in people} and (
        asks_for_their_place(own.text)
    ):
        # "Grace can't go - she's happy for me to have it": the sender asks for a colleague's
        # place, which that colleague (or the coordinator) should confirm.
        doubt.lower(0.3, "asks to take over someone else's place: a substitution to confirm")
    if who:
        _unnamed(msg, intent, people, sender, colleagues, bool(missing or pronoun), doubt)


def _unnamed(
    msg: Message, intent: Intent, people: list[Person], sender: Person, colleagues: list[Person],
    asked_already: bool, doubt: Doubt,
) -> None:
    """Places asked for people the mail does not name with an address: a group, a count, or
    someone else the words say the place is for ("it's actually for my manager")."""
    own = msg.own
    grouped = intent in (Intent.REGISTER, Intent.CANCEL) and books_a_group(own.text)
    if grouped and not colleagues:
        doubt.lower(0.4, f"asks to {intent.value} a group without naming who is in it")
    if intent is Intent.REGISTER and counts_places(own) and not colleagues:
        doubt.lower(0.4, "asks for several places without naming who they are for")
    elif intent is Intent.REGISTER and fewer_than_counted(own, people, sender):
        doubt.lower(0.4, "counts more places than it gives addresses for")
    if intent is Intent.REGISTER and not colleagues and not asked_already and (
        other := for_another(own.text, own.role_text(Role.REQUEST))
    ):
        # "Could you book a place on textiles? It's actually for my manager": not the sender,
        # and nobody the desk can book.
        doubt.lower(0.4, f'says the place is for someone else ("{other}") without their address')


# "and Klaus too if possible": someone added on a condition, not firmly.
_IF_POSSIBLE = re.compile(
    r"(?:[^.;!?\n]){0,30}?\b(?:if (?:possible|poss|at all possible|there(?:'s| is) (?:room|space)"
    r"|you can|he can|she can|they can|that's ok|that is ok)|where possible)\b"
)


def _only_if_possible(text: str, person: Person) -> bool:
    """Whether the words right after a person's first name make their place conditional."""
    first = first_name(person)
    return bool(first) and any(
        _IF_POSSIBLE.match(text, m.end()) for m in re.finditer(rf"\b{re.escape(first)}\b", text)
    )


_MAY_TAKE = guarded(
    r"(?:[^.;!?\n]|\.(?=\S)){0,60}?\b(?:may|might|could|would)\s+(?:well\s+)?(?:want|like"
    r"|take|have|use)"
    r"\s+(?:it|the place|my place|that|this)\b"
)


def _may_take(text: str, person: Person) -> bool:
    """"Please cancel my place; Sam (sam@...) may want it": Sam is offered it, not cancelled."""
    first = first_name(person)
    for found in re.finditer(rf"\b{re.escape(first)}\b|{re.escape(person.email)}", text):
        if first and _MAY_TAKE.match(text, found.end()):
            return True
    return False


def _names_a_session(index: EventIndex) -> Callable[[str], bool]:
    """Whether a word is a session's keyword ("book Food for me" names no person)."""
    pattern = index.keyword_re
    return lambda word: bool(pattern and pattern.fullmatch(word))


