"""Which phrase patterns a sentence could match, told in one pass over it.

Every phrase pattern has words it cannot match without (literals.py). A sentence's words of
every group are found at once by one search of a trie of all of them, and each group then
tries, in its own order, only the patterns whose words are there (and those that have none).
The same patterns are tried, in the same order, as when each word is tested by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mailflow.understanding.intents import compiled_groups

Phrase = tuple[re.Pattern[str], float]
_Trie = dict[str, "_Trie"]
_END = ""  # a trie key: a word ends here
_MOST_REMEMBERED = 4096  # candidate lists kept, one per group and set of words found


def _trie_pattern(words: frozenset[str]) -> str:
    """A pattern matching, where any of the words starts, the longest of those that does."""
    root: _Trie = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[_END] = {}

    def emit(node: _Trie) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        # Greedy: a longer word is tried before the word ending here.
        return f"(?:{body})?" if _END in node else body

    return emit(root)


@dataclass(frozen=True)
class _Group:
    phrases: tuple[Phrase, ...]
    by_word: dict[str, frozenset[int]]  # a word, to the patterns that need it
    wordless: frozenset[int]  # patterns with no such word: always tried

    def candidates(self, present: frozenset[str]) -> tuple[Phrase, ...]:
        """The patterns that may match a sentence holding these words, in the group's order."""
        tried = set(self.wordless)
        for word in present:
            tried.update(self.by_word.get(word, ()))
        return tuple(self.phrases[i] for i in sorted(tried))


class Prefilter:
    """The words of some phrase groups, found in a sentence by one search."""

    def __init__(self, groups: tuple[str, ...]) -> None:
        rules = compiled_groups()
        self._groups: dict[str, _Group] = {}
        for name in groups:
            patterns, _vocabulary = rules[name]
            by_word: dict[str, set[int]] = {}
            for i, (_pattern, _strength, words) in enumerate(patterns):
                for word in words:
                    by_word.setdefault(word, set()).add(i)
            self._groups[name] = _Group(
                tuple((p, s) for p, s, _ in patterns),
                {w: frozenset(ids) for w, ids in by_word.items()},
                frozenset(i for i, (_, _, words) in enumerate(patterns) if not words),
            )
        self.vocabulary = frozenset().union(*(rules[name][1] for name in groups))
        self._finder = re.compile(f"(?=({_trie_pattern(self.vocabulary)}))")
        self._prefixes: dict[str, frozenset[str]] = {}
        self._candidates: dict[tuple[str, frozenset[str]], tuple[Phrase, ...]] = {}

    def present(self, sentence: str) -> frozenset[str]:
        """Every word of the groups that occurs in the sentence (as a substring)."""
        longest = {found.group(1) for found in self._finder.finditer(sentence)}
        # Words starting where a longer one does are its prefixes: "book" in "booking".
        return frozenset().union(*(self._prefixes_of(word) for word in longest))

    def _prefixes_of(self, word: str) -> frozenset[str]:
        if word not in self._prefixes:
            self._prefixes[word] = frozenset(w for w in self.vocabulary if word.startswith(w))
        return self._prefixes[word]

    def candidates(self, group: str, present: frozenset[str]) -> tuple[Phrase, ...]:
        # Many sentences hold the same few words ("please", "book"): each set's list is made once.
        key = (group, present)
        found = self._candidates.get(key)
        if found is None:
            if len(self._candidates) >= _MOST_REMEMBERED:
                self._candidates.clear()
            found = self._candidates[key] = self._groups[group].candidates(present)
        return found


@lru_cache(maxsize=4)
def prefilter(groups: tuple[str, ...]) -> Prefilter:
    """The prefilter of these groups, built once."""
    return Prefilter(groups)
