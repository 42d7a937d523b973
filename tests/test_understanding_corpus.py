"""Every message of the understanding corpora is read as its sidecar expects."""

from __future__ import annotations

import pytest

from mailflow.model import Request
from mailflow.parse import parse_message
from mailflow.understanding import understand

from series import FRESH15 as FRESH15_DIR
from series import FRESH16 as FRESH16_DIR
from series import FRESH17 as FRESH17_DIR
from series import FRESH18 as FRESH18_DIR
from series import FRESH19 as FRESH19_DIR
from series import FRESH20 as FRESH20_DIR
from series import FRESH21 as FRESH21_DIR
from series import (
    CorpusCase,
    corpus_cases,
    desk_options,
    fresh1_cases,
    fresh2_cases,
    fresh3_cases,
    fresh4_cases,
    fresh5_cases,
    fresh6_cases,
    fresh7_cases,
    fresh8_cases,
    fresh9_cases,
    fresh10_cases,
    fresh11_cases,
    fresh12_cases,
    fresh13_cases,
    fresh14_cases,
    heldout_cases,
    mismatches,
    series_2025,
    wrong_seat_change,
)

TUNING = corpus_cases()  # the interpreter's rules were written against these
HELDOUT = heldout_cases()  # written without reading the rules, to measure real accuracy
FRESH1 = fresh1_cases()  # written by helpers who never saw the code (issue 9); measured, not tuned
FRESH2 = fresh2_cases()  # a second such set, sealed until the first round of fixes had landed
FRESH3 = fresh3_cases()  # a third, sealed until the second round had landed
FRESH4 = fresh4_cases()  # a fourth, sealed until the third round had landed
FRESH5 = fresh5_cases()  # a fifth, sealed until the fourth round had landed
FRESH6 = fresh6_cases()  # a sixth, sealed until the fifth round had landed
FRESH7 = fresh7_cases()  # a seventh, sealed until the sixth round had landed
FRESH8 = fresh8_cases()  # an eighth, sealed until the seventh round had landed
FRESH9 = fresh9_cases()  # a ninth, sealed until ask8/recall9 had landed; round 9's tuning set
FRESH10 = fresh10_cases()  # a tenth, sealed until round 9 had landed; round 11's tuning set
FRESH11 = fresh11_cases()  # an eleventh, sealed until round 11 had landed; round 12's tuning set
FRESH12 = fresh12_cases()  # a twelfth, sealed until round 12 had landed; round 13's tuning set
FRESH13 = fresh13_cases()  # a thirteenth, sealed until round 13 had landed; round 14's tuning set
FRESH14 = fresh14_cases()  # a fourteenth, sealed until round 14 had landed; round 15's tuning set
FRESH15 = corpus_cases(FRESH15_DIR)  # sealed until round 15 had landed; round 16's tuning set
FRESH16 = corpus_cases(FRESH16_DIR)  # sealed until round 16 had landed; round 17's tuning set
FRESH17 = corpus_cases(FRESH17_DIR)  # sealed until round 17 had landed; round 18's tuning set
FRESH18 = corpus_cases(FRESH18_DIR)  # sealed until round 18 had landed; round 19's tuning set
FRESH19 = corpus_cases(FRESH19_DIR)  # sealed until round 19 had landed; round 21's tuning set
FRESH20 = corpus_cases(FRESH20_DIR)  # sealed until round 21 had landed; round 22's tuning set
FRESH21 = corpus_cases(FRESH21_DIR)  # sealed until round 22 had landed; the next round's
EVENTS = series_2025()
MASKS = desk_options()
EVERY_INTENT = {"register", "cancel", "substitute", "accept-offer", "decline-offer",
                "acknowledgement", "question", "unknown"}

_PERSONAL_ADDRESS = (
    "writes from a personal address while saying they work at a member: a coordinator checks "
    "which address to book first (the desk never guesses whose place it is), as fresh1 b018 and "
    "c082, fresh2 d018, fresh3 i084, fresh6 t015, fresh7 x022 and all three of fresh11's writers "
    "(the same situation) label it"
)

# Labels a careful coordinator would read otherwise, each with the reason. They stay as
# written (a label is never edited to match the program); the case is expected to fail.
_HANDED_ON = (
    "handing a place offered to the sender on to a colleague is labelled a firm substitution here, "
    "but the waiting list's next person has a claim on it, and about forty labels in fresh1-14 "
    "(and fresh15 lu027/lv080, fresh16 lz069) have the desk ask"
)
_OTHER_ORGANISATION = (
    "a confirmed attendee may name a same-organisation colleague to take the place (the "
    "contract); one at another organisation or the associate member is the coordinator's to allow"
)
_TWO_CHANGES = (
    "an offer answer or a waiting-list place beside a second change (another session booked, "
    "cancelled or swapped) is labelled firm here and unclear in fresh9 la067/lb039, fresh10 ld067/"
    "lf019, fresh11 lh063/lh071, fresh12 lm065, fresh13 ln066/lq060, fresh14 lr066/ls032"
)


DISPUTED = {
    "heldout/034-reg-personal-address": _PERSONAL_ADDRESS,
    "fresh5/n014-nonmember-gmail-camden-staff": _PERSONAL_ADDRESS,
    "fresh9/la018-personal-gmail-sender": _PERSONAL_ADDRESS,
    "fresh9/lb060-personal-account-camden": _PERSONAL_ADDRESS,
    "fresh10/ld024-personal-address-member": _PERSONAL_ADDRESS,
    "fresh10/le037-personal-gmail-sender": _PERSONAL_ADDRESS,
    "fresh10/lf027-personal-gmail-sender": _PERSONAL_ADDRESS,
    "fresh5/p069-offer-yes-other-address": (
        "a yes to an offer made to a member's address, written from a personal one ('replying "
        "from my personal phone as I'm locked out of work email'): the coordinator checks which "
        "address holds the place first, as fresh6 u066, fresh7 v065, fresh8 y065/z074, fresh10 "
        "lf062 and fresh13 lp067/lq026 (the same situation) label it"
    ),
    "tuning/121-q-register-and-ask": (
        "a clear booking with a side question ('will slides be shared afterwards?'): issue 9 "
        "reads it as a booking plus a question; the seat is booked and the message goes to "
        "the coordinator's attention folder for the question (Request.question)"
    ),
    "tuning/071-cancel-fresh-no-event": (
        "'please cancel my booking' out of the blue names no session: cancelling cannot be "
        "undone by a reply, so the desk asks, as fresh1 a083 and fresh2 d086/e090 (the same "
        "mail) are labelled"
    ),
    "heldout/054-cancel-no-event-named": (
        "'I can no longer attend' naming no session and replying to nothing: the desk asks "
        "which booking, as fresh1 a083 and fresh2 d086/e090 are labelled"
    ),
    "fresh2/d041-cancel-logistics-book-food": (
        "one mail, two different seat changes (cancel logistics, book food) under one intent: "
        "the desk rightly asks rather than doing half of it"
    ),
    "fresh2/d092-book-oct-cancel-may": (
        "one mail, two different seat changes (book October, cancel May) under one intent: "
        "the desk rightly asks rather than doing half of it"
    ),
    "tuning/046-reg-long-chatty": (
        "'I'd like to attend the construction webinar. I'm afraid I can't do the March one': a "
        "clear booking, the inability only why March is not asked for, as fresh1 c020, fresh2 "
        "d012 and fresh3 h013 (the same situation) are labelled"
    ),
    "fresh3/h010-reg-oneliner-webinar3": (
        "'webinar 3' may be the third session (the May workshop) or the third webinar (food): "
        "fresh1 a082 and fresh2 d013/f028 (the same words) are labelled 'ask'"
    ),
    "fresh3/g047-sub-pa-for-manager": (
        "expects Dr Helen Carter's address, which appears nowhere in the message; as fresh1 "
        "b044, the desk cannot tell whose place is passed on and asks"
    ),
    "tuning/129-amb-webinar-4": (
        "'webinar 4' is the session the timetable numbers 4 (food, a webinar): nothing to ask, "
        "as fresh4 j007 (the same words) is labelled"
    ),
    "tuning/090-sub-no-event-no-context": (
        "'X will take my place' out of the blue names no session: a substitution is not undone "
        "by a reply, so the desk asks, as fresh4 k054/m058 (the same mail) and tuning/071 are"
    ),
    "heldout/067-sub-no-event-no-thread": (
        "'X will go in my place' out of the blue names no session: the desk asks which booking, "
        "as fresh4 k054/m058 (the same mail) are labelled"
    ),
    "fresh4/m005-reg-webinar-number-3": (
        "'webinar 3' bare: number 3 is a workshop, so it may be that or the third webinar "
        "(food); fresh1 a082 and fresh2 d013/f028 (the same words) are labelled 'ask'"
    ),
    "fresh4/k061-offer-colleague-instead-with-address": (
        "an offered place handed to a colleague skips the rest of the waiting list: the desk "
        "asks, as fresh1 b054, fresh4 j058 and fresh5 n016/p068/q059 are labelled"
    ),
    "fresh4/k073-offer-colleague-instead-polish-outlook": (
        "an offered place handed to a colleague skips the rest of the waiting list: the desk "
        "asks, as fresh1 b054, fresh4 j058 and fresh5 n016/p068/q059 are labelled"
    ),
    "tuning/185-sub-in-my-place--plain-plain-cp1252": (
        "the substitute is at another organisation (Camden for an NHS sender): the decision step "
        "asks about a place passed outside the sender's organisation, so the reading asks too, "
        "as fresh8 z059 is labelled"
    ),
    "fresh4/m057-sub-to-agency-contractor": (
        "the substitute is an agency contractor at another organisation: the decision step asks "
        "about a place passed outside the sender's organisation, as fresh8 z059 is labelled"
    ),
    "fresh6/s002-webinar-4-ambiguous": (
        "'webinar 4' is the session the timetable numbers 4 (food, a webinar), as issue 9 reads "
        "ordinals by the configured number: nothing to ask, as fresh4 j007 is labelled"
    ),
    "fresh7/v035-manager-per-session-list": (
        "'Helen – Construction and Logistics; Sam – Logistics only' is labelled one booking of "
        "both people on both sessions, which would book Sam on construction: a request holds one "
        "list of sessions for everyone it names, so the desk asks"
    ),
    "fresh9/la053-leaving-cancel-all": (
        "'please cancel any bookings I have for the rest of the series' is a firm cancel of "
        "every session still to come, as fresh7 v087 and fresh3 g039 (the same words) are labelled"
    ),
    "fresh9/lc065-offer-yes-late": (
        "'Yes please, if it's still going' after the hold lapsed is the condition the seat book "
        "checks itself (a late yes confirms only if the place is free and nobody waits), as "
        "fresh5 p062 (the same situation) is labelled a firm yes"
    ),
    "fresh10/le055-cancel-all-bookings": (
        "'please cancel all my bookings' is a firm cancel of every place the sender holds, as "
        "fresh7 v087 and fresh3 g039 (the same request) are labelled"
    ),
    **{f"fresh15/{name}": _HANDED_ON for name in (
        "lu008-logistics-offer-pass-to-colleague-with-address",
        "lu042-food-offer-pass-to-aisha-cc",
        "lu084-furniture-offer-put-rachel-in-cc",
    )},
    "fresh15/lu048-food-confirmed-substitute-riverside-associate": _OTHER_ORGANISATION,
    **{f"fresh16/{name}": _TWO_CHANGES for name in (
        "ly008-offer-no-keep-for-textiles",
        "ly018-offer-yes-also-october",
        "ly019-offer-yes-drop-october-list",
        "ly038-waitlist-may-book-october",
    )},
    "fresh16/lz061-substitute-cross-member": _OTHER_ORGANISATION,
    **{f"fresh18/{name}": (
        "a cancellation and a booking in one mail, labelled a firm cancel of one session with the "
        "booking left to the note (the label holds one intent); about 20 labels make the same mail "
        "unclear with both sessions (fresh12 lk048 and fresh14 lt003 are these two cases, fresh2 "
        "d041/d092 disputed alike): cancelling and dropping the booking would be half the request"
    ) for name in ("me017-cancel-logistics-book-may", "me053-swap-textiles-for-furniture")},
    "fresh18/me005-pencil-me-in-freight": (
        "'if there's room could you pencil me in' is labelled a firm booking here; the issue's "
        "class 4 names 'pencil me in provisionally' and 'if there is space' as hedging, and all 38 "
        "other labelled mails with 'pencil' are unclear (fresh10 ld015 is nearly the same mail)"
    ),
    "fresh16/lz062-substitute-to-associate": _OTHER_ORGANISATION,
    "fresh14/lt046-cancel-all-leaving-westbury": (
        "'could you kindly cancel all my bookings for the rest of the series?' is labelled unclear "
        "here, as fresh9 la053 and fresh10 le055 (the same words, disputed alike) are, while "
        "fresh7 v087 and fresh3 g039 label the same request a firm cancel of every place the "
        "sender holds still to come"
    ),
    "fresh11/lg050-camden-manager-cancel-for-staff": (
        "a manager cancelling a named colleague's place (address given) names whose place it is, "
        "labelled in people everywhere else: fresh11 li054, fresh10 le047/lf051, fresh9 "
        "lb046/lc052, fresh8 r038/y041/z043, fresh7 w041, fresh1 a031/b031"
    ),
    "fresh9/lc084-calendar-accepted": (
        "an empty calendar 'Accepted:' reply in a confirmed thread is the yes already given, an "
        "acknowledgement, as fresh9 lb086, fresh2 f089, fresh6 t105 and fresh7 x085 are labelled"
    ),
    "fresh1/b044-sub-on-behalf-hannah": (
        "expects Hannah's address, which appears nowhere in the message; without it the desk "
        "cannot tell whose place is passed on and asks"
    ),
}


def read(case: CorpusCase) -> Request:
    return understand(parse_message(case.raw), EVENTS, case.now, case.context, **MASKS)


def test_tuning_corpus_is_large_and_covers_every_intent() -> None:
    assert len(TUNING) >= 200
    assert {case.expect["intent"] for case in TUNING} >= EVERY_INTENT
    assert sum(case.expect["unclear"] for case in TUNING) >= 30


def test_heldout_corpus_is_large_and_varied() -> None:
    assert len(HELDOUT) >= 80
    assert {case.expect["intent"] for case in HELDOUT} >= EVERY_INTENT
    assert sum(case.expect["unclear"] for case in HELDOUT) >= 15
    assert sum(case.context is not None for case in HELDOUT) >= 25


CASES = [*(("tuning", c) for c in TUNING), *(("heldout", c) for c in HELDOUT)]
FRESH_CASES = [
    *(("fresh1", c) for c in FRESH1),
    *(("fresh2", c) for c in FRESH2),
    *(("fresh3", c) for c in FRESH3),
    *(("fresh4", c) for c in FRESH4),
    *(("fresh5", c) for c in FRESH5),
    *(("fresh6", c) for c in FRESH6),
    *(("fresh7", c) for c in FRESH7),
    *(("fresh8", c) for c in FRESH8),
    *(("fresh9", c) for c in FRESH9),
    *(("fresh10", c) for c in FRESH10),
    *(("fresh11", c) for c in FRESH11),
    *(("fresh12", c) for c in FRESH12),
    *(("fresh13", c) for c in FRESH13),
    *(("fresh14", c) for c in FRESH14),
    *(("fresh15", c) for c in FRESH15),
    *(("fresh16", c) for c in FRESH16),
    *(("fresh17", c) for c in FRESH17),
    *(("fresh18", c) for c in FRESH18),
]


def _param(corpus: str, case: CorpusCase) -> object:
    key = f"{corpus}/{case.name}"
    marks = [pytest.mark.xfail(reason=DISPUTED[key], strict=True)] if key in DISPUTED else []
    return pytest.param(corpus, case, id=key, marks=marks)


# A set measured but not yet held to the targets: its disputed labels are named all the same.
LATER_CASES = [*(("fresh19", c) for c in FRESH19), *(("fresh20", c) for c in FRESH20),
               *(("fresh21", c) for c in FRESH21)]


def test_every_disputed_label_names_a_case() -> None:
    known = {f"{k}/{c.name}" for k, c in (*CASES, *FRESH_CASES, *LATER_CASES)}
    assert set(DISPUTED) <= known
    assert set(DISPUTED) >= DISPUTED_SAFETY


@pytest.mark.parametrize("corpus,case", [_param(k, c) for k, c in CASES])
def test_corpus_message_is_understood(corpus: str, case: CorpusCase) -> None:
    request = read(case)
    assert not wrong_seat_change(case, request), (request, case.expect)
    assert mismatches(case, request) == [], (request.reason, request.evidence)


@pytest.mark.parametrize(
    "cases",
    [FRESH1, FRESH2, FRESH3, FRESH4, FRESH5, FRESH6, FRESH7, FRESH8, FRESH9, FRESH10, FRESH11,
     FRESH12, FRESH13, FRESH14, FRESH15, FRESH16, FRESH17, FRESH18, FRESH19, FRESH20, FRESH21],
    ids=[f"fresh{n}" for n in range(1, 22)],
)
def test_fresh_corpus_is_large_and_varied(cases: list[CorpusCase]) -> None:
    assert len(cases) >= 250
    assert {case.expect["intent"] for case in cases} >= EVERY_INTENT


# Disputed labels that call a seat change wrong which the issue's own rule (or the same words
# labelled elsewhere) makes right.
DISPUTED_SAFETY = {
    "fresh6/s002-webinar-4-ambiguous",
    "fresh9/la053-leaving-cancel-all",
    "fresh9/lc065-offer-yes-late",
    "fresh10/le055-cancel-all-bookings",
    "fresh14/lt046-cancel-all-leaving-westbury",
    "fresh11/lg050-camden-manager-cancel-for-staff",
}


def _safety_param(corpus: str, case: CorpusCase) -> object:
    key = f"{corpus}/{case.name}"
    marks = [pytest.mark.xfail(reason=DISPUTED[key], strict=True)] if key in DISPUTED_SAFETY else []
    return pytest.param(corpus, case, id=key, marks=marks)


# Every other disputed label is disputed for its exact reading, never for safety.
@pytest.mark.parametrize("corpus,case", [_safety_param(k, c) for k, c in FRESH_CASES])
def test_fresh_message_changes_no_seat_wrongly(corpus: str, case: CorpusCase) -> None:
    request = read(case)
    assert not wrong_seat_change(case, request), (request, case.expect)


# (corpus, exact share, genuine-to-unclear share): the issue's targets (95%, 5%), which fresh1-8
# meet once tuned on (fresh4 and fresh5 since round 5, fresh6-8 since round 8, fresh9 since
# round 11, fresh12 since round 13, fresh13 since round 14, fresh14 since round 15, fresh15 and
# fresh16 since round 17, fresh17 since round 18, fresh18 since round 19). A disputed label
# counts neither way.
TARGETS = [
    ("fresh1", FRESH1, 0.95, 0.05), ("fresh2", FRESH2, 0.95, 0.05),
    ("fresh3", FRESH3, 0.95, 0.05), ("fresh4", FRESH4, 0.95, 0.05),
    ("fresh5", FRESH5, 0.95, 0.05), ("fresh6", FRESH6, 0.95, 0.05),
    ("fresh7", FRESH7, 0.95, 0.05), ("fresh8", FRESH8, 0.95, 0.05),
    ("fresh9", FRESH9, 0.95, 0.05), ("fresh10", FRESH10, 0.95, 0.05),
    ("fresh11", FRESH11, 0.95, 0.05), ("fresh12", FRESH12, 0.95, 0.05),
    ("fresh13", FRESH13, 0.95, 0.05), ("fresh14", FRESH14, 0.95, 0.05),
    ("fresh15", FRESH15, 0.95, 0.05), ("fresh16", FRESH16, 0.95, 0.05),
    ("fresh17", FRESH17, 0.95, 0.05), ("fresh18", FRESH18, 0.95, 0.05),
]


@pytest.mark.parametrize(
    "corpus,cases,exact_share,unclear_share", TARGETS, ids=[t[0] for t in TARGETS]
)
def test_fresh_corpus_meets_the_issue_targets(
    corpus: str, cases: list[CorpusCase], exact_share: float, unclear_share: float
) -> None:
    """At least 95% exact and at most 5% of genuine requests sent to the coordinator."""
    cases = [case for case in cases if f"{corpus}/{case.name}" not in DISPUTED]
    exact = genuine = genuine_unclear = 0
    for case in cases:
        request = read(case)
        exact += not mismatches(case, request)
        if case.genuine:
            genuine += 1
            genuine_unclear += request.is_unclear
    assert exact >= exact_share * len(cases), exact
    assert genuine_unclear <= unclear_share * genuine, (genuine_unclear, genuine)
