"""Whether a reading accounts for every clause that asks for, conditions or hedges a change.

A reading may be confident only when each clause of the member's own words that bears on a seat
change is taken in by it: a clause going on from a request, or only a condition after one
("- food, depending on my leave", "Only if the food place doesn't come through."), is read for
hedges as the request itself is; a request that opens one branch of a choice ("Will it be
recorded? If so ... If not, book me") waits on the question it answers; a second branch naming
another session ("food, or else textiles", "if that's full, textiles instead") leaves the choice
to the desk; and a person the reading books must be named for a place, not "might want to come".
Each clause left over is a reason to ask, with its words as evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from mailflow.model import Person
from mailflow.understanding.asks import other_branch
from mailflow.understanding.clauses import Clause, Role
from mailflow.understanding.conditions import (
    asks_a_desk_fact,
    condition_on,
    only_a_condition,
    opens_a_branch,
)
from mailflow.understanding.people import maybe_coming
from mailflow.understanding.reading import Reading

_SHOWN = 100  # characters of a clause quoted in a reason


def _continues_a_request(reading: Reading, number: int) -> bool:
    """A request clause no intent phrase was found in: it goes on from the one before."""
    return not any(n == number for found in reading.found.values() for _, _, n in found)


def _governing_question(clauses: Sequence[Clause], number: int) -> str:
    """The question a branch answers: the nearest clause before it that is not itself a branch
    ("Will it be recorded? If so ... If not, ..." both answer the first) nor a remark ("Is
    October the same content as May? I missed May. If it's different ..."), if it asks."""
    for clause in reversed(clauses[:number]):
        if opens_a_branch(clause.text) or (
            clause.role is Role.BACKGROUND and "?" not in clause.text
        ):
            continue
        return clause.text if clause.role is Role.QUESTION or "?" in clause.text else ""
    return ""


# "Could you check and book me if not please": a request asked on the answer to the question
# before it, said after the ask.
_ON_THE_ANSWER = re.compile(r"\bif (?:not|so|yes)\b")
# What the booking itself tells: whether a place may be had (open, space, full, too late or
# early) and whether the sender holds one already ("am I booked?", "I can't remember if I did
# the May one", "checking I'm down for the rest of the year?"). (Not "is it pitched at
# practitioners?", "is the furniture one more advanced?": what a session is, the
# coordinator's to answer.)
_THE_BOOKING_TELLS = re.compile(
    r"\b(?:open|space|room|places?|seats?|full|fully booked|booked|available|availability"
    r"|too (?:late|early)|wait(?:ing)? ?list|registered|signed up|on the list|did i|have i"
    r"|remember (?:if|whether)|(?:i'm|i am|am i|we're|we are|are we) down)\b"
)


def answered_by_the_booking(reading: Reading) -> set[str]:
    """Questions a request after them answers by being done: "Is the logistics one in March
    open yet? If so please put me down", "I can't remember if I did the May workshop too? Could
    you check and book me if not". The booking (or the waiting list, or "already booked") tells
    the sender; any other question (what the session is, how it is run) still waits for the
    coordinator."""
    answered = set()
    for number, clause in enumerate(reading.clauses):
        if clause.role is not Role.REQUEST or not (
            opens_a_branch(clause.text) or _ON_THE_ANSWER.search(clause.text)
        ):
            continue
        question = _governing_question(reading.clauses, number)
        if question and _THE_BOOKING_TELLS.search(question) and not asks_a_desk_fact(question):
            answered.add(question)
    return answered


def conditional_request(reading: Reading, number: int) -> str:
    """Why a request clause is asked only on a condition, or ""."""
    clause = reading.clauses[number]
    if _continues_a_request(reading, number) and condition_on(clause.text):
        return f'asks on a condition: "{clause.text[:_SHOWN]}"'
    if opens_a_branch(clause.text):
        question = _governing_question(reading.clauses, number)
        if question and asks_a_desk_fact(question):
            return (f'asks on a condition: "{clause.text[:_SHOWN]}" (waits on the answer to '
                    f'"{question[:_SHOWN]}")')
    return ""


def condition_after(reading: Reading, number: int, named: Callable[[str], frozenset[str]]) -> str:
    """Why a clause read as no request, but only a condition on the request right before it
    ("Provided my manager agrees.", "If food is full, then textiles please."), makes that request
    conditional or a choice, or ""."""
    clause = reading.clauses[number]
    if number == 0 or reading.clauses[number - 1].role is not Role.REQUEST:
        return ""
    if not only_a_condition(clause.text):
        return ""
    if condition_on(clause.text):
        return f'asks on a condition: "{clause.text[:_SHOWN]}"'
    return choice_of_sessions(clause, named)


def choice_of_sessions(clause: Clause, named: Callable[[str], frozenset[str]]) -> str:
    """Why a request clause leaves a choice between sessions to the desk, or ""."""
    branch = other_branch(clause.text)
    if branch and named(branch):
        return f'leaves a choice between sessions: "{clause.text[:_SHOWN]}"'
    return ""


def unaccounted(
    reading: Reading, others: Sequence[Person], named: Callable[[str], frozenset[str]]
) -> list[str]:
    """Every clause of the member's own words bearing on a change the reading does not account
    for, as reasons to ask. others: the people the reading books beside the sender; named reads
    which sessions words name."""
    reasons = []
    for number, clause in enumerate(reading.clauses):
        if clause.role is Role.REQUEST:
            reasons += [why for why in (conditional_request(reading, number),
                                        choice_of_sessions(clause, named)) if why]
        elif why := condition_after(reading, number, named):
            reasons.append(why)
        for person in others:
            hedge = maybe_coming(clause.text, person)
            if hedge:
                reasons.append(f'names {person.email} only perhaps: "{hedge}"')
    return reasons
