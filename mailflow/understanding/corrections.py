"""A mail that corrects itself: "sorry, I meant October not May", "book Sam - no, Jo instead",
"sorry, typo - it's james.otieno@...", "please ignore my email asking to cancel".

A coordinator reading a correction applies it only when what it replaces is plain; the desk
cannot always tell which words a correction takes back (a session, a colleague, an address, a
whole earlier mail), so a correction it has not applied is a reason to ask, with the corrected
words as evidence. The one it applies is a session named again after the mark in the asking
words themselves ("the March webinar - actually no, scrap that, make it the May workshop":
asked_sessions.py reads only the words after it).
"""

from __future__ import annotations

from collections.abc import Callable

from mailflow.clean import EMAIL
from mailflow.understanding.clauses import Role
from mailflow.understanding.literals import guarded
from mailflow.understanding.reading import Reading

# The marks of a correction. (Not "I meant to write last week": an apology, no correction;
# nor "please disregard this email", a disclaimer's words.)
_MARK = guarded(
    r"\bsorry,?\s+(?:i\s+)?mean(?:t)?\b(?!\s+to\b)|\bi\s+meant\b(?!\s+to\b)(?=\s+\w)"
    r"|\b(?:actually|oh|wait|hang on|hmm),?\s+no\b|\bno,?\s+wait\b"
    r"|\b(?:scrap|scratch|ignore|forget|disregard)\s+that\b|\bcorrection\s*:"
    r"|\b(?:a\s+|my\s+)?typo\b|\bon second thoughts?\b"
    # "book Sam - no, Jo instead" (not "sorry - no, I can't make it": an answer)
    r"|\s[-–]\s*no,?\s+[^.?!]{0,40}\binstead\b"
)
# "please ignore my email from this morning asking to cancel": an earlier mail's request taken
# back, which the desk may already have acted on.
_EARLIER = guarded(
    r"\b(?:ignore|disregard)\s+my\s+(?:previous|last|earlier|first|other|original|old)?\s*"
    r"(?:e-?mail|message|mail|request|cancellation|note)\b"
    r"|\b(?:cancel|withdraw|retract|undo)\s+my\s+(?:previous\s+|earlier\s+)?cancellation\b"
)


# "Yes - actually no, sorry, I have a board meeting": an answer to an offer changing its mind,
# which answers.py reads (the later word stands).
_ANSWER_REVERSED = guarded(r"\b(?:actually|oh|wait|hang on|hmm|no|second thoughts?)\b")


def corrects_itself(
    own: Reading, named: Callable[[str], frozenset[str]], offer_answer: bool = False
) -> str:
    """The reason to ask for a correction the reading has not applied, or ""."""
    asking = own.role_text(Role.REQUEST)
    for clause in own.clauses:
        if clause.role is Role.SIGNATURE:
            continue
        for found in _MARK.finditer(clause.text):
            if clause.role is Role.REQUEST and _names_again(asking, found.group(0), named):
                continue  # a session named again after the mark: asked_sessions reads it
            if offer_answer and _ANSWER_REVERSED.search(found.group(0)):
                continue
            return f'corrects itself: "{(clause.raw or clause.text)[:100].strip()}"'
        if _EARLIER.search(clause.text):
            return f'takes back an earlier mail: "{(clause.raw or clause.text)[:100].strip()}"'
    return ""


def _names_again(asking: str, mark: str, named: Callable[[str], frozenset[str]]) -> bool:
    """"Register me for the March webinar - actually no, scrap that ... the May workshop": the
    asking words after the mark name a session again, and no address (a colleague changed)."""
    at = asking.find(mark)
    if at < 0:
        return False
    after = asking[at + len(mark):]
    return bool(named(after)) and not EMAIL.search(after)
