"""Words a phrase pattern cannot match without: a substring test that spares the pattern."""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def _stdlib() -> tuple[Any, Any]:
    """The standard library's own regex parser: private, so its absence only costs speed."""
    try:
        return importlib.import_module("re._parser"), importlib.import_module("re._constants")
    except ImportError:  # another Python without it: no shortcut, the same readings
        return None, None

# A shorter literal ("i", "we") is in nearly every sentence and would spare nothing.
_SHORTEST = 3


def required_words(pattern: str) -> tuple[str, ...]:
    """Literals at least one of which every match of the pattern contains; () when none is
    found, so the caller must then try the pattern itself.

    Read from the parsed pattern: in a sequence every item is matched, so any run of plain
    letters (or an alternation whose every branch has such a run) is a word some match holds.
    """
    parser, constants = _stdlib()
    if parser is None or constants is None:
        return ()
    try:
        parsed = parser.parse(pattern)
    except re.error:
        return ()
    if parsed.state.flags & re.IGNORECASE:
        return ()
    found = _sequence(list(parsed), constants)
    return tuple(sorted(found)) if found else ()


# Spelled-out alternatives kept side by side ("pl" + "ease|s|z"): past this many, a run ends.
_MOST_SPELLINGS = 32


def _sequence(items: list[Any], c: Any) -> set[str] | None:
    """The most selective set of words one of which the sequence must contain, or None.

    A run is every spelling the letters so far may have: the parser factors a common prefix
    out of an alternation ("swap|switch|sub" is "s" then "wap|witch|ub"), so an alternation
    or a class of single letters spelled out in full continues the run, one spelling each."""
    best: set[str] | None = None
    run = {""}

    def offer(words: set[str] | None) -> None:
        nonlocal best
        if words and min(map(len, words)) >= _SHORTEST and (
            best is None or min(map(len, words)) > min(map(len, best))
        ):
            best = words

    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: the letters either side are still side by side
        spelled = _spellings(op, av, c)
        if spelled is not None and len(run) * len(spelled) <= _MOST_SPELLINGS:
            run = {r + s for r in run for s in spelled}
            continue
        if op is c.BRANCH:
            # Each branch starts with its own letters: the run goes on into one of them.
            starts = [_leading(list(branch), c) for branch in av[1]]
            if len(run) * sum(map(len, starts)) <= _MOST_SPELLINGS:
                offer({r + s for r in run for lead in starts for s in lead})
        offer(run)
        run = {""}
        if op is c.SUBPATTERN:
            _group, add_flags, _del, inner = av
            if not add_flags & re.IGNORECASE:
                offer(_sequence(list(inner), c))
        elif op is c.BRANCH:
            offer(_branches(av[1], c))
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
            offer(_sequence(list(av[2]), c))
    offer(run)
    return best


def _spellings(op: Any, av: Any, c: Any) -> set[str] | None:
    """Every text one item may match when it is plain letters only, or None."""
    if op is c.LITERAL:
        return {chr(av)}
    if op is c.IN:
        if all(kind is c.LITERAL for kind, _ in av):
            return {chr(code) for _, code in av}
        return None
    if op is c.SUBPATTERN:
        _group, add_flags, _del, inner = av
        return None if add_flags & re.IGNORECASE else _spelled(list(inner), c)
    if op is c.BRANCH:
        found: set[str] = set()
        for branch in av[1]:
            spelled = _spelled(list(branch), c)
            if spelled is None:
                return None
            found |= spelled
            if len(found) > _MOST_SPELLINGS:
                return None
        return found
    return None


def _spelled(items: list[Any], c: Any) -> set[str] | None:
    """Every text a sequence of plain letters may match, or None."""
    texts = {""}
    for op, av in items:
        spelled = _spellings(op, av, c)
        if spelled is None or len(texts) * len(spelled) > _MOST_SPELLINGS:
            return None
        texts = {t + s for t in texts for s in spelled}
    return texts


def _leading(items: list[Any], c: Any) -> set[str]:
    """Every spelling of the letters a sequence starts with (the empty text when none)."""
    texts = {""}
    for op, av in items:
        spelled = _spellings(op, av, c)
        if spelled is None or len(texts) * len(spelled) > _MOST_SPELLINGS:
            break
        texts = {t + s for t in texts for s in spelled}
    return texts


def _branches(branches: list[Any], c: Any) -> set[str] | None:
    """Every branch must hold one of its words: the union, when each branch has some."""
    union: set[str] = set()
    for branch in branches:
        words = _sequence(list(branch), c)
        if not words:
            return None
        union |= words
    return union


def needs_digit(pattern: str) -> bool:
    """Whether every match of the pattern holds a digit (a date, a time, a count in figures)."""
    parser, constants = _stdlib()
    if parser is None or constants is None:
        return False
    try:
        return _digit_in(list(parser.parse(pattern)), constants)
    except re.error:
        return False


def _digit_in(items: list[Any], c: Any) -> bool:
    """Whether some item of a sequence, matched by every match, is a digit."""
    for op, av in items:
        if op is c.LITERAL and chr(av).isdigit() and chr(av).isascii():
            return True
        if op is c.IN and av and all(_a_digit(kind, value, c) for kind, value in av):
            return True
        if op is c.SUBPATTERN and _digit_in(list(av[3]), c):
            return True
        if op is c.BRANCH and all(_digit_in(list(branch), c) for branch in av[1]):
            return True
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1 and _digit_in(list(av[2]), c):
            return True
    return False


def _a_digit(kind: Any, value: Any, c: Any) -> bool:
    """Whether a member of a class matches digits only."""
    if kind is c.CATEGORY:
        return value is c.CATEGORY_DIGIT
    if kind is c.LITERAL:
        return ord("0") <= value <= ord("9")
    if kind is c.RANGE:
        return ord("0") <= value[0] <= value[1] <= ord("9")
    return False


_DIGIT = re.compile(r"\d")  # the pattern's own \d: any digit a match could hold


class Guarded:
    """A compiled pattern tried only on a text holding one of the words it cannot match
    without (and a digit, when every match holds one): most patterns scan a long text from
    every position to find nothing, and a few substring tests cost a small part of that.
    Every answer is the pattern's own."""

    __slots__ = ("compiled", "words", "digit")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.compiled = re.compile(pattern, flags)
        # Under these flags the letters of the pattern are not the letters of a match.
        plain = not flags & (re.IGNORECASE | re.VERBOSE)
        # No word to look for: the empty text, which every text holds. A word holding another
        # ("below email" holds "below") is in a text only where that one is: not looked for.
        words = required_words(pattern) if plain else ()
        self.words = tuple(w for w in words if not any(o != w and o in w for o in words)) or ("",)
        self.digit = not flags & re.VERBOSE and needs_digit(pattern)

    def _holds(self, text: str) -> bool:
        """Whether the text holds what every match does (the test of search, inlined there)."""
        for word in self.words:  # noqa: SIM110 - a loop: twice as fast as any() on a short text
            if word in text:
                return not self.digit or _DIGIT.search(text) is not None
        return False

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        for word in self.words:  # the hottest call: _holds inlined
            if word in text:
                if self.digit and _DIGIT.search(text) is None:
                    return None
                return self.compiled.search(text, pos, endpos)
        return None

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled.match(text, pos, endpos) if self._holds(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        for word in self.words:  # the next hottest: _holds inlined too
            if word in text:
                if self.digit and _DIGIT.search(text) is None:
                    break
                return self.compiled.finditer(text)
        return iter(())

    def findall(self, text: str) -> list[Any]:
        return self.compiled.findall(text) if self._holds(text) else []

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        return self.compiled.sub(repl, text, count) if self._holds(text) else text

    def split(self, text: str) -> list[str | Any]:
        return self.compiled.split(text) if self._holds(text) else [text]


def guarded(pattern: str, flags: int = 0) -> Guarded:
    """re.compile, for a pattern most texts hold none of the words of."""
    return Guarded(pattern, flags)
