"""Run `mailflow check`, `outbox --failed` and `poll --dry-run` against a real Dovecot mailbox.

    .venv/bin/python scripts/tour_on_dovecot.py

Starts a private Dovecot (tests/servers/) and an aiosmtpd server that refuses one recipient
for good (550), writes a config for them, delivers member mail, and prints each command with
its real output. Needs what `bash scripts/test` installs (Dovecot, the test extras).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from aiosmtpd.controller import Controller  # noqa: E402

import support  # noqa: E402
from servers import Dovecot, free_port  # noqa: E402

REFUSED = "ghost.writer@camden-council.example"
SERIES = """
[series]
name = "Harbour Lectures"
signature = ["Suzanne Picken", "Harbour Lectures registrations"]
"""


class RefusesOne:
    """An SMTP server that takes every message except to REFUSED, which it refuses for good."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802
                          options: Any) -> str:
        if address.lower() == REFUSED:
            return "550 5.1.1 <ghost.writer@camden-council.example>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        return "250 2.0.0 OK"


def mailflow(rig: support.Rig, *args: str) -> None:
    print(f"$ mailflow {' '.join(args)}")
    done = subprocess.run([str(Path(sys.executable).with_name("mailflow")), "--config",
                           str(rig.path), *args], env={**os.environ, **rig.env},
                          capture_output=True, text=True, timeout=120)
    print(done.stdout.rstrip())
    said = [line for line in done.stderr.splitlines() if " INFO " not in line]
    if said:
        print("\n".join(said))
    print(f"[exit {done.returncode}]\n")


def main() -> int:
    work = Path(tempfile.mkdtemp(prefix="mailflow-tour-"))
    smtp_port = free_port()
    controller = Controller(RefusesOne(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    with Dovecot(ssl=False) as dovecot:
        user = dovecot.add_user("registrations")
        rig = support.write_config(work, imap_host=dovecot.host, imap_port=dovecot.port,
                                   username=user, password=dovecot.password(user),
                                   smtp_port=smtp_port, db_url=f"sqlite:///{work}/mailflow.db",
                                   capacity=2, extra=SERIES)
        try:
            mailflow(rig, "check")
            dovecot.append(user, "INBOX", support.mail(
                "Ghost Writer <ghost.writer@camden-council.example>", "Construction webinar",
                "Please register me for the construction webinar."))
            dovecot.append(user, "INBOX", support.mail(
                "Ngozi Okafor <ngozi.okafor@camden-council.example>", "Construction webinar",
                "Hello, could you book me onto the construction webinar please? Ngozi"))
            mailflow(rig, "poll")
            mailflow(rig, "outbox", "--failed")
            for raw in (
                support.mail("Tom Reilly <tom.reilly@westbury.ac.example>", "Booking",
                             "Could you book me and my colleague Priya Shah "
                             "(priya.shah@westbury.ac.example) onto the construction one?"),
                support.mail("Mark Evans <m.evans@kingsgate-college.example>", "Seafood",
                             "Morning! Could I have a place on the seafood one? Mark"),
                support.mail("Dave Mills <dave@freemail.example>", "Food webinar",
                             "Hi, I'd like to attend the food webinar please. Dave"),
                support.mail("Sam Patel <sam.patel@westbury.ac.example>", "Slides",
                             "Hello, will the slides from the webinars be shared? Sam"),
                support.mail("Ola Nowak <ola.nowak@camden-council.example>",
                             "Automatic reply: Construction webinar", "I am out of the office.",
                             headers={"Auto-Submitted": "auto-replied"}),
            ):
                dovecot.append(user, "INBOX", raw)
            mailflow(rig, "poll", "--dry-run")
            mailflow(rig, "status")
        finally:
            controller.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
