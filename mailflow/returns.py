"""Bounces and spam complaints about our mail: counted against an address only if we mailed it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from mailflow.bounces import complained_addresses, find_bounces
from mailflow.model import Bounce, InboundMail
from mailflow.store import UnitOfWork


def note_bounce(uow: UnitOfWork, raw: bytes, mail: InboundMail, now: datetime) -> str:
    """Count a delivery report's bounces; returns the reason to record with the message."""
    bounces = find_bounces(raw, mail)
    counted = _count_bounces(uow, bounces, mail.message_id, now)
    summary = "; ".join(f"{b.recipient} {b.status}".strip()
                        + ("" if b in counted else " (not our mail: not counted)")
                        for b in bounces)
    return f"bounce: {summary or 'unreadable'}"


def note_complaint(uow: UnitOfWork, raw: bytes, mail: InboundMail, now: datetime) -> str:
    """Silence the addresses a spam complaint names; returns the reason to record."""
    acted = _silence(uow, complained_addresses(raw, mail), mail.message_id, now)
    who = "; ".join(f"{a} (mailflow no longer writes to them)" if ok
                    else f"{a} (not an address we wrote to: not acted on)"
                    for a, ok in acted)
    return f"complaint: marked our mail as spam: {who or 'address not given'}"


def _count_bounces(uow: UnitOfWork, bounces: Sequence[Bounce], cause: str,
                   now: datetime) -> list[Bounce]:
    """Count bounces of mail we sent against the address; returns the ones counted.

    A bounce of mail we never sent to that address (forged, or backscatter of spam that
    used our address) must not silence a member, so it is only reported.
    """
    counted: list[Bounce] = []
    for b in bounces:
        if not b.recipient or not _we_mailed(uow, b):
            continue
        counted.append(b)
        detail = uow.note_bounce(b.recipient, f"{b.status} {b.diagnostic}", now,
                                 hard=b.is_hard)
        uow.audit(dict(at=now, email=b.recipient, action="bounced", actor="mail",
                       cause=cause, detail=detail))
    return counted


def _silence(uow: UnitOfWork, addresses: Sequence[str], cause: str,
             now: datetime) -> list[tuple[str, bool]]:
    """Silence each address that complained, through the bounce record; returns
    (address, acted on). Like a bounce, a complaint about mail we never sent there
    (forged, to silence a member) changes nothing."""
    acted: list[tuple[str, bool]] = []
    for address in addresses:
        if not _we_mailed(uow, Bounce(address)):
            acted.append((address, False))
            continue
        detail = uow.note_bounce(address, "complaint: marked our mail as spam", now,
                                 silence=True)
        uow.audit(dict(at=now, email=address, action="complained", actor="mail",
                       cause=cause, detail=detail))
        acted.append((address, True))
    return acted


def _we_mailed(uow: UnitOfWork, bounce: Bounce) -> bool:
    if bounce.original_message_id:
        sent = uow.outbox_by_message_ids([bounce.original_message_id])
        return any(row.recipient == bounce.recipient for row in sent)
    # Some bounces return no headers: then it is enough that we have mailed the address.
    return bool(uow.mailed_to(bounce.recipient))
