"""A move: a booking asked in exchange for the sender's own place held, given up for it."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from mailflow.model import Intent, Person, ThreadContext
from mailflow.understanding.literals import guarded
from mailflow.understanding.message import Message

# "could you switch me to the furniture one instead?": a place asked for in exchange for one
# held, a cancellation beside the booking (from a waiting list, only a turn moves).
MOVE_ME = guarded(
    # ("could you change it to the October workshop instead of the May one?": the place held.)
    r"\b(?:move|switch|swap|transfer|change)\s+(?:me|us|my (?:place|booking|registration)"
    r"|it|that|this|the (?:booking|registration))\s+"
    # (Not "change it to my new address": the details, not the session.)
    r"(?:over\s+|across\s+)?(?:to|onto|into)\b(?!\s+(?:my|his|her|our|their|the)?\s*(?:new\s+)?"
    r"(?:[\w.+-]+@|e-?mail|address|work|personal|name|spelling))"
    # the member moving themself: "could I move to the October one instead?"
    r"|\b(?:i|we)\s+(?:move|switch|swap|transfer)\s+(?:over\s+|across\s+)?(?:to|onto|into)\b"
)

# The places a move may give up: a turn on a waiting list the sender's mail answers. (A place
# confirmed is not given up on the desk's reading: the corpora ask, "two changes"; round 21.)
GIVEN_UP = frozenset({"waitlisted"})


def leaves_the_list(msg: Message, intents: Mapping[Intent, float],
                    named: Callable[[str], frozenset[str]]) -> bool:
    """"Please take me off the food list and book me on the textiles one instead" answering
    our waiting-list message for food: one change, a move, not a cancel beside a booking.
    named reads which sessions words name."""
    context = msg.context
    if context is None or context.outcome not in GIVEN_UP or len(context.event_ids) != 1:
        return False
    if set(intents) != {Intent.REGISTER, Intent.CANCEL}:
        return False
    sessions = named(msg.source.text)
    return context.event_ids[0] in sessions and len(sessions) == 2


def moved_from(msg: Message, intent: Intent, event_ids: Sequence[str],
               people: Sequence[Person]) -> tuple[str, ...]:
    """The place a booking moves the sender from, or (): "could you move me to the October
    one instead?" answering our waiting-list message for May gives up the May turn, once
    October is held (decide keeps it otherwise).

    Only when it is clear: the sender's own place, the one our message they answer is about,
    one other session asked for instead, nobody else booked, and the mail says it moves
    ("move me to", or leaves the list as it books). Else: no move (asks.py asks)."""
    context = _turn_answered(msg, intent)
    if context is None or not _moves(msg):
        return ()
    sender = msg.mail.sender.lower()
    if context.recipient.lower() != sender or any(p.email.lower() != sender for p in people):
        return ()
    wanted = [e for e in event_ids if e not in context.event_ids]
    if len(context.event_ids) != 1 or len(wanted) != 1:
        return ()
    return tuple(context.event_ids)


def _turn_answered(msg: Message, intent: Intent) -> ThreadContext | None:
    """Our waiting-list message a booking answers, or None: the turn a move may give up."""
    context = msg.context
    if intent is not Intent.REGISTER or context is None or context.outcome not in GIVEN_UP:
        return None
    return context


def _moves(msg: Message) -> bool:
    """The mail says it moves: "move me to", or it leaves the list as it books."""
    return bool(MOVE_ME.search(msg.own.text) or msg.source.found.get(Intent.CANCEL))


def move_unclear(msg: Message, intent: Intent, event_ids: Sequence[str]) -> str:
    """Why a move off the list the mail answers is unclear, or "": it names no other session
    to move to ("... transfer me to the evidence workshop" read as the May one again)."""
    context = _turn_answered(msg, intent)
    if context is not None and _moves(msg) and set(event_ids) <= set(context.event_ids):
        return "a move off the waiting list, but to which session is not clear"
    return ""
