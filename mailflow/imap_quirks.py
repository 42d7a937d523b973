"""Folder behaviour that differs between IMAP servers (Gmail's All Mail), checked at connect."""

from __future__ import annotations

from typing import Any

ALL_MAIL_FLAGS = (b"\\All", b"\\AllMail")


def folder_problems(client: Any, folder: str) -> list[str]:
    """What is wrong with watching this folder on this server, in words for the log."""
    problems = []
    for flags, _separator, name in client.list_folders(pattern=folder):
        if name == folder and any(f in ALL_MAIL_FLAGS for f in flags):
            # Gmail: MOVE out of All Mail only adds a label; the message stays in All Mail,
            # so every pass would read every handled message again.
            problems.append(f"[mailbox] folder {folder!r} is the server's All Mail folder: on "
                            "Gmail a message moved out of it stays in it. Watch INBOX (or a "
                            "label a filter applies) instead.")
    return problems
