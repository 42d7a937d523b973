"""Every message of the understanding corpus is read as its sidecar expects."""

from __future__ import annotations

import pytest

from mailflow.parse import parse_message
from mailflow.understand import understand

from series import CorpusCase, corpus_cases, mismatches, series_2025, wrong_seat_change

CASES = corpus_cases()
EVENTS = series_2025()


def test_corpus_is_large_and_covers_every_intent() -> None:
    assert len(CASES) >= 200
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
    assert sum(case.expect["unclear"] for case in CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_corpus_message_is_understood(case: CorpusCase) -> None:
    request = understand(parse_message(case.raw), EVENTS, case.now, case.context)
    assert not wrong_seat_change(case, request), (request, case.expect)
    assert mismatches(case, request) == [], (request.reason, request.evidence)
