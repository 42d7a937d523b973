"""Who gives a place up and who takes it, when a substitution names colleagues."""

from __future__ import annotations

import re
from email.utils import getaddresses

from mailflow.clean import display_name
from mailflow.model import ForwardedMail, Intent, Person
from mailflow.understanding.literals import guarded
from mailflow.understanding.message import Doubt, Message
from mailflow.understanding.names import first_name
from mailflow.understanding.requester import organisation
from mailflow.understanding.whose import holder_of_our_forward

# "Daniel will go instead of her": the place passed on is someone else's (not "Lily will take
# them instead": the places).
_THIRD_PARTY = guarded(r"\b(?:her|his|their|him)\b|(?<!take )(?<!have )(?<!use )\bthem\b")

# "I'll attend in her place", "I can take his place": the sender takes over a place.
I_TAKE_OVER = guarded(
    r"\b(?:i'll|i will|i can|i could|i'd|i would|i'm going to|i am going to|i)\s+(?:happily\s+"
    r"|gladly\s+)?(?:attend|go|come|join|take)\b[^.?!]{0,20}?\bin (?:her|his|their) (?:place|stead)"
    r"|\b(?:i'll|i will|i can|i could|i'd|i would|i)\s+(?:take|have|use|fill) (?:her|his|their)"
    r" (?:place|seat|spot)\b"
    # "please put me down instead of Tom": the sender asks for the place of the one named.
    r"|\b(?:put|book|register|sign|add|have)\s+me\s+(?:down\s+|in\s+|up\s+|on\s+)?"
    r"(?:[^.?!\n]{0,40}?\s)?(?:instead of|in place of)\s+(?!me\b|myself\b|us\b)(?P<holder>[\w'’-]+)"
)
# "She's happy for me to have it", "could I take her place?", "pass it to me": the sender asks
# for a colleague's place.
_GIVEN_TO_ME = guarded(
    r"\b(?:happy|glad|willing|keen|fine|ok|okay)\s+for\s+me\s+to\s+(?:have|take|use|go"
    r"|attend)\b"
    r"|\b(?:can|could|may|might)\s+i\s+(?:please\s+)?(?:have|take)\s+(?:her|his|their)\s+"
    r"(?:place|seat|spot)\b"
    r"|\b(?:give|pass|transfer|hand|move|offer)\s+(?:it|her place|his place|their place"
    r"|the place)\s+(?:over\s+)?to\s+me\b"
)


def asks_for_their_place(text: str) -> bool:
    """The sender asks to have a colleague's place ("could I take her place?")."""
    return bool(I_TAKE_OVER.search(text) or _GIVEN_TO_ME.search(text))


def substitution(
    msg: Message, colleagues: list[Person], evidence: list[str], doubt: Doubt
) -> tuple[list[Person], Person | None]:
    """Who gives up a place and who takes it.

    The colleague named in the clause that passes the place on takes it; a second colleague
    named elsewhere ("Rachel is booked but on leave. Gemma will go instead.") is the one
    giving it up. "Daniel will go instead of her" passes on someone else's place: without
    that person's address the desk must ask.
    """
    source = msg.source
    clauses = {n for _, _, n in source.found.get(Intent.SUBSTITUTE, [])}
    passing = " ".join(c.raw for n, c in enumerate(source.clauses) if n in clauses).lower()
    phrases = " ".join(source.phrases(Intent.SUBSTITUTE))
    takers = [p for p in colleagues if p.email in passing]
    if len(colleagues) == 2 and len(takers) != 1:
        takers = _taker_in_phrase(colleagues, phrases) or _named_after_swap(
            colleagues, passing, source.phrases(Intent.SUBSTITUTE)
        )
    if len(colleagues) == 2 and len(takers) == 1:
        holder = next(p for p in colleagues if p is not takers[0])
        evidence.append(f"substitute {takers[0].email} for {holder.email}: named in the message")
        return [holder], takers[0]
    if len(colleagues) == 1:
        of_someone_else = _THIRD_PARTY.search(phrases) is not None
        if of_someone_else and (gone := _holder_forwarded(msg, colleagues[0])):
            # "Tom has left - could Dev (dev@...) take his place? Tom's confirmation is below":
            # the place is the one our forwarded message confirmed to the person it names.
            evidence.append(f"substitute {colleagues[0].email} for {gone.email}: named, and our "
                            "forwarded message was to them")
            return [gone], colleagues[0]
        if of_someone_else or _swaps_someone_else(
            source.phrases(Intent.SUBSTITUTE), colleagues[0]
        ):
            doubt.lower(0.3, "passes on a colleague's place without that colleague's address")
            return [], None
        evidence.append(f"substitute {colleagues[0].email}: named in the message")
        return [], colleagues[0]
    if not colleagues and (you := _the_addressee(msg, phrases)) is not None:
        evidence.append(f"substitute {you.email}: the colleague the mail is written to")
        return [], you
    if not colleagues:
        doubt.lower(0.3, "names no colleague with an email address to take the place")
    else:
        doubt.lower(0.3, "names several colleagues; which one takes the place?")
    return [], None


def _the_addressee(msg: Message, phrases: str) -> Person | None:
    """"I'm passing my place to you" in a mail written To one colleague of the sender's own
    organisation (the desk copied): that colleague takes it."""
    if not _TO_YOU.search(phrases):
        return None
    sender = msg.mail.sender.lower()
    to = {a.lower() for _, a in getaddresses(msg.mail.header_all("to")) if a} - {sender}
    if len(to) != 1:
        return None
    (you,) = to
    return Person(you, "") if organisation(you) == organisation(sender) else None


_TO_YOU = guarded(r"\bto you\b")


def _holder_forwarded(msg: Message, taker: Person) -> Person | None:
    """The one person our forwarded message was to, named in the member's words, other than the
    one taking the place over."""
    holder = holder_of_our_forward(msg, Person(msg.mail.sender, ""))
    return holder if holder is not None and holder.email != taker.email else None


# "swap Raj for Helen", "replace Raj with Helen": the one named first gives the place up.
_SWAP_FOR = guarded(r"^(?:swap|switch|replace|change)\b")


# "Bea will replace Ali": read as "replace Ali", whose place it is.
_REPLACES = guarded(r"^(?:will|'ll|to|can|could|is going to)\s+(?:be\s+)?replac(?:e|ing)\s+")
_MINE = frozenset({"me", "myself", "my", "name", "place", "booking", "seat", "spot", "in", "out"})


def _swaps_someone_else(phrases: list[str], taker: Person) -> bool:
    """"Swap Ali Khan for Bea (bea@...)": the place given up is Ali's, whose address is not
    given (not "swap me for Bea", nor "swap in Bea")."""
    for phrase in phrases:
        words = [w.strip("(),") for w in phrase.split()]
        if _REPLACES.match(phrase):
            given_up = words[-1:]  # "will replace Ali"
        elif _SWAP_FOR.match(phrase) and len(words) > 2 and words[-1] in ("for", "with"):
            given_up = words[1:-1]  # "swap Ali Khan for"
        else:
            continue
        if not set(given_up) <= _MINE and first_name(taker) not in given_up:
            return True
    return False


def _taker_in_phrase(colleagues: list[Person], phrases: str) -> list[Person]:
    """Both colleagues in the sentence that passes the place on: the one the phrase itself
    names ("put Sam (sam@...) in his place") takes it; after "swap Raj for", Raj gives it up."""
    named = [p for p in colleagues if first_name(p) and re.search(
        rf"\b{re.escape(first_name(p))}\b|{re.escape(p.email)}", phrases)]
    if len(named) != 1:
        return []
    if _SWAP_FOR.match(phrases) or _REPLACES.match(phrases):
        return [p for p in colleagues if p is not named[0]]
    return named


def _named_after_swap(colleagues: list[Person], passing: str, phrases: list[str]) -> list[Person]:
    """"Kwame can no longer go, so please swap him for Sam (sam@...)": the colleague named
    right after "swap him for" takes the place."""
    for phrase in phrases:
        at = passing.find(phrase)
        if at < 0 or not _SWAP_FOR.match(phrase) or not phrase.endswith((" for", " with")):
            continue
        after = passing[at + len(phrase):]
        spots = [(after.find(p.email), p) for p in colleagues if p.email in after]
        if spots:
            return [min(spots, key=lambda spot: spot[0])[1]]
    return []


def copied_taker(fwd: ForwardedMail, words: str) -> Person | None:
    """"Sam's going instead of Kieran" above Kieran's forwarded mail, Cc Sam Reid <sam.reid@...>:
    the one colleague of the forward's writer copied on it whom the words name by first name."""
    org = fwd.sender.rpartition("@")[2].lower()
    named = []
    for name, addr in getaddresses([fwd.copied]) if fwd.copied and org else []:
        person = Person(addr.lower(), display_name(name))
        first = first_name(person)
        if person.email.endswith("@" + org) and first and re.search(
            rf"\b{re.escape(first)}\b", words
        ):
            named.append(person)
    return named[0] if len(named) == 1 else None
