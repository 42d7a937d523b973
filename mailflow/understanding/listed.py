"""Sessions asked for in one list: "book me on construction, logistics and textiles", "the
furniture one and the construction one". Each session in it is asked for by name, even one
already held (the desk then tells the member it is over), where a session named in passing
("following the food webinar, I'd like to book textiles") is only context."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from mailflow.understanding.index import Mention

# What may stand between two sessions of one list, once the first one's own words are read:
# its kind word ("the furniture one and the construction one"), then a join.
_JOIN = re.compile(
    r"\s*(?:(?:one|webinar|session|workshop|event|training)\s*)?"
    r"(?:,|&|\+|/|\band\b|\bplus\b|\bas well as\b)(?:\s*(?:,|\band\b|\balso\b))*"
    r"\s*(?:the\s+)?"
)
_PHRASE = re.compile(r'"(.*)"')
# The list right after the words that ask for it: "book me on ...", "can I book ...", "please
# cancel my places on ...". (Not "they look after our uniforms and catering linen": sessions'
# words in what someone does.)
_ASKED_FOR = re.compile(
    r"\b(?:book|register|sign\s+(?:me\s+|us\s+)?up|put|enrol+|add|reserve|cancel|drop|remove"
    r"|take)\b(?:\s+(?:me|us|myself|ourselves|him|her|them|(?:my|our)\s+(?:place|places|booking"
    r"|bookings|seat|seats)))?(?:\s+(?:up|down|in|off))?(?:\s+(?:on|onto|on to|for|in|into|to"
    r"|from))?\s+(?:the\s+|both\s+)?$"
)


def _phrase_end(text: str, mention: Mention) -> int:
    """Where the words that made a mention end (its start, when they cannot be found)."""
    found = _PHRASE.search(mention.label)
    phrase = found.group(1) if found else ""
    if phrase and text.startswith(phrase, mention.start):
        return mention.start + len(phrase)
    return mention.start


def mark_lists(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """The mentions, those naming one session each in a list of two or more, right after the
    words that ask for it, numbered by that list (Mention.listed, from 1)."""
    named = sorted((m for m in mentions if len(m.ids) == 1 and not m.weak),
                   key=lambda m: m.start)
    groups: dict[int, int] = {}  # index in named -> list number
    number = 0
    for i in range(1, len(named)):
        before, after = named[i - 1], named[i]
        end = _phrase_end(text, before)
        if before.start == after.start or not _JOIN.fullmatch(text, end, after.start):
            continue
        if i - 1 not in groups:
            number += 1
            groups[i - 1] = number
        groups[i] = groups[i - 1]
    firsts: dict[int, int] = {}  # list number -> where its first session is named
    for i, n in sorted(groups.items()):
        firsts.setdefault(n, named[i].start)
    asked = {n for n, start in firsts.items()
             if _ASKED_FOR.search(text, max(0, start - 40), start)}
    listed = {id(named[i]): n for i, n in groups.items() if n in asked}
    if not listed:
        return list(mentions)
    return [replace(m, listed=listed[id(m)]) if id(m) in listed else m for m in mentions]
