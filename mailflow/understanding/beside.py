"""A change asked beside a question in one sentence: whether the change stands beside it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mailflow.model import Intent
from mailflow.understanding.conditions import (
    CONFIRMATION_CARRIES,
    DEFERRAL,
    SUBCLAUSE,
    TOPIC_QUESTION,
)
from mailflow.understanding.literals import guarded

if TYPE_CHECKING:
    from mailflow.understanding.reading import Reading

_OFFER_ANSWERS = (Intent.ACCEPT_OFFER, Intent.DECLINE_OFFER)


# "..., and could you tell me also whether it will be recorded?": a second ask joined to the first.
_AND_ASKS = guarded(
    r",?\s+(?:and|also|plus)\s+(?:also\s+)?(?:could|can|would|will)\s+you\s+(?:also\s+)?"
    r"(?:please\s+)?(?:tell|let (?:me|us) know|confirm|advise|say|send|share)\b"
)


# "Could you book me on the 29 Jan one please - and will it be recorded?", "Yes I'll take it -
# is there a recording?": a question of its own after a dash (not "- but", "- or", "- if").
_DASH_ASKS = guarded(
    r"\s+-\s+(?:and\s+|also\s+|plus\s+)?(?=(?:is|are|will|would|does|do|did|can|could|what"
    r"|when|how|where|who|which|has|have)\b)"
)
# A bare "yes please" that runs on at a dash into its question ("Yes please - will the slides
# be sent round afterwards?") is left, with the question, to the coordinator.
_BARE_YES = re.compile(r"\W*(?:yes|yep|yeah|yup)(?:,? please)?\W*")


def _change_first(reading: Reading, number: int, spoken: str) -> bool:
    """A change asked outright in the sentence's first part, before a second ask joined to it
    ("could you please register me for food, and could you tell me whether it will be
    recorded?", "yes I'll take it - is there a recording?"): the change stands, the question
    beside it is the coordinator's."""
    joined = _AND_ASKS.search(spoken)
    dash = joined is None
    joined = joined or _DASH_ASKS.search(spoken)
    if joined is None:
        return False
    first = spoken[: joined.start()]
    if "?" in first or TOPIC_QUESTION.search(first) or DEFERRAL.search(first):
        return False
    return any(
        n == number and p in first and not (dash and _BARE_YES.fullmatch(p))
        for found in reading.found.values() for p, _, n in found
    )


def asks_beside(reading: Reading, number: int, sentence: str, spoken: str) -> bool:
    """A sentence that asks about the session: whether what it matched still asks a change."""
    if _answer_first(reading, number, spoken) or _change_first(reading, number, spoken):
        # "Yes please - and is there a joining link yet?": the yes stands, the rest asks.
        reading.questions.append(sentence)
        return True
    # "will there be a recording for those who can't make it?" asks; it does not cancel.
    for intent in list(reading.found):
        reading.found[intent] = [f for f in reading.found[intent] if f[2] != number]
        if not reading.found[intent]:
            del reading.found[intent]
    return False


def _answer_first(reading: Reading, number: int, spoken: str) -> bool:
    """An answer to an offer in the sentence's first part, before a part that asks only what
    the confirmation will tell ("Yes please - and is there a joining link yet?"). A question
    the desk cannot answer ("yes please - will the slides be sent round?") is the
    coordinator's, with the yes."""
    first = SUBCLAUSE.split(spoken)[0]
    rest = spoken[len(first):]
    if first == spoken or "?" in first or TOPIC_QUESTION.search(first):
        return False
    if not CONFIRMATION_CARRIES.search(rest) or TOPIC_QUESTION.search(
        CONFIRMATION_CARRIES.sub("", rest)
    ):
        return False
    return any(
        n == number and p in first
        for intent in _OFFER_ANSWERS
        for p, _, n in reading.found.get(intent, [])
    )
