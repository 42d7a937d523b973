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


class Guarded:
    """A compiled pattern tried only on a text holding one of the words it cannot match
    without: most patterns scan a long text from every position to find nothing, and a few
    substring tests cost a small part of that. Every answer is the pattern's own."""

    __slots__ = ("compiled", "words")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.compiled = re.compile(pattern, flags)
        # Under these flags the letters of the pattern are not the letters of a match.
        plain = not flags & (re.IGNORECASE | re.VERBOSE)
        self.words = required_words(pattern) if plain else ()

    def _absent(self, text: str) -> bool:
        if not self.words:
            return False
        for word in self.words:  # noqa: SIM110 - a loop: twice as fast as all() on a short text
            if word in text:
                return False
        return True

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._absent(text) else self.compiled.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return None if self._absent(text) else self.compiled.match(text, pos, endpos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return iter(()) if self._absent(text) else self.compiled.finditer(text)

    def findall(self, text: str) -> list[Any]:
        return [] if self._absent(text) else self.compiled.findall(text)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        return text if self._absent(text) else self.compiled.sub(repl, text, count)

    def split(self, text: str) -> list[str | Any]:
        return [text] if self._absent(text) else self.compiled.split(text)


def guarded(pattern: str, flags: int = 0) -> Guarded:
    """re.compile, for a pattern most texts hold none of the words of."""
    return Guarded(pattern, flags)
