"""The words a phrase pattern cannot match without, used to spare most searches."""

from __future__ import annotations

from mailflow.parse import parse_message
from mailflow.understanding.clauses import sentences
from mailflow.understanding.intents import compiled_groups
from mailflow.understanding.literals import guarded, needs_digit, required_words
from mailflow.understanding.text import norm_text

from series import corpus_cases, fresh3_cases


def test_words_are_read_from_runs_of_letters_and_alternations() -> None:
    assert required_words(r"\bbook\s+me\b") == ("book",)
    assert required_words(r"\b(?:put|pop)\s+me\s+down\b") == ("down",)
    assert required_words(r"\b(?:cancel|withdraw)\b") == ("cancel", "withdraw")
    assert required_words(r"\benrol+ed\b") == ("enro",)


def test_a_pattern_that_may_match_without_a_word_has_none() -> None:
    assert required_words(r"^(?:yes|no)\W*$") == ()  # too short to spare anything
    assert required_words(r"(?:book)?\s*me") == ()  # the word is optional
    assert required_words(r"(?i:book me)") == ()  # any case: a substring test would miss


def test_no_pattern_matches_a_sentence_lacking_all_its_words() -> None:
    """Every sentence of two corpora, against every phrase pattern of every group."""
    texts = [parse_message(c.raw).text for c in (*corpus_cases(), *fresh3_cases())]
    said = [norm_text(s) for text in texts for s in sentences(text)]
    for group, (patterns, _vocabulary) in compiled_groups().items():
        for pattern, _strength, words in patterns:
            if not words:
                continue
            for sentence in said:
                if pattern.search(sentence):
                    assert any(w in sentence for w in words), (group, pattern.pattern, sentence)


def test_an_alternation_the_parser_factors_a_prefix_out_of_is_spelled_out_in_full() -> None:
    # The parser reads "swap|switch|sub" as "s" and then "wap|witch|ub".
    assert required_words(r"\b(?:swap|switch|sub)\s+in\b") == ("sub", "swap", "switch")
    # "pls|plz" is "pl" and then a class of two letters.
    assert required_words(r"\s*(?:please|pls|plz)\W*$") == ("please", "pls", "plz")
    # The letters before an alternation go on into each of its branches.
    assert required_words(r"\bwe (?:can|could)\b") == ("we can", "we could")


def test_an_alternation_of_branches_not_all_letters_joins_the_run_to_each_start() -> None:
    assert required_words(r"\bre(?:book\s+me|send\b)") == ("rebook", "resend")


def test_a_pattern_every_match_of_which_holds_a_digit_needs_one() -> None:
    assert needs_digit(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)\b")
    assert needs_digit(r"\bwebinar\s+[1-7]\b")
    assert needs_digit(r"\b20\d\d\b|\b(?:mon|fri)day\s+\d+")  # each branch holds one
    assert not needs_digit(r"\b(?:\d+|one|two)\s+places\b")  # a branch holds none
    assert not needs_digit(r"\bwebinar\s*\d*")  # the digits may be absent
    assert not needs_digit(r"\b[\da-f]{4}\b")  # a class holding letters too


def test_a_guarded_pattern_needing_a_digit_is_not_tried_on_a_text_without_one() -> None:
    day = guarded(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)\b")
    assert day.digit and day.search("on the first of june") is None
    found = day.search("on the 1st of june")
    assert found is not None and found.group("day") == "1"
