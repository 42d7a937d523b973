"""The worker's sending: the outbox delivered over one SMTP connection kept between passes."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Protocol

from mailflow.handle import Desk
from mailflow.outbox import DeliveryReport, Sender, deliver
from mailflow.outbox_policy import PAUSE_FIRST

SMTP_IDLE_RECONNECT = 30.0  # servers drop idle SMTP sessions: reconnect rather than fail once


class ClosableSender(Sender, Protocol):
    def close(self) -> None: ...


class Courier:
    """Delivers the outbox over one SMTP connection, for whichever thread asks, one at a time."""

    def __init__(self, desk: Desk, make_sender: Callable[[], ClosableSender],
                 pause_first: timedelta = PAUSE_FIRST) -> None:
        self.desk = desk
        self.make_sender = make_sender
        self.pause_first = pause_first
        self._sender: ClosableSender | None = None
        self._last_used = 0.0
        self._lock = threading.Lock()

    def flush(self) -> DeliveryReport:
        """Send what is due; server trouble pauses sending (deliver logs it once)."""
        with self._lock:
            if self._sender is not None and \
                    time.monotonic() - self._last_used > SMTP_IDLE_RECONNECT:
                self._sender.close()
                self._sender = None
            if self._sender is None:
                self._sender = self.make_sender()
            report = deliver(self.desk.engine, self._sender,
                             self.desk.settings.smtp.from_address, self.desk.clock,
                             pause_first=self.pause_first)
            self._last_used = time.monotonic()
        return report

    def close(self) -> None:
        with self._lock:
            if self._sender is not None:
                self._sender.close()
                self._sender = None
