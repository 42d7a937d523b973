"""When to try mail again: one recipient's deferrals back off and give up; server trouble never."""

from __future__ import annotations

from datetime import timedelta

MAX_ATTEMPTS = 8  # for one recipient's deferrals only; server trouble never gives mail up
PAUSE_FIRST = timedelta(seconds=30)  # first wait after server trouble, doubling …
PAUSE_MAX = timedelta(minutes=10)  # … up to this


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes, capped at an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def pause_wait(attempts: int, first: timedelta, most: timedelta) -> timedelta:
    """The sending pause after the server's `attempts`-th failure in a row: doubling, capped."""
    return min(most, first * 2 ** (attempts - 1))
