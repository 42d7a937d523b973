"""Riding out trouble: a failing dependency or job is logged once as it goes, once as it is back."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from mailflow.lease import LeaseLost

# The worker's one logger, whichever module logs: its lines are found by this name.
log = logging.getLogger("mailflow.worker")

Guard = Callable[[str, Callable[[], object]], Callable[[], None]]  # (name, job) -> guarded job


@dataclass
class Outage:
    """Log a failing dependency once when it goes, once when it comes back, quietly between."""

    name: str
    failures: int = 0

    def failed(self, exc: BaseException, retry_in: float | None = None) -> None:
        self.failures += 1
        then = f"; retrying in {retry_in:g} s" if retry_in is not None else "; will retry"
        if self.failures == 1:
            log.warning("%s unavailable: %s: %s%s", self.name, type(exc).__name__, exc, then)
        else:
            log.debug("%s still unavailable (attempt %d): %s%s", self.name, self.failures,
                      exc, then)

    def ok(self) -> None:
        if self.failures:
            log.info("%s is back after %d failed attempt(s)", self.name, self.failures)
        self.failures = 0


def guard_job(name: str, job: Callable[[], object],
              lease_lost: Callable[[LeaseLost], None]) -> Callable[[], None]:
    """A job whose failure is logged (once per outage) and never reaches the others; a lost
    lease is no outage but the end of the worker, so it goes to `lease_lost`."""
    outage = Outage(name)

    def run() -> None:
        try:
            job()
        except LeaseLost as exc:
            lease_lost(exc)
        except Exception as exc:  # noqa: BLE001 - one job's failure must not stop others
            outage.failed(exc)
            log.debug("%s failed", name, exc_info=True)
        else:
            outage.ok()

    return run
