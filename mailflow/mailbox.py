"""IMAP adapter (imapclient): list, fetch with BODY.PEEK[], and move handled mail out of the folder."""

from __future__ import annotations

import logging
import ssl as ssl_module
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Protocol

from imapclient import IMAPClient

from mailflow.config import MailboxSettings

log = logging.getLogger("mailflow.mailbox")

BATCH = 50


@dataclass(frozen=True)
class Fetched:
    uid: int
    size: int
    raw: bytes  # the whole message, or only its header when it is over the size limit
    truncated: bool


class Mailbox(Protocol):
    """What the poll needs from a mailbox; ImapMailbox is the real one."""

    uidvalidity: int

    def uids(self, since: date | None) -> list[int]: ...

    def fetch(self, uids: Sequence[int], max_bytes: int) -> Iterator[Fetched]: ...

    def move(self, uids: Sequence[int], folder: str) -> None: ...


class ImapMailbox:
    """One logged-in IMAP connection with the registrations folder selected."""

    def __init__(self, settings: MailboxSettings, timeout: float = 30.0) -> None:
        self.settings = settings
        s = settings
        context = ssl_module.create_default_context() if (s.ssl or s.starttls) else None
        self.client = IMAPClient(s.host, port=s.port, ssl=s.ssl, ssl_context=context,
                                 timeout=timeout)
        try:
            if s.starttls and not s.ssl:
                self.client.starttls(context)
            self.client.login(s.username, s.password)
            selected = self.client.select_folder(s.folder)
        except Exception:
            self.close()
            raise
        self.uidvalidity = int(selected[b"UIDVALIDITY"])
        self._known_folders: set[str] = set()

    def uids(self, since: date | None) -> list[int]:
        criteria: list[object] = ["SINCE", since] if since else ["ALL"]
        return sorted(int(u) for u in self.client.search(criteria))

    def fetch(self, uids: Sequence[int], max_bytes: int) -> Iterator[Fetched]:
        for start in range(0, len(uids), BATCH):
            batch = list(uids[start:start + BATCH])
            sizes = self.client.fetch(batch, ["RFC822.SIZE"])
            small = [u for u in batch if u in sizes and sizes[u][b"RFC822.SIZE"] <= max_bytes]
            large = [u for u in batch if u in sizes and u not in small]
            # BODY.PEEK leaves \Seen alone: a human reading the folder still sees what is new.
            bodies = self.client.fetch(small, ["BODY.PEEK[]"]) if small else {}
            heads = self.client.fetch(large, ["BODY.PEEK[HEADER]"]) if large else {}
            for uid in batch:
                if uid in bodies:
                    yield Fetched(uid, int(sizes[uid][b"RFC822.SIZE"]),
                                  bytes(bodies[uid][b"BODY[]"]), False)
                elif uid in heads:
                    yield Fetched(uid, int(sizes[uid][b"RFC822.SIZE"]),
                                  bytes(heads[uid][b"BODY[HEADER]"]), True)

    def ensure_folder(self, folder: str) -> None:
        if folder in self._known_folders:
            return
        if not self.client.folder_exists(folder):
            self.client.create_folder(folder)
        self._known_folders.add(folder)

    def move(self, uids: Sequence[int], folder: str) -> None:
        if not uids:
            return
        self.ensure_folder(folder)
        if self.client.has_capability("MOVE"):
            self.client.move(list(uids), folder)
        else:
            self.client.copy(list(uids), folder)
            self.client.delete_messages(list(uids))
            self.client.expunge(list(uids))

    def close(self) -> None:
        try:
            self.client.logout()
        except Exception:  # noqa: BLE001 - closing a dead connection is not news
            try:
                self.client.shutdown()
            except Exception:  # noqa: BLE001
                pass

    def __enter__(self) -> ImapMailbox:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
