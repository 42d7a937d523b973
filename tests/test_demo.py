"""`mailflow demo` — the README's first command — runs the whole story on a fresh machine."""

from __future__ import annotations

import subprocess
import sys


def test_demo_tells_the_whole_story_and_exits_cleanly() -> None:
    result = subprocess.run([sys.executable, "-c", "from mailflow.cli import main; main()",
                             "demo"], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    # Mail in, replies out in the members' threads, with the contract's outcome header.
    assert "6 new message(s), 1 attention, 4 handled, 1 ignored, 6 sent" in out
    assert "=confirmed]" in out and "=waitlisted]" in out and "[not-eligible]" in out
    # The cancellation frees a place, the waitlisted colleague is offered it and accepts.
    assert "=cancelled]" in out and "=offered]" in out
    assert "0 new message(s), 0 sent" in out  # a poll with nothing new does nothing
    assert "confirmed   priya.shah@westbury.ac.example" in out
    assert "Hello Suzanne" in out and "mailflow resolve" in out  # the digest
    assert "Traceback" not in result.stderr
