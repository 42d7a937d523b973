"""What changed since the last digest, grouped by session, in the coordinator's words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import col, select

from mailflow.seats import Status
from mailflow.store import AuditEntry, PlaceRow, UnitOfWork


@dataclass(frozen=True)
class ChangeGroup:
    """What happened to one session (or to no session) since the last digest."""

    title: str
    lines: tuple[tuple[str, tuple[str, ...]], ...]  # (what happened, who)


def changes(uow: UnitOfWork, entries: Sequence[AuditEntry], titles: dict[str, str]
             ) -> list[ChangeGroup]:
    grouped: dict[str, dict[str, list[str]]] = {}
    for entry in entries:
        what = _phrase(uow, entry)
        if what is None:
            continue
        key = entry.event_id if entry.event_id in titles else ""
        who = entry.email
        if entry.action in ("substituted", "declined-in-calendar") and entry.detail:
            who = f"{entry.email} ({entry.detail})"
        people = grouped.setdefault(key, {}).setdefault(what, [])
        if who not in people:
            people.append(who)
    groups: list[ChangeGroup] = []
    for key in [k for k in titles if k in grouped] + ([""] if "" in grouped else []):
        groups.append(ChangeGroup(
            title=titles.get(key, "Other"),
            lines=tuple((what, tuple(who)) for what, who in grouped[key].items())))
    return groups


def _phrase(uow: UnitOfWork, entry: AuditEntry) -> str | None:
    action, by_you = entry.action, entry.actor == "coordinator"
    if action == "confirmed":
        if by_you:
            return "added by you"
        earlier_offer = uow.session.exec(select(AuditEntry.id).where(
            AuditEntry.email == entry.email, AuditEntry.event_id == entry.event_id,
            AuditEntry.action == "offered", col(AuditEntry.id) < entry.id)).first()
        return "accepted an offer" if earlier_offer is not None else "registered"
    if action == "substituted":
        place = uow.session.exec(select(PlaceRow.status).where(
            PlaceRow.email == entry.email, PlaceRow.event_id == entry.event_id)).first()
        return "passed their place on" if place == Status.SUBSTITUTED else "took over a place"
    return {
        "waitlisted": "joined the waiting list",
        "cancelled": "removed by you" if by_you else "cancelled",
        "offered": "offered a place",
        "offer-declined": "declined an offer",
        "offer-expired": "let an offer lapse",
        "removed": "removed by you",
        "moved": "moved on the waiting list",
        "reminded": "sent a reminder",
        "resolved": "message resolved",
        "bounced": "mail bounced",
        "declined-in-calendar": "declined in their calendar",
        "accepted-in-calendar": "accepted in their calendar",
        "tentative-in-calendar": "answered tentative in their calendar",
        "calendar-updated": "sent an updated calendar entry",
        "calendar-cancelled": "calendar entry withdrawn (session no longer in the config)",
        "complained": "marked our mail as spam (no more mail to them)",
    }.get(action)
