"""Filing handled mail into its folder; a folder the server refuses waits, handling never does."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from imapclient.exceptions import IMAPClientAbortError, IMAPClientError
from sqlalchemy import Engine

from mailflow.store import UnitOfWork, make_durable, unit_of_work

log = logging.getLogger("mailflow.filing")

FILING_KEY = "mailbox.filing"
RETRY_FIRST = timedelta(seconds=30)  # first wait after a refused move, doubling …
RETRY_MAX = timedelta(minutes=30)  # … up to this


class Mover(Protocol):
    def move(self, uids: Sequence[int], folder: str) -> None: ...


@dataclass(frozen=True)
class FilingTrouble:
    """A folder the server would not create or move into: handled mail waits in place."""

    folder: str
    reason: str
    since: datetime
    retry_at: datetime
    failures: int

    def encode(self) -> dict[str, str | int]:
        return {"folder": self.folder, "reason": self.reason, "since": self.since.isoformat(),
                "retry_at": self.retry_at.isoformat(), "failures": self.failures}

    @staticmethod
    def decode(d: dict[str, str | int]) -> FilingTrouble:
        return FilingTrouble(str(d["folder"]), str(d["reason"]),
                             datetime.fromisoformat(str(d["since"])),
                             datetime.fromisoformat(str(d["retry_at"])), int(d["failures"]))


def filing_state(source: Engine | UnitOfWork) -> list[FilingTrouble]:
    """Folders that currently refuse handled mail (for status, health and the digest)."""
    if isinstance(source, UnitOfWork):
        return list(_load(source.get_setting(FILING_KEY)).values())
    with unit_of_work(source) as uow:
        return list(_load(uow.get_setting(FILING_KEY)).values())


def _load(value: str | None) -> dict[str, FilingTrouble]:
    try:
        return {k: FilingTrouble.decode(v) for k, v in json.loads(value or "{}").items()}
    except (ValueError, KeyError, TypeError, AttributeError):
        return {}


class Filing:
    """Moves handled mail on, unless its folder is refusing: then the mail stays where it is
    (it is recorded as handled, so it is never handled twice) and the move is retried with a
    growing wait. The first refusal is logged as a warning; the retries only at debug."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime],
                 first: timedelta = RETRY_FIRST, most: timedelta = RETRY_MAX) -> None:
        self.engine = engine
        self.clock = clock
        self.first = first
        self.most = most
        with unit_of_work(engine) as uow:
            self.trouble = _load(uow.get_setting(FILING_KEY))

    def move(self, mailbox: Mover, uids: Sequence[int], folder: str) -> bool:
        """Move `uids` to `folder` now if that folder is not waiting out a refusal."""
        if not uids:
            return True
        known = self.trouble.get(folder)
        now = self.clock()
        if known is not None and now < known.retry_at:
            return False
        # The move tells the server these are done: their handled records must outlive a
        # crash of the machine first, or they would be lost with the mail already moved on.
        make_durable(self.engine)
        try:
            mailbox.move(uids, folder)
        except IMAPClientAbortError:
            raise  # the connection itself is gone: that is the caller's to reconnect
        except IMAPClientError as exc:
            self._refused(folder, exc, known, now)
            return False
        if known is not None:
            del self.trouble[folder]
            self._save(now)
            log.info("filing into %r works again (refused since %s); handled mail is moved",
                     folder, f"{known.since:%Y-%m-%d %H:%M}")
        return True

    def _refused(self, folder: str, exc: IMAPClientError, known: FilingTrouble | None,
                 now: datetime) -> None:
        failures = (known.failures if known else 0) + 1
        wait = min(self.most, self.first * 2 ** (failures - 1))
        reason = " ".join(str(exc).split())[:300]
        self.trouble[folder] = FilingTrouble(folder, reason, known.since if known else now,
                                             now + wait, failures)
        self._save(now)
        if known is None:
            log.warning("cannot file handled mail into %r: %s. It stays in the folder, "
                        "recorded as handled (never answered twice); retrying in %g s, then "
                        "less and less often", folder, reason, wait.total_seconds())
        else:
            log.debug("filing into %r still refused (%d): %s; next try in %g s", folder,
                      failures, reason, wait.total_seconds())

    def _save(self, now: datetime) -> None:
        with unit_of_work(self.engine) as uow:
            uow.put_setting(FILING_KEY, json.dumps(
                {k: v.encode() for k, v in self.trouble.items()}), now)
            uow.commit()
