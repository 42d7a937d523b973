"""The 2025 series as EventInfo values and the understanding corpus, shared by tests and bench."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.parser import BytesParser
from email.policy import compat32
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from mailflow.config import load_settings
from mailflow.model import (
    SEAT_CHANGING,
    EventInfo,
    Intent,
    Request,
    ThreadContext,
    full_member_domains,
    full_member_names,
)

LONDON = ZoneInfo("Europe/London")
DEFAULT_NOW = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)

SHIPPED_CONFIG = Path(__file__).resolve().parent.parent / "config.toml"


def series_2025(capacity: int = 15) -> tuple[EventInfo, ...]:
    """The seven 2025 sessions exactly as the shipped config.toml describes them.

    Read through the real loader, so the interpreter is tested on the titles, keywords and
    deadlines a coordinator actually runs with.
    """
    events = load_settings(SHIPPED_CONFIG, {}, secrets=False).events
    return tuple(replace(e, capacity=capacity) for e in events)


def member_domains() -> tuple[str, ...]:
    """The shipped config's full members' domains, which the desk passes to understand() as
    handle.py does."""
    return full_member_domains(load_settings(SHIPPED_CONFIG, {}, secrets=False).members)


def desk_options() -> dict[str, Any]:
    """The keywords handle.py passes to understand() beside the mail, from the shipped config."""
    members = load_settings(SHIPPED_CONFIG, {}, secrets=False).members
    return {"series_name": series_name(), "full_member_domains": member_domains(),
            "full_member_names": full_member_names(members)}


def series_name() -> str:
    """The shipped config's series name, which the desk passes to understand() as handle.py does."""
    return load_settings(SHIPPED_CONFIG, {}, secrets=False).series.name


CORPUS = Path(__file__).parent / "corpus" / "understanding" / "messages"
# Written without reading the interpreter, so it measures accuracy the rules were not tuned to.
HELDOUT = Path(__file__).parent / "corpus" / "heldout" / "messages"
# Written by helpers who saw only the announcement and the config, never the code or other corpora.
FRESH1 = Path(__file__).parent / "corpus" / "fresh1" / "messages"
# A second such set, sealed until the first round of fixes had landed (issue 9).
FRESH2 = Path(__file__).parent / "corpus" / "fresh2" / "messages"
# A third, sealed until the second round of fixes had landed; the third round's tuning set.
FRESH3 = Path(__file__).parent / "corpus" / "fresh3" / "messages"
# A fourth, sealed until the third round of fixes had landed; the next round's tuning set.
FRESH4 = Path(__file__).parent / "corpus" / "fresh4" / "messages"
# A fifth, sealed until the fourth round of fixes had landed; the next round's tuning set.
FRESH5 = Path(__file__).parent / "corpus" / "fresh5" / "messages"
# A sixth, sealed until the fifth round of fixes had landed; the next round's tuning set.
FRESH6 = Path(__file__).parent / "corpus" / "fresh6" / "messages"
# A seventh, sealed until the sixth round of fixes had landed; the next round's tuning set.
FRESH7 = Path(__file__).parent / "corpus" / "fresh7" / "messages"
# An eighth, sealed until the seventh round of fixes had landed; the next round's tuning set.
FRESH8 = Path(__file__).parent / "corpus" / "fresh8" / "messages"
# A ninth, written from a brief that named the offer outcome "offer" and asked for `people` to list
# only the others to be booked (never the sender); sealed until ask8 and recall9 had landed.
FRESH9 = Path(__file__).parent / "corpus" / "fresh9" / "messages"
# A tenth, from the same brief as fresh9; sealed until round 9 (tuned on fresh9) had landed.
FRESH10 = Path(__file__).parent / "corpus" / "fresh10" / "messages"
# An eleventh, from the same brief restating the contract's "offered"; sealed until round 11
# (tuned on fresh10) had landed.
FRESH11 = Path(__file__).parent / "corpus" / "fresh11" / "messages"
# A twelfth, from fresh11's brief with `people` and the personal-address case spelled out; sealed
# until round 12 (tuned on fresh11) had landed.
FRESH12 = Path(__file__).parent / "corpus" / "fresh12" / "messages"
# A thirteenth, from fresh12's brief; sealed until round 13 (tuned on fresh12) had landed.
FRESH13 = Path(__file__).parent / "corpus" / "fresh13" / "messages"
# A fourteenth, from the same brief; sealed until round 14 (tuned on fresh13) had landed.
FRESH14 = Path(__file__).parent / "corpus" / "fresh14" / "messages"
# A fifteenth (writers lu/lv/lw); sealed until round 15 (tuned on fresh14) had landed.
FRESH15 = Path(__file__).parent / "corpus" / "fresh15" / "messages"
# A sixteenth (writers lx/ly/lz); sealed until round 16 (tuned on fresh15) had landed.
FRESH16 = Path(__file__).parent / "corpus" / "fresh16" / "messages"
# A seventeenth (writers ma/mb/mc); sealed until round 17 (tuned on fresh16) had landed.
FRESH17 = Path(__file__).parent / "corpus" / "fresh17" / "messages"
# An eighteenth (writers md/me/mf); sealed until round 18 (tuned on fresh17) had landed.
FRESH18 = Path(__file__).parent / "corpus" / "fresh18" / "messages"
# A nineteenth (writers mg/mh/mi); sealed until round 19 (tuned on fresh18) had landed.
FRESH19 = Path(__file__).parent / "corpus" / "fresh19" / "messages"
# A twentieth (writers mj/mk/ml); sealed until round 21 (tuned on fresh19) had landed.
FRESH20 = Path(__file__).parent / "corpus" / "fresh20" / "messages"
# A twenty-first (writers mm/mn/mo); sealed until round 22 (tuned on fresh20) had landed.
FRESH21 = Path(__file__).parent / "corpus" / "fresh21" / "messages"
# Every labelled folder, in the order the bench and the dump report them.
LABELLED = (
    CORPUS, HELDOUT, FRESH1, FRESH2, FRESH3, FRESH4, FRESH5, FRESH6, FRESH7, FRESH8, FRESH9,
    FRESH10, FRESH11, FRESH12, FRESH13, FRESH14, FRESH15,
    FRESH16, FRESH17, FRESH18, FRESH19, FRESH20, FRESH21,
)
# The sets whose `people` list only the others (see CorpusCase.others_only).
OTHERS_ONLY = frozenset(
    {FRESH9, FRESH10, FRESH11, FRESH12, FRESH13, FRESH14, FRESH15, FRESH16, FRESH17, FRESH18,
     FRESH19, FRESH20, FRESH21}
)


# The writers' brief for fresh9 and later named the desk's offer outcome "offer"; the desk's own
# record (and the contract's X-Mailflow-Outcome) says "offered". A thread's context comes from that
# record, never from the member, so the writer's word is read as the contract's.
_CONTRACT_OUTCOME = {"offer": "offered"}


@dataclass(frozen=True)
class CorpusCase:
    name: str
    raw: bytes
    expect: dict[str, Any]
    # The writers were asked to list in `people` only the others to be booked, so whether the
    # sender also comes is not labelled: the sender is left out of the reading before comparing.
    others_only: bool = False

    @property
    def sender(self) -> str:
        headers = BytesParser(policy=compat32).parsebytes(self.raw, headersonly=True)
        return parseaddr(str(headers.get("From", "")))[1].lower()

    @property
    def now(self) -> datetime:
        return datetime.fromisoformat(self.expect["now"]) if self.expect.get("now") else DEFAULT_NOW

    @property
    def context(self) -> ThreadContext | None:
        found = self.expect.get("context")
        if not found:
            return None
        outcome = _CONTRACT_OUTCOME.get(found["outcome"], found["outcome"])
        return ThreadContext(outcome, tuple(found["event_ids"]), found.get("recipient", ""))

    @property
    def genuine(self) -> bool:
        """A clear seat-changing request: one a coordinator would act on without asking."""
        return not self.expect["unclear"] and Intent(self.expect["intent"]) in SEAT_CHANGING


def corpus_cases(directory: Path = CORPUS, others_only: bool | None = None) -> list[CorpusCase]:
    if others_only is None:
        others_only = directory.resolve() in {d.resolve() for d in OTHERS_ONLY}
    cases = []
    for eml in sorted(directory.glob("*.eml")):
        expect = json.loads(eml.with_suffix(".expect.json").read_text(encoding="utf-8"))
        cases.append(CorpusCase(eml.stem, eml.read_bytes(), expect, others_only))
    return cases


def heldout_cases() -> list[CorpusCase]:
    return corpus_cases(HELDOUT)


def fresh1_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH1)


def fresh2_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH2)


def fresh3_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH3)


def fresh4_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH4)


def fresh5_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH5)


def fresh6_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH6)


def fresh7_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH7)


def fresh8_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH8)


def fresh9_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH9)


def fresh10_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH10)


def fresh11_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH11)


def fresh12_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH12)


def fresh13_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH13)


def fresh14_cases() -> list[CorpusCase]:
    return corpus_cases(FRESH14)


def mismatches(case: CorpusCase, got: Request) -> list[str]:
    """How a reading differs from the expectation; empty when it is right."""
    want = case.expect
    if not want["unclear"] and want["intent"] in ("question", "unknown", "acknowledgement"):
        # A question or unrelated mail always goes to the coordinator (Request.is_unclear), so the
        # fresh corpora's writers, told "unclear = must ask before changing a seat", left the flag
        # false: what is checked is that it is read as that and changes no seat. An acknowledgement
        # changes no seat and gets no reply either; the writers differ on whether its event_ids
        # name the thread's session (fresh3 writes [], fresh4 the thread's ids), so it is scored
        # on intent alone too (decided when fresh4 arrived, and applied to every corpus).
        if got.intent.value == want["intent"]:
            return []
        return [f"intent {got.intent.value} != {want['intent']}"]
    if want["unclear"]:
        if got.is_unclear:
            return []
        return [f"expected unclear, got confident {got.intent.value} {got.event_ids}"]
    problems = []
    if got.is_unclear:
        problems.append(f"unclear ({got.intent.value}, {got.confidence}): {got.reason}")
    if got.intent.value != want["intent"]:
        problems.append(f"intent {got.intent.value} != {want['intent']}")
    # The sessions are a set: fresh15's brief asked for them sorted by id, the earlier ones
    # gave them in the order of the series, and the desk's order changes nothing it does.
    if (Intent(want["intent"]) in SEAT_CHANGING or want["event_ids"]) and sorted(
        got.event_ids
    ) != sorted(want["event_ids"]):
        problems.append(f"events {list(got.event_ids)} != {want['event_ids']}")
    people = [p.email for p in got.people]
    if case.others_only:
        # Nor, in an offer's thread, the member the place was offered to (a PA answering for them).
        holder = case.context.recipient.lower() if case.context else ""
        offer_answer = want["intent"] in ("accept-offer", "decline-offer")
        left_out = {case.sender, holder} if offer_answer else {case.sender}
        # "people to be booked" lets a writer list the colleague taking the sender's place there
        # too (fresh11's did); the substitute field is where that colleague is compared.
        if want["intent"] == "substitute" and want["substitute"]:
            left_out.add(want["substitute"].lower())
        people = [p for p in people if p.lower() not in left_out]
        wanted = [p for p in want["people"] if p.lower() not in left_out]
    else:
        wanted = want["people"]
    if sorted(p.lower() for p in people) != sorted(p.lower() for p in wanted):
        # A set as well: fresh16's writers sorted them.
        problems.append(f"people {people} != {wanted}")
    sub = got.substitute.email if got.substitute else None
    if sub != want["substitute"]:
        problems.append(f"substitute {sub} != {want['substitute']}")
    return problems


def wrong_seat_change(case: CorpusCase, got: Request) -> bool:
    """A confident seat-changing reading that differs from what the mail asked: acted on wrongly."""
    return got.intent in SEAT_CHANGING and not got.is_unclear and bool(mismatches(case, got))
