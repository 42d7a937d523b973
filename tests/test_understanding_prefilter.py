"""The shortcuts of the matching machinery answer exactly as the patterns they spare."""

from __future__ import annotations

import importlib
import pkgutil

import mailflow.understanding
from mailflow.parse import parse_message
from mailflow.understanding import clauses
from mailflow.understanding.clauses import sentences
from mailflow.understanding.literals import Guarded
from mailflow.understanding.prefilter import prefilter
from mailflow.understanding.text import norm_text

from series import corpus_cases, fresh3_cases

GROUPS = ("register", "cancel", "substitute", "accept", "decline", "accept_reply", "decline_reply")


def _texts() -> list[str]:
    return [parse_message(c.raw).text for c in (*corpus_cases(), *fresh3_cases())]


def test_the_prefilter_finds_every_word_a_sentence_holds_and_no_other() -> None:
    finder = prefilter(GROUPS)
    for text in _texts():
        for sentence in (norm_text(s) for s in sentences(text)):
            assert finder.present(sentence) == {w for w in finder.vocabulary if w in sentence}


def test_a_word_inside_a_longer_one_at_the_same_place_is_found_too() -> None:
    held = prefilter(GROUPS).present("i'd like to register for it")
    assert {"register", "like to", "like"} <= held


def test_the_line_glue_is_the_wrapped_after_substitution_itself() -> None:
    odd = ["and\n", "x and\t \nNext", "the\nThe", "brand\nnew", "a\n\nb", "ſo\nx", "is\r\nx"]
    odd += ["in 2025\nNext", "ok.\nthe\nEnd", "for >\nMe", "\n\nand \nX"]  # not ending on a letter
    for text in [*_texts(), *odd]:
        assert clauses._glued_after_words(text) == clauses._WRAPPED_AFTER.sub(r"\1 ", text)


def _guarded() -> list[Guarded]:
    found: dict[int, Guarded] = {}
    for info in pkgutil.iter_modules(mailflow.understanding.__path__):
        module = importlib.import_module(f"mailflow.understanding.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Guarded):
                found[id(value)] = value
    return list(found.values())


def test_a_guarded_pattern_finds_what_the_pattern_finds() -> None:
    """Every guarded pattern, on every text and sentence of two corpora, normalised."""
    guarded = _guarded()
    assert len(guarded) > 50
    said = [norm_text(t) for t in _texts()]
    said += [norm_text(s) for t in _texts() for s in sentences(t)]
    for pattern in guarded:
        for text in said:
            mine = [m.span() for m in pattern.finditer(text)]
            assert mine == [m.span() for m in pattern.compiled.finditer(text)], pattern.compiled
