"""The words of a booking that belong to a cancellation in the same sentence: "I no longer need
a place", "could you cancel the food one for me please?". They ask for no place."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mailflow.model import Intent

if TYPE_CHECKING:
    from mailflow.understanding.reading import Reading

# What starts another request after a cancellation's verb: a comma, a dash, "and", "but",
# "then", "instead", where to go ("move from May to the October one"), or a verb of booking
# ("cancel food and the textiles one please", "cancel food, textiles please", "cancel food to
# join textiles" each ask for two things).
_ANOTHER_REQUEST = re.compile(
    r"[,;:()]|\s[-\u2013\u2014]\s"
    r"|\b(?:and|but|then|instead|so|also|or|plus|rather|to|onto|into)\b"
    r"|\b(?:book\w*|regist\w*|join\w*|attend\w*|sign\w*|enrol\w*|reserv\w*|put|add|get|have"
    r"|come|take|move|swap|switch|transfer)\b"
)


def _said_of_the_cancellation(booking: str, cancel: str, sentence: str) -> bool:
    """The booking's words are the cancellation's: inside them ("I no longer need a place"), or
    going on from its verb with nothing that asks again ("could you cancel the food one for me
    please?": the session the verb names, and a please)."""
    if booking in cancel:
        return True
    start, verb = sentence.find(booking), sentence.find(cancel)
    if start < 0 or verb < 0:
        return False
    end, after_verb = start + len(booking), verb + len(cancel)
    return after_verb <= end and not _ANOTHER_REQUEST.search(sentence, after_verb, end)


def within_a_cancellation(reading: Reading, number: int, sentence: str) -> None:
    """Drop the booking phrases of this sentence that are a cancellation's words."""
    cancels = [p for p, _, n in reading.found.get(Intent.CANCEL, []) if n == number]
    booked = reading.found.get(Intent.REGISTER, [])
    if not cancels or not booked:
        return
    kept = [f for f in booked if f[2] != number
            or not any(_said_of_the_cancellation(f[0], p, sentence) for p in cancels)]
    if kept:
        reading.found[Intent.REGISTER] = kept
    else:
        del reading.found[Intent.REGISTER]
