"""`mailflow demo` — the README's first command — runs the whole story on a fresh machine."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_demo_command() -> list[str]:
    """The README's first command, minus the venv and install steps this suite already did."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", readme, re.S).group(1)  # type: ignore[union-attr]
    first = next(line for line in block.splitlines() if line and not line.startswith("#"))
    steps = [shlex.split(step) for step in first.split("&&")]
    assert steps[0] == ["python3", "-m", "venv", ".venv"]
    assert steps[1] == [".venv/bin/pip", "install", "-q", "-e", ".[demo]"]
    assert steps[2][0] == ".venv/bin/mailflow"
    # This interpreter's own entry point: the .venv that `bash scripts/test` built.
    return [str(Path(sys.executable).with_name("mailflow")), *steps[2][1:]]


def test_demo_tells_the_whole_story_and_exits_cleanly() -> None:
    command = readme_demo_command()
    assert command[1:] == ["demo"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, cwd=ROOT)
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
