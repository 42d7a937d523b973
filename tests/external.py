"""The external corpus (real mail other projects collected): its fixtures, labels and stages."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mailflow import bounces as bounce_stage
from mailflow import hygiene
from mailflow.bounces import find_bounces
from mailflow.model import InboundMail
from mailflow.parse import parse_message

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "external-corpus"
LABELS = ROOT / "tests" / "corpus" / "external-labels.json"
OWN_ADDRESS = "registrations@desk.example"
NOT_FIXTURES = frozenset({"SOURCES.md", "EXPECTED.json"})
STAGES = ("parse", "hygiene", "bounces")
# CPU time of this thread: other work on a shared machine does not inflate the figures.
clock = time.thread_time


def fixtures(corpus: Path = CORPUS) -> list[str]:
    """Every fixture's path relative to the corpus folder, sorted."""
    return sorted(
        str(p.relative_to(corpus))
        for p in corpus.rglob("*")
        if p.is_file() and p.name not in NOT_FIXTURES
    )


def source_of(fixture: str) -> str:
    return fixture.split("/", 1)[0]


def load_labels(path: Path = LABELS) -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["labels"]
    return data


def verdict_of(mail: InboundMail) -> str:
    """complaint | bounce | automated | human, as the handling step would treat the message."""
    # getattr: bench/external.py also runs this against older code, for before/after figures.
    is_complaint: Callable[[InboundMail], bool] | None = getattr(hygiene, "is_complaint", None)
    if is_complaint is not None and is_complaint(mail):
        return "complaint"
    if hygiene.is_bounce(mail):
        return "bounce"
    if hygiene.automated_reason(mail, OWN_ADDRESS) is not None:
        return "automated"
    return "human"


@dataclass
class Outcome:
    """What the pure stages made of one fixture, and the CPU seconds each took."""

    fixture: str
    verdict: str
    reason: str
    recipients: tuple[str, ...]
    seconds: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


def run_stages(fixture: str, raw: bytes) -> Outcome:
    """parse -> hygiene -> bounces, as handle.py runs them, timed stage by stage."""
    start = clock()
    mail = parse_message(raw)
    parsed = clock()
    verdict = verdict_of(mail)
    reason = hygiene.automated_reason(mail, OWN_ADDRESS) or ""
    judged = clock()
    bounces = find_bounces(raw, mail) if verdict == "bounce" else ()
    found = {b.recipient for b in bounces if b.recipient}
    complained = getattr(bounce_stage, "complained_addresses", None)
    if verdict == "complaint" and complained is not None:
        found.update(complained(raw, mail))
    done = clock()
    return Outcome(
        fixture=fixture,
        verdict=verdict,
        reason=reason,
        recipients=tuple(sorted(found)),
        seconds={"parse": parsed - start, "hygiene": judged - parsed, "bounces": done - judged},
    )
