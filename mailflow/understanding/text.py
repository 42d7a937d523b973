"""Normalised text: straight quotes, lower case, near-miss spellings, sentences."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from mailflow.understanding.literals import guarded

# "yesterday's workshop", "last week's webinar": a session gone by, by when it was.
GONE_BY_DAY = r"(?:yesterday's|last week's|last month's|this morning's)"
PAST = guarded(
    r"\b(?:attended|enjoyed|went to|was at|were at|missed|loved|liked|last time|came to|"
    # "I was away in May so missed it": the writer's absence then, told as past.
    r"was away|were away|was on leave|were on leave|"
    r"couldn't make|could not make|had to|have had to|'ve had to"
    # "Unfortunately not this time - I did the May one": a session done before.
    r"|(?:i|we) (?:already )?did (?:the|that|this)|(?:i|we)(?:'ve| have) (?:already )?done"
    r" (?:the|that|this))\b"
    # (Not past across a break into the ask: "I enjoyed yesterday's workshop - can you book me on
    # the June one as well?" asks for June.)
    r"(?:(?!\s-\s|;|\b(?:can|could|would|will) you\b|\bplease\b)[^.?!]){0,60}$"
    # "Following yesterday's evidence workshop, I'd like to book furniture": that session only.
    rf"|\b{GONE_BY_DAY}\s+(?:[a-z-]+\s+){{0,3}}$"
)
SENTENCE_SPLIT = re.compile(r"(?<=[.?!])\s+|\n+")
WORD = re.compile(r"[a-z0-9']+")
_QUOTES = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
        "`": "'",
        "\u00b4": "'",
    }
)

# ---------------------------------------------------------------------------------------------
# Misspellings ("registr", "cancell", "furnature"): a word one edit away from a word that matters.

# The request verbs, with the inflections the phrase patterns rely on, so those are never
# "corrected" into another form.
# "booking" is left out: "looking" and "cooking" are one letter away.
_VERBS = frozenset(
    {
        *("register", "registered", "registering", "registration", "registrations"),
        *("cancel", "cancelled", "cancelling", "canceled", "canceling", "cancellation"),
        *("attend", "attending", "attended", "attendance", "withdraw", "withdrawn"),
        *("webinar", "webinars", "workshop", "workshops", "session", "sessions"),
    }
)
# Real words one edit from a word that matters (here or in a session's keywords).
_REAL_WORDS = frozenset(
    {"cancer", "canter", "fright", "attendee", "attendees", "attender", "attenders",
     "registrar", "registrars", "registry"}
)
_TYPO_TOKEN = re.compile(r"(?<![\w@.'-])[a-z]{6,14}(?![\w@'-])")


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """Optimal string alignment distance of at most one (one insertion, deletion, substitution
    or swap of neighbours)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


@lru_cache(maxsize=16)
def _typo_table(vocabulary: frozenset[str]) -> dict[str, frozenset[str]]:
    """Each word and each of its one-letter deletions, to the words it may stand for."""
    table: dict[str, set[str]] = {}
    for word in vocabulary:
        for key in {word, *_deletions(word)}:
            table.setdefault(key, set()).add(word)
    return {k: frozenset(v) for k, v in table.items()}


@lru_cache(maxsize=4096)
def _correct(token: str, vocabulary: frozenset[str]) -> str:
    if token in vocabulary or token in _REAL_WORDS:
        return token
    table = _typo_table(vocabulary)
    candidates: set[str] = set(table.get(token, ()))
    for key in _deletions(token):
        candidates.update(table.get(key, ()))
    fits = {w for w in candidates if _one_edit(token, w)}
    # Only an unambiguous correction: "textile" vs "textiles" both fit some typos, and that
    # is fine only when they name the same thing, so leave a tie alone.
    if len(fits) == 2:
        # "textils": "textile" and "textiles" are one word, singular and plural.
        short, long_ = sorted(fits, key=len)
        if long_ == short + "s":
            return short
    return fits.pop() if len(fits) == 1 else token


def fix_typos(text: str, vocabulary: frozenset[str]) -> str:
    """Lower-cased text with near-misses of the vocabulary replaced by the word meant."""
    # Most texts hold none: the tokens are looked up first, and the text rebuilt only if needed.
    # A word of the vocabulary (or a real word like it) is its own correction: only the others
    # are looked up, each once.
    unknown = set(_TYPO_TOKEN.findall(text))
    unknown -= vocabulary
    unknown -= _REAL_WORDS
    if all(_correct(token, vocabulary) == token for token in unknown):
        return text
    return _TYPO_TOKEN.sub(lambda m: _correct(m.group(0), vocabulary), text)



# Texting shorthand for the words a request turns on: "cn i get on the march one".
_SHORTHAND = {"cn": "can", "cld": "could", "cud": "could", "wd": "would", "u": "you",
              "pls": "please", "plz": "please", "plse": "please"}
_SHORT_WORD = re.compile(r"(?<![\w@.'-])(?:cn|cld|cud|wd|u)(?![\w@'-])")


# _QUOTES as (character, replacement): str.replace for each character present is several
# times faster than translate() with the table, and no replacement is another's character.
_QUOTE_PAIRS = tuple((chr(k), str(v)) for k, v in _QUOTES.items())


def norm_text(text: str) -> str:
    for char, replacement in _QUOTE_PAIRS:
        if char in text:
            text = text.replace(char, replacement)
    lowered = text.lower()
    lowered = _SHORT_WORD.sub(lambda m: _SHORTHAND[m.group(0)], lowered)
    return fix_typos(lowered, _VERBS)


def masked(text: str, spans: Sequence[tuple[int, int]]) -> str:
    if not spans:
        return text  # most texts name no date: nothing to blank, no copy made
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            chars[i] = " "
    return "".join(chars)


def is_past_reference(text: str, start: int) -> bool:
    sentence_start = max(
        text.rfind(".", 0, start), text.rfind("\n", 0, start), text.rfind("?", 0, start)
    )
    return bool(PAST.search(text[sentence_start + 1 : start]))


# "If it's a Thursday then yes", "as long as it's in July": a condition on when the session is;
# a day or month so named that is no session's makes the answer wait on a fact that is false.
WHEN_IT_IS = re.compile(
    r"\b(?:if|as long as|so long as|provided|providing|assuming)\s+(?:that\s+)?"
    r"(?:it's|it is|its|that's|that is|this is|the session is|it falls)\s+(?:on\s+)?(?:a\s+)?$"
)
