"""`poll --dry-run`: the real pipeline in one transaction that is rolled back; no MOVE, no SMTP."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Engine
from sqlmodel import col, func, select

from mailflow.handle import Desk
from mailflow.mailbox import Mailbox
from mailflow.parse import parse_message
from mailflow.poll import first_run_message
from mailflow.store import OutboxRow, create_schema, sync_config, unit_of_work


@dataclass(frozen=True)
class WouldSend:
    kind: str
    recipient: str
    subject: str
    outcome: str


@dataclass
class WouldHandle:
    uid: int
    sender: str
    subject: str
    disposition: str = ""
    outcome: str = ""
    folder: str = ""
    reason: str = ""
    sends: list[WouldSend] = field(default_factory=list)


@dataclass
class Rehearsal:
    """What one pass would do now: each message's handling and mail, then the rest."""

    messages: list[WouldHandle] = field(default_factory=list)
    already_handled: int = 0  # in the folder but handled before (a real pass only moves them)
    sweep: list[WouldSend] = field(default_factory=list)  # offers, calendar updates
    queued: list[WouldSend] = field(default_factory=list)  # waiting in the outbox already
    blocked: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _sends(rows: Sequence[OutboxRow]) -> list[WouldSend]:
    return [WouldSend(r.kind, r.recipient, r.subject, r.outcome) for r in rows]


def _queued_since(desk: Desk, after: int) -> list[WouldSend]:
    with unit_of_work(desk.engine) as uow:
        return _sends(uow.session.exec(select(OutboxRow).where(col(OutboxRow.id) > after)
                                       .order_by(col(OutboxRow.id))).all())


def _last_id(desk: Desk) -> int:
    with unit_of_work(desk.engine) as uow:
        return int(uow.session.exec(select(func.max(OutboxRow.id))).one() or 0)


# What the pipeline logs as done reads as what would be done: nothing is kept in a dry run.
_WOULD = (("handled ", "would handle "), ("queued ", "would queue "), ("sent ", "would send "))
_LOGGERS = ("mailflow.handle", "mailflow.reminders", "mailflow.outbox", "mailflow.digest")


class _WouldFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            for done, would in _WOULD:
                if record.msg.startswith(done):
                    record.msg = would + record.msg[len(done):]
                    break
            else:
                record.msg = "dry run: " + record.msg
        return True


@contextmanager
def _logged_as_would() -> Iterator[None]:
    would = _WouldFilter()
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    for logger in loggers:
        logger.addFilter(would)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(would)


def rehearse(desk: Desk, mailbox: Mailbox) -> Rehearsal:
    """Handle every new message as `poll` would, inside a transaction that is rolled back.

    Every unit of work becomes a SAVEPOINT inside the one outer transaction, so the
    pipeline runs unchanged (locks, rules, templates, the outbox) and nothing is kept.
    The mailbox is only read (BODY.PEEK: not even \\Seen changes); nothing is moved or sent.
    """
    result = Rehearsal()
    with _logged_as_would(), desk.engine.connect() as conn:
        outer = conn.begin()
        try:
            # A Connection stands in for the Engine: a Session accepts either as its bind.
            trial = dataclasses.replace(desk, engine=cast(Engine, conn))
            # Tables and the config's sessions are brought up to date inside the rehearsal
            # too: even a first dry run on an empty database leaves it as it was.
            create_schema(trial.engine)
            sync_config(trial.engine, desk.settings.events, desk.settings.members)
            with unit_of_work(trial.engine) as uow:
                result.queued = _sends(uow.due_outbox(desk.clock()))
            _handle_new_mail(trial, mailbox, result)
            before_sweep = _last_id(trial)
            trial.sweep()
            result.sweep = _queued_since(trial, before_sweep)
        finally:
            outer.rollback()
    return result


def _handle_new_mail(desk: Desk, mailbox: Mailbox, result: Rehearsal) -> None:
    """The reading half of poll.handle_mailbox, noting what each message would cause."""
    settings = desk.settings.mailbox
    folders = {"processed": settings.processed_folder, "attention": settings.attention_folder}
    uids = mailbox.uids(settings.since)
    with unit_of_work(desk.engine) as uow:
        handled = uow.handled_uids(mailbox.uidvalidity)
        first_run = uow.handled_count() == 0
    result.already_handled = len([u for u in uids if u in handled])
    pending = [u for u in uids if u not in handled]
    if first_run and len(pending) > settings.first_run_limit:
        result.blocked = first_run_message(len(pending), settings.first_run_limit)
        return
    for fetched in mailbox.fetch(pending, settings.max_message_bytes):
        before = _last_id(desk)
        outcome = desk.handle(fetched.raw, mailbox.uidvalidity, fetched.uid,
                              truncated_size=fetched.size if fetched.truncated else None)
        mail = parse_message(fetched.raw)
        result.messages.append(WouldHandle(
            uid=fetched.uid,
            sender=f"{mail.sender_name} <{mail.sender}>" if mail.sender_name and mail.sender
            else mail.sender or "(no sender)",
            subject=mail.subject, disposition=outcome.disposition, outcome=outcome.outcome,
            folder=folders[outcome.folder], reason=outcome.reason,
            sends=_queued_since(desk, before)))
