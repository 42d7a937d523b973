"""Every message of the held-out corpus (written without reading the rules) is read as expected."""

from __future__ import annotations

import pytest

from mailflow.parse import parse_message
from mailflow.understand import understand

from series import CorpusCase, heldout_cases, mismatches, series_2025, wrong_seat_change

CASES = heldout_cases()
EVENTS = series_2025()


def test_heldout_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 80
    intents = {case.expect["intent"] for case in CASES}
    assert intents >= {
        "register",
        "cancel",
        "substitute",
        "accept-offer",
        "decline-offer",
        "acknowledgement",
        "question",
        "unknown",
    }
    assert sum(case.expect["unclear"] for case in CASES) >= 15
    assert sum(case.context is not None for case in CASES) >= 25


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_heldout_message_is_understood(case: CorpusCase) -> None:
    request = understand(parse_message(case.raw), EVENTS, case.now, case.context)
    assert not wrong_seat_change(case, request), (request, case.expect)
    assert mismatches(case, request) == [], (request.reason, request.evidence)
