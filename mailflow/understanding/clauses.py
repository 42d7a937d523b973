"""A text as clauses with a role: request, background, question, courtesy or signature."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from mailflow.clean import EMAIL
from mailflow.understanding import languages
from mailflow.understanding.literals import guarded


class Role(StrEnum):
    REQUEST = "request"  # asks for a change of place; its sessions are the targets
    BACKGROUND = "background"  # explains or describes; a session named here is context
    QUESTION = "question"  # asks something a seat change does not answer
    COURTESY = "courtesy"  # thanks, greetings, pleasantries, worry about the mail itself
    SIGNATURE = "signature"  # name, job title, organisation, phone lines


@dataclass(frozen=True)
class Clause:
    text: str  # normalised (lower case, straight quotes)
    role: Role
    raw: str = ""  # as written, for names


# A line break inside a sentence (a wrapped line): the next line goes on in lower case.
_WRAPPED = re.compile(r"(?<![.?!:;\n])\n(?=[ \t]*[a-z(])")
# A line that ends on a word no sentence ends on ("in May and in\nOctober", "booked for\n
# December") goes on in the next line, whatever its case.
_WRAPPED_AFTER = re.compile(
    r"\b(and|or|but|in|on|at|of|for|to|from|with|the|a|an|my|our|your|his|her|their|this|that"
    r"|is|are|was|be|by|as|so|than|into|onto|about|if|whether)[ \t]*\n(?=[ \t]*[A-Za-z0-9])",
    re.IGNORECASE,
)
# Not after the dots of a date ("29.1. and 10.12. please").
_NO_END = (
    r"(?<!\d\.\d\.)(?<!\d\d\.\d\.)(?<!\d\.\d\d\.)(?<!\d\d\.\d\d\.)"
    # Nor after "e.g." / "i.e.", which go on with the same sentence.
    r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bE\.g\.)(?<!\bI\.e\.)"
)
# Nor after a day written with a dot before its month ("am 29. Oktober", "on 24. September";
# not "May", which may start a question).
_MONTH_NAMES = "|".join(
    sorted({*languages.MONTHS, "january", "february", "march", "april", "june", "july",
            "august", "september", "october", "november", "december"}, key=len, reverse=True)
)
_SENTENCE = re.compile(
    rf"(?<=[.?!]){_NO_END}(?<!\d\.)\s+|(?<=\d\.){_NO_END}\s+(?!(?i:{_MONTH_NAMES})\b)|\n+"
)

# "Thanks for the offer", "thank you for confirming my cancellation": thanks for something
# done, up to the end of that clause (or a "but": "thanks for the offer but I'll have to say
# no"). Its words ("cancellation", "booking") ask for nothing.
_THANKS_FOR = re.compile(
    r"\b(?:many |huge |big )?(?:thanks|thank you|thankyou|thx|cheers)(?: (?:so|very) much)?"
    r"(?: again)? for\b[^.?!;,:\n]*?(?=\s+-\s+|\s+but\b|[.?!;,:\n]|$)"
)
# Worry about the mail itself, not the request: "resending in case this got lost",
# "not sure my first email arrived". Hedging is about the request, not the delivery.
_ABOUT_THE_MAIL = guarded(
    r"\b(?:(?:i'm |i am |just )?(?:resending|re-sending|sending (?:this|it) again|re-?sent)"
    r"(?: (?:this|my (?:e-?mail|message|request)))?"
    r"(?: (?:just )?in case\b[^.?!;\n]{0,60}?\b(?:lost|missed|arrived?|received?|through|spam"
    r"|junk|bounced|overlooked)\b)?"
    r"|(?:just )?in case (?:this|my|the|it|you|your)\b[^.?!;\n]{0,60}?\b(?:lost|missed|arrived?"
    r"|received?|got through|gone through|went through|spam|junk|bounced|overlooked)\b"
    r"|not sure (?:if|whether) (?:you|this|my|it)\b[^.?!;\n]{0,60}?\b(?:received?|got|arrived?"
    r"|through|reached)\b"
    r"|(?:i )?(?:haven't|have not|didn't|did not) (?:had|have|hear|heard|get|got|receive|received)"
    r" (?:a |any )?(?:reply|response|confirmation|answer|back)\b(?: back| from you| yet)?)"
)

# "Sorry about the confusion earlier with the cancellations", "apologies for the mix-up over
# the booking": an apology for a muddle in the exchange so far. What it was about asks nothing.
_SORRY_FOR_MUDDLE = re.compile(
    r"\b(?:(?:so |very |really )?sorry|apologies|(?:i )?apologi[sz]e)(?: again)? (?:about|for)"
    r" (?:the|all the|any|my|our) (?:confusion|mix-?up|muddle|mess|back and forth|to-ing and"
    r" fro-ing|misunderstanding|faff)\b[^.?!;:,\n]*?(?=\s+-\s+|\s+but\b|[.?!;:,\n]|$)"
)

# A short fragment right after a request goes on naming what it asks for: "- Food (25 June)",
# "and the textiles one.". Words that start a statement of their own make it background.
_OWN_STATEMENT = re.compile(
    r"\b(?:i|i'm|i've|i'll|i'd|we|we're|we've|we'll|our|my|you|your|he|she|they|it's|is|are"
    r"|was|were|has|have|had|will|would|can|could|run|runs|work|works|buy|buys|manage|manages"
    r"|cover|covers|clash|clashes|keep)\b"
)
_FRAGMENT_WORDS = 8


# A hard-wrapped paragraph: a line this long that ends mid-sentence goes on in the next.
_WRAP_WIDTH = 60
_HARD_WRAPPED = re.compile(
    rf"(?m)^([^\n]{{{_WRAP_WIDTH},}}[^\n.?!:;,\s])[ \t]*\n(?=[ \t]*[A-Za-z(])"
)


_LONGEST_LAST_WORD = 7  # "whether": the longest of _WRAPPED_AFTER's words


def _glued_after_words(text: str) -> str:
    """_WRAPPED_AFTER.sub(r"\1 ", text), tried only where a match can start: the word ends
    just before a line break (and its spaces), so it starts at most seven characters back.
    (A search from every position of a long text cost a fifth of reading it.)"""
    parts: list[str] = []
    done = 0
    newline = text.find("\n")
    while newline >= 0:
        end = newline
        while end > done and text[end - 1] in " \t":
            end -= 1
        # Each word ends on a letter: a line ending on anything else ("ok.", "2025", ">") is
        # no word's end, and its positions need no trying.
        if end <= done or not text[end - 1].isalpha():
            newline = text.find("\n", newline + 1)
            continue
        for start in range(max(done, end - _LONGEST_LAST_WORD), end):
            found = _WRAPPED_AFTER.match(text, start)
            if found:
                parts += (text[done:start], found.group(1), " ")
                done = found.end()
                break
        newline = text.find("\n", newline + 1)
    return "".join(parts) + text[done:] if parts else text


def sentences(text: str) -> list[str]:
    """Sentences of a text; a wrapped line (going on in lower case, after a word no sentence
    ends on, or a long line ending mid-sentence) is glued back."""
    if "\n" in text:
        text = _HARD_WRAPPED.sub(r"\1 ", _glued_after_words(text))
    joined = _WRAPPED.sub(" ", text)
    return [s.strip() for s in _SENTENCE.split(joined) if s.strip()]


def without_courtesy(sentence: str) -> str:
    """The sentence with thanks-for clauses, apologies for a muddle and worry about delivery
    blanked out."""
    if "for" in sentence:
        sentence = _THANKS_FOR.sub(" ", sentence)
    if "sorry" in sentence or "apolog" in sentence:
        sentence = _SORRY_FOR_MUDDLE.sub(" ", sentence)
    return _ABOUT_THE_MAIL.sub(" ", sentence)


def is_fragment(sentence: str) -> bool:
    """A few words naming a session, going on from the request before it."""
    words = sentence.split()
    return len(words) <= _FRAGMENT_WORDS and not _OWN_STATEMENT.search(sentence)


# ---------------------------------------------------------------------------------------------
# Signature: the block of short lines at the end, from the sender's name down.

# "Ngozi Eze (she/her)": pronouns after the name are part of the name line.
_NAME_LINE = re.compile(
    r"^[A-Z][\w'’.-]+(?:[ \t]+[A-Z][\w'’.-]+){0,3}[ \t]*,?"
    r"(?:[ \t]*\((?:she|he|they)/(?:her|him|them|they)(?:/\w+)?\))?$"
)
_CONTACT = re.compile(
    r"\b(?:tel|t|m|mob|mobile|phone|ph|direct|dd|e|email|w|web|ext|fax)\b\s*[:.]"
    r"|\+?\d[\d ()-]{7,}\d|@|https?://|www\.|\|"
)
# "PA: Joy Lam jlam@...", "Finance office: finance@...": a signature's line giving whom else
# to write to, labelled by their role; no attendee of a table.
_OFFICE_CONTACT = re.compile(
    r"^\s*(?:[a-z]+\s+){0,2}(?:pa|p\.a\.|assistant|secretary|office|team|inbox|mailbox"
    r"|enquiries|admin|reception|switchboard|department|dept)\s*:",
    re.IGNORECASE,
)
_SIG_WORDS = 10
_TAGLINES = 2


# Words of a request, never of a job title: a line holding one is not signature.
_REQUESTISH = re.compile(
    r"\b(?:please|pls|book|booking|register|cancel|attend|join|place|seat|webinar|workshop)\b",
    re.IGNORECASE,
)


# "Please note my working days are Tuesday-Friday.": a tagline, though it says please.
_NOTE_TAGLINE = re.compile(
    r"^\s*(?:please note|nb|n\.b\.)\b[^?]{0,80}\b(?:working (?:days|hours|pattern)"
    r"|work part[- ]time|days? (?:i|we) work|office hours|do not work|don't work|am not in"
    r"|i'm not in)\b",
    re.IGNORECASE,
)


def _signature_like(line: str) -> bool:
    stripped = line.strip()
    if _REQUESTISH.search(stripped) and not _CONTACT.search(stripped):
        return False
    if not stripped or _CONTACT.search(stripped):
        return True
    return len(stripped.split()) <= _SIG_WORDS and not stripped.endswith((".", "?", "!"))


def split_signature(text: str, sender_names: frozenset[str]) -> tuple[str, str]:
    """(body, signature): the trailing block of short lines that starts with a name line.

    The name line must be the sender's name (any word of it) or, when the sender's name is
    unknown, a name-like line below the first line, so "Food\\nTom" keeps "Food". A tagline
    or two at the very end ("My working days are Monday to Thursday.") may close the block.
    """
    lines = text.split("\n")
    start = len(lines)
    taglines = _TAGLINES
    for i in range(len(lines) - 1, 0, -1):
        line = lines[i]
        if not _signature_like(line):
            if taglines and start == len(lines) and (
                _NOTE_TAGLINE.match(line) or not _REQUESTISH.search(line)
            ):
                taglines -= 1
                continue
            break
        stripped = line.strip().rstrip(",")
        if _NAME_LINE.match(stripped):
            words = {w.lower().strip(".") for w in stripped.split()}
            if (words & sender_names) or (not sender_names and i > 0):
                start = i
    if start >= len(lines) or not any(line.strip() for line in lines[:start]):
        return text, ""
    if not sender_names and not any(_CONTACT.search(line) for line in lines[start:]):
        return text, ""  # "Please book me on:\nFood\nTextiles" from an unnamed sender
    if len({a.lower() for a in EMAIL.findall("\n".join(
        line for line in lines[start:] if not _OFFICE_CONTACT.match(line)
    ))}) > 1:
        # A table of attendees with the sender's name in it is no signature: it ends at the
        # last address, and a signature can only follow.
        last = max(i for i, line in enumerate(lines) if EMAIL.search(line))
        body, signature = split_signature("\n".join(lines[last + 1 :]), sender_names)
        return "\n".join([*lines[: last + 1], body]).rstrip(), signature
    return "\n".join(lines[:start]).rstrip(), "\n".join(lines[start:]).strip()
