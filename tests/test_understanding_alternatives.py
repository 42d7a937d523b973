"""An add-or-hand-over left undecided ("too, or instead of me") is asked about."""

from mailflow.model import Intent
from mailflow.understanding.asks import asks


def test_too_or_instead_leaves_the_choice_to_the_desk() -> None:
    text = "could she come too, or instead of me if it's full?"
    assert "leaves a choice between outcomes to the desk" in asks(
        text, Intent.SUBSTITUTE, ("furniture-2025",), [], None, False
    )


def test_a_plain_handover_is_no_alternative() -> None:
    text = "could anna go instead of me?"
    assert asks(text, Intent.SUBSTITUTE, ("furniture-2025",), [], None, False) == []
