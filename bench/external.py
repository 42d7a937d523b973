"""External-corpus bench: per source, what hygiene recognises and CPU time per pure stage."""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests")]

from external import (  # noqa: E402
    CORPUS,
    LABELS,
    STAGES,
    Outcome,
    clock,
    fixtures,
    load_labels,
    run_stages,
    source_of,
)

BUDGET = 0.050  # seconds of CPU for parse + hygiene + bounces, per message
ROUNDS = 3  # each message is run this often; the figures are the best of the rounds


def _floor() -> float:
    """CPU seconds of a fixed pure-Python loop on this machine in this run, the ratio's floor."""
    start = clock()
    total = 0
    for i in range(200_000):
        total += i * i % 7
    return clock() - start


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--verbose", action="store_true", help="name every disagreement")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--understand", action="store_true",
                        help="also time understanding on the mail hygiene lets through")
    args = parser.parse_args()
    logging.disable(logging.WARNING)  # mail-parser logs every MIME type it does not handle
    if not CORPUS.is_dir():
        sys.exit(f"no external corpus at {CORPUS}")
    labels = load_labels() if LABELS.exists() else {}
    floor = _floor()
    by_source: dict[str, list[Outcome]] = defaultdict(list)
    for fixture in fixtures():
        raw = (CORPUS / fixture).read_bytes()
        runs: list[Outcome] = []
        for _ in range(args.rounds):
            try:
                runs.append(run_stages(fixture, raw))
            except Exception as exc:  # noqa: BLE001 - a crash is a figure here
                print(f"CRASH {fixture}: {type(exc).__name__}: {exc}")
                break
        if not runs:
            continue
        best = min(runs, key=lambda o: o.total)
        best.seconds = {s: min(r.seconds[s] for r in runs) for s in STAGES}
        by_source[source_of(fixture)].append(best)

    head = (f"{'source':<19}{'msgs':>5}{'auto':>6}{'bnc':>5}{'b+rcpt':>7}{'cmpl':>5}"
            f"{'miss':>5}{'lost':>5}  " + "  ".join(f"{s + ' p50/p99/max ms':<22}" for s in STAGES)
            + f"{'total max':>10}{'>50ms':>6}")
    print(head)
    everything: list[Outcome] = []
    for source in sorted(by_source):
        outs = by_source[source]
        everything.extend(outs)
        _line(source, outs, labels, args.verbose)
    _line("ALL", everything, labels, False)
    slowest = sorted(everything, key=lambda o: o.total, reverse=True)[:5]
    print("slowest: " + ", ".join(f"{o.fixture} {o.total * 1000:.1f} ms" for o in slowest))
    if args.understand:
        _understanding(everything)
    worst = max((o.total for o in everything), default=0.0)
    print(f"floor (200k-step loop): {floor * 1000:.1f} ms; worst message / floor = "
          f"{worst / floor:.2f}; worst message / 50 ms budget = {worst / BUDGET:.2f}")


def _understanding(outcomes: list[Outcome]) -> None:
    """Understanding (informational: not in the 50 ms budget) on mail classed human."""
    from datetime import UTC, datetime

    from mailflow.parse import parse_message
    from mailflow.understanding import understand

    from series import series_2025

    events, now = series_2025(), datetime(2025, 1, 15, 9, tzinfo=UTC)
    times: list[tuple[float, str]] = []
    for o in outcomes:
        if o.verdict != "human":
            continue
        mail = parse_message((CORPUS / o.fixture).read_bytes())
        start = clock()
        understand(mail, events, now, None)
        times.append((clock() - start, o.fixture))
    times.sort()
    values = [t for t, _ in times]
    print(f"understand on {len(values)} messages classed human: p50/p99/max "
          f"{statistics.median(values) * 1000:.1f}/{_pct(values, 0.99) * 1000:.1f}/"
          f"{values[-1] * 1000:.1f} ms; slowest: "
          + ", ".join(f"{f} {t * 1000:.0f} ms" for t, f in times[-3:][::-1]))


def _line(source: str, outs: list[Outcome], labels: dict[str, dict[str, object]],
          verbose: bool) -> None:
    automated = sum(o.verdict != "human" for o in outs)
    bounces = [o for o in outs if o.verdict == "bounce"]
    with_rcpt = sum(bool(o.recipients) for o in bounces)
    complaints = sum(o.verdict == "complaint" for o in outs)
    # Against the labels: automated mail classed human, and bounce recipients lost.
    miss = lost = 0
    for o in outs:
        label = labels.get(o.fixture)
        if not label:
            continue
        if label["verdict"] != "human" and o.verdict == "human":
            miss += 1
            if verbose:
                print(f"  MISS {o.fixture}: labelled {label['verdict']}, classed human")
        expected = set(label.get("recipients") or ())  # type: ignore[call-overload]
        if expected - set(o.recipients):
            lost += 1
            if verbose:
                print(f"  LOST {o.fixture}: want {sorted(expected)}, got {list(o.recipients)}")
    stages = "  ".join(
        "{:<22}".format("/".join(f"{q(values) * 1000:.1f}" for q in (
            statistics.median, lambda v: _pct(v, 0.99), max)))
        for values in ([o.seconds[s] for o in outs] for s in STAGES)
    )
    over = sum(o.total > BUDGET for o in outs)
    worst = max(o.total for o in outs) * 1000
    print(f"{source:<19}{len(outs):>5}{automated:>6}{len(bounces):>5}{with_rcpt:>7}"
          f"{complaints:>5}{miss:>5}{lost:>5}  {stages}{worst:>10.1f}{over:>6}")


if __name__ == "__main__":
    main()
