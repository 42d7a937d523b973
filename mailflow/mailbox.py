"""IMAP adapter (imapclient): list, fetch with BODY.PEEK[], move handled mail out of the folder."""

from __future__ import annotations

import contextlib
import logging
import ssl as ssl_module
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from types import TracebackType
from typing import Protocol

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError, LoginError

from mailflow.config import MailboxSettings
from mailflow.imap_quirks import folder_problems
from mailflow.oauth import AuthRejected, TokenProvider, build_provider, imap_login
from mailflow.troubles import is_temporary_refusal, is_unanswered_login, server_words

__all__ = ["Fetched", "ImapMailbox", "Mailbox", "is_temporary_refusal"]

log = logging.getLogger("mailflow.mailbox")

BATCH = 50  # messages per FETCH of bodies, at most
SIZES_BATCH = 500  # messages per FETCH of sizes
FETCH_BYTES = 4 * 1024 * 1024  # bodies per FETCH, at most (one larger message goes alone)


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

    def __init__(self, settings: MailboxSettings, timeout: float = 30.0,
                 tokens: TokenProvider | None = None) -> None:
        self.settings = settings
        s = settings
        context = ssl_module.create_default_context() if (s.ssl or s.starttls) else None
        self.client = IMAPClient(s.host, port=s.port, ssl=s.ssl, ssl_context=context,
                                 timeout=timeout)
        # An OAuth2 session ends when its token does (Exchange Online says BYE then): the
        # worker logs in again before that time.
        self.login_expires_at: float | None = None
        try:
            if s.starttls and not s.ssl:
                self.client.starttls(context)
            self._login(tokens)
            selected = self.client.select_folder(s.folder)
        except Exception:
            self.close()
            raise
        self.uidvalidity = int(selected[b"UIDVALIDITY"])
        for problem in folder_problems(self.client, s.folder):
            log.warning("%s", problem)
        self._known_folders: set[str] = set()

    def _login(self, tokens: TokenProvider | None) -> None:
        """Password or OAuth2 login; a refusal is AuthRejected (retrying soon will not help)."""
        s = self.settings
        if s.oauth is not None:
            provider = tokens or build_provider(s.oauth)
            imap_login(self.client, provider)
            self.login_expires_at = provider.expires_at
            return
        try:
            self.client.login(s.username, s.password)
        except LoginError as exc:
            words = server_words(exc)
            if is_temporary_refusal(words) or is_unanswered_login(exc):
                # A server restarting answers NO [UNAVAILABLE] before its auth process is up, or
                # drops the connection mid-LOGIN: an outage to ride out, not a refused password
                # to back off from for minutes.
                raise ConnectionError(f"IMAP login unavailable for now: {words}") from exc
            raise AuthRejected(f"IMAP login refused for {s.username}: {words}") from exc

    def uids(self, since: date | None) -> list[int]:
        criteria: list[object] = ["SINCE", since] if since else ["ALL"]
        return sorted(int(u) for u in self.client.search(criteria))

    def uids_after(self, uid: int) -> list[int]:
        """UIDs above `uid`: a cheap look for mail that arrived while we were busy (its EXISTS
        came with some other command's answer, so IDLE would not announce it again)."""
        found = self.client.search(["UID", f"{uid + 1}:*"])
        return sorted(int(u) for u in found if int(u) > uid)  # n:* always names the newest

    def fetch(self, uids: Sequence[int], max_bytes: int) -> Iterator[Fetched]:
        for start in range(0, len(uids), SIZES_BATCH):
            batch = list(uids[start:start + SIZES_BATCH])
            sizes = {u: int(v[b"RFC822.SIZE"]) for u, v in
                     self.client.fetch(batch, ["RFC822.SIZE"]).items()}
            for group in _by_bytes([u for u in batch if u in sizes], sizes, max_bytes):
                small = [u for u in group if sizes[u] <= max_bytes]
                large = [u for u in group if sizes[u] > max_bytes]
                # BODY.PEEK leaves \Seen alone: a human reading the folder still sees what
                # is new.
                bodies = self.client.fetch(small, ["BODY.PEEK[]"]) if small else {}
                heads = self.client.fetch(large, ["BODY.PEEK[HEADER]"]) if large else {}
                # A message another worker moved on since it was listed comes back NIL
                # (Dovecot): it was handled there, and is not this pass's.
                for uid in group:
                    if (body := bodies.get(uid, {}).get(b"BODY[]")) is not None:
                        yield Fetched(uid, sizes[uid], bytes(body), False)
                    elif (head := heads.get(uid, {}).get(b"BODY[HEADER]")) is not None:
                        yield Fetched(uid, sizes[uid], bytes(head), True)

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
        try:
            self._move(list(uids), folder)
        except IMAPClientError as exc:
            if not _gone(exc):
                raise
            # Another worker filed some of them first; move the rest one by one.
            for uid in uids:
                try:
                    self._move([uid], folder)
                except IMAPClientError as single:
                    if not _gone(single):
                        raise

    def _move(self, uids: list[int], folder: str) -> None:
        try:
            self._move_now(uids, folder)
        finally:
            _forget_untagged(self.client)

    def _move_now(self, uids: list[int], folder: str) -> None:
        if self.client.has_capability("MOVE"):
            self.client.move(uids, folder)
        else:
            self.client.copy(uids, folder)
            self.client.delete_messages(uids)
            if self.client.has_capability("UIDPLUS"):
                self.client.expunge(uids)
            else:
                # UID EXPUNGE needs UIDPLUS; a plain EXPUNGE also removes whatever else is
                # marked \Deleted in the folder, which is what deleting there asked for.
                self.client.expunge()

    def close(self) -> None:
        try:
            self.client.logout()
        except Exception:  # noqa: BLE001 - closing a dead connection is not news
            with contextlib.suppress(Exception):
                self.client.shutdown()

    def __enter__(self) -> ImapMailbox:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def _by_bytes(uids: Sequence[int], sizes: dict[int, int], max_bytes: int
              ) -> Iterator[list[int]]:
    """Consecutive groups of at most BATCH messages and FETCH_BYTES of bodies, so memory
    held for a backlog does not grow with the size of its messages (over-limit messages
    count only a header's worth)."""
    group: list[int] = []
    held = 0
    for uid in uids:
        size = sizes[uid] if sizes[uid] <= max_bytes else 64 * 1024
        if group and (len(group) >= BATCH or held + size > FETCH_BYTES):
            yield group
            group, held = [], 0
        group.append(uid)
        held += size
    if group:
        yield group


def _forget_untagged(client: IMAPClient) -> None:
    """Drop the EXPUNGE (and COPYUID, RECENT) answers imaplib keeps from every MOVE.

    Nothing reads them, and imaplib keeps them until the folder is selected again: a backlog
    of 10,000 left 10,000 of them held for the whole pass, memory growing with the backlog.
    """
    held = getattr(getattr(client, "_imap", None), "untagged_responses", None)
    if isinstance(held, dict):
        for kind in ("EXPUNGE", "COPYUID", "RECENT", "VANISHED"):
            held.pop(kind, None)


def _gone(exc: IMAPClientError) -> bool:
    """Whether an IMAP error only says the messages were already expunged."""
    text = str(exc).upper()
    return "EXPUNGEISSUED" in text or "NONEXISTENT" in text or "NO LONGER EXIST" in text


def wait_for_news(client: IMAPClient, limit: float, stop: threading.Event,
                  check: float) -> bool:
    """IDLE until the server announces new mail (True), `stop` is set, or `limit` seconds pass;
    `stop` is looked at every `check` seconds."""
    deadline = time.monotonic() + limit
    client.idle()
    try:
        # Mail that came just before IDLE began is announced with its "+ idling", in the same
        # packet (Dovecot, every time): imaplib has read it into its buffer with the
        # continuation, where idle_check's poll of the socket never sees it.
        if _read_ahead(client):
            return True
        while not stop.is_set() and time.monotonic() < deadline:
            responses = client.idle_check(timeout=min(check, limit))
            if any(len(r) > 1 and r[1] in (b"EXISTS", b"RECENT") for r in responses):
                return True
        return False
    finally:
        client.idle_done()


def _read_ahead(client: IMAPClient) -> bool:
    """Whether the server's answers already wait in imaplib's (or TLS's) buffer, unread."""
    reader = getattr(getattr(client, "_imap", None), "file", None)
    peek = getattr(reader, "peek", None)
    if peek is None:
        return False
    sock = client.socket()
    pending = getattr(sock, "pending", None)
    if pending is not None and pending():
        return True
    timeout = sock.gettimeout()
    sock.setblocking(False)  # peek reads the socket only when its buffer is empty: never wait
    try:
        return bool(peek(1))
    except (BlockingIOError, ssl_module.SSLWantReadError):
        return False
    finally:
        sock.settimeout(timeout)
