"""Interpreter bench on both corpora: accuracy per intent, wrong seat changes, unclear, time."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from mailflow.model import EventInfo  # noqa: E402
from mailflow.parse import parse_message  # noqa: E402
from mailflow.understanding import understand  # noqa: E402

from series import (  # noqa: E402
    CorpusCase,
    corpus_cases,
    heldout_cases,
    mismatches,
    series_2025,
    wrong_seat_change,
)

ROUNDS = 20  # repeat the timing loop so per-message figures are stable
# CPU time of this process: other work on a shared machine does not inflate the figures.
clock = time.process_time


def report(
    title: str, cases: list[CorpusCase], events: tuple[EventInfo, ...], verbose: bool
) -> None:
    """Print one corpus's figures."""
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    wrong_changes: list[str] = []
    genuine = genuine_unclear = 0
    mails = []
    print(f"== {title}")
    for case in cases:
        mail = parse_message(case.raw)
        mails.append(mail)
        got = understand(mail, events, case.now, case.context)
        label = case.expect["intent"] + (" (unclear)" if case.expect["unclear"] else "")
        total[label] += 1
        problems = mismatches(case, got)
        if not problems:
            right[label] += 1
        elif verbose:
            print(f"  MISS {case.name}: {'; '.join(problems)}  [{got.reason}] {got.evidence}")
        if wrong_seat_change(case, got):
            wrong_changes.append(case.name)
        if case.genuine:
            genuine += 1
            genuine_unclear += got.is_unclear

    start = clock()
    for _ in range(ROUNDS):
        for case in cases:
            parse_message(case.raw)
    parse_ms = (clock() - start) * 1000 / (ROUNDS * len(cases))
    start = clock()
    for _ in range(ROUNDS):
        for case, mail in zip(cases, mails, strict=True):
            understand(mail, events, case.now, case.context)
    understand_ms = (clock() - start) * 1000 / (ROUNDS * len(cases))

    print(f"messages: {len(cases)}")
    print("accuracy per expected intent:")
    for label in sorted(total):
        print(
            f"  {label:<28} {right[label]:>3}/{total[label]:<3} "
            f"{100 * right[label] / total[label]:5.1f}%"
        )
    overall = sum(right.values())
    print(f"  {'all':<28} {overall:>3}/{len(cases):<3} {100 * overall / len(cases):5.1f}%")
    print(
        f"wrong seat changes: {len(wrong_changes)}" + (f" {wrong_changes}" if wrong_changes else "")
    )
    share = 100 * genuine_unclear / genuine if genuine else 0.0
    print(
        f"genuine requests sent to unclear: {genuine_unclear}/{genuine} ({share:.1f}%; goal <= 5%)"
    )
    print(f"CPU time per message: parse {parse_ms:.3f} ms, understand {understand_ms:.3f} ms")


def main(verbose: bool = False) -> int:
    events = series_2025()
    report("original corpus (the rules were tuned to it)", corpus_cases(), events, verbose)
    print()
    report("held-out corpus (written without reading the rules)", heldout_cases(), events, verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main(verbose="-v" in sys.argv))
