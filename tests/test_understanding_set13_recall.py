"""Where fresh set 13 showed the desk asking the coordinator about a request a careful
coordinator would have read alone (issue 9, round 14): each class a behaviour, in wording of
its own."""

from __future__ import annotations

from test_understanding_classes import confident, read

from mailflow.model import Intent, Request


def _emails(got: Request) -> set[str]:
    return {p.email for p in got.people}


# A title before a name ("Mrs", "Dr") is no person: the name after it is, with its address.


def test_a_titled_name_whose_address_spells_it_is_booked() -> None:
    got = read("Would you please register Dr Priya Shah, Director of Estates, for the furniture "
               "webinar on 10 December? Her address is pshah@camden-council.example.")
    assert confident(got, Intent.REGISTER, "furniture-2025")
    assert _emails(got) == {"pshah@camden-council.example"}


def test_a_titled_name_without_any_address_still_asks() -> None:
    got = read("Would you please register Mrs Priya Shah for the furniture webinar?")
    assert got.is_unclear


def test_a_titled_name_beside_an_address_that_is_not_theirs_still_asks() -> None:
    got = read("Would you please register Mrs Priya Shah, Director of Estates, for the furniture "
               "webinar on 10 December? The address to use is treid@camden-council.example.")
    assert got.is_unclear
