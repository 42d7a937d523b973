"""Review: the IMAP adapter against real Dovecot, as servers without MOVE/UIDPLUS behave."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from imapclient.exceptions import IMAPClientError

from mailflow.mailbox import ImapMailbox

from support import mail, rig_for

pytestmark = pytest.mark.integration


class NoMoveNoUidplus:
    """Dovecot seen through a server that offers neither MOVE nor UIDPLUS (RFC 3501 only)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def has_capability(self, capability: str) -> bool:
        if capability.upper() in ("MOVE", "UIDPLUS"):
            return False
        return bool(self._client.has_capability(capability))

    def move(self, *args: Any) -> Any:
        raise IMAPClientError("MOVE: BAD Unknown command")

    def expunge(self, messages: Any = None) -> Any:
        if messages:
            raise IMAPClientError("UID EXPUNGE: BAD Unknown command")  # needs UIDPLUS
        return self._client.expunge()


def test_handled_mail_is_filed_on_a_server_without_move_or_uidplus(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    rig = rig_for(tmp_path, imap_user, smtp_sink.port)
    for n in range(3):
        imap_user.append("INBOX", mail(f"p{n}@westbury.ac.example", "Food",
                                       "Please book me onto the food webinar."))
    settings = rig.settings()
    mailbox = ImapMailbox(settings.mailbox)
    mailbox.client = NoMoveNoUidplus(mailbox.client)
    try:
        uids = mailbox.uids(None)
        mailbox.move(uids[:2], "Needs Attention")
        mailbox.move(uids[2:], "Processed")
    finally:
        mailbox.close()
    with imap_user.client() as client:
        counts = {f: client.folder_status(f, ["MESSAGES"])[b"MESSAGES"]
                  for f in ("INBOX", "Needs Attention", "Processed")}
    assert counts == {"INBOX": 0, "Needs Attention": 2, "Processed": 1}


def test_mail_another_worker_moved_after_it_was_listed_is_skipped_not_a_crash(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    """Dovecot answers NIL for the body of a message expunged by another session."""
    rig = rig_for(tmp_path, imap_user, smtp_sink.port)
    for n in range(3):
        imap_user.append("INBOX", mail(f"p{n}@westbury.ac.example", "Food",
                                       "Please book me onto the food webinar."))
    mailbox = ImapMailbox(rig.settings().mailbox)
    real_fetch = mailbox.client.fetch

    def fetch(uids: list[int], data: list[str]) -> Any:
        if data == ["BODY.PEEK[]"]:  # after the sizes: the other worker files two
            with imap_user.client() as other:
                other.select_folder("INBOX")
                other.create_folder("Processed")
                other.move(uids[:2], "Processed")
        return real_fetch(uids, data)

    mailbox.client.fetch = fetch
    try:
        uids = mailbox.uids(None)
        fetched = list(mailbox.fetch(uids, 1024 * 1024))
    finally:
        mailbox.close()
    assert [f.uid for f in fetched] == uids[2:]
    assert b"p2@westbury.ac.example" in fetched[0].raw


def test_a_login_the_server_cannot_check_yet_is_an_outage_not_a_refusal() -> None:
    from mailflow.mailbox import is_temporary_refusal

    assert is_temporary_refusal("[UNAVAILABLE] Temporary authentication failure. [host:2026]")
    assert is_temporary_refusal("Temporary authentication failure.")
    assert not is_temporary_refusal("[AUTHENTICATIONFAILED] Authentication failed.")
    assert not is_temporary_refusal("Invalid credentials")


def test_a_login_cut_off_by_a_restart_is_an_outage_not_a_refused_password() -> None:
    # What imapclient raises when Dovecot restarts during LOGIN (seen in test_worker's outage test).
    import imaplib

    from imapclient.exceptions import LoginError

    from mailflow.troubles import is_unanswered_login

    try:
        try:
            raise imaplib.IMAP4.abort("command: LOGIN => socket error: EOF")
        except imaplib.IMAP4.error as exc:
            raise LoginError(str(exc)) from None
    except LoginError as cut_off:
        assert is_unanswered_login(cut_off)
    assert not is_unanswered_login(LoginError("[AUTHENTICATIONFAILED] Authentication failed."))
