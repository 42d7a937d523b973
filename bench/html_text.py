"""HTML-to-text converters on every HTML part of the corpora: html2text, inscriptis, mailflow's."""

from __future__ import annotations

import contextlib
import email
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from mailflow.decoding import part_text  # noqa: E402
from mailflow.htmltext import MAX_HTML, html_to_text  # noqa: E402

CORPORA = [ROOT.parent / "shared" / "external-corpus", ROOT / "tests" / "corpus"]
clock = time.thread_time


def _html_parts() -> list[str]:
    parts: list[str] = []
    for corpus in CORPORA:
        for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
            if path.suffix in (".json", ".md", ".py", ".toml"):
                continue
            try:
                msg = email.message_from_bytes(path.read_bytes())
                parts.extend(part_text(p) for p in msg.walk()
                             if p.get_content_type() == "text/html")
            except Exception:  # noqa: BLE001, S112 - unreadable files are not HTML parts
                continue
    return [p for p in parts if p.strip()]


def _html2text(html: str) -> str:
    import html2text

    converter = html2text.HTML2Text()
    converter.body_width = 0
    converter.ignore_images = True
    converter.ignore_emphasis = True
    converter.unicode_snob = True
    return converter.handle(html)


def _inscriptis(html: str) -> str:
    from inscriptis import get_text

    return get_text(html)


def _measure(name: str, convert: Callable[[str], str], parts: list[str]) -> float:
    times: list[float] = []
    for html in parts:
        start = clock()
        with contextlib.suppress(Exception):  # a converter failing is part of the figure
            convert(html)
        times.append(clock() - start)
    times.sort()
    total = sum(times)
    print(f"{name:<34}{total * 1000:>9.1f}{times[len(times) // 2] * 1000:>8.2f}"
          f"{times[int(len(times) * 0.99)] * 1000:>8.2f}{times[-1] * 1000:>8.2f}")
    return times[-1]


def main() -> None:
    parts = _html_parts()
    big = max(parts, key=len)
    print(f"{len(parts)} HTML parts, largest {len(big):,} characters")
    start = clock()
    sum(i * i % 7 for i in range(200_000))
    floor = clock() - start
    print(f"{'converter':<34}{'total ms':>9}{'p50':>8}{'p99':>8}{'max':>8}")
    worst: dict[str, float] = {}
    try:  # not a mailflow dependency any more: compared only where it is installed
        worst["html2text (whole part)"] = _measure("html2text (whole part)", _html2text, parts)
        worst[f"html2text (first {MAX_HTML:,})"] = _measure(
            f"html2text (first {MAX_HTML:,})", lambda h: _html2text(h[:MAX_HTML]), parts)
    except ImportError:
        print("html2text is not installed: pip install html2text to compare it")
    try:
        worst["inscriptis (whole part)"] = _measure("inscriptis (whole part)", _inscriptis, parts)
        worst[f"inscriptis (first {MAX_HTML:,})"] = _measure(
            f"inscriptis (first {MAX_HTML:,})", lambda h: _inscriptis(h[:MAX_HTML]), parts)
    except ImportError:
        print("inscriptis is not installed: pip install inscriptis to compare it")
    worst["mailflow.htmltext (whole part)"] = _measure(
        "mailflow.htmltext (whole part)", lambda h: html_to_text(h, len(h)), parts)
    worst[f"mailflow.htmltext (first {MAX_HTML:,})"] = _measure(
        f"mailflow.htmltext (first {MAX_HTML:,})", html_to_text, parts)
    print(f"floor (200k-step loop): {floor * 1000:.1f} ms; worst part / floor: "
          + ", ".join(f"{k} {v / floor:.2f}" for k, v in worst.items()))


if __name__ == "__main__":
    main()
