"""One pass over the mailbox: handle new mail, move it on, expire offers, send the outbox."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from imapclient.exceptions import IMAPClientError

from mailflow.filing import Filing
from mailflow.handle import Desk
from mailflow.mailbox import Mailbox
from mailflow.oauth import AuthRejected
from mailflow.outbox import Sender, deliver
from mailflow.parse import parse_message
from mailflow.store import HandledMessage, unit_of_work

log = logging.getLogger("mailflow.poll")

LAST_POLL = "worker.last_poll"  # when a pass last read the mailbox, for status and health


@dataclass
class PollReport:
    found: int = 0
    dispositions: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    deferred: int = 0
    failed: int = 0
    offers_changed: int = 0
    paused: str = ""  # why sending is paused (the SMTP server's trouble)
    blocked: str = ""  # why nothing was handled (the first-run guard)
    newest_uid: int = 0  # the highest UID seen in the folder this pass

    def count(self, disposition: str) -> None:
        self.dispositions[disposition] = self.dispositions.get(disposition, 0) + 1

    def summary(self) -> str:
        if self.blocked:
            return self.blocked
        parts = [f"{self.found} new message(s)"]
        parts += [f"{n} {d}" for d, n in sorted(self.dispositions.items())]
        parts.append(f"{self.sent} sent")
        if self.deferred:
            parts.append(f"{self.deferred} deferred")
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.paused:
            parts.append(f"sending paused: {self.paused}")
        return ", ".join(parts)


def first_run_message(found: int, limit: int) -> str:
    return (f"This is a first run on a mailbox holding {found} messages (more than "
            f"first_run_limit = {limit}); none were handled, so nobody is flooded with replies "
            "to old mail. Either run `mailflow adopt` to record them all as handled without "
            "replying, or set [mailbox] since = YYYY-MM-DD to handle only recent mail.")


def handle_mailbox(desk: Desk, mailbox: Mailbox, report: PollReport,
                   filing: Filing | None = None) -> None:
    """Handle every new message, then file it; a folder that refuses mail never stops handling."""
    settings = desk.settings.mailbox
    filing = filing or Filing(desk.engine, desk.clock)
    folders = {"processed": settings.processed_folder, "attention": settings.attention_folder}
    uids = mailbox.uids(settings.since)
    report.newest_uid = max(uids, default=0)
    with unit_of_work(desk.engine) as uow:
        handled = uow.handled_uids(mailbox.uidvalidity)
        first_run = uow.handled_count() == 0
    # Handled earlier but never moved (a crash, or a folder that refused): filed after the
    # new mail is handled, never handled again.
    leftovers = {"processed": [u for u in uids if u in handled and not handled[u]],
                 "attention": [u for u in uids if u in handled and handled[u]]}
    pending = [u for u in uids if u not in handled]
    report.found = len(pending)
    if first_run and len(pending) > settings.first_run_limit:
        report.blocked = first_run_message(len(pending), settings.first_run_limit)
        return
    moves: dict[str, list[int]] = {"processed": [], "attention": []}
    for n, fetched in enumerate(mailbox.fetch(pending, settings.max_message_bytes), start=1):
        result = desk.handle(fetched.raw, mailbox.uidvalidity, fetched.uid,
                             truncated_size=fetched.size if fetched.truncated else None)
        report.count(result.disposition)
        moves[result.folder].append(fetched.uid)
        if n % 50 == 0:
            _flush(filing, mailbox, moves, folders)
    for key, uids_left in leftovers.items():
        moves[key][:0] = uids_left
    _flush(filing, mailbox, moves, folders)


def _flush(filing: Filing, mailbox: Mailbox, moves: dict[str, list[int]],
           folders: dict[str, str]) -> None:
    for key, uids in moves.items():
        filing.move(mailbox, uids, folders[key])
        uids.clear()


def send_outbox(desk: Desk, sender: Sender, report: PollReport) -> None:
    delivered = deliver(desk.engine, sender, desk.settings.smtp.from_address, desk.clock)
    report.sent += delivered.sent
    report.deferred += delivered.deferred
    report.failed += delivered.failed
    report.paused = delivered.paused


def poll_once(desk: Desk, open_mailbox: Callable[[], Mailbox], sender: Sender) -> PollReport:
    """The whole of `mailflow poll`: mail in, seats changed, offers swept, mail out."""
    report = PollReport()
    unreachable: Exception | None = None
    try:
        mailbox = open_mailbox()
        try:
            handle_mailbox(desk, mailbox, report)
        finally:
            close = getattr(mailbox, "close", None)
            if close is not None:
                close()
    except (OSError, IMAPClientError, AuthRejected) as exc:
        # The mailbox being down must not stop offers lapsing or queued mail going out
        # (replies from earlier passes, the coordinator's commands); the error still ends
        # the pass, after that.
        unreachable = exc
    else:
        record_pass(desk)
    report.offers_changed = len(desk.sweep())
    send_outbox(desk, sender, report)
    if unreachable is not None:
        raise unreachable
    log.info("poll: %s", report.summary())
    return report


def record_pass(desk: Desk) -> None:
    """Note a pass that read the mailbox: `mailflow poll` from cron counts as much as `run`."""
    with unit_of_work(desk.engine) as uow:
        now = desk.clock()
        uow.put_setting(LAST_POLL, now.isoformat(), now)
        uow.commit()


def adopt(desk: Desk, mailbox: Mailbox) -> int:
    """Record every message in the folder as handled, without replying or moving it."""
    uids = mailbox.uids(None)
    count = 0
    with unit_of_work(desk.engine) as uow:
        handled = uow.handled_uids(mailbox.uidvalidity)
    for fetched in mailbox.fetch([u for u in uids if u not in handled], 64 * 1024):
        mail = parse_message(fetched.raw)
        with unit_of_work(desk.engine) as uow:
            key = uow.record_key(mail, mailbox.uidvalidity, fetched.uid)
            if key is None:
                continue
            uow.record(HandledMessage(
                message_id=key, uidvalidity=mailbox.uidvalidity, uid=fetched.uid,
                sender=mail.sender, subject=mail.subject[:300], received_at=mail.date,
                handled_at=desk.clock(), outcome="adopted", disposition="adopted",
                reason="recorded by mailflow adopt", sha256=mail.sha256, size=mail.size))
            uow.commit()
            count += 1
    return count
