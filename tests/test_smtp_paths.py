"""MAIL FROM and RCPT TO carry each address exactly as smtplib would have quoted it."""

from __future__ import annotations

import smtplib

from hypothesis import given
from hypothesis import strategies as st

from mailflow.smtp import smtp_path

# Every character an address could hold, the ones parseaddr treats specially included.
_CHARS = st.sampled_from(list("abcXYZ019.-_+'!#$%&*/=?^`{|}~@<>()[]\\,;:\" \té"))


@given(st.text(_CHARS, min_size=1, max_size=30))
def test_an_address_is_quoted_as_smtplib_quotes_it(address: str) -> None:
    assert smtp_path(address) == smtplib.quoteaddr(address)


_ATOM = st.text(st.sampled_from(list("abcXYZ019.-_+'!#$%&*/=?^`{|}~é")), min_size=1, max_size=15)


@given(_ATOM, _ATOM)
def test_an_address_with_no_special_characters_is_quoted_as_smtplib_quotes_it(
        local: str, domain: str) -> None:
    address = f"{local}@{domain}"
    assert smtp_path(address) == smtplib.quoteaddr(address)


def test_a_bare_address_and_a_named_one_are_put_in_angle_brackets() -> None:
    assert smtp_path("ann.lee+x@camden-council.example") == "<ann.lee+x@camden-council.example>"
    assert smtp_path("Desk <desk@lupc.example>") == "<desk@lupc.example>"
