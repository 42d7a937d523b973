"""Review: the CLI answers expected trouble with one line and an exit code, never a traceback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from servers import free_port
from support import write_config


def one_line_error(result: Any) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "╭" not in result.stderr, result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("mailflow: ")]
    assert len(said) == 1, result.stderr
    return said[0]


def test_adopt_with_the_mailbox_unreachable_says_so_in_one_line(tmp_path: Path) -> None:
    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=free_port(), username="u",
                       password="p", smtp_port=free_port(),
                       db_url=f"sqlite:///{tmp_path}/m.db")
    assert "mailbox" in one_line_error(rig.cli("adopt"))


@pytest.mark.integration
def test_poll_and_adopt_with_a_wrong_imap_password_say_so_in_one_line(
        tmp_path: Path, imap_user: Any, smtp_sink: Any) -> None:
    rig = write_config(tmp_path, imap_host=imap_user.host, imap_port=imap_user.port,
                       username=imap_user.username, password="not-the-password",
                       smtp_port=smtp_sink.port, db_url=f"sqlite:///{tmp_path}/m.db")
    assert "mailbox" in one_line_error(rig.cli("poll"))
    assert "mailbox" in one_line_error(rig.cli("adopt"))


def test_an_unreachable_database_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=free_port(), username="u",
                       password="p", smtp_port=free_port(),
                       db_url=f"postgresql+psycopg://postgres:hunter2@127.0.0.1:{free_port()}/x")
    for args in (["status", "--json"], ["add", "ann@westbury.ac.example", "food"]):
        line = one_line_error(rig.cli(*args))
        assert "database" in line and "hunter2" not in line


def test_poll_with_the_mailbox_down_still_sends_queued_mail_and_expires_offers(
        tmp_path: Path, smtp_sink: Any) -> None:
    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=free_port(), username="u",
                       password="p", smtp_port=smtp_sink.port,
                       db_url=f"sqlite:///{tmp_path}/m.db")
    added = rig.cli("add", "ann.lee@westbury.ac.example", "food")
    assert added.returncode == 0, added.stderr

    result = rig.cli("poll")

    assert "mailbox" in one_line_error(result)
    # The coordinator's booking was promised "at the next send": the mailbox is no excuse.
    assert [m.rcpt_tos for m in smtp_sink.wait_for(1)] == [["ann.lee@westbury.ac.example"]]
