"""Sending a pass's replies on a thread of its own while the pass goes on handling mail.

A backlog's replies used to wait for the whole backlog to be handled, and then each waited
for the SMTP server's answers in turn, with nothing else to do meanwhile. Here the pass
wakes a sending thread after each batch of handled mail; the thread delivers what is due
(`outbox.deliver`: only committed rows, each claim committed, and durably, before its first
mail goes) while the pass handles the next batch. Exactly-once is deliver's as before: this
only changes when it runs. One process must not run two deliveries at once (a claim just
committed, not yet noted as this process's, would look orphaned to the other), so the pass
sends nothing itself until the thread is stopped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from types import TracebackType

from mailflow.outbox import DeliveryReport

log = logging.getLogger("mailflow.poll")


class Backsender:
    """Runs `send` on its own thread each time it is woken, until stopped (`with` ends it).

    After server trouble (a pause) it sends nothing more: the pass's own last delivery
    reports the pause. An error is kept for the pass to raise once handling is done."""

    def __init__(self, send: Callable[[], DeliveryReport]) -> None:
        self._send = send
        self._wake = threading.Event()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="mailflow-send", daemon=True)
        self.report = DeliveryReport()
        self.error: Exception | None = None

    def __enter__(self) -> Backsender:
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def wake(self) -> None:
        """Committed mail is waiting: send it (if a delivery is running, once it is done)."""
        self._wake.set()

    def stop(self) -> None:
        """Wait for the delivery in hand to end; nothing is sent on this thread after."""
        self._stopping = True
        self._wake.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stopping:
                return
            try:
                delivered = self._send()
            except Exception as exc:  # noqa: BLE001 - raised by the pass, after handling
                log.debug("sending during the pass failed", exc_info=True)
                self.error = exc
                return
            self.report.sent += delivered.sent
            self.report.deferred += delivered.deferred
            self.report.failed += delivered.failed
            if delivered.paused:
                return
