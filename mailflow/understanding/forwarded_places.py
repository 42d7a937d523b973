"""Whose places a forwarded request changes: its writer's (and the sender's, when the note
asks for one too), a substitution the forward offers, or nobody's when the forward only
suggests the session to the sender."""

from __future__ import annotations

from mailflow.model import ForwardedMail, Intent, Person
from mailflow.understanding.clauses import Role
from mailflow.understanding.literals import guarded
from mailflow.understanding.message import Doubt, Message
from mailflow.understanding.people import forwarded_named, people_in
from mailflow.understanding.requester import organisation
from mailflow.understanding.takers import copied_taker


def forwarded_people(
    msg: Message,
    fwd: ForwardedMail,
    intent: Intent,
    sender: Person,
    exclude: set[str],
    evidence: list[str],
    doubt: Doubt,
) -> tuple[list[Person], Person | None]:
    """A forwarded request from a colleague: the places are theirs (and the sender's too
    when the note asks for one)."""
    requester = Person(fwd.sender, fwd.sender_name)
    same_org = organisation(requester.email) == organisation(sender.email)
    if same_org and sends_the_sender(msg, fwd):
        # "Worth you going - can you book yourself on?" forwarded with "could I book onto
        # it?": the forward suggests the place to the sender; it asks none for its writer.
        evidence.append(f"{requester.email} suggested it to the sender")
        return [], None
    evidence.append(f"for {requester.email}: forwarded request")
    if organisation(requester.email) != organisation(sender.email):
        # Eligibility is the sender's; a place for someone from elsewhere is the
        # coordinator's call.
        doubt.lower(0.3, f"forwards a request from outside the sender's organisation "
                         f"({requester.email})")
    colleagues = people_in(fwd.text, exclude | {requester.email})
    substitute = None
    if intent is Intent.SUBSTITUTE and msg.source is msg.own and _MY_PLACE_GOES.search(
        " ".join(msg.own.phrases(Intent.SUBSTITUTE))
    ):
        # "Priya will go instead of me" over Priya's own offer to go: the sender's place
        # passes to the forward's writer.
        evidence[-1] = f"substitute {requester.email}: wrote the forwarded mail"
        return [], requester
    if intent is Intent.SUBSTITUTE:
        people = [requester]
        substitute = colleagues[0] if len(colleagues) == 1 else None
        said = msg.own.text + "\n" + fwd.text.lower()
        if not colleagues and (substitute := copied_taker(fwd, said)):
            evidence.append(f"substitute {substitute.email}: copied on the forwarded mail")
    else:
        # "please book Ana and Kwame (below)" over a chain where each volunteered: the other
        # writers the note names by first name, as in a forward that asks nothing itself.
        # (Not one who answered only "maybe - I'll let you know".)
        others = [f for f in msg.forwarded if f is not fwd]
        people = [requester, *colleagues]
        people += forwarded_named(
            others, msg.own.role_raw(Role.REQUEST), sender.email, people,
            lambda f: not msg.read_forward(f).hedged,
        )
    if msg.own.first_person and intent is Intent.REGISTER:
        people.insert(0, sender)
    return people, substitute


_MY_PLACE_GOES = guarded(
    r"\b(?:instead of me|in my (?:place|stead)|my (?:[a-z]+ )?(?:place|seat|spot))\b"
)
_SUGGESTS_TO_YOU = guarded(
    r"\b(?:book|register|sign|put|enrol+)\s+yourself\b|\bworth you\b"
    r"|\byou (?:should|could|might want to|may want to) (?:go|attend|book|join|come)\b"
    # "Could you go?", "would you be able to attend?": the forward asks the sender to go.
    r"|\b(?:could|can|would|will) you (?:be able to )?(?:go|attend|join|come|cover)\b"
)
# "Julie has asked me to attend": the note says the forward sends the sender.
_ASKED_ME = guarded(
    r"\b(?:asked|wants|told|suggested|nominated|sent)\s+me\s+to\s+(?:go|attend|join|come)\b"
)


def sends_the_sender(msg: Message, fwd: ForwardedMail) -> bool:
    """The forward asks the sender to go ("Could you attend?"), or the note says its writer
    did ("Ann has asked me to attend"): its writer asks no place for themselves."""
    return bool(_SUGGESTS_TO_YOU.search(fwd.text.lower()) or _ASKED_ME.search(msg.own.text))


def own_earlier_mail(fwd: ForwardedMail, sender: Person) -> bool:
    """"Resending as I haven't had a confirmation" over "From: Kwame Asante" (no address, the
    sender's own name): the member's own earlier request, not someone else's."""
    mine = {w for w in sender.name.lower().split() if len(w) > 1}
    theirs = {w for w in fwd.sender_name.lower().split() if len(w) > 1}
    return bool(mine & theirs)
