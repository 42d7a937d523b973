"""First names for greetings skip honorifics."""

from __future__ import annotations

import pytest

from mailflow.names import given_name
from mailflow.reply import first_name


@pytest.mark.parametrize(("name", "first"), [
    ("Dr Amara Okafor", "Amara"), ("Prof. Ngozi Adeyemi", "Ngozi"), ("Mx Sam Lee", "Sam"),
    ("Sir", "Sir"), ("Tom Reilly", "Tom"), ("Revd Dr Jane Ash", "Jane")])
def test_first_name_skips_honorifics(name: str, first: str) -> None:
    assert given_name(name, "there") == first


def test_member_greeting_skips_honorific_and_handles_outlook_order() -> None:
    assert first_name("Okafor, Dr Ngozi", "n@x.example") == "Ngozi"
    assert first_name("", "n@x.example") == "colleague"
