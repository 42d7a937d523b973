"""A mail that corrects itself: "sorry, I meant October not May", "book Sam - no, Jo instead",
"sorry, typo - it's james.otieno@...", "please ignore my email asking to cancel".

One rule, read here: when the member's own words take back part of the request ("ignore that",
"scratch that", "I meant X, not Y", "sorry, wrong one") and then say plainly what they want,
the part taken back is dropped and the request stated stands; when it is unclear what is taken
back or what stands, the desk asks (corrects_itself), with the corrected words as evidence.
So it does of a mail correcting an earlier one ("Correction to my email this morning: I meant
textiles, not food"): the place the earlier mail asked for may be booked already, two changes
(as asks.py's "I emailed yesterday asking for textiles ... put me on furniture instead").
Where the mark stands:
- in a clause after the request (applied_correction): the word meant for a word the request
  holds once ("I meant October not May"), one session asked for again ("scrap that - can you do
  textiles instead?"; "ignore that ... I meant the May workshop"; "wrong date - it's logistics I
  want"), one colleague's address for another's ("typo - it's ...@"; "Sam can't - book Jo
  instead: jo@...");
- in the asking words themselves ("the March webinar - actually no, scrap that, make it the May
  workshop"): the asking words after the mark (_retracted_in_asking).
asked_sessions.py and combine.py apply what this module reads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from mailflow.clean import EMAIL
from mailflow.understanding.clauses import Clause, Role
from mailflow.understanding.doubts import kept_named
from mailflow.understanding.literals import guarded
from mailflow.understanding.reading import Reading

# "Sorry, wrong one - textiles please": the session asked for taken back (not "I went to the
# wrong one last year": no apology, a story).
_WRONG_ONE_WORDS = (
    r"\b(?:sorry|oops|whoops|argh),?\s+(?:(?:that's|that was|i (?:put|wrote|said|picked))\s+)?"
    r"(?:the\s+)?wrong\s+(?:one|session|webinar|workshop|event)\b"
)
# The marks of a correction. (Not "I meant to write last week": an apology, no correction;
# nor "please disregard this email", a disclaimer's words.)
_MARK = guarded(
    r"\bsorry,?\s+(?:i\s+)?mean(?:t)?\b(?!\s+to\b)|\bi\s+meant\b(?!\s+to\b)(?=\s+\w)"
    # ("oh, no" spelled out: a word of two letters is none the guard can look for first)
    r"|\b(?:actually|wait|hang on|hmm),?\s+no\b|\boh(?:, | )no\b|\bno,?\s+wait\b"
    r"|\b(?:scrap|scratch|ignore|forget|disregard)\s+that\b|\bcorrection\s*:"
    r"|\b(?:a\s+|my\s+)?typo\b|\bon second thoughts?\b"
    # "Book me on furniture. Wrong date, sorry - I'm away then."
    r"|\bwrong (?:date|day)\b|" + _WRONG_ONE_WORDS +
    # "book Sam - no, Jo instead" (not "sorry - no, I can't make it": an answer)
    r"|\s[-–]\s*no,?\s+[^.?!]{0,40}\binstead\b"
)
# "the March webinar - actually no, scrap that ... make it the May workshop": the marks that take
# back what came before them, which asked_sessions.py reads past (not "oh, no" or "hmm, no":
# as often dismay or musing as a correction, which the desk asks about).
RETRACTS = guarded(
    r"\b(?:actually,? no|no,? wait|(?:wait|hang on),? no|scrap that|scratch that|ignore that"
    r"|forget that|sorry,? i mean[t]?|on second thoughts?)\b|" + _WRONG_ONE_WORDS
)
_WRONG_ONE = guarded(_WRONG_ONE_WORDS)
# "please ignore my email from this morning asking to cancel": an earlier mail's request taken
# back, which the desk may already have acted on.
_EARLIER = guarded(
    r"\b(?:ignore|disregard)\s+my\s+(?:previous|last|earlier|first|other|original|old)?\s*"
    r"(?:e-?mail|message|mail|request|cancellation|note)\b"
    r"|\b(?:cancel|withdraw|retract|undo)\s+my\s+(?:previous\s+|earlier\s+)?cancellation\b"
)
# "Correction to my email this morning: I meant textiles, not food": the earlier mail's request
# corrected, whose place the desk may have booked already (two changes: the desk asks).
_OF_AN_EARLIER_MAIL = guarded(
    r"\bcorrection to my (?:\w+\s+){0,2}?(?:e-?mail|message|mail|request|booking)\b"
)

# "Yes - actually no, sorry, I have a board meeting": an answer to an offer changing its mind,
# which answers.py reads (the later word stands).
_ANSWER_REVERSED = guarded(r"\b(?:actually|oh|wait|hang on|hmm|no|second thoughts?)\b")


def corrects_itself(
    own: Reading, named: Callable[[str], frozenset[str]], offer_answer: bool = False,
    applied: frozenset[int] = frozenset(),
) -> str:
    """The reason to ask for a correction the reading has not applied, or ""."""
    asking = own.role_text(Role.REQUEST)
    read_past = _last_retraction(asking, named)
    for number, clause in enumerate(own.clauses):
        if clause.role is Role.SIGNATURE or number in applied:
            continue
        if _OF_AN_EARLIER_MAIL.search(clause.text):
            return ("corrects an earlier mail, whose place may be booked already: "
                    f"{quoted_clause(clause)}")
        for found in _MARK.finditer(clause.text):
            if clause.role is Role.REQUEST and RETRACTS.search(found.group(0)) and _read_past(
                asking, found.group(0), read_past
            ):
                continue  # the asking words after it are the request (_retracted_in_asking)
            if offer_answer and _ANSWER_REVERSED.search(found.group(0)):
                continue
            return f"corrects itself: {quoted_clause(clause)}"
        if _EARLIER.search(clause.text):
            return f"takes back an earlier mail: {quoted_clause(clause)}"
        if (_NARROWS.match(clause.text) or named(narrowing(clause.text))) and any(
            c.role is Role.REQUEST for c in own.clauses[:number]
        ):
            # "Please book me on food. Just the textiles one then.": not one of those asked
            return f"corrects itself: {quoted_clause(clause)}"
    return ""


def quoted_clause(clause: Clause) -> str:
    """The clause as the reason quotes it: the member's own words, the first 100 characters."""
    return f'"{(clause.raw or clause.text)[:100].strip()}"'


def _read_past(asking: str, mark: str, last: re.Match[str] | None) -> bool:
    """"Register me for the March webinar - actually no, scrap that ... the May workshop": the
    mark is one the asking words are read past (at or before the last that names a session
    after it), and no address follows it (a colleague changed: the desk asks)."""
    at = asking.find(mark)
    return last is not None and 0 <= at <= last.start() and not EMAIL.search(
        asking[at + len(mark):]
    )


@dataclass(frozen=True)
class Applied:
    """A correction plain about what replaces what, which the reading applies."""

    clauses: frozenset[int] = frozenset()  # the clauses that say it: no question, no doubt
    swap: tuple[str, str] = ("", "")  # "I meant October not May": the word taken back, and meant
    asking: str = ""  # "scrap that - can you do textiles instead?": the words that ask again
    dropped: str = ""  # "sorry, typo - it's ...@": the address taken back
    added: str = ""  # and the one that replaces it
    evidence: str = ""
    # "both evidence workshops ... just the autumn one then": the sessions it chooses among
    among: frozenset[str] = frozenset()


NOTHING = Applied()
# What leaves a correction unsure: another choice still open, or the correction itself hedged.
_UNSURE = guarded(
    r"\b(?:maybe|perhaps|possibly|probably|might|not sure|unsure|either|or|both|unless|if"
    r"|i think|i guess|not certain)\b"
)
# The only questions a correction may put: the request itself ("can you do textiles
# instead?") or a tag on the fact corrected ("logistics is 28 March, isn't it?").
_ASKING_AGAIN = guarded(r"\b(?:can|could|would|will) you\b|,\s*(?:isn't|is) it\s*\?")
_WRONG_DATE = guarded(r"\bwrong (?:date|day)\b")
_INSTEAD = guarded(r"\binstead\b")
# "on second thoughts, make that the October one": the session after the mark in the place of
# the one asked for (not "I can't make it", "make that the October one as well": one more).
_MAKE_THAT = guarded(r"(?<!n't )(?<!not )\bmake (?:that|it)\b(?!\s+(?:to|too)\b)")
_AS_WELL = guarded(r"\b(?:too|as well|also|additionally)\b")
# "Sorry, I meant textiles": the session meant in place of the one asked for (not "I meant
# textiles as well": one more).
_MEANT = guarded(r"\bi mean[t]?\b")
_ONE_MORE = guarded(r"\b(?:too|as well|also|and|additionally|plus)\b")
# "I meant October not May", "I meant the October one, not May".
_MEANT_NOT = guarded(
    r"\bi\s+meant\s+(?:the\s+)?([a-z]+)(?:\s+(?:one|session|webinar|workshop))?,?\s+"
    r"(?:and\s+)?not\s+(?:the\s+)?([a-z]+)\b"
)


def applied_correction(
    own: Reading, named: Callable[[str], frozenset[str]], sender: str
) -> Applied:
    """The correction a careful coordinator applies without asking: one mark after the request,
    saying plainly which session, or which colleague or address, replaces which."""
    if not _MARK.search(own.text) and not _EARLIER.search(own.text) and not any(
        narrowing(c.text) for c in own.clauses
    ):
        return NOTHING
    clauses = own.clauses
    first = next((n for n, c in enumerate(clauses) if c.role is Role.REQUEST), -1)
    marked = [n for n, c in enumerate(clauses) if c.role is not Role.SIGNATURE and (
        _MARK.search(c.text) or _EARLIER.search(c.text) or narrowing(c.text))]
    # (A mark in the asking words themselves: _retracted_in_asking. One opening the mail
    # corrects an earlier mail, whose place the desk may have booked already: it asks.)
    if first < 0 or len(marked) != 1 or marked[0] <= first:
        return NOTHING
    at = marked[0]
    rest = [c.text for c in clauses[at:] if c.role not in (Role.SIGNATURE, Role.COURTESY)]
    said = " ".join(rest)
    if _UNSURE.search(said) or any(
        t.rstrip(" )").endswith("?") and not _ASKING_AGAIN.search(t) for t in rest
    ):
        return NOTHING
    asking = "\n".join(c.text for c in clauses[:at] if c.role is Role.REQUEST)
    applied = (
        _narrowed(clauses[at].text, said, asking, named)
        or _swapped(clauses[at].text, asking, said, named)
        or _asked_again(clauses[at].text, said, asking, named)
        or _person_replaced(clauses[:at], clauses[at].text, said, asking, named, sender)
    )
    if applied is None:
        return NOTHING
    numbers = frozenset(range(at, len(clauses)))
    raw = (clauses[at].raw or clauses[at].text)[:100].strip()
    return replace(applied, clauses=numbers, evidence=f'applies the correction: "{raw}"')


# "Just the autumn one then please", "ok, only the food one then": a later clause that keeps
# one of the sessions asked for and lets the rest go.
_NARROWS = guarded(
    r"^\W*(?:(?:ok|okay|so|right|fine|in that case),?\s+)?(?:just|only)\s+(?:the\s+)?"
    r"[^.?!;,]{0,40}?\b(?:then|instead)\b"
)


# "On reflection, only the food one please", "forget textiles, just food then", "actually, I
# can only do October": "just"/"only" said with a change of mind, in a short clause.
# (Not "just to say", "just checking", "just realised", "just me": no session kept.)
_ONLY = guarded(
    r"\b(?:just|only)\b(?!\s+(?:to|wanted|want|checking|realised|realized|noticed|a|in case|so"
    r"|me|us|been|got|had|one more|now)\b)"
)
_CHANGE_OF_MIND = guarded(
    r"\b(?:then|instead|actually|on reflection|thinking about it|on second thoughts?|after all"
    r"|in that case|forget|scrap|make it)\b"
)
_NARROW_WORDS = 12


def narrowing(text: str) -> str:
    """The words of a clause that keep some of the sessions asked for ("just the autumn one then
    please"; of "forget textiles, just food then", "just food then"), or ""."""
    if _NARROWS.match(text):
        return text
    if "?" in text or len(text.split()) > _NARROW_WORDS or not _ONLY.search(text) or not (
        _CHANGE_OF_MIND.search(text)
    ):
        return ""
    return next((part for part in text.split(",") if _ONLY.search(part)), "")


_SOMEONE = guarded(r"\b(?:for|my|our|his|her|their|him|them|colleague|colleagues)\b")


def _narrowed(
    text: str, said: str, asking: str, named: Callable[[str], frozenset[str]]
) -> Applied | None:
    """"Could you book me on both evidence workshops? ... Just the autumn one then please.":
    the one session the later clause keeps, of those asked for, is the request."""
    part = narrowing(text)
    if not part or EMAIL.search(said) or _SOMEONE.search(text):
        return None  # ("just the autumn one for my colleague then": who goes changes too)
    was, kept = named(asking), named(part)
    # (Kept: some of those asked, not all; none named only in "just the autumn one then", which
    # asked_sessions reads among those asked.)
    if len(was) < 2 or (not kept < was and not (not kept and _NARROWS.match(text))):
        return None
    return Applied(asking=part, among=was)


def _swapped(
    text: str, asking: str, said: str, named: Callable[[str], frozenset[str]]
) -> Applied | None:
    """"Please book the May workshop. Sorry, I meant October not May": the word meant takes
    the place of the one taken back, which the request holds once."""
    found = _MEANT_NOT.search(text)
    if found is None:
        return None
    meant, back = found.group(1), found.group(2)
    if re.search(rf"\b{meant}\b", asking) or len(re.findall(rf"\b{back}\b", asking)) != 1:
        return None
    was, now_ = named(asking), named(re.sub(rf"\b{back}\b", meant, asking))
    if len(now_) != 1 or not was or now_ == was or EMAIL.search(said):
        return None  # (the request, so corrected, names one session, another than before)
    return Applied(swap=(back, meant))


def _asked_again(
    text: str, said: str, asking: str, named: Callable[[str], frozenset[str]]
) -> Applied | None:
    """"Book me on food. Scrap that - can you do textiles instead?", "the logistics webinar on
    28th May - wait, sorry, wrong date - logistics is 28 March": the words after the mark name
    one session, asked for instead, or the one the request named when its date was wrong."""
    found = RETRACTS.search(text) or _WRONG_DATE.search(text)
    if found is None or EMAIL.search(said):
        return None
    mark = found.group(0)
    after = said[said.find(mark) + len(mark):]
    # (Not a place the words after keep: "... and leave me on logistics" asks nothing of it.)
    again = named(after) - kept_named(after, named)
    if len(again) > 1 and _MEANT.search(f"{mark} {after}"):
        # "book me on furniture. Actually no - I meant textiles. Furniture is my colleague's
        # area": the session taken back, named again only to say why, is not the one meant.
        again -= named(asking)
        after = " ".join(
            part for part in re.split(r"(?<=[.!])\s+", after)
            if not named(part) or named(part) & again
        )
    if len(again) != 1:
        return None
    # "Sorry - ignore that ... I meant the evidence workshop on 28 May": what is meant, said
    # in the mark or after it.
    if _INSTEAD.search(after) or (_MAKE_THAT.search(after) and not _AS_WELL.search(after)) or (
        _WRONG_DATE.search(mark) and again <= named(asking)) or (
        (_MEANT.search(f"{mark} {after}") or _WRONG_ONE.search(mark))
        and not _ONE_MORE.search(after)
    ):
        return Applied(asking=after)
    return None


def _person_replaced(
    before: Sequence[Clause], text: str, said: str, asking: str,
    named: Callable[[str], frozenset[str]], sender: str,
) -> Applied | None:
    """"his email is j.otieno@... Sorry, typo - it's james.otieno@...", "book Sam (sam.kerr@...)
    ... Actually no - Sam can't do it. Book Jo instead: jo.li@...": one colleague's address
    named earlier gives way to the one the correction gives."""
    earlier = list(dict.fromkeys(
        a.lower() for c in before for a in EMAIL.findall(c.text) if a.lower() != sender
    ))
    new = list(dict.fromkeys(a.lower() for a in EMAIL.findall(said)))
    if len(new) != 1 or new[0] in earlier or new[0] == sender or not earlier:
        return None
    if named(said) - named(asking):
        return None  # a session changed too
    if _TYPO.search(text):
        same_domain = len(earlier) == 1 and earlier[0].split("@")[1] == new[0].split("@")[1]
        return Applied(dropped=earlier[0], added=new[0]) if same_domain else None
    if not _INSTEAD.search(said):
        return None
    meant = [a for a in earlier if re.search(rf"\b{re.escape(_first_name(a))}\b", text)]
    return Applied(dropped=meant[0], added=new[0]) if len(meant) == 1 else None


_TYPO = guarded(r"\btypo\b")


def _first_name(address: str) -> str:
    """"sam.kerr@..." is Sam's: the first part of the address, if it is a name's length."""
    first = re.split(r"[._+-]", address.split("@")[0])[0]
    return first if len(first) > 2 else "\x00"


def corrected_asking(
    fix: Applied, asking: str, evidence: list[str], named: Callable[[str], frozenset[str]]
) -> tuple[str, str]:
    """The asking words once the member's own correction is applied, and the words it took
    back: "the May workshop ... sorry, I meant October not May" asks for the October one."""
    back, meant = fix.swap
    if back:
        evidence.append(fix.evidence)
        return re.sub(rf"\b{back}\b", meant, asking), "\n" + back
    if fix.asking:
        evidence.append(fix.evidence)
        return fix.asking, "\n" + asking
    return _retracted_in_asking(asking, named)


def _retracted_in_asking(
    asking: str, named: Callable[[str], frozenset[str]]
) -> tuple[str, str]:
    """"Register me for the March webinar - actually no, scrap that, make it the May workshop":
    a mark in the asking words themselves takes back what came before it. The asking words
    after the last such mark that names a session, and those it took back (background now);
    corrects_itself asks nothing of the marks read past (_read_past)."""
    found = _last_retraction(asking, named)
    if found is None:
        return asking, ""
    return asking[found.end():], "\n" + asking[: found.start()]


def _last_retraction(
    asking: str, named: Callable[[str], frozenset[str]]
) -> re.Match[str] | None:
    """The last mark in the asking words that takes back what came before it and is followed
    by words naming a session."""
    for found in reversed(list(RETRACTS.finditer(asking))):
        if named(asking[found.end():]):
            return found
    return None
